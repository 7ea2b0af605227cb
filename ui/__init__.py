"""The Streamlit layer's shared code: loaders (every cache), state, sidebar, sign-in (auth),
formatting, widgets, and the panels too large for a page (``*_panels``, ``projects_detail``,
``snapshot_history``, ``whatif``). It imports streamlit and pmo_core; pmo_core never
imports it."""
