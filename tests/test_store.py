"""Issue 2: loading, validation, the persisted store, stats and export."""

from __future__ import annotations

import json
import os

import pytest

from bilateral.graph.locations import shipped_data_dir
from bilateral.graph.namespaces import ID

ROOT_DATA = shipped_data_dir()


def test_validate_clean_shipped_graph(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("valid")


def test_validate_names_file_line_and_column_of_a_syntax_error(run, mini_dir):
    bad = mini_dir / "sources" / "broken.trig"
    bad.write_text("@prefix id: <https://w3id.org/bilateral/id/> .\n\nGRAPH id:x {\n  id:a id:b .\n}\n")
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.stdout
    assert result.stderr == "error: 1 problem(s) in the data\n"  # through the one error handler
    assert "Traceback" not in result.output


def test_validate_names_the_focus_node_of_a_shape_violation(run, mini_dir):
    extra = mini_dir / "sources" / "undated.trig"
    extra.write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n@prefix id: <https://w3id.org/bilateral/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'GRAPH id:src-mini {\n  id:ev-undated a bl:Event ; rdfs:label "Undated thing"@en ;\n'
        "    bl:agent id:japan .\n}\n"
    )
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "id:ev-undated (Undated thing)" in line]
    assert any("needs a bl:startDate, or a bl:notBefore / bl:notAfter bound" in line for line in lines)
    assert all(line.startswith(f"{extra}:5:") for line in lines)
    assert "problem(s)" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not UTF-8"),
        (b"<html><body>not rdf</body></html>", ":1:"),
    ],
)
def test_validate_rejects_files_that_are_not_rdf(run, mini_dir, content, expected):
    (mini_dir / "sources" / "junk.ttl").write_bytes(content)
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    assert expected in result.stdout and "junk.ttl" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_validate_reports_an_unreadable_file(run, mini_dir):
    locked = mini_dir / "sources" / "locked.trig"
    locked.write_text("")
    locked.chmod(0)
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1 and "cannot read" in result.stdout


def test_validate_extra_file_against_the_data(run, mini_dir, tmp_path):
    draft = tmp_path / "draft.trig"
    draft.write_text("this is not turtle\n")
    result = run("--data", mini_dir, "validate", draft)
    assert result.exit_code == 1 and str(draft) in result.stdout


def test_missing_data_directory_is_a_usage_error(run, tmp_path):
    result = run("--data", tmp_path / "nowhere", "stats")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_failed_build_keeps_the_previous_store(run, run_json, mini_dir):
    assert run("--data", mini_dir, "build").exit_code == 0
    before = run_json("--data", mini_dir, "stats", "--json")
    (mini_dir / "sources" / "mini.trig").write_text("GRAPH <x> { broken")
    result = run("--data", mini_dir, "build")
    assert result.exit_code == 1 and "mini.trig:1:" in result.stderr
    # other commands warn and keep answering from the previous store
    after = run("--data", mini_dir, "stats", "--json")
    assert after.exit_code == 0
    assert json.loads(after.stdout)["triples"] == before["triples"]
    assert "does not validate" in after.stderr


def test_commands_rebuild_when_an_input_changes(run_json, mini_dir):
    first = run_json("--data", mini_dir, "stats", "--json")
    extra = mini_dir / "entities" / "more.ttl"
    extra.write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/bilateral/id/china> a bl:State ; rdfs:label "China"@en .\n'
    )
    second = run_json("--data", mini_dir, "stats", "--json")
    assert second["classes"]["State"] == first["classes"]["State"] + 1


def test_warm_start_does_not_reparse(mini_dir, monkeypatch):
    from bilateral.graph.storage import loading
    from bilateral.graph.storage.store import build, open_store

    build(mini_dir)
    monkeypatch.setattr(loading, "load", lambda *a, **k: pytest.fail("re-parsed the TriG"))
    store = open_store(mini_dir)
    assert len(store.ox) > 0


