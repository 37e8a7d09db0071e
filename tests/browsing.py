"""The ONE way tests and benchmarks start a browser: Debian's /usr/bin/chromium, headless, driven by Playwright.

Why one place: the launch flags, the never-download rule, "skip here but fail
under CI=true" and the page's ready signal (``<body data-ready="1">``, set by
graph/page/static/explorer.js after the first draw) were copied between
tests/test_browser.py and bench/browser.py.  bench/ imports this module by
putting tests/ on its path: the helper is tooling of the repository checkout,
never part of the installed package (tests/ is not packaged), and pytest's
rootdir already puts tests/ on the path for the tests.  Only `require_chromium`
and the fixtures touch pytest; `launch_chromium` and `Visit` work without it.

Writing a new browser test (put it in a NEW file, tests/test_browser_<feature>.py)::

    import pytest
    from playwright.sync_api import expect

    pytestmark = pytest.mark.browser  # keeps it out of `make check`


    def test_search_finds_gsomia(visit, explorer_file):
        v = visit(explorer_file)  # fresh context; returns once body[data-ready='1']
        v.page.fill("#search", "gsomia")
        expect(v.page.locator("#results li").first).to_contain_text("GSOMIA")  # waits, then asserts
        v.wait_until("() => window.explorer.visibleCount() > 10")  # any JS condition
        assert v.errors == []  # console errors and uncaught exceptions

The fixtures live in tests/conftest.py: ``browser`` (one Chromium per test
session; skips when Chromium or Playwright is missing, fails under CI=true),
``visit`` (``visit(path) -> Visit``, closed after the test) and
``explorer_file`` (the shipped graph rendered once per session; do not modify
it; render your own page with the ``run`` fixture into ``tmp_path``).

Never sleep (``time.sleep``, ``page.wait_for_timeout``): wait on a condition
with ``expect(locator)``, ``locator.wait_for()``, ``page.wait_for_selector()``
or ``Visit.wait_until(js)``.  ``page.wait_for_function`` does not work on our
pages: their Content-Security-Policy forbids the eval it relies on, so
``wait_until`` sends the condition inside the source of one ``page.evaluate``
call (which CSP does not govern) and re-checks it on every animation frame.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "BrowserUnavailable", "Visit", "launch_chromium", "require_chromium"]

#: Debian's Chromium (apt-get install chromium); Playwright's own download is never used.
CHROMIUM = Path("/usr/bin/chromium")

#: No sandbox (containers, CI), no GPU, and nothing that reaches the network on its own.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

#: The viewport every page opens in (tests and bench see the same layout).
VIEWPORT = {"width": 1400, "height": 900}

#: How long a page may take to get ready (a 30,000-entity page in the bench takes longer: pass timeout_ms).
READY_TIMEOUT_MS = 30_000


class BrowserUnavailable(RuntimeError):
    """Chromium or the playwright package is missing on this machine."""


@contextlib.contextmanager
def launch_chromium() -> Iterator[Any]:
    """Start headless Debian Chromium under Playwright; yield its Browser and close both afterwards.

    Raises BrowserUnavailable (before starting anything) when /usr/bin/chromium
    or the playwright package is missing.
    """
    if not CHROMIUM.exists():
        raise BrowserUnavailable(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserUnavailable("the playwright package is not installed (pip install -e '.[test]')") from None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def require_chromium() -> None:
    """Skip the calling test when no browser can start here; under CI=true, fail instead (it must run there)."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    if reason is None:
        return
    unavailable(reason)


def unavailable(reason: str) -> None:
    """Skip with `reason`, or fail under CI=true, where every browser test must run."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


_WAIT_IN_PAGE = """async (timeout) => {
  const check = (%s);
  const until = performance.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > until) return null;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}"""


class Visit:
    """One page in its own browser context, with what it logged and fetched.

    Opening waits for ``body[data-ready='1']`` (the explorer's first draw);
    pass ``ready=None`` for a page that is not an explorer page.
    """

    def __init__(
        self,
        browser: Any,
        target: Path | str,
        *,
        ready: str | None = "body[data-ready='1']",
        timeout_ms: float = READY_TIMEOUT_MS,
        init_script: str | None = None,
    ):
        self.context = browser.new_context(viewport=VIEWPORT)
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(target.as_uri() if isinstance(target, Path) else target)
        if ready:
            self.page.wait_for_selector(ready, state="attached", timeout=timeout_ms)

    def js(self, expression: str, arg: Any = None) -> Any:
        """Evaluate a JavaScript expression or function in the page (Playwright's page.evaluate)."""
        return self.page.evaluate(expression, arg)

    def wait_until(self, condition: str, timeout_ms: float = 10_000) -> Any:
        """Wait until the JavaScript function `condition` (e.g. ``"() => x.ready"``) returns a truthy value.

        Checked in the page on every animation frame; returns that value, or
        raises TimeoutError naming the condition.
        """
        value = self.page.evaluate(_WAIT_IN_PAGE % condition, timeout_ms)
        if not value:
            raise TimeoutError(f"not true within {timeout_ms / 1000:g} s: {condition}")
        return value

    def node_point(self, node_id: str, scale: float = 1.0) -> dict[str, float]:
        """Centre the explorer's network on a node (at `scale`) and return its position in the viewport.

        For ``page.mouse.click(point["x"], point["y"])`` or a hover: what a person would do.
        """
        self.js("([id, scale]) => window.explorer.network.focus(id, {scale: scale})", [node_id, scale])
        return self.js(
            """id => {
            const net = window.explorer.network, p = net.getPositions([id])[id];
            const dom = net.canvasToDOM(p), box = document.getElementById('network').getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
            node_id,
        )

    def settled(self) -> None:
        """Wait until the page's fonts have loaded and two frames have been drawn since (ready for a screenshot)."""
        self.page.evaluate(
            "() => document.fonts.ready.then(() => new Promise("
            "(r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))"
        )

    def close(self) -> None:
        """Close the page's context (its pages, cookies and storage)."""
        self.context.close()
