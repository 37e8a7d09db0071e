"""Meaningful paths between two entities (`bilateral path`), over the NetworkX projection.

"Meaningful" means a path does not run through Japan just because
everything touches Japan: each node costs more the more of a hub it is
(states always count as hubs), so the cheapest paths go through specific
events, positions and accords.  Response links (what answered what) cost
least and unsourced links (definitions) most, so paths prefer explanations
that a document asserts.  `k` distinct simple paths come from
networkx's shortest_simple_paths (Yen's algorithm) on an undirected view;
each hop then reports the relation, which way it points, the date of the
event it passes, and the sources asserting it.
"""

from __future__ import annotations

import math
from itertools import pairwise

from bilateral.graph.dates import format_date
from bilateral.graph.errors import BadInput, NoPath
from bilateral.graph.namespaces import BL
from bilateral.graph.storage.store import pause_gc
from bilateral.graph.vocabulary import RESPONDS_TO, vocabulary

__all__ = ["PROFILES", "RELATION_GROUPS", "find_paths", "node_cost"]

#: Names accepted by --relations that stand for several predicates: each group is a property and
#: its sub-properties in the ontology (graph/vocabulary.py).
RELATION_GROUPS = {
    "responses": RESPONDS_TO,
    "response": RESPONDS_TO,
    "mediation": BL + "mediator",
    "participation": BL + "participant",
}

#: Named profiles for --relations: which kinds of entity may stand between the two ends.
#: `substance` (the default) keeps persons, offices and sources out: between two issues the path runs
#: through what connects the issues (events, positions, proposals, interpretations, response links),
#: not through someone who took part in two meetings or wrote an interpretation.  `actors` lets persons
#: and offices bridge; `all` lets anything bridge (the graph as it is).
PROFILES = {
    "substance": {"Person", "Office", "Source", "Document"},
    "actors": {"Source", "Document"},
    "all": set(),
}


def node_cost(graph, node: str, mean_degree: float) -> float:
    """The extra cost of passing through `node`: states heavily, non-event hubs by log of degree, all a little by degree."""
    data = graph.nodes[node]
    cost = 0.0
    if "State" in data.get("types", []):
        cost += 12.0
    degree = graph.degree(node)
    cost += 0.05 * degree  # among equals, the more specific (less connected) node explains more
    if degree > 2 * mean_degree and not vocabulary().is_event(data.get("types", [])):
        # An issue, actor or office touched by everything is a hub; an event with many
        # responses is a junction of the story, so it pays only the small degree cost.
        cost += 2.0 * math.log2(degree / mean_degree)
    return cost


def _edge_base(data: dict) -> float:
    """The cost of one relation: response links are cheapest (they explain), definitions dearest.

    An edge no source asserts (the curated issue hierarchy, entity
    definitions) costs more, so the cheapest paths are the cited ones.
    """
    if data.get("interpreted"):
        return 1.2  # a response link a document only hedges or attributes: an explanation, but a weaker one
    if data["predicate"] in vocabulary().response_predicates:
        return 0.6
    if not data.get("sources"):
        return 4.0
    return 1.0


def _weighted(store, full, allowed: set[str] | None, variant: str = "linked"):
    """The undirected weighted graph that paths are searched on.

    Without a --relations filter it is the same for every search, so it is
    kept with the store's other derived values (memory and disk, invalidated
    with the store); --avoid is applied as a view over it.
    """
    if allowed is None:
        name = "path-weights" if variant == "linked" else f"path-weights-{variant}"
        return store.cached(name, lambda: _weigh(full, None))
    return _weigh(full, allowed)


