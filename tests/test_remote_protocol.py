"""Issue 11: the store protocol (graph.storage.protocol) holds for the local and the remote store.

Local and remote stores both implement `Store`, their quad stores both
implement `QuadStore`; a call the protocol does not list fails type
checking (not --endpoint at run time); the error kinds are told apart by
type, never by message.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bilateral.graph.errors import BadInput, NoSuchEndpoint, QueryRefused
from bilateral.graph.storage.protocol import QuadStore, Store

ROOT = Path(__file__).resolve().parent.parent


def test_the_local_store_implements_the_protocol(store):
    import pyoxigraph as ox

    assert isinstance(store, Store)
    assert isinstance(store.ox, ox.Store) and isinstance(store.ox, QuadStore)
    assert isinstance(ox.Store(), QuadStore)


def test_the_remote_store_implements_the_protocol():
    from bilateral.graph.remote.client import RemoteOx, open_remote

    remote = open_remote("http://127.0.0.1:9/sparql")  # nothing is sent before the first query
    assert isinstance(remote, Store)
    assert isinstance(remote.ox, RemoteOx) and isinstance(remote.ox, QuadStore)


def test_something_else_is_no_store():
    assert not isinstance(object(), QuadStore)
    assert not isinstance(object(), Store)


def _mypy(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    """Run mypy on one module that imports the package as `bilateral` (a link to this checkout)."""
    (tmp_path / "typing").mkdir()
    (tmp_path / "typing" / "bilateral").symlink_to(ROOT)
    module = tmp_path / "probe.py"
    module.write_text(code)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", str(module)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(tmp_path / "typing"), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        timeout=300,
    )


@pytest.mark.slow
def test_a_call_the_protocol_does_not_list_fails_type_checking(tmp_path):
    probe = _mypy(
        tmp_path,
        "from bilateral.graph.storage.protocol import QuadStore, Store\n"
        "from bilateral.graph.remote.client import RemoteOx\n"
        "import pyoxigraph\n"
        "remote: QuadStore = RemoteOx('http://127.0.0.1:9/sparql')\n"
        "local: QuadStore = pyoxigraph.Store()\n"
        "def reads(store: Store) -> int:\n"
        "    return len(store.ox) + len(list(store.ox.named_graphs()))\n"
        "def writes(store: Store) -> None:\n"
        "    store.ox.update('CLEAR ALL')\n",
    )
    lines = [line for line in probe.stdout.splitlines() if ": error:" in line]
    assert len(lines) == 1, probe.stdout + probe.stderr
    assert "probe.py:9:" in lines[0] and '"QuadStore" has no attribute "update"' in lines[0]


def test_refusals_are_their_own_kind():
    from bilateral.graph.storage.query import check_query

    with pytest.raises(QueryRefused) as update:
        check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert update.value.reason == "update" and update.value.exit_code == 2
    with pytest.raises(QueryRefused) as service:
        check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert service.value.reason == "service"
    check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", allow_service=True)


def test_a_refused_query_keeps_its_kind_through_the_worker(store):
    from bilateral.graph.storage.query import run_query

    with pytest.raises(QueryRefused) as refused:
        run_query(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert refused.value.reason == "service"
    with pytest.raises(BadInput) as bad:
        run_query(store, "SELECT * WHERE { ?s ?p }")
    assert not isinstance(bad.value, QueryRefused) and str(bad.value).startswith("query:1:")


def test_no_such_endpoint_is_bad_input():
    assert issubclass(NoSuchEndpoint, BadInput) and NoSuchEndpoint("x").exit_code == 2


# --------------------------------------------------------------------------- HTTP (graph.remote.transport, on httpx)


def _recording(answer):
    """A fake server that records (method, path, Authorization) of every request and answers `answer(...)`."""
    import servers

    seen: list[tuple[str, str, str | None]] = []

    def handler(method, path, params, body, headers):
        seen.append((method, path, headers.get("Authorization")))
        return answer(method, path, headers)

    return servers.FakeServer(handler), seen


def test_basic_auth_is_offered_only_when_asked_and_only_where_allowed():
    from bilateral.graph.errors import AuthFailed
    from bilateral.graph.remote.transport import Http

    def answer(method, path, headers):
        if headers.get("Authorization") is None:
            return 401, {"WWW-Authenticate": 'Basic realm="x"'}, b"who are you\n"
        return 200, {"Content-Type": "text/plain"}, b"ok"

    fake, seen = _recording(answer)
    with fake:
        http = Http("reader", "pw", timeout=10)
        http.allow(fake.url + "/data")
        assert http.send("GET", fake.url + "/data/a", "read").body == b"ok"
        assert http.send("GET", fake.url + "/data/b", "read").body == b"ok"  # the scheme is known: sent up front
        with pytest.raises(AuthFailed):  # not offered outside the allowed URL
            http.send("GET", fake.url + "/other", "read")
        http.close()
    assert [s[2] is None for s in seen] == [True, False, False, True]
    assert seen[1][2].startswith("Basic ")


def test_an_answer_past_the_size_cap_is_refused_and_an_error_answer_is_cut():
    from bilateral.graph.errors import RemoteError
    from bilateral.graph.remote.transport import Http

    def answer(method, path, headers):
        if path == "/big":
            return 200, {"Content-Type": "text/plain"}, b"x" * 5000
        return 500, {"Content-Type": "text/plain"}, b"y" * 200_000

    fake, _ = _recording(answer)
    with fake:
        http = Http(timeout=10)
        with pytest.raises(RemoteError, match="sent more than 1,000 bytes for the query"):
            http.send("GET", fake.url + "/big", "query", limit=1000)
        assert len(http.send("GET", fake.url + "/big", "query").body) == 5000
        with pytest.raises(RemoteError, match=r"failed on the query \(HTTP 500\): y{300}$"):
            http.send("GET", fake.url + "/broken", "query")


def test_publish_passes_a_stale_graph_that_is_gone_already(store):
    """DELETE of a graph the last publish wrote answers 404: publish goes on, to its count back."""
    import json

    from bilateral.graph.errors import PublishFailed
    from bilateral.graph.namespaces import ID
    from bilateral.graph.remote.publish import publish

    stale = {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": ID + "src-gone"}}]}}
    empty = {"head": {"vars": ["g"]}, "results": {"bindings": []}}
    queries = {"n": 0}

    def answer(method, path, headers):
        if method == "POST":  # SPARQL: the manifest lists one stale graph; nothing else is there
            queries["n"] += 1
            rows = stale if queries["n"] == 1 else empty
            return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(rows).encode()
        if method == "PUT":
            return 204, {}, b""
        return 404, {"Content-Type": "text/plain"}, b"no such graph\n"  # the access check's GET, the DELETE

    fake, seen = _recording(answer)
    with fake, pytest.raises(PublishFailed, match=r"sent \d+ triples but .* holds 0"):
        publish(store, fake.url + "/query")
    assert ("DELETE", "/store", None) in seen
