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
  ``clndr_data`` (:func:`xer_calendar`), or of a P6-XML ``<Calendar>``'s standard work
  week and holidays or exceptions (:func:`~pmo_core.ingest.schedules.p6_tables.p6xml_calendar`).
- Resources: labour RSRC rows, role from ROLES (else the resource's name, warned), rate
  and max units from RSRCRATE at the data date, monthly hours from their calendar.
- Baseline PV curve (``baseline`` rows): each assignment's ``target_cost`` spread evenly
  over its target (planned) dates, else its activity's, summed by month end. When the
  file holds the project's baseline copy (a P6-XML ``<BaselineProject>``, or an XER
  PROJECT row named by ``sum_base_proj_id`` or naming the project in ``orig_proj_id``),
  the curve is the copy's planned costs over its planned dates instead; the copy is
  never current work (not a project, not in BAC, hours, activities or milestones).
  Resource curves (``target_crv``) are not read. A P6-XML ``<ProjectList>`` is an index
  of the file's projects and is not read.
- figures: BAC, AC, ETC (sum of ``remain_cost``), EAC = AC + ETC, activity and
  milestone counts. The as-of date is the data date (``last_recalc_date``).

Text is decoded as UTF-8 when the whole file is valid UTF-8, else Windows-1252 (older
P6 versions), else Latin-1.

This module builds projects, milestones and figures and holds the entry points
(:func:`read_xer`, :func:`read_p6xml`); reading the files into tables (and calendars) is
:mod:`~pmo_core.ingest.schedules.p6_tables`, resources and allocations
:mod:`~pmo_core.ingest.schedules.p6_resources`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.reader import decode_text
from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules import p6_network, p6_resources
from pmo_core.ingest.schedules.p6_tables import (
    field,
    field_dates,
    field_numbers,
    first_of,
    p6xml_tables,
    xer_calendar,
    xer_tables,
)

MILESTONE_TYPES = ("TT_Mile", "TT_FinMile")
MIN_YEAR, MAX_YEAR = 1950, 2200

NO_PROJECT = "No PROJECT table: export the project again from P6 (File > Export > XER)."
ORPHAN_ASSIGNMENT = "Resource assignment of an activity that is not in the file: ignored."
NEGATIVE_COST = "Negative cost in this assignment: kept as it is; check it in P6."
NO_BASELINE_MILESTONE = "Milestone without a target date: its forecast date is used as baseline."
ODD_DATE = "Date outside 1950-2200 or unreadable: ignored."
NO_CURVE = (
    "{n} cost-loaded assignments of this project have no usable target dates: no baseline "
    "PV curve; PV and earned schedule use the linear plan."
)
NO_COSTS = "No cost-loaded resource assignments: the budget of this project is n/a."


