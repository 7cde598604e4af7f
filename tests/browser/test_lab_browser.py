"""The lab in a real browser: click a cell and see it change, press Run, see the animation controls."""

from __future__ import annotations

import pytest
from browser_helpers import open_lab, shot, wait_app

pytestmark = pytest.mark.browser


def test_click_a_cell_then_run(server, page):
    url, _ = server
    editor = open_lab(page, url)
    # A floor cell inside the border of the default preset turns into a wall.
    floor = editor.locator(".gmg-cell:not(.wall):not(.S):not(.G):not(.C)").first
    where = floor.get_attribute("data-cell")
    page.wait_for_function("() => location.search.includes('maze=')", timeout=20000)
    before = page.evaluate("() => new URLSearchParams(location.search).get('maze')")
    floor.click()
    cell = editor.locator(f"[data-cell='{where}']")
    assert "wall" in cell.get_attribute("class")
    # The stroke reached Python: the share link (URL) now encodes a different maze.
    page.wait_for_function("(b) => new URLSearchParams(location.search).get('maze') !== b", arg=before, timeout=20000)
    assert "wall" in editor.locator(f"[data-cell='{where}']").get_attribute("class"), "the edit survived the rerun"
    page.get_by_role("button", name="▶ Run").click()
    page.get_by_text("Play", exact=False).first.wait_for(timeout=20000)
    page.locator(".slider-container, g.slider-container").first.wait_for(timeout=10000)
    page.get_by_text("shortest", exact=False).first.wait_for(timeout=20000)  # the outcome badge
    shot(page, "lab-after-run.png")


AGENT_AT = (
    "() => { const g = document.querySelector('.st-key-lab_figure .js-plotly-plot');"
    " const t = g && g.data.find((d) => d.name === 'agent'); return t ? [t.x[0], t.y[0]] : null; }"
)


def test_reruns_that_replace_a_playing_figure_throw_nothing_on_a_slow_cpu(server, page):
    """Under load, plotly's animation loop kept running on figures a rerun had purged mid-play and threw on every
    frame (thousands of page errors at 20 sessions). A CPU slowed 5x reproduces it in one tab: without the fix this
    sequence threw 293 errors. (At 10x, on a busy CI machine, one click could take over 30 s to land.) The
    page fixture fails the test on any JavaScript error."""
    url, _ = server
    open_lab(page, url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 5})
    for i, overlay in enumerate(("outcome map", "policy arrows", "outcome map", "policy arrows")):
        page.get_by_role("button", name="▶ Run").click()
        page.wait_for_timeout(1500 + 500 * i)  # autoplay is running
        page.get_by_text(overlay, exact=True).click()
        page.wait_for_timeout(3000)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    page.wait_for_timeout(3000)
    # The guard leaves playing alone: Play still moves the agent.
    wait_app(page)
    end = page.evaluate(AGENT_AT)
    page.locator(".st-key-lab_figure .updatemenu-button").first.click()
    page.wait_for_function(
        f"(e) => {{ const a = ({AGENT_AT})(); return a && (a[0] !== e[0] || a[1] !== e[1]); }}", arg=end, timeout=10000
    )
