"""Remote mode: the store's pyoxigraph calls answered by a SPARQL 1.1 server.

The library reaches a store only through `store.ox` (a pyoxigraph.Store):
`query(...)`, `quads_for_pattern(...)`, iteration, `len`, `dump(...)` and
`named_graphs()`.  `RemoteOx` implements exactly those over the SPARQL 1.1
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
default graph is the definitions graph alone.  This keeps a server's own
graphs (Virtuoso's ~2,500 system triples) out of every answer.  The graph
list comes from the manifest (or, for data loaded by other means, from
`GRAPH ?g { ?g a bl:Source }`), read once per store.

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
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilateral.graph.errors import AuthFailed, BadInput, QueryTimeout, RemoteError, TruncatedResult, Unreachable
from bilateral.graph.namespaces import BL, DCTERMS, ID, RDF
from bilateral.graph.storage.store import GraphStore

__all__ = [
    "RemoteOx",
    "RemoteGraphStore",
    "open_remote",
    "check_endpoint",
    "Http",
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


# --------------------------------------------------------------------------- HTTP


@dataclass
class Response:
    status: int
    headers: Any  # http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def check_endpoint(url: str, what: str = "endpoint") -> str:
    """The URL, stripped, when it is an http(s) URL with a host; BadInput otherwise."""
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{what} {url!r} is not an http:// or https:// URL")
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise BadInput(f"{what} {url!r} has an invalid port") from None
    return url


def _first_line(body: bytes, limit: int = 300) -> str:
    """The first meaningful line of a server's error answer (HTML tags dropped)."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line[:limit]
    return ""


class Http:
    """A small urllib client: Digest and Basic auth, timeouts, one-line errors.

    Credentials are offered only to the server that asks for them (HTTP 401);
    `preauthorize` sends them up front for requests with large bodies, so a
    big PUT is not uploaded twice.
    """

    def __init__(self, user: str | None = None, password: str | None = None, timeout: float = 120.0):
        self.user = user
        self.timeout = timeout
        self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        handlers = []
        if user is not None:
            handlers = [
                urllib.request.HTTPDigestAuthHandler(self._passwords),
                urllib.request.HTTPBasicAuthHandler(self._passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)
        self._digest = urllib.request.HTTPDigestAuthHandler(self._passwords)
        self._challenges: dict[str, str] = {}
        self._password = password

    def allow(self, url: str) -> None:
        """Offer the credentials to `url` and everything below it (and nowhere else)."""
        if self.user is not None:
            self._passwords.add_password(None, _short(url), self.user, self._password or "")

    def send(self, request: urllib.request.Request, what: str) -> Response:
        """Send `request`; a refusal, a timeout or an unreachable host becomes a RemoteError naming `what`."""
        url = request.full_url
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read() if exc.fp else b""
            except OSError:
                body = b""
            raise self._http_error(exc.code, body, url, what) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"{_short(url)} did not answer within {self.timeout:g} s ({what})") from None
            if isinstance(reason, (BrokenPipeError, ConnectionResetError)) and request.data is not None:
                raise Unreachable(
                    f"{_short(url)} closed the connection during the {what} "
                    f"({_reason(reason)}): it may have refused the request"
                ) from None
            raise Unreachable(f"cannot reach {_short(url)}: {_reason(reason)}") from None
        except TimeoutError:
            raise QueryTimeout(f"{_short(url)} did not answer within {self.timeout:g} s ({what})") from None
        except ValueError as exc:
            raise BadInput(f"{_short(url)}: {exc}") from None
        except OSError as exc:  # connection reset, http.client errors are OSError or HTTPException
            raise Unreachable(f"connection to {_short(url)} failed: {_reason(exc)}") from None
        except Exception as exc:  # http.client.HTTPException (RemoteDisconnected is also OSError)
            import http.client

            if isinstance(exc, http.client.HTTPException):
                raise Unreachable(f"connection to {_short(url)} failed: {type(exc).__name__}: {exc}") from None
            raise

    def _http_error(self, code: int, body: bytes, url: str, what: str) -> Exception:
        detail = _first_line(body)
        tail = f": {detail}" if detail else ""
        if code in (401, 403):
            if self.user is None:
                return AuthFailed(
                    f"{_short(url)} requires credentials (HTTP {code}){tail}; "
                    "give the user (publish --user NAME, or BILATERAL_USER for any command) "
                    "and set BILATERAL_PASSWORD"
                )
            return AuthFailed(f"{_short(url)} refused the credentials of {self.user!r} (HTTP {code})")
        if code == 404:
            return BadInput(
                f"{_short(url)}: no such endpoint (HTTP 404); check the URL "
                "(Oxigraph: /query and /store, Virtuoso: /sparql and /sparql-graph-crud-auth)"
            )
        if code in (406, 415):
            return RemoteError(f"{_short(url)} refused the format of the {what} (HTTP {code}){tail}")
        if code == 400:
            return BadInput(f"the server refused the {what} (HTTP 400){tail}")
        if code in (408, 504):
            return QueryTimeout(f"{_short(url)} gave up on the {what} (HTTP {code}){tail}")
        return RemoteError(f"{_short(url)} failed on the {what} (HTTP {code}){tail}")

    def check_access(self, url: str, what: str) -> None:
        """GET `url` with the credentials: AuthFailed now rather than a broken pipe mid-upload.

        Any answer but 401/403 counts as access (404 is a graph that is not there yet).
        """
        try:
            self.send(urllib.request.Request(url, method="GET", headers={"Accept": "application/n-triples"}), what)
        except AuthFailed:
            raise
        except BadInput as exc:
            if "HTTP 404" not in str(exc):
                raise
        except RemoteError as exc:
            if isinstance(exc, Unreachable):
                raise

    def preauthorize(self, request: urllib.request.Request, probe_url: str) -> None:
        """Add an Authorization header before sending (Digest from a probed challenge, or Basic)."""
        if self.user is None:
            return
        challenge = self._challenges.get(probe_url)
        if challenge is None:
            challenge = ""
            try:
                with urllib.request.build_opener().open(
                    urllib.request.Request(probe_url, method="GET"), timeout=self.timeout
                ):
                    pass
            except urllib.error.HTTPError as exc:
                if exc.code == 401:
                    challenge = exc.headers.get("WWW-Authenticate") or ""
            except (urllib.error.URLError, OSError):
                pass  # the real request will report it
            self._challenges[probe_url] = challenge
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            value = self._digest.get_authorization(request, fields)
            if value:
                request.add_unredirected_header("Authorization", "Digest " + value)
        elif scheme.lower() == "basic":
            import base64

            token = base64.b64encode(f"{self.user}:{self._password or ''}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", "Basic " + token)


