"""In-process measurements, each run in its own subprocess by bench/run.py.

    python bench/workers.py KIND JSON_ARGS

prints one JSON object on stdout.  Kinds:

    store     open_store + run_query: the four queries on our store
    rdflib    the same four queries on an in-memory rdflib.Dataset parsed from the same files
    paths     find_paths k=3 between two issues: cold, new handle (on-disk caches), second call
    phases    where a cold build's time goes: bilateral.graph.storage.store.build as a whole, the counts `build` prints,
              then parse, validate, closure and store write one by one

A separate process per kind keeps one engine's memory and caches away from
the other's, and lets run.py stop a worker that runs too long.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

__all__ = ["QUERIES", "VARIANTS", "PROLOGUE", "KINDS"]

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROLOGUE = """PREFIX bl: <https://w3id.org/bilateral/ontology#>
PREFIX id: <https://w3id.org/bilateral/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: The four queries, the same text for both engines.  None relies on the
#: sub-class/sub-property closure that our build materialises (rdflib parses
#: the files as they are), so both engines give the same answers; duplicates
#: that the closure would add are removed with DISTINCT.
QUERIES = {
    "label": (
        "label lookup by regex",
        """SELECT DISTINCT ?s ?label WHERE {
  ?s rdfs:label ?label .
  FILTER(REGEX(?label, "semiconductor", "i"))
}""",
    ),
    "daterange": (
        "events in 2019 with their participants",
        """SELECT DISTINCT ?e ?date ?who WHERE {
  ?e bl:startDate ?date ;
     (bl:participant|bl:agent|bl:target|bl:mediator) ?who .
  FILTER(?date >= "2019-01-01"^^xsd:date && ?date <= "2019-12-31"^^xsd:date)
}""",
    ),
    "perissue": (
        "events per issue per year",
        """SELECT ?issueLabel ?year (COUNT(DISTINCT ?e) AS ?events) WHERE {
  VALUES ?type { bl:Event bl:Meeting bl:Ruling bl:Measure bl:Mediation bl:Statement }
  ?e a ?type ; bl:startDate ?date ; bl:concerns ?issue .
  ?issue rdfs:label ?issueLabel . FILTER(LANG(?issueLabel) = "en")
  BIND(YEAR(?date) AS ?year)
}
GROUP BY ?issueLabel ?year""",
    ),
    "chain2": (
        "2-hop response chain",
        """SELECT DISTINCT ?a ?b ?c WHERE {
  ?a (bl:respondsTo|bl:retaliatesAgainst|bl:reverses) ?b .
  ?b (bl:respondsTo|bl:retaliatesAgainst|bl:reverses) ?c .
}""",
    ),
}

