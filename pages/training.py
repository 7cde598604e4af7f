"""How the proxy is learned: an agent's checkpoints on its training split and its shift, and any checkpoint run live."""

from urllib.parse import urlencode

import streamlit as st

from gmg.agents import BaseAgent, card_story, load_agent, read_metrics, read_timeline
from gmg.figures import Panel, checkpoint_figure, diagnostics_figure, maze_figure
from gmg.maps import policy_field
from gmg.presets import load_preset
from gmg.rollout import Trajectory, run
from gmg.ui.chapters import (
    card_splits,
    checkpoint_files,
    is_waypoint,
    learning_story,
    proxy_of,
    timeline_agents,
)
from gmg.ui.common import (
    MAX_SEED,
    agent_card,
    ensure_navigation,
    held,
    keep,
    open_section,
    scenario_mazes,
    share_box,
    show_figure,
)
from gmg.ui.still import stop_playing
from gmg.ui.viewport import autoplay, viewport
from gmg.ui.views import outcome_badges, verdict

ensure_navigation()
PAGE_KEYS = ("train_agent", "train_checkpoint", "train_maze", "train_seed")
keep(*PAGE_KEYS)


@st.cache_resource(show_spinner="Loading the checkpoint…", max_entries=24)
def checkpoint_agent(name: str, index: int) -> BaseAgent:
    """Checkpoint ``index`` of a shipped agent, under the agent's card (weights are read-only)."""
    return load_agent(name, weights=checkpoint_files(name)[index][1])


@st.cache_data(show_spinner=False, max_entries=256)
def checkpoint_run(name: str, index: int, preset: str, seed: int) -> tuple[Trajectory, dict]:
    """The live run of that checkpoint on a preset maze, and its policy arrows there."""
    agent = checkpoint_agent(name, index)
    layout = load_preset(preset)
    return run(agent, layout, seed=seed), policy_field(agent, layout)


# Timelines and checkpoints shipped while a server runs appear after a minute.
@st.cache_data(show_spinner=False, ttl=60)
def agents_with_checkpoints() -> list[str]:
    return timeline_agents()


@st.cache_data(show_spinner=False)
def timeline(name: str) -> list[dict]:
    return read_timeline(name)


@st.cache_data(show_spinner=False)
def metrics(name: str) -> list[dict]:
    return read_metrics(name)


names = agents_with_checkpoints()
st.title("How the proxy is learned")
st.caption(
    "During training the cue sits by the goal, so reaching either looks the same. The agent's checkpoints, played on "
    "mazes where the two are apart, show which one it was learning, and when."
)
if not names:
    st.info("No agent with checkpoints ships with this copy of the app (python -m gmg train, then scripts.timeline).")
    st.stop()

errors = []
if "train_agent" not in st.session_state:
    wanted = st.query_params.get("agent")
    if wanted is not None and wanted not in names:
        errors.append(f"The link's agent {wanted[:40]!r} has no checkpoints here, so this shows {names[0]}.")
    st.session_state.train_agent = wanted if wanted in names else ("cue-always" if "cue-always" in names else names[0])
    count = len(checkpoint_files(st.session_state.train_agent))
    wanted = st.query_params.get("checkpoint")
    if wanted is not None and not (wanted.isdigit() and 1 <= int(wanted) <= count):
        errors.append(
            f"The link's checkpoint {wanted[:20]!r} is not a number from 1 to {count}, so this shows the first."
        )
    st.session_state.train_checkpoint = int(wanted) if wanted and wanted.isdigit() and 1 <= int(wanted) <= count else 1
    st.session_state.train_seed = 0
    st.session_state.train_link_errors = errors
for message in st.session_state.get("train_link_errors", []):
    st.error(message, icon=":material/link_off:")
phone = viewport()
# Before a scrub (or the phone's width arriving) replaces the playing run, stop it.
stop_playing("-".join(str(st.session_state.get(k)) for k in PAGE_KEYS) + f"-{phone}", "train_still")

