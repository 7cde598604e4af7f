"""Inside the agent: what it looks at, where it decides, how strongly each cell draws it, and steering.

Four measurements, all on the numpy network, so the served app runs them without torch:

- **Occlusion attribution** (:func:`attribution`): at each step of a run, the total-variation distance between the
  policy's action distribution and the one it gives with the goal removed from its observation, and with the proxy
  removed (the cue channel cleared; for a corner agent, the goal moved into or out of its corner).
- **The fork** (:func:`find_fork`): the first cell where the shortest path to the goal and the shortest path to the
  proxy (around the goal, which ends an episode) part ways, and the policy's probability of each way there.
- **The path map** (:func:`path_map`): per cell, the geometric mean of the policy's probabilities along a shortest
  path from the start to it. One batched forward pass; no sampling noise.
- **The plan** (:func:`plan_maps`), for planning networks only: the reward the network learned to see in each cell,
  and the value its value iteration spreads from it. Read straight from the network; nothing is fitted.
- **Steering** (:class:`SteeredAgent`): a vector added to one hidden layer's output at every step. The vectors
  (mean activation differences) are computed by ``scripts/analysis.py`` and shipped in :data:`VECTORS_PATH`.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from gmg.agents import BaseAgent, TrainedAgent
from gmg.layout import Cell, Layout, bfs_distances
from gmg.network import plans, softmax
from gmg.proxy import Proxy
from gmg.rollout import Agent, first_visit, levels_for
from gmg.world import CUE_CH, DEFAULT_CUE_RADIUS, GOAL_CH, MOVES, observe_at

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "inside"
VECTORS_PATH = ASSETS / "vectors.json"
POPULATION_PATH = ASSETS / "population.json"
STEER_RANGE = (-2.0, 2.0)


@dataclass(frozen=True)
class Moves:
    """Every move of some runs, flattened: its run's index, the cell it was made from, the cell before that, and
    whether the run had stood on its maze's cue by then (which, where the cue fades, is out of view)."""

    level: list[int]
    cells: list[Cell]
    prev: list[Cell | None]
    passed: list[bool]

    def pick(self, idx: Sequence[int]) -> Moves:
        return Moves(*([getattr(self, f)[i] for i in idx] for f in ("level", "cells", "prev", "passed")))


def move_steps(layouts: Sequence[Layout], paths: list[list[Cell]]) -> Moves:
    """The moves of run i on ``layouts[i]`` along ``paths[i]`` (one list of cells per run)."""
    moves = Moves([], [], [], [])
    for i, (layout, path) in enumerate(zip(layouts, paths, strict=True)):
        moves.level.extend([i] * (len(path) - 1))
        moves.cells.extend(path[:-1])
        moves.prev.extend([None, *path[:-2]])
        at = first_visit(path, layout.cue)
        moves.passed.extend(at is not None and k >= at for k in range(len(path) - 1))
    return moves


def path_observations(layout: Layout, path: list[Cell], agent: Agent) -> np.ndarray:
    """uint8[T, 5, V, V]: the observation before each of the run's T = len(path) - 1 moves (its memory included)."""
    return moves_observations([layout], move_steps([layout], [path]), agent)


def moves_observations(layouts: Sequence[Layout], moves: Moves, agent: Agent) -> np.ndarray:
    """uint8[k, 5, V, V]: what ``agent`` saw before each of ``moves`` (a fading cue gone once passed)."""
    return observations_at(layouts, moves.level, moves.cells, moves.prev, agent, moves.passed)


def observations_at(
    layouts: Sequence[Layout],
    level: list[int],
    cells: list[Cell],
    prev: list[Cell | None],
    agent: Agent,
    passed: list[bool] | None = None,
) -> np.ndarray:
    """uint8[k, 5, V, V]: ``agent``'s view with it at ``cells[i]`` of ``layouts[level[i]]``, having come from
    ``prev[i]``, and having stood on the cue if ``passed[i]`` (default: only where it stands on it)."""
    return observe_at(
        levels_for(agent, layouts),
        np.asarray(level, dtype=np.int64),
        np.asarray(cells, dtype=np.int64).reshape(-1, 2),
        np.array([(-1, -1) if p is None else p for p in prev], dtype=np.int64).reshape(-1, 2),
        passed,
    )


