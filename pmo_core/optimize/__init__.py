"""Portfolio selection (the what-if): the optimal projects under budget and capacity.

Choose x_p in {0, 1} to maximise sum_p v_p x_p subject to sum_p cost_p x_p <= budget,
for every role and month (from the as-of month on) sum_p demand(p, role, month) x_p <=
capacity x scale (optional), x_p = 1 when forced in (mandatory, or running when "keep
running projects" is on), x_p = 0 when forced out, x_p <= x_q when p depends on q, and at
most one project per exclusive group (DESIGN section 4). With yearly limits, one more row
per limited year: the selected projects' cost in that year <= its limit.

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

A run's parameters are one ``WhatIf`` (``params``). This module runs the solver then the
explanations (``solve``: the two never call each other) and writes the documents of the
CLI and the page (``optimize_document``, ``frontier_and_ranking``, ``frontier_document``).
The problem is built from the tables in ``problem``, the model is in ``model``, the
solver in ``solver``, the reasons in ``explain``, the frontier in ``frontier`` and saved
scenarios in ``scenarios`` (the public names of all but the last re-exported here).

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=7.0)
    >>> s = solve(p)
    >>> s.status, s.objective, sorted(s.selected)
    ('optimal', 13.0, ['B', 'C'])
    >>> s.excluded[0]["project_id"], s.excluded[0]["reason_code"]
    ('A', 'budget')
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.optimize import solver
from pmo_core.optimize.explain import BRING_IN, CUT_SHORT, explain_exclusions
from pmo_core.optimize.frontier import efficient_frontier, ranking_curve
from pmo_core.optimize.model import Problem, Selection, greedy, violations, with_prerequisites
from pmo_core.optimize.params import DEFAULT_TIME_LIMIT, WhatIf, time_limit_from_settings
from pmo_core.optimize.problem import (
    as_of_month,
    build_problem,
    candidates,
    forced_kinds,
    snapshot_problem,
)

__all__ = [
    "BRING_IN",
    "CUT_SHORT",
    "DEFAULT_TIME_LIMIT",
    "Problem",
    "Selection",
    "WhatIf",
    "as_of_month",
    "build_problem",
    "candidates",
    "efficient_frontier",
    "explain_exclusions",
    "forced_kinds",
    "frontier_and_ranking",
    "frontier_document",
    "greedy",
    "optimize_document",
    "ranking_curve",
    "snapshot_problem",
    "solve",
    "time_limit_from_settings",
    "violations",
]


def solve(
    p: Problem,
    *,
    time_limit: float = 10.0,
    mip_rel_gap: float = 1e-6,
    bring_in: int = 0,
    bring_in_seconds: float = 2.0,
    started: float | None = None,
) -> Selection:
    """The optimal selection (or the best found within the time limit, with its gap),
    every exclusion explained: ``solver.solve``, then ``explain.explain_exclusions``.

    ``time_limit`` bounds the whole answer, counted from ``started`` (a
    ``time.perf_counter()`` reading; now when None): the solver gets what is left, then
    ``bring_in`` excluded projects (the most valuable) are re-solved with the project
    forced in, to say what bringing it in would cost, within what is left after the solve
    (at most ``bring_in_seconds``). When that time runs out before every re-solve, the
    ones not done say ``"status": "cut_short"`` and ``explanations_cut_short`` is True.
    """
    t0 = time.perf_counter() if started is None else started
    deadline = t0 + time_limit
    p = with_prerequisites(p)  # as the solver sees it (it does the same, idempotent)
    left = max(deadline - time.perf_counter(), MIN_SECONDS)
    found = solver.solve(p, time_limit=left, mip_rel_gap=mip_rel_gap)
    if found.status == "infeasible":
        return replace(found, solve_seconds=time.perf_counter() - t0)
    chosen = set(found.selected)
    x = np.array([1.0 if pid in chosen else 0.0 for pid in p.ids])
    shifts = np.array([found.start_shift.get(pid, 0) for pid in p.ids], dtype=int)
    excluded = explain_exclusions(
        p,
        x,
        shifts=shifts,
        bring_in=bring_in,
        seconds=bring_in_seconds,
        deadline=deadline,
        objective=found.objective,
        resolve=_resolve,
    )
    cut = any((e["bring_in"] or {}).get("status") == CUT_SHORT for e in excluded)
    return replace(
        found,
        excluded=excluded,
        solve_seconds=time.perf_counter() - t0,
        explanations_cut_short=cut,
    )


MIN_SECONDS = 0.05  # the least a solve is given, even when the clock has run out


def _resolve(p: Problem, seconds: float) -> Selection:
    """The re-solve that prices a bring-in: the selection only (no reasons of its own)."""
    return solver.solve(p, time_limit=seconds)


# ----------------------------------------------------------------------------- documents


def optimize_document(
    snapshot: Any,
    whatif: WhatIf,
    *,
    extra_projects: pd.DataFrame | None = None,
    extra_allocations: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The CLI's ``optimize`` JSON (DESIGN section 7), plus ``start_shift`` (months each
    deferred project starts later), ``bound``, each exclusion's ``bring_in`` and
    ``yearly_budget`` (the limits per year, {"2027": limit}; {} when none),
    ``explanations_cut_short`` (the time limit stopped the bring-in re-solves) and
    ``forced`` (the projects that must be selected, by why: :func:`forced_kinds`),
    ``project_value`` and ``project_cost`` (each candidate's value and cost as the
    optimiser counted them).
    ``whatif.weights`` (objective_id -> weight) replaces the snapshot's own objective
    weights; ``extra_projects`` and ``extra_allocations`` add candidates
    (:func:`snapshot_problem`)."""
    started = time.perf_counter()  # the time limit counts the problem's building too
    p = snapshot_problem(
        snapshot, whatif, extra_projects=extra_projects, extra_allocations=extra_allocations
    )
    s = solve(p, time_limit=whatif.time_limit, bring_in=whatif.bring_in, started=started)
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
        "budget": whatif.budget,
        "yearly_budget": {str(y): v for y, v in whatif.yearly_budget},
        "value": whatif.value,
        "capacity": whatif.capacity,
        "time_limit": whatif.time_limit,
        "violations": s.violations,
        "solve_seconds": round(s.solve_seconds, 3),
        "explanations_cut_short": s.explanations_cut_short,
        "forced": forced_kinds(_with_extra(snapshot, extra_projects), whatif),
        "project_value": {pid: round(float(v), 6) for pid, v in zip(p.ids, p.value, strict=True)},
        "project_cost": {pid: float(c) for pid, c in zip(p.ids, p.cost, strict=True)},
    }


