"""What one animated run costs the browser: main-thread time while plotly plays a lab run, in headless Chromium.

    python -m benchmarks.bench_frames [--repeats 3]

It draws a run's maze figure (cue-always on the cue-shifted preset, as gmg.figures builds it for the lab, without the
lab's legend and attribution strip) in a bare page with plotly.js (no Streamlit), plays it with its own Play arguments, and reads Chromium's TaskDuration over the animation. Variants drop the
scrubber (the slider) and the walls (layout shapes), to see what the per-frame cost depends on. Medians of
``--repeats`` plays.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import tempfile
from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

from gmg.agents import load_agent
from gmg.figures import Panel, maze_figure
from gmg.presets import load_preset
from gmg.rollout import run
from tests.browser.browser_helpers import CHROMIUM, CHROMIUM_ARGS


def variants() -> dict[str, dict]:
    layout = load_preset("cue-shifted")
    traj = run(load_agent("cue-always"), layout)
    fig = maze_figure([Panel(layout, traj.path, proxy=traj.proxy)], height=430)
    out = {"a run's figure": fig}
    for name, key in (("without the scrubber", "sliders"), ("without walls", "shapes")):
        out[name] = copy.deepcopy(fig)
        out[name]["layout"][key] = []
    return out


# Play: plotly's own loop, which polls on every display frame between steps.
PLAY = "(a) => Plotly.animate(document.getElementById('g'), null, {...a, fromcurrent: false})"
# The same steps, each an immediate animate call from a timer: no polling between them.
PLAY_BY_TIMER = """(a) => {
  const gd = document.getElementById('g');
  const still = {frame: {duration: 0, redraw: false}, transition: {duration: 0}, mode: 'immediate'};
  gd._transitionData._frames.forEach((f, i) => setTimeout(() => Plotly.animate(gd, [f.name], still), i * a.frame.duration));
}"""


def task_seconds(cdp) -> float:
    """The page's main-thread task time so far (Chromium's TaskDuration metric)."""
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["TaskDuration"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    folder = Path(tempfile.mkdtemp(prefix="gmg-frames-"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        figures = variants()
        runs = [(name, fig, False) for name, fig in figures.items()]
        runs.append(("a run's figure, stepped by a timer", figures["a run's figure"], True))
        for name, fig, timer in runs:
            page_file = folder / "figure.html"
            page_file.write_text(
                "<html><body><div id=g style='width:700px'></div>"
                f"<script>{plotly_js}</script><script>const F = {json.dumps(fig, default=float)};"
                "Plotly.newPlot('g', F.data, F.layout).then((gd) => Plotly.addFrames(gd, F.frames));</script>"
                "</body></html>"
            )
            play = fig["layout"]["updatemenus"][0]["buttons"][0]["args"][1]
            frames = len(fig["frames"])
            costs = []
            for _ in range(args.repeats):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(page_file.as_uri())
                page.wait_for_timeout(1500)
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")

                before = task_seconds(cdp)
                page.evaluate(PLAY_BY_TIMER if timer else PLAY, play)
                page.wait_for_timeout(frames * play["frame"]["duration"] + 1000)
                costs.append(task_seconds(cdp) - before)
                page.close()
            med = statistics.median(costs)
            print(f"{name}: {med:.2f} s of main thread for {frames} frames ({1000 * med / frames:.1f} ms a frame)")
        browser.close()


if __name__ == "__main__":
    main()
