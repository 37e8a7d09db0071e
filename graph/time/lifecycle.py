"""The lifecycle of accords and measures: each status change, dated as each document dates it.

A status change (bl:StatusChange) names what changes (bl:statusOf), the
status it enters (bl:status) and, where there is one, the event that made
it (bl:setsStatus).  Each document that states it dates it in its own graph:
with the change's own date or bounds; else with the date, in that graph, of
the event that set it; else, for a first status (signed, imposed), with the
date of the accord or measure itself; else it is on record no later than the
document's own date.  The change's dating is what those datings allow
together (graph/dates.py: intersect).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from bilateral.graph.dates import Dating, intersect, period_end
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, DCTERMS

if TYPE_CHECKING:
    from collections.abc import Callable

    from bilateral.graph.storage.protocol import QuadReader, Store

_T = TypeVar("_T")

__all__ = ["FIRST_STATUSES", "StatusChange", "StatusClaim", "datings_by_graph", "source_datings", "status_changes"]

#: Statuses that begin a lifecycle: their date is the accord's or measure's own date when nothing else dates them.
FIRST_STATUSES = {BL + "Signed", BL + "Imposed"}

#: Statuses under which a measure is still in force.
IN_FORCE = {BL + "Imposed", BL + "Tightened", BL + "Eased", BL + "LiftingAnnounced"}

_CLAIMS = f"""
SELECT ?sc ?g ?of ?status WHERE {{
  GRAPH ?g {{ ?sc <{BL}statusOf> ?of ; <{BL}status> ?status }}
}}"""

_SETTERS = f"""
SELECT ?e ?sc ?g WHERE {{ GRAPH ?g {{ ?e <{BL}setsStatus> ?sc }} }}"""

_DATES = f"""
SELECT ?x ?g ?p ?o WHERE {{
  GRAPH ?g {{ ?x ?p ?o }}
  VALUES ?p {{ <{BL}startDate> <{BL}datePrecision> <{BL}notBefore> <{BL}notAfter> }}
}}"""

_SOURCES = f"""
SELECT ?g ?d ?p WHERE {{
  ?g a <{BL}Source> ; <{DCTERMS}issued> ?d .
  OPTIONAL {{ ?g <{BL}datePrecision> ?p }}
}}"""

_PARTS = {
    BL + "startDate": "start",
    BL + "datePrecision": "precision",
    BL + "notBefore": "not_before",
    BL + "notAfter": "not_after",
}


@dataclass
class StatusClaim:
    """One document's statement of a status change, with its dating and where that dating came from."""

    source: str
    dating: Dating
    dated_by: str  # "change" | "event" | "subject" | "document" | "none"


@dataclass
class StatusChange:
    """A change of status of one accord or measure, as the documents state it."""

    iri: str
    subject: str
    status: str
    events: list[str] = field(default_factory=list)
    claims: list[StatusClaim] = field(default_factory=list)

    @property
    def dating(self) -> Dating:
        """What its documents' datings allow together (graph/dates.py: intersect)."""
        return intersect([c.dating for c in self.claims])

    @property
    def sources(self) -> list[str]:
        """The graphs of the documents that state it."""
        return sorted({c.source for c in self.claims})


def _kept_in_memory(store: QuadReader, name: str, read: Callable[[QuadReader], _T]) -> _T:
    """`read(store)` once per opened store (`Store.remembered`: memory only, never a stale file).

    A reader that is no opened store (the build's) reads every time.
    Callers hand out copies, so no caller can change what the next one gets.
    """
    from bilateral.graph.storage.protocol import Store

    if isinstance(store, Store):
        return store.remembered(name, lambda: read(store))
    return read(store)


def datings_by_graph(store: QuadReader) -> dict[tuple[str, str], Dating]:
    """Every (thing, graph) that carries a date or bound in that graph, with its dating there.

    Kept in memory per opened store like `status_changes` (a page asks three times).
    """
    return dict(_kept_in_memory(store, "datings-by-graph", _datings_by_graph))


def _datings_by_graph(store: QuadReader) -> dict[tuple[str, str], Dating]:
    parts: dict[tuple[str, str], dict[str, str]] = {}
    for row in store.ox.query(_DATES, use_default_graph_as_union=True):
        key = (row["x"].value, row["g"].value)
        parts.setdefault(key, {}).setdefault(_PARTS[row["p"].value], row["o"].value)
    return {key: Dating.of(**value) for key, value in parts.items()}


