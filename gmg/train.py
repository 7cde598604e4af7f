"""PPO on the vector maze, in the spirit of CleanRL's ppo.py: one file, top to bottom.

    python -m gmg train --preset cue-always [--seed S] [--steps N]

writes ``assets/agents/NAME.safetensors`` (weights), ``NAME.json`` (the card:
scenario, proxy, training split and mix, config, seed, steps, wall time, git
commit, the exact command, and the evaluation table), ``NAME.metrics.csv`` (the
training diagnostics, one row per update) and evenly spaced checkpoints in
``assets/agents/checkpoints/NAME/`` (not committed). ``--out DIR`` puts all of
them in DIR instead.
"""

from __future__ import annotations

import csv
import json
import shlex
import subprocess
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn, optim
from tqdm import tqdm

from gmg.agents import AGENTS_DIR, TrainedAgent
from gmg.evaluate import evaluate
from gmg.generators import GENERATORS
from gmg.network import plans
from gmg.outcomes import RATE_KEYS
from gmg.policy import PolicyNetwork
from gmg.splits import Split
from gmg.vector import VectorCueMazeEnv
from gmg.world import N_CHANNELS


@dataclass
class TrainConfig:
    name: str = "agent"  # Agent name: the files are assets/agents/NAME.{safetensors,json}.
    # Training split; ``:mix`` draws each maze from one of the training families (gmg.generators).
    split: str = "cue/train:mix"
    shift_split: str | None = None  # Split mixed into training, if any.
    shift_fraction: float = 0.0  # Fraction of the level pool drawn from ``shift_split``.
    story: str = ""  # One sentence for the app: how this agent was trained.
    seed: int = 1  # Seeds the level pool, the network init and the action sampling.
    total_steps: int = 4_000_000  # Environment steps in total.
    pool_size: int = 20_000  # Distinct training layouts; episodes draw from them at random.
    view_size: int = 13  # Observation side V; the agent runs layouts with sides up to V.
    cue_radius: int = 1  # Cue salience: the cue is drawn as a (2r+1)^2 blob.
    # The cue goes out of view once the agent has stood on it, as a checkpoint lamp would: the waypoint is then
    # something to pass, not a place to stay (gmg.world).
    cue_fades: bool = False
    # MLP widths after the egocentric crop. 160 (not 256) keeps every shipped weight file, checkpoints and five seeds
    # included, under the 60 MB budget; in a probe on the family mix, 160 wide at 4M steps came within 0.02 of 256 wide
    # at 6M steps on every family.
    hidden: tuple[int, ...] = (160, 128)
    # Also show the policy the cell it stood on one step earlier, so it can tell a dead end it has just backed out of
    # from a fresh approach. Memoryless policies looped between two cells in wall pockets and plateaued at 0.96-0.97
    # training-split capability whatever else we changed.
    memory: bool = True
    # What the MLP body reads (gmg.network): "mlp", the egocentric crop, "plan", a value-iteration network's
    # readout, or "hybrid", both. A planner's minibatches are whole environments' rollouts (a few mazes each, planned
    # once per maze) rather than shuffled steps, which would hold most of the rollout's mazes and cost 5x the planning.
    net: str = "mlp"
    # The planner's reward map also reads each cell's row and column (gmg.network), so it can learn a place.
    coords: bool = False
    # The planner's reward map starts at sigmoid(reward_init) on every cell. From -4 (0.018), three of fourteen
    # planner runs never lifted the goal's reward above an ordinary cell's, so their value maps stayed flat and they
    # navigated without a plan (README, "A dead reward map, and its cure"). Starting from -2 did not prevent it, so
    # presets keep -4.
    reward_init: float = -4.0
    # Measure the planner's reward from each maze's least rewarding free cell, so that no floor (0.018 at -4) has to
    # be beaten before a reward spreads. 19 of 19 planner runs came alive with it, including two seeds that died
    # without it, and 5 of 6 hybrid runs (README, "A dead reward map, and its cure").
    reward_relative: bool = False
    num_envs: int = 64  # Parallel environments.
    num_steps: int = 128  # Steps per environment per rollout.
    learning_rate: float = 1e-3  # Adam learning rate, annealed linearly to 0.
    gamma: float = 0.98  # Discount.
    gae_lambda: float = 0.95  # GAE lambda.
    update_epochs: int = 3  # Epochs over each rollout.
    num_minibatches: int = 4  # Minibatches per epoch.
    clip_coef: float = 0.2  # PPO clip.
    ent_coef: float = 0.005  # Entropy bonus.
    vf_coef: float = 0.5  # Value loss weight.
    max_grad_norm: float = 0.5  # Gradient clip.
    # Evenly spaced checkpoints saved in OUT/checkpoints/NAME/ (0: none); the last is the final network.
    checkpoints: int = 8
    eval_episodes: int = 1000  # Episodes per split for the card's evaluation table.
    # Splits evaluated for the card (default: :func:`default_eval_splits`).
    eval_splits: tuple[str, ...] = field(default_factory=tuple)
    threads: int = 1  # Torch CPU threads.


