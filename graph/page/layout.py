"""Seeded positions for the explorer page, computed in Python so the browser has no physics to settle.

Each connected component is laid out by a force layout started from a
pivot-MDS embedding of graph distances, and the components are packed side
by side.  The force layout is vectorised with numpy: repulsion is exact
between nodes in neighbouring grid cells and goes through each far cell's
centre of mass (a one-level Barnes–Hut), springs and gravity are array
operations.  Seeded and summed in a fixed order, so the same graph always
draws the same way, in every process.

Measured on the project's 2-core machine (CPU time, one process, December
2026): the shipped graph (539 entities) lays out in 0.6 s, a random graph of
3,000 nodes and 9,000 edges in 1.5 s, the folded 3,000-entity bench page
(643 drawn nodes) in 1.3 s.  The pure-Python version this replaced took
3–5 s and 17–36 s.  `bilateral build` lays out the whole graph once and the
page data is cached with the store (graph/page/rendering.py `prepare`), so a
render usually pays none of this.  `make bench` reports the renders end to
end (docs/benchmarks.md, "Render speed").
"""

from __future__ import annotations

import math

__all__ = ["layout", "node_size"]


def node_size(degree: int) -> float:
    """The drawn radius of a node with `degree` relations: importance shows as size.

    >>> node_size(0), node_size(100)
    (7.0, 43.0)
    """
    return 7.0 + 3.6 * math.sqrt(degree)


def _distances(adjacency: list[list[int]], lengths: list[dict[int, float]], source: int) -> list[float]:
    """Shortest weighted distances from `source` (Dijkstra)."""
    import heapq

    dist = [math.inf] * len(adjacency)
    dist[source] = 0.0
    queue = [(0.0, source)]
    while queue:
        d, u = heapq.heappop(queue)
        if d > dist[u]:
            continue
        for v in adjacency[u]:
            nd = d + lengths[u][v]
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(queue, (nd, v))
    return dist


