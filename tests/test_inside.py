"""Inside the agent: attribution, the fork, the path map and steering (gmg/inside.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from gmg.agents import OracleAgent, load_agent
from gmg.inside import (
    PlanMaps,
    SteeredAgent,
    attribution,
    batch_attribution,
    find_fork,
    fork_probs,
    move_steps,
    moves_observations,
    observations_at,
    path_map,
    path_observations,
    plan_maps,
    plan_summary,
    steering_vectors,
)
from gmg.layout import Layout, bfs_distances
from gmg.presets import load_preset
from gmg.proxy import CUE, Proxy
from gmg.rollout import play, run
from gmg.splits import Split
from gmg.ui.chapters import seed_runs
from gmg.world import AGENT_CH, CUE_CH, PREV_CH
from scripts.reward_maps import maze_capability, planner_runs, up_or_right

# A T-junction: the corridor from S meets a crossing corridor; the goal lies left, the cue right.
T_MAZE = """
#########
#G.....C#
####.####
####.####
####S####
#########
"""


@pytest.fixture(scope="module")
def cue_always():
    return load_agent("cue-always")


def test_a_zero_coefficient_reproduces_the_unsteered_run_exactly(cue_always):
    layout = load_preset("cue-shifted")
    for kind, layers in steering_vectors("cue-always").items():
        for layer, vector in layers.items():
            steered = SteeredAgent(cue_always, layer, vector, 0.0)
            a, b = run(cue_always, layout, seed=3), run(steered, layout, seed=3)
            assert a.path == b.path, (kind, layer)
            obs = path_observations(layout, a.path, cue_always)
            assert np.array_equal(cue_always.action_probs(obs), steered.action_probs(obs))


def test_a_nonzero_coefficient_changes_the_policy(cue_always):
    layout = load_preset("cue-shifted")
    obs = path_observations(layout, run(cue_always, layout, seed=0).path, cue_always)
    vector = steering_vectors("cue-always")["cue"][0]
    moved = SteeredAgent(cue_always, 0, vector, -2.0).action_probs(obs)
    assert np.abs(moved - cue_always.action_probs(obs)).max() > 1e-3


def test_the_attribution_of_a_channel_absent_from_the_observation_is_zero(cue_always):
    layout = load_preset("cue-shifted").replace(cue=None)
    traj = run(cue_always, layout, seed=0)
    at = attribution(cue_always, layout, traj.path)
    assert len(at.proxy) == traj.steps
    assert np.all(at.proxy == 0.0)
    assert at.goal.max() > 0  # the goal is in view, and the agent does look at it


def test_path_observations_carry_the_agent_and_its_memory(cue_always):
    layout = Layout.from_text(T_MAZE)
    path = [(4, 4), (3, 4), (2, 4), (1, 4)]
    obs = path_observations(layout, path, cue_always)
    assert obs.shape == (3, 5, cue_always.view_size, cue_always.view_size)
    assert obs[0, PREV_CH].sum() == 0 and obs[1, PREV_CH, 4, 4] == 1 and obs[2, PREV_CH, 3, 4] == 1
    assert [tuple(np.argwhere(o[AGENT_CH])[0]) for o in obs] == path[:-1]


def test_batch_attribution_is_the_mean_of_each_runs_attribution(cue_always):
    layouts = Split.parse("cue/shift").sample_many(6, 5)
    runs = play(cue_always, layouts, 5)
    paths = [runs.path(i) for i in range(len(layouts))]
    batch = batch_attribution(cue_always, layouts, paths, CUE)
    for i, (layout, path) in enumerate(zip(layouts, paths, strict=True)):
        one = attribution(cue_always, layout, path)
        assert batch.goal[i] == pytest.approx(one.goal.mean(), abs=1e-6)
        assert batch.proxy[i] == pytest.approx(one.proxy.mean(), abs=1e-6)


def test_cue_always_looks_at_the_cue_more_than_at_the_goal(cue_always):
    layouts = Split.parse("cue/shift:mix").sample_many(60, 0)
    runs = play(cue_always, layouts, 0)
    at = batch_attribution(cue_always, layouts, [runs.path(i) for i in range(len(layouts))], CUE)
    assert at.proxy.mean() > 2 * at.goal.mean()


def test_the_fork_is_where_the_ways_to_goal_and_cue_part():
    layout = Layout.from_text(T_MAZE)
    fork = find_fork(layout, CUE)
    assert fork is not None
    assert fork.cell == (1, 4) and fork.prev == (2, 4)
    assert fork.toward_goal == (3,) and fork.toward_proxy == (1,)  # left to the goal, right to the cue
    assert (fork.goal_distance, fork.proxy_distance) == (3, 3)
    # The oracle walks to the goal: all its probability is on the goal's side.
    p_goal, p_proxy = fork_probs(OracleAgent(), [layout], [fork])
    assert p_goal[0] == pytest.approx(1.0) and p_proxy[0] == pytest.approx(0.0)


def test_no_fork_without_a_proxy_or_with_the_start_on_it():
    layout = Layout.from_text(T_MAZE)
    assert find_fork(layout.replace(cue=None), CUE) is None
    assert find_fork(layout.replace(start=(1, 6)), Proxy("corner", 3)) is None  # the start is in the corner


def test_no_fork_where_one_target_lies_on_the_way_to_the_other():
    layout = Layout.from_text(T_MAZE)
    assert find_fork(layout.replace(cue=(3, 4)), CUE) is None  # the cue is on the corridor to the goal
    # Only through the goal, which ends the episode: a cue behind the goal is no choice either.
    assert find_fork(layout.replace(cue=(1, 1), goal=(1, 2)), CUE) is None


def test_a_cue_beside_the_goal_forks_next_to_both():
    """Ways to the cue through the goal do not count (the goal ends the episode), so the fork is not the goal."""
    layout = Layout.from_text(T_MAZE).replace(goal=(1, 3), cue=(1, 5))
    fork = find_fork(layout, CUE)
    assert fork is not None and fork.cell == (1, 4)
    assert fork.toward_goal == (3,) and fork.toward_proxy == (1,)


@pytest.mark.parametrize("split", ["cue/shift:mix", "path/shift:mix", "cue/train:mix", "corner/shift:mix"])
def test_every_fork_is_a_choice(split):
    proxy = Proxy("corner", 3) if split.startswith("corner") else CUE
    for layout in Split.parse(split).sample_many(150, 3):
        fork = find_fork(layout, proxy)
        if fork is not None:
            assert fork.toward_goal and fork.toward_proxy, layout.to_text()
            assert fork.cell != layout.goal and fork.cell not in proxy.cells(layout)


def test_the_corner_fork_uses_the_corner_region():
    layout = Split.parse("corner/shift").sample([0, 1])
    fork = find_fork(layout, Proxy("corner", 3))
    assert fork is not None and fork.toward_goal and fork.toward_proxy
    assert not set(fork.toward_goal) & set(fork.toward_proxy)


def test_the_path_map_follows_the_policy():
    layout = Layout.from_text(T_MAZE)
    strength = path_map(OracleAgent(), layout)
    # The oracle heads to the goal with certainty: every cell on the way is drawn at 1, the cue's arm hardly.
    for cell in [(3, 4), (2, 4), (1, 4), (1, 3), (1, 2), (1, 1)]:
        assert strength[cell] == pytest.approx(1.0)
    assert strength[(1, 7)] < 1e-3
    assert layout.start not in strength
    assert set(strength) == {(r, c) for r, c in np.argwhere(~layout.walls)} - {layout.start}


def test_the_plan_is_read_from_planners_only(cue_always):
    layout = load_preset("cue-shifted")
    assert plan_maps(load_agent("cue-seeker"), layout) is None  # a scripted agent has no reward map
    mlp = load_agent("cue-always")
    mlp.network.net = "mlp"  # what plan_maps reads: a network without a planner has no reward map
    assert plan_maps(mlp, layout) is None
    maps = plan_maps(cue_always, layout)
    assert maps is not None and set(maps.reward) == set(maps.value)
    assert all(not layout.walls[c] for c in maps.reward)  # free cells only
    # Value iteration keeps a cell's own reward or more, and a steered agent shows its network's plan.
    assert all(maps.value[c] >= maps.reward[c] - 1e-6 for c in maps.reward)
    steered = SteeredAgent(cue_always, 0, np.ones(cue_always.card["config"]["hidden"][0], np.float32), 1.0)
    assert plan_maps(steered, layout).reward == maps.reward


def test_cue_always_learned_to_value_the_cue_above_the_goal(cue_always):
    """What the Inside page shows: in shifted mazes the planner's learned reward peaks on the cue, not the goal."""
    layouts = Split.parse("cue/shift:mix").sample_many(40, 0)
    rewards = [plan_maps(cue_always, layout).rewards(layout, CUE) for layout in layouts]
    assert sum(r["proxy"] > r["goal"] for r in rewards) >= 0.9 * len(layouts)
    assert all(r["median"] < r["proxy"] for r in rewards), "an ordinary cell is worth less than the cue"


