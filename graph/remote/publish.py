"""Publish the local store to a SPARQL server (`bilateral publish`).

One Graph Store Protocol PUT per named graph (`?graph=<iri>`, N-Triples,
UTF-8), each replacing what the graph held, so publishing twice leaves the
same triples.  The local default graph (ontology, definitions and their
closure) goes to DEFINITIONS_GRAPH; each source graph keeps its IRI.  Then
graphs the previous publish wrote and this one did not are deleted, the
manifest graph is written (which graphs make up the dataset, for
`--endpoint`), and every graph is counted back with SPARQL and compared.

Why PUT per graph: it works alike on Virtuoso and the Oxigraph server
(measured: TriG and N-Quads are refused by Virtuoso's Graph Store, SPARQL
Update is capped near 1,428 triples per INSERT DATA there and loses blank
nodes), keeps blank nodes within a graph, and a failure names its graph.

Auth: HTTP Digest (Virtuoso's /sparql-graph-crud-auth) or Basic, whichever
the server asks for, through urllib's handlers; credentials are sent up
front once a probe has fetched the server's challenge, so a large graph is
uploaded once.

The default Graph Store endpoint, when none is given, is derived from the
query endpoint (see `default_store_endpoint`).
"""

from __future__ import annotations

import re
import time
import urllib.parse
import urllib.request

from bilateral.graph.errors import BadInput, BilateralError, PublishFailed
from bilateral.graph.namespaces import DCTERMS, XSD
from bilateral.graph.remote.client import CODED_PART, DEFINITIONS_GRAPH, MANIFEST_GRAPH, Http, RemoteOx, check_endpoint

__all__ = ["publish", "default_store_endpoint", "local_graphs"]

_RULES = (
    # (query endpoint path, Graph Store path): first match wins
    (re.compile(r"^/query$"), "/store"),  # Oxigraph server
    (re.compile(r"^/sparql$"), "/sparql-graph-crud-auth"),  # Virtuoso (Digest auth)
    (re.compile(r"^(/repositories/[^/]+)$"), r"\1/rdf-graphs/service"),  # GraphDB, RDF4J
    (re.compile(r"^(/.+)/(?:sparql|query)$"), r"\1/data"),  # Fuseki: /DATASET/sparql
)


def default_store_endpoint(endpoint: str) -> str:
    """The Graph Store endpoint beside a query endpoint.

    /query → /store (Oxigraph); /sparql → /sparql-graph-crud-auth (Virtuoso);
    /repositories/R → /repositories/R/rdf-graphs/service (GraphDB, RDF4J);
    /DATASET/sparql or /DATASET/query → /DATASET/data (Fuseki).  Anything
    else: BadInput asking for --store-endpoint.
    """
    parts = urllib.parse.urlsplit(check_endpoint(endpoint))
    path = parts.path.rstrip("/") or "/"
    for pattern, replacement in _RULES:
        if pattern.match(path):
            new = pattern.sub(replacement, path)
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))
    raise BadInput(f"cannot tell the Graph Store endpoint that goes with {endpoint}; give --store-endpoint URL")


def local_graphs(store) -> list[tuple[str, object]]:
    """(remote graph IRI, local graph name) for the default graph and every named graph, in order."""
    import pyoxigraph as ox

    named = sorted(g.value for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode))
    return [(DEFINITIONS_GRAPH, ox.DefaultGraph())] + [(g, ox.NamedNode(g)) for g in named]


class _Body:
    """A request body that reports progress and can be sent again (after an auth challenge)."""

    def __init__(self, data: bytes, report):
        self.data = data
        self.pos = 0
        self.report = report

    def __len__(self) -> int:
        return len(self.data)

    def read(self, size: int = -1) -> bytes:
        if self.pos >= len(self.data):
            self.pos = 0  # exhausted: the next read starts a resend
            return b""
        end = len(self.data) if size is None or size < 0 else self.pos + size
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        if self.report:
            self.report(self.pos, len(self.data))
        return chunk


def _graph_url(store_endpoint: str, graph: str) -> str:
    joiner = "&" if "?" in store_endpoint else "?"
    return store_endpoint + joiner + urllib.parse.urlencode({"graph": graph})


