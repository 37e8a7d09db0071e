"""Bookkeeping files that hold valid JSON of the wrong shape are read as missing, never a traceback.

current.json (which store is live), catalogue.json (the imports) and
combined.json (the store with the imports) are ours, but a disk, an editor
or a half-restored backup can leave `null` or a list in them; each is then
what a missing file is: the store is rebuilt, the catalogue is empty, the
combined store is rebuilt.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("text", ["null", pytest.param("[1]", marks=pytest.mark.slow)])
def test_a_manifest_of_the_wrong_shape_rebuilds_the_store(run, mini_dir, text):
    from bilateral.graph.locations import store_home

    assert run("--data", mini_dir, "build").exit_code == 0
    (store_home(mini_dir) / "current.json").write_text(text, encoding="utf-8")
    result = run("--data", mini_dir, "stats")
    assert result.exit_code == 0, result.output + result.stderr
    assert "unexpected failure" not in result.stderr
    assert (store_home(mini_dir) / "current.json").read_text(encoding="utf-8") != text  # rebuilt, pointed at


def _import_small(run, data: Path, tmp_path: Path) -> Path:
    from bilateral.graph.events.imports import events_home

    path = tmp_path / "small.tsv"
    path.write_text("Japan\tConsult\tSouth Korea\t2015-12-28\n", encoding="utf-8")
    result = run("--data", data, "import", "icews", path, "--name", "small")
    assert result.exit_code == 0, result.output + result.stderr
    return events_home(data)


@pytest.mark.parametrize("text", ["null", "[]"])
def test_a_catalogue_of_the_wrong_shape_lists_no_imports(run, run_json, shipped_home, tmp_path, text):
    home = _import_small(run, shipped_home, tmp_path)
    assert [i["name"] for i in run_json("--data", shipped_home, "imports", "--json")] == ["small"]
    (home / "catalogue.json").write_text(text, encoding="utf-8")
    assert run_json("--data", shipped_home, "imports", "--json") == []


@pytest.mark.slow  # rebuilds the combined store of the shipped graph (3-4 s)
@pytest.mark.parametrize("text", ["[1]", '"combined-x"'])
def test_a_combined_pointer_of_the_wrong_shape_is_rebuilt(run, shipped_home, tmp_path, text):
    home = _import_small(run, shipped_home, tmp_path)
    count = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a bl:CodedEvent }"
    before = run("--data", shipped_home, "query", count, "--format", "csv")
    assert before.exit_code == 0, before.stderr
    (home / "combined.json").write_text(text, encoding="utf-8")
    after = run("--data", shipped_home, "query", count, "--format", "csv")
    assert after.exit_code == 0, after.output + after.stderr
    assert after.stdout == before.stdout
    assert after.stdout.splitlines()[1] == "1"
    assert (home / "combined.json").read_text(encoding="utf-8") != text  # rebuilt, pointed at
