"""Portfolio selection (the what-if): the optimal projects under budget and capacity.

Choose x_p in {0, 1} to maximise sum_p v_p x_p subject to sum_p cost_p x_p <= budget,
for every role and month (from the as-of month on) sum_p demand(p, role, month) x_p <=
capacity x scale (optional), x_p = 1 when forced in (mandatory, or running when "keep
running projects" is on), x_p = 0 when forced out, x_p <= x_q when p depends on q, and at
most one project per exclusive group (DESIGN section 4). Solved as a MILP by HiGHS through
``scipy.optimize.milp`` under a time limit, with its proven gap; a greedy value/cost
ranking is computed beside it. When forced projects alone break a constraint the answer is
``infeasible`` with the constraints that break and by how much.

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=7.0)
    >>> s = solve(p)
    >>> s.status, s.objective, sorted(s.selected)
    ('optimal', 13.0, ['B', 'C'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.schema import CANDIDATE_STATUSES


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
    row_labels: list[tuple[str, str]] = field(default_factory=list)  # (role, month)
    forced_in: set[str] = field(default_factory=set)
    forced_out: set[str] = field(default_factory=set)
    depends: list[tuple[str, str]] = field(default_factory=list)  # (p, q): p requires q
    groups: dict[str, list[str]] = field(default_factory=dict)
    reasons_out: dict[str, str] = field(default_factory=dict)  # pre-decided exclusions


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


def _constraints(p: Problem) -> tuple[np.ndarray, np.ndarray]:
    """All "A x <= b" rows: budget, capacity, dependencies, exclusive groups."""
    n = len(p.ids)
    index = {pid: i for i, pid in enumerate(p.ids)}
    rows = [p.cost.reshape(1, n)]
    rhs = [np.array([p.budget])]
    if p.demand.size:
        rows.append(p.demand)
        rhs.append(p.cap)
    for a, b in p.depends:
        if a in index and b in index:
            r = np.zeros((1, n))
            r[0, index[a]], r[0, index[b]] = 1, -1
            rows.append(r)
            rhs.append(np.zeros(1))
    for members in p.groups.values():
        idx = [index[m] for m in members if m in index]
        if len(idx) > 1:
            r = np.zeros((1, n))
            r[0, idx] = 1
            rows.append(r)
            rhs.append(np.ones(1))
    return np.vstack(rows), np.concatenate(rhs)


def _bounds(p: Problem) -> tuple[np.ndarray, np.ndarray]:
    lb = np.array([1.0 if i in p.forced_in else 0.0 for i in p.ids])
    ub = np.array([0.0 if (i in p.forced_out or i in p.reasons_out) else 1.0 for i in p.ids])
    return lb, np.maximum(ub, lb)


def violations(p: Problem, x: np.ndarray) -> list[dict[str, Any]]:
    """Constraints that ``x`` breaks, with by how much (budget and capacity)."""
    out = []
    spent = float(p.cost @ x)
    if spent > p.budget + 1e-6:
        out.append(
            {"constraint": "budget", "limit": p.budget, "used": spent, "excess": spent - p.budget}
        )
    if p.demand.size:
        used = p.demand @ x
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


def greedy(p: Problem) -> np.ndarray:
    """Forced projects, then the rest by value per cost while every constraint holds."""
    a, b = _constraints(p)
    lb, ub = _bounds(p)
    x = lb.copy()
    ratio = p.value / np.where(p.cost > 0, p.cost, 1e-9)
    for i in np.argsort(-ratio, kind="stable"):
        if x[i] or not ub[i] or p.value[i] <= 0:
            continue
        x[i] = 1
        if np.any(a @ x > b + 1e-9):
            x[i] = 0
    return x


def solve(p: Problem, *, time_limit: float = 10.0, mip_rel_gap: float = 1e-4) -> Selection:
    """The optimal selection (or the best found within the time limit, with its gap)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    t0 = time.perf_counter()
    lb, ub = _bounds(p)
    forced = violations(p, lb)
    g = greedy(p)
    g_obj = float(p.value @ g)
    if forced:
        return Selection(
            "infeasible",
            float("nan"),
            float("nan"),
            float(p.cost @ lb),
            [],
            [],
            g_obj,
            forced,
            time.perf_counter() - t0,
        )
    a, b = _constraints(p)
    res = milp(
        c=-p.value,
        constraints=LinearConstraint(a, -np.inf, b),
        integrality=np.ones(len(p.ids)),
        bounds=Bounds(lb, ub),
        options={"time_limit": float(time_limit), "mip_rel_gap": float(mip_rel_gap), "disp": False},
    )
    if res.x is None:  # no feasible point found (rare: logic rules among forced projects)
        return Selection(
            "infeasible",
            float("nan"),
            float("nan"),
            float(p.cost @ lb),
            [],
            [],
            g_obj,
            [{"constraint": "rules", "excess": None}],
            time.perf_counter() - t0,
        )
    x = np.round(res.x)
    if float(p.value @ x) < g_obj:  # never worse than the ranking shown beside it
        x = g
    objective = float(p.value @ x)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    status = "optimal" if res.status == 0 else "time_limit"
    if status == "optimal":
        gap = 0.0
    sel = [i for i, xi in zip(p.ids, x, strict=True) if xi > 0.5]
    excl = explain_exclusions(p, x)
    return Selection(
        status, objective, gap, float(p.cost @ x), sel, excl, g_obj, [], time.perf_counter() - t0
    )


