"""The lab in a real browser: click a cell and see it change, press Run, see the animation controls."""

from __future__ import annotations

import pytest
from browser_helpers import open_lab, shot

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
