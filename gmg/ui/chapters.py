"""The explainer's chapters (predict, training, seeds): what they compute, without Streamlit.

Every number the chapter pages print comes from here, from the shipped agents' cards, timelines and live runs, so
``python -m scripts.chapters`` prints the same numbers as the pages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gmg.agents import AGENTS_DIR, read_card, read_timeline, trained_names
from gmg.layout import Layout
from gmg.outcomes import pct
from gmg.presets import preset_names
from gmg.proxy import Proxy
from gmg.rollout import Agent, Trajectory, run
from gmg.splits import Split

SEEDS_DIR = AGENTS_DIR / "seeds"
CHECKPOINTS_DIR = AGENTS_DIR / "checkpoints"

# ---------------------------------------------------------------------------------------------------------------
# Where a run ends: the three answers a visitor can give.

GOAL, PROXY, STUCK = "goal", "proxy", "stuck"
ENDS = (GOAL, PROXY, STUCK)


def end_of(outcome: str) -> str:
    """Where a run ended, from its outcome class: the goal (first or after the proxy), the proxy only, or nowhere."""
    return {"intended": GOAL, "proxy-then-goal": GOAL, "proxy": PROXY}.get(outcome, STUCK)


def end_label(end: str, proxy: str) -> str:
    """The answer as a visitor reads it: "the goal", "the cue" / "the corner", "gets stuck"."""
    return {GOAL: "the goal", PROXY: f"the {proxy}", STUCK: "gets stuck"}[end]


def run_ending(t: Trajectory, proxy: str, short: bool = False) -> str:
    """How one run ended, for a panel's title: its end, or "the cue, then the goal" for a run that took in its proxy
    on the way (on a waypoint maze, the detour is the story). ``short`` drops the articles ("cue, then goal") for
    narrow panels."""
    words = f"the {proxy}, then the goal" if t.outcome == "proxy-then-goal" else end_label(end_of(t.outcome), proxy)
    return words.replace("the ", "") if short else words


def end_rate(row: dict, end: str) -> tuple[float, tuple[float, float]]:
    """The card's rate of runs that end this way over its 1,000 mazes, with the 95% interval.

    The three ends partition the episodes: the goal reached (intended success), the proxy and never the goal
    (misgeneralization), and neither (1 - capability).
    """
    if end == GOAL:
        return row["intended_success"], tuple(row["intended_success_ci"])
    if end == PROXY:
        return row["misgeneralization"], tuple(row["misgeneralization_ci"])
    lo, hi = row["capability_ci"]
    return 1 - row["capability"], (1 - hi, 1 - lo)


def modal_end(row: dict) -> str:
    """What the agent most often does on mazes of this split, by the card."""
    return max(ENDS, key=lambda end: end_rate(row, end)[0])


# ---------------------------------------------------------------------------------------------------------------
# Predict, then reveal: a round of mazes.

ROUND_SIZE = 8
MAX_ROUND = 999_999
# (agent, row of its card's evaluation: 0 its training split, 1 its shift). Five shifted mazes, three like training:
# the shifted cue and corner mazes are where "it will reach the goal" is wrong; the path agent mostly reaches it.
ROUND_SLOTS = (
    ("cue-always", 0),
    ("cue-always", 1),
    ("cue-always", 1),
    ("corner", 0),
    ("corner", 1),
    ("corner", 1),
    ("cue-on-path", 0),
    ("cue-on-path", 1),
)
# How many random mazes of a slot's split are tried for one where the agent does what it does most often.
CANDIDATES = 40
SHIFT_WORDS = {
    "cue": ("the cue ▲ next to the goal ★, as in training", "the cue ▲ moved away from the goal ★"),
    "corner": ("the goal ★ in the top-right corner, as in training", "the goal ★ moved out of the corner"),
    "path": ("the cue ▲ on the way to the goal ★, as in training", "the cue ▲ off the way to the goal ★"),
}


@dataclass(frozen=True)
class Question:
    """One maze of a round: which agent, which split it was drawn from, and the seed its live run uses."""

    agent: str
    split: str
    shifted: bool
    layout: Layout
    run_seed: int

    @property
    def kind(self) -> str:
        """ "like training" or "shifted", and how."""
        scenario = self.split.partition("/")[0]
        return SHIFT_WORDS.get(scenario, ("like training", "shifted"))[int(self.shifted)]


def round_slots(names: Sequence[str] | None = None) -> list[tuple[str, int]]:
    """The round's slots whose agent ships (a missing agent's slots are left out), in a fixed order."""
    have = set(trained_names() if names is None else names)
    return [slot for slot in ROUND_SLOTS if slot[0] in have]


def round_order(round_seed: int, n: int) -> list[int]:
    """The order a round shows its slots in: shuffled by the round's seed, so rounds differ but links replay."""
    return [int(i) for i in np.random.default_rng([round_seed, 7]).permutation(n)]


