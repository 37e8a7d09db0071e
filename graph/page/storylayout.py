"""The page's time layout ("story layout"): dated things on a time axis, in lanes by issue or by actor.

The network layout (graph/page/layout.py) shows what is connected; this one
shows what happened when, so that a response ladder (the 2018 rulings → the
2019 export controls → the 2019 GSOMIA notice → the 2023 deal) reads from
left to right.  Positions are computed here, in Python, and shipped in the
page data; the page (static/story.js) moves the nodes there when the reader
switches layout, so switching needs no re-render.

- **x is time.**  Every dated thing sits at the first day its dating allows
  (graph/dates.py: ``Dating.sort_start``, the one ordering rule), and the
  page draws the rest of its period (a month, a year, a bound range) as a bar
  behind it.  Months are as wide as their busiest lane needs; runs of empty
  years shrink to a break in the axis.  x never decreases with the date.
- **Lanes.**  By issue: a thing goes to the issue it concerns (bl:concerns);
  small issues fold into their broader issue (skos:broader) until each lane
  holds a few things.  By actor: the state of whoever acted, held the
  position or proposed (persons, offices and organisations roll up to their
  state); things done together go to a joint lane ("Japan & South Korea").
  Status changes follow the accord or measure they change (by issue) or the
  event that set them (by actor).  The x of a thing is the same in both.
- **Labels never overlap in a lane.**  Each thing reserves its label's width
  (estimated generously here; the page truncates to it) to the right of its
  node, and things are stacked into rows first-fit.
- **Undated things are off the axis**: the page hides them in this layout and
  says how many the network layout shows.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating, best_dating
from bilateral.graph.namespaces import BL, SKOS

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = [
    "LANE_MODES",
    "Lane",
    "Span",
    "StoryLayout",
    "TimeScale",
    "actor_lanes",
    "issue_lanes",
    "label_width",
    "spans_of",
    "story_data",
    "story_layout",
]

#: The two ways of sorting things into lanes; the first is the default.
LANE_MODES = ("issue", "actor")

FONT = 12.0  #: label size in layout units (a label is FONT px high at zoom 1)
ROW = 26.0  #: height of one row of a lane
LANE_HEAD = 22.0  #: room above a lane's rows for its title
LANE_GAP = 10.0  #: space between two lanes
NODE_R = 7.0  #: radius of a node in the time layout
LABEL_GAP = 5.0  #: between a node and its label
ITEM_GAP = 12.0  #: between one thing's label and the next thing in the same row
MAX_LABEL = 170.0  #: a longer label is truncated to this width (the tooltip and card give it whole)
#: A month is made wide enough that its busiest lane needs about this many rows: the fewest rows
#: (the widest axis) that keeps the layout no wider than ASPECT times its height.
ROWS_WANTED = (2, 3, 4, 6, 8, 10, 12, 16)
ASPECT = 1.0
MIN_MONTH = 4.0  #: the narrowest month of a year that holds something
EMPTY_YEAR = 24.0  #: an empty year between two busy ones
BREAK = 36.0  #: a run of empty years longer than MAX_EMPTY_RUN shrinks to this
MAX_EMPTY_RUN = 2
MIN_LANE = 3  #: an issue lane with fewer things folds into its broader issue
MAX_LANES = 12  #: beyond this, the smallest lanes fold into "other"

_CONCERNS = BL + "concerns"
_BROADER = SKOS + "broader"
_STATUS_OF = BL + "statusOf"
_SETS_STATUS = BL + "setsStatus"
_LINKS = (BL + "linkFrom", BL + "linkTo")
#: Who did it (first choice), then who else took part.
_DOERS = (BL + "agent", BL + "holder", BL + "proposedBy")
_OTHERS = (BL + "participant", BL + "party", BL + "target", BL + "mediator")
#: How a person, office or organisation leads to its state, in order of trust.
_TO_STATE = (BL + "belongsToState", BL + "officeOf", BL + "holdsOffice", BL + "affiliation", BL + "partOf")

OTHER_ISSUES = "other-issues"
NO_ISSUE = "no-issue"
OTHER_ACTORS = "other-actors"
NO_ACTOR = "no-actor"
_FIXED_LANES = {
    OTHER_ISSUES: "Other issues",
    NO_ISSUE: "No issue named",
    OTHER_ACTORS: "Other actors",
    NO_ACTOR: "No actor named",
}


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class Span:
    """Where a thing sits in time: the days its dating allows, and how it was dated.

    `first` is where it sorts (``Dating.sort_start``); `last` the last day it
    can have happened, or None when the dating is open after its first day
    ("after 2019-08"); `open_before` marks an upper bound alone ("before
    2020-03": `first` is that bound).
    """

    first: _dt.date
    last: _dt.date | None
    precision: str
    text: str
    open_before: bool = False

    @classmethod
    def of(cls, dating: Dating, end: _dt.date | None = None) -> Span | None:
        """From a dating (and an end date, for things that last); None when undated."""
        first = dating.sort_start
        if first is None:
            return None
        last = dating.latest
        if end is not None and last is not None:
            last = max(last, end)
        return cls(
            first=first,
            last=last,
            precision=dating.precision_label or "day",
            text=dating.text() or first.isoformat(),
            open_before=dating.earliest is None,
        )


def _day(value: object) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def spans_of(store: Store, graph) -> dict[str, Span]:
    """Each dated node of `graph` with its span, by the one date rule (graph/dates.py).

    A node's own start date and precision first (the projection's, with its
    end date); else the most precise bounds its documents give (bl:notBefore
    / bl:notAfter); else, for a status change, what its documents' datings
    allow together.  Cluster nodes of an aggregated view carry a date too.
    """
    from bilateral.graph.time.lifecycle import datings_by_graph, status_changes

    found: dict[str, Span] = {}
    for node, data in graph.nodes(data=True):
        start = _day(data.get("date")) if data.get("date") else None
        if start is None:
            continue
        span = Span.of(
            Dating(start, data.get("precision") or "day"), _day(data.get("end")) if data.get("end") else None
        )
        if span:
            found[node] = span
    bounded: dict[str, list[Dating]] = {}
    for (thing, _graph), dating in datings_by_graph(store).items():
        if thing in graph and thing not in found:
            bounded.setdefault(thing, []).append(dating)
    for thing, datings in bounded.items():
        span = Span.of(best_dating(datings))
        if span:
            found[thing] = span
    for change in status_changes(store):
        if change.iri in graph and change.iri not in found:
            span = Span.of(change.dating)
            if span:
                found[change.iri] = span
    return found


# --------------------------------------------------------------------------- the time axis


@dataclass
class TimeScale:
    """Days → x, piecewise linear through one knot per shown year start; never decreasing.

    `ticks` are the years drawn on the axis with their x; `breaks` the x
    ranges where a run of empty years was shrunk.
    """

    knots: list[tuple[int, float]]  # (proleptic ordinal of a 1 January, x), increasing in both
    ticks: list[tuple[int, float]] = field(default_factory=list)
    breaks: list[tuple[float, float]] = field(default_factory=list)
    _days: list[int] = field(default_factory=list, repr=False)  # the knots' days, for bisect

    @classmethod
    def build(cls, widths: Mapping[tuple[int, int], float]) -> TimeScale:
        """A scale where each (year, month) in `widths` is that wide, other months of those years MIN_MONTH.

        Years between them are EMPTY_YEAR wide, or, in a run of more than
        MAX_EMPTY_RUN, one break BREAK wide.
        """
        years = sorted({year for year, _month in widths})
        knots: list[tuple[int, float]] = []
        ticks: list[tuple[int, float]] = []
        breaks: list[tuple[float, float]] = []
        x = 0.0
        for number, year in enumerate(years):
            if number:
                empty = year - years[number - 1] - 1
                if empty > MAX_EMPTY_RUN:
                    knots.append((_dt.date(years[number - 1] + 1, 1, 1).toordinal(), x))
                    breaks.append((x, x + BREAK))
                    x += BREAK
                else:
                    for between in range(years[number - 1] + 1, year):
                        knots.append((_dt.date(between, 1, 1).toordinal(), x))
                        ticks.append((between, x))
                        x += EMPTY_YEAR
            ticks.append((year, x))
            for month in range(1, 13):
                knots.append((_dt.date(year, month, 1).toordinal(), x))
                x += widths.get((year, month), MIN_MONTH)
        if years:
            knots.append((_dt.date(years[-1] + 1, 1, 1).toordinal(), x))
        return cls(knots, ticks, breaks)

    @property
    def width(self) -> float:
        """The axis's length."""
        return self.knots[-1][1] if self.knots else 0.0

    def x(self, day: _dt.date) -> float:
        """Where `day` sits: interpolated between the knots around it; clamped at the ends."""
        if not self.knots:
            return 0.0
        ordinal = day.toordinal()
        if len(self._days) != len(self.knots):
            self._days = [k[0] for k in self.knots]
        days = self._days
        at = bisect.bisect_right(days, ordinal)
        if at == 0:
            return self.knots[0][1]
        if at == len(days):
            return self.knots[-1][1]
        (d0, x0), (d1, x1) = self.knots[at - 1], self.knots[at]
        return x0 + (x1 - x0) * (ordinal - d0) / (d1 - d0)


