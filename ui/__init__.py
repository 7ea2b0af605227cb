"""The Streamlit layer's shared code: state, loaders (every cache), sidebar, sign-in,
formatting and widgets. It imports streamlit and pmo_core; pmo_core never imports it."""
