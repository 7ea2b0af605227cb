"""Earned value and earned schedule per project and for the portfolio (DESIGN section 4).

PV, EV and AC come from the latest status report on or before the as-of date (a blank
field falls back to the linear plan or the project row), else from the linear baseline:
PV = BAC x clamp((as_of - start) / (end - start), 0, 1), EV = BAC x % complete / 100,
AC = actual cost. Ratios whose divisor is 0 or missing are NaN ("n/a"), never 0 or inf.
The portfolio sums PV, EV, AC, BAC and EAC over projects in execution first, then divides:
indices are never averaged.

Earned schedule and the baseline PV curves are in :mod:`pmo_core.kpi.schedule`.

Columns:
    project_evm(...) -> project_id, status, bac, pv, ev, ac, sv, cv, spi, cpi, eac,
        eac_ac_plus_remaining, eac_cpi_spi, etc, vac, tcpi, source, es, at, planned_months,
        spi_t, sv_t, forecast_finish

Examples:
    >>> safe_div(pd.Series([1.0, 1.0]), pd.Series([2.0, 0.0])).tolist()
    [0.5, nan]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.kpi.schedule import (
    DAYS_PER_MONTH,
    MAX_FORECAST_DAYS,
    baseline_curves,
    curve_es,
    curve_pv,
    earned_schedule,
    latest_reports,
    report_pv_es,
    safe_div,
    schedule_from_es,
)
from pmo_core.schema import EXECUTION_STATUSES

__all__ = [
    "DAYS_PER_MONTH",
    "MAX_FORECAST_DAYS",
    "earned_schedule",
    "latest_reports",
    "report_pv_es",
    "safe_div",
]


def project_evm(
    projects: pd.DataFrame,
    status_reports: pd.DataFrame,
    as_of: date | pd.Timestamp,
    baseline: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """EVM and earned schedule for every project (one row each, in the input order).

    ``baseline`` (the Baseline sheet: project_id, month, cumulative planned_value) gives
    a project's PV at the as-of date where no status report gives it, and its ES."""
    as_of_ts = pd.Timestamp(as_of)
    p = projects.reset_index(drop=True)
    start, end = p["start_date"], p["end_date"]
    bac = p["budget"].astype("float64")
    duration_days = (end - start).dt.days.astype("float64")
    elapsed = (as_of_ts - start).dt.days.astype("float64") / duration_days.where(duration_days > 0)
    # A zero-length project is fully planned once its date is past.
    elapsed = elapsed.where(duration_days > 0, (as_of_ts >= start).astype("float64"))
    # No plan without both dates: the linear PV is undefined, never 0 or BAC.
    elapsed = elapsed.where(start.notna() & end.notna())
    linear_pv = bac * elapsed.clip(0, 1)
    curves = baseline_curves(p, baseline)
    on_curve = p["project_id"].isin(curves.project_ids).to_numpy()
    if curves.project_ids:  # the baseline curve replaces the linear plan where given
        x = (as_of_ts - start).dt.days.to_numpy(dtype="float64", na_value=np.nan)
        linear_pv = linear_pv.where(~on_curve, curve_pv(curves, p["project_id"], x))
    linear_ev = bac * p["percent_complete"].astype("float64") / 100
    latest = latest_reports(status_reports, as_of_ts).reindex(p["project_id"])
    has_report = latest["report_date"].notna().to_numpy()
    pv = latest["planned_value"].to_numpy(dtype="float64", na_value=np.nan)
    ev = latest["earned_value"].to_numpy(dtype="float64", na_value=np.nan)
    ac = latest["actual_cost"].to_numpy(dtype="float64", na_value=np.nan)
    pct_report = latest["percent_complete"].to_numpy(dtype="float64", na_value=np.nan)
    ev_from_pct = bac.to_numpy() * pct_report / 100
    out = pd.DataFrame({"project_id": p["project_id"], "status": p["status"], "bac": bac})
    out["pv"] = np.where(has_report & ~np.isnan(pv), pv, linear_pv)
    out["ev"] = np.where(
        has_report & ~np.isnan(ev),
        ev,
        np.where(has_report & ~np.isnan(ev_from_pct), ev_from_pct, linear_ev),
    )
    out["ac"] = np.where(has_report & ~np.isnan(ac), ac, p["actual_cost"].astype("float64"))
    out["source"] = np.where(has_report, "status_report", np.where(on_curve, "baseline", "linear"))
    # Progress is an EV or a % complete, in the latest report or on the project row.
    progress = (has_report & ~(np.isnan(ev) & np.isnan(pct_report))) | p[
        "percent_complete"
    ].notna().to_numpy()
    out["sv"] = out["ev"] - out["pv"]
    out["cv"] = out["ev"] - out["ac"]
    out["spi"] = safe_div(out["ev"], out["pv"])
    out["cpi"] = safe_div(out["ev"], out["ac"])
    out["eac"] = safe_div(out["bac"], out["cpi"])
    out["eac_ac_plus_remaining"] = out["ac"] + out["bac"] - out["ev"]
    out["eac_cpi_spi"] = out["ac"] + safe_div(out["bac"] - out["ev"], out["cpi"] * out["spi"])
    out["etc"] = out["eac"] - out["ac"]
    out["vac"] = out["bac"] - out["eac"]
    out["tcpi"] = safe_div(out["bac"] - out["ev"], out["bac"] - out["ac"])
    es = earned_schedule(start, end, bac, out["ev"], as_of_ts)
    curved = report_pv_es(p, status_reports, out["ev"], as_of_ts)
    if len(curved):
        rows = p.index[p["project_id"].isin(curved.index)]
        es.loc[rows, "es"] = p.loc[rows, "project_id"].map(curved).to_numpy()
    if curves.project_ids:  # the baseline curve wins over the reports' PV
        es.loc[on_curve, "es"] = curve_es(curves, p["project_id"], out["ev"])[on_curve]
    if len(curved) or curves.project_ids:
        es = schedule_from_es(es, start)
    return undefined_without_inputs(pd.concat([out, es], axis=1), p, progress)


