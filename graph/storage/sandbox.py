"""Queries in worker processes that can be ended: time, memory and network limits a thread cannot give.

A query that runs away, nests until the engine crashes or allocates until
it aborts takes its worker with it, never the caller: `bilateral query`
exits 1 with one line, `bilateral serve` answers 503/500 and keeps serving.
Each worker is a plain `python -c` subprocess (not multiprocessing, which
re-imports the caller's main script) that

* opens the store read-only itself, so nothing but bytes crosses the pipe;
* limits its address space (RLIMIT_AS) to what it holds at start plus a
  memory budget, so an allocation bomb ends in the worker;
* on Linux (x86-64, arm64), installs a seccomp filter refusing IPv4/IPv6
  sockets, so a SERVICE that got past the parse-tree check reaches nobody
  (skipped when `--allow-service` asks for federation);
* exits when its parent dies (it watches its parent's pid), so a killed
  CLI or server leaves no query burning a core.

The time limit is enforced by the caller: when it passes, the worker is
killed (SIGKILL) and its process reaped before "stopped" is said.

Wire format, both ways: a 4-byte length and a JSON header, then an 8-byte
length and a body (the request's query text; the answer's serialised
results).  No pickle: the worker's output is data, never code.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bilateral.graph.errors import BadInput, Problem, QueryRefused, QueryTimeout

__all__ = [
    "DEFAULT_MEMORY_MB",
    "Answer",
    "Busy",
    "QueryCrashed",
    "QueryPool",
    "QueryWorker",
    "forbid_network",
    "shared_pool",
    "watch_parent",
]

#: Memory a query may allocate beyond what its worker holds when it starts.
DEFAULT_MEMORY_MB = 1024
#: How long a new worker may take to start (import, open the store) before it counts as failed.
START_TIMEOUT = 120.0


class QueryCrashed(Problem):
    """The worker died under the query (out of memory, a crash in the engine): exit 1 / HTTP 500."""


class Busy(Problem):
    """Every worker is taken and too many requests wait already: HTTP 503."""


@dataclass
class Answer:
    """What a worker sends back: a header (kind, media type, variables, error) and the body bytes."""

    header: dict
    body: bytes = b""


# --------------------------------------------------------------------------- framing


def _write_frame(stream, header: dict, body: bytes) -> None:
    head = json.dumps(header).encode("utf-8")
    stream.write(struct.pack(">I", len(head)) + head + struct.pack(">Q", len(body)) + body)
    stream.flush()


def _read_exact(stream, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream) -> Answer:
    (n,) = struct.unpack(">I", _read_exact(stream, 4))
    header = json.loads(_read_exact(stream, n))
    (m,) = struct.unpack(">Q", _read_exact(stream, 8))
    return Answer(header, _read_exact(stream, m))


# --------------------------------------------------------------------------- the parent's side


class QueryWorker:
    """One worker process bound to one store directory."""

    def __init__(self, store_dir: Path, *, memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False):
        self.store_dir = Path(store_dir)
        self.memory_mb = memory_mb
        self.allow_service = allow_service
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        """The worker's process id, or None before it starts."""
        return self.process.pid if self.process else None

    def start(self) -> QueryWorker:
        """Start the process and wait until it has opened the store (not counted in any query's time)."""
        config = json.dumps(
            {"store": str(self.store_dir), "memory_mb": self.memory_mb, "allow_service": self.allow_service}
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from bilateral.graph.storage.sandbox import _worker_main; _worker_main()", config],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # an engine abort prints a Rust backtrace; the caller reports it in one line
            close_fds=True,
        )
        try:
            ready = self._receive(START_TIMEOUT)
        except (QueryTimeout, QueryCrashed):
            self.stop()
            raise QueryCrashed("the query worker could not start (the store could not be opened)") from None
        if not ready.header.get("ready"):
            self.stop()
            raise QueryCrashed(f"the query worker could not start: {ready.header.get('message', 'no reason given')}")
        return self

    def ask(self, request: dict, sparql: str, timeout: float | None) -> Answer:
        """Send one query; its answer, or QueryTimeout (the worker is killed) or QueryCrashed (it died)."""
        process = self.process
        if process is None or process.stdin is None:
            raise QueryCrashed("the query worker had ended; try again")
        try:
            _write_frame(process.stdin, request, sparql.encode("utf-8"))
        except (BrokenPipeError, OSError, ValueError):
            self.stop()
            raise QueryCrashed("the query worker had ended; try again") from None
        return self._receive(timeout)

    def _receive(self, timeout: float | None) -> Answer:
        # The pool may stop this worker from another thread at any moment (a server closing while its
        # workers start): the stream is taken once, and a stream closed under us is a stopped worker.
        process = self.process
        stream = process.stdout if process is not None else None
        if stream is None:
            raise QueryCrashed("the query worker was stopped")
        try:
            ready, _, _ = select.select([stream], [], [], timeout)
        except (OSError, ValueError):
            self.stop()
            raise QueryCrashed("the query worker was stopped") from None
        if not ready:
            self.stop()
            raise QueryTimeout(f"query still running after {timeout:g} s; stopped")
        try:
            return _read_frame(stream)
        except (EOFError, OSError, ValueError, struct.error):
            code = self.stop()
            raise QueryCrashed(_death(code)) from None

    def alive(self) -> bool:
        """Whether the worker process is running."""
        return self.process is not None and self.process.poll() is None

    def stop(self) -> int | None:
        """Kill the worker and reap it; its exit status (negative: the signal)."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        return process.wait()


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if name in ("SIGABRT", "SIGKILL", "SIGSEGV", "SIGBUS"):
            return f"the query ended its worker ({name}: out of memory or a crash in the engine); nothing else was affected"
        return f"the query ended its worker ({name})"
    return f"the query ended its worker (exit {code}); nothing else was affected"


@dataclass
class QueryPool:
    """A few workers for a server: at most `size` queries run at once, at most `max_waiting` wait for one.

    A worker that was killed (time limit) or died (memory, crash) is
    replaced by a new one on the next request.
    """

    store_dir: Path
    size: int = 2
    memory_mb: int = DEFAULT_MEMORY_MB
    allow_service: bool = False
    max_waiting: int = 16
    _idle: queue.LifoQueue = field(default_factory=queue.LifoQueue, repr=False)
    _slots: threading.Semaphore = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _waiting: int = 0
    _closed: bool = False
    _all: set = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._slots = threading.Semaphore(self.size)

    def warm(self) -> None:
        """Start the workers now (in the background), so the first requests do not wait for them."""

        def start() -> None:
            for _ in range(self.size):
                if self._closed:
                    return
                try:
                    worker = self._new()
                except Problem:
                    return  # closed while starting, or the store cannot be opened: requests will say so
                if self._closed:
                    worker.stop()
                    return
                self._idle.put(worker)

        threading.Thread(target=start, daemon=True, name="bilateral-pool-warm").start()

    def _new(self) -> QueryWorker:
        worker = QueryWorker(self.store_dir, memory_mb=self.memory_mb, allow_service=self.allow_service)
        with self._lock:
            self._all.add(worker)
        return worker.start()

    def pids(self) -> list[int]:
        """The live workers' process ids (for tests and monitoring)."""
        with self._lock:
            return [w.pid for w in self._all if w.alive()]

    def idle(self) -> int:
        """How many started workers wait for a query (for tests and monitoring: `warm` has finished at `size`)."""
        return self._idle.qsize()

    def run(self, request: dict, sparql: str, timeout: float | None, wait: float = 30.0) -> Answer:
        """Run one query on a free worker; Busy when none frees up in `wait` seconds or too many wait."""
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise Busy(f"{self._waiting} queries are waiting already; try again shortly")
            self._waiting += 1
        try:
            if not self._slots.acquire(timeout=wait):
                raise Busy(f"all {self.size} query workers stayed busy for {wait:g} s; try again shortly")
        finally:
            with self._lock:
                self._waiting -= 1
        worker = None
        try:
            worker = self._take()
            return worker.ask(request, sparql, timeout)
        finally:
            if worker is not None:
                if worker.alive() and not self._closed:
                    self._idle.put(worker)
                else:
                    worker.stop()
                    with self._lock:
                        self._all.discard(worker)
            self._slots.release()

    def _take(self) -> QueryWorker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return self._new()
            if worker.alive():
                return worker
            worker.stop()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()


