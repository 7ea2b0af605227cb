"""What every page shares: language, snapshot, filters, cached loaders, formatting.

The page contract (STYLE.md): a page reads the shared state set by ``app.py`` through
these helpers, reads its own widgets (keys ``"<page>_<name>"``), calls a cached loader,
one ``pmo_core`` function and one ``pmo_core.charts`` builder, and renders. No SQL, no
duckdb, no KPI computed here or in pages.

Usage in a page::

    from pages import _shared as shared
    snap = shared.require_snapshot()          # stops the page with a hint when empty
    projects = shared.filter_projects(snap.frames["projects"])
    st.metric(shared.t("Budget"), shared.money(projects["budget"].sum()))

Language, snapshot, filters and the open project live in the URL (``?lang=en&snapshot=3
&program=...&project=PRJ-001``) so that a view can be shared as a link.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from pmo_core import auth, i18n, store
from pmo_core.demo import history as demo_history
from pmo_core.errors import PmoError, StoreBusy

ROOT = Path(__file__).resolve().parents[1]
DEMO_WORKBOOK = ROOT / "data" / "demo_portfolio.xlsx"
FILTERS: dict[str, str] = {  # query-string key / project column -> label
    "program": "Programme",
    "department": "Direction",
    "status": "Status",
    "manager": "Manager",
}


# ------------------------------------------------------------------- language and text


def lang() -> str:
    """The user's language: the sidebar switch, else ``?lang=``, else French."""
    value = st.session_state.get("sidebar_lang") or st.query_params.get("lang")
    return i18n.norm_lang(value)


def t(text: str, **params: Any) -> str:
    return i18n.t(text, lang(), **params)


def currency() -> str:
    return str(st.session_state.get("_currency", "EUR"))


def money(x: object, compact: bool = True) -> str:
    return i18n.fmt_money(x, lang(), currency(), compact=compact)


def number(x: object, decimals: int = 0) -> str:
    return i18n.fmt_number(x, lang(), decimals)


def pct(x: object, decimals: int = 0, ratio: bool = False) -> str:
    return i18n.fmt_pct(x, lang(), decimals, ratio)


def date(x: object) -> str:
    return i18n.fmt_date(x, lang())


def month(x: object) -> str:
    return i18n.fmt_month(x, lang())


# ------------------------------------------------------------------- store and caches


def db() -> str:
    """The store's path (``PMO_DB_PATH`` or ``data/pmo.duckdb``)."""
    return str(store.db_path(os.environ.get("PMO_DB_PATH") or ROOT / "data" / "pmo.duckdb"))


@st.cache_data(ttl=30, max_entries=16, show_spinner=False)
def snapshots(db_path: str) -> pd.DataFrame:
    """Every snapshot, newest first (refreshed every 30 s: a scheduled import shows up)."""
    return store.list_snapshots(db_path)


@st.cache_resource(max_entries=8, show_spinner=False)
def snapshot(snapshot_id: int, db_path: str) -> store.Snapshot:
    """One snapshot with all its frames; shared between sessions, never mutated. Its
    free text is made formula-safe for display: a table's "download as CSV" writes what
    it shows (the library, the CLI and the pack read the store as it is)."""
    from dataclasses import replace

    from pmo_core.export_safety import safe_text_columns

    snap = store.get_snapshot(snapshot_id, path=db_path)
    return replace(snap, frames={k: safe_text_columns(v) for k, v in snap.frames.items()})


def clear_caches() -> None:
    """After the app's own writes (import, delete, documents)."""
    snapshots.clear()
    snapshot.clear()
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def _seed_once(db_path: str) -> int | None:
    """Import the demo workbook and its two earlier months into an empty store, once per
    process (a cockpit with one snapshot cannot show a trend)."""
    if store.latest_snapshot_id(db_path) is not None or not DEMO_WORKBOOK.exists():
        return None
    return demo_history.seed_demo(DEMO_WORKBOOK, path=db_path)[-1]


