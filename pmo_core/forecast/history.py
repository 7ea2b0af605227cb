"""What the company's own history says: forecasts made at a snapshot, and their outcome.

An observation is a project's forecast at snapshot ``k`` (its EAC and its forecast
finish, as :func:`pmo_core.kpi.snapshot_kpis` computed them then) next to what happened:
the project's cost at completion (its actual cost in the first snapshot where it is
completed) and its finish (that snapshot's ``forecast_end_date`` when the completed row
gives it, else the snapshot's as-of date: then the finish is known to the month).

Observations are grouped into reference classes by stage: the share of the budget earned
at the forecast (EV / BAC) in bands of 25 %, and within a band by programme or by
department when the band holds enough outcomes there.

Columns of :func:`observations`: project_id, k (index of the forecast's snapshot, oldest
0), outcome_k (index of the snapshot where the outcome was seen), band, program,
department, cost_ratio (outcome cost / EAC), etc_share (ETC / EAC at the forecast),
finish_ratio (outcome duration / forecast duration, both from the start date),
remaining_share (forecast days still to run / forecast duration).

Examples:
    >>> band_of(pd.Series([0.0, 0.25, 0.6, 1.0, np.nan])).tolist()
    ['0-25 %', '25-50 %', '50-75 %', '75-100 %', nan]
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

#: Statuses whose projects get a forecast: still running.
OPEN_STATUSES = ("in_progress", "on_hold")
BAND_EDGES = (0.25, 0.5, 0.75)
BAND_LABELS = ("0-25 %", "25-50 %", "50-75 %", "75-100 %")
COLUMNS = [
    "project_id",
    "k",
    "outcome_k",
    "band",
    "program",
    "department",
    "cost_ratio",
    "etc_share",
    "finish_ratio",
    "remaining_share",
]


def band_of(earned: pd.Series) -> pd.Series:
    """The stage band of an earned fraction (EV / BAC): 0-25 %, ... 75-100 %; NaN stays
    NaN (no progress data: no class)."""
    codes = np.searchsorted(np.array(BAND_EDGES), earned.to_numpy(dtype=float), side="right")
    labels = np.array(BAND_LABELS, dtype=object)[np.minimum(codes, len(BAND_LABELS) - 1)]
    return pd.Series(np.where(earned.isna(), np.nan, labels), index=earned.index, dtype=object)


def forecast_inputs(k: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The figures a forecast starts from, per project of a KPI frame: earned fraction
    and band, EAC and ETC, start, forecast finish, forecast duration and remaining days
    (NaN where undefined)."""
    ts = pd.Timestamp(as_of)
    start = pd.to_datetime(k["start_date"])
    finish = pd.to_datetime(k["forecast_finish"])
    eac = k["eac"].astype(float)
    bac = k["bac"].astype(float)
    earned = (k["ev"].astype(float) / bac.where(bac > 0)).clip(0.0, 1.0)
    out = pd.DataFrame(
        {
            "project_id": k["project_id"],
            "status": k["status"],
            "program": k["program"],
            "department": k["department"],
            "bac": bac,
            "ac": k["ac"].astype(float),
            "eac": eac.where(eac > 0),
            "start": start,
            "end": pd.to_datetime(k["end_date"]),
            "finish": finish,
            "earned": earned,
        }
    )
    out["etc"] = (out["eac"] - out["ac"].fillna(0.0)).clip(lower=0.0)
    out["band"] = band_of(earned)
    days = (finish - start).dt.days.astype(float)
    out["forecast_days"] = days.where(days > 0)
    out["remaining_days"] = (finish - ts).dt.days.astype(float).clip(lower=0.0)
    return out


def observations(history: Sequence[tuple[date, pd.DataFrame]]) -> pd.DataFrame:
    """Every forecast of the history whose outcome is known (see the module's docstring).

    Args:
        history: (as-of date, KPI frame of that snapshot) pairs, oldest first.
    """
    frames = []
    for i, (as_of, k) in enumerate(history):
        f = forecast_inputs(k, as_of)
        f["k"] = i
        f["as_of"] = pd.Timestamp(as_of)
        f["actual_end"] = pd.to_datetime(k["forecast_end_date"])
        frames.append(f)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    allk = pd.concat(frames, ignore_index=True)
    done = allk[allk["status"] == "completed"].sort_values("k").drop_duplicates("project_id")
    outcome = pd.DataFrame(
        {
            "project_id": done["project_id"],
            "outcome_k": done["k"],
            "outcome_cost": done["ac"].where(done["ac"].notna(), done["eac"]),
            "outcome_end": done["actual_end"].where(done["actual_end"].notna(), done["as_of"]),
        }
    )
    fc = allk[allk["status"].isin(OPEN_STATUSES) & allk["eac"].notna() & allk["band"].notna()]
    fc = fc.merge(outcome, on="project_id", how="inner")
    fc = fc[fc["k"] < fc["outcome_k"]].copy()
    fc["cost_ratio"] = fc["outcome_cost"] / fc["eac"]
    fc["etc_share"] = fc["etc"] / fc["eac"]
    fc["finish_ratio"] = (fc["outcome_end"] - fc["start"]).dt.days / fc["forecast_days"]
    fc["remaining_share"] = fc["remaining_days"] / fc["forecast_days"]
    fc = fc[fc["cost_ratio"].notna() & np.isfinite(fc["cost_ratio"])]
    return fc[COLUMNS].reset_index(drop=True)
