"""Issue 16: the framings view in a real browser (Debian's Chromium, driven by Playwright; never downloaded).

An issue's card sets the positions on it side by side by holder, with sources;
the side switch shows one side's account and dims the claims only others make;
hostile text stays text.  Set BILATERAL_SCREENSHOT_FRAMINGS=docs/explorer-framings.png
to refresh the docs image.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bilateral.graph.namespaces import ID

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent.parent / "data"
FORCED_LABOUR = ID + "issue-forced-labor"
JAPAN_POSITION = ID + "pos-japan-1965-agreement-settled-claims"
KOREA_POSITION = ID + "pos-south-korea-respects-supreme-court-ruling"
INTERPRETATION = ID + "interp-000-export-controls-as-pressure"
MEASURE = ID + "ev-2019-07-japan-export-restrictions"
HOSTILE = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TRIG = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

GRAPH id:src-hostile-framing {
    id:src-hostile-framing a bl:Source ;
        rdfs:label "</script><script>window.__pwned=1</script>"@en ;
        dcterms:title "<script>window.__pwned=1</script>"@en ;
        dcterms:creator id:japan ; dcterms:publisher id:japan ;
        dcterms:issued "2020-01-01"^^xsd:date .
    id:pos-hostile-framing a bl:Position ;
        rdfs:label "<script>window.__pwned=1</script>"@en ;
        bl:stance "<img src=x onerror=\\"window.__pwned=1\\">"@en ;
        bl:quote "<b>not bold</b>"@en ;
        bl:holder id:japan ;
        bl:concerns id:issue-forced-labor ;
        bl:startDate "2020-01-01"^^xsd:date ; bl:datePrecision "month" .
}
"""


