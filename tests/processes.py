"""Watching processes from tests: is a pid alive, how many threads does it run, wait until something holds.

Shared by the hardening tests that kill builds, workers and servers: a test
waits on a condition it can observe (a thread started, a process gone),
never for a fixed time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["alive", "eventually", "thread_count"]


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def thread_count(pid: int) -> int:
    """How many threads `pid` runs now (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("Threads:")), 0)


def eventually(condition: Callable[[], object], timeout: float = 30.0, what: str = "the condition") -> None:
    """Return as soon as `condition()` is true; fail the test naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.05)
