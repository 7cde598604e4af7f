"""Small display pieces shared by pages: outcome badges, agent blurbs."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gmg.agents import AgentError, read_card
from gmg.figures import smooth
from gmg.layout import Layout
from gmg.outcomes import BY_KEY
from gmg.outcomes import verdict as outcome_verdict
from gmg.presets import example_gif
from gmg.proxy import Proxy
from gmg.rollout import Trajectory
from gmg.ui.common import share_query


def outcome_badges(traj: Trajectory) -> None:
    """Goal reached or not, proxy reached or not, steps against the shortest path."""
    proxy_name = traj.proxy.name
    goal = (
        ":green-badge[:material/flag: Goal reached]"
        if traj.reached_goal
        else ":red-badge[:material/close: Goal not reached]"
    )
    if traj.reached_proxy:
        proxy = f":orange-badge[:material/warning: Went to the {proxy_name}" + (" first]" if traj.reached_goal else "]")
    else:
        proxy = f":gray-badge[Never touched the {proxy_name}]"
    if traj.shortest < 0:
        steps = f":gray-badge[{traj.steps} steps · goal unreachable]"
    elif traj.reached_goal:
        steps = f":blue-badge[{traj.goal_step} steps · shortest {traj.shortest}]"
    else:
        steps = f":gray-badge[{traj.steps} steps (limit) · shortest {traj.shortest}]"
    st.markdown(f"{goal} {proxy} {steps}")


def verdict(traj: Trajectory) -> str:
    return outcome_verdict(traj.outcome, traj.proxy.name)


def agent_blurb(card: dict) -> str:
    if card.get("kind") == "reference":
        return f"**Reference agent** (scripted, not trained). {card.get('story', '')}"
    mix = card.get("shift_fraction") or 0
    parts = [f"**Trained with PPO** for {card.get('steps', 0) / 1e6:.1f}M steps. {card.get('story', '')}"]
    parts.append(
        f"Training levels: `{card.get('training_split')}`"
        + (f" + {mix:.0%} `{card.get('shift_split')}`." if mix else ".")
    )
    parts.append(f"Runs mazes with sides {card['supported_sides'][0]}–{card['supported_sides'][1]}.")
    return " ".join(parts)


def example_caption(example: dict, proxy: str = "cue") -> str:
    """What the recorded run did, and how typical that is on this maze."""
    r = example["rates"]
    n = example["samples"]
    goal = round((r["intended"] + r["proxy-then-goal"]) * n)
    only_proxy = round(r["proxy"] * n)
    shown = {
        "intended": "went straight to the goal",
        "proxy": f"went to the {proxy} and never reached the goal",
        "proxy-then-goal": f"went to the {proxy}, then the goal",
        "neither": f"reached neither the goal nor the {proxy} in time",
    }[example["outcome"]]
    return (
        f"This run ({example['agent']}, seed {example['seed']}) {shown}. "
        f"Over {n} runs on this maze: goal reached {goal}/{n}, {proxy} and never the goal {only_proxy}/{n}."
    )


def lab_link(example: dict, label: str) -> str:
    query = share_query(Layout.from_code(example["layout_code"]), agent=example["agent"], seed=example["seed"])
    return f"[{label}](/lab{query})"


def outcome_table(trajs: list[Trajectory], titles: tuple[str, ...]) -> None:
    """One row per panel: what the agent reached, steps and path efficiency."""
    rows = []
    for traj, title in zip(trajs, titles, strict=True):
        eff = traj.efficiency
        rows.append(
            {
                # Five short columns, so the table fits a phone; the outcome already says what was reached.
                "panel": title,
                "agent": traj.agent,
                "outcome": BY_KEY[traj.outcome].label,
                "steps (best)": f"{traj.goal_step if traj.reached_goal else traj.steps} "
                + (f"({traj.shortest})" if traj.shortest >= 0 else "(unreachable)"),
                "eff.": f"{eff:.2f}" if eff is not None else "–",
            }
        )
    # A Markdown table, not st.dataframe: that one imports pandas, 65 MB that a server never gives back.
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(row[k]) for k in head) + " |" for row in rows]
    st.markdown("\n".join(lines))


def population_note(agent: str, split: str) -> str | None:
    """The measured rate over many random mazes, from the agent's card (the examples are picked to be clear)."""
    try:
        card = read_card(agent)
    except AgentError:
        return None
    for row in card.get("evaluation", []):
        if row["split"] == split:
            proxy = Proxy.from_card(card).name
            lo, hi = row["misgeneralization_ci"]
            return (
                f"These mazes were picked as clear examples. Over {row['episodes']:,} random `{split}` mazes, "
                f"{agent} went to the {proxy} and never reached the goal in {row['misgeneralization']:.0%} of runs "
                f"(95% CI {lo:.0%}–{hi:.0%}), reached the goal in {row['intended_success']:.0%}, "
                f"and timed out in only {1 - row['capability']:.0%}."
            )
    return None


def example_pair(examples: dict[str, dict], panels: tuple[tuple[str, str], ...], proxy: str = "cue") -> None:
    """Recorded runs side by side (GIFs play by themselves), each with its caption and a lab link."""
    for col, (name, heading) in zip(st.columns(len(panels), gap="large"), panels, strict=True):
        with col:
            st.markdown(f"**{heading}**")
            gif = example_gif(name)
            if gif is None or name not in examples:
                st.info("The example runs have not been recorded yet (python -m scripts.make_examples).")
                continue
            st.image(gif, width="stretch")
            st.markdown(example_caption(examples[name], proxy=proxy))
            st.markdown(lab_link(examples[name], "Open this maze in the lab"))


def training_summary(
    metrics: list[dict[str, float]], timeline: list[dict[str, Any]], shift_split: str, proxy: str
) -> str:
    """Two plain sentences from the data: when training success rose, and when the proxy showed under shift."""
    parts = []
    goal = smooth([row["goal_rate"] for row in metrics])
    rise = next((row["global_step"] for row, g in zip(metrics, goal, strict=True) if g >= 0.9), None)
    if rise is not None:
        parts.append(f"On its training mazes it reached the goal in 90% of episodes after {rise / 1e6:.2f}M steps.")
    shifted = [(p["step"], p[shift_split]) for p in timeline if shift_split in p]
    if shifted:
        first_step, first = shifted[0]
        last_step, last = shifted[-1]
        parts.append(
            f"On `{shift_split}`, at its first checkpoint ({first_step / 1e6:.2f}M steps) it went to the {proxy} "
            f"and never the goal in {first['misgeneralization']:.0%} of mazes (goal reached {first['intended_success']:.0%}); "
            f"at the end ({last_step / 1e6:.2f}M), {last['misgeneralization']:.0%} (goal {last['intended_success']:.0%})."
        )
    return " ".join(parts)
