"""Referential and business rules checked after the cells are read (DESIGN section 3).

Works on the frames of :mod:`pmo_core.ingest` while they still carry their Excel row
numbers (column ``_row``) and, in ``attrs``, the sheet name and the headers as written,
so that each broken rule is reported where the user can fix it. Some rules also
normalise: a missing status becomes in_progress (warned), resource capacity defaults to
140 h x FTE, risk probabilities given in % become fractions (scales per column:
:mod:`pmo_core.ingest.risk_scales`), alignment objectives given
by name become ids.

Strict (the default), a broken rule is an error and blocks the import. Lenient
(``lenient=True``, ``import --lenient``), the same issue is a warning that says what was
done (``Issue.fix``): a faulty cell is left empty (a required one leaves its row out, as
does a faulty id), an exact copy of an earlier row is kept once, a sheet missing a
required column is left out; what cannot be located (the projects sheet missing, a
file that cannot be read) stays an error. Rows left out of Projects take their rows in
other sheets with them (those are reported as unknown projects, left out too).

``reference`` (an update import, :mod:`pmo_core.ingest.update`): the newest snapshot's
objectives and resources, against which a file without those sheets is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import risk_scales
from pmo_core.ingest.headers import column_label
from pmo_core.ingest.issues import Issue, report_rows

HOURS_PER_FTE = 140.0
#: The Baseline sheet's planned value headers, as the messages name them.
CUMULATIVE_HEADERS = '"VP cumulée" / "Cumulative PV"'
PERIOD_HEADERS = '"VP du mois" / "PV per period"'


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


def _needed(name: str, column: str) -> bool:
    """A column without which a row is unusable: required, or part of the table's key."""
    table = schema.TABLES[name]
    return column in table.key or any(c.required and c.name == column for c in table.columns)


@dataclass
class Checks:
    """The frames being checked, their issues, and the mode: :meth:`fault` reports a
    broken rule as an error (strict) or, lenient, as a warning after leaving the cell
    empty or the row out."""

    frames: dict[str, pd.DataFrame]
    issues: list[Issue]
    lenient: bool = False

    def fault(
        self,
        name: str,
        mask: pd.Series,
        column: str,
        template: str,
        *,
        fix: str | None = None,
        show: Callable[[Any], str] = str,
        **params: Any,
    ) -> None:
        """Rows of ``name`` where ``mask`` holds break a rule on ``column``. Lenient,
        ``fix`` is what is done (default: the row left out when the column is needed,
        else the cell left empty)."""
        df = self.frames[name]
        if not bool(mask.any()):
            return
        if not self.lenient:
            report_rows(self.issues, df, mask, column, "error", template, show, **params)
            return
        done = fix or ("row_left_out" if _needed(name, column) else "cell_left_empty")
        start = len(self.issues)
        report_rows(self.issues, df, mask, column, "warning", template, show, **params)
        self.issues[start:] = [replace(i, fix=done) for i in self.issues[start:]]
        if done == "cell_left_empty":
            df.loc[mask, column] = None
        else:
            self.frames[name] = df.loc[~mask]

    def relax_read(self) -> None:
        """Lenient: the errors found while reading cells (a value that cannot be read is
        already empty) become warnings; a sheet missing a required column is left out."""
        if not self.lenient:
            return
        sheets = {
            str(df.attrs.get("sheet")): name
            for name, df in self.frames.items()
            if name != "projects" and "sheet" in df.attrs
        }
        for k, i in enumerate(self.issues):
            if i.severity != "error":
                continue
            if i.column is not None:
                self.issues[k] = replace(i, severity="warning", fix="cell_left_empty")
            elif i.row is not None and i.sheet in sheets:
                self.issues[k] = replace(i, severity="warning", fix="sheet_left_out")
                self.leave_sheet_out(sheets[i.sheet])

    def leave_sheet_out(self, name: str) -> None:
        """An unusable sheet: its frame emptied (its sheet and headers kept for messages)."""
        df = self.frames[name]
        self.frames[name] = df.iloc[0:0]

    def relaxed_since(self, name: str, start: int) -> None:
        """Lenient: errors another module appended since ``start`` on rows of ``name``
        (located by Excel row) become warnings and their rows are left out; an error
        counting further rows it could not list stays an error."""
        if not self.lenient:
            return
        df = self.frames[name]
        rows: set[int] = set()
        for k in range(start, len(self.issues)):
            i = self.issues[k]
            if i.severity == "error" and i.row is not None:
                self.issues[k] = replace(i, severity="warning", fix="row_left_out")
                rows.add(i.row)
        if rows and "_row" in df:
            self.frames[name] = df.loc[~df["_row"].isin(rows)]


