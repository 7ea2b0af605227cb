"""Key performance indicators (DESIGN section 4): per project and for the portfolio.

This module holds what joins them: :func:`snapshot_kpis` (EVM, RAG, alignment, exposure,
slip per project of a snapshot, with its descriptive columns), :func:`portfolio_headline`
(the roll-up the CLI's ``kpis``, the Overview and the pack share) and
:func:`kpis_document`; it re-exports the names callers use. The rooms: :mod:`~pmo_core.kpi.evm`
(earned value and earned schedule), :mod:`~pmo_core.kpi.rag_rules` (thresholds, bands,
RAG), :mod:`~pmo_core.kpi.milestones`, :mod:`~pmo_core.kpi.risk`,
:mod:`~pmo_core.kpi.alignment`, :mod:`~pmo_core.kpi.capacity`,
:mod:`~pmo_core.kpi.governance`, :mod:`~pmo_core.kpi.diff`. Every function takes frames
and returns frames or figures: nothing here reads the store.

Columns:
    snapshot_kpis(...) -> project_id, name, program, department, manager, sponsor, phase,
        start_date, end_date, forecast_end_date, percent_complete, expected_benefit,
        mandatory, the project_evm and rag columns, slip_days, alignment_score,
        priority_pct, risk_exposure, risk_score

Examples:
    >>> safe_div(pd.Series([1.0, 1.0]), pd.Series([2.0, 0.0])).tolist()
    [0.5, nan]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pmo_core.kpi.alignment import alignment_scores, objective_weights
from pmo_core.kpi.evm import portfolio_evm, project_evm
from pmo_core.kpi.milestones import milestone_slip
from pmo_core.kpi.rag_rules import (
    DEFAULT_THRESHOLDS,
    NO_RATING,
    RAG_ORDER,
    RATED_STATUSES,
    band,
    rag,
    thresholds_from_settings,
    unrated,
)
from pmo_core.kpi.risk import exposure_by_project, impact_thresholds
from pmo_core.kpi.schedule import DAYS_PER_MONTH, earned_schedule, lipke_es, safe_div


def snapshot_kpis(snapshot: Any) -> pd.DataFrame:
    """Per-project KPIs of a snapshot: EVM, RAG, alignment, exposure, slip, with the
    project's descriptive columns. Pages and the CLI both use this, so they agree."""
    f = snapshot.frames
    projects = f["projects"]
    evm = project_evm(projects, f["status_reports"], snapshot.as_of, f.get("baseline"))
    th = thresholds_from_settings(snapshot.settings)
    r = rag(evm, f["milestones"], projects, snapshot.as_of, th, f["status_reports"])
    slip = milestone_slip(f["milestones"], snapshot.as_of).groupby("project_id")["slip_days"].max()
    weights = objective_weights(f["objectives"], f["pairwise"]).weights
    align = alignment_scores(
        f["alignment"], weights, projects, imported=f.get("priorities")
    ).set_index("project_id")
    risk_th = impact_thresholds(snapshot.settings)[0]
    exposure = exposure_by_project(f["risks"], projects, thresholds=risk_th)
    cols = [
        "project_id",
        "name",
        "program",
        "department",
        "manager",
        "sponsor",
        "phase",
        "start_date",
        "end_date",
        "forecast_end_date",
        "percent_complete",
        "expected_benefit",
        "mandatory",
    ]
    out = projects[cols].merge(evm, on="project_id").merge(r, on="project_id")
    out["slip_days"] = out["project_id"].map(slip)
    out["alignment_score"] = out["project_id"].map(align["alignment_score"])
    out["priority_pct"] = out["project_id"].map(align["priority_pct"])
    # Where the score comes from: "ratings", or an imported priority ("Project Server").
    out["alignment_source"] = out["project_id"].map(align["source"])
    # No open risk: exposure 0 in a money register; a register of levels has none (NaN).
    risk_exposure = out["project_id"].map(exposure["risk_exposure"])
    out["risk_exposure"] = risk_exposure.fillna(0.0) if exposure.attrs["money"] else risk_exposure
    out["risk_score"] = out["project_id"].map(exposure["risk_score"]).fillna(0.0)
    return out


PROJECT_FIELDS = (
    "project_id",
    "name",
    "status",
    "program",
    "department",
    "manager",
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "eac_ac_plus_remaining",
    "eac_cpi_spi",
    "etc",
    "vac",
    "tcpi",
    "source",
    "es",
    "spi_t",
    "sv_t",
    "forecast_finish",
    "alignment_score",
    "priority_pct",
    "alignment_source",
    "rag",
    "rag_schedule",
    "rag_cost",
    "rag_milestones",
    "rag_quality",
    "rag_computed",
    "rag_reason",
    "missing_inputs",
    "slip_days",
    "risk_exposure",
    "risk_score",
)


def portfolio_headline(k: pd.DataFrame) -> dict[str, Any]:
    """The portfolio's headline from a KPI frame (:func:`snapshot_kpis`): the EVM roll-up
    of :func:`portfolio_evm`, risk exposure and score over the open projects (neither
    completed nor cancelled), red and amber counts. The one place these are computed: the
    CLI's ``kpis``, the Overview and the steering pack all show this.

    A figure covers the projects where it is defined; ``left_out`` says how many it
    leaves out (see :func:`portfolio_evm`); ``unrated_projects`` counts the running
    projects with no rating."""
    portfolio = portfolio_evm(k)
    live = k[~k["status"].isin(["completed", "cancelled"])]
    levels = len(live) > 0 and bool(live["risk_exposure"].isna().all())  # no money exposure
    portfolio["risk_exposure"] = None if levels else float(live["risk_exposure"].sum())
    portfolio["risk_score"] = float(live["risk_score"].sum())
    portfolio["red_projects"] = int((k["rag"] == "R").sum())
    portfolio["amber_projects"] = int((k["rag"] == "A").sum())
    # Running projects no dimension rates (no dates, progress, milestones nor quality).
    portfolio["unrated_projects"] = int(unrated(k).sum())
    return portfolio


def kpis_document(snapshot: Any) -> dict[str, Any]:
    """The CLI's ``kpis`` JSON (DESIGN section 7)."""
    k = snapshot_kpis(snapshot)
    portfolio = portfolio_headline(k)
    fields = k[list(PROJECT_FIELDS)].copy()
    for c in fields.columns[[pd.api.types.is_datetime64_any_dtype(d) for d in fields.dtypes]]:
        fields[c] = fields[c].dt.date  # a date, not a midnight timestamp (DESIGN section 7)
    rows = fields.astype(object).where(fields.notna(), None)
    return {
        "snapshot_id": snapshot.snapshot_id,
        "as_of": snapshot.as_of,
        "currency": snapshot.currency,
        "portfolio": portfolio,
        "projects": rows.to_dict(orient="records"),
    }


__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_THRESHOLDS",
    "NO_RATING",
    "PROJECT_FIELDS",
    "RAG_ORDER",
    "RATED_STATUSES",
    "band",
    "earned_schedule",
    "kpis_document",
    "lipke_es",
    "milestone_slip",
    "portfolio_evm",
    "portfolio_headline",
    "project_evm",
    "rag",
    "safe_div",
    "snapshot_kpis",
    "thresholds_from_settings",
    "unrated",
]
