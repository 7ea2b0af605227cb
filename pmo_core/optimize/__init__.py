"""Portfolio selection (the what-if): the optimal projects under budget and capacity.

Choose x_p in {0, 1} to maximise sum_p v_p x_p subject to sum_p cost_p x_p <= budget,
for every role and month (from the as-of month on) sum_p demand(p, role, month) x_p <=
capacity x scale (optional), x_p = 1 when forced in (mandatory, or running when "keep
running projects" is on), x_p = 0 when forced out, x_p <= x_q when p depends on q, and at
most one project per exclusive group (DESIGN section 4). With yearly limits, one more row
per limited year: the selected projects' cost in that year <= its limit (``_spans``).

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

This module builds the problem from the tables, runs the solver then the explanations
(``solve``: the two never call each other) and writes the CLI's documents; the model is
in ``model``, the solver in ``solver``, the reasons in ``explain`` and the frontier in
``frontier`` (their public names re-exported here).

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
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.optimize import solver
from pmo_core.optimize.explain import BRING_IN, explain_exclusions
from pmo_core.optimize.frontier import efficient_frontier, ranking_curve
from pmo_core.optimize.model import INF, Problem, Selection, greedy, violations, with_prerequisites
from pmo_core.schema import CANDIDATE_STATUSES

__all__ = [
    "BRING_IN",
    "Problem",
    "Selection",
    "as_of_month",
    "build_problem",
    "efficient_frontier",
    "explain_exclusions",
    "frontier_and_ranking",
    "frontier_document",
    "greedy",
    "optimize_document",
    "ranking_curve",
    "solve",
    "violations",
]


def solve(
    p: Problem,
    *,
    time_limit: float = 10.0,
    mip_rel_gap: float = 1e-6,
    bring_in: int = 0,
    bring_in_seconds: float = 2.0,
) -> Selection:
    """The optimal selection (or the best found within the time limit, with its gap),
    every exclusion explained: ``solver.solve``, then ``explain.explain_exclusions``.

    ``bring_in`` excluded projects (the most valuable) are re-solved with the project
    forced in, within ``bring_in_seconds`` in all, to say what bringing it in would cost.
    """
    t0 = time.perf_counter()
    p = with_prerequisites(p)  # as the solver sees it (it does the same, idempotent)
    found = solver.solve(p, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    if found.status == "infeasible":
        return found
    chosen = set(found.selected)
    x = np.array([1.0 if pid in chosen else 0.0 for pid in p.ids])
    shifts = np.array([found.start_shift.get(pid, 0) for pid in p.ids], dtype=int)
    left = time_limit - (time.perf_counter() - t0)
    excluded = explain_exclusions(
        p,
        x,
        shifts=shifts,
        bring_in=bring_in,
        seconds=min(bring_in_seconds, max(left, 0.5)),
        objective=found.objective,
        resolve=_resolve,
    )
    return replace(found, excluded=excluded, solve_seconds=time.perf_counter() - t0)


def _resolve(p: Problem, seconds: float) -> Selection:
    """The re-solve that prices a bring-in: the same answer, no bring-in of its own."""
    return solve(p, time_limit=seconds)


# ---------------------------------------------------------------------- from the tables


def _windows(cand: pd.DataFrame, start_windows: Mapping[str, int] | int | None) -> dict[str, int]:
    """Start windows of projects not started yet (proposed or approved)."""
    if not start_windows:
        return {}
    later = cand.loc[cand["status"].isin(["proposed", "approved"]), "project_id"].astype(str)
    if isinstance(start_windows, int):
        return dict.fromkeys(later, int(start_windows))
    return {pid: int(k) for pid, k in start_windows.items() if pid in set(later) and int(k) > 0}


def _spans(cand: pd.DataFrame, as_of: date, remaining: bool) -> np.ndarray:
    """The days each candidate's cost is spread over, pro rata of its days in each year:
    start_date to end_date (both included); with the remaining budget, from the as-of
    date (or the start, if later) to the end. Without dates, the whole cost counts in one
    year: the year of the start, else (no start) the as-of year; likewise when the end is
    missing or before that first day. A start shift moves the span with it."""
    ref = pd.Timestamp(as_of).normalize()
    start = pd.to_datetime(cand["start_date"]).dt.normalize()
    end = pd.to_datetime(cand["end_date"]).dt.normalize()
    first = start.fillna(ref)
    if remaining:
        first = first.where(first >= ref, ref)
    last = end.where(end >= first, first)
    return np.column_stack(
        [first.to_numpy().astype("datetime64[D]"), last.to_numpy().astype("datetime64[D]")]
    ).reshape(len(cand), 2)


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
    yearly_budget: Mapping[int, float] | None = None,
    as_of: date | None = None,
) -> Problem:
    """A problem from canonical Projects, alignment scores, and optionally the demand
    matrix (project x (role, month)) and capacity per (role, month) (column
    capacity_hours).

    ``yearly_budget`` (calendar year -> limit) adds one row per year: the selected
    projects' cost in that year <= the limit. A project's cost (budget, or remaining
    budget) is spread over calendar years pro rata of its days in each year, from
    start_date to end_date (remaining budget: from ``as_of``, or the start if later, to
    the end); a start shift of s months moves the span s months later. A project without
    dates counts whole in the year of its start, else in the as-of year. ``as_of``
    defaults to today.

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
    reasons: dict[str, str] = {}  # templates, translated by the page
    reason_params: dict[str, dict[str, Any]] = {}
    for pid, deps in zip(cand["project_id"], cand["depends_on"], strict=True):
        for q in str(deps).split(",") if pd.notna(deps) else []:
            q = q.strip()
            if not q or status.get(q) == "completed":
                continue  # a dependency on a completed project is met
            if status.get(q) == "cancelled":
                reasons[pid] = "Depends on {q}, which is cancelled."
                reason_params[pid] = {"q": q}
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
        reasons_params=reason_params,
        windows=_windows(cand, start_windows),
    )
    if yearly_budget:
        p.year_limit = {int(y): float(v) for y, v in yearly_budget.items()}
        p.spans = _spans(cand, as_of or date.today(), remaining_budget)
    if demand is not None and capacity is not None and len(demand.columns):
        d = demand.reindex(ids).fillna(0.0)
        p.demand, p.cap, p.row_labels = _capacity_rows(d, capacity, capacity_scale, bool(p.windows))
    return p


