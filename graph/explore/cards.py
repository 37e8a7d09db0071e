"""The entity card (`bilateral show`): names, dates, facts, relations and their sources.

The contract fields come first (iri, label, types, aliases, description,
relations); the rest (labels by language, dates, facts, sources, and for an
event its place in the response chain) extends it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating, format_date
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, DCTERMS, RDFS, SKOS, curie
from bilateral.graph.vocabulary import DATE_PARTS, FACTS, REVERSES, vocabulary

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["RELATION_FILTER", "card", "card_reads_name", "cards", "describe_date"]

#: Which predicates are relations (shared with `stats`' degree, graph/explore/counting.py).
RELATION_FILTER = f'(STRSTARTS(STR(?p), "{BL}") || ?p IN (<{SKOS}broader>, <{DCTERMS}creator>, <{DCTERMS}publisher>))'
# rdfs:comment is the curators' note (why a date, which sentence): never shown to analysts, only
# listed under "curator_notes" in the JSON; dcterms:description is the analyst's text (docs/curation.md).
_NOTE = RDFS + "comment"
#: The literals a card reads (`_Literals.add`); `cards` reads only these.
_SHOWN_LITERALS = {DCTERMS + "description", DCTERMS + "issued", _NOTE} | set(DATE_PARTS) | set(FACTS)

_OUT = f"""SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ $e ?p ?o }} }} UNION {{ $e ?p ?o FILTER NOT EXISTS {{ GRAPH ?h {{ $e ?p ?o }} }} }}
  FILTER(isIRI(?o) && {RELATION_FILTER} && ?p NOT IN (<{BL}assertedIn>)) }}"""
_IN = f"""SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ ?o ?p $e }} }} UNION {{ ?o ?p $e FILTER NOT EXISTS {{ GRAPH ?h {{ ?o ?p $e }} }} }}
  FILTER({RELATION_FILTER} && ?p NOT IN (<{BL}assertedIn>)) }}"""
_LITERALS = """SELECT ?p ?o ?g WHERE { { GRAPH ?g { $e ?p ?o } }
  UNION { $e ?p ?o FILTER NOT EXISTS { GRAPH ?h { $e ?p ?o } } } FILTER(isLiteral(?o)) }"""
_OTHER_RELATIONS = {SKOS + "broader", DCTERMS + "creator", DCTERMS + "publisher"}
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_SCAN_RELATIONS = "SELECT ?s ?p ?o ?g WHERE { VALUES ?p { $predicates } GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o)) }"
_SCAN_DEFAULT_RELATIONS = "SELECT ?s ?p ?o WHERE { VALUES ?p { $predicates } ?s ?p ?o FILTER(isIRI(?o)) }"
_SCAN_LITERALS = "SELECT ?s ?p ?o ?g WHERE { VALUES ?p { $predicates } GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o)) }"
_SCAN_DEFAULT_LITERALS = "SELECT ?s ?p ?o WHERE { VALUES ?p { $predicates } ?s ?p ?o FILTER(isLiteral(?o)) }"
_SCAN_SOURCES = (
    f"""SELECT DISTINCT ?x ?g WHERE {{ GRAPH ?g {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} ?g a <{BL}Source> }}"""
)
_SOURCES = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ $e ?p ?o }} UNION {{ ?s ?p $e }} }} ?g a <{BL}Source> }}"""


def card(store: Store, iri: str) -> dict:
    """Everything the graph says about `iri`, each relation with the sources asserting it."""
    import pyoxigraph as ox

    ref = str(ox.NamedNode(iri))  # validated IRI, safe to place in the query text

    def rows(sparql: str):
        return store.ox.query(sparql.replace("$e", ref), use_default_graph_as_union=True)

    reads = _Reads()
    for direction, sparql in (("out", _OUT), ("in", _IN)):
        for r in rows(sparql):
            other = r["o"].value if isinstance(r["o"], ox.NamedNode) else None
            reads.relations.append((direction, r["p"].value, other, _name(r["g"])))
    reads.literals.extend((r["p"].value, r["o"].value, _name(r["g"])) for r in rows(_LITERALS))
    reads.graphs.extend(r["g"].value for r in rows(_SOURCES))
    return _assemble(iri, reads, _Context(store))


