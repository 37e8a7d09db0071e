"""Dated events in order (`bilateral timeline`), filtered by period, actor, issue and type."""

from __future__ import annotations

from bilateral.graph.dates import Dating, best_dating, parse_user_date, period_end
from bilateral.graph.errors import BadInput
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL
from bilateral.graph.ordering import in_order
from bilateral.graph.vocabulary import DATING_PARTS, EVENT, RESPONDS_TO

__all__ = ["actor_circle", "event_datings", "event_summaries", "response_links", "timeline"]

_DATING = " ".join(f"<{iri}>" for iri in DATING_PARTS)
_EVENTS = f"""
SELECT ?e ?g ?p ?o WHERE {{
  ?e a <{EVENT}> .
  GRAPH ?g {{ ?e ?p ?o }}
  VALUES ?p {{ {_DATING} }}
}}"""

# bl:respondsTo finds its sub-properties too: the store holds the closure (graph/storage/inference.py).
_LINKS = f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{RESPONDS_TO}> ?b }}"


def event_datings(store) -> dict[str, Dating]:
    """Each dated event's dating: of the documents' datings, the one shown (graph/dates.py: best_dating).

    Documents may date one event differently, or only bound it: each graph's
    dating is read on its own, then the most precise is taken.
    """
    parts: dict[tuple[str, str], dict[str, str]] = {}
    for r in store.ox.query(_EVENTS, use_default_graph_as_union=True):
        parts.setdefault((r["e"].value, r["g"].value), {}).setdefault(DATING_PARTS[r["p"].value], r["o"].value)
    per_event: dict[str, list[Dating]] = {}
    for (event, _graph), value in parts.items():
        per_event.setdefault(event, []).append(Dating.of(**value))
    return {event: best_dating(ds) for event, ds in per_event.items() if best_dating(ds).known}


def response_links(store) -> dict[str, set[str]]:
    """Answer -> the things it answers (bl:respondsTo and, through the closure, its sub-properties)."""
    links: dict[str, set[str]] = {}
    for r in store.ox.query(_LINKS, use_default_graph_as_union=True):
        links.setdefault(r["a"].value, set()).add(r["b"].value)
    return links


def timeline(
    store,
    *,
    start: str | None = None,
    end: str | None = None,
    actor: str | None = None,
    issue: str | None = None,
    type_iri: str | None = None,
    exact_actor: bool = False,
) -> list[dict]:
    """Events whose whole period lies within [start, end], in date order (contract shape).

    `start`/`end` are user dates (YYYY, YYYY-MM, YYYY-MM-DD); `actor` and
    `issue` are IRIs (resolve names first).  `actor` matches the actor, its
    bodies and its people (see `actor_circle`); `exact_actor` matches only
    events where the actor itself takes part.  A month-precision event counts
    as inside a range only when the whole month is, so "September 2019"
    lists events of September, not undated-within-2019 ones.
    """
    lower = parse_user_date(start)[0] if start else None
    upper = period_end(*parse_user_date(end)) if end else None
    if lower and upper and lower > upper:
        raise BadInput(f"--from {start} is after --to {end}")
    import pyoxigraph as ox

    datings = event_datings(store)
    chosen = []
    for iri, dating in datings.items():
        if lower and (dating.earliest is None or dating.earliest < lower):
            continue
        if upper and (dating.latest is None or dating.latest > upper):
            continue
        chosen.append(iri)
    filters = []
    if actor:
        circle = {actor} if exact_actor else actor_circle(store, actor)
        participant = ox.NamedNode(BL + "participant")
        chosen = [
            c
            for c in chosen
            if any(q.object.value in circle for q in store.ox.quads_for_pattern(ox.NamedNode(c), participant, None))
        ]
    if issue:
        filters.append((BL + "concerns", issue))
    if type_iri:
        filters.append(("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", type_iri))
    if filters:

        def keep(iri: str) -> bool:
            node = ox.NamedNode(iri)
            return all(
                next(iter(store.ox.quads_for_pattern(node, ox.NamedNode(p), ox.NamedNode(o))), None) for p, o in filters
            )

        chosen = [c for c in chosen if keep(c)]
    index = label_index(store)
    ordered = in_order(sorted(chosen), lambda i: datings[i].sort_start, index.label, response_links(store))
    return event_summaries(store, [(iri, datings[iri]) for iri in ordered])


def actor_circle(store, actor: str) -> set[str]:
    """The actor, the bodies that belong to it, and its people.

    A state's bodies are the organisations with `bl:belongsToState` it, and
    every body `bl:partOf` one of those (transitively); an organisation's are
    the bodies part of it.  Its people are those affiliated with it or with
    one of its bodies (`bl:affiliation`) and those holding an office of it or
    of one of its bodies (`bl:holdsOffice`, `bl:officeOf`; an office with
    `bl:belongsToState` it counts too).  A former office does not count.
    """
    import pyoxigraph as ox

    def subjects(predicate: str, objects: set[str]) -> set[str]:
        found: set[str] = set()
        for o in objects:
            found |= {
                q.subject.value
                for q in store.ox.quads_for_pattern(None, ox.NamedNode(BL + predicate), ox.NamedNode(o))
                if isinstance(q.subject, ox.NamedNode)
            }
        return found

    bodies = subjects("belongsToState", {actor}) | {actor}
    frontier = set(bodies)
    while frontier:
        frontier = subjects("partOf", frontier) - bodies
        bodies |= frontier
    offices = subjects("officeOf", bodies) | subjects("belongsToState", {actor})
    people = subjects("affiliation", bodies) | subjects("holdsOffice", offices)
    return bodies | people


def event_summaries(store, events: list[tuple[str, Dating]]) -> list[dict]:
    """The contract's event objects for (iri, dating) pairs, in the given order."""
    import pyoxigraph as ox

    index = label_index(store)
    sources = {
        q.subject.value
        for q in store.ox.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(BL + "Source")
        )
    }
    participant = ox.NamedNode(BL + "participant")
    concerns = ox.NamedNode(BL + "concerns")
    out = []
    for iri, dating in events:
        node = ox.NamedNode(iri)
        people = sorted({q.object.value for q in store.ox.quads_for_pattern(node, participant, None)})
        issues = sorted({q.object.value for q in store.ox.quads_for_pattern(node, concerns, None)})
        graphs = sorted(
            {
                q.graph_name.value
                for q in store.ox.quads_for_pattern(node, None, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in sources
            }
        )
        out.append(
            {
                "iri": iri,
                "label": index.label(iri),
                "date": dating.text(),
                "precision": dating.precision_label,
                "types": index.type_labels(iri),
                "participants": [{"iri": p, "label": index.label(p)} for p in people],
                "issues": [{"iri": i, "label": index.label(i)} for i in issues],
                "sources": [index.label(g) for g in graphs],
                "start_date": dating.sort_start.isoformat() if dating.sort_start else None,
            }
        )
    return out
