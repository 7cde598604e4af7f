"""Plotly figures as plain dicts (about 30x faster to build than go.Frame objects).

Walls are layout shapes (heatmap traces vanish during plotly animations).
Several mazes can share one set of frames, so one play button and one
scrubber move every panel together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from gmg.layout import Cell, Layout
from gmg.outcomes import OUTCOME_TABLE, QUANTITIES
from gmg.proxy import Proxy
from gmg.render import hex_color
from gmg.rollout import Trajectory, first_visit

SMOOTH_UPDATES = 10
PANEL_PX = 430  # nominal panel height in pixels; markers are sized from it
FRAME_MS = 140


@dataclass
class Panel:
    """One maze in a figure: the layout, an optional path, overlays and a title."""

    layout: Layout
    path: Sequence[Cell] = ()
    title: str = ""
    proxy: Proxy | None = None
    cell_colors: dict[Cell, str] = field(default_factory=dict)
    cell_hover: dict[Cell, str] = field(default_factory=dict)
    arrows: dict[Cell, np.ndarray] = field(default_factory=dict)
    fork: Cell | None = None
    route: Sequence[Cell] = ()  # a still dashed line, such as the way a planner's values climb (PlanMaps.climb)
    cue_fades: bool = False  # the agent's cue went out of view once it stood on it: drawn hollow from then on

    @classmethod
    def of(cls, traj: Trajectory, **extra: Any) -> Panel:
        """A run's panel: its maze, its path, its proxy and its cue as the agent saw it."""
        return cls(traj.layout, traj.path, proxy=traj.proxy, cue_fades=traj.cue_fades, **extra)

    @property
    def cue_passed_at(self) -> int | None:
        """The step on which a fading cue went out (None if it never did, or does not fade)."""
        return first_visit(self.path, self.layout.cue) if self.cue_fades else None


@dataclass
class Strip:
    """Per-step curves drawn under a single maze, with a cursor that follows the animation (the attribution strip)."""

    series: Sequence[tuple[str, str, Sequence[float]]]  # (label, colour, one value per move)
    title: str = ""


def _wall_shapes(layout: Layout, xref: str, yref: str) -> list[dict]:
    """One rectangle per horizontal run of walls."""
    shapes = []
    for r, row in enumerate(layout.walls):
        edges = np.flatnonzero(np.diff(row, prepend=False, append=False)).reshape(-1, 2)  # [start, end) per run
        shapes += [_rect(r, a, r, b - 1, hex_color("wall"), xref, yref, layer="above") for a, b in edges.tolist()]
    return shapes


def _note(text: str, x: float, y: float, **extra) -> dict:
    """A text annotation placed in paper coordinates (0 to 1 across the whole figure)."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": x, "y": y, "showarrow": False, **extra}


def _rect(
    r0: int, c0: int, r1: int, c1: int, color: str, xref: str, yref: str, layer: str = "below", opacity: float = 1.0
) -> dict:
    return {
        "type": "rect",
        "xref": xref,
        "yref": yref,
        "x0": c0 - 0.5,
        "x1": c1 + 0.5,
        "y0": r0 - 0.5,
        "y1": r1 + 0.5,
        "fillcolor": color,
        "opacity": opacity,
        "line": {"width": 0},
        "layer": layer,
    }


def _scatter(mode: str, x: list, y: list, axes: dict, **extra) -> dict:
    """A scatter trace on ``axes``, out of the legend and without hover unless ``extra`` says otherwise."""
    return {"type": "scatter", "mode": mode, "x": x, "y": y, "hoverinfo": "skip", "showlegend": False, **axes, **extra}


def _cue_look(size: float, passed: bool) -> dict:
    """The cue's marker: solid, or hollow once a fading cue has been passed (out of the agent's view)."""
    if passed:
        return {"symbol": "triangle-up-open", "color": hex_color("cue"), "size": size, "line": {"width": 2.5}}
    return {"symbol": "triangle-up", "color": hex_color("cue"), "size": size, "line": {"width": 1.5, "color": "white"}}


def _marker(cells: Sequence[Cell], symbol: str, color: str, size: float, name: str, axes: dict) -> dict:
    marker = {"symbol": symbol, "color": color, "size": size, "line": {"width": 1.5, "color": "white"}}
    xs, ys = [c for _, c in cells], [r for r, _ in cells]
    return _scatter("markers", xs, ys, axes, marker=marker, name=name, hoverinfo="name")


def _arrow_traces(arrows: dict[Cell, np.ndarray], axes: dict, cell_px: float) -> list[dict]:
    """Per cell, a shaft and a head for each likely action; length and head size follow its probability."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    hx, hy, angle, size = [], [], [], []
    dirs = ((-1, 0, 0), (0, 1, 90), (1, 0, 180), (0, -1, 270))  # (drow, dcol, marker angle)
    for (r, c), probs in arrows.items():
        for (dr, dc, deg), p in zip(dirs, probs.tolist(), strict=True):
            if p < 0.1:
                continue
            tip_x, tip_y = c + 0.42 * p * dc, r + 0.42 * p * dr
            xs += [c, tip_x, None]
            ys += [r, tip_y, None]
            hx.append(tip_x)
            hy.append(tip_y)
            angle.append(deg)
            size.append(max(4.0, cell_px * 0.3 * p))
    color = "rgba(30,60,160,0.8)"
    head = {"symbol": "triangle-up", "angle": angle, "size": size, "color": color}
    return [
        _scatter("lines", xs, ys, axes, line={"color": color, "width": 2}),
        _scatter("markers", hx, hy, axes, marker=head),
    ]


