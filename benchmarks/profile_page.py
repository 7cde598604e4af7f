"""Where a page's first view spends the browser's main thread: a CPU profile of one cold visit, in time bins.

    python -m benchmarks.profile_page training [--selector ".st-key-train_chart .js-plotly-plot"] [--bin 0.1]

Starts the app (warm: the page is visited once first), opens the page in a fresh Chromium context with the CPU
profiler on, waits for the selector (default: the page's main view from bench_app), and prints, per time bin from
the navigation, the busiest scripts (by file) and their top functions, plus when the selector appeared.
"""

from __future__ import annotations

import argparse
import collections
import time

from benchmarks.bench_app import CHAPTERS
from tests.browser.browser_helpers import CHROMIUM, CHROMIUM_ARGS, running_app


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1][:40] or "(native)"


def profile(path: str, selectors: tuple[str, ...], bin_s: float) -> None:
    from playwright.sync_api import sync_playwright

    with running_app() as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        warm.goto(f"{url}/{path}")
        for selector in selectors:
            warm.locator(selector).first.wait_for(timeout=60000)
        warm.context.close()

        page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        cdp.send("Profiler.start")
        t0 = time.perf_counter()
        page.goto(f"{url}/{path}")
        for selector in selectors:
            page.locator(selector).first.wait_for(timeout=60000)
        seen = time.perf_counter() - t0
        prof = cdp.send("Profiler.stop")["profile"]
        page.context.close()
        browser.close()

    nodes = {n["id"]: n for n in prof["nodes"]}
    # Each sample's time since the profile started, in seconds; the first sample is about the navigation's start.
    bins: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    funcs: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    t = 0.0
    for node_id, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
        t += delta / 1e6
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        if name in ("(idle)", "(program)", "(garbage collector)"):
            key = name
        else:
            key = _short(frame["url"])
        b = int(t / bin_s)
        bins[b][key] += delta / 1e6
        if key not in ("(idle)",):
            funcs[b][f"{name}@{_short(frame['url'])}"] += delta / 1e6
    print(f"/{path}: main view seen {seen:.2f} s after navigation (profile clock starts slightly earlier)")
    for b in sorted(bins):
        busy = sum(v for k, v in bins[b].items() if k != "(idle)")
        top = ", ".join(f"{k} {v * 1000:.0f}" for k, v in bins[b].most_common(4) if k != "(idle)")
        fn = ", ".join(f"{k} {v * 1000:.0f}" for k, v in funcs[b].most_common(3))
        print(f"  {b * bin_s:5.1f}s busy {busy * 1000:4.0f} ms | {top} | {fn}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page", help="url path, e.g. training")
    ap.add_argument("--selector", action="append", help="what must be drawn (default: bench_app's main view)")
    ap.add_argument("--bin", type=float, default=0.1, help="bin width in seconds")
    args = ap.parse_args()
    selectors = tuple(args.selector or CHAPTERS.get(args.page, (".js-plotly-plot",)))
    profile(args.page, selectors, args.bin)


if __name__ == "__main__":
    main()
