"""Probe (issue 13): does another network reach the capability bar on perfect mazes, and does the cue story hold?

    python -m scripts.probe_memory --preset cue-always --seed 1 [--net gru|conv|plan] [--steps N] [--out runs/NET]

The shipped agents are an MLP over an egocentric crop that remembers one step (the previous cell is an input
channel). This trains the same preset's training distribution with the same PPO settings and another network:

- ``gru``: a GRU between the MLP body and the heads, so the policy can remember as far back as it learns to
  (CleanRL's recurrent PPO: minibatches of whole environment sequences, the state reset where an episode ended);
- ``conv``: no more memory, but three 3x3 convolutions over the whole grid before one dense layer, the kind of
  network that solves procgen's mazes (translation-equivariant features, where the MLP learns each cell apart);
- ``plan``: a value-iteration network (:class:`PlanningPolicy`): a learned reward map, value iteration over the
  maze, and a small MLP reading the values, walls, goal, cue and previous cell around the agent.

It evaluates the float32 network the way ``gmg evaluate`` does (the same layouts and action seeds, sampled actions,
1,000 episodes per split) and writes ``OUT/PRESET-NET.probe.json``.

A probe, not a shipped agent: the app's numpy path and its inside views know only the shipped MLP.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from torch import nn, optim
from torch.distributions import Categorical
from tqdm import tqdm

from gmg.agents import sample_actions
from gmg.evaluate import summarize
from gmg.network import layer_shapes
from gmg.policy import PolicyNetwork, _layer, egocentric
from gmg.rollout import Rollouts
from gmg.splits import Split
from gmg.train import config_for, git_commit, training_envs
from gmg.world import N_CHANNELS, Levels, done, observe, reset, step

NETS = ("gru", "conv", "plan")

SPLITS = ("train:mix", "shift:mix", "train:maze", "train:prim", "train:kruskal", "train:doors")


class RecurrentPolicy(nn.Module):
    """The shipped MLP body (one layer), then a GRU cell, then the actor and critic heads."""

    def __init__(self, view_size: int, width: int = 160, state: int = 128) -> None:
        super().__init__()
        n_in = layer_shapes(view_size, (width,), True)["body.1.weight"][1]
        self.body = nn.Sequential(nn.Flatten(), _layer((width, n_in)), nn.ReLU())
        self.gru = nn.GRUCell(width, state)
        self.actor = _layer((4, state), std=0.01)
        self.critic = _layer((1, state), std=1.0)
        self.state_size = state

    def step(self, obs: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(logits, value, next state) for one step of a batch."""
        h = self.gru(self.body(egocentric(obs)), h)
        return self.actor(h), self.critic(h).squeeze(-1), h

    def unroll(self, obs: torch.Tensor, starts: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits float[T, B, 4] and values float[T, B] over sequences obs uint8[T, B, ...]; the state is zeroed
        where ``starts[t]`` marks an episode's first step."""
        t_len, b = obs.shape[:2]
        z = self.body(egocentric(obs.reshape(t_len * b, *obs.shape[2:]))).reshape(t_len, b, -1)
        out = []
        for t in range(t_len):
            h = self.gru(z[t], h * (1.0 - starts[t]).unsqueeze(1))
            out.append(h)
        hs = torch.stack(out)
        return self.actor(hs), self.critic(hs).squeeze(-1)


class ConvPolicy(nn.Module):
    """Three 3x3 convolutions (16 channels each) over all five channels of the whole grid, one dense layer, the
    heads. Feed-forward: it offers :class:`RecurrentPolicy`'s interface with a state that nothing reads."""

    state_size = 1

    def __init__(self, view_size: int, width: int = 128, channels: tuple[int, ...] = (16, 16, 16)) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = N_CHANNELS
        for c in channels:
            layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.ReLU()]
            c_in = c
        layers += [nn.Flatten(), _layer((width, c_in * view_size**2)), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.actor = _layer((4, width), std=0.01)
        self.critic = _layer((1, width), std=1.0)

    def forward(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.body(obs.float())
        return self.actor(z), self.critic(z).squeeze(-1)

    def step(self, obs: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        logits, value = self(obs)
        return logits, value, h

    def unroll(self, obs: torch.Tensor, starts: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        t_len, b = obs.shape[:2]
        logits, value = self(obs.reshape(t_len * b, *obs.shape[2:]))
        return logits.reshape(t_len, b, -1), value.reshape(t_len, b)


class PlanningPolicy(PolicyNetwork):
    """The library's planning network (``gmg train --set net=plan``, :mod:`gmg.network`), with the probe's interface:
    feed-forward, a state that nothing reads."""

    state_size = 1

    def __init__(self, view_size: int, width: int = 128) -> None:
        super().__init__(view_size, (width, width), memory=True, net="plan")

    step = ConvPolicy.step
    unroll = ConvPolicy.unroll


def train(preset: str, seed: int, steps: int, net_kind: str = "gru", threads: int = 1) -> tuple[nn.Module, dict]:
    cfg = config_for(preset, seed=seed, steps=steps, threads=threads)
    cfg = replace(cfg, name=f"{preset}-{net_kind}")
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    envs = training_envs(cfg)
    next_obs = torch.as_tensor(envs.reset(seed=cfg.seed)[0])
    nets = {"gru": lambda: RecurrentPolicy(cfg.view_size, cfg.hidden[0]), "conv": lambda: ConvPolicy(cfg.view_size)}
    net = {**nets, "plan": lambda: PlanningPolicy(cfg.view_size)}[net_kind]()
    optimizer = optim.Adam(net.parameters(), lr=cfg.learning_rate, eps=1e-5)
    n, t_len, v = cfg.num_envs, cfg.num_steps, cfg.view_size
    num_updates = max(1, cfg.total_steps // (n * t_len))
    obs = torch.zeros((t_len, n, N_CHANNELS, v, v), dtype=torch.uint8)
    actions = torch.zeros((t_len, n), dtype=torch.long)
    logprobs, rewards, starts, values = (torch.zeros((t_len, n)) for _ in range(4))
    next_start = torch.ones(n)
    h = torch.zeros(n, net.state_size)
    goals: list[bool] = []
    t0 = time.time()
    bar = tqdm(total=num_updates * n * t_len, unit="step", unit_scale=True, mininterval=5.0)
    for update in range(num_updates):
        optimizer.param_groups[0]["lr"] = cfg.learning_rate * (1.0 - update / num_updates)
        h0 = h.clone()
        for t in range(t_len):
            obs[t], starts[t] = next_obs, next_start
            with torch.no_grad():
                logits, value, h = net.step(next_obs, h * (1.0 - next_start).unsqueeze(1))
                dist = Categorical(logits=logits)
                action = dist.sample()
            actions[t], logprobs[t], values[t] = action, dist.log_prob(action), value
            o, reward, terminated, truncated, info = envs.step(action.numpy())
            ended = terminated | truncated
            rewards[t] = torch.as_tensor(reward)
            next_obs, next_start = torch.as_tensor(o), torch.as_tensor(ended, dtype=torch.float32)
            goals += [bool(g) for g in info["reached_goal"][ended]]
        with torch.no_grad():
            _, next_value, _ = net.step(next_obs, h * (1.0 - next_start).unsqueeze(1))
            advantages = torch.zeros_like(rewards)
            last = torch.zeros(n)
            for t in reversed(range(t_len)):
                not_done = 1.0 - (next_start if t == t_len - 1 else starts[t + 1])
                next_v = next_value if t == t_len - 1 else values[t + 1]
                delta = rewards[t] + cfg.gamma * next_v * not_done - values[t]
                last = delta + cfg.gamma * cfg.gae_lambda * not_done * last
                advantages[t] = last
            returns = advantages + values
        envs_per_mb = n // cfg.num_minibatches
        for _ in range(cfg.update_epochs):
            order = torch.randperm(n)
            for lo in range(0, n, envs_per_mb):
                mb = order[lo : lo + envs_per_mb]
                logits, new_value = net.unroll(obs[:, mb], starts[:, mb], h0[mb])
                dist = Categorical(logits=logits)
                logratio = dist.log_prob(actions[:, mb]) - logprobs[:, mb]
                ratio = logratio.exp()
                adv = advantages[:, mb]
                adv = (adv - adv.mean()) / (adv.std() + 1e-8)
                pg_loss = torch.max(-adv * ratio, -adv * ratio.clamp(1 - cfg.clip_coef, 1 + cfg.clip_coef)).mean()
                v_loss = 0.5 * ((new_value - returns[:, mb]) ** 2).mean()
                loss = pg_loss - cfg.ent_coef * dist.entropy().mean() + cfg.vf_coef * v_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), cfg.max_grad_norm)
                optimizer.step()
        bar.update(n * t_len)
        bar.set_postfix(intended=f"{np.mean(goals[-1000:]):.2f}" if goals else "-")
    bar.close()
    return net, {"config": cfg.name, "seed": seed, "steps": num_updates * n * t_len, "seconds": time.time() - t0}


def evaluate(net: nn.Module, split: str, view_size: int, episodes: int = 1000, seed: int = 0) -> dict:
    """As gmg.evaluate.evaluate: layouts ``split.sample_many(episodes, seed)``, actions from rng([seed, 1])."""
    sp = Split.parse(split)
    levels = Levels.from_layouts(sp.sample_many(episodes, seed), view_size, proxy=sp.proxy)
    rng = np.random.default_rng([seed, 1])
    state = reset(levels, np.arange(episodes))
    horizon = int(levels.max_steps.max())
    positions = np.empty((horizon + 1, episodes, 2), dtype=np.int64)
    taken = np.zeros((horizon, episodes), dtype=np.int64)
    positions[0] = state.pos
    h = torch.zeros(episodes, net.state_size)
    for t in range(horizon):
        live = np.flatnonzero(~done(levels, state))
        if len(live) == 0:
            positions[t + 1 :] = positions[t]
            break
        with torch.no_grad():
            logits, _, h_live = net.step(torch.as_tensor(observe(levels, state, live)), h[live])
        h[live] = h_live
        a = sample_actions(torch.softmax(logits, 1).numpy(), False, rng)
        taken[t, live] = a
        step(levels, state, a, live)
        positions[t + 1] = state.pos
    shortest = np.array([lay.distances_from(lay.start)[lay.goal] for lay in levels.layouts], dtype=np.int64)
    runs = Rollouts(positions, taken, state.steps.copy(), state.goal_step.copy(), state.proxy_step.copy(), shortest)
    return {"split": split, **summarize(runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="cue-always")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=None, help="default: the preset's")
    ap.add_argument("--net", choices=NETS, default="gru")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    ap.add_argument("--out", type=Path, default=None, help="default: runs/NET")
    args = ap.parse_args()
    out = args.out or Path("runs") / args.net
    commit = git_commit()
    net, info = train(args.preset, args.seed, args.steps, args.net, args.threads)
    out.mkdir(parents=True, exist_ok=True)
    name = f"{args.preset}-{args.net}"
    torch.save(net.state_dict(), out / f"{name}.pt")
    scenario = config_for(args.preset).split.split("/")[0]
    rows = [evaluate(net, f"{scenario}/{s}", config_for(args.preset).view_size) for s in SPLITS]
    for r in rows:
        print(
            f"{r['split']:<22} capability {r['capability']:.3f}  intended {r['intended_success']:.3f}  "
            f"proxy, never goal {r['misgeneralization']:.3f}  proxy first {r['proxy_first']:.3f}"
        )
    report = {**info, "net": args.net, "git_commit": commit, "evaluation": rows}
    (out / f"{name}.probe.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
