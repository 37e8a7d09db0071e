"""Issue 16: the sides of `framings` come from the graph, and the page's framings data packs its result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilateral.graph.namespaces import ID

DATA = Path(__file__).resolve().parent.parent / "data"
PREFIXES = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_sides_are_the_two_parties_and_the_mediator(store):
    from bilateral.graph.explore.framings import sides

    found = [(s.name, s.iri, s.role) for s in sides(store)]
    assert found == [
        ("Japan", ID + "japan", "party"),
        ("South Korea", ID + "south-korea", "party"),
        ("United States", ID + "united-states", "mediator"),
    ]


def _store_with(tmp_path: Path, monkeypatch, name: str, trig: str):
    """A store of the shipped data plus one more document, built in a store home of its own."""
    from bilateral.graph.storage.store import open_store

    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "sources" / name).write_text(PREFIXES + trig, "utf-8")
    return open_store(data)


@pytest.mark.slow
def test_a_state_that_mediates_becomes_a_side_of_its_own(tmp_path, monkeypatch):
    """Sides are read from the graph: a Chinese mediation makes China a side, after the United States."""
    from bilateral.graph.explore.framings import framings, sides

    store = _store_with(
        tmp_path,
        monkeypatch,
        "998-mediation.trig",
        """GRAPH id:src-998 {
    id:src-998 a bl:Source ; rdfs:label "Test 998"@en ; dcterms:title "Test"@en ; dcterms:creator id:japan ; dcterms:publisher id:japan ;
        dcterms:issued "2020-01-01"^^xsd:date .
    id:ev-998-china-mediates a bl:Mediation ; rdfs:label "China mediates"@en ;
        bl:startDate "2020-01-01"^^xsd:date ; bl:mediator id:china ; bl:concerns id:issue-forced-labor .
    id:pos-998-china-view a bl:Position ; rdfs:label "China: a view"@en ;
        bl:stance "A test stance."@en ; bl:holder id:china ; bl:concerns id:issue-forced-labor .
}""",
    )
    assert [s.name for s in sides(store)] == ["Japan", "South Korea", "United States", "China"]
    groups = framings(store, ID + "issue-forced-labor")["groups"]
    assert list(groups) == ["Japan", "South Korea", "United States", "China", "others", "interpretations"]
    assert [p["iri"] for p in groups["China"]] == [ID + "pos-998-china-view"]


def test_page_data_groups_an_issue_as_framings_does(store):
    from bilateral.graph.explore.framings import framings
    from bilateral.graph.explore.projection import project
    from bilateral.graph.page.framings import page_framings

    data = page_framings(store, project(store).nodes)
    issue = ID + "issue-forced-labor"
    expected = framings(store, issue)["groups"]
    assert data["groups"] == list(expected)
    assert data["issues"][issue] == {g: [p["iri"] for p in ps] for g, ps in expected.items() if ps}
    japan = data["positions"][ID + "pos-japan-1965-agreement-settled-claims"]
    assert japan["claim"] == ["Japan"] and japan["sources"] and japan["stance"]
    assert data["links"] == {}  # no shipped document shows its address


def test_claims_say_whose_claim_each_thing_is(store):
    from bilateral.graph.explore.projection import project
    from bilateral.graph.page.framings import page_framings

    claims = page_framings(store, project(store).nodes)["claims"]
    assert claims[ID + "pos-south-korea-respects-supreme-court-ruling"] == ["South Korea"]
    assert claims[ID + "interp-000-export-controls-as-pressure"] == ["interpretations"]
    assert claims[ID + "ev-2023-03-agreement-to-resume-reciprocal-visits"] == [
        "Japan",
        "South Korea",
    ]  # a joint statement
    assert ID + "ev-2019-07-japan-export-restrictions" not in claims  # a measure: nobody's claim, never dimmed
    assert ID + "japan" not in claims


def test_only_pages_entities_are_packed(store):
    from bilateral.graph.page.framings import page_framings

    issue = ID + "issue-forced-labor"
    data = page_framings(store, [issue, ID + "japan"])
    assert list(data["issues"]) == [issue] and data["claims"] == {}


@pytest.mark.slow
def test_a_source_address_rides_along_for_its_link(tmp_path, monkeypatch):
    from bilateral.graph.page.framings import page_framings

    store = _store_with(
        tmp_path,
        monkeypatch,
        "997-addresses.trig",
        """GRAPH id:src-997 { id:src-997 a bl:Source ; rdfs:label "Good 997"@en ; dcterms:title "Test"@en ; dcterms:creator id:japan ; dcterms:publisher id:japan ;
        dcterms:issued "2020-01-01"^^xsd:date ;
        schema:url "https://example.org/997"^^xsd:anyURI . }""",
    )
    # (validation already refuses an address that is not http(s): no javascript: reaches the page)
    links = page_framings(store, [])["links"]
    assert list(links.values()) == ["https://example.org/997"] and "Test" in next(iter(links))