_SHARED: dict = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(store_dir: Path, *, allow_service: bool = False, memory_mb: int = DEFAULT_MEMORY_MB) -> QueryPool:
    """A one-worker pool per store directory for the whole process (library and CLI calls reuse it)."""
    key = (str(store_dir), allow_service, memory_mb)
    with _SHARED_LOCK:
        pool = _SHARED.get(key)
        if pool is None:
            pool = _SHARED[key] = QueryPool(
                Path(store_dir), size=1, memory_mb=memory_mb, allow_service=allow_service, max_waiting=1 << 16
            )
            if len(_SHARED) == 1:
                import atexit

                atexit.register(_close_shared)
        return pool


def _close_shared() -> None:
    for pool in list(_SHARED.values()):
        pool.close()
    _SHARED.clear()


# --------------------------------------------------------------------------- the worker's side


def watch_parent() -> None:
    """End this process when the process that started it goes away (polls twice a second).

    For helper processes started with `python -c` (query workers here, the
    build's validation child in graph.storage.store): a killed parent leaves
    none of them burning a core.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="bilateral-parent-watch").start()


def _limit_memory(budget_mb: int) -> None:
    """Cap the address space at what the worker holds now plus `budget_mb`."""
    import resource

    try:
        status = Path("/proc/self/status").read_text()
        held_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        held_kb = 2 * 1024 * 1024
    limit = held_kb * 1024 + budget_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


_AUDIT_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}  # (AUDIT_ARCH_*, socket syscall)


def forbid_network() -> bool:
    """Refuse IPv4/IPv6 socket creation in this process from now on (seccomp); False where unsupported.

    A classic BPF program: if the architecture is ours and the syscall is
    socket(2) with domain AF_INET or AF_INET6 (or any x32 syscall), fail it
    with EACCES; allow everything else.  Threads started later inherit it.
    """
    import ctypes
    import platform

    arch = _AUDIT_ARCH.get(platform.machine())
    if arch is None or not sys.platform.startswith("linux"):
        return False
    audit_arch, socket_nr = arch

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    ld, jeq, jset, ret = 0x20, 0x15, 0x45, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
    steps = [
        (ld, 0, 0, 4),  # A = arch
        (jeq, 0, 6, audit_arch),  # not ours: allow
        (ld, 0, 0, 0),  # A = syscall number
        (jset, 5, 0, 0x40000000),  # x32 ABI: deny
        (jeq, 0, 3, socket_nr),  # not socket(): allow
        (ld, 0, 0, 16),  # A = first argument (domain), low word
        (jeq, 2, 0, 2),  # AF_INET: deny
        (jeq, 1, 0, 10),  # AF_INET6: deny
        (ret, 0, 0, allow),
        (ret, 0, 0, deny),
    ]
    program = (Filter * len(steps))(*[Filter(*s) for s in steps])
    fprog = Program(len(steps), program)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER


def _worker_main() -> None:
    """Entry point of a worker: open the store, apply the limits, then answer frames until stdin closes."""
    config = json.loads(sys.argv[-1])
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr (discarded), never into the protocol
    watch_parent()
    try:
        import pyoxigraph as ox
        from rdflib.plugins.sparql import parser as _rdflib_parser  # noqa: F401

        from bilateral.graph.storage import query as _warm  # noqa: F401 - rdflib's parser, imported once

        store = ox.Store.read_only(config["store"])
        if not config["allow_service"]:
            forbid_network()
        _limit_memory(int(config["memory_mb"]))
    except Exception as exc:  # noqa: BLE001 - reported to the parent in one line
        _write_frame(answers, {"ready": False, "message": f"{type(exc).__name__}: {exc}"}, b"")
        return
    _write_frame(answers, {"ready": True}, b"")
    while True:
        try:
            request = _read_frame(requests)
        except (EOFError, OSError, ValueError):
            return
        try:
            answer = _answer(store, request.header, request.body.decode("utf-8"), config["allow_service"])
        except MemoryError:
            answer = Answer({"error": 500, "message": "the query ran out of memory (its worker's limit)"})
        _write_frame(answers, answer.header, answer.body)


def _answer(store, request: dict, sparql: str, allow_service: bool) -> Answer:
    """Check, run and serialise one query inside the worker; errors as {"error": HTTP status, "message"}."""
    from bilateral.graph.namespaces import PREFIXES
    from bilateral.graph.storage.query import check_query, syntax_error

    try:
        check_query(sparql, allow_service=allow_service and request.get("allow_service", False))
    except QueryRefused as exc:
        return Answer({"error": 403, "message": str(exc), "refused": exc.reason})
    except BadInput as exc:
        return Answer({"error": 400, "message": str(exc)})
    options: dict = {"prefixes": PREFIXES}
    if request.get("default_graphs") or request.get("named_graphs"):
        try:
            options.update(_dataset(request))
        except BadInput as exc:
            return Answer({"error": 400, "message": str(exc)})
        except ValueError as exc:
            return Answer({"error": 400, "message": f"bad graph IRI: {exc}"})
    else:
        options["use_default_graph_as_union"] = True
    try:
        results = store.query(sparql, **options)
        return _serialise(results, request)
    except SyntaxError as exc:
        return Answer({"error": 400, "message": str(syntax_error(exc, sparql))})
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return Answer({"error": 400, "message": f"query failed: {exc}"})


def _dataset(request: dict) -> dict:
    """The query options for a request's dataset (`default_graphs`, `named_graphs`: lists of IRIs).

    `definitions_graph`, when the request gives it, is the name under which
    the store's own default graph is offered (`bilateral serve` offers it as
    the graph that `publish` writes the default graph to), so a client
    reads a served store as it reads a published one.  It can be a default
    graph only: pyoxigraph has no way to query the default graph under a
    name, so naming it as a named graph is refused (BadInput; a malformed
    IRI is a ValueError).
    """
    import pyoxigraph as ox

    alias = request.get("definitions_graph")
    if alias and alias in request.get("named_graphs", []):
        raise BadInput(f"<{alias}> is this store's default graph: give it as default-graph-uri, not named-graph-uri")
    options: dict = {
        "default_graph": [
            ox.DefaultGraph() if g == alias else ox.NamedNode(g) for g in request.get("default_graphs", [])
        ]
    }
    if request.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    return options


def _serialise(results, request: dict) -> Answer:
    """Results in the format the request names (`formats`: [[media type, pyoxigraph format name], ...])."""
    import pyoxigraph as ox

    tabular = isinstance(results, (ox.QuerySolutions, ox.QueryBoolean))
    kind = "select" if isinstance(results, ox.QuerySolutions) else "ask" if tabular else "construct"
    offers = request["result_formats"] if tabular else request["graph_formats"]
    if not offers:
        return Answer({"error": 406, "message": "no acceptable format", "kind": kind})
    media, name = offers[0]
    fmt = getattr(ox.QueryResultsFormat, name) if tabular else getattr(ox.RdfFormat, name)
    body = results.serialize(format=fmt)
    return Answer({"kind": kind, "media": media}, body)
