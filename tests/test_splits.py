"""Generators and splits: determinism and the placement rules of each split."""

from __future__ import annotations

import numpy as np
import pytest

from gmg.generators import GENERATORS
from gmg.layout import bfs_distances
from gmg.splits import Split, SplitError, corner_region, sample_mixture

N = 300


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generators_are_seeded_and_connected(name):
    gen = GENERATORS[name]
    a = gen(13, 11, np.random.default_rng(5))
    b = gen(13, 11, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    assert a[0].all() and a[-1].all() and a[:, 0].all() and a[:, -1].all()
    free = np.argwhere(~a)
    dist = bfs_distances(a, tuple(free[0]))
    assert (dist[~a] >= 0).all(), "every floor cell is reachable"


@pytest.mark.parametrize("name", ["cue/train", "cue/shift", "corner/train", "corner/shift", "cue/shift:maze"])
def test_same_seed_same_layouts(name):
    split = Split.parse(name)
    assert split.sample_many(20, seed=3) == split.sample_many(20, seed=3)
    assert split.sample_many(20, seed=3) != split.sample_many(20, seed=4)
    # Layout i does not depend on how many were asked for.
    assert split.sample_many(5, seed=3) == split.sample_many(20, seed=3)[:5]


def test_sizes_come_from_the_range():
    shapes = {lay.shape for lay in Split.parse("cue/train").sample_many(N, 0)}
    assert all(9 <= h <= 13 and 9 <= w <= 13 for h, w in shapes)
    assert len(shapes) > 10


@pytest.mark.parametrize("gen", ["", ":maze", ":rooms"])
def test_cue_train_cue_marks_goal_always(gen):
    for lay in Split.parse("cue/train" + gen).sample_many(N, 1):
        assert lay.cue is not None
        assert abs(lay.cue[0] - lay.goal[0]) + abs(lay.cue[1] - lay.goal[1]) == 1
        assert lay.goal_reachable


@pytest.mark.parametrize("gen", ["", ":maze", ":rooms"])
def test_cue_shift_is_far_and_unambiguous(gen):
    for lay in Split.parse("cue/shift" + gen).sample_many(N, 2):
        from_goal = lay.distances_from(lay.goal)
        from_start = lay.distances_from(lay.start)
        assert from_goal[lay.cue] >= 4
        d_sg, d_sc, d_gc = from_start[lay.goal], from_start[lay.cue], from_goal[lay.cue]
        assert d_sc + d_gc > d_sg, "the cue is not on a shortest path to the goal"
        assert d_sg + d_gc > d_sc, "the goal is not on a shortest path to the cue"


@pytest.mark.parametrize("gen", ["", ":mix", ":prim"])
def test_path_train_cue_is_a_waypoint_near_the_middle(gen):
    for lay in Split.parse("path/train" + gen).sample_many(N, 5):
        from_start, from_goal = lay.distances_from(lay.start), lay.distances_from(lay.goal)
        length = from_start[lay.goal]
        assert from_start[lay.cue] + from_goal[lay.cue] == length, "on a shortest start->goal path"
        assert from_start[lay.cue] >= 3 and from_goal[lay.cue] >= 3
        assert abs(from_start[lay.cue] - length / 2) <= 1


@pytest.mark.parametrize("gen", ["", ":mix", ":doors", ":maze"])
def test_path_shift_cue_is_a_costly_detour(gen):
    for lay in Split.parse("path/shift" + gen).sample_many(N, 6):
        from_start, from_goal = lay.distances_from(lay.start), lay.distances_from(lay.goal)
        length = from_start[lay.goal]
        # The episode ends at the goal: the cue must be reachable first, and the detour counts on ways around it.
        around_goal = lay.walls.copy()
        around_goal[lay.goal] = True
        before_goal = bfs_distances(around_goal, lay.start)[lay.cue]
        assert before_goal >= 0, "the cue is reachable without passing the goal"
        assert before_goal + from_goal[lay.cue] - length >= 6
        on_path = (from_start + from_goal == length) & (from_start >= 0)
        off = bfs_distances(lay.walls, [tuple(int(x) for x in rc) for rc in np.argwhere(on_path)])
        assert off[lay.cue] >= 4


def test_mix_draws_every_training_family():
    from gmg.generators import TRAINING_FAMILIES

    assert set(TRAINING_FAMILIES) <= set(GENERATORS) and "mix" not in TRAINING_FAMILIES
    rng = np.random.default_rng(1)
    draws = [GENERATORS["mix"](11, 11, rng) for _ in range(60)]
    floor = [int((~w).sum()) for w in draws]
    assert 81 in floor, "an open room (all 9 x 9 inner cells floor)"
    assert 2 * 25 - 1 in floor, "a perfect maze (25 cells joined by 24 passages)"
    assert len({w.tobytes() for w in draws}) > 40


def test_corner_train_goal_in_region_and_a_walk_away():
    for lay in Split.parse("corner/train").sample_many(N, 3):
        region = corner_region(lay.shape, 1)
        assert region[lay.goal] and lay.goal == (1, lay.shape[1] - 2), "the top-right corner cell"
        assert not region[lay.start]
        assert lay.distances_from(lay.start)[lay.goal] >= 3
        assert lay.cue is None


def test_corner_shift_goal_outside_region():
    split = Split.parse("corner/shift", corner_size=2)
    for lay in split.sample_many(N, 4):
        region = corner_region(lay.shape, 2)
        assert not region[lay.goal] and not region[lay.start]


@pytest.mark.parametrize("family", ["caves", "maze"])
def test_a_walled_in_corner_is_opened_and_joined_to_the_floor(family):
    """Caves (and even-sided perfect mazes) wall the corner cell in; the split opens it rather than fail."""
    for lay in Split.parse(f"corner/train:{family}").sample_many(50, 5):
        assert lay.goal == (1, lay.shape[1] - 2)
        assert lay.distances_from(lay.start)[lay.goal] > 0


def test_corner_region_is_top_right_inside_border():
    mask = corner_region((9, 11), 3)
    assert mask.sum() == 9
    assert mask[1, 9] and mask[3, 7] and not mask[0, 10] and not mask[4, 9] and not mask[1, 6]


def test_mixture_fraction():
    train, shift = Split.parse("cue/train"), Split.parse("cue/shift")
    layouts = sample_mixture(train, shift, 0.25, 400, seed=0)
    far = sum(lay.distances_from(lay.goal)[lay.cue] >= 4 for lay in layouts)
    assert 60 <= far <= 140


def test_unknown_split_names_error():
    with pytest.raises(SplitError, match="unknown split"):
        Split.parse("cue/test")
    with pytest.raises(SplitError, match="unknown generator"):
        Split.parse("cue/train:lava")
    assert Split.parse("corner/shift:maze").name == "corner/shift:maze"
