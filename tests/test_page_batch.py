"""Issue 16 (render fast): the page reads every card in a few whole-store queries, and gets the same cards.

`bilateral.graph.explore.cards.cards` reads relations, the literals a card
shows and the graphs that mention each entity once for the whole store, then
assembles each card as `card` (four queries per entity, kept for `show`)
does.  These tests hold the two equal on the shipped graph and on a small
graph made to trip them (a triple in both a source graph and the default
graph, triples only in the default graph, blank nodes, literals on relation
predicates, self-loops, two ends with one label, documents that disagree),
and hold the page data equal either way.  Speed is measured in bench/
(bench/pagespeed.py), never asserted here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilateral.graph.namespaces import ID

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

#: Made to trip a batched reader: see the module docstring.
TRICKY_TRIG = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

GRAPH id:src-tricky-a {
    id:src-tricky-a a bl:Source ; rdfs:label "Tricky A </script><b>"@en ; dcterms:creator id:lee-oba ;
        dcterms:issued "2021-05-01"^^xsd:date .
    id:ev-twin-1 a bl:Statement ; rdfs:label "Twin"@en ; bl:agent id:japan ; bl:target id:south-korea ;
        dcterms:description "A's account"@en ; rdfs:comment "curator: from A"@en ;
        bl:startDate "2019-07-01"^^xsd:date ; bl:datePrecision "month" ;
        bl:concerns id:issue-trade , "not an IRI" ; bl:respondsTo id:ev-twin-1 , id:ev-export-controls .
    id:ev-twin-2 a bl:Statement ; rdfs:label "Twin"@en ; bl:agent id:japan ; bl:concerns id:issue-trade ;
        bl:notBefore "2019-08-01"^^xsd:date .
    id:kang-kyung-wha bl:affiliation id:south-korea .
    [] bl:agent id:japan ; bl:concerns id:issue-trade .
    id:japan bl:participant [ rdfs:label "a blank end" ] .
}

GRAPH id:src-tricky-b {
    id:src-tricky-b a bl:Source ; rdfs:label "Tricky B"@en ; dcterms:issued "2022-01-01"^^xsd:date .
    id:ev-twin-1 dcterms:description "B's account"@en ; rdfs:comment "curator: from B"@en ;
        bl:startDate "2019-07-04"^^xsd:date ; bl:datePrecision "day" ; bl:agent id:japan .
    id:ev-twin-2 bl:agent id:japan ; bl:participant id:japan .
}
"""

#: Triples in the default graph only (an entities file), one of them also in a source graph above.
TRICKY_TTL = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

