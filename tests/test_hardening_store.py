"""Stores that fall back instead of locking out (issue 12): --force, caches, the store home, failed rebuilds."""

from __future__ import annotations

import errno
import json
import os
import pickle
import signal
import subprocess
import sys

import pytest
from processes import alive, eventually, thread_count

_MORE = (
    "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/bilateral/id/china> a bl:State ; rdfs:label "China"@en .\n'
)


def _home(mini_dir):
    from bilateral.graph.locations import store_home

    return store_home(mini_dir)


def test_build_force_killed_before_the_swap_leaves_the_live_store(run, run_json, mini_dir, monkeypatch):
    """Killed at the last moment (writing current.json): the store current.json names is still there."""
    from bilateral.graph.storage import store as store_module

    assert run("--data", mini_dir, "build").exit_code == 0
    real = store_module.atomic_write

    def killed(path, data):
        if path.name == "current.json":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(store_module, "atomic_write", killed)
    with pytest.raises(KeyboardInterrupt):
        store_module.build(mini_dir, force=True)
    monkeypatch.undo()
    manifest = json.loads((_home(mini_dir) / "current.json").read_text())
    assert (_home(mini_dir) / manifest["store"]).is_dir()
    assert run_json("--data", mini_dir, "stats", "--json")["triples"] > 0


def test_build_force_swaps_to_a_new_directory(run, mini_dir):
    assert run("--data", mini_dir, "build").exit_code == 0
    first = json.loads((_home(mini_dir) / "current.json").read_text())["store"]
    assert run("--data", mini_dir, "build", "--force").exit_code == 0
    second = json.loads((_home(mini_dir) / "current.json").read_text())
    assert second["store"] != first and (_home(mini_dir) / second["store"]).is_dir()


class _Payload:
    def __reduce__(self):
        return (os.system, (f"touch {os.environ['BILATERAL_PLANTED_MARK']}",))


def test_a_planted_cache_runs_no_code(run, run_json, mini_dir, tmp_path, monkeypatch):
    mark = tmp_path / "pwned"
    monkeypatch.setenv("BILATERAL_PLANTED_MARK", str(mark))
    assert run("--data", mini_dir, "build").exit_code == 0
    manifest = json.loads((_home(mini_dir) / "current.json").read_text())
    store_dir = _home(mini_dir) / manifest["store"]
    for name in ("labels", "projection", "superproperties"):
        (store_dir / f"cache-{name}.pickle").write_bytes(pickle.dumps(_Payload()))
    result = run("--data", mini_dir, "search", "Japan", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert not mark.exists()


def test_a_store_home_others_can_write_is_refused(run, mini_dir, tmp_path, monkeypatch):
    home = tmp_path / "shared-home"
    home.mkdir()
    home.chmod(0o777)
    monkeypatch.setenv("BILATERAL_HOME", str(home))
    assert run("--data", mini_dir, "build").exit_code == 0  # the stores/ directory it makes is private
    (home / "stores").chmod(0o777)
    result = run("--data", mini_dir, "stats")
    assert result.exit_code == 2 and "writable by others" in result.stderr


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(OSError(errno.ENOSPC, "No space left on device"), marks=pytest.mark.slow),
        MemoryError("a 17 MB literal"),  # the fast loop's case: the fallback is one path for every failure
        pytest.param(PermissionError(errno.EACCES, "Permission denied"), marks=pytest.mark.slow),
    ],
)
def test_a_failed_rebuild_falls_back_to_the_previous_store(run, run_json, mini_dir, monkeypatch, failure):
    from bilateral.graph.storage import store as store_module

    before = run_json("--data", mini_dir, "stats", "--json")["triples"]
    (mini_dir / "entities" / "more.ttl").write_text(_MORE)

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(store_module, "_write_store", fail)
    result = run("--data", mini_dir, "stats", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["triples"] == before
    assert "rebuild failed" in result.stderr and type(failure).__name__ in result.stderr
    assert run("--data", mini_dir, "build").exit_code == 1  # build itself says it failed
    monkeypatch.undo()
    assert run_json("--data", mini_dir, "stats", "--json")["triples"] > before  # and recovers once it can


def test_an_unreadable_subdirectory_fails_the_build(run, mini_dir, monkeypatch):
    from bilateral.graph.storage import loading

    real_walk = os.walk

    def walk(top, onerror=None, followlinks=False):
        yield from real_walk(top, onerror=onerror, followlinks=followlinks)
        onerror(PermissionError(errno.EACCES, "Permission denied", str(mini_dir / "sources" / "locked")))

    monkeypatch.setattr(loading.os, "walk", walk)
    result = run("--data", mini_dir, "build")
    assert result.exit_code == 1 and "locked: cannot read: Permission denied" in result.stderr
    assert run("--data", mini_dir, "validate").exit_code == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a directory of mode 000")
def test_an_unreadable_subdirectory_for_real(run, mini_dir):
    locked = mini_dir / "sources" / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run("--data", mini_dir, "build")
        assert result.exit_code == 1 and "cannot read" in result.stderr
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("content", [None, "notes.txt"])
def test_an_empty_or_rdf_less_data_directory_is_exit_2(run, tmp_path, content):
    data = tmp_path / "data"
    data.mkdir()
    if content:
        (data / content).write_text("not RDF")
    for command in (["build"], ["stats"], ["render", "-o", str(tmp_path / "x.html")]):
        result = run("--data", data, *command)
        assert result.exit_code == 2 and "no .trig or .ttl files" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(run, mini_dir):
    assert run("--data", mini_dir, "build").exit_code == 0
    leftover = _home(mini_dir) / ".building-killed"
    leftover.mkdir()
    (leftover / "000001.sst").write_bytes(b"x" * 1024)
    assert run("--data", mini_dir, "build", "--force").exit_code == 0
    assert not leftover.exists()


def test_the_validation_child_dies_with_its_build():
    """A build killed with SIGKILL leaves no validation process running (the child watches its parent)."""
    feeder = subprocess.Popen(["sleep", "120"], stdout=subprocess.PIPE)  # holds the child's stdin open
    parent_code = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'from bilateral.graph.storage.store import "
        "_validate_in_child; _validate_in_child()'], stdin=int(sys.argv[1]), pass_fds=(int(sys.argv[1]),))\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code, str(feeder.stdout.fileno())],
        stdout=subprocess.PIPE,
        text=True,
        pass_fds=(feeder.stdout.fileno(),),
    )
    try:
        child = int(parent.stdout.readline())
        # the child watches its parent from a second thread: wait until that thread runs
        eventually(lambda: thread_count(child) >= 2, 60, "the validation child's parent watch")
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        eventually(lambda: not alive(child), 10, "the validation child's end")
    finally:
        feeder.kill()
        feeder.wait()
