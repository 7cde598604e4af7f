"""Experiments: agents x splits over many mazes, outcome classes, distance effects, the dose-response curve."""

import streamlit as st

from gmg import experiments
from gmg.figures import distance_figure, dose_response_figure, outcome_class_bars, rate_interval_bars
from gmg.splits import SPLIT_NAMES
from gmg.ui import experiment_cache
from gmg.ui.common import agent_card, agent_names, cached_agent, ensure_navigation, held, keep, show_figure
from gmg.ui.viewport import viewport
from gmg.ui.views import show_rates_table

ensure_navigation()
PAGE_KEYS = ("exp_agents", "exp_splits", "exp_n", "exp_seed", "exp_all_splits")
keep(*PAGE_KEYS)
viewport()
st.title("Experiments")
st.caption(
    "Run agents on whole distributions of mazes. Every number here is computed from the agents' networks, "
    "with 95% intervals."
)

names = agent_names()
default_agents, default_splits, default_n, default_seed = experiment_cache.settings()
# Defaults through session state, so a value kept from another page wins quietly; the widgets declare what the
# session holds as their own defaults too (gmg.ui.common.held).
st.session_state.setdefault("exp_agents", [a for a in default_agents if a in names] or names[:2])
st.session_state.setdefault("exp_splits", list(default_splits))
st.session_state.setdefault("exp_n", default_n)
st.session_state.setdefault("exp_seed", default_seed)
c = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
agents = c[0].multiselect("Agents", names, held("exp_agents"), key="exp_agents")
split_options = [s + g for s in SPLIT_NAMES for g in ("", ":mix")]
splits = c[1].multiselect("Splits", split_options, held("exp_splits"), key="exp_splits")
episodes = c[2].number_input(
    "Mazes per split", 20, experiments.MAX_EXPERIMENT_EPISODES, held("exp_n", 20), step=100, key="exp_n"
)
seed = c[3].number_input("Seed", 0, 2**31 - 1, held("exp_seed", 0), key="exp_seed")
chosen = (tuple(agents), tuple(splits), int(episodes), int(seed))

budget = experiments.episode_budget()
if budget is not None:
    st.caption(
        f"A public budget of {budget:,} episodes per run (agents × splits × mazes) keeps the app fast for everyone; "
        "`GMG_EPISODE_BUDGET=0 streamlit run app.py` lifts it on your own machine."
    )
too_big = experiments.over_budget(len(agents) * len(splits) * int(episodes))
if too_big:
    st.error(f"Can't run: {too_big}.", icon=":material/speed:")
if st.button("Run experiment", type="primary", disabled=not (agents and splits) or bool(too_big)):
    bar = st.progress(0.0, text="Running…")
    try:
        rows = experiments.experiment(
            [cached_agent(a) for a in agents],
            splits,
            int(episodes),
            int(seed),
            progress=lambda p: bar.progress(p, text=f"Running… {p:.0%}"),
        )
        bar.progress(1.0, text=f"Done: {len(agents)} agents × {len(splits)} splits × {int(episodes)} mazes.")
        st.session_state.exp_result = (chosen, rows)
    except ValueError as err:  # an agent that cannot run a split's sizes
        bar.empty()
        st.error(f"Can't run: {err}.")

# A result is shown only for the settings that produced it, and says which they were.
stored = st.session_state.get("exp_result")
rows, source = None, ""
if stored and stored[0] == chosen:
    rows, source = stored[1], "your run"
elif chosen == experiment_cache.settings():
    rows = experiment_cache.load()
    source = f"computed ahead from the shipped agents (`{experiment_cache.COMMAND}`)"
    if rows is None:
        st.info("Press **Run experiment** to play these settings.", icon=":material/play_arrow:")
else:
    st.info("Press **Run experiment** to play these settings.", icon=":material/play_arrow:")

if rows:
    st.caption(
        f"Showing: {', '.join(chosen[0])} on {', '.join(chosen[1])}, {chosen[2]:,} mazes per split, seed {chosen[3]}; "
        f"{source}."
    )
    st.subheader("What the agents reached", anchor=False)
    show_figure(outcome_class_bars(rows), key="exp_classes")
    st.subheader("Rates with 95% intervals", anchor=False)
    keys = ("intended_success", "misgeneralization", "capability")
    show_figure(rate_interval_bars(rows, keys), key="exp_rates")
    show_rates_table(rows, keys)
    by_distance = experiments.rate_by_distance(rows)
    if by_distance:
        st.subheader("Proxy rate against proxy–goal distance", anchor=False)
        shifted = [s for s in dict.fromkeys(p["split"] for p in by_distance) if "shift" in s]
        everything = st.toggle(
            "All splits", bool(held("exp_all_splits", False)), key="exp_all_splits", disabled=not shifted
        )
        st.caption(
            "Share of episodes that reached the proxy (cue, or corner) and never the goal, by BFS distance from the "
            "goal to the proxy; one chart per agent"
            + ("." if everything or not shifted else ", shifted splits only (the training splits keep them close).")
        )
        show_figure(distance_figure(by_distance, None if everything or not shifted else shifted), key="exp_distance")
    dose = experiments.dose_rows(rows, {r["agent"]: agent_card(r["agent"]) for r in rows})
    if len({r["shift_fraction"] for r in dose}) >= 2:
        st.subheader("Dose-response: how much diverse training fixes it", anchor=False)
        st.caption(
            "Cue agents trained with different fractions of mazes where the cue is away from the goal, evaluated on cue/shift (any maze family)."
        )
        show_figure(dose_response_figure(dose), key="exp_dose")
    st.download_button(
        "Download CSV",
        experiments.to_csv(experiments.results_table(rows)),
        file_name="gmg-experiment.csv",
        mime="text/csv",
        icon=":material/download:",
    )
keep(*PAGE_KEYS)
