import streamlit as st

st.title("method")
st.write("Coming soon.")