def label_width(text: str) -> float:
    """A generous estimate of a label's drawn width at FONT px, capped at MAX_LABEL.

    Wide (CJK) characters count a full em, marks and zero-width characters
    nothing, the rest 0.58 em: the page truncates a label to this width, so
    an estimate too large costs only space, never an overlap.

    >>> label_width("GSOMIA") < label_width("지소미아")
    True
    """
    ems = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me"):
            continue
        ems += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.58
        if ems * FONT >= MAX_LABEL:
            break  # a label of any length costs no more than the room it may take
    return round(min(MAX_LABEL, ems * FONT + 2.0), 1)


# --------------------------------------------------------------------------- lanes


@dataclass
class Lane:
    """One horizontal band: its key (an IRI or a fixed name), title, things and rows."""

    key: str
    label: str
    members: list[str] = field(default_factory=list)
    iri: str | None = None
    rows: int = 1
    top: float = 0.0
    bottom: float = 0.0


def _targets(graph, node: str, predicates: Iterable[str]) -> list[str]:
    """The nodes `node` points to by these predicates (edge keys), sorted."""
    wanted = set(predicates)
    return sorted(v for v, keys in graph.succ[node].items() if not wanted.isdisjoint(keys))


def _sources(graph, node: str, predicates: Iterable[str]) -> list[str]:
    """The nodes that point to `node` by these predicates (edge keys), sorted."""
    wanted = set(predicates)
    return sorted(u for u, keys in graph.pred[node].items() if not wanted.isdisjoint(keys))


