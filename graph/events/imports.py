"""Where imported event data lives, and how an import is added, listed and removed.

Layout under `events_home(data_dir)`, beside the curated store's home (never in data/):

    catalogue.json        the imports that count: name -> directory, fingerprint, counts (the commit point)
    imports/<name>-<fp>/  one import: events.nq (its named graph as N-Quads), columns/*.npy (the columnar
                          table: day, CAMEO type, agent, target, file, line), actors.json, meta.json
    combined.json         which combined store answers SPARQL, and what it was built from
    combined-<key>/       a pyoxigraph store: the curated store's quads + the CAMEO scheme + every import
    lock                  serialises imports, removals and combined-store rebuilds

An import reads and checks the rows, links the actors, writes its directory
aside (N-Quads, columns), validates it against the import shapes (a sample of
its events: graph/events/validation.py), renames it into place and then swaps
catalogue.json atomically, so an import killed halfway leaves the catalogue
(and every answer) as it was.  `temperature` and `events` answer from the
columns at once.  The combined store SPARQL queries is built on first use
after the imports changed (aside, then swapped the same way), not by the
import: loading N-Quads into pyoxigraph is most of an import's cost (about
55,000 quads per CPU second here, nine quads an event), and only `query` needs
it.  The imports themselves (reading, checking, linking) are never redone.
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
from typing import TYPE_CHECKING, Any

from bilateral.graph.errors import BadInput, NotFound, Problem
from bilateral.graph.events.cameo import cameo
from bilateral.graph.events.linking import Actor, Linker
from bilateral.graph.events.nquads import CAMEO_GRAPH, EventColumns, cameo_nquads, write_import
from bilateral.graph.events.reading import DATAVERSE, ReadResult, Refusal, read_files
from bilateral.graph.locations import store_home
from bilateral.graph.namespaces import ID
from bilateral.graph.storage.store import atomic_write

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = [
    "ImportReport",
    "RefusedRows",
    "combined_store",
    "events_home",
    "has_imports",
    "import_graph_iri",
    "import_icews",
    "list_imports",
    "read_catalogue",
    "remove_import",
]

#: Bump when what an import writes changes shape.
IMPORT_FORMAT = 2  # 2: coded events carry an rdfs:label; imports are validated
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


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
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage: where an import spends its time


class _Stopwatch:
    """Seconds per stage of one import (reading, linking, writing, validating, committing)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


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


