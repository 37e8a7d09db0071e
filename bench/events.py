"""The coded-events part of `make bench` (issue 15): imports, temperature, and the CLI with events loaded.

Measured end to end, as a user runs them, in a home of their own
(`WORK/home-events`, the shipped data directory):

- `bilateral import icews` of the two ICEWS05-15 files (../shared/data/icews;
  skipped, and said so, where absent): IMPORT_RUNS runs, the import removed
  (untimed) between runs, wall and CPU time (user + system of the process),
  and each stage's seconds as the import reports them;
- the first `bilateral query` after it, which builds the combined SPARQL store
  (the pyoxigraph load the import no longer does): wall and CPU, once;
- with BENCH_EVENTS_1M=1 (minutes; `make bench-events`): 1,000,000 synthetic
  coded events (bench/generate.py --events) imported once, `temperature --by
  month` over everything imported (warm), the shipped-graph CLI (`show`,
  `search`, `timeline` on curated entities) against `python -c pass` with the
  1M events loaded, and the first `query` over them.  Without it the same
  temperature and CLI figures are taken with the ICEWS05-15 events loaded.

The targets are issue 15's: ICEWS05-15 within 10 s, 1M within 120 s,
temperature within 1 s warm, CLI within 10x `python -c pass`.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["bench_events", "report_events"]

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
ICEWS = ROOT.parent / "shared" / "data" / "icews"
IMPORT_RUNS = 3
TEMPERATURE_RUNS = 5
CLI_RUNS = 5
TARGETS = {"icews": 10.0, "1M": 120.0, "temperature": 1.0, "cli": 10.0}
SYNTHETIC = 1_000_000


def _timed(argv: list[str], env: dict, cwd: Path, timeout: float = 1800) -> dict:
    """Run once: wall seconds, CPU seconds (user + system of the child), exit code, output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        proc = subprocess.run(argv, capture_output=True, env=env, cwd=cwd, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"ran past {timeout:g} s"}
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {"wall": wall, "cpu": cpu, "rc": proc.returncode, "stdout": proc.stdout.decode("utf-8", "replace")}
    if proc.returncode not in (0,):
        result["error"] = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [str(proc.returncode)])[-1]
    return result


