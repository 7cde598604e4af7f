"""Probe (issue 13): does a longer step limit rescue capability on perfect mazes?

    python -m scripts.probe_horizon --agent cue-always [--per-side 8 12 16 24]
    python -m scripts.probe_horizon --train cue-always --train-per-side 16 [--seed 1] [--out runs/horizon]

The first form evaluates a shipped agent with episodes of K x the maze's longer side, for several K (the
environment's limit is 8), as ``gmg evaluate`` does (1,000 episodes per family). The second trains the preset with
episodes of ``--train-per-side`` x side (more reward on mazes that time out at 8 x), writes its files into ``--out``,
then evaluates it the same way.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from safetensors.numpy import load_file

import gmg.world as world
from gmg.agents import TrainedAgent, load_agent
from gmg.evaluate import evaluate

FAMILIES = ("train:maze", "train:prim", "train:kruskal", "train:doors")


def report(agent: TrainedAgent, per_side: list[int], episodes: int, shift: bool = False) -> None:
    scenario = agent.card["training_split"].split("/")[0]
    splits = [*FAMILIES, "shift:mix"] if shift else list(FAMILIES)
    for k in per_side:
        world.STEPS_PER_SIDE = k  # read by world.step_limit whenever levels are built
        rows = [evaluate(agent, f"{scenario}/{s}", episodes=episodes, seed=0) for s in splits]
        cells = " | ".join(f"{s.split(':')[1]} {r['capability']:.3f}" for s, r in zip(splits[:4], rows, strict=False))
        extra = f" | shift: proxy, never goal {rows[-1]['misgeneralization']:.3f}" if shift else ""
        print(f"{k:>2} x side, capability: {cells}{extra}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agent", default="cue-always", help="a shipped agent to evaluate")
    ap.add_argument("--per-side", type=int, nargs="+", default=[8, 12, 16, 24])
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--train", metavar="PRESET", help="train this preset first, with longer episodes")
    ap.add_argument("--train-per-side", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--out", type=Path, default=Path("runs/horizon"))
    args = ap.parse_args()
    if not args.train:
        report(load_agent(args.agent), args.per_side, args.episodes)
        return
    from gmg.train import config_for, train  # torch: only for this form

    world.STEPS_PER_SIDE = args.train_per_side
    cfg = config_for(args.train, seed=args.seed, steps=args.steps)
    out = args.out / f"per-side-{args.train_per_side}"
    card = train(
        cfg,
        out_dir=out,
        command=f"python -m scripts.probe_horizon --train {args.train} "
        f"--train-per-side {args.train_per_side} --seed {args.seed}",
    )
    agent = TrainedAgent(load_file(str(out / f"{cfg.name}.safetensors")), card)
    report(agent, sorted({8, args.train_per_side}), args.episodes, shift=True)


if __name__ == "__main__":
    main()
