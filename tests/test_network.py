"""The served numpy network and the torch training network are one network: same shapes, same logits."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from gmg.agents import AGENTS_DIR, load_agent
from gmg.layout import Layout
from gmg.network import PLAN_CONVS, NumpyPolicy, layer_shapes, plan, plan_rounds
from gmg.network import egocentric as egocentric_np
from gmg.policy import PolicyNetwork
from gmg.policy import egocentric as egocentric_torch
from gmg.splits import Split
from gmg.world import Levels, observe, reset

SHIPPED = ("cue-always", "cue-diverse", "corner", "cue-on-path", "cue-mix-05", "cue-mix-02")


def observations(splits: list[str], view: int, per_split: int = 1100, seed: int = 0) -> np.ndarray:
    """uint8[n, 5, V, V]: the agent on random free cells of layouts from ``splits``, with random previous cells."""
    rng = np.random.default_rng(seed)
    out = []
    for name in splits:
        layouts = Split.parse(name).sample_many(per_split // 10, seed)
        levels = Levels.from_layouts([lay for lay in layouts for _ in range(10)], view)
        state = reset(levels, np.arange(len(levels)))
        free = [np.argwhere(~lay.walls) for lay in levels.layouts]
        state.pos[:] = [f[rng.integers(len(f))] for f in free]
        moved = rng.random(len(levels)) < 0.8
        state.prev[moved] = [f[rng.integers(len(f))] for f, m in zip(free, moved, strict=True) if m]
        out.append(observe(levels, state))
    return np.concatenate(out)


@pytest.mark.parametrize("name", SHIPPED)
def test_numpy_and_torch_give_the_same_logits(name):
    agent = load_agent(name)
    card = agent.card
    config = card["config"]
    torch_net = PolicyNetwork(
        agent.view_size,
        tuple(config["hidden"]),
        config["memory"],
        config.get("net", "mlp"),
        coords=config.get("coords", False),
        relative=config.get("reward_relative", False),
    )
    torch_net.load_state_dict(load_file(str(AGENTS_DIR / f"{name}.safetensors")))
    obs = observations([row["split"] for row in card["evaluation"]], agent.view_size)
    assert len(obs) >= 2000
    np_logits, np_value = agent.network.forward(obs)
    with torch.inference_mode():
        t_logits, t_value = torch_net(torch.as_tensor(obs))
    # A planner reads log-values divided by -log(gamma) (about 0.03), which turns float32 rounding differences of 1e-6
    # between the two runtimes into about 1e-4 on its largest logits (|x| up to 15): hence a relative term too. A
    # relative reward map's values are ten times smaller (an ordinary cell about 0.001), so its log-values carry ten
    # times the rounding: up to 3e-4 on a few logits in 44,000. A wrong input or weight moves them by 0.1 or more.
    atol = 1e-3 if config.get("reward_relative", False) else 1e-4
    np.testing.assert_allclose(np_logits, t_logits.numpy(), atol=atol, rtol=1e-4)
    np.testing.assert_allclose(np_value, t_value.numpy(), atol=atol, rtol=1e-4)
    assert (np_logits.argmax(axis=1) == t_logits.numpy().argmax(axis=1)).all()


def test_one_definition_of_shapes():
    net = PolicyNetwork(13, (32, 16), memory=True)
    assert {k: tuple(v.shape) for k, v in net.state_dict().items()} == layer_shapes(13, (32, 16), True)
    obs = observations(["cue/train"], 13, per_split=50)
    np.testing.assert_array_equal(egocentric_np(obs, True), egocentric_torch(torch.as_tensor(obs), True).numpy())


@pytest.mark.parametrize(
    ("kind", "coords", "relative"),
    [("plan", False, False), ("plan", True, False), ("plan", False, True), ("hybrid", False, True)],
)
def test_a_planning_network_runs_alike_in_numpy_and_torch(kind: str, coords: bool, relative: bool):
    torch.manual_seed(0)
    net = PolicyNetwork(13, (32, 16), memory=True, net=kind, coords=coords, relative=relative)
    with torch.no_grad():  # a reward map that is not almost zero everywhere, so the values differ from cell to cell
        net.reward[-1].bias.fill_(0.0)
        net.reward[-1].weight.mul_(5)
    weights = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    assert {k: tuple(v.shape) for k, v in weights.items()} == layer_shapes(13, (32, 16), True, kind, coords)
    obs = observations(["cue/train:maze", "cue/shift:mix", "corner/train:mix"], 13, per_split=200)
    np_logits, np_value = NumpyPolicy(weights, 13, (32, 16), True, kind, coords, relative).forward(obs)
    with torch.inference_mode():
        t_logits, t_value = net(torch.as_tensor(obs))
    # A planner reads log-values divided by -log(gamma) (about 0.03), which turns float32 rounding differences of 1e-6
    # between the two runtimes into about 1e-4 on its largest logits (|x| up to 15): hence a relative term too.
    np.testing.assert_allclose(np_logits, t_logits.numpy(), atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(np_value, t_value.numpy(), atol=1e-4, rtol=1e-4)
    # Plans kept between calls (rollouts) follow the weights when they change, as after an optimiser step.
    with torch.no_grad():
        net.reward[-1].bias.add_(2.0)
        net.reward[-1].weight.mul_(3)  # a new shape too: a relative map ignores a uniform shift
        kept = net(torch.as_tensor(obs[:300]))[0]
    fresh = net(torch.as_tensor(obs[:300]))[0].detach()  # with gradients: planned anew
    np.testing.assert_allclose(kept.numpy(), fresh.numpy(), atol=1e-5, rtol=0)
    assert np.abs(kept.numpy() - t_logits.numpy()[:300]).max() > 1e-3


def test_an_mlp_runs_alike_in_numpy_and_torch():
    """No shipped agent is an MLP any more, so the MLP path is held to torch with random weights."""
    torch.manual_seed(0)
    net = PolicyNetwork(13, (32, 16), memory=True, net="mlp")
    with torch.no_grad():  # the actor starts near zero (PPO's small init): scale it so the logits carry the input
        net.actor.weight.mul_(100)
    weights = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    assert {k: tuple(v.shape) for k, v in weights.items()} == layer_shapes(13, (32, 16), True, "mlp", False)
    obs = observations(["cue/train:maze", "path/shift:mix", "corner/train:mix"], 13, per_split=200)
    np_logits, np_value = NumpyPolicy(weights, 13, (32, 16), True, "mlp", False, False).forward(obs)
    with torch.inference_mode():
        t_logits, t_value = net(torch.as_tensor(obs))
    assert np.abs(t_logits.numpy()).max() > 0.1, "logits that differ from cell to cell"
    np.testing.assert_allclose(np_logits, t_logits.numpy(), atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(np_value, t_value.numpy(), atol=1e-5, rtol=1e-5)


def test_the_planner_spreads_a_reward_by_shortest_paths_around_walls():
    """With a reward on the goal alone, value iteration gives gamma ** (BFS steps to the goal) on every free cell."""
    layout = Layout.parse("#########\n#S..#..G#\n#.#.#.###\n#.#...#.#\n#.#####.#\n#.......#\n#########")
    weights = {k: np.zeros(s, np.float32) for k, s in layer_shapes(13, (8,), True, "plan").items()}
    weights["reward.0.weight"][0, 1, 1, 1] = 1.0  # channel 0 carries the goal plane through every convolution
    for i in range(1, PLAN_CONVS):
        weights[f"reward.{2 * i}.weight"][0, 0, 1, 1] = 1.0
    weights[f"reward.{2 * PLAN_CONVS}.weight"][0, 0] = 40.0
    weights[f"reward.{2 * PLAN_CONVS}.bias"][:] = -20.0  # sigmoid: 1 on the goal, 2e-9 elsewhere
    weights["gamma_logit"] = np.float32(np.log(0.9 / 0.1))  # gamma 0.9
    planes = np.zeros((1, 3, 13, 13), np.float32)
    planes[0, 0] = 1
    planes[0, 0, :7, :9] = layout.walls
    planes[0, 1][layout.goal] = 1
    _, values = plan(weights, planes, plan_rounds(13))
    dist = layout.distances_from(layout.goal)
    free = ~layout.walls
    np.testing.assert_allclose(values[0, :7, :9][free], 0.9 ** dist[free], rtol=1e-4)
    assert (values[0][planes[0, 0] == 1] == 0).all()


def test_serving_imports_no_torch():
    """The app's runtime path (agents, rollouts, figures, inside views) imports neither torch nor scikit-learn."""
    import subprocess
    import sys

    code = (
        "import sys; from gmg.agents import load_agent; from gmg.rollout import run; from gmg.presets import load_preset; "
        "run(load_agent('cue-always'), load_preset('cue-shifted')); import gmg.figures, gmg.maps, gmg.experiments; "
        "import gmg.inside, gmg.ui.inside; "
        "assert 'torch' not in sys.modules, 'torch was imported'; "
        "assert 'sklearn' not in sys.modules, 'scikit-learn was imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_a_planner_with_coordinates_can_reward_a_place_that_shows_nothing():
    """Reading the column plane alone, the reward grows to the right on an empty maze: the map sees where a cell is."""
    weights = {k: np.zeros(s, np.float32) for k, s in layer_shapes(13, (8,), True, "plan", coords=True).items()}
    weights["reward.0.weight"][0, 4, 1, 1] = 1.0  # plane 4: the column
    for i in range(1, PLAN_CONVS):
        weights[f"reward.{2 * i}.weight"][0, 0, 1, 1] = 1.0
    weights[f"reward.{2 * PLAN_CONVS}.weight"][0, 0] = 4.0
    planes = np.zeros((1, 3, 13, 13), np.float32)  # no walls, no goal, no cue
    reward = plan(weights, planes, plan_rounds(13))[0][0]
    assert (np.diff(reward, axis=1) > 0).all() and np.allclose(np.diff(reward, axis=0), 0)


def test_a_relative_reward_map_keeps_differences_and_starts_at_zero():
    rng = np.random.default_rng(0)
    weights = {k: rng.normal(0, 0.3, s).astype(np.float32) for k, s in layer_shapes(13, (8,), True, "plan").items()}
    planes = observations(["cue/train:maze"], 13, per_split=50)[::10, :3].astype(np.float32)
    free = planes[:, 0] == 0
    absolute, relative = plan(weights, planes, plan_rounds(13))[0], plan(weights, planes, plan_rounds(13), True)[0]
    for a, r, f in zip(absolute, relative, free, strict=True):
        assert r[f].min() == 0 and (r[~f] == 0).all()
        np.testing.assert_allclose(r[f], a[f] - a[f].min(), atol=1e-7)