def pick_question(agent: Agent, row: dict, round_seed: int, slot: int) -> tuple[Question, Trajectory]:
    """A maze of the row's split on which the agent's live run ends as it most often does there (by the card).

    Candidates are layouts ``[round_seed, slot, k]`` of the split, each run with seed of the same numbers; the first
    that ends as the card's most common end is kept (the last candidate if none does). Deterministic per round.
    """
    split = Split.parse(row["split"])
    want = modal_end(row)
    for k in range(CANDIDATES):
        layout = split.sample([round_seed, slot, k])
        run_seed = int(np.random.default_rng([round_seed, slot, k]).integers(2**31 - 1))
        traj = run(agent, layout, seed=run_seed)
        if end_of(traj.outcome) == want:
            break
    question = Question(agent.card["name"], row["split"], split.shifted, layout, run_seed)
    return question, traj


def score(answers: Sequence[str], truths: Sequence[str]) -> int:
    return sum(a == t for a, t in zip(answers, truths, strict=False))


def population_sentence(agent: str, row: dict, end: str, proxy: str) -> str:
    """ "Over 1,000 mazes like this one, cue-always went to the cue in 60% of runs (95% CI 57–63%) ...", from the card."""
    rate, (lo, hi) = end_rate(row, end)
    did = {
        GOAL: "reached the goal",
        PROXY: f"went to the {proxy} and never reached the goal",
        STUCK: "got stuck (reached neither before the step limit)",
    }[end]
    others = [e for e in ENDS if e != end]
    rest = ", ".join(f"{_end_short(e, proxy)} {pct(end_rate(row, e)[0])}" for e in others)
    return (
        f"Over {row['episodes']:,} random mazes like this one (`{row['split']}`), {agent} {did} in {pct(rate)} "
        f"of runs (95% CI {pct(lo)}–{pct(hi)}); {rest}."
    )


def _end_short(end: str, proxy: str) -> str:
    return {GOAL: "goal", PROXY: f"{proxy} only", STUCK: "stuck"}[end]


def round_lesson(shifted: Sequence[bool], truths: Sequence[str], proxies: Sequence[str]) -> str:
    """The paragraph after a round: preserved capability, the proxy, distribution shift, in this round's numbers."""
    n_train = sum(not s for s in shifted)
    n_shift = len(shifted) - n_train
    train_goal = sum(t == GOAL for s, t in zip(shifted, truths, strict=True) if not s)
    shift_goal = sum(t == GOAL for s, t in zip(shifted, truths, strict=True) if s)
    shift_proxy = sum(t == PROXY for s, t in zip(shifted, truths, strict=True) if s)
    shift_stuck = n_shift - shift_goal - shift_proxy
    kinds = " or ".join(f"the {p}" for p in dict.fromkeys(proxies))
    stuck_words = "they never got stuck" if shift_stuck == 0 else f"they got stuck in only {shift_stuck} of {n_shift}"
    return (
        f"On the {n_train} mazes like training the agents reached the goal in {train_goal} of {n_train}: that is what a "
        "benchmark score, measured on mazes like the training ones, reports. The other "
        f"{n_shift} mazes had a **distribution shift**: a feature that always came with the goal in training was "
        f"moved. There the agents kept their **capability** ({stuck_words}) "
        f"but in {shift_proxy} of {n_shift} they walked to **the proxy**, {kinds}, and never reached the goal. "
        "The reward was only ever for the goal; what the agents learned was the feature that came with it. "
        "That is goal misgeneralization: the skill carried over to the new mazes, the goal did not."
    )


# ---------------------------------------------------------------------------------------------------------------
# How the proxy is learned: checkpoints.


def checkpoint_files(name: str, directory: Path = CHECKPOINTS_DIR) -> list[tuple[int, Path]]:
    """(training step, weights file) of each shipped checkpoint of ``name``, in training order."""
    files = sorted((directory / name).glob("step*.safetensors"))
    return [(int(p.stem.removeprefix("step")), p) for p in files]


