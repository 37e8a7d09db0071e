"""Remote mode: the store's pyoxigraph calls answered by a SPARQL 1.1 server.

The library reaches a store only through `store.ox`, with the calls
graph.storage.protocol.QuadStore lists (`query(...)`, `quads_for_pattern(...)`,
iteration, `len`, `dump(...)` and `named_graphs()`; mypy checks that
`RemoteOx` has them all).  `RemoteOx` implements exactly those over the SPARQL 1.1
Protocol and returns the same pyoxigraph objects, so every read command runs
against a server (Virtuoso, the Oxigraph server, Fuseki, GraphDB ...) with
no module knowing it is remote.  `open_remote(endpoint)` gives a GraphStore
around it.

What a published dataset looks like (see graph.publish):

    <…/id/graph-definitions>   the local default graph (ontology, definitions, their closure)
    <source IRI>               one named graph per bl:Source, as locally
    <…/id/graph-manifest>      which graphs the last publish wrote (never queried)

Union semantics, portably: every query carries the protocol's dataset
parameters.  With `use_default_graph_as_union=True` the default graph is
the merge of every bilateral graph (`default-graph-uri` × all) and `GRAPH ?g`
ranges over the source graphs (`named-graph-uri` × sources); without it the
default graph is the definitions graph alone.  Quads are read the same way:
the definitions graph as the dataset's default graph (`default-graph-uri`),
the sources with `GRAPH` (`named-graph-uri`), so the client never names the
definitions graph in a GRAPH pattern.  This keeps a server's own graphs
(Virtuoso's ~2,500 system triples) out of every answer.  The graph list
comes from the manifest (or, for data loaded by other means, from
`GRAPH ?g { ?g a bl:Source }` and whether the definitions graph answers as
a default graph), read once per store.

`bilateral serve` is such a server with no manifest: it answers
`default-graph-uri=<…/graph-definitions>` with its store's default graph
(graph.storage.sandbox), so it is read like a published server and gives
exactly the local quads.

A third-party server that holds the sources but no definitions graph keeps
the definitions in its own default graph (a "native" layout, e.g. an
N-Quads export loaded into a server whose default graph is the union).  No
dataset parameter can name that server's default graph, so it is asked
with none, and its definitions are read as the default graph's triples that
no named graph holds (see RemoteOx._where): a definitions triple that a
source also holds is read once there, in the source's graph.

Truncation: Virtuoso cuts results at ResultSetMaxRows with HTTP 200 and says
so only in an `X-SPARQL-MaxRows` header; results that hit it raise
TruncatedResult.  For a server of unknown make, a SELECT that returns many
rows is counted again with COUNT(*) and compared.  Reading a whole graph
(iteration, dump, export) pages through a result the server cuts.

Errors are one line each: Unreachable, AuthFailed, RemoteError,
TruncatedResult and QueryTimeout (exit 1); BadInput for a malformed URL, a
query the server calls malformed, or an endpoint that is not there (exit 2).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections import OrderedDict
from pathlib import Path

from bilateral.graph.errors import BadInput, QueryTimeout, RemoteError, TruncatedResult
from bilateral.graph.namespaces import BL, DCTERMS, ID, RDF
from bilateral.graph.remote.transport import Http, Response, check_endpoint, first_line, short_url
from bilateral.graph.storage.query import code_only
from bilateral.graph.storage.store import GraphStore

__all__ = [
    "RemoteOx",
    "RemoteGraphStore",
    "open_remote",
    "check_endpoint",
    "DEFINITIONS_GRAPH",
    "MANIFEST_GRAPH",
    "query_form",
]

#: The named graph that holds the local default graph (ontology + definitions + closure) on a server.
DEFINITIONS_GRAPH = ID + "graph-definitions"
#: The named graph where `publish` records which graphs it wrote; never part of a query's dataset.
MANIFEST_GRAPH = ID + "graph-manifest"
#: The manifest's link to a graph of coded event data (an import, the CAMEO scheme): read commands leave
#: these out; `temperature` and `events` add them (RemoteGraphStore.with_coded_events).
CODED_PART = BL + "codedEventGraph"
#: Stands in for "no graph" in a dataset parameter (an empty list would mean "the server's default").
_NO_GRAPH = ID + "graph-none"

_RESULTS_JSON = "application/sparql-results+json"
_RESULTS_XML = "application/sparql-results+xml"
_N_TRIPLES = "application/n-triples"
#: A SELECT with at least this many rows is counted again on a server that does not announce its row limit.
COUNT_CHECK_ROWS = 1000
_SUBJECT_CACHE = 4096


# --------------------------------------------------------------------------- query text

_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_DECLARED = re.compile(r"(?<![\w:?$])PREFIX\s+([A-Za-z][\w.-]*|)\s*:", re.IGNORECASE)


def query_form(sparql: str) -> tuple[str, int]:
    """("select"|"ask"|"construct"|"describe", offset of that keyword) of a query."""
    m = _FORM.search(code_only(sparql))
    if not m:
        return "select", 0
    return m.group(1).lower(), m.start()


def with_prefixes(sparql: str, prefixes: dict | None, base_iri: str | None = None) -> str:
    """The query behind one added line declaring BASE and the prefixes it does not declare itself.

    One line, so a server's "line N" is the user's line N + 1 (see _unshift).
    """
    declared = {m.group(1) for m in _DECLARED.finditer(code_only(sparql))} if prefixes else set()
    parts = [f"BASE <{base_iri}>"] if base_iri else []
    parts += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items() if name not in declared]
    return " ".join(parts) + "\n" + sparql if parts else sparql


def _unshift(message: str) -> str:
    """A server's syntax error with line numbers as the user wrote them (one prologue line was added)."""
    message = re.sub(r"\b(line )(\d+)", lambda m: m.group(1) + str(max(1, int(m.group(2)) - 1)), message)
    return re.sub(r"\b(at )(\d+)(:\d+)", lambda m: m.group(1) + str(max(1, int(m.group(2)) - 1)) + m.group(3), message)


