"""Issue 7: publish to a SPARQL server, run every read command against it, serve the local graph.

The same contract runs local, against the Oxigraph server and against
Virtuoso (started by session fixtures from tests/servers.py on free loopback
ports): `publish` then `--endpoint` must give the local answers.  Without
CI=true a missing server skips with the reason; with CI=true it fails.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
import servers

from bilateral.graph.namespaces import ID

pytestmark = pytest.mark.remote

PASSWORD = servers.VIRTUOSO_PASSWORD


def _running(name: str, directory: Path, **options):
    """Start a server for a fixture (skip, or fail under CI, when it is missing) and stop it afterwards."""
    server = servers.start_or_skip(name, directory, **options)
    yield server
    servers.stop(server)


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory):
    yield from _running("oxigraph", tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    yield from _running("virtuoso", tmp_path_factory.mktemp("virtuoso"))


@pytest.fixture(scope="session")
def published(request, store):
    """{server name: (server, counts)} after one publish of the shipped graph to each server asked for."""
    done = {}

    def get(name: str):
        if name not in done:
            from bilateral.graph.remote.publish import publish

            server = request.getfixturevalue(name)
            done[name] = (server, publish(store, server.endpoint, user=server.user, password=server.password))
        return done[name]

    return get


def _invoke(*args: str, env: dict | None = None):
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env=env)


_LOCAL: dict = {}


def _answer(endpoint: str | None, *args: str):
    """The JSON a command prints (local answers computed once per session)."""
    key = args
    if endpoint is None and key in _LOCAL:
        return _LOCAL[key]
    prefix = ["--endpoint", endpoint] if endpoint else []
    result = _invoke(*prefix, *args)
    assert result.exit_code == 0, (endpoint, args, result.output, result.stderr)
    value = json.loads(result.stdout)
    if endpoint is None:
        _LOCAL[key] = value
    return value


def _bindings(doc: dict) -> tuple:
    """SPARQL results JSON as an order-insensitive value (row order is undefined beyond ORDER BY ties)."""
    if "boolean" in doc:
        return ("ask", doc["boolean"])
    rows = sorted(
        json.dumps({var: _unordered(term) for var, term in b.items()}, sort_keys=True, ensure_ascii=False)
        for b in doc["results"]["bindings"]
    )
    return (tuple(doc["head"]["vars"]), tuple(rows))


def _unordered(term: dict) -> dict:
    """GROUP_CONCAT's order is undefined in SPARQL: compare its parts as a sorted list."""
    if term.get("type") == "literal" and "; " in term["value"]:
        return {**term, "value": sorted(term["value"].split("; "))}
    return term


SERVERS = ["oxigraph", "virtuoso"]

CONTRACT = [
    ("stats", "--json"),
    ("show", "GSOMIA", "--json"),
    ("show", "id:japan", "--json"),
    ("show", "독도", "--json"),
    ("show", "id:ev-2019-07-japan-export-restrictions", "--json"),
    ("show", "id:src-000-shin-2020", "--json"),
    ("search", "Dokdo", "--json"),
    ("search", "Dokdo", "--type", "Issue", "--json"),
    ("path", "id:issue-forced-labor", "id:issue-export-controls", "-k", "3", "--json"),
    ("path", "GSOMIA", "Dokdo", "--json"),
    ("chain", "id:ev-2019-07-japan-export-restrictions", "--json"),
    ("timeline", "--json"),
    ("timeline", "--from", "2019-09", "--to", "2019-09", "--json"),
    ("timeline", "--actor", "Japan", "--issue", "GSOMIA", "--json"),
    ("timeline", "--type", "Meeting", "--from", "2019", "--to", "2020", "--json"),
]


@pytest.mark.parametrize("server", SERVERS)
def test_publish_counts_back_every_graph(published, store, server):
    import pyoxigraph as ox

    from bilateral.graph.remote.client import DEFINITIONS_GRAPH

    _, counts = published(server)
    local = {DEFINITIONS_GRAPH: len(list(store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())))}
    for g in store.ox.named_graphs():
        local[g.value] = len(list(store.ox.quads_for_pattern(None, None, None, g)))
    assert counts == local
    assert sum(counts.values()) == len(store.ox)


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("args", CONTRACT, ids=[" ".join(a[:2]) for a in CONTRACT])
def test_remote_answers_equal_local(published, server, args):
    srv, _ = published(server)
    assert _answer(srv.endpoint, *args) == _answer(None, *args)