def ensure_seeded() -> None:
    """On first start with an empty store, import the demo portfolio."""
    path = db()
    if not snapshots(path).empty:
        return
    with st.spinner(t("First start: importing the demo portfolio...")):
        try:
            _seed_once(path)
        except StoreBusy:
            _seed_once.clear()
    snapshots.clear()


# ------------------------------------------------------------------- current snapshot


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
        table = snapshots(db())
        return None if table.empty else int(table["snapshot_id"].max())
    return int(value)


def current_snapshot() -> store.Snapshot | None:
    """The snapshot chosen in the sidebar (newest by default), or None when empty."""
    sid = current_snapshot_id()
    if sid is None:
        return None
    snap = snapshot(sid, db())
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

    here = Path(__file__).resolve().parent
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
    table = snapshots(db())
    older = table[table["snapshot_id"] < snapshot_id]
    return None if older.empty else int(older["snapshot_id"].max())


# ------------------------------------------------------------------- who may do what


def auth_config() -> auth.AuthConfig:
    """The sign-in configuration from ``.streamlit/secrets.toml`` (none: open mode)."""
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        secrets = {}
    return auth.AuthConfig.from_secrets(secrets)


def _user_email() -> str | None:
    try:
        user = st.user
        return str(user.get("email")) if user.get("is_logged_in") else None
    except (AttributeError, KeyError, StreamlitSecretNotFoundError):
        return None


def role() -> str:
    """``viewer``, ``requester`` or ``editor`` for this session."""
    cfg = auth_config()
    if cfg.mode == "open":
        return "editor"
    if cfg.mode == "oidc":
        return cfg.role_for_email(_user_email())
    return str(st.session_state.get("_role", "viewer"))


def can(action: str) -> bool:
    """May this session do ``action`` (import, delete, profile, scenario, request, review)?"""
    return auth_config().allows(role(), action)


def who() -> str | None:
    """Who the audit log names: the e-mail, the password's role, or "local" (open mode)."""
    cfg = auth_config()
    if cfg.mode == "open":
        return "local"
    if cfg.mode == "oidc":
        return _user_email()
    r = st.session_state.get("_role")
    return f"{r} (password)" if r else None


def hint(action: str) -> str | None:
    """The help shown on a control this session may not use (None when it may)."""
    if can(action):
        return None
    needed = "requester" if action == "request" else "editor"
    return t("Sign in as {role} to do this (sidebar).", role=t(ROLE_NAMES[needed]).lower())


ROLE_NAMES = {"viewer": "Viewer", "requester": "Requester", "editor": "Editor"}


def _sign_in() -> None:
    """The sidebar's sign-in block, by mode."""
    import time

    cfg = auth_config()
    current = role()
    if cfg.mode == "open":
        st.caption(t("Open mode: no sign-in configured, everyone can edit."))
        return
    if cfg.mode == "oidc":
        email = _user_email()
        if email:
            st.caption(t("Signed in as {who} ({role})", who=email, role=t(ROLE_NAMES[current])))
            st.button(t("Sign out"), key="sidebar_logout", on_click=st.logout)
        else:
            st.button(
                t("Sign in"),
                key="sidebar_login",
                on_click=st.login,
                args=(cfg.provider,) if cfg.provider else (),
            )
        return
    if current != "viewer":
        st.caption(t("Signed in as {role}", role=t(ROLE_NAMES[current])))
        if st.button(t("Sign out"), key="sidebar_logout"):
            st.session_state.pop("_role", None)
            st.rerun()
        return
    with st.expander(t("Sign in to edit")):
        password = st.text_input(t("Password"), type="password", key="sidebar_password")
        if st.button(t("Sign in"), key="sidebar_login"):
            failures: list[float] = st.session_state.setdefault("_failures", [])
            left, wait = auth.attempts_left(failures, time.time())
            if left == 0:
                st.error(t("Too many wrong passwords: try again in {s} s.", s=int(wait) + 1))
                return
            granted = cfg.role_for_password(password or "")
            if granted is None:
                failures.append(time.time())
                st.error(t("Wrong password."))
                return
            st.session_state["_role"] = granted
            st.session_state.pop("_failures", None)
            st.rerun()


# ------------------------------------------------------------------- sidebar and filters


