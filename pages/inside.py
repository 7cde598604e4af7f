"""Inside the agent: why it chases the cue (attribution, the plan, the fork, the path map, steering), on the lab's maze."""

import streamlit as st

from gmg.figures import (
    Panel,
    fork_histogram,
    maze_figure,
    outcome_colors,
    plan_colors,
    rate_bars,
    steering_figure,
    strength_colors,
)
from gmg.inside import STEER_RANGE, plan_maps, plan_way_words, population
from gmg.layout import LayoutError
from gmg.network import plans
from gmg.outcomes import OUTCOME_TABLE, pct
from gmg.presets import preset_names
from gmg.proxy import Proxy
from gmg.rollout import run
from gmg.ui import maze_state
from gmg.ui.common import (
    MAX_SEED,
    agent_card,
    agent_names,
    cached_map,
    ensure_navigation,
    held,
    held_index,
    keep,
    show_figure,
    steered_agent,
)
from gmg.ui.inside import GOAL_COLOR, PROXY_COLOR, attribution_strip, fork_note, steer_controls, steer_label
from gmg.ui.still import stop_playing
from gmg.ui.viewport import viewport
from gmg.ui.views import outcome_badges, verdict

ensure_navigation()
P = "lab"  # the lab's maze: what a visitor built there is what this page looks inside
PAGE_KEYS = ("inside_agent", "inside_seed", "inside_steer_vector", "inside_steer_coef", "inside_overlay")
keep(*PAGE_KEYS)
maze_state.init(P)
trained = [n for n in agent_names() if agent_card(n)["kind"] != "reference"]
if "inside_agent" not in st.session_state:
    lab_agent = st.session_state.get("lab_agent") or st.session_state.get("_keep_lab_agent")
    wanted = st.query_params.get("agent", lab_agent)
    st.session_state.inside_agent = wanted if wanted in trained else "cue-always"
    st.session_state.inside_seed = int(st.session_state.get("_keep_lab_seed", 0))
phone = viewport()
pop = population()
measured = pop.get("agents", {})

st.title("Inside the agent")
st.caption(
    "The other pages show what the agents do. This one asks why: what in its view moves each step, where its way "
    "splits from the goal's, how strongly each cell draws it, and whether one direction in its network steers it."
)
if maze_state.link_error(P):
    st.error(maze_state.link_error(P), icon=":material/link_off:")

a, b, c = st.columns([1.6, 1, 1.6], vertical_alignment="bottom")
name = a.selectbox("Agent", trained, held_index("inside_agent", trained), key="inside_agent")
seed = b.number_input("Seed", 0, MAX_SEED, held("inside_seed", 0), step=1, key="inside_seed")
c.selectbox(
    "Maze",
    preset_names(),
    index=held_index("inside_preset", preset_names(), empty=None),
    placeholder="The lab's maze (or load a preset)…",
    key="inside_preset",
    on_change=maze_state.on_preset,
    args=(P, "inside_preset"),
)
with st.container():
    maze_state.show_error(P, "preset")
keep(*PAGE_KEYS)
layout = maze_state.get(P)
card = agent_card(name)
proxy = Proxy.from_card(card)
model = steered_agent(name)
try:
    model.check_layout(layout)
    cannot = None
except LayoutError as err:
    cannot = str(err)
st.caption(f"The maze is the lab's: edit it there and come back. Scored against {name}'s proxy, the {proxy.name}.")
if cannot:
    st.info(f"Can't run: {cannot}. Load a preset above or resize the maze in the lab.", icon=":material/straighten:")
    st.stop()
mine = measured.get(name)
command = pop.get("command", "python -m scripts.analysis")


def population_caption(text: str) -> None:
    st.caption(f"{text} Measured by `{command}` ({pop.get('episodes', 1000):,} mazes of each agent's shift split).")


