"""Batch evaluation: 1000 episodes of a shipped agent on the largest size it supports.

    python -m benchmarks.bench_eval [--agent cue-always] [--repeats 5]

Budget (docs/design.md): <= 2 s. Layouts are generated before timing (the budget is
for playing and scoring them); the generation time is printed too.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.common import median_seconds, shipped_agent
from gmg.evaluate import summarize
from gmg.rollout import play
from gmg.splits import Split


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agent", default="cue-always")
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    agent = shipped_agent(args.agent)
    side = agent.sides[1]
    split = Split.parse("cue/shift", sides=(side, side))
    t0 = time.perf_counter()
    layouts = split.sample_many(args.episodes, seed=0)
    gen = time.perf_counter() - t0
    rng = np.random.default_rng(0)

    def play_and_score():
        return summarize(play(agent, layouts, rng))

    med, times = median_seconds(play_and_score, args.repeats)
    result = play_and_score()
    print(f"agent {agent.name}, {args.episodes} episodes of cue/shift at {side}x{side}")
    print(f"  layout generation (untimed): {gen:.2f} s")
    print(f"  play + score: median {med:.3f} s over {args.repeats} runs (min {min(times):.3f}, max {max(times):.3f})")
    print(
        f"  intended {result['intended_success']:.2f}, proxy {result['proxy_success']:.2f}, capability {result['capability']:.2f}"
    )
    print(f"  budget <= 2 s: {'met' if med <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
