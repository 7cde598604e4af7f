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

The cells follow the width they are given (a 13x13 maze fits a phone), and the
grid works from the keyboard: Tab reaches it, the arrow keys move a focus cell,
Space or Enter paints it, and each cell has a label ("row 3, column 5, wall").
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
.gmg-cell:focus { outline: 3px solid var(--st-primary-color, #285adc); outline-offset: -3px; }
.gmg-row { display: contents; }
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
    ed = parentElement.__gmg = { client: Math.random().toString(36).slice(2), seq: 0, pending: [], focus: null, kbd: false };
    ed.root = document.createElement('div');
    ed.root.className = 'gmg-editor';
    ed.root.setAttribute('data-testid', 'gmg-editor');
    ed.root.setAttribute('role', 'grid');
    ed.hint = document.createElement('div');
    ed.hint.className = 'gmg-hint';
    ed.wrap = document.createElement('div');
    ed.wrap.style.width = '100%';
    ed.wrap.append(ed.root, ed.hint);
    parentElement.append(ed.wrap);
    // The cell size follows the width the editor is given (a phone, a column), never more than Python's size.
    ed.fit = () => {
      const avail = ed.wrap.getBoundingClientRect().width || window.innerWidth;
      const w = ed.w || 1;
      const cell = Math.max(8, Math.min(ed.maxCell || 30, Math.floor((avail - 2 - (w - 1)) / w)));
      ed.root.style.setProperty('--gmg-cell', cell + 'px');
    };
    if (window.ResizeObserver) new ResizeObserver(() => ed.fit()).observe(ed.wrap);
    window.addEventListener('resize', () => ed.fit());
    ed.root.addEventListener('focusout', (e) => { if (e.relatedTarget && !ed.root.contains(e.relatedTarget)) ed.kbd = false; });
  }
  if (data.ack && data.ack.client === ed.client) ed.pending = ed.pending.filter((s) => s.seq > data.ack.seq);
  const root = ed.root;
  ed.hint.textContent = data.hint;
  for (const [k, v] of Object.entries(data.colors)) root.style.setProperty('--gmg-' + k, v);
  ed.w = data.w;
  ed.maxCell = data.cell;
  ed.fit();
  root.style.gridTemplateColumns = `repeat(${data.w}, var(--gmg-cell))`;
  root.setAttribute('aria-label', `Maze editor, ${data.h} rows by ${data.w} columns. Arrow keys move, Space or Enter paints with the ${data.tool} tool.`);
  const hadFocus = ed.kbd;
  root.innerHTML = '';
  const cells = [];
  const marks = { start: 'S', goal: 'G', cue: 'C' };
  const names = { S: 'start', G: 'goal', C: 'cue' };
  const describe = (el) => {
    const [r, c] = el.getAttribute('data-cell').split(',');
    const m = ['S', 'G', 'C'].find((k) => el.classList.contains(k));
    const what = m ? names[m] : el.classList.contains('wall') ? 'wall' : 'floor';
    el.setAttribute('aria-label', `row ${r}, column ${c}, ${what}`);
  };
  // The same rules as gmg.edits.paint, so a stroke Python would refuse is not drawn even for a moment.
  const paintLocal = (tool, el) => {
    const has = (m) => el.classList.contains(m);
    const done = () => root.querySelectorAll('.gmg-cell').forEach(describe);
    if (tool === 'wall') { if (!has('S') && !has('G') && !has('C')) { el.className = 'gmg-cell wall'; describe(el); } return; }
    if (tool === 'floor') { el.classList.remove('wall'); describe(el); return; }
    const mark = marks[tool];
    if (tool === 'cue' && has('C')) { el.classList.remove('C'); describe(el); return; }
    if (['S', 'G', 'C'].some((m) => m !== mark && has(m))) return;
    root.querySelectorAll('.' + mark).forEach((o) => o.classList.remove(mark));
    el.className = 'gmg-cell ' + mark;
    done();
  };
  for (let r = 0; r < data.h; r++) {
    const row = document.createElement('div');
    row.className = 'gmg-row';
    row.setAttribute('role', 'row');
    for (let c = 0; c < data.w; c++) {
      const ch = data.cells[r * data.w + c];
      const el = document.createElement('div');
      el.className = 'gmg-cell' + (ch === '#' ? ' wall' : '') + ('SGC'.includes(ch) ? ' ' + ch : '');
      el.setAttribute('data-cell', r + ',' + c);
      el.setAttribute('role', 'gridcell');
      el.tabIndex = -1;
      describe(el);
      cells.push(el);
      row.appendChild(el);
    }
    root.appendChild(row);
  }
  const at = ([r, c]) => (r >= 0 && r < data.h && c >= 0 && c < data.w ? cells[r * data.w + c] : null);
  // Strokes in flight, and one still being drawn (a rerender may land mid-drag), are drawn again.
  for (const s of ed.pending.concat(ed.stroke ? [ed.stroke] : [])) {
    s.cells.forEach((rc) => { const el = at(rc); if (el) paintLocal(s.tool, el); });
  }
  // One cell is in the tab order (a roving tab stop); it keeps its place, and the focus, across redraws.
  if (!ed.focus || !at(ed.focus)) ed.focus = [Math.min(1, data.h - 1), Math.min(1, data.w - 1)];
  at(ed.focus).tabIndex = 0;
  if (hadFocus) at(ed.focus).focus({ preventScroll: true });
  const tool = data.tool;
  const finish = () => {
    if (!ed.stroke) return;
    ed.seq += 1;
    ed.pending.push({ seq: ed.seq, tool: ed.stroke.tool, cells: ed.stroke.cells });
    ed.stroke = null;
    setTriggerValue('strokes', { client: ed.client, strokes: ed.pending });
  };
  const moveFocus = (rc) => {
    const el = at(rc);
    if (!el) return;
    at(ed.focus).tabIndex = -1;
    ed.focus = rc;
    el.tabIndex = 0;
    el.focus();
  };
  root.onkeydown = (e) => {
    const steps = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const [r, c] = ed.focus;
    if (steps[e.key]) {
      e.preventDefault();
      ed.kbd = true;
      moveFocus([r + steps[e.key][0], c + steps[e.key][1]]);
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      ed.kbd = true;
      ed.stroke = { tool: tool, cells: [[r, c]] };
      paintLocal(tool, at([r, c]));
      finish();
    }
  };
  root.onfocusin = () => { ed.kbd = true; };
  cells.forEach((el, i) => {
    const rc = [Math.floor(i / data.w), i % data.w];
    el.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      ed.kbd = false;
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
    ) + " Keyboard: Tab to the maze, arrow keys to move, Space to paint."
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