# ------------------------------------------------------------------------------- build


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

    proj, baseline_of = _split_baselines(proj.copy())
    proj["project_id"] = first_of(field(proj, "proj_short_name"), field(proj, "proj_id")).astype(
        str
    )
    pid_of = dict(zip(proj["proj_id"].astype(str), proj["project_id"], strict=True))
    names = field(proj, "proj_name")
    if not wbs.empty and "proj_node_flag" in wbs:
        root = wbs[wbs["proj_node_flag"] == "Y"].drop_duplicates("proj_id")
        names = names.fillna(
            proj["proj_id"].map(dict(zip(root["proj_id"], root["wbs_name"], strict=True)))
        )
    proj["name"] = names.fillna(proj["project_id"])
    data_dates = field_dates(proj, "last_recalc_date")
    as_of: date | None = data_dates.max().date() if data_dates.notna().any() else None

    # A baseline copy's activities and assignments feed its project's baseline curve only.
    base_pid = {b: pid_of[o] for b, o in baseline_of.items() if o in pid_of}
    base_task = task[field(task, "proj_id").astype(str).isin(base_pid)].copy()
    base_trs = trs[field(trs, "proj_id").astype(str).isin(base_pid)].copy()
    base_task["project_id"] = field(base_task, "proj_id").astype(str).map(base_pid)
    base_trs["project_id"] = field(base_trs, "proj_id").astype(str).map(base_pid)
    task = task[~field(task, "proj_id").astype(str).isin(base_pid)]
    trs = trs[~field(trs, "proj_id").astype(str).isin(base_pid)]

    # Activities: WBS summaries are structure, not work.
    task["project_id"] = field(task, "proj_id").astype(str).map(pid_of)
    task = task[field(task, "task_type") != "TT_WBS"]
    known_tasks = set(field(task, "task_id").astype(str))

    # Costs from resource assignments.
    trs["project_id"] = field(trs, "proj_id").astype(str).map(pid_of)
    orphan = ~field(trs, "task_id").astype(str).isin(known_tasks)
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
        trs[c] = field_numbers(trs, c)
    for c in ("target_qty", "act_reg_qty", "act_ot_qty", "remain_qty"):
        trs[c] = field_numbers(trs, c)
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
    resources, role_of_rsrc, code_of_rsrc = p6_resources.resources(tables, as_of, issues)
    cal_table = tables.get("CALENDAR", empty)
    calendars = {
        str(cid): cal
        for cid, data, parsed in zip(
            field(cal_table, "clndr_id"),
            field(cal_table, "clndr_data"),
            field(cal_table, "_work_calendar"),  # P6-XML: read by p6xml_tables
            strict=True,
        )
        if (cal := parsed if isinstance(parsed, sc.WorkCalendar) else xer_calendar(data))
        is not None
    }
    task_calendar = dict(
        zip(field(task, "task_id").astype(str), field(task, "clndr_id").astype(str), strict=True)
    )
    project_calendar = dict(
        zip(proj["project_id"], field(proj, "clndr_id").astype(str), strict=True)
    )
    trs["calendar"] = (
        field(trs, "task_id").astype(str).map(task_calendar).where(lambda c: c.isin(calendars))
    )
    trs["calendar"] = trs["calendar"].astype(object).fillna(trs["project_id"].map(project_calendar))
    allocations = p6_resources.allocations(
        trs, rsrc, roles, role_of_rsrc, code_of_rsrc, as_of, calendars
    )
    settings = {"source_format": "p6"}
    if header.get("currency"):
        settings["currency"] = header["currency"]
    if as_of is not None:
        settings["as_of"] = as_of.isoformat()
    figures["source"] = source
    activities, relations = p6_network.network(
        task,
        _plausible_dates(tables.get("TASKPRED", empty), "TASKPRED", issues),
        tables.get("CALENDAR", empty),
        project_calendar,
        set(field(trs, "task_id").astype(str)),
        base_task,
    )
    frames = {
        "projects": projects,
        "milestones": milestones,
        "resources": resources,
        "allocations": allocations,
        "baseline": _current_or_baseline_curves(trs, task, base_trs, base_task, issues),
    }
    return sc.build_result(
        frames, issues, settings, as_of, source, sha, figures, activities, relations
    )