#: `cards` reads the whole store once when asked for at least this many entities and at least one
#: in SCAN_SHARE of the store's (below, it asks per entity: a whole-store read would cost more).
SCAN_FROM = 150
SCAN_SHARE = 20


def cards(store: Store, iris: Iterable[str], *, whole_store: bool | None = None) -> dict[str, dict]:
    """`card` of many entities at once (the page's side panel): the same dicts, from five queries.

    `card` asks four queries per entity: a page of thousands of entities asks
    tens of thousands (and as many round trips to an --endpoint), and most of
    the time goes to decoding the same terms again and again.  Instead each
    kind of row (relations, the literals a card shows, the graphs that
    mention an entity) is read once for the whole store, grouped by entity in
    Python and kept with the store like the projection (`_scan`); each card
    is then assembled as `card` does (tests/test_page_batch.py holds the two
    equal).  A few entities of a large store are read one by one instead
    (`whole_store` None decides by SCAN_FROM and SCAN_SHARE; True or False
    forces either way).
    """
    import pyoxigraph as ox

    wanted = sorted({ox.NamedNode(iri).value for iri in iris})  # a malformed IRI fails here, as in `card`
    if whole_store is None:
        entities = len(label_index(store).types)
        whole_store = len(wanted) >= SCAN_FROM and len(wanted) * SCAN_SHARE >= entities
    if not whole_store:
        return {iri: card(store, iri) for iri in wanted}
    table = store.cached(card_reads_name(), lambda: _scan(store))
    context = _Context(store)
    empty: tuple = ([], [], [])
    return {iri: _assemble(iri, _Reads(*table.get(iri, empty)), context) for iri in wanted}


def card_reads_name() -> str:
    """The name `cards` keeps its whole-store reads under: it changes with what they read.

    The store's own caches are invalidated with the store (and the ontology,
    an input of the store); this one also with the queries and the literals
    it keeps, so that a change to them never meets a stale table.
    """
    import hashlib

    what = [_SCAN_RELATIONS, _SCAN_DEFAULT_RELATIONS, _SCAN_LITERALS, _SCAN_DEFAULT_LITERALS, _SCAN_SOURCES]
    what += [RELATION_FILTER, *sorted(_SHOWN_LITERALS), *sorted(_OTHER_RELATIONS)]
    return "card-reads-" + hashlib.sha256("\n".join(what).encode()).hexdigest()[:12]


def _name(term) -> str | None:
    return None if term is None else term.value


def _scan(store: Store) -> dict[str, tuple[list, list, list]]:
    """Each IRI's relations, shown literals and mentioning graphs (`_Reads`' fields), read once for the store.

    `card`'s queries take a triple from a named graph once per graph, and a
    triple of the default graph only when no named graph holds it.  Here the
    named graphs are read with GRAPH ?g, the default graph on its own (what
    a store without union semantics calls its default graph: the definitions
    and the closure; through `serve`, the union), and a default triple a named
    graph holds is dropped: the same rows.  Predicates are matched by VALUES
    (an index lookup) rather than by testing each triple's IRI as text.
    Plain tuples and lists, so that the store's cache may hold them.
    """
    import pyoxigraph as ox

    reads: dict[str, tuple[list, list, list]] = {}

    def entry(iri: str) -> tuple[list, list, list]:
        found = reads.get(iri)
        if found is None:
            found = reads[iri] = ([], [], [])
        return found

    predicates = [r["p"].value for r in store.ox.query(_PREDICATES, use_default_graph_as_union=True)]
    relation = " ".join(str(ox.NamedNode(p)) for p in sorted(predicates) if _is_relation(p)) or f"<{BL}none>"
    for s, p, o, g in _quads(store, _SCAN_RELATIONS, _SCAN_DEFAULT_RELATIONS, relation):
        entry(s)[0].append(("out", p, o, g))
        if o is not None:
            entry(o)[0].append(("in", p, s, g))
    shown = " ".join(str(ox.NamedNode(p)) for p in sorted(_SHOWN_LITERALS))
    for s, p, o, g in _quads(store, _SCAN_LITERALS, _SCAN_DEFAULT_LITERALS, shown):
        entry(s)[1].append((p, o, g))
    for r in store.ox.query(_SCAN_SOURCES, use_default_graph_as_union=True):
        if isinstance(r["x"], ox.NamedNode):
            entry(r["x"].value)[2].append(r["g"].value)
    return reads


