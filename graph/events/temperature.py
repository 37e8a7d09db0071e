"""The temperature of a relationship: coded events between two states, per period.

An actor belongs to a state when it is the state, a coded sector of it
(`Government (Japan)` -> bl:belongsToState), or a curated entity tied to it in
the graph: bl:belongsToState, bl:affiliation, an office held (bl:holdsOffice)
whose bl:officeOf or bl:belongsToState is the state (or an organisation of it),
or bl:partOf an organisation of the state.  Aggregates run over the columnar
table of the imports (numpy), never over the RDF.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bilateral.graph.errors import BadInput
from bilateral.graph.events.cameo import QUAD_CLASSES, cameo, cameo_iri
from bilateral.graph.namespaces import BL, RDFS

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = [
    "PERIODS", "EventTable", "actor_label", "curated_members", "list_events", "load_table", "resolve_actor",
    "side_mask", "side_of", "temperature",
]  # fmt: skip

PERIODS = ("month", "quarter", "year")
_EPOCH = _dt.date(1970, 1, 1)

_MEMBERS = f"""
SELECT DISTINCT ?a WHERE {{
  {{ ?a <{BL}belongsToState> $state }} UNION {{ ?a <{BL}affiliation> $state }}
  UNION {{ ?a <{BL}holdsOffice> ?o . ?o <{BL}officeOf> $state }}
  UNION {{ ?a <{BL}holdsOffice> ?o . ?o <{BL}belongsToState> $state }}
  UNION {{ ?a <{BL}holdsOffice> ?o . ?o <{BL}officeOf> ?b . ?b <{BL}belongsToState> $state }}
  UNION {{ ?a <{BL}partOf> ?b . ?b <{BL}belongsToState> $state }}
}}"""


def curated_members(store: Store, state: str) -> set[str]:
    """The curated entities tied to `state` (see the module docstring), the state excluded."""
    from bilateral.graph.storage.query import select_rows

    return {row["a"] for row in select_rows(store, _MEMBERS, state=state) if row["a"]}


@dataclass
class EventTable:
    """Every import's columns, concatenated; actors as parallel lists."""

    columns: dict
    actor_iri: list[str]
    actor_label: list[str]
    actor_state: list[str | None]
    imports: list[str]
    files: list[list[str]]


def load_table(data_dir: Path) -> EventTable:
    """Read the columnar tables of every import (memory-mapped .npy files: a few ms per million events)."""
    import numpy as np

    from bilateral.graph.events.imports import events_home, read_catalogue

    home = events_home(data_dir)
    parts: dict[str, list] = {k: [] for k in ("day", "cameo", "agent", "target", "file", "line", "import")}
    iris: list[str] = []
    labels: list[str] = []
    states: list[str | None] = []
    names, files = [], []
    for n, entry in enumerate(sorted(read_catalogue(home)["imports"].values(), key=lambda e: e["name"])):
        directory = home / "imports" / entry["dir"]
        data = {k: np.load(directory / "columns" / f"{k}.npy", mmap_mode="r")
                for k in ("day", "cameo", "fileno", "line", "agent", "target")}  # fmt: skip
        for key in ("day", "cameo", "file", "line"):
            parts[key].append(data["fileno" if key == "file" else key])
        parts["agent"].append(data["agent"] + len(iris))
        parts["target"].append(data["target"] + len(iris))
        parts["import"].append(np.full(len(data["day"]), n, dtype=np.int16))
        for iri, label, state, _ in json.loads((directory / "actors.json").read_text("utf-8")):
            iris.append(iri)
            labels.append(label)
            states.append(state)
        names.append(entry["name"])
        files.append(entry["files"])
    dtypes = {"day": np.int32, "cameo": np.int16, "agent": np.int32, "target": np.int32, "file": np.int16}
    columns = {
        k: (np.concatenate(v) if v else np.zeros(0, dtype=dtypes.get(k, np.int64 if k == "line" else np.int16)))
        for k, v in parts.items()
    }
    return EventTable(columns, iris, labels, states, names, files)


def side_of(store: Store, actor: str) -> set[str]:
    """The actor and the curated entities tied to it: one side of a temperature, or the actor of a card."""
    return curated_members(store, actor) | {actor}


