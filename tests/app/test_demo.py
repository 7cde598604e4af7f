"""Issue 11, demo-grade UX, in AppTest: verdicts that match outcomes, clean messages, labelled batches, full
share links, and the Experiments page's default result (and that it cannot go stale)."""

from __future__ import annotations

import json

import pytest
from app_helpers import button, open_page, share_link

from gmg.agents import load_agent
from gmg.layout import Layout
from gmg.presets import load_preset
from gmg.proxy import Proxy
from gmg.rollout import Trajectory, run
from gmg.ui import experiment_cache
from gmg.ui.views import badges_text, verdict

WALLED = Layout.from_text("#######\n#S..C.#\n#.....#\n######.\n#G....#\n#######")


def _traj(goal_step: int, proxy_step: int, shortest: int) -> Trajectory:
    layout = load_preset("cue-shifted")
    return Trajectory(layout, "x", 0, False, [layout.start] * 45, goal_step, proxy_step, shortest, Proxy("cue"))


@pytest.mark.parametrize(
    ("goal_step", "proxy_step", "shortest", "badge", "says", "never"),
    [
        (6, -1, 6, "Goal reached", "went for the **goal**", "never"),
        (-1, 3, 6, "Goal not reached", "never reached the goal", "cannot be reached"),
        (9, 3, 6, "Goal reached", "then found the goal", "never"),
        (-1, -1, 6, "steps (limit)", "failure of skill", "cannot be reached"),
        (-1, 3, -1, "Goal unreachable", "cannot be reached", "competent"),
        (-1, -1, -1, "Goal unreachable", "cannot be reached", "failure of skill"),
    ],
)
def test_every_outcome_gets_a_verdict_that_matches_its_badges(goal_step, proxy_step, shortest, badge, says, never):
    """Defect 6: timeouts and unreachable goals included, the sentence never contradicts the badges."""
    traj = _traj(goal_step, proxy_step, shortest)
    assert badge in badges_text(traj)
    assert says in verdict(traj) and never not in verdict(traj)


def test_unreachable_goal_in_the_lab_says_so_and_does_not_judge():
    """Defect 6 end to end: a walled-off goal, the cue-seeker goes to the cue; no 'chasing the wrong thing'."""
    at = open_page("lab", {"maze": WALLED.to_code(), "agent": "cue-seeker"})
    assert not WALLED.goal_reachable
    button(at, "▶ Run").click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "Goal unreachable" in text and "cannot be reached" in text
    assert "competent" not in text and "wrong thing" not in text


def test_a_timed_out_run_says_how_much_went_over_old_ground():
    """Issue 13: a stuck run reads as a failure of skill, with what the agent did with its time."""
    layout = load_preset("cue-shifted")
    a, b, c = (1, 1), (1, 2), (1, 3)
    sampled = Trajectory(layout, "x", 0, False, [a, b, c, b, a, b], -1, -1, 6, Proxy("cue"))
    assert "3 of its 5 steps ended on a cell it had already visited." in verdict(sampled)
    # A repeated move means a loop only where the policy is deterministic.
    greedy = Trajectory(layout, "x", 0, True, [a, b, c, b, a, b], -1, -1, 6, Proxy("cue"))
    assert "loop it repeats for ever" in verdict(greedy) and "loop" not in verdict(sampled)
    assert "old ground" not in verdict(_traj(-1, 3, 6))


def test_the_lab_says_a_greedy_agent_is_caught_in_a_loop():
    """A recursive-backtracker maze (from cue/train:maze, seed 7) where cue-always under argmax loops without
    reaching the cue or the goal. (cue-on-path, which once looped here, loops on none of 1,200 path/train mazes:
    300 each of maze, prim, kruskal and doors.)"""
    maze = "AQoNAEUAKQAq__wEb6sUW67RFr-0Af___8DbSw"
    at = open_page("lab", {"maze": maze, "agent": "cue-always", "mode": "greedy"})
    button(at, "▶ Run").click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "failure of skill" in text and "loop it repeats for ever" in text


@pytest.mark.parametrize("page", ["lab", "compare"])
def test_a_bad_link_says_what_in_one_clean_sentence(page):
    """Defect 5: no doubled punctuation, no 'your maze is unchanged' beside 'showing the default maze'."""
    broken = load_preset("cue-shifted").to_code()[:-3] + "AAA"
    at = open_page(page, {"maze": broken})
    message = at.error[0].value
    assert "could not be read" in message and "copied whole?" in message
    assert ".." not in message and "?." not in message and "unchanged" not in message


def test_a_refused_text_edit_reads_as_one_sentence(lab):
    lab.text_area(key="lab_text").input("#####\n#S.G#\n#.x.#\n#...#\n#####")
    button(lab, "Apply text").click().run()
    message = lab.error[0].value
    assert message.startswith("The text was not applied: ") and message.endswith(". The maze is unchanged.")
    assert ".." not in message


