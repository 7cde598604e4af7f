"""gmg: an interactive explainer of goal misgeneralization. Run: streamlit run app.py"""

import threading
from pathlib import Path

import streamlit as st

# A local image: a material-symbol page icon makes every browser fetch an SVG from a public font server.
ICON = str(Path(__file__).resolve().parent / "assets" / "icon.png")
st.set_page_config(page_title="gmg · goal misgeneralization", page_icon=ICON, layout="wide")

pages = [
    st.Page(
        "pages/home.py",
        title="What is goal misgeneralization?",
        icon=":material/explore:",
        url_path="home",
        default=True,
    ),
    st.Page("pages/lab.py", title="Maze lab", icon=":material/science:", url_path="lab"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
    st.Page("pages/experiments.py", title="Experiments", icon=":material/bar_chart:", url_path="experiments"),
    st.Page("pages/method.py", title="Method", icon=":material/menu_book:", url_path="method"),
]


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

    thread = threading.Thread(target=work, name="gmg-warm-up", daemon=True)
    thread.start()
    return thread


warm_up()
st.navigation(pages, position="top").run()
