"""Issue 16: the page's time layout (static/story.js) in a real browser (Debian's Chromium, driven by Playwright).

Uses the shared helper (tests/browsing.py: the `browser`, `visit` and
`explorer_file` fixtures of tests/conftest.py).  No sleeps: every wait is on
a condition (the page sets ``<body data-layout="time-issue">`` once the nodes
are in place).  Set BILATERAL_SCREENSHOT_STORY=docs/explorer-story.png to
refresh the docs image (1600×1000).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bilateral.graph.namespaces import ID

pytestmark = pytest.mark.browser

LADDER = [  # 2018 rulings → 2019 export controls → 2019 GSOMIA notice → GSOMIA kept → 2023 deal
    ID + "ev-2018-supreme-court-forced-labor-rulings",
    ID + "ev-2019-07-japan-export-restrictions",
    ID + "ev-2019-08-korea-announces-gsomia-termination",
    ID + "ev-2019-11-22-korea-stays-in-gsomia",
    ID + "ev-2023-03-korea-announces-compensation-foundation",
]
STORY_KINDS = {"response", "retaliation", "reversal", "interpreted"}


def _render(tmp_path_factory, *args: str) -> Path:
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    out = tmp_path_factory.mktemp("story") / "page.html"
    result = CliRunner().invoke(cli, ["render", "-o", str(out), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def time_page(tmp_path_factory) -> Path:
    return _render(tmp_path_factory, "--layout", "time")


def _layout_is(v, name: str) -> None:
    """Wait until the page says its nodes are in place in this layout."""
    v.page.wait_for_selector(f"body[data-layout='{name}']", state="attached", timeout=30_000)


def _positions(v, ids: list[str]) -> dict[str, dict[str, float]]:
    return v.js("ids => window.explorer.network.getPositions(ids)", ids)


def _story(v) -> dict:
    return v.js("window.explorer.data.story")


def _hidden_ids(v) -> set[str]:
    return set(v.js("window.explorer.nodes.get({filter: n => n.hidden}).map(n => n.id)"))


def test_time_layout_places_the_ladder_in_date_order(visit, time_page):
    v = visit(time_page)
    _layout_is(v, "time-issue")
    placed = _positions(v, LADDER)
    xs = [placed[n]["x"] for n in LADDER]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    story = _story(v)
    for node in LADDER:  # where Python put them (vis keeps whole units)
        assert placed[node]["x"] == pytest.approx(story["positions"]["issue"][node][0], abs=1)
        assert placed[node]["y"] == pytest.approx(story["positions"]["issue"][node][1], abs=1)
    # every dated thing's x follows its period: nothing sits before its first day's tick
    checked = v.js("""() => {
        const S = window.explorer.data.story, p = window.explorer.network.getPositions(Object.keys(S.dates));
        return Object.keys(S.dates).filter(id => !p[id] || p[id].x + 1 < S.bar.issue[id][0]
                                                  || (S.bar.issue[id][1] !== null && p[id].x - 1 > S.bar.issue[id][1]));
    }""")
    assert checked == []
    assert v.errors == []


def test_undated_things_are_off_the_axis_and_counted(visit, time_page):
    v = visit(time_page)
    _layout_is(v, "time-issue")
    story = _story(v)
    hidden = _hidden_ids(v)
    dated = set(story["dates"])
    assert ID + "japan" in hidden and ID + "issue-gsomia" in hidden  # undated: actors and issues
    assert not dated & hidden
    assert v.js("window.explorer.visibleCount()") == len(dated)
    assert len(hidden) == story["undated"]
    note = v.page.locator("#story-note").inner_text()
    assert f"{story['undated']} undated" in note and "network layout" in note
    # only the story's own links are drawn, and they point forward in time (arrowhead at the later thing)
    shown = v.js("""() => window.explorer.edges.get({filter: e => !e.hidden})
        .map(e => ({kind: window.explorer.data.edges[e.id].kind, from: !!(e.arrows && e.arrows.from && e.arrows.from.enabled)}))""")
    assert shown and {e["kind"] for e in shown} <= STORY_KINDS and all(e["from"] for e in shown)


def test_lane_switch_moves_things_to_their_actor_lanes(visit, time_page):
    v = visit(time_page)
    _layout_is(v, "time-issue")
    story = _story(v)
    export = ID + "ev-2019-07-japan-export-restrictions"
    v.page.click("#lanes-actor")
    _layout_is(v, "time-actor")
    placed = _positions(v, LADDER)
    assert placed[export]["y"] == pytest.approx(story["positions"]["actor"][export][1], abs=1)
    japan = next(lane for lane in story["lanes"]["actor"] if lane["label"] == "Japan")
    assert japan["top"] < placed[export]["y"] < japan["bottom"]
    xs = [placed[n]["x"] for n in LADDER]
    assert xs == sorted(xs)
    assert v.page.locator("#lanes-actor").get_attribute("aria-pressed") == "true"
    v.page.click("#lanes-issue")
    _layout_is(v, "time-issue")
    assert _positions(v, [export])[export]["y"] == pytest.approx(story["positions"]["issue"][export][1], abs=1)
    assert v.errors == []


def test_switching_layouts_in_the_page_and_back(visit, explorer_file):
    v = visit(explorer_file)
    _layout_is(v, "network")
    home = v.js("() => Object.fromEntries(window.explorer.data.network.nodes.map(n => [n.id, [n.x, n.y]]))")
    before = v.js("window.explorer.visibleCount()")
    assert v.page.locator("#layout-network").get_attribute("aria-pressed") == "true"
    v.page.click("#layout-time")
    _layout_is(v, "time-issue")
    xs = [p["x"] for p in _positions(v, LADDER).values()]
    assert [_positions(v, [n])[n]["x"] for n in LADDER] == sorted(xs)
    assert v.js("window.explorer.visibleCount()") < before
    assert v.page.locator("#relayout").is_disabled()
    v.page.click("#layout-network")
    _layout_is(v, "network")
    back = _positions(v, [ID + "japan", *LADDER])
    for node, p in back.items():
        assert (p["x"], p["y"]) == pytest.approx(tuple(home[node]), abs=1)
    assert v.js("window.explorer.visibleCount()") == before
    assert v.js("window.explorer.edges.get({filter: e => e.hidden}).length") == 0
    assert v.errors == []


def test_time_layout_of_a_view_around_an_entity(visit, tmp_path_factory):
    page = _render(tmp_path_factory, "--layout", "time", "--around", "GSOMIA", "--depth", "1")
    v = visit(page)
    _layout_is(v, "time-issue")
    story = _story(v)
    notice = ID + "ev-2019-08-korea-announces-gsomia-termination"
    assert notice in story["positions"]["issue"]
    assert _positions(v, [notice])[notice]["x"] == pytest.approx(story["positions"]["issue"][notice][0], abs=1)
    assert v.js("window.explorer.visibleCount()") == len(story["dates"])  # the view's dated things, no others
    assert story["undated"] > 0
    assert v.errors == []


def test_time_layout_on_a_path_page(visit, tmp_path_factory, run):
    page = tmp_path_factory.mktemp("story-path") / "paths.html"
    assert run("path", "forced labour", "GSOMIA", "--html", page).exit_code == 0
    v = visit(page)
    _layout_is(v, "network")
    v.page.click("#layout-time")
    _layout_is(v, "time-issue")
    story = _story(v)
    shown = [n for n in story["dates"] if n not in _hidden_ids(v)]
    assert shown
    xs = _positions(v, shown)
    for node in shown:
        assert xs[node]["x"] == pytest.approx(story["positions"]["issue"][node][0], abs=1)
    assert v.errors == []


def test_screenshot_for_the_docs(visit, time_page):
    """The page refits when asked again; refresh docs/explorer-story.png when BILATERAL_SCREENSHOT_STORY names it."""
    target = os.environ.get("BILATERAL_SCREENSHOT_STORY")
    v = visit(time_page)
    _layout_is(v, "time-issue")
    assert v.js("window.explorer.layout()") == "time-issue"
    v.page.set_viewport_size({"width": 1600, "height": 1000})
    v.settled()  # the canvas has its new size
    v.js("window.explorer.setLayout('time', 'issue')")
    _layout_is(v, "time-issue")
    v.settled()
    # the whole axis is in view: the first and the last dated thing are inside the canvas
    inside = v.js("""() => {
        const S = window.explorer.data.story, net = window.explorer.network, ids = Object.keys(S.dates);
        const box = document.getElementById("network").getBoundingClientRect(), p = net.getPositions(ids);
        return ids.filter(id => { const d = net.canvasToDOM(p[id]); return d.x < 0 || d.x > box.width || d.y < 0 || d.y > box.height; });
    }""")
    assert inside == []
    v.js("id => window.explorer.select(id)", LADDER[1])  # the export controls: the ladder around them stands out
    v.js("document.getElementById('controls').scrollTop = 1e6")  # the layout switch in view
    v.settled()
    assert v.page.locator("#panel-body h2").inner_text().startswith("Japan tightens export controls")
    if target:
        v.page.screenshot(path=target)
        assert Path(target).stat().st_size > 10_000
    assert v.errors == []


def test_an_undated_selection_survives_a_trip_through_the_time_layout(visit, explorer_file):
    """Japan has no date: off the time axis its card stays open, and back in the network it is selected again."""
    japan = ID + "japan"
    v = visit(explorer_file)
    _layout_is(v, "network")
    v.js(f"window.explorer.focus('{japan}')")
    assert v.js("window.explorer.network.getSelectedNodes()") == [japan]
    v.page.click("#layout-time")
    _layout_is(v, "time-issue")
    assert japan in _hidden_ids(v)
    assert v.js("window.explorer.selected()") == japan
    assert "Japan" in v.page.locator("#panel-body h2").first.inner_text()
    v.page.click("#layout-network")
    _layout_is(v, "network")
    assert v.js("window.explorer.network.getSelectedNodes()") == [japan]
    assert v.js("window.explorer.selected()") == japan
    assert v.errors == []