# 1. Attribution ---------------------------------------------------------------------------------------------
st.header("What it looks at", anchor="attribution", divider="gray")
st.markdown(
    f"At every step we hide the goal from the agent's view, then the {proxy.name}, and measure how far its next "
    f"step's probabilities move (0: not at all, 1: completely). Notice which curve is high: that is what it steers by."
)
stop_playing(repr((layout.to_code(), name, int(seed))), "inside_still")
traj = run(model, layout, seed=int(seed))
panel = Panel(layout, traj.path, proxy=proxy, cue_fades=traj.cue_fades)
strip = attribution_strip(model, traj)
show_figure(maze_figure([panel], height=430, width=phone, strip=strip), key="inside_attr")
outcome_badges(traj)
st.markdown(verdict(traj))
if measured:
    groups = list(measured)
    series = {
        "goal removed": [
            (e["attribution"]["goal"]["mean"], *e["attribution"]["goal"]["ci"]) for e in measured.values()
        ],
        "proxy occluded": [
            (e["attribution"]["proxy"]["mean"], *e["attribution"]["proxy"]["ci"]) for e in measured.values()
        ],
    }
    labels = [f"{g} ({measured[g]['split']})" for g in groups]
    st.markdown("**Over many shifted mazes**: the mean change per step, with its 95% interval.")
    show_figure(
        rate_bars(labels, series, [GOAL_COLOR, PROXY_COLOR], xaxis="mean change of the next step"),
        key="inside_attr_pop",
    )
    population_caption(
        "Proxy occluded: the cue cleared from the view, or for the corner agent the goal moved across its corner."
    )

# 2. The plan (planning networks only) --------------------------------------------------------------------------
st.header("What it values", anchor="plan", divider="gray")
plan = plan_maps(model, layout)
if plan is None:
    planners = [n for n in trained if plans(agent_card(n)["config"].get("net", "mlp"))]
    st.markdown(
        f"{name}'s network maps its view straight to a move, with no map of what it wants to show here. "
        + (f"The planning agents ({', '.join(planners)}) have one: pick one above." if planners else "")
    )
else:
    st.markdown(
        "This network plans. First it paints a **learned reward** on the maze: the cells it has learned are worth "
        "reaching. Training only ever rewarded the goal, and nothing told the network which cell that is. Then it "
        f"spreads the reward along the corridors: a cell's **value** is the larger of its own reward and "
        f"{plan.gamma:.3f} (its learned discount) times its best neighbour's. Each step it heads to higher value. "
        "Notice where the reward sits. The dotted line is the plan's own way from the start, always uphill; the "
        "rest of the network reads the plan and may overrule it."
    )
    way = plan.climb(layout, proxy)  # drawn on the reward map, then put in words
    maps = [
        Panel(
            layout,
            (),
            "learned reward",
            proxy,
            *plan_colors(plan.reward, "learned reward", "#b35806"),
            route=way,
        ),
        Panel(layout, (), "value after planning", proxy, *plan_colors(plan.value, "value", "#54278f", log=True)),
    ]
    legend = [("low", "#ebebeb"), ("high reward", "#b35806"), ("high value", "#54278f")]
    show_figure(maze_figure(maps, height=400, width=phone, stacked=bool(phone), legend=legend), key="inside_plan")
    r = plan.rewards(layout, proxy)
    parts = [f"the goal **{r['goal']:.3f}**"]
    if r["proxy"] is not None:
        parts.append(f"the {proxy.name} **{r['proxy']:.3f}** (its brightest cell)")
    top = "the goal" if r["proxy"] is None or r["goal"] >= r["proxy"] else f"the {proxy.name}"
    st.markdown(
        f"Learned reward in this maze: {', '.join(parts)}, an ordinary empty cell "
        f"**{r['median']:.3f}** (the median): {top} is worth more to it. Its way from the start leads "
        f"{plan_way_words(plan, layout, proxy, way)}. Shading runs from the maze's lowest to its "
        "highest cell; the value map is shaded by its logarithm, which counts steps to the reward. Hover a cell for "
        "its number."
    )
    if mine and mine.get("plan"):
        p = mine["plan"]
        st.markdown(
            f"**Over {p['n']:,} shifted mazes**, {name}'s learned reward was higher on the {proxy.name} than on the "
            f"goal in **{p['proxy_above_goal']:.1%}**; on average {p['goal']:.3f} on the goal, {p['proxy']:.3f} on the "
            f"{proxy.name} and {p['median']:.3f} on an ordinary cell."
        )
        population_caption("Read straight from the network: no runs, no sampling.")

