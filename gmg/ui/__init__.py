"""Streamlit helpers. The only part of gmg that imports streamlit."""