LEGEND_ROW_PX = 22


def _legend_entry(
    label: str, axes: dict, symbol: str = "square", color: str = "", line: bool = False, dash: str = "solid"
) -> dict:
    """A legend-only trace (no points): the legend explains the figure without tying entries to one panel."""
    outline = {"width": 2, "color": color} if "open" in symbol else {"width": 0}
    marker = {"symbol": symbol, "color": color, "size": 11, "line": outline}
    look = (
        {"line": {"color": color, "width": 3 if dash != "solid" else 5, "dash": dash}} if line else {"marker": marker}
    )
    return _scatter("lines" if line else "markers", [None], [None], axes, name=label, showlegend=True, **look)


def maze_figure(
    panels: Sequence[Panel],
    frame_ms: int = FRAME_MS,
    height: int | None = None,
    width: int | None = None,
    stacked: bool = False,
    legend: Sequence[tuple[str, str]] = (),
    meta: str | None = None,
    strip: Strip | None = None,
) -> dict:
    """A figure dict with one subplot per panel, a legend and shared animation frames.

    ``height`` is each maze's height in pixels; ``width``, when known, the figure's width (markers are sized from
    the smaller fit); ``stacked`` puts the panels one above the other (phones). ``legend`` adds (label, colour)
    swatches for an overlay. Each panel's agent moves along its path; shorter paths wait at their end. The figure
    opens on the last step, so a redraw never hides how the run ended; Play replays it from step 0. The goal and
    the cue are drawn above the agent, so the cell it ends on still shows what it reached. With no path in any
    panel the figure is static (no controls). ``meta`` tags the figure (the lab's autoplay waits for it).
    ``strip`` adds per-step curves under the mazes whose cursor moves with the animation.
    """
    n = len(panels)
    data: list[dict] = []
    shapes: list[dict] = []
    annotations: list[dict] = []
    layout: dict = {}
    animated: list[tuple[int, int, list[Cell]]] = []  # (trail trace, agent trace, path)
    fading: list[tuple[int, int, float]] = []  # (cue trace, the step it went out, marker size)
    maze_px = (height or PANEL_PX) - 70
    titled = any(p.title for p in panels)
    title_px = 24 if titled else 0
    gap = 0.04
    if stacked:
        # Each maze gets the full width and its own band of height, with room for its title above it.
        band = maze_px + title_px
        plot_px = n * band
        size = maze_px / plot_px
        domains = [
            ((0.0, 1.0), (1 - (i * band + title_px) / plot_px - size, 1 - (i * band + title_px) / plot_px))
            for i in range(n)
        ]
        avail_w = width or 10**6
    else:
        plot_px = maze_px
        cell_w = (1 - gap * (n - 1)) / n
        domains = [((i * (cell_w + gap), i * (cell_w + gap) + cell_w), (0.0, 1.0)) for i in range(n)]
        avail_w = (width / n) if width else 10**6
    if strip is not None:
        # The mazes keep their pixels; the strip's band goes under them.
        domains = [
            (
                (x0, x1),
                ((y0 * plot_px + STRIP_PX) / (plot_px + STRIP_PX), (y1 * plot_px + STRIP_PX) / (plot_px + STRIP_PX)),
            )
            for (x0, x1), (y0, y1) in domains
        ]
        plot_px += STRIP_PX
    max_h = max(p.layout.height for p in panels)
    max_w = max(p.layout.width for p in panels)
    cell_px = min(maze_px / max_h, (avail_w - 16) / max_w)
    for i, panel in enumerate(panels):
        suffix = "" if i == 0 else str(i + 1)
        xa, ya = f"xaxis{suffix}", f"yaxis{suffix}"
        xref, yref = f"x{suffix}", f"y{suffix}"
        axes = {"xaxis": xref, "yaxis": yref}
        lay = panel.layout
        h, w = lay.shape
        bare = {"showgrid": False, "zeroline": False, "showticklabels": False, "fixedrange": True}
        (x0, x1), (y0, y1) = domains[i]
        layout[xa] = {"domain": [x0, x1], "range": [-0.5, w - 0.5], **bare, **({"anchor": yref} if i else {})}
        layout[ya] = {"domain": [y0, y1], "range": [h - 0.5, -0.5], "scaleanchor": xref, "anchor": xref, **bare}
        # Floor, then overlays, then walls on top.
        shapes.append(_rect(0, 0, h - 1, w - 1, hex_color("floor"), xref, yref))
        if panel.proxy is not None and panel.proxy.shaded:
            for r, c in np.argwhere(panel.proxy.mask(lay)):
                shapes.append(_rect(r, c, r, c, hex_color("corner"), xref, yref))
        for (r, c), color in panel.cell_colors.items():
            shapes.append(_rect(r, c, r, c, color, xref, yref, opacity=0.55))
        shapes.extend(_wall_shapes(lay, xref, yref))
        if panel.title:
            annotations.append(_note(f"<b>{panel.title}</b>", (x0 + x1) / 2, y1, yanchor="bottom", font={"size": 14}))
        if panel.cell_hover:
            cells = list(panel.cell_hover)
            marker = {"symbol": "square", "size": cell_px * 0.9, "opacity": 0}
            hover = {"hovertext": [panel.cell_hover[c] for c in cells], "hoverinfo": "text"}
            data.append(_scatter("markers", [c for _, c in cells], [r for r, _ in cells], axes, marker=marker, **hover))
        if panel.arrows:
            data.extend(_arrow_traces(panel.arrows, axes, cell_px))
        if panel.route:
            way = {"color": ROUTE_COLOR, "width": max(cell_px * 0.12, 2), "dash": "dot"}
            xs, ys = [c for _, c in panel.route], [r for r, _ in panel.route]
            data.append(_scatter("lines", xs, ys, axes, line=way))
        data.append(_marker([lay.start], "circle-open", hex_color("agent"), cell_px * 0.55, "start", axes))
        path = list(panel.path) or [lay.start]
        trail_idx = len(data)
        trail = {"color": hex_color("trail"), "width": max(cell_px * 0.22, 3)}
        data.append(_scatter("lines", [c for _, c in path], [r for r, _ in path], axes, line=trail, opacity=0.8))
        agent_idx = len(data)
        data.append(_marker([path[-1]], "circle", hex_color("agent"), cell_px * 0.62, "agent", axes))
        # After the agent: the target it ends on is drawn over it.
        if lay.cue is not None:
            passed = panel.cue_passed_at
            look = _cue_look(cell_px * 0.72, passed is not None)
            data.append(
                _scatter("markers", [lay.cue[1]], [lay.cue[0]], axes, marker=look, name="cue", hoverinfo="name")
            )
            if passed is not None:
                fading.append((len(data) - 1, passed, cell_px * 0.72))
        data.append(_marker([lay.goal], "star", hex_color("goal"), cell_px * 0.85, "goal", axes))
        if panel.fork is not None:
            data.append(_marker([panel.fork], "diamond-open", FORK_COLOR, cell_px * 0.8, "fork", axes))
        if panel.path:
            animated.append((trail_idx, agent_idx, path))

    entries = [
        _legend_entry("agent", {}, "circle", hex_color("agent")),
        _legend_entry("path", {}, color=hex_color("trail"), line=True),
        _legend_entry("start", {}, "circle-open", hex_color("agent")),
        _legend_entry("goal", {}, "star", hex_color("goal")),
    ]
    if any(p.layout.cue is not None for p in panels):
        entries.append(_legend_entry("cue", {}, "triangle-up", hex_color("cue")))
    if fading:
        entries.append(_legend_entry("cue, passed (out of its view)", {}, "triangle-up-open", hex_color("cue")))
    if any(p.proxy is not None and p.proxy.shaded for p in panels):
        entries.append(_legend_entry("corner (proxy)", {}, "square", hex_color("corner")))
    if any(p.fork is not None for p in panels):
        entries.append(_legend_entry("fork", {}, "diamond-open", FORK_COLOR))
    if any(p.route for p in panels):
        entries.append(_legend_entry("the plan's way", {}, color=ROUTE_COLOR, line=True, dash="dot"))
    entries += [_legend_entry(label, {}, "square", color) for label, color in legend]
    data.extend(entries)
    cursor_idx = _strip(strip, n + 1, layout, data, annotations, plot_px) if strip is not None else None
    # A phone fits about four entries on a row; the top margin holds the legend's rows above the titles.
    per_row = 4 if (width or 10**6) < 500 else 12
    legend_px = LEGEND_ROW_PX * math.ceil(len(entries) / per_row) + 6
    top = legend_px + (title_px if not stacked else 0)
    controls = 110 if animated else 0
    fig_height = plot_px + top + 8 + controls
    layout.update(
        {
            "shapes": shapes,
            "annotations": annotations,
            "height": fig_height,
            "margin": {"l": 8, "r": 8, "t": top, "b": 8 + (controls + 10 if animated else 0)},
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "hovermode": "closest",
            "dragmode": False,
            "showlegend": True,
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1 + (title_px if not stacked else 0) / plot_px,
                "yanchor": "bottom",
                "itemclick": False,
                "itemdoubleclick": False,
                "font": {"size": 12},
                "bgcolor": "rgba(0,0,0,0)",
            },
        }
    )
    if meta is not None:
        layout["meta"] = meta
    frames: list[dict] = []
    if animated:
        length = max(len(p) for _, _, p in animated)
        for k in range(length):
            fdata, ftraces = [], []
            for trail_idx, agent_idx, path in animated:
                seen = path[: k + 1]
                fdata.append({"x": [c for _, c in seen], "y": [r for r, _ in seen]})
                fdata.append({"x": [seen[-1][1]], "y": [seen[-1][0]]})
                ftraces += [trail_idx, agent_idx]
            for cue_idx, passed, size in fading:
                fdata.append({"marker": _cue_look(size, k >= passed)})
                ftraces.append(cue_idx)
            if cursor_idx is not None and strip is not None:
                at = [min(k, len(v) - 1) for _, _, v in strip.series]
                fdata.append(
                    {"x": at, "y": [v[i] if len(v) else None for (_, _, v), i in zip(strip.series, at, strict=True)]}
                )
                ftraces.append(cursor_idx)
            frames.append({"name": str(k), "data": fdata, "traces": ftraces})
        # Buttons on one row, the scrubber on its own row below: fits a phone too.
        layout["margin"]["b"] = 120
        layout["updatemenus"] = [_play_buttons(frame_ms)]
        layout["sliders"] = [_slider(length)]
    return {"data": data, "layout": layout, "frames": frames}