#: What a project lacks (``missing_inputs`` codes), the figures it leaves undefined.
MISSING_INPUTS: dict[str, str] = {
    "dates": "Start or end date missing: PV, SV, SPI, ES, SPI(t) and forecast finish are n/a.",
    "budget": "Budget missing: PV, EV and the cost figures are n/a.",
    "progress": "No progress data (no EV, % complete or status report): EV, SPI, CPI, ES "
    "and EAC are n/a.",
    "actual_cost": "Actual cost missing: CV, CPI and EAC are n/a.",
}
SCHEDULE_FIELDS = ("es", "spi_t", "sv_t", "forecast_finish")


def undefined_without_inputs(
    e: pd.DataFrame, projects: pd.DataFrame, progress: np.ndarray
) -> pd.DataFrame:
    """Blank the earned-schedule figures of projects without both dates or without any
    progress input (``progress`` False: no EV and no % complete anywhere), and name what
    each project lacks in ``missing_inputs`` (codes of :data:`MISSING_INPUTS` joined by
    ``,``; NaN when nothing is missing). EV = 0 is a default, not data: it never rates.

    >>> p = pd.DataFrame({"start_date": pd.to_datetime(["2026-01-01", None]),
    ...                   "end_date": pd.to_datetime(["2026-12-31", None])})
    >>> e = pd.DataFrame({"bac": [1.0, 1.0], "ev": [0.5, np.nan], "ac": [0.2, 0.2],
    ...                   "es": [6.0, 12.0], "spi_t": [1.0, 2.0], "sv_t": [0.0, 6.0],
    ...                   "forecast_finish": pd.to_datetime(["2026-12-31", "2026-07-01"])})
    >>> out = undefined_without_inputs(e, p, np.array([True, False]))
    >>> out["es"].tolist(), out["missing_inputs"].tolist()
    ([6.0, nan], [nan, 'dates,progress'])
    """
    dated = (projects["start_date"].notna() & projects["end_date"].notna()).to_numpy()
    known = dated & e["ev"].notna().to_numpy()
    for col in SCHEDULE_FIELDS:
        e[col] = e[col].where(known)
    flags = pd.DataFrame(
        {
            "dates": ~dated,
            "budget": e["bac"].isna().to_numpy(),
            "progress": ~np.asarray(progress, dtype=bool),
            "actual_cost": e["ac"].isna().to_numpy(),
        },
        index=e.index,
    )
    codes = flags.dot(pd.Index([f"{c}," for c in flags.columns])).str.rstrip(",")
    e["missing_inputs"] = codes.mask(codes == "")
    return e


