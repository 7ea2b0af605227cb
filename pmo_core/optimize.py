"""Portfolio selection (the what-if): the optimal projects under budget and capacity.

Choose x_p in {0, 1} to maximise sum_p v_p x_p subject to sum_p cost_p x_p <= budget,
for every role and month (from the as-of month on) sum_p demand(p, role, month) x_p <=
capacity x scale (optional), x_p = 1 when forced in (mandatory, or running when "keep
running projects" is on), x_p = 0 when forced out, x_p <= x_q when p depends on q, and at
most one project per exclusive group (DESIGN section 4).

Start windows: a project with a window of K months gets one binary per start shift
s = 0..K (``sum_s x[p, s] <= 1``), its demand moved s months later, so that the optimiser
can defer a project instead of dropping it; the selection says which shift it chose.

Solved by HiGHS through ``highspy`` (``scipy.optimize.milp`` only when highspy is
missing) under a time limit, with its proven gap. Before the MILP a greedy value/cost
ranking (shown beside the answer) and a greedy guided by the LP relaxation's dual prices
are computed; the better one is the solver's starting solution, so that even a 1 s answer
is a good one. Capacity rows that can never bind and all-zero rows are left out. When the
forced projects alone break a constraint the answer is ``infeasible`` with the
constraints that break and by how much. Every excluded project says why, and for the most
valuable ones a re-solve with the project forced in tells what it would cost in value and
how much budget or which role-month hours would bring it in without loss.

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=7.0)
    >>> s = solve(p)
    >>> s.status, s.objective, sorted(s.selected)
    ('optimal', 13.0, ['B', 'C'])
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from pmo_core.schema import CANDIDATE_STATUSES

INF = float("inf")


@dataclass
class Problem:
    """A selection problem: values, costs, budget, capacity rows and logical rules."""

    ids: list[str]
    value: np.ndarray
    cost: np.ndarray
    budget: float
    # Capacity rows: demand[k, p] hours of candidate p in row k, limited by cap[k].
    demand: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    cap: np.ndarray = field(default_factory=lambda: np.zeros(0))
    row_labels: list[tuple[str, str]] = field(default_factory=list)  # (role, "YYYY-MM")
    forced_in: set[str] = field(default_factory=set)
    forced_out: set[str] = field(default_factory=set)
    depends: list[tuple[str, str]] = field(default_factory=list)  # (p, q): p requires q
    groups: dict[str, list[str]] = field(default_factory=dict)
    reasons_out: dict[str, str] = field(default_factory=dict)  # pre-decided exclusions
    windows: dict[str, int] = field(default_factory=dict)  # latest start shift (months)


@dataclass(frozen=True)
class Selection:
    status: str  # "optimal" | "time_limit" | "infeasible"
    objective: float
    gap: float
    total_cost: float
    selected: list[str]
    excluded: list[dict[str, Any]]
    greedy_objective: float
    violations: list[dict[str, Any]]
    solve_seconds: float
    start_shift: dict[str, int] = field(default_factory=dict)  # selected and deferred only
    bound: float = float("nan")  # proven upper bound on the objective


# ----------------------------------------------------------------------------- the model


@dataclass
class _Model:
    """Columns are (project, start shift) options; rows lo <= A z <= hi.

    Row 0 is the budget; then the capacity rows kept (``cap_rows`` of ``Problem.demand``),
    then one row per project with a window (at most one start), dependencies and groups.
    """

    proj: np.ndarray  # project index of each column
    shift: np.ndarray  # start shift of each column
    value: np.ndarray
    a: sparse.csc_matrix
    lo: np.ndarray
    hi: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    cap_rows: np.ndarray
    forced_rows: list[int]  # rows "one start among the options" of forced-in projects


def _month_number(label: str) -> int | None:
    try:
        y, m = str(label)[:7].split("-")
        return int(y) * 12 + int(m) - 1
    except ValueError:
        return None


def _shifted(p: Problem, s: int) -> np.ndarray:
    """Row k of ``p.demand`` moved s months later: index of the target row, -1 if none."""
    where = {}
    for k, (role, month) in enumerate(p.row_labels):
        where[(role, _month_number(month))] = k
    out = np.full(len(p.row_labels), -1)
    for k, (role, month) in enumerate(p.row_labels):
        m = _month_number(month)
        if m is not None:
            out[k] = where.get((role, m + s), -1)
    return out


def _demand_columns(p: Problem, proj: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Hours of each option in each capacity row (rows x options)."""
    d = p.demand[:, proj]
    for s in np.unique(shift[shift > 0]):
        cols = np.flatnonzero(shift == s)
        target = _shifted(p, int(s))
        moved = np.zeros((len(p.cap), len(cols)))
        ok = target >= 0
        np.add.at(moved, target[ok], p.demand[np.ix_(ok, proj[cols])])
        d[:, cols] = moved  # hours moved past the horizon leave it
    return d


