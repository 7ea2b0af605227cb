"""Schedule risk over a logic network: CPM by hand, the triangular law's quantiles,
criticality of parallel paths, cycles, finished work."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmo_core.forecast import schedule_risk as sr

MONDAY = pd.Timestamp("2026-01-05")


def acts(durations: dict[str, float], **extra: object) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "task_id": list(durations),
            "activity_id": [k.upper() for k in durations],
            "kind": "task",
            "done": False,
            "duration_days": list(durations.values()),
            "forecast_start": MONDAY,
        }
    )
    for k, v in extra.items():
        df[k] = v
    return df


def links(*rows: tuple[str, str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pred_task_id", "succ_task_id", "type", "lag_days"])


FIXED = (1.0, 1.0, 1.0)


def test_cpm_with_every_link_type_worked_by_hand() -> None:
    # A 5 d. B 3 d, FS + 2 after A: 7-10. C 4 d, SS + 1 after A: 1-5. D 2 d: FF after C
    # (finish >= 5) and FS after B (start >= 10): 10-12. E 2 d, SF + 4 from B's start:
    # finish >= 7 + 4 = 11, so 9-11. Finish 12 working days: from Monday 5 January,
    # the 12th working day is Tuesday 20 January. Critical: A, B, D (float 0); C has
    # 7 days of float (D's finish may be 12), E 1 (the network ends at 12).
    a = acts({"a": 5, "b": 3, "c": 4, "d": 2, "e": 2})
    r = links(
        ("a", "b", "FS", 2),
        ("a", "c", "SS", 1),
        ("c", "d", "FF", 0),
        ("b", "d", "FS", 0),
        ("b", "e", "SF", 4),
    )
    out = sr.simulate(a, r, iterations=10, spread=FIXED)
    assert out["deterministic_days"] == 12.0
    assert out["finish_p50"] == out["finish_p80"] == out["deterministic_finish"] == "2026-01-20"
    crit = {x["activity_id"]: x["criticality"] for x in out["activities"]}
    assert crit == {"A": 1.0, "B": 1.0, "D": 1.0, "C": 0.0, "E": 0.0}
    assert out["links_dropped"] == 0 and out["drivers"] == []


def test_one_activity_follows_the_triangular_laws_quantiles() -> None:
    # 10 days with the default spread: triangular (9, 10, 15). The mode sits at 1/6 of
    # the range, so the median is 15 - sqrt(0.5 x 6 x 5) = 11.13 and the P80 15 -
    # sqrt(0.2 x 30) = 12.55 days: finishing on the 12th and 13th working days.
    rng = np.random.default_rng(0)
    d, source = sr._durations(acts({"a": 10.0}), 40_000, rng, sr.DEFAULT_SPREAD)
    assert source == "default"
    assert np.quantile(d[0], 0.5) == pytest.approx(15 - np.sqrt(15), abs=0.05)
    assert np.quantile(d[0], 0.8) == pytest.approx(15 - np.sqrt(6), abs=0.05)
    out = sr.simulate(acts({"a": 10.0}), links(), iterations=4000, seed=1)
    assert out["finish_p50"] == "2026-01-20"  # 12th working day
    assert out["finish_p80"] == "2026-01-21"  # 13th


def test_two_equal_parallel_paths_are_each_critical_half_the_time() -> None:
    a = acts({"s": 1, "x": 10, "y": 10, "f": 1})
    r = links(("s", "x", "FS", 0), ("s", "y", "FS", 0), ("x", "f", "FS", 0), ("y", "f", "FS", 0))
    out = sr.simulate(a, r, iterations=4000, seed=2)
    crit = {x["activity_id"]: x["criticality"] for x in out["activities"]}
    assert crit["S"] == crit["F"] == 1.0
    assert crit["X"] == pytest.approx(0.5, abs=0.05)
    assert crit["X"] + crit["Y"] == pytest.approx(1.0, abs=0.01)
    # The finish is the later of two draws: later than one path alone.
    alone = sr.simulate(
        acts({"s": 1, "x": 10, "f": 1}),
        links(("s", "x", "FS", 0), ("x", "f", "FS", 0)),
        iterations=4000,
        seed=2,
    )
    assert out["finish_p50"] >= alone["finish_p50"]


def test_the_longest_uncertain_activity_is_the_top_driver() -> None:
    a = acts({"a": 30, "b": 2, "c": 1})
    r = links(("a", "b", "FS", 0), ("b", "c", "FS", 0))
    out = sr.simulate(a, r, iterations=2000, seed=3)
    assert out["drivers"][0]["activity_id"] == "A"
    assert out["drivers"][0]["correlation"] > 0.9


def test_finished_work_and_milestones_take_no_time_and_three_points_from_the_file() -> None:
    a = acts({"a": 5, "m": 3, "b": 4}, done=[True, False, False])
    a.loc[1, "kind"] = "milestone"
    a["optimistic_days"] = [np.nan, np.nan, 4.0]
    a["pessimistic_days"] = [np.nan, np.nan, 4.0]
    r = links(("a", "m", "FS", 0), ("m", "b", "FS", 0))
    out = sr.simulate(a, r, iterations=50, seed=0)
    # A is done, M is a milestone: only B's 4 days, fixed by the file (4, 4, 4).
    assert out["deterministic_days"] == 4.0
    assert out["finish_p80"] == "2026-01-08"
    assert [x["activity_id"] for x in out["activities"]] == ["B"]
    assert out["durations_from"] == "file and default"


def test_a_cycle_is_broken_and_counted() -> None:
    a = acts({"a": 2, "b": 3})
    out = sr.simulate(
        a, links(("a", "b", "FS", 0), ("b", "a", "FS", 0)), iterations=10, spread=FIXED
    )
    assert out["links_dropped"] == 1
    assert out["deterministic_days"] == 5.0


def test_a_schedule_with_nothing_left_to_do_has_null_figures() -> None:
    out = sr.simulate(acts({"a": 2}, done=True), links(), iterations=10)
    assert out["finish_p50"] is None and out["activities"] == []


def test_a_finished_predecessors_lag_counts_from_its_actual_finish() -> None:
    # A finished on Friday 2 January 2026; B follows it FS + 3 working days and lasts 2:
    # B may start on the 4th working day after A's finish, Thursday 8 January, and ends
    # Friday 9 January. The data date is Monday 5 January (B's forecast start): the lag
    # is not counted again from it.
    a = acts({"a": 5, "b": 2}, done=[True, False])
    a["actual_start"] = [pd.Timestamp("2025-12-29"), pd.NaT]
    a["actual_finish"] = [pd.Timestamp("2026-01-02"), pd.NaT]
    out = sr.simulate(a, links(("a", "b", "FS", 3)), iterations=5, spread=FIXED)
    assert out["data_date"] == "2026-01-05"
    assert out["deterministic_finish"] == "2026-01-09"


def test_durations_come_from_the_files_dates_when_it_gives_them() -> None:
    # duration_days says 100 (a unit the file got wrong); the dates say Monday 5 to
    # Friday 9 January: 5 working days.
    a = acts({"a": 100.0})
    a["forecast_finish"] = pd.Timestamp("2026-01-09 17:00")
    out = sr.simulate(a, links(), iterations=5, spread=FIXED)
    assert out["deterministic_days"] == 5.0


def test_hs2_schedule_risk_from_the_cli() -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    xer = ROOT.parent / "shared" / "data" / "p6-xer" / "SP10_COST_LOADED.xer.gz"
    if not xer.exists():
        pytest.skip("shared HS2 schedule not present")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo_core",
            "schedule-risk",
            str(xer),
            "--iterations",
            "200",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    # HS2's data date; the file's own latest finish is 2023-01-13: our CPM (Monday-Friday,
    # no holidays) gives the next working day, and the draws only later.
    assert d["data_date"] == "2017-09-16"
    assert d["deterministic_finish"] in ("2023-01-13", "2023-01-16")
    assert d["deterministic_finish"] <= d["finish_p50"] <= d["finish_p80"]
    assert d["links_dropped"] == 0
    assert d["activities"][0]["criticality"] == 1.0