def _carrier(context, node: str) -> list[str]:
    """What a thing without lane facts of its own borrows them from.

    A status change: the accord or measure it changes, then the event that
    set it; an interpretation: the things its link joins.
    """
    if node not in context:
        return []
    return (
        _targets(context, node, [_STATUS_OF])
        + _sources(context, node, [_SETS_STATUS])
        + _targets(context, node, _LINKS)
    )


def _issues_of(context, node: str) -> list[str]:
    found = _targets(context, node, [_CONCERNS]) if node in context else []
    if not found:
        for other in _carrier(context, node):
            found = _targets(context, other, [_CONCERNS])
            if found:
                break
    return found


def _label(context, node: str) -> str:
    return str(context.nodes[node].get("label", node)) if node in context else node


def issue_lanes(context, things: Iterable[str]) -> list[Lane]:
    """Sort `things` into lanes by the issue they concern, small issues folded into broader ones.

    `context` is the projection the things come from (the whole graph, so a
    thing on the rim of a small view still finds its issue).  Among several
    issues a thing goes to the lane that holds the most things.
    """
    things = sorted(things)
    issues = {thing: _issues_of(context, thing) for thing in things}
    home: dict[str, str] = {}  # issue -> the lane it has folded into

    def lane_of(issue: str) -> str:
        while issue in home:
            issue = home[issue]
        return issue

    def assign() -> dict[str, list[str]]:
        count: dict[str, int] = {}
        for found in issues.values():
            for lane in {lane_of(i) for i in found}:
                count[lane] = count.get(lane, 0) + 1
        lanes: dict[str, list[str]] = {}
        for thing in things:
            options = sorted({lane_of(i) for i in issues[thing]}, key=lambda lane: (-count[lane], lane))
            lanes.setdefault(options[0] if options else NO_ISSUE, []).append(thing)
        return lanes

    lanes = assign()
    while True:
        small = sorted(
            (len(members), key) for key, members in lanes.items() if key not in _FIXED_LANES and len(members) < MIN_LANE
        )
        folded = False
        for _size, key in small:
            broader = [b for b in _targets(context, key, [_BROADER]) if b != key] if key in context else []
            if broader:
                home[key] = broader[0]
                folded = True
                break
        if not folded:
            break
        lanes = assign()
    return _finish(context, lanes, OTHER_ISSUES, NO_ISSUE)


