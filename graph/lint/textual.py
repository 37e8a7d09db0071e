"""Checks against the documents' texts: dates, bounds, quotes and figures each found in their own document.

A claim sits in the named graph of the document that makes it, so the
document's text is where its date, its quoted words and its figures must be
found.  Each check reads only that graph's claims and that document's text.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from pathlib import Path

from bilateral.graph.dates import period_end
from bilateral.graph.lint.model import Finding, LintData, Quad
from bilateral.graph.lint.texts import (
    Document,
    document_number,
    figure_appears,
    month_appears,
    quote_appears,
    relative_periods,
    season_covers,
    year_appears,
)
from bilateral.graph.namespaces import BL, DCTERMS, ID, curie

__all__ = ["document_of", "text_findings"]

_DATED = (BL + "startDate", BL + "endDate")
_BOUNDS = (BL + "notBefore", BL + "notAfter")


def document_of(data: LintData, graph: str, texts: dict[str, Document]) -> Document | None:
    """The text of a source graph: by the NNN of its IRI, else of its data files, else by a data file's stem."""
    keys = []
    if graph.startswith(ID):
        keys.append(document_number(graph[len(ID) :]))
    files = sorted(
        {q.path for subjects in data.by_graph.get(graph, {}).values() for qs in subjects.values() for q in qs}
    )
    keys += [document_number(Path(f).stem) for f in files]
    keys += [Path(f).stem for f in files]
    for key in keys:
        if key and key in texts:
            return texts[key]
    return None


def text_findings(data: LintData, texts: dict[str, Document]) -> Iterator[Finding]:
    """Every finding of the text checks, graph by graph."""
    for graph in data.source_graphs():
        doc = document_of(data, graph, texts)
        if doc is None:
            file, line = data.where_subject(graph, graph)
            yield Finding(file, line, "no-text", f"no text for {curie(graph)} among the texts given", graph)
            continue
        yield from _dates(data, graph, doc)
        yield from _bounds(data, graph, doc)
        yield from _quotes(data, graph, doc)
        yield from _figures(data, graph, doc)


def _quads(data: LintData, graph: str, predicates: tuple[str, ...]) -> list[Quad]:
    subjects = data.by_graph.get(graph, {})
    return sorted(
        (q for s in subjects.values() for p in predicates for q in s.get(p, [])),
        key=lambda q: (q.s, q.p, q.value),
    )


def _finding(data: LintData, q: Quad, check: str, message: str) -> Finding:
    file, line = data.where(q)
    return Finding(file, line, check, f"{curie(q.s)} ({data.label(q.s)}): {message}", q.s)


def _as_date(q: Quad) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(q.value)
    except ValueError:
        return None  # a malformed date is the shapes' finding, not lint's


def _issued(data: LintData, graph: str) -> _dt.date | None:
    for value in data.values(graph, DCTERMS + "issued", graph):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            continue
    return None


def _dates(data: LintData, graph: str, doc: Document) -> Iterator[Finding]:
    """A date's year, and for month or day precision its month, appear in the text (or relative to its date)."""
    years, months = relative_periods(doc, _issued(data, graph))
    for q in _quads(data, graph, _DATED):
        day = _as_date(q)
        if day is None:
            continue
        precision = (data.values(q.s, BL + "datePrecision", graph) or ["day"])[0]
        shown = day.isoformat()[: {"year": 4, "month": 7}.get(precision, 10)]
        if not year_appears(day.year, doc) and day.year not in years:
            yield _finding(
                data, q, "date-not-in-text", f"{curie(q.p)} {shown}: the year {day.year} is not in {doc.path.name}"
            )
        elif precision != "year" and not (month_appears(day.year, day.month, doc) or (day.year, day.month) in months):
            month = day.strftime("%B")
            yield _finding(
                data, q, "date-not-in-text", f"{curie(q.p)} {shown}: the month ({month}) is not in {doc.path.name}"
            )


def _anchors(data: LintData, graph: str) -> set[_dt.date]:
    """Dates a bound may rest on: every date given in the same graph (its first and last day, and the days around)."""
    found: set[_dt.date] = set()
    for q in _quads(data, graph, (*_DATED, DCTERMS + "issued")):
        day = _as_date(q)
        if day is None:
            continue
        precision = (data.values(q.s, BL + "datePrecision", graph) or ["day"])[0]
        last = period_end(day, precision)
        one = _dt.timedelta(days=1)
        found |= {day, day - one, last, last + one}
    return found


def _bounds(data: LintData, graph: str, doc: Document) -> Iterator[Finding]:
    """A bound rests on a date of the same graph ("after the summit"), or on a year, month or season in the text."""
    anchors = _anchors(data, graph)
    for q in _quads(data, graph, _BOUNDS):
        day = _as_date(q)
        if day is None or day in anchors:
            continue
        problem = _bound_problem(day, "start" if q.p == BL + "notBefore" else "end", doc)
        if problem:
            yield _finding(data, q, "bound-not-in-text", f"{curie(q.p)} {day.isoformat()}: {problem}")


def _bound_problem(day: _dt.date, edge: str, doc: Document) -> str | None:
    if not year_appears(day.year, doc):
        return f"the year {day.year} is not in {doc.path.name}, and no date of this graph gives the bound"
    whole_year = (day.month, day.day) == ((1, 1) if edge == "start" else (12, 31))
    if whole_year:
        return None
    month_edge = day.day == 1 if edge == "start" else day == period_end(day, "month")
    if month_appears(day.year, day.month, doc) or (month_edge and season_covers(day.month, edge, doc)):
        return None
    return (
        f"neither its month ({day.strftime('%B')}) nor a season that {'begins' if edge == 'start' else 'ends'} "
        f"then is in {doc.path.name}, and no date of this graph gives the bound"
    )


def _quotes(data: LintData, graph: str, doc: Document) -> Iterator[Finding]:
    for q in _quads(data, graph, (BL + "quote",)):
        if not quote_appears(q.value, doc):
            yield _finding(data, q, "quote-not-in-text", f"bl:quote {q.value!r} is not in {doc.path.name}")


def _figures(data: LintData, graph: str, doc: Document) -> Iterator[Finding]:
    for q in _quads(data, graph, (BL + "value",)):
        units = data.values(q.s, BL + "unit", graph) or data.values(q.s, BL + "unit")
        unit = units[0] if units else None
        if not figure_appears(q.value, unit, doc):
            shown = q.value + (f" {unit}" if unit else "")
            yield _finding(data, q, "figure-not-in-text", f"bl:value {shown} is not in {doc.path.name}")
