"""`bilateral asof DATE`: the state of affairs on a date, according to the sources.

For one day: each accord and measure with the status it had (the last status
change on record by then, in the ordering rule's order), the event that set
it and the sources; who held which office as the documents attest it (the
first and last dates a document places a person in the office: attested,
not a term of office); per issue, the latest events and the positions on
record by then; and the proposals made and not yet acted on.

"On record by a day" means the thing's period starts on or before that day;
when its period runs past the day (a change known only to the month), the
answer says so (`certain: false` and the span of days).  A thing the
documents do not date is on record from its document's own date.  JSON shape
in README ("asof").
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating, best_dating, parse_user_date, period_end
from bilateral.graph.errors import Problem
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, RDF
from bilateral.graph.ordering import in_order
from bilateral.graph.time.lifecycle import (
    IN_FORCE,
    StatusChange,
    certainly_by,
    datings_by_graph,
    document_day,
    history,
    on_or_before,
    source_datings,
    status_changes,
)

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["LATEST_EVENTS", "NothingOnRecord", "asof"]

#: How many of the latest events each issue lists.
LATEST_EVENTS = 3

_SUBJECT_GRAPHS = "SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x ?p ?o } }"
_OF_CLASS = "SELECT DISTINCT ?x WHERE {{ ?x <{rdf}type> <{cls}> }}"
_LINKS = f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{BL}respondsTo> ?b }}"
_PAIRS = "SELECT DISTINCT ?a ?b ?g WHERE {{ GRAPH ?g {{ ?a <{p}> ?b }} }}"
_UNION_PAIRS = "SELECT DISTINCT ?a ?b WHERE {{ ?a <{p}> ?b }}"


class NothingOnRecord(Problem):
    """The date lies before anything the sources record: an empty answer, exit 1."""

    answer: dict = {}  # replaced on each instance before it is raised


class _Facts:
    """What asof reads from the store, once: datings, graphs, links, classes."""

    def __init__(self, store: Store):
        self.store = store
        self.index = label_index(store)
        self.sources = source_datings(store)
        by_graph = datings_by_graph(store)
        per_thing: dict[str, list[Dating]] = {}
        for (thing, _graph), dating in by_graph.items():
            per_thing.setdefault(thing, []).append(dating)
        self.dating = {thing: best_dating(ds) for thing, ds in per_thing.items()}
        self.graphs: dict[str, set[str]] = {}
        for row in store.ox.query(_SUBJECT_GRAPHS, use_default_graph_as_union=True):
            if row["g"].value in self.sources:
                self.graphs.setdefault(row["x"].value, set()).add(row["g"].value)
        self.answers: dict[str, set[str]] = {}
        for row in store.ox.query(_LINKS, use_default_graph_as_union=True):
            self.answers.setdefault(row["a"].value, set()).add(row["b"].value)

    def of_class(self, name: str) -> list[str]:
        query = _OF_CLASS.format(rdf=RDF, cls=BL + name)
        return sorted({r["x"].value for r in self.store.ox.query(query, use_default_graph_as_union=True)})

    def pairs(self, predicate: str, graphs: bool = True) -> list[tuple]:
        if graphs:
            query = _PAIRS.format(p=predicate)
            rows = self.store.ox.query(query, use_default_graph_as_union=True)
            return sorted({(r["a"].value, r["b"].value, r["g"].value) for r in rows})
        rows = self.store.ox.query(_UNION_PAIRS.format(p=predicate), use_default_graph_as_union=True)
        return sorted({(r["a"].value, r["b"].value) for r in rows})

    def on_record(self, thing: str) -> Dating:
        """Its own dating, or else the earliest of its documents' dates (as an upper bound)."""
        own = self.dating.get(thing)
        if own and own.known:
            return own
        found = [document_day(self.sources[g]) for g in self.graphs.get(thing, ()) if g in self.sources]
        days = [d for d in found if d]
        return Dating(not_after=min(days)) if days else Dating()

    def holders_of(self, position: str) -> list[str]:
        if not hasattr(self, "_holders"):
            self._holders: dict[str, set[str]] = {}
            for p, h in self.pairs(BL + "holder", graphs=False):
                self._holders.setdefault(p, set()).add(h)
        return sorted(self._holders.get(position, ()))

    def ref(self, iri: str) -> dict:
        return {"iri": iri, "label": self.index.label(iri)}

    def source_labels(self, thing: str) -> list[str]:
        return [self.index.label(g) for g in sorted(self.graphs.get(thing, ()))]

    def event(self, iri: str) -> dict:
        dating = self.on_record(iri)
        return {
            **self.ref(iri),
            "date": dating.text(),
            "precision": dating.precision_label,
            "types": self.index.type_labels(iri),
            "sources": self.source_labels(iri),
        }


