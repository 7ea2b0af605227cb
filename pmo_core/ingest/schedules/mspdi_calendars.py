"""MSPDI calendars: :func:`calendars` reads every ``<Calendar>`` by UID with what it
inherits from its base calendar: the week pattern (``WeekDay`` DayType 1 = Sunday ... 7 =
Saturday, DayWorking) and dated exceptions (``<Exceptions>``, or ``WeekDay`` DayType 0
with a ``TimePeriod``), daily or yearly on a day of a month. Other recurring exceptions
(monthly, weekly, "second Monday") and alternative work weeks (``<WorkWeeks>``) are not
read (:data:`CALENDAR_NOT_READ`, warned).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd

from pmo_core.ingest.issues import Issue
from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules.mspdi_xml import NS, xml_day, xml_int, xml_text

CALENDAR_NOT_READ = (
    "Calendar exceptions repeating monthly, weekly or by position and alternative work "
    "weeks are not read: those days follow the calendar's normal week."
)
# MSPDI DayType 1 = Sunday ... 7 = Saturday; numpy week masks start on Monday.
_DAY_INDEX = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5, "1": 6}
_MAX_EXCEPTION_DAYS = 3660  # a daily exception longer than ten years is not a holiday list


def _exception_days(e: ET.Element, working: bool, out: dict[date, bool]) -> bool:
    """Put the days of one exception in ``out``; False when its recurrence is not read."""
    period = e.find(NS + "TimePeriod")
    first, last = xml_day(xml_text(period, "FromDate")), xml_day(xml_text(period, "ToDate"))
    if first is None or last is None or last < first:
        return True
    kind = xml_text(e, "Type") or "1"
    if kind == "1" and (last - first).days <= _MAX_EXCEPTION_DAYS:  # every day of the range
        for d in pd.date_range(first, last, freq="D"):
            out[d.date()] = working
        return True
    month, day = xml_int(xml_text(e, "Month")), xml_int(xml_text(e, "MonthDay"))
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


def calendars(root: ET.Element, issues: list[Issue]) -> dict[str, sc.WorkCalendar]:
    """Every calendar of the file by UID, with what it inherits from its base calendar."""
    raw: dict[str, tuple[str | None, dict[int, bool], dict[date, bool]]] = {}
    unread = 0
    for c in root.iterfind(f"{NS}Calendars/{NS}Calendar"):
        uid = xml_text(c, "UID")
        if uid is None:
            continue
        week: dict[int, bool] = {}
        days: dict[date, bool] = {}
        for wd in c.iterfind(f"{NS}WeekDays/{NS}WeekDay"):
            kind, working = xml_text(wd, "DayType"), xml_text(wd, "DayWorking") == "1"
            if kind in _DAY_INDEX:
                week[_DAY_INDEX[kind]] = working
            elif kind == "0":  # an exception written as a WeekDay (MSPDI before 2007)
                _exception_days(wd, working, days)
        for e in c.iterfind(f"{NS}Exceptions/{NS}Exception"):
            unread += not _exception_days(e, xml_text(e, "DayWorking") == "1", days)
        unread += c.find(f"{NS}WorkWeeks/{NS}WorkWeek") is not None
        raw[uid] = (xml_text(c, "BaseCalendarUID"), week, days)
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
