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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from bilateral.graph.dates import Dating
from bilateral.graph.errors import BadInput
from bilateral.graph.explore.timelines import event_datings
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL
from bilateral.graph.ordering import in_order
from bilateral.graph.vocabulary import vocabulary

__all__ = ["chain"]

_DIRECTIONS = ("both", "forward", "backward")


class Link(NamedTuple):
    """One response link: `answer` responds to `answered` by `relation`, as the `graphs` (source IRIs) say."""

    answer: str
    relation: str
    answered: str
    graphs: tuple[str, ...]


def _links(store) -> list[Link]:
    """Every response link, most specific predicate only (graph/vocabulary.py), in a fixed order."""
    import pyoxigraph as ox

    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for p in vocabulary().response_predicates:
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(p), None):
            if not isinstance(q.object, ox.NamedNode):
                continue
            graphs = found.setdefault((q.subject.value, q.object.value), {}).setdefault(p, set())
            if isinstance(q.graph_name, ox.NamedNode):
                graphs.add(q.graph_name.value)
    links = []
    for (s, o), preds in found.items():
        for p in vocabulary().most_specific(preds):
            # the graphs of the closure's super-property triples count for the specific link they come from
            above = vocabulary().superproperties.get(p, frozenset())
            graphs = set().union(preds[p], *(g for q, g in preds.items() if q in above))
            links.append(Link(s, p, o, tuple(sorted(graphs))))
    return sorted(links)  # a fixed order, whatever order the store returned the quads in


def _hedged(store, asserted: list[Link]) -> dict[tuple[str, str, str], dict]:
    """Interpreted links not also asserted, by (later, relation, earlier)."""
    from bilateral.graph.explore.interpreted import interpreted_links

    plain = {(link.answer, link.answered) for link in asserted}
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


@dataclass
class _Reach:
    """The events reached from the origin, each with its position, and the links followed, in order."""

    position: dict[str, str]
    used: list[Link] = field(default_factory=list)

    def walk(
        self, origin: str, links_of: dict[str, list[Link]], next_event: Callable[[Link], str], where: str, keep
    ) -> None:
        """Follow links away from `origin`, depth first; `keep(link)` says whether a link is close enough in time."""
        frontier = [origin]
        while frontier:
            current = frontier.pop()
            for link in links_of.get(current, []):
                if not keep(link):
                    continue
                self.used.append(link)
                far = next_event(link)
                if far not in self.position:
                    self.position[far] = where
                    frontier.append(far)


def _check(direction: str, max_gap: int | None) -> None:
    if direction not in _DIRECTIONS:
        raise BadInput(f"direction must be both, forward or backward, not {direction!r}")
    if max_gap is not None and max_gap < 0:
        raise BadInput("--max-gap must be zero or more days")


def chain(
    store, event: str, *, direction: str = "both", max_gap: int | None = None, asserted_only: bool = False
) -> dict:
    """The response chain through `event` (an IRI), as the documented JSON shape.

    Links a document only hedges or attributes (graph/explore/interpreted.py)
    join the chain marked `interpreted` with `according_to`, unless `asserted_only`.
    """
    _check(direction, max_gap)
    index = label_index(store)
    asserted = _links(store)
    hedged = {} if asserted_only else _hedged(store, asserted)
    links = sorted(asserted + [Link(s, p, o, tuple(h["source_iris"])) for (s, p, o), h in hedged.items()])
    datings = event_datings(store)

    def date_of(iri: str) -> Dating:
        return datings.get(iri) or Dating()

    def close_enough(link: Link) -> bool:
        if max_gap is None:
            return True
        da, db = date_of(link.answer).sort_start, date_of(link.answered).sort_start
        return da is None or db is None or abs((da - db).days) <= max_gap

    reach = _reach(event, links, direction, close_enough)
    used = list(dict.fromkeys(reach.used))
    described = _Describer(store, index, hedged)
    steps = {iri: described.step(iri, where, date_of(iri), used) for iri, where in reach.position.items()}
    answers_of: dict[str, set[str]] = {}
    for link in used:
        answers_of.setdefault(link.answer, set()).add(link.answered)
    order = in_order(steps, lambda i: date_of(i).sort_start, lambda i: str(steps[i]["label"]), answers_of)
    return {
        "event": {"iri": event, "label": index.label(event)},
        "direction": direction,
        "steps": [steps[i] for i in order],
        "links": [{"from": link.answer, "to": link.answered, **described.link(link)} for link in used],
    }


def _reach(event: str, links: list[Link], direction: str, keep: Callable[[Link], bool]) -> _Reach:
    """Backward along what `event` answered, then forward along what answered it, as `direction` asks."""
    answers: dict[str, list[Link]] = {}  # answered -> links of those answering it
    answered: dict[str, list[Link]] = {}  # answer -> links it makes
    for link in links:
        answers.setdefault(link.answered, []).append(link)
        answered.setdefault(link.answer, []).append(link)
    reach = _Reach({event: "origin"})
    if direction in ("both", "backward"):
        reach.walk(event, answered, lambda link: link.answered, "before", keep)
    if direction in ("both", "forward"):
        reach.walk(event, answers, lambda link: link.answer, "after", keep)
    return reach


class _Describer:
    """A chain's steps and links in the JSON shape: labels, dates, actors, the sources of each link."""

    def __init__(self, store, index, hedged: dict[tuple[str, str, str], dict]) -> None:
        import pyoxigraph as ox

        self.store, self.index, self.hedged = store, index, hedged
        self.agent, self.participant = ox.NamedNode(BL + "agent"), ox.NamedNode(BL + "participant")
        self.target, self.mediator = ox.NamedNode(BL + "target"), ox.NamedNode(BL + "mediator")

    def people(self, iri: str, predicate) -> list[dict]:
        import pyoxigraph as ox

        found = sorted({q.object.value for q in self.store.ox.quads_for_pattern(ox.NamedNode(iri), predicate, None)})
        return [{"iri": p, "label": self.index.label(p)} for p in found]

    def link(self, link: Link) -> dict:
        """A link's relation and sources, and whose reading it is when a document only hedges it."""
        return {
            "relation": self.index.label(link.relation),
            "relation_iri": link.relation,
            "sources": [self.index.label(g) for g in link.graphs],
            **_hedge_fields(self.hedged.get((link.answer, link.relation, link.answered))),
        }

    def step(self, iri: str, where: str, dating: Dating, used: list[Link]) -> dict:
        """One event of the chain: who acted (agents, else mediators, else participants), on whom, what it answers."""
        actors = self.people(iri, self.agent) or self.people(iri, self.mediator) or self.people(iri, self.participant)
        return {
            "iri": iri,
            "label": self.index.label(iri),
            "date": dating.text(),
            "precision": dating.precision_label,
            "types": self.index.type_labels(iri),
            "actors": actors,
            "targets": self.people(iri, self.target),
            "position": where,
            "responds_to": [
                {"iri": link.answered, "label": self.index.label(link.answered), **self.link(link)}
                for link in used
                if link.answer == iri
            ],
        }
