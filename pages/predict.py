"""Predict, then reveal: guess where a trained agent ends up on eight mazes, then watch its real run."""

import secrets
from urllib.parse import urlencode

import streamlit as st

from gmg.agents import card_story
from gmg.figures import Panel, maze_figure
from gmg.outcomes import pct
from gmg.proxy import Proxy
from gmg.rollout import Trajectory
from gmg.ui.chapters import (
    ENDS,
    GOAL,
    MAX_ROUND,
    PROXY,
    STUCK,
    Question,
    end_label,
    end_of,
    pick_question,
    population_sentence,
    round_lesson,
    round_order,
    round_slots,
    score,
)
from gmg.ui.common import agent_card, agent_names, cached_agent, ensure_navigation, share_box, show_figure
from gmg.ui.still import stop_playing
from gmg.ui.viewport import autoplay, viewport
from gmg.ui.views import outcome_badges, verdict

ensure_navigation()


@st.cache_data(show_spinner=False, max_entries=512)
def question(round_seed: int, slot: int) -> tuple[Question, Trajectory]:
    """The round's maze for one slot and its live run: the same for every visitor with this round's link."""
    agent, row = round_slots(agent_names())[slot]
    return pick_question(cached_agent(agent), agent_card(agent)["evaluation"][row], round_seed, slot)


def start_round(seed: int) -> None:
    st.session_state.pred_round = seed
    st.session_state.pred_answers = []
    st.session_state.pred_revealed = False
    st.query_params["round"] = str(seed)


def on_answer(end: str) -> None:
    st.session_state.pred_answers = [*st.session_state.pred_answers, end]
    st.session_state.pred_revealed = True


def on_next() -> None:
    st.session_state.pred_revealed = False


def on_new_round() -> None:
    st.session_state.pred_error = None
    start_round(secrets.randbelow(MAX_ROUND + 1))


def on_replay() -> None:
    start_round(st.session_state.pred_round)


def answer_or_reveal(q: Question, traj: Trajectory, proxy: str, i: int, n: int) -> None:
    """Before an answer, the three answers as buttons (full width: easy to tap); after it, the truth."""
    if not st.session_state.pred_revealed:
        st.markdown("**Where will it end up?**")
        icons = {GOAL: ":material/star:", PROXY: ":material/change_history:", STUCK: ":material/block:"}
        if proxy == "corner":
            icons[PROXY] = ":material/north_east:"
        for end in ENDS:
            st.button(
                end_label(end, proxy).capitalize(),
                key=f"pred_{end}",
                icon=icons[end],
                on_click=on_answer,
                args=(end,),
                width="stretch",
            )
    else:
        truth = end_of(traj.outcome)
        said = st.session_state.pred_answers[-1]
        if said == truth:
            st.success(f"Right: it ended at **{end_label(truth, proxy)}**.", icon=":material/check_circle:")
        else:
            st.warning(
                f"You said **{end_label(said, proxy)}**; it ended at **{end_label(truth, proxy)}**."
                if truth != STUCK
                else f"You said **{end_label(said, proxy)}**; it **got stuck**.",
                icon=":material/cancel:",
            )
        outcome_badges(traj)
        st.markdown(verdict(traj))
        row = next(r for r in agent_card(q.agent)["evaluation"] if r["split"] == q.split)
        st.caption(
            population_sentence(q.agent, row, truth, proxy)
            + " Each maze of a round is a random maze of its kind on which the agent did what it does most often there."
        )
        last = i == n - 1
        st.button(
            "See your score" if last else "Next maze",
            type="primary",
            key="pred_next",
            on_click=on_next,
            icon=":material/scoreboard:" if last else ":material/arrow_forward:",
            width="stretch",
        )


if "pred_round" not in st.session_state:
    wanted = st.query_params.get("round")
    st.session_state.pred_error = None
    if wanted is None:
        start_round(secrets.randbelow(MAX_ROUND + 1))
    elif wanted.isdigit() and int(wanted) <= MAX_ROUND:
        start_round(int(wanted))
    else:
        seed = secrets.randbelow(MAX_ROUND + 1)
        st.session_state.pred_error = f"The link's round {wanted[:20]!r} is not a whole number from 0 to {MAX_ROUND:,}, so this is a new round ({seed})."
        start_round(seed)