#: Portfolio figures and the project columns they need (a project lacking one is left out).
PORTFOLIO_NEEDS: dict[str, tuple[str, ...]] = {
    "bac": ("bac",),
    "pv": ("pv",),
    "ev": ("ev",),
    "ac": ("ac",),
    "sv": ("ev", "pv"),
    "cv": ("ev", "ac"),
    "spi": ("ev", "pv"),
    "cpi": ("ev", "ac"),
    "eac": ("eac_or_bac",),
    "etc": ("eac_or_bac", "ac"),
    "vac": ("eac_or_bac", "bac"),
    "tcpi": ("bac", "ev", "ac"),
}


def portfolio_evm(evm: pd.DataFrame) -> dict[str, Any]:
    """Portfolio roll-up over projects in execution: sums first, then ratios.

    Each figure covers only the projects where what it needs is defined
    (:data:`PORTFOLIO_NEEDS`): SPI = sum EV / sum PV over the projects with both, so a
    project without progress data changes neither SPI nor CPI. ``left_out`` counts, per
    figure, the projects in execution it leaves out; a figure no project defines is NaN
    (JSON null), never 0. A project whose EAC is undefined adds its BAC to the EAC
    (``eac_at_bac`` counts them).

    >>> e = pd.DataFrame({"status": ["in_progress"] * 2, "bac": [100.0, 50.0],
    ...                   "pv": [40.0, 20.0], "ev": [50.0, np.nan], "ac": [25.0, 10.0],
    ...                   "eac": [50.0, np.nan]})
    >>> port = portfolio_evm(e)
    >>> port["pv"], port["spi"], port["cpi"], port["eac"], port["left_out"]["spi"]
    (60.0, 1.25, 2.0, 100.0, 1)
    """
    e = evm[evm["status"].isin(EXECUTION_STATUSES)]
    e = e.assign(eac_or_bac=e["eac"].fillna(e["bac"]))  # undefined EAC adds its BAC
    sums: dict[str, dict[str, float]] = {}
    left_out: dict[str, int] = {}
    for figure, needs in PORTFOLIO_NEEDS.items():
        defined = e[list(needs)].notna().all(axis=1)
        left_out[figure] = int((~defined).sum())
        part = e[defined]
        sums[figure] = {
            c: float(part[c].sum()) if len(part) else float("nan")
            for c in {*needs, "bac", "ev", "ac", "pv", "eac_or_bac"}
            if c in part
        }

    def ratio(a: float, b: float) -> float:
        return a / b if b and not np.isnan(b) else float("nan")

    s = sums
    counts = evm["status"].value_counts().to_dict()
    return {
        "bac": s["bac"]["bac"],
        "pv": s["pv"]["pv"],
        "ev": s["ev"]["ev"],
        "ac": s["ac"]["ac"],
        "sv": s["sv"]["ev"] - s["sv"]["pv"],
        "cv": s["cv"]["ev"] - s["cv"]["ac"],
        "spi": ratio(s["spi"]["ev"], s["spi"]["pv"]),
        "cpi": ratio(s["cpi"]["ev"], s["cpi"]["ac"]),
        "eac": s["eac"]["eac_or_bac"],
        "etc": s["etc"]["eac_or_bac"] - s["etc"]["ac"],
        "vac": s["vac"]["bac"] - s["vac"]["eac_or_bac"],
        "tcpi": ratio(s["tcpi"]["bac"] - s["tcpi"]["ev"], s["tcpi"]["bac"] - s["tcpi"]["ac"]),
        "projects": len(evm),
        "projects_in_execution": len(e),
        "projects_by_status": {str(k): int(v) for k, v in counts.items()},
        "left_out": left_out,
        "eac_at_bac": int((e["eac"].isna() & e["bac"].notna()).sum()),
    }
