"""MSPDI resources and their work: :func:`resources` (work resources; role = Group,
else the name, warned, or with ``role_field`` the value of that resource custom field,
``Text1``... or its alias in ``<ExtendedAttributes>``; rate = StandardRate per hour;
monthly hours = MaxUnits x hours per day x days per month of the project) and
:func:`allocations` (each assignment's timephased work, actual + remaining, where the
file has it, else its Work, spread over the working days of the resource's calendar,
by resource and month; remaining work the timephased rows leave out is spread over the
remaining duration, ``Resume`` to ``Finish``, and actual work they leave out over
``ActualStart`` to ``Stop``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules.mspdi_xml import NS, xml_int, xml_number, xml_text, xml_timestamp

WORK_RESOURCE = "1"
TIMEPHASED_WORK = ("1", "2")  # assignment remaining work, assignment actual work
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

# Resource custom fields Text1...Text30 (MS Project's field ids, used when the file
# does not define the field in <ExtendedAttributes>).
_RESOURCE_TEXT_IDS = [205520904, 205520905, 205520926, 205520927, 205520928]
_RESOURCE_TEXT_IDS += list(range(205520993, 205520998)) + list(range(205521121, 205521141))
RESOURCE_TEXT_FIELDS = {f"text{i + 1}": str(fid) for i, fid in enumerate(_RESOURCE_TEXT_IDS)}
_RESOURCE_FIELD_IDS = range(205520896, 205520896 + 0x10000)


def _role_field_ids(root: ET.Element, role_field: str, issues: list[Issue]) -> set[str]:
    """Field ids of the resource custom field named ``role_field`` (alias or name)."""
    wanted = role_field.strip().casefold()
    ids = set()
    for ea in root.iterfind(f"{NS}ExtendedAttributes/{NS}ExtendedAttribute"):
        fid = xml_text(ea, "FieldID")
        names = {(xml_text(ea, tag) or "").strip().casefold() for tag in ("Alias", "FieldName")}
        if fid and wanted in names and xml_int(fid) in _RESOURCE_FIELD_IDS:
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
        if xml_text(ea, "FieldID") in ids:
            return xml_text(ea, "Value")
    return None


def resources(
    root: ET.Element,
    issues: list[Issue],
    role_field: str | None = None,
    calendars: dict[str, sc.WorkCalendar] | None = None,
) -> pd.DataFrame:
    calendars = calendars or {}
    project_calendar = xml_text(root, "CalendarUID")
    field_ids = _role_field_ids(root, role_field, issues) if role_field else set()
    no_value = 0
    minutes_per_day = xml_number(root, "MinutesPerDay")
    days_per_month = xml_number(root, "DaysPerMonth")
    month_hours = (minutes_per_day if minutes_per_day > 0 else 480) / 60
    month_hours *= days_per_month if days_per_month > 0 else 20
    rows, no_group, dups = [], 0, []
    seen: set[str] = set()
    for r in root.iterfind(f"{NS}Resources/{NS}Resource"):
        name = xml_text(r, "Name")
        if not name or xml_text(r, "IsNull") == "1" or xml_text(r, "Type") != WORK_RESOURCE:
            continue
        if name in seen:
            dups.append(
                sc.issue(
                    "warning",
                    "Resource",
                    xml_int(xml_text(r, "ID")),
                    "Name",
                    name,
                    DUPLICATE_RESOURCE,
                )
            )
            continue
        seen.add(name)
        group = xml_text(r, "Group")
        own = _field_value(r, field_ids) if field_ids else None
        no_value += bool(field_ids) and own is None
        no_group += own is None and group is None
        calendar = xml_text(r, "CalendarUID")
        if calendar not in calendars:
            calendar = project_calendar if project_calendar in calendars else None
        units = xml_number(r, "MaxUnits")
        units = 1.0 if pd.isna(units) else units
        rows.append(
            {
                "uid": xml_text(r, "UID"),
                "resource_id": name,
                "name": name,
                "role": own or group or name,
                "fte": units,
                "capacity_hours_per_month": units * month_hours,
                "cost_rate": xml_number(r, "StandardRate"),
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


def _unphased_work(
    a: ET.Element, key: dict[str, Any], types: set[str | None]
) -> list[dict[str, Any]]:
    """The part of an assignment's work its timephased data leaves out: remaining work
    without remaining (Type 1) rows, spread over the remaining duration (from
    ``Resume``, else ``Stop``, else ``Start``, to ``Finish``), and actual work without
    actual (Type 2) rows, over the worked span (``ActualStart``, else ``Start``, to
    ``Stop``, else ``Resume``, else ``Finish``), as MS Project schedules them."""
    start = xml_timestamp(xml_text(a, "Start"))
    finish = xml_timestamp(xml_text(a, "Finish"))
    stop = xml_timestamp(xml_text(a, "Stop"))
    resume = xml_timestamp(xml_text(a, "Resume"))
    out = []
    remaining = sc.duration_hours(xml_text(a, "RemainingWork"))
    if "1" not in types and remaining > 0:
        begin = next((d for d in (resume, stop, start) if pd.notna(d)), pd.NaT)
        out.append({**key, "hours": remaining, "start": begin, "end": finish})
    actual = sc.duration_hours(xml_text(a, "ActualWork"))
    if "2" not in types and actual > 0:
        begin = xml_timestamp(xml_text(a, "ActualStart"))
        begin = start if pd.isna(begin) else begin
        end = next((d for d in (stop, resume, finish) if pd.notna(d)), pd.NaT)
        out.append({**key, "hours": actual, "start": begin, "end": end})
    return out


def allocations(
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
        ruid = xml_text(a, "ResourceUID")
        if ruid not in by_uid.index or xml_text(a, "TaskUID") not in work_tasks:
            continue
        res = by_uid.loc[ruid]
        key = {
            "project_id": project_id,
            "role": res["role"],
            "resource_id": res["resource_id"],
            "calendar": res["calendar"],
        }
        phased = [
            tp
            for tp in a.iterfind(NS + "TimephasedData")
            if xml_text(tp, "Type") in TIMEPHASED_WORK
        ]
        if phased:
            for tp in phased:
                start = xml_timestamp(xml_text(tp, "Start"))
                spans.append(
                    {
                        **key,
                        "hours": sc.duration_hours(xml_text(tp, "Value")),
                        "start": start,
                        "end": xml_timestamp(xml_text(tp, "Finish")) - second,
                    }
                )
            spans.extend(_unphased_work(a, key, {xml_text(tp, "Type") for tp in phased}))
        else:
            spans.append(
                {
                    **key,
                    "hours": sc.duration_hours(xml_text(a, "Work")),
                    "start": xml_timestamp(xml_text(a, "Start")),
                    "end": xml_timestamp(xml_text(a, "Finish")),
                }
            )
    if not spans:
        return pd.DataFrame()
    work = pd.DataFrame(spans)
    work["start"] = pd.to_datetime(work["start"])
    work["end"] = pd.to_datetime(work["end"])
    return sc.spread_by_month(work, ["project_id", "role", "resource_id"], calendars=calendars)
