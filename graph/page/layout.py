"""Seeded positions for the explorer page, computed in Python so the browser has no physics to settle.

Each connected component is laid out by a force layout started from a
pivot-MDS embedding of graph distances, and the components are packed side
by side.  Pure Python, so no numpy is needed; seeded, so the same graph
always draws the same way.  (networkx's spring_layout needs numpy and
scipy and starts from random positions; a pivot-MDS start converges in far
fewer iterations, which is what lets 3,000 nodes lay out in about a second.)
"""

from __future__ import annotations

import math
import random
from operator import mul

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


def _pivot_mds(
    adjacency: list[list[int]], lengths: list[dict[int, float]], pivots: int = 40
) -> list[tuple[float, float]]:
    """A classical-MDS embedding of graph distances through k pivots (Brandes & Pich 2006)."""
    n = len(adjacency)
    chosen = [max(range(n), key=lambda i: (len(adjacency[i]), -i))]
    columns = []
    nearest = [math.inf] * n
    while len(columns) < min(pivots, n):
        dist = _distances(adjacency, lengths, chosen[-1])
        columns.append([d * d for d in dist])
        nearest = [min(a, b) for a, b in zip(nearest, dist)]
        following = max(range(n), key=lambda i: (nearest[i], -i))
        if nearest[following] == 0:
            break
        chosen.append(following)
    k = len(columns)
    column_means = [sum(c) / n for c in columns]
    row_means = [sum(c[i] for c in columns) / k for i in range(n)]
    grand = sum(column_means) / k
    centred = [[-0.5 * (c[i] - row_means[i] - cm + grand) for i in range(n)] for c, cm in zip(columns, column_means)]
    square = [[sum(map(mul, a, b)) for b in centred] for a in centred]
    vectors: list[list[float]] = []
    for number in range(2):
        v = [1.0 + ((i * 7 + number * 3) % 5) / 10 for i in range(k)]
        for _ in range(60):
            w = [sum(map(mul, row, v)) for row in square]
            for u in vectors:
                d = sum(map(mul, w, u))
                w = [a - d * b for a, b in zip(w, u)]
            norm = math.sqrt(sum(a * a for a in w)) or 1.0
            v = [a / norm for a in w]
        vectors.append(v)
    xs = [sum(centred[j][i] * vectors[0][j] for j in range(k)) for i in range(n)]
    ys = [sum(centred[j][i] * vectors[1][j] for j in range(k)) for i in range(n)]
    return list(zip(xs, ys))


def _force(
    adjacency: list[list[int]],
    lengths: list[dict[int, float]],
    start: list[tuple[float, float]],
    weights: list[float],
    radii: list[float],
    pinned: set[int],
    length: float,
    iterations: int,
    seed: int = 7,
) -> list[tuple[float, float]]:
    """Fruchterman–Reingold refinement.

    Springs of per-edge ideal lengths; repulsion exact between
    nearby nodes (much stronger where two would overlap) and through cell centres of mass beyond;
    heavier nodes push harder; a little gravity; a cooling step limit.
    """
    rng = random.Random(seed)
    n = len(adjacency)
    x = [p[0] for p in start]
    y = [p[1] for p in start]
    edges = [(u, v, lengths[u][v]) for u in range(n) for v in adjacency[u] if u < v]
    cell = 3.0 * length
    gravity = 0.1
    k2 = length * length
    for step in range(iterations):
        temperature = length * (1.5 * (1 - step / iterations) + 0.05)
        fx = [0.0] * n
        fy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = {}
        for i in range(n):
            grid.setdefault((int(x[i] // cell), int(y[i] // cell)), []).append(i)
        # far cells act through their centre of mass (a one-level Barnes–Hut)
        masses = {}
        for key, members in grid.items():
            m = sum(weights[j] for j in members)
            masses[key] = (sum(x[j] * weights[j] for j in members) / m, sum(y[j] * weights[j] for j in members) / m, m)
        for (cx, cy), members in grid.items():
            near = [j for ox in (-1, 0, 1) for oy in (-1, 0, 1) for j in grid.get((cx + ox, cy + oy), ())]
            far = [c for key, c in masses.items() if abs(key[0] - cx) > 1 or abs(key[1] - cy) > 1]
            for i in members:
                xi, yi, wi, ri = x[i], y[i], weights[i], radii[i] + 4.0
                ax = ay = 0.0
                for mx, my, m in far:
                    dx = xi - mx
                    dy = yi - my
                    f = k2 * wi * m / (dx * dx + dy * dy)
                    ax += dx * f
                    ay += dy * f
                for j in near:
                    dx = xi - x[j]
                    dy = yi - y[j]
                    d2 = dx * dx + dy * dy
                    if j == i:
                        continue
                    if d2 < 1e-4:
                        dx, dy, d2 = rng.uniform(-1, 1), rng.uniform(-1, 1), 1.0
                    f = k2 * wi * weights[j] / d2
                    if d2 < (ri + radii[j]) ** 2:
                        f *= 6.0
                    ax += dx * f
                    ay += dy * f
                fx[i] += ax
                fy[i] += ay
        for u, v, ideal in edges:
            dx = x[u] - x[v]
            dy = y[u] - y[v]
            f = math.sqrt(dx * dx + dy * dy) / ideal
            fx[u] -= dx * f
            fy[u] -= dy * f
            fx[v] += dx * f
            fy[v] += dy * f
        mx = sum(x) / n
        my = sum(y) / n
        for i in range(n):
            if i in pinned:
                continue
            fx[i] -= (x[i] - mx) * gravity * weights[i]
            fy[i] -= (y[i] - my) * gravity * weights[i]
            d = math.sqrt(fx[i] * fx[i] + fy[i] * fy[i])
            if d > temperature:
                fx[i] *= temperature / d
                fy[i] *= temperature / d
            x[i] += fx[i]
            y[i] += fy[i]
    return list(zip(x, y))


def _component_layout(
    nodes: list[str], adjacency: list[list[int]], fixed: dict[int, tuple[float, float]], length: float
) -> list[tuple[float, float]]:
    n = len(nodes)
    if n == 1:
        return [fixed.get(0, (0.0, 0.0))]
    # springs measure the gap between two nodes' rims, so hubs get long spokes and room for their neighbours
    spread = [math.sqrt(len(a)) for a in adjacency]
    radii = [node_size(len(a)) for a in adjacency]
    lengths = [{v: 0.8 * length + 1.2 * (radii[u] + radii[v]) for v in adjacency[u]} for u in range(n)]
    start = _pivot_mds(adjacency, lengths)
    ratios = [math.dist(start[u], start[v]) / lengths[u][v] for u in range(n) for v in adjacency[u]]
    scale = len(ratios) / sum(ratios) if sum(ratios) else 1.0
    start = [(a * scale, b * scale) for a, b in start]
    if fixed:
        cx = sum(p[0] for p in fixed.values()) / len(fixed)
        cy = sum(p[1] for p in fixed.values()) / len(fixed)
        ox = sum(start[i][0] for i in fixed) / len(fixed)
        oy = sum(start[i][1] for i in fixed) / len(fixed)
        start = [(a - ox + cx, b - oy + cy) for a, b in start]
        for i, p in fixed.items():
            start[i] = p
    weights = [1.0 + s / 2 for s in spread]
    iterations = 100 if n <= 800 else 60 if n <= 2500 else 30
    return _force(adjacency, lengths, start, weights, radii, set(fixed), length, iterations)


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
