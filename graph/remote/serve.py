"""`bilateral serve`: the local graph over the SPARQL 1.1 Protocol, and the explorer page.

    GET  /sparql?query=...                           the query in the URL
    POST /sparql  application/x-www-form-urlencoded  query=...
    POST /sparql  application/sparql-query           the query as the body
    GET  /                                           the explorer page (graph.rendering)

Results by Accept: SPARQL results JSON (the default), XML, CSV or TSV for
SELECT and ASK; Turtle (the default), N-Triples, RDF/XML or JSON-LD for
CONSTRUCT and DESCRIBE; 406 when none of them is acceptable.  Like
`bilateral query`: the union of all graphs is the default graph (unless the
request names `default-graph-uri`/`named-graph-uri`), the common prefixes
are predeclared, and every query has a time limit (503 after it).  As a
dataset parameter, `default-graph-uri=<…/id/graph-definitions>` names the
store's own default graph (ontology, definitions, closure), the graph
`publish` writes it to, so `--endpoint` reads a served store exactly as a
published one (graph.remote.client); as `named-graph-uri` it gets 400.

Read-only: an update (form field `update`, `application/sparql-update`, or
an update as the query) is refused with 403, as is SERVICE (the server would
fetch other URLs on a client's behalf), both decided on the parsed query
(graph.storage.query); PUT/DELETE/PATCH get 405.  The store itself is opened
read-only, so nothing could write anyway.

Every query runs in a pool of worker processes (graph.storage.sandbox): at
most `workers` at once, each with a memory budget and no network; a query
past the time limit has its worker killed (503), one that crashes or
exhausts its worker gets 500, and the server keeps answering.

The front door: Host must name this server (its bound address, localhost,
or a loopback address; 421 otherwise, against DNS rebinding); a cross-site
request (Origin of another host, or Sec-Fetch-Site cross-site/same-site) is
refused with 403 unless --cors; idle connections close after
IDLE_TIMEOUT seconds; at most MAX_CONNECTIONS are served at once; a client
that hangs up costs no traceback.  Binds to 127.0.0.1 unless told otherwise.

A small http.server rather than the Oxigraph server binary: see README,
"serve" and "Security".
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilateral.graph.errors import BadInput

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["SparqlServer", "is_loopback", "make_server", "negotiate"]

MAX_BODY = 1 << 20  # 1 MiB: a query, not a data upload
#: Seconds a connection may sit idle (between or inside requests) before it is closed.
IDLE_TIMEOUT = 20.0
#: Connections served at once; more are closed at once (each holds a thread).
MAX_CONNECTIONS = 64
#: Query worker processes: queries that run at once.
DEFAULT_WORKERS = 2

_RESULT_TYPES = (
    ("application/sparql-results+json", "JSON"),
    ("application/json", "JSON"),
    ("application/sparql-results+xml", "XML"),
    ("application/xml", "XML"),
    ("text/xml", "XML"),
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
)
_GRAPH_TYPES = (
    ("text/turtle", "TURTLE"),
    ("application/n-triples", "N_TRIPLES"),
    ("text/plain", "N_TRIPLES"),
    ("application/rdf+xml", "RDF_XML"),
    ("application/ld+json", "JSON_LD"),
)


def negotiate(accept: str | None, offers: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    """The offer (media type, format name) the Accept header likes best; the first offer when it says nothing."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    best, best_key = None, None
    for order, (media, name) in enumerate(offers):
        kind = media.split("/")[0]
        matches = [
            (3 if r == media else 2 if r == f"{kind}/*" else 1, q)
            for r, q, _ in ranges
            if r in (media, f"{kind}/*", "*/*")
        ]
        if not matches:
            continue
        _, q = max(matches)
        if q <= 0:
            continue
        key = (q, -order)
        if best_key is None or key > best_key:
            best, best_key = (media, name), key
    return best


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (so serving there exposes nothing)."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SparqlServer(ThreadingHTTPServer):
    """The server: a store, a pool of query workers, a time limit, and the explorer page rendered on first request."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog (http.server's default is 5)

    def __init__(
        self,
        address,
        store: Store,
        *,
        timeout: float = 30.0,
        cors: bool = False,
        quiet: bool = False,
        workers: int = DEFAULT_WORKERS,
        memory_mb: int | None = None,
        idle_timeout: float = IDLE_TIMEOUT,
    ):
        from bilateral.graph.storage.sandbox import DEFAULT_MEMORY_MB, QueryPool

        self.store = store
        self.query_timeout = timeout
        self.cors = cors
        self.quiet = quiet
        self.idle_timeout = idle_timeout
        self._page: bytes | None = None
        self._page_key: str | None = None
        self._page_lock = threading.Lock()
        self._connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Handler)
        self.pool = QueryPool(Path(store.store_dir), size=workers, memory_mb=memory_mb or DEFAULT_MEMORY_MB)
        self.pool.warm()
        self.hosts = _own_hosts(*self.bound())

    def process_request(self, request, client_address) -> None:
        """Serve a connection in a thread, unless MAX_CONNECTIONS are open already (then close it)."""
        if not self._connections.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        """Handle one request in its thread; a failure is reported, never raised into the server."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up or goes quiet is no error; anything else is one line, not a traceback."""
        kind, exc = sys.exc_info()[:2]
        if kind is not None and issubclass(kind, (ConnectionError, TimeoutError)):
            return
        if not self.quiet:
            name = kind.__name__ if kind is not None else "error"
            sys.stderr.write(f"bilateral serve: request from {client_address[0]} failed: {name}: {exc}\n")

    def server_close(self) -> None:
        """Close the socket and the query workers."""
        super().server_close()
        self.pool.close()

    def bound(self) -> tuple[str, int]:
        """The host and port the socket listens on (an IPv4 or IPv6 TCP address: text and a number)."""
        host, port = self.server_address[:2]
        assert isinstance(host, str) and isinstance(port, int), self.server_address
        return host, port

    @property
    def url(self) -> str:
        """The address the server answers at."""
        host, port = self.bound()
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def page(self) -> bytes:
        """The explorer page of the whole graph: rendered once, and again after an import or a removal.

        The graph a server answers is the store it opened, but the page's
        temperature strip reads the imports as they stand (one read of their
        catalogue per request), so `bilateral import` beside a running server
        shows on its next page without a restart.
        """
        from bilateral.graph.page.temperature_strip import imports_key

        key = imports_key(self.store)
        with self._page_lock:
            if self._page is None or self._page_key != key:
                import tempfile
                from pathlib import Path

                from bilateral.graph.page.rendering import render

                with tempfile.TemporaryDirectory(prefix="bilateral-serve-") as tmp:
                    path = Path(tmp) / "explorer.html"
                    render(self.store, path)
                    self._page, self._page_key = path.read_bytes(), key
            return self._page