id:ev-twin-1 dcterms:description "the entities file's account"@en .
id:ev-twin-2 bl:concerns id:issue-gsomia .
id:issue-trade dcterms:description "Trade between the two"@en .
"""


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    """A built store of the mini seed plus TRICKY_TRIG and TRICKY_TTL (not validated: it is meant to be odd)."""
    from bilateral.graph.storage.store import build, open_store

    data = tmp_path_factory.mktemp("tricky") / "data"
    shutil.copytree(MINI, data)
    (data / "sources" / "tricky.trig").write_text(TRICKY_TRIG, "utf-8")
    (data / "entities" / "tricky.ttl").write_text(TRICKY_TTL, "utf-8")
    build(data, validate=False, force=True)
    return open_store(data, rebuild=False)


def _every_iri(store) -> list[str]:
    """Every typed entity (sources too) and one IRI the store does not hold."""
    from bilateral.graph.labels import label_index

    return sorted(label_index(store).types) + [ID + "not-in-the-store"]


def _per_entity(store, iris) -> dict[str, dict]:
    from bilateral.graph.explore.cards import card

    return {iri: card(store, iri) for iri in iris}


def test_batched_cards_equal_card_on_the_tricky_graph(tricky):
    from bilateral.graph.explore.cards import cards

    iris = _every_iri(tricky)
    batched = cards(tricky, iris, whole_store=True)
    assert batched == _per_entity(tricky, iris)
    twin = batched[ID + "ev-twin-1"]
    # what the graph was made to test is really there: both documents' dates, sources, a description
    assert twin["dates_disagree"] and len(twin["dates"]) == 2
    assert [s["label"] for s in twin["sources"]][:1] == ["Tricky A </script><b>"]
    assert twin["description"] in {"A's account", "B's account", "the entities file's account"}
    japan = {(r["direction"], r["other"]["iri"]) for r in batched[ID + "japan"]["relations"]}
    assert ("in", ID + "ev-twin-1") in japan and ("in", ID + "ev-twin-2") in japan
    assert all(r["other"]["iri"] != ID + "ev-twin-1" for r in twin["relations"])  # its self-loop is no relation
    assert batched[ID + "not-in-the-store"]["relations"] == []


def test_ties_between_ends_of_one_label_go_by_iri_whatever_the_store_order(tricky):
    from bilateral.graph.explore.cards import card

    trade = [r["other"]["iri"] for r in card(tricky, ID + "issue-trade")["relations"] if r["other"]["label"] == "Twin"]
    assert trade == [ID + "ev-twin-1", ID + "ev-twin-2"]


@pytest.mark.slow  # 4 s: every card of the shipped graph read twice; the tricky graph's test covers it fast
def test_batched_cards_equal_card_on_the_shipped_graph(store):
    from bilateral.graph.explore.cards import cards

    iris = _every_iri(store)
    assert cards(store, iris, whole_store=True) == _per_entity(store, iris)


def test_cards_reads_a_few_entities_one_by_one_and_many_from_the_whole_store(store, monkeypatch):
    import bilateral.graph.explore.cards as cards_module

    scanned = []
    original = cards_module._scan
    monkeypatch.setattr(cards_module, "_scan", lambda s: scanned.append(s) or original(s))
    few = [ID + "japan", ID + "south-korea"]
    assert cards_module.cards(store, few) == _per_entity(store, few)
    assert scanned == []
    many = _every_iri(store)
    name = cards_module.card_reads_name()
    store._memory.pop(name, None)
    (store.store_dir / f"cache-{name}.pickle").unlink(missing_ok=True)
    assert cards_module.cards(store, many).keys() == set(many)
    assert scanned == [store]


def test_cards_refuses_what_card_refuses(store):
    from bilateral.graph.explore.cards import card, cards

    for whole in (True, False):
        with pytest.raises(ValueError):
            cards(store, ["not an iri"], whole_store=whole)
    with pytest.raises(ValueError):
        card(store, "not an iri")


@pytest.mark.parametrize("graph", [pytest.param("shipped", marks=pytest.mark.slow), "tricky"])
def test_page_data_is_the_same_read_per_entity_or_from_the_whole_store(graph, store, tricky, monkeypatch):
    import bilateral.graph.explore.cards as cards_module
    from bilateral.graph.page.rendering import _page_data, json_for_script, layout, plan_view

    chosen = store if graph == "shipped" else tricky
    view = plan_view(chosen)
    positions = layout(view.graph, fixed=view.fixed)
    original = cards_module.cards
    pages = []
    for whole in (False, True):
        monkeypatch.setattr(cards_module, "cards", lambda s, iris, whole=whole: original(s, iris, whole_store=whole))
        pages.append(json_for_script(_page_data(chosen, view, positions)))
    assert pages[0] == pages[1]
    assert '"Twin"' in pages[0] or graph == "shipped"


@pytest.mark.remote  # a served store read over HTTP: the whole-store reads through RemoteOx, default graph included
def test_batched_cards_through_an_endpoint_equal_local_cards(store):
    import servers

    from bilateral.graph.explore.cards import cards
    from bilateral.graph.remote.client import open_remote

    sample = [
        ID + "japan",
        ID + "accord-gsomia",
        ID + "issue-export-controls",
        ID + "ev-2019-07-japan-export-restrictions",
    ]
    with servers.serving(store) as server:
        remote = open_remote(server.url + "sparql")
        assert cards(remote, sample, whole_store=True) == _per_entity(store, sample)
