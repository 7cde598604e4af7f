"""Numpy sprite renderer (for rgb_array and GIFs) and the ANSI text renderer."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from gmg.layout import Cell, Layout

# Colours shared with the plotly figures so the GIF looks like the app.
COLORS = {
    "wall": (46, 52, 64),
    "floor": (236, 239, 244),
    "grid": (216, 222, 233),
    "goal": (46, 160, 67),
    "cue": (235, 140, 20),
    "agent": (40, 90, 220),
    "trail": (120, 150, 235),
    "corner": (250, 226, 170),
}


def hex_color(name: str) -> str:
    r, g, b = COLORS[name]
    return f"#{r:02x}{g:02x}{b:02x}"


@lru_cache(maxsize=8)
def _sprites(cell: int) -> dict[str, np.ndarray]:
    """bool[cell, cell] masks: a disc (agent), a star (goal) and a triangle (cue)."""
    y, x = np.mgrid[0:cell, 0:cell] + 0.5
    cy = cx = cell / 2
    dy, dx = y - cy, x - cx
    disc = dy**2 + dx**2 <= (0.36 * cell) ** 2
    angle = np.arctan2(dy, dx)
    radius = np.hypot(dy, dx)
    # Five-pointed star: radius limit oscillates with angle.
    limit = cell * (0.22 + 0.2 * (0.5 + 0.5 * np.cos(5 * (angle + np.pi / 2))))
    star = radius <= limit
    # Upward triangle, like the ▲ the app uses for the cue.
    top, bottom = 0.14 * cell, 0.84 * cell
    half_width = (y - top) / (bottom - top) * 0.38 * cell
    triangle = (y >= top) & (y <= bottom) & (np.abs(dx) <= half_width)
    return {"agent": disc, "goal": star, "cue": triangle}


def render_rgb(
    layout: Layout,
    agent: Cell | None = None,
    trail: Sequence[Cell] = (),
    cell: int = 24,
    corner: np.ndarray | None = None,
) -> np.ndarray:
    """uint8[h*cell, w*cell, 3] picture of the maze, the trail so far and the agent."""
    h, w = layout.shape
    img = np.empty((h, w, 3), dtype=np.uint8)
    img[:] = COLORS["floor"]
    if corner is not None:
        img[corner & ~layout.walls] = COLORS["corner"]
    for r, c in trail:
        img[r, c] = COLORS["trail"]
    img[layout.walls] = COLORS["wall"]
    big = np.repeat(np.repeat(img, cell, axis=0), cell, axis=1)
    # Thin grid lines on floor cells help the eye count steps.
    lines = np.zeros(big.shape[:2], dtype=bool)
    lines[::cell, :] = True
    lines[:, ::cell] = True
    floor = np.repeat(np.repeat(~layout.walls, cell, axis=0), cell, axis=1)
    big[lines & floor] = COLORS["grid"]
    sprites = _sprites(cell)

    def stamp(name: str, at: Cell) -> None:
        r, c = at
        patch = big[r * cell : (r + 1) * cell, c * cell : (c + 1) * cell]
        patch[sprites[name]] = COLORS[name]

    if layout.cue is not None:
        stamp("cue", layout.cue)
    stamp("goal", layout.goal)
    stamp("agent", agent if agent is not None else layout.start)
    return big


def render_ansi(layout: Layout, agent: Cell | None = None) -> str:
    """The layout as text with the agent drawn as ``A``."""
    rows = [list(row) for row in layout.to_text().splitlines()]
    if agent is not None:
        r, c = agent
        rows[r][c] = "A"
    return "\n".join("".join(row) for row in rows) + "\n"
