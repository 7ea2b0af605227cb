"""The session's shared state: the current snapshot (sidebar, link or newest), the sidebar
filters, and the link's query string read once per session.

Language, snapshot, filters and the open project live in the URL (``?lang=en&snapshot=3
&program=...&project=PRJ-001``) so that a view can be shared as a link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import i18n, store
from pmo_core.schema import STATUSES
from ui import loaders
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]


FILTERS: dict[str, str] = {  # query-string key / project column -> label
    "program": "Programme",
    "department": "Direction",
    "status": "Status",
    "manager": "Manager",
    "sponsor": "Sponsor",
}

#: The Projects page's own view of the list, kept in the link beside the sidebar filters
#: (a KPI card or a "what changed" count opens the list behind it): ``rag`` and each
#: dimension (``schedule``, ``cost``, ``milestones``, ``quality``: red, amber, green,
#: none), ``changed`` (a :data:`pmo_core.kpi.diff.CHANGE_FILTERS` key), ``warned=1``,
#: ``gaps=1``, ``scope`` (execution, open) and ``sort``.
VIEW_PARAMS: tuple[str, ...] = (
    "rag",
    "schedule",
    "cost",
    "milestones",
    "quality",
    "changed",
    "warned",
    "gaps",
    "scope",
    "sort",
)


def init_state() -> None:
    """Read the link (language, snapshot, filters) into the session, once per session.

    ``app.py`` calls it through :func:`sidebar`; a page run on its own (tests) calls it
    through the getters below, so it behaves as when opened from the app."""
    if "_init" in st.session_state:
        return
    st.session_state["_init"] = True
    # A session that moved to another replica (its own stopped) can start with an empty
    # query string: its browser's sidebar values then say where it was.
    moved = {} if st.query_params.get("lang") else browser_sidebar_values()
    lang = i18n.norm_lang(st.query_params.get("lang") or moved.get("lang"))
    st.session_state["sidebar_lang"] = lang
    for key in FILTERS:
        st.session_state[f"sidebar_{key}"] = _param_list(key) or moved.get(key, [])
    asked = st.query_params.get("snapshot", "") or moved.get("snapshot", "")
    if asked.isdigit():
        st.session_state["sidebar_snapshot"] = _valid_snapshot(int(asked))
    elif asked:
        st.session_state["_link_notice"] = ("snapshot_bad", asked, None)


#: The language switch's two labels (ui/sidebar.py), by code.
LANG_LABELS = {"fr": "Français", "en": "English"}


def snapshot_label(snapshot_id: int, as_of: str, source: str) -> str:
    """A snapshot as the sidebar's box names it: ``#25 · as of 31 Oct 2026 · file.xlsx``,
    ``as_of`` and ``source`` as the user reads them (``demo.xlsx (30/11/2025)``); read
    back by :func:`snapshot_id_of`, whatever the source's text."""
    return f"#{snapshot_id} · {as_of} · {source}"


#: The id at the head of a :func:`snapshot_label`.
SNAPSHOT_ID = re.compile(r"#(\d+) · ")


def snapshot_id_of(label: object) -> str | None:
    """The snapshot id (as text) of a :func:`snapshot_label`, None when it is none."""
    m = SNAPSHOT_ID.match(str(label))
    return m.group(1) if m else None


