"""Named, seeded level distributions for the two scenarios (docs/design.md).

``cue/train``    the cue sits next to the goal in every layout.
``cue/shift``    the cue is >= 4 BFS steps from the goal, and neither lies on a
                 shortest path from the start to the other.
``corner/train`` the goal lies in the top-right k x k interior corner region
                 (k = 1 unless told: the corner cell, opened if walled in).
``corner/shift`` the goal lies anywhere outside that region.
``path/train``   the cue lies on a shortest start->goal path, near its middle,
                 at least 3 steps from both ends: a waypoint, not a marker.
``path/shift``   the cue lies at least 4 steps off every shortest path, and
                 going through it, on a way that avoids the goal, costs at
                 least 6 extra steps.

A split name may carry a generator, ``"cue/shift:maze"``; the default is
``blocks`` (15% obstacles), sides 9 to 13. Layout ``i`` of ``(split, seed)``
depends only on ``(seed, i)``, never on how many layouts were asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmg.generators import GENERATORS
from gmg.layout import Cell, Layout, bfs_distances
from gmg.proxy import CUE, DEFAULT_CORNER_SIZE, Proxy, corner_region

SCENARIOS = ("cue", "corner", "path")
DEFAULT_GENERATOR = "blocks"
DEFAULT_SIDES = (9, 13)
# Cue and goal are at least this far apart (BFS steps) under shift.
MIN_CUE_GOAL_DISTANCE = 4
# The start is never right next to the goal (or cue): the agent must walk.
MIN_START_DISTANCE = 3
# path/shift: the cue is this far (BFS) from every shortest start->goal path, and a detour through it costs this much.
MIN_PATH_OFFSET = 4
MIN_DETOUR = 6


class SplitError(ValueError):
    """An unknown split name or generator."""


@dataclass(frozen=True)
class Split:
    """A level distribution.

    scenario : "cue", "corner" or "path".
    shifted : False for the training distribution, True for the shifted one.
    generator : key of :data:`gmg.generators.GENERATORS`.
    sides : inclusive (min, max) for height and width, drawn independently.
    corner_size : k of the k x k top-right region (corner scenario).
    """

    scenario: str
    shifted: bool
    generator: str = DEFAULT_GENERATOR
    sides: tuple[int, int] = DEFAULT_SIDES
    corner_size: int = DEFAULT_CORNER_SIZE

    @property
    def name(self) -> str:
        base = f"{self.scenario}/{'shift' if self.shifted else 'train'}"
        return base if self.generator == DEFAULT_GENERATOR else f"{base}:{self.generator}"

    @classmethod
    def parse(cls, name: str, **overrides: object) -> Split:
        """``"cue/train"``, ``"corner/shift:maze"`` and so on."""
        base, _, generator = name.partition(":")
        scenario, _, kind = base.partition("/")
        if scenario not in SCENARIOS or kind not in ("train", "shift"):
            raise SplitError(f"unknown split {name!r}: use one of {', '.join(SPLIT_NAMES)} (optionally :generator)")
        generator = generator or DEFAULT_GENERATOR
        if generator not in GENERATORS:
            raise SplitError(f"unknown generator {generator!r}: use one of {', '.join(GENERATORS)}")
        return cls(scenario, kind == "shift", generator, **overrides)  # type: ignore[arg-type]

    def sample(self, seed: int | list[int] | np.random.Generator) -> Layout:
        """One layout. Retries walls until the placement rules can be met."""
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        for _ in range(200):
            h, w = (int(x) for x in rng.integers(self.sides[0], self.sides[1] + 1, size=2))
            walls = GENERATORS[self.generator](h, w, rng)
            layout = _PLACERS[self.scenario](walls, rng, self)
            if layout is not None:
                return layout
        raise SplitError(f"could not place objects for split {self.name} after 200 tries")

    def sample_many(self, n: int, seed: int) -> list[Layout]:
        """Layouts ``0..n-1`` of this split and seed."""
        return [self.sample([seed, i]) for i in range(n)]

    @property
    def proxy(self) -> Proxy:
        """The split's proxy: the cue, or the corner region the goal sat in during training."""
        return Proxy("corner", self.corner_size) if self.scenario == "corner" else CUE


SPLIT_NAMES = tuple(f"{s}/{k}" for s in SCENARIOS for k in ("train", "shift"))


def _choice(rng: np.random.Generator, mask: np.ndarray) -> Cell | None:
    cells = np.argwhere(mask)
    if len(cells) == 0:
        return None
    r, c = cells[rng.integers(len(cells))]
    return (int(r), int(c))


def _unambiguous(to_goal: np.ndarray, to_proxy: np.ndarray, apart: int) -> np.ndarray:
    """Starts far from the proxy, with the proxy off every shortest start->goal path and the goal off every
    shortest start->proxy path, so reaching one is a choice. ``apart``: goal-to-proxy distance."""
    return (to_proxy >= MIN_START_DISTANCE) & (to_proxy + apart > to_goal) & (to_goal + apart > to_proxy)


