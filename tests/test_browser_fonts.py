"""Issue 16: the glyph test of tests/test_browser.py is proven able to fail.

`test_korean_text_renders_in_a_cjk_font` measures Hangul against boxes (tofu)
in the page's font stack.  Here the same measurement runs in a second Chromium
that sees only a Latin font (a generated fontconfig naming DejaVu's directory
alone, as on a machine without CJK fonts): there it must report boxes, and in
the ordinary browser glyphs.  Never downloads anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

#: Width of four Hangul syllables and of four unassigned code points (drawn as boxes) in the body's font stack.
HANGUL_VS_TOFU = """() => {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = "20px " + getComputedStyle(document.body).fontFamily;
    const tofu = String.fromCodePoint(0x10FFFD).repeat(4);
    return {hangul: ctx.measureText("지소미아").width, tofu: ctx.measureText(tofu).width,
            latin: ctx.measureText("GSOMIA").width};
}"""
#: Glyphs, not boxes: the Hangul run differs from the boxes by more than this many pixels.
GLYPHS_APART = 4


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


def _latin_only_fontconfig(directory: Path) -> Path:
    """A fontconfig that knows DejaVu's directory and nothing else, with its own cache."""
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{LATIN_FONTS}</dir>\n  <cachedir>{directory / 'cache'}</cachedir>\n</fontconfig>\n",
        "utf-8",
    )
    return conf


def _measure(playwright, page_file: Path, env: dict[str, str]) -> dict:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, env={**os.environ, **env}
    )
    try:
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        return page.evaluate(HANGUL_VS_TOFU)
    finally:
        browser.close()


def test_the_glyph_measurement_reports_boxes_without_cjk_fonts(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from bilateral.cli.main import cli

    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
    if not any(LATIN_FONTS.glob("DejaVuSans*.ttf")):
        _unavailable(f"no DejaVu fonts in {LATIN_FONTS} (apt-get install fonts-dejavu-core)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    page_file = tmp_path / "explorer.html"
    result = CliRunner().invoke(cli, ["render", "-o", str(page_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    conf = _latin_only_fontconfig(tmp_path)
    with sync_playwright() as p:
        without_cjk = _measure(p, page_file, {"FONTCONFIG_FILE": str(conf)})
        ordinary = _measure(p, page_file, {})
    assert without_cjk["latin"] > 20, without_cjk  # the Latin font is there and used
    assert abs(without_cjk["hangul"] - without_cjk["tofu"]) <= 1, without_cjk  # boxes: the glyph test would fail
    if abs(ordinary["hangul"] - ordinary["tofu"]) <= GLYPHS_APART:
        _unavailable(f"this machine draws Hangul as boxes too ({ordinary}); apt-get install fonts-noto-cjk")
    assert abs(ordinary["hangul"] - without_cjk["hangul"]) > GLYPHS_APART  # the fonts, not the measurement, differ