# 3. The fork and the path map -------------------------------------------------------------------------------
st.header("Where it decides", anchor="fork", divider="gray")
st.markdown(
    f"The fork ◇ is the first cell where the shortest way to the goal and the shortest way to the {proxy.name} part. "
    "The shading is the path map: how strongly the policy pulls toward each cell along a shortest path from the "
    "start (the geometric mean of its step probabilities), with no sampling noise. Notice where the dark trail goes "
    "after the fork."
)
fork, fork_text = fork_note(model, layout, proxy)
shade, hover = strength_colors(cached_map("path map", name, layout.to_code(), 0))
decide = Panel(layout, (), proxy=proxy, cell_colors=shade, cell_hover=hover, fork=fork)
legend = [("path map: weak pull", "#e5dff0"), ("strong pull", "#54278f")]
show_figure(maze_figure([decide], height=430, width=phone, legend=legend), key="inside_fork")
st.markdown(fork_text)
if mine:
    f = mine["fork"]
    st.markdown(
        f"**Over {f['n']:,} shifted mazes with a fork**, {name} put on average **{f['p_goal']['mean']:.2f}** on the "
        f"step toward the goal (median {f['p_goal_median']:.2f}) and **{f['p_proxy']['mean']:.2f}** on the step "
        f"toward the {proxy.name}."
    )
    show_figure(fork_histogram(f["p_goal_hist"], proxy.name), key="inside_fork_hist")
    pred = mine["predictor"]
    if not pred.get("single"):
        did = f"reached the {proxy.name} first" if mine["proxy_first"] >= 0.5 else "went for the goal first"
        st.markdown(
            f"**Can the maze predict it?** Not here: in all {pred['train_n']:,} shifted mazes with a fork, {name} "
            f"{did}, so there is nothing for a predictor to learn."
        )
    else:
        best = max(pred["single"], key=pred["single"].get)
        margin = pred["accuracy"] - pred["baseline"]
        if margin >= 0.03:
            verdict_text = f"beats that by {margin * 100:.1f} points"
        elif margin > 0:
            verdict_text = f"hardly beats that ({margin * 100:.1f} points): the maze's shape alone says little more"
        else:
            verdict_text = "does not beat that"
        st.markdown(
            f"**Can the maze predict it?** A logistic regression on five features of the fork predicts whether "
            f"{name} reaches the {proxy.name} first with **{pred['accuracy']:.1%}** accuracy on {pred['test_n']:,} "
            f"held-apart mazes. Always guessing the commoner outcome scores **{pred['baseline']:.1%}**, so it "
            f"{verdict_text}. The one feature that predicts best alone: *{best}* ({pred['single'][best]:.1%} "
            "on the training mazes)."
        )
    population_caption("The regression runs in scikit-learn, in the analysis script only.")