def explain_exclusions(p: Problem, x: np.ndarray) -> list[dict[str, Any]]:
    """Why each project left out is out, and what would bring it in."""
    index = {pid: i for i, pid in enumerate(p.ids)}
    selected = {pid for pid, xi in zip(p.ids, x, strict=True) if xi > 0.5}
    left = p.budget - float(p.cost @ x)
    used = p.demand @ x if p.demand.size else np.zeros(0)
    out = []
    for pid in p.ids:
        if pid in selected:
            continue
        i = index[pid]
        params: dict[str, Any] = {}
        if pid in p.forced_out:
            code, reason = "forced_out", "Forced out by the steering committee."
        elif pid in p.reasons_out:
            code, reason = "rule", p.reasons_out[pid]
        elif any(a == pid and b not in selected for a, b in p.depends):
            q = next(b for a, b in p.depends if a == pid and b not in selected)
            code, reason, params = "dependency", "Depends on {q}, which is not selected.", {"q": q}
        elif any(pid in m and (set(m) - {pid}) & selected for m in p.groups.values()):
            other = next(
                iter(
                    next(
                        (set(m) - {pid}) & selected
                        for m in p.groups.values()
                        if pid in m and (set(m) - {pid}) & selected
                    )
                )
            )
            code, reason, params = (
                "exclusive",
                "Exclusive with {other}, which is selected.",
                {"other": other},
            )
        elif p.cost[i] > left + 1e-9:
            code, reason = "budget", "Budget: {amount} more would be needed to fund it."
            params = {"amount": round(float(p.cost[i] - left), 2)}
        elif p.demand.size and np.any(used + p.demand[:, i] > p.cap + 1e-9):
            k = int(np.argmax(used + p.demand[:, i] - p.cap))
            role, month = p.row_labels[k] if p.row_labels else ("", "")
            code, reason = "capacity", "Capacity: {hours} h of {role} missing in {month}."
            params = {
                "hours": round(float(used[k] + p.demand[k, i] - p.cap[k])),
                "role": role,
                "month": month,
            }
        else:
            code, reason = "value", "Less value per cost than the projects selected."
        out.append(
            {
                "project_id": pid,
                "reason_code": code,
                "reason": reason.format(**params),
                "template": reason,
                "params": params,
            }
        )
    return out


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
) -> Problem:
    """A problem from canonical Projects, alignment scores, and optionally the demand
    matrix (project x (role, month)) and capacity per (role, month) (column
    capacity_hours)."""
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
        cost.to_numpy(),
        float(budget),
        forced_in=forced_in,
        forced_out=forced_out,
        depends=depends,
        groups=groups,
        reasons_out=reasons,
    )
    if demand is not None and capacity is not None and len(demand.columns):
        d = demand.reindex(ids).fillna(0.0)
        cap = capacity.set_index(["role", "month"])["capacity_hours"]
        cols = [c for c in d.columns if d[c].sum() > 0]
        limits = np.array([float(cap.get(c, 0.0)) for c in cols]) * capacity_scale
        p.demand = d[cols].to_numpy().T
        p.cap = limits
        p.row_labels = [(str(r), pd.Timestamp(m).strftime("%Y-%m")) for r, m in cols]
    return p


