"""Maze lab: edit a maze and the cue, run a pretrained agent live, see what it pursues."""

import uuid

import streamlit as st

from gmg.edits import TOOLS
from gmg.figures import (
    GOAL_KEPT,
    GOAL_LOST,
    Panel,
    goal_rate_colors,
    maze_figure,
    outcome_colors,
    strength_colors,
)
from gmg.generators import GENERATORS
from gmg.gif import trajectory_gif
from gmg.layout import MAX_SIDE, MIN_SIDE, LayoutError
from gmg.outcomes import OUTCOME_TABLE
from gmg.presets import preset_description, preset_names
from gmg.proxy import Proxy
from gmg.rollout import run
from gmg.splits import SPLIT_NAMES
from gmg.ui import maze_state
from gmg.ui.common import (
    MAX_SEED,
    agent_card,
    agent_names,
    cached_map,
    default_agent,
    ensure_navigation,
    held,
    held_index,
    keep,
    seed_from_query,
    share_box,
    share_query,
    show_figure,
    steered_agent,
)
from gmg.ui.editor import maze_editor
from gmg.ui.inside import attribution_strip, fork_note, steer_controls, steer_label, vector_options
from gmg.ui.still import stop_playing
from gmg.ui.viewport import autoplay, viewport
from gmg.ui.views import agent_blurb, maze_label, outcome_badges, verdict

ensure_navigation()
P = "lab"
OVERLAYS = ("policy arrows", "outcome map", "fool the agent", "path map")
PHONE_LABELS = dict(zip(OVERLAYS, ("arrows", "outcomes", "fool it", "path map"), strict=True))
# Page settings (the fragment keeps its own, below): they survive a visit to another page.
PAGE_KEYS = ("lab_agent", "lab_seed", "lab_greedy")
WORKBENCH_KEYS = (
    "lab_overlay",
    "lab_tool",
    "lab_split",
    "lab_layout_seed",
    "lab_tools_open",
    "lab_steer_vector",
    "lab_steer_coef",
    "lab_steer_open",
)
keep(*PAGE_KEYS)
maze_state.init(P)
names = agent_names()
if "lab_agent" not in st.session_state:
    wanted = st.query_params.get("agent")
    st.session_state.lab_agent = wanted if wanted in names else default_agent()
    st.session_state.lab_seed = seed_from_query()
    st.session_state.lab_greedy = st.query_params.get("mode") == "greedy"
    overlay = st.query_params.get("overlay")
    st.session_state.lab_overlay = overlay if overlay in OVERLAYS else None
    # A shared steered run: the vector, its layer and the coefficient (anything unreadable is left unsteered).
    try:
        wanted_steer = (st.query_params.get("vector", ""), int(st.query_params.get("layer", "1")) - 1)
        coef = float(st.query_params.get("coef", "0"))
    except ValueError:
        wanted_steer, coef = ("", 0), 0.0
    if wanted_steer in vector_options(st.session_state.lab_agent) and -2 <= coef <= 2:
        st.session_state.lab_steer_vector, st.session_state.lab_steer_coef = wanted_steer, coef
        st.session_state.lab_steer_open = True
phone = viewport()

st.title("Maze lab")
st.caption(
    "Build a maze, place the goal ★ and the cue ▲, and press Run to see what a trained agent pursues. "
    "The reward was only ever for the goal."
)
if maze_state.link_error(P):
    st.error(maze_state.link_error(P), icon=":material/link_off:")

top = st.columns([2.2, 1, 1], vertical_alignment="bottom")
agent_name = top[0].selectbox(
    "Agent",
    names,
    index=held_index("lab_agent", names),
    key="lab_agent",
    format_func=lambda n: f"{n} ({agent_card(n)['kind']})",
)
seed = top[1].number_input("Seed", min_value=0, max_value=MAX_SEED, value=held("lab_seed", 0), step=1, key="lab_seed")
greedy = top[2].toggle(
    "Greedy (argmax)",
    value=bool(held("lab_greedy", False)),
    key="lab_greedy",
    help="Sampling from the policy is the default; argmax play can loop.",
)
card = agent_card(agent_name)
st.caption(agent_blurb(card))
keep(*PAGE_KEYS)