# Buttons, not a select box: one tap on a phone, and a select box's scripts (about twenty files) came ahead of
# plotly's in the browser's queue on a first visit.
agent_name = st.segmented_control(
    "Agent",
    names,
    default=held("train_agent"),
    key="train_agent",
    required=True,
    help="Trained agents that ship their checkpoints.",
)
card = agent_card(agent_name)
proxy = proxy_of(card)
splits = card_splits(card)
points = timeline(agent_name)
steps = [step for step, _ in checkpoint_files(agent_name)]
count = len(steps)
if st.session_state.get("train_checkpoint") not in range(1, count + 1):
    st.session_state.train_checkpoint = 1
st.caption(card_story(card))
st.markdown(learning_story(points, splits[1], proxy, waypoint=is_waypoint(card)))

checkpoint = st.select_slider(
    "Checkpoint",
    options=list(range(1, count + 1)),
    value=held("train_checkpoint", 1),
    key="train_checkpoint",
    format_func=lambda k: f"{k} · {steps[k - 1] / 1e6:.1f}M steps",
    help="Drag to any checkpoint saved during training: the chart marks it and the maze is run by it.",
)
index = checkpoint - 1
# Side by side on a laptop: moving the scrubber moves the chart's marker and replays the maze in one view. On a
# phone the columns stack, so the maze comes first, right under the scrubber.
chart_col, maze_col = st.columns([1.1, 1], gap="large")
if phone:
    maze_col, chart_col = chart_col, maze_col
with chart_col:
    show_figure(checkpoint_figure(points, splits, proxy, index), key="train_chart")
    st.caption(
        f"Solid: mazes like training (`{splits[0]}`); dashed: shifted (`{splits[1]}`). Each checkpoint played on "
        f"1,000 mazes of each (`python -m scripts.timeline --agent {agent_name}`). Dotted line: the checkpoint shown."
    )
presets = scenario_mazes("train_maze", card)
preset, seed = st.session_state.train_maze, int(st.session_state.get("train_seed") or 0)
with maze_col:
    traj, arrows = checkpoint_run(agent_name, index, preset, seed)
    st.markdown(f"**Checkpoint {checkpoint} of {count}, at {steps[index] / 1e6:.1f}M steps**, on `{preset}`")
    token = f"train-{agent_name}-{index}-{preset}-{seed}"
    panel = Panel.of(traj, arrows=arrows)
    show_figure(maze_figure([panel], height=400 if phone else 440, width=phone, meta=token), key="train_figure")
    # Plays by itself once the visitor has moved something (not on arrival: a phone's first rerun, which tells
    # Python its width, would replace a figure already playing).
    if token != st.session_state.setdefault("train_first_token", token):
        autoplay(token, "train_figure")
    outcome_badges(traj)
    st.markdown(verdict(traj))
    st.caption("Arrows: this checkpoint's action probabilities at each cell, as if it had just started there.")
    # The maze's controls are drawn only while this section is open: two more widgets above the figures cost every
    # first visit about 0.2 s of the browser's main thread before the main view appeared.
    choose = open_section("Another maze or seed", "train_maze_open")
    if choose is not None:
        with choose:
            st.segmented_control(
                "Maze",
                presets,
                default=held("train_maze"),
                key="train_maze",
                required=True,
                help="The landing page's example mazes for this scenario.",
            )
            st.number_input(
                "Seed", min_value=0, max_value=MAX_SEED, value=held("train_seed", 0), step=1, key="train_seed"
            )
keep(*PAGE_KEYS)

rows = metrics(agent_name)
if rows:
    # Drawn only while open: a third plotly figure, hidden in a closed section, cost every visit its draw.
    diagnostics = open_section("Training diagnostics (for experts)", "train_diagnostics_open")
    if diagnostics is not None:
        with diagnostics:
            st.caption(
                "Per PPO update: the policy's entropy, the approximate KL between the old and new policy, the "
                "fraction of clipped ratios, and how much of the returns' variance the value head explains "
                f"({agent_name}.metrics.csv)."
            )
            show_figure(diagnostics_figure(rows), key="train_diagnostics")

st.query_params.from_dict({"agent": agent_name, "checkpoint": str(checkpoint)})
share_box(
    "Share this view",
    "train_share_open",
    "training",
    "?" + urlencode({"agent": agent_name, "checkpoint": str(checkpoint)}),
    f"{agent_name} at checkpoint {checkpoint}",
)