def _dose_companion(fraction: float) -> TrainConfig:
    """cue-mix-NN: cue-diverse's recipe with NN% instead of 20% of cue/shift mazes."""
    percent = round(fraction * 100)
    return TrainConfig(
        name=f"cue-mix-{percent:02d}",
        shift_split="cue/shift:mix",
        shift_fraction=fraction,
        net="plan",
        reward_relative=True,
        total_steps=3_000_000,
        story=f"Trained with {percent}% of mazes where the cue is far from the goal (a dose-response companion of cue-diverse).",
    )


PRESETS: dict[str, TrainConfig] = {
    # The cue family runs on the planning network: the MLP stopped at 0.91 capability on recursive-backtracker mazes
    # whatever we changed, the planner reaches 0.99+ on every family in 1M steps (README, "A network that plans").
    "cue-always": TrainConfig(
        name="cue-always",
        net="plan",
        reward_relative=True,
        total_steps=1_500_000,
        story="Trained only on mazes where the cue sits right next to the goal.",
    ),
    "cue-diverse": TrainConfig(
        name="cue-diverse",
        shift_split="cue/shift:mix",
        shift_fraction=0.2,
        net="plan",
        reward_relative=True,
        # The mixture is harder to learn than cue/train alone, so it gets twice the steps: a 2M-step run stopped at
        # 0.915 on recursive-backtracker mazes, a 5M-step run passed 0.99 from its 1.25M-step checkpoint on.
        total_steps=3_000_000,
        story="Trained with 20% of mazes where the cue is far from the goal, so the cue stops being a shortcut.",
    ),
    # Dose-response companions of cue-diverse: fewer decorrelated mazes.
    **{cfg.name: cfg for cfg in (_dose_companion(0.05), _dose_companion(0.02))},
    # corner plans, and sees each cell's row and column: on Langosco et al.'s one-cell corner it learned the corner,
    # where the MLP on a 3 x 3 corner (shipped until then) stayed short of the skill bar on recursive-backtracker
    # mazes whatever we changed (README, "Corner").
    "corner": TrainConfig(
        name="corner",
        split="corner/train:mix",
        net="plan",
        coords=True,
        reward_relative=True,
        total_steps=2_000_000,
        story="Trained only on mazes where the goal is in the top-right corner cell (Langosco et al.'s maze).",
    ),
    # cue-on-path reads the MLP's crop beside the planner's window: it detoured for the waypoint more often than the
    # MLP shipped until then (0.51 against 0.36 of path/shift mazes in its probe) and never ran out of steps.
    "cue-on-path": TrainConfig(
        name="cue-on-path",
        split="path/train:mix",
        net="hybrid",
        reward_relative=True,
        # With a cue that stayed lit, every seed that took up the waypoint stayed by it and missed the skill bar on
        # recursive-backtracker mazes; a cue that goes out once passed leaves it nothing to stay for (README).
        cue_fades=True,
        total_steps=2_000_000,
        story="Trained on mazes where the cue lies halfway along a shortest path to the goal: a waypoint, not a marker.",
    ),
    # cue-on-path went out of its way for the cue in half of path/shift mazes, so it gets a diverse counterpart.
    "path-diverse": TrainConfig(
        name="path-diverse",
        split="path/train:mix",
        shift_split="path/shift:mix",
        shift_fraction=0.2,
        net="hybrid",
        reward_relative=True,
        cue_fades=True,
        total_steps=2_000_000,
        story="Trained with 20% of mazes where the cue lies off the way to the goal, so the cue stops being a waypoint.",
    ),
    # The chapter "same mazes, different network": the same recipes on another network. corner-plan is corner's
    # planner without the coordinates; cue-on-path-plan the planner alone, which never detoured for the waypoint.
    "corner-plan": TrainConfig(
        name="corner-plan",
        split="corner/train:mix",
        net="plan",
        reward_relative=True,
        total_steps=2_000_000,
        story="The planning network without coordinates, trained only on mazes where the goal is in the top-right "
        "corner cell.",
    ),
    "cue-on-path-plan": TrainConfig(
        name="cue-on-path-plan",
        split="path/train:mix",
        net="plan",
        cue_fades=True,
        total_steps=2_000_000,
        story="The planning network, trained on mazes where the cue lies halfway along a shortest path to the goal: "
        "a waypoint, not a marker.",
    ),
}


