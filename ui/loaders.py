"""Every cache of the app lives here (``st.cache_data`` / ``st.cache_resource``), keyed by
snapshot id and store path; pages call these loaders, never the store. Snapshots are
immutable, so a snapshot's frames are cached by id and shared between sessions.

The app's writes go through here too (an import, a deleted snapshot, a request, a saved
weighting...): each writes through the library, then clears the caches it made stale.

Also the first start: an empty store is seeded with the demo portfolio, once per process."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import optimize, report, store
from pmo_core import project_requests as req
from pmo_core.demo import history as demo_history
from pmo_core.errors import StoreBusy
from pmo_core.ingest import IngestResult, pipeline
from pmo_core.kpi import alignment, capacity
from pmo_core.optimize import WhatIf, scenarios
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]
DEMO_WORKBOOK = ROOT / "data" / "demo_portfolio.xlsx"


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


@st.cache_data(max_entries=16, show_spinner=False)
def kpis(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Per-project KPIs of a snapshot (the same frame the CLI's ``kpis`` prints)."""
    from pmo_core import kpi

    return kpi.snapshot_kpis(snapshot(snapshot_id, db_path))


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
    doc_id = store.save_weighting(
        name, weights, judgments, snapshot_id=snapshot_id, who=who, path=db()
    )
    weightings.clear()
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


def requests(db_path: str) -> pd.DataFrame:
    """Every project request, newest first (read at each run: not cached)."""
    return req.load(db_path)


@st.cache_data(max_entries=8, show_spinner=False)
def request_queue(snapshot_id: int, db_path: str, stamp: str) -> pd.DataFrame:
    """The queue against a snapshot (``stamp`` changes whenever a request changes)."""
    return req.queue(req.load(db_path), snapshot(snapshot_id, db_path).frames)


def submit_request(payload: dict[str, Any], *, who: str | None) -> int:
    """Store a new request, then clear the data caches; returns its id.

    Raises:
        RequestInvalid: with every problem; nothing is stored."""
    rid = req.submit(payload, who=who, path=db())
    st.cache_data.clear()
    return rid


def move_request(doc_id: int, target: str, *, who: str | None, reason: str) -> None:
    """Move a request to another state, then clear the data caches."""
    req.move(doc_id, target, who=who, reason=reason, path=db())
    st.cache_data.clear()


# --- import


def commit_import(result: IngestResult, *, as_of: date, who: str | None) -> int:
    """Commit a validated file as one snapshot, then clear every cache; returns its id."""
    sid = pipeline.commit_result(result, as_of=as_of, who=who, path=db())
    clear_caches()
    return sid


def delete_snapshot(snapshot_id: int, *, who: str | None) -> None:
    """Delete a snapshot, then clear every cache."""
    store.delete_snapshot(snapshot_id, who=who, path=db())
    clear_caches()


def audit_log(db_path: str, limit: int = 200) -> pd.DataFrame:
    """The store's latest writes (read at each run: not cached)."""
    return store.audit_log(db_path, limit=limit)


def mapping_profiles(db_path: str) -> pd.DataFrame:
    """The saved column-mapping profiles (read at each run: not cached)."""
    return store.list_documents(pipeline.PROFILE_KIND, db_path)


def save_mapping_profile(profile: dict[str, Any], *, who: str | None, doc_id: int | None) -> int:
    """Store a column-mapping profile (``doc_id``: the one of that name it replaces)."""
    return store.save_document(
        pipeline.PROFILE_KIND, profile["name"], profile, who=who, doc_id=doc_id, path=db()
    )


# --- reports


def saved_scenarios(db_path: str) -> pd.DataFrame:
    """The what-if's saved scenarios, newest first (read at each run: not cached)."""
    return scenarios.list_scenarios(db_path)


def build_pack(
    snapshot_id: int,
    kind: str,
    *,
    lang: str,
    project_ids: list[str] | None,
    scenario_id: int | None,
) -> bytes:
    """The steering pack of a snapshot as ``xlsx``, ``html`` or ``pdf`` bytes."""
    return report.build_report(
        snapshot_id,
        kind,
        lang=lang,
        project_ids=project_ids,
        scenario_id=scenario_id,
        path=db(),
    )


