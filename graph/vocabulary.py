"""The vocabulary in one place: what the code knows of ontology.ttl, read once from the file.

Which classes are events, which predicates are responses, and each class's
and property's ancestors are facts of the ontology, not of the code.  They
are derived here, once per process, so a new bl:Event subclass or a new
sub-property of bl:respondsTo written in ontology.ttl is known to paths,
chains, cards, the projection and the page without editing any of them.

The store always loads the shipped ontology.ttl (graph/storage/loading.py),
and the data declares no classes or properties of its own, so the file says
the same as the store; reading the file also answers for a remote
`--endpoint` without asking it (Virtuoso cannot close `rdfs:subPropertyOf+`
with both ends unbound).

The literal predicates that several commands read by name (a dating's parts,
a card's facts) are one table here, so each predicate has one name.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bilateral.graph.locations import ontology_path
from bilateral.graph.namespaces import BL, DCTERMS, RDF, RDFS

__all__ = [
    "DATE_PARTS",
    "DATING_PARTS",
    "EVENT",
    "FACTS",
    "LITERAL_NAMES",
    "RESPONDS_TO",
    "REVERSES",
    "Vocabulary",
    "ancestors",
    "local_name",
    "read_vocabulary",
    "vocabulary",
]

#: The class of everything that happens; its sub-classes are events too.
EVENT = BL + "Event"
#: The response link; its sub-properties (retaliation, reversal …) are responses too.
RESPONDS_TO = BL + "respondsTo"
#: The response that undoes what it answers (a card lists reversals apart from answers).
REVERSES = BL + "reverses"

_DATE_PART_NAMES = ("start", "end", "precision", "not_before", "not_after")

#: The literal predicates the library reads by name: a dating's parts (named as the keywords of
#: graph/dates.py's `Dating.of`, plus `end`) and a card's facts (named as in the card's JSON).
LITERAL_NAMES: dict[str, str] = {
    BL + "startDate": "start",
    BL + "endDate": "end",
    BL + "datePrecision": "precision",
    BL + "notBefore": "not_before",
    BL + "notAfter": "not_after",
    BL + "stance": "stance",
    BL + "quote": "quote",
    BL + "value": "value",
    BL + "unit": "unit",
    BL + "location": "location",
    DCTERMS + "title": "title",
}
#: The predicates of a date, by part name.
DATE_PARTS: dict[str, str] = {iri: name for iri, name in LITERAL_NAMES.items() if name in _DATE_PART_NAMES}
#: The predicates `Dating.of` reads, by its keyword names (a period's end is not part of its dating).
DATING_PARTS: dict[str, str] = {iri: name for iri, name in DATE_PARTS.items() if name != "end"}
#: The predicates a card lists as facts, by their name in the card.
FACTS: dict[str, str] = {iri: name for iri, name in LITERAL_NAMES.items() if iri not in DATE_PARTS}

_OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"


def local_name(iri: str) -> str:
    """A bl: IRI's local name ("Meeting"), as the label index names classes; any other IRI unchanged.

    >>> local_name(BL + "Meeting")
    'Meeting'
    """
    return iri[len(BL) :] if iri.startswith(BL) else iri


def ancestors(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Each child of the (child, parent) pairs → all its ancestors, transitively (in a cycle, itself too).

    >>> sorted(ancestors([("a", "b"), ("b", "c")])["a"])
    ['b', 'c']
    """
    parents: dict[str, set[str]] = {}
    for child, parent in pairs:
        if child != parent:
            parents.setdefault(child, set()).add(parent)
    found: dict[str, frozenset[str]] = {}
    for start, first in parents.items():
        seen: set[str] = set()
        todo = list(first)
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(parents.get(up, ()))
        found[start] = frozenset(seen)
    return found


@dataclass(frozen=True)
class Vocabulary:
    """The class and property hierarchies of an ontology, and what the library derives from them."""

    classes: frozenset[str]  # every class the ontology declares or places in a hierarchy
    superclasses: Mapping[str, frozenset[str]]  # class → all its ancestors
    superproperties: Mapping[str, frozenset[str]]  # property → all its super-properties

    def subclasses(self, cls: str) -> frozenset[str]:
        """`cls` and every class below it, transitively."""
        return frozenset({cls} | {c for c, above in self.superclasses.items() if cls in above})

    def subproperties(self, prop: str) -> frozenset[str]:
        """`prop` and every property below it, transitively."""
        return frozenset({prop} | {p for p, above in self.superproperties.items() if prop in above})

    @functools.cached_property
    def event_classes(self) -> frozenset[str]:
        """bl:Event and all its sub-classes (IRIs)."""
        return self.subclasses(EVENT)

    @functools.cached_property
    def event_names(self) -> frozenset[str]:
        """The local names of the event classes, as the projection's node `types` carry them."""
        return frozenset(local_name(c) for c in self.event_classes)

    @functools.cached_property
    def response_predicates(self) -> tuple[str, ...]:
        """bl:respondsTo and all its sub-properties, in a fixed order."""
        return tuple(sorted(self.subproperties(RESPONDS_TO)))

    def is_event(self, types: Iterable[str]) -> bool:
        """Whether any of these classes (IRIs or bl: local names) is an event class."""
        return any(t in self.event_classes or t in self.event_names for t in types)

    def kinds_of(self, *classes: str) -> frozenset[str]:
        """The local names of these classes and all their sub-classes ("Position" → Position, Interpretation)."""
        return frozenset(local_name(c) for cls in classes for c in self.subclasses(cls))

    def most_specific(self, predicates: Iterable[str]) -> set[str]:
        """The predicates without one of their sub-properties beside them (bl:agent, not also bl:participant)."""
        given = set(predicates)
        return {p for p in given if not any(p in self.superproperties.get(q, ()) for q in given if q != p)}

    @functools.cached_property
    def class_lineage(self) -> dict[str, frozenset[str]]:
        """Each bl: class's local name → itself and its bl: ancestors' local names (Meeting → Meeting, Event)."""
        return {
            local_name(c): frozenset(
                {local_name(c)} | {local_name(a) for a in self.superclasses.get(c, ()) if a.startswith(BL)}
            )
            for c in self.classes
            if c.startswith(BL)
        }


def read_vocabulary(path: Path) -> Vocabulary:
    """The hierarchies of the Turtle ontology at `path` (uncached: `vocabulary` is the one to call)."""
    import pyoxigraph as ox

    sub_class: list[tuple[str, str]] = []
    sub_property: list[tuple[str, str]] = []
    classes: set[str] = set()
    for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
            continue
        if p == RDFS + "subClassOf":
            sub_class.append((s.value, o.value))
            classes |= {s.value, o.value}
        elif p == RDFS + "subPropertyOf":
            sub_property.append((s.value, o.value))
        elif p == RDF + "type" and o.value == _OWL_CLASS:
            classes.add(s.value)
    return Vocabulary(frozenset(classes), ancestors(sub_class), ancestors(sub_property))


@functools.cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The vocabulary of ontology.ttl (or of the ontology at `path`), read once per process."""
    return read_vocabulary(path or ontology_path())
