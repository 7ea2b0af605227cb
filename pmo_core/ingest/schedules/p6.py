"""Primavera P6 schedules: XER (tab-separated ``%T``/``%F``/``%R``) and P6-XML.

Both are read into the same tables, named and shaped as in XER (PROJECT, PROJWBS, TASK,
TASKRSRC, RSRC, RSRCRATE, ROLES, CALENDAR), then :func:`build_p6` turns them into
canonical frames, one project per PROJECT row:

- Projects: id = ``proj_short_name``, name = the project's root WBS node; budget (BAC) =
  sum of TASKRSRC ``target_cost``, actual cost = ``act_reg_cost + act_ot_cost``,
  % complete = AC / (AC + remaining cost); start, baseline finish (latest target
  finish) and forecast finish (latest actual or remaining finish); status from progress.
- Milestones: TASK rows of type ``TT_Mile`` (start) and ``TT_FinMile`` (finish): target
  date as baseline, remaining early date as forecast, actual date.
- Allocations: labour and role quantities (hours) of TASKRSRC by project, role,
  resource and month: actual hours over the actual dates, remaining hours over the
  remaining dates, each spread evenly over the working days of the activity's calendar
  (else the project's, else Mon-Fri): the week and the dated exceptions of CALENDAR
  ``clndr_data`` (:func:`xer_calendar`; XER only, P6-XML calendars are not read).
- Resources: labour RSRC rows, role from ROLES (else the resource's name, warned), rate
  and max units from RSRCRATE at the data date, monthly hours from their calendar.
- figures: BAC, AC, ETC (sum of ``remain_cost``), EAC = AC + ETC, activity and
  milestone counts. The as-of date is the data date (``last_recalc_date``).

Text is decoded as UTF-8 when the whole file is valid UTF-8, else Windows-1252 (older
P6 versions), else Latin-1.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.reader import decode_text
from pmo_core.ingest.schedules import common as sc

MILESTONE_TYPES = ("TT_Mile", "TT_FinMile")
DEFAULT_MONTH_HOURS = 140.0
MIN_YEAR, MAX_YEAR = 1950, 2200

NO_PROJECT = "No PROJECT table: export the project again from P6 (File > Export > XER)."
SHORT_ROW = "This row has {n} values but the table has {m} fields: the extra values are ignored."
ORPHAN_ASSIGNMENT = "Resource assignment of an activity that is not in the file: ignored."
NEGATIVE_COST = "Negative cost in this assignment: kept as it is; check it in P6."
NO_BASELINE_MILESTONE = "Milestone without a target date: its forecast date is used as baseline."
RESOURCE_WITHOUT_ROLE = (
    "{n} resources have no role in the file: each one's name is used as its role."
)
ODD_DATE = "Date outside 1950-2200 or unreadable: ignored."
NO_COSTS = "No cost-loaded resource assignments: the budget of this project is n/a."


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
            "PhysicalPercentComplete": "phys_complete_pct",
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
    "Calendar": ("CALENDAR", {"ObjectId": "clndr_id", "HoursPerMonth": "month_hr_cnt"}),
}
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
}


def p6xml_tables(root: ET.Element) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The XER-shaped tables of a P6-XML export (``APIBusinessObjects``)."""
    ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
    out: dict[str, pd.DataFrame] = {}
    for element, (table, names) in P6XML_MAP.items():
        records = []
        for e in root.iter(ns + element):
            rec: dict[str, Any] = {}
            for child in e:
                key = names.get(child.tag.removeprefix(ns))
                if key is not None and child.text and child.text.strip():
                    text = child.text.strip()
                    rec[key] = P6XML_CODES.get(text, text)
            records.append(rec)
        df = pd.DataFrame(records, columns=list(names.values()), dtype=object)
        df["_line"] = None
        if table == "TASK":  # P6-XML writes percentages as fractions
            df["phys_complete_pct"] = sc.to_numbers(df["phys_complete_pct"]) * 100
        out[table] = df
    header = {}
    cur = root.find(f"{ns}DisplayCurrency/{ns}Currency/{ns}Id")
    if cur is not None and cur.text:
        header["currency"] = cur.text.strip()
    return out, header


# ------------------------------------------------------------------------------- build


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df else pd.Series([None] * len(df), index=df.index, dtype=object)


def _num(df: pd.DataFrame, name: str) -> pd.Series:
    return sc.to_numbers(_col(df, name))


def _date(df: pd.DataFrame, name: str) -> pd.Series:
    return sc.to_dates(_col(df, name))


