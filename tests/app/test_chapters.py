"""Issue 14's chapters in AppTest: a predict round played to its score, the training scrubber, the seed lottery,
the landing page's Go further row, and clean one-sentence errors for bad links."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from app_helpers import button, open_page, share_link

from gmg.agents import load_agent, read_card
from gmg.network import plans
from gmg.outcomes import pct
from gmg.ui.chapters import (
    GOAL,
    PROXY,
    end_of,
    learning_story,
    network_of,
    network_pairs,
    network_sentence,
    pick_question,
    proxy_key,
    round_order,
    round_slots,
    run_ending,
    seed_runs,
    seeded_agents,
    shift_row,
    timeline_agents,
)


def _figure(at, key: str) -> dict:
    """The plotly spec the page sent for the chart keyed ``key``."""
    for el in at.get("plotly_chart"):
        if key in el.proto.id:
            return json.loads(el.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def _keys(at) -> list[str]:
    return [el.proto.id for el in at.get("plotly_chart")]


def _one_sentence(text: str) -> bool:
    body = text.rstrip()
    return body.endswith(".") and body[:-1].count(". ") == 0


def _round_truths(round_seed: int) -> list[str]:
    """Where each of the round's runs ends, computed here from the library, not read from the page."""
    slots = round_slots()
    agents = {name: load_agent(name) for name, _ in slots}
    truths = []
    for slot in round_order(round_seed, len(slots)):
        name, row = slots[slot]
        _, traj = pick_question(agents[name], agents[name].card["evaluation"][row], round_seed, slot)
        truths.append(end_of(traj.outcome))
    return truths


def test_a_round_played_to_the_end_scores_the_visitor_against_the_naive_predictor():
    at = open_page("predict", {"round": "5"})
    truths = _round_truths(5)
    n = len(truths)
    assert n >= 2
    for k in range(n):
        assert at.subheader[0].value.startswith(f"Maze {k + 1}:"), at.subheader[0].value
        # Answer the proxy on the odd mazes and the goal on the even ones.
        label = "The goal" if k % 2 == 0 else next(b.label for b in at.button if b.label in ("The cue", "The corner"))
        button(at, label).click().run()
        assert not at.exception
        said = GOAL if k % 2 == 0 else PROXY
        verdicts = [s.value for s in at.success] + [w.value for w in at.warning]
        assert len(verdicts) == 1 and (verdicts[0].startswith("Right") == (said == truths[k])), verdicts
        assert any("Over 1,000 random mazes like this one" in c.value for c in at.caption), "the card's rate"
        button(at, "See your score" if k == n - 1 else "Next maze").click().run()
        assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    you = sum((GOAL if k % 2 == 0 else PROXY) == t for k, t in enumerate(truths))
    naive = truths.count(GOAL)
    assert metrics["You"] == f"{you} of {n}"
    assert metrics["Always “the goal”"] == f"{naive} of {n}"
    text = " ".join(m.value for m in at.markdown)
    for words in ("distribution shift", "capability", "the proxy"):
        assert words in text
    assert "round=5" in share_link(at, "pred_share_open"), "the share link holds the round"


@pytest.mark.parametrize("round_seed", [0, 1, 2, 3, 4, 5, 6, 7])
def test_every_round_trips_up_the_naive_predictor(round_seed):
    truths = _round_truths(round_seed)
    assert 0 < truths.count(GOAL) < len(truths), f"round {round_seed}: the naive predictor is never wrong: {truths}"


def test_a_round_link_replays_the_same_mazes():
    first = _figure(open_page("predict", {"round": "42"}), "pred_figure")
    again = _figure(open_page("predict", {"round": "42"}), "pred_figure")
    other = _figure(open_page("predict", {"round": "43"}), "pred_figure")
    assert first["layout"]["shapes"] == again["layout"]["shapes"]
    assert first["layout"]["shapes"] != other["layout"]["shapes"]


@pytest.mark.parametrize("bad", ["abc", "-3", "99999999999"])
def test_a_bad_round_link_says_so_in_one_sentence_and_starts_a_round(bad):
    at = open_page("predict", {"round": bad})
    assert len(at.error) == 1 and "is not a whole number" in at.error[0].value
    assert _one_sentence(at.error[0].value), at.error[0].value
    assert button(at, "The goal")
    assert at.query_params["round"] != [bad]


def test_training_scrubber_runs_the_chosen_checkpoint():
    at = open_page("training")
    assert any("**It learned" in m.value for m in at.markdown), "the page answers its question in words"
    first = _figure(at, "train_figure")
    chart = _figure(at, "train_chart")
    assert chart["layout"]["shapes"][0]["x0"] == chart["data"][0]["x"][0]
    count = len(at.select_slider(key="train_checkpoint").options)
    at.select_slider(key="train_checkpoint").set_value(count).run()
    assert not at.exception
    moved = _figure(at, "train_figure")
    assert moved["data"] != first["data"], "another checkpoint, another policy"
    chart = _figure(at, "train_chart")
    assert chart["layout"]["shapes"][0]["x0"] == chart["data"][0]["x"][-1], "the chart marks the checkpoint"
    assert any("Training diagnostics" in e.label for e in at.expander)
    assert not any("train_diagnostics" in k for k in _keys(at)), (
        "the diagnostics are drawn only once their section is opened"
    )
    at.session_state["train_diagnostics_open"] = True
    at.run()
    assert any("train_diagnostics" in k for k in _keys(at))


