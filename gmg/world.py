"""The one definition of the maze's dynamics: static levels, episode state, and a batched step.

Like jaxgmg, the static level data (:class:`Levels`) is kept apart from the
episode state (:class:`State`), and one function, :func:`step`, advances a
batch of states by a batch of actions. The gymnasium env
(:class:`gmg.env.CueMazeEnv`), the vector env
(:class:`gmg.vector.VectorCueMazeEnv`) and the rollouts (:mod:`gmg.rollout`)
are thin wrappers over :func:`reset` and :func:`step`; ``tests/test_world.py``
plays the same actions through all three.

Observation (uint8[5, V, V], V = ``view_size``), the grid at the top-left and
everything outside it drawn as wall:

====  =========================================================
0     wall (1 on walls and outside the layout)
1     goal (1 on the goal cell)
2     cue: 1 on a (2r+1) x (2r+1) blob around the cue, r = ``cue_radius``
      (clipped to the layout). All zero when there is no cue, and, in a world
      where the cue fades (``cue_fades``), once the agent has stood on it.
3     agent (1 on the agent's cell)
4     previous cell: 1 where the agent stood one step earlier (its own cell
      after bumping a wall); all zero on an episode's first observation.
====  =========================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np

from gmg.layout import Layout, LayoutError
from gmg.proxy import CUE, Proxy


class Action(IntEnum):
    """The four moves. Walking into a wall, or off the grid, stays put."""

    UP = 0
    RIGHT = 1
    DOWN = 2
    LEFT = 3


MOVES = np.array([[-1, 0], [0, 1], [1, 0], [0, -1]], dtype=np.int64)  # (drow, dcol) per Action
N_CHANNELS = 5
WALL_CH, GOAL_CH, CUE_CH, AGENT_CH, PREV_CH = 0, 1, 2, 3, 4
DEFAULT_CUE_RADIUS = 1
STEPS_PER_SIDE = 8


def step_limit(height: int, width: int) -> int:
    """Episode length cap: 8 x the longer side.

    Perfect mazes' shortest paths reach 46 steps at 13 x 13, and at 4 x one wrong turn into a dead end often ran out
    the clock: the same network reached the goal in 0.82 of `cue/train:maze` at 4 x and 0.91 at 8 x.
    """
    return STEPS_PER_SIDE * max(height, width)


@dataclass(frozen=True)
class Levels:
    """Static data for n layouts, padded to a common view.

    walls_padded : bool[n, V+2, V+2], the layout at offset (1, 1), walls elsewhere;
                   the one-cell frame makes every move's target indexable.
    planes : uint8[n, 3, V, V], observation channels 0-2 (wall, goal, cue blob).
    start, goal : int64[n, 2].
    proxy : bool[n, V, V], the proxy's cells (see :class:`gmg.proxy.Proxy`).
    max_steps : int64[n].
    cue : int64[n, 2], the cue's cell, (-1, -1) where there is none.
    cue_fades : the cue leaves the observation once the agent has stood on it (a
                checkpoint that goes out when passed), whatever the proxy scored.
    """

    layouts: tuple[Layout, ...]
    view_size: int
    walls_padded: np.ndarray
    planes: np.ndarray
    start: np.ndarray
    goal: np.ndarray
    proxy: np.ndarray
    max_steps: np.ndarray
    cue: np.ndarray
    cue_fades: bool = False

    @classmethod
    def from_layouts(
        cls,
        layouts: Sequence[Layout],
        view_size: int,
        cue_radius: int = DEFAULT_CUE_RADIUS,
        proxy: Proxy = CUE,
        cue_fades: bool = False,
    ) -> Levels:
        n, v = len(layouts), view_size
        walls_padded = np.ones((n, v + 2, v + 2), dtype=bool)
        planes = np.zeros((n, 3, v, v), dtype=np.uint8)
        planes[:, WALL_CH] = 1
        start = np.zeros((n, 2), dtype=np.int64)
        goal = np.zeros((n, 2), dtype=np.int64)
        max_steps = np.zeros(n, dtype=np.int64)
        proxy_mask = np.zeros((n, v, v), dtype=bool)
        cue = np.full((n, 2), -1, dtype=np.int64)
        for i, layout in enumerate(layouts):
            h, w = layout.shape
            if h > v or w > v:
                raise LayoutError(f"the layout is {h}x{w} but this environment's view is at most {v}x{v}")
            walls_padded[i, 1 : h + 1, 1 : w + 1] = layout.walls
            planes[i, WALL_CH, :h, :w] = layout.walls
            planes[i, GOAL_CH][layout.goal] = 1
            if layout.cue is not None:
                r, c = cue[i] = layout.cue
                k = cue_radius
                planes[i, CUE_CH, max(r - k, 0) : min(r + k + 1, h), max(c - k, 0) : min(c + k + 1, w)] = 1
            proxy_mask[i, :h, :w] = proxy.mask(layout)
            start[i], goal[i] = layout.start, layout.goal
            max_steps[i] = step_limit(h, w)
        return cls(tuple(layouts), v, walls_padded, planes, start, goal, proxy_mask, max_steps, cue, cue_fades)

    def __len__(self) -> int:
        return len(self.layouts)


@dataclass
class State:
    """The episode state of a batch of n episodes (mutable arrays, advanced by :func:`step`).

    level : int64[n], index into the :class:`Levels`.
    pos : int64[n, 2], the agent's cell.
    prev : int64[n, 2], its cell one step earlier; (-1, -1) before the first step.
    steps : int64[n], steps taken.
    goal_step, proxy_step : int64[n], the step on which the goal / the proxy
        was first occupied, -1 if never (0: the episode started on it).
    cue_seen : bool[n], the agent has stood on the cue (what makes a fading cue fade).
    """

    level: np.ndarray
    pos: np.ndarray
    prev: np.ndarray
    steps: np.ndarray
    goal_step: np.ndarray
    proxy_step: np.ndarray
    cue_seen: np.ndarray

    reached_goal = property(lambda self: self.goal_step >= 0)
    reached_proxy = property(lambda self: self.proxy_step >= 0)


def reset(levels: Levels, level: np.ndarray, state: State | None = None, idx: np.ndarray | None = None) -> State:
    """Start episodes on ``level`` (int[k]): a new State, or slots ``idx`` of ``state`` restarted in place."""
    level = np.asarray(level, dtype=np.int64)
    start = levels.start[level]
    k = len(level)
    fresh = State(
        level.copy(),
        start.copy(),
        np.full((k, 2), -1, dtype=np.int64),
        np.zeros(k, dtype=np.int64),
        np.full(k, -1, dtype=np.int64),
        np.where(levels.proxy[level, start[:, 0], start[:, 1]], 0, -1),
        (start == levels.cue[level]).all(axis=1),
    )
    if state is None:
        return fresh
    assert idx is not None
    for f in fields(State):  # one definition of a fresh episode, copied into the restarted slots
        getattr(state, f.name)[idx] = getattr(fresh, f.name)
    return state


def done(levels: Levels, state: State) -> np.ndarray:
    """bool[n]: episodes that have ended (goal reached, or the step limit)."""
    return state.reached_goal | (state.steps >= levels.max_steps[state.level])


def step(
    levels: Levels, state: State, actions: np.ndarray, live: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Advance the episodes ``live`` (int[k], default all) by ``actions`` (int[k]); others stay frozen.

    Updates ``state`` in place and returns (reward float32[k], terminated bool[k],
    truncated bool[k]): reward 1 on reaching the goal, termination at the goal,
    truncation at the step limit. The proxy pays nothing and ends nothing.
    """
    # A slice when every episode steps: scatter by index costs more than the step itself at batch 1024.
    at = slice(None) if live is None else live
    lv = state.level[at]
    old = state.pos[at]
    target = old + MOVES[np.asarray(actions, dtype=np.int64)]
    blocked = levels.walls_padded[lv, target[:, 0] + 1, target[:, 1] + 1]
    pos = np.where(blocked[:, None], old, target)
    steps = state.steps[at] + 1
    state.prev[at] = old
    state.pos[at] = pos
    state.steps[at] = steps
    terminated = (pos == levels.goal[lv]).all(axis=1)
    first_proxy = levels.proxy[lv, pos[:, 0], pos[:, 1]] & (state.proxy_step[at] < 0)
    rows = np.arange(len(lv)) if live is None else live
    state.goal_step[rows[terminated]] = steps[terminated]
    state.proxy_step[rows[first_proxy]] = steps[first_proxy]
    state.cue_seen[at] |= (pos == levels.cue[lv]).all(axis=1)
    truncated = ~terminated & (steps >= levels.max_steps[lv])
    return terminated.astype(np.float32), terminated, truncated