def timeline_agents() -> list[str]:
    """Trained agents with both a timeline and checkpoints, so the page can chart them and run any checkpoint."""
    return [n for n in trained_names() if read_timeline(n) and checkpoint_files(n)]


def card_splits(card: dict) -> tuple[str, str]:
    """The agent's training split and its shift: the first two rows of its card's evaluation."""
    rows = card["evaluation"]
    return rows[0]["split"], rows[1]["split"]


def learning_story(timeline: Sequence[dict], shift_split: str, proxy: str, waypoint: bool = False) -> str:
    """Answer, from the checkpoints on the shift split: did the agent first learn the goal and drift to the proxy,
    or learn the proxy from the start (or the goal and keep it)? For a ``waypoint``: did it go out of its way for the
    proxy, and still reach the goal? The words follow the numbers."""
    points = [(p["step"], p[shift_split]) for p in timeline if shift_split in p]
    if not points:
        return ""
    (s0, first), (s1, last) = points[0], points[-1]
    if waypoint:  # the goal ends a run, so reaching the proxy at all is reaching it first
        a, b = first["proxy_success"], last["proxy_success"]
        if b >= 0.5:
            when = "from the start" if a >= 0.5 else "as it trained"
            head = f"**It went out of its way for the {proxy} {when}" + (
                ", and still reached the goal.**" if last["intended_success"] >= 0.9 else ".**"
            )
        else:
            head = "**It learned to go straight for the goal.**"
        return (
            f"{head} On shifted mazes (`{shift_split}`), at its first checkpoint ({s0 / 1e6:.1f}M steps) it went to "
            f"the {proxy} first in {pct(a)} of mazes and reached the goal in {pct(first['intended_success'])}; at the "
            f"end ({s1 / 1e6:.1f}M steps), {pct(b)} and {pct(last['intended_success'])}."
        )
    goal_first = first["intended_success"] >= first["misgeneralization"]
    goal_last = last["intended_success"] >= last["misgeneralization"]
    peak_step, peak = max(points, key=lambda sp: sp[1]["intended_success"])
    at = f"at its first checkpoint ({s0 / 1e6:.1f}M steps)"
    start = (
        f"On shifted mazes (`{shift_split}`), {at} it went to the {proxy} and never reached the goal in "
        f"{pct(first['misgeneralization'])} of mazes and reached the goal in {pct(first['intended_success'])}"
    )
    end = (
        f"at the end ({s1 / 1e6:.1f}M steps), {pct(last['misgeneralization'])} to the {proxy} only and "
        f"{pct(last['intended_success'])} to the goal"
    )
    if not goal_first and not goal_last:
        always = all(p["misgeneralization"] > p["intended_success"] for _, p in points)
        shrank = last["misgeneralization"] < first["misgeneralization"] - 0.02
        trend = (
            f"Training shrank that share ({pct(first['misgeneralization'])} → {pct(last['misgeneralization'])}), but "
            if shrank
            else ""
        )
        stayed = f"the {proxy} stayed its main pursuit " + ("at every checkpoint." if always else "at the end.")
        return f"**It learned the {proxy} from the start, not the goal first.** {start}; {end}. " + (
            trend + stayed if trend else stayed[0].upper() + stayed[1:]
        )
    if goal_first and not goal_last:
        return (
            f"**It first learned the goal, then drifted to the {proxy}.** {start}; goal-reaching peaked at "
            f"{pct(peak['intended_success'])} ({peak_step / 1e6:.1f}M steps), and {end}."
        )
    if not goal_first and goal_last:
        return f"**It learned the {proxy} first, then the goal took over.** {start}; {end}."
    return f"**It learned the goal, and kept it.** {start}; {end}."


# ---------------------------------------------------------------------------------------------------------------
# The seed lottery.


@dataclass(frozen=True)
class SeedRun:
    """One training run of a recipe: its seed and the directory its card and weights are in."""

    seed: int
    directory: Path
    card: dict


def seed_runs(name: str, seeds_dir: Path = SEEDS_DIR) -> list[SeedRun]:
    """Every shipped seed of ``name``'s recipe, by seed: the main agent and each ``seeds/sN`` that holds it."""
    runs = [SeedRun(int(read_card(name)["seed"]), AGENTS_DIR, read_card(name))]
    for d in sorted(p for p in seeds_dir.glob("s*") if p.is_dir()):
        if name in trained_names(d):
            card = read_card(name, d)
            runs.append(SeedRun(int(card["seed"]), d, card))
    return sorted(runs, key=lambda r: r.seed)