def select_snapshot(snapshot_id: int | None) -> None:
    """Show this snapshot (None: the newest) from the next run on: the sidebar's widget
    cannot be changed once drawn, so the choice waits for the next run."""
    st.session_state["_pending_snapshot"] = snapshot_id if snapshot_id is not None else -1


def _param_list(key: str) -> list[str]:
    return [v for v in st.query_params.get_all(key) if v]


def sidebar() -> None:
    """Language, snapshot and filters; kept in the URL's query string."""
    init_state()
    pending = st.session_state.pop("_pending_snapshot", None)
    if pending is not None:
        st.session_state["sidebar_snapshot"] = None if pending == -1 else pending
    with st.sidebar:
        st.segmented_control(
            t("Language"),
            ["fr", "en"],
            key="sidebar_lang",
            format_func=lambda c: {"fr": "Français", "en": "English"}[c],
        )
        _sign_in()
        table = snapshots(db())
        if table.empty:
            st.session_state["sidebar_snapshot"] = None
            st.info(t("No snapshot yet: import a workbook on the Import page."))
        else:
            ids = [int(i) for i in table["snapshot_id"]]
            if st.session_state.get("sidebar_snapshot") not in ids:
                st.session_state["sidebar_snapshot"] = ids[0]
            labels = {
                int(r.snapshot_id): f"#{int(r.snapshot_id)} · "
                + t("as of {date}", date=date(r.as_of))
                + f" · {r.source}"
                for r in table.itertuples()
            }
            st.selectbox(
                t("Snapshot"), ids, key="sidebar_snapshot", format_func=lambda i: labels[i]
            )
            snap = current_snapshot()
            if snap is not None:
                _filter_widgets(snap.frames["projects"])
    _write_query_params()
    with st.sidebar:
        st.session_state["_link_slot"] = st.empty()
    show_link()


def _filter_widgets(projects: pd.DataFrame) -> None:
    st.markdown(f"**{t('Filters')}**")
    for key, label in FILTERS.items():
        options = sorted(str(v) for v in projects[key].dropna().unique())
        current = [v for v in st.session_state.get(f"sidebar_{key}", []) if v in options]
        st.session_state[f"sidebar_{key}"] = current
        fmt = (lambda v: t(v)) if key == "status" else str
        st.multiselect(
            t(label), options, key=f"sidebar_{key}", format_func=fmt, placeholder=t("All")
        )


def _write_query_params() -> None:
    wanted: dict[str, Any] = {"lang": lang()}
    sid = current_snapshot_id()
    table = snapshots(db())
    if sid is not None and not table.empty and sid != int(table["snapshot_id"].max()):
        wanted["snapshot"] = str(sid)
    for key in FILTERS:
        values = st.session_state.get(f"sidebar_{key}") or []
        if values:
            wanted[key] = list(values)
    for key in ("project", "page"):  # the open project; a redirected link's page
        if st.query_params.get(key):
            wanted[key] = st.query_params[key]
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


def filters() -> dict[str, list[str]]:
    """The sidebar filters: column -> chosen values (empty = all)."""
    init_state()
    return {key: list(st.session_state.get(f"sidebar_{key}") or []) for key in FILTERS}