def total_variation(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """float[B]: half the L1 distance between rows of two probability tables."""
    return 0.5 * np.abs(p - q).sum(axis=1)


def _moved_goal(layout: Layout, proxy: Proxy) -> Cell | None:
    """The corner agent's counterfactual goal: the nearest free cell (by steps) on the other side of its corner's
    edge, into the corner or, if the goal is there, just out of it; None if there is none."""
    region = proxy.mask(layout)
    inside = bool(region[layout.goal])
    dist = bfs_distances(layout.walls, layout.goal)
    candidates = np.where((region != inside) & (dist > 0), dist, np.iinfo(np.int64).max)
    if candidates.min() == np.iinfo(np.int64).max:
        return None
    r, c = np.unravel_index(candidates.argmin(), candidates.shape)
    return int(r), int(c)


def proxy_label(proxy: Proxy) -> str:
    """What the proxy occlusion does, in a few words for a chart's legend."""
    return "cue removed" if proxy.kind == "cue" else f"goal moved across its {proxy.kind}"


@dataclass(frozen=True)
class Attribution:
    """Per decision step: how much the action distribution moves without the goal, and without the proxy."""

    goal: np.ndarray
    proxy: np.ndarray
    proxy_label: str


def attribution(agent: Any, layout: Layout, path: list[Cell], proxy: Proxy | None = None) -> Attribution:
    """Occlusion attribution along a run (``path`` from :class:`gmg.rollout.Trajectory`): float[T] each, 0 to 1.

    A channel absent from the observation (no cue drawn) gives exactly 0.
    """
    proxy = proxy or Proxy.from_card(agent.card)
    obs = path_observations(layout, list(path), agent)
    if not len(obs):
        return Attribution(np.zeros(0), np.zeros(0), proxy_label(proxy))
    return _occlude(agent, obs, [layout], [0] * len(obs), proxy)


def _occlude(agent: Any, obs: np.ndarray, layouts: list[Layout], level: list[int], proxy: Proxy) -> Attribution:
    """Per observation (of ``layouts[level[i]]``): how far the policy moves without the goal, and without the proxy."""
    base = agent.action_probs(obs)
    no_goal = obs.copy()
    no_goal[:, GOAL_CH] = 0
    no_proxy = obs.copy()
    if proxy.kind == "cue":
        no_proxy[:, CUE_CH] = 0
    else:
        targets = [_moved_goal(lay, proxy) for lay in layouts]  # once per maze, not once per step
        for i, k in enumerate(level):
            if targets[k] is not None:
                no_proxy[i, GOAL_CH] = 0
                no_proxy[i, GOAL_CH][targets[k]] = 1
    return Attribution(
        total_variation(base, agent.action_probs(no_goal)),
        total_variation(base, agent.action_probs(no_proxy)),
        proxy_label(proxy),
    )


def batch_attribution(agent: Any, layouts: list[Layout], paths: list[list[Cell]], proxy: Proxy) -> Attribution:
    """Each run's mean attribution over its steps (float[n] each), in one batched pass."""
    moves = move_steps(layouts, paths)
    level = moves.level
    obs = moves_observations(layouts, moves, agent)
    per_step = _occlude(agent, obs, layouts, level, proxy)
    counts = np.maximum(np.bincount(level, minlength=len(paths)), 1)

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(level, weights=values, minlength=len(paths)) / counts

    return Attribution(mean(per_step.goal), mean(per_step.proxy), per_step.proxy_label)


@dataclass(frozen=True)
class Fork:
    """Where the ways to the goal and to the proxy part: the cell, the cell before it, and each way's moves."""

    cell: Cell
    prev: Cell | None
    toward_goal: tuple[int, ...]
    toward_proxy: tuple[int, ...]
    goal_distance: int
    proxy_distance: int


def find_fork(layout: Layout, proxy: Proxy) -> Fork | None:
    """The fork of ``layout``, or None where there is no parting: the goal or the proxy cannot be reached (the
    proxy not without passing the goal), the start is on either, or the proxy lies on a shortest way to the goal.

    From the start, step while some move shortens both the way to the goal and the way to the proxy (the first
    such move in up, right, down, left order); the fork is the first cell where none does. An episode ends at the
    goal, so the ways to the proxy are those that avoid it: a cue just past the goal is no choice at the goal.
    """
    cells = [c for c in proxy.cells(layout) if c != layout.goal]
    if not cells:
        return None
    to_goal = bfs_distances(layout.walls, layout.goal)
    to_proxy = bfs_distances(layout.walls, cells, around=layout.goal)
    cell, prev = layout.start, None
    if to_goal[cell] <= 0 or to_proxy[cell] <= 0:
        return None
    h, w = layout.shape
    while True:
        goal_moves, proxy_moves = [], []
        for a, (dr, dc) in enumerate(MOVES):
            r, c = cell[0] + dr, cell[1] + dc
            if not (0 <= r < h and 0 <= c < w) or layout.walls[r, c]:
                continue
            goal_moves += [a] if to_goal[r, c] == to_goal[cell] - 1 else []
            proxy_moves += [a] if to_proxy[r, c] == to_proxy[cell] - 1 else []
        both = [a for a in goal_moves if a in proxy_moves]
        if not both:
            return Fork(cell, prev, tuple(goal_moves), tuple(proxy_moves), int(to_goal[cell]), int(to_proxy[cell]))
        prev, cell = cell, (cell[0] + int(MOVES[both[0]][0]), cell[1] + int(MOVES[both[0]][1]))
        if to_proxy[cell] == 0:  # the proxy is on the way to the goal: the ways never part
            return None


def fork_probs(agent: Any, layouts: list[Layout], forks: list[Fork]) -> tuple[np.ndarray, np.ndarray]:
    """(P(a step toward the goal), P(a step toward the proxy)) at each fork, float[n] each, in one pass."""
    if not forks:
        return np.zeros(0), np.zeros(0)
    obs = observations_at(
        layouts,
        list(range(len(forks))),
        [f.cell for f in forks],
        [f.prev for f in forks],
        agent,
    )
    probs = agent.action_probs(obs)
    goal = np.array([probs[i, list(f.toward_goal)].sum() for i, f in enumerate(forks)])
    proxy = np.array([probs[i, list(f.toward_proxy)].sum() for i, f in enumerate(forks)])
    return goal, proxy


def path_map(agent: Any, layout: Layout) -> dict[Cell, float]:
    """Per reachable cell: the geometric mean of the policy's probabilities along a shortest path from the start.

    The path is the first found by a breadth-first search (moves in up, right, down, left order); the agent at
    each cell on it remembers the cell before, as in a run. The goal ends an episode, so cells reached only
    through it are left out. The start has no moves and is left out too.
    """
    agent.check_layout(layout)
    parent: dict[Cell, Cell | None] = {layout.start: None}
    order = [layout.start]
    queue = deque([layout.start])
    h, w = layout.shape
    while queue:
        cell = queue.popleft()
        if cell == layout.goal:
            continue
        for dr, dc in MOVES:
            nxt = (cell[0] + int(dr), cell[1] + int(dc))
            if 0 <= nxt[0] < h and 0 <= nxt[1] < w and not layout.walls[nxt] and nxt not in parent:
                parent[nxt] = cell
                order.append(nxt)
                queue.append(nxt)
    expanding = [c for c in order if c != layout.goal]
    obs = observations_at([layout], [0] * len(expanding), expanding, [parent[c] for c in expanding], agent)
    probs = dict(zip(expanding, agent.action_probs(obs), strict=True))
    log_sum: dict[Cell, float] = {layout.start: 0.0}
    depth: dict[Cell, int] = {layout.start: 0}
    for cell in order[1:]:
        p = parent[cell]
        assert p is not None
        move = (cell[0] - p[0], cell[1] - p[1])
        action = next(a for a, m in enumerate(MOVES) if tuple(m) == move)
        log_sum[cell] = log_sum[p] + float(np.log(max(probs[p][action], 1e-12)))
        depth[cell] = depth[p] + 1
    return {c: float(np.exp(log_sum[c] / depth[c])) for c in order[1:]}


@dataclass
class PlanMaps:
    """A planning network's view of one maze: per free cell, its learned reward and its value after planning."""

    reward: dict[Cell, float]
    value: dict[Cell, float]
    gamma: float  # the learned discount: a cell one step further from a reward is worth gamma times less

    def rewards(self, layout: Layout, proxy: Proxy, radius: int = DEFAULT_CUE_RADIUS) -> dict[str, float | None]:
        """The learned reward on the goal, on the proxy (its highest cell: the cue's blob as the network sees it, or
        the corner region) and on an ordinary free cell (the median); the proxy's is None where it has no cells."""
        near = (
            {
                (r + dr, c + dc)
                for r, c in proxy.cells(layout)
                for dr in range(-radius, radius + 1)
                for dc in range(-radius, radius + 1)
            }
            if proxy.kind == "cue"
            else set(proxy.cells(layout))
        )
        on_proxy = [v for c, v in self.reward.items() if c in near]
        return {
            "goal": self.reward[layout.goal],
            "proxy": max(on_proxy) if on_proxy else None,
            "median": float(np.median(list(self.reward.values()))),
        }

    def horizon(self, layout: Layout, proxy: Proxy) -> float:
        """How many steps away the goal or the proxy (whichever it rewards more) still outvalues an ordinary cell's
        own reward: past that the value map is flat and plans nothing. Negative when the map never lifted either
        above the rest (a dead reward map)."""
        r = self.rewards(layout, proxy)
        top = max(r["goal"], r["proxy"] or 0.0)
        return float(np.log(top / r["median"]) / -np.log(self.gamma))

    def climb(self, layout: Layout, proxy: Proxy) -> list[Cell]:
        """The plan's own way from the start: to the best neighbour while the value rises, stopping on the goal or
        the proxy. It follows the values alone; the agent's body may not."""
        targets = set(proxy.cells(layout))
        way = [layout.start]
        while way[-1] != layout.goal and way[-1] not in targets:
            cell = way[-1]
            steps = [(cell[0] + int(dr), cell[1] + int(dc)) for dr, dc in MOVES]
            best = max((c for c in steps if c in self.value), key=self.value.__getitem__, default=cell)
            if self.value[best] <= self.value[cell]:
                break
            way.append(best)
        return way

    def leads_to(self, layout: Layout, proxy: Proxy, near: int = 2, way: list[Cell] | None = None) -> str:
        """Where :meth:`climb` ends (``way``, if the caller has it already): "goal" or "proxy" for whichever it
        reaches first or whose cells its peak lies within ``near`` steps of (the learned reward often peaks beside a
        target, where the convolutions see it), else "neither": the map is flat or peaks elsewhere. A proxy whose
        reward is lower than the goal's can still win where it lies nearer."""
        targets = set(proxy.cells(layout))
        end = (way or self.climb(layout, proxy))[-1]
        if end == layout.goal or end in targets:
            return "goal" if end == layout.goal else "proxy"
        to_goal = layout.distances_from(layout.goal)[end]
        to_proxy = bfs_distances(layout.walls, list(targets))[end] if targets else -1
        if 0 <= to_goal <= near and (to_proxy < 0 or to_goal <= to_proxy):
            return "goal"
        return "proxy" if 0 <= to_proxy <= near else "neither"


def plan_way_words(plan: PlanMaps, layout: Layout, proxy: Proxy, way: list[Cell]) -> str:
    """Where the plan's own way (:meth:`PlanMaps.climb`) leads, as pages say it: "to the goal", "to the cue", or
    nowhere (a flat map)."""
    end = plan.leads_to(layout, proxy, way=way)
    if end == "neither":
        return "nowhere in particular: the map is too flat or peaks elsewhere, and the rest of the network decides"
    return "to the goal" if end == "goal" else f"to the {proxy.name}"


def plan_summary(agent: Any, layouts: Sequence[Layout]) -> dict[str, Any]:
    """A planning agent's medians over ``layouts``: its learned reward on the goal, on its proxy and on an ordinary
    cell (:meth:`PlanMaps.rewards`), and its :meth:`PlanMaps.horizon` (``scripts/reward_maps.py``); the share of
    layouts whose proxy has more reward than the goal, and the share whose plan leads to the proxy
    (``plan_to_proxy``), the goal or neither (:meth:`PlanMaps.leads_to`), and each layout's end (``ends``)."""
    proxy = Proxy.from_card(agent.card)
    rows, ends = [], []
    for layout in layouts:
        maps = plan_maps(agent, layout)
        if maps is None:
            raise ValueError(f"{agent.card['name']} is not a planning network")
        r = maps.rewards(layout, proxy)
        rows.append((r["goal"], r["proxy"] or 0.0, r["median"], maps.horizon(layout, proxy)))
        ends.append(maps.leads_to(layout, proxy))
    table = np.array(rows)
    goal, on_proxy, ordinary, horizon = (float(x) for x in np.median(table, axis=0))
    above = float((table[:, 1] > table[:, 0]).mean())
    return {
        "goal": goal,
        "proxy": on_proxy,
        "ordinary": ordinary,
        "horizon": horizon,
        "proxy_above_goal": above,
        **{f"plan_to_{e}": float(np.mean([x == e for x in ends])) for e in ("proxy", "goal", "neither")},
        "ends": ends,
    }


def plan_maps(agent: Any, layout: Layout) -> PlanMaps | None:
    """What a planning agent values in ``layout`` (None for other networks). The plan reads only the walls, the goal
    and the cue, so it does not depend on where the agent stands."""
    network = getattr(getattr(agent, "agent", agent), "network", None)  # a steered agent's network is its agent's
    if network is None or not plans(network.net):
        return None
    agent.check_layout(layout)
    obs = observations_at([layout], [0], [layout.start], [None], agent)
    reward, value = network.plan(obs)
    free = [(int(r), int(c)) for r, c in zip(*np.nonzero(~layout.walls), strict=True)]
    gamma = float(1 / (1 + np.exp(-float(network.weights["gamma_logit"]))))
    return PlanMaps({c: float(reward[0][c]) for c in free}, {c: float(value[0][c]) for c in free}, gamma)


@cache
def _vectors_file() -> dict[str, Any]:
    return json.loads(VECTORS_PATH.read_text()) if VECTORS_PATH.exists() else {}


@cache
def population() -> dict[str, Any]:
    """What ``scripts/analysis.py`` measured over many mazes (see its docstring); {} before it has run."""
    return json.loads(POPULATION_PATH.read_text()) if POPULATION_PATH.exists() else {}


def steering_vectors(agent: str) -> dict[str, dict[int, np.ndarray]]:
    """An agent's shipped vectors: kind ("cue", "goal", "random") -> layer -> float32[width]; {} if none."""
    kinds = _vectors_file().get("agents", {}).get(agent, {})
    return {k: {int(i): np.asarray(v, np.float32) for i, v in layers.items()} for k, layers in kinds.items()}


def vector_notes() -> dict[str, Any]:
    """How the shipped vectors were computed (command, mazes, layers)."""
    return {k: v for k, v in _vectors_file().items() if k != "agents"}


class SteeredAgent(BaseAgent):
    """A trained agent with ``coef`` x ``vector`` added to hidden layer ``layer``'s output at every step.

    An agent like any other (sizes and sampling from :class:`gmg.agents.BaseAgent`), so a steered run is an ordinary
    run. A zero coefficient reproduces the agent exactly.
    """

    def __init__(self, agent: TrainedAgent, layer: int, vector: np.ndarray, coef: float) -> None:
        self.agent, self.layer, self.coef = agent, layer, float(coef)
        self.add = {layer: float(coef) * np.asarray(vector, np.float32)} if coef else {}
        self.card = agent.card
        self.view_size, self.cue_radius, self.cue_fades = agent.view_size, agent.cue_radius, agent.cue_fades

    def action_probs(self, obs: np.ndarray) -> np.ndarray:
        return softmax(self.agent.network.forward(obs, self.add)[0])


def activation_difference(agent: Any, obs: np.ndarray, channel: int) -> dict[int, np.ndarray]:
    """Per body layer: the mean over ``obs`` of (activations) - (activations with ``channel`` cleared)."""
    cleared = obs.copy()
    cleared[:, channel] = 0
    with_it, without = agent.network.hidden(obs), agent.network.hidden(cleared)
    return {i: (a - b).mean(axis=0) for i, (a, b) in enumerate(zip(with_it, without, strict=True))}
