"""Forecast speed (issue 18): the portfolio forecast and the calibration backtest.

On the known-answer history of tests/test_forecast.py (2,000 projects of 12 months,
36 monthly snapshots, outcomes drawn from a known distribution): the per-project and
portfolio forecast at the 21st snapshot with 10,000 draws, and the backtest of every
past forecast over the 36 snapshots (observations + time-honest calibration). The KPI
frames of the snapshots are given (the app caches them per snapshot): what is timed is
the forecast's own work.

    .venv/bin/python bench/bench_forecast.py     (or bench/run_all.py --only forecast)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pandas as pd  # noqa: E402
from bench_optimize import portfolio_problem  # noqa: E402

from pmo_core import forecast  # noqa: E402
from pmo_core.optimize import robust  # noqa: E402
from tests.test_forecast import simulated_history  # noqa: E402


def timed(fn, runs: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    out, times = None, []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    history = simulated_history(2000, 36)
    as_of, k = history[20]
    obs = forecast.observations(history[:21])
    # 2,000 running projects: the running ones of that month, repeated under new ids.
    running = k[k["status"] == "in_progress"]
    reps = -(-2000 // len(running))
    k = pd.concat([running] * reps, ignore_index=True).head(2000)
    k["project_id"] = [f"B{i}" for i in range(len(k))]
    t_port, port = timed(
        lambda: forecast.portfolio_forecast(k, as_of, obs, iterations=10_000, seed=1)
    )
    t_proj, _ = timed(lambda: forecast.project_forecasts(k, as_of, obs))
    t_obs, all_obs = timed(lambda: forecast.observations(history))
    t_cal, cal = timed(lambda: forecast.calibration(all_obs))
    print("## Forecast (2,000 projects, 36 monthly snapshots)\n")
    print("| measure | seconds (median of 3) | budget |")
    print("|---|---|---|")
    print(
        f"| portfolio forecast, 10,000 draws ({port['projects']} running projects) "
        f"| {t_port:.2f} | <= 2 s |"
    )
    print(f"| per-project P10-P90 and probabilities | {t_proj:.2f} | |")
    print(f"| backtest: observations of 36 snapshots | {t_obs:.2f} | |")
    print(f"| backtest: calibration of {cal['forecasts']:,} past forecasts | {t_cal:.2f} | |")
    print(f"| backtest total | {t_obs + t_cal:.2f} | <= 5 s |")
    from pmo_core.forecast import schedule_risk
    from pmo_core.ingest.schedules import read_schedule

    xer = ROOT.parent / "shared" / "data" / "p6-xer" / "SP10_COST_LOADED.xer.gz"
    if xer.exists():
        sched = read_schedule(xer.read_bytes(), xer.name)
        t_sr, _ = timed(
            lambda: schedule_risk.simulate(sched.activities, sched.relations, iterations=1000)
        )
        print(
            f"| schedule risk, SP10 ({len(sched.activities):,} activities), 1,000 draws "
            f"| {t_sr:.2f} | <= 10 s |"
        )
    p = portfolio_problem(200)
    t0 = time.perf_counter()
    first = None
    last = None
    for state in robust.robust_runs(p, samples=100, spread=0.2, seed=0, time_limit=30.0):
        first = first if first is not None else time.perf_counter() - t0
        last = state
    total = time.perf_counter() - t0
    gaps = [g for g in (last.gaps if last else ()) if g == g]
    print(f"| robust selection, 100 draws at 200 projects with capacity | {total:.2f} | <= 30 s |")
    print(f"| robust selection, first estimate | {first:.2f} | <= 3 s |")
    print(
        f"\nRobust selection: {last.feasible if last else 0} feasible draws, largest proven gap "
        f"{max(gaps, default=0.0):.2%} (each draw has 0.3 s)."
    )
    print(
        f"\nKnown answer: {cal['share_below_p80']:.1%} of past cost outcomes at or below their"
        f" P80 (all classes, prior included), {cal['share_within_p10_p90']:.1%} inside"
        " P10-P90."
    )


if __name__ == "__main__":
    main()
