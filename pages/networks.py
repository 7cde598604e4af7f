"""Same mazes, different network: one training recipe on two networks, and the goal each learned."""

from urllib.parse import urlencode

import streamlit as st

from gmg.agents import card_story
from gmg.figures import Panel, maze_figure, plan_colors, rate_bars
from gmg.inside import plan_maps, plan_way_words
from gmg.presets import load_preset
from gmg.rollout import Trajectory, run
from gmg.ui.chapters import (
    network_lesson,
    network_of,
    network_pairs,
    network_sentence,
    proxy_key,
    proxy_of,
    run_ending,
    shift_row,
)
from gmg.ui.common import (
    agent_card,
    cached_agent,
    ensure_navigation,
    held,
    keep,
    scenario_mazes,
    share_box,
    show_figure,
)
from gmg.ui.inside import GOAL_COLOR, PROXY_COLOR
from gmg.ui.still import stop_playing
from gmg.ui.viewport import viewport

ensure_navigation()
PAGE_KEYS = ("nets_pair", "nets_maze")
keep(*PAGE_KEYS)
RUN_SEED = 0  # both networks play the maze with the same dice
PAIR_LABELS = {"corner": "A place: the corner", "path": "A waypoint: the cue on the way"}


@st.cache_data(show_spinner="Running both networks…", max_entries=32)
def pair_runs(pair: tuple[str, str], preset: str) -> list[Trajectory]:
    layout = load_preset(preset)
    return [run(cached_agent(name), layout, seed=RUN_SEED) for name in pair]


pairs = network_pairs()
st.title("Same mazes, different network")
st.caption(
    "Two networks, trained by the same PPO code on the same mazes and rewarded only for the goal, which both see in "
    "every observation. Do they learn the same goal?"
)
if not pairs:
    st.info("This copy of the app ships no recipe trained on both networks (python -m gmg train --preset corner-plan).")
    st.stop()
labels = {PAIR_LABELS.get(agent_card(m).get("scenario", ""), m): (m, p) for m, p in pairs}
if "nets_pair" not in st.session_state:
    wanted = st.query_params.get("pair")
    st.session_state.nets_pair = wanted if wanted in labels else next(iter(labels))
phone = viewport()
stop_playing(f"{st.session_state.get('nets_pair')}-{st.session_state.get('nets_maze')}-{phone}", "nets_still")
left, right = (st.container(), st.container()) if phone else st.columns(2)
label = left.segmented_control("Proxy", list(labels), default=held("nets_pair"), key="nets_pair", required=True)
main, other = labels[label]
card = agent_card(main)
presets = scenario_mazes("nets_maze", card)
preset = right.segmented_control("Maze", presets, default=held("nets_maze"), key="nets_maze", required=True)
keep(*PAGE_KEYS)
proxy = proxy_of(card)

st.subheader("One maze, both networks", anchor=False)
st.caption(f"{card_story(card)} Both play the maze with the same dice (run seed {RUN_SEED}); press Play.")
runs = pair_runs((main, other), preset)
panels = [
    Panel.of(t, title=f"{network_of(agent_card(n))}: {run_ending(t, proxy)}")
    for n, t in zip((main, other), runs, strict=True)
]
show_figure(maze_figure(panels, height=400, width=phone, stacked=bool(phone)), key="nets_figure")

st.subheader("Over 1,000 shifted mazes", anchor=False)
rows = [shift_row(agent_card(n)) for n in (main, other)]
key = proxy_key(card)
proxy_words = f"{proxy} first" if key == "proxy_first" else f"{proxy}, never the goal"
series = {
    "reached the goal": [(r["intended_success"], *r["intended_success_ci"]) for r in rows],
    proxy_words: [(r[key], *r[key + "_ci"]) for r in rows],
}
groups = [f"{network_of(agent_card(n))}<br>{n}" for n in (main, other)]
show_figure(rate_bars(groups, series, [GOAL_COLOR, PROXY_COLOR]), key="nets_rates")
st.markdown("\n".join(f"- {network_sentence(n)}" for n in (main, other)))
st.markdown(f"**{network_lesson(main, other)}**")
st.caption(
    f"From the agents' cards: `python -m gmg evaluate --agent NAME --split {rows[0]['split']} --episodes 1000 --seed 0`."
)

