"""The persisted store that every read command queries.

Why pyoxigraph on disk: reopening a persisted store takes milliseconds
whatever its size, so a warm command never re-parses TriG; its SPARQL engine
is 10-100x faster than in-memory rdflib at scale and compares xsd:date
values correctly.  (See README, "Why this store".)

Layout under `store_home(data_dir)`:

    current.json          which store answers, and the input fingerprint it was built from
    <content-hash>/       one pyoxigraph store per built content
    build.lock            serialises concurrent builds

A build writes a new directory beside the old one and then swaps
`current.json` atomically (temporary file + rename), so a build that fails
or is killed halfway leaves the previous store answering, and readers never
see a half-built store.  Commands rebuild by themselves when an input file
changed (its size/mtime, then its content hash, differ from the manifest).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from filelock import FileLock

from bilateral.graph.errors import BadInput, InvalidData
from bilateral.graph.files import replace_atomically
from bilateral.graph.locations import shipped_data_dir, store_home
from bilateral.graph.storage.protocol import QuadStore

if TYPE_CHECKING:
    import subprocess

__all__ = ["BuildReport", "GraphStore", "atomic_write", "build", "is_fresh", "open_store", "pause_gc"]

#: Bump when the build output changes shape, so old stores are rebuilt.
STORE_FORMAT = 5

_T = TypeVar("_T")


@dataclass
class BuildReport:
    """What a build did."""

    store_dir: Path
    triples: int
    inferred: int
    files: int
    seconds: float
    rebuilt: bool = True
    #: Instances per bl: class IRI, subclasses included (counted while building, so `build` need not query).
    classes: dict = field(default_factory=dict)
    #: Subjects typed with a bl: class.
    entities: int = 0


@dataclass
class GraphStore:
    """An opened store: the pyoxigraph handle plus where it came from (implements graph.storage.protocol.Store)."""

    ox: QuadStore  # a pyoxigraph.Store here; a RemoteOx in a RemoteGraphStore
    data_dir: Path
    store_dir: Path
    warnings: list[str] = field(default_factory=list)
    _memory: dict = field(default_factory=dict, repr=False)

    def cached(self, name: str, compute: Callable[[], _T]) -> _T:
        """A value derived from this store, computed once, kept in memory and beside the store on disk.

        The store directory is named by its content hash, so a cache inside it
        is invalidated with the store.  Written atomically; an unreadable or
        unwritable cache is simply recomputed.
        """
        import pickle

        if name in self._memory:
            return self._memory[name]
        path = self.store_dir / f"cache-{name}.pickle"
        try:
            with open(path, "rb") as fh, pause_gc():
                # Unpickling a large graph allocates millions of containers, none of them garbage;
                # with the cyclic collector paused it takes half the time (4.6 s -> 2.6 s at 1M triples).
                self._memory[name] = _CacheUnpickler(fh).load()
                return self._memory[name]
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            pass
        with pause_gc():
            value = self._memory[name] = compute()
        try:
            atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
        return value

    def remembered(self, name: str, compute: Callable[[], _T]) -> _T:
        """A value derived from this store, computed once and kept in memory only (not on disk, unlike `cached`).

        For values that are cheap enough to read once per process and should
        never meet a file written by other code (the lifecycle's tables).
        """
        if name not in self._memory:
            self._memory[name] = compute()
        found: _T = self._memory[name]
        return found


#: The only classes a cache file may name: containers, networkx graphs and their views, our label index and source names.
_CACHE_CLASSES = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "tuple"),
    ("builtins", "list"),
    ("builtins", "dict"),
    ("bilateral.graph.labels", "LabelIndex"),
    ("bilateral.graph.sources", "SourceName"),
} | {
    (f"networkx.classes.{module}", name)
    for module, names in {
        "graph": ("Graph",),
        "digraph": ("DiGraph",),
        "multigraph": ("MultiGraph",),
        "multidigraph": ("MultiDiGraph",),
        "coreviews": ("AtlasView", "AdjacencyView", "MultiAdjacencyView"),
        "reportviews": ("NodeView", "EdgeView", "OutEdgeView", "OutMultiEdgeView", "MultiEdgeView"),
    }.items()
    for name in names
}


class _CacheUnpickler:
    """Reads a cache pickle resolving only _CACHE_CLASSES, so a planted file cannot run code.

    Python's own advice for untrusted pickles ("Restricting Globals"): every
    callable a pickle can invoke comes through find_class, and here that
    yields containers and graph classes only; anything else is an
    UnpicklingError, and the value is recomputed.  (The store home is also
    refused when others can write to it: see _check_home.)
    """

    def __init__(self, fh) -> None:
        import pickle

        class Restricted(pickle.Unpickler):
            def find_class(self, module: str, name: str):
                if (module, name) not in _CACHE_CLASSES:
                    raise pickle.UnpicklingError(f"cache names {module}.{name}, which a cache may not hold")
                return super().find_class(module, name)

        self._unpickler = Restricted(fh)

    def load(self):
        return self._unpickler.load()


@contextlib.contextmanager
def pause_gc():
    """Pause the cyclic garbage collector for a burst of allocations that are (nearly) all kept.

    Loading or building a large graph allocates millions of containers; each
    time the young generation fills, the collector walks them, though none is
    garbage.  Paused, a k=3 path search on a 1M-triple store in a new process
    took 3 s instead of 6 s.  Garbage made meanwhile is still freed by
    reference counting; only cycles wait for the collector's next run.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, data)


def _manifest_path(home: Path) -> Path:
    return home / "current.json"


def _read_manifest(home: Path) -> dict | None:
    try:
        manifest = json.loads(_manifest_path(home).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        return None  # valid JSON but not our object (`null`, a list): as if there were none
    return manifest


def _fingerprint(paths: list[Path], known: dict) -> tuple[str, dict]:
    """Hash the inputs, reusing recorded hashes for files whose size and mtime did not change."""
    files: dict[str, list] = {}
    total = hashlib.sha256(f"format {STORE_FORMAT}".encode())
    for path in paths:
        key = str(path.resolve())
        try:
            st = path.stat()
        except OSError:
            continue
        old = known.get(key)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            sha = old[2]
        else:
            try:
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                sha = "unreadable"
        files[key] = [st.st_size, st.st_mtime_ns, sha]
        total.update(f"{key}\0{sha}\n".encode())
    return total.hexdigest(), files


def _resolve_data_dir(data_dir: Path | None) -> Path:
    data_dir = (data_dir or shipped_data_dir()).resolve()
    if not data_dir.is_dir():
        raise BadInput(f"{data_dir}: data directory does not exist")
    return data_dir


def is_fresh(data_dir: Path | None = None) -> bool:
    """True when the current store was built from exactly the present inputs."""
    from bilateral.graph.storage.loading import input_files

    data_dir = _resolve_data_dir(data_dir)
    home = store_home(data_dir)
    manifest = _read_manifest(home)
    if not manifest:
        return False
    digest, _ = _fingerprint(input_files(data_dir), manifest.get("files", {}))
    return digest == manifest.get("content") and (home / manifest["store"]).is_dir()


def _check_home(home: Path) -> None:
    """Refuse a store home (or its stores/ parent) that another user owns or that others can write to.

    Whoever can write there can replace the store or its caches that this
    user's commands read.
    """
    for directory in (home, home.parent):
        try:
            st = directory.stat()
        except FileNotFoundError:
            continue
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise BadInput(
                f"{directory}: the store home belongs to another user; set BILATERAL_HOME to a directory of yours"
            )
        if st.st_mode & 0o022:
            raise BadInput(
                f"{directory}: the store home is writable by others (mode {st.st_mode & 0o777:o}); "
                f"run `chmod go-w {directory}` or set BILATERAL_HOME"
            )


@contextlib.contextmanager
def _build_lock(home: Path):
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    _check_home(home)
    # filelock: an OS lock on POSIX and on Windows alike (fcntl is POSIX-only), released if the process dies.
    with FileLock(home / "build.lock"):
        yield


def build(data_dir: Path | None = None, *, validate: bool = True, force: bool = False) -> BuildReport:
    """Parse, validate and load `data_dir` into a new store, then make it current.

    Raises InvalidData (and changes nothing) when a file does not parse or the
    shapes are violated.
    """
    from bilateral.graph.storage.display import display_dates, lifecycle_summary
    from bilateral.graph.storage.inference import closure
    from bilateral.graph.storage.loading import input_files, load

    data_dir = _resolve_data_dir(data_dir)
    home = store_home(data_dir)
    started = time.perf_counter()
    with _build_lock(home):
        manifest = _read_manifest(home) or {}
        digest, files = _fingerprint(input_files(data_dir), manifest.get("files", {}))
        if not force and manifest.get("content") == digest and (home / manifest["store"]).is_dir():
            return BuildReport(
                home / manifest["store"],
                manifest["triples"],
                manifest["inferred"],
                len(files),
                time.perf_counter() - started,
                rebuilt=False,
                classes=manifest.get("classes", {}),
                entities=manifest.get("entities", 0),
            )
        _remove_leftovers(home)
        if len(files) <= 2:  # the ontology and the shapes alone
            raise BadInput(f"{data_dir}: no .trig or .ttl files in this data directory")
        loaded = load(data_dir)
        if loaded.problems:
            raise InvalidData(loaded.problems)
        # For large data, validation runs in a second process while this one computes the
        # closure and writes the new store (see _Validation).  Nothing becomes current
        # until validation has passed.
        checking = _Validation(loaded) if validate else None
        # Hash what was actually parsed, so a file edited during the build is caught next time.
        digest, files = _fingerprint([f.path for f in loaded.files], files)
        store_dir = home / digest[:24]
        tmp_dir = Path(tempfile.mkdtemp(dir=home, prefix=".building-"))
        try:
            inferred = closure(loaded.quads)
            inferred += display_dates(loaded.quads) + lifecycle_summary(loaded.quads + inferred)
            triples = _write_store(tmp_dir, loaded.quads, inferred)
            entities, classes = _class_counts(loaded.quads, inferred)
            problems = checking.result() if checking else []
            if problems:
                raise InvalidData(problems)
            if store_dir.exists():  # --force on unchanged data: never remove the live store; a new name
                store_dir = home / f"{digest[:24]}-{tmp_dir.name.rsplit('-', 1)[-1]}"
            os.replace(tmp_dir, store_dir)
        except BaseException:
            if checking:
                checking.cancel()
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise
        previous = manifest.get("store")
        new_manifest = {
            "format": STORE_FORMAT,
            "content": digest,
            "store": store_dir.name,
            "previous": previous if previous != store_dir.name else manifest.get("previous"),
            "data_dir": str(data_dir),
            "files": files,
            "triples": triples,
            "inferred": len(inferred),
            "entities": entities,
            "classes": classes,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        atomic_write(_manifest_path(home), json.dumps(new_manifest, indent=1).encode())
        _remove_old_stores(home, keep={store_dir.name, new_manifest["previous"]})
        return BuildReport(
            store_dir,
            triples,
            len(inferred),
            len(files),
            time.perf_counter() - started,
            classes=classes,
            entities=entities,
        )


#: From this many parsed quads on, validation runs in a second process beside the store write.
PARALLEL_VALIDATION_QUADS = 200_000


class _Validation:
    """SHACL validation of loaded data, in a second process when the data is large.

    At a million triples validation (about 20 s) and closure plus store
    write (about as long) are the two halves of a build, and pyshacl-turbo
    holds the GIL, so a thread would not overlap them; a second interpreter
    on the second core does.  It is a plain subprocess (`python -c`), not
    multiprocessing, which would re-run the caller's main script, and it is
    sent the exact texts this process parsed, so both check the same bytes.
    Below the threshold, starting an interpreter costs more than it saves,
    and validation runs here when `result()` is called.  If the child fails
    to answer (killed, out of memory), validation runs here too: a build
    never skips it.
    """

    def __init__(self, loaded) -> None:
        self._loaded = loaded
        self._child: subprocess.Popen[bytes] | None = None
        if len(loaded.quads) < PARALLEL_VALIDATION_QUADS:
            return
        import subprocess
        import sys
        import threading

        try:
            self._child = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from bilateral.graph.storage.store import _validate_in_child; _validate_in_child()",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return
        payload = json.dumps({str(path): text for path, text in loaded.texts.items()}).encode("utf-8")
        self._answer: dict = {}
        self._reader = threading.Thread(target=self._talk, args=(self._child, payload), daemon=True)
        self._reader.start()

    def _talk(self, child: subprocess.Popen[bytes], payload: bytes) -> None:
        try:
            self._answer["out"], _ = child.communicate(payload)
        except (OSError, ValueError):
            pass

    def result(self) -> list[str]:
        from bilateral.graph.storage.validation import validate_loaded

        if self._child is None:
            return validate_loaded(self._loaded)
        self._reader.join()
        try:
            outcome = json.loads(self._answer.get("out") or b"null")
        except ValueError:
            outcome = None
        if self._child.returncode != 0 or not isinstance(outcome, list):
            return validate_loaded(self._loaded)
        return [str(line) for line in outcome]

    def cancel(self) -> None:
        if self._child is not None and self._child.poll() is None:
            self._child.kill()
            self._child.wait()


def _validate_in_child() -> None:
    """The child's side: read {path: text} as JSON on stdin, parse, validate, print the problems as JSON."""
    import sys

    from bilateral.graph.storage.loading import LoadedData, parse_file
    from bilateral.graph.storage.sandbox import watch_parent
    from bilateral.graph.storage.validation import validate_loaded

    watch_parent()  # a killed build leaves no validation running
    texts = json.loads(sys.stdin.buffer.read())
    quads: list = []
    for path, text in texts.items():
        quads.extend(parse_file(Path(path), text.encode("utf-8")))
    loaded = LoadedData(quads, [], {Path(p): t for p, t in texts.items()}, [])
    sys.stdout.write(json.dumps(validate_loaded(loaded)))
    sys.stdout.flush()


def _class_counts(quads: list, inferred: list) -> tuple[int, dict[str, int]]:
    """Subjects typed with a bl: class, and instances per bl: class (closure included), across graphs."""
    from collections import Counter

    from bilateral.graph.namespaces import BL, RDF

    type_iri = RDF + "type"
    typed: set[tuple[str, str]] = set()
    for group in (quads, inferred):
        for q in group:
            if q.predicate.value == type_iri and q.object.value.startswith(BL) and not q.subject.value.startswith(BL):
                typed.add((q.subject.value, q.object.value))
    classes = Counter(cls for _, cls in typed)
    return len({s for s, _ in typed}), dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])))