def filter_projects(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``df`` (any frame with the filtered columns) that pass the filters."""
    mask = pd.Series(True, index=df.index)
    for key, values in filters().items():
        if values and key in df.columns:
            mask &= df[key].astype("string").isin(values).fillna(False)
    return df[mask]


def filtered_ids(snap: store.Snapshot) -> set[str]:
    """Project ids of the current snapshot that pass the filters."""
    return set(filter_projects(snap.frames["projects"])["project_id"])


def show_error(exc: PmoError) -> None:
    st.error(str(exc))


@st.cache_data(max_entries=16, show_spinner=False)
def kpis(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Per-project KPIs of a snapshot (the same frame the CLI's ``kpis`` prints)."""
    from pmo_core import kpi

    return kpi.snapshot_kpis(snapshot(snapshot_id, db_path))


RAG_NAMES = {"G": "Green", "A": "Amber", "R": "Red"}


def rag_label(code: object) -> str:
    """``Rouge`` / ``Red``; blank when no RAG."""
    if not isinstance(code, str) or code not in RAG_NAMES:
        return ""
    return t(RAG_NAMES[code])


def selected(event: Any, what: str = "points") -> list[Any]:
    """The points (charts) or rows (tables) a click selected, [] when none."""
    if not event or not event.selection:
        return []
    return list(event.selection.get(what, []))


def open_project(project_id: object) -> None:
    """Open the project's detail on the Projects page, keeping the link's view."""
    st.query_params["project"] = str(project_id)
    st.switch_page("pages/projects.py", query_params=st.query_params.to_dict())


RAG_DOTS = {"G": "🟢", "A": "🟠", "R": "🔴"}


def rag_icons() -> dict[str, str]:
    """RAG code -> ``🔴 Rouge`` (a coloured dot and the word: colour is never the only
    sign), for tables too large for a Styler."""
    return {code: f"{RAG_DOTS[code]} {t(name)}" for code, name in RAG_NAMES.items()}


def rag_style(label: object) -> str:
    """CSS for a cell holding a :func:`rag_label` (the app's RAG colours)."""
    from pmo_core.charts.theme import RAG_COLORS

    for code, name in RAG_NAMES.items():
        if label == t(name):
            return f"background-color: {RAG_COLORS[code]}; color: white; font-weight: 600"
    return ""


@st.cache_data(max_entries=8, show_spinner=False)
def milestone_history(db_path: str, project_id: str) -> pd.DataFrame:
    """The project's milestone forecasts in every snapshot (for the trend analysis)."""
    from pmo_core.kpi import milestones

    table = snapshots(db_path).sort_values("snapshot_id")
    return milestones.trend(
        (
            (r.as_of, store.load_table("milestones", int(r.snapshot_id), db_path))
            for r in table.itertuples()
        ),
        project_id,
    )


@st.cache_data(max_entries=4, show_spinner=False)
def exposure_history(db_path: str) -> pd.DataFrame:
    """Risk exposure per project in every snapshot (for the trend)."""
    from pmo_core.kpi import risk

    table = snapshots(db_path).sort_values("snapshot_id")
    return risk.exposure_trend(
        (
            r.as_of,
            store.load_table("risks", int(r.snapshot_id), db_path),
            store.load_table("projects", int(r.snapshot_id), db_path),
        )
        for r in table.itertuples()
    )


def history_ids(snapshot_id: int, db_path: str, n: int = 3) -> list[int]:
    """The ids of this snapshot and the ``n - 1`` before it, oldest first."""
    ids = sorted(int(i) for i in snapshots(db_path)["snapshot_id"] if int(i) <= snapshot_id)
    return ids[-n:]


@st.cache_data(max_entries=8, show_spinner=False)
def early_warnings(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Early warnings of a snapshot, from it and the two snapshots before it."""
    from pmo_core.kpi import governance

    snaps = [snapshot(i, db_path) for i in history_ids(snapshot_id, db_path)]
    return governance.snapshot_warnings([(s.as_of, s.frames) for s in snaps], snaps[-1].settings)


@st.cache_data(max_entries=8, show_spinner=False)
def compliance(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Methodology compliance per project (governance rules from the snapshot's settings)."""
    from pmo_core.kpi import governance

    snap = snapshot(snapshot_id, db_path)
    f = snap.frames
    checks = governance.compliance(
        f["projects"],
        f["status_reports"],
        f["milestones"],
        f["risks"],
        f["alignment"],
        f["objectives"],
        snap.as_of,
        governance.rules_from_settings(snap.settings),
    )
    return governance.compliance_by_project(checks, f["projects"])


@st.cache_data(max_entries=8, show_spinner=False)
def data_quality(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """What each project of a snapshot is missing (dates, budget, manager...)."""
    from pmo_core.ingest import quality

    return quality.quality_by_project(snapshot(snapshot_id, db_path).frames)


def warning_text(detail: str, params: dict[str, Any]) -> str:
    """An early warning's reason in the user's language."""
    return t(detail, **params)
