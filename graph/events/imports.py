"""Where imported event data lives, and how an import is added, listed and removed.

Layout under `events_home(data_dir)`, beside the curated store's home (never in data/):

    catalogue.json        the imports that count: name -> directory, fingerprint, counts (the commit point)
    imports/<name>-<fp>/  one import: events.nq (its named graph as N-Quads), columns.npz (the columnar
                          table: day, CAMEO type, agent, target, file, line), actors.json, meta.json
    combined.json         which combined store answers SPARQL, and what it was built from
    combined-<key>/       a pyoxigraph store: the curated store's quads + the CAMEO scheme + every import
    lock                  serialises imports, removals and combined-store rebuilds

An import writes its directory aside and then swaps catalogue.json atomically,
so an import killed halfway leaves the catalogue (and every answer) as it was.
The combined store is rebuilt aside and swapped the same way, whenever the
curated store or the set of imports changed: the imports' N-Quads are loaded
again, the imports themselves (reading, checking, linking) are not redone.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bilateral.graph.errors import BadInput, NotFound, Problem
from bilateral.graph.events.cameo import QUAD_IRIS, cameo, cameo_iri
from bilateral.graph.events.linking import Actor, Linker
from bilateral.graph.events.reading import DATAVERSE, ReadResult, Refusal, read_files
from bilateral.graph.locations import store_home
from bilateral.graph.namespaces import BL, DCTERMS, ID, RDF, RDFS, SKOS, XSD
from bilateral.graph.storage.store import atomic_write

__all__ = [
    "ImportReport",
    "RefusedRows",
    "combined_store",
    "events_home",
    "has_imports",
    "import_graph_iri",
    "import_icews",
    "list_imports",
    "remove_import",
]

#: Bump when what an import writes changes shape.
IMPORT_FORMAT = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
CAMEO_GRAPH = ID + "graph-cameo"


class RefusedRows(Problem):
    """--strict and some rows were refused: nothing was imported (exit 1)."""


@dataclass
class ImportReport:
    """What an import did, and the link report."""

    name: str
    graph: str
    events: int
    lines: int
    refused: list[Refusal]
    unchanged: bool = False
    same_as: str | None = None
    linked_both: int = 0
    unresolved: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0
    outside: int = 0


def events_home(data_dir: Path) -> Path:
    """The directory of imported event data for the store built from `data_dir`.

    Beside the curated stores (`<home>/events/<key>` next to `<home>/stores/<key>`), not inside:
    a curated build deletes every directory of its own home that is not a store.
    """
    curated = store_home(data_dir)
    return curated.parent.parent / "events" / curated.name


def import_graph_iri(name: str) -> str:
    """The named graph of one import."""
    return f"{ID}import-{name}"


@contextlib.contextmanager
def _lock(home: Path):
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _catalogue(home: Path) -> dict:
    try:
        data = json.loads((home / "catalogue.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {"format": IMPORT_FORMAT, "imports": {}}
    return data if data.get("format") == IMPORT_FORMAT else {"format": IMPORT_FORMAT, "imports": {}}


def _write_catalogue(home: Path, catalogue: dict) -> None:
    atomic_write(home / "catalogue.json", json.dumps(catalogue, indent=1, sort_keys=True).encode())


def has_imports(data_dir: Path) -> bool:
    """True when at least one import counts."""
    return bool(_catalogue(events_home(data_dir))["imports"])


def coded_graphs(data_dir: Path) -> frozenset[str]:
    """The graphs of coded event data in the combined store: every import's, plus the CAMEO scheme's."""
    imports = _catalogue(events_home(data_dir))["imports"].values()
    return frozenset([CAMEO_GRAPH, *(import_graph_iri(e["name"]) for e in imports)]) if imports else frozenset()


def list_imports(data_dir: Path) -> list[dict]:
    """Every import: name, graph, files, events, refused rows, when."""
    home = events_home(data_dir)
    out = []
    for name, entry in sorted(_catalogue(home)["imports"].items()):
        out.append({k: entry[k] for k in ("name", "graph", "files", "events", "refused", "imported", "licence")})
    return out


def _fingerprint(paths: list[Path], options: dict) -> str:
    digest = hashlib.sha256(json.dumps({"format": IMPORT_FORMAT, **options}, sort_keys=True).encode())
    for path in paths:
        try:
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        except OSError as exc:
            raise BadInput(f"{path}: cannot read: {exc.strerror or exc}") from None
        digest.update(b"\0file\0")
    return digest.hexdigest()


def _default_name(paths: list[Path]) -> str:
    stem = Path(paths[0]).name.split(".")[0]
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_") or "import"
    return (name + (f"-and-{len(paths) - 1}" if len(paths) > 1 else ""))[:64]


def import_icews(
    store,
    paths: list[Path],
    *,
    name: str | None = None,
    between: tuple[str, str] | None = None,
    start: str | None = None,
    end: str | None = None,
    strict: bool = False,
    licence: str | None = None,
    progress=None,
) -> ImportReport:
    """Import ICEWS files into one named graph beside the curated `store` (a GraphStore).

    `between` holds two state IRIs: only events between them are kept; `start`/`end`
    are user dates.  Refused rows are reported; with `strict`, any refusal imports
    nothing (RefusedRows).  The same files with the same options change nothing.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    if not paths:
        raise BadInput("give at least one ICEWS file")
    name = name or _default_name(paths)
    if not _NAME.match(name):
        raise BadInput(f"{name!r}: an import name is letters, digits, '-' and '_' (at most 64)")
    lower, upper = _range(start, end)
    options = {"between": list(between or []), "from": start, "to": end, "strict": strict, "licence": licence}
    fingerprint = _fingerprint(paths, options)
    home = events_home(store.data_dir)
    catalogue = _catalogue(home)
    same = next((n for n, e in catalogue["imports"].items() if e["fingerprint"] == fingerprint), None)
    if same is not None:
        entry = catalogue["imports"][same]
        return ImportReport(same, entry["graph"], entry["events"], entry["lines"], [], unchanged=True, same_as=same)
    read = read_files(paths, cameo(), progress=progress)
    if strict and read.refused:
        raise RefusedRows(_refusal_text(read.refused) + "\n--strict: nothing imported")
    report, directory = _write_import(store, read, name, between, lower, upper, licence, fingerprint, home)
    with _lock(home):
        catalogue = _catalogue(home)
        previous = catalogue["imports"].get(name)
        catalogue["imports"][name] = {
            "name": name,
            "graph": report.graph,
            "dir": directory.name,
            "files": read.files,
            "events": report.events,
            "lines": read.lines,
            "refused": len(read.refused),
            "fingerprint": fingerprint,
            "licence": licence or "",
            "imported": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _rebuild_combined(store, home, catalogue)
        _write_catalogue(home, catalogue)
        _clean(home, catalogue, keep={previous["dir"]} if previous else set())
    report.seconds = time.perf_counter() - started
    return report


def _range(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    from bilateral.graph.dates import parse_user_date, period_end

    epoch = _dt.date(1970, 1, 1).toordinal()
    lower = parse_user_date(start)[0].toordinal() - epoch if start else None
    upper = period_end(*parse_user_date(end)).toordinal() - epoch if end else None
    if lower is not None and upper is not None and lower > upper:
        raise BadInput(f"--from {start} is after --to {end}")
    return lower, upper


def refusal_lines(refused: list[Refusal], first: int = 10) -> list[str]:
    """The first `first` refusals as `file:line: reason`, then a count of the rest."""
    lines = [f"{r.file}:{r.line}: {r.reason}" for r in refused[:first]]
    if len(refused) > first:
        lines.append(f"... and {len(refused) - first} more refused row(s)")
    return lines


def _refusal_text(refused: list[Refusal]) -> str:
    return f"{len(refused)} row(s) refused:\n" + "\n".join(refusal_lines(refused))


def _write_import(store, read: ReadResult, name, between, lower, upper, licence, fingerprint, home: Path):
    """Link actors, write the import's directory aside, rename it into place; (report, directory)."""
    import numpy as np

    from bilateral.graph.events.temperature import curated_members

    linker = Linker(store)
    for row in read.rows:
        for text, country in ((row.agent, row.agent_country), (row.target, row.target_country)):
            if text.endswith(")") and "(" in text:
                linker.countries.add(text[text.rindex("(") + 1 : -1].strip())
            if country:
                linker.countries.add(country)
    members = [curated_members(store, iri) | {iri} for iri in between] if between else None
    actors: list[Actor] = []
    actor_ids: dict[str, int] = {}
    columns: dict[str, list] = {k: [] for k in ("day", "cameo", "agent", "target", "file", "line")}
    unresolved: Counter = Counter()
    linked_both = outside = 0
    kept = []
    for row in read.rows:
        if (lower is not None and row.day < lower) or (upper is not None and row.day > upper):
            outside += 1
            continue
        agent = linker.actor(row.agent, row.agent_country)
        target = linker.actor(row.target, row.target_country)
        if members and not _between(agent, target, members):
            outside += 1
            continue
        kept.append(row)
        ids = []
        for actor, text in ((agent, row.agent), (target, row.target)):
            if actor.iri not in actor_ids:
                actor_ids[actor.iri] = len(actors)
                actors.append(actor)
            ids.append(actor_ids[actor.iri])
            if not actor.curated and not _reaches_curated(actor):
                unresolved[text] += 1
        linked_both += _reaches_curated(agent) and _reaches_curated(target)
        for key, value in zip(columns, (row.day, row.cameo, ids[0], ids[1], row.file, row.line)):
            columns[key].append(value)
    home.mkdir(parents=True, exist_ok=True)
    (home / "imports").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=home / "imports", prefix=".writing-"))
    try:
        graph = import_graph_iri(name)
        _write_nquads(tmp / "events.nq", graph, name, read, kept, actors, actor_ids, linker, licence)
        dtypes = {"day": np.int32, "cameo": np.int16, "agent": np.int32, "target": np.int32, "file": np.int16}
        arrays = {k: np.asarray(v, dtype=dtypes.get(k, np.int64)) for k, v in columns.items()}
        arrays["fileno"] = arrays.pop("file")  # "file" is np.savez's own parameter
        np.savez(tmp / "columns.npz", **arrays)
        actor_rows = [[a.iri, a.label, a.state, a.curated] for a in actors]
        (tmp / "actors.json").write_text(json.dumps(actor_rows, ensure_ascii=False), "utf-8")
        (tmp / "meta.json").write_text(
            json.dumps({"name": name, "files": read.files, "formats": read.formats}), "utf-8"
        )
        directory = home / "imports" / f"{name}-{fingerprint[:16]}"
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report = ImportReport(name, graph, len(kept), read.lines, read.refused, linked_both=linked_both)
    report.unresolved = unresolved.most_common(20)
    report.outside = outside
    return report, directory


