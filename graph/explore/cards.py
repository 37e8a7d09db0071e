"""The entity card (`bilateral show`): names, dates, facts, relations and their sources.

The contract fields come first (iri, label, types, aliases, description,
relations); the rest (labels by language, dates, facts, sources, and for an
event its place in the response chain) extends it.
"""

from __future__ import annotations

from bilateral.graph.dates import Dating, format_date
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, DCTERMS, RDFS, SKOS, curie
from bilateral.graph.vocabulary import DATE_PARTS, FACTS, REVERSES, vocabulary

__all__ = ["RELATION_FILTER", "card", "describe_date"]

#: Which predicates are relations (shared with `stats`' degree, graph/explore/counting.py).
RELATION_FILTER = f'(STRSTARTS(STR(?p), "{BL}") || ?p IN (<{SKOS}broader>, <{DCTERMS}creator>, <{DCTERMS}publisher>))'
# rdfs:comment is the curators' note (why a date, which sentence): never shown to analysts, only
# listed under "curator_notes" in the JSON; dcterms:description is the analyst's text (docs/curation.md).
_NOTE = RDFS + "comment"

_OUT = f"""SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ $e ?p ?o }} }} UNION {{ $e ?p ?o FILTER NOT EXISTS {{ GRAPH ?h {{ $e ?p ?o }} }} }}
  FILTER(isIRI(?o) && {RELATION_FILTER} && ?p NOT IN (<{BL}assertedIn>)) }}"""
_IN = f"""SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ ?o ?p $e }} }} UNION {{ ?o ?p $e FILTER NOT EXISTS {{ GRAPH ?h {{ ?o ?p $e }} }} }}
  FILTER({RELATION_FILTER} && ?p NOT IN (<{BL}assertedIn>)) }}"""
_LITERALS = """SELECT ?p ?o ?g WHERE { { GRAPH ?g { $e ?p ?o } }
  UNION { $e ?p ?o FILTER NOT EXISTS { GRAPH ?h { $e ?p ?o } } } FILTER(isLiteral(?o)) }"""


def card(store, iri: str) -> dict:
    """Everything the graph says about `iri`, each relation with the sources asserting it."""
    import pyoxigraph as ox

    index = label_index(store)
    ref = str(ox.NamedNode(iri))  # validated IRI, safe to place in the query text

    def rows(sparql: str):
        return store.ox.query(sparql.replace("$e", ref), use_default_graph_as_union=True)

    kept = _relations(store, iri, index, rows)
    literals = _Literals()
    for r in rows(_LITERALS):
        literals.add(r["p"].value, r["o"].value, r["g"].value if r["g"] is not None else "")
    facts: dict[str, list[dict]] = {}
    for (name, value), graphs in sorted(literals.facts.items()):
        facts.setdefault(name, []).append({"value": value, "sources": sorted(index.label(g) for g in graphs if g)})
    notes = facts.pop("curator_note", [])
    description = literals.description

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
        "curator_notes": notes,
    }
    result.update(_date_fields(literals, index))
    lifecycle = _lifecycle(store, iri, index)
    if lifecycle:
        result["lifecycle"] = lifecycle
    readings = _readings(store, iri, index)
    if readings:
        result["interpreted_links"] = readings
    if any(r["predicate_iri"] in vocabulary().response_predicates for r in kept):
        result["chain"] = _chain_summary(kept)
    return result


class _Literals:
    """The literal values of one entity, sorted into description, facts, curator notes and dates per graph."""

    def __init__(self) -> None:
        self.description: str | None = None
        self.issued: tuple[str, str] | None = None  # (date, graph)
        self.facts: dict[tuple[str, str], set[str]] = {}
        self.by_graph: dict[str, dict[str, str]] = {}

    def add(self, p: str, value: str, graph: str) -> None:
        if p == DCTERMS + "description":
            self.description = self.description or value
        elif p in DATE_PARTS:
            self.by_graph.setdefault(graph, {}).setdefault(DATE_PARTS[p], value)
        elif p == DCTERMS + "issued":
            self.issued = self.issued or (value, graph)
        elif p in FACTS or p == _NOTE:
            self.facts.setdefault((FACTS.get(p, "curator_note"), value), set()).add(graph)


def _date_fields(literals: _Literals, index) -> dict:
    """`date` (the first date given), `dates` (each date with its sources) and `dates_disagree`."""
    dates = _dates_by_source(literals.by_graph, index)
    if dates:
        first = next((d for d in dates if d.get("start")), None)
        fields: dict = {
            "dates": dates,
            "dates_disagree": len({(d["start"], d["precision"]) for d in dates if d.get("start")}) > 1,
        }
        if first:
            fields["date"] = {k: first.get(k) for k in ("start", "precision", "display", "end")}
        return fields
    if literals.issued:
        value, graph = literals.issued
        precision = literals.by_graph.get(graph, {}).get("precision") or "day"
        return {"date": {"start": value, "precision": precision, "display": format_date(value, precision), "end": None}}
    return {}