STRIP_PX = 150  # the attribution strip's band, its axis labels included
FORK_COLOR = "#111111"
ROUTE_COLOR = "#111111"  # the plan's way, drawn dotted over a reward map's greys and oranges


def _strip(strip: Strip, index: int, layout: dict, data: list[dict], notes: list[dict], plot_px: float) -> int:
    """Add the strip's axes and curves to a maze figure; return the index of its cursor trace (moved by frames)."""
    axes = {"xaxis": f"x{index}", "yaxis": f"y{index}"}
    # Under the curves: room for the step numbers, which plotly draws below the axis (the Play buttons sit lower).
    bottom, top = 24 / plot_px, (STRIP_PX - 40) / plot_px
    longest = max((len(v) for _, _, v in strip.series), default=1)
    layout[f"xaxis{index}"] = {
        "domain": [0.0, 1.0],
        "anchor": axes["yaxis"],
        "range": [-0.5, max(longest - 0.5, 0.5)],
        "fixedrange": True,
        "tickfont": {"size": 10},
    }
    layout[f"yaxis{index}"] = {
        "domain": [bottom, top],
        "anchor": axes["xaxis"],
        "range": [0, 1.05],
        "fixedrange": True,
        "tickvals": [0, 0.5, 1],
        "tickfont": {"size": 10},
        "gridcolor": "#e6e6e6",
    }
    if strip.title:
        notes.append(_note(f"<b>{strip.title}</b>", 0, top, yanchor="bottom", font={"size": 12}))
    for label, color, values in strip.series:
        line = {"color": color, "width": 2, "shape": "hv"}
        data.append(
            _scatter(
                "lines",
                list(range(len(values))),
                list(values),
                axes,
                line=line,
                name=label,
                showlegend=False,
                hovertemplate=f"{label}: %{{y:.2f}}<extra>step %{{x}}</extra>",
            )
        )
    at = [max(len(v) - 1, 0) for _, _, v in strip.series]
    colors = [color for _, color, _ in strip.series]
    ys = [v[i] if len(v) else None for (_, _, v), i in zip(strip.series, at, strict=True)]
    data.append(
        _scatter("markers", at, ys, axes, marker={"color": colors, "size": 9, "line": {"width": 1, "color": "white"}})
    )
    return len(data) - 1


