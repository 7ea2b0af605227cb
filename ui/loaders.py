"""Every cache of the app lives here (``st.cache_data`` / ``st.cache_resource``), keyed by
snapshot id and store path; pages call these loaders, never the store. Snapshots are
immutable, so a snapshot's frames are cached by id and shared between sessions.

Also the first start: an empty store is seeded with the demo portfolio, once per process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import optimize, store
from pmo_core import project_requests as req
from pmo_core.demo import history as demo_history
from pmo_core.errors import StoreBusy
from pmo_core.kpi import alignment
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


# --- alignment


@st.cache_data(ttl=10, show_spinner=False)
def weightings(db_path: str) -> pd.DataFrame:
    """Saved objective weightings, newest first (refreshed every 10 s)."""
    return alignment.list_weightings(db_path)


# --- requests


def requests(db_path: str) -> pd.DataFrame:
    """Every project request, newest first (read at each run: not cached)."""
    return req.load(db_path)


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
