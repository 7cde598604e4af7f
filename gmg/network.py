"""The policy network's one definition of shapes, and its forward pass in numpy.

torch trains the network (:class:`gmg.policy.PolicyNetwork` builds its layers
from :func:`layer_shapes`); the served app runs the same safetensors weights
here, in numpy, so it needs no torch. ``tests/test_network.py`` checks that the
two give the same logits on thousands of observations of every shipped agent.

Two networks share one MLP body (ReLUs), an actor head (4 logits) and a critic
head (a value); they differ in what the body reads:

- ``mlp``: an egocentric crop of the observation (the whole grid re-centred on
  the agent, radius V-1, padding read as wall; channels wall, goal, cue and,
  with ``memory``, the previous cell).
- ``plan``: a value-iteration network (Tamar et al., 2016). A learned reward
  map (three 3 x 3 convolutions over the wall, goal and cue planes, so each cell
  sees 7 x 7 around it, then a 1 x 1 one and a sigmoid), then
  :func:`plan_rounds` rounds of value iteration over the maze: a free cell's
  value is the larger of its own reward and ``gamma`` times its best neighbour's
  (walls hold none), so a value travels one cell per round. The body reads a
  (2 PLAN_RADIUS + 1)^2 window around the agent of the same channels as ``mlp``
  plus "how many steps nearer the most rewarding place each cell is than the
  agent's", and the agent's own value. How moves work is built in; which cells
  are rewarding, the discount and how to read the values are learned.

  With ``coords`` (CoordConv, Liu et al., 2018) the reward map also reads two
  planes of each cell's row and column, 0 to 1 across the V x V view, so a
  place can be rewarding for where it is, not only for what it shows. With
  ``relative`` the reward is measured from the maze's least rewarding free cell.
- ``hybrid``: both, side by side: the body reads the ``mlp`` crop, then the
  ``plan`` window. The crop shows the agent where it is in the maze, so the
  body can learn a place; the window gives it the planner's sense of direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from gmg.world import AGENT_CH, CUE_CH, GOAL_CH, PREV_CH, WALL_CH

N_ACTIONS = 4
NETS = ("mlp", "plan", "hybrid")
PLAN_RADIUS = 2  # the planner's readout window is 5 x 5
PLAN_CHANNELS = 16  # hidden channels of its reward map
# 3 x 3 convolutions in the reward map. With one, a cell saw only its neighbours, and a planner trained on corner/train
# could not tell the top-right corner from any other corner: it learned the goal, never the corner.
PLAN_CONVS = 3
PLAN_CLAMP = 4.0  # "steps nearer" is clipped to +-4; cells outside the maze read -4


def plans(net: str) -> bool:
    """Whether network ``net`` has a planner (reward and value maps)."""
    return net in ("plan", "hybrid")


def input_channels(memory: bool) -> tuple[int, ...]:
    """Observation channels the network reads, in order."""
    return (WALL_CH, GOAL_CH, CUE_CH) + ((PREV_CH,) if memory else ())


def coord_planes(view_size: int) -> np.ndarray:
    """float32[2, V, V]: each cell's row and column, 0 at the top left, 1 at the view's far edges."""
    ramp = np.linspace(0.0, 1.0, view_size, dtype=np.float32)
    return np.stack(np.meshgrid(ramp, ramp, indexing="ij"))


def plan_inputs(coords: bool) -> int:
    """Planes the planner's reward map reads: wall, goal and cue, and with ``coords`` row and column."""
    return 5 if coords else 3


def plan_rounds(view_size: int) -> int:
    """Rounds of value iteration: a shortest path in a 13 x 13 maze takes at most 46 steps, 4 V = 52 covers it."""
    return 4 * view_size


def input_size(view_size: int, memory: bool, net: str = "mlp") -> int:
    """How many numbers the MLP body reads."""
    crop = len(input_channels(memory)) * (2 * view_size - 1) ** 2 if net != "plan" else 0
    window = (len(input_channels(memory)) + 1) * (2 * PLAN_RADIUS + 1) ** 2 + 1 if plans(net) else 0
    return crop + window


