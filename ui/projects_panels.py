"""The Projects page's list: its view (weather per dimension, what changed, early warnings,
data gaps, scope, order) read from and written to the link, the "red first" order, and the
choice of the open project (a link's ``?project=`` that the snapshot does not hold is said,
never replaced silently by another project).

The view's keys are :data:`ui.state.VIEW_PARAMS`; a KPI card or a "what changed" count of
the Overview opens this list with one of them (``?rag=red``, ``?changed=slipped``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import streamlit as st

from pmo_core import i18n
from pmo_core.kpi import NO_RATING, RAG_ORDER, RATED_STATUSES, diff, governance
from pmo_core.schema import EXECUTION_STATUSES
from ui import format as fmt
from ui import loaders, state
from ui.format import t

if TYPE_CHECKING:
    from pmo_core.store import Snapshot

#: ``?rag=red`` and the dimensions' values -> RAG code (``none``: running, no rating).
RAG_WORDS: dict[str, str | None] = {"red": "R", "amber": "A", "green": "G", "none": None}
RAG_WORD_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "none": NO_RATING}
#: View key -> KPI column of the weather filters.
WEATHER_COLUMNS: dict[str, str] = {
    "rag": "rag",
    "schedule": "rag_schedule",
    "cost": "rag_cost",
    "milestones": "rag_milestones",
    "quality": "rag_quality",
}
WEATHER_LABELS = {
    "rag": "Weather",
    "schedule": "Schedule",
    "cost": "Cost",
    "milestones": "Milestones",
    "quality": "Quality",
}
#: ``?scope=``: which statuses the list holds (the Overview's sums cover these).
SCOPES: dict[str, tuple[str, ...]] = {
    "execution": EXECUTION_STATUSES,
    "open": ("proposed", "approved", "in_progress", "on_hold"),
}
SCOPE_LABELS = {"execution": "In execution", "open": "Not completed nor cancelled"}
#: ``?sort=`` -> (column, ascending); "weather" is :func:`red_first`.
SORTS: dict[str, tuple[str, bool]] = {
    "weather": ("rag", False),
    "spi": ("spi", True),
    "spi_t": ("spi_t", True),
    "cpi": ("cpi", True),
    "eac": ("eac", False),
    "bac": ("bac", False),
    "exposure": ("risk_exposure", False),
    "id": ("project_id", True),
}
SORT_LABELS = {
    "weather": "Red first",
    "spi": "SPI, lowest first",
    "spi_t": "SPI(t), lowest first",
    "cpi": "CPI, lowest first",
    "eac": "EAC, largest first",
    "bac": "Budget, largest first",
    "exposure": "Exposure, largest first",
    "id": "Project id",
}
CHANGE_LABELS = {
    "added": "Added",
    "weather": "Weather changed",
    "slipped": "Milestone slipped by more than 30 days",
    "risks": "New top risk",
    "eac": "EAC changed",
    "budget": "Budget changed",
}


def red_first(k: pd.DataFrame, by: str = "weather") -> pd.DataFrame:
    """``k`` ordered for the list: by weather (red, amber, green, running without a
    rating, then the projects not rated at all: proposed, approved, closed), within a
    colour the lowest schedule index (SPI(t), else SPI) then the lowest CPI first; or by
    one figure of :data:`SORTS` (undefined figures last). Ties by project id.

    >>> k = pd.DataFrame({"project_id": list("ABCDE"), "rag": [None, "G", "R", None, "R"],
    ...     "status": ["proposed", "in_progress", "in_progress", "on_hold", "in_progress"],
    ...     "spi_t": [None, 1.0, 0.9, None, 0.6], "spi": [None] * 5, "cpi": [None] * 5})
    >>> red_first(k)["project_id"].tolist()
    ['E', 'C', 'B', 'D', 'A']
    """
    if by != "weather":
        column, ascending = SORTS[by]
        return k.sort_values(
            [column, "project_id"], ascending=[ascending, True], na_position="last", kind="stable"
        )
    colour = k["rag"].astype("object").map({c: 2 - v for c, v in RAG_ORDER.items()})
    rank = pd.Series(colour, index=k.index, dtype=float).where(  # R 0, A 1, G 2
        k["rag"].notna(), np.where(k["status"].isin(RATED_STATUSES), 3.0, 4.0)
    )
    index = pd.to_numeric(k["spi_t"], errors="coerce").fillna(
        pd.to_numeric(k["spi"], errors="coerce")
    )
    keys = pd.DataFrame(
        {
            "rank": rank.astype(float),
            "index": index.astype(float),
            "cpi": pd.to_numeric(k["cpi"], errors="coerce").astype(float),
            "id": k["project_id"].astype(str),
        },
        index=k.index,
    )
    order = keys.sort_values(["rank", "index", "cpi", "id"], na_position="last").index
    return k.loc[order]


def apply_view(
    k: pd.DataFrame,
    view: dict[str, list[str]],
    *,
    changes: dict[str, pd.DataFrame] | None = None,
    warned: set[str] | None = None,
    gaps: set[str] | None = None,
) -> pd.DataFrame:
    """The rows of ``k`` (a KPI frame) in the ``view`` (:data:`ui.state.VIEW_PARAMS`), in
    its order. Unknown values select nothing (a stale link shows an empty list and says
    why), never everything.

    >>> k = pd.DataFrame({"project_id": ["A", "B"], "rag": ["R", None], "status":
    ...     ["in_progress", "in_progress"], "spi_t": [0.5, None], "spi": [0.5, None],
    ...     "cpi": [1.0, None]})
    >>> apply_view(k, {"rag": ["none"]})["project_id"].tolist()
    ['B']
    """
    mask = pd.Series(True, index=k.index)
    for key, column in WEATHER_COLUMNS.items():
        wanted = view.get(key)
        if not wanted:
            continue
        codes = {RAG_WORDS[w] for w in wanted if w in RAG_WORDS}
        hit = k[column].isin([c for c in codes if c is not None]).fillna(False)
        if None in codes:
            hit |= k[column].isna() & k["status"].isin(RATED_STATUSES)
        mask &= hit
    for key in view.get("scope", []):
        mask &= k["status"].isin(SCOPES.get(key, ()))
    for key in view.get("changed", []):
        ids = (
            diff.changed_projects(changes, key) if changes and key in diff.CHANGE_FILTERS else set()
        )
        mask &= k["project_id"].isin(ids)
    if view.get("warned"):
        mask &= k["project_id"].isin(warned or set())
    if view.get("gaps"):
        mask &= k["project_id"].isin(gaps or set())
    sort = (view.get("sort") or ["weather"])[0]
    return red_first(k[mask], sort if sort in SORTS else "weather")


def _seed(key: str, value: Any) -> None:
    """The widget's first value comes from the link (later runs keep the user's choice)."""
    if f"projects_{key}" not in st.session_state:
        st.session_state[f"projects_{key}"] = value


def _to_link(key: str) -> None:
    """A view widget changed: write it to the link, and let the list open its first
    project (the open one may no longer be in it)."""
    value = st.session_state.get(f"projects_{key}")
    if isinstance(value, bool):
        values = ["1"] if value else []
    elif isinstance(value, str):  # "all", or the default order: nothing in the link
        default = "weather" if key == "sort" else "all"
        values = [] if value in ("", default) else [value]
    else:
        values = [str(v) for v in value or []]
    if values:
        st.query_params[key] = values
    elif key in st.query_params:
        del st.query_params[key]
    if "project" in st.query_params:
        del st.query_params["project"]


def view_filters(prev_id: int | None) -> dict[str, list[str]]:
    """The view's widgets, seeded from the link; returns the view."""
    link = state.view()
    words = list(RAG_WORDS)
    lg = fmt.lang()  # bound now: a format function may run outside the script (tests)

    def word(labels: dict[str, str]) -> Callable[[str], str]:
        return lambda v: i18n.t("All", lg) if v == "all" else i18n.t(labels[v], lg)

    cols = st.columns(6)
    for col, (key, label) in zip(cols, WEATHER_LABELS.items(), strict=False):
        _seed(key, [w for w in link.get(key, []) if w in RAG_WORDS])
        col.multiselect(
            t(label),
            words,
            key=f"projects_{key}",
            format_func=word(RAG_WORD_LABELS),
            placeholder=t("All"),
            on_change=_to_link,
            args=(key,),
        )
    sort = (link.get("sort") or ["weather"])[0]
    _seed("sort", sort if sort in SORTS else "weather")
    cols[5].selectbox(
        t("Order"),
        list(SORTS),
        key="projects_sort",
        format_func=word(SORT_LABELS),
        on_change=_to_link,
        args=("sort",),
    )
    c1, c2, c3, c4 = st.columns([2, 3, 1.5, 1.5])
    scope = (link.get("scope") or ["all"])[0]
    _seed("scope", scope if scope in SCOPES else "all")
    c1.selectbox(
        t("Projects"),
        ["all", *SCOPES],
        key="projects_scope",
        format_func=word(SCOPE_LABELS),
        on_change=_to_link,
        args=("scope",),
    )
    changed = (link.get("changed") or ["all"])[0]
    _seed("changed", changed if changed in diff.CHANGE_FILTERS else "all")
    c2.selectbox(
        t("Changed since snapshot #{id}", id=prev_id)
        if prev_id
        else t("Changed since the previous snapshot"),
        ["all", *diff.CHANGE_FILTERS],
        key="projects_changed",
        format_func=word(CHANGE_LABELS),
        on_change=_to_link,
        args=("changed",),
        disabled=prev_id is None,
    )
    for col, key, label in ((c3, "warned", "Early warnings"), (c4, "gaps", "Data gaps")):
        _seed(key, bool(link.get(key)))
        col.toggle(t(label), key=f"projects_{key}", on_change=_to_link, args=(key,))
    return state.view()