def _reaches_curated(actor: Actor) -> bool:
    return actor.curated or bool(actor.state and not actor.state.startswith(ID + "coded-actor-"))


def _between(agent: Actor, target: Actor, members: list[set[str]]) -> bool:
    a = {agent.iri, agent.state}
    t = {target.iri, target.state}
    return bool((a & members[0] and t & members[1]) or (a & members[1] and t & members[0]))


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _write_nquads(path: Path, graph, name, read, rows, actors, actor_ids, linker, licence) -> None:
    """The import's named graph as N-Quads: metadata, coded actors, coded events."""
    g = f"<{graph}>"
    t, bl = f"<{RDF}type>", BL
    epoch = _dt.date(1970, 1, 1).toordinal()
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"{g} {t} <{bl}Import> {g} .\n{g} <{RDFS}label> {_lit('import ' + name)}@en {g} .\n")
        for file, fmt in zip(read.files, read.formats):
            out.write(f"{g} <{DCTERMS}source> {_lit(file)} {g} .\n")
            dataset = "ICEWS (Dataverse 20-column records)" if fmt == DATAVERSE else "ICEWS (4-column TSV)"
            out.write(f"{g} <{bl}dataset> {_lit(dataset)} {g} .\n")
        if licence:
            out.write(f"{g} <{DCTERMS}license> {_lit(licence)} {g} .\n")
        missing = {a.state for a in actors if a.state} - {a.iri for a in actors}
        actors = actors + sorted({a.iri: a for a in linker.known() if a.iri in missing}.values(), key=lambda a: a.iri)
        for a in actors:
            if a.curated:
                continue
            node = f"<{a.iri}>"
            out.write(f"{node} {t} <{bl}CodedActor> {g} .\n{node} {t} <{bl}Actor> {g} .\n")
            if a.is_state:
                out.write(f"{node} {t} <{bl}State> {g} .\n")
            out.write(f"{node} <{RDFS}label> {_lit(a.label)}@en {g} .\n")
            if a.state:
                out.write(f"{node} <{bl}belongsToState> <{a.state}> {g} .\n")
        types = cameo().types
        iris = [a.iri for a in actors]
        for row in rows:
            e = f"<{ID}coded-{name}-{row.file}-{row.line}>"
            day = _dt.date.fromordinal(row.day + epoch).isoformat()
            agent = iris[actor_ids[linker.actor(row.agent, row.agent_country).iri]]
            target = iris[actor_ids[linker.actor(row.target, row.target_country).iri]]
            out.write(
                f"{e} {t} <{bl}CodedEvent> {g} .\n{e} {t} <{bl}Event> {g} .\n"
                f"{e} <{bl}agent> <{agent}> {g} .\n{e} <{bl}target> <{target}> {g} .\n"
                f'{e} <{bl}startDate> "{day}"^^<{XSD}date> {g} .\n'
                f"{e} <{bl}cameoType> <{cameo_iri(types[row.cameo].code)}> {g} .\n"
                f"{e} <{bl}sourceRow> {_lit(read.files[row.file] + ':' + str(row.line))} {g} .\n"
            )
            if row.event_id:
                out.write(f"{e} <{bl}icewsEventId> {_lit(row.event_id)} {g} .\n")


