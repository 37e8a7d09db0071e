"""Paths through substance (issue 16).

Between issues, paths run through what connects the issues, not through
persons, offices or sources; --via composes legs; --avoid removes nodes
before the search.
"""

from __future__ import annotations

import pytest

BRIDGES = {"Person", "Office", "Source", "Document"}


def _inner_types(path: dict) -> list[set[str]]:
    return [set(hop["to"]["types"]) for hop in path["hops"][:-1]]


def _nodes(path: dict) -> list[str]:
    return [path["hops"][0]["from"]["iri"], *(hop["to"]["iri"] for hop in path["hops"])]


def test_the_best_path_between_two_issues_passes_no_person_office_or_source(run_json):
    result = run_json("path", "comfort women", "GSOMIA", "-k", "3", "--json")
    assert result["paths"]
    for path in result["paths"]:
        assert all(not (types & BRIDGES) for types in _inner_types(path)), path


def test_via_composes_legs_and_answers(run_json):
    result = run_json("path", "forced labour", "GSOMIA", "-k", "1", "--via", "id:issue-export-controls", "--json")
    (path,) = result["paths"]
    nodes = _nodes(path)
    assert "https://w3id.org/bilateral/id/issue-export-controls" in nodes[1:-1]
    assert len(nodes) == len(set(nodes))  # loop-free
    assert all(not (types & BRIDGES) for types in _inner_types(path))


def test_several_paths_through_a_via_point_are_distinct_and_loop_free(run_json):
    result = run_json("path", "forced labour", "GSOMIA", "-k", "3", "--via", "id:issue-export-controls", "--json")
    seen = set()
    for path in result["paths"]:
        nodes = _nodes(path)
        assert len(nodes) == len(set(nodes))
        seen.add(tuple(nodes))
    assert len(seen) == len(result["paths"])
    costs = [p["cost"] for p in result["paths"]]
    assert costs == sorted(costs)


def test_avoid_removes_a_node_before_the_search(run_json):
    best = run_json("path", "comfort women", "GSOMIA", "-k", "1", "--json")["paths"][0]
    middle = _nodes(best)[2]
    other = run_json("path", "comfort women", "GSOMIA", "-k", "1", "--avoid", middle, "--json")["paths"][0]
    assert middle not in _nodes(other)


def test_relations_all_lets_persons_bridge(run_json, store):
    from bilateral.graph.explore.pathfinding import find_paths
    from bilateral.graph.explore.resolution import resolve

    person = resolve(store, "Kishida")
    source, target = resolve(store, "comfort women"), resolve(store, "GSOMIA")
    substance = find_paths(store, source, target, k=1, via=[person])  # a via point is always allowed
    assert person in _nodes(substance["paths"][0])
    with_all = find_paths(store, source, target, k=1, relations=["all"])
    assert with_all["paths"][0]["cost"] <= find_paths(store, source, target, k=1)["paths"][0]["cost"]


@pytest.mark.parametrize("profiles", [("all", "substance"), ("actors", "all")])
def test_two_profiles_are_refused(run, profiles):
    result = run("path", "comfort women", "GSOMIA", "--relations", ",".join(profiles))
    assert result.exit_code == 2
    assert "profile" in result.stderr


def test_an_unknown_relation_names_the_profiles(run):
    result = run("path", "comfort women", "GSOMIA", "--relations", "nonsense")
    assert result.exit_code == 2
    assert "substance" in result.stderr and "actors" in result.stderr
