"""Capacity against demand per role (or resource) and month (DESIGN section 4).

demand(role, month) = sum of allocation hours (allocations that name a resource count
for that resource's role); capacity(role, month) = the Capacity sheet where it gives the
pair, else the sum of the role's resources' monthly hours; utilisation = demand /
capacity, over-allocated above 100 %. A month with demand and no capacity is never a
division by zero: utilisation is NaN and ``unbounded`` is True ("no capacity").

Columns:
    utilisation_by_role_month(...) -> role, month, demand_hours, capacity_hours,
        utilisation (ratio), unbounded, over
    utilisation_by_resource_month(...) -> resource_id, name, role, month, demand_hours,
        capacity_hours, utilisation, unbounded, over
    resource_labels(load) -> the load + label ("R1 · Ana")
    project_hours(...) -> role, month, project_id, hours (one row per cell and project)
    cell_projects(...) -> project_id, hours (largest first)
    overallocations(...) -> the over rows of a load + excess_hours, top_projects

Examples:
    >>> a = pd.DataFrame({"project_id": ["P"], "role": ["Dev"], "resource_id": [None],
    ...                   "month": [pd.Timestamp("2026-01-01")], "hours": [150.0]})
    >>> r = pd.DataFrame({"resource_id": ["R1"], "role": ["Dev"],
    ...                   "capacity_hours_per_month": [100.0]})
    >>> utilisation_by_role_month(a, r, pd.DataFrame(columns=["role", "month",
    ...     "capacity_hours"]))["utilisation"].tolist()
    [1.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def with_roles(allocations: pd.DataFrame, resources: pd.DataFrame) -> pd.DataFrame:
    """Allocations with their role filled from the named resource where missing."""
    a = allocations.copy()
    if "resource_id" in a and len(resources):
        role_of = resources.set_index("resource_id")["role"]
        a["role"] = a["role"].fillna(a["resource_id"].map(role_of))
    return a


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    cap = df["capacity_hours"].fillna(0.0)
    df["capacity_hours"] = cap
    df["demand_hours"] = df["demand_hours"].fillna(0.0)
    df["utilisation"] = df["demand_hours"] / cap.where(cap > 0)
    df["unbounded"] = (df["demand_hours"] > 0) & (cap <= 0)
    df["over"] = (df["utilisation"] > 1.0) | df["unbounded"]
    return df


def restrict(
    load: pd.DataFrame,
    horizon: tuple[Any, Any] | None = None,
    roles: list[str] | None = None,
) -> pd.DataFrame:
    """The rows of a load within the horizon (months from, to; either may be None) and,
    when ``roles`` is not empty, of those roles."""
    mask = pd.Series(True, index=load.index)
    if horizon is not None:
        lo, hi = (pd.Timestamp(h) if h is not None else None for h in horizon)
        if lo is not None:
            mask &= load["month"] >= lo
        if hi is not None:
            mask &= load["month"] <= hi
    if roles:
        mask &= load["role"].isin(list(roles))
    return load[mask]


def utilisation_by_role_month(
    allocations: pd.DataFrame,
    resources: pd.DataFrame,
    capacity: pd.DataFrame,
    horizon: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """Demand, capacity and utilisation for every role and month with demand or capacity."""
    a = with_roles(allocations, resources)
    demand = a.groupby(["role", "month"], as_index=False)["hours"].sum()
    demand = demand.rename(columns={"hours": "demand_hours"})
    months = pd.Index(demand["month"].unique()).union(pd.Index(capacity["month"].unique()))
    per_role = resources.groupby("role")["capacity_hours_per_month"].sum()
    from_resources = pd.DataFrame(
        [(r, m, h) for r, h in per_role.items() for m in months],
        columns=["role", "month", "capacity_hours"],
    )
    sheet = capacity[["role", "month", "capacity_hours"]]
    cap = pd.concat([sheet, from_resources], ignore_index=True)
    cap = cap.drop_duplicates(["role", "month"], keep="first")  # the sheet wins
    cap["month"] = pd.to_datetime(cap["month"]).astype("datetime64[ms]")
    demand["month"] = pd.to_datetime(demand["month"]).astype("datetime64[ms]")
    out = demand.merge(cap, on=["role", "month"], how="outer")
    out = _finish(restrict(out, horizon).copy())
    return out.sort_values(["role", "month"]).reset_index(drop=True)


def utilisation_by_resource_month(
    allocations: pd.DataFrame,
    resources: pd.DataFrame,
    horizon: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """The same per resource, over allocations that name a resource."""
    a = allocations.dropna(subset=["resource_id"])
    demand = a.groupby(["resource_id", "month"], as_index=False)["hours"].sum()
    demand = demand.rename(columns={"hours": "demand_hours"})
    res = resources[["resource_id", "name", "role", "capacity_hours_per_month"]]
    out = demand.merge(res, on="resource_id", how="left")
    out = out.rename(columns={"capacity_hours_per_month": "capacity_hours"})
    out = _finish(restrict(out, horizon).copy())
    return out.sort_values(["resource_id", "month"]).reset_index(drop=True)


def resource_labels(load: pd.DataFrame) -> pd.DataFrame:
    """A per-resource load with a ``label`` column, ``resource_id · name`` (the heat map's
    rows).

    Examples:
        >>> resource_labels(pd.DataFrame({"resource_id": ["R1", "R2"],
        ...                               "name": ["Ana", None]}))["label"].tolist()
        ['R1 · Ana', 'R2 · ']
    """
    return load.assign(label=load["resource_id"].astype(str) + " · " + load["name"].fillna(""))


def busiest_resources(load: pd.DataFrame, n: int = 30) -> list[str]:
    """The ``n`` resources of a per-resource load with the highest peak utilisation
    (a resource with demand and no capacity first), ties by resource id."""
    if load.empty:
        return []
    peak = (
        load.assign(u=load["utilisation"].where(~load["unbounded"], np.inf).fillna(0.0))
        .groupby("resource_id")["u"]
        .max()
    )
    ranked = peak.reset_index().sort_values(["u", "resource_id"], ascending=[False, True])
    return ranked["resource_id"].head(n).astype(str).tolist()


def project_hours(allocations: pd.DataFrame, resources: pd.DataFrame) -> pd.DataFrame:
    """Hours per role, month and project, largest first within a cell (computed once per
    snapshot, it answers every cell's question without touching the allocations again)."""
    a = with_roles(allocations, resources)
    out = a.groupby(["role", "month", "project_id"], as_index=False)["hours"].sum()
    out = out.sort_values(
        ["role", "month", "hours", "project_id"], ascending=[True, True, False, True]
    )
    return out.reset_index(drop=True)


def cell_projects(
    allocations: pd.DataFrame | None,
    resources: pd.DataFrame | None,
    role: str,
    month: Any,
    by_project: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The projects behind one role-month cell, largest demand first (``by_project``:
    :func:`project_hours`, when already computed)."""
    if by_project is None:
        assert allocations is not None and resources is not None
        by_project = project_hours(allocations, resources)
    m = by_project[(by_project["role"] == role) & (by_project["month"] == pd.Timestamp(month))]
    out = m[["project_id", "hours"]].sort_values("hours", ascending=False, kind="stable")
    return out.reset_index(drop=True)


def resource_cell_projects(allocations: pd.DataFrame, resource_id: str, month: Any) -> pd.DataFrame:
    """The projects behind one resource-month cell, largest demand first."""
    a = allocations[
        (allocations["resource_id"] == resource_id) & (allocations["month"] == pd.Timestamp(month))
    ]
    out = a.groupby("project_id", as_index=False)["hours"].sum()
    return out.sort_values(["hours", "project_id"], ascending=[False, True]).reset_index(drop=True)


def overallocations(
    load: pd.DataFrame,
    allocations: pd.DataFrame | None,
    resources: pd.DataFrame | None,
    by_project: pd.DataFrame | None = None,
    top: int = 3,
) -> pd.DataFrame:
    """Over-allocated cells with the excess and the ``top`` largest projects behind each."""
    over = load[load["over"]].copy()
    if by_project is None:
        assert allocations is not None and resources is not None
        by_project = project_hours(allocations, resources)
    b = by_project.merge(over[["role", "month"]], on=["role", "month"])
    b = b.sort_values("hours", ascending=False, kind="stable")
    b = b[b.groupby(["role", "month"]).cumcount() < top]
    b = b.assign(
        label=b["project_id"].astype(str) + " (" + b["hours"].round(0).map("{:.0f}".format) + " h)"
    )
    names = b.groupby(["role", "month"])["label"].agg(", ".join).rename("top_projects")
    over["excess_hours"] = over["demand_hours"] - over["capacity_hours"]
    over = over.merge(names, left_on=["role", "month"], right_index=True, how="left")
    return over.sort_values("excess_hours", ascending=False).reset_index(drop=True)


def demand_matrix(
    allocations: pd.DataFrame, resources: pd.DataFrame, from_month: Any = None
) -> pd.DataFrame:
    """Hours per project (rows) and (role, month) (columns), from ``from_month`` on."""
    a = with_roles(allocations, resources)
    if from_month is not None:
        a = a[a["month"] >= pd.Timestamp(from_month)]
    return a.pivot_table(
        index="project_id", columns=["role", "month"], values="hours", aggfunc="sum", fill_value=0.0
    )


def capacity_document(snapshot: Any, by: str = "role") -> dict[str, Any]:
    """The CLI's ``capacity`` JSON (DESIGN section 7)."""
    f = snapshot.frames
    if by == "resource":
        load = utilisation_by_resource_month(f["allocations"], f["resources"])
        keys = ["resource_id", "role"]
    else:
        load = utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
        keys = ["role"]
    rows = load[[*keys, "month", "demand_hours", "capacity_hours", "utilisation"]].copy()
    rows["month"] = rows["month"].dt.strftime("%Y-%m-%d")
    rows = rows.astype(object).where(rows.notna(), None)
    return {
        "snapshot_id": snapshot.snapshot_id,
        "as_of": snapshot.as_of,
        "by": by,
        "rows": rows.to_dict(orient="records"),
        "over_allocated": int(load["over"].sum()),
        "roles_over": sorted(set(load.loc[load["over"], keys[-1]].astype(str)))
        if by == "role"
        else None,
    }


def peak_utilisation(load: pd.DataFrame) -> float:
    """The highest finite utilisation of a load (NaN when none)."""
    u = load["utilisation"].replace([np.inf, -np.inf], np.nan)
    return float(u.max()) if u.notna().any() else float("nan")


def project_hours_by_role(
    allocations: pd.DataFrame, resources: pd.DataFrame, project_id: str
) -> pd.DataFrame:
    """One project's planned hours: index role, one column per month (ascending), a
    ``total`` column last; roles taken from named resources where the row has none.

    Examples:
        >>> a = pd.DataFrame({"project_id": ["P", "P", "Q"], "role": ["Dev", "Dev", "Dev"],
        ...     "resource_id": [None] * 3, "hours": [10.0, 5.0, 99.0],
        ...     "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-01"])})
        >>> project_hours_by_role(a, pd.DataFrame(columns=["resource_id", "role"]), "P")
        ... # doctest: +NORMALIZE_WHITESPACE
             2026-01-01  2026-02-01  total
        role
        Dev        10.0         5.0   15.0
    """
    a = with_roles(allocations[allocations["project_id"] == project_id], resources)
    a = a.assign(role=a["role"].fillna("?"), month=pd.to_datetime(a["month"]))
    table = a.pivot_table(
        index="role", columns="month", values="hours", aggfunc="sum", fill_value=0.0
    )
    table = table.sort_index(axis=1)
    table.columns = [c.date().isoformat() for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False)
