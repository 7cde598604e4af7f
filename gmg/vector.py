"""A batched numpy twin of :class:`gmg.env.CueMazeEnv` for training and evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from gmg.layout import MAX_SIDE, Layout
from gmg.proxy import CUE, Proxy
from gmg.splits import Split, sample_mixture
from gmg.world import DEFAULT_CUE_RADIUS, N_CHANNELS, Action, Levels, observe, reset, step


class VectorCueMazeEnv(VectorEnv):
    """``num_envs`` copies of the maze, stepped together by :func:`gmg.world.step`.

    Levels come from a fixed pool of layouts (``pool``); every episode, at
    reset and at auto-reset, draws a pool index with the env's RNG.

    Auto-reset is SAME_STEP: when an episode ends, the returned observation is
    the next episode's first one, while ``info`` (``agent_pos``,
    ``reached_goal``, ``reached_proxy``, ``steps``, ``level``) still describes
    the step that ended it. ``level`` is the pool index that was played.
    ``reset(options={"levels": idx})`` puts pool level ``idx[i]`` in slot i.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}

    def __init__(
        self,
        pool: Sequence[Layout] | Levels,
        num_envs: int,
        view_size: int = MAX_SIDE,
        cue_radius: int = DEFAULT_CUE_RADIUS,
        proxy: Proxy = CUE,
        cue_fades: bool = False,
    ) -> None:
        self.pool = (
            pool if isinstance(pool, Levels) else Levels.from_layouts(pool, view_size, cue_radius, proxy, cue_fades)
        )
        if len(self.pool) == 0:
            raise ValueError("the level pool is empty")
        v = self.pool.view_size
        self.num_envs = num_envs
        self.single_observation_space = spaces.Box(0, 1, (N_CHANNELS, v, v), np.uint8)
        self.single_action_space = spaces.Discrete(len(Action))
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self.state = reset(self.pool, np.zeros(num_envs, dtype=np.int64))

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
        """A pool of ``pool_size`` layouts from ``split`` (a ``shift_fraction`` of them from ``shift_split``).

        The proxy tracked in ``info["reached_proxy"]`` is the training split's.
        """
        train = Split.parse(split)
        kwargs.setdefault("proxy", train.proxy)
        if shift_split is None or shift_fraction <= 0:
            layouts = train.sample_many(pool_size, seed)
        else:
            layouts = sample_mixture(train, Split.parse(shift_split), shift_fraction, pool_size, seed)
        return cls(layouts, num_envs, **kwargs)

    @property
    def level(self) -> np.ndarray:
        return self.state.level

    def reset(self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        levels = (options or {}).get("levels")
        if levels is None:
            levels = self.np_random.integers(len(self.pool), size=self.num_envs)
        self.state = reset(self.pool, np.asarray(levels, dtype=np.int64))
        return observe(self.pool, self.state), self._info()

    def step(self, actions):
        reward, terminated, truncated = step(self.pool, self.state, np.asarray(actions, dtype=np.int64))
        info = self._info()
        ended = np.flatnonzero(terminated | truncated)
        if len(ended):
            reset(self.pool, self.np_random.integers(len(self.pool), size=len(ended)), self.state, ended)
        return observe(self.pool, self.state), reward, terminated, truncated, info

    def _info(self) -> dict[str, np.ndarray]:
        s = self.state
        return {
            "agent_pos": s.pos.copy(),
            "reached_goal": s.reached_goal,
            "reached_proxy": s.reached_proxy,
            "steps": s.steps.copy(),
            "level": s.level.copy(),
        }
