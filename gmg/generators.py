"""Seeded wall generators. Each returns plain data: walls : bool[h, w], border included.

Every generator guarantees that all floor cells form one connected region, so
any placement of start, goal and cue on floor is reachable.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gmg.layout import bfs_distances

WallGenerator = Callable[[int, int, np.random.Generator], np.ndarray]


_STEPS2 = ((-2, 0), (2, 0), (0, -2), (0, 2))


def perfect_maze(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A perfect maze (recursive backtracker) on the odd cells; even sides get a thicker wall."""
    walls = np.ones((h, w), dtype=bool)
    cells = [(r, c) for r in range(1, h - 1, 2) for c in range(1, w - 1, 2)]
    start = cells[rng.integers(len(cells))]
    walls[start] = False
    stack = [start]
    while stack:
        r, c = stack[-1]
        options = [
            (r + dr, c + dc)
            for dr, dc in _STEPS2
            if 1 <= r + dr < h - 1 and 1 <= c + dc < w - 1 and walls[r + dr, c + dc]
        ]
        if not options:
            stack.pop()
            continue
        nr, nc = options[rng.integers(len(options))]
        walls[(r + nr) // 2, (c + nc) // 2] = False
        walls[nr, nc] = False
        stack.append((nr, nc))
    return walls


def blocks(h: int, w: int, rng: np.random.Generator, density: float = 0.15) -> np.ndarray:
    """Random single-cell obstacles at ``density``; stray pockets are filled so the floor is connected."""
    walls = np.ones((h, w), dtype=bool)
    walls[1:-1, 1:-1] = rng.random((h - 2, w - 2)) < density
    return _keep_largest_region(walls)


def rooms(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Open rooms: one or two partition walls, each with one or two doorways."""
    walls = np.ones((h, w), dtype=bool)
    walls[1:-1, 1:-1] = False
    if w >= 7:
        c = int(rng.integers(3, w - 3))
        walls[1:-1, c] = True
        for r in rng.choice(np.arange(1, h - 1), size=int(rng.integers(1, 3)), replace=False):
            walls[r, c] = False
    if h >= 7 and rng.random() < 0.7:
        r = int(rng.integers(3, h - 3))
        walls[r, 1:-1] = True
        for c in rng.choice(np.arange(1, w - 1), size=int(rng.integers(1, 3)), replace=False):
            walls[r, c] = False
    return _keep_largest_region(walls)


def open_room(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """No inner walls at all."""
    walls = np.ones((h, w), dtype=bool)
    walls[1:-1, 1:-1] = False
    return walls


def prim_maze(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A perfect maze by randomised Prim: grows from a random frontier, so many short dead ends."""
    walls = np.ones((h, w), dtype=bool)
    cells = [(r, c) for r in range(1, h - 1, 2) for c in range(1, w - 1, 2)]
    r0, c0 = cells[rng.integers(len(cells))]
    walls[r0, c0] = False
    # Frontier entries: (wall between, cell beyond).
    frontier = [((r0 + dr // 2, c0 + dc // 2), (r0 + dr, c0 + dc)) for dr, dc in _STEPS2]
    while frontier:
        between, cell = frontier.pop(int(rng.integers(len(frontier))))
        r, c = cell
        if not (1 <= r < h - 1 and 1 <= c < w - 1) or not walls[cell]:
            continue
        walls[between] = walls[cell] = False
        frontier += [((r + dr // 2, c + dc // 2), (r + dr, c + dc)) for dr, dc in _STEPS2]
    return walls


def kruskal_maze(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A perfect maze by randomised Kruskal: random walls between cells are knocked down unless that makes a loop."""
    walls = np.ones((h, w), dtype=bool)
    cells = [(r, c) for r in range(1, h - 1, 2) for c in range(1, w - 1, 2)]
    for cell in cells:
        walls[cell] = False
    tree, _ = _random_tree(cells, rng)
    for (r1, c1), (r2, c2) in tree:
        walls[(r1 + r2) // 2, (c1 + c2) // 2] = False
    return walls


def doors(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A grid of small rooms (2-3 cells a side) joined by one-cell doors: a tree of rooms plus a few loops."""
    walls = np.ones((h, w), dtype=bool)
    rows, cols = _room_bounds(h, rng), _room_bounds(w, rng)
    for r0, r1 in rows:
        for c0, c1 in cols:
            walls[r0:r1, c0:c1] = False
    rooms_ = [(i, j) for i in range(len(rows)) for j in range(len(cols))]
    tree, rest = _random_tree(rooms_, rng, step=1)
    for (i1, j1), (i2, _) in tree + rest[: len(rooms_) // 4]:
        if i1 != i2:  # a door in the wall row between two rooms stacked vertically
            walls[rows[i1][1], int(rng.integers(*cols[j1]))] = False
        else:
            walls[int(rng.integers(*rows[i1])), cols[j1][1]] = False
    return walls


def caves(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Organic caves: a random fill smoothed by a cellular automaton (wall if 5 of 9 are wall), largest cave kept."""
    inner = rng.random((h - 2, w - 2)) < 0.4
    for _ in range(2):
        padded = np.pad(inner, 1, constant_values=True).astype(int)
        around = sum(padded[1 + dr : h - 1 + dr, 1 + dc : w - 1 + dc] for dr in (-1, 0, 1) for dc in (-1, 0, 1))
        inner = around >= 5
    walls = np.ones((h, w), dtype=bool)
    walls[1:-1, 1:-1] = inner
    return _keep_largest_region(walls)


_Node = tuple[int, int]


def _random_tree(nodes: list[_Node], rng: np.random.Generator, step: int = 2) -> tuple[list, list]:
    """Randomised Kruskal over grid neighbours ``step`` apart: (spanning-tree edges, the other edges), both shuffled."""
    parent = {n: n for n in nodes}

    def root(n: _Node) -> _Node:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    edges = [(n, m) for n in nodes for m in ((n[0] + step, n[1]), (n[0], n[1] + step)) if m in parent]
    tree, rest = [], []
    for k in rng.permutation(len(edges)):
        a, b = edges[k]
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            tree.append((a, b))
        else:
            rest.append((a, b))
    return tree, rest


def _room_bounds(side: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Half-open floor spans [start, end) of rooms 2-3 cells wide across one side, one wall cell between rooms."""
    bounds, start = [], 1
    while start < side - 1:
        end = min(start + int(rng.integers(2, 4)), side - 1)
        if side - 1 - end == 1:  # a 1-cell sliver would be left: widen this room instead
            end = side - 1
        bounds.append((start, end))
        start = end + 1
    return bounds


def _keep_largest_region(walls: np.ndarray) -> np.ndarray:
    """Fill every floor pocket except the largest connected one."""
    walls = walls.copy()
    unseen = ~walls
    best: np.ndarray | None = None
    while unseen.any():
        r, c = np.argwhere(unseen)[0]
        region = bfs_distances(walls, (int(r), int(c))) >= 0
        unseen &= ~region
        if best is None or region.sum() > best.sum():
            best = region
    if best is None:
        return walls
    return ~best


def mixed(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """One of the :data:`TRAINING_FAMILIES`, drawn uniformly per layout: the world the agents train on."""
    return GENERATORS[TRAINING_FAMILIES[int(rng.integers(len(TRAINING_FAMILIES)))]](h, w, rng)


GENERATORS: dict[str, WallGenerator] = {
    "blocks": blocks,
    "maze": perfect_maze,
    "rooms": rooms,
    "open": open_room,
    "prim": prim_maze,
    "kruskal": kruskal_maze,
    "doors": doors,
    "caves": caves,
    "mix": mixed,
}
# The families agents train on; "kruskal" and "caves" are held out to test skill on mazes never seen.
TRAINING_FAMILIES = ("blocks", "maze", "prim", "rooms", "doors", "open")
HELD_OUT_FAMILIES = ("kruskal", "caves")
