"""Real SPARQL servers for the remote tests: the Oxigraph server and Virtuoso, on loopback.

Each server runs in its own process group with a throwaway directory, on a
free 127.0.0.1 port, and is told to die with the process that started it
(prctl PR_SET_PDEATHSIG), so a killed pytest leaves nothing behind; `stop`
(also registered with atexit) ends the group with SIGTERM, then SIGKILL.

    server = start_oxigraph(tmpdir)      # ServerUnavailable when the binary is missing
    server.endpoint, server.store_endpoint, server.user, server.password
    stop(server)

`.ci/run` installs both (`virtuoso-opensource` from Debian, `oxigraph` from
PyPI through the test extra).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = [
    "FakeServer",
    "Server",
    "ServerUnavailable",
    "http",
    "free_port",
    "serving",
    "start",
    "start_oxigraph",
    "start_virtuoso",
    "stop",
]

#: The Virtuoso user the tests publish as (created with SPARQL_UPDATE by `start_virtuoso`).
VIRTUOSO_USER = "bilateral"
VIRTUOSO_PASSWORD = "s3cret-for-tests"

_RUNNING: list[Server] = []
_TLS = httpx.create_ssl_context()


class ServerUnavailable(Exception):
    """The server's program is not installed (or would not start): skip, or fail under CI."""


@dataclass
class Server:
    name: str
    endpoint: str  # SPARQL query endpoint
    store_endpoint: str  # Graph Store Protocol endpoint
    process: subprocess.Popen
    directory: Path
    log: Path
    user: str | None = None
    password: str | None = None
    extra: dict = field(default_factory=dict)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _spawn(name: str, argv: list[str], directory: Path, cwd: Path | None = None) -> tuple[subprocess.Popen, Path]:
    log = directory / f"{name}.log"
    fh = open(log, "wb")  # noqa: SIM115 - the server process writes to it after we return
    process = subprocess.Popen(
        argv,
        cwd=cwd or directory,
        stdin=subprocess.DEVNULL,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    fh.close()
    return process, log


def _wait_ready(server: Server, url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerUnavailable(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(url, timeout=2, verify=_TLS).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    stop(server)
    raise ServerUnavailable(f"{server.name} not ready after {timeout:g} s ({last}):\n{server.log_tail()}")


def stop(server: Server) -> None:
    """SIGTERM the server's process group, SIGKILL it if it lingers."""
    process = server.process
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(5)
    if server in _RUNNING:
        _RUNNING.remove(server)


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        stop(server)


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def start_oxigraph(directory: Path, *, union_default_graph: bool = False) -> Server:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT`; queries at /query, Graph Store at /store.

    `union_default_graph`: the server's default graph is the union of its graphs (--union-default-graph).
    """
    binary = _oxigraph_binary()
    if not binary:
        raise ServerUnavailable("the Oxigraph server is not installed (pip install oxigraph==0.5.13)")
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}"]
    process, log = _spawn("oxigraph", argv + (["--union-default-graph"] if union_default_graph else []), directory)
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", f"{base}/query", f"{base}/store", process, directory, log)
    _RUNNING.append(server)
    _wait_ready(server, f"{base}/query?" + urllib.parse.urlencode({"query": "ASK {}"}))
    return server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {d}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 500M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultQuery = ASK {{ }}
DeferInferenceRulesInit = 0
"""


def _isql(server: Server, sql: str) -> str:
    """Run SQL as dba with isql-vt; raise when its output reports an error (it exits 0 regardless)."""
    isql = shutil.which("isql-vt") or shutil.which("isql")
    result = subprocess.run(
        [isql, f"127.0.0.1:{server.extra['sql_port']}", "dba", "dba", f"exec={sql}"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "*** Error" in output or "SQLState" in output:
        raise ServerUnavailable(f"isql-vt failed on {sql!r}: {output.strip()}")
    return output


def start_virtuoso(directory: Path, *, max_rows: int = 10000) -> Server:
    """virtuoso-t +foreground with a throwaway database; a user with SPARQL_UPDATE for Digest writes.

    Queries at /sparql, Graph Store at /sparql-graph-crud-auth (Digest).
    `max_rows` is ResultSetMaxRows: Virtuoso cuts larger results silently.
    """
    binary = shutil.which("virtuoso-t")
    if not binary or not (shutil.which("isql-vt") or shutil.which("isql")):
        raise ServerUnavailable("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=directory, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    process, log = _spawn("virtuoso", [binary, "+foreground", "+configfile", str(ini)], directory)
    base = f"http://127.0.0.1:{http_port}"
    server = Server(
        "virtuoso",
        f"{base}/sparql",
        f"{base}/sparql-graph-crud-auth",
        process,
        directory,
        log,
        user=VIRTUOSO_USER,
        password=VIRTUOSO_PASSWORD,
        extra={"sql_port": sql_port, "http_port": http_port, "max_rows": max_rows},
    )
    _RUNNING.append(server)
    _wait_ready(server, f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=90)
    _isql(
        server,
        f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}'); GRANT SPARQL_UPDATE TO \"{VIRTUOSO_USER}\";",
    )
    return server


class FakeServer:
    """A tiny HTTP server in a thread whose answers a test scripts.

    `handler(method, path, query, body, headers)` returns (status, headers dict, body bytes).  Used for what real servers will not do on demand:
    a result cut without a header, a slow answer, a refused format.
    """

    def __init__(self, handler):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        script = handler

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _any(self):
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                params = urllib.parse.parse_qs(parts.query)
                if (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
                    for k, v in urllib.parse.parse_qs(body.decode()).items():
                        params.setdefault(k, []).extend(v)
                status, headers, data = script(self.command, parts.path, params, body, self.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def start(name: str, directory: Path, **options) -> Server:
    """Start the server called `name` ("oxigraph" or "virtuoso") in `directory`; ServerUnavailable when missing."""
    starters = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
    return starters[name](directory, **options)


def start_or_skip(name: str, directory: Path, **options) -> Server:
    """`start`, for a test: a missing server skips it, or fails it under CI=true (where it must be installed)."""
    import pytest

    try:
        return start(name, directory, **options)
    except ServerUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {exc}")
        pytest.skip(str(exc))


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict | None = None,
    method: str | None = None,
    timeout: float = 60.0,
) -> tuple[int, str, bytes]:
    """One plain HTTP request, as a client without our code would send it: (status, Content-Type, body).

    POST when there is data.  An HTTP error status is an answer here, not an exception.
    """
    response = httpx.request(
        method or ("POST" if data is not None else "GET"),
        url,
        content=data,
        headers=headers or {},
        timeout=timeout,
        verify=_TLS,  # loopback HTTP: the context is never used, but building one per request costs ~40 ms
    )
    return response.status_code, response.headers.get("Content-Type", ""), response.content


@contextlib.contextmanager
def serving(store, **options):
    """`bilateral serve` of `store` on a free loopback port, in a thread; yields the server, then stops it."""
    from bilateral.graph.remote.serve import make_server

    server = make_server(store, port=0, quiet=True, **options)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