def _named_queries() -> list[str]:
    from bilateral.graph.explore.named import list_queries

    return [q.name for q in list_queries()]


@pytest.mark.parametrize("server", SERVERS)
def test_every_named_query_and_dataset_queries_match(published, server):
    srv, _ = published(server)
    queries = [("--named", name) for name in _named_queries()] + [
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",),  # the union: no system triples, no manifest
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",),  # GRAPH ?g: sources only
        ("ASK { GRAPH ?g { id:japan ?p ?o } }",),
        (
            'SELECT ?e ?d WHERE { ?e a bl:Event ; bl:startDate ?d FILTER(?d >= "2019-07-01"^^xsd:date '
            '&& ?d < "2019-08-01"^^xsd:date) }',
        ),
        ('SELECT ?s WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "^(GSOMIA|Dokdo)")) }',),
    ]
    for q in queries:
        args = ("query", *q, "--format", "json")
        assert _bindings(_answer(srv.endpoint, *args)) == _bindings(_answer(None, *args)), q


@pytest.mark.parametrize("server", SERVERS)
def test_export_and_construct_match(published, server, tmp_path):
    srv, _ = published(server)
    for where, prefix in (("local", []), ("remote", ["--endpoint", srv.endpoint])):
        result = _invoke(*prefix, "export", "--format", "nq", "-o", tmp_path / f"{where}.nq")
        assert result.exit_code == 0, result.output
        result = _invoke(*prefix, "query", "CONSTRUCT { ?e a bl:Accord } WHERE { ?e a bl:Accord }")
        assert result.exit_code == 0, result.output
        (tmp_path / f"{where}.ttl").write_text(result.stdout)
    lines = {w: sorted((tmp_path / f"{w}.nq").read_text("utf-8").splitlines()) for w in ("local", "remote")}
    assert lines["local"] == lines["remote"] and len(lines["local"]) > 8000
    import pyoxigraph as ox

    triples = {
        w: set(ox.parse((tmp_path / f"{w}.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)) for w in ("local", "remote")
    }
    assert triples["local"] == triples["remote"] and len(triples["local"]) >= 10


@pytest.mark.parametrize("server", SERVERS)
def test_render_against_the_server(published, server, tmp_path):
    srv, _ = published(server)
    result = _invoke("--endpoint", srv.endpoint, "render", "--around", "GSOMIA", "-o", tmp_path / "page.html")
    assert result.exit_code == 0, result.output
    assert "GSOMIA" in (tmp_path / "page.html").read_text("utf-8")


@pytest.mark.parametrize("server", SERVERS)
def test_publish_twice_leaves_the_same_triples(published, store, server, monkeypatch):
    srv, first = published(server)
    args = ["publish", "--endpoint", srv.endpoint]
    if srv.user:
        monkeypatch.setenv("BILATERAL_PASSWORD", srv.password)
        args += ["--user", srv.user]
    result = _invoke(*args)
    assert result.exit_code == 0, result.output + result.stderr
    assert f"{sum(first.values())} triples in {len(first)} graphs" in result.stdout
    assert srv.password is None or srv.password not in result.output + result.stderr
    from bilateral.graph.remote.client import open_remote

    assert len(open_remote(srv.endpoint).ox) == len(store.ox)
    assert _answer(srv.endpoint, "stats", "--json") == _answer(None, "stats", "--json")


def test_republishing_other_data_drops_the_old_graphs(tmp_path, mini_dir):
    """A fresh server: the shipped graph, then the mini seed; the old sources leave the dataset."""
    server = servers.start_or_skip("oxigraph", tmp_path / "ox")
    try:
        assert _invoke("publish", "--endpoint", server.endpoint).exit_code == 0
        result = _invoke("--data", mini_dir, "publish", "--endpoint", server.endpoint)
        assert result.exit_code == 0, result.output
        mini = _invoke("--data", mini_dir, "stats", "--json")
        remote = _invoke("--endpoint", server.endpoint, "stats", "--json")
        assert json.loads(remote.stdout) == json.loads(mini.stdout)
        query = urllib.parse.urlencode({"query": f"ASK {{ GRAPH <{ID}src-000-shin-2020> {{ ?s ?p ?o }} }}"})
        status, _, body = _http(server.endpoint + "?" + query)
        assert status == 200 and json.loads(body)["boolean"] is False
    finally:
        servers.stop(server)


# --------------------------------------------------------------------------- bad input


def test_wrong_password_is_a_clean_error(virtuoso, monkeypatch):
    monkeypatch.setenv("BILATERAL_PASSWORD", "not-the-password")
    result = _invoke("publish", "--endpoint", virtuoso.endpoint, "--user", virtuoso.user)
    assert result.exit_code == 1
    assert "refused the credentials of 'bilateral' (HTTP 401)" in result.stderr
    assert "not-the-password" not in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_credentials_and_no_terminal(virtuoso, monkeypatch):
    monkeypatch.delenv("BILATERAL_PASSWORD", raising=False)
    result = _invoke("publish", "--endpoint", virtuoso.endpoint)
    assert result.exit_code == 1 and "requires credentials (HTTP 401)" in result.stderr
    result = _invoke("publish", "--endpoint", virtuoso.endpoint, "--user", "bilateral")
    assert result.exit_code == 2 and "BILATERAL_PASSWORD" in result.stderr


def test_read_commands_reach_a_protected_endpoint_with_the_environment(published, monkeypatch):
    """Virtuoso's /sparql-auth wants Digest credentials: read commands take BILATERAL_USER/BILATERAL_PASSWORD."""
    server, _ = published("virtuoso")
    protected = server.endpoint.replace("/sparql", "/sparql-auth")
    monkeypatch.delenv("BILATERAL_USER", raising=False)
    monkeypatch.delenv("BILATERAL_PASSWORD", raising=False)
    refused = _invoke("--endpoint", protected, "show", "GSOMIA", "--json")
    assert refused.exit_code == 1 and "requires credentials (HTTP 401)" in refused.stderr
    assert "BILATERAL_USER" in refused.stderr and "Traceback" not in refused.output + refused.stderr
    monkeypatch.setenv("BILATERAL_USER", server.user)
    monkeypatch.setenv("BILATERAL_PASSWORD", server.password)
    shown = _invoke("--endpoint", protected, "show", "GSOMIA", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["iri"] == ID + "accord-gsomia"
    assert server.password not in shown.output + shown.stderr


def test_unreachable_endpoint_exits_1_with_one_line():
    port = servers.free_port()  # nothing listens there
    for args in (
        ["--endpoint", f"http://127.0.0.1:{port}/sparql", "show", "Japan"],
        ["publish", "--endpoint", f"http://127.0.0.1:{port}/query"],
    ):
        result = _invoke(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("error: cannot reach http://127.0.0.1:") and "refused" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["notaurl", "ftp://example.org/sparql", "http:///sparql"])
def test_bad_url_exits_2(url):
    result = _invoke("--endpoint", url, "stats")
    assert result.exit_code == 2 and "not an http:// or https:// URL" in result.stderr


def test_an_endpoint_that_is_not_there_exits_2(oxigraph):
    result = _invoke("--endpoint", oxigraph.endpoint.replace("/query", "/nothing"), "stats")
    assert result.exit_code == 2 and "no such endpoint (HTTP 404)" in result.stderr


def test_an_empty_server_says_publish_first(tmp_path):
    server = servers.start_or_skip("oxigraph", tmp_path / "empty")
    try:
        result = _invoke("--endpoint", server.endpoint, "show", "Japan")
        assert result.exit_code == 1 and "holds no bilateral graphs" in result.stderr
    finally:
        servers.stop(server)


def test_server_syntax_errors_are_bad_input_with_the_users_line(published):
    srv, _ = published("virtuoso")
    result = _invoke("--endpoint", srv.endpoint, "query", "SELECT * WHERE {\n ?s ?p }")
    assert result.exit_code == 2 and "line 2" in result.stderr


def test_virtuoso_result_cut_at_its_row_limit_is_reported(published):
    srv, _ = published("virtuoso")
    result = _invoke(
        "--endpoint", srv.endpoint, "query", "SELECT * WHERE { ?a a bl:Event . ?b a bl:Event }", "--format", "json"
    )
    assert result.exit_code == 1
    assert f"cut the result at {srv.extra['max_rows']} rows" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def _results(rows: int, var: str = "s") -> bytes:
    bindings = [{var: {"type": "uri", "value": f"http://example.org/{i}"}} for i in range(rows)]
    return json.dumps({"head": {"vars": [var]}, "results": {"bindings": bindings}}).encode()


_GRAPHS = json.dumps(
    {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": ID + "src-x"}}]}}
).encode()


def _fake(answer):
    """A fake endpoint: the manifest query gets one source graph, everything else `answer(query)`."""

    def handler(method, path, params, body, headers):
        query = (params.get("query") or [""])[0]
        if "hasPart" in query:
            return 200, {"Content-Type": "application/sparql-results+json"}, _GRAPHS
        return answer(query)

    return servers.FakeServer(handler)


def test_a_silently_cut_result_is_detected_by_counting():
    """A server that cuts at 1,000 rows and does not say so (no header): caught by COUNT(*)."""

    def answer(query):
        if "COUNT(*) AS ?bilateral_rows" in query:
            count = {
                "head": {"vars": ["bilateral_rows"]},
                "results": {
                    "bindings": [
                        {
                            "bilateral_rows": {
                                "type": "literal",
                                "value": "5000",
                                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                            }
                        }
                    ]
                },
            }
            return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(count).encode()
        return 200, {"Content-Type": "application/sparql-results+json"}, _results(1000)

    with _fake(answer) as fake:
        result = _invoke("--endpoint", fake.url + "/sparql", "query", "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.exit_code == 1
    assert "sent 1000 of 5000 rows" in result.stderr


def test_a_slow_server_times_out_and_a_refused_format_is_reported():
    release, answered = threading.Event(), threading.Event()

    def slow(query):
        release.wait(30)  # the server answers only once the test lets it (or after 30 s)
        answered.set()
        return 200, {"Content-Type": "application/sparql-results+json"}, _results(1)

    with _fake(slow) as fake:
        result = _invoke(
            "--endpoint", fake.url + "/sparql", "query", "SELECT ?s WHERE { ?s ?p ?o }", "--timeout", "0.5"
        )
        assert result.exit_code == 1 and "still running after 0.5 s" in result.stderr
        assert not answered.is_set()  # the client gave up on its own, before the server answered
        release.set()

    def refuse(query):
        return 406, {"Content-Type": "text/plain"}, b"Not Acceptable: unsupported result format\n"

    with _fake(refuse) as fake:
        result = _invoke("--endpoint", fake.url + "/sparql", "query", "SELECT ?s WHERE { ?s ?p ?o }")
        assert result.exit_code == 1 and "refused the format of the query (HTTP 406)" in result.stderr

    def html(query):
        return 200, {"Content-Type": "text/html"}, b"<html><body>Welcome</body></html>"

    with _fake(html) as fake:
        result = _invoke("--endpoint", fake.url + "/sparql", "query", "SELECT ?s WHERE { ?s ?p ?o }")
        assert result.exit_code == 1 and "did not answer with SPARQL results" in result.stderr


def test_a_failed_put_names_its_graph(store):
    from bilateral.graph.errors import PublishFailed
    from bilateral.graph.remote.publish import publish

    def handler(method, path, params, body, headers):
        if method == "PUT" and "src-002" in (params.get("graph") or [""])[0]:
            return 500, {"Content-Type": "text/plain"}, b"disk full\n"
        if method == "PUT":
            return 204, {}, b""
        if method == "GET" and path == "/store":
            return 404, {}, b""
        return (
            200,
            {"Content-Type": "application/sparql-results+json"},
            json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode(),
        )

    with (
        servers.FakeServer(handler) as fake,
        pytest.raises(PublishFailed, match=r"graph <.*src-002-lee-oba-2020> \(4 of 6\).*HTTP 500.*disk full"),
    ):
        publish(store, fake.url + "/query")


def test_paging_reads_whole_graphs_past_a_small_row_limit(store, tmp_path, tmp_path_factory):
    """Virtuoso cutting at 1,000 rows: export pages through each graph; a big SELECT fails clearly."""
    server = servers.start_or_skip("virtuoso", tmp_path_factory.mktemp("virtuoso-small"), max_rows=1000)
    try:
        from bilateral.graph.remote.publish import publish

        publish(store, server.endpoint, user=server.user, password=server.password)
        for where, prefix in (("local", []), ("remote", ["--endpoint", server.endpoint])):
            result = _invoke(*prefix, "export", "--format", "nq", "-o", tmp_path / f"{where}.nq")
            assert result.exit_code == 0, result.output
        local, remote = (sorted((tmp_path / f"{w}.nq").read_text("utf-8").splitlines()) for w in ("local", "remote"))
        assert local == remote
        result = _invoke("--endpoint", server.endpoint, "show", "Japan")
        assert result.exit_code == 1 and "cut the result at 1000 rows" in result.stderr
    finally:
        servers.stop(server)


def test_default_store_endpoints():
    from bilateral.graph.errors import BadInput
    from bilateral.graph.remote.publish import default_store_endpoint

    assert default_store_endpoint("http://h:7878/query") == "http://h:7878/store"
    assert default_store_endpoint("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud-auth"
    assert default_store_endpoint("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert default_store_endpoint("https://h/repositories/kg") == "https://h/repositories/kg/rdf-graphs/service"
    with pytest.raises(BadInput, match="--store-endpoint"):
        default_store_endpoint("http://h/elsewhere")


def test_virtuoso_blank_node_labels_become_valid_ids():
    from bilateral.graph.remote.client import _bnode_id

    assert _bnode_id("b0a1") == "b0a1"
    assert _bnode_id("nodeID://b10001") != _bnode_id("nodeID_b10001")
    import pyoxigraph as ox

    ox.BlankNode(_bnode_id("nodeID://b10001"))  # does not raise


# --------------------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def endpoint(store):
    with servers.serving(store) as server:
        yield server.url + "sparql"


_http = servers.http


_Q = "SELECT ?s ?label WHERE { ?s a bl:State ; rdfs:label ?label FILTER(LANG(?label) = 'en') } ORDER BY ?s"


@pytest.mark.parametrize(
    "accept,media",
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html;q=0.9, text/csv;q=0.5, */*;q=0.1", "text/csv"),
    ],
)
def test_serve_answers_a_protocol_client_by_accept(endpoint, accept, media):
    import pyoxigraph as ox

    url = endpoint + "?" + urllib.parse.urlencode({"query": _Q})
    status, content_type, body = _http(url, headers={"Accept": accept} if accept else {})
    assert status == 200 and content_type.split(";")[0] == media
    if media == "text/csv":  # lossy: pyoxigraph will not parse it back
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        assert any(r["label"] == "Japan" for r in rows) and len(rows) >= 5
        return
    fmt = ox.QueryResultsFormat.from_media_type(media)
    rows = list(ox.parse_query_results(body, format=fmt))
    assert any(r["label"].value == "Japan" for r in rows) and len(rows) >= 5


def test_serve_post_form_and_body_and_construct(endpoint):
    status, _, body = _http(
        endpoint,
        data=urllib.parse.urlencode({"query": "ASK { id:japan a bl:State }"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = _http(endpoint, data=_Q.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and "Japan" in body.decode()
    status, content_type, body = _http(
        endpoint,
        data=b"CONSTRUCT WHERE { id:japan a ?t }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert status == 200 and content_type.startswith("application/n-triples")
    assert f"<{ID}japan>".encode() in body


@pytest.mark.parametrize("how", ["form-update", "update-body", "query-insert", "service", "put"])
def test_serve_is_read_only_and_refuses_service(endpoint, store, how):
    update = f"INSERT DATA {{ <{ID}x> <{ID}y> <{ID}z> }}"
    if how == "form-update":
        status, _, _ = _http(
            endpoint,
            data=urllib.parse.urlencode({"update": update}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    elif how == "update-body":
        status, _, _ = _http(endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    elif how == "query-insert":
        status, _, _ = _http(endpoint + "?" + urllib.parse.urlencode({"query": update}))
    elif how == "service":
        status, _, body = _http(
            endpoint
            + "?"
            + urllib.parse.urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
        )
        assert b"SERVICE" in body
    else:
        status, _, _ = _http(
            endpoint, data=b"<a:x> <a:y> <a:z> .", method="PUT", headers={"Content-Type": "application/n-triples"}
        )
    assert status in (403, 405)
    import pyoxigraph as ox

    assert not list(store.ox.quads_for_pattern(ox.NamedNode(ID + "x"), None, None))


def test_serve_bad_query_406_and_404(endpoint):
    status, _, body = _http(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}))
    assert status == 400 and b"query:1:" in body
    status, _, _ = _http(endpoint + "?" + urllib.parse.urlencode({"query": _Q}), headers={"Accept": "image/png"})
    assert status == 406
    status, _, _ = _http(endpoint.replace("/sparql", "/nothing"))
    assert status == 404


def test_serve_gives_the_explorer_page_at_root(endpoint):
    status, content_type, body = _http(endpoint.replace("/sparql", "/"))
    assert status == 200 and content_type.startswith("text/html")
    assert b"<html" in body[:2000].lower() and b"GSOMIA" in body


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp) listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, state = fields[1], fields[3]
            if state == "0A" and int(address.rsplit(":", 1)[1], 16) == port:
                found.append(address.rsplit(":", 1)[0])
    return found


def test_serve_command_binds_to_loopback_by_default(store):
    exe = Path(sys.executable).parent / "bilateral"
    process = subprocess.Popen(
        [str(exe), "serve", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("SPARQL endpoint: http://127.0.0.1:"), line + process.stderr.read()
        url = line.split()[-1]
        port = urllib.parse.urlsplit(url).port
        assert _listening(port) == ["0100007F"]
        status, _, body = _http(url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        process.terminate()
        process.wait(10)


def test_serve_refuses_an_endpoint():
    result = _invoke("--endpoint", "http://127.0.0.1:9/sparql", "serve")
    assert result.exit_code == 2 and "serves the local store" in result.stderr


def _export_nq(directory: Path, where: str, *prefix: str) -> collections.Counter:
    """The lines of `export --format nq` (through `prefix`, e.g. --endpoint URL) as a multiset."""
    result = _invoke(*prefix, "export", "--format", "nq", "-o", directory / f"{where}.nq")
    assert result.exit_code == 0, result.output + result.stderr
    return collections.Counter((directory / f"{where}.nq").read_text("utf-8").splitlines())


def test_endpoint_against_serve_reads_exactly_the_local_quads(endpoint, store, tmp_path):
    """Serve answers the definitions graph as its default graph, so --endpoint reads it like a published server."""
    import pyoxigraph as ox

    from bilateral.graph.remote.client import open_remote

    local, served = _export_nq(tmp_path, "local"), _export_nq(tmp_path, "served", "--endpoint", endpoint)
    assert served == local  # the same quads, each as often
    default = [line for line in local if line.endswith("> .") and line.count("> <") == 2]  # no graph name
    shared = {str(q.triple) for q in store.ox if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert any(line[: -len(" .")] in shared for line in default)  # a definitions triple a source holds too
    remote = open_remote(endpoint).ox
    assert len(remote) == len(store.ox) == sum(local.values())


def test_serve_names_its_default_graph_as_the_definitions_graph(endpoint, store):
    """default-graph-uri=<…graph-definitions> is the store's default graph; as a named graph it is refused."""
    import pyoxigraph as ox

    from bilateral.graph.remote.client import DEFINITIONS_GRAPH

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    query = urllib.parse.urlencode({"query": count, "default-graph-uri": DEFINITIONS_GRAPH})
    status, _, body = _http(endpoint + "?" + query)
    assert status == 200, body
    defaults = len(list(store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == defaults > 0
    query = urllib.parse.urlencode(
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": DEFINITIONS_GRAPH}
    )
    status, _, body = _http(endpoint + "?" + query)
    assert status == 400 and b"default-graph-uri, not named-graph-uri" in body
    status, _, body = _http(
        endpoint + "?" + urllib.parse.urlencode({"query": count, "default-graph-uri": "not an iri"})
    )
    assert status == 400 and b"bad graph IRI" in body


def test_endpoint_against_a_server_without_a_definitions_graph(store, tmp_path):
    """A store as built loaded into a server whose default graph is the union: the native-layout path.

    No dataset parameter names that server's default graph, so the
    definitions are read as the default-graph triples no source holds: a
    definitions triple that a source graph also holds is read once, in the
    source's graph (the one difference from the local export).
    """
    import pyoxigraph as ox

    from bilateral.graph.remote.client import open_remote

    local = _export_nq(tmp_path, "local")
    server = servers.start_or_skip("oxigraph", tmp_path / "ox", union_default_graph=True)
    try:
        body = (tmp_path / "local.nq").read_bytes()
        status, _, answer = _http(server.store_endpoint, data=body, headers={"Content-Type": "application/n-quads"})
        assert status in (200, 201, 204), answer
        served = _export_nq(tmp_path, "served", "--endpoint", server.endpoint)
        assert not served - local and served  # nothing that is not local, every count at most the local one
        assert local - served  # the shipped data has definitions triples that sources hold too
        named = {str(q.triple) for q in store.ox if not isinstance(q.graph_name, ox.DefaultGraph)}
        for line in (local - served).elements():
            (quad,) = ox.parse(line.encode(), format=ox.RdfFormat.N_QUADS)
            assert isinstance(quad.graph_name, ox.DefaultGraph) and str(quad.triple) in named, line
        assert len(open_remote(server.endpoint).ox) == sum(served.values())
        assert _answer(server.endpoint, "show", "GSOMIA", "--json") == _answer(None, "show", "GSOMIA", "--json")
    finally:
        servers.stop(server)