def test_builds_for_different_data_dirs_are_separate(run_json, mini_dir, tmp_path):
    from bilateral.graph.locations import store_home

    other = tmp_path / "other"
    other.mkdir()
    (other / "x.ttl").write_text("")
    assert store_home(mini_dir) != store_home(other)
    shipped = run_json("stats", "--json")
    mini = run_json("--data", mini_dir, "stats", "--json")
    assert shipped["triples"] != mini["triples"]
    assert run_json("stats", "--json")["triples"] == shipped["triples"]


def test_build_prints_counts(run, run_json, mini_dir):
    result = run("--data", mini_dir, "build", "--force")
    assert result.exit_code == 0
    assert "quads" in result.stdout and "entities" in result.stdout
    # the counts build prints (taken while building) are the ones stats finds by querying
    stats = run_json("--data", mini_dir, "stats", "--json")
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith(f"{stats['entities']} entities; ")
    assert f"{stats['classes']['Event']} Event" in summary
    again = run("--data", mini_dir, "build")  # up to date: the counts come from the manifest
    assert "up to date" in again.stdout and again.stdout.splitlines()[-1] == summary


def _invalid_event(mini_dir):
    bad = mini_dir / "sources" / "undated.trig"
    bad.write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n@prefix id: <https://w3id.org/bilateral/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'GRAPH id:src-mini {\n  id:ev-undated a bl:Event ; rdfs:label "Undated thing"@en ;\n'
        "    bl:agent id:japan .\n}\n"
    )
    return bad


def test_validation_in_a_second_process_blocks_a_bad_build(mini_dir, monkeypatch):
    """Large data is validated in a child process beside the store write; its verdict still decides."""
    from bilateral.graph.errors import InvalidData
    from bilateral.graph.storage import store as store_module
    from bilateral.graph.storage import validation
    from bilateral.graph.storage.store import build, open_store

    monkeypatch.setattr(store_module, "PARALLEL_VALIDATION_QUADS", 0)  # every build takes the two-process route
    # the child answers: validating in this process would be a failure of the test
    monkeypatch.setattr(validation, "validate_loaded", lambda *a, **k: pytest.fail("validated in the parent"))
    first = build(mini_dir, force=True)
    assert first.rebuilt and first.entities > 0
    bad = _invalid_event(mini_dir)
    with pytest.raises(InvalidData) as caught:
        build(mini_dir)
    assert any(f"{bad}:5:" in line and "bl:startDate" in line for line in caught.value.problems)
    assert open_store(mini_dir, rebuild=False).store_dir == first.store_dir  # the previous store answers
    assert not [p for p in first.store_dir.parent.iterdir() if p.name.startswith(".building-")]


def test_validation_falls_back_to_this_process_when_the_child_fails(mini_dir, monkeypatch):
    """A child that cannot answer (here: no interpreter to run) never lets invalid data through."""
    import sys

    from bilateral.graph.errors import InvalidData
    from bilateral.graph.storage import store as store_module
    from bilateral.graph.storage.store import build

    monkeypatch.setattr(store_module, "PARALLEL_VALIDATION_QUADS", 0)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    _invalid_event(mini_dir)
    with pytest.raises(InvalidData) as caught:
        build(mini_dir, force=True)
    assert any("ev-undated" in line for line in caught.value.problems)


def test_stats_follows_the_contract(run_json):
    stats = run_json("stats", "--json")
    assert {"triples", "entities", "classes", "relations", "sources"} <= set(stats)
    assert all(isinstance(v, int) for v in stats["classes"].values())
    # class counts include subclasses: every Meeting is also an Event
    assert stats["classes"]["Event"] >= stats["classes"]["Meeting"] + stats["classes"]["Measure"]
    assert len(stats["sources"]) == 5
    assert stats["relations"]["participant"] >= stats["relations"]["agent"]


