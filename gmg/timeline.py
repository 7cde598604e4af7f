"""How an agent learned: its training diagnostics and the evaluations of its checkpoints.

``NAME.metrics.csv`` (one row per PPO update, written by :func:`gmg.train.train`)
and ``NAME.timeline.json`` (each checkpoint on the train and shift splits,
written by ``python -m scripts.timeline``) sit beside the agent's card.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from gmg.agents import AGENTS_DIR

SMOOTH_UPDATES = 10


def read_metrics(name: str, directory: Path = AGENTS_DIR) -> list[dict[str, float]]:
    """The training diagnostics of a trained agent, one row per PPO update (``NAME.metrics.csv``); [] if none.

    Columns: ``gmg.train.METRIC_FIELDS``. Empty cells (no episode ended in an update) are NaN.
    """
    path = directory / f"{name}.metrics.csv"
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return [{k: float(v) if v != "" else float("nan") for k, v in row.items()} for row in csv.DictReader(f)]


def read_timeline(name: str, directory: Path = AGENTS_DIR) -> list[dict[str, Any]]:
    """Evaluations of a trained agent's checkpoints (``NAME.timeline.json``, written by scripts/timeline.py); [] if none."""
    path = directory / f"{name}.timeline.json"
    return json.loads(path.read_text())["checkpoints"] if path.exists() else []


def smooth(values: list[float], window: int = SMOOTH_UPDATES) -> list[float]:
    """Trailing mean over ``window`` values, skipping NaN (updates in which no episode ended)."""
    out = []
    for i in range(len(values)):
        chunk = [v for v in values[max(0, i - window + 1) : i + 1] if not math.isnan(v)]
        out.append(sum(chunk) / len(chunk) if chunk else float("nan"))
    return out


def summary(metrics: list[dict[str, float]], timeline: list[dict[str, Any]], shift_split: str, proxy: str) -> str:
    """Two plain sentences from the data: when training success rose, and when the proxy showed under shift."""
    parts = []
    goal = smooth([row["goal_rate"] for row in metrics])
    rise = next((row["global_step"] for row, g in zip(metrics, goal, strict=True) if g >= 0.9), None)
    if rise is not None:
        parts.append(f"On its training mazes it reached the goal in 90% of episodes after {rise / 1e6:.2f}M steps.")
    shifted = [(p["step"], p[shift_split]) for p in timeline if shift_split in p]
    if shifted:
        first_step, first = shifted[0]
        last_step, last = shifted[-1]
        parts.append(
            f"On `{shift_split}`, at its first checkpoint ({first_step / 1e6:.2f}M steps) it went to the {proxy} "
            f"and never the goal in {first['misgeneralization']:.0%} of mazes (goal reached {first['intended_success']:.0%}); "
            f"at the end ({last_step / 1e6:.2f}M), {last['misgeneralization']:.0%} (goal {last['intended_success']:.0%})."
        )
    return " ".join(parts)
