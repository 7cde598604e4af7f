"""App budgets: live rollout + figure, whole-maze overlays, landing page time to content.

    python -m benchmarks.bench_app [--repeats 15] [--no-browser]

Budgets (docs/design.md), on the largest size the agents support:
  one rollout + its animated figure (built and serialised) <= 150 ms;
  each overlay (policy arrows, outcome map, cue map) <= 1 s;
  attribution, the fork, the path map and a steered run <= 300 ms each; a steered outcome map <= 1 s;
  the compare page's batch of 200 mazes x 2 conditions <= 2 s;
  landing page content visible in headless Chromium <= 2.5 s after server start;
  each chapter's main view (/predict's first maze, /training's chart and run, /seeds' runs) visible <= 2.5 s after
  the page is opened on a warm server (one that has served each page once);
  server resident memory with 10 sessions <= 400 MB (the budget for 20; benchmarks/bench_load.py measures 20).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from benchmarks.common import median_seconds, shipped_agent
from gmg import experiments
from gmg.figures import Panel, goal_rate_colors, maze_figure, outcome_colors
from gmg.inside import SteeredAgent, attribution, find_fork, fork_probs, path_map, steering_vectors
from gmg.maps import cue_map, outcome_map, policy_field
from gmg.proxy import CUE
from gmg.rollout import run
from gmg.splits import Split
from tests.browser.browser_helpers import CHROMIUM, CHROMIUM_ARGS, running_app, server_pid


def bench_library(repeats: int) -> None:
    agent = shipped_agent()
    side = agent.sides[1]
    layouts = Split.parse("cue/shift", sides=(side, side)).sample_many(repeats + 1, seed=1)
    counter = iter(range(10**6))

    def live_run():
        i = next(counter)
        traj = run(agent, layouts[i % len(layouts)], seed=i)
        json.dumps(maze_figure([Panel(traj.layout, traj.path)]))
        return traj

    med, times = median_seconds(live_run, repeats)
    lengths = [run(agent, lay, seed=0).steps for lay in layouts]
    print(f"agent {agent.name} on {side}x{side} cue/shift layouts")
    print(
        f"  rollout + figure (+ JSON): median {med * 1e3:.1f} ms (max {max(times) * 1e3:.1f}), episode lengths {min(lengths)}-{max(lengths)} steps; budget 150 ms: {'met' if med <= 0.15 else 'MISSED'}"
    )
    layout = layouts[0]
    overlays = {
        "policy arrows": lambda: maze_figure([Panel(layout, arrows=policy_field(agent, layout))]),
        "outcome map": lambda: maze_figure([Panel(layout, cell_colors=outcome_colors(outcome_map(agent, layout))[0])]),
        "cue map": lambda: maze_figure([Panel(layout, cell_colors=goal_rate_colors(cue_map(agent, layout))[0])]),
    }
    for name, fn in overlays.items():
        med, times = median_seconds(fn, max(3, repeats // 3))
        print(
            f"  overlay {name:<13}: median {med * 1e3:.0f} ms (max {max(times) * 1e3:.0f}); budget 1 s: {'met' if med <= 1 else 'MISSED'}"
        )


def bench_inside(repeats: int) -> None:
    """Inside the agent on the largest maze: attribution of a run, the fork, the path map, a steered run and map."""
    agent = shipped_agent()
    side = agent.sides[1]
    layouts = Split.parse("cue/shift", sides=(side, side)).sample_many(repeats + 1, seed=2)
    trajs = [run(agent, lay, seed=0) for lay in layouts]
    vector = steering_vectors(agent.name)["cue"][0]
    steered = SteeredAgent(agent, 0, vector, -2.0)
    counter = iter(range(10**6))

    def each(fn):
        return lambda: fn(next(counter) % len(layouts))

    cases = {
        "attribution of a run": (lambda i: attribution(agent, layouts[i], trajs[i].path), 0.3),
        "fork + its probabilities": (lambda i: fork_probs(agent, [layouts[i]], [find_fork(layouts[i], CUE)]), 0.3),
        "path map": (lambda i: path_map(agent, layouts[i]), 0.3),
        "steered run + figure": (
            lambda i: json.dumps(maze_figure([Panel(layouts[i], run(steered, layouts[i], seed=i).path)])),
            0.3,
        ),
        "steered outcome map": (lambda i: outcome_map(steered, layouts[i]), 1.0),
    }
    print(f"inside the agent, {agent.name} on {side}x{side} cue/shift layouts")
    for name, (fn, budget) in cases.items():
        med, times = median_seconds(each(fn), repeats if budget < 1 else max(3, repeats // 3))
        verdict = "met" if med <= budget else "MISSED"
        print(
            f"  {name:<25}: median {med * 1e3:.0f} ms (max {max(times) * 1e3:.0f}); budget {budget * 1e3:.0f} ms: {verdict}"
        )


def bench_batch(repeats: int) -> None:
    """The compare page's batch view: 200 mazes x 2 conditions (cue by the goal, cue moved)."""
    agent = shipped_agent()

    def batch():
        train, shifted = experiments.cue_pairs(200, seed=0)
        return experiments.batch_compare(
            [experiments.Condition("by goal", agent, train), experiments.Condition("moved", agent, shifted)], seed=0
        )

    med, times = median_seconds(batch, repeats)
    r = batch()
    print(
        f"  compare batch 200 mazes x 2 conditions (generation included): median {med:.2f} s (max {max(times):.2f}); "
        f"intended {r[0]['intended_success']:.2f} vs {r[1]['intended_success']:.2f}; budget 2 s: {'met' if med <= 2 else 'MISSED'}"
    )


