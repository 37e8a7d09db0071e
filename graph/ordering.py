"""The one ordering rule for timeline, chain and asof.

Things come by the start of their period (a month-precision event starts on
the first of its month, a bounded one at its lower bound, or at its upper
bound when that is all there is); what answers comes after what it answers
(bl:respondsTo and its sub-properties), even when its period starts earlier,
as a month-precision reaction to a day in that month does; remaining ties go
by label, then IRI.  Undated things come last.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Callable, Iterable

__all__ = ["in_order"]


def in_order(
    items: Iterable[str],
    start_of: Callable[[str], _dt.date | None],
    label_of: Callable[[str], str],
    answered_by: dict[str, set[str]] | None = None,
) -> list[str]:
    """`items` (IRIs) in the ordering rule's order.

    `answered_by[a]` is the set of items that `a` answers; an answer is never
    placed before what it answers.  A topological sort (Kahn's algorithm)
    always taking the free item that starts first; a cycle in the links is
    broken at its earliest item.

    >>> starts = {"a": _dt.date(2019, 11, 22), "b": _dt.date(2019, 11, 1), "c": _dt.date(2019, 11, 15)}
    >>> in_order(starts, starts.get, str, {"b": {"a"}})
    ['c', 'a', 'b']
    """
    chosen = list(dict.fromkeys(items))
    members = set(chosen)
    waiting = {i: {a for a in (answered_by or {}).get(i, ()) if a in members and a != i} for i in chosen}
    followers: dict[str, list[str]] = {}
    for item, answered in waiting.items():
        for a in answered:
            followers.setdefault(a, []).append(item)

    def key(iri: str) -> tuple[bool, _dt.date, str, str]:
        start = start_of(iri)
        return (start is None, start or _dt.date.max, label_of(iri), iri)

    ready = [key(i) for i, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    done: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < len(chosen):
        if not ready:  # a cycle: release the earliest remaining item
            heapq.heappush(ready, min(key(i) for i in chosen if i not in done))
        iri = heapq.heappop(ready)[-1]
        if iri in done:
            continue
        done.add(iri)
        ordered.append(iri)
        for other in followers.get(iri, ()):
            waiting[other].discard(iri)
            if not waiting[other] and other not in done:
                heapq.heappush(ready, key(other))
    return ordered
