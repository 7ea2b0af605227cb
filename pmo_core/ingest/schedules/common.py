"""Shared pieces of the schedule readers (MS Project XML, Primavera P6 XER and P6-XML).

A schedule file becomes a :class:`ScheduleResult`: an
:class:`~pmo_core.ingest.IngestResult` (the ten canonical frames, issues, settings,
as-of date) plus ``figures``, one row per project with what the canonical tables have
no column for (the file's own ETC, activity and milestone counts).

Columns:
    figures -> project_id, name, source, activities, milestones, bac, ac, etc, eac

Work is spread over months by working days (:func:`spread_by_month`): Monday to Friday,
or the days of a :class:`WorkCalendar` (a week pattern and dated exceptions, as MS
Project's calendars give them); durations are ISO 8601 like MS Project writes them
(:func:`duration_hours`).

Examples:
    >>> duration_hours("PT8H30M0S")
    8.5
    >>> duration_hours("P1DT2H0M0S")
    26.0
    >>> status_from_progress(0.0, 0.0)
    'approved'
    >>> status_from_progress(40.0, 10.0)
    'in_progress'
"""

from __future__ import annotations

import gzip
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from defusedxml import ElementTree as SafeET

from pmo_core import schema
from pmo_core.ingest.issues import IngestResult, Issue

MAX_PER_RULE = 50
FIGURE_COLUMNS = [
    "project_id",
    "name",
    "source",
    "activities",
    "milestones",
    "bac",
    "ac",
    "etc",
    "eac",
]

#: One row per activity of a schedule (WBS / summary tasks left out), as the schedule
#: quality checks (:mod:`pmo_core.kpi.schedule_quality`) read it: kind is task,
#: milestone or loe; durations and float in working days; baseline dates are baseline 0
#: (MS Project), a P6 baseline copy's planned dates (``baseline_kind`` "baseline") or,
#: without a copy, P6's own planned dates (``baseline_kind`` "planned": they move with
#: the schedule for activities not started).
ACTIVITY_COLUMNS = [
    "project_id",
    "task_id",
    "activity_id",
    "name",
    "kind",
    "done",
    "baseline_start",
    "baseline_finish",
    "baseline_kind",
    "actual_start",
    "actual_finish",
    "forecast_start",
    "forecast_finish",
    "duration_days",
    "total_float_days",
    "constraint",
    "hard_constraint",
    "resourced",
]
#: One row per logic link between two activities of the file: type FS, SS, FF or SF,
#: lag in working days (negative = a lead).
RELATION_COLUMNS = ["project_id", "pred_task_id", "succ_task_id", "type", "lag_days"]

# Issue templates (English keys; French in pmo_core/i18n/fr_schedules.py).
DAMAGED_GZIP = "This compressed file is damaged."
EMPTY_FILE = "The file is empty."
NOT_XML = "This file is not readable XML ({error}): save it again from MS Project or P6."
NOT_SCHEDULE_XML = (
    "This XML file is neither an MS Project XML (MSPDI) nor a Primavera P6 XML export: "
    "in MS Project use File > Save As > XML."
)
NOT_XER = "This file is not a Primavera P6 XER export: it has no %T / %F / %R records."
MPP_NEEDS_XML = (
    "MS Project .mpp files cannot be read here: open the file in MS Project, choose "
    "File > Save As > XML (*.xml) and import that file."
)


@dataclass
class ScheduleResult(IngestResult):
    """An import result with, per project, the figures the file gives beyond the tables."""

    figures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FIGURE_COLUMNS))
    activities: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ACTIVITY_COLUMNS))
    relations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RELATION_COLUMNS))


def read_counts(result: IngestResult) -> dict[str, int]:
    """Rows read per canonical table and, for schedule files, ``activities`` (the work
    activities read: leaf tasks of MS Project, P6 activities that are not WBS summaries),
    as ``validate``/``import`` report them (DESIGN section 7). ``milestones`` stays the
    Milestones table's rows: a schedule's milestones (plus, in a merge, those of the
    portfolio workbook's projects without a schedule). A workbook's counts are its
    tables' rows only.

    Examples:
        >>> r = ScheduleResult({n: schema.empty_frame(n) for n in schema.TABLES}, [], {},
        ...     None, "a.xer", "", pd.DataFrame({"activities": [3, 4], "milestones": [1, 0]}))
        >>> {k: v for k, v in read_counts(r).items() if k in ("activities", "milestones")}
        {'milestones': 0, 'activities': 7}
    """
    counts = dict(result.counts)
    figures = getattr(result, "figures", None)
    if figures is not None and "activities" in figures:
        counts["activities"] = int(pd.to_numeric(figures["activities"]).fillna(0).sum())
    return counts