def _short(url: str) -> str:
    """A URL without its query string, for messages."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _reason(reason) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


# --------------------------------------------------------------------------- query text

_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_DECLARED = re.compile(r"(?<![\w:?$])PREFIX\s+([A-Za-z][\w.-]*|)\s*:", re.IGNORECASE)


def _code_only(sparql: str) -> str:
    from bilateral.graph.storage.query import _code_only as blank

    return blank(sparql)


def query_form(sparql: str) -> tuple[str, int]:
    """("select"|"ask"|"construct"|"describe", offset of that keyword) of a query."""
    m = _FORM.search(_code_only(sparql))
    if not m:
        return "select", 0
    return m.group(1).lower(), m.start()


def with_prefixes(sparql: str, prefixes: dict | None, base_iri: str | None = None) -> str:
    """The query behind one added line declaring BASE and the prefixes it does not declare itself.

    One line, so a server's "line N" is the user's line N + 1 (see _unshift).
    """
    declared = {m.group(1) for m in _DECLARED.finditer(_code_only(sparql))} if prefixes else set()
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
        self._subjects: OrderedDict = OrderedDict()
        self._types: dict | None = None
        self._type_lookups = 0

    def __repr__(self) -> str:
        return f"<RemoteOx {self.endpoint}>"

    # ---- the dataset

    def graphs(self) -> list[str]:
        """Every bilateral graph on the server (definitions graph first), read once."""
        if self._graphs is None:
            rows = self._select(
                f"SELECT DISTINCT ?g WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{MANIFEST_GRAPH}> <{DCTERMS}hasPart> ?g }} }}",
                dataset=None,
            )
            graphs = sorted({r["g"].value for r in rows if r["g"] is not None})
            if not graphs:
                rows = self._select(
                    f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{RDF}type> <{BL}Source> }} }}", dataset=None
                )
                graphs = sorted({r["g"].value for r in rows if r["g"] is not None})
                if graphs and bool(self._run(f"ASK {{ GRAPH <{DEFINITIONS_GRAPH}> {{ ?s ?p ?o }} }}", None)):
                    graphs.append(DEFINITIONS_GRAPH)
            if not graphs:
                raise RemoteError(
                    f"{_short(self.endpoint)} holds no bilateral graphs; run `bilateral publish --endpoint URL` first"
                )
            graphs.sort(key=lambda g: (g != DEFINITIONS_GRAPH, g))
            self._graphs = graphs
        return self._graphs

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
        return view

    def sources(self) -> list[str]:
        """The named graphs of the documents (every graph but the definitions)."""
        return [g for g in self.graphs() if g != DEFINITIONS_GRAPH]

    def _dataset(self, union: bool) -> list[tuple[str, str]]:
        default = self.graphs() if union else [DEFINITIONS_GRAPH]
        named = self.sources() or [_NO_GRAPH]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def _quad_dataset(self, graphs: list[str] | None = None) -> list[tuple[str, str]]:
        return [("named-graph-uri", g) for g in (graphs or self.graphs())]

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
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", self._quad_dataset())
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
        if graph_name is None:
            graph, dataset = "?g", self._quad_dataset()
        else:
            name = DEFINITIONS_GRAPH if isinstance(graph_name, ox.DefaultGraph) else graph_name.value
            graph, dataset = f"<{name}>", self._quad_dataset([name])
        variables = [t for t in terms + [graph] if t.startswith("?")]
        sparql = f"SELECT {' '.join(variables) or '*'} WHERE {{ GRAPH {graph} {{ {' '.join(terms)} }} }}"
        rows = self._select(sparql, dataset)
        fixed = [subject, predicate, object]
        quads = []
        for row in rows:
            s, p, o = (fixed[i] if fixed[i] is not None else row[v[1:]] for i, v in enumerate(("?s", "?p", "?o")))
            g = row["g"].value if graph == "?g" else graph[1:-1]
            quads.append(ox.Quad(s, p, o, ox.DefaultGraph() if g == DEFINITIONS_GRAPH else ox.NamedNode(g)))
        return quads

    def _graph_quads(self, graph: str) -> list:
        """Every quad of one graph, paging when the server cuts the result."""
        import pyoxigraph as ox

        name = ox.DefaultGraph() if graph == DEFINITIONS_GRAPH else ox.NamedNode(graph)
        dataset = self._quad_dataset([graph])
        select = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        try:
            rows = self._select(select, dataset)
        except TruncatedResult as exc:
            rows = self._paged(select, dataset, exc.limit, graph)
        return [ox.Quad(r["s"], r["p"], r["o"], name) for r in rows]

    def _paged(self, select: str, dataset, limit: int | None, graph: str) -> list:
        """Read an ordered result page by page (an ordered subquery, so Virtuoso's sort limit holds)."""
        expected = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", dataset)
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
                f"{_short(self.endpoint)}; the data changed while reading, or the server "
                "cuts results: raise its row limit"
            )
        return rows

    def _select(self, sparql: str, dataset, check: bool = True) -> list:
        return list(self._run(sparql, dataset, check=check))

    def _run(self, sparql: str, dataset, check: bool = True):
        form, _ = query_form(sparql)
        accept = _RESULTS_JSON if form in ("select", "ask") else f"{_N_TRIPLES}, text/turtle;q=0.9"
        params = [("query", sparql)] + list(dataset or [])
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(params).encode("utf-8"),
            method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
        )
        response = self.http.send(request, "query")
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
                    f"{_short(self.endpoint)} answered a {form.upper()} with {kind or 'no type'}, not RDF"
                )
            try:
                return [getattr(q, "triple", q) for q in ox.parse(response.body, format=fmt)]
            except (SyntaxError, ValueError) as exc:
                raise RemoteError(f"{_short(self.endpoint)} sent unreadable RDF: {exc}") from None
        if kind == _RESULTS_XML or kind == "application/xml":
            try:
                return ox.parse_query_results(response.body, format=ox.QueryResultsFormat.XML)
            except (SyntaxError, ValueError) as exc:
                raise RemoteError(f"{_short(self.endpoint)} sent unreadable SPARQL results: {exc}") from None
        try:
            doc = json.loads(response.body)
        except ValueError:
            raise RemoteError(
                f"{_short(self.endpoint)} did not answer with SPARQL results "
                f"(got {kind or 'no type'}: {_first_line(response.body, 120)!r})"
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
            raise RemoteError(f"{_short(self.endpoint)} sent unreadable SPARQL results: {exc}") from None

    def _check_complete(self, rows: int, response: Response, sparql: str, dataset) -> None:
        """Raise TruncatedResult when the server cut the result at its row limit."""
        cap = response.headers.get("X-SPARQL-MaxRows")
        if cap and cap.strip().isdigit() and rows >= int(cap):
            raise TruncatedResult(
                f"{_short(self.endpoint)} cut the result at {int(cap)} rows (its ResultSetMaxRows); "
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
                f"{_short(self.endpoint)} sent {rows} of {total} rows: the server cut the "
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
