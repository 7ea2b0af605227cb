"""Referential and business rules checked after the cells are read (DESIGN section 3).

Works on the frames of :mod:`pmo_core.ingest` while they still carry their Excel row
numbers (column ``_row``) and, in ``attrs``, the sheet name and the headers as written,
so that each broken rule is reported where the user can fix it. Some rules also
normalise: a missing status becomes in_progress (warned), resource capacity defaults to
140 h x FTE, risk probabilities given in % become fractions (scales per column:
:mod:`pmo_core.ingest.risk_scales`), alignment objectives given
by name become ids.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import risk_scales
from pmo_core.ingest.headers import column_label
from pmo_core.ingest.issues import Issue, report_rows

HOURS_PER_FTE = 140.0
#: The Baseline sheet's planned value headers, as the messages name them.
CUMULATIVE_HEADERS = '"PV cumulée" / "Cumulative PV"'
PERIOD_HEADERS = '"PV du mois" / "PV per period"'


def _isin(s: pd.Series, values: set[Any]) -> pd.Series:
    """``s.isin(values)`` for text; pandas turns each of the values into an Arrow scalar
    first (0.1 s for the 2,000 project ids of five tables), Arrow takes them as an array."""
    data = getattr(s.array, "_pa_array", None)
    if data is None or not all(isinstance(v, str) for v in values):
        return s.isin(values)
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.is_in(data, value_set=pa.array(list(values), type=data.type))
    return pd.Series(pc.fill_null(found, False).to_numpy(zero_copy_only=False), index=s.index)


def _present(df: pd.DataFrame, column: str) -> bool:
    return column in df.attrs.get("written", {})


def check_rules(
    frames: dict[str, pd.DataFrame], sheets: dict[str, str], issues: list[Issue]
) -> None:
    """Check every rule, append issues, and normalise frames in place."""
    projects = frames["projects"]
    for name, table in schema.TABLES.items():
        df = frames[name]
        if df.empty:
            continue
        for col in table.columns:
            if not col.required or not _present(df, col.name):
                continue
            report_rows(
                issues,
                df,
                df[col.name].isna(),
                col.name,
                "error",
                "Required value missing: fill this cell or delete the row.",
            )
        for key in [table.key] if table.key else []:
            if not all(_present(df, k) for k in key):
                continue
            dup = df.duplicated(list(key), keep="first") & df[list(key)].notna().all(axis=1)
            report_rows(
                issues,
                df,
                dup,
                key[-1],
                "error",
                "Duplicate {what}: each must be unique. Rename or remove this row.",
                what=" + ".join(key),
            )
    _projects(projects, issues)
    known = set(projects["project_id"].dropna())
    for name in ("alignment", "allocations", "milestones", "risks", "status_reports", "baseline"):
        df = frames[name]
        if df.empty or not _present(df, "project_id") or not known:
            continue
        unknown = df["project_id"].notna() & ~_isin(df["project_id"], known)
        report_rows(
            issues,
            df,
            unknown,
            "project_id",
            "error",
            "Unknown project: this id is not in the Projects sheet. Fix the id or add the project.",
        )
    _resources(frames, issues)
    _allocations(frames, issues)
    _objectives(frames, issues)
    _risks(frames["risks"], issues)
    _status_reports(frames["status_reports"], issues)
    _baseline(frames["baseline"], issues)
    cap = frames["capacity"]
    if not cap.empty and _present(cap, "capacity_hours"):
        report_rows(
            issues,
            cap,
            cap["capacity_hours"] < 0,
            "capacity_hours",
            "error",
            "Negative value: must be 0 or more.",
        )


def _projects(p: pd.DataFrame, issues: list[Issue]) -> None:
    if p.empty:
        return
    if _present(p, "status"):
        report_rows(
            issues,
            p,
            p["status"].isna() & p["project_id"].notna(),
            "status",
            "warning",
            "Status missing: the project is taken as in progress.",
        )
    p["status"] = p["status"].fillna("in_progress")
    for col in ("budget", "actual_cost", "expected_benefit"):
        if _present(p, col):
            report_rows(issues, p, p[col] < 0, col, "error", "Negative amount: must be 0 or more.")
    if _present(p, "percent_complete"):
        bad = (p["percent_complete"] < 0) | (p["percent_complete"] > 100)
        report_rows(
            issues,
            p,
            bad,
            "percent_complete",
            "error",
            "Percent complete must be between 0 and 100.",
        )
    both = p["start_date"].notna() & p["end_date"].notna()
    report_rows(
        issues,
        p,
        both & (p["end_date"] < p["start_date"]),
        "end_date",
        "error",
        "End date before start date: correct one of the two dates.",
    )
    for column, mask in (  # located at, and naming, the date that is missing
        ("start_date", p["start_date"].isna()),
        ("end_date", p["start_date"].notna() & p["end_date"].isna()),
    ):
        report_rows(
            issues,
            p,
            mask & p["project_id"].notna(),
            column,
            "warning",
            "Start or end date missing ({missing} is empty): schedule KPIs will be n/a for "
            "this project.",
            missing=column_label("projects", column),
        )
    report_rows(
        issues,
        p,
        p["budget"].isna() & p["project_id"].notna(),
        "budget",
        "warning",
        "Budget missing: cost KPIs will be n/a for this project.",
    )
    p["mandatory"] = p["mandatory"].fillna(False)


def _resources(frames: dict[str, pd.DataFrame], issues: list[Issue]) -> None:
    r = frames["resources"]
    if r.empty:
        return
    fte = r["fte"].fillna(1.0)
    cap = r["capacity_hours_per_month"]
    r["capacity_hours_per_month"] = cap.fillna(HOURS_PER_FTE * fte)
    report_rows(
        issues,
        r,
        r["capacity_hours_per_month"] < 0,
        "capacity_hours_per_month",
        "error",
        "Negative capacity: must be 0 or more.",
    )


def _allocations(frames: dict[str, pd.DataFrame], issues: list[Issue]) -> None:
    a, r = frames["allocations"], frames["resources"]
    if a.empty:
        return
    report_rows(
        issues,
        a,
        a["role"].isna() & a["resource_id"].isna(),
        "role",
        "error",
        "Give a role or a resource for this allocation.",
    )
    if _present(a, "resource_id"):
        known = set(r["resource_id"].dropna())
        unknown = a["resource_id"].notna() & ~_isin(a["resource_id"], known)
        report_rows(
            issues,
            a,
            unknown,
            "resource_id",
            "error",
            "Unknown resource: this id is not in the Resources sheet.",
        )
    report_rows(issues, a, a["hours"] < 0, "hours", "error", "Negative hours: must be 0 or more.")


def _objectives(frames: dict[str, pd.DataFrame], issues: list[Issue]) -> None:
    o, al, pw = frames["objectives"], frames["alignment"], frames["pairwise"]
    by_name = {
        str(n).strip().casefold(): i
        for i, n in zip(o["objective_id"], o["name"], strict=True)
        if pd.notna(n)
    }
    ids = set(o["objective_id"].dropna())
    for df, cols in ((al, ("objective_id",)), (pw, ("objective_a", "objective_b"))):
        if df.empty or o.empty:
            continue
        for c in cols:
            col = df[c].astype("string")
            by_text = col.notna() & ~_isin(col, ids)
            if by_text.any():  # objectives given by name: each distinct name looked up once
                keys = col[by_text].str.strip().str.casefold()
                named = keys.map(by_name)
                col = col.copy()
                col[by_text] = col[by_text].where(named.isna(), named.astype("string"))
            df[c] = col
            report_rows(
                issues,
                df,
                df[c].notna() & ~_isin(df[c], ids),
                c,
                "error",
                "Unknown objective: it is not in the Objectives sheet.",
            )
    if not o.empty and o["weight"].notna().any():
        report_rows(issues, o, o["weight"] < 0, "weight", "error", "Negative weight.")


def _risks(r: pd.DataFrame, issues: list[Issue]) -> None:
    """Probability and impact scales per column, misfit rows reported, percentages made
    fractions (:mod:`pmo_core.ingest.risk_scales`)."""
    risk_scales.check_risks(r, issues)


def _status_reports(s: pd.DataFrame, issues: list[Issue]) -> None:
    if s.empty:
        return
    for col in ("planned_value", "earned_value", "actual_cost"):
        report_rows(issues, s, s[col] < 0, col, "error", "Negative amount: must be 0 or more.")
    bad = (s["percent_complete"] < 0) | (s["percent_complete"] > 100)
    report_rows(
        issues, s, bad, "percent_complete", "error", "Percent complete must be between 0 and 100."
    )


def _baseline(b: pd.DataFrame, issues: list[Issue]) -> None:
    """The baseline PV curve: one planned value column, cumulative or per period as its
    header says (a per-period column is cumulated here, per project in month order);
    planned values 0 or more; a cumulative curve that goes down is warned on the cell
    where it does (the curve used is then its running maximum, DESIGN section 4)."""
    if b.empty:
        return
    # A column counts when its header is there and it holds a value (the template has both).
    cumulative = _present(b, "planned_value") and bool(b["planned_value"].notna().any())
    period = _present(b, "planned_value_period") and bool(b["planned_value_period"].notna().any())
    if not cumulative and not period:
        sheet = str(b.attrs.get("sheet", schema.TABLES["baseline"].sheet_en))
        issues.append(
            Issue(
                "error",
                sheet,
                None,
                None,
                None,
                "Planned value column missing: add a column {cumulative} (cumulative) or "
                "{period} (per period).",
                {"cumulative": CUMULATIVE_HEADERS, "period": PERIOD_HEADERS},
            )
        )
        return
    column = "planned_value" if cumulative else "planned_value_period"
    given = b["project_id"].notna() & b["month"].notna()
    report_rows(
        issues,
        b,
        given & b[column].isna(),
        column,
        "error",
        "Required value missing: fill this cell or delete the row.",
    )
    report_rows(issues, b, b[column] < 0, column, "error", "Negative amount: must be 0 or more.")
    order = b.sort_values(["project_id", "month"], kind="stable").index
    s = b.loc[order]
    if not cumulative:
        # Per period: the curve is the running sum (a blank month adds nothing).
        b.loc[order, "planned_value"] = (
            s["planned_value_period"].fillna(0.0).groupby(s["project_id"]).cumsum().to_numpy()
        )
        return
    by = s["project_id"]
    before = s["planned_value"].groupby(by).cummax().groupby(by).shift().groupby(by).ffill()
    down = pd.Series(False, index=b.index)
    down.loc[order] = (s["planned_value"] < before).fillna(False).to_numpy()
    report_rows(
        issues,
        b,
        down,
        "planned_value",
        "warning",
        "Cumulative planned value lower than an earlier month's: the curve keeps the "
        "earlier value. If this column gives each month's own PV, name it {period}.",
        period=PERIOD_HEADERS,
    )
