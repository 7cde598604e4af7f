"""Batched rollouts of any agent, and the per-episode outcome classes of DESIGN.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from gmg.layout import Cell, Layout
from gmg.world import Levels, move

# Outcome classes, in DESIGN.md's order.
INTENDED, PROXY, PROXY_THEN_GOAL, NEITHER = 0, 1, 2, 3
OUTCOMES = ("intended", "proxy", "proxy-then-goal", "neither")


class Agent(Protocol):
    """What rollouts need of an agent (see :mod:`gmg.agents`)."""

    card: dict
    view_size: int

    def act(self, obs: np.ndarray, greedy: bool = False, rng: np.random.Generator | None = None) -> np.ndarray: ...


@dataclass(frozen=True)
class Rollouts:
    """n episodes played in lock-step.

    positions : int64[T+1, n, 2], the agent's cell after each step (row 0 is
                the start); frozen after the episode ends.
    actions : int64[T, n].
    lengths : int64[n], steps taken.
    goal_step, proxy_step : int64[n], first step index at which the goal / the
                proxy was occupied, -1 if never.
    shortest : int64[n], BFS start-to-goal distance, -1 if unreachable.
    """

    positions: np.ndarray
    actions: np.ndarray
    lengths: np.ndarray
    goal_step: np.ndarray
    proxy_step: np.ndarray
    shortest: np.ndarray

    @property
    def outcomes(self) -> np.ndarray:
        """int64[n] outcome class per episode."""
        return classify(self.goal_step, self.proxy_step)

    def path(self, i: int) -> list[Cell]:
        """Cells visited by episode ``i``, start included."""
        return [(int(r), int(c)) for r, c in self.positions[: self.lengths[i] + 1, i]]


def classify(goal_step: np.ndarray, proxy_step: np.ndarray) -> np.ndarray:
    """Outcome per episode from first-visit steps (-1 = never).

    Reaching the goal and the proxy on the same step (a goal inside the corner
    region) counts as intended.
    """
    goal = goal_step >= 0
    proxy = proxy_step >= 0
    out = np.full(goal_step.shape, NEITHER, dtype=np.int64)
    out[goal & (~proxy | (goal_step <= proxy_step))] = INTENDED
    out[goal & proxy & (proxy_step < goal_step)] = PROXY_THEN_GOAL
    out[~goal & proxy] = PROXY
    return out


def rollout(
    agent: Agent,
    layouts: Sequence[Layout] | Levels,
    seed: int | np.random.Generator = 0,
    greedy: bool = False,
    corner_size: int | None = None,
) -> Rollouts:
    """Play one episode per layout, all at once, until every episode ends.

    The proxy is the cue cell, or the corner region when ``corner_size`` is given.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    if isinstance(layouts, Levels):
        levels = layouts
    else:
        check = getattr(agent, "check_layout", None)
        if check is not None:
            for layout in layouts:
                check(layout)
        levels = Levels.from_layouts(layouts, agent.view_size, corner_size=corner_size)
    n = len(levels)
    idx = np.arange(n)
    horizon = int(levels.max_steps.max())
    positions = np.empty((horizon + 1, n, 2), dtype=np.int64)
    actions = np.zeros((horizon, n), dtype=np.int64)
    pos = levels.start.copy()
    prev = np.full_like(pos, -1)  # no previous cell on the first step
    positions[0] = pos
    lengths = np.zeros(n, dtype=np.int64)
    goal_step = np.full(n, -1, dtype=np.int64)
    proxy_step = np.where(levels.proxy[idx, pos[:, 0], pos[:, 1]], 0, -1)
    active = np.ones(n, dtype=bool)
    for t in range(horizon):
        live = np.flatnonzero(active)
        if len(live) == 0:
            positions[t + 1 :] = positions[t]
            break
        obs = levels.observe(live, pos[live], prev[live])
        a = np.asarray(agent.act(obs, greedy=greedy, rng=rng), dtype=np.int64)
        actions[t, live] = a
        prev[live] = pos[live]
        pos[live] = move(levels, live, pos[live], a)
        positions[t + 1] = pos
        lengths[live] += 1
        at_goal = (pos[live] == levels.goal[live]).all(axis=1)
        goal_step[live[at_goal]] = t + 1
        at_proxy = levels.proxy[live, pos[live, 0], pos[live, 1]] & (proxy_step[live] < 0)
        proxy_step[live[at_proxy]] = t + 1
        active[live[at_goal | (lengths[live] >= levels.max_steps[live])]] = False
    shortest = np.array([lay.distances_from(lay.start)[lay.goal] for lay in levels.layouts], dtype=np.int64)
    return Rollouts(positions, actions, lengths, goal_step, proxy_step, shortest)