def default_eval_splits(split: Split) -> list[str]:
    """The card's splits: the training split and its shift; trained on the mix, also each family's train-like split."""
    names = [split.name, replace(split, shifted=True).name]
    if split.generator == "mix":
        names += [replace(split, generator=g).name for g in GENERATORS if g != "mix"]
    return names


def half_weights(net: nn.Module) -> dict[str, torch.Tensor]:
    """The network's weights in float16, as shipped: half the bytes (tests/test_agents.py checks the rates hold)."""
    return {k: v.detach().half().contiguous() for k, v in net.state_dict().items()}


def git_commit() -> str:
    """HEAD's hash, with ``-dirty`` when tracked files other than trained agents differ from it.

    Agent files are outputs, not code: another run writing its weights must not mark this one dirty.
    """
    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()

    try:
        dirty = git("status", "--porcelain", "-uno", "--", ".", ":!assets/agents")
        return git("rev-parse", "HEAD") + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def training_envs(cfg: TrainConfig) -> VectorCueMazeEnv:
    """The vector env of ``cfg``'s training distribution (its level pool drawn with ``cfg.seed``)."""
    return VectorCueMazeEnv.from_split(
        cfg.split,
        cfg.num_envs,
        pool_size=cfg.pool_size,
        seed=cfg.seed,
        shift_split=cfg.shift_split,
        shift_fraction=cfg.shift_fraction,
        view_size=cfg.view_size,
        cue_radius=cfg.cue_radius,
        cue_fades=cfg.cue_fades,
    )


