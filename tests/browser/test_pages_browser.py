"""The story pages in a real browser: the landing example, the shared compare control, an experiment batch."""

from __future__ import annotations

import pytest
from browser_helpers import shots, wait_app

pytestmark = pytest.mark.browser

AGENT_POSITIONS = """el => el.data.filter(t => t.name === 'agent' && !t.showlegend).map(t => [t.x[t.x.length - 1], t.y[t.y.length - 1]])"""


def test_landing_page_renders_its_example(server, page):
    url, _ = server
    page.goto(url)
    wait_app(page)
    page.get_by_role("heading", name="Goal misgeneralization").first.wait_for()
    images = page.locator("[data-testid='stImage'] img")
    images.first.wait_for(timeout=20000)
    images.nth(3).wait_for(timeout=20000)  # four recorded runs
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stImage'] img\")].every(i => i.complete && i.naturalWidth > 0)"
    )
    page.get_by_text("Open this maze in the lab").nth(1).wait_for(timeout=20000)
    shots(page, "home")


def test_compare_plays_both_panels_from_one_control(server, page):
    url, _ = server
    page.goto(url + "/compare")
    wait_app(page)
    page.get_by_role("button", name="▶ Run both").click()
    page.get_by_text("Play").first.wait_for(timeout=20000)
    wait_app(page)  # let the rerun that follows Run settle before playing
    page.wait_for_timeout(500)
    page.get_by_text("▶ Play").first.wait_for(timeout=20000)  # on a loaded machine the rerun can redraw it late
    plot = page.locator(".js-plotly-plot").first
    assert page.get_by_text("▶ Play").count() == 1, "one play control for both panels"
    start = plot.evaluate(AGENT_POSITIONS)
    assert len(start) == 2, "two panels, two agents"
    page.get_by_text("▶ Play").first.click()
    page.wait_for_function(
        f"([el, s]) => {{ const p = ({AGENT_POSITIONS})(el); return JSON.stringify(p[0]) !== JSON.stringify(s[0]) && JSON.stringify(p[1]) !== JSON.stringify(s[1]); }}",
        arg=[plot.element_handle(), start],
        timeout=15000,
    )
    shots(page, "compare")


def test_experiments_page_finishes_a_small_batch(server, page):
    url, _ = server
    page.goto(url + "/experiments")
    wait_app(page)
    box = page.get_by_label("Mazes per split")
    box.fill("40")
    box.press("Enter")
    page.wait_for_timeout(800)
    page.get_by_role("button", name="Run experiment").click()
    page.get_by_text("Done:", exact=False).wait_for(timeout=60000)
    page.get_by_role("button", name="Download CSV").wait_for(timeout=20000)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)  # plotly draws after the run ends
    shots(page, "experiments")


def test_method_page_lists_the_agents(server, page):
    url, _ = server
    page.goto(url + "/method")
    wait_app(page)
    page.get_by_text("How each episode is classified").wait_for()
    page.get_by_text("cue-always", exact=False).first.wait_for(timeout=20000)
    shots(page, "method")