# --- what-if


def _with_requests(snapshot_id: int, db_path: str, ids: tuple[str, ...]) -> store.Snapshot:
    """The snapshot with the requests ``ids`` among its candidates (the ids key the caches)."""
    snap = snapshot(snapshot_id, db_path)
    if ids:
        asked = req.load(db_path)
        snap = req.with_candidates(snap, asked[asked["project_id"].isin(ids)])
    return snap


@st.cache_data(max_entries=64, show_spinner=False)
def whatif_answer(snapshot_id: int, db_path: str, whatif: WhatIf) -> dict[str, Any]:
    """The optimiser's answer under ``whatif`` (``optimize_document``), the requests
    ``whatif.requests`` among the candidates."""
    snap = _with_requests(snapshot_id, db_path, whatif.requests)
    return optimize.optimize_document(snap, whatif)


@st.cache_data(max_entries=8, show_spinner=False)
def _frontier(snapshot_id: int, db_path: str, rules: WhatIf) -> tuple[pd.DataFrame, pd.DataFrame]:
    snap = _with_requests(snapshot_id, db_path, rules.requests)
    return optimize.frontier_and_ranking(snap, rules, points=12, time_limit=0.5)


def whatif_frontier(
    snapshot_id: int, db_path: str, whatif: WhatIf
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficient frontier (12 levels, 0.5 s each) and the ranking curve, cached by
    ``whatif.frontier_rules()``: moving the budget does not recompute them."""
    return _frontier(snapshot_id, db_path, whatif.frontier_rules())


@st.cache_data(ttl=10, show_spinner=False)
def whatif_scenarios(db_path: str) -> pd.DataFrame:
    """Saved scenarios, newest first, for the What-if's comparison (refreshed every 10 s)."""
    return scenarios.list_scenarios(db_path)


def save_scenario(
    name: str, whatif: WhatIf, answer: dict[str, Any], *, snapshot_id: int, who: str | None
) -> int:
    """Store a scenario (``whatif.to_dict()`` and the answer), then clear the data caches;
    returns its id."""
    doc_id = scenarios.save_scenario(
        name, whatif.to_dict(), answer, snapshot_id=snapshot_id, who=who, path=db()
    )
    st.cache_data.clear()
    return doc_id


@st.cache_data(max_entries=8, show_spinner=False)
def forecast(
    snapshot_id: int, db_path: str, ids: tuple[str, ...] | None, iterations: int = 5_000
) -> dict[str, Any]:
    """The ``forecast`` document of a snapshot (its projects, or only ``ids``), from the
    KPI frames of every snapshot up to its as-of date (seed 0: the same figures each
    time). Keyed by the newest snapshot too, through the snapshot list it reads."""
    from pmo_core import forecast as fc

    table = snapshots(db_path)
    chosen = table[table["snapshot_id"] == snapshot_id]
    as_of = pd.to_datetime(chosen["as_of"]).iloc[0]
    past = table[(pd.to_datetime(table["as_of"]) <= as_of) & (table["snapshot_id"] != snapshot_id)]
    order = [*past.sort_values(["as_of", "snapshot_id"])["snapshot_id"], snapshot_id]
    history = []
    for sid in order:
        k = kpis(int(sid), db_path)
        history.append((int(sid), snapshot(int(sid), db_path).as_of, k))
    if ids is not None:
        last = history[-1]
        history[-1] = (last[0], last[1], last[2][last[2]["project_id"].isin(ids)])
    return fc.forecast_document(history, iterations=iterations, seed=0)


# --- drill-down (the Overview's counts opened on the Projects page)


def previous_snapshot_id(snapshot_id: int, db_path: str) -> int | None:
    """The snapshot just before ``snapshot_id`` (None: it is the oldest)."""
    table = snapshots(db_path)
    older = table[table["snapshot_id"] < snapshot_id]
    return None if older.empty else int(older["snapshot_id"].max())


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