def asof(store: Store, when: str) -> dict:
    """The state of affairs on `when` (YYYY-MM-DD; YYYY-MM or YYYY mean the last day of that period).

    Raises BadInput for a malformed date; NothingOnRecord (with the empty
    answer as `.answer`) when the sources record nothing by then.
    """
    first, precision = parse_user_date(when)
    day = period_end(first, precision)
    facts = _Facts(store)
    changes = [c for c in status_changes(store) if on_or_before(c.dating, day)]
    answer = {
        "date": day.isoformat(),
        "accords": _statuses(facts, changes, day, set(facts.of_class("Accord"))),
        "measures": _statuses(facts, changes, day, set(facts.of_class("Measure")), measures=True),
        "officeholders": _officeholders(facts, day),
        "issues": _issues(facts, day),
        "proposals": _proposals(facts, day),
    }
    if not any(answer[k] for k in ("accords", "measures", "officeholders", "issues", "proposals")):
        error = NothingOnRecord(f"nothing on record on or before {day.isoformat()}{_earliest(facts)}")
        error.answer = answer
        raise error
    return answer


def _earliest(facts: _Facts) -> str:
    """A hint naming the earliest dated record (empty when nothing is dated)."""
    dated = [d for d in facts.dating.values() if d.sort_start]
    if not dated:
        return ""
    first = min(dated, key=lambda d: d.sort_start or _dt.date.max)
    return f"; the earliest dated record is {first.text()}"


def _statuses(
    facts: _Facts, changes: list[StatusChange], day: _dt.date, kind: set[str], *, measures: bool = False
) -> list[dict]:
    """The current status and history of each accord or measure (of `kind`) with changes by `day`."""
    by_subject: dict[str, list[StatusChange]] = {}
    for change in changes:
        if change.subject in kind:
            by_subject.setdefault(change.subject, []).append(change)
    out = []
    for subject in sorted(by_subject, key=lambda s: (facts.index.label(s), s)):
        history = _history(facts, by_subject[subject])
        current = history[-1]
        dating = _dating_of(by_subject[subject], current)
        entry = {**facts.ref(subject), **current, "certain": certainly_by(dating, day), "history": history}
        if measures:
            entry["in_force"] = current["status"]["iri"] in IN_FORCE
        out.append(entry)
    return out


def _dating_of(changes: list[StatusChange], entry: dict) -> Dating:
    return next(c.dating for c in changes if c.iri == entry["change"])


def _history(facts: _Facts, changes: list[StatusChange]) -> list[dict]:
    """Status changes of one subject in the ordering rule's order, each with its event and sources."""
    return [_change_entry(facts, c) for c in history(changes, facts.answers, facts.index.label)]


def _change_entry(facts: _Facts, change: StatusChange) -> dict:
    dating = change.dating
    return {
        "status": {"iri": change.status, "label": facts.index.label(change.status)},
        "change": change.iri,
        "date": dating.text(),
        "span": dating.span(),
        "set_by": [facts.event(e) for e in change.events],
        "sources": [
            {
                "source": facts.index.label(c.source),
                "source_iri": c.source,
                "date": c.dating.text(),
                "dated_by": c.dated_by,
            }
            for c in change.claims
        ],
    }


