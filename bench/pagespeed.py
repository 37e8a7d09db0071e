"""Render speed for `make bench` (issue 16): first, prepared and cold renders, and `serve`'s first page.

`bilateral build` lays out the whole graph's page and caches it with the
store (graph/page/rendering.py `prepare`), so the first `render` after a
build only fills the template.  Measured here, end to end as a user runs
them (wall clock, one process each):

- **after build**: the first `render` after `build` (the page prepared);
- **cold**: a `render` with the store's page caches removed (cache-page-*:
  the view, its layout, cards, time layout and framings are computed; the
  store-wide tables a build or the first render leaves beside the store, the
  projection, the label index and the card reads, are kept);
- **cold, store caches too**: a `render` with every cache beside the store
  removed (those tables are read again from the store as well);
- **serve, first GET /**: `bilateral serve --port 0`, then the time from the
  request to the last byte of the page, after a build (prepared) and cold.

Renders also report their CPU time (user + system of the process).
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

__all__ = ["drop_page_caches", "page_speed", "serve_first_page", "timed"]


def drop_page_caches(home: Path, *, everything: bool = False) -> int:
    """Remove every cached page (cache-page-*.pickle; with `everything`, every cache-*.pickle) under the store home.

    Returns how many files it removed.
    """
    found = list(Path(home).glob("stores/*/*/" + ("cache-*.pickle" if everything else "cache-page-*.pickle")))
    for path in found:
        path.unlink()
    return len(found)


def serve_first_page(cli: Path, data: Path | None, env: dict, timeout: float = 300) -> float | None:
    """Seconds from `GET /` to the page's last byte on a freshly started `bilateral serve`."""
    argv = [str(cli), *(["--data", str(data)] if data else []), "serve", "--port", "0", "--quiet"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        url = None
        for line in process.stdout or []:  # "SPARQL endpoint: …/sparql", then "explorer page:   …/"
            if line.startswith("explorer page"):
                url = line.split()[-1]
                break
        if url is None:
            return None
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
        return time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def timed(runner, argv: list[str], cpu: list[float]) -> float | None:
    """Wall seconds of one run (runner.time_once); its CPU seconds (user + system) go to `cpu`.

    CPU time says what a render costs even on a shared, loaded machine, where
    the wall clock mostly measures the queue for the cores.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = runner.time_once(argv, timeout=1800)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if wall is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def page_speed(runner, cli: Path, data: Path | None, page: Path, runs: int = 3) -> dict:
    """Build, then the renders and serve's first page described above, for one data directory."""
    home = Path(runner.env["BILATERAL_HOME"])
    data_args = ["--data", str(data)] if data else []
    render = [str(cli), *data_args, "render", "-o", str(page)]
    cpu: dict[str, list[float]] = {"build": [], "after_build": [], "cold": [], "cold_store": [], "cached": []}
    result: dict = {"build": timed(runner, [str(cli), *data_args, "build", "--force"], cpu["build"])}
    result["serve_prepared"] = serve_first_page(cli, data, runner.env)
    result["after_build"] = timed(runner, render, cpu["after_build"])
    cold = []
    for _ in range(runs):
        drop_page_caches(home)
        cold.append(timed(runner, render, cpu["cold"]))
    cold_store = []
    for _ in range(runs):
        drop_page_caches(home, everything=True)
        cold_store.append(timed(runner, render, cpu["cold_store"]))
    result["cold_store"] = [t for t in cold_store if t is not None]
    drop_page_caches(home)
    result["serve_cold"] = [t for t in [serve_first_page(cli, data, runner.env)] if t is not None]
    result["cold"] = [t for t in cold if t is not None]
    result["cached"] = [t for t in (timed(runner, render, cpu["cached"]) for _ in range(runs)) if t is not None]
    result["cpu"] = cpu
    return result
