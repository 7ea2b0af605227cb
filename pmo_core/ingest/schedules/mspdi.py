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
  remaining) where the file has it, else its Work spread evenly over its working days.
  Working days come from the resource's calendar (with what it inherits from its base
  calendar), else the project's (``<CalendarUID>``), else Monday to Friday: the week
  pattern (``WeekDay`` DayType 1 = Sunday ... 7 = Saturday, DayWorking) and dated
  exceptions (``<Exceptions>``, or ``WeekDay`` DayType 0 with a ``TimePeriod``), daily
  or yearly on a day of a month. Other recurring exceptions (monthly, weekly, "second
  Monday") and alternative work weeks (``<WorkWeeks>``) are not read (warned).
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

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.schedules import common as sc

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
UNKNOWN_ROLE_FIELD = (
    "No resource field {field} in this file: the roles come from the resources' Group. "
    "Give a field name (Text1...) or its alias as MS Project shows it."
)
ROLE_FIELD_BLANK = "{n} resources have no {field}: their Group is used as their role."
CALENDAR_NOT_READ = (
    "Calendar exceptions repeating monthly, weekly or by position and alternative work "
    "weeks are not read: those days follow the calendar's normal week."
)

# Resource custom fields Text1...Text30 (MS Project's field ids, used when the file
# does not define the field in <ExtendedAttributes>).
_RESOURCE_TEXT_IDS = [205520904, 205520905, 205520926, 205520927, 205520928]
_RESOURCE_TEXT_IDS += list(range(205520993, 205520998)) + list(range(205521121, 205521141))
RESOURCE_TEXT_FIELDS = {f"text{i + 1}": str(fid) for i, fid in enumerate(_RESOURCE_TEXT_IDS)}
_RESOURCE_FIELD_IDS = range(205520896, 205520896 + 0x10000)
# MSPDI DayType 1 = Sunday ... 7 = Saturday; numpy week masks start on Monday.
_DAY_INDEX = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5, "1": 6}
_MAX_EXCEPTION_DAYS = 3660  # a daily exception longer than ten years is not a holiday list
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


def _day(v: str | None) -> date | None:
    d = _date(v)
    return None if pd.isna(d) else d.date()


def _exception_days(e: ET.Element, working: bool, out: dict[date, bool]) -> bool:
    """Put the days of one exception in ``out``; False when its recurrence is not read."""
    period = e.find(NS + "TimePeriod")
    first, last = _day(_text(period, "FromDate")), _day(_text(period, "ToDate"))
    if first is None or last is None or last < first:
        return True
    kind = _text(e, "Type") or "1"
    if kind == "1" and (last - first).days <= _MAX_EXCEPTION_DAYS:  # every day of the range
        for d in pd.date_range(first, last, freq="D"):
            out[d.date()] = working
        return True
    month, day = _int(_text(e, "Month")), _int(_text(e, "MonthDay"))
    if kind == "2" and month is not None and day is not None:  # yearly, Month 0 = January
        for year in range(first.year, last.year + 1):
            try:
                d = date(year, month + 1, day)
            except ValueError:
                continue
            if first <= d <= last:
                out[d] = working
        return True
    return False


def _calendars(root: ET.Element, issues: list[Issue]) -> dict[str, sc.WorkCalendar]:
    """Every calendar of the file by UID, with what it inherits from its base calendar."""
    raw: dict[str, tuple[str | None, dict[int, bool], dict[date, bool]]] = {}
    unread = 0
    for c in root.iterfind(f"{NS}Calendars/{NS}Calendar"):
        uid = _text(c, "UID")
        if uid is None:
            continue
        week: dict[int, bool] = {}
        days: dict[date, bool] = {}
        for wd in c.iterfind(f"{NS}WeekDays/{NS}WeekDay"):
            kind, working = _text(wd, "DayType"), _text(wd, "DayWorking") == "1"
            if kind in _DAY_INDEX:
                week[_DAY_INDEX[kind]] = working
            elif kind == "0":  # an exception written as a WeekDay (MSPDI before 2007)
                _exception_days(wd, working, days)
        for e in c.iterfind(f"{NS}Exceptions/{NS}Exception"):
            unread += not _exception_days(e, _text(e, "DayWorking") == "1", days)
        unread += c.find(f"{NS}WorkWeeks/{NS}WorkWeek") is not None
        raw[uid] = (_text(c, "BaseCalendarUID"), week, days)
    if unread:
        issues.append(sc.issue("warning", "Calendar", None, "Exceptions", None, CALENDAR_NOT_READ))
    out: dict[str, sc.WorkCalendar] = {}
    for uid in raw:
        chain, at = [], uid
        while at in raw and at not in chain:  # own calendar first, then its bases
            chain.append(at)
            at = raw[at][0] or ""
        mask = list(sc.MON_FRI)
        exceptions: dict[date, bool] = {}
        for link in reversed(chain):  # the base first; the calendar's own days override
            _, week, days = raw[link]
            for i, working in week.items():
                mask[i] = "1" if working else "0"
            exceptions.update(days)
        out[uid] = sc.WorkCalendar.from_exceptions("".join(mask), exceptions)
    return out


