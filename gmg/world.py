"""Batched level data and the one definition of the dynamics and observation.

Both :class:`gmg.env.CueMazeEnv` and :class:`gmg.vector.VectorCueMazeEnv` call
:func:`move` and :meth:`Levels.observe`; the single env is a batch of one.

Observation (uint8[5, V, V], V = ``view_size``), the grid at the top-left and
everything outside it drawn as wall:

====  =========================================================
0     wall (1 on walls and outside the layout)
1     goal (1 on the goal cell)
2     cue: 1 on a (2r+1) x (2r+1) blob around the cue, r = ``cue_radius``
      (clipped to the layout). All zero when there is no cue.
3     agent (1 on the agent's cell)
4     previous cell: 1 where the agent stood one step earlier (its own cell
      after bumping a wall); all zero on an episode's first observation.
      One step of memory for policies that use it (``TrainConfig.memory``).
====  =========================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gmg.layout import Layout, LayoutError
from gmg.splits import corner_region

UP, RIGHT, DOWN, LEFT = 0, 1, 2, 3
ACTION_NAMES = ("up", "right", "down", "left")
MOVES = np.array([[-1, 0], [0, 1], [1, 0], [0, -1]], dtype=np.int64)
N_CHANNELS = 5
WALL_CH, GOAL_CH, CUE_CH, AGENT_CH, PREV_CH = 0, 1, 2, 3, 4
DEFAULT_CUE_RADIUS = 1
STEPS_PER_SIDE = 4


def step_limit(height: int, width: int) -> int:
    """Episode length cap: 4 x the longer side (doubling it changed little in a probe)."""
    return STEPS_PER_SIDE * max(height, width)


@dataclass(frozen=True)
class Levels:
    """Static data for n layouts, padded to a common view.

    walls_padded : bool[n, V+2, V+2], the layout at offset (1, 1), walls elsewhere;
                   the one-cell frame makes every move's target indexable.
    planes : uint8[n, 3, V, V], observation channels 0-2 (wall, goal, cue blob).
    start, goal : int64[n, 2].
    cue : int64[n, 2], (-1, -1) where there is no cue.
    proxy : bool[n, V, V], the proxy goal: the cue cell, or with ``corner_size``
            the top-right corner region (see :func:`gmg.splits.corner_region`).
    max_steps : int64[n].
    open_cells : int16[n, V*V], flat indices (row * V + col) of the free cells
                 other than goal and cue, padded; ``n_open`` : int64[n] counts them.
                 Training can start episodes there (``random_start``).
    """

    layouts: tuple[Layout, ...]
    view_size: int
    cue_radius: int
    walls_padded: np.ndarray
    planes: np.ndarray
    start: np.ndarray
    goal: np.ndarray
    cue: np.ndarray
    proxy: np.ndarray
    max_steps: np.ndarray
    open_cells: np.ndarray
    n_open: np.ndarray

    @classmethod
    def from_layouts(
        cls,
        layouts: Sequence[Layout],
        view_size: int,
        cue_radius: int = DEFAULT_CUE_RADIUS,
        corner_size: int | None = None,
    ) -> Levels:
        n, v = len(layouts), view_size
        walls_padded = np.ones((n, v + 2, v + 2), dtype=bool)
        planes = np.zeros((n, 3, v, v), dtype=np.uint8)
        planes[:, WALL_CH] = 1
        start = np.zeros((n, 2), dtype=np.int64)
        goal = np.zeros((n, 2), dtype=np.int64)
        cue = np.full((n, 2), -1, dtype=np.int64)
        max_steps = np.zeros(n, dtype=np.int64)
        proxy = np.zeros((n, v, v), dtype=bool)
        open_cells = np.zeros((n, v * v), dtype=np.int16)
        n_open = np.zeros(n, dtype=np.int64)
        for i, layout in enumerate(layouts):
            h, w = layout.shape
            if h > v or w > v:
                raise LayoutError(f"the layout is {h}x{w} but this environment's view is at most {v}x{v}")
            walls_padded[i, 1 : h + 1, 1 : w + 1] = layout.walls
            planes[i, WALL_CH, :h, :w] = layout.walls
            planes[i, GOAL_CH][layout.goal] = 1
            if layout.cue is not None:
                r, c = layout.cue
                k = cue_radius
                planes[i, CUE_CH, max(r - k, 0) : min(r + k + 1, h), max(c - k, 0) : min(c + k + 1, w)] = 1
                cue[i] = layout.cue
                if corner_size is None:
                    proxy[i][layout.cue] = True
            if corner_size is not None:
                proxy[i, :h, :w] = corner_region((h, w), corner_size) & ~layout.walls
            start[i], goal[i] = layout.start, layout.goal
            max_steps[i] = step_limit(h, w)
            free = ~layout.walls
            free[layout.goal] = False
            if layout.cue is not None:
                free[layout.cue] = False
            rows, cols = np.nonzero(free)
            n_open[i] = len(rows)
            open_cells[i, : len(rows)] = rows * v + cols
        return cls(
            tuple(layouts), v, cue_radius, walls_padded, planes, start, goal, cue, proxy, max_steps, open_cells, n_open
        )

    def __len__(self) -> int:
        return len(self.layouts)

    def observe(self, level: np.ndarray, pos: np.ndarray, prev: np.ndarray | None = None) -> np.ndarray:
        """uint8[n, 5, V, V] observations for agents at ``pos`` (int[n, 2]) in ``level`` (int[n]).

        ``prev`` (int[n, 2]) is each agent's cell one step earlier; None, or a
        row of -1, for an episode's first observation.
        """
        n, v = len(level), self.view_size
        obs = np.zeros((n, N_CHANNELS, v, v), dtype=np.uint8)
        obs[:, :3] = self.planes[level]
        rows = np.arange(n)
        obs[rows, AGENT_CH, pos[:, 0], pos[:, 1]] = 1
        if prev is not None:
            has = prev[:, 0] >= 0
            obs[rows[has], PREV_CH, prev[has, 0], prev[has, 1]] = 1
        return obs


def move(levels: Levels, level: np.ndarray, pos: np.ndarray, actions: np.ndarray) -> np.ndarray:
    """Next positions, int64[n, 2]. Walking into a wall (or off the grid) stays put."""
    target = pos + MOVES[actions]
    blocked = levels.walls_padded[level, target[:, 0] + 1, target[:, 1] + 1]
    return np.where(blocked[:, None], pos, target)
