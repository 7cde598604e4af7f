"""gmg: an interactive explainer of goal misgeneralization. Run: streamlit run app.py"""

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
st.navigation(pages, position="top").run()
