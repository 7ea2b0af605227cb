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
  exposure was lower (it rose since);
- further back than the two months before (:data:`SHORT_HISTORY`), a project whose
  progress no status report tells yet is rewound by time: its percent complete and actual
  cost are today's scaled by the share of its duration elapsed then.

That derivation is deterministic (no random numbers): same frames, same history.

The app seeds :data:`DEMO_MONTHS` months. A history that long also holds the company's
**closed projects** (:func:`closed_projects`): earlier phases of today's projects that ran
and finished inside the history, each exported with its progress every month, then as
completed for :data:`ARCHIVED_AFTER` months before it leaves the export (archived).
None is still in the export in the last four months (a history of
:data:`SHORT_HISTORY` months has none), so the recent months are those of the short
history. Their outcomes give the forecast's calibration (:mod:`pmo_core.forecast`) past
forecasts to check, with more than 30 outcomes in a stage band. They are drawn from one
seeded generator (:data:`CLOSED_SEED`) from documented laws:

- planned duration: 4 to 12 months (uniform); actual duration: the planned one times a
  lognormal factor (median 1.10, log-sd 0.12), at least two months;
- final cost: the budget times a lognormal overrun (median 1.06, log-sd 0.15), the body
  of the IT projects' overruns in Flyvbjerg and Budzier (2011, "Why your IT project may
  be riskier than you think", HBR; the fat tail is the prior's,
  :mod:`pmo_core.forecast.prior`);
- progress is linear over the actual duration; the cumulative CPI drifts to its final
  value (final CPI = 1 / overrun) along a Brownian bridge (its log starts N(0, 0.10) away,
  moves N(0, 0.03) a month, ends at 0): early CPIs are noisier than late ones, as the CPI
  stability studies found (Christensen and Heise 1993: after 20 % complete the
  cumulative CPI moves by less than 10 %).

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

from pmo_core import auth, schema, store
from pmo_core.ingest import pipeline

#: Share of a milestone's current slip already seen one month earlier, per month back.
SLIP_SEEN_PER_MONTH = 0.35
#: Share of the exposure of a "rising" project's risks per month back.
EXPOSURE_PER_MONTH = 0.3
#: Months of history the app seeds before the demo workbook's month.
DEMO_MONTHS = 24
#: The history the tests' fixtures and the first demo had: no project is rewound by
#: time and no closed project shows within these months (nor the two before them).
SHORT_HISTORY = 2
#: Closed projects drawn for a history of DEMO_MONTHS (fewer fit a shorter one).
CLOSED_PROJECTS = 40
#: Months a completed closed project stays in the export before it is archived.
ARCHIVED_AFTER = 2
CLOSED_SEED = 2024


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
    share = pd.Series(1.0, index=p.index)
    if months_back > SHORT_HISTORY:  # no report yet: today's progress scaled by time
        start = pd.to_datetime(p["start_date"])
        until = pd.to_datetime(p["end_date"]).where(finished_later, pd.Timestamp(as_of))
        span = (until - start).dt.days.astype(float)
        elapsed = ((ts - start).dt.days.astype(float) / span.where(span > 0)).clip(0.0, 1.0)
        running = p["status"].isin(["in_progress", "on_hold"]) & elapsed.notna()
        share = share.where(~running, elapsed)
    for col in ("actual_cost", "percent_complete"):
        known = p["project_id"].map(last[col])
        rewound = (p[col].astype(float) * share).round(1 if col == "percent_complete" else -2)
        p[col] = known.fillna(rewound.where(~started_later, 0.0))

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