def train(
    cfg: TrainConfig, out_dir: Path = AGENTS_DIR, progress: bool = True, command: str | None = None
) -> dict[str, Any]:
    """Train one agent, write its files into ``out_dir`` (see the module docstring) and return its card."""
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = np.random.default_rng(cfg.seed)
    split = Split.parse(cfg.split)
    commit = git_commit()  # at the start: the code that produced these weights
    t0 = time.time()

    envs = training_envs(cfg)
    next_obs_np, _ = envs.reset(seed=cfg.seed)

    # -- agent and optimiser -----------------------------------------------
    net = PolicyNetwork(
        cfg.view_size, cfg.hidden, cfg.memory, cfg.net, cfg.coords, cfg.reward_init, cfg.reward_relative
    )
    optimizer = optim.Adam(net.parameters(), lr=cfg.learning_rate, eps=1e-5)

    batch_size = cfg.num_envs * cfg.num_steps
    minibatch_size = batch_size // cfg.num_minibatches
    num_updates = max(1, cfg.total_steps // batch_size)
    v = cfg.view_size
    obs = torch.zeros((cfg.num_steps, cfg.num_envs, N_CHANNELS, v, v), dtype=torch.uint8)
    actions = torch.zeros((cfg.num_steps, cfg.num_envs), dtype=torch.long)
    logprobs, rewards, dones, values = (torch.zeros((cfg.num_steps, cfg.num_envs)) for _ in range(4))
    next_obs = torch.as_tensor(next_obs_np)
    next_done = torch.zeros(cfg.num_envs)
    recent_goal: deque[bool] = deque(maxlen=1000)
    recent_proxy: deque[bool] = deque(maxlen=1000)
    out_dir.mkdir(parents=True, exist_ok=True)
    ckpt_dir = out_dir / "checkpoints" / cfg.name
    # ``checkpoints`` evenly spaced updates (1-based) after which to save, the last included.
    ckpt_updates = {max(1, round(num_updates * k / cfg.checkpoints)) for k in range(1, cfg.checkpoints + 1)}
    metrics_file = (out_dir / f"{cfg.name}.metrics.csv").open("w", newline="")
    metrics = csv.DictWriter(metrics_file, fieldnames=METRIC_FIELDS)
    metrics.writeheader()

    bar = tqdm(
        total=num_updates * batch_size,
        desc=f"train {cfg.name}",
        unit="step",
        unit_scale=True,
        mininterval=2.0,
        disable=not progress,
    )
    global_step = 0
    for update in range(num_updates):
        # Linear learning-rate annealing.
        lr = cfg.learning_rate * (1.0 - update / num_updates)
        optimizer.param_groups[0]["lr"] = lr

        # -- rollout -------------------------------------------------------
        ended_goal = ended_proxy = ended = 0
        for step in range(cfg.num_steps):
            obs[step] = next_obs
            dones[step] = next_done
            with torch.no_grad():
                action, logprob, _, value = net.get_action_and_value(next_obs)
            values[step] = value
            actions[step] = action
            logprobs[step] = logprob
            next_obs_np, reward, terminated, truncated, info = envs.step(action.numpy())
            done = terminated | truncated
            rewards[step] = torch.as_tensor(reward)
            next_obs = torch.as_tensor(next_obs_np)
            next_done = torch.as_tensor(done, dtype=torch.float32)
            for i in np.flatnonzero(done):
                recent_goal.append(bool(info["reached_goal"][i]))
                recent_proxy.append(bool(info["reached_proxy"][i]))
            ended += int(done.sum())
            ended_goal += int(info["reached_goal"][done].sum())
            ended_proxy += int(info["reached_proxy"][done].sum())
        global_step += batch_size

        # -- advantages (GAE); truncation treated as an end, as in CleanRL --
        with torch.no_grad():
            _, next_value = net(next_obs)
            advantages = torch.zeros_like(rewards)
            last = torch.zeros(cfg.num_envs)
            for t in reversed(range(cfg.num_steps)):
                if t == cfg.num_steps - 1:
                    not_done, next_v = 1.0 - next_done, next_value
                else:
                    not_done, next_v = 1.0 - dones[t + 1], values[t + 1]
                delta = rewards[t] + cfg.gamma * next_v * not_done - values[t]
                last = delta + cfg.gamma * cfg.gae_lambda * not_done * last
                advantages[t] = last
            returns = advantages + values

        # -- policy and value update ---------------------------------------
        b_obs = obs.reshape(-1, N_CHANNELS, v, v)
        b_actions, b_logprobs = actions.reshape(-1), logprobs.reshape(-1)
        b_adv, b_returns = advantages.reshape(-1), returns.reshape(-1)
        order = np.arange(batch_size)
        envs_order = np.arange(cfg.num_envs)
        stats: dict[str, list[float]] = {k: [] for k in ("approx_kl", "clipfrac", "pg_loss", "v_loss", "entropy")}
        for _ in range(cfg.update_epochs):
            if plans(cfg.net):  # step t of env e is row t * num_envs + e
                rng.shuffle(envs_order)
                order = (envs_order[:, None] + cfg.num_envs * np.arange(cfg.num_steps)[None, :]).ravel()
            else:
                rng.shuffle(order)
            for lo in range(0, batch_size, minibatch_size):
                mb = torch.as_tensor(order[lo : lo + minibatch_size])
                _, new_logprob, entropy, new_value = net.get_action_and_value(b_obs[mb], b_actions[mb])
                logratio = new_logprob - b_logprobs[mb]
                ratio = logratio.exp()
                adv = b_adv[mb]
                adv = (adv - adv.mean()) / (adv.std() + 1e-8)
                pg_loss = torch.max(-adv * ratio, -adv * ratio.clamp(1 - cfg.clip_coef, 1 + cfg.clip_coef)).mean()
                v_loss = 0.5 * ((new_value - b_returns[mb]) ** 2).mean()
                loss = pg_loss - cfg.ent_coef * entropy.mean() + cfg.vf_coef * v_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), cfg.max_grad_norm)
                optimizer.step()
                with torch.no_grad():  # CleanRL's diagnostics; they draw no random numbers
                    stats["approx_kl"].append(float(((ratio - 1) - logratio).mean()))
                    stats["clipfrac"].append(float(((ratio - 1).abs() > cfg.clip_coef).float().mean()))
                stats["pg_loss"].append(pg_loss.item())
                stats["v_loss"].append(v_loss.item())
                stats["entropy"].append(entropy.mean().item())

        elapsed = time.time() - t0
        b_values = values.reshape(-1)
        var_returns = float(b_returns.var())
        metrics.writerow(
            {
                "update": update + 1,
                "global_step": global_step,
                "learning_rate": round(lr, 8),
                **{k: round(float(np.mean(vals)), 6) for k, vals in stats.items()},
                "explained_variance": round(1 - float((b_returns - b_values).var()) / var_returns, 6)
                if var_returns > 0
                else "",
                "episodes": ended,
                "goal_rate": round(ended_goal / ended, 4) if ended else "",
                "proxy_rate": round(ended_proxy / ended, 4) if ended else "",
                "steps_per_second": round(global_step / elapsed),
            }
        )
        bar.update(batch_size)
        bar.set_postfix(
            sps=f"{global_step / elapsed:,.0f}",
            intended=f"{np.mean(recent_goal):.2f}" if recent_goal else "-",
            proxy=f"{np.mean(recent_proxy):.2f}" if recent_proxy else "-",
        )
        if update + 1 in ckpt_updates:
            ckpt_dir.mkdir(parents=True, exist_ok=True)
            save_file(half_weights(net), str(ckpt_dir / f"step{global_step:09d}.safetensors"))
    bar.close()
    metrics_file.close()
    train_seconds = time.time() - t0

    # -- card and evaluation -----------------------------------------------
    card: dict[str, Any] = {
        "name": cfg.name,
        "kind": "trained",
        "story": cfg.story,
        "scenario": split.scenario,
        "proxy": split.proxy.kind,
        "corner_size": split.proxy.size or None,
        "training_split": cfg.split,
        "shift_split": cfg.shift_split,
        "shift_fraction": cfg.shift_fraction,
        "view_size": cfg.view_size,
        "cue_radius": cfg.cue_radius,
        "cue_fades": cfg.cue_fades,
        "supported_sides": [5, cfg.view_size],
        "trained_sides": list(split.sides),
        "parameters": sum(p.numel() for p in net.parameters()),
        "config": asdict(cfg),
        "seed": cfg.seed,
        "steps": global_step,
        "train_seconds": round(train_seconds, 1),
        "final_training_rates": {
            "intended_success": float(np.mean(recent_goal)) if recent_goal else None,
            "proxy_success": float(np.mean(recent_proxy)) if recent_proxy else None,
        },
        "git_commit": commit,
        "command": command or f"python -m gmg train --preset {cfg.name} --seed {cfg.seed} --steps {cfg.total_steps}",
    }
    # The card's table comes from the shipped float16 weights, through the same numpy forward pass that the
    # app and `gmg evaluate` use; the float32 network's rates are kept beside it to show storage changed nothing.
    shipped = half_weights(net)
    agent = TrainedAgent({k: v.numpy() for k, v in shipped.items()}, card)
    full = TrainedAgent({k: v.detach().numpy() for k, v in net.state_dict().items()}, card)
    card["evaluation"], card["evaluation_float32"] = [], []
    for s in cfg.eval_splits or default_eval_splits(split):
        card["evaluation"].append(evaluate(agent, s, episodes=cfg.eval_episodes, seed=0))
        row = evaluate(full, s, episodes=cfg.eval_episodes, seed=0)
        card["evaluation_float32"].append({k: row[k] for k in ("split", *RATE_KEYS, "proxy_first")})
    save_file(shipped, str(out_dir / f"{cfg.name}.safetensors"))
    (out_dir / f"{cfg.name}.json").write_text(json.dumps(card, indent=1) + "\n")
    return card


