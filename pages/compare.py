"""Compare: the same agent under shift, two agents on one maze, or any two mazes, side by side."""

import streamlit as st

from gmg import experiments
from gmg.edits import TOOLS, with_cue_by_goal, with_cue_moved
from gmg.figures import Panel, maze_figure, rate_interval_bars
from gmg.layout import LayoutError
from gmg.proxy import Proxy
from gmg.rollout import run
from gmg.splits import SPLIT_NAMES, Split
from gmg.ui import maze_state
from gmg.ui.common import (
    MAX_SEED,
    agent_card,
    agent_names,
    cached_agent,
    default_agent,
    ensure_navigation,
    held,
    held_index,
    keep,
    seed_from_query,
    sentence,
    share_box,
    share_query,
    show_figure,
)
from gmg.ui.editor import maze_editor
from gmg.ui.viewport import viewport
from gmg.ui.views import outcome_table, show_rates_table

ensure_navigation()
MODES = ("Cue by the goal vs cue moved", "Two agents, one maze", "Any two mazes")
MODE_PARAM = {MODES[0]: "cue", MODES[1]: "agents", MODES[2]: "mazes"}
PAGE_KEYS = ("cmp_mode", "cmp_agent_a", "cmp_agent_b", "cmp_seed", "cmp_n", "cmp_split", "cmp_split_a", "cmp_split_b")
keep(*PAGE_KEYS)
PROXY_RULE = (
    "Each agent is scored against its own proxy, the feature that came with the goal in its training: "
    "the cue ▲ for cue agents, the shaded top-right corner for the corner agent. "
    "The same rule holds above, below, in the lab and in `python -m gmg evaluate`."
)
names = agent_names()

st.title("Compare")
st.caption(
    "Goal misgeneralization shows up by contrast: the same competent agent, a small change to the world, a different goal pursued."
)

if "cmp_mode" not in st.session_state:
    st.session_state.cmp_mode = (
        MODES[1]
        if st.query_params.get("mode") == "agents"
        else MODES[2]
        if st.query_params.get("mode") == "mazes"
        else MODES[0]
    )
    wanted = st.query_params.get("agent")
    st.session_state.cmp_agent_a = wanted if wanted in names else default_agent()
    st.session_state.cmp_agent_b = (
        st.query_params.get("agent_b")
        if st.query_params.get("agent_b") in names
        else ("cue-diverse" if "cue-diverse" in names else "oracle")
    )
    st.session_state.cmp_seed = seed_from_query()
maze_state.init("cmpA", default="cue-training")
if st.query_params.get("maze_b") is not None:
    maze_state.init("cmpB", default="cue-shifted", param="maze_b")
phone = viewport()

# A link's error goes here, where it is seen, not inside the collapsed editors.
for prefix in ("cmpA", "cmpB"):
    if maze_state.link_error(prefix):
        st.error(maze_state.link_error(prefix), icon=":material/link_off:")
mode = (
    st.segmented_control("What to compare", MODES, default=held("cmp_mode"), key="cmp_mode", required=True) or MODES[0]
)
cols = st.columns([2, 2, 1], vertical_alignment="bottom")
agent_a = cols[0].selectbox(
    "Agent" if mode != MODES[1] else "Left agent",
    names,
    index=held_index("cmp_agent_a", names),
    key="cmp_agent_a",
    format_func=lambda n: f"{n} ({agent_card(n)['kind']})",
)
agent_b = (
    cols[1].selectbox(
        "Right agent",
        names,
        index=held_index("cmp_agent_b", names),
        key="cmp_agent_b",
        format_func=lambda n: f"{n} ({agent_card(n)['kind']})",
    )
    if mode == MODES[1]
    else agent_a
)
seed = cols[2].number_input("Seed", 0, MAX_SEED, held("cmp_seed", 0), key="cmp_seed")