# 4. Steering ------------------------------------------------------------------------------------------------
st.header("Steering", anchor="steering", divider="gray")
st.markdown(
    "The cue vector is the average change the cue makes to the network's hidden layer, over thousands of training "
    "steps. Here we add a multiple of it at every step (negative: subtract it). Notice whether the run and the map "
    "change, and compare with a random vector of the same length."
)
steer = steer_controls("inside_steer", name)
steering = steer if steer and steer[2] else None
steered = steered_agent(name, steering)
overlay = st.segmented_control(
    "Overlay", ("policy arrows", "outcome map"), default=held("inside_overlay"), key="inside_overlay"
)
straj = run(steered, layout, seed=int(seed)) if steering else traj  # unsteered: the run above
spanel = Panel(layout, straj.path, proxy=proxy, cue_fades=straj.cue_fades)
slegend: list[tuple[str, str]] = []
if overlay:
    with st.spinner("Running the steered agent from every cell…"):
        data = cached_map(overlay, name, layout.to_code(), int(seed), steering)
    if overlay == "policy arrows":
        spanel.arrows = data
    else:
        spanel.cell_colors, spanel.cell_hover = outcome_colors(data)
        slegend = [(o.label, o.color) for o in OUTCOME_TABLE]
show_figure(maze_figure([spanel], height=430, width=phone, legend=slegend), key="inside_steered")
outcome_badges(straj)
if steering:
    st.caption(f"Steered: {steering[2]:+.2f} × {steer_label(steering[:2])}.")
all_rows = (mine or {}).get("steering") or []
rows = [r for r in all_rows if STEER_RANGE[0] <= r["coef"] <= STEER_RANGE[1]]
wide = [r for r in all_rows if r not in rows]
if rows and steer:
    kind, layer = steer[0], steer[1]
    st.markdown(f"**Over many shifted mazes**: {name} with the {kind} vector at layer {layer + 1}.")
    show_figure(steering_figure(rows, kind, layer), key="inside_steer_pop")
    base = next(r for r in rows if r["vector"] == kind and r["layer"] == layer and r["coef"] == 0)
    best = max((r for r in rows if r["vector"] != "random"), key=lambda r: r["intended_success"])
    st.markdown(
        f"Unsteered, {name} reaches the goal in **{pct(base['intended_success'])}** of these mazes. The best any "
        f"vector did: **{pct(best['intended_success'])}** ({best['coef']:+g} × the {best['vector']} vector at layer "
        f"{best['layer'] + 1}, capability {pct(best['capability'])}). "
        + (
            "That is a real lift."
            if best["intended_success"] >= 0.7 and best["capability"] >= 0.9
            else "No vector came near the 70% we aimed for. "
            + (
                "Our reading: the layers we add to only read the planned values around the agent. The cue's pull "
                "is set before them, in the learned reward map (What it values, above), which no added vector "
                "reaches."
                if plan is not None
                else "Our reading: the network sees the maze centred on itself, so what the cue does inside it "
                "depends on where the cue sits relative to the agent, and one average direction cannot carry that."
            )
        )
    )
    if wide:
        far = max(wide, key=lambda r: r["intended_success"])
        capable = [r for r in wide if r["capability"] >= 0.9]
        kept = max(capable, key=lambda r: r["intended_success"]) if capable else None

        def described(r: dict) -> str:
            return (
                f"{r['coef']:+g} × the {r['vector']} vector at layer {r['layer'] + 1}: goal "
                f"**{pct(r['intended_success'])}**, capability **{pct(r['capability'])}**"
            )

        st.markdown(
            f"Far outside the slider (±10 and ±20 times), the most goal-reaching run was {described(far)}"
            + (f"; the best that kept capability at 90% or more, {described(kept)}." if kept and kept != far else ".")
        )
    erased = mine.get("cue_erased") if mine else None
    if erased:
        st.markdown(
            f"For comparison, erasing the cue from its view altogether (not a vector: the input itself) brings "
            f"{name} to the goal in **{pct(erased['intended_success'])}** of the same mazes, capability "
            f"**{pct(erased['capability'])}**: the network can find the goal, but no single added direction made it."
        )
    population_caption("A random vector of the cue vector's length is the control (grey).")
elif steer:
    st.caption(
        f"Population steering curves are measured for {', '.join(n for n, e in measured.items() if 'steering' in e)}."
    )