def _render(out: Path, *args: str) -> Path:
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    result = CliRunner().invoke(cli, [*args, "render", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def open_page(visit):
    """Open a page (tests/browsing.py's Visit) at 1600×1000, the docs' size; returns (page, errors)."""

    def open_at(path: Path):
        v = visit(path)
        v.page.set_viewport_size({"width": 1600, "height": 1000})
        return v.page, v.errors

    return open_at


def _open_issue(page, query: str = "forced labour"):
    page.fill("#search", query)
    page.keyboard.press("Enter")
    page.wait_for_selector("#framings .framing-col")


def _box(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box, f"{selector} is not on screen"
    return box


def test_forced_labour_shows_japan_and_south_korea_side_by_side_with_sources(open_page, explorer_file):
    page, errors = open_page(explorer_file)
    _open_issue(page)
    japan, korea = "#framings .framing-col[data-group='Japan']", "#framings .framing-col[data-group='South Korea']"
    left, right = _box(page, japan), _box(page, korea)
    assert abs(left["y"] - right["y"]) < 2 and right["x"] >= left["x"] + left["width"]  # columns, side by side
    assert right["x"] + right["width"] <= 1600
    ours = page.locator(f"{japan} .framing[data-iri='{JAPAN_POSITION}']")
    theirs = page.locator(f"{korea} .framing[data-iri='{KOREA_POSITION}']")
    for position in (ours, theirs):
        assert position.locator(".framing-stance").inner_text()
        assert (
            position.locator(".framing-source").count() >= 1 and position.locator(".framing-source").first.inner_text()
        )
        assert position.locator(".framing-meta").inner_text()
    assert page.locator("#framings .framing-col[data-group='interpretations']").count() == 1
    dated = page.locator(f"{japan} .framing-meta", has_text="2023-03")  # month precision, as `framings` prints it
    assert dated.count() >= 1
    assert errors == []


def test_stacked_when_narrow_and_the_network_keeps_its_room(open_page, explorer_file):
    page, errors = open_page(explorer_file)
    _open_issue(page)
    page.click("#framings-layout")  # back to the narrow panel: columns stack
    page.wait_for_selector("main:not(.framings-wide)")
    top, below = (_box(page, f"#framings .framing-col[data-group='{g}']") for g in ("Japan", "South Korea"))
    assert below["y"] >= top["y"] + top["height"] and abs(below["x"] - top["x"]) < 2
    page.click("#framings-layout")
    page.wait_for_selector("main.framings-wide")
    page.fill("#search", "Japan")  # a card that is not an issue's: the panel narrow again
    page.keyboard.press("Enter")
    page.wait_for_selector("main:not(.framings-wide)")
    assert page.locator("#panel-body h2").inner_text() == "Japan" and page.locator("#framings").count() == 0
    assert errors == []


def _opacity(page, iri: str) -> float:
    return page.evaluate("id => { const n = window.explorer.nodes.get(id); return n.opacity ?? 1; }", iri)


def test_the_side_switch_dims_claims_only_others_make(open_page, explorer_file):
    page, errors = open_page(explorer_file)
    _open_issue(page)
    page.click("#accounts button[data-side='Japan']")
    assert page.evaluate("document.body.dataset.account") == "Japan"
    assert _opacity(page, JAPAN_POSITION) == 1
    assert _opacity(page, KOREA_POSITION) < 0.5  # South Korea's position: only others make it
    assert _opacity(page, INTERPRETATION) < 0.5  # an author's reading: in no side's account
    assert _opacity(page, MEASURE) == 1 and _opacity(page, ID + "south-korea") == 1  # events and actors stay
    interpreted = page.evaluate("""() => window.explorer.edges.get().filter(
        e => window.explorer.data.edges[e.id].kind === 'interpreted').map(e => e.color.opacity)""")
    assert interpreted and all(o < 0.5 for o in interpreted)
    # names pale with their nodes: every drawn name of a dimmed claim is faded, and only those
    dimmed = set(page.evaluate("window.explorer.framings.dimmed()"))
    labels = page.evaluate("window.explorer.labels()")
    assert dimmed and labels and all(label["faded"] == (label["id"] in dimmed) for label in labels)
    assert any(label["faded"] for label in labels) and not all(label["faded"] for label in labels)
    korea_col = page.locator("#framings .framing-col[data-group='South Korea']")
    assert "others-claim" in (korea_col.get_attribute("class") or "")
    assert "others-claim" not in (
        page.locator("#framings .framing-col[data-group='Japan']").get_attribute("class") or ""
    )
    # the selection's highlight restyles the lines; others' lines stay dimmed after it
    page.evaluate(f"window.explorer.select('{MEASURE}')")
    touching = page.evaluate(
        "id => window.explorer.edges.get().filter(e => e.from === id || e.to === id).map(e => e.color.opacity)",
        KOREA_POSITION,
    )
    assert touching and all(o < 0.5 for o in touching)
    page.click("#accounts button[data-side='South Korea']")
    assert _opacity(page, KOREA_POSITION) == 1 and _opacity(page, JAPAN_POSITION) < 0.5
    page.click("#accounts button[data-side='all']")
    assert _opacity(page, KOREA_POSITION) == 1 and _opacity(page, INTERPRETATION) == 1
    assert page.evaluate("window.explorer.edges.get().every(e => !e.othersClaim)")
    assert not any(label["faded"] for label in page.evaluate("window.explorer.labels()"))
    assert errors == []


def test_hostile_positions_and_sources_stay_text(open_page, tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "sources" / "999-hostile-framing.trig").write_text(HOSTILE_TRIG, "utf-8")
    page, errors = open_page(_render(tmp_path / "hostile.html", "--data", str(data)))
    _open_issue(page)
    hostile = page.locator(f"#framings .framing[data-iri='{ID}pos-hostile-framing']")
    assert hostile.locator(".framing-title").inner_text() == "<script>window.__pwned=1</script>"
    assert hostile.locator(".framing-stance").inner_text() == HOSTILE
    assert hostile.locator(".framing-quote").inner_text() == "“<b>not bold</b>”"
    assert "script" in hostile.locator(".framing-sources").inner_text()
    assert page.locator("#framings img, #framings script, #framings b").count() == 0
    page.click("#accounts button[data-side='South Korea']")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert errors == []


#: True once the view has stopped moving for two frames (the focus and refit animations are over).
VIEW_AT_REST = """() => new Promise((resolve) => {
    const net = window.explorer.network, scale = net.getScale(), at = net.getViewPosition();
    requestAnimationFrame(() => requestAnimationFrame(() => {
        const now = net.getViewPosition();
        resolve(net.getScale() === scale && now.x === at.x && now.y === at.y);
    }));
})"""


def test_screenshot_of_the_framings_view(visit, explorer_file, tmp_path):
    """The picture in docs/explorer.md: the forced-labour issue, Seoul's account."""
    v = visit(explorer_file)
    v.page.set_viewport_size({"width": 1600, "height": 1000})
    _open_issue(v.page)
    v.page.click("#framings button[data-side='South Korea']")
    v.wait_until(VIEW_AT_REST)
    v.settled()
    target = Path(os.environ.get("BILATERAL_SCREENSHOT_FRAMINGS") or tmp_path / "framings.png")
    v.page.screenshot(path=str(target))
    assert target.stat().st_size > 50_000
    assert v.errors == []
