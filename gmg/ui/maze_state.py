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


def on_stroke(prefix: str, editor_key: str, tool_key: str) -> None:
    stroke = getattr(st.session_state.get(editor_key), "stroke", None)
    if not isinstance(stroke, dict):
        return
    cells = stroke.get("cells") or []
    tool = stroke.get("tool") or st.session_state.get(tool_key) or "wall"
    try_set(prefix, lambda: paint(get(prefix), str(tool), [tuple(c) for c in cells if len(c) == 2]))


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
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise LayoutError(f"{upload.name} is not a UTF-8 text file") from None
        if text.lstrip().startswith("{"):
            return Layout.from_json(text)
        return Layout.from_text(text)

    try_set(prefix, make)
