"""Aggregation for large views: many events become a few clusters, so a big page still opens in seconds.

Above `limit` entities a page stops being readable and a browser slows
down, so `aggregate` folds the numerous, leaf-like entities (events,
positions, observations, proposals) into cluster nodes, coarser and
coarser until the view fits:

1. by class, issue and year ("Meeting · Export controls · 2019");
2. by class and year;
3. by class alone, for every entity kind but states, issues and accords.

Edges to and between clusters are merged: one edge per (end, end,
predicate) with a `count` and the union of their sources.  A cluster node
has type "Cluster", a label saying what it holds and how many, its date
span, and `members` (IRIs), so the page can list them and the analyst can
re-render with --around.
"""

from __future__ import annotations

from bilateral.graph.namespaces import BL
from bilateral.graph.vocabulary import EVENT, vocabulary

__all__ = ["CLUSTER_PREFIX", "aggregate", "foldable", "kept"]


def foldable() -> frozenset[str]:
    """Kinds of entity that fold into clusters first (most numerous, least individually telling), sub-classes included."""
    return vocabulary().kinds_of(EVENT, BL + "Position", BL + "Proposal", BL + "Observation")


def kept() -> frozenset[str]:
    """Kinds that are never folded: the frame of the story."""
    return vocabulary().kinds_of(BL + "State", BL + "Issue", BL + "Accord")


CLUSTER_PREFIX = "urn:x-bilateral:cluster:"


def _kind(data: dict) -> str:
    return data.get("type") or (data.get("types") or ["Thing"])[0]


def _year(data: dict) -> str:
    return str(data.get("date", ""))[:4] or "undated"


def _main_issue(graph, node: str, degree: dict[str, int]) -> str | None:
    """The issue a node concerns that is most connected in the view (None when it concerns none).

    `degree` is the view's degree of each node, worked out once (a MultiDiGraph counts it anew on each call).
    """
    issues = [o for o in graph.successors(node) if graph.nodes[o].get("type") == "Issue"]
    return max(issues, key=lambda i: (degree[i], i)) if issues else None


def _keys(graph, level: int) -> dict[str, tuple]:
    keys: dict[str, tuple[str, str | None, str | None]] = {}
    folding, keeping = foldable(), kept()
    degree = dict(graph.degree()) if level == 1 else {}
    for node, data in graph.nodes(data=True):
        kind = data.get("kind") or _kind(data)  # a cluster folds again under its members' kind
        if level == 1 and data.get("type") == "Cluster":
            continue
        if level == 1 and kind in folding:
            keys[node] = (kind, _main_issue(graph, node, degree), _year(data))
        elif level == 2 and kind in folding:
            keys[node] = (kind, None, _year(data))
        elif level == 3 and kind not in keeping:
            keys[node] = (kind, None, None)
    return keys


def _fold(graph, keys: dict[str, tuple]):
    """A new graph where each group of nodes sharing a key (2 or more) becomes one cluster."""
    import networkx as nx

    groups: dict[tuple, list[str]] = {}
    for node, key in keys.items():
        groups.setdefault(key, []).append(node)
    target: dict[str, str] = {}
    folded = nx.MultiDiGraph()
    for key, members in groups.items():
        if len(members) < 2:
            continue
        kind, issue, year = key
        cluster = CLUSTER_PREFIX + ":".join(str(k or "-") for k in (kind, issue and issue.rsplit("/", 1)[-1], year))
        about = [f"{len(members)} × {kind}"]
        if issue:
            about.append(graph.nodes[issue].get("label", issue))
        if year:
            about.append(year)
        dates = sorted(str(graph.nodes[m]["date"])[:10] for m in members if graph.nodes[m].get("date"))
        member_iris = [iri for m in members for iri in (graph.nodes[m].get("members") or [m])]
        folded.add_node(
            cluster,
            label=" · ".join(about),
            types=["Cluster"],
            type="Cluster",
            kind=kind,
            members=sorted(member_iris),
            size=len(member_iris),
            description=f"{len(member_iris)} {kind} entities folded together; render --around one of them to see each",
            **({"date": dates[0], "end": dates[-1], "precision": "day"} if dates else {}),
        )
        for m in members:
            target[m] = cluster
    for node, data in graph.nodes(data=True):
        if node not in target:
            folded.add_node(node, **data)
            target[node] = node
    merged: dict[tuple[str, str, str], dict] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        a, b = target[u], target[v]
        if a == b:
            continue
        entry = merged.get((a, b, key))
        if entry is None:  # (setdefault would copy every edge's attributes only to throw most copies away)
            entry = merged[(a, b, key)] = {**data, "count": 0, "sources": set(), "source_iris": set()}
        entry["count"] += data.get("count", 1)
        entry["sources"].update(data.get("sources", []))
        entry["source_iris"].update(data.get("source_iris", []))
    for (source, target_node, edge_key), data in merged.items():
        data["sources"] = sorted(data["sources"])
        data["source_iris"] = sorted(data["source_iris"])
        if data["count"] > 1:
            data["label"] = f"{data.get('label', '')} ×{data['count']}"
        folded.add_edge(source, target_node, key=edge_key, **data)
    return folded


def aggregate(graph, limit: int):
    """Fold `graph` (a MultiDiGraph of the projection's shape) until it has at most `limit` nodes, if it can.

    Returns (graph, note): the folded graph (or the same one when it already
    fits) and a sentence saying what was folded, or None.
    """
    if graph.number_of_nodes() <= limit:
        return graph, None
    before = graph.number_of_nodes()
    level = 0
    for level in (1, 2, 3):
        graph = _fold(graph, _keys(graph, level))
        if graph.number_of_nodes() <= limit:
            break
    clusters = sum(1 for _, d in graph.nodes(data=True) if d.get("type") == "Cluster")
    return graph, (
        f"{before} entities shown as {graph.number_of_nodes()}: {clusters} clusters "
        f"(level {level}: " + {1: "by class, issue and year", 2: "by class and year", 3: "by class"}[level] + ")"
    )
