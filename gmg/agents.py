"""The agent registry: trained PPO agents from ``assets/agents`` and scripted references.

Trained agents run in numpy from their safetensors weights, so serving needs no torch.

Every agent takes batched numpy observations (uint8[B, 5, V, V], see
:mod:`gmg.world`) and offers ``act``, ``action_probs`` and ``value``. Trained
agents load from safetensors (never pickle). Reference agents carry
``card["kind"] == "reference"`` and are never presented as trained.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file

from gmg.layout import MAX_SIDE, MIN_SIDE, Layout, LayoutError, bfs_distances_batch
from gmg.network import NumpyPolicy, softmax
from gmg.world import AGENT_CH, CUE_CH, DEFAULT_CUE_RADIUS, GOAL_CH, MOVES, WALL_CH

AGENTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "agents"


class AgentError(LookupError):
    """An unknown agent, or one whose files are missing or damaged."""


def sample_actions(probs: np.ndarray, greedy: bool, rng: np.random.Generator | None) -> np.ndarray:
    """int64[B] actions from float[B, 4] probabilities: argmax, or a draw with ``rng``."""
    if greedy:
        return probs.argmax(axis=1).astype(np.int64)
    rng = rng if rng is not None else np.random.default_rng()
    cdf = np.cumsum(probs, axis=1)
    u = rng.random((len(probs), 1)) * cdf[:, -1:]
    return np.minimum((cdf < u).sum(axis=1), probs.shape[1] - 1).astype(np.int64)


class BaseAgent:
    """Shared behaviour: size checks and sampling from ``action_probs``."""

    card: dict[str, Any]
    view_size: int = MAX_SIDE
    # The cue's blob radius in what the agent sees: a trained agent sees the cue as it was drawn in training.
    cue_radius: int = DEFAULT_CUE_RADIUS
    cue_fades: bool = False  # whether the cue went out of its view once passed, as in its training

    @property
    def name(self) -> str:
        return str(self.card["name"])

    @property
    def sides(self) -> tuple[int, int]:
        return tuple(self.card.get("supported_sides", (MIN_SIDE, self.view_size)))  # type: ignore[return-value]

    def check_layout(self, layout: Layout) -> None:
        """Raise LayoutError if this agent cannot run ``layout`` (it sees at most its view)."""
        lo, hi = self.sides
        h, w = layout.shape
        if not (lo <= h <= hi and lo <= w <= hi):
            raise LayoutError(f"agent {self.name} runs layouts with sides {lo} to {hi}; this layout is {h}x{w}")

    def action_probs(self, obs: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def value(self, obs: np.ndarray) -> np.ndarray:
        return np.zeros(len(obs), dtype=np.float32)

    def act(self, obs: np.ndarray, greedy: bool = False, rng: np.random.Generator | None = None) -> np.ndarray:
        return sample_actions(self.action_probs(obs), greedy, rng)


class TrainedAgent(BaseAgent):
    """A trained policy network with its card, run in numpy (:class:`gmg.network.NumpyPolicy`): no torch needed."""

    def __init__(self, weights: dict[str, np.ndarray], card: dict[str, Any]) -> None:
        config = card["config"]
        self.card = card
        self.view_size = int(card["view_size"])
        self.cue_radius = int(card.get("cue_radius") or DEFAULT_CUE_RADIUS)
        self.cue_fades = bool(card.get("cue_fades", False))
        # Cards from before the memory input have no "memory" key: those networks had none; nor "net": MLPs.
        memory, net, coords = config.get("memory", False), config.get("net", "mlp"), config.get("coords", False)
        relative = config.get("reward_relative", False)
        self.network = NumpyPolicy(weights, self.view_size, tuple(config["hidden"]), memory, net, coords, relative)

    def action_probs(self, obs: np.ndarray) -> np.ndarray:
        return softmax(self.network.forward(obs)[0])

    def value(self, obs: np.ndarray) -> np.ndarray:
        return self.network.forward(obs)[1]


class _ReferenceAgent(BaseAgent):
    """A scripted agent: a card of kind "reference" that runs every layout size."""

    def __init__(self, name: str, story: str) -> None:
        self.card = {"name": name, "kind": "reference", "story": story, "view_size": MAX_SIDE}
        self.card["supported_sides"] = [MIN_SIDE, MAX_SIDE]


class _SeekerAgent(_ReferenceAgent):
    """BFS-optimal walker to a target read off the observation."""

    def _targets(self, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(int[B, 2] target cells, bool[B] whether there is one)."""
        flat = obs[:, GOAL_CH].reshape(len(obs), -1)
        v = obs.shape[-1]
        idx = flat.argmax(axis=1)
        return np.stack([idx // v, idx % v], axis=1), flat.max(axis=1) > 0

    def action_probs(self, obs: np.ndarray) -> np.ndarray:
        b, v = len(obs), obs.shape[-1]
        flat = obs[:, AGENT_CH].reshape(b, -1).argmax(axis=1)
        pos = np.stack([flat // v, flat % v], axis=1)
        targets, has = self._targets(obs)
        walls = obs[:, WALL_CH].astype(bool)
        dist = bfs_distances_batch(walls, targets)
        padded = np.pad(dist, ((0, 0), (1, 1), (1, 1)), constant_values=-1)
        nxt = pos[:, None, :] + MOVES[None] + 1
        rows = np.arange(b)[:, None]
        neighbour = padded[rows, nxt[..., 0], nxt[..., 1]]
        here = dist[np.arange(b), pos[:, 0], pos[:, 1]]
        better = (neighbour >= 0) & (neighbour == here[:, None] - 1)
        # No target, or unreachable: wander uniformly.
        better[~(has & (here > 0)) | ~better.any(axis=1)] = True
        return better / better.sum(axis=1, keepdims=True)


class OracleAgent(_SeekerAgent):
    def __init__(self) -> None:
        super().__init__("oracle", "Scripted: walks a shortest path to the goal (BFS). The intended behaviour.")


class CueSeekerAgent(_SeekerAgent):
    def __init__(self, cue_radius: int = DEFAULT_CUE_RADIUS) -> None:
        super().__init__("cue-seeker", "Scripted: walks a shortest path to the cue (BFS). The proxy behaviour.")
        self.cue_radius = cue_radius

    def _targets(self, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # The cue channel is a blob clipped at the layout's edge; its centre is
        # r cells in from whichever side was not clipped.
        blob = obs[:, CUE_CH] > 0
        has = blob.reshape(len(obs), -1).any(axis=1)
        out = np.zeros((len(obs), 2), dtype=np.int64)
        r = self.cue_radius
        for axis, k in ((2, 0), (1, 1)):
            line = blob.any(axis=axis)
            lo = line.argmax(axis=1)
            out[:, k] = np.where(lo == 0, line.shape[1] - 1 - line[:, ::-1].argmax(axis=1) - r, lo + r)
        return out, has


class RandomAgent(_ReferenceAgent):
    def __init__(self) -> None:
        super().__init__("random", "Scripted: uniformly random moves. A floor for capability.")

    def action_probs(self, obs: np.ndarray) -> np.ndarray:
        return np.full((len(obs), 4), 0.25)


_REFERENCES = {"oracle": OracleAgent, "cue-seeker": CueSeekerAgent, "random": RandomAgent}
REFERENCE_AGENTS = tuple(_REFERENCES)


def trained_names(directory: Path = AGENTS_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.json") if p.with_suffix(".safetensors").exists())


def available(directory: Path = AGENTS_DIR) -> list[str]:
    """Names of every agent: the trained ones first, then the references."""
    return trained_names(directory) + list(REFERENCE_AGENTS)


def card_story(card: dict[str, Any]) -> str:
    """How the agent was trained, in a sentence or two for the app (its card's story, and how its cue behaved)."""
    story = str(card.get("story", ""))
    if card.get("cue_fades"):
        story += (
            " The cue goes out once the agent has stood on it, like a checkpoint lamp: something to pass, not a place"
            " to stay."
        )
    return story


def read_card(name: str, directory: Path = AGENTS_DIR) -> dict[str, Any]:
    path = directory / f"{name}.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise AgentError(f"no agent named {name!r}: available are {', '.join(available(directory))}") from None
    except json.JSONDecodeError as err:
        raise AgentError(f"the card {path} is not valid JSON: {err}") from None


def read_metrics(name: str, directory: Path = AGENTS_DIR) -> list[dict[str, float]]:
    """The training diagnostics of a trained agent, one row per PPO update (``NAME.metrics.csv``); [] if none.

    Columns: ``gmg.train.METRIC_FIELDS``. Empty cells (no episode ended in an update) are NaN.
    """
    path = directory / f"{name}.metrics.csv"
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return [{k: float(v) if v != "" else float("nan") for k, v in row.items()} for row in csv.DictReader(f)]


def read_timeline(name: str, directory: Path = AGENTS_DIR) -> list[dict[str, Any]]:
    """Evaluations of a trained agent's checkpoints (``NAME.timeline.json``, written by scripts/timeline.py); [] if none."""
    path = directory / f"{name}.timeline.json"
    return json.loads(path.read_text())["checkpoints"] if path.exists() else []


def load_agent(name: str, directory: Path = AGENTS_DIR, weights: Path | None = None) -> BaseAgent:
    """A trained agent by name (from safetensors), or a reference agent.

    ``weights`` loads another file of the same network (a checkpoint) under the agent's card.
    """
    if name in _REFERENCES:
        return _REFERENCES[name]()
    card = read_card(name, directory)
    weights = weights or directory / f"{name}.safetensors"
    try:
        return TrainedAgent(load_file(str(weights)), card)
    except (OSError, ValueError, SafetensorError) as err:
        raise AgentError(f"could not load the weights of {name!r} from {weights}: {err}") from None
