"""Primavera P6 activities and their logic as the schedule-quality checks read them.

:func:`network` turns XER-shaped TASK, TASKPRED and CALENDAR tables (XER, or P6-XML
through :func:`~pmo_core.ingest.schedules.p6_tables.p6xml_tables`) into the frames of
:data:`~pmo_core.ingest.schedules.common.ACTIVITY_COLUMNS` and
:data:`~pmo_core.ingest.schedules.common.RELATION_COLUMNS`:

- one activity per TASK row that is not a WBS summary; kind ``milestone`` (TT_Mile,
  TT_FinMile), ``loe`` (TT_LOE) or ``task``; done = status TK_Complete.
- baseline dates = the planned (target) dates of the project's baseline copy when the
  file holds one (matched by activity code: ``baseline_kind`` "baseline"), else the
  activity's own planned dates (MPXJ's "planned attributes" strategy; ``baseline_kind``
  "planned"); forecast dates = actual, else remaining early, else early dates.
- durations and float in working days: hours / the activity calendar's ``day_hr_cnt``
  (else the project's, else 8 h).
- hard constraints (primary or secondary): Mandatory Start / Finish, Start On, Finish On,
  Start On or Before, Finish On or Before (the ones that hold an activity against its
  logic); On or After and As Late As Possible are soft.
- relationships: PR_FS, PR_SS, PR_FF, PR_SF as FS, SS, FF, SF; lag in working days of
  the successor's calendar.
"""

from __future__ import annotations

import pandas as pd

from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules.p6_tables import field, field_dates, field_numbers, first_of

HARD_CONSTRAINTS = frozenset(
    {"CS_MANDSTART", "CS_MANDFIN", "CS_MSO", "CS_MEO", "CS_MSOB", "CS_MEOB"}
)
RELATION_TYPES = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
DEFAULT_DAY_HOURS = 8.0


def network(
    task: pd.DataFrame,
    pred: pd.DataFrame,
    calendars: pd.DataFrame,
    project_calendar: dict[str, str],
    assigned: set[str],
    baseline_task: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(activities, relations)`` of the current projects' TASK rows (``project_id``
    set, WBS summaries already left out); ``assigned`` = task ids with a resource
    assignment; ``project_calendar`` = project id -> calendar id; ``baseline_task`` =
    the TASK rows of the projects' baseline copies (``project_id`` = the project they
    copy): an activity found there by its code takes the copy's planned dates as its
    baseline."""
    day_hours = dict(
        zip(
            field(calendars, "clndr_id").astype(str),
            field_numbers(calendars, "day_hr_cnt"),
            strict=True,
        )
    )
    cal = field(task, "clndr_id").astype(str)
    cal = cal.where(cal.isin(day_hours), task["project_id"].map(project_calendar))
    hours = pd.to_numeric(cal.map(day_hours), errors="coerce")
    hours = hours.where(hours > 0, DEFAULT_DAY_HOURS).fillna(DEFAULT_DAY_HOURS)
    kind_code = field(task, "task_type")
    kind = pd.Series("task", index=task.index, dtype=object)
    kind[kind_code.isin(("TT_Mile", "TT_FinMile"))] = "milestone"
    kind[kind_code == "TT_LOE"] = "loe"
    actual_start = field_dates(task, "act_start_date")
    actual_finish = field_dates(task, "act_end_date")
    constraint = first_of(field(task, "cstr_type"), field(task, "cstr_type2"))
    hard = field(task, "cstr_type").isin(HARD_CONSTRAINTS) | field(task, "cstr_type2").isin(
        HARD_CONSTRAINTS
    )
    ids = field(task, "task_id").astype(str)
    code = first_of(field(task, "task_code"), ids).astype(str)
    b_start = field_dates(task, "target_start_date")
    b_finish = field_dates(task, "target_end_date")
    b_kind = pd.Series("planned", index=task.index, dtype=object)
    if baseline_task is not None and len(baseline_task):
        bt = baseline_task.assign(
            _key=baseline_task["project_id"].astype(str)
            + "\x00"
            + field(baseline_task, "task_code").astype(str)
        ).drop_duplicates("_key")
        key = task["project_id"].astype(str) + "\x00" + code
        in_copy = key.isin(set(bt["_key"]))
        b_start = b_start.where(
            ~in_copy,
            key.map(dict(zip(bt["_key"], field_dates(bt, "target_start_date"), strict=True))),
        )
        b_finish = b_finish.where(
            ~in_copy,
            key.map(dict(zip(bt["_key"], field_dates(bt, "target_end_date"), strict=True))),
        )
        b_kind[in_copy] = "baseline"
    activities = pd.DataFrame(
        {
            "project_id": task["project_id"],
            "task_id": ids,
            "activity_id": code,
            "name": field(task, "task_name"),
            "kind": kind,
            "done": field(task, "status_code") == "TK_Complete",
            "baseline_start": b_start,
            "baseline_finish": b_finish,
            "baseline_kind": b_kind,
            "actual_start": actual_start,
            "actual_finish": actual_finish,
            "forecast_start": first_of(
                actual_start,
                field_dates(task, "restart_date"),
                field_dates(task, "early_start_date"),
            ),
            "forecast_finish": first_of(
                actual_finish, field_dates(task, "reend_date"), field_dates(task, "early_end_date")
            ),
            "duration_days": field_numbers(task, "target_drtn_hr_cnt") / hours,
            "total_float_days": field_numbers(task, "total_float_hr_cnt") / hours,
            "constraint": constraint,
            "hard_constraint": hard,
            "resourced": ids.isin(assigned),
        }
    ).reset_index(drop=True)
    succ = field(pred, "task_id").astype(str)
    known = succ.isin(set(ids)) & field(pred, "pred_task_id").astype(str).isin(set(ids))
    p = pred[known]
    succ = succ[known]
    succ_hours = pd.to_numeric(succ.map(dict(zip(ids, hours, strict=True))), errors="coerce")
    relations = pd.DataFrame(
        {
            "project_id": succ.map(dict(zip(ids, task["project_id"], strict=True))),
            "pred_task_id": field(p, "pred_task_id").astype(str),
            "succ_task_id": succ,
            "type": field(p, "pred_type").map(RELATION_TYPES),
            "lag_days": field_numbers(p, "lag_hr_cnt").fillna(0) / succ_hours,
        }
    ).reset_index(drop=True)
    return (
        activities.reindex(columns=sc.ACTIVITY_COLUMNS),
        relations.reindex(columns=sc.RELATION_COLUMNS),
    )
