"""Coded event imports at scale (issue 15): labels, SHACL validation of imports, the progress bar, linking guards.

Each test imports into a private copy of the shipped data (its own store and
imports), through the CLI or the library; nothing here reads ../shared/data.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

GOOD = (
    "Japan\tConsult\tSouth Korea\t2015-12-28\n"
    "Government (Japan)\tMake statement\tMoon Jae-in\t2019-11-05\n"
    "Citizen (International)\tMake an appeal or request\tProtester (World Trade Organization)\t2016-03-01\n"
    'Say "hi" \\ Co\tConsult\tJapan\t2017-01-02\n'
)


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the shipped curated data (its own store and imports)."""
    from bilateral.graph.locations import shipped_data_dir

    target = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), target)
    return target


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "small.tsv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _csv_rows(result) -> list[list[str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


@pytest.mark.slow  # imports through the CLI: seconds
def test_coded_events_and_actors_carry_readable_labels(run, data, small):
    assert run("--data", data, "import", "icews", small, "--name", "small").exit_code == 0
    sparql = "SELECT ?l WHERE { ?e a bl:CodedEvent ; rdfs:label ?l } ORDER BY ?l"
    labels = [r[0] for r in _csv_rows(run("--data", data, "query", sparql, "--format", "csv"))]
    assert "Government (Japan) — Make statement → Moon Jae-in, 2019-11-05" in labels
    assert "Japan — Consult → South Korea, 2015-12-28" in labels
    # quotes and backslashes in an actor string survive the N-Quads escaping
    assert 'Say "hi" \\ Co — Consult → Japan, 2017-01-02' in labels
    actors = "SELECT ?l WHERE { ?a a bl:CodedActor ; rdfs:label ?l } ORDER BY ?l"
    assert ["Government (Japan)"] in _csv_rows(run("--data", data, "query", actors, "--format", "csv"))


@pytest.mark.slow  # imports through the CLI: seconds
def test_a_country_that_is_no_state_ties_no_actor_to_it(run, data, small):
    """Countries resolve to states only.

    "International" (an ontology term's label) stays a coded actor; the WTO (a
    curated organisation) is no state, so its sector actor belongs to none.
    """
    assert run("--data", data, "import", "icews", small, "--name", "small").exit_code == 0
    sparql = """SELECT ?label ?state WHERE { ?a a bl:CodedActor ; rdfs:label ?label .
      OPTIONAL { ?a bl:belongsToState ?state } } ORDER BY ?label"""
    rows = dict(_csv_rows(run("--data", data, "query", sparql, "--format", "csv")))
    assert rows["Citizen (International)"] == "https://w3id.org/bilateral/id/coded-actor-international"
    assert rows["Protester (World Trade Organization)"] == ""
    assert rows["Government (Japan)"] == "https://w3id.org/bilateral/id/japan"


@pytest.mark.slow  # imports through the CLI: seconds
def test_an_import_that_breaks_the_shapes_is_refused_whole(run, run_json, data, small, monkeypatch):
    from bilateral.graph.events import imports, nquads
    from bilateral.graph.events.imports import events_home

    assert run("--data", data, "import", "icews", small, "--name", "first").exit_code == 0
    before = run_json("--data", data, "events", "--json")

    def unlabelled(out, *args, **kwargs):  # a writer fault: coded events without their rdfs:label
        buffer = io.StringIO()
        checked = nquads.write_import(buffer, *args, **kwargs)
        event = "<https://w3id.org/bilateral/id/coded-second-"
        dropped = {line for line in buffer.getvalue().splitlines() if line.startswith(event) and "#label>" in line}
        out.write("".join(line + "\n" for line in buffer.getvalue().splitlines() if line not in dropped))
        return [line for line in checked if line not in dropped]

    monkeypatch.setattr(imports, "write_import", unlabelled)
    other = small.with_name("other.tsv")
    other.write_text(GOOD.replace("2015-12-28", "2015-12-29"), encoding="utf-8")
    result = run("--data", data, "import", "icews", other, "--name", "second")
    assert result.exit_code == 1
    assert "does not conform to shapes.ttl, nothing imported" in result.stderr
    assert "a coded event has one English rdfs:label" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert [i["name"] for i in run_json("--data", data, "imports", "--json")] == ["first"]
    assert run_json("--data", data, "events", "--json") == before
    assert not [p for p in (events_home(data) / "imports").iterdir() if p.name.startswith(("second", ".writing-"))]


def test_check_import_names_each_violation(data):
    from bilateral.graph.errors import InvalidData
    from bilateral.graph.events.validation import check_import
    from bilateral.graph.storage.store import open_store

    store = open_store(data)
    bl, g = "https://w3id.org/bilateral/ontology#", "<https://w3id.org/bilateral/id/import-x>"
    e = "<https://w3id.org/bilateral/id/coded-x-0-1>"
    lines = [
        f"{e} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{bl}CodedEvent> {g} .",
        f"{e} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{bl}Event> {g} .",
        f"{e} <{bl}agent> <https://w3id.org/bilateral/id/japan> {g} .",
        f'{e} <{bl}startDate> "2015-13-40" {g} .',
        f"{e} <{bl}cameoType> <https://w3id.org/bilateral/id/cameo-999> {g} .",
    ]
    with pytest.raises(InvalidData) as caught:
        check_import(store, lines, {"https://w3id.org/bilateral/id/japan"})
    text = "\n".join(caught.value.problems)
    for message in ("one bl:target", "one bl:startDate", "one bl:cameoType", "source row", "English rdfs:label"):
        assert message in text, text
    assert "one bl:agent" not in text  # a curated state is an actor (typed in the curated graph)


def test_sample_positions_cover_first_last_and_all_when_few():
    from bilateral.graph.events.validation import sample_positions

    assert sample_positions(3, 10) == {0, 1, 2}
    picked = sample_positions(1_000_000, 500)
    assert len(picked) == 500 and {0, 999_999} <= picked and max(picked) < 1_000_000


def test_progress_on_a_terminal_shows_rows_rate_and_time_left(tmp_path):
    from rich.console import Console

    from bilateral.cli.progress import ImportProgress

    path = tmp_path / "rows.tsv"
    path.write_bytes(b"x" * 70 * 1000)  # about 1,000 rows by size
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with ImportProgress([path], console=console) as progress:
        assert progress is not None
        progress("reading rows", 500, None)
        progress("reading rows", 1000, None)
        progress("writing events", 1000, 1000)
    text = buffer.getvalue()
    assert "reading rows" in text and "writing events" in text
    assert "1,000 rows" in text
    assert "rows/s" in text and any(ch.isdigit() for ch in text.split("rows/s")[0][-12:])
    assert "0:00:00" in text  # time left


@pytest.mark.slow  # imports through the CLI: seconds
def test_no_progress_output_off_a_terminal(run, data, small):
    result = run("--data", data, "import", "icews", small, "--name", "small")
    assert result.exit_code == 0
    assert "rows/s" not in result.stderr and "\x1b[" not in result.stderr + result.stdout


def test_progress_off_a_terminal_yields_no_callback(tmp_path, monkeypatch):
    import sys

    from bilateral.cli.progress import ImportProgress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with ImportProgress([tmp_path / "missing.tsv"]) as progress:
        assert progress is None