#: The same questions as a user of our store would write them, relying on the
#: materialised closure (rdflib, without it, would miss answers): run on our
#: store only, to show what our engine does with the simpler shape.
VARIANTS = {
    "label": """SELECT DISTINCT ?s ?label WHERE {
  ?s rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "semiconductor"))
}""",
    "daterange": """SELECT DISTINCT ?e ?date ?who WHERE {
  ?e bl:startDate ?date ; bl:participant ?who .
  FILTER(?date >= "2019-01-01"^^xsd:date && ?date <= "2019-12-31"^^xsd:date)
}""",
    "perissue": """SELECT ?issueLabel ?year (COUNT(DISTINCT ?e) AS ?events) WHERE {
  ?e a bl:Event ; bl:startDate ?date ; bl:concerns ?issue .
  ?issue rdfs:label ?issueLabel . FILTER(LANG(?issueLabel) = "en")
  BIND(YEAR(?date) AS ?year)
}
GROUP BY ?issueLabel ?year""",
    "chain2": """SELECT DISTINCT ?a ?b ?c WHERE {
  ?a bl:respondsTo ?b . ?b bl:respondsTo ?c .
}""",
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _store_queries(args: dict) -> dict:
    from bilateral.graph.storage.query import run_query
    from bilateral.graph.storage.store import open_store

    started = time.perf_counter()
    store = open_store(Path(args["data"]))
    opened = time.perf_counter() - started
    result: dict = {"open": opened, "queries": {}}
    for key, (_title, text) in QUERIES.items():
        sparql = PROLOGUE + text
        times, rows = [], None
        for _ in range(args["runs"]):
            t = time.perf_counter()
            try:
                answer = run_query(store, sparql, timeout=args.get("timeout", 900))
            except TypeError:  # an older signature without timeout
                answer = run_query(store, sparql)
            times.append(time.perf_counter() - t)
            rows = len(answer.rows)
        result["queries"][key] = {"times": times, "rows": rows}
    result["variants"] = {}
    for key, text in VARIANTS.items():
        times, rows = [], None
        for _ in range(args["runs"]):
            t = time.perf_counter()
            answer = run_query(store, PROLOGUE + text, timeout=args.get("timeout", 900))
            times.append(time.perf_counter() - t)
            rows = len(answer.rows)
        result["variants"][key] = {"times": times, "rows": rows}
    t = time.perf_counter()
    run_query(store, "ASK { }")
    result["trivial"] = time.perf_counter() - t
    if args.get("diagnose"):
        result["diagnosis"] = _diagnose(store, max(3, args["runs"] - 2))
    result["peak_mb"] = _peak_mb()
    return result


def _diagnose(store, runs: int) -> dict:
    """Where a query's time goes on our side.

    The same text through pyoxigraph directly (no run_query), on an in-memory pyoxigraph store with the same quads (named graphs, union), and on an in-memory
    store holding every triple once in its default graph (no union of named graphs to evaluate).
    """
    import pyoxigraph as ox

    out: dict = {"raw": {}, "flat": {}}
    for key, (_title, text) in QUERIES.items():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            list(store.ox.query(PROLOGUE + text, use_default_graph_as_union=True))
            times.append(time.perf_counter() - t)
        out["raw"][key] = times
    memory = ox.Store()
    memory.bulk_extend(iter(store.ox))
    out["memory"] = {}
    for key, (_title, text) in QUERIES.items():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            list(memory.query(PROLOGUE + text, use_default_graph_as_union=True))
            times.append(time.perf_counter() - t)
        out["memory"][key] = times
    del memory
    t = time.perf_counter()
    flat = ox.Store()
    flat.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.ox)
    out["flat_load"] = time.perf_counter() - t
    out["flat_triples"] = len(flat)
    for key, (_title, text) in QUERIES.items():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            list(flat.query(PROLOGUE + text))
            times.append(time.perf_counter() - t)
        out["flat"][key] = times
    return out


def _rdflib_files(data: Path) -> list[Path]:
    from bilateral.graph.locations import ontology_path

    found = sorted(p for p in data.rglob("*") if p.suffix in (".trig", ".ttl") and p.is_file())
    return [ontology_path(), *found]


def _rdflib_queries(args: dict) -> dict:
    import logging

    import rdflib

    logging.getLogger("rdflib").setLevel(logging.ERROR)
    started = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    for path in _rdflib_files(Path(args["data"])):
        ds.parse(str(path), format="trig" if path.suffix == ".trig" else "turtle")
    parsed = time.perf_counter() - started
    result: dict = {"parse": parsed, "quads": len(ds), "queries": {}}
    result["parse_peak_mb"] = _peak_mb()
    for key, (_title, text) in QUERIES.items():
        sparql = PROLOGUE + text
        times, rows = [], None
        for _ in range(args["runs"]):
            t = time.perf_counter()
            rows = len(list(ds.query(sparql)))
            times.append(time.perf_counter() - t)
        result["queries"][key] = {"times": times, "rows": rows}
    result["peak_mb"] = _peak_mb()
    return result