def _inputs(
    snapshot: Any,
    value: str,
    use_capacity: bool,
    extra_allocations: pd.DataFrame | None = None,
    weights: pd.Series | None = None,
) -> dict[str, Any]:
    from pmo_core.kpi import alignment, capacity

    f = snapshot.frames
    if weights is None:  # else a named weighting's weights (objective_id -> weight)
        weights = alignment.objective_weights(f["objectives"], f["pairwise"]).weights
    w = weights
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
    weights: pd.Series | None = None,
    yearly_budget: Mapping[int, float] | None = None,
) -> dict[str, Any]:
    """The CLI's ``optimize`` JSON (DESIGN section 7), plus ``start_shift`` (months each
    deferred project starts later), ``bound``, each exclusion's ``bring_in`` and
    ``yearly_budget`` (the limits per year, {"2027": limit}; {} when none).
    ``weights`` (objective_id -> weight) replaces the snapshot's own objective weights."""
    inp = _inputs(snapshot, value, capacity, extra_allocations, weights)
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
        yearly_budget=yearly_budget,
        as_of=snapshot.as_of,
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
        "yearly_budget": {str(y): float(v) for y, v in sorted((yearly_budget or {}).items())},
        "value": value,
        "capacity": capacity,
        "time_limit": time_limit,
        "violations": s.violations,
        "solve_seconds": round(s.solve_seconds, 3),
    }


def _frontier_problem(snapshot: Any, capacity: bool, value: str, **rules: Any) -> Problem:
    """The problem the frontier moves the budget of; ``rules``: ``build_problem``'s
    keep_running, capacity_scale, force_in, force_out, yearly_budget, and ``weights``."""
    inp = _inputs(snapshot, value, capacity, weights=rules.pop("weights", None))
    return build_problem(
        inp["projects"],
        inp["scores"],
        budget=0.0,
        value=value,
        demand=inp.get("demand"),
        capacity=inp.get("capacity"),
        as_of=snapshot.as_of,
        **rules,
    )


def frontier_and_ranking(
    snapshot: Any,
    *,
    points: int = 12,
    capacity: bool = False,
    value: str = "alignment",
    time_limit: float = 0.7,
    keep_running: bool = True,
    capacity_scale: float = 1.0,
    force_in: list[str] | tuple[str, ...] = (),
    force_out: list[str] | tuple[str, ...] = (),
    weights: pd.Series | None = None,
    yearly_budget: Mapping[int, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficient frontier and the ranking curve of a snapshot (the What-if chart),
    under the page's rules: capacity and its scale, keep running, forced in and out,
    a named weighting, yearly limits (which stay fixed while the total moves)."""
    p = _frontier_problem(
        snapshot,
        capacity,
        value,
        keep_running=keep_running,
        capacity_scale=capacity_scale,
        force_in=force_in,
        force_out=force_out,
        weights=weights,
        yearly_budget=yearly_budget,
    )
    return efficient_frontier(p, points, time_limit), ranking_curve(p)


def frontier_document(
    snapshot: Any,
    *,
    points: int = 20,
    capacity: bool = False,
    value: str = "alignment",
    yearly_budget: Mapping[int, float] | None = None,
) -> dict[str, Any]:
    """The CLI's ``frontier`` JSON: one point per budget level (yearly limits fixed)."""
    problem = _frontier_problem(snapshot, capacity, value, yearly_budget=yearly_budget)
    df = efficient_frontier(problem, points)
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


DEFAULT_TIME_LIMIT = 10.0


def time_limit_from_settings(settings: Mapping[str, str] | None) -> float:
    """The solver's time limit in seconds: setting ``optimizer_time_limit`` (a positive
    number, ``,`` or ``.`` decimal), else 10.

    >>> time_limit_from_settings({"optimizer_time_limit": "2,5"}), time_limit_from_settings({})
    (2.5, 10.0)
    """
    raw = (settings or {}).get("optimizer_time_limit")
    try:
        value = float(str(raw).replace(",", "."))
    except (TypeError, ValueError):
        return DEFAULT_TIME_LIMIT
    return value if value > 0 else DEFAULT_TIME_LIMIT
