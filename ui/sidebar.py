"""The sidebar (language, sign-in, snapshot, filters) and the link to the current view,
kept in the URL's query string."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from ui import auth as access
from ui import format as fmt
from ui import loaders, state
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]


def sidebar() -> None:
    """Language, snapshot and filters; kept in the URL's query string."""
    state.init_state()
    pending = st.session_state.pop("_pending_snapshot", None)
    if pending is not None:
        st.session_state["sidebar_snapshot"] = None if pending == -1 else pending
    with st.sidebar:
        st.segmented_control(
            t("Language"),
            ["fr", "en"],
            key="sidebar_lang",
            format_func=state.LANG_LABELS.__getitem__,
        )
        access.sign_in()
        table = loaders.snapshots(loaders.db())
        if table.empty:
            st.session_state["sidebar_snapshot"] = None
            st.info(t("No snapshot yet: import a workbook on the Import page."))
        else:
            choices = loaders.snapshot_choices(loaders.db(), fmt.lang())
            ids = [sid for sid, _, _ in choices]
            if st.session_state.get("sidebar_snapshot") not in ids:
                st.session_state["sidebar_snapshot"] = ids[0]
            labels = {sid: state.snapshot_label(sid, as_of, src) for sid, as_of, src in choices}
            st.selectbox(
                t("Snapshot"), ids, key="sidebar_snapshot", format_func=lambda i: labels[i]
            )
            snap = state.current_snapshot()
            if snap is not None:
                _filter_widgets(
                    loaders.filter_options(snap.snapshot_id, loaders.db(), tuple(state.FILTERS))
                )
    _write_query_params()
    with st.sidebar:
        st.session_state["_link_slot"] = st.empty()
    show_link()


def _filter_widgets(choices: dict[str, list[str]]) -> None:
    st.markdown(f"**{t('Filters')}**")
    for key, label in state.FILTERS.items():
        options = choices[key]
        current = [v for v in st.session_state.get(f"sidebar_{key}", []) if v in options]
        st.session_state[f"sidebar_{key}"] = current
        fmt = (lambda v: t(v)) if key == "status" else str
        st.multiselect(
            t(label), options, key=f"sidebar_{key}", format_func=fmt, placeholder=t("All")
        )


def _write_query_params() -> None:
    # The language, the snapshot unless the newest, the filters: as every link has them.
    wanted: dict[str, Any] = dict(state.link_params())
    for key in ("project", "page"):  # the open project; a redirected link's page
        if st.query_params.get(key):
            wanted[key] = st.query_params[key]
    for key in state.VIEW_PARAMS:  # the Projects page's view (a drill-down's filter)
        if st.query_params.get_all(key):
            wanted[key] = st.query_params.get_all(key)
    current = {
        k: (
            st.query_params.get_all(k)
            if isinstance(wanted.get(k), list)
            else st.query_params.get(k)
        )
        for k in st.query_params
    }
    if current != wanted:
        st.query_params.from_dict(wanted)


def view_url() -> str:
    """The full link to the current view: page URL, then language, snapshot, filters and
    project from the query string (the ``page`` of a redirected link is in the path)."""
    pairs = [(k, v) for k in st.query_params if k != "page" for v in st.query_params.get_all(k)]
    query = urlencode(pairs)
    return f"{_page_url()}?{query}" if query else _page_url()


def _page_url() -> str:
    """The page's URL as the browser sees it (``st.context.url``), else built from the
    ``Host`` header and the page's path (a client that sent no URL)."""
    if st.context.url:
        return str(st.context.url)
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    host = st.context.headers.get("Host")
    ctx = get_script_run_ctx()
    pages = ctx.pages_manager if ctx is not None else None
    info = pages.get_pages().get(pages.current_page_script_hash, {}) if pages else {}
    path = str(info.get("url_pathname") or "")
    return f"http://{host}/{path}" if host else f"/{path}"


def show_link() -> None:
    """The sidebar's "link to this view", with Streamlit's copy button.

    :func:`sidebar` draws it, and ``app.py`` draws it again after the page has run, as a
    page may change the query string (the project opened on the Projects page)."""
    slot = st.session_state.get("_link_slot")
    if slot is None:
        return
    with slot.container():
        st.markdown(f"**{t('Link to this view')}**")
        st.code(view_url(), language=None, wrap_lines=True)
        st.caption(
            t(
                "Copy it with the button at its right: it opens this page with the same language, snapshot, filters and project."
            )
        )
