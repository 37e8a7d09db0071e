"""The remote part of `make bench`: publishing to the two servers and answering from them.

Starts the Oxigraph server and Virtuoso with tests/servers.py (loopback,
throwaway directories, stopped at the end), then measures end to end, as a
user runs them:

- `bilateral publish` of the shipped graph (5 runs) and of the 1M synthetic
  graph (1 run per server: one PUT per named graph, then the count back);
- the CLI read commands on the shipped graph, local store against
  `--endpoint` on each server, interleaved round robin;
- the four SPARQL questions of the synthetic section at 1M through
  `bilateral query`, local against each server.

Virtuoso is started with ResultSetMaxRows = 1,000,000 so that no answer here
is cut (bilateral would report a cut as an error, exit 1).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))

import servers  # noqa: E402  (tests/servers.py: the same fixtures the remote tests use)

__all__ = ["bench_remote", "report_remote"]

SHIPPED_PUBLISH_RUNS = 5
CLI_RUNS = 5
QUERY_RUNS = 3


def _servers(work: Path, failures: list[str]) -> list:
    started = []
    for name, options in (("oxigraph", {}), ("virtuoso", {"max_rows": 1_000_000})):
        directory = work / "servers" / name
        if directory.exists():
            import shutil

            shutil.rmtree(directory)
        try:
            started.append(servers.start(name, directory, **options))
        except servers.ServerUnavailable as exc:
            failures.append(f"remote: {name} unavailable: {exc}")
    return started


def _credentials(runner, server) -> tuple[dict, list[str]]:
    """The environment (password) and the --user arguments a publish to `server` needs."""
    env = dict(runner.env)
    if server.password:
        env["BILATERAL_PASSWORD"] = server.password
    return env, ["--user", server.user] if server.user else []


def bench_remote(runner, cli: Path, log, big_data: Path | None, queries: dict[str, str]) -> dict:
    """Measure publish and remote reads; `queries` maps a key to a SPARQL text (the synthetic section's)."""
    work = runner.work
    result: dict = {"servers": {}, "cli": {}, "publish_shipped": {}, "publish_1m": {}, "queries_1m": {}}
    started = _servers(work, runner.failures)
    try:
        for server in started:
            env, user = _credentials(runner, server)
            result["servers"][server.name] = {"endpoint": server.endpoint}
            publish = [str(cli), "publish", "--endpoint", server.endpoint, *user]
            log(f"remote: publish the shipped graph to {server.name} × {SHIPPED_PUBLISH_RUNS}")
            times = [runner.time_once(publish, env=env) for _ in range(SHIPPED_PUBLISH_RUNS)]
            result["publish_shipped"][server.name] = [t for t in times if t is not None]

        log(f"remote: CLI on the shipped graph, local and on {len(started)} server(s) × {CLI_RUNS}, interleaved")
        commands = {
            "show": ["show", "GSOMIA", "--json"],
            "search": ["search", "export", "--json"],
            "timeline": ["timeline", "--from", "2019", "--to", "2019", "--json"],
            "query": ["query", "--named", "tit-for-tat", "--format", "json"],
            "path": ["path", "forced labour", "id:issue-export-controls", "--json"],
            "chain": ["chain", "id:ev-2019-07-japan-export-restrictions", "--json"],
        }
        plan = {}
        for name, args in commands.items():
            plan[f"{name}|local"] = [str(cli), *args]
            for server in started:
                plan[f"{name}|{server.name}"] = [str(cli), "--endpoint", server.endpoint, *args]
        result["cli"] = runner.interleaved(plan, CLI_RUNS, warmup=1)

        if big_data is not None:
            for server in started:
                env, user = _credentials(runner, server)
                log(f"remote: publish 1M triples to {server.name} × 1")
                t = runner.time_once(
                    [str(cli), "--data", str(big_data), "publish", "--endpoint", server.endpoint, *user],
                    timeout=1800,
                    env=env,
                )
                result["publish_1m"][server.name] = [t] if t is not None else []
            log(f"remote: the four questions at 1M, local and on each server × {QUERY_RUNS}")
            plan = {}
            for key, text in queries.items():
                question = ["query", text, "--format", "json", "--timeout", "600"]
                plan[f"{key}|local"] = [str(cli), "--data", str(big_data), *question]
                for server in started:
                    if result["publish_1m"].get(server.name):
                        plan[f"{key}|{server.name}"] = [str(cli), "--endpoint", server.endpoint, *question]
            result["queries_1m"] = runner.interleaved(plan, QUERY_RUNS, warmup=1, timeout=900)
    finally:
        for server in started:
            servers.stop(server)
    result["measured"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return result


def report_remote(res: dict, titles: dict[str, str], median, fmt_s, table) -> str:
    names = list(res.get("servers", {}))
    out = [
        "## 4. Remote: publishing to a SPARQL server and answering from it\n",
        f"Measured {res.get('measured', '')}. The Oxigraph server 0.5.13 (`oxigraph serve --location DIR`, on "
        "disk) and Virtuoso 7.2.5 (Debian's, started by hand with a throwaway database and "
        "ResultSetMaxRows = 1,000,000), both on loopback on this machine, started by `tests/servers.py` as in "
        "the remote tests. Every figure is end to end through the CLI, as a user runs it, including "
        "interpreter start-up.\n",
    ]
    rows = []
    for name in names:
        shipped = res.get("publish_shipped", {}).get(name, [])
        big = res.get("publish_1m", {}).get(name, [])
        rows.append(
            [name, fmt_s(median(shipped)), f"{len(shipped)}", fmt_s(median(big)) if big else "–", f"{len(big)}"]
        )
    out.append(
        "**Publish** (`bilateral publish`: one Graph Store PUT per named graph, N-Triples, replacing it; "
        "then every graph counted back; the closure is published with the data, so about twice the triples "
        "written). The shipped graph: its 5 source graphs and the definitions; 1M: the synthetic graph of "
        "section 2 (20 source graphs and the definitions):\n"
    )
    out.append(table(["server", "shipped graph (median)", "runs", "1M triples", "runs"], rows))
    rows = []
    cli = res.get("cli", {})
    for command in ("show", "search", "timeline", "query", "path", "chain"):
        local = median(cli.get(f"{command}|local", []))
        row = [f"`{command}`", fmt_s(local)]
        for name in names:
            remote = median(cli.get(f"{command}|{name}", []))
            row += [fmt_s(remote), f"{remote / local:.1f}×" if remote and local else "–"]
        rows.append(row)
    header = ["command (shipped graph, --json)", "local store"]
    for name in names:
        header += [name, "vs local"]
    out.append(
        "\n**Read commands** on the shipped graph, local against `--endpoint` (medians of "
        f"{CLI_RUNS} interleaved runs after a warm-up round):\n"
    )
    out.append(table(header, rows))
    q = res.get("queries_1m", {})
    if q:
        rows = []
        for key, title in titles.items():
            local = median(q.get(f"{key}|local", []))
            row = [title, fmt_s(local)]
            for name in names:
                remote = median(q.get(f"{key}|{name}", []))
                row += [fmt_s(remote), f"{remote / local:.1f}×" if remote and local else "–"]
            rows.append(row)
        out.append(
            "\n**The four questions at 1M triples** through `bilateral query … --format json` (the texts of "
            f"section 2), local store against each server after publishing (medians of {QUERY_RUNS}):\n"
        )
        out.append(table(["question", "local store"] + [h for name in names for h in (name, "vs local")], rows))
    return "\n".join(out) + "\n"
