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
from browsing import CHROMIUM, LAUNCH_ARGS, Visit, unavailable

pytestmark = pytest.mark.browser

LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")

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


def _latin_only_fontconfig(directory: Path) -> Path:
    """A fontconfig that knows DejaVu's directory and nothing else, with its own cache."""
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{LATIN_FONTS}</dir>\n  <cachedir>{directory / 'cache'}</cachedir>\n</fontconfig>\n",
        "utf-8",
    )
    return conf


def _measure_without_cjk(browser, page_file: Path, conf: Path) -> dict:
    """The measurement in a second Chromium (tests/browsing.py's binary and flags) whose fontconfig is `conf`.

    Launched through the session browser's own Playwright (one Playwright per thread).
    """
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    second = browser.browser_type.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, env=env)
    try:
        visit = Visit(second, page_file)
        try:
            return visit.js(HANGUL_VS_TOFU)
        finally:
            visit.close()
    finally:
        second.close()


def test_the_glyph_measurement_reports_boxes_without_cjk_fonts(browser, visit, explorer_file, tmp_path):
    if not any(LATIN_FONTS.glob("DejaVuSans*.ttf")):
        unavailable(f"no DejaVu fonts in {LATIN_FONTS} (apt-get install fonts-dejavu-core)")
    without_cjk = _measure_without_cjk(browser, explorer_file, _latin_only_fontconfig(tmp_path))
    ordinary = visit(explorer_file).js(HANGUL_VS_TOFU)  # as test_browser.py's glyph test sees the page
    assert without_cjk["latin"] > 20, without_cjk  # the Latin font is there and used
    assert abs(without_cjk["hangul"] - without_cjk["tofu"]) <= 1, without_cjk  # boxes: the glyph test would fail
    if abs(ordinary["hangul"] - ordinary["tofu"]) <= GLYPHS_APART:
        unavailable(f"this machine draws Hangul as boxes too ({ordinary}); apt-get install fonts-noto-cjk")
    assert abs(ordinary["hangul"] - without_cjk["hangul"]) > GLYPHS_APART  # the fonts, not the measurement, differ
