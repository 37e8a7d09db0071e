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