_BNODE_OK = re.compile(r"^[A-Za-z0-9]+$")


def _bnode_id(value: str) -> str:
    """A server's blank-node label as a valid, stable pyoxigraph id (Virtuoso says nodeID://b10001)."""
    if _BNODE_OK.match(value):
        return value
    return "x" + "".join(c if c.isascii() and c.isalnum() else "_" + c.encode().hex() for c in value)


# --------------------------------------------------------------------------- the adapter


class RemoteOx:
    """The subset of pyoxigraph.Store the library uses, answered by a SPARQL 1.1 endpoint."""

    def __init__(self, endpoint: str, http: Http | None = None):
        self.endpoint = check_endpoint(endpoint)
        self.http = http or Http()
        self.http.allow(self.endpoint)
        self._graphs: list[str] | None = None
        #: True when the server has no DEFINITIONS_GRAPH and keeps the definitions in its own default graph.
        self._native = False
        self._subjects: OrderedDict = OrderedDict()
        self._types: dict | None = None
        self._type_lookups = 0

    def __repr__(self) -> str:
        return f"<RemoteOx {self.endpoint}>"

    # ---- the dataset

    def manifest(self) -> list[str]:
        """The graphs the last `publish` wrote, as its manifest graph lists them (empty when there is none).

        `publish` reads it to delete graphs it wrote before and not now;
        `graphs()` reads it to know the dataset.
        """
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{MANIFEST_GRAPH}> <{DCTERMS}hasPart> ?g }} }}",
            [("named-graph-uri", MANIFEST_GRAPH)],
        )
        return sorted({r["g"].value for r in rows if r["g"] is not None})

    def graph_size(self, graph: str) -> int:
        """How many triples the server holds in the named graph `graph` (0 when it is not there)."""
        rows = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", [("named-graph-uri", graph)]
        )
        return int(rows[0]["n"].value) if rows else 0

    def graphs(self) -> list[str]:
        """Every bilateral graph on the server (definitions graph first), read once."""
        if self._graphs is None:
            graphs = self.manifest()
            if not graphs:
                rows = self._select(
                    f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{RDF}type> <{BL}Source> }} }}", dataset=None
                )
                graphs = sorted({r["g"].value for r in rows if r["g"] is not None})
                if graphs:
                    self._native = not self._holds_definitions()
                    graphs.append(DEFINITIONS_GRAPH)  # in a native layout: the name of the server's default graph
            if not graphs:
                raise RemoteError(
                    f"{short_url(self.endpoint)} holds no bilateral graphs; run `bilateral publish --endpoint URL` first"
                )
            graphs.sort(key=lambda g: (g != DEFINITIONS_GRAPH, g))
            self._graphs = graphs
        return self._graphs

    def _holds_definitions(self) -> bool:
        """Whether the server answers the definitions graph as a dataset's default graph.

        A server the data was put on by other means than `publish` may hold
        it as a named graph, or (`bilateral serve`) map the name to its own
        default graph; either way it is read like a published server.
        """
        dataset = [("default-graph-uri", DEFINITIONS_GRAPH), ("named-graph-uri", _NO_GRAPH)]
        return bool(self._run("ASK { ?s ?p ?o }", dataset))

    def coded_graphs(self) -> list[str]:
        """The graphs of coded event data the last publish listed apart (empty when it had no imports)."""
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{MANIFEST_GRAPH}> <{CODED_PART}> ?g }} }}",
            dataset=None,
        )
        return sorted({r["g"].value for r in rows if r["g"] is not None})

    def with_graphs(self, extra: list[str]) -> RemoteOx:
        """The same server seen with `extra` graphs added to the dataset (same HTTP session)."""
        view = RemoteOx(self.endpoint, self.http)
        view._graphs = self.graphs() + sorted(set(extra) - set(self.graphs()))
        view._native = self._native
        return view

    def sources(self) -> list[str]:
        """The named graphs of the documents (every graph but the definitions)."""
        return [g for g in self.graphs() if g != DEFINITIONS_GRAPH]

    def _dataset(self, union: bool) -> list[tuple[str, str]]:
        if self._native_layout():
            # The server's own dataset.  Right when its default graph is the union, which is what union
            # queries want; a query of the definitions alone sees the union there too (the library's
            # only such query, the projection's default-graph edges, adds nothing from it).
            return []
        default = self.graphs() if union else [DEFINITIONS_GRAPH]
        named = self.sources() or [_NO_GRAPH]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def _quad_dataset(self, graph: str | None = None) -> list[tuple[str, str]]:
        """The dataset of a quad read (see _where): the definitions as its default graph, the sources named.

        `graph` None reads every graph; a source graph alone needs no default graph.
        """
        if self._native_layout():
            return []
        if graph is not None and graph != DEFINITIONS_GRAPH:
            return [("named-graph-uri", graph)]
        named = self.sources() if graph is None else []
        return [("default-graph-uri", DEFINITIONS_GRAPH)] + [("named-graph-uri", g) for g in named or [_NO_GRAPH]]

    def _native_layout(self) -> bool:
        """Whether the server keeps the definitions in its default graph rather than in DEFINITIONS_GRAPH.

        So it is when a store as built was loaded into a server by other
        means than `publish`: sources in named graphs, ontology and
        definitions in the server's default graph, no definitions graph.
        No SPARQL dataset parameter can name a server's default graph, so
        such a server is asked with none (its own dataset) and its default
        graph is read as "the triples in no named graph" (see _where).
        (`bilateral serve` is not one: it answers the definitions graph.)
        """
        self.graphs()
        return self._native

    def _where(self, graph: str | None, triple: str) -> str:
        """The group graph pattern reading `triple` from `graph` (None: every graph, ?g unbound in the default).

        Asked with _quad_dataset(graph): the definitions graph is the
        dataset's default graph, so a triple both it and a source hold is
        read twice, once in each, as locally.  In a native layout the
        definitions are the triples of the default graph that no named graph
        holds (on a server whose default graph is the union that is the only
        way to tell them apart); a triple both hold is read once, in the
        named graph.
        """
        if not self._native_layout():
            if graph is None:
                return f"{{ GRAPH ?g {{ {triple} }} }} UNION {{ {triple} }}"
            return triple if graph == DEFINITIONS_GRAPH else f"GRAPH <{graph}> {{ {triple} }}"
        default_only = f"{triple} FILTER NOT EXISTS {{ GRAPH ?other {{ {triple} }} }}"
        if graph is None:
            return f"{{ GRAPH ?g {{ {triple} }} }} UNION {{ {default_only} }}"
        return default_only if graph == DEFINITIONS_GRAPH else f"GRAPH <{graph}> {{ {triple} }}"

    # ---- pyoxigraph.Store API

    def query(
        self,
        query: str,
        *,
        prefixes: dict | None = None,
        use_default_graph_as_union: bool = False,
        base_iri: str | None = None,
        **options,
    ):
        """Run a query; QuerySolutions, QueryBoolean, or a list of Triples (CONSTRUCT/DESCRIBE)."""
        if options.get("default_graph") is not None or options.get("named_graphs") is not None:
            raise BadInput("a remote store chooses its dataset itself (default_graph/named_graphs unsupported)")
        text = with_prefixes(query, prefixes, base_iri)
        try:
            return self._run(text, self._dataset(use_default_graph_as_union))
        except BadInput as exc:
            if text == query:
                raise
            raise BadInput(_unshift(str(exc))) from None

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        """Quads matching the pattern; the definitions graph comes back as the DefaultGraph, as locally."""
        import pyoxigraph as ox

        if any(isinstance(t, ox.BlankNode) for t in (subject, predicate, object, graph_name)):
            return iter(())  # a server's blank nodes cannot be named in a query
        if isinstance(subject, ox.NamedNode) and graph_name is None:
            if predicate == ox.NamedNode(RDF + "type") and subject.value not in self._subjects:
                self._type_lookups += 1
                if self._type_lookups > 8:  # many entities checked one by one: read every type once
                    quads = self._type_table().get(subject.value, [])
                    return iter([q for q in quads if object is None or q.object == object])
            quads = self._subject_quads(subject)
            return iter(
                [
                    q
                    for q in quads
                    if (predicate is None or q.predicate == predicate) and (object is None or q.object == object)
                ]
            )
        return iter(self._pattern(subject, predicate, object, graph_name))

    def __iter__(self):
        for graph in self.graphs():
            yield from self._graph_quads(graph)

    def __len__(self) -> int:
        rows = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._where(None, '?s ?p ?o')} }}", self._quad_dataset()
        )
        return int(rows[0]["n"].value) if rows else 0

    def named_graphs(self):
        """The documents' graphs as pyoxigraph NamedNodes, as Store.named_graphs gives them."""
        import pyoxigraph as ox

        return iter([ox.NamedNode(g) for g in self.sources()])

    def dump(self, output=None, format=None, *, from_graph=None, **options):
        """Serialise like pyoxigraph.Store.dump, from the quads the server holds."""
        import pyoxigraph as ox

        local = ox.Store()
        if from_graph is not None:
            name = DEFINITIONS_GRAPH if isinstance(from_graph, ox.DefaultGraph) else from_graph.value
            local.extend(self._graph_quads(name))
        else:
            local.extend(iter(self))
        return local.dump(output, format, from_graph=from_graph, **options)

    # ---- helpers

    def _type_table(self) -> dict:
        if self._types is None:
            table: dict = {}
            import pyoxigraph as ox

            for quad in self._pattern(None, ox.NamedNode(RDF + "type"), None, None):
                table.setdefault(quad.subject.value, []).append(quad)
            self._types = table
        return self._types

    def _subject_quads(self, subject) -> list:
        key = subject.value
        if key in self._subjects:
            self._subjects.move_to_end(key)
            return self._subjects[key]
        quads = self._pattern(subject, None, None, None)
        self._subjects[key] = quads
        if len(self._subjects) > _SUBJECT_CACHE:
            self._subjects.popitem(last=False)
        return quads

    def _pattern(self, subject, predicate, object, graph_name) -> list:
        import pyoxigraph as ox

        terms = []
        for term, var in ((subject, "?s"), (predicate, "?p"), (object, "?o")):
            terms.append(var if term is None else str(term))
        name = None
        if graph_name is not None:
            name = DEFINITIONS_GRAPH if isinstance(graph_name, ox.DefaultGraph) else graph_name.value
        dataset = self._quad_dataset(name)
        variables = [t for t in terms if t.startswith("?")] + (["?g"] if name is None else [])
        sparql = f"SELECT {' '.join(variables) or '*'} WHERE {{ {self._where(name, ' '.join(terms))} }}"
        rows = self._select(sparql, dataset)
        fixed = [subject, predicate, object]
        quads = []
        for row in rows:
            s, p, o = (fixed[i] if fixed[i] is not None else row[v[1:]] for i, v in enumerate(("?s", "?p", "?o")))
            g = name if name is not None else (row["g"].value if row["g"] is not None else DEFINITIONS_GRAPH)
            quads.append(ox.Quad(s, p, o, ox.DefaultGraph() if g == DEFINITIONS_GRAPH else ox.NamedNode(g)))
        return quads

    def _graph_quads(self, graph: str) -> list:
        """Every quad of one graph, paging when the server cuts the result."""
        import pyoxigraph as ox

        name = ox.DefaultGraph() if graph == DEFINITIONS_GRAPH else ox.NamedNode(graph)
        dataset = self._quad_dataset(graph)
        select = f"SELECT ?s ?p ?o WHERE {{ {self._where(graph, '?s ?p ?o')} }}"
        try:
            rows = self._select(select, dataset)
        except TruncatedResult as exc:
            rows = self._paged(select, dataset, exc.limit, graph)
        return [ox.Quad(r["s"], r["p"], r["o"], name) for r in rows]

    def _paged(self, select: str, dataset, limit: int | None, graph: str) -> list:
        """Read an ordered result page by page (an ordered subquery, so Virtuoso's sort limit holds)."""
        expected = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._where(graph, '?s ?p ?o')} }}", dataset)
        total = int(expected[0]["n"].value)
        size = max(1, (limit or COUNT_CHECK_ROWS) - 1)
        rows: list = []
        while len(rows) < total:
            page = self._select(
                f"SELECT ?s ?p ?o WHERE {{ {{ {select} ORDER BY ?s ?p ?o }} }} OFFSET {len(rows)} LIMIT {size}",
                dataset,
                check=False,
            )
            if not page:
                break
            rows.extend(page)
        if len(rows) != total:
            raise TruncatedResult(
                f"read {len(rows)} of the {total} triples of <{graph}> from "
                f"{short_url(self.endpoint)}; the data changed while reading, or the server "
                "cuts results: raise its row limit"
            )
        return rows

    def _select(self, sparql: str, dataset, check: bool = True) -> list:
        return list(self._run(sparql, dataset, check=check))

    def _run(self, sparql: str, dataset, check: bool = True):
        form, _ = query_form(sparql)
        accept = _RESULTS_JSON if form in ("select", "ask") else f"{_N_TRIPLES}, text/turtle;q=0.9"
        params = [("query", sparql)] + list(dataset or [])
        response = self.http.send(
            "POST",
            self.endpoint,
            "query",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
            body=urllib.parse.urlencode(params).encode("utf-8"),
        )
        return self._decode(form, response, sparql, dataset, check)

    def _decode(self, form: str, response: Response, sparql: str, dataset, check: bool):
        import pyoxigraph as ox

        _partial(response)
        kind = response.content_type
        if form in ("construct", "describe"):
            try:
                fmt = ox.RdfFormat.from_media_type(kind) if kind else None
            except ValueError:
                fmt = None
            if kind == "text/plain":
                fmt = ox.RdfFormat.N_TRIPLES
            if fmt is None:
                raise RemoteError(
                    f"{short_url(self.endpoint)} answered a {form.upper()} with {kind or 'no type'}, not RDF"
                )
            try:
                return [getattr(q, "triple", q) for q in ox.parse(response.body, format=fmt)]
            except (SyntaxError, ValueError) as exc:
                raise RemoteError(f"{short_url(self.endpoint)} sent unreadable RDF: {exc}") from None
        if kind == _RESULTS_XML or kind == "application/xml":
            try:
                return ox.parse_query_results(response.body, format=ox.QueryResultsFormat.XML)
            except (SyntaxError, ValueError) as exc:
                raise RemoteError(f"{short_url(self.endpoint)} sent unreadable SPARQL results: {exc}") from None
        try:
            doc = json.loads(response.body)
        except ValueError:
            raise RemoteError(
                f"{short_url(self.endpoint)} did not answer with SPARQL results "
                f"(got {kind or 'no type'}: {first_line(response.body, 120)!r})"
            ) from None
        body = response.body
        if isinstance(doc, dict) and isinstance(doc.get("results"), dict):
            bindings = doc["results"].get("bindings") or []
            if _fix_bnodes(bindings):
                body = json.dumps(doc).encode("utf-8")
            if check:
                self._check_complete(len(bindings), response, sparql, dataset)
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{short_url(self.endpoint)} sent unreadable SPARQL results: {exc}") from None

    def _check_complete(self, rows: int, response: Response, sparql: str, dataset) -> None:
        """Raise TruncatedResult when the server cut the result at its row limit."""
        cap = response.headers.get("X-SPARQL-MaxRows")
        if cap and cap.strip().isdigit() and rows >= int(cap):
            raise TruncatedResult(
                f"{short_url(self.endpoint)} cut the result at {int(cap)} rows (its ResultSetMaxRows); "
                "raise that limit in the [SPARQL] section of virtuoso.ini, or narrow the query",
                limit=int(cap),
            )
        server = (response.headers.get("Server") or "").lower()
        if rows < COUNT_CHECK_ROWS or cap is not None or server.startswith(("oxigraph", "virtuoso")):
            return  # Oxigraph has no row limit; Virtuoso announces its own
        form, start = query_form(sparql)
        if form != "select":
            return
        counted = f"{sparql[:start]}SELECT (COUNT(*) AS ?bilateral_rows) WHERE {{ {{ {sparql[start:]} }} }}"
        try:
            found = self._select(counted, dataset, check=False)
            total = int(found[0]["bilateral_rows"].value)
        except (RemoteError, BadInput, QueryTimeout, KeyError, IndexError, ValueError, TypeError):
            return  # cannot be counted this way (e.g. FROM in the query); nothing to compare
        if total > rows:
            raise TruncatedResult(
                f"{short_url(self.endpoint)} sent {rows} of {total} rows: the server cut the "
                "result (a row limit); raise it or narrow the query",
                limit=rows,
            )


