"""Every cache of the app lives here (``st.cache_data`` / ``st.cache_resource``), keyed by
snapshot id and store path; pages call these loaders, never the store. Snapshots are
immutable and their ids never come back (migration 004), so a snapshot's frames are
cached by id and shared between sessions. Histories (milestone forecasts, risk
exposure across snapshots) are keyed by the ids of the snapshots they cover, read from
:func:`snapshots`, itself keyed by the store's stamp (newest id, count: one cheap query,
shared by the process's sessions for :data:`STAMP_TTL_S`): an import by the CLI, or by
another replica of the app on the same PostgreSQL store, shows at the next page load.

The app's writes go through here too (an import, a deleted snapshot, a request, a saved
weighting, scenario or mapping profile): each writes through the library, then clears
only the caches it made stale, function by function (``loader.clear()``), never every
cache of every user (``st.cache_data.clear()`` would empty the optimiser's answers in
the middle of a steering session).

Also the first start: the store is upgraded (:func:`ensure_store`) and an empty store
is seeded with the demo portfolio, once per process."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import streamlit as st

from pmo_core import optimize, report, store
from pmo_core import project_requests as req
from pmo_core.demo import history as demo_history
from pmo_core.errors import StoreBusy
from pmo_core.export_safety import safe_text_columns
from pmo_core.ingest import IngestResult, pipeline
from pmo_core.kpi import alignment, capacity
from pmo_core.optimize import WhatIf, robust, scenarios
from ui import kpi_table as kpi_table_view
from ui.format import t
from ui.kpi_table import KpiTable

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from pmo_core.forecast import ProjectView

ROOT = Path(__file__).resolve().parents[1]
DEMO_WORKBOOK = ROOT / "data" / "demo_portfolio.xlsx"


def db() -> str:
    """The store: ``PMO_DB_URL`` (PostgreSQL), else ``PMO_DB_PATH``, else the app's
    ``data/pmo.duckdb``."""
    default = os.environ.get("PMO_DB_URL") or os.environ.get("PMO_DB_PATH")
    return str(store.db_path(default or ROOT / "data" / "pmo.duckdb"))


#: Seconds a process reuses the store's stamp (newest snapshot id, count) across its
#: sessions and reruns: at most one such query per second, whatever the number of viewers.
STAMP_TTL_S = 1.0


@st.cache_resource(ttl=STAMP_TTL_S, max_entries=16, show_spinner=False)
def store_stamp(db_path: str) -> tuple[int | None, int]:
    """The store's (newest snapshot id, number of snapshots), read again after
    :data:`STAMP_TTL_S`: a snapshot committed elsewhere (the CLI, another replica) shows
    at the next page load."""
    return store.snapshots_stamp(db_path)


def newest_snapshot_id(db_path: str) -> int | None:
    """The newest snapshot's id (None: an empty store), from the store's stamp: what
    every link of a page asks (is the shown snapshot the newest?), without the list."""
    return store_stamp(db_path)[0]


def snapshots(db_path: str) -> pd.DataFrame:
    """Every snapshot, newest first, for the store's current stamp (a new import or a
    deletion gives a new key: never a stale "newest"); its text (file names)
    formula-safe, as every table the app shows. Shared, never mutated: a page run asks
    for it about twenty times (each link of the Overview names the snapshot), and a
    ``st.cache_data`` copy each time cost more than the rest of the sidebar."""
    return _snapshots(db_path, store_stamp(db_path))


@st.cache_resource(max_entries=16, show_spinner=False)
def _snapshots(db_path: str, stamp: tuple[int | None, int]) -> pd.DataFrame:
    return safe_text_columns(store.list_snapshots(db_path))


def snapshot_choices(db_path: str, lang: str) -> list[tuple[int, str, str]]:
    """The sidebar's snapshot box: (id, ``as of <date>`` in ``lang``, source as the
    user reads it: ``i18n.fmt_source``) of every snapshot, newest first, for the store's
    current stamp (as :func:`snapshots`)."""
    return _snapshot_choices(db_path, store_stamp(db_path), lang)


@st.cache_resource(max_entries=16, show_spinner=False)
def _snapshot_choices(
    db_path: str, stamp: tuple[int | None, int], lang: str
) -> list[tuple[int, str, str]]:
    from pmo_core import i18n

    table = _snapshots(db_path, stamp)
    return [
        (
            int(r.snapshot_id),
            i18n.t("as of {date}", lang, date=i18n.fmt_date(r.as_of, lang)),
            i18n.fmt_source(r.source, lang),
        )
        for r in table.itertuples()
    ]


#: The sidebar's filters: project column -> its values, as the multiselect offers them.
@st.cache_resource(max_entries=16, show_spinner=False)
def filter_options(
    snapshot_id: int, db_path: str, columns: tuple[str, ...]
) -> dict[str, list[str]]:
    """Each of the project ``columns``' distinct values of the snapshot, as text, sorted
    (the sidebar's filter choices); shared, never mutated."""
    projects = snapshot(snapshot_id, db_path).frames["projects"]
    return {c: sorted(str(v) for v in projects[c].dropna().unique()) for c in columns}


def refresh_snapshots() -> None:
    """After this process's own import or deletion: the stamp is read again at once."""
    store_stamp.clear()


@st.cache_resource(max_entries=8, show_spinner=False)
def snapshot(snapshot_id: int, db_path: str) -> store.Snapshot:
    """One snapshot with all its frames; shared between sessions, never mutated. Its
    free text is made formula-safe for display: a table's "download as CSV" writes what
    it shows (the library, the CLI and the pack read the store as it is)."""
    from dataclasses import replace

    snap = store.get_snapshot(snapshot_id, path=db_path)
    return replace(snap, frames={k: safe_text_columns(v) for k, v in snap.frames.items()})


@st.cache_resource(show_spinner=False)
def _upgraded(db_path: str) -> tuple[int, ...]:
    return tuple(store.migrate(db_path))


def ensure_store() -> None:
    """At the app's start: apply the migrations an older store needs, once per process
    and store (one write connection; nothing when it is up to date). A busy store is not
    remembered as upgraded: the next run tries again."""
    path = db()
    try:
        _upgraded(path)
    except StoreBusy:
        _upgraded.clear(path)
        raise


@st.cache_resource(show_spinner=False)
def _seed_once(db_path: str) -> int | None:
    """Import the demo workbook and its earlier months into an empty store, once per
    process (a cockpit with one snapshot cannot show a trend). Replicas starting together
    on an empty store: the store checks "empty?" again under its write lock, so one of
    them seeds and the others find its history (None)."""
    if store.latest_snapshot_id(db_path) is not None or not DEMO_WORKBOOK.exists():
        return None
    ids = demo_history.seed_demo(DEMO_WORKBOOK, path=db_path, if_empty=True)
    return ids[-1] if ids else None


def ensure_seeded() -> None:
    """On first start with an empty store, import the demo portfolio."""
    path = db()
    if not snapshots(path).empty:
        return
    with st.spinner(t("First start: importing the demo portfolio...")):
        try:
            _seed_once(path)
        except StoreBusy:
            _seed_once.clear(path)
    refresh_snapshots()


#: KPI frames are small (one row per project) and a forecast reads every month of the
#: history (two years of monthly snapshots and more): they all stay cached, so that the
#: forecast, the trends and the early warnings do not compute them again in turn.
@st.cache_data(max_entries=64, show_spinner=False)
def kpis(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Per-project KPIs of a snapshot (the same frame the CLI's ``kpis`` prints)."""
    from pmo_core import kpi

    return kpi.snapshot_kpis(snapshot(snapshot_id, db_path))


def history_key(db_path: str) -> tuple[tuple[int, date], ...]:
    """The (id, as-of) of every snapshot, oldest first: the key of every history cache,
    so that an import (the newest id) or a deletion gives a new key. Read once per store
    stamp (a page run asks for it several times)."""
    return _history_key(db_path, store_stamp(db_path))


@st.cache_resource(max_entries=16, show_spinner=False)
def _history_key(db_path: str, stamp: tuple[int | None, int]) -> tuple[tuple[int, date], ...]:
    table = _snapshots(db_path, stamp).sort_values("snapshot_id")
    return tuple((int(r.snapshot_id), r.as_of) for r in table.itertuples())


def _key_table(snaps: tuple[tuple[int, date], ...]) -> pd.DataFrame:
    """A history key as the snapshot list's two columns it holds (``snapshot_id``,
    ``as_of``): a history computed from its key, never from a newer list."""
    return pd.DataFrame(list(snaps), columns=["snapshot_id", "as_of"])


def milestone_history(db_path: str, project_id: str) -> pd.DataFrame:
    """The project's milestone forecasts in every snapshot (for the trend analysis)."""
    return _milestone_history(db_path, project_id, history_key(db_path))


@st.cache_data(max_entries=8, show_spinner=False)
def _milestone_history(
    db_path: str, project_id: str, snaps: tuple[tuple[int, date], ...]
) -> pd.DataFrame:
    from pmo_core.kpi import milestones

    return safe_text_columns(
        milestones.trend(
            ((as_of, store.load_table("milestones", sid, db_path)) for sid, as_of in snaps),
            project_id,
        )
    )


def exposure_history(db_path: str) -> pd.DataFrame:
    """Risk exposure per project in every snapshot (for the trend)."""
    return _exposure_history(db_path, history_key(db_path))


@st.cache_data(max_entries=4, show_spinner=False)
def _exposure_history(db_path: str, snaps: tuple[tuple[int, date], ...]) -> pd.DataFrame:
    from pmo_core.kpi import risk

    return safe_text_columns(
        risk.exposure_trend(
            (
                as_of,
                store.load_table("risks", sid, db_path),
                store.load_table("projects", sid, db_path),
            )
            for sid, as_of in snaps
        )
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


def rows_matching(
    df: pd.DataFrame, chosen: dict[str, list[str]] | tuple[tuple[str, tuple[str, ...]], ...]
) -> pd.DataFrame:
    """Rows of ``df`` whose columns take one of the chosen values (column -> values; empty
    or absent column = no condition): the sidebar filters' rule, given as an argument so
    that a cached loader can apply it (``ui.state.filter_projects`` reads the session)."""
    mask = pd.Series(True, index=df.index)
    for key, values in dict(chosen).items():
        if values and key in df.columns:
            mask &= df[key].astype("string").isin(list(values)).fillna(False)
    return df[mask]


# --- figures: built once per snapshot, filters and language, shared between sessions
#
# A warm page run used to build its plotly figures again (the Overview's five charts at
# 2,000 projects: most of its run). Each is what its chart function gives from frames
# fixed by the key (a snapshot never changes), so it is a resource, shared and never
# mutated: ``st.plotly_chart`` reads a copy (``Figure.to_dict``).


@st.cache_resource(max_entries=32, show_spinner=False)
def overview_figures(
    snapshot_id: int,
    db_path: str,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
    lang: str,
) -> dict[str, go.Figure]:
    """The Overview's charts of the projects the sidebar ``filters`` keep: status by
    programme (``status``), value against cost (``bubble``), weather by programme and by
    direction (``rag_program``, ``rag_department``), the running projects' timeline
    (``timeline``)."""
    from pmo_core.charts import kpi as kpi_charts
    from pmo_core.charts import overview as charts
    from pmo_core.schema import EXECUTION_STATUSES

    snap = snapshot(snapshot_id, db_path)
    projects = rows_matching(snap.frames["projects"], filters)
    k = rows_matching(kpis(snapshot_id, db_path), filters)
    running = projects[projects["status"].isin(EXECUTION_STATUSES)]
    return {
        "status": charts.status_by_programme_bar(projects, lang),
        "bubble": kpi_charts.value_cost_bubble(k, lang, snap.currency),
        "rag_program": charts.rag_by_group_bar(k, "program", lang),
        "rag_department": charts.rag_by_group_bar(k, "department", lang),
        "timeline": charts.timeline_gantt(running, snap.as_of, lang, snap.currency),
    }


@st.cache_data(max_entries=32, show_spinner=False)
def headline(
    snapshot_id: int, db_path: str, filters: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, Any]:
    """The portfolio's headline (``kpi.portfolio_headline``) of the filtered projects."""
    from pmo_core import kpi

    return kpi.portfolio_headline(rows_matching(kpis(snapshot_id, db_path), filters))


def kpi_table(snapshot_id: int, db_path: str, k: pd.DataFrame, lang: str) -> KpiTable:
    """The Projects list's table of ``k`` (rows of :func:`kpis` of the snapshot, as the
    view filtered and ordered them) in ``lang`` (``ui.kpi_table.build``), shared between
    sessions. Keyed by the snapshot and a digest of the listed ids in their order (the
    rows themselves follow from them: a snapshot never changes)."""
    ids = k["project_id"].astype(str).tolist()
    digest = hashlib.blake2b("\x1f".join(ids).encode(), digest_size=16).hexdigest()
    return _kpi_table(snapshot_id, db_path, lang, digest, k)


@st.cache_resource(max_entries=64, show_spinner=False)
def _kpi_table(
    snapshot_id: int, db_path: str, lang: str, ids_digest: str, _k: pd.DataFrame
) -> KpiTable:
    return kpi_table_view.build(_k, lang)


def eac_p80(
    snapshot_id: int, db_path: str, filters: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, Any]:
    """The P80 beside the Overview's EAC card for the projects the sidebar ``filters``
    keep (``forecast.eac_p80_with_the_rest`` over the forecast of those projects, the
    whole portfolio's when no filter leaves one out): once per snapshot and filters, not
    per run (it copied the forecast document and summed it again on each). A history,
    as :func:`forecast`: keyed by :func:`history_key` too."""
    return _eac_p80(snapshot_id, db_path, filters, history_key(db_path))


@st.cache_data(max_entries=32, show_spinner=False)
def _eac_p80(
    snapshot_id: int,
    db_path: str,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
    snaps: tuple[tuple[int, date], ...],
) -> dict[str, Any]:
    from pmo_core import forecast as fc

    snap = snapshot(snapshot_id, db_path)
    everyone = set(snap.frames["projects"]["project_id"])
    ids = set(rows_matching(snap.frames["projects"], filters)["project_id"])
    doc = forecast(snapshot_id, db_path, None if ids == everyone else tuple(sorted(ids)))
    return fc.eac_p80_with_the_rest(rows_matching(kpis(snapshot_id, db_path), filters), doc)


@st.cache_data(max_entries=64, show_spinner=False)
def rag_drivers(snapshot_id: int, db_path: str, project_id: str) -> pd.DataFrame:
    """Why the project's weather (``rag_rules.rag_drivers``): each dimension's figure and
    threshold, from its KPI line, milestones and status reports."""
    from pmo_core.kpi import rag_rules, thresholds_from_settings

    snap = snapshot(snapshot_id, db_path)
    f = snap.frames
    row = kpis(snapshot_id, db_path).set_index("project_id").loc[project_id]
    return rag_rules.rag_drivers(
        pd.DataFrame([row]).assign(project_id=project_id),
        f["milestones"][f["milestones"]["project_id"] == project_id],
        snap.as_of,
        thresholds_from_settings(snap.settings),
        f["status_reports"][f["status_reports"]["project_id"] == project_id],
    )


@st.cache_data(max_entries=64, show_spinner=False)
def milestone_summary(snapshot_id: int, db_path: str, project_id: str) -> dict[str, Any] | None:
    """The project's milestone counts and rates at the snapshot's date
    (``milestones.milestone_summary``: hit and on-time rates None when undefined); None
    when the project has no milestone."""
    from pmo_core.kpi import milestones

    snap = snapshot(snapshot_id, db_path)
    ms = snap.frames["milestones"]
    ms = ms[ms["project_id"] == project_id]
    if ms.empty:
        return None
    return milestones.milestone_summary(milestones.milestone_stats(ms, snap.as_of))


@st.cache_data(max_entries=64, show_spinner=False)
def project_hours_by_role(snapshot_id: int, db_path: str, project_id: str) -> pd.DataFrame:
    """The project's planned hours by role and month (``capacity.project_hours_by_role``)."""
    f = snapshot(snapshot_id, db_path).frames
    return capacity.project_hours_by_role(f["allocations"], f["resources"], project_id)


@st.cache_resource(max_entries=64, show_spinner=False)
def project_s_curve(snapshot_id: int, db_path: str, project_id: str, lang: str) -> go.Figure:
    """The project's S-curve from its status reports, with the fan of its forecast's cost
    from the status date when there is one (:func:`project_forecast`)."""
    from pmo_core.charts import forecast as charts
    from pmo_core.charts import kpi as kpi_charts

    snap = snapshot(snapshot_id, db_path)
    r = snap.frames["status_reports"]
    reports = r[r["project_id"] == project_id]
    row = kpis(snapshot_id, db_path).set_index("project_id").loc[project_id]
    fan = project_forecast(snapshot_id, db_path, project_id).fan
    if fan is None:
        return kpi_charts.evm_s_curve(reports, row, lang, snap.currency)
    return charts.fan_s_curve(reports, row, fan, lang, snap.currency)


@st.cache_resource(max_entries=64, show_spinner=False)
def project_histograms(
    snapshot_id: int,
    db_path: str,
    project_id: str,
    lang: str,
    cost_marks: tuple[tuple[str, Any], ...],
    finish_marks: tuple[tuple[str, Any], ...],
) -> tuple[go.Figure | None, go.Figure | None]:
    """The histograms of the project's draws of cost at completion and of finish, with
    their marks (label, value), None where the forecast has no such draws."""
    from pmo_core.charts import forecast as charts

    s = project_forecast(snapshot_id, db_path, project_id)
    currency = snapshot(snapshot_id, db_path).currency
    cost = (
        None
        if s.cost_histogram is None
        else charts.eac_histogram(s.cost_histogram, list(cost_marks), lang, currency)
    )
    finish = (
        None
        if s.finish_histogram is None
        else charts.finish_histogram(s.finish_histogram, list(finish_marks), lang)
    )
    return cost, finish


# --- alignment


@st.cache_data(ttl=10, show_spinner=False)
def weightings(db_path: str) -> pd.DataFrame:
    """Saved objective weightings, newest first (refreshed every 10 s)."""
    return store.list_weightings(db_path)


def save_weighting(
    name: str,
    weights: alignment.Weights,
    judgments: pd.DataFrame | None,
    *,
    snapshot_id: int,
    who: str | None,
) -> int:
    """Store a named weighting, then refresh :func:`weightings`; returns its id."""
    path = db()
    doc_id = store.save_weighting(
        name, weights, judgments, snapshot_id=snapshot_id, who=who, path=path
    )
    weightings.clear()
    audit_log.clear()
    return doc_id


@st.cache_resource(max_entries=8, show_spinner=False)
def alignment_ratings(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """The ratings pivoted once per snapshot (shared, never mutated): a weight edit only
    multiplies it."""
    return alignment.ratings_table(snapshot(snapshot_id, db_path).frames["alignment"])


@st.cache_data(max_entries=16, show_spinner=False)
def alignment_coverage(
    snapshot_id: int, db_path: str, filters: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Objective coverage and warnings of the filtered projects (they ignore the weights)."""
    g = snapshot(snapshot_id, db_path).frames
    chosen = rows_matching(g["projects"], filters)
    return (
        alignment.objective_coverage(g["alignment"], g["objectives"], chosen),
        alignment.alignment_warnings(g["alignment"], g["objectives"], chosen),
    )


# --- capacity


@st.cache_data(max_entries=16, show_spinner=False)
def utilisation(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Demand, capacity and utilisation per role and month."""
    s = snapshot(snapshot_id, db_path)
    return capacity.utilisation_by_role_month(
        s.frames["allocations"], s.frames["resources"], s.frames["capacity"]
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def project_hours(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Hours per role, month and project (shared, never mutated: a copy per rerun of a
    20,000-row frame would cost more than the lookup)."""
    s = snapshot(snapshot_id, db_path)
    return capacity.project_hours(s.frames["allocations"], s.frames["resources"])


@st.cache_data(max_entries=16, show_spinner=False)
def overallocations(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Every over-allocated role and month, with its largest projects."""
    data = utilisation(snapshot_id, db_path)
    return capacity.overallocations(
        data, None, None, by_project=project_hours(snapshot_id, db_path)
    )


@st.cache_data(max_entries=16, show_spinner=False)
def resource_utilisation(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Utilisation per resource and month, with a ``label`` (``id · name``)."""
    s = snapshot(snapshot_id, db_path)
    return capacity.resource_labels(
        capacity.utilisation_by_resource_month(s.frames["allocations"], s.frames["resources"])
    )


# --- requests


@st.cache_data(ttl=10, max_entries=8, show_spinner=False)
def requests(db_path: str) -> pd.DataFrame:
    """Every project request, newest first (refreshed every 10 s, and at once after the
    app's own submissions and moves)."""
    return req.load(db_path)


@st.cache_data(max_entries=8, show_spinner=False)
def request_queue(snapshot_id: int, db_path: str, stamp: str) -> pd.DataFrame:
    """The queue against a snapshot (``stamp`` changes whenever a request changes)."""
    return req.queue(requests(db_path), snapshot(snapshot_id, db_path).frames)


def submit_request(payload: dict[str, Any], *, who: str | None) -> int:
    """Store a new request, then refresh :func:`requests`; returns its id (the queue and
    the what-if's answers are keyed by the requests' version stamp: nothing else to clear).

    Raises:
        RequestInvalid: with every problem; nothing is stored."""
    path = db()
    rid = req.submit(payload, who=who, path=path)
    requests.clear()
    audit_log.clear()
    return rid


def move_request(doc_id: int, target: str, *, who: str | None, reason: str) -> None:
    """Move a request to another state, then refresh :func:`requests`."""
    path = db()
    req.move(doc_id, target, who=who, reason=reason, path=path)
    requests.clear()
    audit_log.clear()


# --- import


def commit_import(result: IngestResult, *, as_of: date, who: str | None) -> int:
    """Commit a validated file as one snapshot, then refresh the list of snapshots (and
    so every history's key) and the audit log; returns its id. The new id was never
    used, so no cache keyed by a snapshot id is stale."""
    path = db()
    sid = pipeline.commit_result(result, as_of=as_of, who=who, path=path)
    refresh_snapshots()
    audit_log.clear()
    return sid


def delete_snapshot(snapshot_id: int, *, who: str | None) -> None:
    """Delete a snapshot, then drop it from the caches that hold it and refresh the list
    of snapshots (the histories' key) and the audit log."""
    path = db()
    store.delete_snapshot(snapshot_id, who=who, path=path)
    refresh_snapshots()
    snapshot.clear(snapshot_id, path)
    kpis.clear(snapshot_id, path)
    audit_log.clear()


@st.cache_data(ttl=10, max_entries=8, show_spinner=False)
def audit_log(db_path: str, limit: int = 200) -> pd.DataFrame:
    """The store's latest writes (refreshed every 10 s, and at once after the app's own
    writes); its text formula-safe (it names files, scenarios, profiles as typed)."""
    return safe_text_columns(store.audit_log(db_path, limit=limit))


@st.cache_data(ttl=10, max_entries=8, show_spinner=False)
def mapping_profiles(db_path: str) -> pd.DataFrame:
    """The saved column-mapping profiles (refreshed every 10 s and after a save)."""
    return store.list_documents(pipeline.PROFILE_KIND, db_path)


def save_mapping_profile(profile: dict[str, Any], *, who: str | None, doc_id: int | None) -> int:
    """Store a column-mapping profile (``doc_id``: the one of that name it replaces)."""
    path = db()
    out = store.save_document(
        pipeline.PROFILE_KIND, profile["name"], profile, who=who, doc_id=doc_id, path=path
    )
    mapping_profiles.clear()
    audit_log.clear()
    return out


# --- reports


def saved_scenarios(db_path: str) -> pd.DataFrame:
    """The what-if's saved scenarios, newest first (the cached :func:`whatif_scenarios`)."""
    return whatif_scenarios(db_path)


# --- what-if


def _with_requests(snapshot_id: int, db_path: str, ids: tuple[str, ...]) -> store.Snapshot:
    """The snapshot with the requests ``ids`` among its candidates (the ids key the caches)."""
    snap = snapshot(snapshot_id, db_path)
    if ids:
        asked = requests(db_path)
        snap = req.with_candidates(snap, asked[asked["project_id"].isin(ids)])
    return snap


def _requests_stamp(db_path: str, ids: tuple[str, ...]) -> str:
    """What keys an answer that includes requests: their version stamp (``""`` without)."""
    return req.version_stamp(requests(db_path)) if ids else ""


def whatif_answer(snapshot_id: int, db_path: str, whatif: WhatIf) -> dict[str, Any]:
    """The optimiser's answer under ``whatif`` (``optimize_document``), the requests
    ``whatif.requests`` among the candidates; cached by snapshot, parameters and, with
    requests, their version stamp (a moved request gives a new key)."""
    return _answer(snapshot_id, db_path, whatif, _requests_stamp(db_path, whatif.requests))


@st.cache_data(max_entries=64, show_spinner=False)
def _answer(snapshot_id: int, db_path: str, whatif: WhatIf, stamp: str) -> dict[str, Any]:
    snap = _with_requests(snapshot_id, db_path, whatif.requests)
    return optimize.optimize_document(snap, whatif)


@st.cache_data(max_entries=8, show_spinner=False)
def _frontier(
    snapshot_id: int, db_path: str, rules: WhatIf, stamp: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    snap = _with_requests(snapshot_id, db_path, rules.requests)
    return optimize.frontier_and_ranking(snap, rules, points=12, time_limit=0.5)


def whatif_frontier(
    snapshot_id: int, db_path: str, whatif: WhatIf
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficient frontier (12 levels, 0.5 s each) and the ranking curve, cached by
    ``whatif.frontier_rules()``: moving the budget does not recompute them."""
    rules = whatif.frontier_rules()
    return _frontier(snapshot_id, db_path, rules, _requests_stamp(db_path, rules.requests))


@st.cache_resource(max_entries=8, show_spinner=False)
def _robust_problem(
    snapshot_id: int, db_path: str, whatif: WhatIf, stamp: str
) -> tuple[optimize.Problem, Callable[[np.random.Generator], np.ndarray] | None]:
    """The what-if's problem and, for alignment on the snapshot's own AHP weights, the
    draw of values from nudged judgments (a named weighting has none to nudge). A
    resource: the draw is a function, and neither is changed by a robust run."""
    snap = _with_requests(snapshot_id, db_path, whatif.requests)
    p = optimize.snapshot_problem(snap, whatif)
    ahp = whatif.value == "alignment" and not whatif.weights
    return p, robust.ahp_values(snap, p) if ahp else None


def robust_runs(
    snapshot_id: int,
    db_path: str,
    whatif: WhatIf,
    *,
    samples: int,
    spread: float,
    seconds: float,
    start: dict[str, int],
) -> Iterator[robust.RobustState]:
    """The robust analysis of the what-if under ``whatif`` (its problem cached), draw by
    draw: ``samples`` draws within ``seconds``, costs and values +-``spread`` (a ratio),
    each warm-started from ``start`` (the base answer: project id -> start shift). Not
    cached: it yields as it goes; the page keeps the answer in its session."""
    key = replace(whatif, time_limit=optimize.DEFAULT_TIME_LIMIT)  # not read by a draw
    p, values = _robust_problem(
        snapshot_id, db_path, key, _requests_stamp(db_path, whatif.requests)
    )
    return robust.robust_runs(
        p,
        samples=samples,
        spread=spread,
        seed=0,
        time_limit=seconds,
        values=values,
        start=start,
    )


@st.cache_data(ttl=10, show_spinner=False)
def whatif_scenarios(db_path: str) -> pd.DataFrame:
    """Saved scenarios, newest first, for the What-if's comparison (refreshed every 10 s);
    their names formula-safe."""
    return safe_text_columns(scenarios.list_scenarios(db_path))


def save_scenario(
    name: str, whatif: WhatIf, answer: dict[str, Any], *, snapshot_id: int, who: str | None
) -> int:
    """Store a scenario (``whatif.to_dict()`` and the answer), then refresh the list of
    scenarios (only it: the optimiser's cached answers stay); returns its id."""
    path = db()
    doc_id = scenarios.save_scenario(
        name, whatif.to_dict(), answer, snapshot_id=snapshot_id, who=who, path=path
    )
    whatif_scenarios.clear()
    audit_log.clear()
    return doc_id


def forecast(
    snapshot_id: int, db_path: str, ids: tuple[str, ...] | None, iterations: int = 5_000
) -> dict[str, Any]:
    """The ``forecast`` document of a snapshot (its projects, or only ``ids``), from the
    KPI frames of every snapshot up to its as-of date (seed 0: the same figures each
    time). A history: keyed by the ids of the snapshots it may cover (:func:`history_key`),
    so that an import or a deletion of an earlier month gives a new key."""
    return _forecast(snapshot_id, db_path, ids, iterations, history_key(db_path))


@st.cache_data(max_entries=8, show_spinner=False)
def _forecast(
    snapshot_id: int,
    db_path: str,
    ids: tuple[str, ...] | None,
    iterations: int,
    snaps: tuple[tuple[int, date], ...],
) -> dict[str, Any]:
    from pmo_core import forecast as fc

    # The as-of dates from the key (the snapshot list's): loading 25 snapshots whole
    # through :func:`snapshot` (8 kept) to read a date each evicted the ones pages show.
    as_of = dict(snaps)
    history = [
        (sid, as_of[sid], kpis(sid, db_path))
        for sid in fc.history_order(_key_table(snaps), snapshot_id)
    ]
    if ids is not None:
        last = history[-1]
        history[-1] = (last[0], last[1], last[2][last[2]["project_id"].isin(ids)])
    return fc.forecast_document(history, iterations=iterations, seed=0)


def forecast_observations(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """The past forecasts and their outcomes a forecast at ``snapshot_id`` reads
    (:func:`pmo_core.forecast.observations`), keyed like :func:`forecast`."""
    return _forecast_observations(snapshot_id, db_path, history_key(db_path))


@st.cache_data(max_entries=8, show_spinner=False)
def _forecast_observations(
    snapshot_id: int, db_path: str, snaps: tuple[tuple[int, date], ...]
) -> pd.DataFrame:
    from pmo_core import forecast as fc

    as_of = dict(snaps)  # as in :func:`_forecast`: no snapshot loaded for its date
    return fc.observations(
        [
            (as_of[sid], kpis(sid, db_path))
            for sid in fc.history_order(_key_table(snaps), snapshot_id)
        ]
    )


def project_forecast(snapshot_id: int, db_path: str, project_id: str) -> ProjectView:
    """One project's forecast as its detail shows it (quantiles, fan, histograms:
    :meth:`pmo_core.forecast.ProjectSamples.view`), keyed like :func:`forecast`. The
    draws themselves (400,000 under the prior) are not cached: only what is shown."""
    return _project_forecast(snapshot_id, db_path, project_id, history_key(db_path))


@st.cache_resource(max_entries=32, show_spinner=False)  # shared, never mutated: no copy per run
def _project_forecast(
    snapshot_id: int, db_path: str, project_id: str, snaps: tuple[tuple[int, date], ...]
) -> ProjectView:
    from pmo_core import forecast as fc

    return fc.project_samples(
        kpis(snapshot_id, db_path),
        snapshot(snapshot_id, db_path).as_of,
        forecast_observations(snapshot_id, db_path),
        project_id,
    ).view()


# --- drill-down (the Overview's counts opened on the Projects page)


def previous_snapshot_id(snapshot_id: int, db_path: str) -> int | None:
    """The snapshot just before ``snapshot_id`` (None: it is the oldest)."""
    older = [sid for sid, _ in history_key(db_path) if sid < snapshot_id]
    return older[-1] if older else None


@st.cache_data(max_entries=8, show_spinner=False)
def snapshot_changes(snapshot_id: int, db_path: str) -> dict[str, pd.DataFrame] | None:
    """What changed since the previous snapshot (``kpi.diff.snapshot_diff``), None for
    the oldest snapshot."""
    from pmo_core.kpi import diff

    prev = previous_snapshot_id(snapshot_id, db_path)
    if prev is None:
        return None
    return diff.snapshot_diff(
        snapshot(prev, db_path).frames,
        snapshot(snapshot_id, db_path).frames,
        kpis(prev, db_path),
        kpis(snapshot_id, db_path),
    )


@st.cache_data(max_entries=32, show_spinner=False)
def project_changes(snapshot_id: int, db_path: str, project_id: str) -> pd.DataFrame | None:
    """One project's changes since the previous snapshot (``kpi.diff.project_changes``),
    None for the oldest snapshot."""
    from pmo_core.kpi import diff

    prev = previous_snapshot_id(snapshot_id, db_path)
    if prev is None:
        return None
    return diff.project_changes(
        snapshot(prev, db_path).frames,
        snapshot(snapshot_id, db_path).frames,
        kpis(prev, db_path),
        kpis(snapshot_id, db_path),
        project_id,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def snapshots_with_project(db_path: str, project_id: str) -> list[int]:
    """The snapshots holding ``project_id``, newest first (for a link to a project that
    is not in the snapshot shown)."""
    ids = [int(i) for i in snapshots(db_path)["snapshot_id"]]
    return [
        i
        for i in ids
        if (store.load_table("projects", i, db_path)["project_id"] == project_id).any()
    ]


# --- reports: the pack's preview and its files


@st.cache_data(ttl=600, max_entries=12, show_spinner=False)
def pack_preview(
    snapshot_id: int,
    db_path: str,
    lang: str,
    project_ids: tuple[str, ...] | None,
    scenario_id: int | None,
) -> dict[str, Any]:
    """What the pack will print, for the Reports page: its subtitle, sections, cover
    cards and red/amber projects (formatted as printed), per snapshot, language, filters
    and scenario."""
    from pmo_core.report import data as pack
    from pmo_core.report import highlight

    d = report.collect(
        snapshot_id,
        lang=lang,
        project_ids=None if project_ids is None else list(project_ids),
        scenario_id=scenario_id,
        path=db_path,
        forecast_doc=forecast(snapshot_id, db_path, project_ids, pack.FORECAST_ITERATIONS),
    )
    watch = pack.watch_list(d)
    table = pd.DataFrame(
        {
            col: [
                v if kind in ("text", "rag") else pack.cell_text(v, kind, lang, d.currency)
                for v in watch[col]
            ]
            for col, _, kind in pack.WATCH_COLUMNS
        }
    )
    from pmo_core.report import forecasts

    return {
        "highlight": highlight.highlight(d),
        "forecast": forecasts.portfolio_lines(d),
        "subtitle": pack.subtitle(d) + " · " + pack.scope_text(d),
        "sections": pack.section_titles(d),
        "cards": pack.card_values(d),
        "watch": table,
        "red": int((watch["rag"] == "R").sum()),
    }


@st.cache_data(ttl=600, max_entries=12, show_spinner=False)
def pack_file(
    snapshot_id: int,
    db_path: str,
    kind: str,
    lang: str,
    project_ids: tuple[str, ...] | None,
    scenario_id: int | None,
) -> bytes:
    """The steering pack as ``xlsx``, ``html`` or ``pdf`` bytes, built once per snapshot,
    format, language, filters and scenario (the PDF takes Chromium seconds)."""
    from pmo_core.report import data as pack

    return report.build_report(
        snapshot_id,
        kind,
        lang=lang,
        project_ids=None if project_ids is None else list(project_ids),
        scenario_id=scenario_id,
        path=db_path,
        # The Forecasts page's cached answer: the same figures, drawn once.
        forecast_doc=forecast(snapshot_id, db_path, project_ids, pack.FORECAST_ITERATIONS),
    )


# --- schedule risk of a schedule file (Import page)


@st.cache_data(max_entries=8, show_spinner=False)
def schedule_risk(
    digest: str, iterations: int, _activities: pd.DataFrame, _relations: pd.DataFrame
) -> dict[str, dict[str, Any]]:
    """The schedule-risk document of each project of a validated schedule file (seed 0,
    with every draw's finish for the histogram), keyed by the file's hash and the
    number of iterations: the frames (not hashed) are what that file gives."""
    from pmo_core.forecast import schedule_risk as sr

    out = {}
    for pid, acts in _activities.groupby("project_id", sort=True, dropna=False):
        rels = _relations[_relations["project_id"] == pid]
        out[str(pid)] = sr.simulate(acts, rels, iterations=iterations, seed=0, with_draws=True)
    return out
