"""Every page renders without exceptions; compare and experiments run batches to completion."""

from __future__ import annotations

from app_helpers import button, open_page

from gmg.agents import read_card, trained_names
from gmg.network import plans
from gmg.outcomes import pct
from gmg.presets import load_examples, load_preset
from gmg.ui.chapters import seed_runs


def test_landing_page_shows_the_recorded_examples_and_links():
    at = open_page("home")
    assert "Goal misgeneralization" in at.title[0].value
    text = " ".join(m.value for m in at.markdown)
    assert [b.label for b in at.button].count("Open this maze in the lab") == 6, "each recorded run opens the lab"
    assert len(at.get("image")) >= 6, "six recorded runs are shown: cue, corner and path"
    captions = " ".join(c.value for c in at.caption)
    assert "went to the cue first" in captions, "the path scenario's measured detour rate"
    # Each recorded run is tallied the way its scenario's story goes: ending at the proxy, or going to a waypoint first.
    path = load_examples()["path-shifted"]
    first = round((path["rates"]["proxy"] + path["rates"]["proxy-then-goal"]) * path["samples"])
    assert "corner and never the goal" in text and f"cue first {first}/{path['samples']}" in text
    # Beside one agent's rate, its recipe's seeds: their lowest and highest, from their cards.
    for name, key in (("cue-on-path", "proxy_first"), ("corner", "misgeneralization")):
        values = [r.card["evaluation"][1][key] for r in seed_runs(name)]
        if len(values) > 1:
            assert (
                f"{len(values)} training seeds" in captions and f"{pct(min(values))} to {pct(max(values))}" in captions
            )
    for aspect in (
        "Proxy objective",
        "Distribution shift",
        "Preserved capability",
        "Specification mismatch",
        "Alignment risk",
    ):
        assert aspect in text
    assert "2105.14111" in " ".join(c.value for c in at.caption)


def test_preset_link_opens_the_lab_with_that_maze():
    ex = load_examples()["cue-shifted"]
    at = open_page("lab", {"maze": ex["layout_code"], "agent": ex["agent"], "seed": str(ex["seed"])})
    assert at.session_state["lab_maze"] == load_preset("cue-shifted")
    button(at, "▶ Run").click().run()
    assert "Went to the cue" in " ".join(m.value for m in at.markdown)


def test_compare_cue_mode_runs_both_and_a_batch():
    at = open_page("compare")
    left, right = at.session_state["cmpA_maze"], at.session_state["cmpB_maze"]
    assert left.walls.tolist() == right.walls.tolist() and left.goal == right.goal
    assert left.cue != right.cue
    button(at, "▶ Run both").click().run()
    assert not at.exception
    assert any("| panel | agent |" in m.value for m in at.markdown), "the outcome table is shown"
    at.number_input(key="cmp_n").set_value(40)
    button(at, "Run batch").click().run()
    assert not at.exception
    results = at.session_state["cmp_batch_result"]
    assert [r["condition"] for r in results] == ["cue by the goal", "cue moved"]
    assert all(r["episodes"] == 40 for r in results)


def test_compare_two_agents_and_two_mazes_modes():
    at = open_page("compare", {"mode": "agents", "agent": "oracle", "agent_b": "cue-seeker"})
    button(at, "▶ Run both").click().run()
    assert not at.exception
    table = next(m.value for m in at.markdown if "| panel | agent |" in m.value)
    assert [line.split(" | ")[1] for line in table.splitlines()[2:]] == ["oracle", "cue-seeker"]
    at = open_page("compare", {"mode": "mazes"})
    at.text_input(key="cmpB_code").input(load_preset("corner-shifted").to_code()).run()
    assert at.session_state["cmpB_maze"] == load_preset("corner-shifted")
    at.text_input(key="cmpB_code").input("garbage!").run()
    assert at.session_state["cmpB_maze"] == load_preset("corner-shifted"), "a bad code keeps the maze"
    assert "not URL-safe" in " ".join(e.value for e in at.error)


