"""The session's shared state: the current snapshot (sidebar, link or newest), the sidebar
filters, and the link's query string read once per session.

Language, snapshot, filters and the open project live in the URL (``?lang=en&snapshot=3
&program=...&project=PRJ-001``) so that a view can be shared as a link."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from pmo_core import i18n, store
from ui import loaders
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]


FILTERS: dict[str, str] = {  # query-string key / project column -> label
    "program": "Programme",
    "department": "Direction",
    "status": "Status",
    "manager": "Manager",
}


def init_state() -> None:
    """Read the link (language, snapshot, filters) into the session, once per session.

    ``app.py`` calls it through :func:`sidebar`; a page run on its own (tests) calls it
    through the getters below, so it behaves as when opened from the app."""
    if "_init" in st.session_state:
        return
    st.session_state["_init"] = True
    st.session_state["sidebar_lang"] = i18n.norm_lang(st.query_params.get("lang"))
    for key in FILTERS:
        st.session_state[f"sidebar_{key}"] = _param_list(key)
    if st.query_params.get("snapshot", "").isdigit():
        st.session_state["sidebar_snapshot"] = int(st.query_params["snapshot"])


def current_snapshot_id() -> int | None:
    """The snapshot chosen in the sidebar, else the newest (None when the store is empty)."""
    init_state()
    value = st.session_state.get("sidebar_snapshot")
    if value is None:
        table = loaders.snapshots(loaders.db())
        return None if table.empty else int(table["snapshot_id"].max())
    return int(value)


def current_snapshot() -> store.Snapshot | None:
    """The snapshot chosen in the sidebar (newest by default), or None when empty."""
    sid = current_snapshot_id()
    if sid is None:
        return None
    snap = loaders.snapshot(sid, loaders.db())
    st.session_state["_currency"] = snap.currency
    return snap


def leave_legacy_mode() -> None:
    """Run the page through ``app.py`` when Streamlit opened it directly.

    Until ``app.py`` has called ``st.navigation`` once in this server process, Streamlit
    treats ``pages/`` as a legacy multipage folder: the first visitor of a link such as
    ``/overview`` would get the page alone, without seeding, sidebar or navigation. Such a
    run is sent to ``app.py`` with the link's query string, which then opens the page.
    (Streamlit internals: the flag lives on ``PagesManager``.)"""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        page = _calling_page()
        st.switch_page("app.py", query_params={**st.query_params.to_dict(), "page": page})


def _calling_page() -> str:
    """The stem of the page script that is running (``import_data``), or ''."""
    import inspect

    here = ROOT / "pages"
    for frame in inspect.stack():
        path = Path(frame.filename).resolve()
        if path.parent == here and path.suffix == ".py" and not path.name.startswith("_"):
            return path.stem
    return ""


def require_snapshot() -> store.Snapshot:
    """The current snapshot, or stop the page with a hint to import one."""
    leave_legacy_mode()
    snap = current_snapshot()
    if snap is None:
        st.info(t("No snapshot yet: import a workbook on the Import page."))
        st.stop()
    return snap


def previous_snapshot_id(snapshot_id: int) -> int | None:
    table = loaders.snapshots(loaders.db())
    older = table[table["snapshot_id"] < snapshot_id]
    return None if older.empty else int(older["snapshot_id"].max())


def select_snapshot(snapshot_id: int | None) -> None:
    """Show this snapshot (None: the newest) from the next run on: the sidebar's widget
    cannot be changed once drawn, so the choice waits for the next run."""
    st.session_state["_pending_snapshot"] = snapshot_id if snapshot_id is not None else -1


def _param_list(key: str) -> list[str]:
    return [v for v in st.query_params.get_all(key) if v]


def filters() -> dict[str, list[str]]:
    """The sidebar filters: column -> chosen values (empty = all)."""
    init_state()
    return {key: list(st.session_state.get(f"sidebar_{key}") or []) for key in FILTERS}


def filters_key() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The sidebar filters as a hashable tuple: the key of a cached loader that filters."""
    return tuple((k, tuple(v)) for k, v in filters().items())


def filter_projects(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``df`` (any frame with the filtered columns) that pass the filters."""
    return loaders.rows_matching(df, filters())


def filtered_ids(snap: store.Snapshot) -> set[str]:
    """Project ids of the current snapshot that pass the filters."""
    return set(filter_projects(snap.frames["projects"])["project_id"])