def observe(levels: Levels, state: State, live: np.ndarray | None = None) -> np.ndarray:
    """uint8[k, 5, V, V] observations of the episodes ``live`` (default all)."""
    at = slice(None) if live is None else live
    level, pos, prev = state.level[at], state.pos[at], state.prev[at]
    k, v = len(level), levels.view_size
    obs = np.zeros((k, N_CHANNELS, v, v), dtype=np.uint8)
    obs[:, :3] = levels.planes[level]
    rows = np.arange(k)
    obs[rows, AGENT_CH, pos[:, 0], pos[:, 1]] = 1
    has = prev[:, 0] >= 0
    obs[rows[has], PREV_CH, prev[has, 0], prev[has, 1]] = 1
    if levels.cue_fades:
        obs[state.cue_seen[at], CUE_CH] = 0
    return obs


def observe_at(
    levels: Levels,
    level: np.ndarray,
    pos: np.ndarray,
    prev: np.ndarray | None = None,
    passed: np.ndarray | None = None,
) -> np.ndarray:
    """uint8[k, 5, V, V]: observations with the agent placed at ``pos`` (int[k, 2]) in ``level``, having come from
    ``prev`` (int[k, 2], (-1, -1) for none; default: a first step). A fading cue counts as passed where the agent
    stands on it, and where ``passed`` (bool[k]) says it stood on it earlier."""
    state = reset(levels, np.asarray(level, dtype=np.int64))
    state.pos[:] = pos
    if prev is not None:
        state.prev[:] = prev
    state.cue_seen[:] = (state.pos == levels.cue[state.level]).all(axis=1)
    if passed is not None:
        state.cue_seen |= np.asarray(passed, dtype=bool)
    return observe(levels, state)
