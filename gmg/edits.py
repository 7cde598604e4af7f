"""Maze edits: paint strokes, resizing, and the derived mazes that put the cue by the goal or move it away.

Every function returns a new :class:`~gmg.layout.Layout` or raises
:class:`~gmg.layout.LayoutError` saying what is wrong and where; the caller
keeps the old maze.
"""

from __future__ import annotations

import numpy as np

from gmg.layout import Cell, Layout, LayoutError, check_side

TOOLS = ("wall", "floor", "start", "goal", "cue")


def paint(layout: Layout, tool: str, cells: list[Cell]) -> Layout:
    """Apply one paint stroke. Start, goal and cue move to the last cell; walls and floor fill.

    Raises LayoutError (and the caller keeps the old layout) when a stroke would
    bury the start or goal under a wall or put two objects on one cell.
    """
    if tool not in TOOLS:
        raise LayoutError(f"unknown tool {tool!r}: use one of {', '.join(TOOLS)}")
    h, w = layout.shape
    cells = [(int(r), int(c)) for r, c in cells if 0 <= int(r) < h and 0 <= int(c) < w]
    if not cells:
        return layout
    if tool in ("start", "goal", "cue"):
        target = cells[-1]
        if tool == "cue" and layout.cue == target:
            return layout.replace(cue=None)  # clicking the cue again removes it
        walls = layout.walls.copy()
        walls[target] = False
        return layout.replace(walls=walls, **{tool: target})
    walls = layout.walls.copy()
    for cell in cells:
        if tool == "wall":
            for name in ("start", "goal", "cue"):
                if getattr(layout, name) == cell:
                    raise LayoutError(
                        f"row {cell[0]}, column {cell[1]} holds the {name}: move it before walling the cell"
                    )
        walls[cell] = tool == "wall"
    return layout.replace(walls=walls)


def resize(layout: Layout, height: int, width: int) -> Layout:
    """Crop or extend (with floor inside a wall border) keeping objects that still fit."""
    check_side("height", height)
    check_side("width", width)
    walls = np.zeros((height, width), dtype=bool)
    walls[0, :] = walls[-1, :] = walls[:, 0] = walls[:, -1] = True
    h, w = min(height, layout.height) - 1, min(width, layout.width) - 1
    walls[1:h, 1:w] = layout.walls[1:h, 1:w]

    def fit(cell: Cell | None, fallback: Cell) -> Cell:
        if cell is not None and 0 < cell[0] < height - 1 and 0 < cell[1] < width - 1:
            return cell
        return fallback

    start = fit(layout.start, (height - 2, 1))
    goal = fit(layout.goal, (1, width - 2))
    cue = layout.cue if layout.cue is not None and fit(layout.cue, (-1, -1)) != (-1, -1) else None
    for cell in (start, goal, cue):
        if cell is not None:
            walls[cell] = False
    if goal == start:
        goal = (1, 1) if start != (1, 1) else (1, 2)
        walls[goal] = False
    if cue in (start, goal):
        cue = None
    return Layout(walls, start, goal, cue)


def with_cue_by_goal(layout: Layout) -> Layout:
    """The training picture: the cue on a free cell next to the goal (prefers one off the start)."""
    next_to_goal = np.argwhere(layout.distances_from(layout.goal) == 1)
    options = [(int(r), int(c)) for r, c in next_to_goal if (r, c) != layout.start]
    if not options:
        raise LayoutError(
            f"the goal at row {layout.goal[0]}, column {layout.goal[1]} has no free neighbour for the cue"
        )
    to_start = layout.distances_from(layout.start)
    return layout.replace(cue=max(options, key=lambda c: (to_start[c], c)))


def with_cue_moved(layout: Layout) -> Layout:
    """The shift: the cue as far from the goal as possible, off the start-goal shortest paths.

    Deterministic, so the derived maze is the same every time.
    """
    to_goal = layout.distances_from(layout.goal)
    to_start = layout.distances_from(layout.start)
    d_sg = to_start[layout.goal]
    best: tuple[int, int, Cell] | None = None
    for r, c in np.argwhere(~layout.walls):
        cell = (int(r), int(c))
        if cell in (layout.start, layout.goal) or to_goal[cell] < 0:
            continue
        if d_sg >= 0 and to_start[cell] + to_goal[cell] == d_sg:
            continue  # on a shortest start->goal path: reaching it would be ambiguous
        key = (min(int(to_goal[cell]), int(to_start[cell]) * 2), int(to_goal[cell]), cell)
        if best is None or key > best:
            best = key
    if best is None or best[1] < 2:
        raise LayoutError("there is no free cell away from the goal to move the cue to")
    return layout.replace(cue=best[2])
