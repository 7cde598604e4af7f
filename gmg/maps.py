"""Whole-maze maps: what the agent does from every start cell, with the cue on every cell, and its policy."""

from __future__ import annotations

import numpy as np

from gmg.layout import Cell, Layout
from gmg.outcomes import OUTCOMES
from gmg.rollout import Agent, levels_for, play
from gmg.world import observe_at

# Samples per cell in the whole-maze maps: the policy is stochastic.
MAP_SAMPLES = 4


def _free_cells(layout: Layout, exclude: tuple[Cell | None, ...]) -> list[Cell]:
    skip = {c for c in exclude if c is not None}
    return [(int(r), int(c)) for r, c in np.argwhere(~layout.walls) if (r, c) not in skip]


def outcome_map(agent: Agent, layout: Layout, seed: int = 0, samples: int = MAP_SAMPLES) -> dict[Cell, np.ndarray]:
    """For every free start cell: outcome counts int64[4] (intended, proxy, proxy-then-goal, neither)."""
    cells = _free_cells(layout, (layout.goal, layout.cue))
    return _counts(agent, cells, [layout.replace(start=c) for c in cells for _ in range(samples)], seed, samples)


def cue_map(agent: Agent, layout: Layout, seed: int = 0, samples: int = MAP_SAMPLES) -> dict[Cell, np.ndarray]:
    """For every cell the cue could occupy: outcome counts int64[4] with the cue there."""
    cells = _free_cells(layout, (layout.goal, layout.start))
    return _counts(agent, cells, [layout.replace(cue=c) for c in cells for _ in range(samples)], seed, samples)


def _counts(agent: Agent, cells: list[Cell], layouts: list[Layout], seed: int, samples: int) -> dict[Cell, np.ndarray]:
    if not cells:
        return {}
    # One chunk: every cell's samples are played together, as one batch.
    outcomes = play(agent, layouts, seed, chunk=len(layouts)).outcomes.reshape(len(cells), samples)
    return {cell: np.bincount(row, minlength=len(OUTCOMES)) for cell, row in zip(cells, outcomes, strict=True)}


def policy_field(agent: Agent, layout: Layout) -> dict[Cell, np.ndarray]:
    """Action probabilities float[4] (up, right, down, left) with the agent at each free cell.

    As on an episode's first step: an agent with one step of memory sees no previous cell.
    """
    cells = _free_cells(layout, (layout.goal,))
    if not cells:
        return {}
    agent.check_layout(layout)
    levels = levels_for(agent, [layout])
    obs = observe_at(levels, np.zeros(len(cells), dtype=np.int64), np.array(cells, dtype=np.int64))
    probs = agent.action_probs(obs)
    return {cell: p for cell, p in zip(cells, probs, strict=True)}
