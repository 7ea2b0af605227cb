"""The demo's derived past: earlier monthly snapshots that make trends and warnings real."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pmo_core import demo
from pmo_core.demo import history as demo_history
from pmo_core.kpi import governance

AS_OF = date(2026, 10, 31)


def test_month_end_before() -> None:
    assert demo_history.month_end_before(AS_OF, 1) == date(2026, 9, 30)
    assert demo_history.month_end_before(date(2026, 3, 15), 2) == date(2026, 1, 31)


def test_earlier_snapshot_rewinds_time() -> None:
    frames, _ = demo.build_demo(60, seed=7)
    then, old = demo_history.earlier_snapshot(frames, AS_OF, 1)
    ts = pd.Timestamp(then)
    assert then == date(2026, 9, 30)
    assert (old["status_reports"]["report_date"] <= ts).all()
    assert not (old["milestones"]["actual_date"] > ts).any()
    running = old["projects"][old["projects"]["status"] == "in_progress"]
    assert (running["start_date"] <= ts).all()
    # Some proposals were submitted since, some risks raised since.
    assert len(old["projects"]) < len(frames["projects"])
    assert len(old["risks"]) < len(frames["risks"])
    # A slipping milestone's forecast was earlier a month ago, and never before baseline.
    key = ["project_id", "milestone_id"]
    both = frames["milestones"].merge(old["milestones"], on=key, suffixes=("", "_old"))
    moved = both[both["forecast_date_old"] < both["forecast_date"]]
    assert len(moved) > 0
    assert (moved["forecast_date_old"] >= moved["baseline_date"]).all()


def test_the_history_gives_the_overview_a_story() -> None:
    frames, settings = demo.build_demo(60, seed=7)
    history = [demo_history.earlier_snapshot(frames, AS_OF, k) for k in (2, 1)]
    history.append((AS_OF, frames))
    w = governance.snapshot_warnings(history, settings)
    kinds = set(w["warning"])
    assert {"milestones_slipping", "exposure_rising", "cpi_falling"} <= kinds