def side_mask(table: EventTable, members: set[str]):
    """A boolean per table actor: one of `members`, or a coded actor of a member state."""
    import numpy as np

    return np.fromiter(
        (iri in members or (s is not None and s in members) for iri, s in zip(table.actor_iri, table.actor_state)),
        dtype=bool,
        count=len(table.actor_iri),
    )


def _days(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    from bilateral.graph.dates import parse_user_date, period_end

    lower = (parse_user_date(start)[0] - _EPOCH).days if start else None
    upper = (period_end(*parse_user_date(end)) - _EPOCH).days if end else None
    if lower is not None and upper is not None and lower > upper:
        raise BadInput(f"--from {start} is after --to {end}")
    return lower, upper


def _selection(store: Store, table: EventTable, a: str, b: str, direction: str, start, end):
    """A boolean mask over the table's rows: events between a and b in the given direction and range."""
    _check_direction(direction)
    in_a, in_b = side_mask(table, side_of(store, a)), side_mask(table, side_of(store, b))
    agent, target = table.columns["agent"], table.columns["target"]
    forward = in_a[agent] & in_b[target]
    backward = in_b[agent] & in_a[target]
    mask = forward if direction == "A-B" else backward if direction == "B-A" else forward | backward
    lower, upper = _days(start, end)
    day = table.columns["day"]
    if lower is not None:
        mask &= day >= lower
    if upper is not None:
        mask &= day <= upper
    return mask


def _check_direction(direction: str) -> None:
    if direction not in ("both", "A-B", "B-A"):
        raise BadInput(f"--direction must be both, A-B or B-A, not {direction!r}")


def period_of(day: int, by: str) -> str:
    """The period label of a day: 2019-07, 2019-Q3 or 2019."""
    date = _EPOCH + _dt.timedelta(days=int(day))
    if by == "month":
        return f"{date.year}-{date.month:02d}"
    if by == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    return str(date.year)


def _period_index(days, by: str):
    import numpy as np

    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months if by == "month" else months // 3 if by == "quarter" else months // 12


def _period_label(index: int, by: str) -> tuple[str, str, str]:
    """(label, first day, last day) of a period index."""
    months = index * {"month": 1, "quarter": 3, "year": 12}[by]
    span = {"month": 1, "quarter": 3, "year": 12}[by]
    year, month = 1970 + months // 12, months % 12 + 1
    first = _dt.date(year, month, 1)
    after_months = months + span
    last = _dt.date(1970 + after_months // 12, after_months % 12 + 1, 1) - _dt.timedelta(days=1)
    label = {"month": f"{year}-{month:02d}", "quarter": f"{year}-Q{(month - 1) // 3 + 1}", "year": str(year)}[by]
    return label, first.isoformat(), last.isoformat()


def temperature(store: Store, a: str, b: str, *, direction="both", by="month", start=None, end=None, top=5) -> dict:
    """Per period: events, mean and sum of Goldstein, quad classes, top types, curated events (JSON shape)."""
    import numpy as np

    if by not in PERIODS:
        raise BadInput(f"--by must be month, quarter or year, not {by!r}")
    days, codes = _selected_events(store, a, b, direction, start, end)
    periods = _period_index(days, by)
    types = cameo().types
    tenths = np.array([round(t.goldstein * 10) for t in types], dtype=np.int64)
    quads = np.array([t.quad for t in types], dtype=np.int64)
    curated = _curated_events(store, a, b, start, end, by)
    indexes = set(np.unique(periods).tolist()) | set(curated)
    rows = []
    if indexes:
        for index in range(min(indexes), max(indexes) + 1):
            rows.append(_period_row(index, by, periods, codes, tenths, quads, types, curated.get(index, []), top))
    return {"between": [a, b], "direction": direction, "by": by, "from": start, "to": end, "periods": rows}


def _selected_events(store: Store, a: str, b: str, direction: str, start, end):
    """(days, CAMEO type indexes) of the events between a and b: from the table, or a server's aggregate."""
    if is_remote(store):
        from bilateral.graph.events.sparql_events import counts_by_month

        _check_direction(direction)
        lower, upper = _days(start, end)
        sides = (side_of(store, a), side_of(store, b))
        return counts_by_month(coded_select(store), *sides, direction, lower, upper)
    table = load_table(store.data_dir)
    mask = _selection(store, table, a, b, direction, start, end)
    return table.columns["day"][mask], table.columns["cameo"][mask]


def is_remote(store: Store) -> bool:
    """Whether the store is a server's (--endpoint): no columnar table, aggregates run as SPARQL there."""
    from bilateral.graph.storage.protocol import CodedEventsSource

    return isinstance(store, CodedEventsSource)


def coded_select(store: Store):
    """select(sparql) -> rows of strings, over a server's curated graphs plus its published imports."""
    from bilateral.graph.storage.protocol import CodedEventsSource
    from bilateral.graph.storage.query import select_rows

    if not isinstance(store, CodedEventsSource):  # callers ask is_remote first
        raise TypeError("coded events are read through SPARQL only from a server's store")
    view = store.with_coded_events()
    return lambda sparql: select_rows(view, sparql)


def _period_row(index, by, periods, codes, tenths, quads, types, curated, top) -> dict:
    import numpy as np

    label, first, last = _period_label(index, by)
    here = codes[periods == index]
    n = len(here)
    total = int(tenths[here].sum()) if n else 0
    quad_counts = np.bincount(quads[here], minlength=4) if n else np.zeros(4, dtype=np.int64)
    kinds, counts = np.unique(here, return_counts=True) if n else (np.zeros(0), np.zeros(0))
    order = sorted(zip(counts.tolist(), kinds.tolist()), key=lambda ck: (-ck[0], types[ck[1]].code))[:top]
    return {
        "period": label,
        "start": first,
        "end": last,
        "events": n,
        "goldstein_sum": total / 10,
        "goldstein_mean": round(total / 10 / n, 3) if n else None,
        "quad_classes": {name: int(quad_counts[i]) for i, name in enumerate(QUAD_CLASSES)},
        "top_types": [
            {"code": types[k].code, "name": types[k].name, "count": int(c), "iri": cameo_iri(types[k].code)}
            for c, k in order
        ],
        "curated_events": curated,
    }


def _curated_events(store: Store, a: str, b: str, start, end, by) -> dict[int, list[dict]]:
    """Curated events with a participant belonging to either state, by period index."""
    import numpy as np

    from bilateral.graph.explore.timelines import timeline

    members = curated_members(store, a) | curated_members(store, b) | {a, b}
    found: dict[int, list[dict]] = {}
    for event in timeline(store, start=start, end=end):
        if not any(p["iri"] in members for p in event.get("participants", [])):
            continue
        day = (_dt.date.fromisoformat(event["start_date"]) - _EPOCH).days
        index = int(_period_index(np.array([day]), by)[0])
        found.setdefault(index, []).append({"iri": event["iri"], "label": event["label"], "date": event["date"]})
    return found


def list_events(store: Store, *, between=None, start=None, end=None, code=None, limit=50, offset=0) -> dict:
    """Coded events in date order, paged, each with its provenance (import, file, line)."""
    import numpy as np

    if is_remote(store):
        return _remote_events(store, between, start, end, code, limit, offset)
    table = load_table(store.data_dir)
    types = cameo().types
    if between:
        mask = _selection(store, table, between[0], between[1], "both", start, end)
    else:
        lower, upper = _days(start, end)
        mask = np.ones(len(table.columns["day"]), dtype=bool)
        if lower is not None:
            mask &= table.columns["day"] >= lower
        if upper is not None:
            mask &= table.columns["day"] <= upper
    if code is not None:
        index = cameo().index(code, by_code=True)
        if index is None:
            raise BadInput(f"unknown CAMEO code {code!r} (codes are strings: '010' is not '10')")
        mask &= table.columns["cameo"] == index
    c = table.columns
    chosen = np.flatnonzero(mask)
    order = np.lexsort((c["line"][chosen], c["file"][chosen], c["import"][chosen], c["day"][chosen]))
    page = chosen[order][offset : offset + limit]
    events = []
    for i in page.tolist():
        kind = types[int(c["cameo"][i])]
        name = table.imports[int(c["import"][i])]
        file = table.files[int(c["import"][i])][int(c["file"][i])]
        agent, target = int(c["agent"][i]), int(c["target"][i])
        events.append(
            {
                "iri": f"{BL.replace('ontology#', 'id/')}coded-{name}-{int(c['file'][i])}-{int(c['line'][i])}",
                "date": (_EPOCH + _dt.timedelta(days=int(c["day"][i]))).isoformat(),
                "agent": {"iri": table.actor_iri[agent], "label": table.actor_label[agent]},
                "target": {"iri": table.actor_iri[target], "label": table.actor_label[target]},
                "type": {"code": kind.code, "name": kind.name, "goldstein": kind.goldstein,
                         "quad_class": QUAD_CLASSES[kind.quad]},
                "provenance": {"import": name, "file": file, "line": int(c["line"][i])},
            }
        )  # fmt: skip
    return {"total": len(chosen), "offset": offset, "limit": limit, "events": events}


def _coded_type(code: str | None):
    """The CAMEO type of a code given by the user, or BadInput."""
    index = cameo().index(code or "", by_code=True)
    if index is None:
        raise BadInput(f"unknown CAMEO code {code!r} (codes are strings: '010' is not '10')")
    return cameo().types[index]


def _remote_events(store: Store, between, start, end, code, limit, offset) -> dict:
    """list_events on a server: one COUNT and one ordered page, shaped like the local answer."""
    from bilateral.graph.events.imports import import_graph_iri
    from bilateral.graph.events.sparql_events import event_page, split_source_row
    from bilateral.graph.labels import label_index

    if code is not None:
        _coded_type(code)
    lower, upper = _days(start, end)
    side_a = side_of(store, between[0]) if between else None
    side_b = side_of(store, between[1]) if between else None
    total, rows = event_page(coded_select(store), side_a, side_b, lower, upper, code, limit, offset)
    index = label_index(store)
    prefix = import_graph_iri("")

    def actor(iri: str, coded_label: str | None) -> dict:
        return {"iri": iri, "label": index.label(iri) if iri in index.labels else coded_label or iri}

    events = []
    for row in rows:
        kind = _coded_type(row["code"])
        file, line = split_source_row(row["row"] or "")
        events.append(
            {
                "iri": row["e"],
                "date": row["d"],
                "agent": actor(row["agent"], row["agentLabel"]),
                "target": actor(row["target"], row["targetLabel"]),
                "type": {"code": kind.code, "name": kind.name, "goldstein": kind.goldstein,
                         "quad_class": QUAD_CLASSES[kind.quad]},
                "provenance": {"import": (row["g"] or "").removeprefix(prefix), "file": file, "line": line},
            }
        )  # fmt: skip
    return {"total": total, "offset": offset, "limit": limit, "events": events}


def resolve_actor(store: Store, text: str) -> str:
    """An actor for --between: a curated entity (the CLI's resolver), else a coded actor of an import by name."""
    from bilateral.graph.errors import NotFound
    from bilateral.graph.explore.resolution import resolve
    from bilateral.graph.labels import normalise

    try:
        return resolve(store, text)
    except NotFound:
        wanted = normalise(text)
        if is_remote(store):
            found = _remote_coded_actor(store, text)
            if found:
                return found
            raise
        table = load_table(store.data_dir)
        for iri, label in zip(table.actor_iri, table.actor_label):
            if normalise(label) == wanted:
                return iri
        raise


def actor_label(store: Store, iri: str) -> str:
    """The label of an actor of --between: a curated entity's label, else the coded actor's, else its IRI."""
    from bilateral.graph.labels import label_index

    index = label_index(store)
    if iri in index.labels:
        return index.label(iri)
    if is_remote(store):
        rows = coded_select(store)(f"SELECT ?l WHERE {{ <{iri}> <{RDFS}label> ?l }} LIMIT 1")
        return rows[0]["l"] if rows and rows[0]["l"] else iri
    table = load_table(store.data_dir)
    return table.actor_label[table.actor_iri.index(iri)] if iri in table.actor_iri else iri


def _remote_coded_actor(store: Store, text: str) -> str | None:
    """A coded actor of a server's imports whose label is `text` (case aside), or None."""
    literal = json.dumps(text.lower())  # a JSON string is a valid SPARQL string literal
    rows = coded_select(store)(
        f"SELECT ?a WHERE {{ ?a a <{BL}CodedActor> ; <{RDFS}label> ?l . FILTER(LCASE(STR(?l)) = {literal}) }} LIMIT 1"
    )
    return rows[0]["a"] if rows and rows[0]["a"] else None
