"""The policy's egocentric crop puts the agent at the centre and reads outside the maze as wall."""

from __future__ import annotations

import numpy as np
import torch

from gmg.policy import egocentric
from gmg.splits import Split
from gmg.world import CUE_CH, GOAL_CH, PREV_CH, WALL_CH, Levels, observe, reset


def test_egocentric_crop_matches_a_plain_loop():
    layouts = Split.parse("cue/train").sample_many(40, 2)
    levels = Levels.from_layouts(layouts, 13)
    rng = np.random.default_rng(0)
    idx = np.arange(len(levels))
    pos = np.array([rng.choice(np.argwhere(~lay.walls)) for lay in layouts])
    prev = np.clip(pos + rng.integers(-1, 2, size=pos.shape), 0, 12)
    state = reset(levels, idx)
    state.pos[:], state.prev[:] = pos, prev
    obs = observe(levels, state)
    crop = egocentric(torch.as_tensor(obs), memory=True).numpy()
    assert crop.shape == (40, 4, 25, 25)
    np.testing.assert_array_equal(crop[:, :3], egocentric(torch.as_tensor(obs), memory=False).numpy())
    for i in range(len(levels)):
        for ch, (src, pad) in enumerate(((WALL_CH, 1), (GOAL_CH, 0), (CUE_CH, 0), (PREV_CH, 0))):
            want = np.full((25, 25), pad, dtype=np.float32)
            r, c = pos[i]
            want[12 - r : 12 - r + 13, 12 - c : 12 - c + 13] = obs[i, src]
            np.testing.assert_array_equal(crop[i, ch], want)
        assert crop[i, WALL_CH, 12, 12] == 0, "the agent stands on a free cell at the centre"
