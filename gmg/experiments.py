"""Experiments over many mazes: two conditions side by side, agents x splits sweeps, and their tables.

Every agent is scored against its own proxy (:meth:`gmg.proxy.Proxy.from_card`),
here as in the lab and in ``python -m gmg evaluate``.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gmg.edits import with_cue_by_goal
from gmg.evaluate import summarize, wilson
from gmg.layout import Layout
from gmg.outcomes import PROXY, RATE_KEYS
from gmg.proxy import Proxy
from gmg.rollout import Agent, Progress, Rollouts, play
from gmg.splits import Split

MAX_BATCH = 1000
MAX_EXPERIMENT_EPISODES = 5000
# Episodes one click may play on a shared server, so that one visitor cannot stall the others.
PUBLIC_EPISODE_BUDGET = 4000
# Small chunks so that a progress bar moves.
CHUNK = 100


def episode_budget() -> int | None:
    """Episodes per click: ``GMG_EPISODE_BUDGET`` (0 lifts the limit, for gmg run locally), else the public budget."""
    raw = os.environ.get("GMG_EPISODE_BUDGET", "")
    try:
        value = int(raw) if raw else PUBLIC_EPISODE_BUDGET
    except ValueError:
        value = PUBLIC_EPISODE_BUDGET
    return None if value <= 0 else value


def over_budget(episodes: int) -> str | None:
    """Why a run of ``episodes`` in total may not start here, or None if it may."""
    budget = episode_budget()
    if budget is None or episodes <= budget:
        return None
    return (
        f"this run would play {episodes:,} episodes, and this public app plays at most {budget:,} per run, "
        "so that one visitor cannot slow the others: lower the mazes, agents or splits "
        "(gmg run on your own machine lifts the limit with GMG_EPISODE_BUDGET=0)"
    )


def _play(
    agent: Agent, layouts: Sequence[Layout], seed: int, progress: Progress | None, done: int, total: int
) -> Rollouts:
    """Play one of ``total`` equal parts of a run, ``done`` of them finished, reporting progress over the whole run."""
    part = None if progress is None else (lambda p: progress((done + p) / total))
    return play(agent, layouts, np.random.default_rng([seed, 2]), progress=part, chunk=CHUNK)


@dataclass(frozen=True)
class Condition:
    """One arm of a comparison: an agent and the layouts it plays."""

    label: str
    agent: Agent
    layouts: list[Layout]


def batch_compare(
    conditions: Sequence[Condition], seed: int = 0, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Summaries (rates with Wilson intervals) per condition."""
    results = []
    for i, cond in enumerate(conditions):
        runs = _play(cond.agent, cond.layouts, seed, progress, i, len(conditions))
        results.append(
            {
                "condition": cond.label,
                "agent": cond.agent.card["name"],
                "proxy": Proxy.from_card(cond.agent.card).name,
                "episodes": len(cond.layouts),
                **summarize(runs),
            }
        )
    return results


def cue_pairs(n: int, seed: int, sides: tuple[int, int] = (9, 13)) -> tuple[list[Layout], list[Layout]]:
    """n shifted cue layouts and their training pictures (the same maze with the cue by the goal)."""
    if not 1 <= n <= MAX_BATCH:
        raise ValueError(f"batch size must be 1 to {MAX_BATCH}, got {n}")
    shifted = Split.parse("cue/shift", sides=sides).sample_many(n, seed)
    return [with_cue_by_goal(lay) for lay in shifted], shifted


def experiment(
    agents: Sequence[Agent],
    splits: Sequence[str],
    episodes: int,
    seed: int = 0,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Every agent on every split: one row per (agent, split) with rates, classes and per-episode data.

    Each row carries ``episodes_detail``: outcome and goal-to-proxy distance per
    episode (the agent's own proxy), for the distance plot.
    """
    if not 1 <= episodes <= MAX_EXPERIMENT_EPISODES:
        raise ValueError(f"episodes must be 1 to {MAX_EXPERIMENT_EPISODES}, got {episodes}")
    rows = []
    for split_name in splits:
        split = Split.parse(split_name)
        layouts = split.sample_many(episodes, seed)
        for agent in agents:
            proxy = Proxy.from_card(agent.card)
            runs = _play(agent, layouts, seed, progress, len(rows), len(agents) * len(splits))
            rows.append(
                {
                    "agent": agent.card["name"],
                    "split": split.name,
                    "proxy": proxy.name,
                    "shift_fraction": agent.card.get("shift_fraction"),
                    "episodes": episodes,
                    **summarize(runs),
                    "episodes_detail": {
                        "outcome": runs.outcomes.tolist(),
                        "distance": [goal_proxy_distance(proxy, lay) for lay in layouts],
                    },
                }
            )
    return rows


def goal_proxy_distance(proxy: Proxy, layout: Layout) -> int:
    """BFS steps from the goal to the nearest proxy cell; -1 if there is none or none is reachable."""
    d = layout.distances_from(layout.goal)
    return min((int(d[c]) for c in proxy.cells(layout) if d[c] >= 0), default=-1)


def rate_by_distance(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Proxy-only rate per (agent, split, distance bin) with Wilson intervals."""
    out = []
    for row in rows:
        outcome = np.array(row["episodes_detail"]["outcome"])
        dist = np.array(row["episodes_detail"]["distance"])
        for lo, hi in ((0, 1), (2, 3), (4, 5), (6, 7), (8, 10), (11, 14), (15, 99)):
            mask = (dist >= lo) & (dist <= hi)
            n = int(mask.sum())
            if n < 10:
                continue
            k = int((outcome[mask] == PROXY).sum())
            lo_ci, hi_ci = wilson(k, n)
            label = f"{lo}-{hi}" if hi < 99 else f"{lo}+"
            point = {"distance": label, "mid": (lo + min(hi, 20)) / 2, "n": n, "rate": k / n, "lo": lo_ci, "hi": hi_ci}
            out.append({"agent": row["agent"], "split": row["split"], **point})
    return out


def results_table(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows for display and CSV: rates, interval bounds and outcome counts."""
    table = []
    for r in rows:
        flat: dict[str, Any] = {
            k: r[k] for k in ("agent", "split", "condition", "proxy", "shift_fraction", "episodes") if k in r
        }
        for k in RATE_KEYS:
            flat[k] = round(r[k], 4)
            flat[f"{k}_lo"], flat[f"{k}_hi"] = (round(x, 4) for x in r[k + "_ci"])
        flat["path_efficiency"] = None if r["path_efficiency"] is None else round(r["path_efficiency"], 4)
        flat.update({f"n_{name}": count for name, count in r["outcomes"].items()})
        table.append(flat)
    return table


def to_csv(table: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(table[0]) if table else [])
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue()


def dose_rows(rows: Sequence[dict[str, Any]], cards: dict[str, dict]) -> list[dict[str, Any]]:
    """The cue/shift rows (any maze family) of cue agents with known training mixes (for the dose-response curve)."""
    return [
        r
        for r in rows
        if r["split"].partition(":")[0] == "cue/shift"
        and cards[r["agent"]].get("scenario") == "cue"
        and r.get("shift_fraction") is not None
    ]
