"""The click-and-drag maze editor: an inline Components v2 element (HTML/CSS/JS, no build step).

The browser paints a stroke at once (instant feedback) and queues it with a
sequence number. Every message to Python carries *all* strokes that Python has
not yet acknowledged, ``{"client": id, "strokes": [{"seq", "tool", "cells"}, ...]}``,
because Streamlit keeps only the newest trigger value that arrives during a busy
script run: a merged message still holds every edit. Python applies the strokes
it has not seen, in order (:func:`gmg.ui.maze_state.on_strokes`), and sends back
the last sequence number it processed; the browser then drops those strokes and
redraws from Python's maze, so a refused stroke never stays on screen. Strokes
still in flight are drawn again on top of every redraw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from gmg.layout import Layout
from gmg.render import hex_color

CSS = """
.gmg-editor { display: inline-grid; gap: 1px; background: var(--gmg-grid); padding: 1px;
  border-radius: 6px; user-select: none; touch-action: none; }
.gmg-cell { width: var(--gmg-cell); height: var(--gmg-cell); background: var(--gmg-floor);
  display: flex; align-items: center; justify-content: center; cursor: crosshair;
  font: 700 calc(var(--gmg-cell) * 0.55) / 1 var(--st-font, sans-serif); }
.gmg-cell:hover { outline: 2px solid var(--st-primary-color, #285adc); outline-offset: -2px; }
.gmg-cell.wall { background: var(--gmg-wall); }
.gmg-cell.S::after { content: ""; width: 55%; height: 55%; border-radius: 50%;
  border: 3px solid var(--gmg-agent); box-sizing: border-box; }
.gmg-cell.G::after { content: "★"; color: var(--gmg-goal); font-size: calc(var(--gmg-cell) * 0.8); }
.gmg-cell.C::after { content: "▲"; color: var(--gmg-cue); font-size: calc(var(--gmg-cell) * 0.72); }
.gmg-hint { font: 13px var(--st-font, sans-serif); color: var(--st-text-color, #333); opacity: 0.7; margin-top: 4px; }
"""

JS = """
export default function(component) {
  const { parentElement, setTriggerValue } = component;
  const data = component.data[0];
  let ed = parentElement.__gmg;
  if (!ed) {
    ed = parentElement.__gmg = { client: Math.random().toString(36).slice(2), seq: 0, pending: [] };
    ed.root = document.createElement('div');
    ed.root.className = 'gmg-editor';
    ed.root.setAttribute('data-testid', 'gmg-editor');
    ed.hint = document.createElement('div');
    ed.hint.className = 'gmg-hint';
    parentElement.append(ed.root, ed.hint);
  }
  if (data.ack && data.ack.client === ed.client) ed.pending = ed.pending.filter((s) => s.seq > data.ack.seq);
  const root = ed.root;
  ed.hint.textContent = data.hint;
  for (const [k, v] of Object.entries(data.colors)) root.style.setProperty('--gmg-' + k, v);
  root.style.setProperty('--gmg-cell', data.cell + 'px');
  root.style.gridTemplateColumns = `repeat(${data.w}, var(--gmg-cell))`;
  root.innerHTML = '';
  const cells = [];
  const marks = { start: 'S', goal: 'G', cue: 'C' };
  // The same rules as gmg.edits.paint, so a stroke Python would refuse is not drawn even for a moment.
  const paintLocal = (tool, el) => {
    const has = (m) => el.classList.contains(m);
    if (tool === 'wall') { if (!has('S') && !has('G') && !has('C')) el.className = 'gmg-cell wall'; return; }
    if (tool === 'floor') { el.classList.remove('wall'); return; }
    const mark = marks[tool];
    if (tool === 'cue' && has('C')) { el.classList.remove('C'); return; }
    if (['S', 'G', 'C'].some((m) => m !== mark && has(m))) return;
    root.querySelectorAll('.' + mark).forEach((o) => o.classList.remove(mark));
    el.className = 'gmg-cell ' + mark;
  };
  for (let r = 0; r < data.h; r++) {
    for (let c = 0; c < data.w; c++) {
      const ch = data.cells[r * data.w + c];
      const el = document.createElement('div');
      el.className = 'gmg-cell' + (ch === '#' ? ' wall' : '') + ('SGC'.includes(ch) ? ' ' + ch : '');
      el.setAttribute('data-cell', r + ',' + c);
      el.title = `row ${r}, column ${c}`;
      cells.push(el);
      root.appendChild(el);
    }
  }
  const at = ([r, c]) => (r >= 0 && r < data.h && c >= 0 && c < data.w ? cells[r * data.w + c] : null);
  // Strokes in flight, and one still being drawn (a rerender may land mid-drag), are drawn again.
  for (const s of ed.pending.concat(ed.stroke ? [ed.stroke] : [])) {
    s.cells.forEach((rc) => { const el = at(rc); if (el) paintLocal(s.tool, el); });
  }
  const tool = data.tool;
  const finish = () => {
    if (!ed.stroke) return;
    ed.seq += 1;
    ed.pending.push({ seq: ed.seq, tool: ed.stroke.tool, cells: ed.stroke.cells });
    ed.stroke = null;
    setTriggerValue('strokes', { client: ed.client, strokes: ed.pending });
  };
  cells.forEach((el, i) => {
    const rc = [Math.floor(i / data.w), i % data.w];
    el.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      ed.stroke = { tool: tool, cells: [rc] };
      paintLocal(tool, el);
      if (marks[tool]) finish();
    });
    el.addEventListener('pointerenter', () => {
      if (!ed.stroke || marks[ed.stroke.tool]) return;
      ed.stroke.cells.push(rc);
      paintLocal(ed.stroke.tool, el);
    });
  });
  root.onpointerup = finish;
  root.onpointerleave = finish;
}
"""

_editor = st.components.v2.component("gmg_maze_editor", html="", css=CSS, js=JS)

COLORS = {name: hex_color(name) for name in ("wall", "floor", "grid", "goal", "cue", "agent")}


def maze_editor(
    layout: Layout, tool: str, key: str, on_strokes: Callable[[], None], ack: dict | None, cell_px: int = 30
) -> Any:
    """Mount the editor for ``layout`` with the given paint ``tool``; ``ack`` is the last stroke Python processed."""
    text = layout.to_text().replace("\n", "")
    hint = (
        "Click a cell to paint it; drag to paint several."
        if tool in ("wall", "floor")
        else f"Click a cell to put the {tool} there."
    )
    data = {
        "h": layout.height,
        "w": layout.width,
        "cells": text,
        "tool": tool,
        "cell": cell_px,
        "colors": COLORS,
        "hint": hint,
        "ack": ack,
    }
    # Wrapped in a list: Streamlit scans a dict's values for dataframes, which imports pandas (65 MB per server).
    return _editor(data=[data], key=key, on_strokes_change=on_strokes)
