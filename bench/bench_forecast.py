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

import numpy as np  # noqa: E402
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
    robust_section()
    print(
        f"\nKnown answer: {cal['share_below_p80']:.1%} of past cost outcomes at or below their"
        f" P80 (all classes, prior included), {cal['share_within_p10_p90']:.1%} inside"
        " P10-P90."
    )


def robust_run(warm: bool) -> tuple[float, float, robust.RobustState]:
    """100 draws at 200 projects with capacity, 30 s in all: total and first-estimate
    seconds and the last state; ``warm`` as the page and the CLI run it (each draw from
    the base answer), else cold (the greedy and LP-guided starts only)."""
    p = portfolio_problem(200)
    t0 = time.perf_counter()
    first, last = None, None
    for state in robust.robust_runs(p, samples=100, spread=0.2, seed=0, time_limit=30.0, warm=warm):
        first = first if first is not None else time.perf_counter() - t0
        last = state
    assert first is not None and last is not None
    return time.perf_counter() - t0, first, last


def robust_section() -> None:
    """The robust selection's rows, warm-started (the default) and cold beside it."""
    runs = {warm: robust_run(warm) for warm in (True, False)}
    total, first, _ = runs[True]
    print(f"| robust selection, 100 draws at 200 projects with capacity | {total:.2f} | <= 30 s |")
    print(f"| robust selection, first estimate | {first:.2f} | <= 3 s |")
    print(f"| robust selection, cold (no start from the base answer) | {runs[False][0]:.2f} | |")
    print("\nRobust selection (each draw has 0.3 s), warm-started from the base answer vs cold:\n")
    print("| start | draws proven optimal | gap unknown | largest proven gap | seconds |")
    print("|---|---|---|---|---|")
    for warm, (seconds, _, st) in runs.items():
        known = [g for g in st.gaps if g == g]
        print(
            f"| {'warm' if warm else 'cold'} | {sum(g == 0 for g in known)} of {st.feasible} "
            f"| {len(st.gaps) - len(known)} | {max(known, default=0.0):.2%} | {seconds:.2f} |"
        )
    warm_v, cold_v = (np.array(runs[w][2].objectives) for w in (True, False))
    if len(warm_v) == len(cold_v):  # the same draws (same seed), both feasible in each
        ratio = warm_v / cold_v
        print(
            f"\nSame draws, warm vs cold value: warm better in {(ratio > 1 + 1e-9).sum()}, "
            f"equal in {(abs(ratio - 1) <= 1e-9).sum()}, worse in {(ratio < 1 - 1e-9).sum()}; "
            f"mean ratio {ratio.mean():.4f}, lowest {ratio.min():.4f}, highest {ratio.max():.4f}."
        )
    diff = abs(runs[True][2].probability - runs[False][2].probability)
    print(f"\nLargest difference of a selection probability, warm vs cold: {diff.max():.2f}.")


if __name__ == "__main__":
    if "--robust" in sys.argv:  # the robust selection only
        robust_section()
        sys.exit(0)
    main()
