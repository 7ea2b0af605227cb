"""Primavera P6 resources and their work: :func:`resources` (labour RSRC rows, role from
ROLES, else the parent resource, else the resource's name, warned; rate and max units
from RSRCRATE at the data date, monthly hours from their calendar) and
:func:`allocations` (TASKRSRC labour and role hours, actual over the actual dates and
remaining over the remaining dates, spread over the working days of each activity's
calendar, by project, role, resource and month).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules.p6_tables import field, field_dates, field_numbers, first_of

DEFAULT_MONTH_HOURS = 140.0
RESOURCE_WITHOUT_ROLE = (
    "{n} resources have no role in the file: each one's name is used as its role."
)


def _rate_at(rates: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """Each resource's rate row in force at the data date (else its first one)."""
    if rates.empty or "rsrc_id" not in rates:
        return pd.DataFrame(columns=["cost_per_qty", "max_qty_per_hr"])
    r = rates.assign(
        rsrc_id=rates["rsrc_id"].astype(str),
        start=field_dates(rates, "start_date"),
        cost_per_qty=field_numbers(rates, "cost_per_qty"),
        max_qty_per_hr=field_numbers(rates, "max_qty_per_hr"),
    ).sort_values(["rsrc_id", "start"], na_position="first")
    in_force = r
    if as_of is not None:
        in_force = r[r["start"].isna() | (r["start"] <= pd.Timestamp(as_of))]
    chosen = pd.concat([in_force.groupby("rsrc_id").tail(1), r.groupby("rsrc_id").head(1)])
    return chosen.drop_duplicates("rsrc_id", keep="first").set_index("rsrc_id")


def resources(
    tables: dict[str, pd.DataFrame], as_of: date | None, issues: list[Issue]
) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    rsrc = tables.get("RSRC", pd.DataFrame(columns=["rsrc_id"]))
    if rsrc.empty:
        return pd.DataFrame(), {}, {}
    roles = tables.get("ROLES", pd.DataFrame(columns=["role_id", "role_name"]))
    role_name = dict(
        zip(field(roles, "role_id").astype(str), field(roles, "role_name"), strict=True)
    )
    ids = rsrc["rsrc_id"].astype(str)
    code = first_of(field(rsrc, "rsrc_short_name"), ids).astype(str)
    code_of = dict(zip(ids, code, strict=True))
    name_of = dict(zip(ids, first_of(field(rsrc, "rsrc_name"), code), strict=True))
    parent = field(rsrc, "parent_rsrc_id").astype(str).map(name_of)
    role = field(rsrc, "role_id").astype(str).map(role_name)
    no_role = role.isna() & parent.isna()
    role = first_of(role, parent, pd.Series(name_of).reindex(ids).set_axis(rsrc.index))
    role_of = dict(zip(ids, role, strict=True))
    labour = field(rsrc, "rsrc_type").isin(["RT_Labor", None]) | field(rsrc, "rsrc_type").isna()
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
        zip(field(cal, "clndr_id").astype(str), field_numbers(cal, "month_hr_cnt"), strict=True)
    )
    hours = field(rsrc, "clndr_id").astype(str).map(month_hours).astype("float64")
    fte = pd.Series(rate["max_qty_per_hr"].to_numpy(dtype="float64"), index=rsrc.index)
    fte = fte.fillna(1.0)
    out = pd.DataFrame(
        {
            "resource_id": code,
            "name": field(rsrc, "rsrc_name"),
            "role": role,
            "fte": fte,
            "capacity_hours_per_month": fte * hours.fillna(DEFAULT_MONTH_HOURS),
            "cost_rate": rate["cost_per_qty"].to_numpy(dtype="float64"),
        }
    )[labour.to_numpy()]
    return out.drop_duplicates("resource_id"), role_of, code_of


def allocations(
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
    rtype = field(trs, "rsrc_type")
    if rtype.isna().all() and not rsrc.empty:
        rtype = field(trs, "rsrc_id").map(
            dict(zip(rsrc["rsrc_id"], field(rsrc, "rsrc_type"), strict=True))
        )
    rid = field(trs, "rsrc_id").astype(object)
    role_name = dict(
        zip(field(roles, "role_id").astype(str), field(roles, "role_name"), strict=True)
    )
    labour = (rtype == "RT_Labor") | (rid.isna() & field(trs, "role_id").notna())
    t = trs[labour.to_numpy()]
    rid = rid[labour.to_numpy()]
    base = pd.DataFrame(
        {
            "project_id": t["project_id"],
            "role": first_of(
                field(t, "role_id").astype(str).map(role_name), rid.astype(str).map(role_of_rsrc)
            ),
            "resource_id": rid.astype(str).map(code_of_rsrc).where(rid.notna()),
            "calendar": t["calendar"],
        }
    )
    data_date = pd.Timestamp(as_of) if as_of else pd.NaT
    t_start, t_end = field_dates(t, "target_start_date"), field_dates(t, "target_end_date")
    actual = base.assign(
        hours=t["act_reg_qty"].fillna(0) + t["act_ot_qty"].fillna(0),
        start=first_of(field_dates(t, "act_start_date"), t_start),
        end=first_of(
            field_dates(t, "act_end_date"),
            field_dates(t, "restart_date"),
            pd.Series(data_date, index=t.index),
        ),
    )
    remaining = base.assign(
        hours=t["remain_qty"],
        start=first_of(field_dates(t, "restart_date"), t_start),
        end=first_of(field_dates(t, "reend_date"), t_end),
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
