"""Response chains (`bilateral chain`): what an event answered, what answered it, in time order.

Follows bl:respondsTo and its sub-properties (bl:retaliatesAgainst,
bl:reverses) from one event: backward to what it answered, what that
answered, and so on; forward to what answered it, and what answered those.
Each step names its actors, so a tit-for-tat ladder reads top to bottom.

JSON shape (documented in README):

    {"event": {"iri", "label"}, "direction": "both"|"forward"|"backward",
     "steps": [{"iri", "label", "date", "precision", "types",
                "actors": [{"iri", "label"}], "targets": [{"iri", "label"}],
                "position": "origin"|"before"|"after",
                "responds_to": [{"iri", "label", "relation", "relation_iri", "sources": [label]}]}],
     "links": [{"from", "to", "relation", "relation_iri", "sources": [label]}]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating
from bilateral.graph.errors import BadInput
from bilateral.graph.explore.cards import RESPONSE_PREDICATES
from bilateral.graph.explore.timelines import event_datings
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL
from bilateral.graph.ordering import in_order

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["chain"]


def _links(store: Store) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Every response link (answer, predicate, answered, source graphs), most specific predicate only."""
    import pyoxigraph as ox

    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for p in RESPONSE_PREDICATES:
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(p), None):
            if not isinstance(q.object, ox.NamedNode):
                continue
            preds = found.setdefault((q.subject.value, q.object.value), {})
            graphs = preds.setdefault(p, set())
            if isinstance(q.graph_name, ox.NamedNode):
                graphs.add(q.graph_name.value)
    links = []
    for (s, o), preds in found.items():
        specific = [p for p in preds if p != BL + "respondsTo"] or [BL + "respondsTo"]
        for p in specific:
            graphs = preds[p] | preds.get(BL + "respondsTo", set())
            links.append((s, p, o, tuple(sorted(graphs))))
    return sorted(links)  # a fixed order, whatever order the store returned the quads in


def _hedged(store: Store, asserted: list) -> dict[tuple[str, str, str], dict]:
    """Interpreted links not also asserted, by (later, relation, earlier)."""
    from bilateral.graph.explore.interpreted import interpreted_links

    plain = {(s, o) for s, _, o, _ in asserted}
    found: dict[tuple[str, str, str], dict] = {}
    for link in interpreted_links(store):
        if (link["from"], link["to"]) not in plain:
            found.setdefault((link["from"], link["relation"], link["to"]), link)
    return found


def _hedge_fields(link: dict | None) -> dict:
    if link is None:
        return {}
    from bilateral.graph.explore.interpreted import according_to

    return {
        "interpreted": True,
        "according_to": according_to(link),
        "holders": link["holders"],
        "interpretation": link["interpretation"],
    }


def chain(
    store: Store, event: str, *, direction: str = "both", max_gap: int | None = None, asserted_only: bool = False
) -> dict:
    """The response chain through `event` (an IRI), as the documented JSON shape.

    Links a document only hedges or attributes (graph/explore/interpreted.py)
    join the chain marked `interpreted` with `according_to`, unless `asserted_only`.
    """
    if direction not in ("both", "forward", "backward"):
        raise BadInput(f"direction must be both, forward or backward, not {direction!r}")
    if max_gap is not None and max_gap < 0:
        raise BadInput("--max-gap must be zero or more days")
    import pyoxigraph as ox

    index = label_index(store)
    links = _links(store)
    hedged = {} if asserted_only else _hedged(store, links)
    links = sorted(links + [(s, p, o, tuple(h["source_iris"])) for (s, p, o), h in hedged.items()])
    answers: dict[str, list] = {}  # answered -> links of those answering it
    answered: dict[str, list] = {}  # answer -> links it makes
    for link in links:
        answers.setdefault(link[2], []).append(link)
        answered.setdefault(link[0], []).append(link)
    datings = event_datings(store)

    def date_of(iri: str) -> Dating:
        return datings.get(iri) or Dating()

    def close_enough(a: str, b: str) -> bool:
        if max_gap is None:
            return True
        da, db = date_of(a).sort_start, date_of(b).sort_start
        return da is None or db is None or abs((da - db).days) <= max_gap

    position = {event: "origin"}
    used = []

    def walk(links_of: dict, far_end: int, where: str) -> None:
        """Follow links away from the origin; `far_end` is the index of the next event in a link."""
        frontier = [event]
        while frontier:
            current = frontier.pop()
            for link in links_of.get(current, []):
                if close_enough(link[0], link[2]):
                    used.append(link)
                    if link[far_end] not in position:
                        position[link[far_end]] = where
                        frontier.append(link[far_end])

    if direction in ("both", "backward"):
        walk(answered, 2, "before")
    if direction in ("both", "forward"):
        walk(answers, 0, "after")
    used = list(dict.fromkeys(used))
    participant_agent = ox.NamedNode(BL + "agent")
    participant = ox.NamedNode(BL + "participant")
    target = ox.NamedNode(BL + "target")
    mediator = ox.NamedNode(BL + "mediator")

    def people(iri: str, pred) -> list[dict]:
        found = sorted({q.object.value for q in store.ox.quads_for_pattern(ox.NamedNode(iri), pred, None)})
        return [{"iri": p, "label": index.label(p)} for p in found]

    steps = []
    for iri, where in position.items():
        dating = date_of(iri)
        actors = people(iri, participant_agent) or people(iri, mediator) or people(iri, participant)
        steps.append(
            {
                "iri": iri,
                "label": index.label(iri),
                "date": dating.text(),
                "precision": dating.precision_label,
                "types": index.type_labels(iri),
                "actors": actors,
                "targets": people(iri, target),
                "position": where,
                "responds_to": [
                    {
                        "iri": o,
                        "label": index.label(o),
                        "relation": index.label(p),
                        "relation_iri": p,
                        "sources": [index.label(g) for g in graphs],
                        **_hedge_fields(hedged.get((s, p, o))),
                    }
                    for s, p, o, graphs in used
                    if s == iri
                ],
            }
        )
    answers_of: dict[str, set[str]] = {}
    for answer, _, earlier, _ in used:
        answers_of.setdefault(answer, set()).add(earlier)
    by_iri: dict[str, dict] = {str(step["iri"]): step for step in steps}
    order = in_order(by_iri, lambda i: date_of(i).sort_start, lambda i: str(by_iri[i]["label"]), answers_of)
    steps = [by_iri[i] for i in order]
    return {
        "event": {"iri": event, "label": index.label(event)},
        "direction": direction,
        "steps": steps,
        "links": [
            {
                "from": s,
                "to": o,
                "relation": index.label(p),
                "relation_iri": p,
                "sources": [index.label(g) for g in graphs],
                **_hedge_fields(hedged.get((s, p, o))),
            }
            for s, p, o, graphs in used
        ],
    }
