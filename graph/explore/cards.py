"""The entity card (`bilateral show`): names, dates, facts, relations and their sources.

The contract fields come first (iri, label, types, aliases, description,
relations); the rest (labels by language, dates, facts, sources, and for an
event its place in the response chain) extends it.
"""

from __future__ import annotations

from bilateral.graph.dates import format_date
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, DCTERMS, RDFS, SKOS, curie

__all__ = ["card", "RESPONSE_PREDICATES"]

RESPONSE_PREDICATES = (BL + "respondsTo", BL + "retaliatesAgainst", BL + "reverses")
_RELATION_FILTER = f'(STRSTARTS(STR(?p), "{BL}") || ?p IN (<{SKOS}broader>, <{DCTERMS}creator>, <{DCTERMS}publisher>))'
_FACTS = {
    BL + "stance": "stance",
    BL + "quote": "quote",
    BL + "value": "value",
    BL + "unit": "unit",
    BL + "location": "location",
    RDFS + "comment": "comment",
    DCTERMS + "title": "title",
}

_OUT = f"""SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ $e ?p ?o }} }} UNION {{ $e ?p ?o FILTER NOT EXISTS {{ GRAPH ?h {{ $e ?p ?o }} }} }}
  FILTER(isIRI(?o) && {_RELATION_FILTER} && ?p NOT IN (<{BL}assertedIn>)) }}"""
_IN = f"""SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ ?o ?p $e }} }} UNION {{ ?o ?p $e FILTER NOT EXISTS {{ GRAPH ?h {{ ?o ?p $e }} }} }}
  FILTER({_RELATION_FILTER} && ?p NOT IN (<{BL}assertedIn>)) }}"""
_LITERALS = """SELECT ?p ?o ?g WHERE { { GRAPH ?g { $e ?p ?o } } UNION { $e ?p ?o } FILTER(isLiteral(?o)) }"""
# Direct links only, closed in Python: `?s rdfs:subPropertyOf+ ?o` with both ends unbound is an
# error on Virtuoso ("transitive start not given").
_SUPER = f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS}subPropertyOf> ?o }}"


def card(store, iri: str) -> dict:
    """Everything the graph says about `iri`, each relation with the sources asserting it."""
    import pyoxigraph as ox

    index = label_index(store)
    ref = str(ox.NamedNode(iri))  # validated IRI, safe to place in the query text

    def rows(sparql: str):
        return store.ox.query(sparql.replace("$e", ref), use_default_graph_as_union=True)

    supers = store.cached("superproperties", lambda: _superproperties(store))

    relations: dict[tuple[str, str, str], set[str]] = {}
    for direction, sparql in (("out", _OUT), ("in", _IN)):
        for r in rows(sparql):
            other = r["o"]
            if not isinstance(other, ox.NamedNode) or other.value == iri:
                continue
            key = (direction, r["p"].value, other.value)
            graphs = relations.setdefault(key, set())
            if r["g"] is not None:
                graphs.add(r["g"].value)
    # keep the most specific predicate for each (direction, other)
    by_end: dict[tuple[str, str], set[str]] = {}
    for direction, p, other in relations:
        by_end.setdefault((direction, other), set()).add(p)
    kept = []
    for (direction, p, other), graphs in relations.items():
        if any(p in supers.get(q, ()) for q in by_end[(direction, other)] if q != p):
            continue
        kept.append(
            {
                "direction": direction,
                "predicate": index.label(p),
                "predicate_iri": p,
                "other": {"iri": other, "label": index.label(other), "types": index.type_labels(other)},
                "sources": sorted(index.label(g) for g in graphs),
            }
        )
    kept.sort(key=lambda r: (r["direction"] != "out", r["predicate"], r["other"]["label"]))

    facts: dict[str, list[dict]] = {}
    dates: dict[str, str] = {}
    description = None
    fact_sources: dict[tuple[str, str], set[str]] = {}
    for r in rows(_LITERALS):
        p, value = r["p"].value, r["o"]
        if p == DCTERMS + "description":
            description = description or value.value
        elif p in (BL + "startDate", BL + "endDate", BL + "datePrecision", DCTERMS + "issued"):
            dates.setdefault(p, value.value)
        elif p in _FACTS:
            fact_sources.setdefault((_FACTS[p], value.value), set())
            if r["g"] is not None:
                fact_sources[(_FACTS[p], value.value)].add(r["g"].value)
    for (name, value), graphs in sorted(fact_sources.items()):
        facts.setdefault(name, []).append({"value": value, "sources": sorted(index.label(g) for g in graphs)})

    precision = dates.get(BL + "datePrecision") or "day"
    result = {
        "iri": iri,
        "curie": curie(iri),
        "label": index.label(iri),
        "types": index.type_labels(iri),
        "aliases": [name for name, _ in index.aliases.get(iri, [])],
        "description": description,
        "relations": kept,
        "labels": {lang or "und": name for name, lang in index.labels.get(iri, [])},
        "facts": facts,
        "sources": _sources(store, iri, index),
    }
    start = dates.get(BL + "startDate") or dates.get(DCTERMS + "issued")
    if start:
        result["date"] = {
            "start": start,
            "precision": precision,
            "display": format_date(start, precision),
            "end": dates.get(BL + "endDate"),
        }
    if any(r["predicate_iri"] in RESPONSE_PREDICATES for r in kept):
        result["chain"] = _chain_summary(kept)
    return result


def _superproperties(store) -> dict[str, set[str]]:
    """Each property → all its super-properties (transitively)."""
    import pyoxigraph as ox

    from bilateral.graph.storage.inference import hierarchy

    pairs = [
        ox.Quad(r["s"], ox.NamedNode(RDFS + "subPropertyOf"), r["o"])
        for r in store.ox.query(_SUPER, use_default_graph_as_union=True)
    ]
    return hierarchy(pairs, RDFS + "subPropertyOf")


def _chain_summary(relations: list[dict]) -> dict:
    """Where an event stands among responses: what it answered, what answered it, what reversed it."""
    summary: dict[str, list] = {"answers": [], "answered_by": [], "reverses": [], "reversed_by": []}
    for r in relations:
        p = r["predicate_iri"]
        if p not in RESPONSE_PREDICATES:
            continue
        entry = {**r["other"], "relation": r["predicate"], "sources": r["sources"]}
        if r["direction"] == "out":
            summary["reverses" if p == BL + "reverses" else "answers"].append(entry)
        else:
            summary["reversed_by" if p == BL + "reverses" else "answered_by"].append(entry)
    return summary


def _sources(store, iri: str, index) -> list[dict]:
    """The documents whose graphs say anything about `iri` (as subject or object)."""
    import pyoxigraph as ox

    sparql = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ $e ?p ?o }} UNION {{ ?s ?p $e }} }} ?g a <{BL}Source> }}"""
    found = store.ox.query(sparql.replace("$e", str(ox.NamedNode(iri))), use_default_graph_as_union=True)
    return sorted(({"iri": r["g"].value, "label": index.label(r["g"].value)} for r in found), key=lambda s: s["label"])
