"""Inside the agent: why it chases the cue (attribution, the fork, steering, the path map)."""

import streamlit as st

st.title("Inside the agent")
st.write("What the agent looks at, where it decides, and whether one direction in its network steers it.")
