"""The policy network's one definition of shapes, and its forward pass in numpy.

torch trains the network (:class:`gmg.policy.PolicyNetwork` builds its layers
from :func:`layer_shapes`); the served app runs the same safetensors weights
here, in numpy, so it needs no torch. ``tests/test_network.py`` checks that the
two give the same logits on thousands of observations of every shipped agent.

The network: an egocentric crop of the observation (the whole grid re-centred
on the agent, radius V-1, padding read as wall; channels wall, goal, cue and,
with ``memory``, the previous cell), flattened into an MLP with ReLUs, then an
actor head (4 logits) and a critic head (a value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from gmg.world import AGENT_CH, CUE_CH, GOAL_CH, PREV_CH, WALL_CH

N_ACTIONS = 4


def input_channels(memory: bool) -> tuple[int, ...]:
    """Observation channels the network reads, in order."""
    return (WALL_CH, GOAL_CH, CUE_CH) + ((PREV_CH,) if memory else ())


def layer_shapes(view_size: int, hidden: Sequence[int], memory: bool) -> dict[str, tuple[int, ...]]:
    """Every weight's name (as in the safetensors file) and shape: ``body.1``, ``body.3``, …, ``actor``, ``critic``."""
    n_in = len(input_channels(memory)) * (2 * view_size - 1) ** 2
    shapes: dict[str, tuple[int, ...]] = {}
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


class NumpyPolicy:
    """The policy network's forward pass in numpy, from a name -> array dict of weights."""

    def __init__(self, weights: Mapping[str, np.ndarray], view_size: int, hidden: Sequence[int], memory: bool) -> None:
        expected = layer_shapes(view_size, hidden, memory)
        got = {k: tuple(np.shape(w)) for k, w in weights.items()}
        if got != expected:
            raise ValueError(f"the weights do not fit the network: expected {expected}, got {got}")
        self.memory = memory

        def dense(name: str) -> tuple[np.ndarray, np.ndarray]:
            w, b = weights[f"{name}.weight"], weights[f"{name}.bias"]
            return np.asarray(w, np.float32).T.copy(), np.asarray(b, np.float32)

        self.body = [dense(f"body.{2 * i + 1}") for i in range(len(hidden))]
        self.actor, self.critic = dense("actor"), dense("critic")

    def hidden(self, obs: np.ndarray, add: Mapping[int, np.ndarray] | None = None) -> list[np.ndarray]:
        """Every body layer's output (after its ReLU), float32[B, width] each.

        ``add`` maps a layer index to a vector added to that layer's output before the next layer reads it: the
        steering of :mod:`gmg.inside`. An empty ``add`` changes nothing, bit for bit.
        """
        x = egocentric(obs, self.memory).reshape(len(obs), -1)
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
