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
the server asks for (graph.remote.transport, on httpx); an access check
first learns the server's challenge, so every upload after it carries its
credentials up front and a large graph is uploaded once.

The default Graph Store endpoint, when none is given, is derived from the
query endpoint (see `default_store_endpoint`).
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING

from bilateral.graph.errors import BadInput, BilateralError, NoSuchEndpoint, PublishFailed
from bilateral.graph.namespaces import DCTERMS, XSD
from bilateral.graph.remote.client import CODED_PART, DEFINITIONS_GRAPH, MANIFEST_GRAPH, RemoteOx
from bilateral.graph.remote.transport import Http, check_endpoint

if TYPE_CHECKING:
    import pyoxigraph as ox

    from bilateral.graph.storage.protocol import Store

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


def local_graphs(store: Store) -> list[tuple[str, ox.DefaultGraph | ox.NamedNode]]:
    """(remote graph IRI, local graph name) for the default graph and every named graph, in order."""
    import pyoxigraph as ox

    named = sorted(g.value for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode))
    return [(DEFINITIONS_GRAPH, ox.DefaultGraph())] + [(g, ox.NamedNode(g)) for g in named]


def _graph_url(store_endpoint: str, graph: str) -> str:
    joiner = "&" if "?" in store_endpoint else "?"
    return store_endpoint + joiner + urllib.parse.urlencode({"graph": graph})


def publish(
    store: Store,
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
    endpoint = check_endpoint(endpoint)
    store_endpoint = (
        check_endpoint(store_endpoint, "store endpoint") if store_endpoint else default_store_endpoint(endpoint)
    )
    http = Http(user, password, timeout)
    http.allow(store_endpoint)
    try:
        remote = RemoteOx(endpoint, http)
        return _count_back(remote, _upload(store, remote, store_endpoint, progress, coded))
    finally:
        http.close()


def _upload(store: Store, remote: RemoteOx, store_endpoint: str, progress, coded: frozenset[str]) -> dict[str, int]:
    """PUT every graph, DELETE the stale ones, write the manifest; {graph IRI: triples sent}."""
    import pyoxigraph as ox

    http = remote.http
    graphs = local_graphs(store)
    previous = remote.manifest() + remote.coded_graphs()  # fails early when the server is unreachable
    probe = _graph_url(store_endpoint, MANIFEST_GRAPH)
    http.check_access(probe, "Graph Store access check")  # AuthFailed now; and the auth scheme, learnt once
    sent: dict[str, int] = {}
    for index, (iri, name) in enumerate(graphs, 1):
        body = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""
        sent[iri] = body.count(b"\n")

        def report(done, size, iri=iri, index=index):
            if progress:
                progress(iri, index, len(graphs), done, size)

        report(0, len(body))
        _send(http, "PUT", _graph_url(store_endpoint, iri), body, f"graph <{iri}> ({index} of {len(graphs)})", report)
    for iri in sorted(set(previous) - set(sent) - {MANIFEST_GRAPH}):
        _send(http, "DELETE", _graph_url(store_endpoint, iri), None, f"stale graph <{iri}>", None, missing_ok=True)
    _send(
        http,
        "PUT",
        _graph_url(store_endpoint, MANIFEST_GRAPH),
        _manifest_body(list(sent), coded),
        f"manifest graph <{MANIFEST_GRAPH}>",
        None,
    )
    return sent


def _count_back(remote: RemoteOx, sent: dict[str, int]) -> dict[str, int]:
    """Count every graph on the server; PublishFailed when one holds other than what was sent."""
    counts = {}
    for iri, expected in sent.items():
        try:
            counts[iri] = remote.graph_size(iri)
        except BilateralError as exc:
            raise PublishFailed(f"published, but counting back graph <{iri}> failed: {exc}") from None
        if counts[iri] != expected:
            raise PublishFailed(
                f"graph <{iri}>: sent {expected} triples but {_host(remote.endpoint)} holds {counts[iri]}"
            )
    return counts


def _send(
    http: Http,
    method: str,
    url: str,
    body: bytes | None,
    what: str,
    report: Callable[[int, int], None] | None,
    missing_ok: bool = False,
) -> None:
    headers = {"Content-Type": "application/n-triples"} if body is not None else {}
    started = time.perf_counter()
    try:
        http.send(method, url, f"{method} of {what}", headers=headers, body=body, report=report)
    except NoSuchEndpoint as exc:
        if missing_ok:
            return  # deleting a graph that is gone already
        raise BadInput(f"publishing {what} failed: {exc}") from None
    except BadInput as exc:
        raise BadInput(f"publishing {what} failed: {exc}") from None
    except BilateralError as exc:
        raise PublishFailed(f"publishing {what} failed after {time.perf_counter() - started:.1f} s: {exc}") from None


def _manifest_body(graphs: list[str], coded: frozenset[str] = frozenset()) -> bytes:
    import datetime as _dt

    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    lines = [f"<{MANIFEST_GRAPH}> <{CODED_PART if g in coded else DCTERMS + 'hasPart'}> <{g}> ." for g in graphs]
    lines.append(f'<{MANIFEST_GRAPH}> <{DCTERMS}modified> "{now}"^^<{XSD}dateTime> .')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc
