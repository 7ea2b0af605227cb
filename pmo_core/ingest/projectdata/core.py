"""The core entity sets -> the cockpit's tables (:func:`map_core`).

=============================================  ==========================================
ProjectData                                    cockpit
=============================================  ==========================================
Projects.ProjectId, ProjectName                projects.project_id (the GUID), name
Projects.ProjectOwnerName                      projects.manager
Projects.ProjectStartDate, ProjectFinishDate   projects.start_date, forecast_end_date
Projects.ProjectActualCost                     projects.actual_cost
Projects.ProjectPercentCompleted               projects.percent_complete
Projects.ProjectDepartments                    projects.department
Projects.EnterpriseProjectTypeName             projects.portfolio
Projects.<custom field>                        by its name: a field named like a column
                                               (Sponsor, Programme, Phase...) fills it;
                                               a mapping profile's ``tables.projects.
                                               columns`` names others
ProjectBaselines (BaselineNumber 0)            projects.budget (ProjectBaselineCost, BAC),
                                               end_date (ProjectBaselineFinishDate)
Tasks (TaskIsMilestone, not summaries)         milestones: TaskId, TaskName, forecast =
 + TaskBaselines (BaselineNumber 0)            TaskFinishDate, actual = TaskActualFinishDate,
                                               baseline = TaskBaselineFinishDate
Resources                                      resources: ResourceId, ResourceName, role =
                                               the ``role_field`` custom field, else
                                               ResourceGroup, else the name (warned);
                                               department, cost_rate (ResourceStandardRate)
ResourceTimephasedDataSet.Capacity             capacity per role and month (sum of days);
                                               a resource's hours per month = its mean
AssignmentTimephasedDataSet.AssignmentWork     allocations per project, resource, month
AssignmentBaselineTimephasedDataSet            baseline: cumulative PV at each month's end
 .AssignmentBaselineCost (BaselineNumber 0)    (planned_value), the month's own part
Risks                                          risks: RiskId, ProjectId, Title, probability
                                               = Probability / 100 (a percent), impact =
                                               Cost (money; Impact, a level, when no risk
                                               has a cost), Status, Owner, MitigationPlan
=============================================  ==========================================

Status (ProjectData has none): completed at 100 %, in progress when started (percent or
actual cost above 0), else approved. The as-of date is the export's own: the latest
ProjectStatusDate, else the latest ProjectModifiedDate (:func:`export_as_of`).
Timephased days are summed to months in DuckDB, never row by row in Python.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pmo_core.ingest.headers import canonical_column, column_label
from pmo_core.ingest.issues import Issue, Localised, warn

#: Custom fields of Projects that may fill a canonical column by their name.
CUSTOM_TARGETS = ("program", "sponsor", "phase", "description", "exclusive_group")

MISSING = {
    "ProjectBaselines": "No ProjectBaselines: projects have no budget (BAC) nor baseline "
    "finish, so PV, SV, SPI, EAC and the cost RAG are undefined.",
    "Tasks": "No Tasks: no milestones are imported.",
    "TaskBaselines": "No TaskBaselines: milestones have no baseline date and are not imported.",
    "Resources": "No Resources: allocations have no role and no capacity can be computed.",
    "ResourceTimephasedDataSet": "No ResourceTimephasedDataSet: no capacity, so "
    "utilisation and the what-if's capacity limit are undefined.",
    "AssignmentTimephasedDataSet": "No AssignmentTimephasedDataSet: no allocations, so "
    "demand per role and month is unknown.",
    "AssignmentBaselineTimephasedDataSet": "No AssignmentBaselineTimephasedDataSet: no "
    "baseline PV curve; PV is spread linearly from start to baseline finish.",
    "Risks": "No Risks: no risk register is imported.",
}
NO_PROJECTS = "No Projects entity set (with ProjectId) in this export: nothing can be imported."
NO_BASELINE_ROW = (
    "{n} projects have no baseline 0 in ProjectBaselines: their budget (BAC) and baseline "
    "finish are empty, so their EVM is undefined."
)
MILESTONES_WITHOUT_BASELINE = (
    "{n} milestones have no baseline 0 in TaskBaselines: they are not imported (a "
    "milestone's slip is measured from its baseline)."
)
ROLE_FROM_NAME = (
    "{n} resources have no {field}: each one's name is used as its role. Fill the field "
    "or choose another one."
)
NO_ROLE_FIELD = "No resource property {field} in Resources: the roles come from ResourceGroup."
CUSTOM_FIELD_USED = "Enterprise custom field {field} read as {target}."


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    """A column, or an empty one (NaN) of the frame's length when the export lacks it."""
    return df[name] if name in df else pd.Series([None] * len(df), index=df.index, dtype=object)


