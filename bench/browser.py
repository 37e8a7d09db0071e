"""Time until headless Chromium shows an explorer page interactive.

Debian's /usr/bin/chromium, driven by Playwright (never a downloaded browser).
The page (graph/page/static/explorer.js) sets ``<body data-ready="1">``
once the network has drawn for the first time, and ``data-drawn-ms`` to the
time from its own script start to that draw.  An init script (run by the
browser before the page's own code, so the page's Content-Security-Policy,
which forbids eval, does not apply to it) watches for that attribute and
records ``performance.now()`` -- milliseconds since navigation start -- when
it appears (**ready**), and again two animation frames later, when the main
thread has finished the first draw and is free to handle input
(**interactive**).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# The one Chromium launch helper (flags, never a downloaded browser) lives with the tests: tests/browsing.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browsing import CHROMIUM, LAUNCH_ARGS, VIEWPORT, launch_chromium

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "time_pages"]

_INIT = """
(() => {
  const mark = () => {
    if (window.__benchReady || !document.body || document.body.dataset.ready !== '1') return false;
    window.__benchReady = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__benchIdle = performance.now(); }));
    return true;
  };
  const watcher = new MutationObserver(() => { if (mark()) watcher.disconnect(); });
  watcher.observe(document, {subtree: true, attributes: true, attributeFilter: ['data-ready']});
})();
"""

_READ = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const ex = window.explorer || {};
  const count = (x) => (x && typeof x.length === 'number') ? x.length : null;
  return {
    ready: window.__benchReady || null,
    interactive: window.__benchIdle || null,
    drawn: document.body.dataset.drawnMs ? Number(document.body.dataset.drawnMs) : null,
    dcl: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
    nodes: count(ex.nodes),
    edges: count(ex.edges),
    visible: (typeof ex.visibleCount === 'function') ? ex.visibleCount() : null,
    heap: (performance.memory && performance.memory.usedJSHeapSize) || null,
  };
}"""


_IDLE = """(timeout) => new Promise((resolve) => {
  const until = performance.now() + timeout;
  const look = () => (window.__benchIdle || performance.now() > until) ? resolve(true) : requestAnimationFrame(look);
  look();
})"""


def time_pages(path: Path, runs: int, timeout_s: float = 180.0, screenshot: Path | None = None) -> dict:
    """Open `path` `runs` times, each in a fresh browser context; per-run timings in seconds."""
    url = Path(path).resolve().as_uri()
    result: dict = {"runs": [], "errors": []}
    with launch_chromium() as browser:
        result["browser"] = browser.version
        for number in range(runs):
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(_INIT)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            try:
                result["runs"].append(_time_one(page, url, timeout_s))
                if screenshot and number == 0:
                    page.screenshot(path=str(screenshot))
            except Exception as exc:  # noqa: BLE001 - a page that never gets ready is a result
                result["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            result["errors"].extend(errors[:3])
            context.close()
    return result


def _time_one(page, url: str, timeout_s: float) -> dict:
    """Load `url` once: wall time to ready, then the page's own marks once it is interactive (or 30 s passed)."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=timeout_s * 1000)
    wall = time.perf_counter() - started
    page.evaluate(_IDLE, 30_000)  # the two frames after ready: a condition, checked every frame
    values = page.evaluate(_READ)
    values = {
        k: (v / 1000 if k in ("ready", "interactive", "drawn", "dcl", "load") and v else v) for k, v in values.items()
    }
    values["wall"] = wall
    return values
