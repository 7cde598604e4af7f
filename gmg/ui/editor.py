"""The click-and-drag maze editor: an inline Components v2 element (HTML/CSS/JS, no build step).

The browser paints a stroke at once (instant feedback) and sends it to Python
as a trigger value ``stroke = {"tool", "cells": [[r, c], ...], "id"}`` when the
mouse is released. Python applies it with :func:`gmg.lab.paint` and keeps the
last good maze when the stroke is invalid.
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
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector('.gmg-editor');
  if (!root) {
    root = document.createElement('div');
    root.className = 'gmg-editor';
    root.setAttribute('data-testid', 'gmg-editor');
    parentElement.appendChild(root);
    const hint = document.createElement('div');
    hint.className = 'gmg-hint';
    parentElement.appendChild(hint);
  }
  parentElement.querySelector('.gmg-hint').textContent = data.hint;
  for (const [k, v] of Object.entries(data.colors)) root.style.setProperty('--gmg-' + k, v);
  root.style.setProperty('--gmg-cell', data.cell + 'px');
  root.style.gridTemplateColumns = `repeat(${data.w}, var(--gmg-cell))`;
  root.innerHTML = '';
  const tool = data.tool;
  let stroke = null;
  const paintLocal = (el) => {
    if (tool === 'wall') { el.className = 'gmg-cell wall'; }
    else if (tool === 'floor') { el.className = 'gmg-cell'; }
    else {
      const mark = {start: 'S', goal: 'G', cue: 'C'}[tool];
      root.querySelectorAll('.' + mark).forEach((o) => o.classList.remove(mark));
      el.className = 'gmg-cell ' + mark;
    }
  };
  const finish = () => {
    if (!stroke) return;
    const cells = stroke;
    stroke = null;
    setTriggerValue('stroke', {tool: tool, cells: cells, id: Date.now() + Math.random()});
  };
  for (let r = 0; r < data.h; r++) {
    for (let c = 0; c < data.w; c++) {
      const ch = data.cells[r * data.w + c];
      const el = document.createElement('div');
      el.className = 'gmg-cell' + (ch === '#' ? ' wall' : '') + ('SGC'.includes(ch) ? ' ' + ch : '');
      el.setAttribute('data-cell', r + ',' + c);
      el.title = `row ${r}, column ${c}`;
      el.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        stroke = [[r, c]];
        paintLocal(el);
        if (tool === 'start' || tool === 'goal' || tool === 'cue') finish();
      });
      el.addEventListener('pointerenter', () => {
        if (!stroke || tool === 'start' || tool === 'goal' || tool === 'cue') return;
        stroke.push([r, c]);
        paintLocal(el);
      });
      root.appendChild(el);
    }
  }
  root.onpointerup = finish;
  root.onpointerleave = finish;
}
"""

_editor = st.components.v2.component("gmg_maze_editor", html="", css=CSS, js=JS)

COLORS = {name: hex_color(name) for name in ("wall", "floor", "grid", "goal", "cue", "agent")}


def maze_editor(layout: Layout, tool: str, key: str, on_stroke: Callable[[], None], cell_px: int = 30) -> Any:
    """Mount the editor for ``layout`` with the given paint ``tool``."""
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
    }
    return _editor(data=data, key=key, on_stroke_change=on_stroke)