def _stages(stdout: str) -> dict[str, float]:
    """The stage seconds the import prints: `imported … in 3.2 s (reading 1.0 s, linking 0.4 s, …)`."""
    m = re.search(r"imported .* in [\d.]+ s \(([^)]*)\)", stdout)
    return {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", m.group(1))} if m else {}


def _import_runs(cli: Path, env: dict, work: Path, files: list[Path], name: str, runs: int, log) -> list[dict]:
    results = []
    for number in range(runs):
        subprocess.run([str(cli), "imports", "remove", name], capture_output=True, env=env, cwd=work)
        log(f"events: importing {name} ({number + 1}/{runs})")
        run = _timed([str(cli), "import", "icews", *map(str, files), "--name", name], env, work)
        run["stages"] = _stages(run.get("stdout", ""))
        run.pop("stdout", None)
        results.append(run)
    return results


def _cli_times(cli: Path, env: dict, work: Path, runs: int) -> dict[str, list[float]]:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "show": [str(cli), "show", "Kang Kyung-wha"],
        "search": [str(cli), "search", "export"],
        "timeline": [str(cli), "timeline", "--from", "2019", "--to", "2019"],
        "temperature --by month": [str(cli), "temperature", "--by", "month"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(runs + 1):  # the first round warms the caches, unrecorded
        for name, argv in commands.items():
            run = _timed(argv, env, work)
            if number and "error" not in run:
                times[name].append(run["wall"])
    return times


def bench_events(cli: Path, env: dict, work: Path, log, failures: list[str]) -> dict:
    """Measure; BENCH_EVENTS_1M=1 adds the million synthetic events (several minutes)."""
    env = dict(env, BILATERAL_HOME=str(work / "home-events"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # warm means compiled: without .pyc every run compiles what changed
    shutil.rmtree(work / "home-events", ignore_errors=True)
    subprocess.run([str(cli), "build"], capture_output=True, env=env, cwd=work)
    result: dict = {"with_1m": os.environ.get("BENCH_EVENTS_1M") == "1"}
    files = [ICEWS / "icews05-15-test.tsv", ICEWS / "icews05-15-valid.tsv"]
    if all(f.is_file() for f in files):
        result["icews"] = _import_runs(cli, env, work, files, "icews0515", IMPORT_RUNS, log)
        log("events: first query after the import (builds the combined SPARQL store)")
        result["icews_query"] = _timed([str(cli), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?e a bl:CodedEvent }"],
                                       env, work)  # fmt: skip
    else:
        failures.append(f"events: {ICEWS} is absent: the ICEWS05-15 import was not measured")
    if result["with_1m"]:
        synthetic = work / "data" / "events-1M.tsv"
        if not synthetic.exists():
            log("events: generating 1,000,000 synthetic coded events")
            subprocess.run([sys.executable, str(BENCH / "generate.py"), str(synthetic), "--events", str(SYNTHETIC)],
                           check=True, stdout=subprocess.DEVNULL, cwd=work)  # fmt: skip
        result["synthetic"] = _import_runs(cli, env, work, [synthetic], "synthetic1m", 1, log)
    log("events: temperature and the shipped-graph CLI with the events loaded")
    result["cli"] = _cli_times(cli, env, work, CLI_RUNS)
    if result["with_1m"]:
        log("events: first query over the 1M events (builds the combined SPARQL store; minutes)")
        result["synthetic_query"] = _timed(
            [str(cli), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?e a bl:CodedEvent }"], env, work
        )
    result["load"] = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    for key in ("icews", "synthetic"):
        for run in result.get(key, []):
            if "error" in run:
                failures.append(f"events: {key} import failed: {run['error']}")
    return result


def _verdict(value: float | None, limit: float, unit: str) -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return f"**met** ({value:.2f}{unit} ≤ {limit:g}{unit})"
    return f"**missed** ({value:.2f}{unit} > {limit:g}{unit}, {100 * (value / limit - 1):.0f}% over)"


def _median(xs):
    return statistics.median(xs) if xs else None


def _import_rows(label: str, runs: list[dict], fmt_s) -> list[list]:
    good = [r for r in runs if "error" not in r]
    wall = _median([r["wall"] for r in good])
    cpu = _median([r["cpu"] for r in good])
    stages: dict[str, list[float]] = {}
    for r in good:
        for k, v in r.get("stages", {}).items():
            stages.setdefault(k, []).append(v)
    shown = ", ".join(f"{k} {fmt_s(_median(v))}" for k, v in stages.items())
    return [[label, fmt_s(wall), fmt_s(cpu), str(len(good)), shown or "–"]]


def report_events(res: dict, summary: list, fmt_s, table) -> str:
    """The markdown section, and rows of the targets table in `summary`."""
    out = ["## Coded events (issue 15)\n"]
    mode = "with" if res.get("with_1m") else "**without**"
    out.append(
        f"Run {mode} the million synthetic events (`BENCH_EVENTS_1M=1`, or `make bench-events`). Wall time is "
        "what a user waits; CPU time (user + system of the process) is what the import costs on a machine "
        "that is not shared. Stages as the import reports them.\n"
    )
    rows = []
    if "icews" in res:
        rows += _import_rows("import ICEWS05-15 (2 files, 92,367 events)", res["icews"], fmt_s)
    if "synthetic" in res:
        rows += _import_rows("import 1,000,000 synthetic events", res["synthetic"], fmt_s)
    for key, label in (("icews_query", "first query after ICEWS05-15 (builds the SPARQL store)"),
                       ("synthetic_query", "first query after the 1M import (builds the SPARQL store)")):  # fmt: skip
        q = res.get(key)
        if q:
            rows.append([label, fmt_s(q.get("wall")), fmt_s(q.get("cpu")), "1", q.get("error", "")])
    out.append(table(["measurement", "wall (median)", "CPU (median)", "runs", "stages (median)"], rows))
    times = res.get("cli", {})
    base = _median(times.get("python -c pass", []))
    loaded = "1M synthetic + ICEWS05-15" if res.get("with_1m") else "ICEWS05-15"
    cli_rows = []
    for name, ts in times.items():
        m = _median(ts)
        ratio = m / base if m and base else None
        cli_rows.append([name, fmt_s(m), fmt_s(min(ts) if ts else None), fmt_s(max(ts) if ts else None),
                         f"{ratio:.1f}×" if ratio else "–"])  # fmt: skip
    out.append(f"\nWarm CLI with the {loaded} events imported ({CLI_RUNS} runs each, interleaved):\n")
    out.append(table(["command", "median", "min", "max", "× python -c pass"], cli_rows))
    for key, label, target in (
        ("icews", "import ICEWS05-15", "icews"),
        ("synthetic", "import 1M synthetic events", "1M"),
    ):
        if key == "synthetic" and not res.get("with_1m"):
            continue
        good = [r for r in res.get(key, []) if "error" not in r]
        wall = _median([r["wall"] for r in good])
        verdict = _verdict(wall, TARGETS[target], " s")
        if wall is not None and wall > TARGETS[target]:
            verdict += " — bound: " + _import_bound(good, TARGETS[target], fmt_s)
        summary.append([f"{label} (wall)", f"{TARGETS[target]:g} s", fmt_s(wall), verdict])
    temp = _median(times.get("temperature --by month", []))
    verdict = _verdict(temp, TARGETS["temperature"], " s")
    if temp is not None and temp > TARGETS["temperature"]:
        verdict += f" — bound: start-up on a shared machine (`python -c pass` took {fmt_s(base)} here)"
    summary.append([f"temperature --by month over {loaded} (warm)", "1 s", fmt_s(temp), verdict])
    for name in ("show", "search", "timeline"):
        m = _median(times.get(name, []))
        ratio = m / base if m and base else None
        summary.append([f"`{name}` with {loaded} loaded", "10×", f"{ratio:.1f}×" if ratio else "–",
                        _verdict(ratio, TARGETS["cli"], "×")])  # fmt: skip
    if res.get("load"):
        out.append(f"\nLoad average at the end of the part: {res['load']}.\n")
    return "\n".join(out)


def _import_bound(runs: list[dict], target: float, fmt_s) -> str:
    """Why an import missed: the machine (CPU time within the target) or its costliest stage."""
    cpu = _median([r["cpu"] for r in runs])
    stages: dict[str, list[float]] = {}
    for r in runs:
        for k, v in r.get("stages", {}).items():
            stages.setdefault(k, []).append(v)
    worst = max(stages.items(), key=lambda kv: _median(kv[1]), default=None)
    where = f"; costliest stage {worst[0]} ({fmt_s(_median(worst[1]))})" if worst else ""
    if cpu is not None and cpu <= target:
        return f"the shared machine: the import's CPU time was {fmt_s(cpu)}, within the target{where}"
    return f"CPU time {fmt_s(cpu)}{where}"
