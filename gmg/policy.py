"""The policy network in torch, for training. Its shapes come from :mod:`gmg.network`, which also runs it in numpy.

Egocentric input (the crop :mod:`gmg.network` describes) learned far faster than the allocentric grid in a probe.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.distributions import Categorical

from gmg.network import input_channels, layer_shapes
from gmg.world import AGENT_CH


def egocentric(obs: torch.Tensor, memory: bool = True) -> torch.Tensor:
    """float[B, C, 2V-1, 2V-1] centred on the agent, from uint8/float[B, 5, V, V] (as :func:`gmg.network.egocentric`)."""
    b, _, v, _ = obs.shape
    r = v - 1
    flat = obs[:, AGENT_CH].reshape(b, -1).argmax(dim=1)
    row, col = flat // v, flat % v
    grid = nn.functional.pad(obs[:, list(input_channels(memory))], (r, r, r, r), value=0)
    for border in (grid[:, 0, :r], grid[:, 0, -r:], grid[:, 0, :, :r], grid[:, 0, :, -r:]):
        border.fill_(1)  # padding reads as wall
    # Every (2r+1)^2 window as a strided view, then one window per sample: 4x faster than
    # gathering with index grids, and this crop was half of PPO's time.
    windows = grid.unfold(2, 2 * r + 1, 1).unfold(3, 2 * r + 1, 1)
    return windows[torch.arange(b, device=obs.device), :, row, col].float()


def _layer(shape: tuple[int, ...], std: float = 2**0.5) -> nn.Linear:
    layer = nn.Linear(shape[1], shape[0])
    nn.init.orthogonal_(layer.weight, std)
    nn.init.zeros_(layer.bias)
    return layer


class PolicyNetwork(nn.Module):
    """Actor-critic MLP over the egocentric crop; the actor and critic heads share the body.

    ``memory`` (every shipped agent) adds the previous-cell channel to the input.
    """

    def __init__(self, view_size: int, hidden: tuple[int, ...] = (256, 128), memory: bool = True) -> None:
        super().__init__()
        self.view_size = view_size
        self.memory = memory
        shapes = layer_shapes(view_size, hidden, memory)
        layers: list[nn.Module] = [nn.Flatten()]
        for i in range(len(hidden)):
            layers += [_layer(shapes[f"body.{2 * i + 1}.weight"]), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.actor = _layer(shapes["actor.weight"], std=0.01)
        self.critic = _layer(shapes["critic.weight"], std=1.0)

    def forward(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits float[B, 4], value float[B]) for observations uint8[B, 5, V, V]."""
        z = self.body(egocentric(obs, self.memory))
        return self.actor(z), self.critic(z).squeeze(-1)

    def get_action_and_value(
        self, obs: torch.Tensor, action: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        logits, value = self(obs)
        dist = Categorical(logits=logits)
        if action is None:
            action = dist.sample()
        return action, dist.log_prob(action), dist.entropy(), value