# Frame changes jump straight to the frame, with no tween between cells.
_STILL = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
_BELOW = {"x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top"}


def _play_buttons(frame_ms: int) -> dict:
    play = [None, {**_STILL, "frame": {"duration": frame_ms, "redraw": False}, "fromcurrent": True}]
    buttons = [("▶ Play", play), ("❚❚ Pause", [[None], _STILL])]
    return {
        "type": "buttons",
        "direction": "left",
        **_BELOW,
        "pad": {"t": 6, "r": 8},
        "showactive": False,
        "buttons": [{"label": label, "method": "animate", "args": args} for label, args in buttons],
    }


def _slider(length: int) -> dict:
    every = max(1, length // 12)  # keep tick labels readable on long episodes
    return {
        "active": length - 1,  # the figure opens on the last step (see maze_figure)
        **_BELOW,
        "len": 1.0,
        "pad": {"t": 48},
        "currentvalue": {"prefix": "step ", "font": {"size": 13}, "xanchor": "right"},
        "transition": {"duration": 0},
        "steps": [
            {
                "label": str(k) if k % every == 0 or k == length - 1 else "",
                "method": "animate",
                "args": [[str(k)], _STILL],
            }
            for k in range(length)
        ],
    }


def outcome_colors(counts: dict[Cell, np.ndarray]) -> tuple[dict[Cell, str], dict[Cell, str]]:
    """Cell colours by the most frequent outcome, and hover text with all counts."""
    colors, hover = {}, {}
    for cell, row in counts.items():
        colors[cell] = OUTCOME_TABLE[int(np.argmax(row))].color
        parts = [f"{o.label} {int(k)}/{int(row.sum())}" for o, k in zip(OUTCOME_TABLE, row, strict=True) if k]
        hover[cell] = f"row {cell[0]}, col {cell[1]}: " + ", ".join(parts)
    return colors, hover


GOAL_KEPT, GOAL_LOST = "#2ea043", "#d63c32"  # the cue map's two ends (goal always / never reached)


def goal_rate_colors(counts: dict[Cell, np.ndarray], what: str = "cue here") -> tuple[dict[Cell, str], dict[Cell, str]]:
    """Cells coloured from red (goal never reached) to green (always), for the cue map."""
    colors, hover = {}, {}
    for cell, row in counts.items():
        n = int(row.sum())
        goal = int(row[0] + row[2])
        p = goal / n if n else 0.0
        red, green = (np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)]) for c in (GOAL_LOST, GOAL_KEPT))
        r, g, b = (red + (green - red) * p).astype(int)
        colors[cell] = f"#{r:02x}{g:02x}{b:02x}"
        hover[cell] = f"{what} (row {cell[0]}, col {cell[1]}): goal reached {goal}/{n}"
    return colors, hover


