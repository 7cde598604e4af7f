"""Experiments: agents x splits over many mazes, outcome classes, distance effects, the dose-response curve."""

import streamlit as st

from gmg import experiments
from gmg.figures import distance_figure, dose_response_figure, outcome_class_bars, rate_interval_bars
from gmg.splits import SPLIT_NAMES
from gmg.ui.common import agent_card, agent_names, cached_agent, ensure_navigation, show_figure

ensure_navigation()
st.title("Experiments")
st.caption(
    "Run agents on whole distributions of mazes. Every number here is computed now, from the agents' networks, with 95% intervals."
)

names = agent_names()
cue_agents = [n for n in names if agent_card(n).get("scenario") == "cue"]
c = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
agents = c[0].multiselect("Agents", names, default=cue_agents or names[:2], key="exp_agents")
splits = c[1].multiselect("Splits", SPLIT_NAMES, default=["cue/train", "cue/shift"], key="exp_splits")
episodes = c[2].number_input("Mazes per split", 20, experiments.MAX_EXPERIMENT_EPISODES, 300, step=100, key="exp_n")
seed = c[3].number_input("Seed", 0, 2**31 - 1, 0, key="exp_seed")

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
        st.session_state.exp_rows = rows
    except ValueError as err:  # an agent that cannot run a split's sizes
        bar.empty()
        st.error(f"Can't run: {err}.")

rows = st.session_state.get("exp_rows")
if rows:
    st.subheader("What the agents reached", anchor=False)
    show_figure(outcome_class_bars(rows), key="exp_classes")
    st.subheader("Rates with 95% intervals", anchor=False)
    show_figure(rate_interval_bars(rows, ("intended_success", "misgeneralization", "capability")), key="exp_rates")
    by_distance = experiments.rate_by_distance(rows)
    if by_distance:
        st.subheader("Proxy rate against proxy–goal distance", anchor=False)
        st.caption(
            "Share of episodes that reached the proxy (cue, or corner) and never the goal, by BFS distance from the goal to the proxy."
        )
        show_figure(distance_figure(by_distance), key="exp_distance")
    dose = experiments.dose_rows(rows, {r["agent"]: agent_card(r["agent"]) for r in rows})
    if len({r["shift_fraction"] for r in dose}) >= 2:
        st.subheader("Dose-response: how much diverse training fixes it", anchor=False)
        st.caption(
            "Cue agents trained with different fractions of mazes where the cue is away from the goal, evaluated on cue/shift."
        )
        show_figure(dose_response_figure(dose), key="exp_dose")
    table = experiments.results_table(rows)
    st.dataframe(table, hide_index=True)
    st.download_button(
        "Download CSV",
        experiments.to_csv(table),
        file_name="gmg-experiment.csv",
        mime="text/csv",
        icon=":material/download:",
    )
