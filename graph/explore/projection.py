"""The NetworkX projection: entities as nodes, relations as edges, sources on each edge.

One function, used by `path`, `chain`, `render` and the graphml/gexf/csv
exports.  Sources are not nodes (they would join everything to everything);
they ride on each edge as the list of documents asserting it.  Where the
closure added a super-property beside a more specific one (bl:participant
beside bl:agent), only the most specific edge is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, DCTERMS, SKOS
from bilateral.graph.vocabulary import vocabulary

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["project", "SKIPPED_PREDICATES"]

#: Predicates that are bookkeeping rather than relations worth walking.
SKIPPED_PREDICATES = {BL + "mentions", BL + "assertedIn"}

_EDGES = f"""
SELECT ?s ?p ?o ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?o) && (STRSTARTS(STR(?p), "{BL}") || ?p = <{SKOS}broader>))
}}"""

_DEFAULT_EDGES = f"""
SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o .
  FILTER(isIRI(?o) && (STRSTARTS(STR(?p), "{BL}") || ?p = <{SKOS}broader>))
}}"""

_DATES = f"""
SELECT ?s ?date ?precision ?end ?description WHERE {{
  ?s a ?c . FILTER(STRSTARTS(STR(?c), "{BL}"))
  OPTIONAL {{ ?s <{BL}startDate> ?date }}
  OPTIONAL {{ ?s <{BL}datePrecision> ?precision }}
  OPTIONAL {{ ?s <{BL}endDate> ?end }}
  OPTIONAL {{ ?s <{DCTERMS}description> ?description }}
}}"""


def project(store: Store):
    """Build (or reuse) the MultiDiGraph of `store`.

    Node attributes: label, types (most specific bl: classes), type (the
    first), date, precision, end, description.  Edge key: predicate IRI;
    attributes: predicate, label (the predicate's label), sources (labels of
    the documents asserting it), source_iris.
    """
    return store.cached("projection", lambda: _build(store))


def _build(store: Store):
    """Entities as nodes with their dates, then the relations between them as edges."""
    import networkx as nx

    index = label_index(store)
    graph = nx.MultiDiGraph()
    for iri, types in sorted(index.types.items()):
        if BL + "Source" in types or iri.startswith(BL):
            continue  # documents are the edges' sources, and terms of the vocabulary (CAMEO's quad classes) no entities
        graph.add_node(
            iri, label=index.label(iri), types=index.type_labels(iri), type=index.type_labels(iri)[0] if types else ""
        )
    _add_dates(store, graph)
    for (s, p, o), graphs in _relations(store, graph).items():
        graph.add_edge(
            s, o, key=p, predicate=p, label=index.label(p), sources=[index.label(g) for g in graphs], source_iris=graphs
        )
    return graph


def _add_dates(store: Store, graph) -> None:
    """Each node's date, precision, end and description (the first value, in a fixed order, when several)."""
    dated = sorted(
        store.ox.query(_DATES, use_default_graph_as_union=True),
        key=lambda r: tuple(
            "" if r[k] is None else r[k].value for k in ("s", "date", "precision", "end", "description")
        ),
    )
    for row in dated:
        iri = row["s"].value
        if iri in graph:
            node = graph.nodes[iri]
            for key in ("date", "precision", "end", "description"):
                term = row[key]
                if term is not None and key not in node:
                    node[key] = term.value


def _relations(store: Store, graph) -> dict[tuple[str, str, str], list[str]]:
    """(subject, predicate, object) → the sorted graphs asserting it, between nodes of `graph`.

    Most specific predicates only: p is dropped when a sub-property of p
    joins the same pair (graph/vocabulary.py).
    """
    edges: dict[tuple[str, str, str], list[str]] = {}
    rows = [
        (r["s"].value, r["p"].value, r["o"].value, r["g"].value)
        for r in store.ox.query(_EDGES, use_default_graph_as_union=True)
    ]
    rows += [(r["s"].value, r["p"].value, r["o"].value, None) for r in store.ox.query(_DEFAULT_EDGES)]
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3] or ""))  # engine row order must not decide path ties
    for s, p, o, g in rows:
        if p in SKIPPED_PREDICATES or s not in graph or o not in graph or s == o:
            continue
        graphs = edges.setdefault((s, p, o), [])
        if g and g not in graphs:
            graphs.append(g)
    by_pair: dict[tuple[str, str], set[str]] = {}
    for s, p, o in edges:
        by_pair.setdefault((s, o), set()).add(p)
    specific = {pair: vocabulary().most_specific(predicates) for pair, predicates in by_pair.items()}
    return {(s, p, o): sorted(graphs) for (s, p, o), graphs in edges.items() if p in specific[(s, o)]}