def cameo_nquads() -> str:
    """The CAMEO scheme as N-Quads in its own graph: one skos:Concept per code with score and quad class."""
    g = f"<{CAMEO_GRAPH}>"
    scheme = f"<{ID}cameo>"
    lines = [
        f"{scheme} <{RDF}type> <{SKOS}ConceptScheme> {g} .",
        f'{scheme} <{RDFS}label> "CAMEO event types"@en {g} .',
    ]
    for c in cameo().types:
        node = f"<{cameo_iri(c.code)}>"
        lines += [
            f"{node} <{RDF}type> <{SKOS}Concept> {g} .",
            f"{node} <{RDF}type> <{BL}CameoType> {g} .",
            f"{node} <{SKOS}inScheme> {scheme} {g} .",
            f"{node} <{SKOS}notation> {_lit(c.code)} {g} .",
            f"{node} <{SKOS}prefLabel> {_lit(c.name)}@en {g} .",
            f'{node} <{BL}goldstein> "{c.goldstein:g}"^^<{XSD}decimal> {g} .',
            f"{node} <{BL}quadClass> <{QUAD_IRIS[c.quad]}> {g} .",
        ]
        if c.code != c.root:
            lines.append(f"{node} <{SKOS}broader> <{cameo_iri(c.root)}> {g} .")
    return "\n".join(lines) + "\n"


