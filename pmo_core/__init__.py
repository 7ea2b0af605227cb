"""PMO Cockpit core library: import, store, KPIs, alignment, capacity, optimisation.

No Streamlit here: the app in ``app.py`` and ``pages/`` is a thin layer over this package.
"""

__version__ = "0.1.0"