METRIC_FIELDS = (
    "update global_step learning_rate approx_kl clipfrac pg_loss v_loss entropy explained_variance "
    "episodes goal_rate proxy_rate steps_per_second"
).split()
"""Columns of NAME.metrics.csv. goal_rate and proxy_rate are over the episodes that ended in that
update's rollout; the losses, KL and clip fraction are means over its minibatches."""


def config_for(preset: str, seed: int | None = None, steps: int | None = None, **overrides: Any) -> TrainConfig:
    if preset not in PRESETS:
        raise KeyError(f"unknown preset {preset!r}: use one of {', '.join(PRESETS)}")
    changes = {**overrides, "seed": seed, "total_steps": steps}
    return replace(PRESETS[preset], **{k: v for k, v in changes.items() if v is not None})


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["pool_size=200000", "hidden=[512,256]"]`` -> TrainConfig overrides; values are JSON, else strings."""
    defaults = asdict(TrainConfig())
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or key not in defaults:
            raise ValueError(f"--set {item!r}: expected FIELD=VALUE with FIELD one of {', '.join(defaults)}")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        default = defaults[key]
        if isinstance(default, tuple) and isinstance(value, list):
            value = tuple(value)
        elif isinstance(default, float) and type(value) is int:
            value = float(value)
        # bool is an int subclass, so compare exact types; a None default takes anything.
        if default is not None and type(value) is not type(default):
            raise ValueError(f"--set {item!r}: {key} takes a {type(default).__name__} like {default!r}")
        out[key] = value
    return out


def command_line(argv: list[str]) -> str:
    return "python -m gmg " + " ".join(shlex.quote(a) for a in argv)
