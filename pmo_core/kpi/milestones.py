"""Milestones: slip, overdue, hit rate, on-time delivery and the trend across snapshots.

Definitions (at the as-of date, a tolerance of ``tolerance_days`` after the baseline):

- slip_days: (actual, else forecast, else baseline) - baseline, in days;
- due: the baseline date is on or before the as-of date;
- hit: due and reached (an actual date on or before the as-of date);
- overdue: due and not reached; days_overdue = as-of - baseline;
- hit rate = hit / due (the share of milestones due that were reached);
- on-time rate = reached by baseline + tolerance / reached (every reached milestone,
  due or reached early);
- the milestone trend analysis (MTA) gives each milestone's forecast in each snapshot; a
  flat line is on plan, a rising one slips, and it ends on the diagonal when reached.

Examples:
    >>> m = pd.DataFrame({
    ...     "project_id": ["P", "P", "P"], "milestone_id": ["a", "b", "c"],
    ...     "baseline_date": pd.to_datetime(["2026-01-10", "2026-02-10", "2026-12-01"]),
    ...     "forecast_date": pd.to_datetime([None, "2026-03-01", None]),
    ...     "actual_date": pd.to_datetime(["2026-01-12", None, None])})
    >>> s = milestone_stats(m, "2026-03-31").iloc[0]
    >>> int(s.due), int(s.hit), int(s.overdue), float(s.hit_rate), float(s.on_time_rate)
    (2, 1, 1, 0.5, 0.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

TREND_COLUMNS = ["project_id", "milestone_id", "name", "as_of", "forecast", "reached"]


def milestone_slip(milestones: pd.DataFrame, as_of: date | pd.Timestamp | str) -> pd.DataFrame:
    """Per milestone: ``slip_days`` (actual or forecast vs baseline), ``days_overdue``
    (past the baseline without an actual date at the as-of date, else 0), ``due``,
    ``reached`` and ``on_time`` (reached no later than the baseline)."""
    as_of_ts = pd.Timestamp(as_of)
    m = milestones.copy()
    when = m["actual_date"].fillna(m["forecast_date"]).fillna(m["baseline_date"])
    m["slip_days"] = (when - m["baseline_date"]).dt.days
    overdue = (as_of_ts - m["baseline_date"]).dt.days
    reached = m["actual_date"].notna() & (m["actual_date"] <= as_of_ts)
    m["days_overdue"] = overdue.where(~reached & (overdue > 0), 0)
    m["due"] = (m["baseline_date"] <= as_of_ts).fillna(False)
    m["reached"] = reached
    return m


def milestone_stats(
    milestones: pd.DataFrame,
    as_of: date | pd.Timestamp | str,
    tolerance_days: int = 0,
) -> pd.DataFrame:
    """Per project: due, hit, overdue, reached, on_time, hit_rate, on_time_rate,
    max_slip_days (rates NaN when nothing is due / reached)."""
    m = milestone_slip(milestones, as_of)
    limit = m["baseline_date"] + pd.Timedelta(days=int(tolerance_days))
    m["hit"] = m["due"] & m["reached"]
    m["overdue"] = m["due"] & ~m["reached"]
    m["on_time"] = m["reached"] & (m["actual_date"] <= limit)
    g = m.groupby("project_id")
    out = pd.DataFrame(
        {
            "milestones": g.size(),
            "due": g["due"].sum(),
            "hit": g["hit"].sum(),
            "overdue": g["overdue"].sum(),
            "reached": g["reached"].sum(),
            "on_time": g["on_time"].sum(),
            "max_slip_days": g["slip_days"].max(),
        }
    ).astype({"due": int, "hit": int, "overdue": int, "reached": int, "on_time": int})
    out["hit_rate"] = out["hit"] / out["due"].where(out["due"] > 0)
    out["on_time_rate"] = out["on_time"] / out["reached"].where(out["reached"] > 0)
    return out.reset_index()


def milestone_summary(stats: pd.DataFrame) -> dict[str, Any]:
    """Portfolio figures from :func:`milestone_stats`: counts summed, then rates
    (never an average of project rates); ``None`` for an undefined rate."""
    due, hit = int(stats["due"].sum()), int(stats["hit"].sum())
    reached, on_time = int(stats["reached"].sum()), int(stats["on_time"].sum())
    return {
        "milestones": int(stats["milestones"].sum()),
        "due": due,
        "hit": hit,
        "overdue": int(stats["overdue"].sum()),
        "reached": reached,
        "on_time": on_time,
        "hit_rate": hit / due if due else None,
        "on_time_rate": on_time / reached if reached else None,
    }


def trend(
    history: Iterable[tuple[Any, pd.DataFrame]], project_id: str | None = None
) -> pd.DataFrame:
    """The milestone trend analysis: for each ``(as_of, milestones)`` snapshot, each
    milestone's forecast (the actual date once reached, else the forecast, else the
    baseline). Oldest snapshot first."""
    rows = []
    for as_of, m in history:
        if project_id is not None:
            m = m[m["project_id"] == project_id]
        ts = pd.Timestamp(as_of)
        reached = m["actual_date"].notna() & (m["actual_date"] <= ts)
        forecast = m["forecast_date"].fillna(m["baseline_date"])
        rows.append(
            pd.DataFrame(
                {
                    "project_id": m["project_id"],
                    "milestone_id": m["milestone_id"],
                    "name": m["name"],
                    "as_of": ts,
                    "forecast": m["actual_date"].where(reached, forecast),
                    "reached": reached,
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=TREND_COLUMNS)
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["as_of", "project_id", "milestone_id"]).reset_index(drop=True)


def slipping_in_a_row(trend_frame: pd.DataFrame, times: int = 2) -> pd.DataFrame:
    """Milestones not reached whose forecast moved later in each of the last ``times``
    snapshot changes: project_id, milestone_id, name, first, last (forecasts)."""
    cols = ["project_id", "milestone_id", "name", "first", "last"]
    if trend_frame.empty:
        return pd.DataFrame(columns=cols)
    t = trend_frame.sort_values("as_of")
    rows = []
    for (pid, mid), g in t.groupby(["project_id", "milestone_id"], sort=True):
        tail = g.tail(times + 1)
        if len(tail) < times + 1 or bool(tail["reached"].iloc[-1]):
            continue
        steps = np.diff(tail["forecast"].to_numpy().astype("datetime64[D]").astype("int64"))
        if bool((steps > 0).all()):
            rows.append(
                {
                    "project_id": pid,
                    "milestone_id": mid,
                    "name": tail["name"].iloc[-1],
                    "first": tail["forecast"].iloc[0],
                    "last": tail["forecast"].iloc[-1],
                }
            )
    return pd.DataFrame(rows, columns=cols)
