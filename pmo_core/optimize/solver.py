"""Solving the what-if with HiGHS: warm starts, the LP-guided start, the proven gap.

``solve`` finds the selection: forced projects first (infeasible at once when they alone
break a constraint), a greedy value/cost start and a greedy guided by the LP relaxation's
dual prices, then HiGHS through ``highspy`` (``scipy.optimize.milp`` when highspy is
missing) under the time limit; the answer is never worse than the greedy shown beside it,
and deferred projects start as early as the rows allow. A selection found before (the
base answer, for a robust draw) can be given as a further start (``start``). It does not explain the
exclusions: :func:`pmo_core.optimize.solve` runs it, then ``explain.explain_exclusions``.
``highs_model``, ``run_highs``, ``run_scipy``, ``has_highspy`` and ``gap_to_bound`` are
shared with the frontier.

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=7.0)
    >>> s = solve(p)
    >>> s.status, s.objective, sorted(s.selected), s.greedy_objective, s.excluded
    ('optimal', 13.0, ['B', 'C'], 10.0, [])
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from pmo_core.optimize.model import (
    INF,
    Model,
    Problem,
    Selection,
    build_model,
    feasible,
    fill,
    forced_start,
    greedy_options,
    per_project,
    start_from,
    violations,
    with_prerequisites,
)


def highs_model(mo: Model, integer: bool = True) -> Any:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(mo.proj), mo.a.shape[0]
    lp.col_cost_ = -mo.value  # HiGHS minimises
    lp.col_lower_, lp.col_upper_ = mo.lb, mo.ub
    lp.row_lower_ = np.where(np.isfinite(mo.lo), mo.lo, -highspy.kHighsInf)
    lp.row_upper_ = mo.hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mo.a.indptr
    lp.a_matrix_.index_ = mo.a.indices
    lp.a_matrix_.value_ = mo.a.data
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(mo.proj)
    h.passModel(lp)
    return h


def _lp_guided(mo: Model, start: np.ndarray) -> tuple[np.ndarray | None, float, np.ndarray]:
    """Greedy in the order of the LP relaxation (its ones first, then value per unit of
    resource priced by the LP's dual values), the relaxation's value (a bound on the
    objective) and how firmly the LP decides each option (|reduced cost|, 0 when
    fractional); None when the relaxation is infeasible."""
    h = highs_model(mo, integer=False)
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None, float("nan"), np.zeros(0)
    bound = -float(h.getInfo().objective_function_value)
    sol = h.getSolution()
    xlp = np.asarray(sol.col_value)
    price = np.maximum(0.0, -np.asarray(sol.row_dual))
    weight = np.maximum(price @ mo.a, 0.0)
    ratio = mo.value / np.where(weight > 1e-12, weight, 1e-12)
    firm = np.where(np.minimum(xlp, 1 - xlp) > 1e-6, 0.0, np.abs(np.asarray(sol.col_dual)))
    order = np.lexsort((mo.shift, -ratio, -np.round(xlp, 6)))
    return fill(mo, start, order), bound, np.column_stack([np.round(xlp), firm])


NEIGHBOURHOODS = (0.1, 0.15, 0.2)  # share of the options left free in each sub-MILP


def _neighbourhoods(mo: Model, best: np.ndarray, lp: np.ndarray, seconds: float) -> np.ndarray:
    """Improve ``best`` by sub-MILPs (HiGHS's own sub-MIP heuristics spend the whole 10 s
    at the root on 1,000 projects): the options the LP decides least firmly are free,
    the others keep the value the LP and ``best`` agree on; a better answer is kept.
    On the bench's 1,000 portfolio-shaped projects this lifts the 10 s answer by about
    0.1 % of the objective (bench/RESULTS.md)."""
    rounded, firm = lp[:, 0], lp[:, 1]
    order = np.argsort(firm, kind="stable")
    agree = rounded == np.round(best)
    t0 = time.perf_counter()
    for k, share in enumerate(NEIGHBOURHOODS):
        slot = (seconds - (time.perf_counter() - t0)) / (len(NEIGHBOURHOODS) - k)
        if slot < 0.3:
            break
        free = np.zeros(len(best), dtype=bool)
        free[order[: int(share * len(best))]] = True
        fix = agree & ~free
        sub = replace(
            mo,
            lb=np.where(fix, np.maximum(mo.lb, rounded), mo.lb),
            ub=np.where(fix, np.minimum(mo.ub, rounded), mo.ub),
        )
        z, _, _ = run_highs(sub, highs_model(sub), best, slot, 1e-6)
        if z is not None and feasible(mo, z) and mo.value @ z > mo.value @ best + 1e-9:
            best = z
            agree = rounded == np.round(best)
    return best


def run_highs(
    mo: Model, h: Any, warm: np.ndarray | None, time_limit: float, mip_rel_gap: float
) -> tuple[np.ndarray | None, str, float]:
    """One HiGHS run from ``warm``; (options chosen, status, bound).

    HiGHS 1.16's presolve can map a starting solution wrongly (seen here on a pure
    knapsack: a start worth 6 "feasible in the reduced space with objective 9", then
    "optimal" at 9 with the start returned). When the objective HiGHS reports is not the
    value of what it returns, or it calls infeasible a model we hold a feasible start
    for, the run is repeated on a fresh model without the start.
    """
    import highspy

    t0 = time.perf_counter()
    h.setOptionValue("time_limit", max(0.05, float(time_limit)))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    if warm is not None:
        sol = highspy.HighsSolution()
        sol.col_value = warm.astype(float).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    info, status = h.getInfo(), h.getModelStatus()
    z = np.round(h.getSolution().col_value) if info.primal_solution_status == 2 else None
    claimed = -float(info.objective_function_value)
    wrong = (status == highspy.HighsModelStatus.kInfeasible) or (
        z is not None and abs(float(mo.value @ z) - claimed) > 1e-6 * max(1.0, abs(claimed))
    )
    if warm is not None and wrong:
        left = time_limit - (time.perf_counter() - t0)
        if left < 0.05:  # no time for the repeat: the start (feasible) is the answer
            return np.round(warm), "time_limit", float("nan")
        return run_highs(mo, highs_model(mo), None, left, mip_rel_gap)
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, "infeasible", float("nan")
    bound = -float(info.mip_dual_bound)
    return z, "optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit", bound


def run_scipy(
    mo: Model, time_limit: float, mip_rel_gap: float
) -> tuple[np.ndarray | None, str, float]:
    """Fallback when highspy is missing: the same HiGHS, without a starting solution."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    res = milp(
        c=-mo.value,
        constraints=LinearConstraint(mo.a, mo.lo, mo.hi),
        integrality=np.ones(len(mo.proj)),
        bounds=Bounds(mo.lb, mo.ub),
        options={"time_limit": max(0.05, time_limit), "mip_rel_gap": mip_rel_gap, "disp": False},
    )
    if res.x is None:
        return None, "infeasible" if res.status == 2 else "time_limit", float("nan")
    bound = -float(getattr(res, "mip_dual_bound", -np.nan) or np.nan)
    return np.round(res.x), "optimal" if res.status == 0 else "time_limit", bound


