"""The user's maze in ``st.session_state`` and every way of changing it.

Each change goes through :func:`try_set`: a bad edit leaves the last good maze
in place and stores a message, with the control that caused it (``source``), so
the page shows it right there (:func:`show_error`). A successful change clears
it, and a link that could not be read has its own message (:func:`link_error`).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from gmg.edits import paint, resize
from gmg.layout import Layout, LayoutError
from gmg.presets import load_preset
from gmg.splits import Split, SplitError
from gmg.ui.common import DEFAULT_PRESET, layout_from_query, sentence

# A 25x25 layout is under 1 kB as text and a few kB as JSON. Python refuses files over this with its own message,
# which replaces the previous file's; the browser refuses files over server.maxUploadSize (1 MB) by itself, and
# that message cannot clear one of ours, so the app's own limit sits well below the server's.
MAX_UPLOAD_BYTES = 100_000
# How each control's refusal begins (the error names the cause; this names what did not happen).
WHAT_FAILED = {
    "editor": "That edit was not applied",
    "preset": "That preset was not loaded",
    "random": "No maze was generated",
    "resize": "Not resized",
    "text": "The text was not applied",
    "upload": "The file was not loaded",
    "code": "The code was not applied",
}
# Caps on one editor message: far more than a person paints between two reruns.
MAX_STROKES = 2000
MAX_STROKE_CELLS = 2 * 25 * 25


def init(prefix: str = "lab", default: str = DEFAULT_PRESET, param: str = "maze") -> None:
    """Put a maze in session state: from the URL's ``param`` if it holds a valid code, else a preset."""
    key = f"{prefix}_maze"
    if key in st.session_state:
        return
    layout, error = layout_from_query(param)
    st.session_state[key] = layout if layout is not None else load_preset(default)
    st.session_state[f"{prefix}_link_error"] = error


def get(prefix: str = "lab") -> Layout:
    return st.session_state[f"{prefix}_maze"]


def error(prefix: str = "lab", source: str | None = None) -> str | None:
    """The last refused change's message (a full sentence), if ``source`` (when given) caused it."""
    if source is not None and st.session_state.get(f"{prefix}_error_source") != source:
        return None
    return st.session_state.get(f"{prefix}_error")


def link_error(prefix: str = "lab") -> str | None:
    """Why the URL's maze could not be read; it goes when the maze is first changed."""
    return st.session_state.get(f"{prefix}_link_error")


def show_error(prefix: str, source: str) -> None:
    """Show the message of a change ``source`` refused, at the place it is called (next to that control)."""
    message = error(prefix, source)
    if message:
        st.error(message, icon=":material/error:")


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


def try_set(prefix: str, make: Callable[[], Layout], source: str = "editor") -> bool:
    """Replace the maze with ``make()``; on LayoutError keep the old one and record why, and which control."""
    try:
        layout = make()
    except LayoutError as err:
        st.session_state[f"{prefix}_error"] = (
            f"{WHAT_FAILED.get(source, 'Not applied')}: {sentence(str(err))} The maze is unchanged."
        )
        st.session_state[f"{prefix}_error_source"] = source
        return False
    st.session_state[f"{prefix}_maze"] = layout
    clear_error(prefix)
    st.session_state[f"{prefix}_link_error"] = None
    return True


def clear_error(prefix: str, source: str | None = None) -> None:
    """Drop the stored message (only if ``source`` caused it, when given): it no longer describes the page."""
    if source is None or st.session_state.get(f"{prefix}_error_source") == source:
        st.session_state[f"{prefix}_error"] = None
        st.session_state[f"{prefix}_error_source"] = None


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
        try_set(prefix, lambda: load_preset(name), "preset")


def on_random(prefix: str, split_key: str, seed_key: str) -> None:
    def make() -> Layout:
        try:
            return Split.parse(st.session_state[split_key]).sample(int(st.session_state[seed_key]))
        except SplitError as err:
            raise LayoutError(str(err)) from None

    try_set(prefix, make, "random")


def on_text(prefix: str, text_key: str) -> None:
    try_set(prefix, lambda: Layout.from_text(st.session_state.get(text_key, "")), "text")


def on_code(prefix: str, code_key: str) -> None:
    try_set(prefix, lambda: Layout.from_code(st.session_state.get(code_key, "")), "code")


def on_resize(prefix: str, height_key: str, width_key: str) -> None:
    try_set(
        prefix,
        lambda: resize(get(prefix), int(st.session_state[height_key]), int(st.session_state[width_key])),
        "resize",
    )


def on_upload(prefix: str, upload_key: str) -> None:
    upload = st.session_state.get(upload_key)
    if upload is None:
        clear_error(prefix, "upload")  # the file was removed (or the browser refused it): its message is stale
        return

    def make() -> Layout:
        raw = upload.getvalue()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise LayoutError(f"the file is {len(raw):,} bytes; layout files are at most {MAX_UPLOAD_BYTES:,}")
        try:
            return Layout.parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise LayoutError(f"{upload.name} is not a UTF-8 text file") from None

    try_set(prefix, make, "upload")