def test_training_maze_and_seed_are_chosen_in_their_section_and_kept():
    at = open_page("training")
    first = _figure(at, "train_figure")
    assert not [w for w in at.segmented_control if w.key == "train_maze"], (
        "the maze's controls are drawn only once their section is opened"
    )
    at.session_state["train_maze_open"] = True
    at.run()
    maze = at.segmented_control(key="train_maze")
    other = next(option for option in maze.options if option != maze.value)
    maze.set_value(other).run()
    assert not at.exception
    assert f"`{other}`" in " ".join(m.value for m in at.markdown), "the heading names the maze shown"
    assert _figure(at, "train_figure")["layout"]["meta"] != first["layout"]["meta"]
    at.number_input(key="train_seed").set_value(7).run()
    at.session_state["train_maze_open"] = False
    at.run()
    assert not at.exception
    assert _figure(at, "train_figure")["layout"]["meta"].endswith(f"{other}-7"), "closing the section keeps both"


def test_training_bad_link_says_so_and_shows_the_default():
    at = open_page("training", {"agent": "nobody", "checkpoint": "99"})
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and all(_one_sentence(e) for e in errors), errors
    assert "nobody" in errors[0] and "99" in errors[1]
    assert at.segmented_control(key="train_agent").value in timeline_agents()


def test_learning_story_follows_the_numbers():
    def point(step: int, goal: float, proxy: float) -> dict:
        return {"step": step, "s": {"intended_success": goal, "misgeneralization": proxy}}

    drift = [point(1, 0.7, 0.2), point(2, 0.8, 0.1), point(3, 0.3, 0.6)]
    assert learning_story(drift, "s", "cue").startswith("**It first learned the goal, then drifted to the cue.**")
    proxy = [point(1, 0.1, 0.8), point(2, 0.3, 0.6)]
    assert learning_story(proxy, "s", "cue").startswith("**It learned the cue from the start")
    kept = [point(1, 0.6, 0.3), point(2, 0.9, 0.05)]
    assert learning_story(kept, "s", "corner").startswith("**It learned the goal, and kept it.**")


def test_a_waypoints_learning_story_is_about_going_to_it_first():
    """cue-on-path reaches the goal under shift either way; its story is whether it went for the cue first."""

    def point(step: int, goal: float, first: float) -> dict:
        return {"step": step, "s": {"intended_success": goal, "proxy_success": first, "misgeneralization": 0.0}}

    detour = [point(250_000, 0.8, 0.88), point(2_000_000, 0.99, 0.92)]
    text = learning_story(detour, "s", "cue", waypoint=True)
    assert text.startswith("**It went out of its way for the cue from the start, and still reached the goal.**")
    assert "went to the cue first in 88%" in text and "92% and 99%" in text
    straight = [point(250_000, 0.9, 0.3), point(2_000_000, 1.0, 0.0)]
    assert learning_story(straight, "s", "cue", waypoint=True).startswith("**It learned to go straight for the goal.**")
    at = open_page("training", {"agent": "cue-on-path"})
    assert any("went out of its way for the cue" in m.value for m in at.markdown)


def test_seeds_page_runs_every_shipped_seed_on_one_maze():
    at = open_page("seeds")
    seeds = seed_runs("cue-always")
    assert at.subheader[0].value.startswith(f"{len(seeds)} seeds of cue-always")
    fig = _figure(at, "seeds_figure")
    agents = [t for t in fig["data"] if t.get("name") == "agent" and not t.get("showlegend")]
    assert len(agents) == len(seeds), "one run per seed"
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert [t.split(":")[0] for t in titles] == [f"<b>seed {r.seed}" for r in seeds]
    assert not any("the " in t for t in titles), "short titles: five panels share a laptop's row, two a phone's"
    assert run_ending(SimpleNamespace(outcome="proxy-then-goal"), "cue", short=True) == "cue, then goal"
    dots = _figure(at, "seeds_dots")
    assert sum(len(t["x"]) for t in dots["data"]) == sum(2 * len(seed_runs(a)) for a in seeded_agents())
    # Each recipe's proxy dots are the rate its story is told by: a waypoint's runs go on to the goal, so its dots
    # are "proxy first", the others' "misgeneralization".
    for name in seeded_agents():
        key = proxy_key(read_card(name))
        label = "proxy first (a waypoint)" if key == "proxy_first" else "misgeneralization"
        dots_x = [
            x
            for t in dots["data"]
            if t["name"] == label
            for x, h in zip(t["x"], t["text"], strict=True)
            if h.startswith(f"{name} seed")
        ]
        assert sorted(dots_x) == sorted(shift_row(r.card)[key] for r in seed_runs(name)), name
    text = " ".join(m.value for m in at.markdown)
    assert "a spread of" in text and "points" in text
    # Each recipe's range names its seeds' extremes; "100%" only for a seed that missed no maze in 1,000.
    for name in seeded_agents():
        values = [shift_row(r.card)[proxy_key(r.card)] for r in seed_runs(name)]
        assert f"{pct(min(values))} to {pct(max(values))}" in text
        assert ("100%" in pct(max(values))) == (max(values) == 1)