def _pivot_mds(adjacency: list[list[int]], lengths: list[dict[int, float]], pivots: int = 40):
    """A classical-MDS embedding of graph distances through k pivots (Brandes & Pich 2006), as an n×2 array."""
    import numpy as np

    n = len(adjacency)
    pivots = min(pivots, max(12, 40_000 // n))  # distances cost k Dijkstra runs; a dozen pivots place a large graph
    chosen = max(range(n), key=lambda i: (len(adjacency[i]), -i))
    columns: list[np.ndarray] = []
    nearest = np.full(n, np.inf)
    while len(columns) < min(pivots, n):
        dist = np.asarray(_distances(adjacency, lengths, chosen))
        columns.append(dist * dist)
        nearest = np.minimum(nearest, dist)
        chosen = int(np.argmax(nearest))  # the first of the farthest: ties break by index
        if nearest[chosen] == 0:
            break
    squared = np.array(columns)  # k × n
    centred = -0.5 * (squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean())
    values, vectors = np.linalg.eigh(centred @ centred.T)
    top = vectors[:, np.argsort(values)[::-1][:2]]
    if top.shape[1] < 2:
        top = np.hstack([top, np.zeros((top.shape[0], 2 - top.shape[1]))])
    top = top * np.where(top[np.abs(top).argmax(axis=0), [0, 1]] < 0, -1.0, 1.0)  # a fixed sign per axis
    return centred.T @ top


_FAR_EVERY = 4  # far forces are recomputed every 4th step and reused between: they change slowly
_SHIFT = 1 << 21  # cell coordinates pack into one integer key: x * _SHIFT + y (|cell| < 2**20)


def _near_pairs(key, order, keys, first, counts):
    """Every (i, j) with j in one of the 3×3 cells around i's cell, i != j: index arrays."""
    import numpy as np

    found_i, found_j = [], []
    for offset in (dx * _SHIFT + dy for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
        wanted = key + offset
        at = np.searchsorted(keys, wanted)
        hit = at < len(keys)
        hit[hit] = keys[at[hit]] == wanted[hit]
        nodes, cells = np.nonzero(hit)[0], at[hit]
        sizes = counts[cells]
        rows = np.repeat(nodes, sizes)
        within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        found_i.append(rows)
        found_j.append(order[np.repeat(first[cells], sizes) + within])
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    keep = i != j
    return i[keep], j[keep]


def _repulsion(pos, weights, radii, length, rng, far_force=None):
    """Repulsive forces: returns (total, far part).

    Exact from nodes in the 3×3 neighbouring cells (×6 where two would
    overlap), through the centre of mass of every farther cell.  A given
    `far_force` (from an earlier step: far forces change slowly) is reused
    instead of recomputed.
    """
    import numpy as np

    n = len(pos)
    k2 = length * length
    # cells of 3 spring lengths, smaller where the drawing is crowded (about four nodes a cell)
    span = float(np.ptp(pos, axis=0).max()) or length
    cells = np.floor(pos / min(3.0 * length, max(0.5 * length, 2.0 * span / math.sqrt(n)))).astype(np.int64)
    key = (cells[:, 0] + (1 << 20)) * _SHIFT + (cells[:, 1] + (1 << 20))
    order = np.argsort(key, kind="stable")
    keys, first, counts = np.unique(key[order], return_index=True, return_counts=True)
    if far_force is None:
        far_force = _far(pos, weights, key, keys, k2)
    force = far_force.copy()
    i, j = _near_pairs(key, order, keys, first, counts)
    d = pos[i] - pos[j]
    d2 = (d * d).sum(1)
    close = d2 < 1e-4
    if close.any():
        d[close] = rng.uniform(-1, 1, size=(int(close.sum()), 2))
        d2[close] = 1.0
    f = k2 * weights[i] * weights[j] / d2
    f = np.where(d2 < (radii[i] + 4.0 + radii[j]) ** 2, 6.0 * f, f)
    for a in (0, 1):
        force[:, a] += np.bincount(i, weights=d[:, a] * f, minlength=n)
    return force, far_force


def _far(pos, weights, key, keys, k2):
    """Repulsion through the centre of mass of each cell outside a node's 3×3 neighbourhood (in float32)."""
    import numpy as np

    which = np.searchsorted(keys, key)
    mass = np.bincount(which, weights=weights, minlength=len(keys))
    centre = np.stack([np.bincount(which, weights=weights * pos[:, a], minlength=len(keys)) for a in (0, 1)], 1)
    centre = (centre / mass[:, None]).astype(np.float32)
    gx = pos[:, 0, None].astype(np.float32) - centre[None, :, 0]
    gy = pos[:, 1, None].astype(np.float32) - centre[None, :, 1]
    near = (np.abs(keys // _SHIFT - (key // _SHIFT)[:, None]) <= 1) & (
        np.abs(keys % _SHIFT - (key % _SHIFT)[:, None]) <= 1
    )
    strength = (k2 * mass).astype(np.float32)[None, :] / np.maximum(gx * gx + gy * gy, np.float32(1e-9))
    strength[near] = 0
    strength *= weights.astype(np.float32)[:, None]
    return np.stack([(gx * strength).sum(1), (gy * strength).sum(1)], 1).astype(float)


def _force(edges, ideal, start, weights, radii, pinned, length: float, iterations: int, seed: int = 7):
    """Fruchterman–Reingold refinement; arrays in, an n×2 array out.

    Springs of per-edge ideal lengths; repulsion (see `_repulsion`); heavier
    nodes push harder; a little gravity; a cooling step limit.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = start.astype(float).copy()
    n = len(pos)
    u, v = edges[:, 0], edges[:, 1]
    free = ~pinned
    far = None
    for step in range(iterations):
        temperature = length * (1.5 * (1 - step / iterations) + 0.05)
        force, far = _repulsion(pos, weights, radii, length, rng, None if step % _FAR_EVERY == 0 else far)
        d = pos[u] - pos[v]
        pull = d * (np.sqrt((d * d).sum(1)) / ideal)[:, None]
        for a in (0, 1):
            force[:, a] -= np.bincount(u, weights=pull[:, a], minlength=n)
            force[:, a] += np.bincount(v, weights=pull[:, a], minlength=n)
        force -= (pos - pos.mean(0)) * 0.1 * weights[:, None]
        size = np.sqrt((force * force).sum(1))
        force *= np.where(size > temperature, temperature / np.maximum(size, 1e-12), 1.0)[:, None]
        pos[free] += force[free]
    return pos


def _component_layout(
    nodes: list[str], adjacency: list[list[int]], fixed: dict[int, tuple[float, float]], length: float
) -> list[tuple[float, float]]:
    import numpy as np

    n = len(nodes)
    if n == 1:
        return [fixed.get(0, (0.0, 0.0))]
    # springs measure the gap between two nodes' rims, so hubs get long spokes and room for their neighbours
    degree = np.array([len(a) for a in adjacency], dtype=float)
    radii = 7.0 + 3.6 * np.sqrt(degree)
    lengths = [{v: 0.8 * length + 1.2 * (radii[u] + radii[v]) for v in adjacency[u]} for u in range(n)]
    edges = np.array([(u, v) for u in range(n) for v in adjacency[u] if u < v], dtype=np.int64).reshape(-1, 2)
    ideal = 0.8 * length + 1.2 * (radii[edges[:, 0]] + radii[edges[:, 1]])
    start = _pivot_mds(adjacency, lengths)
    spans = np.sqrt(((start[edges[:, 0]] - start[edges[:, 1]]) ** 2).sum(1)) / ideal
    start = start * (len(spans) / spans.sum() if spans.sum() else 1.0)
    pinned = np.zeros(n, dtype=bool)
    if fixed:
        at = np.array(sorted(fixed))
        goal = np.array([fixed[i] for i in at], dtype=float)
        start = start - start[at].mean(0) + goal.mean(0)
        start[at] = goal
        pinned[at] = True
    weights = 1.0 + np.sqrt(degree) / 2
    iterations = 100 if n <= 800 else 60 if n <= 2500 else 30
    pos = _force(edges, ideal, start, weights, radii, pinned, length, iterations)
    return [(float(a), float(b)) for a, b in pos]


def layout(
    graph, *, fixed: dict[str, tuple[float, float]] | None = None, length: float = 45.0
) -> dict[str, tuple[float, float]]:
    """Seeded positions for every node of `graph` (any networkx graph): same graph, same drawing.

    Each connected component is laid out on its own; the largest sits at the
    centre and the others are packed in rows beneath it, isolated entities
    last.  Nodes in `fixed` keep the given positions.
    """
    import networkx as nx

    fixed = fixed or {}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed: dict[str, tuple[float, float]] = {}
    blocks = []
    for members in components:
        position = {node: i for i, node in enumerate(members)}
        adjacency = [sorted(position[v] for v in simple[node]) for node in members]
        pins = {position[node]: fixed[node] for node in members if node in fixed}
        coords = _component_layout(members, adjacency, pins, length)
        blocks.append((members, coords, bool(pins)))
    if not blocks:
        return placed
    # the first block (largest, or holding the pinned nodes) stays where it is; the rest go in rows below
    blocks.sort(key=lambda b: (not b[2], -len(b[0])))
    members, coords, _ = blocks[0]
    placed.update(zip(members, coords))
    left = min(p[0] for p in coords)
    right = max(p[0] for p in coords)
    width = max(right - left, 12 * length)
    cursor_x, cursor_y, row_height = left, max(p[1] for p in coords) + 2 * length, 0.0
    for members, coords, _ in blocks[1:]:
        x0, x1 = min(p[0] for p in coords), max(p[0] for p in coords)
        y0, y1 = min(p[1] for p in coords), max(p[1] for p in coords)
        w, h = x1 - x0 + length, y1 - y0 + length
        if cursor_x + w > left + width and cursor_x > left:
            cursor_x, cursor_y, row_height = left, cursor_y + row_height, 0.0
        for node, (a, b) in zip(members, coords):
            placed[node] = (a - x0 + cursor_x, b - y0 + cursor_y)
        cursor_x += w
        row_height = max(row_height, h)
    return placed
