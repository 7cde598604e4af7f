"""Inside the agent, over many mazes: attribution, the fork, a predictor of detours, and steering curves.

Writes ``assets/inside/vectors.json`` (the steering vectors the app uses) and ``assets/inside/population.json``
(what the Inside page shows), and prints the README's tables. Needs scikit-learn (``requirements-train.txt``):

    python -m scripts.analysis            # every main agent, 1,000 shifted mazes each (about 10 minutes)
    python -m scripts.analysis --episodes 200 --out /tmp/inside   # a quick look
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gmg.agents import load_agent, trained_names
from gmg.evaluate import Z95, summarize
from gmg.inside import (
    POPULATION_PATH,
    SteeredAgent,
    activation_difference,
    batch_attribution,
    find_fork,
    fork_probs,
    move_steps,
    moves_observations,
    plan_maps,
)
from gmg.layout import Layout
from gmg.network import plans
from gmg.outcomes import PROXY, PROXY_THEN_GOAL
from gmg.proxy import Proxy
from gmg.rollout import play
from gmg.splits import Split
from gmg.world import CUE_CH, GOAL_CH

# The main agents, then the networks chapter's planners (skipped where they do not ship).
AGENTS = ("cue-always", "cue-diverse", "corner", "cue-on-path", "corner-plan", "cue-on-path-plan")
STEERED = ("cue-always", "corner")
COEFS = tuple(float(c) for c in np.round(np.arange(-2.0, 2.01, 0.5), 2))
WIDE_COEFS = (-20.0, -10.0, 10.0, 20.0)  # far outside the slider: does any size of the first vector steer?
VECTOR_MAZES = 300  # training mazes whose runs give the observations behind each vector
FEATURES = (
    "fork to goal (steps)",
    "fork to proxy (steps)",
    "fork to goal (straight line)",
    "fork to proxy (straight line)",
    "goal to top-right (straight line)",
)
RATES = ("intended_success", "misgeneralization", "capability")


def splits(card: dict) -> tuple[str, str]:
    """The agent's training split and its shift split: the first two rows of its card's evaluation."""
    return card["evaluation"][0]["split"], card["evaluation"][1]["split"]


def mean_ci(values: np.ndarray) -> dict[str, Any]:
    m = float(values.mean())
    half = Z95 * float(values.std(ddof=1)) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return {"mean": m, "ci": [m - half, m + half], "n": len(values)}


def run_observations(agent: Any, layouts: list[Layout], seed: int, cap: int = 20_000) -> np.ndarray:
    """Observations before every move of one run per layout (at most ``cap``)."""
    runs = play(agent, layouts, seed)
    moves = move_steps(layouts, [runs.path(i) for i in range(len(layouts))])
    keep = np.random.default_rng(seed).permutation(len(moves.level))[:cap]
    return moves_observations(layouts, moves.pick(sorted(keep.tolist())), agent)


def vectors(agent: Any, card: dict) -> tuple[dict[str, dict[int, np.ndarray]], np.ndarray]:
    """The cue vector and the goal vector per layer, and a random vector of the cue's norm (the goal's if no cue);
    and the training-maze observations they were computed from."""
    obs = run_observations(agent, Split.parse(splits(card)[0]).sample_many(VECTOR_MAZES, 11), seed=11)
    out: dict[str, dict[int, np.ndarray]] = {}
    if obs[:, CUE_CH].any():
        out["cue"] = activation_difference(agent, obs, CUE_CH)
    out["goal"] = activation_difference(agent, obs, GOAL_CH)
    ref = out.get("cue", out["goal"])
    rng = np.random.default_rng(12)
    out["random"] = {}
    for layer, v in ref.items():
        r = rng.normal(size=v.shape)
        out["random"][layer] = (r / np.linalg.norm(r) * np.linalg.norm(v)).astype(np.float32)
    return out, obs


def features(layout: Layout, proxy: Proxy, fork: Any) -> list[float]:
    cells = np.array(proxy.cells(layout), dtype=float)
    here = np.array(fork.cell, dtype=float)
    corner = np.array([1.0, layout.width - 2.0])
    return [
        fork.goal_distance,
        fork.proxy_distance,
        float(np.linalg.norm(here - np.array(layout.goal))),
        float(np.linalg.norm(cells - here, axis=1).min()),
        float(np.linalg.norm(np.array(layout.goal) - corner)),
    ]


def population(agent: Any, card: dict, episodes: int, seed: int) -> dict[str, Any]:
    """Attribution, fork probabilities and the data for the predictor on ``episodes`` shifted mazes."""
    proxy = Proxy.from_card(card)
    layouts = Split.parse(splits(card)[1]).sample_many(episodes, seed)
    runs = play(agent, layouts, np.random.default_rng([seed, 1]))
    attr = batch_attribution(agent, layouts, [runs.path(i) for i in range(len(layouts))], proxy)
    first = np.isin(runs.outcomes, (PROXY, PROXY_THEN_GOAL))
    forks = [find_fork(lay, proxy) for lay in layouts]
    have = [i for i, f in enumerate(forks) if f is not None]
    p_goal, p_proxy = fork_probs(agent, [layouts[i] for i in have], [forks[i] for i in have])
    x = np.array([features(layouts[i], proxy, forks[i]) for i in have])
    # What steering would have to reproduce: the same mazes with the cue erased from the view.
    erased = None
    if proxy.kind == "cue":
        bare = [lay.replace(cue=None) for lay in layouts]
        erased = summarize(play(agent, bare, np.random.default_rng([seed, 1]), proxy=proxy))
    # A planner's learned reward on the goal and on the proxy, read from the network (no runs).
    plan = None
    if plans(card["config"].get("net", "mlp")):
        r = [plan_maps(agent, lay).rewards(lay, proxy) for lay in layouts]
        goal, prox, median = (np.array([x[k] for x in r], dtype=float) for k in ("goal", "proxy", "median"))
        plan = {
            "n": len(r),
            "proxy_above_goal": float((prox > goal).mean()),
            **{k: float(v.mean()) for k, v in (("goal", goal), ("proxy", prox), ("median", median))},
        }
    return {
        "plan": plan,
        "erased": erased,
        "attribution": {"goal": attr.goal, "proxy": attr.proxy, "label": attr.proxy_label},
        "p_goal": p_goal,
        "p_proxy": p_proxy,
        "x": x,
        "y": first[have],
        "summary": summarize(runs),
    }


def predictor(train: dict, test: dict) -> dict[str, Any]:
    """A standardized logistic regression of "reaches the proxy first" on the fork's features, on held-apart mazes."""
    x, y, xt, yt = train["x"], train["y"], test["x"], test["y"]
    majority = bool(y.mean() >= 0.5)
    result: dict[str, Any] = {"train_n": len(y), "test_n": len(yt), "baseline": float((yt == majority).mean())}
    if len(set(y.tolist())) < 2:
        return {**result, "accuracy": result["baseline"], "coefficients": {}, "single": {}}
    model = make_pipeline(StandardScaler(), LogisticRegression())
    model.fit(x, y)
    result["accuracy"] = float(model.score(xt, yt))
    result["coefficients"] = dict(zip(FEATURES, model[-1].coef_[0].round(3).tolist(), strict=True))
    # Each feature alone (5-fold on the training mazes): which ones carry the fit.
    result["single"] = {
        name: float(cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), x[:, [j]], y, cv=5).mean())
        for j, name in enumerate(FEATURES)
    }
    return result


