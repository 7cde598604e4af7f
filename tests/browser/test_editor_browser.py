"""The maze editor under load: every click and drag is applied, even while the outcome map keeps the server busy."""

from __future__ import annotations

import pytest
from browser_helpers import open_lab, wait_app

from gmg.layout import Layout

pytestmark = pytest.mark.browser


def _url_maze(page) -> Layout:
    return Layout.from_code(page.evaluate("() => new URLSearchParams(location.search).get('maze')"))


def _open_lab_with_outcome_map(server, page) -> tuple[Layout, list[str]]:
    url, _ = server
    editor = open_lab(page, url)
    page.wait_for_function("() => location.search.includes('maze=')", timeout=20000)
    page.get_by_text("outcome map", exact=True).click()
    page.get_by_text("goal first", exact=False).first.wait_for(timeout=30000)  # the map's legend: it is on
    wait_app(page)
    before = _url_maze(page)
    floor = editor.locator(".gmg-cell:not(.wall):not(.S):not(.G):not(.C)")
    return before, [floor.nth(i).get_attribute("data-cell") for i in range(floor.count())]


def _settled_walls(page, expected: int) -> int:
    """Poll the share link's maze until it has ``expected`` walls and the server is idle (60 s at most)."""
    for _ in range(120):
        page.wait_for_timeout(500)
        if int(_url_maze(page).walls.sum()) == expected and not page.locator("[data-testid='stStatusWidget']").count():
            break
    return int(_url_maze(page).walls.sum())


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_thirty_rapid_clicks_are_all_applied(server, page, attempt):
    before, free = _open_lab_with_outcome_map(server, page)
    targets = free[:30]
    assert len(targets) == 30
    for rc in targets:
        page.locator(f"[data-cell='{rc}']").click(delay=0)
    walls = _settled_walls(page, int(before.walls.sum()) + 30)
    after = _url_maze(page)
    missing = [rc for rc in targets if not after.walls[tuple(int(x) for x in rc.split(","))]]
    assert not missing, f"{len(missing)} of 30 clicks were lost: {missing}"
    assert walls == before.walls.sum() + 30
    # The editor shows what the server holds.
    shown = page.locator("[data-testid='gmg-editor'] .gmg-cell.wall").count()
    assert shown == walls


def test_rapid_drags_are_all_applied(server, page):
    before, free = _open_lab_with_outcome_map(server, page)
    rows: dict[int, list[int]] = {}
    for rc in free:
        r, c = (int(x) for x in rc.split(","))
        rows.setdefault(r, []).append(c)
    # Drag along runs of adjacent floor cells in several rows, one stroke per row, as fast as possible.
    runs = []
    for r, cols in sorted(rows.items()):
        run = [cols[0]]
        for c in cols[1:]:
            if c == run[-1] + 1:
                run.append(c)
        if len(run) >= 3:
            runs.append((r, run[:4]))
    # The grid does not move, so measure every cell first and then drag with no waiting at all.
    centre = {}
    for r, run in runs[:5]:
        for c in run:
            box = page.locator(f"[data-cell='{r},{c}']").bounding_box()
            centre[(r, c)] = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    painted = set()
    for r, run in runs[:5]:
        page.mouse.move(*centre[(r, run[0])])
        page.mouse.down()
        for c in run[1:]:
            page.mouse.move(*centre[(r, c)], steps=2)
        page.mouse.up()
        painted |= {(r, c) for c in run}
    assert len(painted) >= 12
    _settled_walls(page, int(before.walls.sum()) + len(painted))
    after = _url_maze(page)
    missing = [cell for cell in painted if not after.walls[cell]]
    assert not missing, f"{len(missing)} of {len(painted)} dragged cells were lost"


def test_a_refused_edit_never_shows(server, page):
    """Painting a wall on the goal is refused: the editor keeps the goal, and says why."""
    url, _ = server
    goal = open_lab(page, url).locator(".gmg-cell.G")
    where = goal.get_attribute("data-cell")
    goal.click()
    cell = page.locator(f"[data-cell='{where}']")
    assert "wall" not in cell.get_attribute("class") and "G" in cell.get_attribute("class")
    page.get_by_text("holds the goal", exact=False).first.wait_for(timeout=20000)
    wait_app(page)
    cell = page.locator(f"[data-cell='{where}']")
    assert "wall" not in cell.get_attribute("class") and "G" in cell.get_attribute("class")