def _partial(response: Response) -> None:
    """Virtuoso's 'anytime' answers: HTTP 200 with partial results and an X-SQL-State header."""
    state = response.headers.get("X-SQL-State")
    if state:
        message = response.headers.get("X-SQL-Message") or state
        raise TruncatedResult(
            f"the server stopped the query early and sent partial results ({message.strip()}); "
            "raise its MaxQueryExecutionTime or narrow the query"
        )


def _fix_bnodes(bindings: list) -> bool:
    changed = False
    for binding in bindings:
        for term in binding.values():
            if isinstance(term, dict) and term.get("type") == "bnode":
                fixed = _bnode_id(str(term.get("value", "")))
                if fixed != term.get("value"):
                    term["value"] = fixed
                    changed = True
    return changed


# --------------------------------------------------------------------------- the store


class RemoteGraphStore(GraphStore):
    """A GraphStore whose `ox` is a RemoteOx; derived values are cached in memory only.

    (A disk cache could outlive the server's data: the next publish would not
    invalidate it.)
    """

    endpoint: str = ""

    def with_coded_events(self) -> RemoteGraphStore:
        """This server with its published coded event data (imports, CAMEO) in the dataset.

        Read commands see the curated graphs only; `temperature` and `events`
        aggregate over this view (which finds no coded events, as locally,
        when the last publish had no imports).
        """
        assert isinstance(self.ox, RemoteOx)  # always, for a RemoteGraphStore
        coded = self.ox.coded_graphs()
        view = RemoteGraphStore(ox=self.ox.with_graphs(coded), data_dir=self.data_dir, store_dir=self.store_dir)
        view.endpoint = self.endpoint
        return view

    def cached(self, name: str, compute):
        """`compute()` once per remote store and name (no cache directory: the server's graph can change)."""
        memory = self.__dict__.setdefault("_remote_cache", {})
        if name not in memory:
            memory[name] = compute()
        return memory[name]


def open_remote(
    endpoint: str, *, user: str | None = None, password: str | None = None, timeout: float = 120.0
) -> GraphStore:
    """A GraphStore answering from the SPARQL 1.1 endpoint `endpoint` (its query URL).

    Nothing is sent until the first query; then the graph list is read once.
    """
    endpoint = check_endpoint(endpoint)
    ox = RemoteOx(endpoint, Http(user, password, timeout))
    store = RemoteGraphStore(
        ox=ox,
        data_dir=None,  # type: ignore[arg-type]  # no data directory: the server holds the data
        store_dir=Path(os.devnull),  # never read: a remote store keeps its caches in memory
        warnings=[],
    )
    store.endpoint = endpoint
    return store
