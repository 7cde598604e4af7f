"""Is each planner's learned reward map alive? Its planning horizon on perfect mazes, per agent and seed.

    python -m scripts.reward_maps [--mazes 100] [--checkpoints] [--dir DIR]

A planner (``net="plan"``, :mod:`gmg.network`) values a cell by the larger of its own learned reward and the
discounted value of its best neighbour. Where the goal's (or the proxy's) reward is only a little above an ordinary
cell's, the value map goes flat a few steps away from it, and the policy has to find its way without a plan. For
every shipped planner (``assets/agents`` and ``assets/agents/seeds/s*``), this prints the median over recursive-
backtracker mazes (``cue/train:maze``-style, of the agent's own scenario) of the learned reward on the goal, on the
proxy and on an ordinary cell, and the horizon (:meth:`gmg.inside.PlanMaps.horizon`), beside the card's capability
on those mazes. ``--checkpoints`` also prints it for each checkpoint the run kept; ``--dir`` reads the planners of one
run (``gmg train --out DIR``) instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gmg.agents import AGENTS_DIR, BaseAgent, load_agent, read_card, trained_names
from gmg.inside import plan_maps
from gmg.layout import Layout
from gmg.proxy import Proxy
from gmg.splits import Split


def summary(agent: BaseAgent, layouts: list[Layout]) -> dict[str, float]:
    """Medians over ``layouts`` of the goal's, the proxy's and an ordinary cell's reward, and the horizon."""
    proxy = Proxy.from_card(agent.card)
    rows = []
    for layout in layouts:
        maps = plan_maps(agent, layout)
        r = maps.rewards(layout, proxy)
        rows.append((r["goal"], r["proxy"] or 0.0, r["median"], maps.horizon(layout, proxy)))
    goal, prox, ordinary, horizon = np.median(np.array(rows), axis=0)
    return {"goal": goal, "proxy": prox, "ordinary": ordinary, "horizon": horizon}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mazes", type=int, default=100)
    parser.add_argument("--checkpoints", action="store_true", help="also every checkpoint a run kept")
    parser.add_argument("--dir", type=Path, help="a run's directory instead of the shipped agents")
    args = parser.parse_args()
    dirs = [args.dir] if args.dir else [AGENTS_DIR, *sorted(p for p in (AGENTS_DIR / "seeds").glob("s*") if p.is_dir())]
    print(
        "| agent | seed | reward: goal | proxy | ordinary cell | horizon (steps) | capability, maze (the final card) |"
    )
    print("|---|---|---|---|---|---|---|")
    for directory in dirs:
        for name in trained_names(directory):
            card = read_card(name, directory)
            seed = card["config"]["seed"]
            if card["config"].get("net") != "plan":
                continue
            split = Split.parse(f"{card['scenario']}/train:maze")
            layouts = split.sample_many(args.mazes, 7)
            files = [None]
            if args.checkpoints:
                files = sorted((directory / "checkpoints" / name).glob("step*.safetensors")) + files
            maze = next((r["capability"] for r in card["evaluation"] if r["split"].endswith(":maze")), float("nan"))
            for path in files:
                s = summary(load_agent(name, directory, weights=path), layouts)
                label = name if path is None else f"{name} @ {int(path.stem[4:]):,}"
                print(
                    f"| {label} | {seed} | {s['goal']:.3f} | {s['proxy']:.3f} | {s['ordinary']:.3f} | "
                    f"{s['horizon']:.0f} | {maze:.3f} |"
                )


if __name__ == "__main__":
    main()
