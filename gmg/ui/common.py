"""Shared Streamlit helpers: cached agents, the current maze, share links, fast figures."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import streamlit as st

from gmg.agents import REFERENCE_AGENTS, available, load_agent, read_card
from gmg.inside import SteeredAgent, path_map, steering_vectors
from gmg.layout import Layout, LayoutError
from gmg.maps import cue_map, outcome_map, policy_field

DEFAULT_PRESET = "cue-shifted"
MAX_SEED = 2**31 - 1


@st.cache_resource(show_spinner="Loading agent…")
def cached_agent(name: str) -> Any:
    """An agent from the registry, loaded once per server (weights are read-only)."""
    return load_agent(name)


@st.cache_data(show_spinner=False)
def agent_names() -> list[str]:
    return available()


@st.cache_data(show_spinner=False)
def agent_card(name: str) -> dict:
    if name in REFERENCE_AGENTS:
        return cached_agent(name).card
    return read_card(name)


Steer = tuple[str, int, float]  # (vector kind, layer, coefficient): see gmg.inside.SteeredAgent


def steered_agent(name: str, steer: Steer | None = None) -> Any:
    """The cached agent, or it with a shipped steering vector added (a zero coefficient is the agent itself)."""
    agent = cached_agent(name)
    if not steer or not steer[2]:
        return agent
    kind, layer, coef = steer
    return SteeredAgent(agent, layer, steering_vectors(name)[kind][layer], coef)


# Whole-maze maps depend only on (agent, maze, seed, steering): computed once per server, shared by every visitor
# (most visitors open the same presets). Bounded, so a crowd drawing mazes cannot grow it without end.
@st.cache_data(show_spinner=False, max_entries=256)
def cached_map(kind: str, agent: str, code: str, seed: int, steer: Steer | None = None) -> dict:
    """``kind`` is "policy arrows", "outcome map", "fool the agent" (the cue map) or "path map"."""
    layout = Layout.from_code(code)
    model = steered_agent(agent, steer)
    if kind == "policy arrows":
        return policy_field(model, layout)
    if kind == "path map":
        return path_map(model, layout)
    make = outcome_map if kind == "outcome map" else cue_map
    return make(model, layout, seed=seed)


def default_agent() -> str:
    names = agent_names()
    return "cue-always" if "cue-always" in names else names[0]


def _fast_figure(spec: dict) -> Any:
    """Wrap a figure dict so st.plotly_chart skips plotly's validation.

    Streamlit turns dicts into ``go.Figure`` objects to validate them, which
    costs ~250 ms for a 50-frame animation; gmg.figures builds dicts to the
    schema (and tests/test_figures.py validates them with plotly once).
    """
    import plotly.graph_objects as go

    class Prebuilt(go.Figure):
        def __init__(self, spec: dict) -> None:
            super().__init__()
            self._spec = spec

        def to_dict(self) -> dict:  # type: ignore[override]
            return self._spec

    return Prebuilt(spec)


def show_figure(spec: dict, key: str | None = None) -> None:
    st.plotly_chart(
        _fast_figure(spec),
        key=key,
        config={"displayModeBar": False, "responsive": True},
        theme=None,
        width="stretch",
    )


def layout_from_query(param: str = "maze") -> tuple[Layout | None, str | None]:
    """The layout encoded in the URL, or an error message saying what is wrong with it."""
    code = st.query_params.get(param)
    if code is None:
        return None, None
    try:
        return Layout.from_code(code), None
    except LayoutError as err:
        return None, f"The link's maze code could not be read: {sentence(str(err))} Showing the default maze instead."


def share_query(layout: Layout, **extra: Any) -> str:
    params = {"maze": layout.to_code(), **{k: v for k, v in extra.items() if v is not None}}
    return "?" + urlencode(params)


def app_url(page: str) -> str:
    """The full address of ``page``, the page being drawn (its url_path), as the visitor reached it.

    From ``st.context.url`` (scheme, host, any base path); relative when there is none (AppTest).
    """
    here = (st.context.url or "").rstrip("/")
    if not here:
        return f"/{page}"
    root = here.removesuffix("/" + page)
    return f"{root}/{page}"


def open_section(label: str, key: str) -> Any:
    """An expander whose contents the page draws only while it is open: the expander when open, else None.

    Widgets and figures inside a closed expander still cost the browser their scripts and their draw on every
    visit; a section that reruns on opening and closing costs nothing until a visitor opens it.
    """
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def share_box(label: str, key: str, page: str, query: str, what: str) -> None:
    """An expander ``label`` that holds, on ``page`` (its url_path), a full link with every setting in a code box
    whose copy button copies it (wrapped, so it fits a phone).

    The box is drawn only while the expander is open: a code box loads Streamlit's syntax highlighter, whose
    script cost every page that showed one about 0.2 s of the browser's main thread before its first figure.
    """
    box = open_section(label, key)
    if box is not None:
        with box:
            st.caption(f"This link opens {what}. Copy it with the button at the box's top right.")
            st.code(app_url(page) + query, language=None, wrap_lines=True)


def sentence(text: str) -> str:
    """``text`` ending in exactly one full stop (messages join clauses that may already end in ? or .)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def keep(*keys: str) -> None:
    """Keep these widget values for the whole session, across pages.

    Streamlit drops a widget's value when a run does not draw it (another page), so each value is mirrored under
    ``_keep_KEY`` and put back when the page is drawn again. Call it before the widgets (to put values back) and
    again after them (to mirror what they hold now), in every fragment that owns some of them (a fragment's rerun
    does not run the rest of the page).
    """
    for key in keys:
        mirror = f"_keep_{key}"
        if key in st.session_state:
            st.session_state[mirror] = st.session_state[key]
        elif mirror in st.session_state:
            st.session_state[key] = st.session_state[mirror]


