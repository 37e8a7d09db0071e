"""Issue 15: the explorer page's temperature strip in a real browser (Debian's Chromium, Playwright).

The strip draws one mark per period of coded events between Japan and South
Korea; hovering a period lists its top event types; clicking it sets the
page's time range, which hides what lies outside as the range control does.
The browser and the `visit` fixture are tests/browsing.py's (via conftest);
waits on conditions, never on the clock.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_render import HOSTILE_SCRIPT, make_hostile_data, page_data

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ICEWS = ROOT.parent / "shared" / "data" / "icews"
HOSTILE_ACTOR = "<img src=x onerror=window.__pwned=1> (Japan)"


def _strip_ready(v) -> None:
    v.page.wait_for_selector("#temperature[data-ready='1']", timeout=10_000)


def _period(v, label: str):
    return v.page.locator(f'#temperature .t-period[data-period="{label}"]')


def _cli(*args) -> str:
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def _data_with_import(tmp: Path, *files: Path, hostile: bool = False) -> Path:
    """A private copy of the shipped data (hostile labels added if asked) with `files` imported."""
    from bilateral.graph.locations import shipped_data_dir

    data = tmp / "data"
    if hostile:
        make_hostile_data(data)
    else:
        shutil.copytree(shipped_data_dir(), data)
    _cli("--data", data, "import", "icews", *files, "--name", "strip")
    return data


@pytest.fixture(scope="module")
def strip_page(tmp_path_factory) -> tuple[Path, Path]:
    """The whole graph's page with the small fixture of coded events imported; (page, data directory)."""
    tmp = tmp_path_factory.mktemp("strip")
    data = _data_with_import(tmp, FIXTURES / "icews-strip.tsv")
    out = tmp / "explorer.html"
    _cli("--data", data, "render", "-o", out)
    return out, data


def _temperature(data: Path, by: str) -> dict:
    import json

    return json.loads(_cli("--data", data, "temperature", "--by", by, "--json"))


# ----------------------------------------------------------------- the strip draws


def test_strip_draws_one_mark_per_period(visit, strip_page):
    page, data = strip_page
    v = visit(page)
    _strip_ready(v)
    assert v.errors == []
    assert [u for u in v.requests if not u.startswith(("file:", "data:"))] == []
    by = page_data(page.read_text("utf-8"))["temperature"]["by"]
    assert by == "quarter"  # 2002–2023 by month is more bars than the strip shows well
    expected = _temperature(data, by)["periods"]
    marks = v.page.locator("#temperature svg .t-period")
    assert marks.count() == len(expected)
    assert v.js("Array.from(document.querySelectorAll('#temperature .t-period')).map(g => g.dataset.period)") == [
        p["period"] for p in expected
    ]
    # a mean bar where there are coded events, coloured by its sign; a curated mark where there are curated events
    assert _period(v, "2019-Q3").locator(".t-mean.conf").count() == 1
    assert _period(v, "2019-Q4").locator(".t-mean.coop").count() == 1
    assert _period(v, "2017-Q1").locator(".t-mean").count() == 0
    with_curated = {p["period"] for p in expected if p["curated_events"]}
    assert {g for g in v.js("Array.from(document.querySelectorAll('#temperature .t-curated'))"
                            ".map(m => m.parentNode.dataset.period)")} == with_curated  # fmt: skip
    # the graph keeps its room above the strip
    boxes = v.js("""['network', 'temperature'].map(id => document.getElementById(id).getBoundingClientRect())
                    .map(b => ({top: b.top, bottom: b.bottom, height: b.height}))""")
    assert boxes[0]["bottom"] <= boxes[1]["top"] + 1 and boxes[0]["height"] > 2 * boxes[1]["height"]


