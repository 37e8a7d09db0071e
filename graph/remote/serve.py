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
are predeclared, and every query has a time limit (503 after it).

Read-only: an update (form field `update`, `application/sparql-update`, or
INSERT/DELETE/LOAD/CLEAR/... in a query) is refused with 403, as is SERVICE
(the server would fetch other URLs on a client's behalf); PUT/DELETE/PATCH
get 405.  The store itself is opened read-only, so nothing could write
anyway.  Binds to 127.0.0.1 unless told otherwise.

A small http.server rather than the Oxigraph server binary: see README,
"serve".
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bilateral.graph.errors import BadInput
from bilateral.graph.namespaces import PREFIXES

__all__ = ["make_server", "SparqlServer", "negotiate", "is_loopback"]

MAX_BODY = 1 << 20  # 1 MiB: a query, not a data upload

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
        specificity, q = max(matches)
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
    """The server: a store, a time limit, and the explorer page rendered on first request."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, store, *, timeout: float = 30.0, cors: bool = False, quiet: bool = False):
        self.store = store
        self.query_timeout = timeout
        self.cors = cors
        self.quiet = quiet
        self._page: bytes | None = None
        self._page_lock = threading.Lock()
        super().__init__(address, _Handler)
        # Render the page in the background from the start, so the first GET / finds it ready (or waits
        # for less); the page's data is cached with the store, so after a `render` this takes a moment.
        threading.Thread(target=self._warm_page, name="bilateral-page", daemon=True).start()

    def _warm_page(self) -> None:
        try:
            self.page()
        except Exception:  # noqa: BLE001 - the request that asks for the page reports the error
            pass

    @property
    def url(self) -> str:
        """The address the server answers at."""
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def page(self) -> bytes:
        """The explorer page of the whole graph, rendered once."""
        with self._page_lock:
            if self._page is None:
                import tempfile
                from pathlib import Path

                from bilateral.graph.page.rendering import render

                with tempfile.TemporaryDirectory(prefix="bilateral-serve-") as tmp:
                    path = Path(tmp) / "explorer.html"
                    render(self.store, path)
                    self._page = path.read_bytes()
            return self._page


def make_server(
    store, host: str = "127.0.0.1", port: int = 7878, *, timeout: float = 30.0, cors: bool = False, quiet: bool = False
) -> SparqlServer:
    """A SparqlServer bound to host:port (port 0: any free port); call serve_forever() on it."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET

    class _Server(SparqlServer):
        address_family = family

    try:
        return _Server((host.strip("[]"), port), store, timeout=timeout, cors=cors, quiet=quiet)
    except socket.gaierror as exc:
        raise BadInput(f"--host {host}: {exc.strerror or exc}") from None
    except OSError as exc:
        from bilateral.graph.errors import Problem

        raise Problem(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class _Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class _Handler(BaseHTTPRequestHandler):
    server_version = "bilateral"
    protocol_version = "HTTP/1.1"
    server: SparqlServer

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
    import pyoxigraph as ox

    from bilateral.graph.storage.query import _syntax_error, check_query

    try:
        check_query(sparql, allow_service=False)
    except BadInput as exc:
        message = str(exc)
        if "SERVICE" in message:
            message = "refused: SERVICE would make this server query other endpoints"
        raise _Refused(403, message) from None
    options: dict = {"prefixes": PREFIXES}
    try:
        if default_graphs or named_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs] or None
            if options["named_graphs"] is None:
                del options["named_graphs"]
        else:
            options["use_default_graph_as_union"] = True
    except ValueError as exc:
        raise _Refused(400, f"bad graph IRI: {exc}") from None
    outcome: dict = {}

    def work() -> None:
        try:
            results = server.store.ox.query(sparql, **options)
            if isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
                chosen = negotiate(accept, _RESULT_TYPES)
                fmt = chosen and getattr(ox.QueryResultsFormat, chosen[1])
            else:
                chosen = negotiate(accept, _GRAPH_TYPES)
                fmt = chosen and getattr(ox.RdfFormat, chosen[1])
            if chosen is None:
                offered = ", ".join(
                    m
                    for m, _ in (
                        _RESULT_TYPES if isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)) else _GRAPH_TYPES
                    )
                )
                outcome["error"] = _Refused(
                    406, f"cannot answer in any type the Accept header allows; offered: {offered}"
                )
                return
            if isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
                data = results.serialize(format=fmt)
            else:
                data = results.serialize(format=fmt)
            media = chosen[0]
            if media.startswith("text/") or media.endswith(("json", "xml")):
                media += "; charset=utf-8"
            outcome["answer"] = (200, media, data)
        except SyntaxError as exc:
            outcome["error"] = _Refused(400, str(_syntax_error(exc)))
        except (OSError, ValueError, RuntimeError, TypeError) as exc:
            outcome["error"] = _Refused(400, f"query failed: {exc}")

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(server.query_timeout)
    if worker.is_alive():
        raise _Refused(503, f"query still running after {server.query_timeout:g} s; stopped", {"Retry-After": "0"})
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]