def _officeholders(facts: _Facts, day: _dt.date) -> list[dict]:
    """Who the documents place in which office by `day`: first and last attested dates, with sources.

    A document that says a person holds an office (bl:holdsOffice in its
    graph, written in the present of the document) attests it at the
    document's own date, and at the dated events it reports within the year
    before that date in which the person takes part.  Older events are left
    out: a document may name someone by today's office for what they did in
    another (Kishida negotiated the 2015 agreement as foreign minister).
    """
    events_of: dict[tuple[str, str], list[str]] = {}
    for event, person, graph in facts.pairs(BL + "participant"):
        events_of.setdefault((person, graph), []).append(event)
    seen: dict[tuple[str, str], dict] = {}
    for person, office, graph in facts.pairs(BL + "holdsOffice"):
        document = facts.sources.get(graph)
        last_day = document_day(document) if document is not None else None
        if document is None or last_day is None:
            continue
        window = last_day - _dt.timedelta(days=366)
        datings = [facts.dating[e] for e in events_of.get((person, graph), []) if e in facts.dating]
        datings = [d for d in datings if d.sort_start and window <= d.sort_start <= day]
        if on_or_before(document, day):
            datings.append(document)
        if not datings:
            continue
        entry = seen.setdefault((office, person), {"datings": [], "sources": set()})
        entry["datings"] += datings
        entry["sources"].add(graph)
    out = []
    for (office, person), entry in seen.items():
        ordered = sorted(entry["datings"], key=lambda d: (d.sort_start, d.text()))
        out.append(
            {
                "office": facts.ref(office),
                "person": facts.ref(person),
                "first_attested": ordered[0].text(),
                "last_attested": ordered[-1].text(),
                "sources": [facts.index.label(g) for g in sorted(entry["sources"])],
                "_last": ordered[-1].sort_start,
            }
        )
    out.sort(key=lambda e: (e["office"]["label"], -e.pop("_last").toordinal(), e["person"]["label"]))
    return out


def _issues(facts: _Facts, day: _dt.date) -> list[dict]:
    """Per issue: the latest events by `day` (ordering rule, last first) and the positions on record."""
    events = set(facts.of_class("Event"))
    positions = set(facts.of_class("Position"))
    concerning: dict[str, list[str]] = {}
    for thing, issue in facts.pairs(BL + "concerns", graphs=False):
        if (thing in events or thing in positions) and on_or_before(facts.on_record(thing), day):
            concerning.setdefault(issue, []).append(thing)
    out = []
    for issue in sorted(concerning, key=lambda i: (facts.index.label(i), i)):
        things = concerning[issue]
        dated_events = [e for e in things if e in events]
        order = in_order(dated_events, lambda e: facts.on_record(e).sort_start, facts.index.label, facts.answers)
        held = in_order(
            [p for p in things if p in positions], lambda p: facts.on_record(p).sort_start, facts.index.label
        )
        out.append(
            {
                **facts.ref(issue),
                "latest_events": [facts.event(e) for e in reversed(order[-LATEST_EVENTS:])],
                "events_on_record": len(order),
                "positions": [_position(facts, p) for p in held],
            }
        )
    return out


def _position(facts: _Facts, iri: str) -> dict:
    holders = facts.holders_of(iri)
    dating = facts.on_record(iri)
    return {
        **facts.ref(iri),
        "holders": [facts.ref(h) for h in holders],
        "date": dating.text(),
        "types": facts.index.type_labels(iri),
        "sources": facts.source_labels(iri),
    }


def _proposals(facts: _Facts, day: _dt.date) -> list[dict]:
    """Proposals on record by `day` that no event on record by then answers (bl:respondsTo)."""
    answered_by: dict[str, list[str]] = {}
    for answer, answered in facts.answers.items():
        for target in answered:
            answered_by.setdefault(target, []).append(answer)
    proposers: dict[str, set[str]] = {}
    for proposal, who in facts.pairs(BL + "proposedBy", graphs=False):
        proposers.setdefault(proposal, set()).add(who)
    out = []
    for proposal in facts.of_class("Proposal"):
        dating = facts.on_record(proposal)
        if not on_or_before(dating, day):
            continue
        if any(on_or_before(facts.on_record(a), day) for a in answered_by.get(proposal, ())):
            continue
        out.append(
            {
                **facts.ref(proposal),
                "proposed_by": [facts.ref(p) for p in sorted(proposers.get(proposal, ()))],
                "date": dating.text(),
                "sources": facts.source_labels(proposal),
            }
        )
    order = in_order([p["iri"] for p in out], lambda i: facts.on_record(i).sort_start, facts.index.label)
    by_iri = {p["iri"]: p for p in out}
    return [by_iri[i] for i in order]
