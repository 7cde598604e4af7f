"""The policy network in torch, for training. Its shapes come from :mod:`gmg.network`, which also runs it in numpy.

Egocentric input (the crop :mod:`gmg.network` describes) learned far faster than the allocentric grid in a probe.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.distributions import Categorical

from gmg.network import (
    PLAN_CHANNELS,
    PLAN_CLAMP,
    PLAN_CONVS,
    PLAN_RADIUS,
    coord_planes,
    input_channels,
    layer_shapes,
    plan_inputs,
    plan_rounds,
    plans,
)
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
    """Actor-critic MLP; the actor and critic heads share the body. ``net`` says what the body reads (see
    :mod:`gmg.network`): the egocentric crop (``mlp``), the planner's window (``plan``) or both (``hybrid``).

    ``memory`` (every shipped agent) adds the previous-cell channel to the input; ``coords`` gives the planner's
    reward map each cell's row and column.
    """

    def __init__(
        self,
        view_size: int,
        hidden: tuple[int, ...] = (256, 128),
        memory: bool = True,
        net: str = "mlp",
        coords: bool = False,
        reward_init: float = -4.0,
        relative: bool = False,
    ) -> None:
        super().__init__()
        self.view_size = view_size
        self.memory = memory
        self.net = net
        self.coords = coords
        self.relative = relative
        shapes = layer_shapes(view_size, hidden, memory, net, coords)
        if plans(net):
            convs: list[nn.Module] = []
            for i in range(PLAN_CONVS):
                n_in = plan_inputs(coords) if i == 0 else PLAN_CHANNELS
                convs += [nn.Conv2d(n_in, PLAN_CHANNELS, 3, padding=1), nn.ReLU()]
            self.reward = nn.Sequential(*convs, nn.Conv2d(PLAN_CHANNELS, 1, 1))
            nn.init.constant_(self.reward[-1].bias, reward_init)  # -4: start with almost no cell rewarding
            self.gamma_logit = nn.Parameter(torch.tensor(3.5))  # sigmoid: 0.97
            # Tells mazes apart, so that each distinct maze in a batch is planned once (not saved with the weights).
            keys = torch.rand(3 * view_size**2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
            self.register_buffer("keys", keys, persistent=False)
        layers: list[nn.Module] = [nn.Flatten()]
        for i in range(len(hidden)):
            layers += [_layer(shapes[f"body.{2 * i + 1}.weight"]), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.actor = _layer(shapes["actor.weight"], std=0.01)
        self.critic = _layer(shapes["critic.weight"], std=1.0)

    def forward(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits float[B, 4], value float[B]) for observations uint8[B, 5, V, V]."""
        parts = [] if self.net == "plan" else [egocentric(obs, self.memory).flatten(1)]
        if plans(self.net):
            parts.append(self.plan_features(obs))
        z = self.body(parts[0] if len(parts) == 1 else torch.cat(parts, 1))
        return self.actor(z), self.critic(z).squeeze(-1)

    def values(self, planes: torch.Tensor) -> torch.Tensor:
        """float[U, V, V] values of U mazes from their wall, goal and cue planes float[U, 3, V, V] (as
        :func:`gmg.network.plan`)."""
        free = 1.0 - planes[:, 0]
        if self.coords:
            xy = torch.from_numpy(coord_planes(planes.shape[-1])).expand(len(planes), -1, -1, -1)
            planes = torch.cat([planes, xy], 1)
        reward = torch.sigmoid(self.reward(planes))[:, 0] * free
        if self.relative:  # as gmg.network.plan
            lowest = torch.where(free > 0, reward, torch.inf).amin(dim=(1, 2), keepdim=True)
            reward = (reward - lowest) * free
        gamma = torch.sigmoid(self.gamma_logit)
        v = reward
        for _ in range(plan_rounds(planes.shape[-1])):
            p = nn.functional.pad(v, (1, 1, 1, 1))
            best = torch.maximum(
                torch.maximum(p[:, :-2, 1:-1], p[:, 2:, 1:-1]), torch.maximum(p[:, 1:-1, :-2], p[:, 1:-1, 2:])
            )
            v = torch.maximum(reward, gamma * best) * free
        return v

    def mazes_values(self, keys: torch.Tensor, planes: torch.Tensor) -> torch.Tensor:
        """:meth:`values` of distinct mazes. Without gradients (rollouts), each maze is planned once until the
        weights change: a maze lasts a whole episode, and planning every step was most of a rollout's time."""
        if torch.is_grad_enabled():
            return self.values(planes.float())
        version = tuple(p._version for p in self.parameters())
        if getattr(self, "_cache_version", None) != version or len(self._cache) > 4096:
            self._cache: dict[float, torch.Tensor] = {}
            self._cache_version = version
        new = [i for i, k in enumerate(keys.tolist()) if k not in self._cache]
        if new:
            for k, v in zip(keys[new].tolist(), self.values(planes[new].float()), strict=True):
                self._cache[k] = v
        return torch.stack([self._cache[k] for k in keys.tolist()])

    def plan_features(self, obs: torch.Tensor) -> torch.Tensor:
        """float[B, input_size] the planner's body reads (as :func:`gmg.network.plan_features`)."""
        b, _, size, _ = obs.shape
        planes = obs[:, :3]
        key = planes.reshape(b, -1).double() @ self.keys
        _, inverse = torch.unique(key, return_inverse=True)
        first = torch.zeros(int(inverse.max()) + 1, dtype=torch.long).scatter_(0, inverse, torch.arange(b))
        v = self.mazes_values(key[first], planes[first])[inverse]
        flat = obs[:, AGENT_CH].reshape(b, -1).argmax(dim=1)
        row, col = flat // size, flat % size
        rows = torch.arange(b)
        here = v[rows, row, col]
        step = -torch.log(torch.sigmoid(self.gamma_logit))
        nearer = ((torch.log(v + 1e-6) - torch.log(here + 1e-6)[:, None, None]) / step).clamp(-PLAN_CLAMP, PLAN_CLAMP)
        r = PLAN_RADIUS
        grid = torch.cat([obs[:, list(input_channels(self.memory))].float(), nearer[:, None]], 1)
        grid = nn.functional.pad(grid, (r, r, r, r))
        for c, fill in ((0, 1.0), (-1, -PLAN_CLAMP)):  # outside the grid: wall, and far
            for border in (grid[:, c, :r], grid[:, c, -r:], grid[:, c, :, :r], grid[:, c, :, -r:]):
                border.fill_(fill)
        # Indexing, not unfold: unfold's backward fills a gradient for every window of every sample.
        span = torch.arange(2 * r + 1)
        windows = grid[rows[:, None, None], :, (row[:, None] + span)[:, :, None], (col[:, None] + span)[:, None, :]]
        # windows is [B, 2r+1, 2r+1, C]; the numpy path's order is [B, C, 2r+1, 2r+1].
        return torch.cat([windows.permute(0, 3, 1, 2).reshape(b, -1), here[:, None]], 1)

    def get_action_and_value(
        self, obs: torch.Tensor, action: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        logits, value = self(obs)
        dist = Categorical(logits=logits)
        if action is None:
            action = dist.sample()
        return action, dist.log_prob(action), dist.entropy(), value