@st.fragment
def workbench() -> None:
    keep(*WORKBENCH_KEYS)
    st.session_state.setdefault("lab_tool", "wall")
    st.session_state.setdefault("lab_layout_seed", 0)
    layout = maze_state.get(P)
    maze_state.sync_fields(P, layout)
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        st.subheader("Maze", anchor=False)
        st.selectbox(
            "Preset",
            preset_names(),
            index=held_index("lab_preset", preset_names(), empty=None),
            placeholder="Load a preset…",
            key="lab_preset",
            on_change=maze_state.on_preset,
            args=(P, "lab_preset"),
        )
        if st.session_state.get("lab_preset"):
            st.caption(preset_description(st.session_state.lab_preset))
        tool = st.segmented_control("Paint", TOOLS, default=held("lab_tool"), key="lab_tool") or "wall"
        # The editor shrinks its cells to the width it is given (a phone); this is the most it may use.
        cell_px = max(16, min(32, 420 // max(layout.shape)))
        maze_editor(
            layout,
            tool,
            key="lab_editor",
            on_strokes=lambda: maze_state.on_strokes(P, "lab_editor"),
            ack=maze_state.ack(P),
            cell_px=cell_px,
        )
        # Messages sit in fixed slots next to what caused them: one appearing or going never moves the controls
        # below it, so the section under them keeps its open or closed state.
        with st.container():
            maze_state.show_error(P, "editor")
            maze_state.show_error(P, "preset")
        with st.container():
            if not layout.goal_reachable:
                st.warning("The goal cannot be reached from the start in this maze.", icon=":material/block:")
        with st.expander("Random maze, size, text and files", key="lab_tools_open"):
            a, b, c = st.columns([1.4, 1, 1], vertical_alignment="bottom")
            gens = [""] + [f":{g}" for g in GENERATORS if g != "blocks"]
            splits = [s + g for s in SPLIT_NAMES for g in gens]
            a.selectbox("Split", splits, held_index("lab_split", splits), key="lab_split")
            b.number_input("Layout seed", 0, MAX_SEED, held("lab_layout_seed", 0), key="lab_layout_seed")
            c.button(
                "Generate", on_click=maze_state.on_random, args=(P, "lab_split", "lab_layout_seed"), width="stretch"
            )
            with st.container():
                maze_state.show_error(P, "random")
            lo, hi = card["supported_sides"]
            a, b, c = st.columns([1.4, 1, 1], vertical_alignment="bottom")
            a.number_input(
                f"Height ({MIN_SIDE}–{MAX_SIDE}; agent: {lo}–{hi})",
                MIN_SIDE,
                MAX_SIDE,
                held("lab_h", MIN_SIDE),
                key="lab_h",
            )
            b.number_input("Width", MIN_SIDE, MAX_SIDE, held("lab_w", MIN_SIDE), key="lab_w")
            c.button("Resize", on_click=maze_state.on_resize, args=(P, "lab_h", "lab_w"), width="stretch")
            with st.container():
                maze_state.show_error(P, "resize")
            st.text_area(
                "As text (# wall, . floor, S start, G goal, C cue)", held("lab_text", ""), key="lab_text", height=260
            )
            st.button("Apply text", on_click=maze_state.on_text, args=(P, "lab_text"))
            with st.container():
                maze_state.show_error(P, "text")
            st.file_uploader(
                "Upload a layout (.json or .txt)",
                type=["json", "txt"],
                key="lab_upload",
                on_change=maze_state.on_upload,
                args=(P, "lab_upload"),
            )
            with st.container():
                maze_state.show_error(P, "upload")
            st.download_button(
                "Download layout JSON",
                layout.to_json(),
                file_name="gmg-layout.json",
                mime="application/json",
                icon=":material/download:",
            )

    with right:
        st.subheader("Run", anchor=False)
        with st.expander("Steer the agent from inside its network", key="lab_steer_open"):
            st.caption(
                "Adds a multiple of a direction in the network's hidden layer at every step. The cue vector is the "
                "average change the cue makes there; a negative coefficient subtracts it. See Inside the agent."
            )
            steer = steer_controls("lab_steer", agent_name)
        steering = steer if steer and steer[2] else None
        agent = steered_agent(agent_name, steering)
        try:
            agent.check_layout(layout)
            cannot = None
        except LayoutError as err:
            cannot = str(err)
        run_key = (layout.to_code(), agent_name, int(seed), bool(greedy), steering)
        clicked = st.button("▶ Run", type="primary", disabled=cannot is not None, help=cannot, width="stretch")
        if cannot:
            st.info(f"Can't run: {cannot}. Resize the maze or pick another agent.", icon=":material/straighten:")
        if clicked:
            st.session_state.lab_run = (run_key, run(agent, layout, seed=int(seed), greedy=bool(greedy)))
            st.session_state.lab_autoplay = uuid.uuid4().hex  # a new run plays once by itself
        stored = st.session_state.get("lab_run")
        traj = stored[1] if stored and stored[0] == run_key else None

        overlay = st.segmented_control(
            "Overlay",
            OVERLAYS,
            default=held("lab_overlay"),
            key="lab_overlay",
            # A phone fits four short labels on one row; the long ones ran off its edge.
            format_func=(lambda o: PHONE_LABELS[o]) if phone else str,
            help=(
                "Policy arrows: the agent's action probabilities at each cell, as if it had just started there. "
                "Outcome map: what the agent reaches when it starts from each cell. "
                "Fool the agent: for each cell where the cue could go, does it still reach the goal? "
                "Path map: how strongly the policy heads to each cell along a shortest path from the start."
            ),
        )
        proxy = Proxy.from_card(card)
        fork, fork_text = fork_note(agent, layout, proxy) if not cannot and card["kind"] != "reference" else (None, "")
        panel = Panel(layout, traj.path if traj else (), proxy=proxy, fork=fork, cue_fades=agent.cue_fades)
        legend: list[tuple[str, str]] = []
        if overlay and not cannot:
            with st.spinner("Running the agent from every cell…"):
                overlay_data = cached_map(overlay, agent_name, layout.to_code(), int(seed), steering)
                if overlay == "policy arrows":
                    panel.arrows = overlay_data
                elif overlay == "path map":
                    panel.cell_colors, panel.cell_hover = strength_colors(overlay_data)
                    legend = [("path map: weak pull", "#e5dff0"), ("strong pull", "#54278f")]
                elif overlay == "outcome map":
                    panel.cell_colors, panel.cell_hover = outcome_colors(overlay_data)
                    legend = [(o.label, o.color) for o in OUTCOME_TABLE]
                else:
                    panel.cell_colors, panel.cell_hover = goal_rate_colors(overlay_data)
                    legend = [("cue here: goal still reached", GOAL_KEPT), ("cue here: lured away", GOAL_LOST)]
        # A rerun that replaces a playing figure would throw in plotly: stop it first (see gmg.ui.still).
        stop_playing(repr((run_key, overlay, traj is not None)), "lab_still")
        token = st.session_state.get("lab_autoplay") if traj else None
        strip = attribution_strip(agent, traj) if traj and card["kind"] != "reference" else None
        figure = maze_figure([panel], height=470, width=phone, legend=legend, meta=token, strip=strip)
        show_figure(figure, key="lab_figure")
        if token:
            autoplay(token, "lab_figure")
        if overlay == "policy arrows":
            st.caption("Arrows: the agent's action probabilities at each cell, as if it had just started there.")
        elif overlay == "path map":
            st.caption(
                "Path map: the geometric mean of the policy's probabilities along a shortest path from the start to "
                "each cell. Dark cells are where the agent is drawn; no sampling, so no noise."
            )
        elif overlay:
            st.caption("Each cell: 4 samples of the agent; hover for counts.")
        if fork_text:
            st.markdown(fork_text)
        if steering:
            st.caption(f"Steered: {steering[2]:+.2f} × {steer_label(steering[:2])}.")
        if traj:
            outcome_badges(traj)
            st.markdown(verdict(traj))
            st.download_button(
                "Download GIF",
                # Made only when clicked: encoding the GIF was a third of a Run's server time.
                lambda traj=traj: trajectory_gif(
                    traj.layout,
                    traj.path,
                    proxy=traj.proxy,
                    agent=traj.agent,
                    maze=maze_label(traj.layout),
                    cue_fades=traj.cue_fades,
                ),
                on_click="ignore",
                file_name=f"gmg-{agent_name}-seed{seed}.gif",
                mime="image/gif",
                icon=":material/movie:",
            )
        elif not cannot:
            st.caption("Press **Run** to play the agent on this maze.")

    settings = {
        "agent": agent_name,
        "seed": str(int(seed)),
        "mode": "greedy" if greedy else "sampled",
        **({"overlay": overlay} if overlay else {}),
        **({"vector": steering[0], "layer": str(steering[1] + 1), "coef": f"{steering[2]:g}"} if steering else {}),
    }
    # One message: clear() and update() sent two, and between them the address briefly held no maze.
    st.query_params.from_dict({"maze": layout.to_code(), **settings})
    share_box(
        "Share this experiment",
        "lab_share_open",
        "lab",
        share_query(layout, **settings),
        "the same maze, agent, seed, play mode, overlay and steering",
    )
    keep(*WORKBENCH_KEYS)


workbench()