def has_highspy() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True


def _earliest(mo: Model, z: np.ndarray) -> np.ndarray:
    """Move each deferred project to its earliest start that keeps every row."""
    z = z.copy()
    for j in np.flatnonzero((z > 0.5) & (mo.shift > 0)):
        for e in np.flatnonzero((mo.proj == mo.proj[j]) & (mo.shift < mo.shift[j])):
            z[j], z[e] = 0.0, 1.0
            if feasible(mo, z):
                break
            z[j], z[e] = 1.0, 0.0
    return z


def gap_to_bound(objective: float, bound: float) -> float:
    if not np.isfinite(bound):
        return float("nan")
    return round(max(0.0, bound - objective) / max(abs(objective), 1e-9), 6)


HIGHS_OVERRUN = 0.03  # share of the time limit HiGHS is not given (it may overrun it)
LARGE = 500  # options from which sub-MILPs run before the main one (given 4 s or more)


def _optimise(
    mo: Model, warm: np.ndarray | None, t0: float, time_limit: float, mip_rel_gap: float
) -> tuple[np.ndarray | None, str, float]:
    """Best selection (options), status and bound within what is left of the time."""
    if not has_highspy():
        return run_scipy(mo, time_limit - (time.perf_counter() - t0), mip_rel_gap)
    lp_bound = INF
    if len(mo.cap_rows) or mo.year_rows or len(mo.forced_rows):  # knapsack: greedy is enough
        lp, lp_bound, firm = _lp_guided(mo, forced_start(mo))
        if lp is None:
            return None, "infeasible", float("nan")
        if feasible(mo, lp) and (warm is None or mo.value @ lp > mo.value @ warm):
            warm = lp
    # Kept for the reasons after, and for HiGHS, which may run a little past its limit.
    # The reasons cost about half of what the model, greedy and LP took (all three slow
    # down alike on a loaded machine), so the reserve grows with that, up to 30 %.
    spent = time.perf_counter() - t0
    reserve = min(0.3 * time_limit, max(0.05 + 6e-5 * len(mo.proj), 0.5 * spent))
    reserve += HIGHS_OVERRUN * time_limit
    left = time_limit - reserve - (time.perf_counter() - t0)
    if left < 0.1 and warm is not None:  # no time left for the MILP: the greedy start
        return warm, "time_limit", lp_bound
    far = warm is not None and gap_to_bound(float(mo.value @ warm), lp_bound) > mip_rel_gap
    if far and len(mo.proj) >= LARGE and (len(mo.cap_rows) or mo.year_rows) and left >= 4.0:
        warm = _neighbourhoods(mo, warm, firm, 0.45 * left)  # type: ignore[arg-type]
        left = time_limit - reserve - (time.perf_counter() - t0)
    z, status, bound = run_highs(mo, highs_model(mo), warm, left, mip_rel_gap)
    return z, status, float(np.nanmin([bound, lp_bound]))  # HiGHS may stop before its root LP


