"""Issue 5: `bilateral render` and `path --html`: one offline, escaped explorer page.

These tests read the written page (its embedded JSON, its scripts) without a
browser; tests/test_browser.py drives it in Chromium.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from bilateral.graph.namespaces import BL, ID

VENDOR = Path(__file__).resolve().parent.parent / "graph" / "page" / "vendor"
STATIC = VENDOR.parent / "static"
DATA = Path(__file__).resolve().parent.parent / "data"
PINNED_VERSION = "9.1.13"
PINNED_SHA256 = "25618977e0ef0e9ec51cf4140b17b6dd581bc44da12299bab1f6bbe0fceeb1b5"

HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TRIG = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

GRAPH id:src-hostile {
    id:src-hostile a bl:Source ;
        rdfs:label "Hostile source </script><script>window.__pwned=1</script>"@en ;
        dcterms:title "<img src=x onerror=\\"window.__pwned=1\\">"@en ;
        dcterms:creator id:japan ;
        dcterms:publisher id:japan ;
        dcterms:issued "2020-01-01"^^xsd:date .

    id:ev-hostile a bl:Statement ;
        rdfs:label "<script>window.__pwned=1</script>"@en ;
        skos:altLabel "<img src=x onerror=\\"window.__pwned=1\\">"@en , "악성 라벨"@ko ;
        dcterms:description "</script><script>window.__pwned=1</script> & <b>not bold</b> <!-- -->"@en ;
        bl:startDate "2019-08-02"^^xsd:date ;
        bl:datePrecision "day" ;
        bl:agent id:japan ;
        bl:concerns id:issue-export-controls .
}
"""


def make_hostile_data(target: Path) -> Path:
    """A copy of the shipped data plus one source whose labels try to run script."""
    shutil.copytree(DATA, target)
    (target / "sources" / "999-hostile.trig").write_text(HOSTILE_TRIG, "utf-8")
    return target


