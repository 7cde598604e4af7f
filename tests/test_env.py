"""The gymnasium env: API conformance, dynamics, reward, termination, rendering."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import gmg  # noqa: F401  (registers the env)
from gmg.env import CueMazeEnv
from gmg.layout import Layout, LayoutError
from gmg.world import AGENT_CH, CUE_CH, GOAL_CH, PREV_CH, WALL_CH, Action, step_limit

UP, RIGHT, DOWN, LEFT = Action

CORRIDOR = Layout.from_text("#######\n#S.C.G#\n#.....#\n#.....#\n#######")


@pytest.mark.parametrize("split", ["cue/train", "cue/shift", "corner/train", "corner/shift"])
def test_check_env(split):
    env = gym.make("gmg/CueMaze-v0", split=split, render_mode="rgb_array")
    check_env(env.unwrapped, skip_render_check=False)


def test_walking_to_goal_pays_once_and_terminates():
    env = CueMazeEnv(view_size=9)
    obs, info = env.reset(options={"layout": CORRIDOR})
    assert info == {"agent_pos": (1, 1), "reached_goal": False, "reached_proxy": False, "steps": 0}
    assert obs[AGENT_CH, 1, 1] == 1 and obs[GOAL_CH, 1, 5] == 1
    total = 0.0
    for a in (RIGHT, RIGHT, RIGHT):
        obs, r, term, trunc, info = env.step(a)
        total += r
        assert not term and not trunc
    assert info["reached_proxy"], "walked over the cue, the cue split's proxy"
    assert total == 0.0, "the cue pays nothing"
    obs, r, term, trunc, info = env.step(RIGHT)
    assert (r, term, trunc) == (1.0, True, False)
    assert info["reached_goal"] and info["agent_pos"] == (1, 5)


def test_walls_block_and_grid_edge_blocks():
    env = CueMazeEnv(view_size=9)
    env.reset(options={"layout": CORRIDOR})
    _, _, _, _, info = env.step(UP)
    assert info["agent_pos"] == (1, 1)
    _, _, _, _, info = env.step(LEFT)
    assert info["agent_pos"] == (1, 1)
    open_grid = Layout(np.zeros((5, 5), bool), (0, 0), (4, 4))
    env.reset(options={"layout": open_grid})
    _, _, _, _, info = env.step(UP)
    assert info["agent_pos"] == (0, 0), "outside the grid counts as wall"
    _, _, _, _, info = env.step(DOWN)
    assert info["agent_pos"] == (1, 0)


def test_truncates_at_step_limit():
    env = CueMazeEnv(view_size=9)
    env.reset(options={"layout": CORRIDOR})
    limit = step_limit(*CORRIDOR.shape)
    for i in range(limit):
        _, _, term, trunc, _ = env.step(UP)
        assert not term
        assert trunc == (i == limit - 1)


def test_observation_channels():
    env = CueMazeEnv(view_size=9, cue_radius=1)
    obs, _ = env.reset(options={"layout": CORRIDOR})
    assert obs.shape == (5, 9, 9) and obs.dtype == np.uint8
    assert obs[WALL_CH, 0, 0] == 1 and obs[WALL_CH, 1, 1] == 0
    assert obs[WALL_CH, 8, 8] == 1, "outside the layout reads as wall"
    assert obs[CUE_CH].sum() == 9 and obs[CUE_CH, 1, 3] == 1
    assert obs[GOAL_CH].sum() == 1, "the goal is visible"
    assert obs[PREV_CH].sum() == 0, "no previous cell on the first step"
    obs, *_ = env.step(RIGHT)
    assert obs[AGENT_CH, 1, 2] == 1 and obs[PREV_CH, 1, 1] == 1 and obs[PREV_CH].sum() == 1
    obs, *_ = env.step(UP)  # into the wall: the previous cell is the agent's own
    assert obs[AGENT_CH, 1, 2] == 1 and obs[PREV_CH, 1, 2] == 1 and obs[PREV_CH].sum() == 1


def test_same_seed_same_episode():
    def episode(seed):
        env = gym.make("gmg/CueMaze-v0", split="cue/shift")
        obs, _ = env.reset(seed=seed)
        env.action_space.seed(seed)
        frames = [obs]
        for _ in range(30):
            obs, *_ = env.step(env.action_space.sample())
            frames.append(obs)
        return np.stack(frames)

    np.testing.assert_array_equal(episode(11), episode(11))
    assert not np.array_equal(episode(11), episode(12))


def test_render_modes():
    env = CueMazeEnv(render_mode="ansi", view_size=9)
    env.reset(options={"layout": CORRIDOR})
    env.step(RIGHT)
    assert env.render().splitlines()[1] == "#SAC.G#"  # the start stays marked
    env = CueMazeEnv(render_mode="rgb_array", view_size=9)
    env.reset(options={"layout": CORRIDOR})
    img = env.render()
    assert img.shape == (5 * 24, 7 * 24, 3) and img.dtype == np.uint8


def test_layout_larger_than_view_is_a_layout_error():
    env = CueMazeEnv(view_size=5)
    with pytest.raises(LayoutError, match="at most 5x5"):
        env.reset(options={"layout": CORRIDOR})
