"""Hardening of `query` and `serve` (issue 12).

SERVICE and updates decided on the parse, queries in killable workers with memory and time limits, and serve's front door (Host, cross-site, idle, disconnects).
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
from typing import ClassVar

import pytest
import servers
from processes import alive, eventually

ID = "https://w3id.org/bilateral/id/"


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def canary():
    """A loopback HTTP server that records every request; a SERVICE that slips through lands here."""
    hits: ClassVar[list] = []
    handler = type("Canary", (_Canary,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.hits = hits
    yield server
    server.shutdown()
    server.server_close()


def _bypasses(url: str) -> dict[str, str]:
    """Texts that hid SERVICE from the old regex (and two that would hide it from a naive rdflib parse)."""
    service = f"SERVICE <{url}> {{ ?a ?b ?c }}"
    return {
        "bare-cr-comment": f"SELECT * WHERE {{ # a comment ended by a bare CR\r {service} \n}}",
        "escaped-hash": f"SELECT * WHERE {{ {{ ?s id:a\\#b ?o }} UNION {{ {service} }} }}",
        "escaped-quote": f"SELECT * WHERE {{ {{ ?s id:a\\'b ?o }} UNION {{ {service} }} }} # '",
        "u-escape-iri": f"SELECT * WHERE {{ {{ ?s <http://x/\\u0041#> ?o }} UNION {{ {service} }} }}",
        "u-escape-string": f'SELECT * WHERE {{ {{ ?s ?p "\\u0022 # " }} UNION {{ {service} }} }} # \n}}',
        "cr-after-triple": f"SELECT * WHERE {{ ?s ?p ?o # \r {service} \n}}",
    }


def test_the_canary_does_hear_an_allowed_service(run, canary):
    """The control: with --allow-service the same SERVICE reaches the canary (so silence below means refusal)."""
    run("query", f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?a ?b ?c }} }}", "--allow-service")
    assert canary.hits


@pytest.mark.parametrize("case", list(_bypasses("http://x/")))
def test_service_bypasses_are_refused_by_query(run, canary, case):
    result = run("query", _bypasses(canary.url)[case])
    assert result.exit_code == 2 and "refused" in result.stderr, result.stderr
    assert canary.hits == []


@pytest.mark.parametrize("case", list(_bypasses("http://x/")))
def test_service_bypasses_are_refused_by_serve(endpoint, canary, case):
    status, _, body = _http(endpoint + "?" + urllib.parse.urlencode({"query": _bypasses(canary.url)[case]}))
    assert status == 403 and b"SERVICE" in body
    assert canary.hits == []


def test_workers_cannot_open_network_sockets_even_if_a_check_failed():
    """The second wall: the worker's seccomp filter refuses IPv4/IPv6 sockets (Linux x86-64 and arm64)."""
    code = (
        "import socket, sys\n"
        "from bilateral.graph.storage.sandbox import forbid_network\n"
        "assert forbid_network()\n"
        "socket.socket(socket.AF_UNIX).close()\n"
        "try:\n    socket.socket(socket.AF_INET)\nexcept PermissionError:\n    sys.exit(7)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 7


@pytest.mark.parametrize("iri", ["id:prop-add", "id:pos-south-korea-drop", "id:clear-copy-move-load"])
def test_names_that_contain_update_words_are_not_updates(run, iri):
    result = run("query", f"SELECT ?p ?o WHERE {{ {iri} ?p ?o }} LIMIT 1")
    assert result.exit_code == 0, result.stderr


def test_updates_in_other_spellings_are_refused(run):
    for update in ("insert data { id:a id:b id:c }", "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        result = run("query", update)
        assert result.exit_code == 2 and "read-only" in result.stderr


def _nested(n: int, open_: str = "(", close: str = ")") -> str:
    return "SELECT * WHERE { BIND(" + open_ * n + "1" + close * n + " AS ?x) }"


def test_deep_nesting_is_refused_before_parsing(run):
    for query in (_nested(10_000), "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000):
        result = run("query", query)
        assert result.exit_code == 2 and "at most 64" in result.stderr and "Traceback" not in result.output


def test_nesting_within_the_cap_still_runs(run_json):
    assert run_json("query", _nested(40), "--format", "json")["results"]["bindings"][0]["x"]["value"] == "1"


def test_an_overlong_query_is_refused(run):
    result = run("query", "ASK {} #" + "x" * 200_000)
    assert result.exit_code == 2 and "characters" in result.stderr


_MEMORY_BOMB = (
    "SELECT (STRLEN(?v34) AS ?n) WHERE { BIND('ab' AS ?v0) "
    + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(34))
    + " }"
)


def test_a_memory_bomb_ends_its_worker_not_the_command(run):
    result = run("query", _MEMORY_BOMB, "--memory", "256", "--timeout", "120")
    assert result.exit_code == 1 and "worker" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_timeout_ends_the_worker():
    from bilateral.graph.errors import QueryTimeout
    from bilateral.graph.storage.sandbox import QueryWorker
    from bilateral.graph.storage.store import open_store

    worker = QueryWorker(open_store().store_dir).start()
    pid = worker.pid
    request = {"result_formats": [["application/sparql-results+json", "JSON"]], "graph_formats": []}
    with pytest.raises(QueryTimeout):
        worker.ask(request, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?t ?h }", 0.5)
    assert not alive(pid)


# --------------------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def server(store):
    with servers.serving(store, timeout=2.0, memory_mb=256, idle_timeout=1.0) as server:
        yield server


@pytest.fixture(scope="module")
def endpoint(server):
    return server.url + "sparql"


@pytest.fixture(scope="module")
def strict_server(store):
    """A server with a short time limit, for the runaway queries (each burns a core until it is stopped)."""
    with servers.serving(store, timeout=0.75, memory_mb=256, idle_timeout=1.0) as server:
        server.endpoint = server.url + "sparql"
        eventually(lambda: server.pool.idle() == server.pool.size, what="the workers' start")
        yield server


_http = servers.http


def _ask(endpoint: str, query: str = "ASK { id:japan a bl:State }", **kwargs):
    return _http(endpoint + "?" + urllib.parse.urlencode({"query": query}), **kwargs)


def test_serve_survives_the_nested_query(endpoint):
    status, _, body = _ask(endpoint, _nested(10_000))
    assert status == 400 and b"at most 64" in body
    assert _ask(endpoint)[0] == 200


@pytest.mark.slow  # test_a_memory_bomb_ends_its_worker_not_the_command covers the memory cap fast
def test_serve_survives_the_memory_query_with_500(store):
    with servers.serving(store, timeout=120.0, memory_mb=256, workers=1) as server:
        endpoint = server.url + "sparql"
        status, _, body = _ask(endpoint, _MEMORY_BOMB)
        assert status == 500 and body.count(b"\n") == 1 and b"worker" in body
        status, _, body = _ask(endpoint)
        assert status == 200 and json.loads(body)["boolean"] is True


def test_a_runaway_query_gets_503_and_its_worker_is_gone(strict_server):
    server, endpoint = strict_server, strict_server.endpoint
    before = set(server.pool.pids())
    status, _, body = _ask(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?t ?h }")
    assert status == 503 and b"stopped" in body
    ended = before - set(server.pool.pids())
    assert ended and not any(alive(pid) for pid in ended)  # nothing keeps burning a core
    assert _ask(endpoint)[0] == 200


def test_concurrent_queries_are_capped(strict_server):
    """More runaway queries than workers at once: each ends (503), none lingers, the server still answers."""
    server, endpoint = strict_server, strict_server.endpoint
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?t ?h }"
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(_ask(endpoint, query)[0])) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [503] * 4
    assert len(server.pool.pids()) <= 2
    assert _ask(endpoint)[0] == 200


