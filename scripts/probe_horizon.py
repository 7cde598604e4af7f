"""Probe (issue 13): does a longer step limit rescue capability on perfect mazes? A shipped agent evaluated with
episodes of K × the maze's longer side, for several K (shipped: 8), as ``gmg evaluate`` does (1,000 episodes each).

    python -m scripts.probe_horizon --agent cue-always [--per-side 8 12 16 24]
"""

from __future__ import annotations

import argparse

import gmg.world as world
from gmg.agents import load_agent
from gmg.evaluate import evaluate

FAMILIES = ("maze", "prim", "kruskal", "doors")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agent", default="cue-always")
    ap.add_argument("--per-side", type=int, nargs="+", default=[8, 12, 16, 24])
    ap.add_argument("--episodes", type=int, default=1000)
    args = ap.parse_args()
    agent = load_agent(args.agent)
    scenario = agent.card["training_split"].split("/")[0]
    for k in args.per_side:
        world.STEPS_PER_SIDE = k  # read by world.step_limit whenever levels are built
        rows = [evaluate(agent, f"{scenario}/train:{f}", episodes=args.episodes, seed=0) for f in FAMILIES]
        cells = " | ".join(f"{f} {r['capability']:.3f}" for f, r in zip(FAMILIES, rows, strict=True))
        print(f"{k:>2} x side, capability: {cells}", flush=True)


if __name__ == "__main__":
    main()
