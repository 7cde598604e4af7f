"""Shared fixtures and hypothesis strategies."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from gmg.layout import MAX_SIDE, MIN_SIDE, Layout
from gmg.splits import SPLIT_NAMES, Split


@st.composite
def split_layouts(draw: st.DrawFn) -> Layout:
    """Layouts from every split and generator, by seed."""
    name = draw(st.sampled_from(SPLIT_NAMES))
    gen = draw(st.sampled_from(["", ":maze", ":rooms", ":open"]))
    return Split.parse(name + gen).sample(draw(st.integers(0, 2**31)))


@st.composite
def arbitrary_layouts(draw: st.DrawFn) -> Layout:
    """Any valid layout: random walls of any allowed size, objects on distinct floor cells."""
    h = draw(st.integers(MIN_SIDE, MAX_SIDE))
    w = draw(st.integers(MIN_SIDE, MAX_SIDE))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    walls = rng.random((h, w)) < draw(st.floats(0.0, 0.6))
    free = np.argwhere(~walls)
    if len(free) < 3:
        walls[:] = False
        free = np.argwhere(~walls)
    picks = rng.choice(len(free), size=3, replace=False)
    cells = [tuple(int(x) for x in free[i]) for i in picks]
    cue = cells[2] if draw(st.booleans()) else None
    return Layout(walls, cells[0], cells[1], cue)
