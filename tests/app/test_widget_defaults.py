"""Every widget declares, as its own default, the value the session holds for it (gmg.ui.common.held).

Why it matters: a value the app sets (from a link, a page's keep() mirror, a setdefault) reaches the browser only
with the run that set it. On a phone that run is replaced at once by the rerun that reports the screen's width, and
a widget the browser first draws from the second run shows its declared default instead: the Inside page's
steering slider showed -2 (its minimum) while Python held 0, and sent -2 with the visitor's next click. Seen in
Chromium at 390 px in about 1 of 4 fresh loads; these checks read the declared defaults directly.
"""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import open_page

from gmg.presets import load_preset

KINDS = ("slider", "select_slider", "selectbox", "multiselect", "number_input", "toggle", "checkbox", "text_area")


def _declared(widget: Any) -> Any:
    """What the browser shows for ``widget`` when it has only the element to go by: its declared default."""
    p = widget.proto
    kind = type(widget).__name__
    if kind == "Slider":
        return [float(v) for v in p.default]
    if kind == "Selectbox":
        return p.options[p.default] if p.HasField("default") else None
    if kind in ("Multiselect", "ButtonGroup", "SelectSlider"):
        return [p.options[int(i)] if kind != "ButtonGroup" else p.options[int(i)].content for i in p.default]
    if kind == "TextArea":
        return p.default if p.HasField("default") else ""
    return p.default


def _held(widget: Any) -> Any:
    """The value Python holds, in the same form as :func:`_declared`."""
    kind = type(widget).__name__
    value = widget.value
    if kind == "Slider":
        return [float(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    if kind == "Selectbox":
        return None if value is None else widget.format_func(value)
    if kind in ("Multiselect", "ButtonGroup", "SelectSlider"):
        values = value if isinstance(value, (list, tuple)) else ([] if value is None else [value])
        return [widget.format_func(v) for v in values]
    if kind == "TextArea":
        return value or ""
    return value


def _mismatches(at) -> list[str]:
    out = []
    for kind in (*KINDS, "button_group"):
        for w in at.get(kind):
            if w.key and _declared(w) != _held(w):
                out.append(f"{w.key}: declares {_declared(w)!r}, holds {_held(w)!r}")
    return out


CUE = load_preset("cue-shifted").to_code()

# Links that put values other than each widget's first option or minimum into the session.
LINKS = [
    ("lab", {"maze": CUE, "agent": "cue-diverse", "seed": "7", "mode": "greedy", "overlay": "policy arrows"}),
    ("lab", {"maze": CUE, "agent": "cue-always", "vector": "goal", "layer": "1", "coef": "-1.5"}),
    ("inside", {"maze": CUE, "agent": "corner"}),
    ("compare", {"maze": CUE, "mode": "agents", "agent": "corner", "agent_b": "cue-diverse", "seed": "5"}),
    ("training", {"agent": "corner", "checkpoint": "3"}),
    ("seeds", {"agent": "corner"}),
    ("networks", {"pair": "A waypoint: the cue on the way"}),
    ("method", {}),
    ("experiments", {}),
]


@pytest.mark.parametrize(("page", "query"), LINKS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(LINKS)])
def test_every_widget_declares_the_value_the_session_holds(page, query):
    at = open_page(page, query)
    assert not _mismatches(at), _mismatches(at)
    at.run()  # the second run is the one a phone's browser may draw first
    assert not at.exception, [e.value for e in at.exception]
    assert not _mismatches(at), _mismatches(at)


def test_values_kept_across_pages_are_declared_too():
    """Values the lab keeps while the visitor is on another page come back as the widgets' declared defaults."""
    at = open_page("lab", {"maze": CUE, "agent": "cue-diverse", "seed": "7", "mode": "greedy"})
    at.switch_page("pages/compare.py")
    at.run()
    at.switch_page("pages/lab.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lab_seed"] == 7 and at.session_state["lab_agent"] == "cue-diverse"
    assert not _mismatches(at), _mismatches(at)


def test_the_labs_tools_declare_the_held_maze_size_and_text():
    """The random-maze, size and text tools are drawn only while their section is open."""
    at = open_page("lab", {"maze": CUE, "agent": "corner"})
    at.session_state["lab_tools_open"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    keys = {w.key for kind in KINDS for w in at.get(kind)}
    assert {"lab_h", "lab_w", "lab_text", "lab_split", "lab_layout_seed"} <= keys, keys
    assert at.session_state["lab_h"] == 11
    assert not _mismatches(at), _mismatches(at)