def _drop_disk_caches(store) -> int:
    """Remove what the library keeps beside a store (cache-*.pickle), so the next call starts cold."""
    removed = 0
    for path in Path(store.store_dir).glob("cache-*"):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _profile_top(func, limit: int = 8) -> list[dict]:
    """Run func under cProfile; the functions with the most cumulative time (ours and networkx's)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        short = filename.replace(str(ROOT) + "/", "")
        if "site-packages/" in short:
            short = short.split("site-packages/", 1)[1]
        if not (
            short.startswith("graph/")
            or short.startswith("networkx/")
            or short.startswith("pyoxigraph")
            or short == "~"
        ):
            continue
        if short == "~" and "pyoxigraph" not in name and "query" not in name:
            continue
        rows.append({"function": f"{short}:{line}({name})" if short != "~" else name, "cumulative": ct})
    rows.sort(key=lambda r: -r["cumulative"])
    return rows[:limit]


def _paths(args: dict) -> dict:
    import gc

    from bilateral.graph.explore.pathfinding import find_paths
    from bilateral.graph.storage.store import open_store

    data = Path(args["data"])
    a, b = args["source"], args["target"]
    result: dict = {}
    # the projection alone, built cold, first: nothing else alive in the process yet
    fresh = open_store(data)
    _drop_disk_caches(fresh)
    fresh = open_store(data)
    try:
        from bilateral.graph.explore.projection import project

        t = time.perf_counter()
        projected = project(fresh)
        result["projection"] = time.perf_counter() - t
        result["projection_nodes"] = projected.number_of_nodes()
        result["projection_edges"] = projected.number_of_edges()
        del projected
    except Exception as exc:  # noqa: BLE001 - a measurement that fails is reported, not fatal
        result["projection_error"] = f"{type(exc).__name__}: {exc}"
    del fresh
    gc.collect()
    cold, handle, second, lengths = [], [], [], None
    removed = 0
    store = None
    for _ in range(args["runs"]):
        store = None
        gc.collect()  # the previous run's projection is garbage now, not a load on this one
        store = open_store(data)
        removed += _drop_disk_caches(store)
        store = open_store(data)
        t = time.perf_counter()
        found = find_paths(store, a, b, k=3)
        cold.append(time.perf_counter() - t)
        lengths = [p["length"] for p in found["paths"]]
        store = open_store(data)  # a new handle: what a fresh `bilateral path` process finds
        t = time.perf_counter()
        find_paths(store, a, b, k=3)
        handle.append(time.perf_counter() - t)
        t = time.perf_counter()
        find_paths(store, a, b, k=3)
        second.append(time.perf_counter() - t)
    result.update({"cold": cold, "new_handle": handle, "second": second, "lengths": lengths, "caches_removed": removed})
    # where a cached call's time goes (one extra profiled call; profiling slows it)
    result["profile_second"] = _profile_top(lambda: find_paths(store, a, b, k=3))
    result["peak_mb"] = _peak_mb()
    return result


def _phases(args: dict) -> dict:
    """Time a cold build's parts with the library's own functions (each optional: the API may move)."""
    import tempfile

    data = Path(args["data"])
    out: dict = {}

    def timed(name, func):
        t = time.perf_counter()
        try:
            value = func()
        except Exception as exc:  # noqa: BLE001
            out[name + "_error"] = f"{type(exc).__name__}: {exc}"
            return None
        out[name] = time.perf_counter() - t
        return value

    import gc

    def whole_build():
        from bilateral.graph.storage.store import build

        build(data, force=True)

    timed("build_call", whole_build)

    gc.collect()

    from bilateral.graph.storage import loading

    loaded = timed("parse", lambda: loading.load(data))
    if loaded is None:
        return out
    out["quads"] = len(loaded.quads)

    def validate():
        from bilateral.graph.storage.validation import validate_loaded

        problems = validate_loaded(loaded)
        out["problems"] = len(problems)

    timed("validate", validate)

    from bilateral.graph.storage.inference import closure

    inferred = timed("closure", lambda: closure(loaded.quads)) or []
    out["inferred"] = len(inferred)

    def write():
        import pyoxigraph as ox

        with tempfile.TemporaryDirectory(dir=args.get("tmp")) as tmp:
            store = ox.Store(tmp)
            store.bulk_extend(loaded.quads)
            store.bulk_extend(inferred)
            store.flush()
            store.optimize()
            del store

    timed("store_write", write)
    loaded = inferred = None  # released before the peak is read
    out["peak_mb"] = _peak_mb()
    return out


KINDS = {"store": _store_queries, "rdflib": _rdflib_queries, "paths": _paths, "phases": _phases}


def main() -> int:
    kind, raw = sys.argv[1], sys.argv[2]
    args = json.loads(raw)
    result = KINDS[kind](args)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