phone = viewport()
# Before an answer or the next maze replaces the figure, stop it if it is still playing.
stop_playing(
    f"{st.session_state.pred_round}-{len(st.session_state.pred_answers)}-{st.session_state.pred_revealed}", "pred_still"
)
slots = round_slots(agent_names())
n = len(slots)
seed = st.session_state.pred_round
st.query_params["round"] = str(seed)  # the address bar holds the round, also after a visit to another page
answers: list[str] = st.session_state.pred_answers
revealed: bool = st.session_state.pred_revealed

st.title("Predict, then reveal")
st.caption(
    f"{n} mazes, each with a trained agent. Guess where the agent will end up: at the goal ★, at the "
    "feature that came with the goal in its training (the cue ▲ or the top-right corner), or stuck. "
    "Then watch its real run, played now by its network."
)
if st.session_state.pred_error:
    st.error(st.session_state.pred_error, icon=":material/link_off:")
if not slots:
    st.info("The round's agents are not shipped with this copy of the app (python -m gmg train).")
    st.stop()

order = round_order(seed, n)
i = len(answers) - 1 if revealed else len(answers)
if i < n:
    q, traj = question(seed, order[i])
    proxy = Proxy.from_card(agent_card(q.agent)).name
    right = score(answers, [end_of(question(seed, order[k])[1].outcome) for k in range(len(answers))])
    st.progress(
        (i + int(revealed)) / n,
        text=f"Maze {i + 1} of {n} · round {seed} · your score so far: {right} of {len(answers)}",
    )
    st.subheader(f"Maze {i + 1}: {q.kind}", anchor=False)
    st.caption(f"Agent `{q.agent}`: {card_story(agent_card(q.agent))} Rewarded only for reaching the goal.")
    # Side by side on a laptop, so the answer buttons sit beside the maze; stacked on a phone.
    left, right = st.columns([1.15, 1], gap="large")
    token = f"pred-{seed}-{i}" if revealed else None
    panel = Panel(q.layout, traj.path if revealed else (), proxy=traj.proxy, cue_fades=traj.cue_fades)
    with left:
        show_figure(maze_figure([panel], height=380 if phone else 440, width=phone, meta=token), key="pred_figure")
    if token:
        autoplay(token, "pred_figure")
    with right:
        answer_or_reveal(q, traj, proxy, i, n)
else:
    played = [question(seed, order[k]) for k in range(n)]
    truths = [end_of(t.outcome) for _, t in played]
    you = score(answers, truths)
    naive = score([GOAL] * n, truths)
    st.subheader("Your score", anchor=False)
    a, b = st.columns(2)
    a.metric("You", f"{you} of {n}")
    b.metric("Always “the goal”", f"{naive} of {n}", help="What a benchmark score on mazes like training suggests.")
    trained = [agent_card(a)["evaluation"][0]["intended_success"] for a in dict.fromkeys(q.agent for q, _ in played)]
    st.markdown(
        f"A predictor that always answers *the goal*, which is what the agents' scores on mazes like their training "
        f"ones suggest ({pct(min(trained))} to {pct(max(trained))} of 1,000 such mazes), gets {naive} of {n}. "
        + ("You beat it." if you > naive else "You tied with it." if you == naive else "It beat you this time.")
    )
    st.markdown(round_lesson([q.shifted for q, _ in played], truths, [t.proxy.name for _, t in played]))
    lines = []
    for k, ((q, t), said, truth) in enumerate(zip(played, answers, truths, strict=True)):
        mark = "✓" if said == truth else "✗"
        p = t.proxy.name
        lines.append(
            f"{k + 1}. {mark} `{q.agent}`, {q.kind}: you said {end_label(said, p)}, it ended at {end_label(truth, p)}."
        )
    st.markdown("\n".join(lines))
    a, b = st.columns(2)
    a.button("Play a new round", type="primary", on_click=on_new_round, icon=":material/refresh:", width="stretch")
    b.button("Play this round again", on_click=on_replay, icon=":material/replay:", width="stretch")

share_box(
    "Share this round",
    "pred_share_open",
    "predict",
    "?" + urlencode({"round": str(seed)}),
    f"round {seed}: the same {n} mazes and runs, for a whole room",
)