def test_experiments_small_batch_completes_with_csv():
    at = open_page("experiments")
    at.multiselect(key="exp_agents").set_value(["cue-always", "cue-seeker"])
    at.multiselect(key="exp_splits").set_value(["cue/shift"])
    at.number_input(key="exp_n").set_value(40)
    button(at, "Run experiment").click().run()
    assert not at.exception
    rows = at.session_state["exp_result"][1]
    assert [(r["agent"], r["split"]) for r in rows] == [("cue-always", "cue/shift"), ("cue-seeker", "cue/shift")]
    assert rows[1]["misgeneralization"] == 1.0
    assert at.get("download_button")


def test_method_page_shows_every_trained_card():
    at = open_page("method")
    text = " ".join(e.label for e in at.expander)
    for name in ("cue-always", "corner"):
        assert name in text
    assert any("python -m gmg train --preset" in c.value for c in at.code)


def test_method_page_names_the_weakest_family_from_the_cards():
    """Known limits: the lowest capability on each family, read from the shipped cards, hardest first."""
    lowest = {}
    for name in trained_names():
        card = read_card(name)
        for row in card["evaluation"][2:]:
            family = row["split"].partition(":")[2] or "blocks"
            lowest[family] = min(lowest.get(family, (1.0, name)), (row["capability"], name))
    family, (cap, name) = min(lowest.items(), key=lambda x: x[1])
    at = open_page("method")
    lead = "Skill holds on every maze family" if cap >= 0.97 else "Skill does not hold on every maze"
    text = next(m.value for m in at.markdown if lead in m.value)
    assert f"{family} **{cap:.2f}** ({name})" in text.split(": ")[-1].split(" · ")[0], text
    # The lowest family for the agents with a planner, and for the MLPs if any ship, each from their own cards.
    worst: dict[bool, float] = {}
    goal_low = (1.0, "", "")
    for name in trained_names():
        card = read_card(name)
        planner = plans(card["config"].get("net", "mlp"))
        worst[planner] = min([worst.get(planner, 1.0)] + [row["capability"] for row in card["evaluation"][2:]])
        for row in card["evaluation"][2:]:
            goal_low = min(goal_low, (row["intended_success"], name, row["split"].partition(":")[2] or "blocks"))
    text = " ".join(m.value for m in at.markdown)
    assert (
        f"({', '.join(sorted(n for n in trained_names() if plans(read_card(n)['config'].get('net', 'mlp'))))})" in text
    )
    assert f"at least **{worst[True]:.1%}**" in text
    assert ("The MLP agents" in text) == (False in worst), "the MLP sentence only with MLPs"
    if False in worst:
        assert f"as low as **{worst[False]:.1%}**" in text
    rate, name, family = goal_low
    assert f"is **{rate:.1%}**, {name} on {family}" in text, "the lowest intended success, with whose and where"


def test_compare_scores_each_agent_against_its_own_proxy_above_and_below():
    at = open_page("compare", {"mode": "agents", "agent": "corner", "agent_b": "cue-always"})
    assert any("scored against its own proxy" in c.value for c in at.caption)
    button(at, "▶ Run both").click().run()
    panels = at.session_state["cmp_run"][1]
    assert [t.proxy.name for t in panels] == ["corner", "cue"]
    at.selectbox(key="cmp_split").set_value("cue/shift")
    at.number_input(key="cmp_n").set_value(20)
    button(at, "Run batch").click().run()
    assert not at.exception
    assert [r["proxy"] for r in at.session_state["cmp_batch_result"]] == ["corner", "cue"]


def test_experiments_over_the_public_budget_says_so_and_keeps_the_settings():
    at = open_page("experiments")
    at.number_input(key="exp_n").set_value(5000).run()
    assert "at most 4,000 per run" in at.error[0].value
    assert button(at, "Run experiment").disabled
    assert at.number_input(key="exp_n").value == 5000, "the visitor's settings are kept"
    at.number_input(key="exp_n").set_value(400).run()
    assert not at.error and not button(at, "Run experiment").disabled


def test_the_episode_budget_lifts_locally(monkeypatch):
    from gmg.experiments import episode_budget, over_budget

    monkeypatch.setenv("GMG_EPISODE_BUDGET", "0")
    assert episode_budget() is None and over_budget(40_000) is None
    monkeypatch.setenv("GMG_EPISODE_BUDGET", "100")
    assert "at most 100 per run" in over_budget(101)
