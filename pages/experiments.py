import streamlit as st

st.title("experiments")
st.write("Coming soon.")