def check_rules(
    frames: dict[str, pd.DataFrame],
    sheets: dict[str, str],
    issues: list[Issue],
    *,
    lenient: bool = False,
    reference: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Check every rule, append issues, and normalise frames in place (lenient: the
    faulty rows and cells taken out of ``frames``; see the module's docstring)."""
    c = Checks(frames, issues, lenient)
    c.relax_read()
    for name, table in schema.TABLES.items():
        if frames[name].empty:
            continue
        for col in table.columns:
            df = frames[name]
            if not col.required or not _present(df, col.name):
                continue
            c.fault(
                name,
                df[col.name].isna(),
                col.name,
                "Required value missing: fill this cell or delete the row.",
                fix="row_left_out",
            )
        for key in [table.key] if table.key else []:
            df = frames[name]
            if not all(_present(df, k) for k in key):
                continue
            dup = df.duplicated(list(key), keep="first") & df[list(key)].notna().all(axis=1)
            what = " + ".join(key)
            message = "Duplicate {what}: each must be unique. Rename or remove this row."
            if lenient and bool(dup.any()):
                same = df.drop(columns=["_row"], errors="ignore").duplicated(keep="first")
                c.fault(name, dup & same, key[-1], message, fix="duplicate_kept_once", what=what)
                df = frames[name]
                dup = df.duplicated(list(key), keep="first") & df[list(key)].notna().all(axis=1)
            c.fault(name, dup, key[-1], message, fix="row_left_out", what=what)
    _projects(c)
    known = set(frames["projects"]["project_id"].dropna())
    for name in (
        "alignment",
        "allocations",
        "milestones",
        "risks",
        "status_reports",
        "baseline",
        "priorities",
    ):
        df = frames[name]
        if df.empty or not _present(df, "project_id") or not known:
            continue
        unknown = df["project_id"].notna() & ~_isin(df["project_id"], known)
        c.fault(
            name,
            unknown,
            "project_id",
            "Unknown project: this id is not in the Projects sheet. Fix the id or add the project.",
            fix="row_left_out",
        )
    if reference is not None and "risks" in reference:
        _risk_ids_taken(c, reference)
    _resources(c)
    _allocations(c, reference)
    _objectives(c, reference)
    _risks(c)
    _status_reports(c)
    _baseline(c)
    _priorities(c)
    cap = frames["capacity"]
    if not cap.empty and _present(cap, "capacity_hours"):
        c.fault(
            "capacity",
            cap["capacity_hours"] < 0,
            "capacity_hours",
            "Negative value: must be 0 or more.",
        )


NEGATIVE_BENEFIT = (
    "Negative expected benefit: imported as a net dis-benefit (the project is expected to "
    "lose this amount). Check the sign if it is not."
)


def _projects(c: Checks) -> None:
    p, issues = c.frames["projects"], c.issues
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
    for col in ("budget", "actual_cost"):
        if _present(p, col):
            c.fault("projects", p[col] < 0, col, "Negative amount: must be 0 or more.")
    if _present(p, "expected_benefit"):  # a net dis-benefit is real: kept, in both modes
        report_rows(
            issues, p, p["expected_benefit"] < 0, "expected_benefit", "warning", NEGATIVE_BENEFIT
        )
    if _present(p, "percent_complete"):
        bad = (p["percent_complete"] < 0) | (p["percent_complete"] > 100)
        c.fault("projects", bad, "percent_complete", "Percent complete must be between 0 and 100.")
    both = p["start_date"].notna() & p["end_date"].notna()
    c.fault(
        "projects",
        both & (p["end_date"] < p["start_date"]),
        "end_date",
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


def _risk_ids_taken(c: Checks, reference: dict[str, pd.DataFrame]) -> None:
    """An update: a risk id is unique across the portfolio, so the file's risks cannot
    take an id that a project kept from the snapshot uses."""
    r, ours = c.frames["risks"], set(c.frames["projects"]["project_id"].dropna())
    old = reference["risks"]
    if r.empty or old.empty or not _present(r, "risk_id"):
        return
    theirs = set(old.loc[~_isin(old["project_id"].astype("string"), ours), "risk_id"].dropna())
    c.fault(
        "risks",
        r["risk_id"].notna() & _isin(r["risk_id"], theirs),
        "risk_id",
        "Duplicate risk_id: a project of the current snapshot that this file does not "
        "update already has this risk id. Give this risk another id.",
        fix="row_left_out",
    )


def _resources(c: Checks) -> None:
    r = c.frames["resources"]
    if r.empty:
        return
    fte = r["fte"].fillna(1.0)
    cap = r["capacity_hours_per_month"]
    r["capacity_hours_per_month"] = cap.fillna(HOURS_PER_FTE * fte)
    c.fault(
        "resources",
        r["capacity_hours_per_month"] < 0,
        "capacity_hours_per_month",
        "Negative capacity: must be 0 or more.",
        fix="row_left_out",
    )


def _allocations(c: Checks, reference: dict[str, pd.DataFrame] | None) -> None:
    a, r = c.frames["allocations"], c.frames["resources"]
    if a.empty:
        return
    c.fault(
        "allocations",
        a["role"].isna() & a["resource_id"].isna(),
        "role",
        "Give a role or a resource for this allocation.",
        fix="row_left_out",
    )
    a = c.frames["allocations"]
    if _present(a, "resource_id"):
        known = set(r["resource_id"].dropna())
        if reference is not None and r.empty:  # an update: the snapshot's resources
            known |= set(reference["resources"]["resource_id"].dropna())
        unknown = a["resource_id"].notna() & ~_isin(a["resource_id"], known)
        c.fault(
            "allocations",
            unknown,
            "resource_id",
            "Unknown resource: this id is not in the Resources sheet.",
            fix="row_left_out",
        )
    a = c.frames["allocations"]
    c.fault(
        "allocations",
        a["hours"] < 0,
        "hours",
        "Negative hours: must be 0 or more.",
        fix="row_left_out",
    )


def _objectives(c: Checks, reference: dict[str, pd.DataFrame] | None) -> None:
    o = c.frames["objectives"]
    if o.empty and reference is not None:  # an update: rated against the snapshot's
        o = reference["objectives"]
    by_name = {
        str(n).strip().casefold(): i
        for i, n in zip(o["objective_id"], o["name"], strict=True)
        if pd.notna(n)
    }
    ids = set(o["objective_id"].dropna())
    for name, cols in (
        ("alignment", ("objective_id",)),
        ("pairwise", ("objective_a", "objective_b")),
    ):
        if c.frames[name].empty or o.empty:
            continue
        for column in cols:
            df = c.frames[name]
            col = df[column].astype("string")
            by_text = col.notna() & ~_isin(col, ids)
            if by_text.any():  # objectives given by name: each distinct name looked up once
                keys = col[by_text].str.strip().str.casefold()
                named = keys.map(by_name)
                col = col.copy()
                col[by_text] = col[by_text].where(named.isna(), named.astype("string"))
            df[column] = col
            c.fault(
                name,
                df[column].notna() & ~_isin(df[column], ids),
                column,
                "Unknown objective: it is not in the Objectives sheet.",
                fix="row_left_out",
            )
    o = c.frames["objectives"]
    if not o.empty and o["weight"].notna().any():
        c.fault("objectives", o["weight"] < 0, "weight", "Negative weight.")


def _risks(c: Checks) -> None:
    """Probability and impact scales per column, misfit rows reported, percentages made
    fractions (:mod:`pmo_core.ingest.risk_scales`); lenient, the misfit rows left out."""
    start = len(c.issues)
    risk_scales.check_risks(c.frames["risks"], c.issues)
    c.relaxed_since("risks", start)


def _status_reports(c: Checks) -> None:
    s = c.frames["status_reports"]
    if s.empty:
        return
    for col in ("planned_value", "earned_value", "actual_cost"):
        s = c.frames["status_reports"]
        c.fault("status_reports", s[col] < 0, col, "Negative amount: must be 0 or more.")
    s = c.frames["status_reports"]
    bad = (s["percent_complete"] < 0) | (s["percent_complete"] > 100)
    c.fault(
        "status_reports", bad, "percent_complete", "Percent complete must be between 0 and 100."
    )


def _baseline(c: Checks) -> None:
    """The baseline PV curve: one planned value column, cumulative or per period as its
    header says (a per-period column is cumulated here, per project in month order);
    planned values 0 or more; a cumulative curve that goes down is warned on the cell
    where it does (the curve used is then its running maximum, DESIGN section 4)."""
    b, issues = c.frames["baseline"], c.issues
    if b.empty:
        return
    # A column counts when its header is there and it holds a value (the template has both).
    cumulative = _present(b, "planned_value") and bool(b["planned_value"].notna().any())
    period = _present(b, "planned_value_period") and bool(b["planned_value_period"].notna().any())
    if not cumulative and not period:
        sheet = str(b.attrs.get("sheet", schema.TABLES["baseline"].sheet_en))
        issues.append(
            Issue(
                "warning" if c.lenient else "error",
                sheet,
                None,
                None,
                None,
                "Planned value column missing: add a column {cumulative} (cumulative) or "
                "{period} (per period).",
                {"cumulative": CUMULATIVE_HEADERS, "period": PERIOD_HEADERS},
                fix="sheet_left_out" if c.lenient else None,
            )
        )
        if c.lenient:
            c.leave_sheet_out("baseline")
        return
    column = "planned_value" if cumulative else "planned_value_period"
    given = b["project_id"].notna() & b["month"].notna()
    c.fault(
        "baseline",
        given & b[column].isna(),
        column,
        "Required value missing: fill this cell or delete the row.",
        fix="row_left_out",
    )
    b = c.frames["baseline"]
    c.fault(
        "baseline",
        b[column] < 0,
        column,
        "Negative amount: must be 0 or more.",
        fix="row_left_out",
    )
    b = c.frames["baseline"]
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


def _priorities(c: Checks) -> None:
    """Imported alignment scores and priorities are points from 0 to 100."""
    for col in ("alignment_score", "priority_pct"):
        p = c.frames["priorities"]
        if p.empty or not _present(p, col):
            continue
        c.fault(
            "priorities",
            (p[col] < 0) | (p[col] > 100),
            col,
            "Score out of range: must be between 0 and 100 points.",
        )
