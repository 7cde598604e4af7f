"""A tiny PPO run goes end to end and writes a loadable agent with a full card."""

from __future__ import annotations

import json

from gmg.agents import load_agent
from gmg.train import config_for, train


def test_tiny_training_run_writes_loadable_agent(tmp_path):
    cfg = config_for(
        "cue-diverse",
        seed=3,
        steps=4096,
        name="tiny",
        pool_size=64,
        num_envs=16,
        num_steps=64,
        eval_episodes=20,
        checkpoint_every=0,
    )
    card = train(cfg, out_dir=tmp_path, progress=False)
    assert (tmp_path / "tiny.safetensors").stat().st_size > 1000
    saved = json.loads((tmp_path / "tiny.json").read_text())
    assert saved["steps"] == 4096 and saved["seed"] == 3
    assert saved["shift_fraction"] == 0.2 and saved["kind"] == "trained"
    assert [e["split"] for e in saved["evaluation"]] == ["cue/train", "cue/shift"]
    agent = load_agent("tiny", directory=tmp_path)
    assert agent.card == json.loads(json.dumps(card))
