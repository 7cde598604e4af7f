"""Small display pieces shared by pages: outcome badges, agent blurbs."""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from gmg.agents import AgentError, card_story
from gmg.figures import smooth
from gmg.layout import Layout
from gmg.outcomes import BY_KEY, QUANTITIES, pct
from gmg.outcomes import verdict as outcome_verdict
from gmg.presets import load_examples
from gmg.proxy import Proxy
from gmg.rollout import Trajectory, repeats_a_move, revisits
from gmg.ui.chapters import is_waypoint, seed_runs, shift_row
from gmg.ui.common import agent_card, send_to_lab


def badges_text(traj: Trajectory) -> str:
    """Goal reached or not, proxy reached or not, steps against the shortest path (Streamlit badge Markdown)."""
    proxy_name = traj.proxy.name
    if traj.reached_goal:
        goal = ":green-badge[:material/flag: Goal reached]"
    elif traj.shortest < 0:
        goal = ":gray-badge[:material/block: Goal unreachable]"
    else:
        goal = ":red-badge[:material/close: Goal not reached]"
    if traj.reached_proxy:
        proxy = f":orange-badge[:material/warning: Went to the {proxy_name}" + (" first]" if traj.reached_goal else "]")
    else:
        proxy = f":gray-badge[Never touched the {proxy_name}]"
    if traj.shortest < 0:
        steps = f":gray-badge[{traj.steps} steps · no path to the goal]"
    elif traj.reached_goal:
        steps = f":blue-badge[{traj.goal_step} steps · shortest {traj.shortest}]"
    else:
        steps = f":gray-badge[{traj.steps} steps (limit) · shortest {traj.shortest}]"
    return f"{goal} {proxy} {steps}"


def outcome_badges(traj: Trajectory) -> None:
    st.markdown(badges_text(traj))


def verdict(traj: Trajectory) -> str:
    """The verdict for this run; on a maze whose goal cannot be reached, one that says so instead of judging it.

    With no way to the goal, going to the proxy is not a wrong choice and a timeout is not a lack of skill, so the
    outcome classes' verdicts (:mod:`gmg.outcomes`) would contradict the badges.
    """
    proxy = traj.proxy.name
    if traj.shortest < 0:
        did = (
            f"It went to the **{proxy}**"
            if traj.reached_proxy
            else f"It reached neither the goal nor the {proxy} before the step limit"
        )
        return (
            f"{did}, but the goal **cannot be reached** in this maze, so this run cannot tell which goal it learned: "
            "open a path to the goal and run again."
        )
    said = outcome_verdict(traj.outcome, proxy)
    if traj.outcome == "neither":
        said += " " + circles(traj.path, traj.greedy)
    return said


def circles(path: list, greedy: bool) -> str:
    """What a run that timed out did with its time, measured from its path: how much of it went over old ground,
    and, with greedy actions, whether it was caught in a loop."""
    loop = greedy and repeats_a_move(path)
    steps = len(path) - 1
    text = f"It went over old ground: {revisits(path)} of its {steps} steps ended on a cell it had already visited"
    return text + (
        ", and it made the same move twice: with greedy actions that is a loop it repeats for ever." if loop else "."
    )


def agent_blurb(card: dict) -> str:
    if card.get("kind") == "reference":
        return f"**Reference agent** (scripted, not trained). {card_story(card)}"
    mix = card.get("shift_fraction") or 0
    parts = [f"**Trained with PPO** for {card.get('steps', 0) / 1e6:.1f}M steps. {card_story(card)}"]
    parts.append(
        f"Training levels: `{card.get('training_split')}`"
        + (f" + {pct(mix)} `{card.get('shift_split')}`." if mix else ".")
    )
    parts.append(f"Runs mazes with sides {card['supported_sides'][0]}–{card['supported_sides'][1]}.")
    return " ".join(parts)


def example_caption(example: dict, proxy: str = "cue") -> str:
    """What the recorded run did, and how typical that is on this maze."""
    r = example["rates"]
    n = example["samples"]
    goal = round((r["intended"] + r["proxy-then-goal"]) * n)
    only_proxy = round(r["proxy"] * n)
    try:  # a waypoint's story is going to it first; the others', ending there
        waypoint = is_waypoint(agent_card(example["agent"]))
    except AgentError:
        waypoint = False
    if waypoint:
        tally = f"{proxy} first {round((r['proxy'] + r['proxy-then-goal']) * n)}/{n}"
    else:
        tally = f"{proxy} and never the goal {only_proxy}/{n}"
    shown = {
        "intended": "went straight to the goal",
        "proxy": f"went to the {proxy} and never reached the goal",
        "proxy-then-goal": f"went to the {proxy}, then the goal",
        "neither": f"reached neither the goal nor the {proxy} in time",
    }[example["outcome"]]
    return (
        f"This run ({example['agent']}, seed {example['seed']}) {shown}. "
        f"Over {n} runs on this maze: goal reached {goal}/{n}, {tally}."
    )