def _weigh(full, allowed: set[str] | None):
    """One edge per joined pair, weighted by the relation and the cost of both ends (node_cost)."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(full.nodes)
    degrees = [d for _, d in full.degree()]
    mean_degree = max(1.0, sum(degrees) / max(1, len(degrees)))
    cost = {n: node_cost(full, n, mean_degree) for n in full.nodes}
    for u, v, data in full.edges(data=True):
        if allowed is not None and data["predicate"] not in allowed:
            continue
        weight = _edge_base(data) + (cost[u] + cost[v]) / 2
        if not simple.has_edge(u, v) or simple[u][v]["weight"] > weight:
            simple.add_edge(u, v, weight=weight)
    return simple


def _predicates(relations: list[str] | None, index_labels: dict[str, str]) -> set[str] | None:
    if not relations:
        return None
    chosen: set[str] = set()
    by_name = {}
    for iri, label in index_labels.items():
        by_name[label.casefold().replace(" ", "")] = iri
        by_name[iri.rsplit("#", 1)[-1].casefold()] = iri
    for name in relations:
        for part in name.split(","):
            key = part.strip().casefold().replace(" ", "")
            if not key:
                continue
            if key in PROFILES:
                continue  # a profile says which entities may bridge, not which relations (see _profile)
            if key in RELATION_GROUPS:
                chosen |= vocabulary().subproperties(RELATION_GROUPS[key])
            elif key in by_name:
                chosen.add(by_name[key])
            else:
                known = sorted(set(RELATION_GROUPS) | set(PROFILES) | {k for k in by_name if not k.startswith("http")})
                raise BadInput(f"unknown relation {part.strip()!r}; choose from {', '.join(known)}")
    return chosen or None


def _profile(relations: list[str] | None) -> set[str]:
    """The classes that may not stand between the ends, from the profile named in --relations (default substance)."""
    named = [
        part.strip().casefold()
        for name in relations or []
        for part in name.split(",")
        if part.strip().casefold() in PROFILES
    ]
    if len(set(named)) > 1:
        raise BadInput(f"choose one profile of {', '.join(PROFILES)}, not {' and '.join(sorted(set(named)))}")
    return PROFILES[named[0] if named else "substance"]


def _barred(full, excluded_types: set[str], keep: set[str]) -> set[str]:
    """Nodes of the excluded classes (not the ends or via points): they may not bridge."""
    if not excluded_types:
        return set()
    return {n for n, d in full.nodes(data=True) if n not in keep and excluded_types & set(d.get("types", []))}


def _legs(simple, stops: list[str], k: int, max_hops: int | None) -> list[list[str]]:
    """Up to k loop-free paths through `stops` in order, each leg searched with earlier legs' nodes removed.

    For each of the first leg's k cheapest paths, every later leg takes its
    cheapest path that avoids the nodes already used; the combinations are
    ranked by total cost.  Exact for one leg; for several it is the best path
    given the first leg, found with k + (legs - 1) searches instead of
    filtering thousands of unconstrained candidates.
    """
    import networkx as nx

    def cost(nodes: list[str]) -> float:
        return sum(simple[a][b]["weight"] for a, b in pairwise(nodes))

    def rest(path: list[str]) -> list[str] | None:
        for a, b in pairwise(stops[1:]):
            used = set(path) - {a}
            if b in used:
                return None
            view = nx.restricted_view(simple, used, [])
            try:
                leg = nx.shortest_path(view, a, b, weight="weight")
            except nx.NetworkXNoPath:
                return None
            path = path + leg[1:]
        return path

    found: list[list[str]] = []
    first_avoid = set(stops[2:])  # the first leg may not pass through a later stop
    view = nx.restricted_view(simple, first_avoid, []) if first_avoid else simple
    try:
        for count, first in enumerate(nx.shortest_simple_paths(view, stops[0], stops[1], weight="weight")):
            # Yen's yields paths by cost, not length: with --max-hops, look further for shorter ones
            if count >= (200 if max_hops else max(4 * k, 20)) or len(found) >= (k if len(stops) == 2 else 2 * k):
                break
            whole = rest(first)
            if whole is None or (max_hops is not None and len(whole) - 1 > max_hops):
                continue
            found.append(whole)
    except nx.NetworkXNoPath:
        pass
    unique = {tuple(p): p for p in found}
    return sorted(unique.values(), key=lambda p: (cost(p), p))[:k]


@pause_gc()  # the search allocates heavily over a large, long-lived graph (see pause_gc)
def find_paths(
    store,
    source: str,
    target: str,
    *,
    k: int = 3,
    max_hops: int | None = None,
    via: list[str] | None = None,
    avoid: list[str] | None = None,
    relations: list[str] | None = None,
    asserted_only: bool = False,
) -> dict:
    """The k cheapest simple paths from `source` to `target` (IRIs), in the contract shape.

    A link that a document only hedges or attributes (graph/explore/interpreted.py)
    is one hop marked `interpreted` with `according_to`; `asserted_only` leaves such links out.

    Raises BadInput for a path from an entity to itself or a bad option, and
    NoPath (exit 1) when nothing joins them under the constraints.
    """
    import networkx as nx

    from bilateral.graph.explore.interpreted import linked_projection
    from bilateral.graph.labels import label_index

    via, avoid = list(via or []), list(avoid or [])
    _check(source, target, k, max_hops, avoid)
    index = label_index(store)
    full = linked_projection(store, asserted_only=asserted_only)
    for iri in [source, target, *via]:
        if iri not in full:
            raise NoPath(f"{index.label(iri)} is not connected to anything in the graph")
    allowed = None
    if relations:  # the relation names in use are only needed to read --relations (a pass over every edge)
        allowed = _predicates(relations, {d["predicate"]: d["label"] for _, _, d in full.edges(data=True)})

    simple = _weighted(store, full, allowed, "asserted" if asserted_only else "linked")
    removed = set(avoid) | _barred(full, _profile(relations), {source, target, *via})
    if removed:  # --avoid and the profile remove nodes before the search, not paths after it
        simple = nx.restricted_view(simple, removed, [])
    found = _legs(simple, [source, *via, target], k, max_hops)
    if not found:
        raise NoPath(
            f"no path from {index.label(source)} to {index.label(target)}"
            + (" under these constraints" if (via or avoid or relations or max_hops) else "")
        )
    return {
        "from": {"iri": source, "label": index.label(source)},
        "to": {"iri": target, "label": index.label(target)},
        "paths": [_explain(full, nodes, allowed, simple) for nodes in found],
    }


def _check(source: str, target: str, k: int, max_hops: int | None, avoid: list[str]) -> None:
    """BadInput for a search that cannot mean anything: a path to itself, no paths asked, an end avoided."""
    if source == target:
        raise BadInput("a path needs two different entities")
    if k < 1:
        raise BadInput("-k must be at least 1")
    if max_hops is not None and max_hops < 1:
        raise BadInput("--max-hops must be at least 1")
    if source in avoid or target in avoid:
        raise BadInput("cannot avoid an end of the path")


def _explain(full, nodes: list[str], allowed: set[str] | None, simple) -> dict:
    """Turn a node sequence into hops: the relation, its direction, its date and sources."""
    hops = []
    total = 0.0
    for u, v in pairwise(nodes):
        total += simple[u][v]["weight"]
        candidates = []
        for a, b, direction in ((u, v, "forward"), (v, u, "backward")):
            for _, data in full.get_edge_data(a, b, default={}).items():
                if allowed is None or data["predicate"] in allowed:
                    candidates.append((data, direction))
        data, direction = max(
            candidates,
            key=lambda c: (
                not c[0].get("interpreted"),
                c[0]["predicate"] in vocabulary().response_predicates,
                len(c[0]["sources"]),
            ),
        )
        hop = {
            "from": _node(full, u),
            "relation": data["label"],
            "relation_iri": data["predicate"],
            "to": _node(full, v),
            "direction": direction,
            "sources": list(data["sources"]),
        }
        if data.get("interpreted"):  # a hedged or attributed link: whose reading, per graph/explore/interpreted.py
            hop.update(interpreted=True, according_to=data["according_to"], holders=data["holders"])
            hop["interpretation"] = data["interpretation"]
        for end in (v, u):  # the date of the event this hop passes, the later end first
            node = full.nodes[end]
            if node.get("date") and vocabulary().is_event(node.get("types", [])):
                hop["date"] = format_date(node["date"], node.get("precision", "day"))
                break
        hops.append(hop)
    return {"length": len(hops), "cost": round(total, 2), "hops": hops}


def _node(full, iri: str) -> dict:
    data = full.nodes[iri]
    return {"iri": iri, "label": data.get("label", iri), "types": data.get("types", [])}