def _state_of(context, actor: str, depth: int = 3) -> str:
    """The state an actor acts for: itself when a state, else up its office, affiliation or state links."""
    frontier, seen = [actor], {actor}
    for _ in range(depth + 1):
        following = []
        for node in frontier:
            if "State" in context.nodes[node].get("types", []):
                return node
            for other in _targets(context, node, _TO_STATE):
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        frontier = following
    return actor


def _actors_of(context, node: str) -> tuple[str, ...]:
    """The states (or stateless actors) behind a thing: its doers if any, else everyone taking part."""
    if node not in context:
        return ()
    for predicates in (_DOERS, _OTHERS):
        found = {_state_of(context, a) for a in _targets(context, node, predicates)}
        if found:
            return tuple(sorted(found))
    for other in _carrier(context, node):
        found_other = _actors_of(context, other)
        if found_other:
            return found_other
    return ()


def actor_lanes(context, things: Iterable[str]) -> list[Lane]:
    """Sort `things` into lanes by the state that acted, held the position or proposed.

    Persons, offices and organisations count for their state; things done by
    several states together get a joint lane ("Japan & South Korea").
    """
    lanes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for thing in sorted(things):
        actors = _actors_of(context, thing)
        key = "|".join(actors) if actors else NO_ACTOR
        if len(actors) > 1:
            names[key] = " & ".join(sorted(_label(context, a) for a in actors))
        lanes.setdefault(key, []).append(thing)
    for key in [k for k, members in lanes.items() if "|" in k and len(members) < MIN_LANE]:
        lanes.setdefault(OTHER_ACTORS, []).extend(lanes.pop(key))
    return _finish(context, lanes, OTHER_ACTORS, NO_ACTOR, names)


def _finish(
    context, lanes: dict[str, list[str]], other: str, nothing: str, names: Mapping[str, str] | None = None
) -> list[Lane]:
    """Keep at most MAX_LANES lanes (the smallest fold into `other`), biggest first, `other` and `nothing` last."""
    ordered = sorted((k for k in lanes if k not in (other, nothing)), key=lambda k: (-len(lanes[k]), k))
    for key in ordered[MAX_LANES - 1 :] if len(ordered) >= MAX_LANES else []:
        lanes.setdefault(other, []).extend(lanes.pop(key))
    ordered = [k for k in ordered if k in lanes] + [k for k in (other, nothing) if k in lanes]
    result = []
    for key in ordered:
        label = (names or {}).get(key) or _FIXED_LANES.get(key) or _label(context, key)
        iri = key if key in context else None
        result.append(Lane(key, label, sorted(lanes[key]), iri))
    return result


# --------------------------------------------------------------------------- the layout


@dataclass
class StoryLayout:
    """The time layout of one view, for each lane mode ("issue", "actor"): its axis, lanes and positions."""

    scale: dict[str, TimeScale]  # mode -> its axis
    bar: dict[str, dict[str, tuple[float, float | None]]]  # mode -> node -> x of its first day, x after its last
    label_width: dict[str, float]
    lanes: dict[str, list[Lane]]  # mode -> lanes, top to bottom
    positions: dict[str, dict[str, tuple[float, float]]]  # mode -> node -> (x, y)
    undated: list[str]


def _length(width: float) -> float:
    """The room one thing takes in a row: its node, its label and the gap after it."""
    return 2 * NODE_R + LABEL_GAP + width + ITEM_GAP