def maze_label(layout: Layout) -> str:
    """A short name for a maze: its preset's name, else its size."""
    from gmg.presets import load_preset, preset_names

    for name in preset_names():
        if load_preset(name) == layout:
            return name
    return f"{layout.height}×{layout.width} maze"


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


def pct_ci(rate: float, ci: tuple[float, float] | list[float]) -> str:
    """A rate with its 95% interval, as people write it: 79% (76–81%)."""
    lo, hi = ci
    return f"{pct(rate)} ({round(lo * 100)}–{pct(hi)})"  # one % sign in the interval: narrow enough for a phone


def _pct_ci_html(rate: float, ci: tuple[float, float] | list[float]) -> str:
    """:func:`pct_ci` for a narrow cell: it may break before the interval, never inside it."""
    rate_text, interval = pct_ci(rate, ci).split(" ", 1)
    return f'{rate_text} <span style="white-space:nowrap">{interval}</span>'


TABLE_CSS = (
    "<style>.gmg-rates{border-collapse:collapse;font-size:12px;line-height:1.3;width:100%;margin-bottom:1rem}"
    ".gmg-rates th,.gmg-rates td{border:1px solid rgba(49,51,63,.15);padding:3px 4px;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word}</style>"
)


def rates_table(rows: list[dict], keys: tuple[str, ...], label_key: str = "condition", header: str = "") -> str:
    """Result rows as a compact HTML table: human headers, rates written "79% (76–81%)", narrow enough for a phone.

    HTML rather than st.dataframe (which imports pandas and scrolls sideways) or a Markdown table (whose 16 px
    text and padding ran past a phone's edge). Each header may break inside its word at a soft hyphen.
    """
    first = header or ("condition" if label_key in rows[0] else "agent · split")
    heads = [first] + [html.escape(QUANTITIES[k].label).replace("misgeneral", "misgeneral&shy;") for k in keys]
    out = [TABLE_CSS, '<table class="gmg-rates"><thead><tr>']
    out += [f"<th>{h}</th>" for h in heads]
    out.append("</tr></thead><tbody>")
    for r in rows:
        label = r[label_key] if label_key in r else f"{r['agent']} · {r['split']}"
        out.append(f"<tr><td>{html.escape(label)}</td>")
        out += [f'<td class="num">{_pct_ci_html(r[k], r[k + "_ci"])}</td>' for k in keys]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def show_rates_table(rows: list[dict], keys: tuple[str, ...], label_key: str = "condition", header: str = "") -> None:
    st.markdown(rates_table(rows, keys, label_key, header), unsafe_allow_html=True)


@st.cache_data(show_spinner=False, ttl=60)
def seeds_note(agent: str, key: str, did: str) -> str:
    """ "The same recipe's 5 training seeds went to the cue first in 0% to 51%": the spread behind one agent's rate,
    when more than one seed ships ("" otherwise). A recipe whose seeds disagree must not read as one number."""
    runs = seed_runs(agent)
    if len(runs) < 2:
        return ""
    values = [shift_row(r.card)[key] for r in runs]
    return (
        f" The same recipe's {len(runs)} training seeds {did} in {pct(min(values))} to {pct(max(values))} of such "
        "mazes (the seed lottery)."
    )


def detour_note(agent: str, split: str) -> str | None:
    """The path scenario's measured rates from the agent's card: how often it went out of its way for the cue."""
    try:
        row = next(r for r in agent_card(agent).get("evaluation", []) if r["split"] == split)
    except (AgentError, StopIteration):
        return None
    lo, hi = row["proxy_first_ci"]
    first = row["outcomes"]["intended"] / row["episodes"]
    return (
        f"These mazes were picked as clear examples. Over {row['episodes']:,} random `{split}` mazes, "
        f"{agent} went to the cue first, a detour of at least 6 steps, "
        f"in {pct(row['proxy_first'])} of runs (95% CI {pct(lo)}–{pct(hi)}); in {pct(row['misgeneralization'])} it never "
        f"reached the goal. In {pct(first)} it went straight for the goal."
        + seeds_note(agent, "proxy_first", "went to the cue first")
    )


