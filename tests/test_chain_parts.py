"""The parts of `chain` on the mini graph: most specific links, who acted, the walk's limits, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilateral.graph.errors import BadInput
from bilateral.graph.explore.chains import chain
from bilateral.graph.namespaces import BL, ID


@pytest.fixture
def mini(mini_dir):
    from bilateral.graph.storage.store import open_store

    return open_store(mini_dir)


def _links(result) -> set[tuple[str, str, str]]:
    return {
        (link["from"][len(ID) :], link["relation_iri"][len(BL) :], link["to"][len(ID) :]) for link in result["links"]
    }


def test_each_link_under_its_most_specific_relation_only(mini):
    result = chain(mini, ID + "ev-gsomia-stay", direction="backward")
    assert _links(result) == {
        ("ev-gsomia-stay", "respondsTo", "ev-esper-visit"),
        ("ev-gsomia-stay", "reverses", "ev-gsomia-notice"),  # not also respondsTo, which the closure adds
        ("ev-esper-visit", "respondsTo", "ev-gsomia-notice"),
        ("ev-gsomia-notice", "retaliatesAgainst", "ev-export-controls"),
    }


_SECOND = Path(__file__).parent / "fixtures" / "second-source.trig"


def test_a_document_that_says_only_responds_to_is_a_source_of_the_specific_link(mini_dir):
    from bilateral.graph.storage.store import open_store

    shutil.copy(_SECOND, mini_dir / "sources" / "second.trig")
    result = chain(open_store(mini_dir), ID + "ev-gsomia-notice", direction="backward")
    assert [(link["relation_iri"][len(BL) :], len(link["sources"])) for link in result["links"]] == [
        ("retaliatesAgainst", 2)
    ]


def test_actors_are_agents_else_mediators(mini):
    steps = {s["iri"][len(ID) :]: s for s in chain(mini, ID + "ev-esper-visit")["steps"]}
    assert [a["iri"] for a in steps["ev-esper-visit"]["actors"]] == [ID + "mark-esper"]  # a mediation has no agent
    assert [a["iri"] for a in steps["ev-export-controls"]["actors"]] == [ID + "japan"]
    assert [t["iri"] for t in steps["ev-export-controls"]["targets"]] == [ID + "south-korea"]


def test_positions_and_the_gap(mini):
    both = chain(mini, ID + "ev-esper-visit")
    positions = {s["iri"][len(ID) :]: s["position"] for s in both["steps"]}
    assert positions == {
        "ev-export-controls": "before",
        "ev-gsomia-notice": "before",
        "ev-esper-visit": "origin",
        "ev-gsomia-stay": "after",
    }
    assert [s["iri"][len(ID) :] for s in both["steps"]] == list(positions)  # in time order
    near = chain(mini, ID + "ev-esper-visit", max_gap=10)  # the stay came 7 days later, the notice months before
    assert [s["iri"][len(ID) :] for s in near["steps"]] == ["ev-esper-visit", "ev-gsomia-stay"]
    assert chain(mini, ID + "ev-esper-visit", max_gap=0)["links"] == []


@pytest.mark.parametrize(("direction", "max_gap"), [("sideways", None), ("both", -1)])
def test_bad_input(mini, direction, max_gap):
    with pytest.raises(BadInput):
        chain(mini, ID + "ev-esper-visit", direction=direction, max_gap=max_gap)
