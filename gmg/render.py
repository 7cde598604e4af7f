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


@lru_cache(maxsize=16)
def _sprites(cell: int) -> dict[str, np.ndarray]:
    """bool[cell, cell] masks: a disc (agent), a ring (start), a star (goal) and a triangle (cue)."""
    y, x = np.mgrid[0:cell, 0:cell] + 0.5
    cy = cx = cell / 2
    dy, dx = y - cy, x - cx
    disc = dy**2 + dx**2 <= (0.34 * cell) ** 2
    radius = np.hypot(dy, dx)
    ring = (radius <= 0.3 * cell) & (radius >= 0.3 * cell - max(2.0, cell * 0.08))
    angle = np.arctan2(dy, dx)
    # Five-pointed star: radius limit oscillates with angle.
    limit = cell * (0.22 + 0.2 * (0.5 + 0.5 * np.cos(5 * (angle + np.pi / 2))))
    star = radius <= limit
    # Upward triangle, like the ▲ the app uses for the cue.
    top, bottom = 0.14 * cell, 0.84 * cell
    half_width = (y - top) / (bottom - top) * 0.38 * cell
    triangle = (y >= top) & (y <= bottom) & (np.abs(dx) <= half_width)
    return {"agent": disc, "start": ring, "goal": star, "cue": triangle}


def _outline(mask: np.ndarray, width: int) -> np.ndarray:
    """The pixels within ``width`` of ``mask`` but outside it (a halo, so a target shows on top of the agent)."""
    grown = mask.copy()
    for _ in range(width):
        step = grown.copy()
        step[1:] |= grown[:-1]
        step[:-1] |= grown[1:]
        step[:, 1:] |= grown[:, :-1]
        step[:, :-1] |= grown[:, 1:]
        grown = step
    return grown & ~mask


def _hollow(mask: np.ndarray, rim: int) -> np.ndarray:
    """The inside of ``mask``, all but a rim ``rim`` pixels wide (painted white, it leaves the sprite hollow)."""
    return mask & ~_outline(~mask, rim)


def render_rgb(
    layout: Layout,
    agent: Cell | None = None,
    trail: Sequence[Cell] = (),
    cell: int = 24,
    corner: np.ndarray | None = None,
    cue_passed: bool = False,
) -> np.ndarray:
    """uint8[h*cell, w*cell, 3] picture of the maze, the trail so far, the start ring and the agent.

    The goal and the cue are drawn last, with a white halo, so they stay visible when the agent stands on them.
    ``cue_passed`` draws the cue hollow: a fading cue the agent has stood on, now out of its view.
    """
    h, w = layout.shape
    img = np.empty((h, w, 3), dtype=np.uint8)
    img[:] = COLORS["floor"]
    if corner is not None:
        img[corner & ~layout.walls] = COLORS["corner"]
    img[layout.walls] = COLORS["wall"]
    big = np.repeat(np.repeat(img, cell, axis=0), cell, axis=1)
    # Thin grid lines on floor cells help the eye count steps.
    lines = np.zeros(big.shape[:2], dtype=bool)
    lines[::cell, :] = True
    lines[:, ::cell] = True
    floor = np.repeat(np.repeat(~layout.walls, cell, axis=0), cell, axis=1)
    big[lines & floor] = COLORS["grid"]
    # The trail is a thick line through the cells' centres (like the app's figures), so the corner shading and
    # the grid stay visible under it.
    steps = list(trail) + ([agent] if agent is not None and trail else [])
    half = max(2, round(cell * 0.12))
    for (r0, c0), (r1, c1) in zip(steps, steps[1:] if len(steps) > 1 else steps, strict=False):
        y0, y1 = sorted((r0 * cell + cell // 2, r1 * cell + cell // 2))
        x0, x1 = sorted((c0 * cell + cell // 2, c1 * cell + cell // 2))
        big[y0 - half : y1 + half + 1, x0 - half : x1 + half + 1] = COLORS["trail"]
    sprites = _sprites(cell)
    halo = max(1, cell // 16)

    def stamp(name: str, at: Cell, outline: bool = False, hollow: bool = False) -> None:
        r, c = at
        patch = big[r * cell : (r + 1) * cell, c * cell : (c + 1) * cell]
        if outline:
            patch[_outline(sprites[name], halo)] = (255, 255, 255)
        patch[sprites[name]] = COLORS["agent" if name == "start" else name]
        if hollow:  # keep a rim of the colour, white inside
            patch[_hollow(sprites[name], max(2, cell // 10))] = (255, 255, 255)

    stamp("start", layout.start)
    stamp("agent", agent if agent is not None else layout.start)
    # The targets go on top of the agent: the cell it ends on must still show what it reached.
    if layout.cue is not None:
        stamp("cue", layout.cue, outline=True, hollow=cue_passed)
    stamp("goal", layout.goal, outline=True)
    return big


def render_ansi(layout: Layout, agent: Cell | None = None) -> str:
    """The layout as text with the agent drawn as ``A``."""
    rows = [list(row) for row in layout.to_text().splitlines()]
    if agent is not None:
        r, c = agent
        rows[r][c] = "A"
    return "\n".join("".join(row) for row in rows) + "\n"