def test_compare_batch_is_cleared_when_its_settings_change():
    """Defect 4: after switching mode, the previous mode's batch is not shown as if it were the new one's."""
    at = open_page("compare")
    at.number_input(key="cmp_n").set_value(20)
    button(at, "Run batch").click().run()
    assert any("Showing: cue by the goal vs cue moved" in c.value for c in at.caption)
    assert at.get("plotly_chart")[-1].proto.id, "the batch chart is shown"
    charts = len(at.get("plotly_chart"))
    at.segmented_control(key="cmp_mode").set_value("Any two mazes").run()
    assert not any("Showing: cue by the goal" in c.value for c in at.caption)
    assert any("settings changed since the last batch" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == charts - 1, "the old batch chart is gone"


def test_share_links_hold_every_setting():
    """Defect 8: mode and overlay in the lab's link; Compare has one too (mode, agents, seed, mazes)."""
    at = open_page("lab", {"agent": "cue-diverse", "seed": "5", "mode": "greedy", "overlay": "outcome map"})
    assert at.session_state["lab_greedy"] is True and at.session_state["lab_overlay"] == "outcome map"
    assert not at.code, "the share box is drawn only once its expander is opened"
    link = share_link(at, "lab_share_open")
    for part in ("maze=", "agent=cue-diverse", "seed=5", "mode=greedy", "overlay=outcome+map"):
        assert part in link, link
    at = open_page("compare", {"mode": "agents", "agent": "oracle", "agent_b": "cue-seeker", "seed": "3"})
    link = share_link(at, "cmp_share_open")
    for part in ("compare?maze=", "mode=agents", "agent=oracle", "agent_b=cue-seeker", "seed=3"):
        assert part in link, link
    at = open_page("compare", {"mode": "mazes", "maze_b": load_preset("corner-shifted").to_code()})
    assert at.session_state["cmpB_maze"] == load_preset("corner-shifted"), "the right maze comes from the link"
    assert "maze_b=" in share_link(at, "cmp_share_open")


def test_experiments_open_with_the_default_result():
    """Defect 11: charts and a table at once, labelled with the settings that produced them; no Run needed."""
    at = open_page("experiments")
    assert len(at.get("plotly_chart")) >= 3, "outcome classes, rates and distance are shown at once"
    assert any("computed ahead from the shipped agents" in c.value for c in at.caption)
    # Change a setting: the default result is not shown for settings it was not computed with.
    at.number_input(key="exp_seed").set_value(1).run()
    assert not at.get("plotly_chart") and any("Run experiment" in i.value for i in at.info)


def test_the_default_result_matches_the_shipped_agents():
    """The cached default is current: fingerprints match, and one row recomputed now is identical.

    If this fails after retraining an agent, run: python -m scripts.default_experiment
    """
    saved = json.loads(experiment_cache.PATH.read_text())
    assert experiment_cache.stale_reason(saved) is None, (
        f"{experiment_cache.PATH.name} is stale ({experiment_cache.stale_reason(saved)}): "
        f"run {experiment_cache.COMMAND}"
    )
    from gmg import experiments

    agents, _, episodes, seed = experiment_cache.settings()
    row = experiments.experiment([load_agent(agents[0])], ["cue/shift:mix"], episodes, seed)[0]
    cached = next(r for r in saved["rows"] if r["agent"] == agents[0] and r["split"] == "cue/shift:mix")
    assert cached["outcomes"] == row["outcomes"], f"run {experiment_cache.COMMAND}"


def test_a_stale_default_is_never_shown(monkeypatch):
    """A retrained agent (a changed fingerprint) hides the cached result until it is computed again."""
    monkeypatch.setattr(experiment_cache, "fingerprint", lambda name: "retrained")
    assert experiment_cache.load() is None
    assert "changed since it was computed" in experiment_cache.stale_reason(
        json.loads(experiment_cache.PATH.read_text())
    )


def test_a_recorded_run_on_the_landing_page_opens_in_the_lab_with_its_run():
    """Defect 7: the landing page's button opens the lab (same tab) with the maze, the agent and the run."""
    at = open_page("home")
    next(b for b in at.button if b.label == "Open this maze in the lab" and b.key == "to_lab_cue-shifted").click().run()
    assert at.session_state["lab_maze"] == load_preset("cue-shifted")
    stored = at.session_state["lab_run"]
    assert stored[1].outcome == "proxy" and stored[0][1] == "cue-always"


def test_recorded_examples_replay_with_the_gif_title():
    """Defect 10: the landing page's GIFs are drawn now, titled agent · maze · outcome, at least 480 px wide."""
    import imageio.v3 as iio

    from gmg.ui.views import example_gif_bytes

    frames = iio.imread(example_gif_bytes.__wrapped__("cue-shifted"))
    assert frames.shape[2] >= 480
    traj = run(load_agent("cue-always"), load_preset("cue-shifted"), seed=0)
    assert traj.outcome in ("proxy", "intended", "proxy-then-goal", "neither")