def _with_extra(snapshot: Any, extra_projects: pd.DataFrame | None) -> pd.DataFrame:
    projects = snapshot.frames["projects"]
    if extra_projects is None or not len(extra_projects):
        return projects
    return pd.concat([projects, extra_projects], ignore_index=True)


def frontier_and_ranking(
    snapshot: Any, whatif: WhatIf, *, points: int = 12, time_limit: float = 0.7
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficient frontier and the ranking curve of a snapshot (the What-if chart),
    under ``whatif.frontier_rules()``: capacity and its scale, keep running, forced in
    and out, a named weighting, yearly limits (which stay fixed while the total moves);
    ``time_limit`` seconds per level."""
    p = snapshot_problem(snapshot, whatif.frontier_rules())
    return efficient_frontier(p, points, time_limit), ranking_curve(p)


def frontier_document(snapshot: Any, whatif: WhatIf, *, points: int = 20) -> dict[str, Any]:
    """The CLI's ``frontier`` JSON: one point per budget level (yearly limits fixed)."""
    problem = snapshot_problem(snapshot, whatif.frontier_rules())
    df = efficient_frontier(problem, points)
    df = df.drop(columns="seconds")
    rows = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    return {
        "snapshot_id": snapshot.snapshot_id,
        "value": whatif.value,
        "capacity": whatif.capacity,
        "points": rows,
    }
