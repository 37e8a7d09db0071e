"""The sub-class and sub-property closure, materialised at build.

DESIGN.md asks that a plain SPARQL query see the closure of the vocabulary:
asking for bl:participant finds agents, targets and mediators; asking for
bl:Event finds meetings.  We add the implied `rdf:type` and super-property
triples to the same named graph as the triple that implies them, so
provenance is kept.  Only the vocabulary's own hierarchy is used (no
domain/range inference, which would invent types).
"""

from __future__ import annotations

from bilateral.graph.namespaces import RDF, RDFS
from bilateral.graph.vocabulary import ancestors

__all__ = ["hierarchy", "closure"]

_TYPE = RDF + "type"


def hierarchy(quads: list, relation: str) -> dict[str, frozenset[str]]:
    """Map each class (or property) to all its ancestors under `relation` (the one rule: graph/vocabulary.py)."""
    import pyoxigraph as ox

    return ancestors(
        (q.subject.value, q.object.value)
        for q in quads
        if q.predicate.value == relation and isinstance(q.object, ox.NamedNode)
    )


def closure(quads: list) -> list:
    """The quads implied by rdfs:subClassOf and rdfs:subPropertyOf, not already present."""
    import pyoxigraph as ox

    classes = hierarchy(quads, RDFS + "subClassOf")
    properties = hierarchy(quads, RDFS + "subPropertyOf")
    present = set(quads)
    added: list = []
    type_node = ox.NamedNode(_TYPE)
    for q in quads:
        p = q.predicate.value
        if p == _TYPE:
            for sup in classes.get(q.object.value, ()):
                new = ox.Quad(q.subject, type_node, ox.NamedNode(sup), q.graph_name)
                if new not in present:
                    present.add(new)
                    added.append(new)
        elif p in properties:
            for sup in properties[p]:
                new = ox.Quad(q.subject, ox.NamedNode(sup), q.object, q.graph_name)
                if new not in present:
                    present.add(new)
                    added.append(new)
    return added
