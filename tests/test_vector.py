"""The vector env steps exactly like the single env."""

from __future__ import annotations

import numpy as np
import pytest

from gmg.env import CueMazeEnv
from gmg.splits import Split
from gmg.vector import VectorCueMazeEnv


def test_parity_with_single_env_over_random_steps():
    pool = (
        Split.parse("cue/train").sample_many(6, 0)
        + Split.parse("cue/shift:maze").sample_many(6, 1)
        + Split.parse("corner/shift:rooms").sample_many(6, 2)
    )
    n, view = 8, 13
    vec = VectorCueMazeEnv(pool, n, view_size=view)
    obs, info = vec.reset(seed=0)
    singles = [CueMazeEnv(view_size=view) for _ in range(n)]
    for i, env in enumerate(singles):
        o, _ = env.reset(options={"layout": pool[info["level"][i]]})
        np.testing.assert_array_equal(o, obs[i])
    rng = np.random.default_rng(0)
    episodes = 0
    for _ in range(200):  # 8 x 200 = 1600 env steps
        actions = rng.integers(4, size=n)
        obs, reward, term, trunc, info = vec.step(actions)
        for i, env in enumerate(singles):
            o, r, te, tr, inf = env.step(int(actions[i]))
            assert (r, te, tr) == (reward[i], term[i], trunc[i])
            assert inf["agent_pos"] == tuple(info["agent_pos"][i])
            assert inf["reached_cue"] == info["reached_cue"][i]
            assert inf["steps"] == info["steps"][i]
            if te or tr:
                episodes += 1
                o, _ = env.reset(options={"layout": pool[vec.level[i]]})
            np.testing.assert_array_equal(o, obs[i])
    assert episodes > 20, "auto-reset was exercised"


def test_reset_to_chosen_levels_and_seeded_pool():
    pool = Split.parse("cue/train").sample_many(10, 0)
    vec = VectorCueMazeEnv(pool, 3, view_size=13)
    _, info = vec.reset(options={"levels": [4, 5, 6]})
    assert list(info["level"]) == [4, 5, 6]
    assert tuple(info["agent_pos"][0]) == pool[4].start
    a = VectorCueMazeEnv.from_split("corner/train", 4, pool_size=16, seed=1, view_size=13)
    b = VectorCueMazeEnv.from_split("corner/train", 4, pool_size=16, seed=1, view_size=13)
    np.testing.assert_array_equal(a.reset(seed=2)[0], b.reset(seed=2)[0])
    assert a.pool.proxy.sum(axis=(1, 2)).min() >= 1, "corner pools track the corner region as proxy"


def test_random_starts_use_free_cells_other_than_goal_and_cue():
    pool = Split.parse("cue/train").sample_many(20, 0)
    vec = VectorCueMazeEnv(pool, 256, view_size=13, random_start=1.0)
    _, info = vec.reset(seed=0)
    starts = set()
    for i in range(256):
        layout = pool[info["level"][i]]
        cell = tuple(int(x) for x in info["agent_pos"][i])
        assert not layout.walls[cell] and cell not in (layout.goal, layout.cue)
        starts.add((int(info["level"][i]), cell))
    assert len(starts) > 150, "starts are spread over the free cells"
    vec = VectorCueMazeEnv(pool, 8, view_size=13)
    _, info = vec.reset(seed=0)
    assert all(tuple(info["agent_pos"][i]) == pool[info["level"][i]].start for i in range(8)), "off by default"


def test_level_weights_steer_draws_and_shift_mask_marks_the_mixture():
    vec = VectorCueMazeEnv.from_split(
        "cue/train", 64, pool_size=200, seed=3, view_size=13, shift_split="cue/shift", shift_fraction=0.3
    )
    shifted = [
        i for i, lay in enumerate(vec.pool.layouts) if abs(lay.cue[0] - lay.goal[0]) + abs(lay.cue[1] - lay.goal[1]) > 1
    ]
    assert sorted(shifted) == list(np.flatnonzero(vec.shift_mask)), "the mask is exactly the shift-split levels"
    weights = np.zeros(200)
    weights[[7, 11]] = [1.0, 3.0]
    vec.set_level_weights(weights)
    _, info = vec.reset(seed=0)
    drawn = list(info["level"])
    for _ in range(200):  # auto-resets draw from the weights too
        _, _, term, trunc, info = vec.step(vec.action_space.sample())
        drawn += list(vec.level[term | trunc])
    assert set(drawn) == {7, 11}
    assert 0.6 < np.mean(np.array(drawn) == 11) < 0.9
    with pytest.raises(ValueError, match="non-negative"):
        vec.set_level_weights(np.zeros(200))
    vec.set_level_weights(None)
    assert len(set(vec.reset(seed=0)[1]["level"])) > 20, "None restores uniform draws"