def derived_right() -> None:
    """In the cue mode the right maze is the left one with the cue moved; rederive when the left changes."""
    left = maze_state.get("cmpA")
    if st.session_state.get("cmpB_from") != (mode, left.to_code()):
        try:
            right = with_cue_moved(left) if mode == MODES[0] else left
            if mode == MODES[0]:
                left_fixed = with_cue_by_goal(left)
                if left_fixed != left:
                    st.session_state.cmpA_maze = left = left_fixed
        except LayoutError as err:
            st.session_state.cmpA_error = f"The cue could not be moved: {sentence(str(err))}"
            st.session_state.cmpA_error_source = "editor"
            right = left
        st.session_state.cmpB_maze = right
        st.session_state.cmpB_error = None
        st.session_state.cmpB_from = (mode, left.to_code())


@st.fragment
def panels() -> None:
    keep("cmp_tool", "cmp_edit_open")  # and again at the end
    st.session_state.setdefault("cmp_tool", "cue")
    if mode != MODES[2] or "cmpB_maze" not in st.session_state:
        derived_right()
    left, right = maze_state.get("cmpA"), maze_state.get("cmpB")
    titles = {
        MODES[0]: ("Cue by the goal", "Cue moved"),
        MODES[1]: (agent_a, agent_b),
        MODES[2]: ("Maze A", "Maze B"),
    }[mode]
    with st.expander("Edit the mazes", key="cmp_edit_open"):
        tool = st.segmented_control("Paint", TOOLS, default=held("cmp_tool"), key="cmp_tool") or "cue"
        ca, cb = st.columns(2)
        for col, prefix, title in ((ca, "cmpA", titles[0]), (cb, "cmpB", titles[1])):
            with col:
                st.markdown(f"**{title}**")
                if prefix == "cmpB" and mode == MODES[1]:
                    st.caption("Both agents play the left maze.")
                    continue
                layout = maze_state.get(prefix)
                maze_editor(
                    layout,
                    tool,
                    key=f"{prefix}_editor",
                    on_strokes=lambda p=prefix: maze_state.on_strokes(p, f"{p}_editor"),
                    ack=maze_state.ack(prefix),
                    cell_px=max(14, min(24, 300 // max(layout.shape))),
                )
                with st.container():
                    maze_state.show_error(prefix, "editor")
                if mode == MODES[2]:
                    st.text_input(
                        "Layout code (from a share link)",
                        key=f"{prefix}_code",
                        on_change=maze_state.on_code,
                        args=(prefix, f"{prefix}_code"),
                    )
                    with st.container():
                        maze_state.show_error(prefix, "code")
                    if "lab_maze" in st.session_state:
                        st.button(
                            "Use the lab's maze",
                            key=f"{prefix}_from_lab",
                            on_click=lambda p=prefix: maze_state.try_set(p, lambda: st.session_state.lab_maze),
                        )
        if mode == MODES[0]:
            st.caption(
                "Edit the left maze and the right one follows (cue moved as far from the goal as the maze allows); edit the right one to place the cue yourself."
            )
    if mode == MODES[1]:
        right = left
    agents = (cached_agent(agent_a), cached_agent(agent_b))
    problems = []
    for agent, layout in zip(agents, (left, right), strict=True):
        try:
            agent.check_layout(layout)
        except LayoutError as err:
            problems.append(str(err))
    run_key = (mode, left.to_code(), right.to_code(), agent_a, agent_b, int(seed))
    if st.button("▶ Run both", type="primary", disabled=bool(problems), help="; ".join(problems) or None):
        st.session_state.cmp_run = (
            run_key,
            [run(a, lay, seed=int(seed)) for a, lay in zip(agents, (left, right), strict=True)],
        )
    for p in problems:
        st.info(f"Can't run: {p}.")
    stored = st.session_state.get("cmp_run")
    trajs = stored[1] if stored and stored[0] == run_key else None
    figure_panels = [
        Panel(lay, t.path if trajs else (), title, Proxy.from_card(agent.card), cue_fades=agent.cue_fades)
        for lay, title, agent, t in zip((left, right), titles, agents, trajs or (None, None), strict=True)
    ]
    # On a phone the two mazes stack, each as wide as the screen (side by side they were 164 px each).
    show_figure(maze_figure(figure_panels, height=440, width=phone, stacked=bool(phone)), key="cmp_figure")
    if trajs:
        outcome_table(trajs, titles)
    else:
        st.caption("Press **Run both**: one play button and one scrubber move both panels.")
    settings = {
        "mode": MODE_PARAM[mode],
        "agent": agent_a,
        **({"agent_b": agent_b} if mode == MODES[1] else {}),
        "seed": str(int(seed)),
        **({"maze_b": right.to_code()} if mode == MODES[2] else {}),
    }
    st.query_params.from_dict({"maze": left.to_code(), **settings})
    share_box(
        "Share this comparison",
        "cmp_share_open",
        "compare",
        share_query(left, **settings),
        "the same comparison: mode, agents, seed and mazes",
    )
    keep("cmp_tool", "cmp_edit_open")


panels()

st.subheader("Over many mazes", anchor=False)
st.caption(
    "One maze is an anecdote. Here the same two conditions run over many random mazes; bars show rates with 95% intervals."
)
st.caption(PROXY_RULE)
c = st.columns([1, 1, 1, 1], vertical_alignment="bottom")
for key, value in (("cmp_n", 200), ("cmp_split_a", SPLIT_NAMES[0]), ("cmp_split_b", SPLIT_NAMES[1])):
    st.session_state.setdefault(key, value)
st.session_state.setdefault("cmp_split", SPLIT_NAMES[1])
n = c[0].number_input("Mazes", 10, experiments.MAX_BATCH, held("cmp_n", 10), step=50, key="cmp_n")
if mode == MODES[2]:
    split_a = c[1].selectbox("Split A", SPLIT_NAMES, held_index("cmp_split_a", SPLIT_NAMES), key="cmp_split_a")
    split_b = c[2].selectbox("Split B", SPLIT_NAMES, held_index("cmp_split_b", SPLIT_NAMES), key="cmp_split_b")
elif mode == MODES[1]:
    split_a = split_b = c[1].selectbox("Split", SPLIT_NAMES, held_index("cmp_split", SPLIT_NAMES), key="cmp_split")
go = c[3].button("Run batch", key="cmp_batch", width="stretch")
# What produced a batch result: a result for other settings is not shown as if it were for these.
batch_key = (
    mode,
    agent_a,
    agent_b,
    int(n),
    int(seed),
    split_a if mode != MODES[0] else None,
    split_b if mode != MODES[0] else None,
)
if go:
    bar = st.progress(0.0, text="Playing mazes…")
    agent_objs = (cached_agent(agent_a), cached_agent(agent_b))
    try:
        if mode == MODES[0]:
            train, shifted = experiments.cue_pairs(int(n), int(seed))
            conds = [
                experiments.Condition("cue by the goal", agent_objs[0], train),
                experiments.Condition("cue moved", agent_objs[0], shifted),
            ]
        else:
            sa, sb = Split.parse(split_a), Split.parse(split_b)
            la, lb = sa.sample_many(int(n), int(seed)), sb.sample_many(int(n), int(seed))
            conds = [
                experiments.Condition(f"{agent_a} · {sa.name}", agent_objs[0], la),
                experiments.Condition(f"{agent_b} · {sb.name}", agent_objs[1], lb),
            ]
        results = experiments.batch_compare(
            conds, seed=int(seed), progress=lambda p: bar.progress(p, text=f"Playing mazes… {p:.0%}")
        )
        bar.progress(1.0, text=f"Done: {int(n)} mazes × 2 conditions.")
        st.session_state.cmp_batch_result = results
        st.session_state.cmp_batch_key = batch_key
    except LayoutError as err:
        bar.empty()
        st.error(f"Can't run this batch: {err}.")
results = st.session_state.get("cmp_batch_result")
if results and st.session_state.get("cmp_batch_key") == batch_key:
    st.caption(f"Showing: {' vs '.join(r['condition'] for r in results)}; {int(n):,} mazes each, seed {int(seed)}.")
    keys = ("intended_success", "proxy_success", "misgeneralization")
    show_figure(rate_interval_bars(results, keys), key="cmp_bars")
    show_rates_table(results, keys)
elif results:
    st.info("The settings changed since the last batch: press **Run batch** for these.", icon=":material/refresh:")
keep(*PAGE_KEYS)
