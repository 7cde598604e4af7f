"""Animated GIF export of trajectories with the numpy renderer."""

from __future__ import annotations

import io
from collections.abc import Sequence

import imageio.v3 as iio
import numpy as np

from gmg.layout import Cell, Layout
from gmg.proxy import Proxy
from gmg.render import render_rgb

MAX_FRAMES = 400


def trajectory_gif(
    layout: Layout,
    path: Sequence[Cell],
    cell: int = 24,
    frame_ms: int = 140,
    proxy: Proxy | None = None,
) -> bytes:
    """GIF bytes: one frame per step, the trail growing behind the agent, a pause at the end."""
    path = list(path)[:MAX_FRAMES] or [layout.start]
    corner = proxy.mask(layout) if proxy is not None and proxy.shaded else None
    frames = [render_rgb(layout, path[k], path[:k], cell=cell, corner=corner) for k in range(len(path))]
    # Hold the last frame so the ending is readable.
    durations = [frame_ms] * (len(frames) - 1) + [frame_ms * 10]
    buf = io.BytesIO()
    iio.imwrite(buf, np.stack(frames), extension=".gif", duration=durations, loop=0)
    return buf.getvalue()