def _months(span: Span) -> list[tuple[int, int]]:
    """The months a thing may sit in: its first day's month, or every month of its period (at most 24)."""
    first, last = span.first, span.last if span.last and not span.open_before else span.first
    months: list[tuple[int, int]] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < 24:
        months.append((year, month))
        year, month = year + month // 12, month % 12 + 1
    return months


def _month_widths(
    spans: Mapping[str, Span], widths: Mapping[str, float], lanes: list[Lane], rows: int
) -> dict[tuple[int, int], float]:
    """How wide each month with something in it must be for its busiest lane to fit in `rows` rows.

    A thing dated to a month or a year may sit anywhere in it, so its room
    is spread over the months of its period.
    """
    need: dict[tuple[int, int], float] = {}
    for lane in lanes:
        per_month: dict[tuple[int, int], float] = {}
        for node in lane.members:
            months = _months(spans[node])
            for month in months:
                per_month[month] = per_month.get(month, 0.0) + _length(widths[node]) / len(months)
        for month, length in per_month.items():
            need[month] = max(need.get(month, MIN_MONTH), length / rows)
    for span in spans.values():  # a period's end is on the axis too (its bar ends there)
        if span.last is not None:
            need.setdefault((span.last.year, span.last.month), MIN_MONTH)
    return {month: round(width, 1) for month, width in need.items()}


def _pack(
    lane: Lane, room: Mapping[str, tuple[float, float]], widths: Mapping[str, float]
) -> dict[str, tuple[int, float]]:
    """Rows and x for a lane's things, so that no two labels overlap.

    Each thing may sit anywhere in `room` (its period's x range: a point for
    a day).  In date order, it takes the row where it can sit earliest (the
    lowest such row on a tie), or a new row at its first day.
    """
    free: list[float] = []  # per row: the first x a node centre may take
    placed: dict[str, tuple[int, float]] = {}
    for node in sorted(lane.members, key=lambda n: (room[n][0], room[n][1], n)):
        low, high = room[node]
        best: tuple[float, int] | None = None
        for row, start in enumerate(free):
            x = max(low, start)
            if x <= high and (best is None or x < best[0]):
                best = (x, row)
        if best is None:
            free.append(low)
            best = (low, len(free) - 1)
        x, row = best
        free[row] = x + _length(widths[node])
        placed[node] = (row, round(x, 1))
    lane.rows = max(1, len(free))
    return placed


def _placed(
    lanes: list[Lane], room: Mapping[str, tuple[float, float]], widths: Mapping[str, float]
) -> dict[str, tuple[float, float]]:
    """Pack each lane and stack the lanes top to bottom; the nodes' (x, y)."""
    positions: dict[str, tuple[float, float]] = {}
    top = 0.0
    for lane in lanes:
        rows = _pack(lane, room, widths)
        lane.top = top
        for node, (row, x) in rows.items():
            positions[node] = (x, round(top + LANE_HEAD + ROW * (row + 0.5), 1))
        lane.bottom = top + LANE_HEAD + ROW * lane.rows + 6.0
        top = lane.bottom + LANE_GAP
    return positions


def _rooms(spans: Mapping[str, Span], scale: TimeScale) -> tuple[dict, dict]:
    """Each thing's bar (x of its first day, x after its last or None) and room (the x range it may sit in).

    A thing dated to a month, a year or a bound range may sit anywhere in it;
    a day, an open bound ("after 2019-08") or an upper bound alone sits at its day.
    """
    bar: dict[str, tuple[float, float | None]] = {}
    room: dict[str, tuple[float, float]] = {}
    for n, span in spans.items():
        first = round(scale.x(span.first), 1)
        after = round(scale.x(span.last + _dt.timedelta(days=1)), 1) if span.last else None
        bar[n] = (first, after)
        flexible = after is not None and not span.open_before and span.precision != "day"
        room[n] = (first, max(first, after - 2 * NODE_R) if flexible and after is not None else first)
    return bar, room