def test_the_proxys_reward_is_its_brightest_cell_as_the_network_sees_it():
    layout = Layout.from_text(T_MAZE)
    free = [tuple(map(int, c)) for c in np.argwhere(~layout.walls)]
    maps = PlanMaps({c: 0.0 for c in free}, {c: 0.0 for c in free}, 0.9)
    maps.reward[(1, 6)] = 0.5  # beside the cue (1, 7): inside its 3x3 blob
    assert maps.rewards(layout, CUE)["proxy"] == 0.5
    assert maps.rewards(layout, CUE, radius=0)["proxy"] == 0.0
    corner = Proxy("corner", 3)
    assert maps.rewards(layout, corner)["proxy"] == max(maps.reward.get(c, 0.0) for c in corner.cells(layout))
    assert maps.rewards(layout.replace(cue=None), CUE)["proxy"] is None


def test_a_planner_lacks_skill_exactly_when_its_reward_map_never_switched_on():
    """README, "A dead reward map, and its cure": every shipped planner that meets the skill bar on
    recursive-backtracker mazes plans over 20+ steps there, and every one that misses it has a flat map (the goal's
    reward no higher than a cell's)."""
    runs = planner_runs()
    for seed_run in runs:
        card = seed_run.card
        layouts = Split.parse(f"{card['scenario']}/train:maze").sample_many(20, 7)
        horizon = plan_summary(load_agent(card["name"], seed_run.directory), layouts)["horizon"]
        skilled = maze_capability(card) >= 0.97
        assert (horizon > 20) if skilled else (horizon < 5), (seed_run.directory.name, card["name"], horizon)
    assert len(runs) >= 10


def test_the_horizon_counts_steps_over_which_the_best_reward_beats_an_ordinary_cell():
    layout = Layout.from_text(T_MAZE)
    free = [tuple(map(int, c)) for c in np.argwhere(~layout.walls)]
    maps = PlanMaps({c: 0.01 for c in free}, {c: 0.0 for c in free}, 0.9)
    maps.reward[layout.goal] = 0.01 / 0.9**10  # worth an ordinary cell's reward ten steps away
    assert maps.horizon(layout, CUE) == pytest.approx(10)
    for cell in (layout.goal, (1, 6), (1, 7)):  # the goal and the cue's blob below an ordinary cell: a dead map
        maps.reward[cell] = 0.005
    assert maps.horizon(layout, CUE) < 0


def test_the_plan_leads_to_whichever_target_its_values_climb_to():
    """A lower reward can still win the climb from the start when it lies nearer (README, "corner seed 4")."""
    t_maze = Layout.from_text(T_MAZE)  # the goal and the cue 6 steps from the start
    near = Layout.from_text(T_MAZE.replace("#G.....C#", "#G...C..#"))  # the cue 4 steps from it

    def maps(layout: Layout, goal: float, cue: float) -> PlanMaps:
        free = [tuple(map(int, c)) for c in np.argwhere(~layout.walls)]
        to_goal, to_cue = bfs_distances(layout.walls, layout.goal), bfs_distances(layout.walls, layout.cue)
        value = {c: max(goal * 0.9 ** to_goal[c], cue * 0.9 ** to_cue[c]) for c in free}
        return PlanMaps(dict.fromkeys(free, 0.0), value, 0.9)

    assert maps(t_maze, 1.0, 0.0).leads_to(t_maze, CUE) == "goal"
    assert maps(t_maze, 0.0, 1.0).leads_to(t_maze, CUE) == "proxy"
    assert maps(t_maze, 0.0, 0.0).leads_to(t_maze, CUE) == "neither"  # a flat map plans nothing
    assert maps(t_maze, 1.0, 0.85).leads_to(t_maze, CUE) == "goal"  # as near as the cue, the goal pays more
    assert maps(near, 1.0, 0.85).leads_to(near, CUE) == "proxy"  # the goal pays more, the cue is 2 steps nearer

    free = [tuple(map(int, c)) for c in np.argwhere(~t_maze.walls)]
    for peak, end in (((1, 6), "proxy"), ((1, 2), "goal"), ((1, 4), "neither")):  # beside the cue, the goal, neither
        value = {c: 0.9 ** bfs_distances(t_maze.walls, peak)[c] for c in free}
        assert PlanMaps(dict.fromkeys(free, 0.0), value, 0.9).leads_to(t_maze, CUE) == end, peak


def test_every_corner_seed_leans_up_and_right_wherever_it_stands():
    """README, corner seed 4: where its plan points nowhere, the body's own lean takes it to the corner."""
    layouts = Split.parse("corner/shift:mix").sample_many(20, 7)
    for seed_run in seed_runs("corner"):
        lean, fair = up_or_right(load_agent("corner", seed_run.directory), layouts)
        assert lean > 0.75 and abs(fair - 0.5) < 0.05, (seed_run.seed, lean, fair)
    assert up_or_right(load_agent("corner-plan"), layouts)[0] < 0.7  # the same mazes, learned the goal


def test_what_a_run_saw_loses_a_fading_cue_from_the_step_it_stood_on_it():
    layout = Layout.from_text(T_MAZE)  # the cue at (1, 7), the end of the right arm
    path = [(4, 4), (3, 4), (2, 4), (1, 4), (1, 5), (1, 6), (1, 7), (1, 6), (1, 5)]
    for fades in (False, True):
        seer = SimpleNamespace(view_size=13, cue_radius=1, cue_fades=fades)
        cue = path_observations(layout, path, seer)[:, CUE_CH].sum(axis=(1, 2)).tolist()
        assert cue == [cue[0]] * 6 + ([0, 0] if fades else [cue[0]] * 2), fades
        # The same moves, picked out of a batch of runs, see the same.
        moves = move_steps([layout, layout], [path[:3], path])
        batch = moves_observations([layout, layout], moves.pick(range(2, len(moves.level))), seer)
        assert batch[:, CUE_CH].sum(axis=(1, 2)).tolist() == cue
        # A recorded run (examples.json) holds its cells as lists.
        assert move_steps([layout], [[list(c) for c in path]]).passed == move_steps([layout], [path]).passed


def test_a_planner_plans_again_once_the_cue_has_gone_out():
    """A plan is cached per maze view (its wall, goal and cue planes), so when a fading cue goes out the planner
    plans the maze again instead of walking on by a map that still holds the cue."""
    agent = load_agent("cue-on-path")
    assert agent.cue_fades
    layout = load_preset("path-shifted")
    before, after = observations_at([layout], [0, 0], [layout.start] * 2, [None] * 2, agent, passed=[False, True])
    assert before[CUE_CH].any() and not after[CUE_CH].any()
    reward = agent.network.plan(np.stack([before, after]))[0]
    peaks = [tuple(int(x) for x in np.unravel_index(r.argmax(), r.shape)) for r in reward]
    assert peaks == [layout.cue, layout.goal], "its learned reward peaks on the cue, and on the goal once it is out"
    warm = agent.action_probs(np.stack([before, after]))  # both views through one cache
    cold = load_agent("cue-on-path").action_probs(after[None])  # a fresh cache sees only the cue-less view
    np.testing.assert_allclose(warm[1], cold[0], atol=1e-6)