def closed_projects(
    projects: pd.DataFrame,
    as_of: date,
    months_back: int,
    seed: int = CLOSED_SEED,
    n: int = CLOSED_PROJECTS,
) -> pd.DataFrame:
    """The closed projects' rows of the Projects table, one per project and month it is
    exported (column ``months_back``: that snapshot's months before ``as_of``); see the
    module's docstring for the laws. Each is an earlier phase of one of ``projects``'
    running ones (its name, programme, direction, sponsor and manager).

    >>> from pmo_core import demo
    >>> frames, _ = demo.build_demo(60, seed=7)
    >>> rows = closed_projects(frames["projects"], date(2026, 10, 31), DEMO_MONTHS)
    >>> bool(rows["months_back"].min() > SHORT_HISTORY + 1), rows["project_id"].nunique()
    (True, 40)
    >>> closed_projects(frames["projects"], date(2026, 10, 31), SHORT_HISTORY).empty
    True
    """
    rng = np.random.default_rng(seed)
    planned = rng.integers(4, 13, n)
    actual = np.maximum(2, np.round(planned * rng.lognormal(np.log(1.10), 0.12, n))).astype(int)
    overrun = rng.lognormal(np.log(1.06), 0.15, n)
    budget = np.round(rng.lognormal(np.log(400_000), 0.8, n).clip(60_000, 4_000_000), -3)
    last_k = SHORT_HISTORY + 2 + ARCHIVED_AFTER  # completed at the latest that many back
    u = rng.random(n)
    base = projects[projects["status"] == "in_progress"].reset_index(drop=True)
    rows = []
    for j in range(n):
        latest, earliest = last_k, months_back - actual[j] + 1  # months back of the completion
        if earliest < latest or base.empty:
            continue
        done_k = int(latest + np.floor(u[j] * (earliest - latest + 1)))
        start_k = done_k + actual[j] - 1  # its first month, a months before its last
        a = int(actual[j])
        walk = np.cumsum(rng.normal(0.0, 0.03, a))
        e = np.arange(1, a + 1) / a
        bridge = rng.normal(0.0, 0.10) * (1 - e) + walk - e * walk[-1]
        like = base.iloc[j % len(base)]
        start = pd.Timestamp(month_end_before(as_of, start_k)).replace(day=1)
        end = pd.Timestamp(month_end_before(as_of, start_k - int(planned[j]) + 1))
        finished = pd.Timestamp(month_end_before(as_of, done_k))
        for k in range(start_k, done_k - ARCHIVED_AFTER - 1, -1):
            i = min(start_k - k, a - 1)  # months worked - 1
            done = k <= done_k
            pct = 1.0 if done else (i + 1) / a
            cost = budget[j] * overrun[j] * (1.0 if done else pct * np.exp(-bridge[i]))
            rows.append(
                {
                    "months_back": k,
                    "project_id": f"PRJ-{101 + j:03d}" if n < 900 else f"PRJ-H{j:05d}",
                    "name": f"{like['name']} (phase 1)",
                    "program": like["program"],
                    "portfolio": like["portfolio"],
                    "department": like["department"],
                    "sponsor": like["sponsor"],
                    "manager": like["manager"],
                    "status": "completed" if done else "in_progress",
                    "phase": "Clôture" if done else "Réalisation",
                    "start_date": start,
                    "end_date": end,
                    "forecast_end_date": finished if done else end,
                    "budget": float(budget[j]),
                    "actual_cost": float(np.round(cost, -2)),
                    "percent_complete": round(100 * pct, 1),
                    "expected_benefit": float(np.round(budget[j] * 1.5, -3)),
                    "mandatory": False,
                    "description": f"{like['name']} : première phase, close.",
                }
            )
    return pd.DataFrame(rows)


def with_closed(
    frames: dict[str, pd.DataFrame], closed: pd.DataFrame, months_back: int
) -> dict[str, pd.DataFrame]:
    """A snapshot's frames with the closed projects exported that month."""
    if closed.empty:
        return frames
    rows = closed[closed["months_back"] == months_back].drop(columns="months_back")
    if rows.empty:
        return frames
    projects = pd.concat([frames["projects"], schema.conform("projects", rows)], ignore_index=True)
    return {**frames, "projects": schema.conform("projects", projects)}


def seed_demo(
    workbook: str | os.PathLike[str],
    *,
    months_back: int = DEMO_MONTHS,
    who: str = auth.SEED_WHO,  # one of the app's own writers (pmo_core.auth)
    path: str | os.PathLike[str] | None = None,
    if_empty: bool = False,
) -> list[int]:
    """Import the demo workbook with ``months_back`` earlier monthly snapshots before it
    (oldest first), with the closed projects of that history, all in one transaction;
    return the snapshot ids, the workbook's last. With ``if_empty``, only into a store
    that holds no snapshot, checked under the store's write lock: of several replicas
    seeding an empty store at once, one writes the history, the others nothing (``[]``)."""
    result = pipeline.validate_file(workbook)
    as_of = pipeline.resolve_as_of(result)
    name = Path(workbook).name
    closed = closed_projects(result.frames["projects"], as_of, months_back)
    writes = []
    for k in range(months_back, 0, -1):
        then, frames = earlier_snapshot(result.frames, as_of, k)
        writes.append(
            store.SnapshotWrite(
                with_closed(frames, closed, k),
                source=f"{name} ({then.isoformat()})",
                as_of=then,
                settings={**result.settings, "as_of": then.isoformat()},
                imported_by=who,
            )
        )
    writes.append(pipeline.snapshot_write(result, as_of=as_of, who=who))
    return store.commit_snapshots(writes, path=path, if_empty=if_empty)
