"""Interpreted links: a response link that a document hedges or attributes, kept apart from asserted ones.

A document that says "Okonogi calls the two issues independent … politically
linked" does not assert that the export controls answered the rulings: it
reports a reading.  Such a link is a `bl:Interpretation` with `bl:holder`,
`bl:linkFrom` (the later event), `bl:linkRelation` and `bl:linkTo` (the
earlier event), in the graph of the document that reports it.  `path`,
`chain` and the page show it as one link "according to" its holder, and
`--asserted-only` leaves it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["INTERPRETED", "according_to", "interpreted_links", "linked_projection"]

#: Edge attribute that marks an interpreted link in the projection.
INTERPRETED = "interpreted"

#: The edges of an interpretation node that carry the link itself (left out with --asserted-only).
LINK_PREDICATES = (BL + "linkFrom", BL + "linkTo")

_LINKS = f"""
SELECT ?i ?from ?rel ?to ?g WHERE {{
  GRAPH ?g {{ ?i <{BL}linkFrom> ?from ; <{BL}linkRelation> ?rel ; <{BL}linkTo> ?to . }}
}}"""


def interpreted_links(store: Store) -> list[dict]:
    """Every interpreted link: {interpretation, from, relation, to, holders: [{iri, label}], sources: [label]}."""
    return store.cached("interpreted-links", lambda: _read(store))


def _read(store: Store) -> list[dict]:
    import pyoxigraph as ox

    index = label_index(store)
    found: dict[tuple[str, str, str, str], set[str]] = {}
    for r in store.ox.query(_LINKS, use_default_graph_as_union=True):
        key = (r["i"].value, r["from"].value, r["rel"].value, r["to"].value)
        found.setdefault(key, set()).add(r["g"].value)
    links = []
    for (interp, later, relation, earlier), graphs in sorted(found.items()):
        holders = sorted(
            {
                q.object.value
                for q in store.ox.quads_for_pattern(ox.NamedNode(interp), ox.NamedNode(BL + "holder"), None)
            }
        )
        links.append(
            {
                "interpretation": interp,
                "from": later,
                "relation": relation,
                "relation_label": index.label(relation),
                "to": earlier,
                "holders": [{"iri": h, "label": index.label(h)} for h in holders],
                "sources": sorted(index.label(g) for g in graphs),
                "source_iris": sorted(graphs),
            }
        )
    return links


def according_to(link: dict) -> str:
    """The phrase "according to Okonogi Masao (Okonogi 2021 …)": whose reading, in which document."""
    who = ", ".join(h["label"] for h in link.get("holders", [])) or "an unnamed reader"
    where = "; ".join(link.get("sources", []))
    return f"according to {who}" + (f" ({where})" if where else "")


def linked_projection(store: Store, *, asserted_only: bool = False):
    """The projection with each interpreted link as one edge later → earlier, or without any (`asserted_only`).

    The added edge has key "interpreted:<interpretation IRI>", the proposed
    relation as `predicate`, `interpreted` True, `according_to`, `holders`,
    `interpretation` and the reporting documents as `sources`.  With
    `asserted_only` the interpretation nodes lose their link edges too, so no
    path or chain passes through a reading in disguise.
    """
    name = "projection-asserted" if asserted_only else "projection-linked"
    return store.cached(name, lambda: _augment(store, asserted_only))


def _augment(store: Store, asserted_only: bool):
    from bilateral.graph.explore.projection import project

    graph = project(store).copy()
    if asserted_only:
        graph.remove_edges_from(
            [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if d.get("predicate") in LINK_PREDICATES]
        )
        return graph
    for link in interpreted_links(store):
        if link["from"] not in graph or link["to"] not in graph:
            continue
        phrase = according_to(link)
        graph.add_edge(
            link["from"],
            link["to"],
            key=f"{INTERPRETED}:{link['interpretation']}",
            predicate=link["relation"],
            label=link["relation_label"],
            sources=list(link["sources"]),
            source_iris=list(link["source_iris"]),
            interpreted=True,
            according_to=phrase,
            holders=link["holders"],
            interpretation=link["interpretation"],
        )
    return graph
