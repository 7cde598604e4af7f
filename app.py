"""gmg: an interactive explainer of goal misgeneralization. Run: streamlit run app.py"""

import ctypes
import gc
import threading
import time
from functools import cache
from pathlib import Path

import streamlit as st

# A local image: a material-symbol page icon makes every browser fetch an SVG from a public font server.
ICON = str(Path(__file__).resolve().parent / "assets" / "icon.png")
st.set_page_config(page_title="gmg · goal misgeneralization", page_icon=ICON, layout="wide")

# Grouped in the top bar: the story a visitor follows, the tools to try things, and how it was all made.
pages = {
    "Story": [
        st.Page(
            "pages/home.py",
            title="What is goal misgeneralization?",
            icon=":material/explore:",
            url_path="home",
            default=True,
        ),
        st.Page("pages/predict.py", title="Predict, then reveal", icon=":material/psychology_alt:", url_path="predict"),
        st.Page("pages/training.py", title="How the proxy is learned", icon=":material/timeline:", url_path="training"),
        st.Page("pages/seeds.py", title="The seed lottery", icon=":material/casino:", url_path="seeds"),
        st.Page("pages/networks.py", title="Same mazes, different network", icon=":material/hub:", url_path="networks"),
    ],
    "Tools": [
        st.Page("pages/lab.py", title="Maze lab", icon=":material/science:", url_path="lab"),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
        st.Page("pages/experiments.py", title="Experiments", icon=":material/bar_chart:", url_path="experiments"),
        st.Page("pages/inside.py", title="Inside the agent", icon=":material/neurology:", url_path="inside"),
    ],
    "Method": [
        st.Page("pages/method.py", title="Method", icon=":material/menu_book:", url_path="method"),
    ],
}


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server process: import what the tool pages need in the background, while the first visitor reads.

    The maze editor's registration scans the installed packages and plotly's figure classes take a while to
    import; without this, the first visit to /lab paid for both.
    """

    def work() -> None:
        import plotly.graph_objects  # noqa: F401

        import gmg.experiments
        import gmg.maps
        import gmg.ui.editor  # noqa: F401
        from gmg.presets import load_examples
        from gmg.ui.views import example_gif_bytes

        # The landing page's GIFs are drawn once per process (about half a second each).
        for name in load_examples():
            example_gif_bytes(name)
        # Encoding them held 60 MB of freed frames until the janitor's next pass (171 MB after a first visitor).
        release_memory()

    thread = threading.Thread(target=work, name="gmg-warm-up", daemon=True)
    thread.start()
    return thread


@cache
def _libc() -> ctypes.CDLL | None:
    """glibc, loaded on first use by the memory threads (not on every rerun of this script); None elsewhere."""
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def release_memory() -> None:
    """Hand the heap pages that Python freed back to the OS (glibc keeps them for reuse); a pass takes milliseconds."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@st.cache_resource(show_spinner=False)
def memory_janitor() -> threading.Thread:
    """Once per server process: every 10 s, release the memory that sessions freed.

    Without it a server's memory never came down after a crowd left.
    """

    def work() -> None:
        while True:
            time.sleep(10)
            release_memory()

    thread = threading.Thread(target=work, name="gmg-memory", daemon=True)
    thread.start()
    return thread


warm_up()
memory_janitor()
st.navigation(pages, position="top").run()
