"""The demo's past: earlier monthly snapshots derived from the demo portfolio.

A cockpit with one snapshot cannot show what changed, a trend or an early warning. On
first start the app seeds the demo workbook's month and the months before it, derived
from the same frames by rewinding time, so that every page tells a story:

- status reports after the earlier as-of date are not known yet; progress and actual
  cost are those of the last report then;
- projects started later were approved, projects finished later were running;
- milestones reached later were not reached; one slipping milestone in three had
  slipped less (its forecast moves later each month: the trend analysis and the early
  warnings see it);
- some proposals had not been submitted yet, some risks not raised, and some projects'
  exposure was lower (it rose since).

The derivation is deterministic (no random numbers): same frames, same history.

Examples:
    >>> from pmo_core import demo
    >>> frames, settings = demo.build_demo(30, seed=7)
    >>> as_of, old = earlier_snapshot(frames, date(2026, 10, 31), 2)
    >>> as_of, len(old["projects"]) < len(frames["projects"])
    (datetime.date(2026, 8, 31), True)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from pmo_core import schema, store
from pmo_core.ingest import pipeline

#: Share of a milestone's current slip already seen one month earlier, per month back.
SLIP_SEEN_PER_MONTH = 0.35
#: Share of the exposure of a "rising" project's risks per month back.
EXPOSURE_PER_MONTH = 0.3


def month_end_before(as_of: date, months_back: int) -> date:
    """The end of the month ``months_back`` months before ``as_of``'s month."""
    ts = pd.Timestamp(as_of).to_period("M") - months_back
    return ts.to_timestamp(how="end").date()


def earlier_snapshot(
    frames: dict[str, pd.DataFrame], as_of: date, months_back: int
) -> tuple[date, dict[str, pd.DataFrame]]:
    """The portfolio as it stood at the end of the month ``months_back`` months earlier."""
    then = month_end_before(as_of, months_back)
    ts = pd.Timestamp(then)
    p = frames["projects"].copy()
    # Proposals submitted since then, one in four, were not there yet.
    late = (p["status"] == "proposed") & (p.index % 4 == months_back % 4)
    gone = set(p.loc[late, "project_id"])
    out = {
        name: df[~df["project_id"].isin(gone)].copy() if "project_id" in df else df.copy()
        for name, df in frames.items()
    }
    p = out["projects"]
    finished_later = (p["status"] == "completed") & (p["end_date"] > ts)
    p.loc[finished_later, "status"] = "in_progress"
    started_later = (p["status"] == "in_progress") & (p["start_date"] > ts)
    p.loc[started_later, "status"] = "approved"

    reports = out["status_reports"]
    reports = reports[reports["report_date"] <= ts]
    out["status_reports"] = reports
    last = reports.sort_values("report_date").groupby("project_id").tail(1).set_index("project_id")
    for col in ("actual_cost", "percent_complete"):
        known = p["project_id"].map(last[col])
        p[col] = known.fillna(p[col].where(~started_later, 0.0))

    m = out["milestones"]
    reached_later = m["actual_date"] > ts
    m.loc[reached_later, "forecast_date"] = m.loc[reached_later, "actual_date"]
    m.loc[reached_later, "actual_date"] = pd.NaT
    slip = m["forecast_date"] - m["baseline_date"]
    # One slipping milestone in three kept slipping month after month; the others had
    # slipped before the history starts.
    slipping = m["actual_date"].isna() & (slip > pd.Timedelta(0))
    slipping &= np.arange(len(m)) % 3 == 0
    seen = max(0.0, 1 - SLIP_SEEN_PER_MONTH * months_back)
    earlier = m["baseline_date"] + (slip * seen).dt.round("D")
    m.loc[slipping, "forecast_date"] = earlier[slipping]

    r = out["risks"]
    raised_later = r.index % 6 == months_back % 6
    r = r[~raised_later].copy()
    number = pd.Series(range(len(p)), index=p["project_id"].to_numpy(), dtype="int64")
    rising = (r["project_id"].map(number).fillna(1).to_numpy(dtype="int64") % 5) == 0
    factor = max(0.1, 1 - EXPOSURE_PER_MONTH * months_back)
    r.loc[rising, "impact"] = r.loc[rising, "impact"] * factor
    out["risks"] = r
    out["projects"] = p
    return then, {name: schema.conform(name, df) for name, df in out.items()}


def seed_demo(
    workbook: str | os.PathLike[str],
    *,
    months_back: int = 2,
    who: str = "demo seed",
    path: str | os.PathLike[str] | None = None,
) -> list[int]:
    """Import the demo workbook with ``months_back`` earlier monthly snapshots before it
    (oldest first); return the snapshot ids, the workbook's last."""
    result = pipeline.validate_file(workbook)
    as_of = pipeline.resolve_as_of(result)
    name = Path(workbook).name
    ids = []
    for k in range(months_back, 0, -1):
        then, frames = earlier_snapshot(result.frames, as_of, k)
        ids.append(
            store.commit_snapshot(
                frames,
                source=f"{name} ({then.isoformat()})",
                as_of=then,
                settings={**result.settings, "as_of": then.isoformat()},
                imported_by=who,
                path=path,
            )
        )
    ids.append(pipeline.commit_result(result, as_of=as_of, who=who, path=path))
    return ids
