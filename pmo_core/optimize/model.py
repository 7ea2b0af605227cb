"""The what-if's model: the selection problem, its HiGHS columns and rows, greedy fills.

``Problem`` holds values, costs, budget, capacity rows and logical rules; ``build_model``
turns it into columns (project, start shift) and rows lo <= A z <= hi (``Model``) that the
solver (``solver``), the explanations (``explain``) and the frontier (``frontier``) share,
with the helpers they use on it (``forced_start``, ``fill``, ``by_ratio``, ``feasible``,
``per_project``, ``with_prerequisites``, ``demand_columns``, ``year_costs``...), and
``start_from``: a given selection (the base answer) as a start for a changed problem.
``greedy`` is the value/cost ranking shown beside the answer; ``violations`` says which
constraint a selection breaks and by how much.

Yearly limits: a project's cost is spread over calendar years pro rata of its days in
each year of ``Problem.spans`` (first and last day, inclusive); a start shift of s months
moves both days s months later (``year_costs``). One row per limited year.

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=7.0)
    >>> greedy(p).tolist()  # by value per cost: A (2.0), then C (2.0) and B (1.75) do not fit
    [1.0, 0.0, 0.0]
    >>> violations(p, np.array([1.0, 1, 0]))[0]["excess"]
    2.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import sparse

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
    reasons_params: dict[str, dict[str, Any]] = field(default_factory=dict)  # their params
    windows: dict[str, int] = field(default_factory=dict)  # latest start shift (months)
    # Yearly limits: year -> most the selection may cost in it; spans[p] = (first, last
    # day) of the period project p's cost is spread over (datetime64[D]; equal days: all
    # of it in that day's year). Needed only when year_limit is given.
    year_limit: dict[int, float] = field(default_factory=dict)
    spans: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype="datetime64[D]"))


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
    explanations_cut_short: bool = False  # the time limit stopped the bring-in re-solves


# ----------------------------------------------------------------------------- the model


@dataclass
class Model:
    """Columns are (project, start shift) options; rows lo <= A z <= hi.

    Row 0 is the budget; then the capacity rows kept (``cap_rows`` of ``Problem.demand``),
    then one row per limited year (``year_rows``, years in ascending order), then one row
    per project with a window (at most one start), dependencies and groups.
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
    year_rows: int = 0  # yearly budget rows, right after the capacity rows


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


def demand_columns(p: Problem, proj: np.ndarray, shift: np.ndarray) -> np.ndarray:
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


def _shift_days(days: np.ndarray, months: int) -> np.ndarray:
    """Dates (datetime64[D]) ``months`` later, the day clipped to the month's length
    (31 January + 1 month = 28 or 29 February)."""
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(int)
    target = month + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(int)
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