def remove_import(store, name: str) -> dict:
    """Remove one import (NotFound when there is none of that name); the combined store follows."""
    home = events_home(store.data_dir)
    with _lock(home):
        catalogue = _catalogue(home)
        entry = catalogue["imports"].pop(name, None)
        if entry is None:
            raise NotFound(name, [(e["graph"], n) for n, e in catalogue["imports"].items()])
        _rebuild_combined(store, home, catalogue)
        _write_catalogue(home, catalogue)
        _clean(home, catalogue, keep={entry["dir"]})
    return entry


def _combined_key(store, catalogue: dict) -> str:
    dirs = sorted(e["dir"] for e in catalogue["imports"].values())
    text = json.dumps([IMPORT_FORMAT, str(store.store_dir.name), dirs])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _rebuild_combined(store, home: Path, catalogue: dict) -> None:
    """Build the combined store for `catalogue` aside and point combined.json at it (caller holds the lock)."""
    import pyoxigraph as ox

    key = _combined_key(store, catalogue)
    pointer = _read_pointer(home)
    if pointer and pointer.get("key") == key and (home / pointer["store"]).is_dir():
        return
    target = home / f"combined-{key}"
    tmp = Path(tempfile.mkdtemp(dir=home, prefix=".combining-"))
    try:
        if catalogue["imports"]:
            combined = ox.Store(str(tmp))
            combined.bulk_load(store.ox.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
            combined.bulk_load(cameo_nquads().encode(), format=ox.RdfFormat.N_QUADS)
            for entry in catalogue["imports"].values():
                combined.bulk_load(path=str(home / "imports" / entry["dir"] / "events.nq"), format=ox.RdfFormat.N_QUADS)
            combined.flush()
            del combined
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = pointer.get("store") if pointer else None
    atomic_write(home / "combined.json", json.dumps({"key": key, "store": target.name, "previous": previous}).encode())


def _read_pointer(home: Path) -> dict | None:
    try:
        return json.loads((home / "combined.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _clean(home: Path, catalogue: dict, keep: set) -> None:
    """Delete import directories and combined stores nothing points to (the previous ones stay for readers)."""
    wanted = {e["dir"] for e in catalogue["imports"].values()} | keep
    for child in (home / "imports").iterdir() if (home / "imports").is_dir() else ():
        if child.name.startswith(".writing-") and time.time() - child.stat().st_mtime < 3600:
            continue
        if child.name not in wanted:
            shutil.rmtree(child, ignore_errors=True)
    pointer = _read_pointer(home) or {}
    stores = {pointer.get("store"), pointer.get("previous")}
    for child in home.iterdir():
        if (
            child.name.startswith("combined-")
            and child.name not in stores
            or child.name.startswith(".combining-")
            and time.time() - child.stat().st_mtime > 3600
        ):
            shutil.rmtree(child, ignore_errors=True)


def combined_store(store):
    """The store SPARQL should see: the curated store plus every import (the curated store when none).

    Rebuilt aside (under the lock) when the curated store or the imports changed.
    """
    import pyoxigraph as ox

    from bilateral.graph.storage.store import GraphStore

    home = events_home(store.data_dir)
    catalogue = _catalogue(home)
    if not catalogue["imports"]:
        return store
    key = _combined_key(store, catalogue)
    pointer = _read_pointer(home)
    if not pointer or pointer.get("key") != key or not (home / pointer["store"]).is_dir():
        with _lock(home):
            catalogue = _catalogue(home)
            _rebuild_combined(store, home, catalogue)
            pointer = _read_pointer(home)
    return GraphStore(ox.Store.read_only(str(home / pointer["store"])), store.data_dir, home / pointer["store"])