def filtered_list(snap: Snapshot, k: pd.DataFrame, view: dict[str, list[str]]) -> pd.DataFrame:
    """The projects of the view, with what the view needs loaded (changes, warnings, gaps)."""
    sid, db = snap.snapshot_id, loaders.db()
    warned = gaps = None
    if view.get("warned"):
        rag = loaders.kpis(sid, db).set_index("project_id")["rag"]
        w = governance.warnings_before_red(loaders.early_warnings(sid, db), rag, k["project_id"])
        warned = set(w["project_id"])
    if view.get("gaps"):
        q = loaders.data_quality(sid, db)
        gaps = set(q.loc[q["gaps"] > 0, "project_id"])
    changes = loaders.snapshot_changes(sid, db) if view.get("changed") else None
    return apply_view(k, view, changes=changes, warned=warned, gaps=gaps)


def choose_project(
    snap: Snapshot, shown: pd.DataFrame, every: pd.DataFrame, rows: list[int]
) -> str | None:
    """The open project: a new click in the table (``rows`` of ``shown``), else the
    link's ``?project=``, else the first of the list. A link's project missing from the
    snapshot, or hidden by the filters, is said in words; ``every`` is the snapshot's
    whole KPI frame. The link is the truth: the selector follows it."""
    if rows != st.session_state.get("_projects_rows"):  # a click, not the kept selection
        st.session_state["_projects_rows"] = rows
        if rows:
            st.query_params["project"] = str(shown.iloc[rows[0]]["project_id"])
    wanted = st.query_params.get("project")
    ids = shown["project_id"].tolist()
    key = "projects_detail"
    target: str | None = wanted
    if wanted and wanted not in set(every["project_id"]):
        missing_project(snap, wanted)
        target = None  # no other project opened in its place: the user chooses
    elif wanted and wanted not in ids:
        st.info(
            t(
                "Project {id} is not in this list (the filters leave it out): its detail is "
                "shown below.",
                id=wanted,
            )
        )
        ids = [wanted, *ids]
    elif not wanted:
        current = st.session_state.get(key)
        target = current if current in ids else (ids[0] if ids else None)
    if not ids:
        st.info(t("No project matches these filters."))
        return None
    if st.session_state.get(key) != target:
        st.session_state[key] = target
    labels = dict(
        zip(
            every["project_id"],
            every["project_id"] + " · " + every["name"].fillna(""),
            strict=True,
        )
    )
    pid = st.selectbox(
        t("Project detail"),
        ids,
        index=None if target is None else 0,  # the value itself is the session's, above
        format_func=labels.__getitem__,
        placeholder=t("Choose a project"),
        key=key,
        on_change=_follow_the_picker,  # before the rerun: the link then names the choice
    )
    if pid is not None and pid != wanted:
        st.query_params["project"] = pid
    return pid


def _follow_the_picker() -> None:
    """The user chose another project in the picker: the link follows it. Without this,
    the rerun would find the link's old ``?project=`` and set the picker back to it."""
    chosen = st.session_state.get("projects_detail")
    if chosen:
        st.query_params["project"] = chosen


def missing_project(snap: Snapshot, wanted: str) -> None:
    """The link names a project the snapshot does not hold: say so, and where it is."""
    db = loaders.db()
    elsewhere = loaders.snapshots_with_project(db, wanted)
    text = t(
        "Project {id} is not in snapshot #{sid} as of {date} (removed, renamed or not yet "
        "imported).",
        id=wanted,
        sid=snap.snapshot_id,
        date=fmt.date(snap.as_of),
    )
    if elsewhere:
        text += " " + t("It is in snapshot #{other}.", other=elsewhere[0])
    st.warning(text + " " + t("Choose a project of this snapshot below."))
    if elsewhere and st.button(
        t("Open {id} in snapshot #{other}", id=wanted, other=elsewhere[0]),
        icon=":material/history:",
        key="projects_other_snapshot",
    ):
        state.select_snapshot(elsewhere[0])  # the sidebar's snapshot, from the next run
        st.rerun()
