"""Stop every playing figure before a rerun replaces it (the chapter pages replay runs as a visitor scrubs or taps).

Plotly's animation loop keeps writing to a figure that a rerun has just replaced or removed, and throws
("Cannot set properties of undefined"). :func:`gmg.ui.viewport.viewport` stops figures before a resize and on any
tap or key press; this element, drawn above the figures with the rerun's settings as its data, stops them when
those settings change (its update usually reaches the browser before the figures' updates).
"""

from __future__ import annotations

import streamlit as st

JS = """
export default function(component) {
  // gmg.ui.viewport (drawn first on every page) defines the stop and stops figures on any tap or key press.
  if (window.__gmgStopAll) window.__gmgStopAll();
}
"""

_still = st.components.v2.component("gmg_still", html="", js=JS)


def stop_playing(token: str, key: str) -> None:
    """Stop any playing figure whenever ``token`` (what the figures below will show) changes."""
    _still(data=[token], key=key, height=0)