def heat_colors(
    values: dict[Cell, float],
    describe: str,
    high: str = "#54278f",
    shade: dict[Cell, float] | None = None,
    fmt: str = ".2f",
) -> tuple[dict[Cell, str], dict[Cell, str]]:
    """Cells shaded from white (0) to ``high`` (1) by ``shade`` (default: the values themselves); each cell's hover
    reads "row r, col c: ``describe`` value"."""
    lo, hi = np.array([255, 255, 255]), np.array([int(high[i : i + 2], 16) for i in (1, 3, 5)])
    shade = values if shade is None else shade
    colors, hover = {}, {}
    for cell, p in values.items():
        r, g, b = (lo + (hi - lo) * float(np.clip(shade[cell], 0, 1))).astype(int)
        colors[cell] = f"#{r:02x}{g:02x}{b:02x}"
        hover[cell] = f"row {cell[0]}, col {cell[1]}: {describe} {p:{fmt}}"
    return colors, hover


def plan_colors(values: dict[Cell, float], describe: str, high: str, log: bool = False) -> tuple[dict, dict]:
    """A planner's map shaded from its lowest cell (white) to its highest (``high``); ``log`` shades by the logarithm,
    which for values is the distance to the reward in steps (a value is the reward times gamma to the distance)."""
    v = {c: float(np.log(max(x, 1e-9))) if log else x for c, x in values.items()}
    lo, hi = min(v.values(), default=0.0), max(v.values(), default=1.0)
    span = hi - lo or 1.0
    return heat_colors(values, describe, high, {c: (x - lo) / span for c, x in v.items()}, ".3f")


def strength_colors(values: dict[Cell, float]) -> tuple[dict[Cell, str], dict[Cell, str]]:
    """Cells shaded from white (the policy never heads there) to deep purple (it heads there with certainty)."""
    colors, hover = heat_colors(values, "drawn here")
    return colors, {c: f"{h} (geometric mean of the policy along the way)" for c, h in hover.items()}


BAR_PX = 16  # one bar's thickness; a chart's height follows its number of bars, so long lists stay readable


def _group_label(row: dict, label_key: str = "condition") -> str:
    """A row's name on a chart's axis: two short lines (agent, then split), so it never has to be rotated."""
    return row[label_key] if label_key in row else f"{row['agent']}<br>{row['split']}"


def _group_axis(groups: Sequence[str]) -> dict:
    """The category axis of horizontal bars: one tick per group, the first at the top."""
    n = len(groups)
    return {
        "tickvals": list(range(n)),
        "ticktext": list(groups),
        "range": [n - 0.5, -0.5],
        "automargin": True,
        "fixedrange": True,
    }


def _errors(values: Sequence[float], lows: Sequence[float], highs: Sequence[float], **extra) -> dict:
    """Asymmetric error bars from each value down to ``lows`` and up to ``highs``."""
    up = [h - v for v, h in zip(values, highs, strict=True)]
    return {
        "type": "data",
        "symmetric": False,
        "array": up,
        "arrayminus": [v - lo for v, lo in zip(values, lows, strict=True)],
        **extra,
    }