def _model(p: Problem) -> _Model:
    n = len(p.ids)
    index = {pid: i for i, pid in enumerate(p.ids)}
    out_ = np.array([i in p.forced_out or i in p.reasons_out for i in p.ids], dtype=bool)
    forced = np.array([i in p.forced_in for i in p.ids], dtype=bool) & ~out_
    k = np.array([max(0, int(p.windows.get(i, 0))) for i in p.ids], dtype=int)
    k[out_] = 0
    proj = np.repeat(np.arange(n), k + 1)
    shift = np.concatenate([np.arange(kk + 1) for kk in k]) if n else np.zeros(0, int)
    m = len(proj)
    blocks: list[sparse.spmatrix] = [sparse.csr_matrix(p.cost[proj].reshape(1, m))]
    lo, hi = [-INF], [float(p.budget)]
    cap_rows = np.zeros(0, dtype=int)
    if p.demand.size:
        d = _demand_columns(p, proj, shift)
        live = ~out_[proj]
        # A row binds only if the options that may run can exceed it (one option per project).
        most = np.zeros((len(p.cap), n))
        for s in np.unique(shift):  # a project has at most one column per shift
            cols = np.flatnonzero((shift == s) & live)
            most[:, proj[cols]] = np.maximum(most[:, proj[cols]], d[:, cols])
        cap_rows = np.flatnonzero((most.sum(axis=1) > p.cap + 1e-9) & (most.sum(axis=1) > 0))
        blocks.append(sparse.csr_matrix(d[cap_rows]))
        lo += [-INF] * len(cap_rows)
        hi += p.cap[cap_rows].tolist()
    forced_rows: list[int] = []
    rows: list[tuple[dict[int, float], float, float]] = []
    for i in np.flatnonzero(k > 0):
        cols = np.flatnonzero(proj == i)
        if forced[i]:
            forced_rows.append(1 + len(cap_rows) + len(rows))
        rows.append(({int(c): 1.0 for c in cols}, 1.0 if forced[i] else -INF, 1.0))
    cols_of = {i: np.flatnonzero(proj == i) for i in range(n)}
    for a_, b_ in p.depends:
        if a_ in index and b_ in index:
            r = {int(c): 1.0 for c in cols_of[index[a_]]}
            r.update({int(c): -1.0 for c in cols_of[index[b_]]})
            rows.append((r, -INF, 0.0))
    for members in p.groups.values():
        idx = [index[x] for x in members if x in index]
        if len(idx) > 1:
            rows.append(({int(c): 1.0 for i in idx for c in cols_of[i]}, -INF, 1.0))
    if rows:
        data = [(r, c, v) for r, (d_, _, _) in enumerate(rows) for c, v in d_.items()]
        rr, cc, vv = zip(*data, strict=True) if data else ((), (), ())
        blocks.append(sparse.csr_matrix((vv, (rr, cc)), shape=(len(rows), m)))
        lo += [r[1] for r in rows]
        hi += [r[2] for r in rows]
    lb = (forced & (k == 0))[proj].astype(float)
    ub = (~out_[proj]).astype(float)
    return _Model(
        proj,
        shift,
        p.value[proj].astype(float),
        sparse.vstack(blocks).tocsc(),
        np.array(lo),
        np.array(hi),
        lb,
        ub,
        cap_rows,
        forced_rows,
    )


def _start(mo: _Model) -> np.ndarray:
    """Forced projects at their planned start."""
    z = mo.lb.copy()
    for r in mo.forced_rows:
        row = mo.a.getrow(r) if hasattr(mo.a, "getrow") else mo.a[r]
        z[row.indices[np.argmin(row.indices)]] = 1.0
    return z