def source_datings(store: QuadReader) -> dict[str, Dating]:
    """Each source's own date (dcterms:issued at its bl:datePrecision)."""
    found: dict[str, Dating] = {}
    for row in store.ox.query(_SOURCES, use_default_graph_as_union=True):
        precision = row["p"].value if row["p"] is not None else "day"
        found.setdefault(row["g"].value, Dating.of(row["d"].value, precision))
    return found


def _claim_dating(
    change: StatusChange,
    graph: str,
    setters: set[str],
    dated: dict[tuple[str, str], Dating],
    sources: dict[str, Dating],
) -> StatusClaim:
    """How one document dates one change (the module docstring's order of fallbacks)."""
    own = dated.get((change.iri, graph))
    if own and own.known:
        return StatusClaim(graph, own, "change")
    for event in sorted(setters):
        found = dated.get((event, graph))
        if found and found.known:
            return StatusClaim(graph, found, "event")
    if change.status in FIRST_STATUSES:
        found = dated.get((change.subject, graph))
        if found and found.known:
            return StatusClaim(graph, found, "subject")
    document = sources.get(graph)
    if document and document.known:
        return StatusClaim(graph, Dating(not_after=document.latest), "document")
    return StatusClaim(graph, Dating(), "none")


def status_changes(store: QuadReader) -> list[StatusChange]:
    """Every status change in the store with its claims, in a fixed order (by IRI).

    A few small queries, read once per opened store and kept in memory (not
    on disk, so a change to this code never meets a stale cache): a page
    asks for it once per card.
    """
    return list(_kept_in_memory(store, "status-changes", _read))


def _read(store: QuadReader) -> list[StatusChange]:
    changes: dict[str, StatusChange] = {}
    graphs: dict[str, set[str]] = {}
    for row in store.ox.query(_CLAIMS, use_default_graph_as_union=True):
        iri = row["sc"].value
        changes.setdefault(iri, StatusChange(iri, row["of"].value, row["status"].value))
        graphs.setdefault(iri, set()).add(row["g"].value)
    setters: dict[tuple[str, str], set[str]] = {}
    for row in store.ox.query(_SETTERS, use_default_graph_as_union=True):
        iri = row["sc"].value
        if iri in changes:
            setters.setdefault((iri, row["g"].value), set()).add(row["e"].value)
            if row["e"].value not in changes[iri].events:
                changes[iri].events.append(row["e"].value)
    dated = datings_by_graph(store)
    sources = source_datings(store)
    for iri, change in changes.items():
        change.events.sort()
        for graph in sorted(graphs[iri]):
            change.claims.append(_claim_dating(change, graph, setters.get((iri, graph), set()), dated, sources))
    return [changes[i] for i in sorted(changes)]


def history(
    changes: list[StatusChange], answers: dict[str, set[str]], label_of: Callable[[str], str]
) -> list[StatusChange]:
    """One subject's status changes in the ordering rule's order (graph/ordering.py).

    A change whose event answers the event of another comes after it;
    `answers` maps an event to what it answers (bl:respondsTo and its
    sub-properties); ties go by the label of the status.
    """
    from bilateral.graph.ordering import in_order

    by_iri = {c.iri: c for c in changes}
    answered: dict[str, set[str]] = {c.iri: set() for c in changes}
    for later in changes:
        for earlier in changes:
            if any(b in answers.get(a, ()) for a in later.events for b in earlier.events):
                answered[later.iri].add(earlier.iri)
    order = in_order(by_iri, lambda i: by_iri[i].dating.sort_start, lambda i: label_of(by_iri[i].status), answered)
    return [by_iri[i] for i in order]


def status_label(store: Store, status: str) -> str:
    """A status's English label ("termination notified")."""
    return label_index(store).label(status)


def on_or_before(dating: Dating, day: _dt.date) -> bool:
    """Whether a dated thing is on record by `day`: its period starts on or before it."""
    start = dating.sort_start
    return start is not None and start <= day


def certainly_by(dating: Dating, day: _dt.date) -> bool:
    """Whether it had certainly happened by `day`: its whole period lies on or before it."""
    latest = dating.latest
    return latest is not None and latest <= day


def document_day(dating: Dating) -> _dt.date | None:
    """The last day of a document's own date, the day by which what it states is on record."""
    if dating.start:
        return period_end(dating.start, dating.precision or "day")
    return dating.latest
