"""The landing page's recorded runs are what the shipped agents do now, and the presets load."""

from __future__ import annotations

import pytest

from gmg.agents import load_agent
from gmg.layout import Layout
from gmg.presets import example_gif, load_examples, load_preset, preset_names
from gmg.rollout import run

EXAMPLES = load_examples()


def test_every_preset_has_a_recorded_example():
    scenes = {f"{s}-{k}" for s in ("cue", "corner", "path") for k in ("training", "shifted")}
    assert set(preset_names()) == set(EXAMPLES) == scenes


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_recorded_run_replays_exactly(name):
    ex = EXAMPLES[name]
    layout = Layout.from_code(ex["layout_code"])
    assert layout == load_preset(name)
    traj = run(load_agent(ex["agent"]), layout, seed=ex["seed"])
    assert traj.path == [tuple(c) for c in ex["path"]], (
        "the shipped agent no longer makes this run: rerun scripts/make_examples.py"
    )
    assert traj.outcome == ex["outcome"]
    assert example_gif(name)[:6] == b"GIF89a"


def test_examples_show_the_contrast():
    assert EXAMPLES["cue-training"]["outcome"] == "intended"
    assert EXAMPLES["cue-shifted"]["outcome"] == "proxy"
    assert EXAMPLES["corner-shifted"]["outcome"] == "proxy"
