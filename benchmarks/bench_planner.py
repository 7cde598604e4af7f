"""What a planning network would cost to train here (issue 13's lever not yet tried), against the shipped MLP.

    python -m benchmarks.bench_planner [--rounds 40] [--repeats 3]

The planning network is a value-iteration network (Tamar et al., 2016) over the 13 x 13 grid: a learned reward
map, then ``--rounds`` rounds of a learned 3 x 3 value step (4 channels, the max over them); a value travels one
cell per round, and a shortest path in a 13 x 13 recursive-backtracker maze can take 46 steps. It is timed, not
trained. Printed: the median time of one PPO
minibatch (2,048 samples, forward and backward) and of one rollout step (64 environments, forward only), and the
PPO run they add up to at the presets' settings (4M steps, 64 x 128 per update, 3 epochs of 4 minibatches), on one
thread, for both networks. The environment's own time is left out (well under a second per million steps).
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

from gmg.policy import PolicyNetwork
from gmg.train import TrainConfig
from gmg.world import N_CHANNELS


class ValueIteration(nn.Module):
    def __init__(self, rounds: int, channels: int = 4) -> None:
        super().__init__()
        self.rounds = rounds
        self.reward = nn.Sequential(nn.Conv2d(N_CHANNELS, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
        self.step = nn.Conv2d(2, channels, 3, padding=1, bias=False)
        self.heads = nn.Linear(channels, 5)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        r = self.reward(obs.float())
        v = torch.zeros_like(r)
        for _ in range(self.rounds):
            q = self.step(torch.cat([r, v], 1))
            v = q.max(1, keepdim=True)[0]
        return self.heads(q.mean((2, 3)))  # the heads' input is immaterial to the cost


def _median(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    cfg = TrainConfig()
    v = cfg.view_size
    minibatch = cfg.num_envs * cfg.num_steps // cfg.num_minibatches
    obs = torch.randint(0, 2, (minibatch, N_CHANNELS, v, v), dtype=torch.uint8)
    updates = cfg.total_steps // (cfg.num_envs * cfg.num_steps)
    nets = {
        "shipped MLP": (PolicyNetwork(v, cfg.hidden, cfg.memory), lambda net, x: net(x)[0]),
        f"value iteration, {args.rounds} rounds": (ValueIteration(args.rounds), lambda net, x: net(x)),
    }
    for name, (net, logits) in nets.items():
        train = _median(lambda: logits(net, obs).sum().backward(), args.repeats)  # noqa: B023
        with torch.no_grad():
            act = _median(lambda: logits(net, obs[: cfg.num_envs]), args.repeats * 5)  # noqa: B023
        per_update = cfg.update_epochs * cfg.num_minibatches * train + cfg.num_steps * act
        print(
            f"{name:<28} minibatch {train * 1000:7.0f} ms  rollout step {act * 1000:6.2f} ms  "
            f"{cfg.total_steps / 1e6:.0f}M steps: {updates * per_update / 60:6.1f} min"
        )


if __name__ == "__main__":
    main()