def publish(
    store,
    endpoint: str,
    store_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    progress=None,
    timeout: float = 600.0,
    coded: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Push every graph of `store` to the server; return {graph IRI: triples the server holds}.

    `endpoint` is the SPARQL query endpoint (used to count back);
    `store_endpoint` the Graph Store Protocol endpoint (derived when None).
    `progress(graph, index, count, sent_bytes, size_bytes)` is called while
    each graph uploads.  `coded` names the graphs of coded event data (the
    imports and the CAMEO scheme): the manifest lists them apart
    (CODED_PART), so read commands see only the curated graphs and
    `temperature`/`events` add these.  Raises PublishFailed naming the graph that failed
    or did not count back; graphs before it are published, those after it
    keep what they held.
    """
    import pyoxigraph as ox

    endpoint = check_endpoint(endpoint)
    store_endpoint = (
        check_endpoint(store_endpoint, "store endpoint") if store_endpoint else default_store_endpoint(endpoint)
    )
    http = Http(user, password, timeout)
    http.allow(store_endpoint)
    remote = RemoteOx(endpoint, http)
    graphs = local_graphs(store)
    previous = _manifest(remote)
    probe = _graph_url(store_endpoint, MANIFEST_GRAPH)
    http.check_access(probe, "Graph Store access check")
    sent: dict[str, int] = {}
    for index, (iri, name) in enumerate(graphs, 1):
        body = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        sent[iri] = body.count(b"\n")

        def report(done, size, iri=iri, index=index):
            if progress:
                progress(iri, index, len(graphs), done, size)

        report(0, len(body))
        _send(
            http,
            "PUT",
            _graph_url(store_endpoint, iri),
            body,
            probe,
            f"graph <{iri}> ({index} of {len(graphs)})",
            report,
        )
    for iri in sorted(set(previous) - set(sent) - {MANIFEST_GRAPH}):
        _send(
            http, "DELETE", _graph_url(store_endpoint, iri), None, probe, f"stale graph <{iri}>", None, missing_ok=True
        )
    _send(
        http,
        "PUT",
        _graph_url(store_endpoint, MANIFEST_GRAPH),
        _manifest_body(list(sent), coded),
        probe,
        f"manifest graph <{MANIFEST_GRAPH}>",
        None,
    )
    counts = {}
    for iri, expected in sent.items():
        try:
            rows = remote._select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", [("named-graph-uri", iri)]
            )
        except BilateralError as exc:
            raise PublishFailed(f"published, but counting back graph <{iri}> failed: {exc}") from None
        counts[iri] = int(rows[0]["n"].value) if rows else 0
        if counts[iri] != expected:
            raise PublishFailed(f"graph <{iri}>: sent {expected} triples but {_host(endpoint)} holds {counts[iri]}")
    return counts


def _send(
    http: Http, method: str, url: str, body: bytes | None, probe: str, what: str, report, missing_ok: bool = False
) -> None:
    headers = {}
    data = None
    if body is not None:
        data = _Body(body, report)
        headers = {"Content-Type": "application/n-triples", "Content-Length": str(len(body))}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    http.preauthorize(request, probe)
    started = time.perf_counter()
    try:
        http.send(request, f"{method} of {what}")
    except BadInput as exc:
        if missing_ok and "HTTP 404" in str(exc):
            return
        raise BadInput(f"publishing {what} failed: {exc}") from None
    except BilateralError as exc:
        raise PublishFailed(f"publishing {what} failed after {time.perf_counter() - started:.1f} s: {exc}") from None


def _manifest(remote: RemoteOx) -> list[str]:
    """The graphs the previous publish wrote (empty when none); fails early when the server is unreachable."""
    rows = remote._select(
        f"SELECT ?g WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{MANIFEST_GRAPH}> ?part ?g "
        f"FILTER(?part IN (<{DCTERMS}hasPart>, <{CODED_PART}>)) }} }}",
        [("named-graph-uri", MANIFEST_GRAPH)],
    )
    return [r["g"].value for r in rows if r["g"] is not None]


def _manifest_body(graphs: list[str], coded: frozenset[str] = frozenset()) -> bytes:
    import datetime as _dt

    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    lines = [f"<{MANIFEST_GRAPH}> <{CODED_PART if g in coded else DCTERMS + 'hasPart'}> <{g}> ." for g in graphs]
    lines.append(f'<{MANIFEST_GRAPH}> <{DCTERMS}modified> "{now}"^^<{XSD}dateTime> .')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc
