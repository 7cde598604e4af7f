"""Environment throughput: gmg's vector env and single env against Minigrid, in one run.

    python -m benchmarks.bench_env [--repeats 5]

All numbers are env-steps per second with observations, the median of
``--repeats`` timed runs of random actions on 15x15 layouts (gmg: cue/train
"blocks" mazes at sides 15; Minigrid: a 15x15 wall-crossing maze).
Budget (docs/design.md): >= 1M env-steps/s at batch 1024.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

from gmg.env import CueMazeEnv
from gmg.splits import Split
from gmg.vector import VectorCueMazeEnv

SIDE = 15


def timed(fn, repeats: int) -> float:
    """Median steps/s of ``fn()``, which returns the number of steps it took."""
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        steps = fn()
        rates.append(steps / (time.perf_counter() - t0))
    return statistics.median(rates)


def bench_vector(batch: int, repeats: int) -> float:
    layouts = Split.parse("cue/train", sides=(SIDE, SIDE)).sample_many(512, 0)
    env = VectorCueMazeEnv(layouts, batch, view_size=SIDE)
    env.reset(seed=0)
    iters = max(20, 200_000 // batch)
    actions = np.random.default_rng(0).integers(4, size=(iters, batch))

    def run() -> int:
        for a in actions:
            env.step(a)
        return iters * batch

    return timed(run, repeats)


def bench_single(repeats: int) -> float:
    layouts = Split.parse("cue/train", sides=(SIDE, SIDE)).sample_many(64, 0)
    env = CueMazeEnv(view_size=SIDE)
    env.reset(options={"layout": layouts[0]})
    actions = np.random.default_rng(0).integers(4, size=5000).tolist()

    def run() -> int:
        k = 0
        for a in actions:
            _, _, term, trunc, _ = env.step(a)
            if term or trunc:
                k += 1
                env.reset(options={"layout": layouts[k % len(layouts)]})
        return len(actions)

    return timed(run, repeats)


def make_minigrid():
    from minigrid.core.world_object import Wall
    from minigrid.envs import CrossingEnv

    return CrossingEnv(size=SIDE, num_crossings=5, obstacle_type=Wall)


def bench_minigrid_single(repeats: int) -> float:
    env = make_minigrid()
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(3, size=3000).tolist()

    def run() -> int:
        for a in actions:
            _, _, term, trunc, _ = env.step(a)
            if term or trunc:
                env.reset()
        return len(actions)

    return timed(run, repeats)


def bench_minigrid_sync(batch: int, repeats: int) -> float:
    import gymnasium as gym

    env = gym.vector.SyncVectorEnv([make_minigrid for _ in range(batch)])
    env.reset(seed=0)
    iters = 40
    actions = np.random.default_rng(0).integers(3, size=(iters, batch))

    def run() -> int:
        for a in actions:
            env.step(a)
        return iters * batch

    return timed(run, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    r = args.repeats
    results = {f"gmg vector batch {b}": bench_vector(b, r) for b in (1, 64, 1024)}
    results["gmg single env"] = bench_single(r)
    results["minigrid single env"] = bench_minigrid_single(r)
    results["minigrid SyncVectorEnv(64)"] = bench_minigrid_sync(64, r)
    width = max(map(len, results))
    print(f"env-steps/s, median of {r} runs, {SIDE}x{SIDE}, observations included")
    for name, rate in results.items():
        print(f"  {name:<{width}}  {rate:>14,.0f}")
    best = results["gmg vector batch 1024"]
    print(
        f"  ratio gmg vector(1024) / minigrid SyncVectorEnv(64): {best / results['minigrid SyncVectorEnv(64)']:,.0f}x"
    )
    print(
        f"  ratio gmg single / minigrid single:                  {results['gmg single env'] / results['minigrid single env']:.1f}x"
    )
    print(f"  budget >= 1,000,000 at batch 1024: {'met' if best >= 1e6 else 'MISSED'}")


if __name__ == "__main__":
    main()