def _inputs(snapshot: Any, value: str, use_capacity: bool) -> dict[str, Any]:
    from pmo_core import alignment, capacity

    f = snapshot.frames
    w = alignment.objective_weights(f["objectives"], f["pairwise"]).weights
    scores = alignment.alignment_scores(f["alignment"], w, f["projects"])
    out: dict[str, Any] = {"projects": f["projects"], "scores": scores, "value": value}
    if use_capacity:
        month = pd.Timestamp(snapshot.as_of).to_period("M").to_timestamp()
        out["demand"] = capacity.demand_matrix(f["allocations"], f["resources"], month)
        out["capacity"] = capacity.utilisation_by_role_month(
            f["allocations"], f["resources"], f["capacity"]
        )
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
) -> dict[str, Any]:
    """The CLI's ``optimize`` JSON (DESIGN section 7)."""
    inp = _inputs(snapshot, value, capacity)
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
    )
    s = solve(p, time_limit=time_limit)
    return {
        "snapshot_id": snapshot.snapshot_id,
        "status": s.status,
        "objective": s.objective,
        "gap": s.gap,
        "total_cost": s.total_cost,
        "selected": s.selected,
        "excluded": [
            {k: e[k] for k in ("project_id", "reason", "reason_code", "template", "params")}
            for e in s.excluded
        ],
        "greedy_objective": s.greedy_objective,
        "budget": budget,
        "value": value,
        "capacity": capacity,
        "time_limit": time_limit,
        "violations": s.violations,
        "solve_seconds": round(s.solve_seconds, 3),
    }


def efficient_frontier(p: Problem, points: int = 20, time_limit: float = 5.0) -> pd.DataFrame:
    """Re-solve for ``points`` budget levels from the forced cost to the total cost."""
    lb, _ = _bounds(p)
    low, high = float(p.cost @ lb), float(p.cost.sum())
    rows = []
    for level in np.linspace(low, high, max(points, 2)):
        q = Problem(**{**p.__dict__, "budget": float(level)})
        s = solve(q, time_limit=time_limit)
        rows.append(
            {
                "budget": float(level),
                "objective": s.objective,
                "gap": s.gap,
                "status": s.status,
                "n_selected": len(s.selected),
                "cost": s.total_cost,
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


def frontier_document(
    snapshot: Any, *, points: int = 20, capacity: bool = False, value: str = "alignment"
) -> dict[str, Any]:
    """The CLI's ``frontier`` JSON: one point per budget level."""
    inp = _inputs(snapshot, value, capacity)
    p = build_problem(
        inp["projects"],
        inp["scores"],
        budget=0.0,
        value=value,
        demand=inp.get("demand"),
        capacity=inp.get("capacity"),
    )
    df = efficient_frontier(p, points)
    rows = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    return {
        "snapshot_id": snapshot.snapshot_id,
        "value": value,
        "capacity": capacity,
        "points": rows,
    }


def as_of_month(as_of: date) -> pd.Timestamp:
    return pd.Timestamp(as_of).to_period("M").to_timestamp()