def _write_store(directory: Path, quads: list, inferred: list) -> int:
    """Write the asserted and inferred quads into a new on-disk store; return its size."""
    import pyoxigraph as ox

    store = ox.Store(str(directory))
    store.bulk_extend(quads)
    store.bulk_extend(inferred)
    store.flush()
    store.optimize()
    size = len(store)
    del store
    return size


def _remove_old_stores(home: Path, keep: set) -> None:
    """Delete stores older than the previous one (a reader may still hold the previous)."""
    for child in home.iterdir():
        if child.is_dir() and child.name not in keep and not child.name.startswith(".building-"):
            shutil.rmtree(child, ignore_errors=True)


def _remove_leftovers(home: Path) -> None:
    """Remove what killed builds left (called under the build lock, so no build is writing them)."""
    for child in home.iterdir():
        if child.name.startswith(".building-") and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(".current.json.") and child.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                child.unlink()


def _previous_store(home: Path) -> bool:
    """Whether current.json names a store that is there to fall back on."""
    manifest = _read_manifest(home)
    if not manifest:
        return False
    return (home / manifest["store"]).is_dir()


def open_store(data_dir: Path | None = None, *, rebuild: bool = True) -> GraphStore:
    """Open the store for `data_dir`, rebuilding it first when an input changed.

    When the rebuild fails (the data no longer validates) and an older store
    exists, that store is opened and the failure is reported in `warnings`,
    so analysts keep working while a curator fixes the file.
    """
    data_dir = _resolve_data_dir(data_dir)
    home = store_home(data_dir)
    warnings: list[str] = []
    _check_home(home)
    if rebuild:
        try:
            if not is_fresh(data_dir):
                build(data_dir)
        except InvalidData as exc:
            if not _previous_store(home):
                raise
            first = exc.problems[0] if exc.problems else str(exc)
            warnings.append(
                f"the data changed but does not validate ({len(exc.problems)} problem(s), first: {first}); "
                "answering from the previous build — run `bilateral validate`"
            )
        except BadInput:
            raise  # the user's input (an empty --data, a store home of another user): say so, exit 2
        except Exception as exc:  # a parse limit, a full disk, a permission: fall back
            if not _previous_store(home):
                raise
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
            warnings.append(
                f"the data changed but the rebuild failed ({type(exc).__name__}: {reason}); "
                "answering from the previous build — run `bilateral build` to see the failure"
            )
    manifest = _read_manifest(home)
    if not manifest:
        raise InvalidData([f"{data_dir}: no store built yet; run `bilateral build`"])
    store_dir = home / manifest["store"]
    return GraphStore(_reader(store_dir), data_dir, store_dir, warnings)


#: Read-only handles this process opened, newest last (see _reader).
_READERS: OrderedDict[str, QuadStore] = OrderedDict()
_READERS_LOCK = threading.Lock()
_READERS_KEPT = 4


def _reader(store_dir: Path) -> QuadStore:
    """A read-only pyoxigraph handle on `store_dir`, shared by every open of it in this process.

    A store directory never changes once built (a new build writes a new
    directory, named by its content), so a handle stays right for as long as
    it lives; sharing it saves 16 ms an open for a process that opens the
    same store again and again (a notebook, `serve`, the tests).  The last
    few are kept; older ones close when nothing uses them any more.
    """
    import pyoxigraph as ox

    key = str(store_dir)
    with _READERS_LOCK:
        reader = _READERS.pop(key, None)
        if reader is None:
            reader = ox.Store.read_only(key)
        _READERS[key] = reader
        while len(_READERS) > _READERS_KEPT:
            _READERS.popitem(last=False)
        return reader
