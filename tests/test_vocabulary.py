"""The vocabulary in one place (graph/vocabulary.py): what the ontology says, every module knows.

A class or response predicate added to the ontology must reach paths,
chains, cards, the projection, timelines and the page without editing
them: one test reads ontology.ttl independently (rdflib) and checks each
bl:Event subclass against every consumer; another builds a store on an
ontology with a new event class and a new response predicate and asks each
command's function about them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from bilateral.graph import vocabulary as vocabulary_module
from bilateral.graph.locations import ontology_path
from bilateral.graph.namespaces import BL, ID
from bilateral.graph.vocabulary import (
    DATE_PARTS,
    DATING_PARTS,
    FACTS,
    LITERAL_NAMES,
    RESPONDS_TO,
    ancestors,
    read_vocabulary,
    vocabulary,
)

RDFS = rdflib.RDFS
FIXTURES = Path(__file__).parent / "fixtures"


def _event_classes_by_rdflib() -> set[str]:
    """bl:Event and its sub-classes, read from ontology.ttl without graph/vocabulary.py."""
    g = rdflib.Graph().parse(ontology_path(), format="turtle")
    found = set(g.transitive_subjects(RDFS.subClassOf, rdflib.URIRef(BL + "Event")))
    return {str(c)[len(BL) :] for c in found}


def _hub_cost_applies(type_name: str) -> bool:
    """Whether pathfinding charges a node of this class the hub cost (events never pay it)."""
    from bilateral.graph.explore.pathfinding import node_cost

    graph = nx.MultiDiGraph()
    graph.add_node("hub", types=[type_name])
    for i in range(20):
        graph.add_edge("hub", f"n{i}")
    return node_cost(graph, "hub", mean_degree=1.0) > 0.05 * 20 + 1e-9


def _consumers_see_an_event(type_name: str) -> dict[str, bool]:
    """What each module that treats events apart says of a node of this class."""
    from bilateral.graph.page.aggregation import foldable
    from bilateral.graph.page.rendering import _class_ancestors, _is_event

    return {
        "vocabulary": vocabulary().is_event([type_name]),
        "pathfinding": not _hub_cost_applies(type_name),
        "aggregation": type_name in foldable(),
        "rendering": _is_event({"types": [type_name]}, _class_ancestors(None)),
    }


def test_every_event_subclass_of_the_ontology_is_an_event_everywhere():
    names = _event_classes_by_rdflib()
    assert {"Event", "Meeting", "Statement", "CodedEvent"} <= names  # the reading itself works
    for name in sorted(names):
        assert _consumers_see_an_event(name) == dict.fromkeys(
            ("vocabulary", "pathfinding", "aggregation", "rendering"), True
        ), name


def test_what_is_no_event_is_none_anywhere():
    from bilateral.graph.page.aggregation import foldable, kept

    for name in ("Issue", "State", "Position", "Accord"):
        seen = _consumers_see_an_event(name)
        assert not seen["vocabulary"] and not seen["pathfinding"] and not seen["rendering"], name
    assert {"Position", "Interpretation", "Proposal", "Observation"} <= foldable()  # folded, though no events
    assert kept() == {"State", "Issue", "Accord", "Declaration"} and not kept() & foldable()


def test_response_predicates_are_responds_to_and_its_sub_properties():
    g = rdflib.Graph().parse(ontology_path(), format="turtle")
    below = {str(p) for p in g.transitive_subjects(RDFS.subPropertyOf, rdflib.URIRef(RESPONDS_TO))}
    assert set(vocabulary().response_predicates) == below
    assert {BL + "retaliatesAgainst", BL + "reverses"} <= below


def test_closures_and_most_specific():
    v = vocabulary()
    assert BL + "participant" in v.superproperties[BL + "agent"]
    assert v.most_specific({BL + "agent", BL + "participant"}) == {BL + "agent"}
    assert v.most_specific({BL + "agent", BL + "target", BL + "participant"}) == {BL + "agent", BL + "target"}
    assert v.subclasses(BL + "Accord") == {BL + "Accord", BL + "Declaration"}
    assert v.class_lineage["Meeting"] == {"Meeting", "Event"}
    assert v.class_lineage["Declaration"] == {"Declaration", "Accord"}
    assert vocabulary() is v  # read once


def test_ancestors_are_transitive_and_survive_a_cycle():
    found = ancestors([("a", "b"), ("b", "c"), ("c", "a"), ("d", "d")])
    assert found["a"] == {"a", "b", "c"} and found["b"] == {"a", "b", "c"}
    assert "d" not in found  # a class that is its own parent has no ancestor


def test_one_table_of_literal_names():
    assert set(DATE_PARTS) | set(FACTS) == set(LITERAL_NAMES) and not set(DATE_PARTS) & set(FACTS)
    assert set(DATING_PARTS.values()) == {"start", "precision", "not_before", "not_after"}
    assert FACTS[BL + "stance"] == "stance"


# ------------------------------------------------------------------ a new class and a new response predicate

_EXTENSION = FIXTURES / "ontology-extension.ttl"
_SUMMIT = FIXTURES / "summit.trig"


@pytest.fixture
def extended(tmp_path, mini_dir, monkeypatch):
    """A store on the mini data plus an event of a new class linked by a new response predicate."""
    from bilateral.graph.storage import loading
    from bilateral.graph.storage.store import open_store

    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(ontology_path().read_text("utf-8") + _EXTENSION.read_text("utf-8"), "utf-8")
    shutil.copy(_SUMMIT, mini_dir / "sources" / "summit.trig")
    monkeypatch.setattr(loading, "ontology_path", lambda: ontology)
    monkeypatch.setattr(vocabulary_module, "ontology_path", lambda: ontology)
    vocabulary.cache_clear()
    yield open_store(mini_dir)
    vocabulary.cache_clear()


def test_the_extension_is_read_from_the_ontology_file(tmp_path):
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(ontology_path().read_text("utf-8") + _EXTENSION.read_text("utf-8"), "utf-8")
    v = read_vocabulary(ontology)
    assert BL + "Summit" in v.event_classes and BL + "rebuffs" in v.response_predicates
    assert BL + "Summit" not in vocabulary().event_classes  # the shipped one is untouched


def test_a_new_event_class_and_response_predicate_reach_every_module(extended):
    from bilateral.graph.explore.cards import card
    from bilateral.graph.explore.chains import chain
    from bilateral.graph.explore.pathfinding import find_paths
    from bilateral.graph.explore.projection import project
    from bilateral.graph.explore.timelines import timeline

    summit, stay, rebuffs = ID + "ev-mini-summit", ID + "ev-gsomia-stay", BL + "rebuffs"
    assert _consumers_see_an_event("Summit") == dict.fromkeys(
        ("vocabulary", "pathfinding", "aggregation", "rendering"), True
    )

    steps = chain(extended, summit, direction="backward")["steps"]
    assert [r["relation_iri"] for s in steps if s["iri"] == summit for r in s["responds_to"]] == [rebuffs]
    assert stay in {s["iri"] for s in steps}

    shown = card(extended, summit)
    assert [r["predicate_iri"] for r in shown["relations"] if r["other"]["iri"] == stay] == [
        rebuffs
    ]  # not also respondsTo
    assert [a["iri"] for a in shown["chain"]["answers"]] == [stay]

    assert set(project(extended).get_edge_data(summit, stay)) == {rebuffs}

    found = find_paths(extended, stay, summit, relations=["responses"], k=1)
    hop = found["paths"][0]["hops"][0]  # dated by its later end, the summit, only if the summit is an event
    assert (hop["relation_iri"], hop["direction"], hop["date"]) == (rebuffs, "backward", "2019-12-01")

    assert summit in {e["iri"] for e in timeline(extended, start="2019-12")}


def test_to_pyvis_draws_every_event_class_in_the_event_colour():
    from bilateral.graph.explore.interop import to_pyvis

    graph = nx.MultiDiGraph()
    for name in sorted(_event_classes_by_rdflib()) + ["Declaration", "Accord", "Thing"]:
        graph.add_node(name, type=name, label=name)
    colours = {n["id"]: n["color"] for n in to_pyvis(graph).nodes}
    assert {colours[name] for name in _event_classes_by_rdflib()} == {colours["Event"]}
    assert colours["Declaration"] == colours["Accord"] != colours["Event"]
    assert colours["Thing"] == "#999999"
