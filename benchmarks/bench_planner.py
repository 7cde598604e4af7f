"""What the planning network costs to train here, against the shipped MLP.

    python -m benchmarks.bench_planner [--repeats 3] [--episode 25]

The planner is the library's value-iteration network (``--set net=plan``, :mod:`gmg.network`): a learned reward map,
52 rounds of value iteration over the 13 x 13 grid, a small readout. Timed, not trained. Printed, for both networks
on one thread: the median time of one PPO minibatch (2,048 samples, forward and backward) and of one rollout step
(64 environments, forward only; the planner plans a maze when its episode begins and reuses the plan after),
and the PPO run they add up to at the presets' settings (4M steps, 64 x 128 per
update, 3 epochs of 4 minibatches). The environment's own time is left out.

The planner plans once per distinct maze in a batch, so its cost follows how many mazes a minibatch holds. Its
minibatches are 16 environments' whole rollouts (128 steps each); with episodes of ``--episode`` steps (a trained
agent's are shorter than 25 on most training mazes) that is 16 x 128 / 25 = 82 mazes. The MLP's minibatches are
2,048 shuffled steps, as in training. Before the plan-once-per-maze trick, a value-iteration network with 40 rounds
cost about 235 min per run here (2.2 s per minibatch), which is why it was not tried earlier.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from gmg.policy import PolicyNetwork
from gmg.splits import Split
from gmg.train import TrainConfig
from gmg.world import Levels, observe, reset


def _median(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def minibatch(cfg: TrainConfig, samples: int, episode: int, seed: int = 0) -> torch.Tensor:
    """uint8[samples, 5, V, V]: training-mix mazes, ``episode`` samples each, the agent on random free cells."""
    rng = np.random.default_rng(seed)
    n_mazes = -(-samples // episode)
    layouts = Split.parse(cfg.split).sample_many(n_mazes, seed)
    levels = Levels.from_layouts(layouts, cfg.view_size)
    state = reset(levels, np.repeat(np.arange(n_mazes), episode)[:samples])
    free = [np.argwhere(~lay.walls) for lay in layouts]
    state.pos[:] = [free[i][rng.integers(len(free[i]))] for i in state.level]
    return torch.as_tensor(observe(levels, state))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--episode", type=int, default=25, help="steps per maze in a planner's minibatch")
    args = ap.parse_args()
    torch.set_num_threads(1)
    cfg = TrainConfig()
    size = cfg.num_envs * cfg.num_steps // cfg.num_minibatches
    updates = cfg.total_steps // (cfg.num_envs * cfg.num_steps)
    # The MLP's shuffled minibatch holds steps of many mazes; its cost does not depend on how many.
    for net_kind, episode in (("mlp", 1), ("plan", args.episode)):
        net = PolicyNetwork(cfg.view_size, cfg.hidden, cfg.memory, net_kind)
        obs = minibatch(cfg, size, episode)

        def learn(net: PolicyNetwork = net, obs: torch.Tensor = obs) -> None:
            logits, value = net(obs)
            (logits.sum() + value.sum()).backward()

        train = _median(learn, args.repeats)
        act_obs = minibatch(cfg, cfg.num_envs, 1, seed=1)  # a rollout step: 64 environments, 64 mazes

        def fresh(net: PolicyNetwork = net, obs: torch.Tensor = act_obs) -> None:
            net._cache_version = None  # every maze new: the planner plans all 64
            net(obs)

        with torch.no_grad():
            act = _median(lambda net=net, o=act_obs: net(o), args.repeats * 5)
            new = _median(fresh, args.repeats * 5) if net_kind == "plan" else act
        # A rollout step plans only the mazes that just began: one step in ``episode`` (see the docstring).
        act = act + (new - act) / episode
        per_update = cfg.update_epochs * cfg.num_minibatches * train + cfg.num_steps * act
        print(
            f"{net_kind:<5} minibatch {train * 1000:6.0f} ms  rollout step {act * 1000:6.2f} ms "
            f"(all mazes new: {new * 1000:5.2f} ms)  {cfg.total_steps / 1e6:.0f}M steps: {updates * per_update / 60:5.1f} min"
        )


if __name__ == "__main__":
    main()
