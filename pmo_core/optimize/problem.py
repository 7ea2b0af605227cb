"""The what-if's problem from a snapshot's tables: candidates, values, costs, rules, rows.

``build_problem`` turns canonical Projects, alignment scores, the demand matrix and
capacity into a :class:`~pmo_core.optimize.model.Problem` (DESIGN section 4): the
candidates (``candidates``: proposed, approved, in progress, on hold), their value
(alignment score or expected benefit) and cost (budget, or remaining budget), forced
projects, dependencies, exclusive groups, start windows, capacity rows per (role, month)
from the as-of month on, and the yearly limits with each project's cost spread over its
days (``_spans``). ``snapshot_problem`` does it for a snapshot and a ``WhatIf``.

Examples:
    >>> projects = pd.DataFrame({
    ...     "project_id": ["A", "B", "C"], "status": ["proposed", "in_progress", "completed"],
    ...     "budget": [5.0, 4, 3], "actual_cost": [0.0, 1, 3], "expected_benefit": [9.0, 6, 1],
    ...     "mandatory": [False, False, False], "depends_on": [None, None, None],
    ...     "exclusive_group": [None, None, None]})
    >>> list(candidates(projects)["project_id"])
    ['A', 'B']
    >>> p = build_problem(projects, None, budget=6, value="benefit", remaining_budget=True)
    >>> p.ids, p.cost.tolist(), sorted(p.forced_in)
    (['A', 'B'], [5.0, 3.0], ['B'])
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.kpi import alignment
from pmo_core.kpi import capacity as kpi_capacity
from pmo_core.optimize.model import INF, Problem
from pmo_core.optimize.params import WhatIf
from pmo_core.schema import CANDIDATE_STATUSES


def candidates(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects the what-if may select (status proposed, approved, in progress or on
    hold), in their order, index kept."""
    return projects[projects["status"].isin(CANDIDATE_STATUSES)]


def forced_kinds(projects: pd.DataFrame, whatif: WhatIf) -> dict[str, list[str]]:
    """The candidates that must be selected, by why: ``running`` (in progress or on hold,
    with "keep running"), ``mandatory``, ``forced_in`` (by the committee); each project
    under the first that applies, none that is forced out.

    >>> projects = pd.DataFrame({"project_id": ["A", "B", "C"],
    ...     "status": ["in_progress", "proposed", "on_hold"], "mandatory": [True, True, False]})
    >>> forced_kinds(projects, WhatIf(force_in=("B", "Z"), force_out=("C",)))
    {'running': ['A'], 'mandatory': ['B'], 'forced_in': []}
    """
    cand = candidates(projects)
    ids = cand["project_id"].astype(str)
    out = set(whatif.force_out)
    live = cand["status"].isin(["in_progress", "on_hold"]).to_numpy() & whatif.keep_running
    must = cand["mandatory"].fillna(False).astype(bool).to_numpy()
    running = [p for p in ids[live] if p not in out]
    mandatory = [p for p in ids[must & ~live] if p not in out]
    taken = set(running) | set(mandatory)
    chosen = [p for p in whatif.force_in if p in set(ids) and p not in out | taken]
    return {"running": running, "mandatory": mandatory, "forced_in": chosen}


def as_of_month(as_of: date) -> pd.Timestamp:
    """The first day of the as-of date's month (capacity rows start there)."""
    return pd.Timestamp(as_of).to_period("M").to_timestamp()


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
    cand = candidates(projects).reset_index(drop=True)
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


def snapshot_problem(
    snapshot: Any,
    whatif: WhatIf,
    *,
    extra_projects: pd.DataFrame | None = None,
    extra_allocations: pd.DataFrame | None = None,
) -> Problem:
    """The problem of a snapshot under ``whatif``: values from the snapshot's objective
    weights (or the named weighting's ``whatif.weights``), demand and capacity from its
    allocations, resources and capacity when ``whatif.capacity``. ``extra_projects``
    (rows of canonical Projects, e.g. requests) and ``extra_allocations`` (their
    allocations) add candidates."""
    f = snapshot.frames
    weights = whatif.weight_series()
    if weights is None:
        weights = alignment.objective_weights(f["objectives"], f["pairwise"]).weights
    scores = alignment.alignment_scores(
        f["alignment"], weights, f["projects"], imported=f.get("priorities")
    )
    demand = capacity = extra_demand = None
    if whatif.capacity:
        month = as_of_month(snapshot.as_of)
        demand = kpi_capacity.demand_matrix(f["allocations"], f["resources"], month)
        capacity = kpi_capacity.utilisation_by_role_month(
            f["allocations"], f["resources"], f["capacity"]
        )
        if extra_allocations is not None and len(extra_allocations):
            extra_demand = kpi_capacity.demand_matrix(extra_allocations, f["resources"], month)
    return build_problem(
        f["projects"],
        scores,
        budget=whatif.budget,
        value=whatif.value,
        demand=demand,
        capacity=capacity,
        capacity_scale=whatif.capacity_scale,
        force_in=whatif.force_in,
        force_out=whatif.force_out,
        keep_running=whatif.keep_running,
        remaining_budget=whatif.remaining,
        start_windows=whatif.windows(),
        extra_projects=extra_projects,
        extra_demand=extra_demand,
        yearly_budget=dict(whatif.yearly_budget),
        as_of=snapshot.as_of,
    )