st.subheader("What each planner values here", anchor=False)
maps = [(n, t, plan_maps(cached_agent(n), t.layout)) for n, t in zip((main, other), runs, strict=True)]
maps = [(n, t, plan) for n, t, plan in maps if plan is not None]
ways = [plan.climb(t.layout, t.proxy) for _, t, plan in maps]  # one climb per map: drawn, then put in words
if maps:
    show_figure(
        maze_figure(
            [
                Panel(
                    t.layout,
                    (),
                    f"{network_of(agent_card(n))}: learned reward",
                    t.proxy,
                    *plan_colors(plan.reward, "reward", "#b35806"),
                    route=way,
                )
                for (n, t, plan), way in zip(maps, ways, strict=True)
            ],
            height=400,
            width=phone,
            stacked=bool(phone),
            legend=[("low reward", "#ebebeb"), ("high reward", "#b35806")],
        ),
        key="nets_plan",
    )
    said = []
    for (n, t, plan), way in zip(maps, ways, strict=True):
        r = plan.rewards(t.layout, t.proxy)
        said.append(
            f"- **The {network_of(agent_card(n))}**: learned reward on the goal **{r['goal']:.3f}**, on the {proxy} "
            f"**{r['proxy']:.3f}** (its brightest cell), on an ordinary cell **{r['median']:.3f}** (the median). "
            f"Its way from the start leads {plan_way_words(plan, t.layout, t.proxy, way)}."
        )
    st.markdown(
        "A planner paints a reward on the maze, then spreads it along the corridors and walks uphill. Where the "
        "shading is darkest is what it learned to want; the dotted line is where walking uphill from the start leads, "
        "the plan's own way (the rest of the network may still overrule it). Nothing told it which cell is the goal. "
        "In this maze:\n\n" + "\n".join(said)
    )
# Our reading of each pair, one per scenario; the numbers above come from the cards.
WHY = {
    "corner": "**Why, in our reading.** In every training maze the goal sat on the one top-right cell, so heading "
    "for the goal and heading for that cell paid alike. A planner paints its reward map with small filters over what "
    'each cell shows. Given each cell\'s row and column, "top right" is as easy to paint as the goal, and this '
    "planner painted the place. Without them, a filter can find that cell only from the border walls around it, and "
    "the planner painted the goal. Same mazes, same planner, two input planes apart. With a 3 × 3 corner, where the "
    "corner cell missed a goal one or two cells away and only the goal paid every time, both learned the goal (the "
    "README's numbers).",
    "path": "**Why, in our reading.** Here the cue goes out once the agent has stood on it. A planner that paints "
    "reward on the cue walks to it, and once it is out the plan's peak is the goal: the waypoint costs it nothing on "
    "the way to the goal, so either network is free to learn it, and both did. While the cue stayed lit, a painted "
    "cue was a place to stay, with nothing to say it had been reached. The planner alone then learned the goal and "
    "never went for the cue. The planner + view took up the cue in three seeds of five and stayed by it in perfect "
    "mazes. So the waypoint came from the mazes; what the network changed was whether the agent could afford it "
    "(the README's numbers).",
}
if card.get("scenario") in WHY:
    st.markdown(WHY[card["scenario"]])
if st.button(f"Look inside {main}", icon=":material/neurology:", key="nets_inside"):
    st.session_state.pop("inside_agent", None)
    st.session_state["_keep_inside_agent"] = main
    st.switch_page("pages/inside.py")

st.query_params.from_dict({"pair": label})
share_box("Share this view", "nets_share_open", "networks", "?" + urlencode({"pair": label}), "this comparison")
