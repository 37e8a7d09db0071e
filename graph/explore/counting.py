"""Counts by class, relation and source, and the most central entities (`bilateral stats`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["stats"]

_CLASSES = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(STRSTARTS(STR(?class), "{BL}"))
}} GROUP BY ?class"""

_ENTITIES = f"""
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?class . FILTER(STRSTARTS(STR(?class), "{BL}"))
  FILTER(!STRSTARTS(STR(?s), "{BL}")) }}"""

_RELATIONS = f"""
SELECT ?p (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?p), "{BL}") && isIRI(?o)) }} }}
}} GROUP BY ?p"""

_SOURCES = f"""
SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} ?g a <{BL}Source> }} GROUP BY ?g"""

_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def stats(store: Store, top: int = 10) -> dict:
    """The contract shape: triples, entities, classes, relations, sources (+ `central`).

    Class counts include instances of subclasses (a Meeting counts as an
    Event) because the closure is materialised; relation counts likewise
    include sub-properties (bl:participant counts agents and targets).

    Kept with the store (`Store.cached`): the counts are a function of the
    store's content, which names its directory, and take a quarter of a
    second of scans (the degree count most); the caller gets its own copy.
    """
    import copy

    return copy.deepcopy(store.cached(f"stats-{int(top)}", lambda: _count(store, int(top))))


def _count(store: Store, top: int) -> dict:
    """`stats`, computed."""
    index = label_index(store)

    def count(sparql: str) -> list:
        return list(store.ox.query(sparql, use_default_graph_as_union=True))

    triples = int(count(_TRIPLES)[0]["n"].value)
    entities = int(count(_ENTITIES)[0]["n"].value)
    classes = {index.label(r["class"].value): int(r["n"].value) for r in count(_CLASSES)}
    relations = {index.label(r["p"].value): int(r["n"].value) for r in count(_RELATIONS)}
    sources = {index.label(r["g"].value): int(r["n"].value) for r in count(_SOURCES)}
    return {
        "triples": triples,
        "entities": entities,
        "classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": dict(sorted(sources.items())),
        "central": _central(store, index, top),
    }


def _central(store: Store, index, top: int) -> list[dict]:
    """Entities related to the most other entities: the distinct other ends of the relations `show` lists.

    The same relations as an entity's card (graph/explore/cards.py: bl:
    properties, skos:broader, dcterms:creator/publisher, never itself), so
    this degree is the number the page's tooltip, "most connected" list and
    side panel give ("related to N entities").
    """
    from bilateral.graph.explore.cards import RELATION_FILTER

    sparql = f"""
    SELECT ?e (COUNT(DISTINCT ?other) AS ?n) WHERE {{
      {{ ?e ?p ?other }} UNION {{ ?other ?p ?e }}
      FILTER({RELATION_FILTER} && ?p != <{BL}assertedIn> && isIRI(?other) && isIRI(?e) && ?other != ?e)
      ?e a ?c . FILTER(STRSTARTS(STR(?c), "{BL}"))
    }} GROUP BY ?e"""
    # Ranked here, ties broken by IRI: engines order IRIs differently (Virtuoso by internal id).
    degrees = sorted(
        ((int(r["n"].value), r["e"].value) for r in store.ox.query(sparql, use_default_graph_as_union=True)),
        key=lambda d: (-d[0], d[1]),
    )[: int(top)]
    return [{"iri": iri, "label": index.label(iri), "types": index.type_labels(iri), "degree": n} for n, iri in degrees]
