"""The Inside page and the lab's inside views as a visitor meets them (AppTest)."""

from __future__ import annotations

import pytest
from app_helpers import button, open_page

from gmg.agents import read_card
from gmg.inside import population
from gmg.layout import Layout
from gmg.network import plans
from gmg.presets import load_preset

TRAINED = ("cue-always", "cue-diverse", "corner", "cue-on-path")


@pytest.mark.parametrize("agent", TRAINED)
def test_inside_renders_every_view_for_every_main_agent(agent):
    at = open_page("inside", {"agent": agent})
    assert at.session_state["inside_agent"] == agent
    headers = [h.value for h in at.header]
    assert headers == ["What it looks at", "What it values", "Where it decides", "Steering"]
    text = " ".join(m.value for m in at.markdown)
    # A planner shows its reward and value maps with their numbers; an MLP says it has none and names the planners.
    if plans(read_card(agent)["config"].get("net", "mlp")):
        assert "Learned reward in this maze: the goal" in text
        assert any("inside_plan" in el.proto.id for el in at.get("plotly_chart"))
    else:
        assert "no map of what it wants" in text and "cue-always" in text
    assert "Fork ◇" in text or "No fork here" in text
    # Population results come from the shipped JSON, named with the agent's own numbers.
    entry = population()["agents"][agent]
    assert f"{entry['fork']['p_goal']['mean']:.2f}" in text
    if entry["predictor"]["single"]:
        assert f"{entry['predictor']['accuracy']:.1%}" in text
    else:  # the agent did one thing at every fork: nothing to predict, and the page says so
        assert "nothing for a predictor to learn" in text


def test_inside_shares_the_labs_maze_and_steers():
    layout = load_preset("cue-shifted")
    at = open_page("inside", {"maze": layout.to_code(), "agent": "cue-always"})
    assert at.session_state["lab_maze"] == layout
    at.slider(key="inside_steer_coef").set_value(-2.0).run()
    assert not at.exception
    assert "Steered: -2.00 × cue vector, layer 1." in [c.value for c in at.caption]
    best = max(
        (r for r in population()["agents"]["cue-always"]["steering"] if r["vector"] != "random"),
        key=lambda r: r["intended_success"],
    )
    assert f"**{best['intended_success']:.0%}**" in " ".join(m.value for m in at.markdown)


def test_inside_with_a_bad_link_says_so_and_keeps_working():
    at = open_page("inside", {"maze": "not-a-maze", "agent": "no-such-agent"})
    assert at.session_state["inside_agent"] == "cue-always"
    assert any("could not be read" in e.value for e in at.error)
    assert at.header[0].value == "What it looks at"


def test_inside_says_when_the_maze_is_too_big_for_the_agent():
    rows = ["#" * 25, "#S" + "." * 22 + "#"] + ["#" + "." * 23 + "#"] * 21 + ["#" + "." * 22 + "G#", "#" * 25]
    big = Layout.from_text("\n".join(rows))
    at = open_page("inside", {"maze": big.to_code(), "agent": "cue-always"})
    assert any("Can't run" in i.value for i in at.info)
    assert not at.header, "nothing is computed for a maze the agent cannot run"


def test_lab_run_draws_the_strip_and_fork_and_a_steered_run_is_labelled():
    layout = load_preset("cue-shifted")
    at = open_page("lab", {"maze": layout.to_code(), "agent": "cue-always", "seed": "0"})
    assert any("Fork ◇" in m.value for m in at.markdown)
    at.slider(key="lab_steer_coef").set_value(1.5).run()
    button(at, "▶ Run").click().run()
    assert not at.exception
    assert "Steered: +1.50 × cue vector, layer 1." in [c.value for c in at.caption]
    assert at.query_params["coef"] == "1.5" and at.query_params["vector"] == "cue"


def test_lab_steering_link_is_read_back_and_a_bad_one_ignored():
    layout = load_preset("cue-shifted")
    query = {"maze": layout.to_code(), "agent": "cue-always", "vector": "goal", "layer": "2", "coef": "-1"}
    at = open_page("lab", query)
    assert at.session_state["lab_steer_vector"] == ("goal", 1) and at.session_state["lab_steer_coef"] == -1.0
    at = open_page("lab", {**query, "coef": "nine"})
    assert at.session_state.get("lab_steer_coef", 0.0) == 0.0