def population_note(agent: str, split: str) -> str | None:
    """The measured rate over many random mazes, from the agent's card (the examples are picked to be clear)."""
    try:
        card = agent_card(agent)
    except AgentError:
        return None
    for row in card.get("evaluation", []):
        if row["split"] == split:
            proxy = Proxy.from_card(card).name
            lo, hi = row["misgeneralization_ci"]
            return (
                f"These mazes were picked as clear examples. Over {row['episodes']:,} random `{split}` mazes, "
                f"{agent} went to the {proxy} and never reached the goal in {pct(row['misgeneralization'])} of runs "
                f"(95% CI {pct(lo)}–{pct(hi)}), reached the goal in {pct(row['intended_success'])}, "
                f"and timed out in only {pct(1 - row['capability'])}."
                + seeds_note(agent, "misgeneralization", f"went to the {proxy} and never reached the goal")
            )
    return None


@st.cache_resource(show_spinner=False, max_entries=8)
def example_gif_bytes(name: str) -> bytes | None:
    """A recorded run as a GIF drawn now by :func:`gmg.gif.trajectory_gif` (title, legend, sharp at the column's
    width), once per server process; the recorded path comes from examples.json."""
    from gmg.agents import read_card
    from gmg.gif import trajectory_gif

    ex = load_examples().get(name)
    if ex is None:
        return None
    layout = Layout.from_code(ex["layout_code"])
    # read_card, not the cached agent_card: app.py's warm-up thread draws these outside any script run.
    card = read_card(ex["agent"])
    # 560 px wide: the landing page's columns are about 540 px on a laptop, so the browser only shrinks it.
    cell = max(24, -(-560 // layout.width))
    return trajectory_gif(
        layout,
        ex["path"],
        cell=cell,
        proxy=Proxy.from_card(card),
        agent=ex["agent"],
        maze=name,
        cue_fades=bool(card.get("cue_fades", False)),
    )


def example_pair(examples: dict[str, dict], panels: tuple[tuple[str, str], ...], proxy: str = "cue") -> None:
    """Recorded runs side by side (GIFs play by themselves), each with its caption and a button to the lab."""
    for col, (name, heading) in zip(st.columns(len(panels), gap="large"), panels, strict=True):
        with col:
            st.markdown(f"**{heading}**")
            gif = example_gif_bytes(name) if name in examples else None
            if gif is None:
                st.info("The example runs have not been recorded yet (python -m scripts.make_examples).")
                continue
            st.image(gif, width="stretch")
            ex = examples[name]
            st.markdown(example_caption(ex, proxy=proxy))
            # A button, not a link: a link opened a new tab with a fresh session and no run.
            if st.button("Open this maze in the lab", key=f"to_lab_{name}", icon=":material/science:"):
                send_to_lab(Layout.from_code(ex["layout_code"]), ex["agent"], int(ex["seed"]))


def scenario_section(
    examples: dict[str, dict],
    heading: str,
    caption: str,
    panels: tuple[tuple[str, str], ...],
    note: str | None,
    proxy: str = "cue",
) -> None:
    """One scenario on the landing page: a heading, what the agent trained on, its recorded runs side by side, and
    the card's rate over 1,000 random mazes (``note``, from :func:`population_note` or :func:`detour_note`)."""
    st.subheader(heading, anchor=False)
    if caption:
        st.caption(caption)
    example_pair(examples, panels, proxy=proxy)
    if note:
        st.caption(note)


def training_summary(
    metrics: list[dict[str, float]],
    timeline: list[dict[str, Any]],
    shift_split: str,
    proxy: str,
    waypoint: bool = False,
) -> str:
    """Two plain sentences from the data: when training success rose, and when the proxy showed under shift (the
    proxy and never the goal, or for a ``waypoint``, the proxy before the goal)."""
    parts = []
    goal = smooth([row["goal_rate"] for row in metrics])
    rise = next((row["global_step"] for row, g in zip(metrics, goal, strict=True) if g >= 0.9), None)
    if rise is not None:
        parts.append(f"On its training mazes it reached the goal in 90% of episodes after {rise / 1e6:.2f}M steps.")
    shifted = [(p["step"], p[shift_split]) for p in timeline if shift_split in p]
    if shifted:
        first_step, first = shifted[0]
        last_step, last = shifted[-1]
        # The goal ends a run, so reaching the proxy at all is reaching it first.
        key, did = ("proxy_success", "first") if waypoint else ("misgeneralization", "and never the goal")
        parts.append(
            f"On `{shift_split}`, at its first checkpoint ({first_step / 1e6:.2f}M steps) it went to the {proxy} "
            f"{did} in {pct(first[key])} of mazes (goal reached {pct(first['intended_success'])}); "
            f"at the end ({last_step / 1e6:.2f}M), {pct(last[key])} (goal {pct(last['intended_success'])})."
        )
    return " ".join(parts)