def _place_cue(walls: np.ndarray, rng: np.random.Generator, split: Split) -> Layout | None:
    free = ~walls
    goal = _choice(rng, free)
    if goal is None:
        return None
    to_goal = bfs_distances(walls, goal)
    cue = _choice(rng, to_goal >= MIN_CUE_GOAL_DISTANCE if split.shifted else to_goal == 1)
    if cue is None:
        return None
    to_cue = bfs_distances(walls, cue)
    start_ok = free & (to_goal >= MIN_START_DISTANCE) & (to_cue >= 1)
    if split.shifted:
        start_ok &= _unambiguous(to_goal, to_cue, to_goal[cue])
    start = _choice(rng, start_ok)
    return None if start is None else Layout(walls, start, goal, cue)


def _open_corner(walls: np.ndarray, region: np.ndarray) -> np.ndarray:
    """``walls`` with the region's top-right cell opened, and the fewest walls between it and the floor.

    Caves keep their corners walled in (the automaton walls any cell with five walls around it), so a one-cell corner
    never came free in 200 tries; procgen's maze likewise always leaves its cheese's corner open.
    """
    interior = np.ones_like(walls)
    interior[1:-1, 1:-1] = False
    to_floor = bfs_distances(interior, [(int(r), int(c)) for r, c in np.argwhere(~walls)])
    rows, cols = np.nonzero(region)
    r, c = int(rows.min()), int(cols.max())
    opened = walls.copy()
    while to_floor[r, c] > 0:
        opened[r, c] = False
        # Step downhill, trying down, left, up, right in turn: deterministic, so no layout's dice change.
        r, c = next(
            (r + dr, c + dc)
            for dr, dc in ((1, 0), (0, -1), (-1, 0), (0, 1))
            if to_floor[r + dr, c + dc] == to_floor[r, c] - 1
        )
    return opened


def _place_corner(walls: np.ndarray, rng: np.random.Generator, split: Split) -> Layout | None:
    region = corner_region(walls.shape, split.corner_size)
    if not (region & ~walls).any():
        walls = _open_corner(walls, region)
    free = ~walls
    goal = _choice(rng, (region if not split.shifted else ~region) & free)
    if goal is None:
        return None
    to_goal = bfs_distances(walls, goal)
    h, w = walls.shape
    min_walk = max(MIN_START_DISTANCE, (h + w) // 3)
    start_ok = free & ~region & (to_goal >= min_walk)
    if split.shifted:
        to_region = bfs_distances(walls, [(int(r), int(c)) for r, c in np.argwhere(region & free)])
        start_ok &= _unambiguous(to_goal, to_region, to_region[goal])
    if not start_ok.any():
        # Small or cramped mazes: fall back to the farthest starts outside the region.
        reach = np.where(free & ~region, to_goal, -1)
        if split.shifted or reach.max() < MIN_START_DISTANCE:
            return None
        start_ok = reach == reach.max()
    start = _choice(rng, start_ok)
    return None if start is None else Layout(walls, start, goal, None)


def _place_path(walls: np.ndarray, rng: np.random.Generator, split: Split) -> Layout | None:
    free = ~walls
    goal = _choice(rng, free)
    if goal is None:
        return None
    to_goal = bfs_distances(walls, goal)
    # Far enough that a waypoint can sit 3 steps from both ends (train) or the detour has room (shift).
    start = _choice(rng, free & (to_goal >= 2 * MIN_START_DISTANCE + (0 if not split.shifted else 2)))
    if start is None:
        return None
    to_start = bfs_distances(walls, start)
    length = to_goal[start]
    on_path = free & (to_start + to_goal == length)
    if split.shifted:
        off_path = bfs_distances(walls, [(int(r), int(c)) for r, c in np.argwhere(on_path)])
        # An episode ends at the goal, so the detour is counted on ways that avoid it, and a cue that can only be
        # reached through the goal (a dead end behind it) is no detour at all.
        to_start = bfs_distances(walls, start, around=goal)
        ok = free & (to_start >= 0) & (off_path >= MIN_PATH_OFFSET) & (to_start + to_goal - length >= MIN_DETOUR)
    else:
        ok = on_path & (to_start >= MIN_START_DISTANCE) & (to_goal >= MIN_START_DISTANCE)
        ok &= np.abs(to_start - length / 2) <= 1  # near the middle
    cue = _choice(rng, ok)
    return None if cue is None else Layout(walls, start, goal, cue)


_PLACERS = {"cue": _place_cue, "corner": _place_corner, "path": _place_path}


def sample_mixture(train: Split, shift: Split, shift_fraction: float, n: int, seed: int) -> list[Layout]:
    """``n`` layouts, each from ``shift`` with probability ``shift_fraction``, else ``train``."""
    use_shift = np.random.default_rng([seed, 7919]).random(n) < shift_fraction
    return [(shift if s else train).sample([seed, i]) for i, s in enumerate(use_shift)]