def _own_hosts(address: str, port: int) -> set[str]:
    """Host header values (without port) that name this server."""
    hosts = {"localhost", "127.0.0.1", "[::1]", address.lower(), f"[{address.lower()}]"}
    if address in ("0.0.0.0", "::"):
        for name in (socket.gethostname(), socket.getfqdn()):
            hosts.add(name.lower())
        hosts.add("*ip")  # bound to every address: any IP literal names this server
    return hosts


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878, **options: Any) -> SparqlServer:
    """A SparqlServer bound to host:port (port 0: any free port); call serve_forever() on it.

    `options` are SparqlServer's (timeout, cors, quiet, workers, memory_mb, idle_timeout).
    """
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET

    class _Server(SparqlServer):
        address_family = family

    try:
        return _Server((host.strip("[]"), port), store, **options)
    except socket.gaierror as exc:
        raise BadInput(f"--host {host}: {exc.strerror or exc}") from None
    except OSError as exc:
        from bilateral.graph.errors import Problem

        raise Problem(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _host_name(host: str) -> str:
    """The name in a Host header, without its port, lower-cased ("[::1]" keeps its brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


class _Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class _Handler(BaseHTTPRequestHandler):
    server_version = "bilateral"
    protocol_version = "HTTP/1.1"
    server: SparqlServer

    @property
    def timeout(self) -> float:  # type: ignore[override]  # socketserver reads it once, in setup()
        """The socket timeout: an idle or trickling client is dropped after it."""
        return self.server.idle_timeout

    # ---- the front door

    def parse_request(self) -> bool:
        """Parse the request line and headers, then refuse a foreign Host (421) or a cross-site request (403)."""
        if not super().parse_request():
            return False
        refusal = self._foreign_host() or self._cross_site()
        if refusal:
            self.close_connection = True
            self._error(*refusal)
            return False
        return True

    def _foreign_host(self) -> tuple[int, str] | None:
        host = self.headers.get("Host")
        if host is None:  # HTTP/1.0 without Host: no browser sends that
            return None
        name = _host_name(host)
        hosts = self.server.hosts
        if name in hosts or is_loopback(name) or ("*ip" in hosts and _is_ip(name)):
            return None
        return 421, "misdirected request: the Host header does not name this server (use its address or localhost)"

    def _cross_site(self) -> tuple[int, str] | None:
        if self.server.cors:
            return None
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        origin = (self.headers.get("Origin") or "").strip()
        foreign = site in ("cross-site", "same-site")
        if origin and not foreign:
            foreign = (
                origin == "null"
                or urllib.parse.urlsplit(origin).netloc.lower() != (self.headers.get("Host") or "").strip().lower()
            )
        if foreign:
            return 403, "refused: a request from another site; start the server with --cors to allow that"
        return None

    # ---- plumbing

    def log_message(self, format, *args):
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), headers)

    def _path(self) -> tuple[str, dict]:
        parts = urllib.parse.urlsplit(self.path)
        return parts.path, urllib.parse.parse_qs(parts.query, keep_blank_values=True)

    # ---- methods

    def do_GET(self) -> None:
        path, params = self._path()
        if path in ("/", "/index.html"):
            try:
                page = self.server.page()
            except Exception as exc:  # noqa: BLE001 - report, don't kill the server
                self._error(500, f"the explorer page could not be rendered: {type(exc).__name__}: {exc}")
                return
            self._send(200, "text/html; charset=utf-8", page)
        elif path == "/sparql":
            self._sparql(params)
        else:
            self._error(404, "not found: the SPARQL endpoint is /sparql, the explorer page /")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        path, params = self._path()
        if path != "/sparql":
            self._error(404, "not found: the SPARQL endpoint is /sparql")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._error(413, f"request body must be at most {MAX_BODY} bytes")
            return
        body = self.rfile.read(length)
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for name, values in form.items():
                params.setdefault(name, []).extend(values)
        elif kind == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif kind == "application/sparql-update":
            self._error(403, "refused: this endpoint is read-only (no SPARQL Update)")
            return
        else:
            self._error(
                415, "POST a query as application/x-www-form-urlencoded (query=...) or as application/sparql-query"
            )
            return
        self._sparql(params)

    def _read_only(self) -> None:
        self._error(405, "this endpoint is read-only", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _read_only

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # ---- the protocol

    def _sparql(self, params: dict) -> None:
        if "update" in params:
            self._error(403, "refused: this endpoint is read-only (no SPARQL Update)")
            return
        queries = params.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "give exactly one query (GET /sparql?query=... or POST)")
            return
        try:
            status, content_type, body = _answer(
                self.server,
                queries[0],
                self.headers.get("Accept"),
                params.get("default-graph-uri", []),
                params.get("named-graph-uri", []),
            )
        except _Refused as exc:
            self._error(exc.status, str(exc), exc.headers)
            return
        self._send(status, content_type, body)


def _answer(
    server: SparqlServer, sparql: str, accept: str | None, default_graphs: list[str], named_graphs: list[str]
) -> tuple[int, str, bytes]:
    """Run the query on a worker of the pool; (status, media type, body), or _Refused with the status to send."""
    from bilateral.graph.errors import BadInput, QueryTimeout
    from bilateral.graph.remote.client import DEFINITIONS_GRAPH
    from bilateral.graph.storage.query import check_size
    from bilateral.graph.storage.sandbox import Busy, QueryCrashed

    try:
        check_size(sparql)
    except BadInput as exc:
        raise _Refused(400, str(exc)) from None
    result_type, graph_type = negotiate(accept, _RESULT_TYPES), negotiate(accept, _GRAPH_TYPES)
    request = {
        "default_graphs": default_graphs,
        "named_graphs": named_graphs,
        "definitions_graph": DEFINITIONS_GRAPH,  # the store's default graph, by the name `publish` gives it
        "result_formats": [list(result_type)] if result_type else [],
        "graph_formats": [list(graph_type)] if graph_type else [],
    }
    try:
        answer = server.pool.run(request, sparql, server.query_timeout)
    except QueryTimeout:
        message = f"query still running after {server.query_timeout:g} s; stopped (its worker was ended)"
        raise _Refused(503, message, {"Retry-After": "0"}) from None
    except Busy as exc:
        raise _Refused(503, f"busy: {exc}", {"Retry-After": "1"}) from None
    except QueryCrashed as exc:
        raise _Refused(500, str(exc)) from None
    header = answer.header
    if "error" in header:
        status, message = header["error"], header["message"]
        if header.get("refused") == "service":
            message = "refused: SERVICE would make this server query other endpoints"
        elif status == 406:
            offers = _GRAPH_TYPES if header.get("kind") == "construct" else _RESULT_TYPES
            message = "cannot answer in any type the Accept header allows; offered: " + ", ".join(m for m, _ in offers)
        raise _Refused(status, message)
    media = header["media"]
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return 200, media, answer.body
