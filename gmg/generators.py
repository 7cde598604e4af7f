"""Seeded wall generators. Each returns plain data: walls : bool[h, w], border included.

Every generator guarantees that all floor cells form one connected region, so
any placement of start, goal and cue on floor is reachable.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gmg.layout import bfs_distances

WallGenerator = Callable[[int, int, np.random.Generator], np.ndarray]


def perfect_maze(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A perfect maze (recursive backtracker) on the odd cells; even sides get a thicker wall."""
    walls = np.ones((h, w), dtype=bool)
    rows, cols = range(1, h - 1, 2), range(1, w - 1, 2)
    cells = [(r, c) for r in rows for c in cols]
    start = cells[rng.integers(len(cells))]
    walls[start] = False
    stack = [start]
    while stack:
        r, c = stack[-1]
        options = [
            (r + dr, c + dc)
            for dr, dc in ((-2, 0), (2, 0), (0, -2), (0, 2))
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


GENERATORS: dict[str, WallGenerator] = {
    "blocks": blocks,
    "maze": perfect_maze,
    "rooms": rooms,
    "open": open_room,
}