def issue(
    severity: str,
    where: str | None,
    row: int | None,
    column: str | None,
    value: Any,
    template: str,
    **params: Any,
) -> Issue:
    """One located issue (``where`` = XML element or XER table)."""
    text = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    return Issue(
        severity, where, row, column, None if text is None else str(text)[:200], template, params
    )


def capped(found: list[Issue], issues: list[Issue]) -> None:
    """Append at most ``MAX_PER_RULE`` issues of one kind, then one line for the rest."""
    issues.extend(found[:MAX_PER_RULE])
    if len(found) > MAX_PER_RULE:
        first = found[0]
        issues.append(
            Issue(
                first.severity,
                first.sheet,
                None,
                first.column,
                None,
                "{n} more rows with the same problem.",
                {"n": len(found) - MAX_PER_RULE},
            )
        )


def unpack(data: bytes, filename: str) -> tuple[bytes, str, str, Issue | None]:
    """``(bytes, lower-case name without .gz, sha256, refusal issue or None)``."""
    sha = hashlib.sha256(data).hexdigest()
    lower = filename.lower()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return b"", lower, sha, issue("error", filename, None, None, None, DAMAGED_GZIP)
        lower = lower.removesuffix(".gz")
    if not data.strip():
        return b"", lower, sha, issue("error", filename, None, None, None, EMPTY_FILE)
    return data, lower, sha, None


def parse_xml(raw: bytes) -> ET.Element:
    """The root of an XML document, parsed with defusedxml: a DTD or an entity anywhere
    in the file (not only near its start) raises ``defusedxml.DefusedXmlException``;
    malformed XML raises ``xml.etree.ElementTree.ParseError``. Every schedule file is
    read through here.

    Examples:
        >>> parse_xml(b"<a><b>1</b></a>").find("b").text
        '1'
        >>> parse_xml(b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>")
        Traceback (most recent call last):
        ...
        defusedxml.common.DTDForbidden: DTDForbidden(name='a', system_id=None, public_id=None)
    """
    root: ET.Element = SafeET.fromstring(raw, forbid_dtd=True)
    return root


def refused(source: str, sha: str, refusal: Issue) -> ScheduleResult:
    """A whole file refused: empty frames and the one issue that says why."""
    frames = {name: schema.empty_frame(name) for name in schema.TABLES}
    return ScheduleResult(frames, [refusal], {}, None, source, sha)


_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def duration_hours(text: str | None, hours_per_day: float = 24.0) -> float:
    """Hours in an ISO 8601 duration as MS Project writes work (``PT8H0M0S``).

    Days count ``hours_per_day`` (24 by default, as elapsed time); years and months
    are not used by MS Project for work and count as 0. Blank or unreadable = NaN.
    """
    if text is None:
        return float("nan")
    m = _DURATION.match(text.strip())
    if not m:
        return float("nan")
    sign, _y, _mo, d, h, mi, s = m.groups()
    hours = float(d or 0) * hours_per_day + float(h or 0) + float(mi or 0) / 60
    hours += float(s or 0) / 3600
    return -hours if sign else hours


def status_from_progress(percent_complete: float, actual_cost: float) -> str:
    """A project's status from its progress: not started, under way or done."""
    pct = 0.0 if pd.isna(percent_complete) else float(percent_complete)
    ac = 0.0 if pd.isna(actual_cost) else float(actual_cost)
    if pct >= 100:
        return "completed"
    if pct > 0 or ac > 0:
        return "in_progress"
    return "approved"


