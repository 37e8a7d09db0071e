"""Issue 5: the explorer page in a real browser (Debian's Chromium, driven by Playwright).

Never downloads a browser: it uses /usr/bin/chromium (apt-get install chromium)
and skips when that is missing, except under CI=true, where a missing browser
fails the run.  The fixtures `browser`, `visit` and `explorer_file` come from
tests/conftest.py (the launch itself from tests/browsing.py).  Set
BILATERAL_SCREENSHOT=docs/explorer.png to refresh the README image.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browsing import unavailable
from test_render import HOSTILE_SCRIPT, make_hostile_data  # same hostile data as the static checks

from bilateral.graph.namespaces import ID

pytestmark = pytest.mark.browser


def test_page_loads_offline_without_errors(visit, explorer_file):
    v = visit(explorer_file)
    assert v.errors == []
    assert [u for u in v.requests if not u.startswith(("file:", "data:"))] == []
    assert v.page.title().startswith("bilateral explorer")


def test_node_count_matches_the_projection(visit, explorer_file, store):
    from bilateral.graph.explore.projection import project

    v = visit(explorer_file)
    expected = project(store).number_of_nodes()
    assert v.js("window.explorer.nodes.length") == expected
    assert v.js("window.explorer.visibleCount()") == expected
    assert v.page.locator("#count").inner_text().startswith(f"{expected} entities")


def test_search_in_korean_focuses_the_node(visit, explorer_file):
    v = visit(explorer_file)
    v.page.fill("#search", "지소미아")
    first = v.page.locator("#results li").first
    assert first.locator(".hit-label").inner_text() == "GSOMIA"
    v.page.keyboard.press("Enter")
    assert v.js("window.explorer.network.getSelectedNodes()") == [ID + "accord-gsomia"]
    assert v.page.locator("#panel-body h2").inner_text() == "GSOMIA"
    assert "지소미아" in v.page.locator("#panel-body .aliases").inner_text()


def test_time_range_hides_events_outside_it_and_their_edges(visit, explorer_file):
    v = visit(explorer_file)
    before = v.js("window.explorer.visibleCount()")
    v.page.fill("#from", "2019-07-01")
    v.page.fill("#to", "2019-12-31")
    v.page.dispatch_event("#to", "change")
    hidden = v.js("""() => {
        const ids = window.explorer.nodes.get({filter: n => n.hidden}).map(n => n.id);
        const edges = window.explorer.edges.get({filter: e => ids.includes(e.from) || ids.includes(e.to)});
        return {ids, edgesShown: edges.filter(e => !e.hidden).length};
    }""")
    assert ID + "accord-2023-forced-labor-deal" not in hidden["ids"]  # not an event: stays
    assert any("2023" in i or "2015" in i or "2018" in i for i in hidden["ids"])
    assert hidden["edgesShown"] == 0
    assert v.js("window.explorer.visibleCount()") == before - len(hidden["ids"])
    v.page.click("#reset")
    assert v.js("window.explorer.visibleCount()") == before


def test_class_filter_from_the_legend(visit, explorer_file):
    v = visit(explorer_file)
    v.page.locator(".class-row", has_text="Person").click()
    people = v.js("""Object.entries(JSON.parse(document.getElementById('graph-data').textContent).entities)
                     .filter(([, e]) => e.type === 'Person').map(([id]) => id)""")
    assert people
    assert v.js("ids => ids.every(id => window.explorer.nodes.get(id).hidden)", people)
    v.page.locator(".class-row", has_text="Person").click()
    assert v.js("ids => ids.every(id => !window.explorer.nodes.get(id).hidden)", people)


def test_click_on_a_node_fills_the_panel_and_highlights_its_neighbourhood(visit, explorer_file):
    v = visit(explorer_file)
    point = v.node_point(ID + "japan")
    v.page.mouse.click(point["x"], point["y"])
    assert v.page.locator("#panel-body h2").inner_text() == "Japan"
    assert v.page.locator("#panel-body .rel-group").count() > 3
    # the panel's links move the focus to the other end
    v.page.locator("#panel-body .rel-group .link").first.click()
    assert v.page.locator("#panel-body h2").inner_text() != "Japan"
    assert len(v.js("window.explorer.network.getSelectedNodes()")) == 1


def test_hover_shows_a_text_tooltip(visit, explorer_file):
    v = visit(explorer_file)
    point = v.node_point(ID + "accord-gsomia")
    v.page.mouse.move(point["x"] - 30, point["y"] - 30)
    v.page.mouse.move(point["x"], point["y"], steps=4)
    tip = v.page.locator("#tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.locator(".tip-title").inner_text() == "GSOMIA"
    assert "Accord" in tip.locator(".tip-type").inner_text()


def test_hostile_labels_render_and_run_nothing(visit, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    data_dir = make_hostile_data(tmp_path / "data")
    out = tmp_path / "hostile.html"
    result = CliRunner().invoke(cli, ["--data", str(data_dir), "render", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    v = visit(out)
    v.page.fill("#search", "악성")
    v.page.keyboard.press("Enter")
    assert v.page.locator("#panel-body h2").inner_text() == HOSTILE_SCRIPT
    from playwright.sync_api import expect

    v.page.fill("#search", "onerror")
    expect(v.page.locator("#results")).to_contain_text('<img src=x onerror="window.__pwned=1">')  # as text
    v.settled()
    assert v.js("typeof window.__pwned") == "undefined"
    assert v.page.locator("#panel-body script, #panel-body img, #results img, #tooltip img").count() == 0
    assert v.errors == []


def test_path_page_highlights_the_path(visit, tmp_path):
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    out = tmp_path / "path.html"
    result = CliRunner().invoke(
        cli, ["path", "id:accord-gsomia", "id:issue-forced-labor", "--html", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    v = visit(out)
    assert v.errors == []
    assert v.page.locator("#panel-body .path").count() >= 1
    assert v.page.locator("#panel-body .path .hop-rel").count() >= 1


def test_screenshot_of_the_whole_graph(visit, explorer_file, tmp_path):
    """A picture of the page as a person first sees it (kept as docs/explorer.png)."""
    v = visit(explorer_file)
    v.settled()  # fonts loaded and drawn
    target = Path(os.environ.get("BILATERAL_SCREENSHOT") or tmp_path / "explorer.png")
    v.page.screenshot(path=str(target))
    assert target.stat().st_size > 50_000


# ------------------------------------------------------- issue 14: the page in time


def _hidden(v) -> set[str]:
    return set(v.js("window.explorer.nodes.get({filter: n => n.hidden}).map(n => n.id)"))


def test_asof_mode_hides_what_had_not_happened_and_colours_accords(visit, explorer_file):
    v = visit(explorer_file)
    assert v.page.locator("#status-legend").is_hidden()
    v.page.check("#asof-mode")
    v.page.fill("#asof", "2019-09-15")
    v.page.dispatch_event("#asof", "change")
    hidden = _hidden(v)
    assert ID + "ev-2023-03-japan-lifts-export-controls" in hidden  # had not happened
    assert ID + "ev-2019-07-japan-export-restrictions" not in hidden
    assert v.js(f"window.explorer.statusOf('{ID}accord-gsomia')") == "TerminationNotified"
    assert v.js(f"window.explorer.statusOf('{ID}ev-2019-07-japan-export-restrictions')") == "Imposed"
    restrictions = v.js(f"window.explorer.nodes.get('{ID}ev-2019-07-japan-export-restrictions')")
    assert restrictions["inForce"] is True and restrictions["borderWidth"] == 5  # a measure in force, marked
    legend = v.page.locator("#status-legend")
    assert legend.is_visible() and "termination notified" in legend.inner_text()
    v.page.fill("#asof", "2023-04-15")
    v.page.dispatch_event("#asof", "change")
    assert v.js(f"window.explorer.statusOf('{ID}accord-gsomia')") == "NormalisationAgreed"
    v.page.uncheck("#asof-mode")
    assert v.js(f"window.explorer.statusOf('{ID}accord-gsomia')") is None
    assert v.errors == []


def test_range_hides_positions_and_observations_outside_it(visit, explorer_file):
    v = visit(explorer_file)
    dated = v.js("""Object.entries(window.explorer.data.entities)
        .filter(([, e]) => (e.type === 'Position' || e.type === 'Observation') && e.start)
        .map(([id, e]) => [id, e.start, e.end])""")
    assert dated
    v.page.fill("#from", "2019-09-01")
    v.page.fill("#to", "2019-12-31")
    v.page.dispatch_event("#to", "change")
    hidden = _hidden(v)
    outside = [i for i, start, end in dated if start < "2019-09-01" or end > "2019-12-31"]
    inside = [i for i, start, end in dated if start >= "2019-09-01" and end <= "2019-12-31"]
    assert outside and set(outside) <= hidden
    assert not (set(inside) & hidden)


def test_an_inverted_range_is_refused_with_a_message(visit, explorer_file):
    v = visit(explorer_file)
    v.page.fill("#from", "2020-01-01")
    v.page.dispatch_event("#from", "change")
    before = v.js("window.explorer.visibleCount()")
    v.page.fill("#to", "2019-01-01")
    v.page.dispatch_event("#to", "change")
    error = v.page.locator("#time-error")
    assert error.is_visible() and "inverted" in error.inner_text()
    assert v.js("window.explorer.visibleCount()") == before  # nothing changed
    v.page.fill("#to", "2020-12-31")
    v.page.dispatch_event("#to", "change")
    assert error.is_hidden()


def test_relayout_moves_only_what_is_shown(visit, explorer_file):
    v = visit(explorer_file)
    v.page.fill("#from", "2019-11-01")
    v.page.fill("#to", "2019-11-30")
    v.page.dispatch_event("#to", "change")
    shown = v.js("window.explorer.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    hidden = sorted(_hidden(v))[:20]
    before = v.js("(ids) => window.explorer.network.getPositions(ids)", shown + hidden)
    v.page.click("#relayout")
    v.wait_until("() => !window.explorer.network.physics.physicsEnabled", timeout_ms=60_000)
    after = v.js("(ids) => window.explorer.network.getPositions(ids)", shown + hidden)
    assert any(before[i] != after[i] for i in shown)  # what is shown moved
    assert all(before[i] == after[i] for i in hidden)  # what is hidden stayed put
    assert v.errors == []


def test_an_accords_card_shows_its_status_history_with_sources(visit, explorer_file):
    v = visit(explorer_file)
    v.js(f"window.explorer.select('{ID}accord-gsomia')")
    heading = v.page.locator("#panel-body h3", has_text="Status:")
    assert "normalisation agreed" in heading.inner_text().lower()
    steps = v.page.locator("#panel-body ol.lifecycle li")
    texts = [steps.nth(i).inner_text().lower() for i in range(steps.count())]
    assert any("termination notified" in t and "2019-08" in t for t in texts)
    assert any("termination suspended" in t and "2019-11-22" in t for t in texts)
    assert all(steps.nth(i).locator(".ref").count() >= 1 for i in range(steps.count()))  # each step cites a source
    assert v.errors == []


@pytest.mark.parametrize(
    ("query", "label"),
    [("gsomai", "GSOMIA"), ("Mun Jae-in", "Moon Jae-in"), ("kang kyungwha", "Kang Kyung-wha"), ("지소미아", "GSOMIA")],
)
def test_search_forgives_typos_romanisations_and_spacing_like_the_cli(visit, explorer_file, query, label):
    v = visit(explorer_file)
    v.page.fill("#search", query)
    assert v.page.locator("#results li").first.locator(".hit-label").inner_text() == label


def test_search_for_nonsense_finds_nothing(visit, explorer_file):
    v = visit(explorer_file)
    v.page.fill("#search", "zzqxw")
    assert v.page.locator("#results li").first.inner_text() == "no match"


def test_korean_text_renders_in_a_cjk_font(visit, explorer_file):
    """The page's font stack reaches a CJK font: Hangul is drawn as full-width glyphs, not as boxes."""
    import subprocess

    fonts = (
        subprocess.run(["fc-list"], capture_output=True, text=True).stdout if Path("/usr/bin/fc-list").exists() else ""
    )
    if "noto sans cjk" not in fonts.lower():
        unavailable("no Noto Sans CJK font installed (apt-get install fonts-noto-cjk)")
    from test_browser_fonts import GLYPHS_APART, HANGUL_VS_TOFU  # the measurement proven there to see boxes

    v = visit(explorer_file)
    widths = v.js(HANGUL_VS_TOFU)
    # without a Hangul font each syllable is drawn as the same box as an unassigned code point
    assert abs(widths["hangul"] - widths["tofu"]) > GLYPHS_APART, widths