def year_costs(p: Problem, proj: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Cost of each option in each limited year (years ascending x options): the project's
    cost times the share of its span's days (first and last included) in that year, the
    span moved ``shift`` months later."""
    years = sorted(p.year_limit)
    out = np.zeros((len(years), len(proj)))
    if not years or not len(proj):
        return out
    spans = np.asarray(p.spans, dtype="datetime64[D]")
    for s in np.unique(shift):
        cols = np.flatnonzero(shift == s)
        first = _shift_days(spans[proj[cols], 0], int(s))
        last = np.maximum(_shift_days(spans[proj[cols], 1], int(s)), first)
        total = (last - first).astype(int) + 1
        for k, y in enumerate(years):
            lo = np.maximum(first, np.datetime64(f"{y}-01-01", "D"))
            hi = np.minimum(last, np.datetime64(f"{y}-12-31", "D"))
            days = np.maximum((hi - lo).astype(int) + 1, 0)
            out[k, cols] = p.cost[proj[cols]] * days / total
    return out


def build_model(p: Problem) -> Model:
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
        d = demand_columns(p, proj, shift)
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
    year_rows = len(p.year_limit)
    if year_rows:
        blocks.append(sparse.csr_matrix(year_costs(p, proj, shift)))
        lo += [-INF] * year_rows
        hi += [float(p.year_limit[y]) for y in sorted(p.year_limit)]
    forced_rows: list[int] = []
    rows: list[tuple[dict[int, float], float, float]] = []
    for i in np.flatnonzero(k > 0):
        cols = np.flatnonzero(proj == i)
        if forced[i]:
            forced_rows.append(1 + len(cap_rows) + year_rows + len(rows))
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
    return Model(
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
        year_rows,
    )


def forced_start(mo: Model) -> np.ndarray:
    """Forced projects at their planned start."""
    z = mo.lb.copy()
    for r in mo.forced_rows:
        row = mo.a.getrow(r) if hasattr(mo.a, "getrow") else mo.a[r]
        z[row.indices[np.argmin(row.indices)]] = 1.0
    return z


def fill(mo: Model, z: np.ndarray, order: np.ndarray) -> np.ndarray:
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


def by_ratio(mo: Model, weight: np.ndarray) -> np.ndarray:
    """Options by value per weight (ties: earlier start first)."""
    ratio = mo.value / np.where(weight > 0, weight, 1e-9)
    return np.lexsort((mo.shift, -ratio))


def greedy_options(mo: Model) -> np.ndarray:
    return fill(mo, forced_start(mo), by_ratio(mo, np.asarray(mo.a[[0]].todense()).ravel()))


def start_from(mo: Model, ids: list[str], start: Mapping[str, int]) -> np.ndarray:
    """A given selection (project id -> start shift in months, e.g. the base answer's)
    as a starting solution of ``mo``, whose draw may differ from the one it was found on.

    When the selection, with ``mo``'s forced projects, keeps every row, it is the start,
    topped up by value per cost. Otherwise it is repaired: the forced projects, then the
    selection's projects by value per cost while every row holds, then the others. A
    project ``mo`` has no option for (forced out) is left out; a shift it lacks becomes
    its earliest allowed start.

    Examples:
        >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
        ...             cost=np.array([5.0, 4, 3]), budget=7.0)
        >>> mo = build_model(p)
        >>> start_from(mo, p.ids, {"B": 0, "C": 0}).tolist()  # fits (7 <= 7): as given
        [0.0, 1.0, 1.0]
        >>> mo = build_model(replace(p, budget=6.5))  # B + C = 7 > 6.5: C (2.0) kept, B not
        >>> start_from(mo, p.ids, {"B": 0, "C": 0}).tolist()
        [0.0, 0.0, 1.0]
    """
    index = {pid: i for i, pid in enumerate(ids)}
    z = np.zeros(len(mo.proj))
    for pid, s in start.items():
        i = index.get(pid)
        if i is None:
            continue
        cols = np.flatnonzero((mo.proj == i) & (mo.ub > 0.5))
        if len(cols):
            at = cols[mo.shift[cols] == int(s)]
            z[at[0] if len(at) else cols[0]] = 1.0
    forced = forced_start(mo)
    taken = np.zeros(len(ids), dtype=bool)
    taken[mo.proj[z > 0.5]] = True
    z[(forced > 0.5) & ~taken[mo.proj]] = 1.0
    order = by_ratio(mo, np.asarray(mo.a[[0]].todense()).ravel())
    if feasible(mo, z):
        return fill(mo, z, order)
    given = z[order] > 0.5
    return fill(mo, forced, np.concatenate([order[given], order[~given]]))


def greedy(p: Problem) -> np.ndarray:
    """Forced projects, then the rest by value per cost while every constraint holds
    (at the first start that fits); 0/1 per project."""
    mo = build_model(p)
    return per_project(mo, greedy_options(mo), len(p.ids))[0]


def per_project(mo: Model, z: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    x, s = np.zeros(n), np.zeros(n, dtype=int)
    on = np.flatnonzero(z > 0.5)
    x[mo.proj[on]] = 1.0
    s[mo.proj[on]] = mo.shift[on]
    return x, s


def feasible(mo: Model, z: np.ndarray) -> bool:
    r = mo.a @ z
    return bool(np.all(r <= mo.hi + 1e-6) and np.all(r >= mo.lo - 1e-6))


def with_prerequisites(p: Problem) -> Problem:
    """Forced projects force what they depend on (so that a clash is reported at once)."""
    forced = set(p.forced_in) - p.forced_out
    grow = True
    while grow:
        more = {b for a, b in p.depends if a in forced and b in p.ids} - forced
        grow = bool(more)
        forced |= more
    return p if forced == p.forced_in else replace(p, forced_in=forced)


def row_use(p: Problem, x: np.ndarray, shifts: np.ndarray | None) -> np.ndarray:
    """Hours per capacity row used by the selection ``x`` started at ``shifts``."""
    if not p.demand.size:
        return np.zeros(0)
    idx = np.flatnonzero(x > 0.5)
    s = np.zeros(len(idx), dtype=int) if shifts is None else np.asarray(shifts)[idx]
    return demand_columns(p, idx, s).sum(axis=1)


def year_use(p: Problem, x: np.ndarray, shifts: np.ndarray | None) -> np.ndarray:
    """Cost per limited year (ascending) of the selection ``x`` started at ``shifts``."""
    idx = np.flatnonzero(x > 0.5)
    s = np.zeros(len(idx), dtype=int) if shifts is None else np.asarray(shifts, dtype=int)[idx]
    return year_costs(p, idx, s).sum(axis=1)


def violations(p: Problem, x: np.ndarray, shifts: np.ndarray | None = None) -> list[dict[str, Any]]:
    """Constraints that ``x`` breaks, with by how much (budget, budget of a year
    (``budget_year`` with its ``year``) and capacity)."""
    out = []
    spent = float(p.cost @ x)
    if spent > p.budget + 1e-6:
        out.append(
            {"constraint": "budget", "limit": p.budget, "used": spent, "excess": spent - p.budget}
        )
    if p.year_limit:
        for y, u in zip(sorted(p.year_limit), year_use(p, x, shifts), strict=True):
            limit = float(p.year_limit[y])
            if u > limit + 1e-6:
                out.append(
                    {
                        "constraint": "budget_year",
                        "year": int(y),
                        "limit": limit,
                        "used": float(u),
                        "excess": float(u - limit),
                    }
                )
    if p.demand.size:
        used = row_use(p, x, shifts)
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
