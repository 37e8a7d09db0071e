"""The graph for notebooks: to_networkx, to_rdflib, to_pyvis (graph/explore/interop.py)."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from conftest import MINI

import bilateral.graph as graph
from bilateral.graph.errors import BadInput
from bilateral.graph.namespaces import ID

HOSTILE = "<script>window.__pwned=1</script>"
HOSTILE_TRIG = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

GRAPH id:src-hostile {
  id:src-hostile a bl:Source ; rdfs:label "Hostile </script><script>window.__pwned=1</script>"@en ;
      dcterms:title "<img src=x onerror=alert(1)>" ; dcterms:creator id:lee-oba ; dcterms:publisher id:org-lib ;
      dcterms:issued "2020-01-01"^^xsd:date .
  id:ev-hostile a bl:Measure ; rdfs:label "<script>window.__pwned=1</script>"@en ;
      bl:startDate "2019-09-01"^^xsd:date ; bl:datePrecision "month" ;
      bl:agent id:japan ; bl:concerns id:issue-trade ; bl:respondsTo id:ev-gsomia-notice .
}
"""


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The mini data with hostile labels, built once for the module: every test here only reads it."""
    data = tmp_path_factory.mktemp("interop") / "mini"
    shutil.copytree(MINI, data)
    (data / "sources" / "999-hostile.trig").write_text(HOSTILE_TRIG, "utf-8")
    return graph.open_store(data)


def _pyvis_data(page: str, name: str) -> list[dict]:
    """The nodes or edges pyvis embeds, parsed the way the page's script reads them."""
    found = re.search(name + r" = new vis\.DataSet\((.*?)\);", page)
    assert found, f"pyvis embeds its {name}"
    return json.loads(found.group(1))


def test_to_networkx_is_a_copy_of_the_projection(hostile_store):
    full = graph.to_networkx(hostile_store)
    assert ID + "ev-hostile" in full and full.has_edge(ID + "ev-hostile", ID + "ev-gsomia-notice")
    full.remove_node(ID + "japan")
    assert ID + "japan" in graph.to_networkx(hostile_store), "changing the copy leaves the projection alone"


def test_to_networkx_around_keeps_the_neighbourhood(hostile_store):
    near = graph.to_networkx(hostile_store, around="id:ev-hostile", depth=1)
    assert set(near) == {ID + "ev-hostile", ID + "japan", ID + "issue-trade", ID + "ev-gsomia-notice"}
    with pytest.raises(BadInput):
        graph.to_networkx(hostile_store, around="id:no-such-thing")
    with pytest.raises(BadInput):
        graph.to_networkx(hostile_store, around="id:japan", depth=-1)


def test_to_rdflib_keeps_every_quad_in_its_named_graph(hostile_store):
    import rdflib

    dataset = graph.to_rdflib(hostile_store)
    assert isinstance(dataset, rdflib.Dataset)
    names = {str(g.identifier) for g in dataset.graphs()}
    assert {ID + "src-mini", ID + "src-hostile"} <= names
    hostile_graph = dataset.graph(rdflib.URIRef(ID + "src-hostile"))
    labels = {str(o) for o in hostile_graph.objects(rdflib.URIRef(ID + "ev-hostile"), rdflib.RDFS.label)}
    assert labels == {HOSTILE}
    assert (rdflib.URIRef(ID + "ev-hostile"), None, None) not in dataset.graph(rdflib.URIRef(ID + "src-mini"))
    assert len(dataset) == sum(1 for _ in hostile_store.ox.quads_for_pattern(None, None, None, None))


def test_to_pyvis_keeps_hostile_labels_as_text(hostile_store):
    network = graph.to_pyvis(hostile_store, heading="<b>heading</b>")
    page = network.generate_html(notebook=True)
    assert HOSTILE not in page and "<img src=x" not in page and "<b>heading" not in page
    nodes = {n["id"]: n for n in _pyvis_data(page, "nodes")}
    hostile = nodes[ID + "ev-hostile"]
    assert hostile["label"] == HOSTILE, "the canvas draws the label as text, unchanged"
    assert "<" not in hostile["title"] and html.unescape(hostile["title"]).startswith(HOSTILE)
    edges = _pyvis_data(page, "edges")
    assert all("<" not in e["title"] for e in edges)
    assert any("&lt;img src=x" in e["title"] for e in edges if e["from"] == ID + "ev-hostile")


def test_to_pyvis_shows_inline_and_fetches_nothing(hostile_store):
    network = graph.to_pyvis(hostile_store, around="id:japan")
    shown = network._repr_html_()  # what Jupyter calls to show a cell's value
    assert shown.startswith("<iframe srcdoc=") and "<script" not in shown, "the page sits escaped in srcdoc"
    page = html.unescape(shown[len('<iframe srcdoc="') : shown.index('" style=')])
    assert "vis.Network" in page and not re.search(r"""(src|href)=["']https?://""", page)
    assert {n["id"] for n in _pyvis_data(page, "nodes")} == set(graph.to_networkx(hostile_store, around="id:japan"))


def test_to_pyvis_draws_a_planned_view(hostile_store):
    from bilateral.graph.page.rendering import plan_view

    view = plan_view(hostile_store, types=["Measure"])
    page = graph.to_pyvis(view.graph).generate_html(notebook=True)
    assert {n["id"] for n in _pyvis_data(page, "nodes")} == set(view.graph)
