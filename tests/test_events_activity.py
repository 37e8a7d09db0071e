"""`show` of a curated actor adds its coded events by year and its main counterparts (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test builds a store for its own copy of the data

ROWS = (
    "Japan\tConsult\tSouth Korea\t2015-12-28\n"  # +1.0
    "Government (Japan)\tMake statement\tMoon Jae-in\t2019-11-05\n"  # 0.0, counterpart: Moon himself
    "Citizen (South Korea)\tDemonstrate or rally\tGovernment (Japan)\t2019-08-15\n"  # -6.5, rolled up to South Korea
    "Government (Japan)\tMake statement\tCitizen (Japan)\t2019-08-16\n"  # inside Japan: left out
    "Shinzo Abe\tExpress intent to meet or negotiate\tChina\t2014-03-01\n"  # Abe is Japan's: counts for both cards
)


@pytest.fixture
def data(tmp_path, run) -> Path:
    from bilateral.graph.locations import shipped_data_dir

    target = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), target)
    rows = tmp_path / "rows.tsv"
    rows.write_text(ROWS, encoding="utf-8")
    result = run("--data", target, "import", "icews", rows, "--name", "rows")
    assert result.exit_code == 0, result.output
    return target


def test_show_counts_a_states_coded_events_by_year_and_counterpart(run_json, data):
    card = run_json("--data", data, "show", "Japan", "--json")
    coded = card["coded_events"]
    assert coded["total"] == 4
    assert [(y["year"], y["events"], y["as_agent"], y["as_target"]) for y in coded["by_year"]] == [
        (2014, 1, 1, 0),
        (2015, 1, 1, 0),
        (2019, 2, 1, 1),
    ]
    assert [y["goldstein_mean"] for y in coded["by_year"]] == [4.0, 1.0, -3.25]
    counterparts = {c["label"]: (c["events"], c["goldstein_mean"]) for c in coded["counterparts"]}
    assert counterparts == {"South Korea": (2, -2.75), "Moon Jae-in": (1, 0.0), "China": (1, 4.0)}
    assert card["coded_events"]["counterparts"][0]["iri"].endswith("/id/south-korea")


def test_show_of_a_person_and_of_an_actor_without_coded_events(run, run_json, data):
    abe = run_json("--data", data, "show", "Abe Shinzo", "--json")["coded_events"]
    assert abe["total"] == 1 and abe["counterparts"][0]["label"] == "China"
    assert "coded_events" not in run_json("--data", data, "show", "GSOMIA", "--json")
    text = run("--data", data, "show", "Japan")
    assert text.exit_code == 0
    assert "coded events by year" in text.stdout and "main counterparts" in text.stdout
    assert "coded events" not in run("--data", data, "show", "GSOMIA").stdout


def test_show_without_imports_has_no_coded_section(run_json):
    assert "coded_events" not in run_json("show", "Japan", "--json")