def layer_shapes(
    view_size: int, hidden: Sequence[int], memory: bool, net: str = "mlp", coords: bool = False
) -> dict[str, tuple[int, ...]]:
    """Every weight's name (as in the safetensors file) and shape: the planner's ``reward.*`` and ``gamma_logit``,
    then ``body.1``, ``body.3``, …, ``actor``, ``critic``."""
    if net not in NETS:
        raise ValueError(f"unknown network {net!r}: expected one of {NETS}")
    if coords and not plans(net):
        raise ValueError("only a planning network reads coordinates")
    shapes: dict[str, tuple[int, ...]] = {}
    if plans(net):
        for i in range(PLAN_CONVS):  # index 2i in the torch Sequential: a ReLU after each
            shapes[f"reward.{2 * i}.weight"] = (PLAN_CHANNELS, plan_inputs(coords) if i == 0 else PLAN_CHANNELS, 3, 3)
            shapes[f"reward.{2 * i}.bias"] = (PLAN_CHANNELS,)
        shapes[f"reward.{2 * PLAN_CONVS}.weight"] = (1, PLAN_CHANNELS, 1, 1)
        shapes[f"reward.{2 * PLAN_CONVS}.bias"], shapes["gamma_logit"] = (1,), ()
    n_in = input_size(view_size, memory, net)
    for i, width in enumerate(hidden):
        # Index 2i+1 in the torch Sequential: a Flatten comes first, a ReLU after each Linear.
        shapes[f"body.{2 * i + 1}.weight"], shapes[f"body.{2 * i + 1}.bias"] = (width, n_in), (width,)
        n_in = width
    shapes.update({"actor.weight": (N_ACTIONS, n_in), "actor.bias": (N_ACTIONS,)})
    shapes.update({"critic.weight": (1, n_in), "critic.bias": (1,)})
    return shapes