def page_data(html: str) -> dict:
    """The JSON the page embeds, parsed the way the page parses it."""
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.DOTALL)
    assert found, "the page embeds its data as application/json"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def whole_page(tmp_path_factory) -> tuple[Path, str]:
    """The page for the whole shipped graph, written once through the CLI."""
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    out = tmp_path_factory.mktemp("render") / "explorer.html"
    result = CliRunner().invoke(cli, ["render", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out.resolve())
    return out, out.read_text("utf-8")


# ----------------------------------------------------------------- the page for the whole graph


def test_render_writes_one_page_with_every_entity(whole_page, store):
    from bilateral.graph.explore.interpreted import linked_projection

    _, html = whole_page
    data = page_data(html)
    graph = linked_projection(store)  # the projection plus one edge per hedged link (issue 13)
    assert len(data["network"]["nodes"]) == graph.number_of_nodes()
    assert len(data["network"]["edges"]) == graph.number_of_edges()
    assert {n["id"] for n in data["network"]["nodes"]} == set(graph.nodes)
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html


def test_physics_is_off_and_every_node_has_a_position(whole_page):
    data = page_data(whole_page[1])
    assert data["network"]["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float | int) and isinstance(n["y"], float | int) for n in data["network"]["nodes"])


def test_nodes_are_styled_by_class_and_sized_by_degree(whole_page):
    from bilateral.graph.page.rendering import CLASS_STYLES

    data = page_data(whole_page[1])
    by_id = {n["id"]: n for n in data["network"]["nodes"]}
    japan, meeting = by_id[ID + "japan"], None
    assert japan["color"] == CLASS_STYLES["State"][0] and japan["shape"] == CLASS_STYLES["State"][1]
    for iri, entity in data["entities"].items():
        if entity["type"] == "Meeting":
            meeting = by_id[iri]
            break
    assert meeting is not None and meeting["color"] == CLASS_STYLES["Meeting"][0]
    assert japan["size"] > meeting["size"]
    legend = {c["name"] for c in data["classes"]}
    assert {"State", "Person", "Issue", "Meeting"} <= legend


def test_response_edges_are_drawn_apart_from_plain_ones(whole_page):
    data = page_data(whole_page[1])
    kinds = {m["kind"] for m in data["edges"]}
    assert {"response", "retaliation", "plain"} <= kinds
    styles = {r["kind"]: r for r in data["relations"]}
    assert styles["retaliation"]["dashes"] and styles["retaliation"]["color"] != styles["plain"]["color"]


def test_each_node_carries_its_card_with_sources(whole_page, store):
    from bilateral.graph.explore.cards import card

    data = page_data(whole_page[1])
    entity = data["entities"][ID + "accord-gsomia"]
    full = card(store, ID + "accord-gsomia")
    assert entity["label"] == full["label"]
    assert len(entity["card"]["relations"]) == len(full["relations"])
    assert set(entity["card"]["aliases"]) == set(full["aliases"])
    cited = {data["sources"][n] for r in entity["card"]["relations"] for n in r["s"]}
    assert cited == {s for r in full["relations"] for s in r["sources"]}


def test_default_output_is_in_the_current_directory(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("render", "--types", "State")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bilateral-explorer.html").is_file()
    assert result.stdout.strip() == str((tmp_path / "bilateral-explorer.html").resolve())


def test_the_layout_is_the_same_in_every_process():
    """No set or dict order leaks into positions: two processes with different hash seeds agree.

    (One process cannot show it: within a process, string hashes and so set order never change.)
    """
    import os
    import subprocess
    import sys

    script = (
        "import json, networkx as nx\n"
        "from bilateral.graph.page.layout import layout\n"
        "g = nx.relabel_nodes(nx.gnm_random_graph(200, 350, seed=3), lambda i: f'n{i}')\n"
        "print(hash('n1'), json.dumps(sorted(layout(g).items())))\n"
    )
    here: dict = {}
    exec(script.replace("print(", "here['out'] = ("), {"here": here})  # this process, its own hash seed
    string_hash, positions = here["out"]
    for seed in ("1", "2"):  # another process with another seed (the second only if this one has seed 1)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        other_hash, other_positions = done.stdout.split(" ", 1)
        if int(other_hash) != string_hash:
            break
    assert int(other_hash) != string_hash, "no process with other string hashes: the test would prove nothing"
    assert other_positions.strip() == positions


def test_a_layout_keeps_nodes_apart_and_edges_near_their_length(store):
    import math

    import networkx as nx

    from bilateral.graph.explore.projection import project
    from bilateral.graph.page.layout import layout, node_size

    graph = project(store)
    simple = nx.Graph(graph)
    positions = layout(graph)
    nodes = list(positions)
    overlapping = sum(
        math.dist(positions[a], positions[b]) < node_size(simple.degree(a)) + node_size(simple.degree(b))
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
    )
    assert overlapping <= len(nodes) // 20  # a handful of touching discs among hundreds of entities
    spans = sorted(math.dist(positions[u], positions[v]) for u, v in simple.edges() if u != v)
    assert 40 < spans[len(spans) // 2] < 800  # connected entities sit near each other, not on top or far away


def test_a_second_render_reuses_the_page_data_cached_with_the_store(run, tmp_path, store):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert run("render", "-o", first).exit_code == 0
    cached = set(store.store_dir.glob("cache-page-*.pickle"))
    assert cached, "the page's data is cached beside the store"
    assert run("render", "-o", second).exit_code == 0
    assert set(store.store_dir.glob("cache-page-*.pickle")) == cached  # the same view: no new cache
    assert first.read_bytes() == second.read_bytes()


# ----------------------------------------------------------------- choosing the view


def test_around_depth_1_is_the_ego_network(run, tmp_path, store):
    import networkx as nx

    from bilateral.graph.explore.projection import project

    out = tmp_path / "gsomia.html"
    result = run("render", "-o", out, "--around", "id:accord-gsomia", "--depth", "1")
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text("utf-8"))
    expected = set(nx.ego_graph(project(store).to_undirected(as_view=True), ID + "accord-gsomia", radius=1))
    assert {n["id"] for n in data["network"]["nodes"]} == expected
    assert data["focus"] == ID + "accord-gsomia"


def test_around_accepts_names_in_any_language(run, tmp_path):
    out = tmp_path / "gsomia.html"
    assert run("render", "-o", out, "--around", "지소미아", "--depth", "0").exit_code == 0
    assert [n["id"] for n in page_data(out.read_text("utf-8"))["network"]["nodes"]] == [ID + "accord-gsomia"]


def test_types_keeps_only_those_classes_and_their_subclasses(run, tmp_path):
    out = tmp_path / "types.html"
    result = run("render", "-o", out, "--types", "Event,State")
    assert result.exit_code == 0, result.output
    types = {e["type"] for e in page_data(out.read_text("utf-8"))["entities"].values()}
    assert "State" in types and "Meeting" in types and "Measure" in types
    assert not types & {"Person", "Issue", "Organization", "Accord"}


@pytest.mark.slow
def test_from_to_keeps_events_in_the_range_and_every_non_event(run, tmp_path, whole_page):
    out = tmp_path / "autumn.html"
    result = run("render", "-o", out, "--from", "2019-07", "--to", "2019-12")
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text("utf-8"))
    events = [e for e in data["entities"].values() if e["event"]]
    assert events
    assert all(e["start"] >= "2019-07-01" and e["end"] <= "2019-12-31" for e in events)
    everything = page_data(whole_page[1])["entities"]
    non_events = {i for i, e in everything.items() if not e["event"]}
    assert non_events <= set(data["entities"])
    assert len(events) < sum(1 for e in everything.values() if e["event"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2019-13"], "not a date"),
        (["--to", "yesterday"], "not a date"),
        (["--from", "2020", "--to", "2019"], "after"),
        (["--around", "Nobody Atall Whatsoever"], "no entity matches"),
        (["--types", "Spaceship"], "unknown class"),
    ],
)
def test_bad_input_exits_2_with_a_message(run, tmp_path, args, message):
    result = run("render", "-o", tmp_path / "x.html", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("where", ["missing/dir/page.html", "a-file/page.html"])
def test_unwritable_output_is_a_clean_error(run, tmp_path, where):
    (tmp_path / "a-file").write_text("not a directory")
    result = run("render", "-o", tmp_path / where, "--types", "State")
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output + result.stderr


def test_output_that_is_a_directory_is_refused(run, tmp_path):
    result = run("render", "-o", tmp_path, "--types", "State")
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr


def test_a_large_view_warns_and_suggests_around(run, tmp_path, monkeypatch):
    import bilateral.graph.page.rendering

    monkeypatch.setattr(bilateral.graph.page.rendering, "LARGE_VIEW", 5)
    result = run("render", "-o", tmp_path / "big.html", "--types", "State,Accord")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "--around" in result.stderr
    assert (tmp_path / "big.html").is_file()


def test_library_render_returns_the_path_and_plan_view_returns_warnings(store, tmp_path, monkeypatch):
    import bilateral.graph.page.rendering
    from bilateral.graph.page.rendering import plan_view, render

    written = render(store, tmp_path / "lib.html", around=ID + "japan", depth=1, types=["State", BL + "Person"])
    assert written == (tmp_path / "lib.html").resolve() and written.is_file()
    monkeypatch.setattr(bilateral.graph.page.rendering, "LARGE_VIEW", 3)
    assert plan_view(store, types=["State"]).warnings


def test_path_html_highlights_the_paths(run, tmp_path):
    out = tmp_path / "path.html"
    result = run("path", "id:accord-gsomia", "id:issue-forced-labor", "-k", "2", "--html", out)
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text("utf-8"))
    assert data["paths"] and len(data["paths"]) <= 2
    on_path = set(data["path_nodes"])
    assert {ID + "accord-gsomia", ID + "issue-forced-labor"} <= on_path
    hops = sum(p["length"] for p in data["paths"])
    assert 1 <= sum(1 for m in data["edges"] if m.get("path")) <= hops
    assert len(data["network"]["nodes"]) > len(on_path)  # with some context around the paths


# ----------------------------------------------------------------- offline and escaped


def test_vendored_vis_network_is_pinned_and_inline_safe():
    js = (VENDOR / "vis-network.min.js").read_text("utf-8")
    assert hashlib.sha256(js.encode("utf-8")).hexdigest() == PINNED_SHA256
    assert f"@version {PINNED_VERSION}" in js[:400]
    assert "</script" not in js.lower()
    assert "sourcemappingurl" not in js.lower()
    version = (VENDOR / "VERSION").read_text("utf-8")
    assert PINNED_VERSION in version and PINNED_SHA256 in version
    from bilateral.graph.page.rendering import VIS_NETWORK_VERSION

    assert VIS_NETWORK_VERSION == PINNED_VERSION


def test_vendored_licences_ship_beside_it():
    assert "MIT License" in (VENDOR / "vis-network.LICENSE-MIT").read_text("utf-8")
    assert "Apache License" in (VENDOR / "vis-network.LICENSE-APACHE-2.0").read_text("utf-8")


def test_page_loads_nothing_from_the_network(whole_page):
    _, html = whole_page
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html
    assert not re.search(r"<link[^>]+stylesheet", html, re.IGNORECASE)
    assert "sourceMappingURL" not in html
    own_scripts = list(STATIC.glob("*.js"))
    assert len(re.findall(r"<script\b", html)) == 2 + len(own_scripts)  # the data, vis-network, the page's own
    assert "default-src 'none'" in html  # and a Content-Security-Policy that forbids any fetch


def test_inline_scripts_match_the_content_security_policy(whole_page):
    import base64

    _, html = whole_page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    policy = policy.replace("&#39;", "'")
    for body in re.findall(r"<script>(.*?)</script>", html, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_the_pages_own_css_and_scripts_are_inlined_from_static(whole_page):
    _, html = whole_page
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert scripts[1].startswith("// The explorer page's own script")  # explorer.js first, after vis-network
    for file in STATIC.glob("*.js"):
        assert file.read_text("utf-8").strip() in html
    for file in STATIC.glob("*.css"):
        assert file.read_text("utf-8").strip() in html


def test_json_for_script_cannot_close_the_script():
    from bilateral.graph.page.rendering import json_for_script

    text = json_for_script({"label": "</script><script>alert(1)</script> <!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["label"] == "</script><script>alert(1)</script> <!-- & \u2028"


@pytest.mark.slow
def test_hostile_labels_are_data_never_markup(run, tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    data_dir = make_hostile_data(tmp_path / "data")
    out = tmp_path / "hostile.html"
    result = run("--data", data_dir, "render", "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    html = out.read_text("utf-8")
    assert HOSTILE_SCRIPT not in html and "<img src=x" not in html and "<b>not bold" not in html
    data = page_data(html)
    assert data["entities"][ID + "ev-hostile"]["label"] == HOSTILE_SCRIPT
    assert HOSTILE_IMG in data["entities"][ID + "ev-hostile"]["card"]["aliases"]
    # the path page puts labels in its <title> and header: escaped there too
    out = tmp_path / "hostile-path.html"
    result = run("--data", data_dir, "path", "id:ev-hostile", "id:japan", "--html", out)
    assert result.exit_code == 0, result.output + result.stderr
    html = out.read_text("utf-8")
    assert HOSTILE_SCRIPT not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; → Japan" in html


def test_one_view_is_one_cached_page_however_its_options_are_spelled(store, tmp_path):
    """`types` in any order, defaults given or left out: the same view, computed once (ViewChoices)."""
    from bilateral.graph.page.rendering import render_view

    def pages() -> set:
        return set(store.store_dir.glob("cache-page-*.pickle"))

    first, _ = render_view(store, tmp_path / "a.html", types=["Measure", "Meeting"], start="2019")
    before = pages()
    second, _ = render_view(store, tmp_path / "b.html", types=["Meeting", "Measure"], start="2019", depth=1, end=None)
    assert pages() == before
    assert first.read_text("utf-8") == second.read_text("utf-8")
    with pytest.raises(TypeError, match="unknown view option"):
        render_view(store, tmp_path / "c.html", arround="id:japan")  # type: ignore[call-arg]
