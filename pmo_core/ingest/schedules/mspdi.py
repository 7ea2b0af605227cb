"""MS Project XML (MSPDI, "Save as XML"): one file = one project.

- Project row from the project summary task (UID 0 / OutlineLevel 0): budget = its
  baseline 0 cost, actual cost, % complete, start, baseline finish, forecast finish
  (Finish), status from progress. Without a summary task the leaf tasks are summed
  (summary tasks never: their figures already hold their children's). Without a
  baseline the current cost and finish stand in, with a warning.
- Milestones: tasks with ``Milestone=1``; baseline = baseline 0 finish, forecast =
  Finish, actual = ActualFinish; id = task UID (stable across versions of the file).
- Resources: work resources; role = Group (else the name, warned), or, with
  ``role_field``, the value of that resource custom field (``Text1``... or the alias
  the project gives it in ``<ExtendedAttributes>``, like "Métier"), the Group where a
  resource leaves it blank; rate = StandardRate (per hour), monthly hours = MaxUnits x
  hours per day x days per month of the project (MinutesPerDay, DaysPerMonth; 8 h x
  20 d by default).
- Allocations by resource and month: the assignment's timephased work (actual +
  remaining) where the file has it, else its Work spread evenly over its working days;
  remaining work the timephased rows leave out (no Type 1 row) is spread over the
  remaining duration (``Resume`` to ``Finish``), actual work they leave out (no Type 2
  row) over ``ActualStart`` to ``Stop``.
  Working days come from the resource's calendar (with what it inherits from its base
  calendar), else the project's (``<CalendarUID>``), else Monday to Friday: the week
  pattern (``WeekDay`` DayType 1 = Sunday ... 7 = Saturday, DayWorking) and dated
  exceptions (``<Exceptions>``, or ``WeekDay`` DayType 0 with a ``TimePeriod``), daily
  or yearly on a day of a month. Other recurring exceptions (monthly, weekly, "second
  Monday") and alternative work weeks (``<WorkWeeks>``) are not read (warned).
- Baseline PV curve (``baseline`` rows, cumulative PV at each month's end): each leaf
  task's timephased baseline cost where the file has it (``TimephasedData`` Type 10 on
  the task, else Type 5 on its assignments; MSPDI's TimephasedDataType), period by
  period; a leaf without it has its baseline 0 cost spread evenly over its baseline
  start..finish; the summary task's where a costed leaf lacks both; none without dates.
- Status report at the status date from the summary's BCWS / BCWP / ACWP, when given.

MSPDI writes money in hundredths (``<Cost>12345</Cost>`` is 123.45) and work as ISO
durations (``PT8H0M0S``). Issues are located by XML element (Task, Resource,
Assignment) and, for tasks, the task ID (the row number MS Project shows).

This module reads the tasks, the project row and the milestones and holds the entry
point (:func:`read_mspdi_root`); calendars are :mod:`~pmo_core.ingest.schedules.mspdi_calendars`,
resources and allocations :mod:`~pmo_core.ingest.schedules.mspdi_resources`, the element
accessors :mod:`~pmo_core.ingest.schedules.mspdi_xml`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules import mspdi_calendars, mspdi_network, mspdi_resources
from pmo_core.ingest.schedules.mspdi_xml import (
    NS,
    xml_int,
    xml_money,
    xml_number,
    xml_text,
    xml_timestamp,
)

NO_BASELINE = (
    "The file has no baseline 0: the budget is the current cost and the baseline finish "
    "the current finish. Set a baseline in MS Project for cost and schedule variances."
)
NO_BASELINE_MILESTONE = "Milestone without a baseline finish: its current finish is used."
NO_TASKS = "The file holds no tasks."


def _baseline(task: ET.Element) -> ET.Element | None:
    for b in task.findall(NS + "Baseline"):
        if xml_text(b, "Number") in ("0", None):
            return b
    return None


def _tasks(root: ET.Element) -> pd.DataFrame:
    rows = []
    for t in root.iterfind(f"{NS}Tasks/{NS}Task"):
        b = _baseline(t)
        rows.append(
            {
                "uid": xml_text(t, "UID"),
                "id": xml_text(t, "ID"),
                "name": xml_text(t, "Name"),
                "level": xml_number(t, "OutlineLevel"),
                "summary": xml_text(t, "Summary") == "1",
                "milestone": xml_text(t, "Milestone") == "1",
                "null": xml_text(t, "IsNull") == "1",
                "start": xml_timestamp(xml_text(t, "Start")),
                "finish": xml_timestamp(xml_text(t, "Finish")),
                "actual_finish": xml_timestamp(xml_text(t, "ActualFinish")),
                "duration": sc.duration_hours(xml_text(t, "Duration")),
                "pct": xml_number(t, "PercentComplete"),
                "cost": xml_money(t, "Cost"),
                "actual_cost": xml_money(t, "ActualCost"),
                "remaining_cost": xml_money(t, "RemainingCost"),
                "bcws": xml_money(t, "BCWS"),
                "bcwp": xml_money(t, "BCWP"),
                "acwp": xml_money(t, "ACWP"),
                "has_ev": t.find(NS + "BCWS") is not None,
                "has_baseline": b is not None,
                "baseline_cost": xml_money(b, "Cost"),
                "baseline_start": xml_timestamp(xml_text(b, "Start")),
                "baseline_finish": xml_timestamp(xml_text(b, "Finish")),
            }
        )
    return pd.DataFrame(rows)


def _project_row(
    root: ET.Element, tasks: pd.DataFrame, project_id: str, issues: list[Issue]
) -> dict[str, Any]:
    is_root = (tasks["uid"] == "0") | (tasks["level"] == 0)
    leaves = tasks[~tasks["summary"] & ~tasks["null"] & ~is_root]
    header_start = xml_timestamp(xml_text(root, "StartDate"))
    header_finish = xml_timestamp(xml_text(root, "FinishDate"))
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
    file_name = xml_text(root, "Name")
    fig["name"] = (
        xml_text(root, "Title") or name or (project_id_from(file_name) if file_name else project_id)
    )
    fig["activities"] = len(leaves)
    return fig


def _milestones(tasks: pd.DataFrame, project_id: str, issues: list[Issue]) -> pd.DataFrame:
    m = tasks[tasks["milestone"] & ~tasks["summary"] & ~tasks["null"] & (tasks["uid"] != "0")]
    missing = m["baseline_finish"].isna()
    sc.capped(
        [
            sc.issue(
                "warning", "Task", xml_int(r["id"]), "Baseline", r["name"], NO_BASELINE_MILESTONE
            )
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


TASK_BASELINE_COST = "10"  # MSPDI TimephasedDataType: task baseline (0) cost
ASSIGNMENT_BASELINE_COST = "5"  # assignment baseline (0) cost


def _phased_items(e: ET.Element, kind: str) -> list[tuple[pd.Timestamp, pd.Timestamp, float]]:
    """``(start, finish, cost)`` of ``e``'s TimephasedData rows of type ``kind`` (money
    in hundredths, like every MSPDI cost); rows without dates or value are left out."""
    out = []
    for tp in e.iterfind(NS + "TimephasedData"):
        if xml_text(tp, "Type") != kind:
            continue
        start = xml_timestamp(xml_text(tp, "Start"))
        finish = xml_timestamp(xml_text(tp, "Finish"))
        cost = xml_money(tp, "Value")
        if pd.notna(start) and pd.notna(finish) and pd.notna(cost):
            out.append((start, finish, cost))
    return out


def _timephased_baseline(root: ET.Element) -> pd.DataFrame:
    """Timephased baseline cost by task uid: the task's own rows (Type 10) where it has
    some, else the sum of its assignments' rows (Type 5). Columns uid, start, finish,
    cost."""
    by_task: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, float]]] = {}
    for t in root.iterfind(f"{NS}Tasks/{NS}Task"):
        items = _phased_items(t, TASK_BASELINE_COST)
        if items:
            by_task[str(xml_text(t, "UID"))] = items
    from_assignments: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, float]]] = {}
    for a in root.iterfind(f"{NS}Assignments/{NS}Assignment"):
        uid = str(xml_text(a, "TaskUID"))
        if uid not in by_task:
            from_assignments.setdefault(uid, []).extend(_phased_items(a, ASSIGNMENT_BASELINE_COST))
    by_task.update({u: items for u, items in from_assignments.items() if items})
    rows = [(u, s, f, c) for u, items in by_task.items() for s, f, c in items]
    return pd.DataFrame(rows, columns=["uid", "start", "finish", "cost"])


def _baseline_curve(tasks: pd.DataFrame, phased: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """Cumulative baseline PV by month from the tasks' baseline 0.

    Each leaf task's timephased baseline cost (its own, Type 10, else its assignments',
    Type 5) where the file has it, period by period; a leaf without such rows has its
    baseline cost spread evenly over its baseline dates. When a costed leaf without
    timephased rows lacks a baseline date, the project summary task's figures are used
    instead (its timephased rows, else its cost over its dates); else no rows (the
    KPIs then fall back to the linear baseline and say so)."""
    is_root = (tasks["uid"] == "0") | (tasks["level"] == 0)
    leaves = tasks[~tasks["summary"] & ~tasks["null"] & ~is_root]
    costed = leaves[leaves["baseline_cost"].notna() & ~leaves["uid"].isin(set(phased["uid"]))]
    dated = costed["baseline_start"].notna() & costed["baseline_finish"].notna()
    if bool(dated.all()):
        own = phased[phased["uid"].isin(set(leaves["uid"]))]
        src = pd.DataFrame(
            {
                "start": pd.concat([costed["baseline_start"], own["start"]], ignore_index=True),
                "finish": pd.concat([costed["baseline_finish"], own["finish"]], ignore_index=True),
                "cost": pd.concat([costed["baseline_cost"], own["cost"]], ignore_index=True),
            }
        )
    else:
        root_task = tasks[is_root].head(1)
        own = phased[phased["uid"].isin(set(root_task["uid"]))]
        src = (
            own
            if len(own)
            else pd.DataFrame(
                {
                    "start": root_task["baseline_start"],
                    "finish": root_task["baseline_finish"],
                    "cost": root_task["baseline_cost"],
                }
            )
        )
    if src.empty:
        return pd.DataFrame(columns=["project_id", "month", "planned_value"])
    return sc.linear_baseline(project_id, src["start"], src["finish"], src["cost"])


def read_mspdi_root(
    root: ET.Element, filename: str, sha: str, role_field: str | None = None
) -> sc.ScheduleResult:
    """Canonical frames from a parsed MSPDI document (root ``Project``).

    ``role_field`` names the resource custom field that holds the role (``Text1``... or
    its alias); without it the role is the resource's Group.
    """
    issues: list[Issue] = []
    project_id = project_id_from(filename)
    tasks = _tasks(root)
    if tasks.empty:
        return sc.refused(filename, sha, sc.issue("error", "Tasks", None, None, None, NO_TASKS))
    fig = _project_row(root, tasks, project_id, issues)
    status_date = xml_timestamp(xml_text(root, "StatusDate"))
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
    calendars = mspdi_calendars.calendars(root, issues)
    resources = mspdi_resources.resources(root, issues, role_field, calendars)
    frames: dict[str, pd.DataFrame] = {
        "projects": pd.DataFrame([project]),
        "milestones": milestones,
        "resources": resources.drop(columns=["uid", "calendar"]),
        "allocations": mspdi_resources.allocations(root, tasks, resources, project_id, calendars),
        "baseline": _baseline_curve(tasks, _timephased_baseline(root), project_id),
    }
    report_date = status_date if as_of else xml_timestamp(xml_text(root, "CurrentDate"))
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
    if xml_text(root, "CurrencyCode"):
        settings["currency"] = str(xml_text(root, "CurrencyCode"))
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
    activities, relations = mspdi_network.network(root, tasks, project_id)
    return sc.build_result(
        frames, issues, settings, as_of, filename, sha, figures, activities, relations
    )