def read_catalogue(home: Path) -> dict:
    """The catalogue of imports under the events home (`imports` by name); empty when missing or of an old format."""
    try:
        data = json.loads((home / "catalogue.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {"format": IMPORT_FORMAT, "imports": {}}
    if not isinstance(data, dict) or data.get("format") != IMPORT_FORMAT:  # `null`, a list: as if missing
        return {"format": IMPORT_FORMAT, "imports": {}}
    return data


def _write_catalogue(home: Path, catalogue: dict) -> None:
    atomic_write(home / "catalogue.json", json.dumps(catalogue, indent=1, sort_keys=True).encode())


def has_imports(data_dir: Path) -> bool:
    """True when at least one import counts."""
    return bool(read_catalogue(events_home(data_dir))["imports"])


def coded_graphs(data_dir: Path) -> frozenset[str]:
    """The graphs of coded event data in the combined store: every import's, plus the CAMEO scheme's."""
    imports = read_catalogue(events_home(data_dir))["imports"].values()
    return frozenset([CAMEO_GRAPH, *(import_graph_iri(e["name"]) for e in imports)]) if imports else frozenset()


def list_imports(data_dir: Path) -> list[dict]:
    """Every import: name, graph, files, events, refused rows, when."""
    home = events_home(data_dir)
    out = []
    for name, entry in sorted(read_catalogue(home)["imports"].items()):
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
    store: Store,
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
    catalogue = read_catalogue(home)
    same = next((n for n, e in catalogue["imports"].items() if e["fingerprint"] == fingerprint), None)
    if same is not None:
        entry = catalogue["imports"][same]
        return ImportReport(same, entry["graph"], entry["events"], entry["lines"], [], unchanged=True, same_as=same)
    reading = (lambda done: progress("reading rows", done, None)) if progress else None
    watch = _Stopwatch()
    read = read_files(paths, cameo(), progress=reading)
    watch.lap("reading")
    if strict and read.refused:
        raise RefusedRows(_refusal_text(read.refused) + "\n--strict: nothing imported")
    report, directory = _write_import(
        store, read, name, between, lower, upper, licence, fingerprint, home, progress, watch
    )
    with _lock(home):
        catalogue = read_catalogue(home)
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
        _write_catalogue(home, catalogue)  # the commit point; SPARQL's combined store follows on first use
        _clean(home, catalogue, keep={previous["dir"]} if previous else set())
    watch.lap("committing")
    report.stages = watch.seconds
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


@dataclass
class _Linked:
    """Every row's agent and target as actor numbers, and what linking found."""

    actors: list[Actor]
    agent: Any  # numpy int32 per row: index into actors
    target: Any
    reached: Any  # numpy bool per actor: curated, or tied to a curated state
    key_text: list[str]  # per distinct (actor string, country): the string
    key_actor: Any  # numpy int32 per key: index into actors
    agent_key: Any  # numpy int32 per row: index into key_text
    target_key: Any


def _link(store: Store, read: ReadResult, progress) -> _Linked:
    """Resolve each distinct actor string once (with its country), then number every row's actors."""
    import numpy as np

    keys: dict[tuple[str, str | None], int] = {}
    agent_key = np.empty(len(read.rows), dtype=np.int32)
    target_key = np.empty(len(read.rows), dtype=np.int32)
    for i, row in enumerate(read.rows):
        k = (row.agent, row.agent_country)
        agent_key[i] = keys[k] if k in keys else keys.setdefault(k, len(keys))
        k = (row.target, row.target_country)
        target_key[i] = keys[k] if k in keys else keys.setdefault(k, len(keys))
        if progress and not i % 50_000:
            progress("linking actors", i, len(read.rows))
    if progress:
        progress("linking actors", len(read.rows), len(read.rows))
    linker = Linker(store)
    for text, country in keys:
        if text.endswith(")") and "(" in text:
            linker.countries.add(text[text.rindex("(") + 1 : -1].strip())
        if country:
            linker.countries.add(country)
    actors: list[Actor] = []
    numbers: dict[str, int] = {}
    key_actor = np.empty(len(keys), dtype=np.int32)
    for number, (text, country) in enumerate(keys):
        actor = linker.actor(text, country)
        if actor.iri not in numbers:
            numbers[actor.iri] = len(actors)
            actors.append(actor)
        key_actor[number] = numbers[actor.iri]
    # states that coded actors belong to but that no row names: written too, so every link has its end
    for actor in sorted(linker.known(), key=lambda a: a.iri):
        if actor.iri not in numbers and any(a.state == actor.iri for a in actors):
            numbers[actor.iri] = len(actors)
            actors.append(actor)
    reached = np.fromiter((_reaches_curated(a) for a in actors), dtype=bool, count=len(actors))
    return _Linked(actors, key_actor[agent_key], key_actor[target_key], reached, [t for t, _ in keys],
                   key_actor, agent_key, target_key)  # fmt: skip


def _kept(store: Store, read: ReadResult, linked: _Linked, between, lower, upper):
    """A boolean mask of the rows inside --from/--to and --between."""
    import numpy as np

    from bilateral.graph.events.temperature import side_of

    day = np.fromiter((r.day for r in read.rows), dtype=np.int32, count=len(read.rows))
    mask = np.ones(len(day), dtype=bool)
    if lower is not None:
        mask &= day >= lower
    if upper is not None:
        mask &= day <= upper
    if between:
        sides = []
        for iri in between:
            members = side_of(store, iri)
            sides.append(np.fromiter((a.iri in members or a.state in members for a in linked.actors), dtype=bool,
                                     count=len(linked.actors)))  # fmt: skip
        a, t = linked.agent, linked.target
        mask &= (sides[0][a] & sides[1][t]) | (sides[1][a] & sides[0][t])
    return day, mask


def _columns(read: ReadResult, linked: _Linked, day, mask) -> dict:
    import numpy as np

    rows = read.rows
    n = len(rows)
    return {
        "day": day[mask],
        "cameo": np.fromiter((r.cameo for r in rows), dtype=np.int16, count=n)[mask],
        "agent": linked.agent[mask],
        "target": linked.target[mask],
        "fileno": np.fromiter((r.file for r in rows), dtype=np.int16, count=n)[mask],  # "file" is np.savez's own
        "line": np.fromiter((r.line for r in rows), dtype=np.int64, count=n)[mask],
    }


@contextlib.contextmanager
def _aside(target: Path, prefix: str):
    """A fresh directory beside `target` to fill; renamed onto `target` when the block ends well.

    The one write-aside-then-swap of this module (an import's directory, a combined
    store): a reader sees the old directory or the new one, never a half-written one;
    an exception (or a kill) leaves only a `prefix*` directory that `_clean` removes.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))
    try:
        yield tmp
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_import(store: Store, read: ReadResult, name, between, lower, upper, licence, fingerprint, home: Path, progress,
                  watch: _Stopwatch):  # fmt: skip
    """Link actors, write the import's directory aside, validate it, rename it into place; (report, directory)."""
    import numpy as np

    from bilateral.graph.events.validation import check_import, sample_positions

    linked = _link(store, read, progress)
    day, mask = _kept(store, read, linked, between, lower, upper)
    watch.lap("linking")
    columns = _columns(read, linked, day, mask)
    kept = np.flatnonzero(mask)
    event_ids = [read.rows[i].event_id for i in kept.tolist()] if any(f == DATAVERSE for f in read.formats) else None
    lists = {k: v.tolist() for k, v in columns.items()}
    events = EventColumns(
        day=lists["day"], cameo=lists["cameo"], agent=lists["agent"], target=lists["target"],
        file=lists["fileno"], line=lists["line"], event_id=event_ids or [None] * len(kept),
    )  # fmt: skip
    graph = import_graph_iri(name)
    directory = home / "imports" / f"{name}-{fingerprint[:16]}"
    sample = sample_positions(len(kept))
    with _aside(directory, ".writing-") as tmp:
        with open(tmp / "events.nq", "w", encoding="utf-8") as out:
            checked = write_import(
                out, graph, name, read.files, read.formats, licence, linked.actors, events,
                sample=sample,
                progress=(lambda done: progress("writing events", done, len(kept))) if progress else None,
            )  # fmt: skip
        watch.lap("writing")
        if progress:
            progress("validating", len(sample), len(sample))  # the sampled events
        check_import(
            store, checked, {a.iri for a in linked.actors if a.curated} | {a.state for a in linked.actors if a.state}
        )
        watch.lap("validating")
        (tmp / "columns").mkdir()
        for key, values in columns.items():  # one .npy per column: read memory-mapped, nothing decoded
            np.save(tmp / "columns" / f"{key}.npy", values)
        actor_rows = [[a.iri, a.label, a.state, a.curated] for a in linked.actors]
        (tmp / "actors.json").write_text(json.dumps(actor_rows, ensure_ascii=False), "utf-8")
        (tmp / "meta.json").write_text(
            json.dumps({"name": name, "files": read.files, "formats": read.formats}), "utf-8"
        )
    report = ImportReport(name, graph, len(kept), read.lines, read.refused)
    report.linked_both = int((linked.reached[columns["agent"]] & linked.reached[columns["target"]]).sum())
    report.unresolved = _unresolved(linked, mask)
    report.outside = int(len(mask) - len(kept))
    return report, directory


def _unresolved(linked: _Linked, mask, top: int = 20) -> list[tuple[str, int]]:
    """The `top` most frequent actor strings (event sides) that reach no curated entity."""
    import numpy as np

    keys = len(linked.key_text)
    counts = np.bincount(linked.agent_key[mask], minlength=keys) + np.bincount(linked.target_key[mask], minlength=keys)
    found: Counter = Counter()
    for k, n in enumerate(counts.tolist()):
        if n and not linked.reached[linked.key_actor[k]]:
            found[linked.key_text[k]] += n
    return found.most_common(top)


def _reaches_curated(actor: Actor) -> bool:
    return actor.curated or bool(actor.state and not actor.state.startswith(ID + "coded-actor-"))


def remove_import(store: Store, name: str) -> dict:
    """Remove one import (NotFound when there is none of that name); the combined store follows."""
    home = events_home(store.data_dir)
    with _lock(home):
        catalogue = read_catalogue(home)
        entry = catalogue["imports"].pop(name, None)
        if entry is None:
            raise NotFound(name, [(e["graph"], n) for n, e in catalogue["imports"].items()])
        _write_catalogue(home, catalogue)
        _clean(home, catalogue, keep={entry["dir"]})
    return entry


def _combined_key(store: Store, catalogue: dict) -> str:
    dirs = sorted(e["dir"] for e in catalogue["imports"].values())
    text = json.dumps([IMPORT_FORMAT, str(store.store_dir.name), dirs])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _rebuild_combined(store: Store, home: Path, catalogue: dict) -> dict:
    """Build the combined store for `catalogue` aside and point combined.json at it (caller holds the lock).

    Returns the pointer now in combined.json, so the caller need not read it back.
    """
    import pyoxigraph as ox

    key = _combined_key(store, catalogue)
    pointer = _read_pointer(home)
    if pointer and pointer.get("key") == key and (home / pointer["store"]).is_dir():
        return pointer
    target = home / f"combined-{key}"
    with _aside(target, ".combining-") as tmp:
        if catalogue["imports"]:
            combined = ox.Store(str(tmp))
            combined.bulk_load(store.ox.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
            combined.bulk_load(cameo_nquads().encode(), format=ox.RdfFormat.N_QUADS)
            for entry in catalogue["imports"].values():
                combined.bulk_load(path=str(home / "imports" / entry["dir"] / "events.nq"), format=ox.RdfFormat.N_QUADS)
            combined.flush()
            del combined
    previous = pointer.get("store") if pointer else None
    written = {"key": key, "store": target.name, "previous": previous}
    atomic_write(home / "combined.json", json.dumps(written).encode())
    return written


def _read_pointer(home: Path) -> dict | None:
    try:
        pointer = json.loads((home / "combined.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return pointer if isinstance(pointer, dict) else None  # `null`, a list: as if missing


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


def combined_store(store: Store):
    """The store SPARQL should see: the curated store plus every import (the curated store when none).

    Rebuilt aside (under the lock) when the curated store or the imports changed.
    """
    import pyoxigraph as ox

    from bilateral.graph.storage.store import GraphStore

    home = events_home(store.data_dir)
    catalogue = read_catalogue(home)
    if not catalogue["imports"]:
        return store
    key = _combined_key(store, catalogue)
    pointer = _read_pointer(home)
    if not pointer or pointer.get("key") != key or not (home / pointer["store"]).is_dir():
        with _lock(home):
            catalogue = read_catalogue(home)
            pointer = _rebuild_combined(store, home, catalogue)
    return GraphStore(ox.Store.read_only(str(home / pointer["store"])), store.data_dir, home / pointer["store"])