def test_sub_property_closure_is_visible_to_plain_sparql(run_json):
    answer = run_json(
        "query", "ASK { id:ev-2019-11-22-korea-stays-in-gsomia bl:participant id:south-korea }", "--format", "json"
    )
    assert answer["boolean"] is True


def test_export_trig_reparses_to_the_same_quads(run, tmp_path):
    import pyoxigraph as ox

    from bilateral.graph.storage.store import open_store

    target = tmp_path / "graph.trig"
    assert run("export", "--format", "trig", "-o", target).exit_code == 0
    quads = list(ox.parse(path=str(target), format=ox.RdfFormat.TRIG))
    assert len(quads) == len(open_store().ox)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert ID + "src-002-lee-oba-2020" in graphs


@pytest.mark.parametrize(
    "fmt",
    ["ttl", "nq", pytest.param("jsonld", marks=pytest.mark.slow)],  # rdflib reads JSON-LD slowly; same writer
)
def test_export_rdf_formats_parse(run, tmp_path, fmt):
    import rdflib

    target = tmp_path / f"graph.{fmt}"
    assert run("export", "--format", fmt, "-o", target).exit_code == 0
    if fmt == "ttl":
        assert len(rdflib.Graph().parse(target, format="turtle")) > 1000
    else:
        ds = rdflib.Dataset()
        ds.parse(target, format={"nq": "nquads", "jsonld": "json-ld"}[fmt])
        assert len(list(ds.graphs())) >= 5


def test_export_graphml_reads_back_with_the_same_counts(run, tmp_path):
    import networkx as nx

    from bilateral.graph.explore.projection import project
    from bilateral.graph.storage.store import open_store

    target = tmp_path / "graph.graphml"
    assert run("export", "--format", "graphml", "-o", target).exit_code == 0
    back = nx.read_graphml(target)
    projected = project(open_store())
    assert back.number_of_nodes() == projected.number_of_nodes()
    assert back.number_of_edges() == projected.number_of_edges()
    node = back.nodes[ID + "japan"]
    assert node["label"] == "Japan" and node["type"] == "State"


def test_export_gexf_and_csv(run, tmp_path):
    import csv

    import networkx as nx

    assert run("export", "--format", "gexf", "-o", tmp_path / "g.gexf").exit_code == 0
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() > 100
    assert run("export", "--format", "csv", "-o", tmp_path / "csv").exit_code == 0
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0])[:5] == ["Source", "Target", "Type", "Label", "predicate"]
    assert {"sources", "source_iris"} <= set(rows[0]) and rows[0]["Type"] == "Directed"


def test_export_to_an_unwritable_place_fails_cleanly(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("export", "--format", "ttl", "-o", blocker / "sub" / "g.ttl")
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert not (blocker / "sub").exists()


def test_export_leaves_no_partial_file_on_failure(run, tmp_path, monkeypatch):
    from bilateral.graph import files

    target = tmp_path / "g.nq"
    target.write_text("previous")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", boom)  # the disk fills while the temporary file is written
    result = run("export", "--format", "nq", "-o", target)
    assert result.exit_code == 2
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["g.nq"]


def test_installed_files_are_found(tmp_path):
    from bilateral.graph.locations import ontology_path, shapes_path, shipped_data_dir

    assert ontology_path().is_file() and shapes_path().is_file()
    assert len(list((shipped_data_dir() / "sources").glob("*.trig"))) == 5


def test_a_build_that_dies_while_writing_leaves_the_previous_store(run_json, mini_dir, monkeypatch):
    from bilateral.graph.locations import store_home
    from bilateral.graph.storage.store import build

    before = run_json("--data", mini_dir, "stats", "--json")["triples"]
    (mini_dir / "entities" / "more.ttl").write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/bilateral/id/china> a bl:State ; rdfs:label "China"@en .\n'
    )

    from bilateral.graph.storage import store as store_module

    def dying(directory, quads, inferred):
        (directory / "half-written").write_text("x")
        raise KeyboardInterrupt  # as if the process were stopped mid-write

    monkeypatch.setattr(store_module, "_write_store", dying)
    with pytest.raises(KeyboardInterrupt):
        build(mini_dir)
    monkeypatch.undo()
    home = store_home(mini_dir)
    assert not [p for p in home.iterdir() if p.name.startswith(".building-")]
    manifest = json.loads((home / "current.json").read_text())
    assert (home / manifest["store"]).is_dir()
    from bilateral.graph.storage.store import open_store

    assert len(open_store(mini_dir, rebuild=False).ox) >= before