def browser_sidebar_values() -> dict[str, Any]:
    """The sidebar's language, snapshot and filters as the browser sent them with this
    run, for a new session whose browser is not new: after a replica stops, the browser
    reconnects to another one and its first run there can carry no query string (seen in
    bench/load_test.py: the session came back in French, on the newest snapshot,
    unfiltered). Streamlit (1.67) keeps those values, still serialized, under each
    widget's id (``$$ID-<hash>-<key>``) and drops them when a new session draws the widget,
    so they are read here, before: ``{"lang": "en", "snapshot": "2", "program": [...]}``
    (what the browser sent; empty for a first visit, or if Streamlit keeps them
    elsewhere: then the link's defaults, as before)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    try:
        ctx = get_script_run_ctx()
        states = dict(ctx.session_state._state._new_widget_state.states) if ctx else {}
    except AttributeError:
        return {}
    sent: dict[str, Any] = {}
    for wid, state in states.items():
        key = str(wid).rsplit("-", 1)[-1]
        proto = getattr(state, "value", None)
        if not key.startswith("sidebar_") or type(state).__name__ != "Serialized":
            continue
        field = proto.WhichOneof("value")
        if field == "string_array_value":
            sent[key] = list(proto.string_array_value.data)
        elif field == "string_value":
            sent[key] = proto.string_value
    out: dict[str, Any] = {}
    by_label = {label: code for code, label in LANG_LABELS.items()}
    lang = by_label.get((sent.get("sidebar_lang") or [""])[0])
    if lang:
        out["lang"] = lang
    snapshot = snapshot_id_of(sent.get("sidebar_snapshot", ""))
    if snapshot:
        out["snapshot"] = snapshot
    for key in FILTERS:
        values = sent.get(f"sidebar_{key}") or []
        if key == "status":  # shown in the browser's language: back to the stored codes
            words = {i18n.t(code, lang): code for code in STATUSES}
            values = [words.get(v, v) for v in values]
        if values:
            out[key] = values
    return out


def nearest_snapshot(asked: int, ids: list[int]) -> int:
    """The snapshot id of ``ids`` closest to ``asked`` (the newer of two as close).

    >>> nearest_snapshot(99, [1, 2, 3]), nearest_snapshot(2, [1, 3]), nearest_snapshot(0, [4, 7])
    (3, 3, 4)
    """
    return min(ids, key=lambda i: (abs(i - asked), -i))


def _valid_snapshot(asked: int) -> int:
    """``asked`` when it exists, else the nearest one, with a notice for the page."""
    table = loaders.snapshots(loaders.db())
    ids = [int(i) for i in table["snapshot_id"]]
    if not ids or asked in ids:
        return asked  # an empty store is seeded after this: nothing to check yet
    nearest = nearest_snapshot(asked, ids)
    st.session_state["_link_notice"] = ("snapshot", asked, nearest)
    return nearest


def link_notice() -> None:
    """Say, once, that the link named a snapshot that does not exist and which one is shown."""
    notice = st.session_state.pop("_link_notice", None)
    if notice is None:
        return
    kind, asked, shown = notice
    if kind == "snapshot_bad":
        st.warning(
            t(
                'The link\'s snapshot "{asked}" is not a snapshot number: showing the newest snapshot.',
                asked=asked,
            )
        )
        return
    row = loaders.snapshots(loaders.db()).set_index("snapshot_id").loc[shown]
    st.warning(
        t(
            "Snapshot #{asked} does not exist (deleted, or never imported): showing snapshot "
            "#{shown} as of {date}, the nearest one.",
            asked=asked,
            shown=shown,
            date=i18n.fmt_date(row["as_of"], i18n.norm_lang(st.session_state.get("sidebar_lang"))),
        )
    )


def view() -> dict[str, list[str]]:
    """The Projects page's view from the link: :data:`VIEW_PARAMS` key -> values."""
    return {k: _param_list(k) for k in VIEW_PARAMS if _param_list(k)}


def link_params(**view_params: str | list[str]) -> dict[str, str | list[str]]:
    """The query string of a link to another page with this language, snapshot and
    filters, and ``view_params`` (the Projects page's view)."""
    init_state()
    out: dict[str, str | list[str]] = {"lang": i18n.norm_lang(st.session_state.get("sidebar_lang"))}
    sid = current_snapshot_id()
    if sid is not None and sid != loaders.newest_snapshot_id(loaders.db()):
        out["snapshot"] = str(sid)
    for key, values in filters().items():
        if values:
            out[key] = values
    out.update(view_params)
    return out


def current_snapshot_id() -> int | None:
    """The snapshot chosen in the sidebar, else the newest (None when the store is empty)."""
    init_state()
    value = st.session_state.get("sidebar_snapshot")
    if value is None:
        return loaders.newest_snapshot_id(loaders.db())
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
    link_notice()
    return snap


def previous_snapshot_id(snapshot_id: int) -> int | None:
    """The snapshot just before ``snapshot_id`` in the store (None: the oldest)."""
    return loaders.previous_snapshot_id(snapshot_id, loaders.db())


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