def seeded_agents() -> list[str]:
    """Trained agents with more than one seed shipped."""
    return [n for n in trained_names() if len(seed_runs(n)) > 1]


def scenario_presets(card: dict) -> list[str]:
    """The scenario's preset mazes (shifted first): the landing page's examples."""
    scenario = card.get("scenario", "cue")
    return [p for p in (f"{scenario}-shifted", f"{scenario}-training") if p in preset_names()]


def shift_row(card: dict) -> dict:
    return card["evaluation"][1]


def seed_rows(agents: Sequence[str]) -> dict[str, list[tuple[int, dict]]]:
    """Per agent, each shipped seed with its card's shift-split row (what :func:`gmg.figures.seed_dots_figure` draws)."""
    return {name: [(r.seed, shift_row(r.card)) for r in seed_runs(name)] for name in agents}


@dataclass(frozen=True)
class Spread:
    """One recipe's rate on its shift split across seeds."""

    agent: str
    split: str
    key: str
    values: tuple[float, ...]
    half_ci: float  # the mean half-width of one seed's 95% interval

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))


def spread(name: str, key: str | None = None) -> Spread:
    """The recipe's rate across its seeds: by default the one that tells its proxy story (:func:`proxy_key`)."""
    runs = seed_runs(name)
    key = key or proxy_key(runs[0].card)
    rows = [shift_row(r.card) for r in runs]
    half = float(np.mean([(r[key + "_ci"][1] - r[key + "_ci"][0]) / 2 for r in rows]))
    return Spread(name, rows[0]["split"], key, tuple(r[key] for r in rows), half)


def points(rate_gap: float) -> str:
    """A difference of two rates in percentage points: "1 point", "58 points"."""
    n = round(100 * rate_gap)
    return f"{n} point" + ("" if n == 1 else "s")


def seed_lesson(agents: Sequence[str]) -> str:
    """How much is the data and how much is luck: the spread across seeds against the gap between recipes of a
    scenario (trained on different mazes), all on the shift split's misgeneralization."""
    spreads = {name: spread(name) for name in agents}
    lines = [
        f"- **{s.agent}**, {len(s.values)} seeds: {pct(s.low)} to {pct(s.high)} on `{s.split}`"
        + (" (went to the cue first)" if s.key == "proxy_first" else "")
        + f", a spread of {points(s.high - s.low)}"
        for s in spreads.values()
    ]
    widest = max(spreads.values(), key=lambda s: s.high - s.low)
    half = float(np.mean([s.half_ci for s in spreads.values()]))
    text = (
        "How often each recipe went to its proxy and never reached the goal on shifted mazes (for a waypoint: went "
        "to it first), across its seeds:\n\n"
        + "\n".join(lines)
        + f"\n\nOne evaluation's own 95% interval is about ±{points(half)}, so the widest seed spread "
        f"({widest.agent}, {points(widest.high - widest.low)}) is "
        + ("within" if widest.high - widest.low <= 2 * half else "beyond")
        + " what measuring 1,000 mazes alone would give."
    )
    # The data's effect: recipes of one scenario (same split) trained on different mazes.
    by_split: dict[str, list[Spread]] = {}
    for s in spreads.values():
        by_split.setdefault(s.split, []).append(s)
    gaps = [
        (max(group, key=lambda s: s.mean), min(group, key=lambda s: s.mean))
        for group in by_split.values()
        if len(group) > 1
    ]
    if gaps:
        hi, lo = max(gaps, key=lambda pair: pair[0].mean - pair[1].mean)
        gap = 100 * (hi.mean - lo.mean)
        luck = 100 * (widest.high - widest.low)
        if gap > 3 * max(luck, 1):
            verdict = "What an agent learned here is mostly the data; the seed is a small lottery on top."
        elif gap > 1.5 * luck:
            verdict = (
                "The data matters more, but the seed is no small lottery: one training run is not enough to judge a "
                "recipe."
            )
        else:
            verdict = (
                "Here the seed matters about as much as the data: one training run is not enough to judge a recipe."
            )
        text += (
            f" Changing the training data instead ({lo.agent} against {hi.agent}, mean over seeds) moves it by "
            f"{points(gap / 100)}. {verdict}"
        )
    return text


# ---------------------------------------------------------------------------------------------------------------
# Figures: several maze panels as a grid (the seed panels on a phone).


