"""Milestone slip, hit rate, on-time delivery and trend, with numbers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd

from pmo_core import schema
from pmo_core.kpi import milestones


def frame() -> pd.DataFrame:
    return schema.conform(
        "milestones",
        pd.DataFrame(
            {
                "project_id": ["A", "A", "A", "A", "B", "B"],
                "milestone_id": ["m1", "m2", "m3", "m4", "m1", "m2"],
                "baseline_date": [
                    "2026-01-31",  # reached 5 days late
                    "2026-03-31",  # reached on the day
                    "2026-05-31",  # due, not reached: overdue 31 days at 1 July
                    "2026-09-30",  # not due yet; reached early (on time)
                    "2026-08-31",  # not due
                    "2026-10-31",  # not due
                ],
                "forecast_date": [None, None, "2026-08-15", None, "2026-09-30", None],
                "actual_date": ["2026-02-05", "2026-03-31", None, "2026-06-15", None, None],
            }
        ),
    )


def test_slip_and_overdue() -> None:
    m = milestones.milestone_slip(frame(), "2026-07-01").set_index(["project_id", "milestone_id"])
    assert m.loc[("A", "m1"), "slip_days"] == 5
    assert m.loc[("A", "m3"), "slip_days"] == 76  # 31 May -> 15 Aug
    assert m.loc[("A", "m3"), "days_overdue"] == 31
    assert m.loc[("A", "m1"), "days_overdue"] == 0  # reached
    assert m.loc[("A", "m4"), "slip_days"] == -107  # 15 June, 107 days before 30 Sept


def test_hit_rate_and_on_time_rate() -> None:
    s = milestones.milestone_stats(frame(), "2026-07-01").set_index("project_id")
    # A: due m1, m2, m3 -> hit m1, m2 -> hit rate 2/3; reached m1, m2, m4, on time m2, m4.
    assert (s.loc["A", "due"], s.loc["A", "hit"], s.loc["A", "overdue"]) == (3, 2, 1)
    assert s.loc["A", "hit_rate"] == 2 / 3
    assert s.loc["A", "on_time_rate"] == 2 / 3
    # B: nothing due, nothing reached: both rates undefined, never 0.
    assert math.isnan(s.loc["B", "hit_rate"]) and math.isnan(s.loc["B", "on_time_rate"])
    # A tolerance of 5 days makes m1 on time.
    tol = milestones.milestone_stats(frame(), "2026-07-01", tolerance_days=5)
    assert tol.set_index("project_id").loc["A", "on_time_rate"] == 1.0


def test_portfolio_summary_sums_before_dividing() -> None:
    s = milestones.milestone_summary(milestones.milestone_stats(frame(), "2026-07-01"))
    assert (s["due"], s["hit"], s["reached"], s["on_time"]) == (3, 2, 3, 2)
    assert s["hit_rate"] == 2 / 3 and s["on_time_rate"] == 2 / 3
    empty = milestones.milestone_summary(milestones.milestone_stats(frame().iloc[4:], "2026-07-01"))
    assert empty["hit_rate"] is None and empty["on_time_rate"] is None


def test_trend_and_slipping_in_a_row() -> None:
    base = frame()
    before2 = base.assign(forecast_date=pd.to_datetime(["", "", "2026-06-15", "", "", ""]))
    before1 = base.assign(forecast_date=pd.to_datetime(["", "", "2026-07-15", "", "", ""]))
    history = [("2026-05-01", before2), ("2026-06-01", before1), ("2026-07-01", base)]
    tr = milestones.trend(history, project_id="A")
    m3 = tr[tr["milestone_id"] == "m3"]["forecast"].tolist()
    assert m3 == [pd.Timestamp(x) for x in ("2026-06-15", "2026-07-15", "2026-08-15")]
    # m1 shows its baseline until reached, then its actual date.
    m1 = tr[tr["milestone_id"] == "m1"]
    assert m1["forecast"].tolist() == [pd.Timestamp("2026-02-05")] * 3
    slipping = milestones.slipping_in_a_row(milestones.trend(history))
    assert slipping[["project_id", "milestone_id"]].values.tolist() == [["A", "m3"]]
    # Two snapshots only: one change, not two in a row.
    assert milestones.slipping_in_a_row(milestones.trend(history[1:])).empty
