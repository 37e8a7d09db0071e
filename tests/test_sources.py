"""Each source is named the same way everywhere (graph/sources.py), with its address where the document shows one."""

from __future__ import annotations

import csv

NAME = "Ji-Young Lee, “Thaws and Tremors (excerpt)” (Press Club, January 2020)"
URL_TRIG = """@prefix id: <https://w3id.org/bilateral/id/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
GRAPH id:src-mini { id:src-mini schema:url "%s"^^xsd:anyURI . }
"""


def test_display_name_rule():
    from bilateral.graph.sources import display_name

    assert display_name("T", ["A", "B", "C"], "P", "2020-01-01", "year") == "A, B and C, “T” (P, 2020)"
    assert display_name("T", [], None, None) == "“T”"
    assert display_name(None, ["A"]) is None


def test_one_name_in_show_timeline_export_and_page(run, run_json, mini_dir, tmp_path):
    (mini_dir / "sources" / "url.trig").write_text(URL_TRIG % "https://example.org/thaws", encoding="utf-8")
    card = run_json("--data", mini_dir, "show", "id:ev-gsomia-stay", "--json")
    assert card["sources"] == [
        {"iri": "https://w3id.org/bilateral/id/src-mini", "label": NAME, "url": "https://example.org/thaws"}
    ]
    assert all(r["sources"] == [NAME] for r in card["relations"] if r["sources"])
    assert f"sources: {NAME} <https://example.org/thaws>" in run("--data", mini_dir, "show", "id:ev-gsomia-stay").stdout
    events = run_json("--data", mini_dir, "timeline", "--json")
    assert {s for e in events for s in e["sources"]} == {NAME}
    assert run("--data", mini_dir, "export", "--format", "csv", "-o", tmp_path / "csv").exit_code == 0
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8") as f:
        cited = {row["sources"] for row in csv.DictReader(f) if row.get("sources")}
    assert cited == {NAME}
    source = run_json("--data", mini_dir, "show", "id:src-mini", "--json")
    assert source["label"] == NAME and "Mini source" in source["aliases"]  # the curated label stays findable
    assert run("--data", mini_dir, "show", "Mini source").exit_code == 0


def test_page_footnotes_use_the_same_name(mini_dir):
    from bilateral.graph.page.layout import layout
    from bilateral.graph.page.rendering import _page_data, plan_view
    from bilateral.graph.storage.store import open_store

    store = open_store(mini_dir)
    view = plan_view(store)
    assert _page_data(store, view, layout(view.graph))["sources"] == [NAME]


def test_an_address_must_be_an_http_uri(run, mini_dir):
    (mini_dir / "sources" / "url.trig").write_text(URL_TRIG % "ftp://example.org/x", encoding="utf-8")
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1 and "schema:url" in result.stdout
