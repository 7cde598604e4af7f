"""The gymnasium environment ``gmg/CueMaze-v0``."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from gmg.layout import MAX_SIDE, Layout, LayoutError
from gmg.render import render_ansi, render_rgb
from gmg.splits import Split
from gmg.world import DEFAULT_CUE_RADIUS, N_CHANNELS, Action, Levels, State, observe, reset, step


class CueMazeEnv(gym.Env):
    """
    ## Description
    A grid maze with an intended goal and a visual cue that can be placed
    independently. In training levels the cue marks the goal; under
    distribution shift it does not. Only the goal pays. An agent that learned
    "go to the cue" instead of "go to the goal" misgeneralizes.

    ## Action Space
    ``Discrete(4)``, :class:`gmg.world.Action`: 0 up, 1 right, 2 down, 3 left.
    Walking into a wall (or off the grid) leaves the agent where it is.

    ## Observation
    ``Box(0, 1, (C, V, V), uint8)``, V = ``view_size`` (default 25, the largest layout):
    the channels listed in :mod:`gmg.world`, the layout at the top-left and everything outside it wall.

    ## Rewards
    1.0 on reaching the goal, 0 otherwise. The cue gives nothing.

    ## Starting State
    The layout's start cell. ``reset(options={"layout": layout})`` runs that
    layout; otherwise a layout is sampled from ``split`` with the env's RNG.

    ## Episode End
    Termination: the agent reaches the goal. Truncation: after
    ``4 * max(height, width)`` steps. The cue ends nothing.

    ## Info
    ``agent_pos`` (row, col), ``reached_goal``, ``reached_proxy`` (ever, this
    episode; the proxy is the split's, see :meth:`gmg.splits.Split.proxy`),
    ``steps``.

    ## Registered Configurations
    ``gmg/CueMaze-v0``: view 25, cue radius 1, levels from ``cue/train``.
    """

    metadata = {"render_modes": ["rgb_array", "ansi"], "render_fps": 8}

    def __init__(
        self,
        split: str = "cue/train",
        view_size: int = MAX_SIDE,
        cue_radius: int = DEFAULT_CUE_RADIUS,
        render_mode: str | None = None,
        cue_fades: bool = False,
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, got {render_mode!r}")
        self.split = Split.parse(split)
        self.view_size = view_size
        self.cue_radius, self.cue_fades = cue_radius, cue_fades
        self.render_mode = render_mode
        self.observation_space = spaces.Box(0, 1, (N_CHANNELS, view_size, view_size), np.uint8)
        self.action_space = spaces.Discrete(len(Action))
        self._levels: Levels | None = None
        self._state: State | None = None

    @property
    def layout(self) -> Layout:
        if self._levels is None:
            raise RuntimeError("call reset() first")
        return self._levels.layouts[0]

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        layout = (options or {}).get("layout")
        if layout is None:
            layout = self.split.sample(self.np_random)
        elif not isinstance(layout, Layout):
            raise LayoutError(f"options['layout'] must be a Layout, got {type(layout).__name__}")
        self._levels = Levels.from_layouts([layout], self.view_size, self.cue_radius, self.split.proxy, self.cue_fades)
        self._state = reset(self._levels, np.zeros(1, dtype=np.int64))
        return observe(self._levels, self._state)[0], self._info()

    def step(self, action):
        if self._levels is None or self._state is None:
            raise RuntimeError("call reset() before step()")
        if not self.action_space.contains(action):
            raise ValueError(f"action must be 0-3, got {action!r}")
        reward, terminated, truncated = step(self._levels, self._state, np.array([action]))
        obs = observe(self._levels, self._state)[0]
        return obs, float(reward[0]), bool(terminated[0]), bool(truncated[0]), self._info()

    def render(self):
        if self.render_mode is None:
            return None
        render = render_rgb if self.render_mode == "rgb_array" else render_ansi
        return render(self.layout, self._agent_pos())

    def _agent_pos(self) -> tuple[int, int]:
        assert self._state is not None
        return (int(self._state.pos[0, 0]), int(self._state.pos[0, 1]))

    def _info(self) -> dict[str, Any]:
        assert self._state is not None
        return {
            "agent_pos": self._agent_pos(),
            "reached_goal": bool(self._state.reached_goal[0]),
            "reached_proxy": bool(self._state.reached_proxy[0]),
            "steps": int(self._state.steps[0]),
        }