def _quads(store: Store, named: str, default: str, predicates: str) -> list[tuple[str, str, str | None, str | None]]:
    """(s, p, o, graph) of the named graphs' rows, then (s, p, o, None) of the default graph's rows no named graph holds.

    An object that is not an IRI is None; a blank subject's row is left out (a card names no blank node).
    """
    import pyoxigraph as ox

    def value(term) -> str | None:
        return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else None

    rows: list[tuple[str, str, str | None, str | None]] = []
    seen: set[tuple[str, str, str | None]] = set()
    for r in store.ox.query(named.replace("$predicates", predicates), use_default_graph_as_union=True):
        if isinstance(r["s"], ox.NamedNode):
            row = (r["s"].value, r["p"].value, value(r["o"]))
            seen.add(row)
            rows.append((*row, r["g"].value))
    for r in store.ox.query(default.replace("$predicates", predicates), use_default_graph_as_union=False):
        if isinstance(r["s"], ox.NamedNode):
            row = (r["s"].value, r["p"].value, value(r["o"]))
            if row not in seen:
                seen.add(row)
                rows.append((*row, None))
    return rows


def _is_relation(predicate: str) -> bool:
    """RELATION_FILTER and not bl:assertedIn, in Python."""
    return predicate != BL + "assertedIn" and (predicate.startswith(BL) or predicate in _OTHER_RELATIONS)


@dataclass
class _Reads:
    """What the queries returned about one entity, in the order they returned it."""

    relations: list = field(default_factory=list)  # (direction, predicate, other IRI or None, graph or None)
    literals: list = field(default_factory=list)  # (predicate, value, graph or None)
    graphs: list = field(default_factory=list)  # the source graphs that mention it


class _Context:
    """What every card reads from whole-graph tables: labels, status changes, interpreted links, addresses.

    Read once for a batch of cards; each table is read on first use.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = _Names(label_index(store))
        self._changes: dict[str, list] | None = None
        self._readings: dict[str, list[dict]] | None = None
        self._links: dict[str, set[str]] | None = None
        self._urls: dict[str, str | None] | None = None

    def changes(self, iri: str) -> list:
        """Its status changes, in status_changes' order."""
        from bilateral.graph.time.lifecycle import status_changes

        if self._changes is None:
            self._changes = {}
            for change in status_changes(self.store):
                self._changes.setdefault(change.subject, []).append(change)
        return self._changes.get(iri, [])

    def response_links(self) -> dict[str, set[str]]:
        from bilateral.graph.explore.timelines import response_links

        if self._links is None:
            self._links = response_links(self.store)
        return self._links

    def links_of(self, iri: str) -> list[dict]:
        """The interpreted links `iri` takes part in, in interpreted_links' order."""
        from bilateral.graph.explore.interpreted import interpreted_links

        if self._readings is None:
            self._readings = {}
            for link in interpreted_links(self.store):
                for end in dict.fromkeys((link["from"], link["to"])):
                    self._readings.setdefault(end, []).append(link)
        return self._readings.get(iri, [])

    def url(self, graph: str) -> str | None:
        from bilateral.graph.sources import source_names

        if self._urls is None:
            names = self.store.cached("source-names", lambda: source_names(self.store))
            self._urls = {k: v.url for k, v in names.items()}
        return self._urls.get(graph)


