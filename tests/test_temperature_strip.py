"""The explorer page's temperature strip data (issue 15): what `render` puts in the page, and when.

The strip in a browser is tests/test_browser_temperature.py; here the page's
JSON is checked against `bilateral temperature --json` (the same library call,
so the same numbers), against an import and its removal (the page's cache must
follow them), and for the options and error paths of `render`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render import page_data

from bilateral.graph.page.temperature_strip import IMPORT_HINT, MAX_BARS, add_to_page_json, choose_by

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
STRIP_TSV = FIXTURES / "icews-strip.tsv"


def test_choose_by_opens_with_the_finest_size_that_fits():
    assert choose_by(MAX_BARS, MAX_BARS // 3) == "month"
    assert choose_by(MAX_BARS + 1, 41) == "quarter"
    assert choose_by(3 * MAX_BARS + 3, MAX_BARS + 1) == "year"


def test_add_to_page_json_keeps_the_object_valid_and_escaped():
    import json

    text = add_to_page_json('{"entities": {"a": 1}}', "temperature", {"label": "</script><b>&"})
    assert "</script>" not in text and "<b>" not in text
    assert json.loads(text) == {"entities": {"a": 1}, "temperature": {"label": "</script><b>&"}}
    assert json.loads(add_to_page_json("{}", "temperature", None)) == {"temperature": None}
    with pytest.raises(ValueError):
        add_to_page_json("[1, 2]", "temperature", None)


# ----------------------------------------------------------------- through the CLI (each test builds a store)


@pytest.fixture
def mini_data(mini_dir) -> Path:
    """A private copy of the small seed: its own store, its own imports."""
    return mini_dir


def _render(run, data: Path, out: Path, *args) -> dict:
    result = run("--data", data, "render", "-o", out, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return page_data(out.read_text("utf-8"))


def _import(run, data: Path, *files: Path) -> None:
    result = run("--data", data, "import", "icews", *files, "--name", "strip")
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.slow
def test_strip_follows_imports_and_matches_temperature(run, run_json, mini_data, tmp_path):
    out = tmp_path / "page.html"
    before = _render(run, mini_data, out)
    assert before["temperature"] == {"hint": IMPORT_HINT, "imports": []}

    _import(run, mini_data, STRIP_TSV)
    strip = _render(run, mini_data, out)["temperature"]  # the page's own cache must not hide the import
    assert strip["imports"] == ["strip"]
    assert [b["label"] for b in strip["between"]] == ["Japan", "South Korea"]
    for by in ("month", "quarter", "year"):
        expected = run_json("--data", mini_data, "temperature", "--by", by, "--json")["periods"]
        shown = strip["sizes"][by]
        assert [p["period"] for p in shown] == [p["period"] for p in expected]
        assert [(p["events"], p["goldstein_mean"]) for p in shown] == [
            (p["events"], p["goldstein_mean"]) for p in expected
        ]
        assert [[[c, n] for c, n in p["top_types"]] for p in shown] == [
            [[t["code"], t["count"]] for t in p["top_types"]] for p in expected
        ]
        assert [[strip["curated"][i]["iri"] for i in p["curated"]] for p in shown] == [
            [e["iri"] for e in p["curated_events"]] for p in expected
        ]
    july = next(p for p in strip["sizes"]["month"] if p["period"] == "2019-07")
    assert july["events"] == 10 and july["goldstein_mean"] < 0
    assert july["top_types"][0] == ["111", 4]  # Criticize or denounce, four times
    assert strip["types"]["111"] == {"name": "Criticize or denounce", "goldstein": -2.0}
    # China's five rows are not between the two, nor is Moon Jae-in's visit (the mini seed has no Moon)
    assert strip["events"] == sum(p["events"] for p in strip["sizes"]["year"]) == 31 - 5 - 1

    result = run("--data", mini_data, "imports", "remove", "strip")
    assert result.exit_code == 0, result.output + result.stderr
    assert _render(run, mini_data, out)["temperature"] == {"hint": IMPORT_HINT, "imports": []}


@pytest.mark.slow
def test_render_options_for_the_strip(run, mini_data, tmp_path):
    _import(run, mini_data, STRIP_TSV)
    out = tmp_path / "page.html"
    assert "temperature" not in _render(run, mini_data, out, "--no-temperature")
    bounded = _render(run, mini_data, out, "--from", "2019-07", "--to", "2019-09")["temperature"]
    # periods run from the first to the last holding events in the range (as `temperature --from --to`)
    assert [p["period"] for p in bounded["sizes"]["month"]] == ["2019-07", "2019-08"]
    assert bounded["by"] == "month"
    other = _render(run, mini_data, out, "--temperature-between", "South Korea", "Japan")["temperature"]
    assert [b["label"] for b in other["between"]] == ["South Korea", "Japan"]
    # no coded event between these two: the page says how to import, and draws no strip
    empty = _render(run, mini_data, out, "--temperature-between", "United States", "Japan")["temperature"]
    assert empty == {"hint": IMPORT_HINT, "imports": ["strip"]}


@pytest.mark.slow
def test_render_refuses_a_bad_strip_option(run, mini_data, tmp_path):
    out = tmp_path / "page.html"
    result = run("--data", mini_data, "render", "-o", out, "--temperature-between", "Atlantis", "Japan")
    assert result.exit_code == 2
    assert "Atlantis" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    result = run("--data", mini_data, "render", "-o", out, "--temperature-between", "Japan", "日本")
    assert result.exit_code == 2 and "two different states" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_data_without_the_default_states_renders_without_a_strip(run, mini_data, tmp_path):
    core = mini_data / "entities" / "core.ttl"
    core.write_text(core.read_text("utf-8").replace('"South Korea"@en', '"Republic of Korea"@en'), "utf-8")
    data = _render(run, mini_data, tmp_path / "page.html")
    assert data["temperature"] is None


@pytest.mark.slow
def test_path_pages_carry_no_strip(run, mini_data, tmp_path):
    _import(run, mini_data, STRIP_TSV)
    out = tmp_path / "path.html"
    result = run("--data", mini_data, "path", "Japan", "South Korea", "--html", out)
    assert result.exit_code == 0, result.output + result.stderr
    assert "temperature" not in page_data(out.read_text("utf-8"))


def test_fixture_is_what_the_tests_assume():
    """The strip tests count on the fixture's rows: 31 rows, five of them China's."""
    rows = STRIP_TSV.read_text("utf-8").splitlines()
    assert len(rows) == 31 and sum(r.startswith("China\t") for r in rows) == 5


@pytest.mark.remote
def test_strip_from_a_server_equals_the_local_one(run, mini_data, tmp_path):
    """`render --endpoint`: the strip's aggregates come from the server (SPARQL), with the same numbers."""
    import servers

    _import(run, mini_data, STRIP_TSV)
    server = servers.start_or_skip("oxigraph", tmp_path / "ox")
    try:
        result = run("--data", mini_data, "publish", "--endpoint", server.endpoint)
        assert result.exit_code == 0, result.output + result.stderr
        local = _render(run, mini_data, tmp_path / "local.html")["temperature"]
        out = tmp_path / "remote.html"
        result = run("--data", mini_data, "--endpoint", server.endpoint, "render", "-o", out)
        assert result.exit_code == 0, result.output + result.stderr
        remote = page_data(out.read_text("utf-8"))["temperature"]
    finally:
        servers.stop(server)
    assert local["events"] == 25
    assert remote["imports"] == []  # a server's imports are not listed
    assert {**remote, "imports": local["imports"]} == local


@pytest.mark.slow  # an import beside a running server; the page's strip data is checked fast above
def test_a_running_server_shows_imports_made_after_it_started(run, mini_data):
    import servers

    from bilateral.graph.storage.store import open_store

    def served_strip(server) -> dict:
        status, _, body = servers.http(server.url)
        assert status == 200
        return page_data(body.decode("utf-8"))["temperature"]

    with servers.serving(open_store(mini_data), workers=1) as server:
        assert served_strip(server) == {"hint": IMPORT_HINT, "imports": []}
        _import(run, mini_data, STRIP_TSV)
        strip = served_strip(server)
        assert strip["imports"] == ["strip"] and strip["events"] == 31 - 5 - 1
        assert run("--data", mini_data, "imports", "remove", "strip").exit_code == 0
        assert served_strip(server) == {"hint": IMPORT_HINT, "imports": []}