def solve(
    p: Problem,
    *,
    time_limit: float = 10.0,
    mip_rel_gap: float = 1e-6,
    start: Mapping[str, int] | None = None,
) -> Selection:
    """The optimal selection (or the best found within the time limit, with its gap),
    ``excluded`` left empty (the reasons are ``explain.explain_exclusions``'s).

    ``start`` (project id -> start shift) is a selection found before, e.g. the base
    answer when ``p`` is one of its robust draws: made a start for ``p`` by
    :func:`~pmo_core.optimize.model.start_from` (repaired when it breaks one of ``p``'s
    rows), it is HiGHS's starting solution when it is worth at least the greedy one
    (the LP-guided start still replaces it when that one is worth more)."""
    t0 = time.perf_counter()
    p = with_prerequisites(p)
    mo = build_model(p)
    n = len(p.ids)
    first = forced_start(mo)
    g = greedy_options(mo)
    g_ok = feasible(mo, g)
    g_obj = float(mo.value @ g)
    x0, s0 = per_project(mo, first, n)
    forced = violations(p, x0, s0)
    if forced and not mo.forced_rows:
        return Selection(
            "infeasible",
            float("nan"),
            float("nan"),
            float(p.cost @ x0),
            [],
            [],
            g_obj,
            forced,
            time.perf_counter() - t0,
        )
    warm = g if g_ok else None
    if start is not None:
        b = start_from(mo, p.ids, start)
        if feasible(mo, b) and (warm is None or mo.value @ b >= mo.value @ warm):
            warm = b
    z, status, bound = _optimise(mo, warm, t0, time_limit, mip_rel_gap)
    if z is None or not feasible(mo, z):
        z = warm  # the best start (greedy or given), None when neither is feasible
    if z is None:
        return Selection(
            "infeasible",
            float("nan"),
            float("nan"),
            float(p.cost @ x0),
            [],
            [],
            g_obj,
            forced or [{"constraint": "rules", "excess": None}],
            time.perf_counter() - t0,
        )
    if g_ok and g_obj > float(mo.value @ z):  # never worse than the ranking shown beside it
        z = g
    z = _earliest(mo, z)
    x, s = per_project(mo, z, n)
    objective = float(p.value @ x)
    gap = (
        0.0 if status == "optimal" and bound <= objective + 1e-9 else gap_to_bound(objective, bound)
    )
    sel = [i for i, xi in zip(p.ids, x, strict=True) if xi > 0.5]
    shifts = {i: int(si) for i, si, xi in zip(p.ids, s, x, strict=True) if xi > 0.5 and si}
    return Selection(
        status,
        objective,
        gap,
        float(p.cost @ x),
        sel,
        [],
        g_obj,
        [],
        time.perf_counter() - t0,
        shifts,
        bound,
    )
