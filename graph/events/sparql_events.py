"""Coded-event aggregates in SPARQL, for stores without the columnar table (a server behind --endpoint).

Locally, `temperature`, `events` and `show` read the numpy table that sits
beside the imports (graph/events/temperature.py).  A server holds no such
table, so the same questions become SPARQL aggregates the server computes:
events counted per month and CAMEO code, a page of events ordered the way
the table orders them, counts per year and counterpart.  The answers are
shaped like the table's (day numbers and type indexes), so the code that
turns them into periods, means and top types is the one the local path
uses, and both paths give the same answers (tests/test_events_sparql.py
checks it on the same data).

The selection rule is the table's: an actor is on a side when it is one of
the side's members (the state and the curated entities tied to it) or a
coded actor whose bl:belongsToState is one of them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from bilateral.graph.events.cameo import cameo
from bilateral.graph.namespaces import BL, RDFS, SKOS, XSD

__all__ = ["activity_rows", "counts_by_month", "event_page"]

_EPOCH = _dt.date(1970, 1, 1)


def _iri(text: str) -> str:
    """An IRI as SPARQL text, refused when it could break out of <...>."""
    import pyoxigraph as ox

    return str(ox.NamedNode(text))  # validates: no spaces, quotes or angle brackets


def _side(var: str, members: Iterable[str]) -> str:
    """A sub-select binding ?var to every actor on one side (members, or coded actors of a member state)."""
    values = " ".join(sorted({_iri(m) for m in members}))
    return (
        f"{{ SELECT DISTINCT ?{var} WHERE {{ {{ VALUES ?{var} {{ {values} }} }} UNION "
        f"{{ VALUES ?{var}_state {{ {values} }} ?{var} <{BL}belongsToState> ?{var}_state }} }} }}"
    )


def _range(start_day: int | None, end_day: int | None, var: str = "d") -> str:
    tests = []
    if start_day is not None:
        tests.append(f'?{var} >= "{(_EPOCH + _dt.timedelta(days=start_day)).isoformat()}"^^<{XSD}date>')
    if end_day is not None:
        tests.append(f'?{var} <= "{(_EPOCH + _dt.timedelta(days=end_day)).isoformat()}"^^<{XSD}date>')
    return f"FILTER({' && '.join(tests)})" if tests else ""


def _pairs(side_a: set[str] | None, side_b: set[str] | None, direction: str) -> str:
    """The pattern tying ?e's agent and target to the two sides in the given direction."""
    if side_a is None:
        return f"?e <{BL}agent> ?agent ; <{BL}target> ?target ."
    edge = f"?e <{BL}agent> ?agent ; <{BL}target> ?target ."
    forward = f"{_side('agent', side_a)} {_side('target', side_b or set())} {edge}"
    backward = f"{_side('agent', side_b or set())} {_side('target', side_a)} {edge}"
    if direction == "A-B":
        return forward
    if direction == "B-A":
        return backward
    return f"{{ {forward} }} UNION {{ {backward} }}"


def counts_by_month(
    select, side_a: set[str], side_b: set[str], direction: str, start_day: int | None, end_day: int | None
):
    """(days, type indexes) arrays, one entry per event, from a per-month-and-code COUNT on the server.

    `select(sparql)` runs a SELECT and returns rows of strings.  Each event's
    day is the first of its month: periods of a month or longer come out the
    same as from the exact days.
    """
    import numpy as np

    sparql = f"""SELECT ?month ?code (COUNT(?e) AS ?n) WHERE {{
  {_pairs(side_a, side_b, direction)}
  ?e a <{BL}CodedEvent> ; <{BL}startDate> ?d ; <{BL}cameoType> ?t .
  ?t <{SKOS}notation> ?code .
  {_range(start_day, end_day)}
  BIND(SUBSTR(STR(?d), 1, 7) AS ?month)
}} GROUP BY ?month ?code"""
    codes = cameo()
    days, kinds, counts = [], [], []
    for row in select(sparql):
        index = codes.index(row["code"] or "", by_code=True)
        if index is None or not row["month"]:
            continue
        year, month = int(row["month"][:4]), int(row["month"][5:7])
        days.append((_dt.date(year, month, 1) - _EPOCH).days)
        kinds.append(index)
        counts.append(int(row["n"]))
    repeat = np.array(counts, dtype=np.int64)
    return (
        np.repeat(np.array(days, dtype=np.int32), repeat),
        np.repeat(np.array(kinds, dtype=np.int16), repeat),
    )


