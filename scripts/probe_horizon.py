"""Probe (issue 13): does a longer step limit rescue capability on perfect mazes?

    python -m scripts.probe_horizon --agent cue-always [--per-side 8 12 16 24]
    python -m scripts.probe_horizon --train cue-always --train-per-side 16 [--seed 1] [--out runs/horizon]
    python -m scripts.probe_horizon --agent cue-always --failures

The first form evaluates a shipped agent with episodes of K x the maze's longer side, for several K (the
environment's limit is 8), as ``gmg evaluate`` does (1,000 episodes per family). The second trains the preset with
episodes of ``--train-per-side`` x side (more reward on mazes that time out at 8 x), writes its files into ``--out``,
then evaluates it the same way.

``--failures`` asks why runs fail on each family. The network sees its cell, the one before, and the static maze,
so with greedy actions a run that meets the same (cell, previous cell) twice repeats itself for ever: a loop that no
step limit can rescue. It counts those among the greedy failures, and for sampled actions (as ``gmg evaluate``) the
share of a failed run's steps spent on cells it had already visited, and how many failed runs reached the agent's
proxy and how often they arrived there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

import gmg.world as world
from gmg.agents import TrainedAgent, load_agent
from gmg.evaluate import evaluate
from gmg.proxy import Proxy
from gmg.rollout import play, repeats_a_move, revisits
from gmg.splits import Split

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


def failures(agent: TrainedAgent, episodes: int) -> None:
    scenario = agent.card["training_split"].split("/")[0]
    proxy = Proxy.from_card(agent.card)
    for family in FAMILIES:
        layouts = Split.parse(f"{scenario}/{family}").sample_many(episodes, 0)
        greedy = play(agent, layouts, seed=0, greedy=True)
        failed = [i for i in range(episodes) if greedy.goal_step[i] < 0]
        loops = sum(repeats_a_move(greedy.path(i)) for i in failed)
        sampled = play(agent, layouts, seed=[0, 1])
        lost = [i for i in range(episodes) if sampled.goal_step[i] < 0]
        again = [revisits(sampled.path(i)) / len(sampled.path(i)) for i in lost]
        share = sum(again) / len(again) if again else 0.0
        # A failure that reached the proxy: how many times it came back to it (arrivals from outside).
        arrivals = []
        for i in lost:
            mask = proxy.mask(layouts[i])  # once per run, not once per step
            inside = [bool(mask[tuple(cell)]) for cell in sampled.path(i)]
            n = sum(1 for k, v in enumerate(inside) if v and (k == 0 or not inside[k - 1]))
            if n:
                arrivals.append(n)
        at_proxy = (
            f" | {len(arrivals)} of them reached the {proxy.name}, arriving there {int(np.median(arrivals))} times "
            f"(median; {min(arrivals)}-{max(arrivals)})"
            if arrivals
            else ""
        )
        print(
            f"{family}: greedy fails {len(failed)}/{episodes}, {loops} of them in a loop | sampled fails "
            f"{len(lost)}/{episodes}, spending {share:.0%} of their steps on cells already visited{at_proxy}",
            flush=True,
        )


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
    ap.add_argument("--failures", action="store_true", help="why runs fail: loops under greedy actions")
    args = ap.parse_args()
    if args.failures:
        failures(load_agent(args.agent), args.episodes)
        return
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