def _split_baselines(proj: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The current projects and ``{baseline proj_id: its project's proj_id}``.

    A PROJECT row is a baseline copy when it came from a P6-XML ``<BaselineProject>``,
    when another row names it as its baseline (``sum_base_proj_id``), or when it names
    as its original (``orig_proj_id``) another project of the file. A project's
    baseline is the one it names, else the first copy naming it as original."""
    ids = field(proj, "proj_id").astype(str)
    flagged = field(proj, "_baseline").fillna(False).astype(bool)
    current_ids = set(ids[~flagged])
    named = {
        str(b): str(p)
        for p, b in zip(ids, field(proj, "sum_base_proj_id"), strict=True)
        if pd.notna(b) and str(b) != str(p) and str(b) in set(ids)
    }
    baseline_of: dict[str, str] = {}
    for pid, orig, is_copy in zip(ids, field(proj, "orig_proj_id"), flagged, strict=True):
        if pid in named:
            baseline_of[pid] = named[pid]
        elif pd.notna(orig) and str(orig) != pid and (is_copy or str(orig) in current_ids):
            baseline_of[pid] = str(orig)
        elif is_copy:
            baseline_of[pid] = ""  # a copy of no project in the file: left out
    keep = ~ids.isin(baseline_of)
    return proj[keep].copy(), {b: o for b, o in baseline_of.items() if o}


def _current_or_baseline_curves(
    trs: pd.DataFrame,
    task: pd.DataFrame,
    base_trs: pd.DataFrame,
    base_task: pd.DataFrame,
    issues: list[Issue],
) -> pd.DataFrame:
    """Each project's curve from its baseline copy when the file holds one (its planned
    cost over its planned dates, as P6 shows a baseline), else from its own planned
    (target) figures."""
    own = _baseline_curves(trs, task, issues)
    if base_trs.empty:
        return own
    base_trs = base_trs.copy()
    base_trs["target_cost"] = field_numbers(base_trs, "target_cost")
    from_copy = _baseline_curves(base_trs, base_task, issues)
    if from_copy.empty:
        return own
    rest = own[~own["project_id"].isin(set(from_copy["project_id"]))] if len(own) else own
    return pd.concat([p for p in (from_copy, rest) if len(p)], ignore_index=True)


def _baseline_curves(trs: pd.DataFrame, task: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    """Each project's cumulative PV by month: every assignment's ``target_cost`` spread
    evenly over its target (planned) dates, else its activity's, the same figures the
    budget and baseline finish come from. A project where a costed assignment has no
    target dates gets no curve (a partial one would understate PV)."""
    ids = field(task, "task_id").astype(str)
    by_task = field(trs, "task_id").astype(str)
    t_start = dict(zip(ids, field_dates(task, "target_start_date"), strict=True))
    t_end = dict(zip(ids, field_dates(task, "target_end_date"), strict=True))
    a = pd.DataFrame(
        {
            "project_id": trs["project_id"],
            "start": first_of(field_dates(trs, "target_start_date"), by_task.map(t_start)),
            "finish": first_of(field_dates(trs, "target_end_date"), by_task.map(t_end)),
            "cost": trs["target_cost"],
        }
    )
    a = a[a["cost"].notna() & (a["cost"] != 0)]
    parts = []
    for pid, g in a.groupby("project_id"):
        undated = int((g["start"].isna() | g["finish"].isna()).sum())
        if undated:
            issues.append(
                sc.issue("warning", "TASKRSRC", None, "target_end_date", pid, NO_CURVE, n=undated)
            )
            continue
        curve = sc.linear_baseline(str(pid), g["start"], g["finish"], g["cost"])
        if len(curve):
            parts.append(curve)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


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
    t_start = field_dates(task, "target_start_date")
    t_end = field_dates(task, "target_end_date")
    a_start = field_dates(task, "act_start_date")
    finish = first_of(field_dates(task, "act_end_date"), field_dates(task, "reend_date"), t_end)
    by = task["project_id"]
    dates = pd.DataFrame(
        {
            "project_id": by,
            "start": pd.concat([t_start, a_start], axis=1).min(axis=1),
            "baseline_end": t_end,
            "forecast_end": finish,
            "done": field(task, "status_code") == "TK_Complete",
            "weight": field_numbers(task, "target_drtn_hr_cnt").fillna(0),
            "pct": field_numbers(task, "phys_complete_pct").fillna(0),
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
    p["start_date"] = first_of(field_dates(p, "plan_start_date"), p["start"])
    p["end_date"] = first_of(
        p["end_date"], field_dates(p, "plan_end_date"), field_dates(p, "scd_end_date")
    )
    p["forecast_end_date"] = first_of(p["forecast"], field_dates(p, "scd_end_date"))
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
    m = task[field(task, "task_type").isin(MILESTONE_TYPES) & task["project_id"].notna()]
    start = m["task_type"] == "TT_Mile"
    baseline = first_of(
        field_dates(m, "target_start_date").where(start, field_dates(m, "target_end_date")),
        field_dates(m, "target_end_date").where(start, field_dates(m, "target_start_date")),
    )
    actual = field_dates(m, "act_start_date").where(start, field_dates(m, "act_end_date"))
    actual = actual.fillna(
        field_dates(m, "act_end_date").where(start, field_dates(m, "act_start_date"))
    )
    remaining = first_of(
        field_dates(m, "restart_date").where(start, field_dates(m, "reend_date")),
        field_dates(m, "early_start_date").where(start, field_dates(m, "early_end_date")),
    )
    forecast = first_of(actual, remaining, baseline)
    code = first_of(field(m, "task_code"), field(m, "task_id")).astype(str)
    dup = pd.Series(list(zip(m["project_id"], code, strict=True)), index=m.index).duplicated(
        keep=False
    )
    code = code.where(~dup, code + " #" + field(m, "task_id").astype(str))
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
            "name": field(m, "task_name"),
            "baseline_date": baseline.fillna(forecast),
            "forecast_date": forecast,
            "actual_date": actual,
        }
    )


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