def _fill(mo: _Model, z: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Add options in ``order`` (first feasible start of each project) while rows hold."""
    z = z.copy()
    used = mo.a @ z
    taken = np.zeros(int(mo.proj.max()) + 1 if len(mo.proj) else 0, dtype=bool)
    taken[mo.proj[z > 0.5]] = True
    ind, ptr, val = mo.a.indices, mo.a.indptr, mo.a.data
    for j in order:
        pj = mo.proj[j]
        if taken[pj] or mo.ub[j] < 0.5 or mo.value[j] <= 0:
            continue
        rows, vals = ind[ptr[j] : ptr[j + 1]], val[ptr[j] : ptr[j + 1]]
        if np.all(used[rows] + vals <= mo.hi[rows] + 1e-9):
            used[rows] += vals
            z[j] = 1.0
            taken[pj] = True
    return z


def _by_ratio(mo: _Model, weight: np.ndarray) -> np.ndarray:
    """Options by value per weight (ties: earlier start first)."""
    ratio = mo.value / np.where(weight > 0, weight, 1e-9)
    return np.lexsort((mo.shift, -ratio))


def _greedy(mo: _Model) -> np.ndarray:
    return _fill(mo, _start(mo), _by_ratio(mo, np.asarray(mo.a[[0]].todense()).ravel()))


def greedy(p: Problem) -> np.ndarray:
    """Forced projects, then the rest by value per cost while every constraint holds
    (at the first start that fits); 0/1 per project."""
    mo = _model(p)
    return _per_project(mo, _greedy(mo), len(p.ids))[0]


def _per_project(mo: _Model, z: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    x, s = np.zeros(n), np.zeros(n, dtype=int)
    on = np.flatnonzero(z > 0.5)
    x[mo.proj[on]] = 1.0
    s[mo.proj[on]] = mo.shift[on]
    return x, s


def _feasible(mo: _Model, z: np.ndarray) -> bool:
    r = mo.a @ z
    return bool(np.all(r <= mo.hi + 1e-6) and np.all(r >= mo.lo - 1e-6))


# ---------------------------------------------------------------------------- the solver


def _highs(mo: _Model, integer: bool = True) -> Any:
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


def _lp_guided(mo: _Model, start: np.ndarray) -> tuple[np.ndarray | None, float]:
    """Greedy in the order of the LP relaxation (its ones first, then value per unit of
    resource priced by the LP's dual values), and the relaxation's value (a bound on the
    objective); None when the relaxation is infeasible."""
    h = _highs(mo, integer=False)
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None, float("nan")
    bound = -float(h.getInfo().objective_function_value)
    sol = h.getSolution()
    xlp = np.asarray(sol.col_value)
    price = np.maximum(0.0, -np.asarray(sol.row_dual))
    weight = np.maximum(price @ mo.a, 0.0)
    ratio = mo.value / np.where(weight > 1e-12, weight, 1e-12)
    return _fill(mo, start, np.lexsort((mo.shift, -ratio, -np.round(xlp, 6)))), bound


def _run_highs(
    mo: _Model, h: Any, warm: np.ndarray | None, time_limit: float, mip_rel_gap: float
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
        return _run_highs(mo, _highs(mo), None, max(left, 0.2), mip_rel_gap)
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, "infeasible", float("nan")
    bound = -float(info.mip_dual_bound)
    return z, "optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit", bound


def _run_scipy(
    mo: _Model, time_limit: float, mip_rel_gap: float
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


def _has_highspy() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True


def _earliest(mo: _Model, z: np.ndarray) -> np.ndarray:
    """Move each deferred project to its earliest start that keeps every row."""
    z = z.copy()
    for j in np.flatnonzero((z > 0.5) & (mo.shift > 0)):
        for e in np.flatnonzero((mo.proj == mo.proj[j]) & (mo.shift < mo.shift[j])):
            z[j], z[e] = 0.0, 1.0
            if _feasible(mo, z):
                break
            z[j], z[e] = 1.0, 0.0
    return z


def _gap(objective: float, bound: float) -> float:
    if not np.isfinite(bound):
        return float("nan")
    return round(max(0.0, bound - objective) / max(abs(objective), 1e-9), 6)


def _optimise(
    mo: _Model, warm: np.ndarray | None, t0: float, time_limit: float, mip_rel_gap: float
) -> tuple[np.ndarray | None, str, float]:
    """Best selection (options), status and bound within what is left of the time."""
    if not _has_highspy():
        return _run_scipy(mo, time_limit - (time.perf_counter() - t0), mip_rel_gap)
    lp_bound = INF
    if len(mo.cap_rows) or len(mo.forced_rows):  # knapsack alone: the greedy start is enough
        lp, lp_bound = _lp_guided(mo, _start(mo))
        if lp is None:
            return None, "infeasible", float("nan")
        if _feasible(mo, lp) and (warm is None or mo.value @ lp > mo.value @ warm):
            warm = lp
    reserve = min(0.15 * time_limit, 0.05 + 6e-5 * len(mo.proj))  # for the reasons after
    left = time_limit - reserve - (time.perf_counter() - t0)
    if left < 0.1 and warm is not None:  # no time left for the MILP: the greedy start
        return warm, "time_limit", lp_bound
    z, status, bound = _run_highs(mo, _highs(mo), warm, left, mip_rel_gap)
    return z, status, float(np.nanmin([bound, lp_bound]))  # HiGHS may stop before its root LP


def solve(
    p: Problem,
    *,
    time_limit: float = 10.0,
    mip_rel_gap: float = 1e-6,
    bring_in: int = 0,
    bring_in_seconds: float = 2.0,
) -> Selection:
    """The optimal selection (or the best found within the time limit, with its gap).

    ``bring_in`` excluded projects (the most valuable) are re-solved with the project
    forced in, within ``bring_in_seconds`` in all, to say what bringing it in would cost.
    """
    t0 = time.perf_counter()
    p = _with_prerequisites(p)
    mo = _model(p)
    n = len(p.ids)
    start = _start(mo)
    g = _greedy(mo)
    g_ok = _feasible(mo, g)
    g_obj = float(mo.value @ g)
    x0, s0 = _per_project(mo, start, n)
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
    z, status, bound = _optimise(mo, g if g_ok else None, t0, time_limit, mip_rel_gap)
    if z is None or not _feasible(mo, z):
        z = g if g_ok else None
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
    x, s = _per_project(mo, z, n)
    objective = float(p.value @ x)
    gap = 0.0 if status == "optimal" and bound <= objective + 1e-9 else _gap(objective, bound)
    sel = [i for i, xi in zip(p.ids, x, strict=True) if xi > 0.5]
    shifts = {i: int(si) for i, si, xi in zip(p.ids, s, x, strict=True) if xi > 0.5 and si}
    left = time_limit - (time.perf_counter() - t0)
    excl = explain_exclusions(
        p,
        x,
        shifts=s,
        bring_in=bring_in,
        seconds=min(bring_in_seconds, max(left, 0.5)),
        objective=objective,
    )
    return Selection(
        status,
        objective,
        gap,
        float(p.cost @ x),
        sel,
        excl,
        g_obj,
        [],
        time.perf_counter() - t0,
        shifts,
        bound,
    )


def _with_prerequisites(p: Problem) -> Problem:
    """Forced projects force what they depend on (so that a clash is reported at once)."""
    forced = set(p.forced_in) - p.forced_out
    grow = True
    while grow:
        more = {b for a, b in p.depends if a in forced and b in p.ids} - forced
        grow = bool(more)
        forced |= more
    return p if forced == p.forced_in else replace(p, forced_in=forced)


def _row_use(p: Problem, x: np.ndarray, shifts: np.ndarray | None) -> np.ndarray:
    """Hours per capacity row used by the selection ``x`` started at ``shifts``."""
    if not p.demand.size:
        return np.zeros(0)
    idx = np.flatnonzero(x > 0.5)
    s = np.zeros(len(idx), dtype=int) if shifts is None else np.asarray(shifts)[idx]
    return _demand_columns(p, idx, s).sum(axis=1)


def violations(p: Problem, x: np.ndarray, shifts: np.ndarray | None = None) -> list[dict[str, Any]]:
    """Constraints that ``x`` breaks, with by how much (budget and capacity)."""
    out = []
    spent = float(p.cost @ x)
    if spent > p.budget + 1e-6:
        out.append(
            {"constraint": "budget", "limit": p.budget, "used": spent, "excess": spent - p.budget}
        )
    if p.demand.size:
        used = _row_use(p, x, shifts)
        for k in np.flatnonzero(used > p.cap + 1e-6):
            role, month = p.row_labels[k] if p.row_labels else ("", "")
            out.append(
                {
                    "constraint": "capacity",
                    "role": role,
                    "month": month,
                    "limit": float(p.cap[k]),
                    "used": float(used[k]),
                    "excess": float(used[k] - p.cap[k]),
                }
            )
    return out


# ------------------------------------------------------------------------ why excluded


def _reason(
    p: Problem, i: int, selected: set[str], left: float, used: np.ndarray
) -> tuple[str, str, dict[str, Any]]:
    pid = p.ids[i]
    if pid in p.forced_out:
        return "forced_out", "Forced out by the steering committee.", {}
    if pid in p.reasons_out:
        return "rule", p.reasons_out[pid], {}
    q = next((b for a, b in p.depends if a == pid and b not in selected), None)
    if q is not None:
        return "dependency", "Depends on {q}, which is not selected.", {"q": q}
    for m in p.groups.values():
        others = sorted((set(m) - {pid}) & selected) if pid in m else []
        if others:
            return "exclusive", "Exclusive with {other}, which is selected.", {"other": others[0]}
    if p.cost[i] > left + 1e-9:
        amount = round(float(p.cost[i] - left), 2)
        return "budget", "Budget: {amount} more would be needed to fund it.", {"amount": amount}
    if p.demand.size and np.any(used + p.demand[:, i] > p.cap + 1e-9):
        k = int(np.argmax(used + p.demand[:, i] - p.cap))
        role, month = p.row_labels[k] if p.row_labels else ("", "")
        hours = round(float(used[k] + p.demand[k, i] - p.cap[k]))
        return (
            "capacity",
            "Capacity: {hours} h of {role} missing in {month}.",
            {"hours": hours, "role": role, "month": month},
        )
    return "value", "Less value per cost than the projects selected.", {}


def _with_missing_prerequisites(p: Problem, i: int, selected: set[str]) -> list[int]:
    """Project i and what it depends on (transitively) that is not selected."""
    index = {pid: k for k, pid in enumerate(p.ids)}
    group, todo = [i], [p.ids[i]]
    while todo:
        a = todo.pop()
        for x, q in p.depends:
            if x == a and q not in selected and index[q] not in group:
                group.append(index[q])
                todo.append(q)
    return group


def _needs(
    p: Problem, group: list[int], left: float, used: np.ndarray
) -> tuple[float, list[dict[str, Any]], int]:
    """What must grow to add ``group`` (a project and its missing prerequisites) to the
    selection as it is: extra budget, extra hours per role-month (at the start shift of
    the project that needs the fewest), and that shift."""
    extra_budget = max(0.0, round(float(p.cost[group].sum() - left), 2))
    best: tuple[float, list[dict[str, Any]], int] = (0.0, [], 0)
    if not p.demand.size:
        return extra_budget, [], 0
    i, rest = group[0], p.demand[:, group[1:]].sum(axis=1)
    for s in range(int(p.windows.get(p.ids[i], 0)) + 1):
        own = p.demand[:, i] if s == 0 else _demand_columns(p, np.array([i]), np.array([s]))[:, 0]
        col = own + rest
        rows = np.flatnonzero(col > 0)
        over = used[rows] + col[rows] - p.cap[rows]
        cells = [
            {"role": p.row_labels[k][0], "month": p.row_labels[k][1], "hours": round(float(o), 1)}
            for k, o in zip(rows, over, strict=True)
            if o > 1e-6
        ]
        total = float(sum(over[over > 1e-6]))
        if s == 0 or total < best[0]:
            best = (total, cells, s)
    return extra_budget, best[1], best[2]


BRING_IN = {  # (needs shown, outcome of the re-solve) -> template
    (True, "loss"): "Forced in, the portfolio loses {loss} of value; without loss it needs "
    "{amount} more budget and {hours} h more capacity.",
    (True, "infeasible"): "Cannot be forced in at today's limits; it needs {amount} more "
    "budget and {hours} h more capacity.",
    (True, None): "Without loss it needs {amount} more budget and {hours} h more capacity.",
    (False, "loss"): "Forced in, the portfolio loses {loss} of value.",
    (False, "infeasible"): "Cannot be forced in at today's limits.",
    (False, None): "Only by dropping {other}.",
}


def explain_exclusions(
    p: Problem,
    x: np.ndarray,
    *,
    shifts: np.ndarray | None = None,
    bring_in: int = 0,
    seconds: float = 2.0,
    objective: float | None = None,
) -> list[dict[str, Any]]:
    """Why each project left out is out, and what would bring it in.

    Every excluded project (except forced out or ruled out) gets ``bring_in``: the extra
    budget (its cost minus the budget left) and the extra hours per role-month (where the
    selection plus the project exceeds capacity) that would add it without dropping any
    other; for the ``bring_in`` most valuable ones, a re-solve with it forced in gives the
    value lost at today's limits (``loss``) within ``seconds`` in all.
    """
    selected = {pid for pid, xi in zip(p.ids, x, strict=True) if xi > 0.5}
    left = p.budget - float(p.cost @ x)
    used = _row_use(p, x, shifts) if p.demand.size else np.zeros(0)
    out = []
    for i, pid in enumerate(p.ids):
        if pid in selected:
            continue
        code, reason, params = _reason(p, i, selected, left, used)
        entry: dict[str, Any] = {
            "project_id": pid,
            "reason_code": code,
            "reason": reason.format(**params),
            "template": reason,
            "params": params,
            "bring_in": None,
        }
        if code == "exclusive":  # no budget or hours bring it in beside the other one
            entry["bring_in"] = {
                "loss": None,
                "status": None,
                "extra_budget": None,
                "extra_hours": None,
                "cells": [],
                "shift": 0,
                **params,
            }
        elif code not in ("forced_out", "rule"):
            group = _with_missing_prerequisites(p, i, selected)
            amount, cells, s = _needs(p, group, left, used)
            entry["bring_in"] = {
                "loss": None,
                "status": None,
                "extra_budget": amount,
                "extra_hours": round(sum(c["hours"] for c in cells), 1),
                "cells": cells,
                "shift": s,
            }
        out.append(entry)
    position = {pid: i for i, pid in enumerate(p.ids)}
    todo = sorted(
        (e for e in out if e["bring_in"] is not None),
        key=lambda e: -float(p.value[position[e["project_id"]]]),
    )[: max(0, bring_in)]
    if todo and objective is None:
        objective = float(p.value @ x)
    t0 = time.perf_counter()
    for k, e in enumerate(todo):
        share = (seconds - (time.perf_counter() - t0)) / (len(todo) - k)
        if share < 0.05:
            break
        q = replace(p, forced_in=set(p.forced_in) | {e["project_id"]})
        r = solve(q, time_limit=share)
        e["bring_in"]["status"] = r.status
        if r.status != "infeasible":
            e["bring_in"]["loss"] = round(max(0.0, float(objective or 0) - r.objective), 2)
    for e in out:
        b = e["bring_in"]
        if b is not None:
            outcome = {None: None, "infeasible": "infeasible"}.get(b["status"], "loss")
            b["template"] = BRING_IN[(b["extra_budget"] is not None, outcome)]
            b["params"] = {
                "loss": b["loss"],
                "amount": b["extra_budget"],
                "hours": b["extra_hours"],
            }
            if "other" in b:
                b["params"]["other"] = b.pop("other")
            b["text"] = b["template"].format(**b["params"])
    return out


# ---------------------------------------------------------------------- from the tables


def _windows(cand: pd.DataFrame, start_windows: Mapping[str, int] | int | None) -> dict[str, int]:
    """Start windows of projects not started yet (proposed or approved)."""
    if not start_windows:
        return {}
    later = cand.loc[cand["status"].isin(["proposed", "approved"]), "project_id"].astype(str)
    if isinstance(start_windows, int):
        return dict.fromkeys(later, int(start_windows))
    return {pid: int(k) for pid, k in start_windows.items() if pid in set(later) and int(k) > 0}


def _capacity_rows(
    d: pd.DataFrame, capacity: pd.DataFrame, scale: float, full_grid: bool
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
    """Demand (rows = (role, month)) and limits; with start windows, every month of the
    horizon for each role, so that shifted hours find their row. A role-month without a
    known capacity is not a constraint."""
    cap = capacity.groupby(["role", "month"])["capacity_hours"].sum(min_count=1)
    used = [c for c in d.columns if d[c].sum() > 0]
    cols = pd.MultiIndex.from_tuples(used, names=["role", "month"]) if used else None
    if full_grid and used:
        roles = sorted({r for r, _ in used})
        months = [m for _, m in used] + [m for r, m in cap.index if r in roles]
        first = min(m for _, m in used)
        grid = pd.date_range(pd.Timestamp(first), pd.Timestamp(max(months)), freq="MS")
        cols = pd.MultiIndex.from_product([roles, grid], names=["role", "month"])
    if cols is None:
        return np.zeros((0, len(d))), np.zeros(0), []
    limits = cap.reindex(cols).to_numpy(dtype=float) * scale
    limits = np.where(np.isnan(limits), INF, limits)
    matrix = d.reindex(columns=cols, fill_value=0.0).to_numpy(dtype=float).T
    labels = [(str(r), pd.Timestamp(m).strftime("%Y-%m")) for r, m in cols]
    return matrix, limits, labels


def build_problem(
    projects: pd.DataFrame,
    scores: pd.DataFrame | None,
    *,
    budget: float,
    value: str = "alignment",
    demand: pd.DataFrame | None = None,
    capacity: pd.DataFrame | None = None,
    capacity_scale: float = 1.0,
    force_in: tuple[str, ...] | list[str] = (),
    force_out: tuple[str, ...] | list[str] = (),
    keep_running: bool = True,
    remaining_budget: bool = False,
    start_windows: Mapping[str, int] | int | None = None,
    extra_projects: pd.DataFrame | None = None,
    extra_demand: pd.DataFrame | None = None,
) -> Problem:
    """A problem from canonical Projects, alignment scores, and optionally the demand
    matrix (project x (role, month)) and capacity per (role, month) (column
    capacity_hours).

    ``start_windows``: latest start shift in months per project id (or one number for
    every project not started yet); running projects never move. ``extra_projects`` (rows
    of canonical Projects, e.g. requests) and ``extra_demand`` (their demand matrix) add
    candidates.
    """
    if extra_projects is not None and len(extra_projects):
        projects = pd.concat([projects, extra_projects], ignore_index=True)
        if extra_demand is not None and demand is not None:
            demand = pd.concat([demand, extra_demand]).fillna(0.0)
            demand = demand.T.groupby(level=[0, 1]).sum().T
    status = projects.set_index("project_id")["status"]
    cand = projects[projects["status"].isin(CANDIDATE_STATUSES)].reset_index(drop=True)
    ids = cand["project_id"].astype(str).tolist()
    if value == "benefit":
        v = cand["expected_benefit"].astype("float64").fillna(0.0).to_numpy()
    else:
        s = (
            scores.set_index("project_id")["alignment_score"]
            if scores is not None
            else pd.Series(dtype="float64")
        )
        v = cand["project_id"].map(s).astype("float64").fillna(0.0).to_numpy()
    bac = cand["budget"].astype("float64").fillna(0.0)
    cost = (
        (bac - cand["actual_cost"].astype("float64").fillna(0.0)).clip(lower=0)
        if remaining_budget
        else bac
    )
    forced_in = {pid for pid in force_in if pid in ids}
    forced_in |= set(cand.loc[cand["mandatory"].fillna(False).astype(bool), "project_id"])
    if keep_running:
        forced_in |= set(cand.loc[cand["status"].isin(["in_progress", "on_hold"]), "project_id"])
    forced_out = {pid for pid in force_out if pid in ids}
    forced_in -= forced_out
    depends: list[tuple[str, str]] = []
    reasons: dict[str, str] = {}
    for pid, deps in zip(cand["project_id"], cand["depends_on"], strict=True):
        for q in str(deps).split(",") if pd.notna(deps) else []:
            q = q.strip()
            if not q or status.get(q) == "completed":
                continue  # a dependency on a completed project is met
            if status.get(q) == "cancelled":
                reasons[pid] = f"Depends on {q}, which is cancelled."
            elif q in ids:
                depends.append((pid, q))
    groups: dict[str, list[str]] = {}
    for pid, grp in zip(cand["project_id"], cand["exclusive_group"], strict=True):
        if pd.notna(grp):
            groups.setdefault(str(grp), []).append(pid)
    p = Problem(
        ids,
        v,
        cost.to_numpy(dtype=float),
        float(budget),
        forced_in=forced_in,
        forced_out=forced_out,
        depends=depends,
        groups=groups,
        reasons_out=reasons,
        windows=_windows(cand, start_windows),
    )
    if demand is not None and capacity is not None and len(demand.columns):
        d = demand.reindex(ids).fillna(0.0)
        p.demand, p.cap, p.row_labels = _capacity_rows(d, capacity, capacity_scale, bool(p.windows))
    return p


def _inputs(
    snapshot: Any, value: str, use_capacity: bool, extra_allocations: pd.DataFrame | None = None
) -> dict[str, Any]:
    from pmo_core import alignment, capacity

    f = snapshot.frames
    w = alignment.objective_weights(f["objectives"], f["pairwise"]).weights
    scores = alignment.alignment_scores(f["alignment"], w, f["projects"])
    out: dict[str, Any] = {"projects": f["projects"], "scores": scores, "value": value}
    if use_capacity:
        month = as_of_month(snapshot.as_of)
        out["demand"] = capacity.demand_matrix(f["allocations"], f["resources"], month)
        out["capacity"] = capacity.utilisation_by_role_month(
            f["allocations"], f["resources"], f["capacity"]
        )
        if extra_allocations is not None and len(extra_allocations):
            out["extra_demand"] = capacity.demand_matrix(extra_allocations, f["resources"], month)
    return out


def optimize_document(
    snapshot: Any,
    *,
    budget: float,
    capacity: bool = False,
    value: str = "alignment",
    force_in: list[str] | tuple[str, ...] = (),
    force_out: list[str] | tuple[str, ...] = (),
    time_limit: float = 10.0,
    keep_running: bool = True,
    remaining: bool = False,
    capacity_scale: float = 1.0,
    start_windows: Mapping[str, int] | int | None = None,
    bring_in: int = 5,
    extra_projects: pd.DataFrame | None = None,
    extra_allocations: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The CLI's ``optimize`` JSON (DESIGN section 7), plus ``start_shift`` (months each
    deferred project starts later), ``bound`` and each exclusion's ``bring_in``."""
    inp = _inputs(snapshot, value, capacity, extra_allocations)
    p = build_problem(
        inp["projects"],
        inp["scores"],
        budget=budget,
        value=value,
        demand=inp.get("demand"),
        capacity=inp.get("capacity"),
        capacity_scale=capacity_scale,
        force_in=force_in,
        force_out=force_out,
        keep_running=keep_running,
        remaining_budget=remaining,
        start_windows=start_windows,
        extra_projects=extra_projects,
        extra_demand=inp.get("extra_demand"),
    )
    s = solve(p, time_limit=time_limit, bring_in=bring_in)
    keys = ("project_id", "reason", "reason_code", "template", "params", "bring_in")
    return {
        "snapshot_id": snapshot.snapshot_id,
        "status": s.status,
        "objective": s.objective,
        "gap": s.gap,
        "bound": s.bound,
        "total_cost": s.total_cost,
        "selected": s.selected,
        "start_shift": s.start_shift,
        "excluded": [{k: e[k] for k in keys} for e in s.excluded],
        "greedy_objective": s.greedy_objective,
        "budget": budget,
        "value": value,
        "capacity": capacity,
        "time_limit": time_limit,
        "violations": s.violations,
        "solve_seconds": round(s.solve_seconds, 3),
    }


# ---------------------------------------------------------------------------- frontier


def efficient_frontier(
    p: Problem, points: int = 20, time_limit: float = 0.7, mip_rel_gap: float = 0.01
) -> pd.DataFrame:
    """Re-solve for ``points`` budget levels from the forced cost to the total cost.

    One HiGHS model whose budget row moves up; each level starts from the previous
    level's selection (still feasible with more budget) topped up greedily.
    ``time_limit`` is per level.
    """
    p = _with_prerequisites(p)
    mo = _model(p)
    start = _start(mo)
    low = float(p.cost @ _per_project(mo, start, len(p.ids))[0])
    high = float(p.cost[[i not in p.forced_out for i in p.ids]].sum()) if p.ids else 0.0
    order = _by_ratio(mo, np.asarray(mo.a[[0]].todense()).ravel())
    h = _highs(mo) if _has_highspy() else None
    prev = start
    rows = []
    for level in np.linspace(low, max(high, low), max(points, 2)):
        t0 = time.perf_counter()
        mo.hi[0] = float(level)
        warm = _fill(mo, prev, order)
        ok = _feasible(mo, warm)
        if h is not None:
            h.changeRowBounds(0, -h.getInfinity(), float(level))
            z, status, bound = _run_highs(mo, h, warm if ok else None, time_limit, mip_rel_gap)
        else:
            z, status, bound = _run_scipy(mo, time_limit, mip_rel_gap)
        if z is None or not _feasible(mo, z) or (ok and mo.value @ warm > mo.value @ z):
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
        x = _per_project(mo, z, len(p.ids))[0]
        objective = float(p.value @ x)
        gap = 0.0 if status == "optimal" and bound <= objective + 1e-9 else _gap(objective, bound)
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


def _frontier_problem(snapshot: Any, capacity: bool, value: str) -> Problem:
    inp = _inputs(snapshot, value, capacity)
    return build_problem(
        inp["projects"],
        inp["scores"],
        budget=0.0,
        value=value,
        demand=inp.get("demand"),
        capacity=inp.get("capacity"),
    )


def frontier_and_ranking(
    snapshot: Any,
    *,
    points: int = 12,
    capacity: bool = False,
    value: str = "alignment",
    time_limit: float = 0.7,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficient frontier and the ranking curve of a snapshot (the What-if chart)."""
    p = _frontier_problem(snapshot, capacity, value)
    return efficient_frontier(p, points, time_limit), ranking_curve(p)


def frontier_document(
    snapshot: Any, *, points: int = 20, capacity: bool = False, value: str = "alignment"
) -> dict[str, Any]:
    """The CLI's ``frontier`` JSON: one point per budget level."""
    df = efficient_frontier(_frontier_problem(snapshot, capacity, value), points)
    df = df.drop(columns="seconds")
    rows = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    return {
        "snapshot_id": snapshot.snapshot_id,
        "value": value,
        "capacity": capacity,
        "points": rows,
    }


def as_of_month(as_of: date) -> pd.Timestamp:
    return pd.Timestamp(as_of).to_period("M").to_timestamp()
