"""Animated GIF export of trajectories with the numpy renderer: a title line, the maze, a legend."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from gmg.layout import Cell, Layout
from gmg.outcomes import BY_KEY, OUTCOMES
from gmg.proxy import Proxy
from gmg.render import COLORS, _hollow, _sprites, render_rgb
from gmg.rollout import classify, first_visit

MAX_FRAMES = 400
MIN_WIDTH = 480  # pixels: sharp at the size the landing page shows it, and readable on its own
TEXT = (31, 36, 48)
PAPER = (255, 255, 255)


def path_outcome(layout: Layout, path: Sequence[Cell], proxy: Proxy | None) -> str:
    """The outcome class of a recorded path (the same rule as a live run: :func:`gmg.rollout.classify`)."""
    goal = first_visit(path, layout.goal)
    goal = -1 if goal is None else goal
    mask = proxy.mask(layout) if proxy is not None else np.zeros(layout.shape, dtype=bool)
    hit = next((k for k, (r, c) in enumerate(path) if mask[r, c]), -1)
    return OUTCOMES[int(classify(np.array([goal]), np.array([hit]))[0])]


def gif_title(agent: str, maze: str, outcome: str, proxy: str = "cue") -> str:
    """The GIF's title line: agent, maze, outcome (the outcome label names the agent's own proxy)."""
    label = BY_KEY[outcome].label.replace("proxy", proxy)
    return " · ".join(part for part in (agent, maze, label) if part)


@lru_cache(maxsize=4)
def _font(size: int) -> Any:  # a PIL font (PIL is imported only when a GIF is made)
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _text_strip(width: int, height: int, text: str, size: int) -> np.ndarray:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), PAPER)
    ImageDraw.Draw(img).text((10, height // 2), text, fill=TEXT, font=_font(size), anchor="lm")
    return np.asarray(img).copy()


def _legend_strip(width: int, layout: Layout, proxy: Proxy | None, cue_passed: bool = False) -> np.ndarray:
    """Icons and labels for everything the frames draw, wrapped onto as many rows as the width needs."""
    from PIL import Image, ImageDraw

    icon, size = 20, 15
    items: list[tuple[str, str]] = [("agent", "agent"), ("trail", "path"), ("start", "start"), ("goal", "goal")]
    if layout.cue is not None:
        items.append(("cue", "cue"))
    if cue_passed:
        items.append(("cue-passed", "cue, passed"))
    if proxy is not None and proxy.shaded:
        items.append(("corner", "corner (proxy)"))
    font = _font(size)
    widths = [icon + 6 + int(font.getlength(label)) + 16 for _, label in items]
    rows, x = 1, 10
    for w in widths:
        if x + w > width - 6:
            rows, x = rows + 1, 10
        x += w
    row_h = 26
    img = Image.new("RGB", (width, rows * row_h + 8), PAPER)
    draw = ImageDraw.Draw(img)
    pixels = np.asarray(img).copy()
    sprites = _sprites(icon)
    spots = []
    x, y = 10, 4
    for (kind, label), w in zip(items, widths, strict=True):
        if x + w > width - 6:
            x, y = 10, y + row_h
        patch = pixels[y + 3 : y + 3 + icon, x : x + icon]
        if kind == "trail":  # a stretch of line, as the frames draw it
            patch[icon // 2 - 3 : icon // 2 + 3, :] = COLORS[kind]
        elif kind == "corner":
            patch[2:-2, 2:-2] = COLORS[kind]
        elif kind == "cue-passed":  # as the frames draw it: a rim of the cue's colour
            patch[:] = COLORS["floor"]
            patch[sprites["cue"]] = COLORS["cue"]
            patch[_hollow(sprites["cue"], 2)] = (255, 255, 255)
        else:
            patch[:] = COLORS["floor"]
            patch[sprites[kind]] = COLORS["agent" if kind == "start" else kind]
        spots.append((x + icon + 6, y + 3 + icon // 2, label))
        x += w
    img = Image.fromarray(pixels)
    draw = ImageDraw.Draw(img)
    for tx, ty, label in spots:
        draw.text((tx, ty), label, fill=TEXT, font=font, anchor="lm")
    return np.asarray(img).copy()


def trajectory_gif(
    layout: Layout,
    path: Sequence[Cell],
    cell: int | None = None,
    frame_ms: int = 140,
    proxy: Proxy | None = None,
    agent: str = "",
    maze: str = "",
    cue_fades: bool = False,
) -> bytes:
    """GIF bytes: a title line (agent, maze, outcome), one frame per step with the trail growing behind the agent,
    a legend, and a pause on the last frame. At least :data:`MIN_WIDTH` pixels wide. With ``cue_fades`` the cue is
    drawn hollow from the step the agent stood on it (it went out of the agent's view)."""
    path = [tuple(c) for c in list(path)[:MAX_FRAMES]] or [layout.start]
    cell = cell or max(24, math.ceil(MIN_WIDTH / layout.width))
    corner = proxy.mask(layout) if proxy is not None and proxy.shaded else None
    width = layout.width * cell
    proxy_name = proxy.name if proxy is not None else "cue"
    title = _text_strip(width, 34, gif_title(agent, maze, path_outcome(layout, path, proxy), proxy_name), 17)
    went_out = first_visit(path, layout.cue) if cue_fades else None
    passed = len(path) if went_out is None else went_out  # the first frame that draws the cue hollow
    legend = _legend_strip(width, layout, proxy, went_out is not None)
    from PIL import Image

    def frame(k: int) -> np.ndarray:
        return np.vstack(
            [title, render_rgb(layout, path[k], path[:k], cell=cell, corner=corner, cue_passed=k >= passed), legend]
        )

    # One RGB frame at a time, each mapped at once onto the first frame's palette: holding every RGB frame for the
    # encoder took about 350 MB for one landing-page GIF. The legend draws every colour a frame can hold, so the
    # first frame's palette has them all; no dithering keeps them exact.
    first = Image.fromarray(frame(0)).quantize(colors=256, dither=Image.Dither.NONE)
    rest = [Image.fromarray(frame(k)).quantize(palette=first, dither=Image.Dither.NONE) for k in range(1, len(path))]
    # Hold the last frame so the ending is readable.
    durations = [frame_ms] * len(rest) + [frame_ms * 10]
    buf = io.BytesIO()
    first.save(buf, format="GIF", save_all=True, append_images=rest, duration=durations, loop=0)
    return buf.getvalue()
