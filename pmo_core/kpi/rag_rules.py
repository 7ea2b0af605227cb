"""RAG per project (DESIGN section 4): the worst of schedule (SPI(t), else SPI), cost (CPI),
milestones (days overdue) and quality (the latest status report's quality RAG), unless
an override is given; indices are banded by thresholds (:data:`DEFAULT_THRESHOLDS`,
overridable by settings: :func:`thresholds_from_settings`) with :func:`band`.

A dimension without data (no SPI for want of dates or progress, no CPI, no milestone, no
quality report) is "no rating" (a missing code, shown grey as :data:`NO_RATING`): the
overall RAG is the worst of the rated dimensions, or no rating when none is rated
(:func:`unrated`), never a colour computed from defaults.

(The module is not named ``rag``: :func:`rag` is the function callers reach as
``kpi.rag``.)

Columns:
    rag(...) -> project_id, rag_schedule, rag_cost, rag_milestones, rag_quality, rag_computed, rag,
        rag_overridden, rag_reason

Examples:
    >>> band(pd.Series([0.96, 0.9, 0.5, None]), DEFAULT_THRESHOLDS).tolist()
    ['G', 'A', 'R', nan]
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pmo_core.kpi.evm import latest_reports
from pmo_core.kpi.milestones import milestone_slip

DEFAULT_THRESHOLDS: dict[str, float] = {
    "green": 0.95,
    "amber": 0.85,
    "milestone_amber_days": 30,
    "milestone_red_days": 90,
}
RAG_ORDER = {"G": 0, "A": 1, "R": 2}
#: Statuses whose RAG is computed (completed, cancelled and not started ones have none).
RATED_STATUSES: tuple[str, ...] = ("in_progress", "on_hold")
#: The label of a missing RAG code where one is expected (French: "Sans météo").
NO_RATING = "No rating"


def unrated(k: pd.DataFrame) -> pd.Series:
    """True for running projects (:data:`RATED_STATUSES`) that have no RAG at all.

    >>> unrated(pd.DataFrame({"status": ["in_progress", "proposed", "on_hold"],
    ...                       "rag": [None, None, "G"]})).tolist()
    [True, False, False]
    """
    return k["status"].isin(RATED_STATUSES) & k["rag"].isna()


def thresholds_from_settings(settings: dict[str, str] | None) -> dict[str, float]:
    """RAG thresholds, overridable by settings ``rag_green``, ``rag_amber``,
    ``rag_milestone_amber_days``, ``rag_milestone_red_days``."""
    out = dict(DEFAULT_THRESHOLDS)
    for key in out:
        raw = (settings or {}).get(f"rag_{key}")
        if raw:
            try:
                out[key] = float(str(raw).replace(",", "."))
            except ValueError:
                continue
    return out


def band(index: pd.Series, th: dict[str, float]) -> pd.Series:
    """G at or above ``th["green"]``, A at or above ``th["amber"]``, else R; NaN stays NaN."""
    out = np.where(index >= th["green"], "G", np.where(index >= th["amber"], "A", "R"))
    return pd.Series(out, index=index.index, dtype="object").where(index.notna())


def rag(
    evm: pd.DataFrame,
    milestones: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: date | pd.Timestamp,
    thresholds: dict[str, float] | None = None,
    status_reports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """RAG per project: worst of schedule (SPI(t), else SPI), cost (CPI), milestones and
    quality (the latest status report's quality RAG on or before the as-of date), unless
    an override is given (shown with its reason; the computed one kept beside)."""
    th = thresholds or DEFAULT_THRESHOLDS
    e = evm.set_index("project_id")
    schedule = band(e["spi_t"].fillna(e["spi"]), th)
    cost = band(e["cpi"], th)
    slip = milestone_slip(milestones, as_of).groupby("project_id")["days_overdue"].max()
    late = slip.reindex(e.index)
    ms = pd.Series(
        np.where(
            late > th["milestone_red_days"],
            "R",
            np.where(late > th["milestone_amber_days"], "A", "G"),
        ),
        index=e.index,
        dtype="object",
    ).where(late.notna())
    quality = pd.Series(np.nan, index=e.index, dtype="object")
    if status_reports is not None and "quality_rag" in status_reports:
        rated = status_reports[status_reports["quality_rag"].isin(list(RAG_ORDER))]
        latest = latest_reports(rated, pd.Timestamp(as_of))
        quality = latest["quality_rag"].reindex(e.index).astype("object")
    dims = pd.DataFrame(
        {"rag_schedule": schedule, "rag_cost": cost, "rag_milestones": ms, "rag_quality": quality}
    )
    worst = dims.apply(lambda c: c.map(RAG_ORDER)).max(axis=1)
    computed = worst.map({v: k for k, v in RAG_ORDER.items()})
    running = e["status"].isin(RATED_STATUSES)
    computed = computed.where(running)
    p = projects.set_index("project_id")
    override = p["rag_override"].reindex(e.index)
    out = dims.copy()
    out["rag_computed"] = computed
    out["rag"] = override.astype("object").where(override.notna(), computed)
    out["rag_overridden"] = override.notna().to_numpy()
    out["rag_reason"] = p["rag_reason"].reindex(e.index)
    return out.reset_index()
