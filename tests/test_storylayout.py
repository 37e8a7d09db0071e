"""Issue 16: the page's time layout (graph/page/storylayout.py) through its library interface and `render --layout`."""

from __future__ import annotations

import datetime as _dt
import json
import re

import networkx as nx
import pytest

from bilateral.graph.dates import Dating
from bilateral.graph.namespaces import BL, ID, SKOS
from bilateral.graph.page import storylayout as sl

LADDER = [  # the response ladder, in date order: 2018 rulings → 2019 export controls → GSOMIA notice → 2023 deal
    ID + "ev-2018-supreme-court-forced-labor-rulings",
    ID + "ev-2019-07-japan-export-restrictions",
    ID + "ev-2019-08-korea-announces-gsomia-termination",
    ID + "ev-2019-11-22-korea-stays-in-gsomia",
    ID + "ev-2023-03-korea-announces-compensation-foundation",
]


def _room(width: float) -> float:
    """What a thing occupies in its row: node, gap, label, gap (as the module documents)."""
    return 2 * sl.NODE_R + sl.LABEL_GAP + width + sl.ITEM_GAP


def _assert_no_overlap(story: sl.StoryLayout, mode: str) -> None:
    """In each lane, things on one row never reach the next thing's node with their label."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for node, (x, y) in story.positions[mode].items():
        rows.setdefault(y, []).append((x, node))
    for row in rows.values():
        row.sort()
        for (x1, n1), (x2, _n2) in zip(row, row[1:], strict=False):
            assert x2 - x1 >= _room(story.label_width[n1]) - 0.2, (n1, x1, x2)


def _lanes_hold(story: sl.StoryLayout, mode: str) -> None:
    """Every thing sits inside its lane, and lanes do not overlap."""
    lanes = story.lanes[mode]
    for upper, lower in zip(lanes, lanes[1:], strict=False):
        assert upper.bottom <= lower.top
    for lane in lanes:
        for node in lane.members:
            assert lane.top < story.positions[mode][node][1] < lane.bottom


# --------------------------------------------------------------------------- a small graph of our own


def _graph(things: dict[str, dict], issues: dict[str, str | None] | None = None) -> nx.MultiDiGraph:
    """Things with label/type/issue/agent; issues with their broader issue."""
    graph = nx.MultiDiGraph()
    for state in ("japan", "korea"):
        graph.add_node(ID + state, label=state.title(), types=["State"], type="State")
    graph.add_node(ID + "minister", label="A minister", types=["Person"], type="Person")
    graph.add_node(ID + "office", label="An office", types=["Office"], type="Office")
    graph.add_edge(ID + "minister", ID + "office", key=BL + "holdsOffice")
    graph.add_edge(ID + "office", ID + "japan", key=BL + "officeOf")
    for issue, broader in (issues or {}).items():
        graph.add_node(ID + issue, label=f"Issue {issue}", types=["Issue"], type="Issue")
        if broader:
            graph.add_node(ID + broader, label=f"Issue {broader}", types=["Issue"], type="Issue")
            graph.add_edge(ID + issue, ID + broader, key=SKOS + "broader")
    for name, facts in things.items():
        graph.add_node(ID + name, label=facts.get("label", name), types=["Event"], type="Event")
        for issue in facts.get("issues", []):
            graph.add_edge(ID + name, ID + issue, key=BL + "concerns")
        for agent in facts.get("agents", []):
            graph.add_edge(ID + name, ID + agent, key=BL + "agent")
        for other in facts.get("participants", []):
            graph.add_edge(ID + name, ID + other, key=BL + "participant")
    return graph


def _span(start: str, precision: str = "day") -> sl.Span:
    span = sl.Span.of(Dating.of(start, precision))
    assert span is not None
    return span


def test_x_follows_the_date_and_each_thing_sits_in_its_period():
    things = {f"e{i}": {"issues": ["a"]} for i in range(6)}
    graph = _graph(things, {"a": None})
    spans = {
        ID + "e0": _span("2019-11-22"),
        ID + "e1": _span("2018-01-01", "year"),
        ID + "e2": _span("2019-07-01", "month"),
        ID + "e3": _span("2023-03-06"),
        ID + "e4": _span("2019-08-01", "month"),
        ID + "e5": _span("1965-06-22"),
    }
    story = sl.story_layout(graph, spans, list(graph))
    order = sorted(spans, key=lambda n: spans[n].first)
    xs = [story.positions["issue"][n][0] for n in order]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    for node, span in spans.items():
        first, after = story.bar["issue"][node]
        assert first == pytest.approx(story.scale["issue"].x(span.first), abs=0.1)
        assert first <= story.positions["issue"][node][0] <= after  # a month or a year: anywhere inside it
    # runs of more than two empty years (1966–2017, 2020–2022) shrink to a break in the axis each
    assert len(story.scale["issue"].breaks) == 2
    assert [year for year, _x in story.scale["issue"].ticks] == [1965, 2018, 2019, 2023]
    two_empty = sl.TimeScale.build({(2019, 1): 10.0, (2022, 1): 10.0})
    assert [year for year, _x in two_empty.ticks] == [2019, 2020, 2021, 2022] and not two_empty.breaks


def test_scale_never_decreases_and_clamps_at_the_ends():
    scale = sl.TimeScale.build({(2019, 7): 300.0, (2023, 3): 100.0})
    days = [_dt.date(1900, 1, 1)] + [_dt.date(2019, 1, 1) + _dt.timedelta(days=d) for d in range(0, 1900, 7)]
    xs = [scale.x(d) for d in days + [_dt.date(2100, 1, 1)]]
    assert xs == sorted(xs)
    assert xs[0] == 0.0 and xs[-1] == scale.width
    assert sl.TimeScale.build({}).x(_dt.date(2019, 1, 1)) == 0.0


def test_bounds_only_sits_at_its_range_and_open_bounds_at_their_day():
    things = {"between": {"issues": ["a"]}, "after": {"issues": ["a"]}, "before": {"issues": ["a"]}}
    graph = _graph(things, {"a": None})
    spans = {
        ID + "between": sl.Span.of(Dating.of(not_before="2019-09-01", not_after="2019-12-31")),
        ID + "after": sl.Span.of(Dating.of(not_before="2019-11-22")),
        ID + "before": sl.Span.of(Dating.of(not_after="2020-12-31")),
    }
    assert all(s is not None for s in spans.values())
    between, after, before = (spans[ID + n] for n in ("between", "after", "before"))
    assert (between.precision, between.text) == ("bounds", "between 2019-09 and 2019")
    assert after.last is None and not after.open_before and after.text == "after 2019-11-22"
    assert before.open_before and before.first == _dt.date(2020, 12, 31) and before.text == "before 2020"
    story = sl.story_layout(graph, spans, list(graph))  # type: ignore[arg-type]
    x = {n.rsplit("/", 1)[1]: story.positions["issue"][n][0] for n in spans}
    low, high = story.bar["issue"][ID + "between"]
    assert high is not None
    assert story.scale["issue"].x(_dt.date(2019, 9, 1)) <= x["between"] < story.scale["issue"].x(_dt.date(2020, 1, 1))
    assert x["after"] == pytest.approx(story.scale["issue"].x(_dt.date(2019, 11, 22)), abs=0.1)
    assert story.bar["issue"][ID + "after"][1] is None  # open: the page draws a fading stub
    assert x["before"] == pytest.approx(story.scale["issue"].x(_dt.date(2020, 12, 31)), abs=0.1)


def test_issue_lanes_fold_small_issues_into_broader_ones():
    things = {f"gsomia{i}": {"issues": ["gsomia"]} for i in range(4)}
    things.update({"tiny": {"issues": ["missiles"]}, "loose": {}, "both": {"issues": ["missiles", "gsomia"]}})
    graph = _graph(things, {"gsomia": "security", "missiles": "security"})
    spans = {ID + n: _span(f"2019-0{1 + i % 9}-01") for i, n in enumerate(sorted(things))}
    story = sl.story_layout(graph, spans, list(graph))
    lanes = {lane.label: [m.rsplit("/", 1)[1] for m in lane.members] for lane in story.lanes["issue"]}
    assert lanes["Issue gsomia"] == ["both", "gsomia0", "gsomia1", "gsomia2", "gsomia3"]  # the bigger lane wins
    assert lanes["Issue security"] == ["tiny"]  # a lane of one folded into its broader issue
    assert lanes["No issue named"] == ["loose"]
    assert [lane.label for lane in story.lanes["issue"]][-1] == "No issue named"
    _lanes_hold(story, "issue")


def test_actor_lanes_roll_people_up_to_their_state_and_join_joint_actions():
    things = {
        "by-minister": {"agents": ["minister"]},
        "by-japan": {"agents": ["japan"]},
        "summit1": {"participants": ["japan", "korea"]},
        "summit2": {"participants": ["japan", "korea"]},
        "summit3": {"participants": ["korea", "japan"]},
        "by-korea": {"agents": ["korea"], "participants": ["japan"]},
        "nobody": {},
    }
    graph = _graph(things)
    spans = {ID + n: _span("2019-07-01") for n in things}
    story = sl.story_layout(graph, spans, list(graph))
    lanes = {lane.label: sorted(m.rsplit("/", 1)[1] for m in lane.members) for lane in story.lanes["actor"]}
    assert lanes == {
        "Japan": ["by-japan", "by-minister"],  # a minister's office belongs to Japan
        "Japan & Korea": ["summit1", "summit2", "summit3"],
        "Korea": ["by-korea"],  # the doer decides, not everyone taking part
        "No actor named": ["nobody"],
    }
    _lanes_hold(story, "actor")
    # the same day for all: stacked in rows, never overlapping
    _assert_no_overlap(story, "actor")
    assert {p[0] for p in story.positions["actor"].values()} == {story.bar["actor"][ID + "nobody"][0]}


HOSTILE_LABELS = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>" * 40,
    "\u202egninrael\u202c and \u200b\u200b\u200bzero width",
    "지소미아 종료 통보 " * 30,
    "\x00\x07\x1b[31mcontrol\x1b[0m",
    "",
    "🇯🇵🇰🇷" * 50,
    "e\u0301" * 200,
]


def test_hostile_labels_get_a_bounded_width_and_never_overlap():
    for label in HOSTILE_LABELS:
        width = sl.label_width(label)
        assert 0 < width <= sl.MAX_LABEL
    assert sl.label_width("지소미아") > sl.label_width("GSOMIA")
    assert sl.label_width("e\u0301" * 3) == sl.label_width("eee")  # combining marks take no room
    things = {f"h{i}": {"label": label, "issues": ["a"]} for i, label in enumerate(HOSTILE_LABELS * 5)}
    graph = _graph(things, {"a": None})
    spans = {ID + n: _span("2019-11-22") for n in things}  # forty things on one day in one lane
    story = sl.story_layout(graph, spans, list(graph))
    _assert_no_overlap(story, "issue")
    _lanes_hold(story, "issue")
    assert story.lanes["issue"][0].rows == len(things)


def test_many_things_in_a_month_are_spread_over_it_not_stacked():
    things = {f"m{i:02}": {"issues": ["a"]} for i in range(40)}
    graph = _graph(things, {"a": None})
    spans = {ID + n: _span("2023-03-01", "month") for n in things}
    story = sl.story_layout(graph, spans, list(graph))
    _assert_no_overlap(story, "issue")
    assert story.lanes["issue"][0].rows < 20
    xs = {p[0] for p in story.positions["issue"].values()}
    low, high = story.scale["issue"].x(_dt.date(2023, 3, 1)), story.scale["issue"].x(_dt.date(2023, 4, 1))
    assert len(xs) > 2 and all(low <= x <= high for x in xs)


def test_undated_things_are_off_the_axis_and_an_empty_view_lays_out():
    graph = _graph({"dated": {}, "undated": {}})
    story = sl.story_layout(graph, {ID + "dated": _span("2019-07-01")}, list(graph))
    assert ID + "undated" in story.undated and ID + "japan" in story.undated
    assert all(ID + "undated" not in placed for placed in story.positions.values())
    empty = sl.story_layout(graph, {}, list(graph))
    assert empty.positions == {"issue": {}, "actor": {}} and empty.scale["issue"].width == 0.0
    assert len(empty.undated) == graph.number_of_nodes()


# --------------------------------------------------------------------------- the shipped graph


@pytest.fixture(scope="module")
def shipped_story(store):
    from bilateral.graph.explore.interpreted import linked_projection

    return sl.story_data(store, linked_projection(store))


def test_the_ladder_reads_left_to_right_in_both_lane_modes(shipped_story):
    for mode in sl.LANE_MODES:
        xs = [shipped_story["positions"][mode][n][0] for n in LADDER]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), mode


def test_shipped_lanes_and_datings(store, shipped_story):
    issue_of = {}
    for lane in shipped_story["lanes"]["issue"]:
        top, bottom = lane["top"], lane["bottom"]
        for node, (_x, y) in shipped_story["positions"]["issue"].items():
            if top < y < bottom:
                issue_of[node] = lane["label"]
    assert issue_of[ID + "ev-2019-08-korea-announces-gsomia-termination"] == "GSOMIA intelligence sharing"
    assert issue_of[ID + "ev-2018-supreme-court-forced-labor-rulings"] == "Forced labour compensation"
    actor_labels = [lane["label"] for lane in shipped_story["lanes"]["actor"]]
    assert {"Japan", "South Korea", "United States", "Japan & South Korea"} <= set(actor_labels)
    # status changes are dated by what their documents allow; bounds-only events by their bounds
    assert shipped_story["dates"][ID + "status-gsomia-termination-notified"] == "2019-08"
    assert shipped_story["dates"][ID + "ev-2018-trump-kim-summit-talks"] == "between 2018 and 2020"
    assert ID + "ev-2018-trump-kim-summit-talks" in shipped_story["bounds"]
    assert shipped_story["open"][ID + "ev-2019-07-korean-boycott-of-japanese-goods"] == "after"
    assert shipped_story["undated"] > 300
    assert json.dumps(shipped_story)  # plain JSON for the page


def _page_data(path) -> dict:
    text = path.read_text("utf-8")
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S)
    assert found
    return json.loads(found.group(1))


@pytest.mark.slow
def test_render_layout_time_opens_the_page_in_the_time_layout(run, tmp_path):
    time_page, network_page = tmp_path / "time.html", tmp_path / "network.html"
    assert run("render", "--layout", "time", "-o", time_page).exit_code == 0
    assert run("render", "-o", network_page).exit_code == 0  # the same view, cached: keyed on the layout
    time_data, network_data = _page_data(time_page), _page_data(network_page)
    assert (time_data["layout"], network_data["layout"]) == ("time", "network")
    assert time_data["story"] == network_data["story"]
    assert set(time_data["story"]["positions"]["issue"]) <= set(time_data["entities"])
    around = tmp_path / "around.html"
    assert run("render", "--layout", "time", "--around", "GSOMIA", "--depth", "1", "-o", around).exit_code == 0
    positions = _page_data(around)["story"]["positions"]["issue"]
    assert ID + "ev-2019-08-korea-announces-gsomia-termination" in positions
    assert set(positions) <= set(_page_data(around)["entities"])


def test_render_refuses_an_unknown_layout(run, tmp_path):
    result = run("render", "--layout", "spiral", "-o", tmp_path / "x.html")
    assert result.exit_code == 2
    assert "spiral" in result.output + result.stderr
    assert not (tmp_path / "x.html").exists()


def test_render_view_refuses_an_unknown_layout(store, tmp_path):
    from bilateral.graph.errors import BadInput
    from bilateral.graph.page.rendering import render_view

    with pytest.raises(BadInput, match="--layout"):
        render_view(store, tmp_path / "x.html", layout_name="spiral")


@pytest.mark.slow
def test_path_pages_carry_the_time_layout_too(run, tmp_path):
    page = tmp_path / "paths.html"
    result = run("path", "forced labour", "GSOMIA", "--html", page)
    assert result.exit_code == 0, result.output
    data = _page_data(page)
    assert data["layout"] == "network" and data["story"]["positions"]["issue"]


def test_doctests():
    import doctest

    assert doctest.testmod(sl).failed == 0
