"""Views of the agent's insides shared by the lab and the Inside page: steering controls, the attribution strip, the
fork's note."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gmg.figures import Strip
from gmg.inside import STEER_RANGE, attribution, find_fork, fork_probs, steering_vectors
from gmg.layout import Layout
from gmg.outcomes import QUANTITIES
from gmg.proxy import Proxy
from gmg.rollout import Trajectory
from gmg.ui.common import Steer, held, held_index

VECTOR_LABELS = {"cue": "cue vector", "goal": "goal vector", "random": "random vector (control)"}
GOAL_COLOR = QUANTITIES["intended_success"].color
PROXY_COLOR = QUANTITIES["misgeneralization"].color


def vector_options(agent: str) -> list[tuple[str, int]]:
    """(vector kind, layer) pairs shipped for ``agent``, the cue vector first; [] for agents without any."""
    vectors = steering_vectors(agent)
    order = [k for k in VECTOR_LABELS if k in vectors]
    return [(kind, layer) for kind in order for layer in sorted(vectors[kind])]


def steer_label(option: tuple[str, int]) -> str:
    return f"{VECTOR_LABELS[option[0]]}, layer {option[1] + 1}"


def steer_controls(prefix: str, agent: str) -> Steer | None:
    """A vector picker and a coefficient slider; None when the agent has no shipped vectors."""
    options = vector_options(agent)
    if not options:
        st.caption(f"{agent} has no steering vectors: they are computed for the trained main agents only.")
        return None
    if st.session_state.get(f"{prefix}_vector") not in options:
        st.session_state[f"{prefix}_vector"] = options[0]
    st.session_state.setdefault(f"{prefix}_coef", 0.0)
    a, b = st.columns([1.3, 1], vertical_alignment="bottom")
    option = a.selectbox(
        "Vector", options, held_index(f"{prefix}_vector", options), format_func=steer_label, key=f"{prefix}_vector"
    )
    coef = b.slider("Coefficient", *STEER_RANGE, value=held(f"{prefix}_coef", 0.0), step=0.25, key=f"{prefix}_coef")
    return (option[0], int(option[1]), float(coef))


def attribution_strip(model: Any, traj: Trajectory) -> Strip:
    """The run's attribution as two curves under the maze: goal removed, and the proxy occluded."""
    at = attribution(model, traj.layout, traj.path, traj.proxy)
    return Strip(
        [("goal removed", GOAL_COLOR, at.goal.tolist()), (at.proxy_label, PROXY_COLOR, at.proxy.tolist())],
        # Short enough for a phone: the colours name the curves.
        title=f"Change in its next step with the <span style='color:{GOAL_COLOR}'>goal removed</span> · "
        f"<span style='color:{PROXY_COLOR}'>{at.proxy_label}</span>",
    )


def fork_note(model: Any, layout: Layout, proxy: Proxy) -> tuple[tuple[int, int] | None, str]:
    """The fork's cell and one sentence with the policy's two probabilities there (no fork: why not)."""
    fork = find_fork(layout, proxy)
    if fork is None:
        return None, (
            f"No fork here: the ways to the goal and to the {proxy.name} never part (one lies on the way to the "
            "other, or the start is on one), or one of them cannot be reached."
        )
    p_goal, p_proxy = (float(v[0]) for v in fork_probs(model, [layout], [fork]))
    where = f"row {fork.cell[0]}, col {fork.cell[1]}"
    return fork.cell, (
        f"**Fork ◇** ({where}): the ways to the goal and to the {proxy.name} part here. "
        f"P(step toward the goal) **{p_goal:.2f}** · P(step toward the {proxy.name}) **{p_proxy:.2f}**."
    )
