"""The user's maze in ``st.session_state`` and every way of changing it.

Each change goes through :func:`try_set`: a bad edit leaves the last good maze
in place and stores a message that the page shows inline.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from gmg.edits import paint, resize
from gmg.layout import Layout, LayoutError
from gmg.presets import load_preset
from gmg.splits import Split, SplitError
from gmg.ui.common import DEFAULT_PRESET, layout_from_query

MAX_UPLOAD_BYTES = 1_000_000
# Caps on one editor message: far more than a person paints between two reruns.
MAX_STROKES = 2000
MAX_STROKE_CELLS = 2 * 25 * 25


def init(prefix: str = "lab", default: str = DEFAULT_PRESET) -> None:
    """Put a maze in session state: from the URL if it holds a valid code, else a preset."""
    key = f"{prefix}_maze"
    if key in st.session_state:
        return
    layout, error = layout_from_query()
    st.session_state[key] = layout if layout is not None else load_preset(default)
    st.session_state[f"{prefix}_error"] = error


def get(prefix: str = "lab") -> Layout:
    return st.session_state[f"{prefix}_maze"]


def error(prefix: str = "lab") -> str | None:
    return st.session_state.get(f"{prefix}_error")


def sync_fields(prefix: str, layout: Layout) -> None:
    """Refresh the text and size fields when the maze changed, and only then.

    Refreshing on every rerun would overwrite text the user is still typing
    (a text area commits on blur, which reruns before the Apply click).
    """
    code = layout.to_code()
    if st.session_state.get(f"{prefix}_fields_for") != code:
        st.session_state[f"{prefix}_fields_for"] = code
        st.session_state[f"{prefix}_text"] = layout.to_text()
        st.session_state[f"{prefix}_h"] = layout.height
        st.session_state[f"{prefix}_w"] = layout.width


def try_set(prefix: str, make: Callable[[], Layout]) -> bool:
    """Replace the maze with ``make()``; on LayoutError keep the old one and record why."""
    try:
        layout = make()
    except LayoutError as err:
        st.session_state[f"{prefix}_error"] = str(err)
        return False
    st.session_state[f"{prefix}_maze"] = layout
    st.session_state[f"{prefix}_error"] = None
    return True


def ack(prefix: str) -> dict | None:
    """The last editor stroke processed for this maze: ``{"client", "seq"}`` (see :mod:`gmg.ui.editor`)."""
    return st.session_state.get(f"{prefix}_ack")


def on_strokes(prefix: str, editor_key: str) -> None:
    """Apply, in order, every stroke of the editor's message that has not been applied yet; skip stale ones."""
    payload = getattr(st.session_state.get(editor_key), "strokes", None)
    if not isinstance(payload, dict) or not isinstance(payload.get("strokes"), list):
        return
    client = str(payload.get("client"))
    done = ack(prefix) or {}
    last = int(done.get("seq", 0)) if done.get("client") == client else 0
    strokes = [s for s in payload["strokes"][:MAX_STROKES] if isinstance(s, dict) and isinstance(s.get("seq"), int)]
    for stroke in sorted(strokes, key=lambda s: s["seq"]):
        if stroke["seq"] <= last:
            continue  # already applied: a resent or stale stroke
        cells = [
            tuple(c) for c in (stroke.get("cells") or [])[:MAX_STROKE_CELLS] if isinstance(c, list) and len(c) == 2
        ]
        tool = str(stroke.get("tool") or "wall")
        try_set(prefix, lambda tool=tool, cells=cells: paint(get(prefix), tool, cells))
        last = stroke["seq"]
    st.session_state[f"{prefix}_ack"] = {"client": client, "seq": last}


def on_preset(prefix: str, select_key: str) -> None:
    name = st.session_state.get(select_key)
    if name:
        try_set(prefix, lambda: load_preset(name))


def on_random(prefix: str, split_key: str, seed_key: str) -> None:
    def make() -> Layout:
        try:
            return Split.parse(st.session_state[split_key]).sample(int(st.session_state[seed_key]))
        except SplitError as err:
            raise LayoutError(str(err)) from None

    try_set(prefix, make)


def on_text(prefix: str, text_key: str) -> None:
    try_set(prefix, lambda: Layout.from_text(st.session_state.get(text_key, "")))


def on_code(prefix: str, code_key: str) -> None:
    try_set(prefix, lambda: Layout.from_code(st.session_state.get(code_key, "")))


def on_resize(prefix: str, height_key: str, width_key: str) -> None:
    try_set(prefix, lambda: resize(get(prefix), int(st.session_state[height_key]), int(st.session_state[width_key])))


def on_upload(prefix: str, upload_key: str) -> None:
    upload = st.session_state.get(upload_key)
    if upload is None:
        return

    def make() -> Layout:
        raw = upload.getvalue()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise LayoutError(f"the file is {len(raw):,} bytes; layout files are at most {MAX_UPLOAD_BYTES:,}")
        try:
            return Layout.parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise LayoutError(f"{upload.name} is not a UTF-8 text file") from None

    try_set(prefix, make)