def _first(*series: pd.Series) -> pd.Series:
    out = series[0]
    for s in series[1:]:
        if out.dtype.kind != s.dtype.kind and out.isna().all():
            out = s.copy()
            continue
        if out.dtype.kind != s.dtype.kind:
            out = out.astype(object)
        out = out.fillna(s)
    return out


def build_p6(
    tables: dict[str, pd.DataFrame],
    header: dict[str, str],
    source: str,
    sha: str,
    issues: list[Issue],
) -> sc.ScheduleResult:
    """Canonical frames and figures from XER-shaped tables (see the module docstring)."""
    empty = pd.DataFrame(columns=["_line"])
    proj = tables.get("PROJECT", empty)
    if proj.empty:
        issues.append(sc.issue("error", source, None, None, None, NO_PROJECT))
        return sc.build_result({}, issues, {}, None, source, sha, pd.DataFrame())
    task = _plausible_dates(tables.get("TASK", empty), "TASK", issues)
    trs = _plausible_dates(tables.get("TASKRSRC", empty), "TASKRSRC", issues)
    rsrc = tables.get("RSRC", empty).copy()
    roles = tables.get("ROLES", empty)
    wbs = tables.get("PROJWBS", empty)

    proj = proj.copy()
    proj["project_id"] = _first(_col(proj, "proj_short_name"), _col(proj, "proj_id")).astype(str)
    pid_of = dict(zip(proj["proj_id"].astype(str), proj["project_id"], strict=True))
    names = _col(proj, "proj_name")
    if not wbs.empty and "proj_node_flag" in wbs:
        root = wbs[wbs["proj_node_flag"] == "Y"].drop_duplicates("proj_id")
        names = names.fillna(
            proj["proj_id"].map(dict(zip(root["proj_id"], root["wbs_name"], strict=True)))
        )
    proj["name"] = names.fillna(proj["project_id"])
    data_dates = _date(proj, "last_recalc_date")
    as_of: date | None = data_dates.max().date() if data_dates.notna().any() else None

    # Activities: WBS summaries are structure, not work.
    task["project_id"] = _col(task, "proj_id").astype(str).map(pid_of)
    task = task[_col(task, "task_type") != "TT_WBS"]
    known_tasks = set(_col(task, "task_id").astype(str))

    # Costs from resource assignments.
    trs["project_id"] = _col(trs, "proj_id").astype(str).map(pid_of)
    orphan = ~_col(trs, "task_id").astype(str).isin(known_tasks)
    sc.capped(
        [
            sc.issue(
                "warning", "TASKRSRC", _line(r), "task_id", r.get("task_id"), ORPHAN_ASSIGNMENT
            )
            for r in trs[orphan].to_dict("records")
        ],
        issues,
    )
    trs = trs[~orphan & trs["project_id"].notna()]
    for c in ("target_cost", "act_reg_cost", "act_ot_cost", "remain_cost"):
        trs[c] = _num(trs, c)
    for c in ("target_qty", "act_reg_qty", "act_ot_qty", "remain_qty"):
        trs[c] = _num(trs, c)
    found = []
    for c in ("target_cost", "act_reg_cost", "act_ot_cost", "remain_cost"):
        for r in trs[trs[c] < 0].to_dict("records"):
            found.append(sc.issue("warning", "TASKRSRC", _line(r), c, r[c], NEGATIVE_COST))
    sc.capped(found, issues)
    trs["ac"] = trs["act_reg_cost"].fillna(0) + trs["act_ot_cost"].fillna(0)
    money = trs.groupby("project_id").agg(
        bac=("target_cost", "sum"), ac=("ac", "sum"), etc=("remain_cost", "sum")
    )

    projects, figures = _projects(proj, task, money, issues)
    milestones = _milestones(task, issues)
    figures["milestones"] = (
        figures["project_id"].map(milestones.groupby("project_id").size()).fillna(0).astype(int)
    )
    resources, role_of_rsrc, code_of_rsrc = _resources(tables, as_of, issues)
    calendars = {
        str(cid): cal
        for cid, data in zip(
            _col(tables.get("CALENDAR", empty), "clndr_id"),
            _col(tables.get("CALENDAR", empty), "clndr_data"),
            strict=True,
        )
        if (cal := xer_calendar(data)) is not None
    }
    task_calendar = dict(
        zip(_col(task, "task_id").astype(str), _col(task, "clndr_id").astype(str), strict=True)
    )
    project_calendar = dict(
        zip(proj["project_id"], _col(proj, "clndr_id").astype(str), strict=True)
    )
    trs["calendar"] = (
        _col(trs, "task_id").astype(str).map(task_calendar).where(lambda c: c.isin(calendars))
    )
    trs["calendar"] = trs["calendar"].fillna(trs["project_id"].map(project_calendar))
    allocations = _allocations(trs, rsrc, roles, role_of_rsrc, code_of_rsrc, as_of, calendars)
    settings = {"source_format": "p6"}
    if header.get("currency"):
        settings["currency"] = header["currency"]
    if as_of is not None:
        settings["as_of"] = as_of.isoformat()
    figures["source"] = source
    frames = {
        "projects": projects,
        "milestones": milestones,
        "resources": resources,
        "allocations": allocations,
    }
    return sc.build_result(frames, issues, settings, as_of, source, sha, figures)