def bench_landing(repeats: int) -> None:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeats):
            with running_app() as (url, t0):
                page = browser.new_page()
                page.goto(url)
                page.get_by_text("goal misgeneralization", exact=False).first.wait_for(timeout=30000)
                page.locator("[data-testid='stImage'] img").first.wait_for(timeout=30000)
                times.append(time.perf_counter() - t0)
                page.close()
        browser.close()
    med = statistics.median(times)
    print(
        f"  landing page (title + first example run) visible after server start: median {med:.2f} s over {repeats} cold starts (max {max(times):.2f}); budget 2.5 s: {'met' if med <= 2.5 else 'MISSED'}"
    )


# Each chapter and what its main view is: the elements that must be drawn before a visitor sees it.
CHAPTERS = {
    "predict": (".st-key-pred_figure .js-plotly-plot",),  # a new random round each visit
    "training": (".st-key-train_chart .js-plotly-plot", ".st-key-train_figure .js-plotly-plot"),
    "seeds": (".st-key-seeds_figure .js-plotly-plot", ".st-key-seeds_dots .js-plotly-plot"),
    "networks": (".st-key-nets_figure .js-plotly-plot", ".st-key-nets_rates .js-plotly-plot"),
    # Not a chapter: the lab's maze figure timed the same way, a baseline for the machine's speed in the same run.
    "lab": (".st-key-lab_figure .js-plotly-plot",),
}


def bench_chapters(repeats: int, only: list[str] | None = None) -> None:
    """Seconds from opening each chapter in a fresh browser tab to its main view drawn, on a warm server."""
    chapters = {path: sel for path, sel in CHAPTERS.items() if not only or path in only}
    from playwright.sync_api import sync_playwright

    with running_app() as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def visit(path: str, selectors: tuple[str, ...], from_home: bool = False) -> float:
            page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
            if from_home:
                # A visitor who arrives from the landing page (its Go further row): the browser has the app's
                # scripts, plotly's among them, in its cache.
                page.goto(url + "/home")
                page.locator(".js-plotly-plot, img").first.wait_for(timeout=60000)
            t0 = time.perf_counter()
            page.goto(f"{url}/{path}")
            for selector in selectors:
                page.locator(selector).first.wait_for(timeout=60000)
            elapsed = time.perf_counter() - t0
            page.context.close()
            return elapsed

        for path, selectors in chapters.items():
            visit(path, selectors)  # warm: imports, agents and the page's cached computations
        for from_home in (False, True):
            how = "the browser's cache warm (from the landing page)" if from_home else "a fresh browser (no cache)"
            print(f"  {how}:")
            for path, selectors in chapters.items():
                times = [visit(path, selectors, from_home) for _ in range(repeats)]
                med = statistics.median(times)
                ok = "met" if med <= 2.5 else "MISSED"
                verdict = "(baseline, no budget)" if path == "lab" else f"budget 2.5 s: {ok}"
                print(
                    f"    /{path} main view visible on a warm server: median {med:.2f} s over {repeats} visits "
                    f"(max {max(times):.2f}); {verdict}"
                )
        browser.close()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_memory(sessions: int = 10) -> None:
    """Server resident memory after `sessions` browser sessions each open the lab and run the agent."""
    from playwright.sync_api import sync_playwright

    with running_app() as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(sessions):
            page = browser.new_context().new_page()
            page.goto(url + "/lab")
            page.get_by_role("button", name="▶ Run").click()
            page.get_by_text("Play").first.wait_for(timeout=30000)
        rss = _rss_mb(server_pid(url))
        browser.close()
    print(
        f"  server resident memory with {sessions} sessions that each ran the agent in the lab: {rss:.0f} MB; budget 400 MB: {'met' if rss <= 400 else 'MISSED'}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--chapters", action="store_true", help="only the chapter pages' times")
    ap.add_argument("--only", nargs="+", choices=sorted(CHAPTERS), help="with --chapters: only these pages")
    ap.add_argument("--inside", action="store_true", help="only the inside-the-agent views' times")
    args = ap.parse_args()
    if args.inside:
        bench_inside(args.repeats)
        return
    if args.chapters:
        bench_chapters(max(3, args.repeats // 3), args.only)
        return
    bench_library(args.repeats)
    bench_inside(args.repeats)
    bench_batch(max(3, args.repeats // 3))
    if not args.no_browser:
        bench_landing(max(3, args.repeats // 5))
        bench_chapters(max(3, args.repeats // 3))
        bench_memory()


if __name__ == "__main__":
    main()