def _role_field_ids(root: ET.Element, role_field: str, issues: list[Issue]) -> set[str]:
    """Field ids of the resource custom field named ``role_field`` (alias or name)."""
    wanted = role_field.strip().casefold()
    ids = set()
    for ea in root.iterfind(f"{NS}ExtendedAttributes/{NS}ExtendedAttribute"):
        fid = _text(ea, "FieldID")
        names = {(_text(ea, tag) or "").strip().casefold() for tag in ("Alias", "FieldName")}
        if fid and wanted in names and _int(fid) in _RESOURCE_FIELD_IDS:
            ids.add(fid)
    builtin = wanted.replace(" ", "").replace("texte", "text")  # French: Texte1
    if not ids and builtin in RESOURCE_TEXT_FIELDS:
        ids.add(RESOURCE_TEXT_FIELDS[builtin])
    if not ids:
        issues.append(
            sc.issue(
                "warning",
                "ExtendedAttributes",
                None,
                "Alias",
                role_field,
                UNKNOWN_ROLE_FIELD,
                field=role_field,
            )
        )
    return ids


def _field_value(r: ET.Element, ids: set[str]) -> str | None:
    for ea in r.iterfind(NS + "ExtendedAttribute"):
        if _text(ea, "FieldID") in ids:
            return _text(ea, "Value")
    return None


def _resources(
    root: ET.Element,
    issues: list[Issue],
    role_field: str | None = None,
    calendars: dict[str, sc.WorkCalendar] | None = None,
) -> pd.DataFrame:
    calendars = calendars or {}
    project_calendar = _text(root, "CalendarUID")
    field_ids = _role_field_ids(root, role_field, issues) if role_field else set()
    no_value = 0
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
        own = _field_value(r, field_ids) if field_ids else None
        no_value += bool(field_ids) and own is None
        no_group += own is None and group is None
        calendar = _text(r, "CalendarUID")
        if calendar not in calendars:
            calendar = project_calendar if project_calendar in calendars else None
        units = _num(r, "MaxUnits")
        units = 1.0 if pd.isna(units) else units
        rows.append(
            {
                "uid": _text(r, "UID"),
                "resource_id": name,
                "name": name,
                "role": own or group or name,
                "fte": units,
                "capacity_hours_per_month": units * month_hours,
                "cost_rate": _num(r, "StandardRate"),
                "calendar": calendar,
            }
        )
    sc.capped(dups, issues)
    if no_value:
        issues.append(
            sc.issue(
                "warning",
                "Resource",
                None,
                role_field,
                None,
                ROLE_FIELD_BLANK,
                n=no_value,
                field=role_field,
            )
        )
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
            "calendar",
        ],
    )


def _allocations(
    root: ET.Element,
    tasks: pd.DataFrame,
    resources: pd.DataFrame,
    project_id: str,
    calendars: dict[str, sc.WorkCalendar],
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
        key = {
            "project_id": project_id,
            "role": res["role"],
            "resource_id": res["resource_id"],
            "calendar": res["calendar"],
        }
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
    return sc.spread_by_month(work, ["project_id", "role", "resource_id"], calendars=calendars)


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
    calendars = _calendars(root, issues)
    resources = _resources(root, issues, role_field, calendars)
    frames: dict[str, pd.DataFrame] = {
        "projects": pd.DataFrame([project]),
        "milestones": milestones,
        "resources": resources.drop(columns=["uid", "calendar"]),
        "allocations": _allocations(root, tasks, resources, project_id, calendars),
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
