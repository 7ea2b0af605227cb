"""The efficient frontier (best value per budget level) and the ranking curve beside it.

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=0.0)
    >>> efficient_frontier(p, points=3)["objective"].tolist()  # budgets 0, 6, 12
    [0.0, 10.0, 23.0]
    >>> ranking_curve(p)["value"].tolist()
    [10.0, 16.0, 23.0]
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from pmo_core.optimize import solver as optimize_solver
from pmo_core.optimize.model import (
    Problem,
    build_model,
    by_ratio,
    feasible,
    fill,
    forced_start,
    per_project,
    with_prerequisites,
)
from pmo_core.optimize.solver import gap_to_bound, highs_model, run_highs, run_scipy


def efficient_frontier(
    p: Problem, points: int = 20, time_limit: float = 0.7, mip_rel_gap: float = 0.01
) -> pd.DataFrame:
    """Re-solve for ``points`` budget levels from the forced cost to the total cost.

    One HiGHS model whose budget row moves up; each level starts from the previous
    level's selection (still feasible with more budget) topped up greedily.
    ``time_limit`` is per level.
    """
    p = with_prerequisites(p)
    mo = build_model(p)
    start = forced_start(mo)
    low = float(p.cost @ per_project(mo, start, len(p.ids))[0])
    high = float(p.cost[[i not in p.forced_out for i in p.ids]].sum()) if p.ids else 0.0
    order = by_ratio(mo, np.asarray(mo.a[[0]].todense()).ravel())
    h = highs_model(mo) if optimize_solver.has_highspy() else None
    prev = start
    rows = []
    for level in np.linspace(low, max(high, low), max(points, 2)):
        t0 = time.perf_counter()
        mo.hi[0] = float(level)
        warm = fill(mo, prev, order)
        ok = feasible(mo, warm)
        if h is not None:
            h.changeRowBounds(0, -h.getInfinity(), float(level))
            z, status, bound = run_highs(mo, h, warm if ok else None, time_limit, mip_rel_gap)
        else:
            z, status, bound = run_scipy(mo, time_limit, mip_rel_gap)
        if z is None or not feasible(mo, z) or (ok and mo.value @ warm > mo.value @ z):
            z = warm if ok else None
        if z is None:
            rows.append(
                {
                    "budget": float(level),
                    "objective": float("nan"),
                    "gap": float("nan"),
                    "status": "infeasible",
                    "n_selected": 0,
                    "cost": float("nan"),
                    "seconds": time.perf_counter() - t0,
                }
            )
            continue
        prev = z
        x = per_project(mo, z, len(p.ids))[0]
        objective = float(p.value @ x)
        gap = (
            0.0
            if status == "optimal" and bound <= objective + 1e-9
            else gap_to_bound(objective, bound)
        )
        rows.append(
            {
                "budget": float(level),
                "objective": objective,
                "gap": gap,
                "status": status,
                "n_selected": int(x.sum()),
                "cost": float(p.cost @ x),
                "seconds": time.perf_counter() - t0,
            }
        )
    return pd.DataFrame(rows)


def ranking_curve(p: Problem) -> pd.DataFrame:
    """Cumulative cost and value in value/cost order (the curve drawn beside the frontier)."""
    ratio = p.value / np.where(p.cost > 0, p.cost, 1e-9)
    order = np.argsort(-ratio, kind="stable")
    return pd.DataFrame(
        {
            "project_id": [p.ids[i] for i in order],
            "cost": np.cumsum(p.cost[order]),
            "value": np.cumsum(p.value[order]),
        }
    )
