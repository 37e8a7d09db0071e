"""Checks that need no text: states of bodies, response links in time order, shared names, events tied to states.

They read the union of the graphs (the state of a body is usually a
definition) except the time check, which reads each response link with the
dates of the graph that asserts it, falling back to the union for an event
that graph does not date.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from types import EllipsisType

from bilateral.graph.dates import period_end
from bilateral.graph.kinds import kind_of
from bilateral.graph.labels import normalise
from bilateral.graph.lint.model import Finding, LintData, Quad
from bilateral.graph.namespaces import BL, DCTERMS, RDF, RDFS, SKOS, curie

__all__ = ["period", "reaches_state", "structural_findings"]

_STATE = BL + "State"


def structural_findings(data: LintData) -> Iterator[Finding]:
    """Every finding of the checks that need no text."""
    yield from national_bodies(data)
    yield from response_order(data)
    yield from shared_labels(data)
    yield from events_without_state(data)
    yield from curation_jargon(data)


def _subject_finding(
    data: LintData, s: str, check: str, message: str, graph: str | None | EllipsisType = ...
) -> Finding:
    file, line = data.where_subject(s, graph)
    return Finding(file, line, check, f"{curie(s)} ({data.label(s)}): {message}", s)


# ------------------------------------------------------------ states of bodies


def is_international(data: LintData, org: str) -> bool:
    """An organisation flagged `bl:international true` (the UN, the WTO, the G20, ASEAN, a summit series)."""
    return any(v.lower() in ("true", "1") for v in data.values(org, BL + "international"))


def state_of_body(data: LintData, org: str, seen: set[str] | None = None) -> str | None:
    """The state a body belongs to, directly (bl:belongsToState) or through the bodies it is part of (bl:partOf)."""
    seen = seen or set()
    if org in seen:
        return None
    seen.add(org)
    for state in data.values(org, BL + "belongsToState"):
        return state
    for parent in data.values(org, BL + "partOf"):
        found = state_of_body(data, parent, seen)
        if found:
            return found
    return None


def national_bodies(data: LintData) -> Iterator[Finding]:
    """Every organisation that is not international has a state."""
    for org in data.instances(BL + "Organization"):
        if BL + "Organization" not in data.types(org) or is_international(data, org):
            continue
        if state_of_body(data, org) is None:
            yield _subject_finding(
                data,
                org,
                "body-without-state",
                "a national organisation needs bl:belongsToState (or bl:partOf a body that has one); "
                "an international one says bl:international true",
            )


def _is_or_reaches_state(data: LintData, node: str) -> bool:
    return _STATE in data.types(node) or state_of_body(data, node) is not None


def reaches_state(data: LintData, actor: str) -> bool:
    """A state; a body that belongs to one; a person affiliated with one, or holding an office of one or of its bodies."""
    if _is_or_reaches_state(data, actor):
        return True
    if any(_is_or_reaches_state(data, org) for org in data.values(actor, BL + "affiliation")):
        return True
    offices = data.values(actor, BL + "holdsOffice") + data.values(actor, BL + "formerlyHeld")
    return any(
        data.values(office, BL + "belongsToState")
        or any(_is_or_reaches_state(data, holder) for holder in data.values(office, BL + "officeOf"))
        for office in offices
    )


def events_without_state(data: LintData) -> Iterator[Finding]:
    """Every event has a participant that is a state or reaches one."""
    participant = data.subproperties(BL + "participant")
    for event in data.instances(BL + "Event"):
        actors = sorted({v for p in participant for v in data.values(event, p)})
        if not any(reaches_state(data, a) for a in actors):
            shown = ", ".join(curie(a) for a in actors) or "none"
            yield _subject_finding(
                data,
                event,
                "event-without-state",
                f"no participant is a state or reaches one (participants: {shown})",
            )


# ------------------------------------------------------------ time order

Period = tuple[_dt.date, _dt.date]


def period(data: LintData, s: str, graph: str | None | EllipsisType = ...) -> Period | None:
    """The days an entity's date covers in `graph` (or the union): its date at its precision, else its bounds.

    Over the union, several dates (documents that disagree) give the span from
    the earliest to the latest, so only a link that runs backwards on every
    reading is reported.
    """
    spans: list[Period] = []
    dates = data.values(s, BL + "startDate", graph)
    precisions = data.values(s, BL + "datePrecision", graph) or ["day"]
    for value in dates:
        try:
            first = _dt.date.fromisoformat(value)
        except ValueError:
            continue
        spans.append((first, max(period_end(first, p) for p in precisions)))
    if not spans:
        low = _first_date(data.values(s, BL + "notBefore", graph), min) or _dt.date.min
        high = _first_date(data.values(s, BL + "notAfter", graph), max) or _dt.date.max
        if (low, high) != (_dt.date.min, _dt.date.max):
            spans.append((low, high))
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def _first_date(values: list[str], pick: Callable[[list[_dt.date]], _dt.date]) -> _dt.date | None:
    days: list[_dt.date] = []
    for v in values:
        try:
            days.append(_dt.date.fromisoformat(v))
        except ValueError:
            continue
    return pick(days) if days else None


def _links(data: LintData) -> Iterator[tuple[Quad, str, str, str]]:
    """(where, later, relation, earlier) for every asserted response link and every interpreted one."""
    responses = data.subproperties(BL + "respondsTo")
    for q in data.quads:
        if q.p in responses and q.g is not None and type(q.o).__name__ == "NamedNode":
            yield q, q.s, q.p, q.value
    for q in data.quads:
        if q.p == BL + "linkFrom" and q.g is not None:
            for earlier in data.values(q.s, BL + "linkTo", q.g):
                relation = (data.values(q.s, BL + "linkRelation", q.g) or [BL + "respondsTo"])[0]
                yield q, q.value, relation, earlier


def response_order(data: LintData) -> Iterator[Finding]:
    """No response link runs backwards: the answer's period may not end before the answered one's begins."""
    for q, later, relation, earlier in _links(data):
        answer = period(data, later, q.g) or period(data, later)
        answered = period(data, earlier, q.g) or period(data, earlier)
        if answer is None or answered is None or answer[1] >= answered[0]:
            continue
        file, line = data.where(q)
        what = "interpreted link" if q.p == BL + "linkFrom" else "link"
        yield Finding(
            file,
            line,
            "response-backwards",
            f"{curie(later)} ({data.label(later)}) {curie(relation)} {curie(earlier)} ({data.label(earlier)}), "
            f"but the {what} runs backwards in {curie(q.g or '')}: {_show(answer)} is before {_show(answered)}",
            later,
        )


def _show(span: Period) -> str:
    first, last = span
    if first == last:
        return first.isoformat()
    low = "…" if first == _dt.date.min else first.isoformat()
    high = "…" if last == _dt.date.max else last.isoformat()
    return f"{low}/{high}"


# ------------------------------------------------------------ shared names


def shared_labels(data: LintData) -> Iterator[Finding]:
    """No two entities of the same kind share a name: the resolver could not tell them apart.

    Two entities of different kinds (an issue and an event called "export
    controls") may share a name: commands that expect a kind choose by it.
    """
    by_name: dict[str, set[str]] = defaultdict(set)
    for s in data.union:
        if s.startswith("_:"):
            continue
        for text, _lang in data.names(s):
            key = normalise(text)
            if key:
                by_name[key].add(s)
    for key in sorted(by_name):
        owners = sorted(by_name[key])
        if len(owners) < 2:
            continue
        by_kind: dict[str | None, list[str]] = defaultdict(list)
        for s in owners:
            by_kind[kind_of(set(data.values(s, RDF + "type")), data.superclasses)].append(s)
        for kind, same in sorted(by_kind.items(), key=lambda kv: str(kv[0])):
            first, *others = same
            for other in others:
                file, line = _name_place(data, other, key)
                yield Finding(
                    file,
                    line,
                    "shared-label",
                    f"{curie(other)} ({data.label(other)}): the name {key!r} also names {curie(first)}, "
                    f"of the same kind ({kind or 'no kind'}); give one of them another name",
                    other,
                )


def _name_place(data: LintData, s: str, key: str) -> tuple[str, int]:
    """Where the label or alias of `s` that normalises to `key` is written."""
    for p in (RDFS + "label", SKOS + "altLabel"):
        for q in data.union.get(s, {}).get(p, []):
            if normalise(q.value) == key:
                return data.where(q)
    return data.where_subject(s)


# ------------------------------------------------------------ analyst text

#: Words of the curators' trade that an analyst's text should not carry, and internal document numbers.
_JARGON = re.compile(
    r"\b(?:registry|curator|curation|src-\d{3}|(?:document|doc\.?|source) \d{3})\b|(?<![\d,.\w])00\d(?![\d,.]\d|\w)",
    re.IGNORECASE,
)


def curation_jargon(data: LintData) -> Iterator[Finding]:
    """Text shown to analysts (dcterms:description, English labels) has no curation jargon and no internal numbers.

    rdfs:comment is for curators and is not shown, so it is not checked.
    """
    for q in data.quads:
        if q.p not in (DCTERMS + "description", RDFS + "label") or q.s.startswith("_:"):
            continue
        if q.p == RDFS + "label" and (getattr(q.o, "language", "") or "") not in ("en", ""):
            continue
        m = _JARGON.search(q.value)
        if m:
            file, line = data.where(q)
            yield Finding(
                file,
                line,
                "curation-jargon",
                f"{curie(q.s)} ({data.label(q.s)}): {curie(q.p)} says {m.group(0)!r}, which is for curators "
                "(write it for an analyst; a note for curators goes in rdfs:comment)",
                q.s,
            )