def test_a_query_and_a_build_at_once(mini_dir):
    """Readers open the store read-only, so a build can swap stores under a running reader."""
    from bilateral.graph.storage.query import run_query
    from bilateral.graph.storage.store import build, open_store

    build(mini_dir)
    reader = open_store(mini_dir)
    (mini_dir / "entities" / "x.ttl").write_text("")
    build(mini_dir)
    assert run_query(reader, "ASK { ?s ?p ?o }").boolean is True
    assert run_query(open_store(mini_dir), "ASK { ?s ?p ?o }").boolean is True


@pytest.mark.slow
def test_both_shacl_engines_agree(mini_dir):
    """pyshacl-turbo (the fast default) and pySHACL (the reference) report the same violations."""
    from bilateral.graph.storage.validation import validate_data

    (mini_dir / "sources" / "bad.trig").write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n@prefix id: <https://w3id.org/bilateral/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "GRAPH id:src-mini {\n"
        '  id:ev-bad a bl:Meeting ; rdfs:label "Bad"@en, "Also bad"@en ; bl:startDate "2019-13-45"^^xsd:date ;\n'
        '    bl:datePrecision "week" ; bl:agent id:issue-trade ; bl:concerns id:japan .\n'
        '  id:ev-backwards a bl:Statement ; rdfs:label "Backwards"@en ; bl:startDate "2019-05-01"^^xsd:date ;\n'
        '    bl:endDate "2001-01-01"^^xsd:date ; bl:datePrecision "day" ; bl:agent id:japan ; bl:concerns id:issue-trade .\n'
        '  id:obs-bad a bl:Observation ; rdfs:label "Obs"@en ; bl:value "many" .\n'
        "  id:japan bl:holdsOffice id:issue-trade .\n}\n"
    )
    _, turbo = validate_data(mini_dir, engine="turbo")
    _, reference = validate_data(mini_dir, engine="pyshacl")
    assert turbo == reference
    assert len(turbo) >= 8
    _, clean = validate_data(ROOT_DATA, engine="pyshacl")
    assert clean == []


def test_an_ill_typed_date_is_a_violation_not_a_traceback(run, mini_dir):
    text = (mini_dir / "sources" / "mini.trig").read_text().replace('"2019-11-22"^^xsd:date', '"2019-13-45"^^xsd:date')
    (mini_dir / "sources" / "mini.trig").write_text(text)
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    assert "bl:startDate" in result.stdout and "Traceback" not in result.output + result.stderr


def test_pause_gc_restores_the_collector_as_it_found_it():
    import gc

    from bilateral.graph.storage.store import pause_gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), pause_gc():
        assert not gc.isenabled()
        raise RuntimeError("an error inside still restores it")
    assert gc.isenabled()
    gc.disable()
    try:
        with pause_gc():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


def test_every_value_kept_with_the_store_reads_back(run, mini_dir, tmp_path):
    """A kept value the cache's reader refuses would be recomputed by every command: none may be."""
    from bilateral.graph.storage.store import open_store

    assert run("--data", mini_dir, "render", "-o", tmp_path / "page.html").exit_code == 0
    store = open_store(mini_dir)
    names = sorted(p.name[len("cache-") : -len(".pickle")] for p in store.store_dir.glob("cache-*.pickle"))
    assert {"labels-v2", "projection", "source-names"} <= set(names), names

    def recompute():
        raise AssertionError("read back nothing: recomputed")

    for name in names:
        store.cached(name, recompute)