def test_switch_to_months(visit, strip_page):
    page, data = strip_page
    v = visit(page)
    _strip_ready(v)
    v.page.locator("#temperature .t-by button", has_text="month").click()
    months = _temperature(data, "month")["periods"]
    assert v.page.locator("#temperature .t-period").count() == len(months)
    assert v.page.locator("#temperature .t-by button.on").inner_text() == "month"
    assert "by month" in v.page.locator("#temperature .t-sub").inner_text()


# ----------------------------------------------------------------- hover and click


def test_hover_lists_the_period_top_event_types(visit, strip_page):
    v = visit(strip_page[0])
    _strip_ready(v)
    v.page.locator("#temperature .t-by button", has_text="month").click()
    _period(v, "2019-07").hover()
    tip = v.page.locator("#temperature-tip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.locator(".tip-title").inner_text().startswith("2019-07")
    assert "10 coded events" in tip.inner_text() and "−3.40" in tip.inner_text()
    names = tip.locator(".t-type-name").all_inner_texts()
    counts = tip.locator(".t-type-count").all_inner_texts()
    assert list(zip(names, counts, strict=True)) == [
        ("Criticize or denounce", "4"),
        ("Impose embargo, boycott, or sanctions", "3"),
        ("Consult", "2"),
        ("Reject", "1"),
    ]
    assert tip.locator(".t-type-code").all_inner_texts() == ["111", "163", "040", "120"]
    assert tip.locator(".t-tip-curated li").count() >= 1  # the curated events of July 2019
    v.page.mouse.move(5, 5)
    tip.wait_for(state="hidden", timeout=5_000)


def test_click_sets_the_time_range_and_the_graph_follows(visit, strip_page):
    v = visit(strip_page[0])
    _strip_ready(v)
    entities = v.js("window.explorer.data.entities")
    before = v.js("window.explorer.visibleCount()")
    v.page.locator("#temperature .t-by button", has_text="month").click()
    _period(v, "2019-07").click()
    assert v.page.input_value("#from") == "2019-07-01" and v.page.input_value("#to") == "2019-07-31"
    assert v.js("window.explorer.visibleCount()") < before
    hidden = set(v.js("window.explorer.nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    inside = [i for i, e in entities.items() if e["event"] and e.get("start", "").startswith("2019-07")
              and e.get("end", "") <= "2019-07-31"]  # fmt: skip
    outside = [i for i, e in entities.items() if e["event"] and e.get("start", "9") > "2019-07-31"]
    assert inside and outside
    assert not hidden & set(inside) and set(outside) <= hidden
    # the strip shows the period chosen, fades the others, and names what the period holds
    assert "selected" in _period(v, "2019-07").get_attribute("class")
    assert "out" in _period(v, "2019-08").get_attribute("class")
    status = v.page.locator("#temperature .t-status")
    assert status.inner_text().startswith("2019-07")
    # a curated event of the period moves the focus to it
    curated = page_data(strip_page[0].read_text("utf-8"))["temperature"]["curated"]
    first = next(e for e in curated if e["date"].startswith("2019-07") and e["iri"] in entities)
    status.locator(".t-link", has_text=first["label"][:30]).first.click()
    assert v.js("window.explorer.network.getSelectedNodes()") == [first["iri"]]
    assert v.page.locator("#panel-body h2").inner_text() == first["label"]
    # the page's own "all time" restores the range, and the strip follows
    v.page.click("#all-time")
    assert v.js("window.explorer.visibleCount()") == before
    assert v.page.locator("#temperature .t-period.out, #temperature .t-period.selected").count() == 0


def test_keyboard_reaches_the_periods(visit, strip_page):
    v = visit(strip_page[0])
    _strip_ready(v)
    _period(v, "2019-Q3").focus()
    v.page.locator("#temperature-tip").wait_for(state="visible", timeout=5_000)
    v.page.keyboard.press("ArrowRight")
    assert v.js("document.activeElement.dataset.period") == "2019-Q4"
    v.page.keyboard.press("Enter")
    assert v.page.input_value("#from") == "2019-10-01" and v.page.input_value("#to") == "2019-12-31"


# ----------------------------------------------------------------- without coded events, and hostile text


def test_without_coded_events_there_is_no_strip_but_a_hint(visit, explorer_file):
    v = visit(explorer_file)  # the session's store: nothing imported
    assert v.errors == []
    assert v.page.locator("#temperature").count() == 0
    assert "bilateral import icews FILE" in v.page.locator(".temperature-hint").inner_text()


def test_hostile_actor_and_event_text_stays_text(visit, tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    data = _data_with_import(tmp_path, FIXTURES / "icews-strip.tsv", FIXTURES / "icews-hostile.tsv", hostile=True)
    # the default strip: a curated event labelled with a script, dated August 2019, agent Japan
    out = tmp_path / "hostile.html"
    _cli("--data", data, "render", "-o", out)
    assert HOSTILE_SCRIPT not in out.read_text("utf-8")
    v = visit(out)
    _strip_ready(v)
    v.page.locator("#temperature .t-by button", has_text="month").click()
    _period(v, "2019-08").hover()
    tip = v.page.locator("#temperature-tip")
    tip.wait_for(state="visible", timeout=5_000)
    assert HOSTILE_SCRIPT in tip.locator(".t-tip-curated").inner_text()
    _period(v, "2019-08").click()
    assert v.page.locator("#temperature .t-status .t-link", has_text=HOSTILE_SCRIPT).count() == 1
    # a coded actor's label from the imported file as one side of the strip
    between = tmp_path / "hostile-between.html"
    _cli("--data", data, "render", "-o", between, "--temperature-between", HOSTILE_ACTOR, "South Korea")
    assert "<img src=x" not in between.read_text("utf-8")
    w = visit(between)
    _strip_ready(w)
    assert w.page.locator("#temperature .t-between").inner_text() == f"{HOSTILE_ACTOR} – South Korea"
    w.page.locator("#temperature .t-by button", has_text="month").click()
    _period(w, "2019-08").hover()
    w.page.locator("#temperature-tip").wait_for(state="visible", timeout=5_000)
    assert w.page.locator("#temperature-tip .t-type-name").all_inner_texts() == ["Accuse"]
    for page in (v, w):
        assert page.page.locator("#temperature img, #temperature script, #temperature-tip img").count() == 0
        assert page.js("typeof window.__pwned") == "undefined"
        assert page.errors == []


# ----------------------------------------------------------------- real ICEWS rows


@pytest.mark.skipif(not (ICEWS / "icews05-15-test.tsv").is_file(), reason="../shared/data (the ICEWS files) is absent")
def test_strip_of_real_icews_rows(visit, tmp_path, monkeypatch):
    """Japan–South Korea rows of the ICEWS05-15 test split: the strip has the CLI's periods and types."""
    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    states = {"Japan", "South Korea"}
    rows = [
        line
        for line in (ICEWS / "icews05-15-test.tsv").read_text("utf-8").splitlines()
        if {line.split("\t")[0], line.split("\t")[2]} == states
    ]
    sample = tmp_path / "jp-kr.tsv"
    sample.write_text("\n".join(rows) + "\n", "utf-8")
    data = _data_with_import(tmp_path, sample)
    out = tmp_path / "explorer.html"
    _cli("--data", data, "render", "-o", out)
    v = visit(out)
    _strip_ready(v)
    v.page.locator("#temperature .t-by button", has_text="year").click()
    years = _temperature(data, "year")["periods"]
    assert v.page.locator("#temperature .t-period").count() == len(years)
    busiest = max(years, key=lambda p: p["events"])
    assert sum(p["events"] for p in years) == len(rows)
    _period(v, busiest["period"]).hover()
    tip = v.page.locator("#temperature-tip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.locator(".t-type-name").all_inner_texts() == [t["name"] for t in busiest["top_types"]]
    assert f"{busiest['events']} coded events" in tip.inner_text()
