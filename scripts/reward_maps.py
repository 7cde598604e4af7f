"""Is each planner's learned reward map alive? Its planning horizon on perfect mazes, per agent and seed.

    python -m scripts.reward_maps [--mazes 100] [--checkpoints] [--dir DIR] [--shift]

A planner (``net="plan"``, :mod:`gmg.network`) values a cell by the larger of its own learned reward and the
discounted value of its best neighbour. Where the goal's (or the proxy's) reward is only a little above an ordinary
cell's, the value map goes flat a few steps away from it, and the policy has to find its way without a plan. For
every shipped planner (``assets/agents`` and ``assets/agents/seeds/s*``), this prints the median over recursive-
backtracker mazes (``cue/train:maze``-style, of the agent's own scenario) of the learned reward on the goal, on the
proxy and on an ordinary cell, and the horizon (:meth:`gmg.inside.PlanMaps.horizon`), beside the card's capability
on those mazes. ``--checkpoints`` also prints it for each checkpoint the run kept; ``--dir`` reads the planners of one
run (``gmg train --out DIR``) instead. ``--shift`` reads the agent's shift split (``SCENARIO/shift:mix``) instead of
recursive-backtracker mazes, where the goal and the proxy part, and adds the share of those mazes whose proxy has
more learned reward than the goal, where the plan alone leads from the start (:meth:`gmg.inside.PlanMaps.leads_to`:
the proxy, the goal, or nowhere), how often the agent went to the proxy first where the plan leads nowhere, and for a
corner its probability of moving up or right (:func:`up_or_right`), the corner's way.
"""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from gmg.agents import load_agent, read_card, trained_names
from gmg.inside import plan_summary
from gmg.layout import Layout
from gmg.maps import policy_field
from gmg.network import plans
from gmg.outcomes import PROXY, PROXY_THEN_GOAL
from gmg.rollout import play
from gmg.splits import Split
from gmg.ui.chapters import SeedRun, seed_runs
from gmg.world import MOVES


def up_or_right(agent: Any, layouts: list[Layout]) -> tuple[float, float]:
    """The agent's mean probability of moving up or right, over every free cell (not the goal, not a dead end) of
    ``layouts``, arriving from nowhere: how hard its policy leans towards the top-right corner wherever it stands;
    and the same for a walker that picks one of the open moves at random, the lean of the mazes themselves."""
    lean, fair = [], []
    for layout in layouts:
        h, w = layout.shape
        for (r, c), p in policy_field(agent, layout).items():  # every free cell but the goal, from nowhere
            open_moves = [0 <= r + dr < h and 0 <= c + dc < w and not layout.walls[r + dr, c + dc] for dr, dc in MOVES]
            if sum(open_moves) >= 2:
                lean.append(p[0] + p[1])
                fair.append((int(open_moves[0]) + int(open_moves[1])) / sum(open_moves))
    return float(np.mean(lean)), float(np.mean(fair))


def maze_capability(card: dict) -> float:
    """The card's capability on the train-like recursive-backtracker split (the skill bar's hardest family)."""
    return next((r["capability"] for r in card["evaluation"] if r["split"].endswith(":maze")), float("nan"))


def planner_runs(directory: Path | None = None) -> list[SeedRun]:
    """Every planner in ``directory`` (a run's ``--out``), or every shipped planner with each of its seeds."""
    if directory is not None:
        cards = [read_card(n, directory) for n in trained_names(directory)]
        runs = [SeedRun(int(c["seed"]), directory, c) for c in cards]
    else:
        runs = [run for name in trained_names() for run in seed_runs(name)]
    return [r for r in runs if plans(r.card["config"].get("net", "mlp"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mazes", type=int, default=100)
    parser.add_argument("--checkpoints", action="store_true", help="also every checkpoint a run kept")
    parser.add_argument("--dir", type=Path, help="a run's directory instead of the shipped agents")
    parser.add_argument(
        "--shift", action="store_true", help="the shift split, and how often the proxy outvalues the goal"
    )
    args = parser.parse_args()

    @cache
    def mazes(scenario: str) -> list[Layout]:
        return Split.parse(f"{scenario}/{'shift:mix' if args.shift else 'train:maze'}").sample_many(args.mazes, 7)

    last = (
        "proxy above goal (share of mazes) | plan leads to proxy / goal / nowhere | proxy first where it leads nowhere "
        "| P(up or right)"
        if args.shift
        else "capability, maze (the final card)"
    )
    print(f"| agent | seed | reward: goal | proxy | ordinary cell | horizon (steps) | {last} |")
    print("|---|---|---|---|---|---|---|" + ("---|---|---|" if args.shift else ""))
    for run in planner_runs(args.dir):
        name = run.card["name"]
        files: list[Path | None] = [None]
        if args.checkpoints:
            files = [*sorted((run.directory / "checkpoints" / name).glob("step*.safetensors")), None]
        for path in files:
            agent = load_agent(name, run.directory, weights=path)
            layouts = mazes(run.card["scenario"])
            s = plan_summary(agent, layouts)
            label = name if path is None else f"{name} @ {int(path.stem[4:]):,}"
            if args.shift:
                first = np.isin(play(agent, layouts, np.random.default_rng(0)).outcomes, (PROXY, PROXY_THEN_GOAL))
                nowhere = np.array(s["ends"]) == "neither"
                lean = "–"
                if run.card.get("proxy") == "corner":
                    lean = "{:.3f} (a random walker: {:.3f})".format(*up_or_right(agent, layouts[:50]))
                end = (
                    f"{s['proxy_above_goal']:.3f} | {s['plan_to_proxy']:.3f} / {s['plan_to_goal']:.3f} / "
                    f"{s['plan_to_neither']:.3f} | {first[nowhere].mean() if nowhere.any() else float('nan'):.3f} "
                    f"| {lean}"
                )
            else:
                end = f"{maze_capability(run.card):.3f}"
            print(
                f"| {label} | {run.seed} | {s['goal']:.3f} | {s['proxy']:.3f} | {s['ordinary']:.3f} | "
                f"{s['horizon']:.0f} | {end} |"
            )


if __name__ == "__main__":
    main()
