"""The story pages in a real browser: the landing example, the shared compare control, an experiment batch."""

from __future__ import annotations

import pytest
from browser_helpers import shots, wait_app

pytestmark = pytest.mark.browser

AGENT_POSITIONS = (
    """el => el.data.filter(t => t.name === 'agent').map(t => [t.x[t.x.length - 1], t.y[t.y.length - 1]])"""
)


def test_landing_page_renders_its_example(server, page):
    url, _ = server
    page.goto(url)
    wait_app(page)
    page.get_by_role("heading", name="Goal misgeneralization").first.wait_for()
    images = page.locator("[data-testid='stImage'] img")
    images.first.wait_for(timeout=20000)
    assert images.count() >= 4
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stImage'] img\")].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.get_by_text("Open this maze in the lab").count() >= 2
    shots(page, "home")


def test_compare_plays_both_panels_from_one_control(server, page):
    url, _ = server
    page.goto(url + "/compare")
    wait_app(page)
    page.get_by_role("button", name="▶ Run both").click()
    plot = page.locator(".js-plotly-plot").first
    page.get_by_text("Play").first.wait_for(timeout=20000)
    page.wait_for_timeout(500)
    assert page.get_by_text("▶ Play").count() == 1, "one play control for both panels"
    start = plot.evaluate(AGENT_POSITIONS)
    assert len(start) == 2, "two panels, two agents"
    page.get_by_text("Play").first.click()
    page.wait_for_timeout(2500)
    moved = plot.evaluate(AGENT_POSITIONS)
    assert moved[0] != start[0] and moved[1] != start[1], f"both agents moved: {start} -> {moved}"
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
    assert page.locator(".js-plotly-plot").count() >= 2
    shots(page, "experiments")


def test_method_page_lists_the_agents(server, page):
    url, _ = server
    page.goto(url + "/method")
    wait_app(page)
    page.get_by_text("How each episode is classified").wait_for()
    assert page.get_by_text("cue-always", exact=False).count() >= 1
    shots(page, "method")
