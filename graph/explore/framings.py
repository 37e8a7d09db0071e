"""How each side frames one issue (`bilateral framings`): its positions grouped by holder side.

Comparing framings is the point of the issue view: what Japan says beside what
South Korea says, with the United States, other holders and authors'
interpretations apart, each position with its stance, quotes, date and sources.

The sides are read from the graph, not named in code (`sides`): the two states
that are parties together to the most accords are the two sides of the
relationship, and a state that mediates between them (its circle holds the
bl:mediator of a bl:Mediation) is a side of its own, as the United States is in
the shipped graph.  Every other holder is "others".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating, best_dating
from bilateral.graph.errors import NothingFound
from bilateral.graph.explore.timelines import actor_circle
from bilateral.graph.labels import LabelIndex, label_index
from bilateral.graph.namespaces import BL
from bilateral.graph.ordering import in_order

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["OTHERS", "INTERPRETATIONS", "Side", "Framer", "framings", "sides"]

#: The two groups after the sides: holders of no side, and authors' readings whoever holds them.
OTHERS = "others"
INTERPRETATIONS = "interpretations"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DATE_PARTS = {
    BL + "startDate": "start",
    BL + "datePrecision": "precision",
    BL + "notBefore": "not_before",
    BL + "notAfter": "not_after",
}
_STATES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{BL}State> }}"
_PARTIES = f"SELECT DISTINCT ?accord ?party WHERE {{ ?accord <{BL}party> ?party }}"
_MEDIATORS = f"SELECT DISTINCT ?event ?mediator WHERE {{ ?event a <{BL}Mediation> ; <{BL}mediator> ?mediator }}"


@dataclass(frozen=True)
class Side:
    """A state whose account the framings set apart: a party to the relationship or its mediator."""

    name: str  # the state's label: the group's key ("Japan")
    iri: str
    role: str  # "party" or "mediator"


def sides(store: Store) -> list[Side]:
    """The sides the graph itself names: the two parties first (by label), then mediating states.

    The parties are the pair of states that are parties together to the most
    accords (a party counts for its state when it is the state or in its
    circle: a ministry, a minister); ties go to the pair whose labels sort
    first.  A mediator is any other state whose circle holds the bl:mediator
    of at least one bl:Mediation, the most active first.  A graph with no
    accord between two states has no parties; one without mediations no
    mediators.
    """
    index = label_index(store)
    states = sorted(r["s"].value for r in store.ox.query(_STATES, use_default_graph_as_union=True))
    states_of = _states_of_members(store, states)
    pairs: dict[tuple[str, str], set[str]] = {}
    for accord, members in _grouped(store, _PARTIES, "accord", "party").items():
        parties = sorted({s for m in members for s in states_of.get(m, ())}, key=index.label)
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                pairs.setdefault((a, b), set()).add(accord)
    named = {OTHERS, INTERPRETATIONS}
    best = min(pairs, key=lambda p: (-len(pairs[p]), index.label(p[0]), index.label(p[1])), default=())
    found = [Side(index.label(s), s, "party") for s in best if index.label(s) not in named]
    mediations: dict[str, set[str]] = {}
    for event, members in _grouped(store, _MEDIATORS, "event", "mediator").items():
        for state in {s for m in members for s in states_of.get(m, ())} - set(best):
            mediations.setdefault(state, set()).add(event)
    taken = named | {s.name for s in found}
    for state in sorted(mediations, key=lambda s: (-len(mediations[s]), index.label(s))):
        if index.label(state) not in taken:
            found.append(Side(index.label(state), state, "mediator"))
            taken.add(index.label(state))
    return found


def _states_of_members(store: Store, states: list[str]) -> dict[str, set[str]]:
    """Each actor → the states whose circle (`actor_circle`) holds it."""
    found: dict[str, set[str]] = {}
    for state in states:
        for member in actor_circle(store, state):
            found.setdefault(member, set()).add(state)
    return found


def _grouped(store: Store, query: str, key: str, value: str) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for row in store.ox.query(query, use_default_graph_as_union=True):
        grouped.setdefault(row[key].value, set()).add(row[value].value)
    return grouped


def framings(store: Store, issue_iri: str) -> dict:
    """The positions on `issue_iri`, grouped by side; NothingFound (exit 1) when there are none.

    A position goes to the side of the first of its holders that is a side's
    state or reaches one (`actor_circle`: bodies, people, offices); a
    bl:Interpretation goes to "interpretations" whoever holds it.
    """
    framer = Framer(store)
    index = framer.index
    positions = framer.positions_on(issue_iri)
    if not positions:
        raise NothingFound(f"no positions concern {index.label(issue_iri)!r}")
    return {"issue": {"iri": issue_iri, "label": index.label(issue_iri)}, "groups": framer.grouped(positions)}


class Framer:
    """What grouping positions by side needs, read once: the sides, their circles, the sources, the labels.

    `framings` uses one per call; the page (graph/page/framings.py) one for
    all the issues it shows.
    """

    def __init__(self, store: Store) -> None:
        import pyoxigraph as ox

        self.store = store
        self.ox = ox
        self.index: LabelIndex = label_index(store)
        self.sides = sides(store)
        self.groups = [*(s.name for s in self.sides), OTHERS, INTERPRETATIONS]
        self.circles = {s.name: actor_circle(store, s.iri) for s in self.sides}
        self.sources = {
            q.subject.value
            for q in store.ox.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(BL + "Source"))
        }
        self._described: dict[str, dict] = {}

    def positions_on(self, issue_iri: str) -> list[str]:
        """Positions (and interpretations) that bl:concerns the issue."""
        query = f"""
        SELECT DISTINCT ?p WHERE {{
          ?p <{BL}concerns> <{issue_iri}> .
          {{ ?p a <{BL}Position> }} UNION {{ ?p a <{BL}Interpretation> }}
        }}"""
        return sorted({r["p"].value for r in self.store.ox.query(query, use_default_graph_as_union=True)})

    def grouped(self, positions: list[str]) -> dict[str, list[dict]]:
        """The contract's groups: every group present, in order; within one, the ordering rule."""
        members: dict[str, list[str]] = {g: [] for g in self.groups}
        for iri in positions:
            members[self.group_of(self.describe(iri))].append(iri)
        groups = {}
        for name, found in members.items():
            ordered = in_order(sorted(found), lambda i: self._described[i]["_dating"].sort_start, self.index.label)
            groups[name] = [self.public(i) for i in ordered]
        return groups

    def public(self, iri: str) -> dict:
        """The contract object of one position (without the dating kept for ordering)."""
        return {k: v for k, v in self.describe(iri).items() if k != "_dating"}

    def describe(self, iri: str) -> dict:
        """The contract object of one position, with its `_dating`; read once per position."""
        if iri not in self._described:
            self._described[iri] = self._read(iri)
        return self._described[iri]

    def sides_of(self, actors: list[str]) -> list[str]:
        """The sides whose circles hold any of `actors`, in the sides' order."""
        return [name for name, circle in self.circles.items() if any(a in circle for a in actors)]

    def group_of(self, position: dict) -> str:
        """Interpretations apart, else the side of the first holder that has one, else others."""
        if position["interpretation"]:
            return INTERPRETATIONS
        for holder in position["holders"]:
            found = self.sides_of([holder["iri"]])
            if found:
                return found[0]
        return OTHERS

    def values(self, iri: str, predicate: str) -> list[str]:
        """The distinct objects of `iri`'s `predicate` in any graph, sorted."""
        node = self.ox.NamedNode(iri)
        return sorted(
            {q.object.value for q in self.store.ox.quads_for_pattern(node, self.ox.NamedNode(predicate), None)}
        )

    def _read(self, iri: str) -> dict:
        """One position from one read of its quads (holders, stance, quotes, types, datings, sources)."""
        ox, label = self.ox, self.index.label
        objects: dict[str, set[str]] = {}
        parts: dict[str, dict[str, str]] = {}  # each graph's date parts, the first of each kind
        graphs: set[str] = set()
        for q in self.store.ox.quads_for_pattern(ox.NamedNode(iri), None, None):
            predicate, named = q.predicate.value, isinstance(q.graph_name, ox.NamedNode)
            objects.setdefault(predicate, set()).add(q.object.value)
            part = _DATE_PARTS.get(predicate)
            if part:
                parts.setdefault(q.graph_name.value if named else "", {}).setdefault(part, q.object.value)
            if named and q.graph_name.value in self.sources:
                graphs.add(q.graph_name.value)
        dating = best_dating([Dating.of(**p) for p in parts.values()]) if parts else Dating.of()

        def values(predicate: str) -> list[str]:
            return sorted(objects.get(predicate, ()))

        holders = values(BL + "holder")
        return {
            "iri": iri,
            "label": label(iri),
            "holder": {"iri": holders[0], "label": label(holders[0])} if holders else None,
            "holders": [{"iri": h, "label": label(h)} for h in holders],
            "stance": next(iter(values(BL + "stance")), None),
            "quotes": values(BL + "quote"),
            "date": dating.text() if dating.known else None,
            "interpretation": BL + "Interpretation" in values(_RDF_TYPE),
            "sources": [label(g) for g in sorted(graphs)],
            "_dating": dating,
        }