class _Names:
    """A label index whose labels and type names are worked out once per IRI (a page asks for each many times)."""

    def __init__(self, index) -> None:
        self.labels = index.labels
        self.aliases = index.aliases
        self._index = index
        self._label: dict[str, str] = {}
        self._types: dict[str, list[str]] = {}
        self._specific: dict[frozenset[str], frozenset[str]] = {}

    def label(self, iri: str) -> str:
        found = self._label.get(iri)
        if found is None:
            found = self._label[iri] = self._index.label(iri)
        return found

    def type_labels(self, iri: str) -> list[str]:
        found = self._types.get(iri)
        if found is None:
            found = self._types[iri] = self._index.type_labels(iri)
        return list(found)

    def most_specific(self, predicates: set[str]) -> set[str]:
        """vocabulary().most_specific, worked out once per set of predicates (agent beside participant ...)."""
        if len(predicates) == 1:
            return set(predicates)
        key = frozenset(predicates)
        found = self._specific.get(key)
        if found is None:
            found = self._specific[key] = frozenset(vocabulary().most_specific(predicates))
        return set(found)


def _assemble(iri: str, reads: _Reads, context: _Context) -> dict:
    """The card of `iri` from what the queries returned about it (shared by `card` and `cards`)."""
    index = context.index
    kept = _relations(iri, index, reads.relations)
    literals = _Literals()
    # a fixed order, whatever order the store gave: the named graphs' rows before the default graph's
    for p, value, graph in sorted(reads.literals, key=lambda row: (row[2] is None, row[0], row[1], row[2] or "")):
        literals.add(p, value, graph or "")
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
        "sources": _sources(iri, reads.graphs, context),
        "curator_notes": notes,
    }
    result.update(_date_fields(literals, index))
    lifecycle = _lifecycle(iri, context)
    if lifecycle:
        result["lifecycle"] = lifecycle
    readings = _readings(iri, context)
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


def _relations(iri: str, index, rows: list[tuple]) -> list[dict]:
    """Every relation of `iri` with the sources asserting it, the most specific predicate for each end.

    `rows` are (direction, predicate, other end or None when it is no IRI, graph or None).
    """
    relations: dict[tuple[str, str, str], set[str]] = {}
    for direction, p, other, graph in rows:
        if other is None or other == iri:
            continue
        graphs = relations.setdefault((direction, p, other), set())
        if graph is not None:
            graphs.add(graph)
    by_end: dict[tuple[str, str], set[str]] = {}
    for direction, p, other in relations:
        by_end.setdefault((direction, other), set()).add(p)
    specific = {end: index.most_specific(predicates) for end, predicates in by_end.items()}
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
    # ties (two ends with one label, two predicates with one label) by IRI: the store's row order never decides
    kept.sort(
        key=lambda r: (
            r["direction"] != "out",
            r["predicate"],
            r["other"]["label"],
            r["predicate_iri"],
            r["other"]["iri"],
        )
    )
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


def _readings(iri: str, context: _Context) -> list[dict]:
    """The hedged or attributed response links this event takes part in, each with whose reading it is."""
    from bilateral.graph.explore.interpreted import according_to

    index = context.index
    found = []
    for link in context.links_of(iri):
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


def _lifecycle(iri: str, context: _Context) -> dict | None:
    """An accord's or measure's status changes in order (graph/time/lifecycle.py), each with date, event, sources."""
    from bilateral.graph.time.lifecycle import history

    own = context.changes(iri)
    if not own:
        return None
    index = context.index
    steps = [
        {
            "status": index.label(c.status),
            "date": c.dating.text(),
            "set_by": [{"iri": e, "label": index.label(e)} for e in c.events],
            "sources": [index.label(g) for g in c.sources],
        }
        for c in history(own, context.response_links(), index.label)
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


def _sources(iri: str, graphs: list[str], context: _Context) -> list[dict]:
    """The documents whose graphs say anything about `iri` (as subject or object): `graphs`, with names and addresses."""
    out = []
    for graph in graphs:
        entry = {"iri": graph, "label": context.index.label(graph)}
        url = context.url(graph)
        if url:
            entry["url"] = url
        out.append(entry)
    return sorted(out, key=lambda s: (s["label"], s["iri"]))
