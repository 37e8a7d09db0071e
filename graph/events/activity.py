"""An actor's coded events for its card: counts by year and its main counterparts (`show`).

The actor's side is the temperature's rule (graph/events/temperature.py):
the actor, the curated entities tied to it, and coded actors of it when it
is a state.  A counterpart is the other actor of an event, counted under the
state it belongs to when it is a coded sector ("Government (South Korea)"
counts for South Korea), so a state's card names states, not ministries.
Events inside the side (a state's ministry and its government) have no
counterpart and are left out.

Locally the numbers come from the imports' columnar table; behind
--endpoint from SPARQL aggregates on the server (graph/events/sparql_events.py).
Both produce the same rows, summed here by one function.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bilateral.graph.events.temperature import actor_label, coded_select, is_remote, load_table, side_mask, side_of

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["coded_activity"]


def coded_activity(store: Store, iri: str, *, top: int = 8) -> dict | None:
    """{total, by_year, counterparts} of the coded events `iri` took part in, or None when there are none."""
    members = side_of(store, iri)
    rows = _remote_rows(store, members) if is_remote(store) else _local_rows(store, members)
    if not rows:
        return None
    return _summary(store, rows, top)


def _remote_rows(store: Store, members: set[str]) -> list[dict]:
    from bilateral.graph.events.sparql_events import activity_rows

    return activity_rows(coded_select(store), members)


def _local_rows(store: Store, members: set[str]) -> list[dict]:
    """The same rows as activity_rows, from the columnar table: one per year, counterpart, role and type."""
    import numpy as np

    from bilateral.graph.events.cameo import cameo
    from bilateral.graph.events.imports import has_imports

    if store.data_dir is None or not has_imports(store.data_dir):
        return []
    table = load_table(store.data_dir)
    on_side = side_mask(table, members)
    agent, target = table.columns["agent"], table.columns["target"]
    years = table.columns["day"].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    tenths = np.array([round(t.goldstein * 10) for t in cameo().types], dtype=np.int64)
    rows: list[dict] = []
    for as_agent, mine, theirs in ((True, agent, target), (False, target, agent)):
        chosen = np.flatnonzero(on_side[mine] & ~on_side[theirs])
        groups: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        keys = years[chosen] * 10_000_000 + theirs[chosen]
        unique, inverse = np.unique(keys, return_inverse=True)
        counts = np.bincount(inverse, minlength=len(unique))
        sums = np.bincount(inverse, weights=tenths[table.columns["cameo"][chosen]], minlength=len(unique))
        for key, n, total in zip(unique.tolist(), counts.tolist(), sums.tolist()):
            groups[(key // 10_000_000, key % 10_000_000)] = [n, int(total)]
        for (year, other), (n, total) in groups.items():
            rows.append(
                {
                    "year": year,
                    "other": table.actor_iri[other],
                    "other_state": table.actor_state[other],
                    "as_agent": as_agent,
                    "events": n,
                    "goldstein_tenths": total,
                }
            )
    return rows


def _summary(store: Store, rows: list[dict], top: int) -> dict:
    """Yearly totals and the top counterparts (rolled up to their state) from activity rows."""
    years: dict[int, dict] = {}
    others: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        year = years.setdefault(row["year"], {"year": row["year"], "events": 0, "as_agent": 0, "as_target": 0, "_g": 0})
        year["events"] += row["events"]
        year["as_agent" if row["as_agent"] else "as_target"] += row["events"]
        year["_g"] += row["goldstein_tenths"]
        counted = others[row["other_state"] or row["other"]]
        counted[0] += row["events"]
        counted[1] += row["goldstein_tenths"]
    by_year = []
    for year in sorted(years.values(), key=lambda y: y["year"]):
        tenths = year.pop("_g")
        by_year.append({**year, "goldstein_mean": round(tenths / 10 / year["events"], 3)})
    ranked = sorted(others.items(), key=lambda item: (-item[1][0], item[0]))[:top]
    return {
        "total": sum(y["events"] for y in by_year),
        "by_year": by_year,
        "counterparts": [
            {"iri": iri, "label": actor_label(store, iri), "events": n, "goldstein_mean": round(g / 10 / n, 3)}
            for iri, (n, g) in ranked
        ],
    }