def story_layout(context, spans: Mapping[str, Span], nodes: Iterable[str]) -> StoryLayout:
    """Lay out the dated ones of `nodes` on a time axis, in lanes by issue and by actor.

    `context` is the projection the lanes are read from (see `issue_lanes`);
    `spans` the datings (see `spans_of`); a node without a span is undated.
    Each mode has its own axis, as wide as it may be while its lanes stay
    within ASPECT times their height (ROWS_WANTED), so that it fits a screen.
    """
    nodes = sorted(nodes)
    dated = {n: spans[n] for n in nodes if n in spans}
    widths = {n: label_width(_label(context, n)) for n in dated}
    lanes = {"issue": issue_lanes(context, dated), "actor": actor_lanes(context, dated)}
    story = StoryLayout({}, {}, widths, lanes, {}, [n for n in nodes if n not in spans])
    for mode, lane_list in lanes.items():
        for rows in ROWS_WANTED:
            scale = TimeScale.build(_month_widths(dated, widths, lane_list, rows) if dated else {})
            bar, room = _rooms(dated, scale)
            positions = _placed(lane_list, room, widths)
            if scale.width <= ASPECT * (lane_list[-1].bottom if lane_list else 0.0):
                break
        story.scale[mode], story.bar[mode], story.positions[mode] = scale, bar, positions
    return story


class _WithClusters:
    """The projection with an aggregated view's cluster nodes added (unlinked), read through without a copy.

    Lanes read a node's presence, attributes, successors and predecessors
    (`_targets`, `_sources`, `_label`); copying the whole projection to add a
    few hundred unlinked nodes cost more than the time layout itself.
    """

    def __init__(self, graph, clusters: Mapping[str, dict]) -> None:
        from collections import ChainMap

        self._graph, self._clusters = graph, clusters
        self.nodes = ChainMap(dict(clusters), graph.nodes)
        self.succ = ChainMap(dict.fromkeys(clusters, {}), graph.succ)
        self.pred = ChainMap(dict.fromkeys(clusters, {}), graph.pred)

    def __contains__(self, node: object) -> bool:
        return node in self._clusters or node in self._graph


def story_data(store: Store, graph) -> dict:
    """The time layout of a page's view, as the page data's ``story`` part (static/story.js reads it).

    Lanes are read from the whole linked projection, so a view around one
    entity sorts its things as the whole graph does.
    """
    from bilateral.graph.explore.interpreted import linked_projection

    context = linked_projection(store)
    missing = {n: graph.nodes[n] for n in graph if n not in context}  # cluster nodes of an aggregated view
    if missing:
        context = _WithClusters(context, missing)
    spans = spans_of(store, graph)
    story = story_layout(context, spans, list(graph))
    dated = sorted(story.label_width)
    busy: dict[int, int] = {}
    for n in dated:
        busy[spans[n].first.year] = busy.get(spans[n].first.year, 0) + 1
    return {
        "modes": list(LANE_MODES),
        "font": FONT,
        "row": ROW,
        "node": NODE_R,
        "axis": {
            mode: {
                "width": round(scale.width, 1),
                "ticks": [[year, round(x, 1)] for year, x in scale.ticks],
                "breaks": [[round(a, 1), round(b, 1)] for a, b in scale.breaks],
                "counts": {str(year): busy.get(year, 0) for year, _x in scale.ticks},  # things starting in it
            }
            for mode, scale in story.scale.items()
        },
        "bar": {mode: {n: list(b) for n, b in bars.items()} for mode, bars in story.bar.items()},
        "dates": {n: spans[n].text for n in dated},
        "bounds": sorted(n for n in dated if spans[n].precision == "bounds"),
        "open": {
            n: "before" if spans[n].open_before else "after"
            for n in dated
            if spans[n].open_before or spans[n].last is None
        },
        "label_width": story.label_width,
        "lanes": {
            mode: [
                {
                    "key": lane.key,
                    "label": lane.label,
                    "iri": lane.iri,
                    "count": len(lane.members),
                    "top": lane.top,
                    "bottom": lane.bottom,
                }
                for lane in lanes
            ]
            for mode, lanes in story.lanes.items()
        },
        "positions": {mode: {n: list(p) for n, p in placed.items()} for mode, placed in story.positions.items()},
        "undated": len(story.undated),
    }
