"""What only the browser knows: the viewport's width (phones get stacked, right-sized figures), and autoplay.

One small inline Components v2 element per page. It reports the window's width when it is narrow (under
:data:`NARROW_PX`; 0 means wide, so a desktop never reruns for it), rounded to 10 px so that a drag-resize does not
send a stream of reruns. With ``play`` set to a token, it presses the Play button of the plotly figure in the
element keyed ``target`` once that figure carries the token (``layout.meta``), and never twice for one token.
"""

from __future__ import annotations

import streamlit as st

NARROW_PX = 640

JS = """
export default function(component) {
  const { parentElement, setStateValue, data } = component;
  const d = data[0];
  const report = () => {
    if (!d.narrow) return;
    const w = window.innerWidth;
    const bucket = w < d.narrow ? Math.floor(w / 10) * 10 : 0;
    // Python knows this width and drew the page for it: say so on the page (tests wait for it, not for a timer).
    if (bucket === d.width) { document.documentElement.dataset.gmgWidth = String(bucket); return; }
    setStateValue('width', bucket);
  };
  // Not at once, but once the app is idle: a rerun that lands while the page is still drawing its first run makes
  // a select box whose value Python set show its first option instead.
  const whenIdle = () => (document.querySelector('[data-testid="stStatusWidget"]') ? setTimeout(whenIdle, 200) : report());
  setTimeout(whenIdle, 300);
  if (!window.__gmgGuard) {
    window.__gmgGuard = true;
    window.__gmgInputAt = 0;
    // The one way to stop a playing figure (gmg.ui.still calls it too): a rerun that replaces a figure mid-play
    // leaves plotly's animation loop running on the removed figure, and that loop throws on every frame.
    const halt = (t) => {
      t._frameQueue = [];
      if (t._animationRaf) { cancelAnimationFrame(t._animationRaf); t._animationRaf = null; }
    };
    const stopAll = () => document.querySelectorAll('.js-plotly-plot').forEach((gd) => { if (gd._transitionData) halt(gd._transitionData); });
    window.__gmgStopAll = stopAll;
    // A tap or key press may start a rerun that replaces the figures: stop them first (capture phase, before any
    // widget's handler; Play still starts, its handler runs after this one).
    const onInput = () => { window.__gmgInputAt = performance.now(); stopAll(); };
    document.addEventListener('pointerdown', onInput, true);
    document.addEventListener('keydown', onInput, true);
    // And a figure that a rerun purges mid-play anyway (under load the stop above comes too late, or never, for
    // the page's own reruns) leaves plotly's loop running, and it throws "Cannot set properties of undefined
    // (setting '_currentFrame')" on every frame. A timer, then a DOM observer, that halted such loops both missed
    // some: the purged figure was already out of their reach. The throwing callback has already scheduled its next
    // frame: cancel that, so the dead loop ends at its first throw, and drop only that error (its figure is gone).
    const raf = window.requestAnimationFrame.bind(window);
    let scheduled = null;
    window.requestAnimationFrame = (cb) => {
      const id = raf((ts) => {
        const outer = scheduled;
        scheduled = [];
        try {
          cb(ts);
        } catch (err) {
          if (!(err instanceof TypeError && /'_currentFrame'/.test(err.message))) throw err;
          scheduled.forEach((n) => cancelAnimationFrame(n));
        } finally {
          scheduled = outer;
        }
      });
      if (scheduled) scheduled.push(id);
      return id;
    };
  }
  if (!parentElement.__gmgResize) {
    let timer = null;
    // A resize stops any figure that is playing, before plotly's own resize handler runs (this one was added
    // first: the element sits above the figures), then reports the new width once resizing has settled.
    parentElement.__gmgResize = () => { window.__gmgStopAll(); clearTimeout(timer); timer = setTimeout(whenIdle, 250); };
    window.addEventListener('resize', parentElement.__gmgResize);
  }
  window.__gmgPlayed = window.__gmgPlayed || new Set();
  const mountedAt = performance.now();
  if (d.play && d.target && !window.__gmgPlayed.has(d.play)) {
    let tries = 0;
    const press = () => {
      const plot = document.querySelector('.st-key-' + d.target + ' .js-plotly-plot');
      const button = plot && plot.querySelector('.updatemenu-button');
      // Not once the visitor has moved on (a click since this run was drawn starts a rerun that would replace
      // the figure mid-play), and not while a rerun is running.
      if (window.__gmgInputAt > mountedAt) return;
      const busy = document.querySelector('[data-testid="stStatusWidget"]');
      if (!busy && plot && button && plot.layout && plot.layout.meta === d.play && !window.__gmgPlayed.has(d.play)) {
        window.__gmgPlayed.add(d.play);
        button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      } else if (tries++ < 100) {
        setTimeout(press, 100);
      }
    };
    press();
  }
}
"""

_viewport = st.components.v2.component("gmg_viewport", html="", js=JS)


def viewport() -> int | None:
    """The viewport's width in pixels when it is narrow (a phone), else None (wide, or not reported yet).

    Kept in the session too (``_gmg_width``, a plain key that survives pages that do not draw this element), so
    the browser reports once per visit, not once per page.
    """
    known = int(st.session_state.get("_gmg_width", 0))
    # In the rerun that the browser's report started, the element's state already holds the new width: send it
    # back, so the browser sees that Python drew this run for its width.
    live = st.session_state.get("gmg_viewport")
    if live is not None and live.get("width") is not None:
        known = int(live["width"])
    data = {"narrow": NARROW_PX, "width": known}
    # Wrapped in a list: Streamlit scans a dict's values for dataframes, which imports pandas.
    result = _viewport(
        data=[data], key="gmg_viewport", default={"width": known}, on_width_change=lambda: None, height=0
    )
    width = int(getattr(result, "width", known) or 0)
    st.session_state["_gmg_width"] = width
    return width or None


def autoplay(token: str, target: str) -> None:
    """Play the figure keyed ``target`` once, when it is drawn with ``layout.meta == token`` (a new run)."""
    data = {"narrow": 0, "play": token, "target": target}
    _viewport(data=[data], key=f"{target}_autoplay", height=0)