MON_FRI = "1111100"  # numpy week mask, Monday first


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: a week pattern and dated exceptions.

    ``weekmask`` is seven 0/1 characters from Monday to Sunday; ``off`` the dates not
    worked on a working weekday (holidays), ``on`` the dates worked on a resting
    weekday. Build it with :meth:`from_exceptions`, which keeps only the exceptions
    that change something.

    Examples:
        >>> mon_thu = WorkCalendar.from_exceptions("1111000", {date(2026, 2, 9): False})
        >>> week = np.array(["2026-02-09", "2026-02-16"], "datetime64[D]")
        >>> mon_thu.count(week[:1], week[1:]).tolist()  # Tue, Wed, Thu (Mon 9 a holiday)
        [3.0]
    """

    weekmask: str = MON_FRI
    off: tuple[date, ...] = ()
    on: tuple[date, ...] = ()

    @classmethod
    def from_exceptions(cls, weekmask: str, exceptions: Mapping[date, bool]) -> WorkCalendar:
        """The calendar of ``weekmask`` with ``{day: working}`` exceptions."""
        off = sorted(d for d, w in exceptions.items() if not w and weekmask[d.weekday()] == "1")
        on = sorted(d for d, w in exceptions.items() if w and weekmask[d.weekday()] == "0")
        return cls(weekmask, tuple(off), tuple(on))

    def count(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Working days in ``[lo, hi)`` for arrays of ``datetime64[D]``."""
        if "1" in self.weekmask:
            holidays = np.array(self.off, dtype="datetime64[D]")
            days = np.busday_count(lo, hi, weekmask=self.weekmask, holidays=holidays)
        else:  # numpy refuses a week without a working day
            days = np.zeros(len(lo), dtype="int64")
        if self.on:
            on = np.array(self.on, dtype="datetime64[D]")
            extra = np.searchsorted(on, hi) - np.searchsorted(on, lo)
            days = days + np.where(hi > lo, extra, 0)
        return np.asarray(days, dtype="float64")


DEFAULT_CALENDAR = WorkCalendar()


