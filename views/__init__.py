"""Streamlit pages: widgets -> Settings -> one call into alms -> render."""
