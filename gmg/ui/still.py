"""Stop every playing figure before a rerun replaces it (the chapter pages replay runs as a visitor scrubs or taps).

Plotly's animation loop keeps writing to a figure that a rerun has just replaced or removed, and throws
("Cannot set properties of undefined"). :func:`gmg.ui.viewport.viewport` stops figures before a resize; this element,
drawn above the figures with the rerun's settings as its data, stops them when those settings change: its update
usually reaches the browser before the figures' updates; and any tap or key press stops them first, before the rerun
it may start.
"""

from __future__ import annotations

import streamlit as st

JS = """
export default function(component) {
  const stop = () => document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
    const t = gd._transitionData;
    if (!t) return;
    t._frameQueue = [];
    if (t._animationRaf) { cancelAnimationFrame(t._animationRaf); t._animationRaf = null; }
  });
  stop();
  // A tap, click or key press may start a rerun that replaces the figures: stop them first (capture phase, so
  // before any widget's own handler; Play still starts, as its handler runs after this one).
  if (!window.__gmgStill) {
    window.__gmgStill = true;
    document.addEventListener('pointerdown', stop, true);
    document.addEventListener('keydown', stop, true);
  }
}
"""

_still = st.components.v2.component("gmg_still", html="", js=JS)


def stop_playing(token: str, key: str) -> None:
    """Stop any playing figure whenever ``token`` (what the figures below will show) changes."""
    _still(data=[token], key=key, height=0)