def _baseline_zero(df: pd.DataFrame) -> pd.DataFrame:
    if "BaselineNumber" not in df:
        return df
    return df[df["BaselineNumber"].astype("Float64").eq(0).fillna(False).astype(bool)]


def export_as_of(projects: pd.DataFrame) -> date | None:
    """The export's date: the latest ProjectStatusDate, else the latest
    ProjectModifiedDate, else None (then the import date).

    Examples:
        >>> export_as_of(pd.DataFrame({"ProjectStatusDate": pd.to_datetime(["2026-03-31", None]),
        ...     "ProjectModifiedDate": pd.to_datetime(["2026-04-02", "2026-04-05"])}))
        datetime.date(2026, 3, 31)
    """
    for prop in ("ProjectStatusDate", "ProjectModifiedDate"):
        if prop in projects:
            latest = pd.to_datetime(projects[prop]).max()
            if pd.notna(latest):
                return latest.date()
    return None


def _status(percent: pd.Series, actual: pd.Series) -> pd.Series:
    pct = pd.to_numeric(percent, errors="coerce").fillna(0.0)
    ac = pd.to_numeric(actual, errors="coerce").fillna(0.0)
    return pd.Series(
        np.where(
            pct >= 100, "completed", np.where((pct > 0) | (ac > 0), "in_progress", "approved")
        ),
        index=percent.index,
    )


def _custom_columns(
    projects: pd.DataFrame, documented: set[str], profile_columns: dict[str, Any]
) -> dict[str, str]:
    """Canonical column -> custom field of Projects: a profile's choice first, then a
    field named like one of :data:`CUSTOM_TARGETS`."""
    chosen: dict[str, str] = {}
    for column, header in profile_columns.items():
        headers = header if isinstance(header, list) else [header]
        found = [h for h in headers if h in projects.columns]
        if found:
            chosen[column] = found[0]
    for field in projects.columns:
        if field in documented or field.startswith("_") or field in chosen.values():
            continue
        target = canonical_column("projects", field)
        if target is not None and target in CUSTOM_TARGETS and target not in chosen:
            chosen[target] = field
    return chosen


