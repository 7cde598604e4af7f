"""The seed lottery: one training recipe, every shipped seed, on one maze and over 1,000 mazes."""

from urllib.parse import urlencode

import streamlit as st

from gmg.agents import card_story, load_agent
from gmg.figures import Panel, maze_figure, seed_dots_figure
from gmg.presets import load_preset
from gmg.rollout import Trajectory, run
from gmg.ui.chapters import (
    as_grid,
    is_waypoint,
    proxy_of,
    run_ending,
    seed_lesson,
    seed_rows,
    seed_runs,
    seeded_agents,
)
from gmg.ui.common import agent_card, ensure_navigation, held, keep, scenario_mazes, share_box, show_figure
from gmg.ui.still import stop_playing
from gmg.ui.viewport import autoplay, viewport

ensure_navigation()
PAGE_KEYS = ("seeds_agent", "seeds_maze")
keep(*PAGE_KEYS)
RUN_SEED = 0  # every seed's agent plays the maze with the same dice: only the training seed differs


@st.cache_data(show_spinner="Running every seed…", max_entries=64)
def seed_panels(name: str, preset: str, directories: tuple[str, ...]) -> list[tuple[int, Trajectory]]:
    """Each shipped seed of the recipe (one directory each), run live on the preset maze: (training seed, run)."""
    layout = load_preset(preset)
    return [(r.seed, run(load_agent(name, r.directory), layout, seed=RUN_SEED)) for r in seed_runs(name)]


# Seeds still being trained appear while a server runs: what is shipped is read again after a minute.
@st.cache_data(show_spinner=False, ttl=60)
def shipped_seeds() -> tuple[list[str], dict[str, tuple[str, ...]], dict, str]:
    """The agents with several seeds, each one's seed directories, the 1,000-maze chart and the lesson."""
    names = seeded_agents()
    dirs = {name: tuple(str(r.directory) for r in seed_runs(name)) for name in names}
    waypoints = [n for n in names if is_waypoint(agent_card(n))]
    chart = seed_dots_figure(seed_rows(names), waypoints) if names else {}
    return names, dirs, chart, seed_lesson(names) if names else ""


names, directories, dots, lesson = shipped_seeds()
st.title("The seed lottery")
st.caption(
    "Train the same network with the same recipe on the same kind of mazes, changing only the random seed. "
    "Do the copies learn the same goal?"
)
if not names:
    st.info("Only one seed of each agent ships with this copy of the app (python -m gmg train --seed S).")
    st.stop()
if "seeds_agent" not in st.session_state:
    wanted = st.query_params.get("agent")
    st.session_state.seeds_link_error = (
        f"The link's agent {wanted[:40]!r} has no extra seeds here, so this shows {names[0]}."
        if wanted is not None and wanted not in names
        else None
    )
    st.session_state.seeds_agent = wanted if wanted in names else ("cue-always" if "cue-always" in names else names[0])
if st.session_state.get("seeds_link_error"):
    st.error(st.session_state.seeds_link_error, icon=":material/link_off:")
phone = viewport()
# Before another recipe, maze or the phone's width replaces the playing runs, stop them.
stop_playing(f"{st.session_state.get('seeds_agent')}-{st.session_state.get('seeds_maze')}-{phone}", "seeds_still")

# Buttons, not select boxes: one tap on a phone, and a select box's scripts (about twenty files) came ahead of
# plotly's in the browser's queue on a first visit. On a phone each gets the full width, so its buttons wrap.
left, right = (st.container(), st.container()) if phone else st.columns(2)
agent_name = left.segmented_control(
    "Recipe (agent)", names, default=held("seeds_agent"), key="seeds_agent", required=True
)
card = agent_card(agent_name)
presets = scenario_mazes("seeds_maze", card)
preset = right.segmented_control("Maze", presets, default=held("seeds_maze"), key="seeds_maze", required=True)
keep(*PAGE_KEYS)
proxy = proxy_of(card)
panels = seed_panels(agent_name, preset, directories[agent_name])
n = len(panels)
st.subheader(f"{n} seeds of {agent_name}, one maze", anchor=False)
st.caption(
    f"{card_story(card)} Every seed plays the maze with the same dice (run seed {RUN_SEED}); "
    "press Play to watch them all walk it at once."
)
figure_panels = [Panel.of(t, title=f"seed {s}: {run_ending(t, proxy, short=True)}") for s, t in panels]
# One row on a laptop; rows of two on a phone (one figure either way, so one Play moves every seed).
cols = 2 if phone else n
fig = as_grid(maze_figure(figure_panels, height=240 if phone else 320, width=(phone or 1200) * n // cols), n, cols)
token = f"seeds-{agent_name}-{preset}-{n}"
fig["layout"]["meta"] = token
show_figure(fig, key="seeds_figure")
# Plays by itself once the visitor has picked another recipe or maze (not on arrival: see pages/training.py).
if token != st.session_state.setdefault("seeds_first_token", token):
    autoplay(token, "seeds_figure")
ends = [run_ending(t, proxy) for _, t in panels]
tally = (
    f"all {n} seeds ended at {ends[0]}"
    if len(set(ends)) == 1
    else ", ".join(f"{ends.count(e)} at {e}" for e in dict.fromkeys(ends))
)
st.caption(
    f"On this maze: {tally}. One run samples its actions, so one maze can split seeds by chance; "
    "the chart below, over 1,000 mazes per seed, says how different the seeds really are."
)

st.subheader("Over 1,000 mazes", anchor=False)
show_figure(dots, key="seeds_dots")
st.caption(
    "A dot per seed, on each agent's shifted split, with its 95% interval, from the agents' cards "
    "(`python -m gmg evaluate`, 1,000 mazes per seed; `python -m scripts.results` prints the table)."
)
st.markdown(lesson)

st.query_params.from_dict({"agent": agent_name})
share_box(
    "Share this view", "seeds_share_open", "seeds", "?" + urlencode({"agent": agent_name}), f"the seeds of {agent_name}"
)