def test_seeds_page_follows_the_chosen_recipe_and_maze():
    at = open_page("seeds")
    other = next(a for a in seeded_agents() if a != "cue-always")
    at.segmented_control(key="seeds_agent").set_value(other).run()
    assert not at.exception
    assert at.subheader[0].value.startswith(f"{len(seed_runs(other))} seeds of {other}")
    assert _figure(at, "seeds_figure")["layout"]["meta"].startswith(f"seeds-{other}-")
    maze = at.segmented_control(key="seeds_maze")
    pick = next(option for option in maze.options if option != maze.value)
    maze.set_value(pick).run()
    assert f"-{pick}-" in _figure(at, "seeds_figure")["layout"]["meta"]
    assert at.query_params["agent"] == other, "the share link follows the recipe"


def test_seeds_bad_link_says_so():
    at = open_page("seeds", {"agent": "../../etc"})
    assert len(at.error) == 1 and _one_sentence(at.error[0].value)
    assert at.segmented_control(key="seeds_agent").value == "cue-always"


def test_landing_page_goes_further_to_every_chapter():
    at = open_page("home")
    links = [el.proto.page for el in at.get("page_link")]
    for page in ("pages/predict.py", "pages/training.py", "pages/seeds.py", "pages/networks.py", "pages/inside.py"):
        assert any(link.endswith(page) or page.split("/")[1].removesuffix(".py") in link for link in links), links


def test_networks_page_runs_both_networks_and_shows_the_planners_reward():
    at = open_page("networks")
    pair = network_pairs()[0]
    cards = [read_card(name) for name in pair]
    fig = _figure(at, "nets_figure")
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert [t.split(":")[0] for t in titles] == [f"<b>{network_of(c)}" for c in cards], titles
    assert len({network_of(c) for c in cards}) == 2, "two different networks, named apart"
    bars = _figure(at, "nets_rates")
    assert len(bars["data"]) >= 2
    text = " ".join(m.value for m in at.markdown)
    assert all(network_sentence(name) in text for name in pair)  # the cards' numbers
    maps = _figure(at, "nets_plan")
    planners = [c for c in cards if plans(c["config"].get("net", "mlp"))]
    assert [a["text"].split(":")[0] for a in maps["layout"]["annotations"]] == [
        f"<b>{network_of(c)}" for c in planners
    ], "one learned-reward map per network that plans"
    ways = [d for d in maps["data"] if d.get("line", {}).get("dash") == "dot" and d["x"] != [None]]
    assert len(ways) == len(planners), "each map draws its plan's way from the start"
    assert text.count("Its way from the start leads") == len(planners)


def test_networks_page_follows_the_chosen_pair_and_shares_it():
    at = open_page("networks")
    control = at.segmented_control(key="nets_pair")
    other = next(o for o in control.options if o != control.value)
    control.set_value(other).run()
    assert not at.exception
    assert at.query_params["pair"] == other
    again = open_page("networks", {"pair": other})
    assert again.segmented_control(key="nets_pair").value == other
    bad = open_page("networks", {"pair": "nonsense"})
    assert not bad.exception and bad.segmented_control(key="nets_pair").value == control.options[0]


def test_the_networks_lesson_follows_the_cards():
    from gmg.agents import read_card
    from gmg.ui.chapters import network_lesson, proxy_key, shift_row

    for mlp, planner in network_pairs():
        a, b = read_card(mlp), read_card(planner)
        gap = shift_row(a)[proxy_key(a)] - shift_row(b)[proxy_key(b)]
        lesson = network_lesson(mlp, planner)
        assert ("only the network differs" in lesson) == (abs(gap) >= 0.1), (mlp, lesson)


def test_a_run_that_took_in_its_proxy_on_the_way_is_titled_so():
    """Seed and network panels: on a waypoint maze the detour is the story, so "the goal" alone would hide it."""
    from types import SimpleNamespace

    from gmg.ui.chapters import run_ending

    assert run_ending(SimpleNamespace(outcome="proxy-then-goal"), "cue") == "the cue, then the goal"
    assert run_ending(SimpleNamespace(outcome="intended"), "cue") == "the goal"
    assert run_ending(SimpleNamespace(outcome="proxy"), "corner") == "the corner"