def as_grid(fig: dict, n: int, cols: int) -> dict:
    """Rearrange a one-row :func:`gmg.figures.maze_figure` of ``n`` titled panels into rows of ``cols`` (titles
    centred over their mazes either way).

    The figure keeps its frames and single Play control; only the panels' domains, their titles, the legend's place
    and the height change. Each title sits in its own band above its maze.
    """
    layout = fig["layout"]
    # Plotly anchors an annotation by its x when not told (left of a third, right past two thirds): centre each.
    for note in layout["annotations"]:
        note["xanchor"] = "center"
    if cols >= n:
        return fig
    for note in layout["annotations"]:  # rows of narrow panels: a smaller title fits "seed 3: cue, then goal"
        note["font"] = {**note.get("font", {}), "size": 12}
    margin = layout["margin"]
    maze_px = layout["height"] - margin["t"] - margin["b"]  # each panel keeps its height in pixels
    title_px = 24
    legend_px = margin["t"] - title_px  # a titled one-row figure's top margin holds the legend and the titles
    rows = math.ceil(n / cols)
    band = maze_px + title_px
    plot_px = rows * band
    gap = 0.04
    width = (1 - gap * (cols - 1)) / cols
    titles = layout["annotations"]
    for i in range(n):
        suffix = "" if i == 0 else str(i + 1)
        r, c = divmod(i, cols)
        top = 1 - (r * band + title_px) / plot_px
        layout[f"xaxis{suffix}"]["domain"] = [c * (width + gap), c * (width + gap) + width]
        layout[f"yaxis{suffix}"]["domain"] = [top - maze_px / plot_px, top]
        if i < len(titles):
            titles[i]["x"] = c * (width + gap) + width / 2
            titles[i]["y"] = top
    layout["legend"]["y"] = 1.0
    margin["t"] = legend_px
    layout["height"] = plot_px + legend_px + margin["b"]
    return fig


def proxy_of(card: dict) -> str:
    return Proxy.from_card(card).name


# ---------------------------------------------------------------------------------------------------------------
# Same mazes, different network: one recipe trained on two networks (gmg.network).

NETWORK_PAIRS = (("corner", "corner-plan"), ("cue-on-path", "cue-on-path-plan"))


def network_pairs(names: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The (main agent, the same recipe on another network) pairs whose two agents both ship."""
    have = set(trained_names() if names is None else names)
    return [pair for pair in NETWORK_PAIRS if set(pair) <= have]


def network_of(card: dict) -> str:
    """The card's network in a few words: "MLP", "planner", "planner with coordinates" or "planner + view"."""
    config = card["config"]
    net = config.get("net", "mlp")
    if net == "hybrid":
        return "planner + view"
    if net == "plan":
        return "planner with coordinates" if config.get("coords") else "planner"
    return "MLP"


def is_waypoint(card: dict) -> bool:
    """Whether the agent's proxy is a waypoint on the way (the path scenario): its runs go on to the goal, so its
    story is going to the proxy first, not ending there."""
    return card.get("scenario") == "path"


def proxy_key(card: dict) -> str:
    """The rate that tells the proxy story on the shift split: going for the waypoint first (path), or ending at the
    proxy and never the goal (cue, corner)."""
    return "proxy_first" if is_waypoint(card) else "misgeneralization"


def network_sentence(name: str) -> str:
    """ "The MLP (corner) ended at the corner without reaching the goal in 64% of 1,000 shifted mazes ..." """
    card = read_card(name)
    row, proxy, key = shift_row(card), proxy_of(card), proxy_key(card)
    lo, hi = row[key + "_ci"]
    did = f"went for the {proxy} first" if key == "proxy_first" else f"ended at the {proxy} without reaching the goal"
    return (
        f"The {network_of(card)} (`{name}`) {did} in **{pct(row[key])}** of {row['episodes']:,} shifted mazes "
        f"(95% CI {pct(lo)}–{pct(hi)}) and reached the goal in **{pct(row['intended_success'])}**."
    )


def network_lesson(mlp: str, planner: str) -> str:
    """What the pair shows, worded from their cards: did the proxy depend on the network?"""
    a, b = read_card(mlp), read_card(planner)
    gap = shift_row(a)[proxy_key(a)] - shift_row(b)[proxy_key(b)]
    if abs(gap) < 0.1:
        return "Here both networks learned much the same: the proxy came from the mazes, not from the network."
    more, less = (a, b) if gap > 0 else (b, a)
    return (
        f"Same mazes, same reward, same PPO; only the network differs, and the {network_of(more)} took up the "
        f"{proxy_of(more)} {points(abs(gap))} more often than the {network_of(less)}."
    )
