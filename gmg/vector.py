"""A batched numpy twin of :class:`gmg.env.CueMazeEnv` for training and evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from gmg.layout import MAX_SIDE, Layout
from gmg.splits import Split, mixture_mask, sample_mixture
from gmg.world import AGENT_CH, DEFAULT_CUE_RADIUS, N_CHANNELS, PREV_CH, Levels, move


class VectorCueMazeEnv(VectorEnv):
    """``num_envs`` copies of the maze, stepped together in numpy.

    Levels come from a fixed pool of layouts (``pool``); every episode, at
    reset and at auto-reset, draws a pool index with the env's RNG. Dynamics and
    observations are :mod:`gmg.world`'s, shared with the single env.

    Auto-reset is SAME_STEP: when an episode ends, the returned observation is
    the next episode's first one, while ``info`` (``agent_pos``,
    ``reached_goal``, ``reached_cue``, ``steps``, ``level``) still describes the
    step that ended it. ``level`` is the pool index that was played.
    ``reached_proxy`` uses the pool's proxy (the cue, or the corner region
    when ``corner_size`` is given).

    ``reset(options={"levels": idx})`` puts pool level ``idx[i]`` in slot i.
    :meth:`set_level_weights` makes later draws non-uniform (level replay).
    ``shift_mask`` (bool per pool level) marks the levels that
    :meth:`from_split` drew from the shift split.
    With ``random_start`` = p (training only), each episode starts with
    probability p on a random free cell other than goal and cue.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}

    def __init__(
        self,
        pool: Sequence[Layout] | Levels,
        num_envs: int,
        view_size: int = MAX_SIDE,
        cue_radius: int = DEFAULT_CUE_RADIUS,
        corner_size: int | None = None,
        copy_obs: bool = True,
        random_start: float = 0.0,
    ) -> None:
        if isinstance(pool, Levels):
            self.pool = pool
        else:
            self.pool = Levels.from_layouts(pool, view_size, cue_radius, corner_size)
        if len(self.pool) == 0:
            raise ValueError("the level pool is empty")
        v = self.pool.view_size
        self.num_envs = num_envs
        self.copy_obs = copy_obs
        self.random_start = random_start
        self.single_observation_space = spaces.Box(0, 1, (N_CHANNELS, v, v), np.uint8)
        self.single_action_space = spaces.Discrete(4)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._rows = np.arange(num_envs)
        self.level = np.zeros(num_envs, dtype=np.int64)
        self.pos = np.zeros((num_envs, 2), dtype=np.int64)
        self.steps = np.zeros(num_envs, dtype=np.int64)
        self.reached_cue = np.zeros(num_envs, dtype=bool)
        self.reached_proxy = np.zeros(num_envs, dtype=bool)
        self._obs = np.zeros((num_envs, N_CHANNELS, v, v), dtype=np.uint8)
        self.shift_mask = np.zeros(len(self.pool), dtype=bool)
        self._cdf: np.ndarray | None = None

    @classmethod
    def from_split(
        cls,
        split: str,
        num_envs: int,
        pool_size: int = 4096,
        seed: int = 0,
        shift_split: str | None = None,
        shift_fraction: float = 0.0,
        **kwargs: Any,
    ) -> VectorCueMazeEnv:
        """A pool of ``pool_size`` layouts from ``split`` (a ``shift_fraction`` of them from ``shift_split``)."""
        train = Split.parse(split)
        if train.scenario == "corner":
            kwargs.setdefault("corner_size", train.corner_size)
        if shift_split is None or shift_fraction <= 0:
            env = cls(train.sample_many(pool_size, seed), num_envs, **kwargs)
        else:
            env = cls(
                sample_mixture(train, Split.parse(shift_split), shift_fraction, pool_size, seed), num_envs, **kwargs
            )
            env.shift_mask = mixture_mask(shift_fraction, pool_size, seed)
        return env

    def set_level_weights(self, weights: np.ndarray | None) -> None:
        """Draw pool level i with probability ``weights[i] / weights.sum()`` from now on; None: uniform."""
        if weights is None:
            self._cdf = None
            return
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != (len(self.pool),) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError("level weights must be one non-negative number per pool level, not all zero")
        cdf = np.cumsum(weights)
        self._cdf = cdf / cdf[-1]

    def _draw(self, n: int) -> np.ndarray:
        if self._cdf is None:
            return self.np_random.integers(len(self.pool), size=n)
        pick = np.searchsorted(self._cdf, self.np_random.random(n), side="right")
        return np.minimum(pick, len(self.pool) - 1)

    def reset(self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        levels = (options or {}).get("levels")
        if levels is None:
            levels = self._draw(self.num_envs)
        self._start(self._rows, np.asarray(levels, dtype=np.int64))
        return self._out(), self._info(np.zeros(self.num_envs, dtype=bool))

    def step(self, actions):
        actions = np.asarray(actions, dtype=np.int64)
        old = self.pos
        self.pos = move(self.pool, self.level, old, actions)
        self.steps += 1
        self._obs[:, PREV_CH] = 0
        self._obs[self._rows, PREV_CH, old[:, 0], old[:, 1]] = 1
        self._obs[self._rows, AGENT_CH, old[:, 0], old[:, 1]] = 0
        self._obs[self._rows, AGENT_CH, self.pos[:, 0], self.pos[:, 1]] = 1
        terminated = (self.pos == self.pool.goal[self.level]).all(axis=1)
        self.reached_cue |= (self.pos == self.pool.cue[self.level]).all(axis=1)
        self.reached_proxy |= self.pool.proxy[self.level, self.pos[:, 0], self.pos[:, 1]]
        truncated = ~terminated & (self.steps >= self.pool.max_steps[self.level])
        reward = terminated.astype(np.float32)
        info = self._info(terminated)
        done = terminated | truncated
        if done.any():
            idx = np.flatnonzero(done)
            self._start(idx, self._draw(len(idx)))
        return self._out(), reward, terminated, truncated, info

    def _start(self, idx: np.ndarray, levels: np.ndarray) -> None:
        self.level[idx] = levels
        start = self.pool.start[levels].copy()
        if self.random_start > 0:
            # Training only: some episodes start on a random free cell, so the
            # policy also practises states it rarely reaches from the usual starts.
            pick = self.np_random.random(len(idx)) < self.random_start
            if pick.any():
                lv = levels[pick]
                k = (self.np_random.random(len(lv)) * self.pool.n_open[lv]).astype(np.int64)
                flat = self.pool.open_cells[lv, k].astype(np.int64)
                start[pick] = np.stack([flat // self.pool.view_size, flat % self.pool.view_size], axis=1)
        self.pos[idx] = start
        self.steps[idx] = 0
        self._obs[idx] = self.pool.observe(levels, start)
        self.reached_cue[idx] = (self.pos[idx] == self.pool.cue[levels]).all(axis=1)
        self.reached_proxy[idx] = self.pool.proxy[levels, self.pos[idx, 0], self.pos[idx, 1]]

    def _out(self) -> np.ndarray:
        return self._obs.copy() if self.copy_obs else self._obs

    def _info(self, reached_goal: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "agent_pos": self.pos.copy(),
            "reached_goal": reached_goal,
            "reached_cue": self.reached_cue.copy(),
            "reached_proxy": self.reached_proxy.copy(),
            "steps": self.steps.copy(),
            "level": self.level.copy(),
        }