def _projects(
    sets: dict[str, pd.DataFrame],
    issues: list[Issue],
    documented: set[str],
    profile: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = sets["Projects"]
    out = pd.DataFrame(
        {
            "project_id": p["ProjectId"],
            "name": _col(p, "ProjectName"),
            "manager": _col(p, "ProjectOwnerName"),
            "department": _col(p, "ProjectDepartments"),
            "portfolio": _col(p, "EnterpriseProjectTypeName"),
            "start_date": _col(p, "ProjectStartDate"),
            "forecast_end_date": _col(p, "ProjectFinishDate"),
            "actual_cost": _col(p, "ProjectActualCost"),
            "percent_complete": pd.to_numeric(_col(p, "ProjectPercentCompleted")).astype("float64"),
            "_row": p["_row"],
        }
    )
    out["status"] = _status(out["percent_complete"], out["actual_cost"])
    columns = profile.get("tables", {}).get("projects", {}).get("columns", {})
    for column, field in _custom_columns(p, documented, columns).items():
        out[column] = p[field].where(p[field].notna(), None).astype(object)
        out.loc[out[column].notna(), column] = out.loc[out[column].notna(), column].map(str)
        issues.append(
            warn(
                "Projects",
                None,
                field,
                None,
                CUSTOM_FIELD_USED,
                field=Localised(field, field),
                target=column_label("projects", column),
            )
        )
    base = sets.get("ProjectBaselines")
    if base is not None and len(base):
        b0 = _baseline_zero(base).drop_duplicates("ProjectId")
        b0 = b0.set_index("ProjectId")
        out["budget"] = out["project_id"].map(_col(b0, "ProjectBaselineCost"))
        out["end_date"] = out["project_id"].map(_col(b0, "ProjectBaselineFinishDate"))
        lacking = int((~out["project_id"].isin(b0.index)).sum())
        if lacking:
            issues.append(warn("ProjectBaselines", None, None, None, NO_BASELINE_ROW, n=lacking))
    else:
        out["budget"] = np.nan
        out["end_date"] = pd.NaT
    for c in ("start_date", "end_date", "forecast_end_date"):
        out[c] = pd.to_datetime(out[c]).dt.floor("D")
    return out, p


def _milestones(sets: dict[str, pd.DataFrame], issues: list[Issue]) -> pd.DataFrame | None:
    tasks = sets.get("Tasks")
    if tasks is None or not len(tasks) or "TaskIsMilestone" not in tasks:
        return None
    flag = tasks["TaskIsMilestone"].astype("boolean").fillna(False).astype(bool)
    for summary in ("TaskIsSummary", "TaskIsProjectSummary"):
        if summary in tasks:
            flag &= ~tasks[summary].astype("boolean").fillna(False).astype(bool)
    m = tasks[flag]
    out = pd.DataFrame(
        {
            "project_id": m["ProjectId"],
            "milestone_id": m["TaskId"],
            "name": _col(m, "TaskName"),
            "forecast_date": _col(m, "TaskFinishDate"),
            "actual_date": _col(m, "TaskActualFinishDate"),
            "_row": m["_row"],
        }
    )
    tb = sets.get("TaskBaselines")
    if tb is None or not len(tb):
        return None
    b0 = _baseline_zero(tb).drop_duplicates(["ProjectId", "TaskId"])
    key = b0.set_index(["ProjectId", "TaskId"])["TaskBaselineFinishDate"]
    idx = pd.MultiIndex.from_arrays([out["project_id"], out["milestone_id"]])
    out["baseline_date"] = key.reindex(idx).to_numpy()
    lacking = out["baseline_date"].isna()
    if bool(lacking.any()):
        issues.append(
            warn(
                "TaskBaselines", None, None, None, MILESTONES_WITHOUT_BASELINE, n=int(lacking.sum())
            )
        )
    out = out[~lacking]
    for c in ("baseline_date", "forecast_date", "actual_date"):
        out[c] = pd.to_datetime(out[c]).dt.floor("D")
    return out


def _roles(res: pd.DataFrame, role_field: str | None, issues: list[Issue]) -> pd.Series:
    group = _col(res, "ResourceGroup")
    role = group
    field = "ResourceGroup"
    if role_field:
        if role_field in res:
            role = res[role_field].where(res[role_field].notna(), group)
            field = role_field
        else:
            issues.append(
                warn(
                    "Resources",
                    None,
                    role_field,
                    None,
                    NO_ROLE_FIELD,
                    field=Localised(role_field, role_field),
                )
            )
    blank = role.isna() | role.astype(str).str.strip().eq("")
    if bool(blank.any()):
        issues.append(
            warn(
                "Resources",
                None,
                field,
                None,
                ROLE_FROM_NAME,
                n=int(blank.sum()),
                field=Localised(field, field),
            )
        )
        role = role.where(~blank, _col(res, "ResourceName"))
    return role.where(role.notna(), res["ResourceId"]).astype(str)


def _month_sums(
    frame: pd.DataFrame, keys: list[str], value: str, baseline_zero: bool = False
) -> pd.DataFrame:
    """``keys``, month, total: the sum of ``value`` per key and month of TimeByDay
    (baseline 0 only when asked), summed in DuckDB over integer codes of the keys."""
    rows = frame["TimeByDay"].notna().to_numpy().copy()
    if baseline_zero and "BaselineNumber" in frame:
        rows &= frame["BaselineNumber"].astype("Float64").eq(0).fillna(False).to_numpy(dtype=bool)
    codes, uniques = {}, {}
    for k in keys:
        codes[k], uniques[k] = pd.factorize(frame[k].to_numpy()[rows], use_na_sentinel=True)
    days = frame["TimeByDay"].to_numpy(dtype="datetime64[ns]")[rows]
    table = pd.DataFrame(
        {
            **{f"k{i}": codes[k] for i, k in enumerate(keys)},
            "m": days.astype("datetime64[M]").astype("int64"),
            "v": pd.to_numeric(frame[value].to_numpy()[rows], errors="coerce"),
        }
    )
    # no progress bar: DuckDB draws one on stdout for a long query, inside the CLI's JSON
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("t", table)
        sums = con.execute("SELECT * EXCLUDE (v), sum(v) AS total FROM t GROUP BY ALL").df()
    finally:
        con.close()
    out = pd.DataFrame(
        {
            k: np.where(
                sums[f"k{i}"] >= 0, np.asarray(uniques[k], dtype=object)[sums[f"k{i}"]], None
            )
            if len(uniques[k])
            else None
            for i, k in enumerate(keys)
        }
    )
    out["month"] = sums["m"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]")
    out["total"] = sums["total"].astype("float64")
    return out


def _resources_and_capacity(
    sets: dict[str, pd.DataFrame], role_field: str | None, issues: list[Issue]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.Series | None]:
    res = sets.get("Resources")
    if res is None or not len(res):
        return None, None, None
    role = _roles(res, role_field, issues)
    roles = pd.Series(role.to_numpy(), index=res["ResourceId"].to_numpy())
    roles = roles[~roles.index.duplicated()]
    rtd = sets.get("ResourceTimephasedDataSet")
    if rtd is None or not len(rtd) or "Capacity" not in rtd:
        return None, None, roles
    monthly = _month_sums(rtd, ["ResourceId"], "Capacity")
    per_resource = monthly.groupby("ResourceId")["total"].mean()
    out = pd.DataFrame(
        {
            "resource_id": res["ResourceId"],
            "name": _col(res, "ResourceName"),
            "role": role,
            "department": _col(res, "ResourceDepartments"),
            "cost_rate": _col(res, "ResourceStandardRate"),
            "_row": res["_row"],
        }
    )
    out["capacity_hours_per_month"] = out["resource_id"].map(per_resource)
    out = out[out["capacity_hours_per_month"].notna()]  # no calendar in the export: not a capacity
    monthly["role"] = monthly["ResourceId"].map(roles)
    capacity = (
        monthly.dropna(subset=["role"]).groupby(["role", "month"], as_index=False)["total"].sum()
    )
    capacity = capacity.rename(columns={"total": "capacity_hours"})
    return out, capacity, roles


def _allocations(
    sets: dict[str, pd.DataFrame], roles: pd.Series | None, with_resources: bool
) -> pd.DataFrame | None:
    atd = sets.get("AssignmentTimephasedDataSet")
    if atd is None or not len(atd) or "AssignmentWork" not in atd:
        return None
    monthly = _month_sums(atd, ["ProjectId", "ResourceId"], "AssignmentWork")
    monthly = monthly[monthly["total"].fillna(0) != 0]
    out = pd.DataFrame(
        {
            "project_id": monthly["ProjectId"],
            "role": monthly["ResourceId"].map(roles) if roles is not None else None,
            "resource_id": monthly["ResourceId"] if with_resources else None,
            "month": monthly["month"],
            "hours": monthly["total"].astype("float64"),
        }
    )
    if not with_resources:
        out = out.groupby(["project_id", "role", "month"], as_index=False, dropna=False)[
            "hours"
        ].sum()
    return out


def _baseline_curve(sets: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    abtd = sets.get("AssignmentBaselineTimephasedDataSet")
    if abtd is None or not len(abtd) or "AssignmentBaselineCost" not in abtd:
        return None
    monthly = _month_sums(abtd, ["ProjectId"], "AssignmentBaselineCost", baseline_zero=True)
    monthly = monthly.sort_values(["ProjectId", "month"], kind="stable").reset_index(drop=True)
    monthly["planned_value"] = monthly.groupby("ProjectId")["total"].cumsum()
    return pd.DataFrame(
        {
            "project_id": monthly["ProjectId"],
            "month": monthly["month"],
            "planned_value": monthly["planned_value"].astype("float64"),
            "planned_value_period": monthly["total"].astype("float64"),
        }
    )


def _risks(sets: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    r = sets.get("Risks")
    if r is None or not len(r):
        return None
    cost = pd.to_numeric(_col(r, "Cost"), errors="coerce")
    impact = cost if bool(cost.notna().any()) else pd.to_numeric(_col(r, "Impact"), errors="coerce")
    status = _col(r, "Status").astype("string").str.replace(r"^\(\d+\)\s*", "", regex=True)
    return pd.DataFrame(
        {
            "risk_id": r["RiskId"],
            "project_id": r["ProjectId"],
            "title": _col(r, "Title"),
            "probability": pd.to_numeric(_col(r, "Probability"), errors="coerce") / 100.0,
            "impact": impact,
            "status": status.astype(object).where(status.notna(), None),
            "owner": _col(r, "Owner"),
            "mitigation": _col(r, "MitigationPlan"),
            "_row": r["_row"],
        }
    )


def map_core(
    sets: dict[str, pd.DataFrame],
    *,
    role_field: str | None = None,
    profile: dict[str, Any] | None = None,
    documented: set[str] | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Issue], date | None]:
    """The cockpit's tables from the typed core sets, the issues (what is missing and
    what that costs) and the export's as-of date. ``role_field``: the resource custom
    field holding the role; ``profile``: a mapping profile whose ``tables.projects.
    columns`` choose custom fields (``{"sponsor": "Commanditaire"}``); ``documented``:
    the documented properties of Projects (the others are custom fields)."""
    issues: list[Issue] = []
    projects = sets.get("Projects")
    if projects is None or "ProjectId" not in projects or not len(projects):
        return {}, [Issue("error", "Projects", None, None, None, NO_PROJECTS)], None
    for name, message in MISSING.items():
        if name not in sets:
            issues.append(warn(name, None, None, None, message))
    tables: dict[str, pd.DataFrame] = {}
    tables["projects"], _ = _projects(sets, issues, documented or set(), profile or {})
    for name, frame in (
        ("milestones", _milestones(sets, issues)),
        ("risks", _risks(sets)),
        ("baseline", _baseline_curve(sets)),
    ):
        if frame is not None:
            tables[name] = frame
    resources, capacity, roles = _resources_and_capacity(sets, role_field, issues)
    if resources is not None:
        tables["resources"] = resources
    if capacity is not None:
        tables["capacity"] = capacity
    allocations = _allocations(sets, roles, resources is not None)
    if allocations is not None:
        tables["allocations"] = allocations
    return tables, issues, export_as_of(projects)