def _relations(store, iri: str, index, rows) -> list[dict]:
    """Every relation of `iri` with the sources asserting it, the most specific predicate for each end."""
    import pyoxigraph as ox

    relations: dict[tuple[str, str, str], set[str]] = {}
    for direction, sparql in (("out", _OUT), ("in", _IN)):
        for r in rows(sparql):
            other = r["o"]
            if not isinstance(other, ox.NamedNode) or other.value == iri:
                continue
            graphs = relations.setdefault((direction, r["p"].value, other.value), set())
            if r["g"] is not None:
                graphs.add(r["g"].value)
    by_end: dict[tuple[str, str], set[str]] = {}
    for direction, p, other in relations:
        by_end.setdefault((direction, other), set()).add(p)
    specific = {end: vocabulary().most_specific(predicates) for end, predicates in by_end.items()}
    kept = []
    for (direction, p, other), graphs in relations.items():
        if p not in specific[(direction, other)]:
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
    return kept


def _dates_by_source(by_graph: dict[str, dict[str, str]], index) -> list[dict]:
    """One entry per distinct date (or pair of bounds), with the sources that give it; earliest first.

    Each document's graph holds the date that document gives, so two
    documents that disagree give two entries, and the card says so.
    """
    merged: dict[tuple, set[str]] = {}
    for graph, parts in by_graph.items():
        if not any(k in parts for k in ("start", "not_before", "not_after")):
            continue
        precision = parts.get("precision") or "day"
        key = (
            parts.get("start"),
            precision if parts.get("start") else None,
            parts.get("end"),
            parts.get("not_before"),
            parts.get("not_after"),
        )
        merged.setdefault(key, set())
        if graph:
            merged[key].add(graph)
    out = []
    for (start, precision, end, low, high), graphs in sorted(merged.items(), key=lambda kv: [v or "" for v in kv[0]]):
        entry: dict = {"sources": sorted(index.label(g) for g in graphs)}
        if start:
            entry.update(start=start, precision=precision, display=format_date(start, precision), end=end)
        if low or high:
            entry.update(not_before=low, not_after=high)
            if not start:
                entry["display"] = Dating.of(not_before=low, not_after=high).text()
        out.append(entry)
    return out


def _readings(store, iri: str, index) -> list[dict]:
    """The hedged or attributed response links this event takes part in, each with whose reading it is."""
    from bilateral.graph.explore.interpreted import according_to, interpreted_links

    found = []
    for link in interpreted_links(store):
        if iri not in (link["from"], link["to"]):
            continue
        direction = "out" if link["from"] == iri else "in"
        other = link["to"] if direction == "out" else link["from"]
        found.append(
            {
                "direction": direction,
                "relation": link["relation_label"],
                "relation_iri": link["relation"],
                "other": {"iri": other, "label": index.label(other), "types": index.type_labels(other)},
                "according_to": according_to(link),
                "holders": link["holders"],
                "interpretation": link["interpretation"],
                "sources": link["sources"],
            }
        )
    return found


def describe_date(entry: dict) -> str:
    """A date entry of a card in words, by the one rule (graph/dates.py): "2019-07 (month)", "between 2019-06 and 2019-08".

    >>> describe_date({"start": "2019-07-01", "precision": "month", "display": "2019-07", "end": None})
    '2019-07 (month)'
    >>> describe_date({"not_before": "2019-06-01", "not_after": None})
    'after 2019-06'
    """
    if entry.get("start"):
        return entry["display"] + (f" – {entry['end']}" if entry.get("end") else "") + f" ({entry['precision']})"
    return Dating.of(not_before=entry.get("not_before"), not_after=entry.get("not_after")).text() or ""


def _lifecycle(store, iri: str, index) -> dict | None:
    """An accord's or measure's status changes in order (graph/time/lifecycle.py), each with date, event, sources."""
    from bilateral.graph.explore.timelines import response_links
    from bilateral.graph.time.lifecycle import history, status_changes

    own = [c for c in status_changes(store) if c.subject == iri]
    if not own:
        return None
    steps = [
        {
            "status": index.label(c.status),
            "date": c.dating.text(),
            "set_by": [{"iri": e, "label": index.label(e)} for e in c.events],
            "sources": [index.label(g) for g in c.sources],
        }
        for c in history(own, response_links(store), index.label)
    ]
    return {"current": steps[-1]["status"], "since": steps[-1]["date"], "history": steps}


def _chain_summary(relations: list[dict]) -> dict:
    """Where an event stands among responses: what it answered, what answered it, what reversed it."""
    summary: dict[str, list] = {"answers": [], "answered_by": [], "reverses": [], "reversed_by": []}
    for r in relations:
        p = r["predicate_iri"]
        if p not in vocabulary().response_predicates:
            continue
        entry = {**r["other"], "relation": r["predicate"], "sources": r["sources"]}
        if r["direction"] == "out":
            summary["reverses" if p == REVERSES else "answers"].append(entry)
        else:
            summary["reversed_by" if p == REVERSES else "answered_by"].append(entry)
    return summary


def _sources(store, iri: str, index) -> list[dict]:
    """The documents whose graphs say anything about `iri` (as subject or object)."""
    import pyoxigraph as ox

    sparql = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ $e ?p ?o }} UNION {{ ?s ?p $e }} }} ?g a <{BL}Source> }}"""
    from bilateral.graph.sources import source_names

    found = store.ox.query(sparql.replace("$e", str(ox.NamedNode(iri))), use_default_graph_as_union=True)
    urls = {k: v.url for k, v in store.cached("source-names", lambda: source_names(store)).items()}
    out = []
    for r in found:
        entry = {"iri": r["g"].value, "label": index.label(r["g"].value)}
        if urls.get(r["g"].value):
            entry["url"] = urls[r["g"].value]
        out.append(entry)
    return sorted(out, key=lambda s: s["label"])