def rate_bars(
    groups: Sequence[str],
    series: dict[str, Sequence[tuple[float, float, float]]],
    colors: Sequence[str],
    title: str = "",
    xaxis: str = "rate",
) -> dict:
    """Horizontal grouped bars with 95% intervals. series: name -> [(rate, lo, hi) per group], one colour each.

    Horizontal, so the group names read level at any width. Each value is written just past the end of its
    interval (a text trace at the bar's own position), so a label never sits on an error bar.
    """
    n = len(series)
    band = 0.8 / n  # each group spans 0.8 of a unit, shared by its bars
    data, labels = [], {"x": [], "y": [], "text": []}
    for k, ((name, values), color) in enumerate(zip(series.items(), colors, strict=True)):
        # First series on top within a group: the y axis is reversed.
        y = [g - 0.4 + band * (k + 0.5) for g in range(len(groups))]
        rates = [v[0] for v in values]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "x": rates,
                "y": y,
                "width": band * 0.92,
                "marker": {"color": color},
                "error_x": _errors(
                    rates, [v[1] for v in values], [v[2] for v in values], color="#444", thickness=1.2, width=3
                ),
                "hovertemplate": "%{x:.0%}<extra>" + name + "</extra>",
            }
        )
        labels["x"] += [v[2] + 0.015 for v in values]
        labels["y"] += y
        labels["text"] += [f"{r:.0%}" for r in rates]
    text = {"text": labels["text"], "textposition": "middle right", "textfont": {"size": 12, "color": "#1f2430"}}
    data.append(_scatter("text", labels["x"], labels["y"], {}, cliponaxis=False, **text))
    height = 90 + len(groups) * (n * BAR_PX + 18)
    return {
        "data": data,
        "layout": {
            "title": {"text": title},
            "xaxis": {
                "title": {"text": xaxis},
                "range": [0, 1.16],
                "tickformat": ".0%",
                "tickvals": [0, 0.25, 0.5, 0.75, 1],
            },
            "yaxis": _group_axis(groups),
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "margin": {"l": 10, "r": 10, "t": 40 if not title else 70, "b": 40},
            "height": height,
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def outcome_class_bars(rows: Sequence[dict]) -> dict:
    """One stacked horizontal bar per (agent, split) row: the share of each outcome class, in its class colour."""
    groups = [_group_label(r) for r in rows]
    data = []
    for o in OUTCOME_TABLE:
        shares = [r["outcomes"][o.key] / r["episodes"] for r in rows]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": o.label,
                "x": shares,
                "y": list(range(len(rows))),
                "marker": {"color": o.color},
                # Written inside the segment, and only where it fits (uniformtext hides the rest; hover shows all).
                "text": [f"{v:.0%}" if v >= 0.005 else "" for v in shares],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "white"},
                "hovertemplate": "%{x:.0%}<extra>" + o.label + "</extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "barmode": "stack",
            "xaxis": {"title": {"text": "share of episodes"}, "range": [0, 1], "tickformat": ".0%"},
            "yaxis": _group_axis(groups),
            "uniformtext": {"minsize": 10, "mode": "hide"},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
            "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
            "height": 110 + 34 * len(rows),
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def rate_interval_bars(rows: Sequence[dict], keys: Sequence[str], label_key: str = "condition") -> dict:
    """Horizontal grouped bars of rates with their Wilson intervals, one group per row, one colour per rate."""
    groups = [_group_label(r, label_key) for r in rows]
    series = {QUANTITIES[k].label: [(r[k], *r[k + "_ci"]) for r in rows] for k in keys}
    return rate_bars(groups, series, [QUANTITIES[k].color for k in keys])


def _line(x: Sequence, y: Sequence, name: str, color: str | None = None, dash: str = "solid", **extra) -> dict:
    """A line trace; ``ci`` = (lows, highs) adds asymmetric error bars; NaN becomes a gap."""
    ci = extra.pop("ci", None)
    trace = {
        "type": "scatter",
        "mode": "lines+markers" if extra.pop("markers", ci is not None) else "lines",
        "name": name,
        "x": list(x),
        "y": [None if v != v else v for v in y],
        "line": {"dash": dash, "width": 2, **({"color": color} if color else {})},
        **extra,
    }
    if ci is not None:
        trace["error_y"] = _errors(y, *ci)
    return trace


def _rate_chart(data: list[dict], xtitle: str, ytitle: str = "", height: int = 370, **xaxis) -> dict:
    return {
        "data": data,
        "layout": {
            "height": height,
            "xaxis": {"title": {"text": xtitle}, **xaxis},
            "yaxis": {"title": {"text": ytitle}, "range": [0, 1.05], "tickformat": ".0%"},
            "legend": {"orientation": "h", "y": -0.25},
            "margin": {"l": 50, "r": 10, "t": 20},
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def distance_figure(points: Sequence[dict], splits: Sequence[str] | None = None) -> dict:
    """Proxy-only rate against goal-proxy distance: one small chart per agent, stacked, one line per split.

    Every line is the misgeneralization rate, so all share its colour; splits differ by dash. ``splits`` picks
    which splits to draw (default: all).
    """
    color = QUANTITIES["misgeneralization"].color
    agents = list(dict.fromkeys(p["agent"] for p in points))
    shown = [p for p in points if splits is None or p["split"] in splits]
    split_names = list(dict.fromkeys(p["split"] for p in shown))
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    n = len(agents)
    gap = 0.12 / max(n - 1, 1) if n > 1 else 0
    size = (1 - gap * (n - 1)) / n
    data, layout, annotations = [], {}, []
    for i, agent in enumerate(agents):
        suffix = "" if i == 0 else str(i + 1)
        top = 1 - i * (size + gap)
        for j, split in enumerate(split_names):
            pts = [p for p in shown if p["agent"] == agent and p["split"] == split]
            if not pts:
                continue
            trace = _line(
                [p["mid"] for p in pts],
                [p["rate"] for p in pts],
                split,
                color,
                dashes[j % len(dashes)],
                ci=([p["lo"] for p in pts], [p["hi"] for p in pts]),
                text=[f"{agent} · {split}: {p['distance']} steps, n={p['n']}" for p in pts],
                hoverinfo="text+y",
                legendgroup=split,
                showlegend=i == 0,
            )
            data.append({**trace, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
        layout[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            **({"matches": "x"} if i else {}),
            "showticklabels": i == n - 1,
            "title": {"text": "goal–proxy distance (BFS steps)" if i == n - 1 else ""},
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [top - size, top],
            "range": [0, 1.05],
            "tickformat": ".0%",
            "tickvals": [0, 0.5, 1],
            "fixedrange": True,
        }
        annotations.append(_note(f"<b>{agent}</b>", 0, top, xanchor="left", yanchor="bottom"))
    layout.update(
        {
            "annotations": annotations,
            "height": 120 + 150 * n,
            # Above the first agent's name (about 30 px higher than the plot's top).
            "legend": {"orientation": "h", "x": 0, "y": 1 + 30 / (150 * n), "yanchor": "bottom"},
            "margin": {"l": 50, "r": 10, "t": 70, "b": 50},
            "plot_bgcolor": "rgba(0,0,0,0)",
        }
    )
    return {"data": data, "layout": layout}


def dose_response_figure(rows: Sequence[dict]) -> dict:
    """Intended success and misgeneralization on cue/shift against the training mix fraction."""
    rows = sorted(rows, key=lambda r: r["shift_fraction"])
    x = [r["shift_fraction"] for r in rows]
    data = [
        _line(
            x,
            [r[key] for r in rows],
            label,
            QUANTITIES[key].color,
            ci=([r[key + "_ci"][0] for r in rows], [r[key + "_ci"][1] for r in rows]),
            text=[r["agent"] for r in rows],
        )
        for key, label in (("intended_success", "goal reached"), ("misgeneralization", "cue, never the goal"))
    ]
    return _rate_chart(data, "training mazes with the cue away from the goal", tickformat=".0%")


def training_figure(
    metrics: Sequence[dict],
    timeline: Sequence[dict],
    train_split: str,
    shift_split: str,
    proxy: str,
    waypoint: bool = False,
) -> dict:
    """How an agent learned: training-maze rates per update (smoothed), and its checkpoints on both splits. Under
    shift it draws the proxy and never the goal, or for a ``waypoint``, the proxy before the goal."""
    goal, touched, wrong = (QUANTITIES[k].color for k in ("intended_success", "proxy_success", "misgeneralization"))
    steps = [row["global_step"] / 1e6 for row in metrics]
    data = [
        _line(steps, smooth([r["goal_rate"] for r in metrics]), "training: goal reached", goal),
        _line(steps, smooth([r["proxy_rate"] for r in metrics]), f"training: {proxy} touched", touched, "dot"),
    ]
    x = [p["step"] / 1e6 for p in timeline]
    for split, dash in ((train_split, "solid"), (shift_split, "dash")):
        points = [p[split] for p in timeline if split in p]
        if len(points) == len(x) and x:
            data.append(
                _line(x, [p["intended_success"] for p in points], f"{split}: goal reached", goal, dash, markers=True)
            )
            # The goal ends a run, so a waypoint reached at all was reached first.
            if split == shift_split and waypoint:
                name = f"{split}: {proxy} first"
                data.append(_line(x, [p["proxy_success"] for p in points], name, touched, dash, markers=True))
            elif split == shift_split:
                name = f"{split}: {proxy}, never the goal"
                data.append(_line(x, [p["misgeneralization"] for p in points], name, wrong, dash, markers=True))
    return _rate_chart(data, "environment steps (millions)", rangemode="tozero")


def diagnostics_figure(metrics: Sequence[dict]) -> dict:
    """PPO diagnostics per update as small multiples: entropy, approximate KL, clip fraction, explained variance."""
    steps = [row["global_step"] / 1e6 for row in metrics]
    data, layout = [], {}
    titles = {
        "entropy": "entropy",
        "approx_kl": "approx. KL",
        "clipfrac": "clip fraction",
        "explained_variance": "explained var.",
    }
    for i, (key, title) in enumerate(titles.items()):
        n = "" if i == 0 else str(i + 1)
        trace = _line(steps, [r[key] for r in metrics], title, "#285adc", showlegend=False)
        data.append({**trace, "xaxis": f"x{n}", "yaxis": f"y{n}"})
        top = 0.56 if i < 2 else 0.0
        layout[f"xaxis{n}"] = {"domain": [0.53 * (i % 2), 0.53 * (i % 2) + 0.47], "anchor": f"y{n}"}
        layout[f"yaxis{n}"] = {"domain": [top, top + 0.38], "anchor": f"x{n}", "title": {"text": title}}
    layout.update({"height": 420, "margin": {"l": 60, "r": 10, "t": 10, "b": 30}, "plot_bgcolor": "rgba(0,0,0,0)"})
    return {"data": data, "layout": layout}


def smooth(values: list[float], window: int = SMOOTH_UPDATES) -> list[float]:
    """Trailing mean over ``window`` values, skipping NaN (updates in which no episode ended)."""
    out = []
    for i in range(len(values)):
        chunk = [v for v in values[max(0, i - window + 1) : i + 1] if not math.isnan(v)]
        out.append(sum(chunk) / len(chunk) if chunk else float("nan"))
    return out


def steering_figure(rows: Sequence[dict], vector: str, layer: int) -> dict:
    """Rates on the shift split against the steering coefficient for one vector at one layer, with the random
    vector of the same norm (its intended success, grey) as the control."""

    def pick(kind: str) -> list[dict]:
        return sorted((r for r in rows if r["vector"] == kind and r["layer"] == layer), key=lambda r: r["coef"])

    chosen = pick(vector)
    x = [r["coef"] for r in chosen]
    data = [
        _line(
            x,
            [r[k] for r in chosen],
            QUANTITIES[k].label,
            QUANTITIES[k].color,
            ci=([r[k + "_ci"][0] for r in chosen], [r[k + "_ci"][1] for r in chosen]),
        )
        for k in ("intended_success", "misgeneralization", "capability")
    ]
    control = pick("random")
    if control and vector != "random":
        ys = [r["intended_success"] for r in control]
        data.append(_line([r["coef"] for r in control], ys, "intended success, random vector", "#9aa0a6", "dash"))
    return _rate_chart(data, f"coefficient on the {vector} vector (layer {layer + 1})", dtick=0.5)


def fork_histogram(hist: dict, proxy: str) -> dict:
    """How many mazes put each probability on the step toward the goal at the fork."""
    edges, counts = hist["edges"], hist["counts"]
    mids = [(a + b) / 2 for a, b in pairwise(edges)]
    bar = {
        "type": "bar",
        "x": mids,
        "y": counts,
        "width": (edges[1] - edges[0]) * 0.9,
        "marker": {"color": QUANTITIES["intended_success"].color},
        "hovertemplate": "P(toward goal) ≈ %{x:.2f} (the rest toward the " + proxy + "): %{y} mazes<extra></extra>",
    }
    return {
        "data": [bar],
        "layout": {
            "height": 280,
            "xaxis": {
                "title": {"text": "P(step toward the goal) at the fork"},
                "range": [0, 1],
                "fixedrange": True,
            },
            "yaxis": {"title": {"text": "mazes"}, "fixedrange": True},
            "margin": {"l": 50, "r": 10, "t": 10, "b": 50},
            "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False,
        },
    }


TIMELINE_KEYS = ("intended_success", "proxy_success", "capability")


def checkpoint_figure(timeline: Sequence[dict], splits: tuple[str, str], proxy: str, selected: int) -> dict:
    """Intended success, proxy success and capability at each checkpoint, on the training split (solid) and its
    shift (dashed); a vertical line marks checkpoint ``selected`` (an index into ``timeline``)."""
    x = [p["step"] / 1e6 for p in timeline]
    data = []
    for split, dash, where in ((splits[0], "solid", "train"), (splits[1], "dash", "shift")):
        points = [p.get(split) for p in timeline]
        if not all(points):
            continue
        for key in TIMELINE_KEYS:
            label = QUANTITIES[key].label.replace("proxy", proxy)
            data.append(
                _line(x, [p[key] for p in points], f"{where}: {label}", QUANTITIES[key].color, dash, markers=True)
            )
    fig = _rate_chart(data, "environment steps (millions)", "share of 1,000 mazes", height=380, rangemode="tozero")
    at = x[selected]
    fig["layout"]["shapes"] = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": at,
            "x1": at,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#1f2430", "width": 1.5, "dash": "dot"},
        }
    ]
    fig["layout"]["legend"] = {"orientation": "h", "y": -0.22, "x": 0, "font": {"size": 11}}
    fig["layout"]["margin"] = {"l": 50, "r": 10, "t": 10, "b": 40}
    fig["layout"]["height"] = 460
    return fig


SEED_KEYS = ("intended_success", "misgeneralization")


WAYPOINT_FIRST = ("proxy_first", "proxy first (a waypoint)", "#b08800")  # key, label, colour


def seed_dots_figure(seeds: dict[str, list[tuple[int, dict]]], waypoints: Sequence[str] = ()) -> dict:
    """Per agent, a dot per seed for intended success and misgeneralization on its shift split, each with its 95%
    interval; for the agents in ``waypoints``, whose runs go on to the goal, proxy first instead of misgeneralization.
    ``seeds``: agent → [(seed, its card's shift-split evaluation row)]. Horizontal, so agent names read level on a
    phone."""
    data: list[dict] = []
    ticks = []
    shown: set[str] = set()
    for g, (name, runs) in enumerate(seeds.items()):
        ticks.append(f"{name}<br>{runs[0][1]['split']}")
        looks = [(key, QUANTITIES[key].label, QUANTITIES[key].color) for key in SEED_KEYS]
        if name in waypoints:
            looks[-1] = WAYPOINT_FIRST
        for k, (key, label, color) in enumerate(looks):
            rows = [row for _, row in runs]
            n = len(rows)
            # Seeds of one quantity spread over their own band of the agent's row.
            ys = [g - 0.3 + 0.6 * k / len(looks) + 0.3 / len(looks) * (i + 0.5) * 2 / n for i in range(n)]
            xs = [r[key] for r in rows]
            data.append(
                _scatter(
                    "markers",
                    xs,
                    ys,
                    {},
                    name=label,
                    legendgroup=key,
                    showlegend=key not in shown,
                    marker={"color": color, "size": 9},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": [r[key + "_ci"][1] - r[key] for r in rows],
                        "arrayminus": [r[key] - r[key + "_ci"][0] for r in rows],
                        "color": color,
                        "thickness": 1.5,
                        "width": 3,
                    },
                    text=[f"{name} seed {seed}: {label} {x:.1%}" for (seed, _), x in zip(runs, xs, strict=True)],
                    hoverinfo="text",
                )
            )
            shown.add(key)
    n = len(seeds)
    return {
        "data": data,
        "layout": {
            "height": 110 + 90 * n,
            "xaxis": {"range": [0, 1.02], "tickformat": ".0%", "title": {"text": "share of 1,000 shifted mazes"}},
            "yaxis": {
                "tickvals": list(range(n)),
                "ticktext": ticks,
                "range": [n - 0.5, -0.5],
                "automargin": True,
                "fixedrange": True,
                "zeroline": False,
            },
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }
