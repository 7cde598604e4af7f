"""One step function: the gymnasium env, the vector env and the rollouts play identical episodes."""

from __future__ import annotations

import numpy as np
import pytest

from gmg.env import CueMazeEnv
from gmg.proxy import Proxy
from gmg.rollout import play
from gmg.splits import SPLIT_NAMES, Split
from gmg.vector import VectorCueMazeEnv
from gmg.world import AGENT_CH, CUE_CH, DEFAULT_CUE_RADIUS, PREV_CH, Levels, observe, reset, step, step_limit

VIEW = 13
HORIZON = step_limit(VIEW, VIEW)


class TablePolicy:
    """A seeded policy that all three wrappers can follow: the action is a table lookup on (step, agent cell,
    previous cell), so identical dynamics give identical actions, and any disagreement shows at once."""

    view_size = VIEW
    cue_radius = DEFAULT_CUE_RADIUS
    cue_fades = False

    def __init__(self, seed: int, proxy: Proxy) -> None:
        self.table = np.random.default_rng(seed).integers(4, size=(HORIZON + 1, VIEW, VIEW, 2))
        self.card = {"name": "table", "proxy": proxy.kind, "corner_size": proxy.size}
        self.t = 0

    def actions(self, obs: np.ndarray, t: int) -> np.ndarray:
        n = len(obs)
        agent = obs[:, AGENT_CH].reshape(n, -1).argmax(axis=1)
        moved = obs[:, PREV_CH].reshape(n, -1).max(axis=1)
        return self.table[t, agent // VIEW, agent % VIEW, moved]

    def check_layout(self, layout) -> None: ...

    def act(self, obs, greedy=False, rng=None):
        a = self.actions(obs, self.t)
        self.t += 1
        return a


def _single(layout, split: Split, policy: TablePolicy) -> list[tuple]:
    env = CueMazeEnv(split=split.name, view_size=VIEW)
    obs, info = env.reset(options={"layout": layout})
    trace = []
    for t in range(HORIZON):
        a = int(policy.actions(obs[None], t)[0])
        obs, reward, term, trunc, info = env.step(a)
        trace.append((info["agent_pos"], reward, term, trunc, info["reached_proxy"]))
        if term or trunc:
            break
    return trace


@pytest.mark.parametrize("name", [s + g for s in SPLIT_NAMES for g in ("", ":maze", ":rooms")])
def test_env_vector_env_and_rollout_agree_step_by_step(name):
    split = Split.parse(name, sides=(9, VIEW))
    layouts = split.sample_many(100, seed=11)
    n = len(layouts)
    seed = sum(map(ord, name))

    # The gymnasium env, one layout at a time.
    singles = [_single(layout, split, TablePolicy(seed, split.proxy)) for layout in layouts]

    # The vector env, one slot per layout; each slot is compared up to its first episode's end.
    vec = VectorCueMazeEnv(layouts, n, view_size=VIEW, proxy=split.proxy)
    obs, _ = vec.reset(options={"levels": np.arange(n)})
    policy = TablePolicy(seed, split.proxy)
    vector = [[] for _ in range(n)]
    open_slots = np.ones(n, dtype=bool)
    for t in range(HORIZON):
        obs, reward, term, trunc, info = vec.step(policy.actions(obs, t))
        for i in np.flatnonzero(open_slots):
            vector[i].append(
                (tuple(int(x) for x in info["agent_pos"][i]), reward[i], term[i], trunc[i], info["reached_proxy"][i])
            )
        open_slots &= ~(term | trunc)
    assert vector == singles

    # The rollout, all layouts at once.
    runs = play(TablePolicy(seed, split.proxy), layouts)
    for i, trace in enumerate(singles):
        path = runs.path(i)[1:]
        assert path == [pos for pos, *_ in trace]
        term, trunc = trace[-1][2], trace[-1][3]
        assert (runs.goal_step[i] == len(trace)) == term
        assert trunc == (runs.goal_step[i] < 0)
        proxy_first = next((k + 1 for k, entry in enumerate(trace) if entry[4]), -1)
        start_on_proxy = split.proxy.mask(layouts[i])[layouts[i].start]
        assert runs.proxy_step[i] == (0 if start_on_proxy else proxy_first)


def test_step_freezes_ended_episodes_and_observe_matches_the_state():
    layouts = Split.parse("cue/train").sample_many(3, 0)
    levels = Levels.from_layouts(layouts, VIEW)
    state = reset(levels, np.arange(3))
    step(levels, state, np.array([1, 1]), live=np.array([0, 2]))
    assert state.steps.tolist() == [1, 0, 1]
    assert tuple(state.prev[1]) == (-1, -1), "the frozen episode has not moved"
    obs = observe(levels, state)
    for i in range(3):
        assert obs[i, AGENT_CH].sum() == 1 and obs[i, AGENT_CH][tuple(state.pos[i])] == 1
        assert obs[i, PREV_CH].sum() == (0 if i == 1 else 1)


def test_reset_to_chosen_levels_and_seeded_pool():
    pool = Split.parse("cue/train").sample_many(10, 0)
    vec = VectorCueMazeEnv(pool, 3, view_size=VIEW)
    _, info = vec.reset(options={"levels": [4, 5, 6]})
    assert list(info["level"]) == [4, 5, 6]
    assert tuple(info["agent_pos"][0]) == pool[4].start
    a = VectorCueMazeEnv.from_split("corner/train", 4, pool_size=16, seed=1, view_size=VIEW)
    b = VectorCueMazeEnv.from_split("corner/train", 4, pool_size=16, seed=1, view_size=VIEW)
    np.testing.assert_array_equal(a.reset(seed=2)[0], b.reset(seed=2)[0])
    assert a.pool.proxy.sum(axis=(1, 2)).min() >= 1, "corner pools track the corner region as proxy"


def test_vector_env_auto_resets_to_a_fresh_first_observation():
    pool = Split.parse("cue/train").sample_many(20, 0)
    vec = VectorCueMazeEnv(pool, 16, view_size=VIEW)
    vec.reset(seed=0)
    ended = 0
    for _ in range(200):
        obs, _, term, trunc, info = vec.step(vec.action_space.sample())
        for i in np.flatnonzero(term | trunc):
            ended += 1
            layout = pool[vec.level[i]]
            assert obs[i, AGENT_CH][layout.start] == 1 and obs[i, PREV_CH].sum() == 0
            assert info["steps"][i] >= 1
    assert ended > 20


CORRIDOR = """
#######
#######
#S.C.G#
#######
#######
"""


@pytest.mark.parametrize("fades", [False, True])
def test_a_fading_cue_leaves_the_view_once_the_agent_has_stood_on_it_and_only_then(fades):
    from gmg.layout import Layout

    levels = Levels.from_layouts([Layout.from_text(CORRIDOR)], VIEW, cue_fades=fades)
    state = reset(levels, np.array([0]))
    cue_seen = []
    for _ in range(4):  # right, right (onto the cue), right, left (back onto it)
        cue_seen.append(int(observe(levels, state)[0, CUE_CH].sum()))
        step(levels, state, np.array([1 if len(cue_seen) < 4 else 3]))
    cue_seen.append(int(observe(levels, state)[0, CUE_CH].sum()))
    full = cue_seen[0]
    assert full == 9
    assert cue_seen == ([full] * 5 if not fades else [full, full, 0, 0, 0])
    assert state.cue_seen[0]
    # The proxy and the reward do not care: the goal is still the only thing that pays.
    assert state.proxy_step[0] == 2 and not state.reached_goal[0]
