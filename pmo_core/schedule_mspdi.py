"""MS Project XML (MSPDI, "Save as XML"): one file = one project.

- Project row from the project summary task (UID 0 / OutlineLevel 0): budget = its
  baseline 0 cost, actual cost, % complete, start, baseline finish, forecast finish
  (Finish), status from progress. Without a summary task the leaf tasks are summed
  (summary tasks never: their figures already hold their children's). Without a
  baseline the current cost and finish stand in, with a warning.
- Milestones: tasks with ``Milestone=1``; baseline = baseline 0 finish, forecast =
  Finish, actual = ActualFinish; id = task UID (stable across versions of the file).
- Resources: work resources; role = Group (else the name, warned), rate =
  StandardRate (per hour), monthly hours = MaxUnits x hours per day x days per month
  of the project (MinutesPerDay, DaysPerMonth; 8 h x 20 d by default).
- Allocations by resource and month: the assignment's timephased work (actual +
  remaining) where the file has it, else its Work spread evenly over its working days
  (Mon-Fri).
- Status report at the status date from the summary's BCWS / BCWP / ACWP, when given.

MSPDI writes money in hundredths (``<Cost>12345</Cost>`` is 123.45) and work as ISO
durations (``PT8H0M0S``). Issues are located by XML element (Task, Resource,
Assignment) and, for tasks, the task ID (the row number MS Project shows).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Any

import pandas as pd

from pmo_core import schedule_common as sc
from pmo_core.ingest import Issue

NS = "{http://schemas.microsoft.com/project}"
WORK_RESOURCE = "1"
TIMEPHASED_WORK = ("1", "2")  # assignment remaining work, assignment actual work

NO_BASELINE = (
    "The file has no baseline 0: the budget is the current cost and the baseline finish "
    "the current finish. Set a baseline in MS Project for cost and schedule variances."
)
NO_BASELINE_MILESTONE = "Milestone without a baseline finish: its current finish is used."
RESOURCE_WITHOUT_GROUP = (
    "{n} resources have no Group: each one's name is used as its role. Fill the Group "
    "column in MS Project's Resource Sheet."
)
DUPLICATE_RESOURCE = "Two resources have this name: the first one is kept."
NO_TASKS = "The file holds no tasks."


def _text(e: ET.Element | None, tag: str) -> str | None:
    if e is None:
        return None
    c = e.find(NS + tag)
    if c is None or c.text is None or not c.text.strip():
        return None
    return c.text.strip()


def _num(e: ET.Element | None, tag: str) -> float:
    v = _text(e, tag)
    try:
        return float(v) if v is not None else float("nan")
    except ValueError:
        return float("nan")


def _money(e: ET.Element | None, tag: str) -> float:
    return _num(e, tag) / 100


def _date(v: str | None) -> pd.Timestamp:
    if not v:
        return pd.NaT
    try:
        return pd.Timestamp(datetime.fromisoformat(v))
    except ValueError:
        return pd.NaT


def _baseline(task: ET.Element) -> ET.Element | None:
    for b in task.findall(NS + "Baseline"):
        if _text(b, "Number") in ("0", None):
            return b
    return None


def _tasks(root: ET.Element) -> pd.DataFrame:
    rows = []
    for t in root.iterfind(f"{NS}Tasks/{NS}Task"):
        b = _baseline(t)
        rows.append(
            {
                "uid": _text(t, "UID"),
                "id": _text(t, "ID"),
                "name": _text(t, "Name"),
                "level": _num(t, "OutlineLevel"),
                "summary": _text(t, "Summary") == "1",
                "milestone": _text(t, "Milestone") == "1",
                "null": _text(t, "IsNull") == "1",
                "start": _date(_text(t, "Start")),
                "finish": _date(_text(t, "Finish")),
                "actual_finish": _date(_text(t, "ActualFinish")),
                "duration": sc.duration_hours(_text(t, "Duration")),
                "pct": _num(t, "PercentComplete"),
                "cost": _money(t, "Cost"),
                "actual_cost": _money(t, "ActualCost"),
                "remaining_cost": _money(t, "RemainingCost"),
                "bcws": _money(t, "BCWS"),
                "bcwp": _money(t, "BCWP"),
                "acwp": _money(t, "ACWP"),
                "has_ev": t.find(NS + "BCWS") is not None,
                "has_baseline": b is not None,
                "baseline_cost": _money(b, "Cost"),
                "baseline_start": _date(_text(b, "Start")),
                "baseline_finish": _date(_text(b, "Finish")),
            }
        )
    return pd.DataFrame(rows)


def _project_row(
    root: ET.Element, tasks: pd.DataFrame, project_id: str, issues: list[Issue]
) -> dict[str, Any]:
    is_root = (tasks["uid"] == "0") | (tasks["level"] == 0)
    leaves = tasks[~tasks["summary"] & ~tasks["null"] & ~is_root]
    header_start = _date(_text(root, "StartDate"))
    header_finish = _date(_text(root, "FinishDate"))
    if is_root.any():
        s = tasks[is_root].iloc[0]
        fig = {
            "start": s["start"],
            "forecast": s["finish"],
            "pct": s["pct"],
            "ac": s["actual_cost"],
            "etc": s["remaining_cost"],
            "cost": s["cost"],
            "bcws": s["bcws"],
            "bcwp": s["bcwp"],
            "acwp": s["acwp"],
            "has_ev": bool(s["has_ev"]),
            "has_baseline": bool(s["has_baseline"]),
            "budget": s["baseline_cost"],
            "baseline_start": s["baseline_start"],
            "baseline_finish": s["baseline_finish"],
        }
        name = s["name"] if isinstance(s["name"], str) else None
    else:
        weight = leaves["duration"].fillna(0)
        pct = (leaves["pct"].fillna(0) * weight).sum() / weight.sum() if weight.sum() else 0.0
        fig = {
            "start": leaves["start"].min(),
            "forecast": leaves["finish"].max(),
            "pct": pct,
            "ac": leaves["actual_cost"].sum(min_count=1),
            "etc": leaves["remaining_cost"].sum(min_count=1),
            "cost": leaves["cost"].sum(min_count=1),
            "bcws": leaves["bcws"].sum(min_count=1),
            "bcwp": leaves["bcwp"].sum(min_count=1),
            "acwp": leaves["acwp"].sum(min_count=1),
            "has_ev": bool(leaves["has_ev"].any()),
            "has_baseline": bool(leaves["has_baseline"].any()),
            "budget": leaves["baseline_cost"].sum(min_count=1),
            "baseline_start": leaves["baseline_start"].min(),
            "baseline_finish": leaves["baseline_finish"].max(),
        }
        name = None
    if pd.isna(fig["start"]):
        fig["start"] = header_start
    if pd.isna(fig["forecast"]):
        fig["forecast"] = header_finish
    if not fig["has_baseline"] or pd.isna(fig["budget"]):
        issues.append(sc.issue("warning", "Baseline", None, "Number", "0", NO_BASELINE))
        fig["budget"] = fig["cost"]
    if pd.isna(fig["baseline_finish"]):
        fig["baseline_finish"] = fig["forecast"]
    file_name = _text(root, "Name")
    fig["name"] = (
        _text(root, "Title") or name or (project_id_from(file_name) if file_name else project_id)
    )
    fig["activities"] = len(leaves)
    return fig


def _milestones(tasks: pd.DataFrame, project_id: str, issues: list[Issue]) -> pd.DataFrame:
    m = tasks[tasks["milestone"] & ~tasks["summary"] & ~tasks["null"] & (tasks["uid"] != "0")]
    missing = m["baseline_finish"].isna()
    sc.capped(
        [
            sc.issue("warning", "Task", _int(r["id"]), "Baseline", r["name"], NO_BASELINE_MILESTONE)
            for r in m[missing].to_dict("records")
        ],
        issues,
    )
    return pd.DataFrame(
        {
            "project_id": project_id,
            "milestone_id": m["uid"],
            "name": m["name"],
            "baseline_date": m["baseline_finish"].fillna(m["finish"]),
            "forecast_date": m["finish"],
            "actual_date": m["actual_finish"],
        }
    )


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _resources(root: ET.Element, issues: list[Issue]) -> pd.DataFrame:
    minutes_per_day = _num(root, "MinutesPerDay")
    days_per_month = _num(root, "DaysPerMonth")
    month_hours = (minutes_per_day if minutes_per_day > 0 else 480) / 60
    month_hours *= days_per_month if days_per_month > 0 else 20
    rows, no_group, dups = [], 0, []
    seen: set[str] = set()
    for r in root.iterfind(f"{NS}Resources/{NS}Resource"):
        name = _text(r, "Name")
        if not name or _text(r, "IsNull") == "1" or _text(r, "Type") != WORK_RESOURCE:
            continue
        if name in seen:
            dups.append(
                sc.issue(
                    "warning", "Resource", _int(_text(r, "ID")), "Name", name, DUPLICATE_RESOURCE
                )
            )
            continue
        seen.add(name)
        group = _text(r, "Group")
        no_group += group is None
        units = _num(r, "MaxUnits")
        units = 1.0 if pd.isna(units) else units
        rows.append(
            {
                "uid": _text(r, "UID"),
                "resource_id": name,
                "name": name,
                "role": group or name,
                "fte": units,
                "capacity_hours_per_month": units * month_hours,
                "cost_rate": _num(r, "StandardRate"),
            }
        )
    sc.capped(dups, issues)
    if no_group:
        issues.append(
            sc.issue("warning", "Resource", None, "Group", None, RESOURCE_WITHOUT_GROUP, n=no_group)
        )
    return pd.DataFrame(
        rows,
        columns=[
            "uid",
            "resource_id",
            "name",
            "role",
            "fte",
            "capacity_hours_per_month",
            "cost_rate",
        ],
    )


def _allocations(
    root: ET.Element, tasks: pd.DataFrame, resources: pd.DataFrame, project_id: str
) -> pd.DataFrame:
    work_tasks = set(tasks.loc[~tasks["summary"] & ~tasks["null"], "uid"])
    by_uid = resources.set_index("uid")
    second = pd.Timedelta(seconds=1)
    spans: list[dict[str, Any]] = []
    for a in root.iterfind(f"{NS}Assignments/{NS}Assignment"):
        ruid = _text(a, "ResourceUID")
        if ruid not in by_uid.index or _text(a, "TaskUID") not in work_tasks:
            continue
        res = by_uid.loc[ruid]
        key = {"project_id": project_id, "role": res["role"], "resource_id": res["resource_id"]}
        phased = [
            tp for tp in a.iterfind(NS + "TimephasedData") if _text(tp, "Type") in TIMEPHASED_WORK
        ]
        if phased:
            for tp in phased:
                start = _date(_text(tp, "Start"))
                spans.append(
                    {
                        **key,
                        "hours": sc.duration_hours(_text(tp, "Value")),
                        "start": start,
                        "end": _date(_text(tp, "Finish")) - second,
                    }
                )
        else:
            spans.append(
                {
                    **key,
                    "hours": sc.duration_hours(_text(a, "Work")),
                    "start": _date(_text(a, "Start")),
                    "end": _date(_text(a, "Finish")),
                }
            )
    if not spans:
        return pd.DataFrame()
    work = pd.DataFrame(spans)
    work["start"] = pd.to_datetime(work["start"])
    work["end"] = pd.to_datetime(work["end"])
    return sc.spread_by_month(work, ["project_id", "role", "resource_id"])


def project_id_from(filename: str) -> str:
    """The project id of an MSPDI file: its file name without folders and extensions.

    Examples:
        >>> project_id_from("plans/Alpha v2.xml.gz")
        'Alpha v2'
    """
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".gz", ".xml", ".mpp"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem or "project"


def read_mspdi_root(root: ET.Element, filename: str, sha: str) -> sc.ScheduleResult:
    """Canonical frames from a parsed MSPDI document (root ``Project``)."""
    issues: list[Issue] = []
    project_id = project_id_from(filename)
    tasks = _tasks(root)
    if tasks.empty:
        return sc.refused(filename, sha, sc.issue("error", "Tasks", None, None, None, NO_TASKS))
    fig = _project_row(root, tasks, project_id, issues)
    status_date = _date(_text(root, "StatusDate"))
    as_of: date | None = None if pd.isna(status_date) else status_date.date()
    project = {
        "project_id": project_id,
        "name": fig["name"],
        "status": sc.status_from_progress(fig["pct"], fig["ac"]),
        "start_date": fig["start"],
        "end_date": fig["baseline_finish"],
        "forecast_end_date": fig["forecast"],
        "budget": fig["budget"],
        "actual_cost": fig["ac"],
        "percent_complete": fig["pct"],
    }
    milestones = _milestones(tasks, project_id, issues)
    resources = _resources(root, issues)
    frames: dict[str, pd.DataFrame] = {
        "projects": pd.DataFrame([project]),
        "milestones": milestones,
        "resources": resources.drop(columns="uid"),
        "allocations": _allocations(root, tasks, resources, project_id),
    }
    report_date = status_date if as_of else _date(_text(root, "CurrentDate"))
    if (
        fig["has_ev"]
        and fig["has_baseline"]
        and pd.notna(report_date)
        and (fig["bcws"] or fig["bcwp"] or fig["acwp"])
    ):
        frames["status_reports"] = pd.DataFrame(
            [
                {
                    "project_id": project_id,
                    "report_date": report_date,
                    "planned_value": fig["bcws"],
                    "earned_value": fig["bcwp"],
                    "actual_cost": fig["acwp"],
                    "percent_complete": fig["pct"],
                }
            ]
        )
    settings = {"source_format": "mspdi"}
    if _text(root, "CurrencyCode"):
        settings["currency"] = str(_text(root, "CurrencyCode"))
    if as_of is not None:
        settings["as_of"] = as_of.isoformat()
    figures = pd.DataFrame(
        [
            {
                "project_id": project_id,
                "name": fig["name"],
                "source": filename,
                "activities": fig["activities"],
                "milestones": len(milestones),
                "bac": fig["budget"],
                "ac": fig["ac"],
                "etc": fig["etc"],
                "eac": fig["cost"],
            }
        ]
    )
    return sc.build_result(frames, issues, settings, as_of, filename, sha, figures)