_ROW = r"^(.*):([0-9]+)$"
_NUMBERS = r"^.*-([0-9]+)-([0-9]+)$"


def event_page(
    select,
    side_a: set[str] | None,
    side_b: set[str] | None,
    start_day: int | None,
    end_day: int | None,
    code: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict]]:
    """(total, rows) of coded events in the table's order: day, import, file, line."""
    pattern = f"""{_pairs(side_a, side_b, "both")}
  GRAPH ?g {{ ?e a <{BL}CodedEvent> ; <{BL}startDate> ?d ; <{BL}cameoType> ?t ; <{BL}sourceRow> ?row . }}
  ?t <{SKOS}notation> ?code .
  {_range(start_day, end_day)}
  {f'FILTER(STR(?code) = "{_code_literal(code)}")' if code is not None else ""}"""
    total_rows = list(select(f"SELECT (COUNT(?e) AS ?n) WHERE {{ {pattern} }}"))
    total = int(total_rows[0]["n"]) if total_rows and total_rows[0]["n"] else 0
    sparql = f"""SELECT ?e ?g ?d ?agent ?target ?code ?row ?agentLabel ?targetLabel WHERE {{
  {pattern}
  BIND(xsd:integer(REPLACE(STR(?e), "{_NUMBERS}", "$1")) AS ?fileno)
  BIND(xsd:integer(REPLACE(STR(?e), "{_NUMBERS}", "$2")) AS ?line)
  OPTIONAL {{ GRAPH ?g {{ ?agent <{RDFS}label> ?agentLabel }} }}
  OPTIONAL {{ GRAPH ?g {{ ?target <{RDFS}label> ?targetLabel }} }}
}} ORDER BY ?d ?g ?fileno ?line LIMIT {int(limit)} OFFSET {int(offset)}"""
    return total, list(select(sparql.replace("xsd:integer", f"<{XSD}integer>")))


def _code_literal(code: str) -> str:
    """A CAMEO code checked to be digits only (it goes into the query text)."""
    if not code.isdigit() or len(code) > 4:
        from bilateral.graph.errors import BadInput

        raise BadInput(f"unknown CAMEO code {code!r} (codes are strings: '010' is not '10')")
    return code


def split_source_row(row: str) -> tuple[str, int]:
    """("file.tsv", 12) from a bl:sourceRow "file.tsv:12"."""
    import re

    match = re.match(_ROW, row or "")
    return (match.group(1), int(match.group(2))) if match else (row, 0)


def activity_rows(select, members: set[str], start_day: int | None = None, end_day: int | None = None) -> list[dict]:
    """Per year and counterpart: events in which one of `members` took part (as agent or target).

    Rows {year, other, other_state, as_agent, events, goldstein_tenths}: the
    counterpart is the other actor, with the state it belongs to when it is a
    coded actor of one (a curated organisation stays itself, as in the table).  Events between two members (a state's ministry and
    its government) are left out: they have no counterpart.
    """
    codes = cameo()
    side = _side("self", members)
    rows: list[dict] = []
    for role, mine, theirs in (("agent", "agent", "target"), ("target", "target", "agent")):
        sparql = f"""SELECT ?year ?other ?state ?code (COUNT(?e) AS ?n) WHERE {{
  {side}
  ?e <{BL}{mine}> ?self ; <{BL}{theirs}> ?other ; a <{BL}CodedEvent> ; <{BL}startDate> ?d ; <{BL}cameoType> ?t .
  ?t <{SKOS}notation> ?code .
  {_range(start_day, end_day)}
  OPTIONAL {{ ?other a <{BL}CodedActor> ; <{BL}belongsToState> ?state }}
  BIND(SUBSTR(STR(?d), 1, 4) AS ?year)
}} GROUP BY ?year ?other ?state ?code"""
        for row in select(sparql):
            index = codes.index(row["code"] or "", by_code=True)
            if index is None or row["other"] in members or row["state"] in members:
                continue
            rows.append(
                {
                    "year": int(row["year"]),
                    "other": row["other"],
                    "other_state": row["state"],
                    "as_agent": role == "agent",
                    "events": int(row["n"]),
                    "goldstein_tenths": round(codes.types[index].goldstein * 10) * int(row["n"]),
                }
            )
    return rows
