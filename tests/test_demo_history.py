"""The demo's derived past: earlier monthly snapshots that make trends and warnings real."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

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


# ------------------------------------------------------------- the long history (DEMO_MONTHS)


def _closed(n: int = demo_history.CLOSED_PROJECTS, months: int = demo_history.DEMO_MONTHS):  # type: ignore[no-untyped-def]
    frames, _ = demo.build_demo(60, seed=7)
    return demo_history.closed_projects(frames["projects"], AS_OF, months, n=n), frames


def test_closed_projects_run_finish_and_leave_the_export() -> None:
    rows, frames = _closed()
    assert set(rows["project_id"]).isdisjoint(frames["projects"]["project_id"])
    # Never in the last four months (3, 2, 1 back and the workbook's): the short history.
    assert rows["months_back"].min() >= demo_history.SHORT_HISTORY + 2
    assert rows["months_back"].max() <= demo_history.DEMO_MONTHS
    for pid, g in rows.groupby("project_id"):
        g = g.sort_values("months_back", ascending=False)
        done = g[g["status"] == "completed"]
        # Completed in one month, exported so for ARCHIVED_AFTER more, then gone.
        assert len(done) == demo_history.ARCHIVED_AFTER + 1, pid
        assert g["months_back"].diff().dropna().eq(-1).all(), pid  # one row a month
        running = g[g["status"] == "in_progress"]
        # Linear progress: a months' run gives 100/a, 200/a... % (rounded to 0.1).
        a = len(running) + 1
        expected = [round(100 * (i + 1) / a, 1) for i in range(a - 1)]
        assert running["percent_complete"].tolist() == expected, pid
        assert (done["percent_complete"] == 100).all()
        assert done["actual_cost"].nunique() == 1 and done["forecast_end_date"].nunique() == 1


def test_closed_projects_follow_their_documented_laws() -> None:
    # 2,000 projects over a history long enough for every one to fit.
    rows, _ = _closed(n=2000, months=400)
    assert rows["project_id"].nunique() == 2000
    final = rows[rows["status"] == "completed"].drop_duplicates("project_id")
    overrun = final["actual_cost"] / final["budget"]
    # Lognormal overrun, median 1.06, log-sd 0.15 (sampling sd of the median ~ 0.4 %).
    assert overrun.median() == pytest.approx(1.06, abs=0.01)
    assert np.log(overrun).std() == pytest.approx(0.15, abs=0.01)
    # Halfway through, the cumulative CPI's log sits on a Brownian bridge around its
    # final value: variance (0.10 x 0.5)^2 + 0.03^2 x a x 0.25 = 0.0025 + 0.000225 a;
    # a (actual months) averages ~9: 0.0045, sd ~0.067.
    cpi_final = (
        final.set_index("project_id")["budget"] / final.set_index("project_id")["actual_cost"]
    )
    half = rows[(rows["status"] == "in_progress") & (rows["percent_complete"] == 50.0)]
    cpi = half["percent_complete"] / 100 * half["budget"] / half["actual_cost"]
    drift = np.log(cpi.to_numpy() / half["project_id"].map(cpi_final).to_numpy())
    assert len(drift) > 300
    assert abs(drift.mean()) < 0.01
    assert drift.std() == pytest.approx(0.067, abs=0.012)


def test_the_long_historys_last_months_are_the_short_one(demo_db, long_demo_db) -> None:  # type: ignore[no-untyped-def]
    from pmo_core import store

    short = store.list_snapshots(demo_db).sort_values("as_of")
    long = store.list_snapshots(long_demo_db).sort_values("as_of")
    assert len(short) == 3 and len(long) == demo_history.DEMO_MONTHS + 1
    for (_, a), (_, b) in zip(short.iterrows(), long.tail(3).iterrows(), strict=True):
        assert a["as_of"] == b["as_of"]
        fa = store.get_snapshot(int(a["snapshot_id"]), path=demo_db).frames
        fb = store.get_snapshot(int(b["snapshot_id"]), path=long_demo_db).frames
        for name in fa:
            key = [c for c in fa[name].columns if c.endswith("_id")][:2] or list(fa[name].columns)
            pd.testing.assert_frame_equal(
                fa[name].sort_values(key).reset_index(drop=True),
                fb[name].sort_values(key).reset_index(drop=True),
            )


def test_the_long_history_gives_the_backtest_real_shares(long_demo_db) -> None:  # type: ignore[no-untyped-def]
    from pmo_core import forecast as fc
    from pmo_core.forecast import history as fh

    history = fc.store_history(path=long_demo_db)
    obs = fh.observations([(as_of, k) for _, as_of, k in history])
    # At least one stage band holds 30 outcomes: the backtest can use the history.
    assert obs.groupby("band").size().max() >= 30
    cal = fc.forecast_document(history, iterations=500, seed=0)["calibration"]
    fitted = [r for r in cal["by_class"] if r["reference_class"] != "prior"]
    assert sum(r["forecasts"] for r in fitted) >= 30
    for r in [*fitted, cal]:
        assert 0 < r["share_below_p80"] <= 1 and 0 < r["share_within_p10_p90"] <= 1
    # The closed projects' drift is a bridge (not the prior's fat tail): the classes
    # fitted on it are far from the prior's near-certain coverage.
    assert min(r["share_within_p10_p90"] for r in fitted) < 0.95
