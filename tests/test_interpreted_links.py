"""Hedged links: path, chain, show and the page say whose reading a link is; --asserted-only leaves them out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINI

from bilateral.graph.namespaces import ID

FIXTURE = Path(__file__).parent / "fixtures" / "interpreted.trig"
READING = "according to Ji-Young Lee (Ji-Young Lee, “Thaws and Tremors (excerpt)” (Press Club, January 2020))"


@pytest.fixture(scope="module")
def hedged(tmp_path_factory):
    """The mini data with the hedged links, one copy (one build) for the module: every test here only reads it."""
    data = tmp_path_factory.mktemp("hedged") / "mini"
    shutil.copytree(MINI, data)
    shutil.copy(FIXTURE, data / "sources" / "interpreted.trig")
    return data


def test_the_fixture_is_valid_and_lint_clean(run, hedged):
    assert run("--data", hedged, "validate").exit_code == 0
    assert run("--data", hedged, "lint").exit_code == 0


def test_chain_marks_the_reading(run_json, run, hedged):
    result = run_json("--data", hedged, "chain", "id:ev-esper-visit", "--backward", "--json")
    step = next(s for s in result["steps"] if s["iri"] == ID + "ev-esper-visit")
    hedges = [r for r in step["responds_to"] if r.get("interpreted")]
    assert [(r["iri"], r["according_to"]) for r in hedges] == [(ID + "ev-export-controls", READING)]
    plain = [r for r in step["responds_to"] if not r.get("interpreted")]
    assert [r["iri"] for r in plain] == [ID + "ev-gsomia-notice"]
    assert any(link.get("interpreted") for link in result["links"])
    text = run("--data", hedged, "chain", "id:ev-esper-visit", "--backward").stdout
    assert READING in text
    strict = run_json("--data", hedged, "chain", "id:ev-esper-visit", "--backward", "--asserted-only", "--json")
    assert not any(link.get("interpreted") for link in strict["links"])
    assert ID + "ev-export-controls" in {s["iri"] for s in strict["steps"]}  # still reached through GSOMIA's notice


def test_path_marks_the_reading_and_asserted_only_leaves_it_out(run, hedged):
    result = run("--data", hedged, "path", "id:ev-esper-visit", "id:ev-export-controls", "-k", "1", "--json")
    assert result.exit_code == 0, result.stderr
    (hop,) = json.loads(result.stdout)["paths"][0]["hops"]
    assert hop["interpreted"] is True and hop["according_to"] == READING and hop["relation"] == "responds to"
    assert READING in run("--data", hedged, "path", "id:ev-esper-visit", "id:ev-export-controls", "-k", "1").stdout
    strict = run(
        "--data", hedged, "path", "id:ev-esper-visit", "id:ev-export-controls", "-k", "3", "--asserted-only", "--json"
    )
    hops = [h for p in json.loads(strict.stdout)["paths"] for h in p["hops"]]
    assert hops and not any(h.get("interpreted") for h in hops)
    assert not {"link from", "link to"} & {h["relation"] for h in hops}


def test_show_lists_the_reading(run_json, run, hedged):
    card = run_json("--data", hedged, "show", "id:ev-esper-visit", "--json")
    (reading,) = card["interpreted_links"]
    assert reading["direction"] == "out" and reading["other"]["iri"] == ID + "ev-export-controls"
    assert f"{READING}: responds to → Export restrictions" in run("--data", hedged, "show", "id:ev-esper-visit").stdout


def test_page_draws_the_reading_as_its_own_kind(hedged):
    from bilateral.graph.page.layout import layout
    from bilateral.graph.page.rendering import _page_data, plan_view
    from bilateral.graph.storage.store import open_store

    store = open_store(hedged)
    view = plan_view(store)
    data = _page_data(store, view, layout(view.graph))
    kinds = {m["kind"] for m in data["edges"]}
    assert "interpreted" in kinds and "interpreted" in {r["kind"] for r in data["relations"]}
    labels = [
        e["label"] for e, m in zip(data["network"]["edges"], data["edges"], strict=True) if m["kind"] == "interpreted"
    ]
    assert labels == [f"responds to, {READING}"]
