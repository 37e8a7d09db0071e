"""Coded events behind --endpoint (issue 15): publish the imports, then temperature and events from the server.

The server computes the same aggregates in SPARQL that the local table
computes in numpy; every answer here is compared with the local one on the
same data.  One Oxigraph server per module (tests/servers.py), a private data
directory with a small import, one publish.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import servers

pytestmark = pytest.mark.remote

ROOT = Path(__file__).resolve().parent.parent
ICEWS = ROOT.parent / "shared" / "data" / "icews" / "icews05-15-valid.tsv"

# A few rows of our own beside the shared file: sectors, a person, later years.
OWN = (
    "Japan\tConsult\tSouth Korea\t2015-12-28\n"
    "Government (Japan)\tMake statement\tMoon Jae-in\t2019-11-05\n"
    "Citizen (South Korea)\tDemonstrate or rally\tGovernment (Japan)\t2019-08-15\n"
    "Shinzo Abe\tExpress intent to meet or negotiate\tSouth Korea\t2019-08-15\n"
    "South Korea\tReject\tJapan\t2019-08-02\n"
)


def _invoke(*args):
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(local data dir, server) after importing and publishing."""
    from bilateral.graph.locations import shipped_data_dir

    base = tmp_path_factory.mktemp("events-remote")
    data = base / "data"
    shutil.copytree(shipped_data_dir(), data)
    own = base / "own.tsv"
    own.write_text(OWN, encoding="utf-8")
    files = [own] + ([ICEWS] if ICEWS.is_file() else [])
    result = _invoke("--data", data, "import", "icews", *files, "--name", "sample", "--between", "Japan", "South Korea")
    assert result.exit_code == 0, result.output
    server = servers.start_or_skip("oxigraph", base / "ox")
    result = _invoke("--data", data, "publish", "--endpoint", server.endpoint)
    assert result.exit_code == 0, result.output
    assert "coded events" in result.output
    yield data, server
    servers.stop(server)


def _both(served, *args) -> tuple:
    data, server = served
    local = _invoke("--data", data, *args, "--json")
    remote = _invoke("--data", data, "--endpoint", server.endpoint, *args, "--json")
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    return json.loads(local.stdout), json.loads(remote.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ("temperature",),
        ("temperature", "--by", "quarter", "--direction", "A-B"),
        ("temperature", "--by", "year", "--direction", "B-A"),
        ("temperature", "--by", "month", "--from", "2014-03", "--to", "2019-12"),
        ("temperature", "--between", "citizen (south korea)", "Japan", "--by", "year"),
    ],
)
def test_temperature_from_the_server_equals_local(served, args):
    local, remote = _both(served, *args)
    assert remote == local
    assert sum(p["events"] for p in local["periods"]) > 0


@pytest.mark.parametrize(
    "args",
    [
        ("events",),
        ("events", "--page", "3", "--limit", "7"),
        ("events", "--between", "South Korea", "Japan", "--from", "2019"),
        ("events", "--type", "040"),
        ("events", "--type", "204"),
    ],
)
def test_events_from_the_server_equal_local(served, args):
    local, remote = _both(served, *args)
    if remote != local:
        print(json.dumps(local, indent=1))
        print(json.dumps(remote, indent=1))
    assert remote == local


@pytest.mark.parametrize("name", ["Japan", "Abe Shinzo", "GSOMIA"])
def test_show_adds_the_same_coded_events_from_the_server(served, name):
    local, remote = _both(served, "show", name)
    if remote != local:
        print(json.dumps(local.get("coded_events"), indent=None))
        print(json.dumps(remote.get("coded_events"), indent=None))
    assert remote == local
    assert ("coded_events" in local) == (name != "GSOMIA")


def test_curated_commands_on_the_server_do_not_see_coded_events(served):
    local, remote = _both(served, "timeline")
    assert remote == local
    assert not any("coded-" in e["iri"] for e in remote)


def test_unknown_code_and_bad_direction_exit_2_from_the_server(served):
    _, server = served
    for args in (
        ("events", "--type", "10a"),
        ("events", "--type", "999"),
        ("temperature", "--from", "2019", "--to", "2018"),
    ):
        result = _invoke("--endpoint", server.endpoint, *args)
        assert result.exit_code == 2, result.output
