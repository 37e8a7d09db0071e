"""Shared fixtures: an isolated store cache, the CLI runner, the shipped and mini stores."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory):
    """Every test session builds its stores in a throwaway cache, never the user's."""
    home = tmp_path_factory.mktemp("bilateral-home")
    old = os.environ.get("BILATERAL_HOME")
    os.environ["BILATERAL_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("BILATERAL_HOME", None)
    else:
        os.environ["BILATERAL_HOME"] = old


@pytest.fixture
def run():
    """Invoke the CLI; returns click's Result (exit_code, stdout, stderr)."""
    from bilateral.cli.main import cli

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def run_json(run):
    """Invoke the CLI and parse its stdout as JSON (asserting exit 0)."""

    def invoke(*args: str):
        result = run(*args)
        assert result.exit_code == 0, result.output + result.stderr
        return json.loads(result.stdout)

    return invoke


@pytest.fixture(scope="session")
def store():
    """The store of the shipped graph, built once per session."""
    from bilateral.graph.storage.store import open_store

    return open_store()


@pytest.fixture
def mini_dir(tmp_path) -> Path:
    """A private copy of the small test seed, free to break."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


# ------------------------------------------------------------------ browser tests (see tests/browsing.py)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (skipped without it; fails under CI=true)."""
    from browsing import launch_chromium, require_chromium

    require_chromium()
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def visit(browser):
    """`visit(path, **options) -> Visit`: open a page in a fresh context (see browsing.Visit); closed afterwards."""
    from browsing import Visit

    opened: list[Visit] = []

    def open_page(target, **options) -> Visit:
        opened.append(Visit(browser, target, **options))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.fixture(scope="session")
def explorer_file(tmp_path_factory) -> Path:
    """The explorer page of the shipped graph, rendered once per session (read-only: render your own to change it)."""
    from bilateral.cli.main import cli

    out = tmp_path_factory.mktemp("browser") / "explorer.html"
    result = CliRunner().invoke(cli, ["render", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def shipped_home(store, tmp_path, monkeypatch) -> Path:
    """The shipped data dir in a private BILATERAL_HOME, seeded with the session's built store: no rebuild.

    For tests that add beside the curated graph (imports, caches) and need their own home, without
    paying a full build each: returns the shipped data directory, to pass as `--data` or to the library.
    """
    from bilateral.graph.locations import shipped_data_dir, store_home

    data = shipped_data_dir().resolve()
    built = store_home(data)
    home = tmp_path / "home"
    monkeypatch.setenv("BILATERAL_HOME", str(home))
    shutil.copytree(built, store_home(data), ignore=shutil.ignore_patterns("*.lock"))
    return data