def test_a_foreign_host_gets_421(endpoint):
    assert _ask(endpoint, headers={"Host": "evil.example"})[0] == 421
    assert _ask(endpoint, headers={"Host": "evil.example:7878"})[0] == 421
    port = urllib.parse.urlsplit(endpoint).port
    assert _ask(endpoint, headers={"Host": f"localhost:{port}"})[0] == 200


def test_a_cross_site_form_post_is_refused(endpoint):
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}
    assert _http(endpoint, data=form, headers=headers)[0] == 403
    assert _ask(endpoint, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert _ask(endpoint, headers={"Origin": "null"})[0] == 403
    origin = endpoint.rsplit("/", 1)[0]
    assert _http(endpoint, data=form, headers={**headers, "Origin": origin, "Sec-Fetch-Site": "same-origin"})[0] == 200


def test_cors_lets_other_sites_in(store):
    with servers.serving(store, cors=True, workers=1) as server:
        status, _, _ = _ask(server.url + "sparql", headers={"Origin": "http://yasgui.example"})
        assert status == 200
        assert _ask(server.url + "sparql", headers={"Host": "evil.example"})[0] == 421  # Host still checked


def test_idle_connections_are_closed(server):
    with socket.create_connection(server.server_address[:2]) as conn:
        conn.settimeout(60)  # a server that never hangs up fails the test with a timeout
        assert conn.recv(1) == b""  # the server hung up on us


@pytest.mark.remote  # starts `bilateral serve` as a process: 12 clients hang up mid-query
def test_disconnecting_clients_cost_no_traceback(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "bilateral")
    process = subprocess.Popen(
        [exe, "serve", "--port", "0", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().split()[-1]
        host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
        assert _ask(url)[0] == 200
        for _ in range(12):
            with socket.create_connection((host, port)) as conn:
                query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
                conn.sendall(f"GET /sparql?{query} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        # the abandoned queries drain (or are refused as busy), then the server answers
        eventually(lambda: _ask(url)[0] == 200, 60, "serve answering again after clients hung up")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err and "BrokenPipe" not in err


# --------------------------------------------------------------------------- --endpoint against serve

# The heavier cases (stats, a whole card, the timeline, a chain: 3-9 s each through serve) run in `make test`
# (marked remote); `make check` keeps the light ones, which cover the same client and server code.
_HEAVY = pytest.mark.remote


def _case(*args: str, heavy: bool = False):
    return pytest.param(args, marks=[_HEAVY] if heavy else [], id=" ".join(args[:2]))


_CONTRACT = [
    _case("stats", "--json", heavy=True),  # 3 s: the label index over HTTP, as `search` below reads it
    _case("show", "GSOMIA", "--json", heavy=True),
    _case("show", "id:accord-gsomia", "--json", heavy=True),
    _case("timeline", "--json", heavy=True),
    _case("search", "Moon", "--json"),
    _case("chain", "id:ev-2019-07-japan-export-restrictions", "--json", heavy=True),
    _case(
        "query",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        "--format",
        "json",
    ),
    _case("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a bl:Event }", "--format", "json"),
]


@pytest.mark.parametrize("args", _CONTRACT)
def test_endpoint_against_serve_answers_as_the_local_store(run, endpoint, args):
    local = run(*args)
    remote = run("--endpoint", endpoint, *args)
    assert remote.exit_code == local.exit_code, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_pool_closed_while_its_workers_start_leaves_nothing(store):
    """A server stopped as soon as it started: the warming thread ends quietly and no worker lives on."""
    from bilateral.graph.storage.sandbox import QueryPool

    for _ in range(3):  # the close lands at different moments of the start
        pool = QueryPool(store.store_dir, size=2)
        pool.warm()
        eventually(lambda pool=pool: pool.pids(), what="a worker process")
        started = pool.pids()
        pool.close()
        warming = [t for t in threading.enumerate() if t.name == "bilateral-pool-warm"]
        for thread in warming:
            thread.join(30)
        assert not any(t.is_alive() for t in warming)
        assert pool.pids() == [] and not any(alive(pid) for pid in started)