def _plausible_dates(df: pd.DataFrame, table: str, issues: list[Issue]) -> pd.DataFrame:
    """A copy of ``df`` without dates outside 1950-2200 (P6 writes such placeholders,
    e.g. year 4637), each one warned."""
    out = df.copy()
    found = []
    for c in [c for c in out.columns if str(c).endswith("_date")]:
        d = sc.to_dates(out[c])
        odd = d.notna() & ((d.dt.year < MIN_YEAR) | (d.dt.year > MAX_YEAR))
        odd |= d.isna() & out[c].notna()
        for r in out[odd].to_dict("records"):
            found.append(sc.issue("warning", table, _line(r), c, r[c], ODD_DATE))
        out.loc[odd, c] = None
    sc.capped(found, issues)
    return out


def _line(rec: dict[str, Any]) -> int | None:
    v = rec.get("_line")
    return None if v is None or pd.isna(v) else int(v)


def _projects(
    proj: pd.DataFrame, task: pd.DataFrame, money: pd.DataFrame, issues: list[Issue]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    t_start = _date(task, "target_start_date")
    t_end = _date(task, "target_end_date")
    a_start = _date(task, "act_start_date")
    finish = _first(_date(task, "act_end_date"), _date(task, "reend_date"), t_end)
    by = task["project_id"]
    dates = pd.DataFrame(
        {
            "project_id": by,
            "start": pd.concat([t_start, a_start], axis=1).min(axis=1),
            "baseline_end": t_end,
            "forecast_end": finish,
            "done": _col(task, "status_code") == "TK_Complete",
            "weight": _num(task, "target_drtn_hr_cnt").fillna(0),
            "pct": _num(task, "phys_complete_pct").fillna(0),
        }
    )
    g = dates.groupby("project_id")
    agg = g.agg(
        start=("start", "min"),
        end_date=("baseline_end", "max"),
        forecast=("forecast_end", "max"),
        activities=("done", "size"),
        all_done=("done", "all"),
    )
    p = proj.set_index("project_id", drop=False)
    p = p.join(agg).join(money)
    p["start_date"] = _first(_date(p, "plan_start_date"), p["start"])
    p["end_date"] = _first(p["end_date"], _date(p, "plan_end_date"), _date(p, "scd_end_date"))
    p["forecast_end_date"] = _first(p["forecast"], _date(p, "scd_end_date"))
    spent = p["ac"].fillna(0) + p["etc"].fillna(0)
    weighted = dates.assign(w=dates["weight"] * dates["pct"]).groupby("project_id")[["w", "weight"]]
    sums = weighted.sum()
    by_duration = (sums["w"] / sums["weight"].where(sums["weight"] > 0)).reindex(p.index)
    p["percent_complete"] = (100 * p["ac"] / spent.where(spent > 0)).fillna(by_duration)
    p["status"] = [
        "completed" if done is True else sc.status_from_progress(pct, ac)
        for done, pct, ac in zip(p["all_done"], p["percent_complete"], p["ac"], strict=True)
    ]
    for r in p[p["bac"].isna() | (p["bac"] == 0)].to_dict("records"):
        issues.append(
            sc.issue("warning", "TASKRSRC", None, "target_cost", r["project_id"], NO_COSTS)
        )
    p["budget"] = p["bac"].where(p["bac"] > 0)
    p["actual_cost"] = p["ac"]
    projects = p.reset_index(drop=True)
    figures = pd.DataFrame(
        {
            "project_id": projects["project_id"],
            "name": projects["name"],
            "activities": projects["activities"].fillna(0).astype(int),
            "bac": projects["bac"],
            "ac": projects["ac"],
            "etc": projects["etc"],
            "eac": projects["ac"] + projects["etc"],
        }
    )
    return projects, figures


def _milestones(task: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    m = task[_col(task, "task_type").isin(MILESTONE_TYPES) & task["project_id"].notna()]
    start = m["task_type"] == "TT_Mile"
    baseline = _first(
        _date(m, "target_start_date").where(start, _date(m, "target_end_date")),
        _date(m, "target_end_date").where(start, _date(m, "target_start_date")),
    )
    actual = _date(m, "act_start_date").where(start, _date(m, "act_end_date"))
    actual = actual.fillna(_date(m, "act_end_date").where(start, _date(m, "act_start_date")))
    remaining = _first(
        _date(m, "restart_date").where(start, _date(m, "reend_date")),
        _date(m, "early_start_date").where(start, _date(m, "early_end_date")),
    )
    forecast = _first(actual, remaining, baseline)
    code = _first(_col(m, "task_code"), _col(m, "task_id")).astype(str)
    dup = pd.Series(list(zip(m["project_id"], code, strict=True)), index=m.index).duplicated(
        keep=False
    )
    code = code.where(~dup, code + " #" + _col(m, "task_id").astype(str))
    missing = baseline.isna()
    sc.capped(
        [
            sc.issue(
                "warning",
                "TASK",
                _line(r),
                "target_end_date",
                r.get("task_code"),
                NO_BASELINE_MILESTONE,
            )
            for r in m[missing].to_dict("records")
        ],
        issues,
    )
    return pd.DataFrame(
        {
            "project_id": m["project_id"],
            "milestone_id": code,
            "name": _col(m, "task_name"),
            "baseline_date": baseline.fillna(forecast),
            "forecast_date": forecast,
            "actual_date": actual,
        }
    )


def _rate_at(rates: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """Each resource's rate row in force at the data date (else its first one)."""
    if rates.empty or "rsrc_id" not in rates:
        return pd.DataFrame(columns=["cost_per_qty", "max_qty_per_hr"])
    r = rates.assign(
        rsrc_id=rates["rsrc_id"].astype(str),
        start=_date(rates, "start_date"),
        cost_per_qty=_num(rates, "cost_per_qty"),
        max_qty_per_hr=_num(rates, "max_qty_per_hr"),
    ).sort_values(["rsrc_id", "start"], na_position="first")
    in_force = r
    if as_of is not None:
        in_force = r[r["start"].isna() | (r["start"] <= pd.Timestamp(as_of))]
    chosen = pd.concat([in_force.groupby("rsrc_id").tail(1), r.groupby("rsrc_id").head(1)])
    return chosen.drop_duplicates("rsrc_id", keep="first").set_index("rsrc_id")


def _resources(
    tables: dict[str, pd.DataFrame], as_of: date | None, issues: list[Issue]
) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    rsrc = tables.get("RSRC", pd.DataFrame(columns=["rsrc_id"]))
    if rsrc.empty:
        return pd.DataFrame(), {}, {}
    roles = tables.get("ROLES", pd.DataFrame(columns=["role_id", "role_name"]))
    role_name = dict(zip(_col(roles, "role_id").astype(str), _col(roles, "role_name"), strict=True))
    ids = rsrc["rsrc_id"].astype(str)
    code = _first(_col(rsrc, "rsrc_short_name"), ids).astype(str)
    code_of = dict(zip(ids, code, strict=True))
    name_of = dict(zip(ids, _first(_col(rsrc, "rsrc_name"), code), strict=True))
    parent = _col(rsrc, "parent_rsrc_id").astype(str).map(name_of)
    role = _col(rsrc, "role_id").astype(str).map(role_name)
    no_role = role.isna() & parent.isna()
    role = _first(role, parent, pd.Series(name_of).reindex(ids).set_axis(rsrc.index))
    role_of = dict(zip(ids, role, strict=True))
    labour = _col(rsrc, "rsrc_type").isin(["RT_Labor", None]) | _col(rsrc, "rsrc_type").isna()
    if int((no_role & labour).sum()):
        issues.append(
            sc.issue(
                "warning",
                "RSRC",
                None,
                "role_id",
                None,
                RESOURCE_WITHOUT_ROLE,
                n=int((no_role & labour).sum()),
            )
        )
    rate = _rate_at(tables.get("RSRCRATE", pd.DataFrame()), as_of).reindex(ids)
    cal = tables.get("CALENDAR", pd.DataFrame(columns=["clndr_id", "month_hr_cnt"]))
    month_hours = dict(
        zip(_col(cal, "clndr_id").astype(str), _num(cal, "month_hr_cnt"), strict=True)
    )
    hours = _col(rsrc, "clndr_id").astype(str).map(month_hours).astype("float64")
    fte = pd.Series(rate["max_qty_per_hr"].to_numpy(dtype="float64"), index=rsrc.index)
    fte = fte.fillna(1.0)
    out = pd.DataFrame(
        {
            "resource_id": code,
            "name": _col(rsrc, "rsrc_name"),
            "role": role,
            "fte": fte,
            "capacity_hours_per_month": fte * hours.fillna(DEFAULT_MONTH_HOURS),
            "cost_rate": rate["cost_per_qty"].to_numpy(dtype="float64"),
        }
    )[labour.to_numpy()]
    return out.drop_duplicates("resource_id"), role_of, code_of


def _allocations(
    trs: pd.DataFrame,
    rsrc: pd.DataFrame,
    roles: pd.DataFrame,
    role_of_rsrc: dict[str, str],
    code_of_rsrc: dict[str, str],
    as_of: date | None,
    calendars: dict[str, sc.WorkCalendar],
) -> pd.DataFrame:
    if trs.empty:
        return pd.DataFrame()
    rtype = _col(trs, "rsrc_type")
    if rtype.isna().all() and not rsrc.empty:
        rtype = _col(trs, "rsrc_id").map(
            dict(zip(rsrc["rsrc_id"], _col(rsrc, "rsrc_type"), strict=True))
        )
    rid = _col(trs, "rsrc_id").astype(object)
    role_name = dict(zip(_col(roles, "role_id").astype(str), _col(roles, "role_name"), strict=True))
    labour = (rtype == "RT_Labor") | (rid.isna() & _col(trs, "role_id").notna())
    t = trs[labour.to_numpy()]
    rid = rid[labour.to_numpy()]
    base = pd.DataFrame(
        {
            "project_id": t["project_id"],
            "role": _first(
                _col(t, "role_id").astype(str).map(role_name), rid.astype(str).map(role_of_rsrc)
            ),
            "resource_id": rid.astype(str).map(code_of_rsrc).where(rid.notna()),
            "calendar": t["calendar"],
        }
    )
    data_date = pd.Timestamp(as_of) if as_of else pd.NaT
    t_start, t_end = _date(t, "target_start_date"), _date(t, "target_end_date")
    actual = base.assign(
        hours=t["act_reg_qty"].fillna(0) + t["act_ot_qty"].fillna(0),
        start=_first(_date(t, "act_start_date"), t_start),
        end=_first(
            _date(t, "act_end_date"), _date(t, "restart_date"), pd.Series(data_date, index=t.index)
        ),
    )
    remaining = base.assign(
        hours=t["remain_qty"],
        start=_first(_date(t, "restart_date"), t_start),
        end=_first(_date(t, "reend_date"), t_end),
    )
    work = pd.concat([actual, remaining], ignore_index=True)
    work[["role", "resource_id"]] = work[["role", "resource_id"]].astype(object)
    out = sc.spread_by_month(
        work.fillna({"role": "", "resource_id": ""}),
        ["project_id", "role", "resource_id"],
        calendars=calendars,
    )
    out["role"] = out["role"].replace("", None)
    out["resource_id"] = out["resource_id"].replace("", None)
    return out[out["hours"] > 0]


# ------------------------------------------------------------------------------- entry


def read_xer(data: bytes, filename: str) -> sc.ScheduleResult:
    """Read a Primavera P6 XER export (``.xer`` or ``.xer.gz``): one project per PROJECT
    row. Bad content becomes issues; never raises.

    Examples:
        >>> r = read_xer(b"not an xer", "x.xer")
        >>> r.ok, r.issues[0].sheet
        (False, 'x.xer')
    """
    raw, _lower, sha, refusal = sc.unpack(data, filename)
    if refusal is not None:
        return sc.refused(filename, sha, refusal)
    tables, header, issues = xer_tables(decode_text(raw))
    if not tables:
        return sc.refused(filename, sha, sc.issue("error", filename, None, None, None, sc.NOT_XER))
    return build_p6(tables, header, filename, sha, issues)


def read_p6xml(root: ET.Element, filename: str, sha: str) -> sc.ScheduleResult:
    """Read a parsed P6-XML export (root ``APIBusinessObjects``) like an XER."""
    tables, header = p6xml_tables(root)
    return build_p6(tables, header, filename, sha, [])