def steering(agent: Any, card: dict, vecs: dict, episodes: int, seed: int) -> list[dict[str, Any]]:
    """Intended success, misgeneralization and capability on the shift split against the coefficient."""
    layouts = Split.parse(splits(card)[1]).sample_many(episodes, seed)
    rows = []
    first = next(iter(vecs))
    for kind, layers in vecs.items():
        for layer, vector in layers.items():
            for coef in COEFS + (WIDE_COEFS if kind == first else ()):
                s = summarize(play(SteeredAgent(agent, layer, vector, coef), layouts, np.random.default_rng([seed, 1])))
                rows.append(
                    {"vector": kind, "layer": layer, "coef": coef, **{k: s[k] for r in RATES for k in (r, r + "_ci")}}
                )
    return rows


def histogram(values: np.ndarray, bins: int = 20) -> dict[str, list]:
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    return {"edges": edges.round(3).tolist(), "counts": counts.tolist()}


def pct(row: dict, key: str) -> str:
    lo, hi = row[key]["ci"]
    return f"{row[key]['mean']:.2f} [{lo:.2f}, {hi:.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=POPULATION_PATH.parent)
    parser.add_argument("--agents", nargs="*", default=list(AGENTS))
    args = parser.parse_args()
    started = time.perf_counter()
    command = "python -m scripts.analysis" + (f" --episodes {args.episodes}" if args.episodes != 1000 else "")
    vector_file: dict[str, Any] = {"command": command, "mazes": VECTOR_MAZES, "agents": {}}
    pop: dict[str, Any] = {"command": command, "episodes": args.episodes, "seed": args.seed, "agents": {}}
    for name in [n for n in args.agents if n in trained_names()]:
        agent = load_agent(name)
        card = agent.card
        vecs, obs = vectors(agent, card)
        vector_file["agents"][name] = {
            k: {str(i): v.round(6).tolist() for i, v in layers.items()} for k, layers in vecs.items()
        }
        a = population(agent, card, args.episodes, args.seed)
        b = population(agent, card, args.episodes, args.seed + 1)  # held-apart mazes for the predictor
        entry: dict[str, Any] = {
            "split": splits(card)[1],
            "proxy_label": a["attribution"]["label"],
            "attribution": {k: mean_ci(a["attribution"][k]) for k in ("goal", "proxy")},
            "fork": {
                "n": len(a["p_goal"]),
                "p_goal": mean_ci(a["p_goal"]),
                "p_proxy": mean_ci(a["p_proxy"]),
                "p_goal_median": float(np.median(a["p_goal"])),
                "p_goal_hist": histogram(a["p_goal"]),
            },
            "proxy_first": a["summary"]["proxy_first"],
            "rates": {k: a["summary"][k] for r in RATES for k in (r, r + "_ci")},
            "cue_erased": {k: a["erased"][k] for r in RATES for k in (r, r + "_ci")} if a["erased"] else None,
            "predictor": predictor(a, b),
            "plan": a["plan"],
        }
        # Vector norms against the activations' own: how big a step the slider's range is.
        entry["vector_norms"] = {k: {str(i): float(np.linalg.norm(v)) for i, v in ls.items()} for k, ls in vecs.items()}
        entry["activation_norms"] = {
            str(i): float(np.linalg.norm(h, axis=1).mean()) for i, h in enumerate(agent.network.hidden(obs))
        }
        if name in STEERED:
            entry["steering"] = steering(agent, card, vecs, args.episodes, args.seed)
        pop["agents"][name] = entry
        print(f"{name}: done at {time.perf_counter() - started:.0f} s", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vectors.json").write_text(json.dumps(vector_file, separators=(",", ":")) + "\n")
    (args.out / "population.json").write_text(json.dumps(pop, indent=1) + "\n")
    print_tables(pop)


def print_tables(pop: dict[str, Any]) -> None:
    agents = pop["agents"]
    print(f"\nAttribution (mean total variation per step, {pop['episodes']} shifted mazes, 95% CI):\n")
    print("| agent | split | goal removed | proxy occluded (how) |\n|---|---|---|---|")
    for name, e in agents.items():
        at = e["attribution"]
        print(f"| {name} | {e['split']} | {pct(at, 'goal')} | {pct(at, 'proxy')} ({e['proxy_label']}) |")
    print("\nAt the fork (mazes with one):\n")
    print("| agent | forks | P(step toward goal) | median | P(step toward proxy) |\n|---|---|---|---|---|")
    for name, e in agents.items():
        f = e["fork"]
        print(f"| {name} | {f['n']} | {pct(f, 'p_goal')} | {f['p_goal_median']:.2f} | {pct(f, 'p_proxy')} |")
    print("\nPredicting 'reaches the proxy first' from the fork (logistic regression, held-apart mazes):\n")
    print("| agent | accuracy | majority baseline | strongest feature alone (cv accuracy) |\n|---|---|---|---|")
    for name, e in agents.items():
        p = e["predictor"]
        best = max(p["single"].items(), key=lambda kv: kv[1]) if p["single"] else ("–", float("nan"))
        print(f"| {name} | {p['accuracy']:.3f} | {p['baseline']:.3f} | {best[0]} ({best[1]:.3f}) |")
    print("\nThe same shifted mazes with the cue erased from the view (what steering would have to reproduce):\n")
    print("| agent | intended success as trained | with the cue erased | capability with the cue erased |")
    print("|---|---|---|---|")
    for name, e in agents.items():
        if e["cue_erased"]:
            r, c = e["rates"], e["cue_erased"]
            print(f"| {name} | {r['intended_success']:.2f} | {c['intended_success']:.2f} | {c['capability']:.2f} |")
    planners = {name: e["plan"] for name, e in agents.items() if e.get("plan")}
    if planners:
        print("\nWhat the planners learned to value (mean learned reward over the shifted mazes):\n")
        print("| agent | mazes | proxy above goal | goal | proxy (brightest cell) | ordinary cell (median) |")
        print("|---|---|---|---|---|---|")
        for name, p in planners.items():
            print(
                f"| {name} | {p['n']} | {p['proxy_above_goal']:.3f} | {p['goal']:.3f} | {p['proxy']:.3f} "
                f"| {p['median']:.3f} |"
            )
    for name, e in agents.items():
        if "steering" not in e:
            continue
        print(f"\nSteering {name} on {e['split']} (intended / misgeneralization / capability):\n")
        print("| vector | layer | " + " | ".join(f"{c:+.1f}" for c in COEFS) + " |")
        print("|---|---|" + "---|" * len(COEFS))
        keys = sorted({(r["vector"], r["layer"]) for r in e["steering"]})
        for kind, layer in keys:
            rows = [r for r in e["steering"] if r["vector"] == kind and r["layer"] == layer and r["coef"] in COEFS]
            cells = [f"{r['intended_success']:.2f}/{r['misgeneralization']:.2f}/{r['capability']:.2f}" for r in rows]
            print(f"| {kind} | {layer + 1} | " + " | ".join(cells) + " |")
        wide = [r for r in e["steering"] if r["coef"] in WIDE_COEFS]
        norms = ", ".join(
            f"layer {int(i) + 1}: {e['vector_norms'][wide[0]['vector']][i]:.2f} vs {n:.1f}"
            for i, n in e["activation_norms"].items()
        )
        print(
            f"\nThe {wide[0]['vector']} vector's norm against the mean activation norm ({norms}); far larger multiples:\n"
        )
        print("| layer | " + " | ".join(f"{c:+.0f}" for c in WIDE_COEFS) + " |\n|---|" + "---|" * len(WIDE_COEFS))
        for layer in sorted({r["layer"] for r in wide}):
            cells = [
                f"{r['intended_success']:.2f}/{r['misgeneralization']:.2f}/{r['capability']:.2f}"
                for r in wide
                if r["layer"] == layer
            ]
            print(f"| {layer + 1} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