def scenario_mazes(key: str, card: dict) -> list[str]:
    """The card's scenario presets (:func:`gmg.ui.chapters.scenario_presets`), with the session's choice ``key`` put
    back to the first of them when it is not one (another agent's scenario, or nothing chosen yet)."""
    from gmg.ui.chapters import scenario_presets

    presets = scenario_presets(card)
    if st.session_state.get(key) not in presets:
        st.session_state[key] = presets[0]
    return presets


def held(key: str, fallback: Any = None) -> Any:
    """The value this session holds for widget ``key``, to declare as that widget's own default.

    A value the app puts in session state (from a link, a keep() mirror, a setdefault) reaches the browser once,
    with the run that set it. When the browser never draws that run (a phone's first run is replaced at once by
    the rerun that reports its width), the widget shows its declared default instead (a slider's minimum, a
    selectbox's first option) and sends it with the visitor's next click: the steering slider jumped to -2 on
    phones. Declaring the held value as the default makes that fallback the same value.
    """
    return st.session_state.get(key, fallback)


def held_index(key: str, options: Any, empty: int | None = 0) -> int | None:
    """:func:`held` for a selectbox: the held value's index in ``options`` (``empty`` when it holds none of them)."""
    options = list(options)
    value = st.session_state.get(key)
    return options.index(value) if value in options else empty


def send_to_lab(layout: Layout, agent: str, seed: int) -> None:
    """Open the lab on this maze, agent and seed, with the run already played (it animates on arrival)."""
    from gmg.rollout import run

    st.session_state.lab_maze = layout
    st.session_state.lab_error = None
    for key, value in (("lab_agent", agent), ("lab_seed", int(seed)), ("lab_greedy", False)):
        st.session_state[key] = st.session_state[f"_keep_{key}"] = value
    run_key = (layout.to_code(), agent, int(seed), False, None)  # as pages/lab.py keys its run (no steering)
    st.session_state.lab_run = (run_key, run(cached_agent(agent), layout, seed=int(seed)))
    st.session_state.lab_autoplay = run_key
    st.switch_page("pages/lab.py")


def seed_from_query(default: int = 0) -> int:
    try:
        seed = int(st.query_params.get("seed", default))
    except ValueError:
        return default
    return seed if 0 <= seed <= MAX_SEED else default


def ensure_navigation() -> None:
    """Route a page through app.py's ``st.navigation`` even on a fresh server.

    Streamlit treats a ``pages/`` folder as a legacy multipage app until the
    entry point has called ``st.navigation`` once in the process, so the very
    first deep link (``/lab``) would run the page bare: legacy sidebar, no page
    config. Clearing that flag and rerunning sends the run through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # Only a session's first run reruns: a later run may carry a click that a
        # rerun would drop (AppTest resets the flag before every run).
        if not st.session_state.get("_gmg_routed"):
            st.session_state["_gmg_routed"] = True
            st.rerun()