def spread_by_month(
    work: pd.DataFrame,
    keys: list[str],
    start: str = "start",
    end: str = "end",
    calendars: Mapping[Any, WorkCalendar] | None = None,
    calendar: str = "calendar",
) -> pd.DataFrame:
    """Spread ``hours`` of each row evenly over the working days of ``[start, end]``
    (both days included) and sum by ``keys`` + month.

    Working days are Monday to Friday, or, with ``calendars``, those of the calendar
    named in each row's ``calendar`` column (a name not in ``calendars``, or a blank,
    is Monday to Friday). A row whose span has no working day (a weekend, or end
    before start) puts all its hours in the month of its start. Rows without a start
    or hours are dropped.

    Examples:
        >>> w = pd.DataFrame({"k": ["a"], "hours": [30.0],
        ...     "start": [pd.Timestamp("2026-01-29")], "end": [pd.Timestamp("2026-02-04")]})
        >>> spread_by_month(w, ["k"])["hours"].tolist()  # Thu, Fri | Mon, Tue, Wed
        [12.0, 18.0]
    """
    out_cols = [*keys, "month", "hours"]
    w = work.loc[work[start].notna() & work["hours"].notna() & (work["hours"] != 0)].copy()
    if w.empty:
        return pd.DataFrame({c: pd.Series(dtype=work[c].dtype) for c in keys}).assign(
            month=pd.Series(dtype="datetime64[ms]"), hours=pd.Series(dtype="float64")
        )[out_cols]
    d0 = w[start].dt.floor("D").to_numpy(dtype="datetime64[D]")
    d1 = w[end].fillna(w[start]).dt.floor("D").to_numpy(dtype="datetime64[D]")
    d1 = np.maximum(d0, d1)
    m0 = d0.astype("datetime64[M]")
    m1 = d1.astype("datetime64[M]")
    n_months = (m1 - m0).astype(int) + 1
    rep = np.repeat(np.arange(len(w)), n_months)
    offset = np.arange(len(rep)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = m0[rep] + offset.astype("timedelta64[M]")
    lo = np.maximum(d0[rep], month.astype("datetime64[D]"))
    hi = np.minimum(d1[rep] + 1, (month + 1).astype("datetime64[D]"))
    if calendars and calendar in w:
        days = np.zeros(len(rep), dtype="float64")
        names = w[calendar].to_numpy(dtype=object)[rep]
        for name in pd.unique(names):
            cal = calendars.get(name, DEFAULT_CALENDAR) if pd.notna(name) else DEFAULT_CALENDAR
            mask = names == name if pd.notna(name) else pd.isna(names)
            days[mask] = cal.count(lo[mask], hi[mask])
    else:
        days = np.busday_count(lo, hi).astype("float64")
    total = np.bincount(rep, weights=days, minlength=len(w))
    hours = w["hours"].to_numpy(dtype="float64")
    share = np.where(total[rep] > 0, days / np.where(total[rep] > 0, total[rep], 1), 0.0)
    # No working day in the whole span: everything in the first month.
    share = np.where((total[rep] == 0) & (offset == 0), 1.0, share)
    parts = w[keys].iloc[rep].reset_index(drop=True)
    parts["month"] = pd.to_datetime(month).astype("datetime64[ms]")
    parts["hours"] = hours[rep] * share
    parts = parts[parts["hours"] != 0]
    return parts.groupby([*keys, "month"], as_index=False, dropna=False)["hours"].sum()[out_cols]


def to_dates(s: pd.Series) -> pd.Series:
    """Dates from XER (``2017-09-16 08:00``) or XML (``2017-09-16T08:00:00``) text."""
    return pd.to_datetime(s, format="ISO8601", errors="coerce")


def to_numbers(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype("float64")


def build_result(
    tables: dict[str, pd.DataFrame],
    issues: list[Issue],
    settings: dict[str, str],
    as_of: date | None,
    source: str,
    sha: str,
    figures: pd.DataFrame,
    activities: pd.DataFrame | None = None,
    relations: pd.DataFrame | None = None,
) -> ScheduleResult:
    """Conform every canonical frame (missing ones empty) and wrap them, with the
    activities and relations the quality checks read (empty when not given)."""
    frames = {
        name: schema.conform(name, tables[name]) if name in tables else schema.empty_frame(name)
        for name in schema.TABLES
    }
    for name, frame in frames.items():
        for col in schema.TABLES[name].columns:
            if col.dtype == "date" and len(frame):
                frame[col.name] = frame[col.name].dt.floor("D")
    figs = figures.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True)
    acts = (activities if activities is not None else pd.DataFrame()).reindex(
        columns=ACTIVITY_COLUMNS
    )
    rels = (relations if relations is not None else pd.DataFrame()).reindex(
        columns=RELATION_COLUMNS
    )
    return ScheduleResult(
        frames,
        issues,
        settings,
        as_of,
        source,
        sha,
        figs,
        acts.reset_index(drop=True),
        rels.reset_index(drop=True),
    )


def linear_baseline(
    project_id: str, start: pd.Series, finish: pd.Series, cost: pd.Series
) -> pd.DataFrame:
    """Cumulative baseline PV at each month's end, each cost spread evenly over time.

    One row per (start, finish, cost) element (a task's baseline 0): its cost accrues
    linearly over calendar time from start to finish (a zero-length one at its finish).
    Rows ``project_id, month, planned_value``, one per month from the earliest start's
    to the latest finish's, PV = sum of cost x elapsed fraction at the month's end (the
    first day of the next month, 00:00, as :func:`pmo_core.kpi.schedule.baseline_curves`
    reads it). Elements without a start, finish or cost are left out; none left, or a
    finish before the start, gives no rows (the caller says why)."""
    cols = ["project_id", "month", "planned_value"]
    s = pd.to_datetime(start).reset_index(drop=True)
    f = pd.to_datetime(finish).reset_index(drop=True)
    c = pd.to_numeric(cost, errors="coerce").reset_index(drop=True)
    keep = s.notna() & f.notna() & c.notna()
    s, f, c = s[keep], f[keep], c[keep]
    if s.empty or bool((f < s).any()):
        return pd.DataFrame(columns=cols)
    months = pd.period_range(s.min().to_period("M"), f.max().to_period("M"), freq="M")
    ends = (months + 1).to_timestamp().to_numpy()
    s_ns = s.to_numpy()[:, None]
    f_ns = f.to_numpy()[:, None]
    span = (f_ns - s_ns) / np.timedelta64(1, "s")
    elapsed = (ends[None, :] - s_ns) / np.timedelta64(1, "s")
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(span > 0, np.clip(elapsed / span, 0.0, 1.0), ends[None, :] >= f_ns)
    pv = (c.to_numpy(dtype="float64")[:, None] * frac).sum(axis=0)
    return pd.DataFrame(
        {"project_id": project_id, "month": months.to_timestamp(), "planned_value": pv}
    )
