"""Primavera P6 files into XER-shaped tables: :func:`xer_tables` (tab-separated
``%T``/``%F``/``%R``, every cell as text, ``_line`` = its line in the file),
:func:`p6xml_tables` (P6-XML, through :data:`P6XML_MAP` and :data:`P6XML_CODES`),
:func:`xer_calendar` (a CALENDAR row's ``clndr_data`` as a work calendar), and the
accessors of such a table's fields (:func:`field`, :func:`field_numbers`, :func:`field_dates`,
:func:`first_of`) that :mod:`pmo_core.ingest.schedules.p6` builds the canonical frames with.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.schedules import common as sc

SHORT_ROW = "This row has {n} values but the table has {m} fields: the extra values are ignored."


# ------------------------------------------------------------------------------- XER

# clndr_data: "(0||DaysOfWeek()( (0||1()( (0||0(s|08:00|f|16:00)()) )) (0||2()()) ...)
# (0||Exceptions()( (0||0(d|41275)()) ...))": days 1 = Sunday ... 7 = Saturday, a day
# or an exception with shifts is worked, without is not; exception dates are day
# numbers from 30 December 1899. P6 separates lines with DEL (0x7f) characters.
_XER_DAY = re.compile(r"\(0\|\|([1-7])\(\)\([\s\x7f]*(\()?")
_XER_EXCEPTION = re.compile(r"\(0\|\|\d+\(d\|(\d{1,6})\)\([\s\x7f]*(\()?")
_DAY_ZERO = date(1899, 12, 30)


def xer_calendar(data: str | None) -> sc.WorkCalendar | None:
    """The working days of a CALENDAR row's ``clndr_data``; None when it has none.

    Examples:
        >>> cal = xer_calendar("(0||CalendarData()((0||DaysOfWeek()((0||1()())"
        ...     "(0||2()((0||0(s|08:00|f|16:00)())))(0||7()((0||0(s|08:00|f|12:00)())))))"
        ...     "(0||Exceptions()((0||0(d|46034)()))))")
        >>> cal.weekmask, cal.on  # Monday and Saturday worked (days not given: Mon-Fri)
        ('1111110', ())
        >>> cal.off  # day 46034 = Monday 12 January 2026
        (datetime.date(2026, 1, 12),)
    """
    if not isinstance(data, str) or ("DaysOfWeek" not in data and "Exceptions" not in data):
        return None
    week, _, exceptions = data.partition("Exceptions")
    mask = list(sc.MON_FRI)
    for day, shifts in _XER_DAY.findall(week):
        mask[(int(day) + 5) % 7] = "1" if shifts else "0"  # 1 = Sunday -> index 6
    days = {
        _DAY_ZERO + timedelta(days=int(n)): bool(shifts)
        for n, shifts in _XER_EXCEPTION.findall(exceptions)
    }
    return sc.WorkCalendar.from_exceptions("".join(mask), days)


def xer_tables(text: str) -> tuple[dict[str, pd.DataFrame], dict[str, str], list[Issue]]:
    """Tables of an XER text (every cell as text, ``_line`` = line number in the file),
    the header (``currency``) and issues about malformed rows."""
    rows: dict[str, list[list[str]]] = {}
    lines_of: dict[str, list[int]] = {}
    fields: dict[str, list[str]] = {}
    header: dict[str, str] = {}
    issues: list[Issue] = []
    short: list[Issue] = []
    table = None
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if line.startswith("%R\t") and table is not None:
            values = line.split("\t")[1:]
            width = len(fields[table])
            if len(values) > width:
                if any(v.strip() for v in values[width:]):
                    short.append(
                        sc.issue("warning", table, n, None, None, SHORT_ROW, n=len(values), m=width)
                    )
                values = values[:width]
            rows[table].append(values + [""] * (width - len(values)))
            lines_of[table].append(n)
        elif line.startswith("%T\t"):
            table = line.split("\t")[1].strip()
            rows.setdefault(table, [])
            lines_of.setdefault(table, [])
        elif line.startswith("%F\t") and table is not None:
            fields[table] = [f.strip() for f in line.split("\t")[1:]]
        elif line.startswith("ERMHDR"):
            parts = line.split("\t")
            if len(parts) > 8 and parts[-1].strip():
                header["currency"] = parts[-1].strip()
    sc.capped(short, issues)
    frames = {}
    for name, r in rows.items():
        if name not in fields:
            continue
        df = pd.DataFrame(r, columns=fields[name], dtype=object)
        df = df.replace("", None)
        df["_line"] = lines_of[name]
        frames[name] = df
    return frames, header, issues


# ------------------------------------------------------------------------------- P6-XML

# P6-XML element -> (XER table, {XML child: XER field}).
P6XML_MAP: dict[str, tuple[str, dict[str, str]]] = {
    "Project": (
        "PROJECT",
        {
            "ObjectId": "proj_id",
            "Id": "proj_short_name",
            "Name": "proj_name",
            "PlannedStartDate": "plan_start_date",
            "ScheduledFinishDate": "scd_end_date",
            "DataDate": "last_recalc_date",
            "CurrentBaselineProjectObjectId": "sum_base_proj_id",
            "OriginalProjectObjectId": "orig_proj_id",
        },
    ),
    "Activity": (
        "TASK",
        {
            "ObjectId": "task_id",
            "ProjectObjectId": "proj_id",
            "Id": "task_code",
            "Name": "task_name",
            "Type": "task_type",
            "Status": "status_code",
            "PlannedStartDate": "target_start_date",
            "PlannedFinishDate": "target_end_date",
            "ActualStartDate": "act_start_date",
            "ActualFinishDate": "act_end_date",
            "RemainingEarlyStartDate": "restart_date",
            "RemainingEarlyFinishDate": "reend_date",
            "PlannedDuration": "target_drtn_hr_cnt",
            "RemainingDuration": "remain_drtn_hr_cnt",
            "PhysicalPercentComplete": "phys_complete_pct",
            "EarlyStartDate": "early_start_date",
            "EarlyFinishDate": "early_end_date",
            "LateStartDate": "late_start_date",
            "LateFinishDate": "late_end_date",
            "TotalFloat": "total_float_hr_cnt",
            "PrimaryConstraintType": "cstr_type",
            "PrimaryConstraintDate": "cstr_date",
            "SecondaryConstraintType": "cstr_type2",
            "SecondaryConstraintDate": "cstr_date2",
            "CalendarObjectId": "clndr_id",
        },
    ),
    "ResourceAssignment": (
        "TASKRSRC",
        {
            "ObjectId": "taskrsrc_id",
            "ActivityObjectId": "task_id",
            "ProjectObjectId": "proj_id",
            "ResourceObjectId": "rsrc_id",
            "RoleObjectId": "role_id",
            "ResourceType": "rsrc_type",
            "PlannedCost": "target_cost",
            "ActualRegularCost": "act_reg_cost",
            "ActualOvertimeCost": "act_ot_cost",
            "RemainingCost": "remain_cost",
            "PlannedUnits": "target_qty",
            "ActualRegularUnits": "act_reg_qty",
            "ActualOvertimeUnits": "act_ot_qty",
            "RemainingUnits": "remain_qty",
            "PlannedStartDate": "target_start_date",
            "PlannedFinishDate": "target_end_date",
            "ActualStartDate": "act_start_date",
            "ActualFinishDate": "act_end_date",
            "RemainingStartDate": "restart_date",
            "RemainingFinishDate": "reend_date",
        },
    ),
    "Resource": (
        "RSRC",
        {
            "ObjectId": "rsrc_id",
            "Id": "rsrc_short_name",
            "Name": "rsrc_name",
            "ResourceType": "rsrc_type",
            "PrimaryRoleObjectId": "role_id",
            "ParentObjectId": "parent_rsrc_id",
            "CalendarObjectId": "clndr_id",
        },
    ),
    "ResourceRate": (
        "RSRCRATE",
        {
            "ResourceObjectId": "rsrc_id",
            "PricePerUnit": "cost_per_qty",
            "MaxUnitsPerTime": "max_qty_per_hr",
            "EffectiveDate": "start_date",
        },
    ),
    "Role": ("ROLES", {"ObjectId": "role_id", "Name": "role_name", "Id": "role_short_name"}),
    "Relationship": (
        "TASKPRED",
        {
            "ObjectId": "task_pred_id",
            "SuccessorActivityObjectId": "task_id",
            "PredecessorActivityObjectId": "pred_task_id",
            "SuccessorProjectObjectId": "proj_id",
            "PredecessorProjectObjectId": "pred_proj_id",
            "Type": "pred_type",
            "Lag": "lag_hr_cnt",
        },
    ),
    "Calendar": (
        "CALENDAR",
        {"ObjectId": "clndr_id", "HoursPerMonth": "month_hr_cnt", "HoursPerDay": "day_hr_cnt"},
    ),
}
# Fields holding P6-XML enumerations, written as XER codes (:data:`P6XML_CODES`).
P6XML_CODED = frozenset(
    {"task_type", "status_code", "rsrc_type", "cstr_type", "cstr_type2", "pred_type"}
)
P6XML_CODES = {
    "Start Milestone": "TT_Mile",
    "Finish Milestone": "TT_FinMile",
    "WBS Summary": "TT_WBS",
    "Level of Effort": "TT_LOE",
    "Not Started": "TK_NotStart",
    "In Progress": "TK_Active",
    "Completed": "TK_Complete",
    "Labor": "RT_Labor",
    "Nonlabor": "RT_Equip",
    "Material": "RT_Mat",
    "Task Dependent": "TT_Task",
    "Resource Dependent": "TT_Rsrc",
    "Finish to Start": "PR_FS",
    "Start to Start": "PR_SS",
    "Finish to Finish": "PR_FF",
    "Start to Finish": "PR_SF",
    "Start On": "CS_MSO",
    "Start On or Before": "CS_MSOB",
    "Start On or After": "CS_MSOA",
    "Finish On": "CS_MEO",
    "Finish On or Before": "CS_MEOB",
    "Finish On or After": "CS_MEOA",
    "As Late As Possible": "CS_ALAP",
    "Mandatory Start": "CS_MANDSTART",
    "Mandatory Finish": "CS_MANDFIN",
}


# Elements read inside each ``<Project>`` / ``<BaselineProject>`` (their project is the
# enclosing one when they do not name it); the others are global (root children).
P6XML_PROJECT_PARTS = ("Activity", "ResourceAssignment", "Relationship")


def _p6xml_record(e: ET.Element, names: dict[str, str], ns: str) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    for child in e:
        key = names.get(child.tag.removeprefix(ns))
        if key is not None and child.text and child.text.strip():
            text = child.text.strip()
            rec[key] = P6XML_CODES.get(text, text) if key in P6XML_CODED else text
    return rec


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _worked(e: ET.Element, ns: str) -> bool:
    """A day (or an exception) is worked when one of its ``WorkTime`` has a start: P6
    writes a rest day as ``<WorkTime xsi:nil="true"/>`` or no WorkTime at all."""
    return any((w.findtext(f"{ns}Start") or "").strip() for w in e.iterfind(f"{ns}WorkTime"))


def p6xml_calendar(e: ET.Element, ns: str) -> sc.WorkCalendar | None:
    """The working days of a P6-XML ``<Calendar>``: its ``StandardWorkWeek`` (a day with
    a ``WorkTime`` start is worked, a day listed without is not, a day not listed keeps
    Monday to Friday) and its ``HolidayOrExceptions`` (a date with a ``WorkTime`` is
    worked, without is a holiday; a nil WorkTime is no work); None when it gives
    neither.

    Examples:
        >>> cal = p6xml_calendar(sc.parse_xml(
        ...     "<Calendar><StandardWorkWeek><StandardWorkHours><DayOfWeek>Saturday"
        ...     "</DayOfWeek><WorkTime><Start>08:00:00</Start></WorkTime></StandardWorkHours>"
        ...     "<StandardWorkHours><DayOfWeek>Friday</DayOfWeek><WorkTime/></StandardWorkHours>"
        ...     "</StandardWorkWeek><HolidayOrExceptions><HolidayOrException>"
        ...     "<Date>2026-01-12T00:00:00</Date></HolidayOrException></HolidayOrExceptions>"
        ...     "</Calendar>".encode()), "")
        >>> cal.weekmask, cal.off
        ('1111010', (datetime.date(2026, 1, 12),))
    """
    week = e.find(f"{ns}StandardWorkWeek")
    holidays = e.find(f"{ns}HolidayOrExceptions")
    if week is None and holidays is None:
        return None
    mask = list(sc.MON_FRI)
    for day in week.iterfind(f"{ns}StandardWorkHours") if week is not None else []:
        name = (day.findtext(f"{ns}DayOfWeek") or "").strip()
        if name in _WEEKDAYS:
            mask[_WEEKDAYS.index(name)] = "1" if _worked(day, ns) else "0"
    exceptions = {}
    for x in holidays.iterfind(f"{ns}HolidayOrException") if holidays is not None else []:
        when = sc.to_dates(pd.Series([x.findtext(f"{ns}Date")])).iloc[0]
        if pd.notna(when):
            exceptions[when.date()] = _worked(x, ns)
    return sc.WorkCalendar.from_exceptions("".join(mask), exceptions)


def p6xml_tables(root: ET.Element) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The XER-shaped tables of a P6-XML export (``APIBusinessObjects``).

    Only the root's own ``<Project>`` and ``<BaselineProject>`` children are projects:
    ``<ProjectList>`` is an index of the projects in the file (ids and names, no work)
    and is not read. A ``<BaselineProject>`` becomes a PROJECT row with ``_baseline`` set
    (and ``orig_proj_id`` from its ``OriginalProjectObjectId``), as a baseline copy is a
    PROJECT row of an XER; :func:`pmo_core.ingest.schedules.p6.build_p6` keeps it out
    of the current work. Activities, assignments and relationships are read inside
    their project (its ObjectId where they do not give their own ProjectObjectId)."""
    ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
    records: dict[str, list[dict[str, Any]]] = {table: [] for table, _ in P6XML_MAP.values()}
    for top in root:
        tag = top.tag.removeprefix(ns) if isinstance(top.tag, str) else ""
        if tag in ("Project", "BaselineProject"):
            table, names = P6XML_MAP["Project"]
            rec = _p6xml_record(top, names, ns)
            rec.setdefault("proj_id", top.get("ObjectId"))
            rec["_baseline"] = tag == "BaselineProject"
            records[table].append(rec)
            for part in P6XML_PROJECT_PARTS:
                part_table, part_names = P6XML_MAP[part]
                for e in top.iter(ns + part):
                    sub = _p6xml_record(e, part_names, ns)
                    if part != "Relationship" or "proj_id" not in sub:
                        sub.setdefault("proj_id", rec.get("proj_id"))
                    records[part_table].append(sub)
            if tag == "Project":  # a baseline's calendars are copies of the project's
                table, names = P6XML_MAP["Calendar"]
                records[table].extend(
                    {**_p6xml_record(e, names, ns), "_work_calendar": p6xml_calendar(e, ns)}
                    for e in top.iter(ns + "Calendar")
                )
        elif tag in P6XML_MAP and tag not in P6XML_PROJECT_PARTS:
            table, names = P6XML_MAP[tag]
            rec = _p6xml_record(top, names, ns)
            if tag == "Calendar":
                rec["_work_calendar"] = p6xml_calendar(top, ns)
            records[table].append(rec)
    out: dict[str, pd.DataFrame] = {}
    for element, (table, names) in P6XML_MAP.items():
        extra = {"Project": ["_baseline"], "Calendar": ["_work_calendar"]}.get(element, [])
        df = pd.DataFrame(records[table], columns=[*names.values(), *extra], dtype=object)
        df["_line"] = None
        if table == "TASK":  # P6-XML writes percentages as fractions
            df["phys_complete_pct"] = sc.to_numbers(df["phys_complete_pct"]) * 100
        out[table] = df
    header = {}
    cur = root.find(f"{ns}DisplayCurrency/{ns}Currency/{ns}Id")
    if cur is not None and cur.text:
        header["currency"] = cur.text.strip()
    return out, header


# ------------------------------------------------------------------------------- fields


def field(df: pd.DataFrame, name: str) -> pd.Series:
    """The field ``name`` of a table, all None when the file has no such field."""
    return df[name] if name in df else pd.Series([None] * len(df), index=df.index, dtype=object)


def field_numbers(df: pd.DataFrame, name: str) -> pd.Series:
    """The field as numbers (:func:`pmo_core.ingest.schedules.common.to_numbers`)."""
    return sc.to_numbers(field(df, name))


def field_dates(df: pd.DataFrame, name: str) -> pd.Series:
    """The field as dates (:func:`pmo_core.ingest.schedules.common.to_dates`)."""
    return sc.to_dates(field(df, name))


def first_of(*series: pd.Series) -> pd.Series:
    """Each row's first non-missing value among ``series``, in order."""
    out = series[0]
    for s in series[1:]:
        if out.dtype.kind != s.dtype.kind and out.isna().all():
            out = s.copy()
            continue
        if out.dtype.kind != s.dtype.kind:
            out = out.astype(object)
        out = out.fillna(s)
    return out