def egocentric(obs: np.ndarray, memory: bool) -> np.ndarray:
    """float32[B, C, 2V-1, 2V-1] centred on the agent, from uint8[B, 5, V, V]; outside the grid reads as wall."""
    b, _, v, _ = obs.shape
    r = v - 1
    flat = obs[:, AGENT_CH].reshape(b, -1).argmax(axis=1)
    row, col = flat // v, flat % v
    grid = np.zeros((b, len(input_channels(memory)), v + 2 * r, v + 2 * r), dtype=np.float32)
    grid[:, 0] = 1  # padding reads as wall
    grid[:, :, r : r + v, r : r + v] = obs[:, list(input_channels(memory))]
    windows = np.lib.stride_tricks.sliding_window_view(grid, (2 * r + 1, 2 * r + 1), axis=(2, 3))
    return windows[np.arange(b), :, row, col]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def plan(
    weights: Mapping[str, np.ndarray], planes: np.ndarray, rounds: int, relative: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(reward, value), float32[U, V, V] each, of U mazes from their wall, goal and cue planes float[U, 3, V, V].
    Weights whose reward map reads five planes get the coordinate planes too."""
    h = np.asarray(planes, np.float32)
    if np.shape(weights["reward.0.weight"])[1] == plan_inputs(True):
        xy = np.broadcast_to(coord_planes(h.shape[-1]), (len(h), 2, *h.shape[-2:]))
        h = np.concatenate([h, xy], axis=1)
    for i in range(PLAN_CONVS):
        w, b = (np.asarray(weights[f"reward.{2 * i}.{k}"], np.float32) for k in ("weight", "bias"))
        x = np.pad(h, ((0, 0), (0, 0), (1, 1), (1, 1)))  # zeros, as torch's padding=1
        windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(2, 3))  # [U, C, V, V, 3, 3]
        patches = windows.transpose(0, 2, 3, 1, 4, 5).reshape(*windows.shape[:1], *windows.shape[2:4], -1)
        h = np.maximum(patches @ w.reshape(len(w), -1).T + b, 0).transpose(0, 3, 1, 2)  # one matmul, not einsum
    w, b = (np.asarray(weights[f"reward.{2 * PLAN_CONVS}.{k}"], np.float32) for k in ("weight", "bias"))
    free = 1.0 - planes[:, 0].astype(np.float32)
    reward = (_sigmoid(np.einsum("uoij,o->uij", h, w[0, :, 0, 0]) + b[0]) * free).astype(np.float32)
    if relative:  # measured from the maze's least rewarding free cell, so no floor hides a small lead
        lowest = np.where(free > 0, reward, np.inf).min(axis=(1, 2), keepdims=True)
        reward = ((reward - lowest) * free).astype(np.float32)
    gamma = np.float32(_sigmoid(np.float32(weights["gamma_logit"])))
    v = reward
    for _ in range(rounds):
        p = np.pad(v, ((0, 0), (1, 1), (1, 1)))
        best = np.maximum(np.maximum(p[:, :-2, 1:-1], p[:, 2:, 1:-1]), np.maximum(p[:, 1:-1, :-2], p[:, 1:-1, 2:]))
        v = np.maximum(reward, gamma * best) * free
    return reward, v


def plan_features(
    weights: Mapping[str, np.ndarray],
    obs: np.ndarray,
    memory: bool,
    cache: dict[bytes, np.ndarray] | None = None,
    relative: bool = False,
) -> np.ndarray:
    """float32[B, input_size] the planner's body reads, from uint8[B, 5, V, V] (as :class:`gmg.policy.PolicyNetwork`).

    ``cache`` (maze bytes -> values) keeps each maze's plan: a rollout plans a maze once, not every step.
    """
    b, _, v, _ = obs.shape
    # One plan per maze: rows keyed by their bytes (np.unique over rows sorts a structured copy, 3 ms a call).
    flat = np.ascontiguousarray(obs[:, :3]).reshape(b, -1)
    keys = [row.tobytes() for row in flat]
    cache = {} if cache is None else cache
    if len(cache) > 4096:
        cache.clear()
    new = {k: i for i, k in enumerate(keys) if k not in cache}  # each new maze once, at one of its rows
    if new:
        planes = flat[list(new.values())].reshape(-1, 3, v, v)
        for k, values in zip(new, plan(weights, planes, plan_rounds(v), relative)[1], strict=True):
            cache[k] = values
    values = np.stack([cache[k] for k in keys])
    flat = obs[:, AGENT_CH].reshape(b, -1).argmax(axis=1)
    row, col = flat // v, flat % v
    rows = np.arange(b)
    here = values[rows, row, col]
    step = -np.log(_sigmoid(np.float32(weights["gamma_logit"])))
    nearer = np.clip((np.log(values + 1e-6) - np.log(here + 1e-6)[:, None, None]) / step, -PLAN_CLAMP, PLAN_CLAMP)
    r = PLAN_RADIUS
    channels = len(input_channels(memory))
    grid = np.zeros((b, channels + 1, v + 2 * r, v + 2 * r), dtype=np.float32)
    grid[:, 0], grid[:, -1] = 1, -PLAN_CLAMP  # outside the grid: wall, and far
    grid[:, :channels, r : r + v, r : r + v] = obs[:, list(input_channels(memory))]
    grid[:, -1, r : r + v, r : r + v] = nearer
    windows = np.lib.stride_tricks.sliding_window_view(grid, (2 * r + 1, 2 * r + 1), axis=(2, 3))[rows, :, row, col]
    return np.concatenate([windows.reshape(b, -1), here[:, None]], axis=1).astype(np.float32)


class NumpyPolicy:
    """The policy network's forward pass in numpy, from a name -> array dict of weights."""

    def __init__(
        self,
        weights: Mapping[str, np.ndarray],
        view_size: int,
        hidden: Sequence[int],
        memory: bool,
        net: str = "mlp",
        coords: bool = False,
        relative: bool = False,
    ) -> None:
        expected = layer_shapes(view_size, hidden, memory, net, coords)
        self.relative = relative
        got = {k: tuple(np.shape(w)) for k, w in weights.items()}
        if got != expected:
            raise ValueError(f"the weights do not fit the network: expected {expected}, got {got}")
        self.memory, self.net, self.weights = memory, net, weights
        self._plans: dict[bytes, np.ndarray] = {}  # the planner's values of the mazes it has seen

        def dense(name: str) -> tuple[np.ndarray, np.ndarray]:
            w, b = weights[f"{name}.weight"], weights[f"{name}.bias"]
            return np.asarray(w, np.float32).T.copy(), np.asarray(b, np.float32)

        self.body = [dense(f"body.{2 * i + 1}") for i in range(len(hidden))]
        self.actor, self.critic = dense("actor"), dense("critic")

    def features(self, obs: np.ndarray) -> np.ndarray:
        """float32[B, input_size]: what the body reads."""
        parts = [] if self.net == "plan" else [egocentric(obs, self.memory).reshape(len(obs), -1)]
        if plans(self.net):
            parts.append(plan_features(self.weights, obs, self.memory, self._plans, self.relative))
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def plan(self, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The planner's (reward, value) maps, float32[B, V, V] each, of the mazes in ``obs`` (``plan`` networks only)."""
        if not plans(self.net):
            raise ValueError("only a planning network has reward and value maps")
        return plan(self.weights, obs[:, :3], plan_rounds(obs.shape[-1]), self.relative)

    def hidden(self, obs: np.ndarray, add: Mapping[int, np.ndarray] | None = None) -> list[np.ndarray]:
        """Every body layer's output (after its ReLU), float32[B, width] each.

        ``add`` maps a layer index to a vector added to that layer's output before the next layer reads it: the
        steering of :mod:`gmg.inside`. An empty ``add`` changes nothing, bit for bit.
        """
        x = self.features(obs)
        out = []
        for i, (w, b) in enumerate(self.body):
            x = np.maximum(x @ w + b, 0)
            if add and i in add:
                x = x + np.asarray(add[i], np.float32)
            out.append(x)
        return out

    def forward(self, obs: np.ndarray, add: Mapping[int, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(logits float32[B, 4], value float32[B]) for observations uint8[B, 5, V, V]; ``add`` as in :meth:`hidden`."""
        x = self.hidden(obs, add)[-1]
        return x @ self.actor[0] + self.actor[1], (x @ self.critic[0] + self.critic[1])[:, 0]


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)
