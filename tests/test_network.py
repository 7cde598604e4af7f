"""The served numpy network and the torch training network are one network: same shapes, same logits."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from gmg.agents import AGENTS_DIR, load_agent
from gmg.network import egocentric as egocentric_np
from gmg.network import layer_shapes
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
    torch_net = PolicyNetwork(agent.view_size, tuple(card["config"]["hidden"]), card["config"]["memory"])
    torch_net.load_state_dict(load_file(str(AGENTS_DIR / f"{name}.safetensors")))
    obs = observations([row["split"] for row in card["evaluation"]], agent.view_size)
    assert len(obs) >= 2000
    np_logits, np_value = agent.network.forward(obs)
    with torch.inference_mode():
        t_logits, t_value = torch_net(torch.as_tensor(obs))
    np.testing.assert_allclose(np_logits, t_logits.numpy(), atol=1e-4, rtol=0)
    np.testing.assert_allclose(np_value, t_value.numpy(), atol=1e-4, rtol=0)
    assert (np_logits.argmax(axis=1) == t_logits.numpy().argmax(axis=1)).all()


def test_one_definition_of_shapes():
    net = PolicyNetwork(13, (32, 16), memory=True)
    assert {k: tuple(v.shape) for k, v in net.state_dict().items()} == layer_shapes(13, (32, 16), True)
    obs = observations(["cue/train"], 13, per_split=50)
    np.testing.assert_array_equal(egocentric_np(obs, True), egocentric_torch(torch.as_tensor(obs), True).numpy())


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
