"""Schedule import: MS Project XML (MSPDI), Primavera P6 XER and P6-XML (issue 8).

Hand-made files check the rules one at a time (numbers worked out in the comments);
the real files in ``../shared/data`` check the known answers of the data README and
are skipped when that folder is absent.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import cli, schema, store
from pmo_core.i18n import FR
from pmo_core.ingest import IngestResult, pipeline, schedules
from pmo_core.ingest.schedules import common as schedule_common
from pmo_core.ingest.schedules import (
    merge_results,
    mspdi_calendars,
    mspdi_resources,
    p6_resources,
    p6_tables,
    read_mspdi,
    read_xer,
)
from pmo_core.ingest.schedules import mspdi as schedule_mspdi
from pmo_core.ingest.schedules import p6 as schedule_xer
from pmo_core.ingest.schedules.common import duration_hours, spread_by_month

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SP10 = DATA / "p6-xer" / "SP10_COST_LOADED.xer.gz"
SAMPLES = DATA / "mspdi-samples"
needs_data = pytest.mark.skipif(not SP10.exists(), reason="../shared/data not present")


# ------------------------------------------------------------------------------ hand-made


def mspdi(tasks: str, resources: str = "", assignments: str = "", header: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        f"<Name>plan.xml</Name><MinutesPerDay>480</MinutesPerDay><DaysPerMonth>20</DaysPerMonth>"
        f"<CurrencyCode>EUR</CurrencyCode>{header}"
        f"<Tasks>{tasks}</Tasks><Resources>{resources}</Resources>"
        f"<Assignments>{assignments}</Assignments></Project>"
    ).encode()


def task(uid: int, name: str, level: int, *, summary: bool = False, extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name>"
        f"<OutlineLevel>{level}</OutlineLevel><Summary>{int(summary)}</Summary>"
        f"<Milestone>0</Milestone>{extra}</Task>"
    )


# Summary UID 0: baseline cost 1,000,000 hundredths = 10,000.00; actual 250,000 = 2,500.00.
ALPHA = mspdi(
    header="<StatusDate>2026-02-15T17:00:00</StatusDate><Title>Alpha CRM</Title>",
    tasks=task(
        0,
        "Alpha",
        0,
        summary=True,
        extra="<Start>2026-01-26T08:00:00</Start><Finish>2026-03-31T17:00:00</Finish>"
        "<PercentComplete>25</PercentComplete><Cost>1100000</Cost><ActualCost>250000</ActualCost>"
        "<RemainingCost>850000</RemainingCost>"
        "<BCWS>300000</BCWS><BCWP>250000</BCWP><ACWP>250000</ACWP>"
        "<Baseline><Number>0</Number><Cost>1000000</Cost><Start>2026-01-26T08:00:00</Start>"
        "<Finish>2026-03-20T17:00:00</Finish></Baseline>",
    )
    + task(
        1, "Build", 1, extra="<Duration>PT80H0M0S</Duration><PercentComplete>50</PercentComplete>"
    )
    + task(2, "Test", 1, extra="<Duration>PT24H0M0S</Duration>")
    + "<Task><UID>3</UID><ID>3</ID><Name>Go live</Name><OutlineLevel>1</OutlineLevel>"
    "<Summary>0</Summary><Milestone>1</Milestone><Finish>2026-03-31T17:00:00</Finish>"
    "<ActualFinish></ActualFinish><Baseline><Number>0</Number>"
    "<Finish>2026-03-20T17:00:00</Finish></Baseline></Task>",
    resources="<Resource><UID>0</UID><ID>0</ID><Type>1</Type></Resource>"
    "<Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type><Group>Dev</Group>"
    "<MaxUnits>0.5</MaxUnits><StandardRate>80</StandardRate></Resource>"
    "<Resource><UID>2</UID><ID>2</ID><Name>Ben</Name><Type>1</Type><Group>QA</Group>"
    "<MaxUnits>1</MaxUnits><StandardRate>60</StandardRate></Resource>"
    "<Resource><UID>3</UID><ID>3</ID><Name>Concrete</Name><Type>0</Type></Resource>",
    # Ana: 80 h from Mon 26 Jan to Fri 6 Feb 2026, no timephased data: 5 working days
    # in January, 5 in February -> 40 h + 40 h.
    # Ben: timephased actual 8 h on 30 Jan, remaining 8 h on 2 Feb and 16 h over 2-3 Mar.
    assignments="<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
    "<Start>2026-01-26T08:00:00</Start><Finish>2026-02-06T17:00:00</Finish>"
    "<Work>PT80H0M0S</Work></Assignment>"
    "<Assignment><UID>2</UID><TaskUID>2</TaskUID><ResourceUID>2</ResourceUID>"
    "<Start>2026-01-30T08:00:00</Start><Finish>2026-03-03T17:00:00</Finish><Work>PT32H0M0S</Work>"
    "<TimephasedData><Type>2</Type><UID>2</UID><Start>2026-01-30T08:00:00</Start>"
    "<Finish>2026-01-31T08:00:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value></TimephasedData>"
    "<TimephasedData><Type>1</Type><UID>2</UID><Start>2026-02-02T08:00:00</Start>"
    "<Finish>2026-02-03T08:00:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value></TimephasedData>"
    "<TimephasedData><Type>1</Type><UID>2</UID><Start>2026-03-02T08:00:00</Start>"
    "<Finish>2026-03-04T08:00:00</Finish><Unit>3</Unit><Value>PT16H0M0S</Value></TimephasedData>"
    "<TimephasedData><Type>4</Type><UID>2</UID><Start>2026-03-02T08:00:00</Start>"
    "<Finish>2026-03-04T08:00:00</Finish><Unit>3</Unit><Value>PT99H0M0S</Value></TimephasedData>"
    "</Assignment>"
    # An assignment on the summary task is not work of its own.
    "<Assignment><UID>3</UID><TaskUID>0</TaskUID><ResourceUID>1</ResourceUID>"
    "<Start>2026-01-26T08:00:00</Start><Finish>2026-01-30T17:00:00</Finish>"
    "<Work>PT40H0M0S</Work></Assignment>",
)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("PT8H0M0S", 8.0),
        ("PT0H30M0S", 0.5),
        ("PT6H59M60S", 7.0),
        ("PT1H7M30S", 1.125),
        ("P2DT4H0M0S", 52.0),
        ("-PT2H0M0S", -2.0),
        ("PT0H0M0S", 0.0),
    ],
)
def test_durations_are_read_as_hours(text: str, hours: float) -> None:
    assert duration_hours(text) == pytest.approx(hours)


def test_unreadable_duration_is_nan() -> None:
    assert pd.isna(duration_hours("8 hours"))
    assert pd.isna(duration_hours(None))


def test_work_is_spread_over_working_days_by_month() -> None:
    # Fri 30 Jan to Tue 3 Feb 2026: Fri | Mon, Tue -> 1/3 in January, 2/3 in February.
    # A Saturday-only span puts everything in its month.
    w = pd.DataFrame(
        {
            "k": ["a", "b"],
            "hours": [30.0, 6.0],
            "start": pd.to_datetime(["2026-01-30", "2026-02-28"]),
            "end": pd.to_datetime(["2026-02-03", "2026-02-28"]),
        }
    )
    out = spread_by_month(w, ["k"])
    assert out.to_dict("list") == {
        "k": ["a", "a", "b"],
        "month": list(pd.to_datetime(["2026-01-01", "2026-02-01", "2026-02-01"])),
        "hours": [10.0, 20.0, 6.0],
    }


def test_mspdi_project_row_comes_from_the_summary_task() -> None:
    r = read_mspdi(ALPHA, "alpha.xml")
    assert r.ok, [i.to_dict() for i in r.issues]
    p = r.frames["projects"].iloc[0]
    assert (p["project_id"], p["name"], p["status"]) == ("alpha", "Alpha CRM", "in_progress")
    assert p["budget"] == pytest.approx(10_000.0)  # baseline 0 cost, in hundredths
    assert p["actual_cost"] == pytest.approx(2_500.0)
    assert p["percent_complete"] == 25
    assert p["start_date"] == pd.Timestamp("2026-01-26")
    assert p["end_date"] == pd.Timestamp("2026-03-20")  # baseline finish
    assert p["forecast_end_date"] == pd.Timestamp("2026-03-31")  # current finish
    assert r.as_of == date(2026, 2, 15) and r.settings["currency"] == "EUR"
    f = r.figures.iloc[0]
    assert (f["activities"], f["milestones"]) == (3, 1)
    assert (f["bac"], f["ac"], f["etc"], f["eac"]) == pytest.approx((10_000, 2_500, 8_500, 11_000))


def test_mspdi_milestones_resources_and_status_report() -> None:
    r = read_mspdi(ALPHA, "alpha.xml")
    m = r.frames["milestones"].iloc[0]
    assert (m["milestone_id"], m["name"]) == ("3", "Go live")
    assert m["baseline_date"] == pd.Timestamp("2026-03-20")
    assert m["forecast_date"] == pd.Timestamp("2026-03-31")
    assert pd.isna(m["actual_date"])
    res = r.frames["resources"].set_index("resource_id")
    assert sorted(res.index) == ["Ana", "Ben"]  # the blank UID 0 and the material are left out
    # Ana: MaxUnits 0.5 x 8 h x 20 days = 80 h a month.
    assert res.loc["Ana", "capacity_hours_per_month"] == 80.0
    assert (res.loc["Ana", "role"], res.loc["Ana", "cost_rate"]) == ("Dev", 80.0)
    s = r.frames["status_reports"].iloc[0]
    assert s["report_date"] == pd.Timestamp("2026-02-15")
    assert (s["planned_value"], s["earned_value"], s["actual_cost"]) == (3000.0, 2500.0, 2500.0)


def test_mspdi_allocations_spread_evenly_or_timephased() -> None:
    a = read_mspdi(ALPHA, "alpha.xml").frames["allocations"]
    got = {
        (row.resource_id, row.role, row.month.strftime("%Y-%m")): row.hours
        for row in a.itertuples()
    }
    # Ana evenly 40 + 40 (the summary-task assignment is not counted); Ben from the
    # timephased actual + remaining work only (the baseline type 4 is ignored).
    assert got == {
        ("Ana", "Dev", "2026-01"): 40.0,
        ("Ana", "Dev", "2026-02"): 40.0,
        ("Ben", "QA", "2026-01"): 8.0,
        ("Ben", "QA", "2026-02"): 8.0,
        ("Ben", "QA", "2026-03"): 16.0,
    }


def test_mspdi_without_project_summary_never_counts_summary_tasks_twice() -> None:
    # Phase (summary, baseline 300.00) holds A (100.00) and B (200.00): budget 300, not 600.
    def leaf(uid: int, cost: int, actual: int, pct: int, hours: int) -> str:
        return task(
            uid,
            f"T{uid}",
            2,
            extra=f"<Duration>PT{hours}H0M0S</Duration><PercentComplete>{pct}</PercentComplete>"
            f"<Cost>{cost}</Cost><ActualCost>{actual}</ActualCost>"
            f"<Start>2026-0{uid}-01T08:00:00</Start><Finish>2026-0{uid}-20T17:00:00</Finish>"
            f"<Baseline><Number>0</Number><Cost>{cost}</Cost>"
            f"<Finish>2026-0{uid}-18T17:00:00</Finish></Baseline>",
        )

    phase = task(
        1,
        "Phase",
        1,
        summary=True,
        extra="<Cost>30000</Cost><ActualCost>5000</ActualCost><PercentComplete>50</PercentComplete>"
        "<Baseline><Number>0</Number><Cost>30000</Cost></Baseline>",
    )
    r = read_mspdi(mspdi(phase + leaf(2, 10000, 5000, 100, 10) + leaf(3, 20000, 0, 0, 30)), "b.xml")
    p = r.frames["projects"].iloc[0]
    assert p["budget"] == pytest.approx(300.0)
    assert p["actual_cost"] == pytest.approx(50.0)
    # % complete weighted by duration: (100 x 10 + 0 x 30) / 40 = 25.
    assert p["percent_complete"] == pytest.approx(25.0)
    assert p["end_date"] == pd.Timestamp("2026-03-18")
    assert r.figures.iloc[0]["activities"] == 2


def test_mspdi_status_report_sums_the_leaves_earned_value_without_a_summary_task() -> None:
    # No project summary: the leaves' BCWS / BCWP / ACWP (hundredths) are summed, the
    # phase above them is not. PV 200 + 100 = 300, EV 150 + 50 = 200, AC 180 + 40 = 220.
    # No status date: the report is dated at the file's current date.
    def leaf(uid: int, bcws: int, bcwp: int, acwp: int) -> str:
        return task(
            uid,
            f"T{uid}",
            2,
            extra=f"<Duration>PT40H0M0S</Duration><PercentComplete>{50 * (uid - 1)}"
            f"</PercentComplete><BCWS>{bcws}</BCWS><BCWP>{bcwp}</BCWP><ACWP>{acwp}</ACWP>"
            "<Baseline><Number>0</Number><Cost>40000</Cost></Baseline>",
        )

    phase = task(
        1,
        "Phase",
        1,
        summary=True,
        extra="<BCWS>30000</BCWS><BCWP>20000</BCWP><ACWP>22000</ACWP>"
        "<Baseline><Number>0</Number><Cost>80000</Cost></Baseline>",
    )
    plan = mspdi(
        phase + leaf(2, 20000, 15000, 18000) + leaf(3, 10000, 5000, 4000),
        header="<CurrentDate>2026-03-10T08:00:00</CurrentDate>",
    )
    r = read_mspdi(plan, "ev.xml")
    assert r.ok and r.as_of is None
    s = r.frames["status_reports"].iloc[0]
    assert s["report_date"] == pd.Timestamp("2026-03-10")
    assert (s["planned_value"], s["earned_value"], s["actual_cost"]) == pytest.approx(
        (300.0, 200.0, 220.0)
    )
    # % complete weighted by duration: (50 x 40 + 100 x 40) / 80 = 75.
    assert s["percent_complete"] == pytest.approx(75.0)
    # Without BCWS / BCWP / ACWP in the file there is no status report.
    bare = plan.replace(b"<BCWS>", b"<X>").replace(b"</BCWS>", b"</X>")
    bare = bare.replace(b"BCWP>", b"Y>").replace(b"ACWP>", b"Z>")
    assert read_mspdi(bare, "bare.xml").frames["status_reports"].empty


def test_mspdi_without_baseline_uses_current_cost_and_warns() -> None:
    r = read_mspdi(
        mspdi(
            task(
                0,
                "P",
                0,
                summary=True,
                extra="<Cost>50000</Cost><Finish>2026-05-01T17:00:00</Finish>",
            )
        ),
        "nobase.xml",
    )
    assert r.ok
    assert r.frames["projects"].iloc[0]["budget"] == 500.0
    assert r.frames["projects"].iloc[0]["end_date"] == pd.Timestamp("2026-05-01")
    assert [i.template for i in r.issues] == [schedule_mspdi.NO_BASELINE]
    assert r.frames["status_reports"].empty


def test_mspdi_gz_is_accepted() -> None:
    r = read_mspdi(gzip.compress(ALPHA), "alpha.xml.gz")
    assert r.ok and r.frames["projects"].iloc[0]["project_id"] == "alpha"


# Calendars: Standard (UID 1, the project's) works Mon-Fri with a daily holiday on
# Fri 30 Jan 2026, a yearly one on 3 February (Month 1 = February) and a holiday
# repeating by position (not read, warned). Ana's calendar (UID 3) is her own, based on
# Standard, with a day off on Thu 5 Feb. Ben's (UID 4) is a base calendar of its own
# working Mon-Thu, written the pre-2007 way: a holiday on Wed 4 Feb as a WeekDay of
# DayType 0, and Sat 31 Jan worked. Cleo has no calendar: the project's.
def week(*working: int) -> str:
    days = "".join(
        f"<WeekDay><DayType>{d}</DayType><DayWorking>{int(d in working)}</DayWorking></WeekDay>"
        for d in range(1, 8)
    )
    return f"<WeekDays>{days}</WeekDays>"


def exception(first: str, last: str, working: int = 0, extra: str = "") -> str:
    return (
        f"<Exception><TimePeriod><FromDate>{first}T00:00:00</FromDate>"
        f"<ToDate>{last}T23:59:00</ToDate></TimePeriod>{extra}"
        f"<DayWorking>{working}</DayWorking></Exception>"
    )


CALENDARS = (
    "<CalendarUID>1</CalendarUID><Calendars>"
    "<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
    f"<BaseCalendarUID>-1</BaseCalendarUID>{week(2, 3, 4, 5, 6)}<Exceptions>"
    + exception("2026-01-30", "2026-01-30", extra="<Type>1</Type>")
    + exception(
        "2020-02-03", "2030-02-03", extra="<Type>2</Type><Month>1</Month><MonthDay>3</MonthDay>"
    )
    + exception("2026-01-01", "2026-12-31", extra="<Type>5</Type><MonthPosition>0</MonthPosition>")
    + "</Exceptions></Calendar>"
    "<Calendar><UID>3</UID><Name>Ana</Name><IsBaseCalendar>0</IsBaseCalendar>"
    "<BaseCalendarUID>1</BaseCalendarUID><Exceptions>"
    + exception("2026-02-05", "2026-02-05")
    + "</Exceptions></Calendar>"
    "<Calendar><UID>4</UID><Name>Four days</Name><IsBaseCalendar>1</IsBaseCalendar>"
    f"<BaseCalendarUID>-1</BaseCalendarUID>{week(2, 3, 4, 5)}".replace(
        "</WeekDays>",
        "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
        "<FromDate>2026-02-04T00:00:00</FromDate><ToDate>2026-02-04T23:59:00</ToDate>"
        "</TimePeriod></WeekDay></WeekDays>",
    )
    + "<Exceptions>"
    + exception("2026-01-31", "2026-01-31", working=1)
    + "</Exceptions></Calendar></Calendars>"
    # Resource fields: Text2 has the alias "Métier"; a task field has it too (not ours).
    "<ExtendedAttributes>"
    "<ExtendedAttribute><FieldID>188743731</FieldID><FieldName>Text1</FieldName>"
    "<Alias>Métier</Alias></ExtendedAttribute>"
    "<ExtendedAttribute><FieldID>205520905</FieldID><FieldName>Text2</FieldName>"
    "<Alias>Métier</Alias></ExtendedAttribute></ExtendedAttributes>"
)


def resource(uid: int, name: str, group: str, extra: str = "") -> str:
    return (
        f"<Resource><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><Type>1</Type>"
        f"<Group>{group}</Group><MaxUnits>1</MaxUnits>{extra}</Resource>"
    )


def assignment(uid: int, resource_uid: int, start: str, finish: str, hours: int) -> str:
    return (
        f"<Assignment><UID>{uid}</UID><TaskUID>1</TaskUID><ResourceUID>{resource_uid}</ResourceUID>"
        f"<Start>{start}T08:00:00</Start><Finish>{finish}T17:00:00</Finish>"
        f"<Work>PT{hours}H0M0S</Work></Assignment>"
    )


def field(field_id: int, value: str) -> str:
    return f"<ExtendedAttribute><FieldID>{field_id}</FieldID><Value>{value}</Value></ExtendedAttribute>"


CALENDAR_PLAN = mspdi(
    header=CALENDARS,
    tasks=task(1, "Build", 1, extra="<Duration>PT80H0M0S</Duration>"),
    resources=resource(
        1, "Ana", "Dev", "<CalendarUID>3</CalendarUID>" + field(205520905, "Développeuse")
    )
    + resource(
        2,
        "Ben",
        "QA",
        "<CalendarUID>4</CalendarUID>" + field(205520905, "Testeur") + field(205520904, "QA lead"),
    )
    + resource(3, "Cleo", "PMO"),
    # Two weeks, Mon 26 Jan to Fri 6 Feb 2026, for Ana and Ben; Cleo Thu 29 Jan - Wed 4 Feb.
    assignments=assignment(1, 1, "2026-01-26", "2026-02-06", 70)
    + assignment(2, 2, "2026-01-26", "2026-02-06", 60)
    + assignment(3, 3, "2026-01-29", "2026-02-04", 12),
)


def hours_by_month(r: schedule_common.ScheduleResult) -> dict[tuple[str, str, str], float]:
    return {
        (row.resource_id, row.role, row.month.strftime("%Y-%m")): row.hours
        for row in r.frames["allocations"].itertuples()
    }


def test_mspdi_work_is_spread_over_the_calendars_working_days() -> None:
    r = read_mspdi(CALENDAR_PLAN, "cal.xml")
    assert r.ok
    assert [i.template for i in r.issues] == [
        schedule_mspdi.NO_BASELINE,
        mspdi_calendars.CALENDAR_NOT_READ,
    ]
    assert hours_by_month(r) == {
        # Ana (Standard + her day off): January 26, 27, 28, 29 (30 a holiday) = 4 days;
        # February 2, 4, 6 (3 the yearly holiday, 5 her own) = 3 days: 70 h / 7 = 10 h.
        ("Ana", "Dev", "2026-01"): 40.0,
        ("Ana", "Dev", "2026-02"): 30.0,
        # Ben (Mon-Thu): January 26, 27, 28, 29 and Saturday 31 worked = 5 days;
        # February 2, 3, 5 (4 a holiday; 3 is Standard's, not his) = 3: 60 h / 8 = 7.5 h.
        ("Ben", "QA", "2026-01"): 37.5,
        ("Ben", "QA", "2026-02"): 22.5,
        # Cleo (the project's calendar): Thu 29 | Mon 2, Wed 4 (30 Jan, 3 Feb off): 4 h a day.
        ("Cleo", "PMO", "2026-01"): 4.0,
        ("Cleo", "PMO", "2026-02"): 8.0,
    }


def test_mspdi_without_calendars_spreads_over_monday_to_friday() -> None:
    # The same plan without <Calendars>: Ana 10 working days (5 + 5), Ben the same,
    # Cleo Thu 29, Fri 30 | Mon 2, Tue 3, Wed 4 = 2 + 3.
    plain = CALENDAR_PLAN.replace(CALENDARS.encode(), b"")
    assert hours_by_month(read_mspdi(plain, "plain.xml")) == pytest.approx(
        {
            ("Ana", "Dev", "2026-01"): 35.0,
            ("Ana", "Dev", "2026-02"): 35.0,
            ("Ben", "QA", "2026-01"): 30.0,
            ("Ben", "QA", "2026-02"): 30.0,
            ("Cleo", "PMO", "2026-01"): 4.8,
            ("Cleo", "PMO", "2026-02"): 7.2,
        }
    )


def test_work_calendar_counts_exceptions_once() -> None:
    # Mon-Thu; Fri 30 Jan declared worked, Mon 26 off, Sun 1 Feb off (already resting).
    cal = schedule_common.WorkCalendar.from_exceptions(
        "1111000", {date(2026, 1, 30): True, date(2026, 1, 26): False, date(2026, 2, 1): False}
    )
    assert (cal.off, cal.on) == ((date(2026, 1, 26),), (date(2026, 1, 30),))
    lo = pd.to_datetime(["2026-01-26", "2026-01-31", "2026-01-26"]).values.astype("datetime64[D]")
    hi = pd.to_datetime(["2026-02-02", "2026-02-02", "2026-01-26"]).values.astype("datetime64[D]")
    # 27, 28, 29 + the worked Friday 30 = 4; the weekend alone = 0; an empty span = 0.
    assert cal.count(lo, hi).tolist() == [4.0, 0.0, 0.0]
    never = schedule_common.WorkCalendar.from_exceptions("0000000", {date(2026, 1, 28): True})
    assert never.count(lo, hi).tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("role_field", "roles", "blank"),
    [
        (None, {"Ana": "Dev", "Ben": "QA", "Cleo": "PMO"}, None),
        # The alias of the resource field Text2 (not the task field of the same alias).
        ("métier ", {"Ana": "Développeuse", "Ben": "Testeur", "Cleo": "PMO"}, 1),
        ("Text2", {"Ana": "Développeuse", "Ben": "Testeur", "Cleo": "PMO"}, 1),
        # Text1 is not defined in the file: MS Project's own field id (205520904).
        ("Texte1", {"Ana": "Dev", "Ben": "QA lead", "Cleo": "PMO"}, 2),
    ],
)
def test_mspdi_role_from_a_resource_custom_field(
    role_field: str | None, roles: dict[str, str], blank: int | None
) -> None:
    r = read_mspdi(CALENDAR_PLAN, "cal.xml", role_field=role_field)
    res = r.frames["resources"].set_index("resource_id")
    assert res["role"].to_dict() == roles
    # Allocations carry the same roles.
    alloc = r.frames["allocations"].drop_duplicates("resource_id").set_index("resource_id")
    assert alloc["role"].to_dict() == roles
    warned = [i for i in r.issues if i.template == mspdi_resources.ROLE_FIELD_BLANK]
    assert [i.params["n"] for i in warned] == ([] if blank is None else [blank])


def test_mspdi_unknown_role_field_keeps_the_group_and_warns() -> None:
    r = read_mspdi(CALENDAR_PLAN, "cal.xml", role_field="Skill")
    assert r.ok
    assert r.frames["resources"].set_index("resource_id")["role"].to_dict() == {
        "Ana": "Dev",
        "Ben": "QA",
        "Cleo": "PMO",
    }
    unknown = [i for i in r.issues if i.template == mspdi_resources.UNKNOWN_ROLE_FIELD]
    assert [(i.severity, i.sheet, i.params) for i in unknown] == [
        ("warning", "ExtendedAttributes", {"field": "Skill"})
    ]


def test_role_field_goes_through_validate_files(tmp_path: Path) -> None:
    path = tmp_path / "cal.xml"
    path.write_bytes(CALENDAR_PLAN)
    for result in (
        pipeline.validate_files([path, ("alpha.xml", ALPHA)], role_field="Métier"),
        pipeline.validate_file(path, role_field="Métier"),
    ):
        roles = result.frames["resources"].set_index("resource_id")["role"].to_dict()
        assert (roles["Ana"], roles["Ben"], roles["Cleo"]) == ("Développeuse", "Testeur", "PMO")
    # ALPHA has no such field: its resources keep their Group, and it is said per file.
    merged = pipeline.validate_files([path, ("alpha.xml", ALPHA)], role_field="Métier")
    assert merged.frames["resources"].set_index("resource_id")["role"]["Ben"] == "Testeur"
    assert [i.sheet for i in merged.issues if i.template == mspdi_resources.UNKNOWN_ROLE_FIELD] == [
        "alpha.xml: ExtendedAttributes"
    ]


def test_cli_import_reads_the_role_field(tmp_path: Path) -> None:
    path, db = tmp_path / "cal.xml", tmp_path / "pmo.duckdb"
    path.write_bytes(CALENDAR_PLAN)
    args = ["import", str(path), "--role-field", "Métier", "--db", str(db), "--json"]
    assert cli.main(args) == 0
    snap = store.get_snapshot(None, tables=("resources", "allocations"), path=db)
    assert snap.frames["resources"].set_index("resource_id")["role"].to_dict() == {
        "Ana": "Développeuse",
        "Ben": "Testeur",
        "Cleo": "PMO",
    }
    # Ana's 70 h by her calendar, under her role: 40 h in January, 30 h in February.
    ana = snap.frames["allocations"].query("resource_id == 'Ana'").sort_values("month")
    assert ana["role"].unique().tolist() == ["Développeuse"]
    assert ana["hours"].tolist() == [40.0, 30.0]


@pytest.mark.parametrize(
    ("data", "name", "template"),
    [
        (
            b"<Project xmlns='http://schemas.microsoft.com/project'><Tasks>",
            "x.xml",
            schedule_common.NOT_XML,
        ),
        (b"<Other/>", "x.xml", schedule_common.NOT_SCHEDULE_XML),
        (b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "x.xml", schedules.UNSAFE_XML),
        (b"\x1f\x8bnot gzip", "x.xml.gz", schedule_common.DAMAGED_GZIP),
        (b"just text", "x.xer", schedule_common.NOT_XER),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "plan.mpp", schedule_common.MPP_NEEDS_XML),
    ],
)
def test_broken_files_are_refused_with_one_located_error(
    data: bytes, name: str, template: str
) -> None:
    if name.endswith(".mpp") and schedules.mpxj_available():
        template = schedules.MPP_UNREADABLE  # MPXJ reads .mpp files, but not this one
    r = schedules.read_schedule(data, name)
    assert not r.ok
    assert [(i.severity, i.sheet, i.template) for i in r.issues] == [("error", name, template)]
    assert all(df.empty for df in r.frames.values())


# ------------------------------------------------------------------------------ XER

XER_FIELDS = {
    "PROJECT": "proj_id proj_short_name plan_start_date last_recalc_date",
    "PROJWBS": "wbs_id proj_id proj_node_flag wbs_name",
    "ROLES": "role_id role_name",
    "RSRC": "rsrc_id rsrc_short_name rsrc_name rsrc_type role_id clndr_id",
    "RSRCRATE": "rsrc_id cost_per_qty max_qty_per_hr start_date",
    "TASK": "task_id proj_id task_code task_name task_type status_code target_start_date "
    "target_end_date act_start_date act_end_date restart_date reend_date",
    "TASKRSRC": "taskrsrc_id task_id proj_id rsrc_id role_id rsrc_type target_cost act_reg_cost "
    "act_ot_cost remain_cost act_reg_qty act_ot_qty remain_qty act_start_date act_end_date "
    "restart_date reend_date target_start_date target_end_date",
}


def xer(rows: dict[str, list[str]]) -> bytes:
    lines = ["ERMHDR\t8.1\t2026-02-01\tProject\tadmin\tx\tdb\tProject Management\tEUR"]
    for table, fields in XER_FIELDS.items():
        lines += [f"%T\t{table}", "%F\t" + fields.replace(" ", "\t")]
        lines += ["%R\t" + r for r in rows.get(table, [])]
    return ("\r\n".join([*lines, "%E", ""])).encode("cp1252")


def row(*values: str) -> str:
    return "\t".join(values)


# Project R1: 2 activities and 2 milestones; one labour assignment (cost 1,000.00,
# actual 300 + 50 overtime, remaining 700, hours: 24 actual over 26-28 Jan, 40 remaining
# over 2-6 Feb) and one role-only assignment (cost 500, remaining 500, 20 h in Feb).
RENO = xer(
    {
        "PROJECT": [row("10", "R1", "2026-01-26 00:00", "2026-01-31 00:00")],
        "PROJWBS": [row("100", "10", "Y", "Rénovation siège")],
        "ROLES": [row("7", "Électricien")],
        "RSRC": [
            row("5", "EL1", "Éloïse", "RT_Labor", "7", "1"),
            row("6", "CR1", "Crane", "RT_Equip", "", "1"),
        ],
        "RSRCRATE": [
            row("5", "50.0", "1", "2025-01-01 00:00"),
            row("5", "55.0", "1", "2026-06-01 00:00"),
        ],
        "TASK": [
            row(
                "1",
                "10",
                "A10",
                "Câblage",
                "TT_Task",
                "TK_Active",
                "2026-01-26 08:00",
                "2026-02-06 17:00",
                "2026-01-26 08:00",
                "",
                "2026-02-02 08:00",
                "2026-02-06 17:00",
            ),
            row(
                "2",
                "10",
                "M10",
                "Début",
                "TT_Mile",
                "TK_Complete",
                "2026-01-26 08:00",
                "",
                "2026-01-27 08:00",
                "",
                "",
                "",
            ),
            row(
                "3",
                "10",
                "M20",
                "Réception",
                "TT_FinMile",
                "TK_NotStart",
                "",
                "2026-02-27 17:00",
                "",
                "",
                "",
                "2026-03-06 17:00",
            ),
            row("4", "10", "WBS", "Summary", "TT_WBS", "TK_NotStart", "", "", "", "", "", ""),
        ],
        "TASKRSRC": [
            row(
                "1",
                "1",
                "10",
                "5",
                "",
                "RT_Labor",
                "1000",
                "300",
                "50",
                "700",
                "20",
                "4",
                "40",
                "2026-01-26 08:00",
                "",
                "2026-02-02 08:00",
                "2026-02-06 17:00",
                "2026-01-26 08:00",
                "2026-02-06 17:00",
            ),
            row(
                "2",
                "1",
                "10",
                "",
                "7",
                "",
                "500",
                "0",
                "0",
                "500",
                "0",
                "0",
                "20",
                "",
                "",
                "2026-02-02 08:00",
                "2026-02-06 17:00",
                "",
                "",
            ),
            row(
                "3",
                "1",
                "10",
                "6",
                "",
                "RT_Equip",
                "200",
                "0",
                "0",
                "200",
                "0",
                "0",
                "10",
                "",
                "",
                "2026-02-02 08:00",
                "2026-02-06 17:00",
                "",
                "",
            ),
            row(
                "4",
                "99",
                "10",
                "5",
                "",
                "RT_Labor",
                "9999",
                "0",
                "0",
                "9999",
                "0",
                "0",
                "0",
                "",
                "",
                "",
                "",
                "",
                "",
            ),
        ],
    }
)


def test_xer_project_costs_and_windows_1252_names() -> None:
    r = read_xer(RENO, "reno.xer")
    assert r.ok, [i.to_dict() for i in r.issues]
    p = r.frames["projects"].iloc[0]
    assert (p["project_id"], p["name"]) == ("R1", "Rénovation siège")  # é is byte E9
    # BAC = 1000 + 500 + 200 = 1700 (the orphan assignment of task 99 is ignored);
    # AC = 300 + 50 = 350; ETC = 700 + 500 + 200 = 1400; % = 350 / 1750 = 20.
    assert p["budget"] == pytest.approx(1700.0)
    assert p["actual_cost"] == pytest.approx(350.0)
    assert p["percent_complete"] == pytest.approx(20.0)
    assert p["status"] == "in_progress"
    f = r.figures.iloc[0]
    assert (f["bac"], f["ac"], f["etc"], f["eac"]) == pytest.approx((1700, 350, 1400, 1750))
    assert (f["activities"], f["milestones"]) == (3, 2)  # the WBS summary is no activity
    assert r.as_of == date(2026, 1, 31) and r.settings["currency"] == "EUR"
    orphan = [i for i in r.issues if i.template == schedule_xer.ORPHAN_ASSIGNMENT]
    assert [(i.sheet, i.row, i.value) for i in orphan] == [("TASKRSRC", 30, "99")]


def test_xer_milestones_target_versus_actual() -> None:
    m = read_xer(RENO, "reno.xer").frames["milestones"].set_index("milestone_id")
    assert m.loc["M10", "name"] == "Début"
    assert m.loc["M10", "baseline_date"] == pd.Timestamp("2026-01-26")
    assert m.loc["M10", "actual_date"] == pd.Timestamp("2026-01-27")
    assert m.loc["M20", "baseline_date"] == pd.Timestamp("2026-02-27")
    assert m.loc["M20", "forecast_date"] == pd.Timestamp("2026-03-06")
    assert pd.isna(m.loc["M20", "actual_date"])


def test_xer_allocations_by_role_resource_and_month() -> None:
    a = read_xer(RENO, "reno.xer").frames["allocations"]
    got = {
        (
            r.role,
            None if pd.isna(r.resource_id) else r.resource_id,
            r.month.strftime("%Y-%m"),
        ): r.hours
        for r in a.itertuples()
    }
    # EL1: 24 actual hours from 26 Jan up to the remaining start (2 Feb): 5 working days
    # in January, 1 in February -> 20 + 4, plus 40 remaining in February. The role-only
    # assignment: 20 h in February; the crane (equipment) is not people's work.
    assert got == {
        ("Électricien", "EL1", "2026-01"): pytest.approx(20.0),
        ("Électricien", "EL1", "2026-02"): pytest.approx(44.0),
        ("Électricien", None, "2026-02"): pytest.approx(20.0),
    }
    res = read_xer(RENO, "reno.xer").frames["resources"]
    assert res[["resource_id", "role", "cost_rate"]].values.tolist() == [
        ["EL1", "Électricien", 50.0]
    ]


def test_xer_work_is_spread_over_the_activity_calendar() -> None:
    # Calendar 1 (the project's): Mon-Thu, Mon 2 Feb 2026 a holiday (day 46055 from
    # 30 Dec 1899), Sat 31 Jan worked (46053, with a shift). Calendar 2: seven days.
    # Lines inside clndr_data are separated by DEL characters, as P6 writes them.
    def days(*worked: int) -> str:
        shift = "(0||0(s|08:00|f|16:00)())"
        return "".join(f"(0||{d}()({shift if d in worked else ''}))\x7f" for d in range(1, 8))

    four = (
        f"(0||CalendarData()(\x7f(0||DaysOfWeek()({days(2, 3, 4, 5)}))\x7f"
        "(0||Exceptions()(\x7f(0||0(d|46055)())\x7f(0||1(d|46053)((0||0(s|08:00|f|16:00)())))))"
    )
    seven = f"(0||CalendarData()((0||DaysOfWeek()({days(1, 2, 3, 4, 5, 6, 7)}))))"

    def table(name: str, fields: str, *rows: str) -> list[str]:
        return [f"%T\t{name}", "%F\t" + fields.replace(" ", "\t"), *("%R\t" + r for r in rows)]

    lines = ["ERMHDR\t8.1\t2026-02-01\tProject\tadmin\tx\tdb\tProject Management\tEUR"]
    lines += table("PROJECT", "proj_id proj_short_name clndr_id", row("10", "CAL", "1"))
    lines += table(
        "CALENDAR",
        "clndr_id clndr_name clndr_data",
        row("1", "Four", four),
        row("2", "Seven", seven),
    )
    lines += table("ROLES", "role_id role_name", row("7", "Tech"))
    lines += table(
        "RSRC",
        "rsrc_id rsrc_short_name rsrc_name rsrc_type role_id",
        *(row(r, r, r, "RT_Labor", "7") for r in ("A", "B", "C")),
    )
    lines += table(
        "TASK",
        "task_id proj_id task_code task_name task_type clndr_id",
        row("1", "10", "T1", "Seven days", "TT_Task", "2"),
        row("2", "10", "T2", "Project calendar", "TT_Task", ""),
        row("3", "10", "T3", "Unknown calendar", "TT_Task", "99"),
    )
    lines += table(
        "TASKRSRC",
        "taskrsrc_id task_id proj_id rsrc_id rsrc_type target_cost remain_qty "
        "restart_date reend_date",
        row("1", "1", "10", "A", "RT_Labor", "1", "28", "2026-01-26 08:00", "2026-02-08 16:00"),
        row("2", "2", "10", "B", "RT_Labor", "1", "40", "2026-01-26 08:00", "2026-02-06 16:00"),
        row("3", "3", "10", "C", "RT_Labor", "1", "12", "2026-01-29 08:00", "2026-02-03 16:00"),
    )
    data = "\r\n".join([*lines, "%E", ""]).encode("cp1252")
    r = read_xer(data, "cal.xer")
    got = {
        (x.resource_id, x.month.strftime("%Y-%m")): x.hours
        for x in r.frames["allocations"].itertuples()
    }
    assert got == {
        # Seven days: 26-31 Jan = 6 days | 1-8 Feb = 8 days: 28 h / 14 = 2 h a day.
        ("A", "2026-01"): 12.0,
        ("A", "2026-02"): 16.0,
        # The project's Mon-Thu: 26, 27, 28, 29 and Sat 31 | 3, 4, 5 (2 Feb off): 5 h a day.
        ("B", "2026-01"): 25.0,
        ("B", "2026-02"): 15.0,
        # An unknown calendar is the project's: Thu 29, Sat 31 | Tue 3: 4 h a day.
        ("C", "2026-01"): 8.0,
        ("C", "2026-02"): 4.0,
    }


def test_xer_gz_and_utf8_are_read() -> None:
    utf8 = RENO.decode("cp1252").encode("utf-8")
    for data, name in ((gzip.compress(RENO), "reno.xer.gz"), (utf8, "reno.xer")):
        r = read_xer(data, name)
        assert r.frames["projects"].iloc[0]["name"] == "Rénovation siège"


def test_xer_without_project_is_an_error() -> None:
    r = read_xer(xer({"TASK": []}), "empty.xer")
    assert not r.ok
    assert [i.template for i in r.issues] == [schedule_xer.NO_PROJECT]


def test_xer_odd_dates_are_ignored_with_a_warning() -> None:
    data = RENO.replace(b"2026-02-27 17:00", b"4637-11-24 17:00")
    r = read_xer(data, "reno.xer")
    odd = [i for i in r.issues if i.template == schedule_xer.ODD_DATE]
    assert [(i.sheet, i.column, i.value) for i in odd] == [
        ("TASK", "target_end_date", "4637-11-24 17:00")
    ]
    assert r.frames["projects"].iloc[0]["end_date"] == pd.Timestamp("2026-02-06")


# ------------------------------------------------------------------------------ merge


def portfolio() -> IngestResult:
    frames = {name: schema.empty_frame(name) for name in schema.TABLES}
    frames["projects"] = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["R1", "P-ALPHA", "P9"],
                "name": ["Renovation", "alpha crm", "Data lake"],
                "program": ["Sites", "Digital", "Digital"],
                "budget": [9.0, 9.0, 400.0],
                "status": ["in_progress", "in_progress", "proposed"],
            }
        ),
    )
    frames["objectives"] = schema.conform(
        "objectives", pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"]})
    )
    frames["alignment"] = schema.conform(
        "alignment",
        pd.DataFrame(
            {"project_id": ["R1", "P-ALPHA"], "objective_id": ["O1", "O1"], "rating": [9, 3]}
        ),
    )
    frames["risks"] = schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": ["K1"],
                "project_id": ["P-ALPHA"],
                "title": ["Vendor"],
                "probability": [0.5],
                "impact": [100.0],
            }
        ),
    )
    return IngestResult(frames, [], {"currency": "EUR"}, None, "portfolio.xlsx", "abc")


def test_merge_schedules_with_a_portfolio_workbook() -> None:
    alpha, reno = read_mspdi(ALPHA, "alpha.xml"), read_xer(RENO, "reno.xer")
    m = merge_results([alpha, reno], portfolio())
    assert m.ok
    p = m.frames["projects"].set_index("project_id")
    assert sorted(p.index) == ["P9", "R1", "alpha"]
    # Schedule figures win; the workbook adds the programme.
    assert p.loc["R1", "budget"] == pytest.approx(1700.0) and p.loc["R1", "program"] == "Sites"
    assert p.loc["alpha", "program"] == "Digital"  # matched by name "Alpha CRM"
    assert p.loc["P9", "budget"] == 400.0  # workbook only
    assert m.frames["alignment"]["project_id"].tolist() == ["R1", "alpha"]
    assert m.frames["risks"]["project_id"].tolist() == ["alpha"]
    assert len(m.frames["objectives"]) == 1
    assert m.figures["project_id"].tolist() == ["alpha", "R1"]
    assert m.as_of == date(2026, 2, 15)  # the latest data date of the files
    by_name = [i for i in m.issues if i.template == schedules.PORTFOLIO_BY_NAME]
    assert [(i.sheet, i.row, i.value) for i in by_name] == [
        ("portfolio.xlsx: Projects", None, "alpha crm")
    ]
    assert [i.value for i in m.issues if i.template == schedules.PORTFOLIO_UNMATCHED] == ["P9"]
    # Issues of a schedule name their file.
    assert any(i.sheet == "reno.xer: TASKRSRC" for i in m.issues)


def test_merge_refuses_a_project_given_by_two_files() -> None:
    m = merge_results([read_xer(RENO, "a.xer"), read_xer(RENO, "b.xer")])
    dup = [i for i in m.issues if i.template == schedules.DUPLICATE_PROJECT]
    assert [(i.severity, i.sheet, i.value) for i in dup] == [("error", "b.xer", "R1")]
    assert not m.ok
    assert len(m.frames["projects"]) == 1 and len(m.frames["milestones"]) == 2


def test_validate_files_routes_schedules_and_one_workbook(tmp_path: Path) -> None:
    path = tmp_path / "reno.xer.gz"
    path.write_bytes(gzip.compress(RENO))
    r = pipeline.validate_files([path, ("alpha.xml", ALPHA)])
    assert r.ok and sorted(r.frames["projects"]["project_id"]) == ["R1", "alpha"]
    single = pipeline.validate_file(path)
    assert single.frames["projects"].iloc[0]["budget"] == pytest.approx(1700.0)
    mpp = pipeline.validate_file(b"\xd0\xcf\x11\xe0", filename="plan.mpp")
    expected = (
        schedules.MPP_UNREADABLE if schedules.mpxj_available() else schedule_common.MPP_NEEDS_XML
    )
    assert [i.template for i in mpp.issues] == [expected]


def test_every_schedule_message_has_a_french_translation() -> None:
    modules = (
        schedule_common,
        schedule_xer,
        p6_tables,
        p6_resources,
        schedule_mspdi,
        mspdi_calendars,
        mspdi_resources,
        schedules,
        pipeline,
    )
    texts = {
        v
        for m in modules
        for k, v in vars(m).items()
        if k.isupper() and isinstance(v, str) and " " in v and k != "NS"
    }
    assert len(texts) >= 25
    missing = sorted(t for t in texts if t not in FR)
    assert missing == []
    assert all(FR[t].count("{") == t.count("{") for t in texts)


# ------------------------------------------------------------------------------ real data


@needs_data
def test_sp10_known_answers() -> None:
    r = read_xer(SP10.read_bytes(), SP10.name)
    assert r.ok
    f = r.figures.iloc[0]
    assert f["bac"] == pytest.approx(215_918_496.41, abs=0.01)
    assert f["ac"] == pytest.approx(16_001_858.60, abs=0.01)
    assert f["etc"] == pytest.approx(201_650_471.06, abs=0.01)
    assert f["activities"] == 3994
    # TT_Mile 203 + 116, TT_FinMile 955 + 82 (not started + complete).
    assert f["milestones"] == 1356 and len(r.frames["milestones"]) == 1356
    p = r.frames["projects"].iloc[0]
    assert p["project_id"] == "HS2-LWM-IMP-040-20"
    assert p["budget"] == pytest.approx(215_918_496.41, abs=0.01)
    assert p["actual_cost"] == pytest.approx(16_001_858.60, abs=0.01)
    assert r.as_of == date(2017, 9, 16) and r.settings["currency"] == "GBP"
    done = r.frames["milestones"]["actual_date"].notna().sum()
    assert done == 116 + 82
    assert r.frames["resources"]["resource_id"].is_unique


@needs_data
def test_resource_rates_xer_and_p6_xml_give_the_same_project() -> None:
    a = pipeline.validate_file(SAMPLES / "resource-rates-test.xer")
    b = pipeline.validate_file(SAMPLES / "resource-rates-test.xml")
    assert a.ok and b.ok
    # 240 h at rates 1, 2, 6, 7 and 99: 240 + 480 + 1440 + 1680 + 23760 = 27,600.
    assert a.figures.iloc[0]["bac"] == 27_600.0
    cols = ["bac", "ac", "etc", "eac", "activities", "milestones"]
    assert a.figures[cols].to_dict("records") == b.figures[cols].to_dict("records")
    pd.testing.assert_frame_equal(a.frames["projects"], b.frames["projects"])
    pd.testing.assert_frame_equal(a.frames["allocations"], b.frames["allocations"])
    assert a.frames["allocations"]["hours"].sum() == 1200.0


@needs_data
def test_mspdi_samples_timephased_and_resources() -> None:
    r = pipeline.validate_file(SAMPLES / "mspditimephased.xml.gz")
    assert r.ok and len(r.frames["resources"]) == 41
    # 40 assignments of 75 h planned (3000 h) plus a few changed by hand in the sample:
    # the timephased actual + remaining work is what is summed.
    total = r.frames["allocations"]["hours"].sum()
    assert total == pytest.approx(3174.98, abs=0.01)
    res = pipeline.validate_file(SAMPLES / "mspdiresource.xml").frames["resources"]
    assert res.set_index("name")["cost_rate"].to_dict() == {
        "Wade Golden": 50.0,
        "Jon Iles": 75.0,
        "Brian Leach": 100.0,
    }


def test_import_page_reads_the_role_field_of_an_ms_project_file(app_db: Path) -> None:
    from tests.conftest import run_page

    at = run_page("import_data.py", "fr")
    assert not [t for t in at.text_input if t.key == "import_role_field"]  # no file yet
    at.file_uploader(key="import_file").set_value(("cal.xml", CALENDAR_PLAN, "text/xml")).run()
    assert not at.exception, [e.value for e in at.exception]
    field = at.text_input(key="import_role_field")
    assert field.label == "Rôle tiré du champ de ressource (MS Project)"
    field.set_value("Métier").run()
    assert not at.exception, [e.value for e in at.exception]
    preview = [df.value for df in at.dataframe if "Capacité (h/mois)" in df.value]
    assert preview[0].set_index("Code ressource")["Rôle"].to_dict() == {  # template headers
        "Ana": "Développeuse",
        "Ben": "Testeur",
        "Cleo": "PMO",
    }


# ------------------------------------------------------------------------ baseline curve


def _bl(start: str, finish: str, cost: int) -> str:
    return (
        f"<Baseline><Number>0</Number><Start>{start}</Start><Finish>{finish}</Finish>"
        f"<Cost>{cost}</Cost></Baseline>"
    )


def _curve_plan(b_dates: bool) -> bytes:
    b = (
        _bl("2026-02-01T00:00:00", "2026-02-11T00:00:00", 100_000)
        if b_dates
        else ("<Baseline><Number>0</Number><Cost>100000</Cost></Baseline>")
    )
    return mspdi(
        task(
            0,
            "Alpha CRM",
            0,
            summary=True,
            extra=_bl("2026-01-16T00:00:00", "2026-02-15T00:00:00", 690_000),
        )
        + task(1, "A", 1, extra=_bl("2026-01-01T00:00:00", "2026-03-01T00:00:00", 590_000))
        + task(2, "B", 1, extra=b)
    )


def test_mspdi_baseline_curve_spreads_each_leaf_over_its_baseline_dates() -> None:
    # A: 5,900.00 over 2026-01-01 .. 03-01 (59 days: 31 in January, 28 in February);
    # B: 1,000.00 over 02-01 .. 02-11. End of January (02-01 00:00): 5900 x 31/59 = 3100;
    # end of February: 5900 + 1000 = 6900; March (A's finish month): still 6900.
    r = read_mspdi(_curve_plan(True), "curve.xml")
    b = r.frames["baseline"]
    assert b["project_id"].tolist() == ["curve"] * 3
    assert b["month"].tolist() == list(pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]))
    assert b["planned_value"].tolist() == pytest.approx([3100.0, 6900.0, 6900.0])


def test_mspdi_baseline_curve_falls_back_to_the_summary_task() -> None:
    # B has a baseline cost but no dates: the summary's 6,900.00 over 01-16 .. 02-15
    # (30 days) is used: end of January 6900 x 16/30 = 3680, end of February 6900.
    b = read_mspdi(_curve_plan(False), "curve.xml").frames["baseline"]
    assert b["planned_value"].tolist() == pytest.approx([3680.0, 6900.0])
    # No dates anywhere: no curve (the KPIs use the linear baseline and say so).
    bare = mspdi(
        task(
            0,
            "Bare",
            0,
            summary=True,
            extra="<Baseline><Number>0</Number><Cost>5</Cost></Baseline>",
        )
    )
    assert read_mspdi(bare, "bare.xml").frames["baseline"].empty


def test_linear_baseline_edges() -> None:
    lb = schedule_common.linear_baseline
    ts = pd.Series(pd.to_datetime(["2026-01-10", "2026-03-31"]))
    # A zero-length element counts whole from its month on: 50 at 01-10, 30 over
    # 01-10 .. 03-31 (80 days; 22 in Jan, 28 in Feb): Jan 50 + 30 x 22/80 = 58.25,
    # Feb 50 + 30 x 50/80 = 68.75, Mar 80.
    out = lb("p", pd.Series([ts[0], ts[0]]), pd.Series([ts[0], ts[1]]), pd.Series([50.0, 30.0]))
    assert out["planned_value"].tolist() == pytest.approx([58.25, 68.75, 80.0])
    # Finish before start, or nothing complete: no rows.
    assert lb("p", ts[::-1].reset_index(drop=True), ts, pd.Series([1.0, 1.0])).empty
    assert lb("p", ts, ts, pd.Series([None, None])).empty


@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 400), st.floats(0, 1e6)),
        min_size=1,
        max_size=6,
    )
)
def test_linear_baseline_ends_at_the_total_and_never_decreases(
    rows: list[tuple[int, int, float]],
) -> None:
    t0 = pd.Timestamp("2026-01-01")
    start = pd.Series([t0 + pd.Timedelta(days=min(a, b)) for a, b, _ in rows])
    finish = pd.Series([t0 + pd.Timedelta(days=max(a, b)) for a, b, _ in rows])
    cost = pd.Series([c for _, _, c in rows])
    pv = schedule_common.linear_baseline("p", start, finish, cost)["planned_value"]
    assert pv.iloc[-1] == pytest.approx(cost.sum())
    assert (pv.diff().dropna() >= -1e-6).all()


def test_schedule_baseline_curve_wins_over_the_workbooks_in_a_merge() -> None:
    wb = portfolio()
    wb.frames["baseline"] = schema.conform(
        "baseline",
        pd.DataFrame(
            {
                "project_id": ["P-ALPHA", "P9"],
                "month": pd.to_datetime(["2026-01-01", "2026-01-01"]),
                "planned_value": [1.0, 2.0],
            }
        ),
    )
    m = merge_results([read_mspdi(_curve_plan(True), "alpha.xml")], wb)
    b = m.frames["baseline"]
    assert b[b["project_id"] == "alpha"]["planned_value"].tolist() == pytest.approx(
        [3100.0, 6900.0, 6900.0]
    )
    assert b[b["project_id"] == "P9"]["planned_value"].tolist() == [2.0]


@needs_data
def test_mspdi_sample_with_baseline_cost_but_no_dates_gives_no_curve() -> None:
    # task-baselines-project2019: baselines 0..10 carry a Cost only (no Start/Finish).
    r = pipeline.validate_file(SAMPLES / "task-baselines-project2019-mspdi.xml.gz")
    assert r.frames["baseline"].empty


def test_mspdi_baseline_curve_is_imported_counted_and_used_by_the_kpis(tmp_path: Path) -> None:
    from pmo_core.kpi.evm import project_evm

    # Summary from 2026-01-01, baseline 6,900.00 to 03-01 (59 days); leaves A and B as in
    # the curve test above: 3100 at the end of January, 6900 at the end of February.
    plan = mspdi(
        task(
            0,
            "Curve",
            0,
            summary=True,
            extra="<Start>2026-01-01T00:00:00</Start><Finish>2026-03-01T00:00:00</Finish>"
            + _bl("2026-01-01T00:00:00", "2026-03-01T00:00:00", 690_000),
        )
        + task(1, "A", 1, extra=_bl("2026-01-01T00:00:00", "2026-03-01T00:00:00", 590_000))
        + task(2, "B", 1, extra=_bl("2026-02-01T00:00:00", "2026-02-11T00:00:00", 100_000))
    )
    path, db = tmp_path / "curve.xml", tmp_path / "pmo.duckdb"
    path.write_bytes(plan)
    assert pipeline.validate_file(path).counts["baseline"] == 3  # validate's JSON counts
    assert cli.main(["import", str(path), "--db", str(db), "--json"]) == 0
    snap = store.get_snapshot(None, tables=("projects", "baseline"), path=db)
    assert snap.frames["baseline"]["planned_value"].tolist() == pytest.approx([3100, 6900, 6900])
    # At 2026-02-01 (31 days in): PV on the curve is 3100, not the linear 6900 x 31/59.
    evm = project_evm(
        snap.frames["projects"],
        schema.empty_frame("status_reports"),
        date(2026, 2, 1),
        snap.frames["baseline"],
    )
    assert evm["pv"].iloc[0] == pytest.approx(3100.0)


def test_xer_baseline_curve_spreads_target_cost_over_the_target_dates() -> None:
    # R1: 1,000 over the assignment's target 01-26 08:00 .. 02-06 17:00 (273 h); 500 and
    # 200 without target dates of their own use activity A10's, the same dates (the
    # orphan assignment is left out). At 02-01 00:00, 136 h in: 1700 x 136/273 = 846.89;
    # end of February: 1700 (= BAC).
    r = read_xer(RENO, "reno.xer")
    b = r.frames["baseline"]
    assert b["month"].tolist() == list(pd.to_datetime(["2026-01-01", "2026-02-01"]))
    assert b["planned_value"].tolist() == pytest.approx([1700 * 136 / 273, 1700.0])
    assert not [i for i in r.issues if i.template == schedule_xer.NO_CURVE]


def test_xer_costed_assignment_without_target_dates_gives_no_curve_and_says_why() -> None:
    # Activity A10 loses its target dates: the 500 and 200 assignments have none left.
    text = RENO.decode("cp1252").replace(
        "TK_Active\t2026-01-26 08:00\t2026-02-06 17:00", "TK_Active\t\t"
    )
    r = read_xer(text.encode("cp1252"), "reno.xer")
    assert r.frames["baseline"].empty
    why = [i for i in r.issues if i.template == schedule_xer.NO_CURVE]
    assert [(i.sheet, i.value, i.params["n"]) for i in why] == [("TASKRSRC", "R1", 2)]


@needs_data
def test_sp10_placeholder_target_dates_leave_no_curve() -> None:
    # 19 of the 624 cost-loaded assignments have target finishes P6 wrote as placeholders
    # (years 2273..4637, warned and ignored): a curve without them would understate PV.
    r = pipeline.validate_file(SP10)
    assert r.frames["baseline"].empty
    why = [i for i in r.issues if i.template == schedule_xer.NO_CURVE]
    assert [i.params["n"] for i in why] == [19]


@needs_data
def test_resource_rates_xer_and_p6_xml_give_the_same_baseline_curve() -> None:
    # The same P6 project in both formats: the same curve, ending at BAC (27,600).
    xer_b = pipeline.validate_file(SAMPLES / "resource-rates-test.xer").frames["baseline"]
    xml_b = pipeline.validate_file(SAMPLES / "resource-rates-test.xml").frames["baseline"]
    assert len(xer_b) == 2
    assert xer_b["planned_value"].tolist() == pytest.approx(xml_b["planned_value"].tolist())
    assert xer_b["planned_value"].iloc[-1] == pytest.approx(27_600.0)


# ------------------------------------------------------------------ P6-XML index and baseline

P6_NS = "http://xmlns.oracle.com/Primavera/P6Professional/V20.12/API/BusinessObjects"


def p6_activity(oid: int, pid: int, code: str, kind: str, start: str, finish: str) -> str:
    return (
        f"<Activity><ObjectId>{oid}</ObjectId><ProjectObjectId>{pid}</ProjectObjectId>"
        f"<Id>{code}</Id><Name>{code}</Name><Type>{kind}</Type><Status>In Progress</Status>"
        f"<PlannedStartDate>{start}</PlannedStartDate>"
        f"<PlannedFinishDate>{finish}</PlannedFinishDate></Activity>"
    )


def p6_assignment(oid: int, act: int, pid: int, cost: str, start: str, finish: str) -> str:
    # Labour on resource 1: planned 120 h = 20 actual (in January) + 100 remaining (February).
    return (
        f"<ResourceAssignment><ObjectId>{oid}</ObjectId><ActivityObjectId>{act}</ActivityObjectId>"
        f"<ProjectObjectId>{pid}</ProjectObjectId><ResourceObjectId>1</ResourceObjectId>"
        "<ResourceType>Labor</ResourceType>"
        f"<PlannedCost>{cost}</PlannedCost><ActualRegularCost>1000</ActualRegularCost>"
        "<ActualOvertimeCost>0</ActualOvertimeCost><RemainingCost>5000</RemainingCost>"
        "<PlannedUnits>120</PlannedUnits><ActualRegularUnits>20</ActualRegularUnits>"
        "<ActualOvertimeUnits>0</ActualOvertimeUnits><RemainingUnits>100</RemainingUnits>"
        f"<PlannedStartDate>{start}</PlannedStartDate><PlannedFinishDate>{finish}</PlannedFinishDate>"
        "<ActualStartDate>2026-01-05T08:00:00</ActualStartDate>"
        "<RemainingStartDate>2026-02-02T08:00:00</RemainingStartDate>"
        "<RemainingFinishDate>2026-02-27T17:00:00</RemainingFinishDate></ResourceAssignment>"
    )


def p6xml_with_baseline(*, with_copy: bool = True) -> bytes:
    """A P6-XML export as P6 writes one with its baseline: the ``<ProjectList>`` index
    (the project and its baseline by ObjectId attribute), the current ``<Project>``
    (ObjectId 100, planned cost 6,000 over 1 Jan - 1 Mar) and the ``<BaselineProject>``
    copy (ObjectId 900, planned cost 4,000 over 1 Jan - 1 Feb)."""
    index = (
        '<ProjectList><Project ObjectId="100"><Id>BRIDGE</Id><Name>Bridge</Name>'
        '<BaselineProject ObjectId="900"><Id>BRIDGE-B1</Id><Name>Bridge B1</Name>'
        "</BaselineProject></Project></ProjectList>"
    )
    current = (
        "<Project><ObjectId>100</ObjectId><Id>BRIDGE</Id><Name>Bridge</Name>"
        "<DataDate>2026-02-01T00:00:00</DataDate>"
        "<CurrentBaselineProjectObjectId>900</CurrentBaselineProjectObjectId>"
        + p6_activity(
            1001, 100, "A10", "Task Dependent", "2026-01-01T00:00:00", "2026-03-01T00:00:00"
        )
        + p6_activity(
            1002, 100, "M10", "Finish Milestone", "2026-03-01T00:00:00", "2026-03-01T00:00:00"
        )
        + p6_assignment(5001, 1001, 100, "6000", "2026-01-01T00:00:00", "2026-03-01T00:00:00")
        + "</Project>"
    )
    copy = (
        "<BaselineProject><ObjectId>900</ObjectId><Id>BRIDGE-B1</Id><Name>Bridge B1</Name>"
        "<OriginalProjectObjectId>100</OriginalProjectObjectId>"
        "<DataDate>2026-01-01T00:00:00</DataDate>"
        + p6_activity(
            9001, 900, "A10", "Task Dependent", "2026-01-01T00:00:00", "2026-02-01T00:00:00"
        )
        + p6_activity(
            9002, 900, "M10", "Finish Milestone", "2026-02-01T00:00:00", "2026-02-01T00:00:00"
        )
        + p6_assignment(9501, 9001, 900, "4000", "2026-01-01T00:00:00", "2026-02-01T00:00:00")
        + "</BaselineProject>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><APIBusinessObjects xmlns="{P6_NS}">'
        f"{index}<Role><ObjectId>7</ObjectId><Id>ENG</Id><Name>Engineer</Name></Role>"
        "<Resource><ObjectId>1</ObjectId><Id>R1</Id><Name>Rosa</Name>"
        "<ResourceType>Labor</ResourceType><PrimaryRoleObjectId>7</PrimaryRoleObjectId></Resource>"
        f"{current}{copy if with_copy else ''}</APIBusinessObjects>"
    ).encode()


def test_p6xml_project_list_is_an_index_not_a_project() -> None:
    # The index repeats the project's Id (BRIDGE): read as a project it made a second
    # BRIDGE row and the file was refused. One project, the current one.
    r = schedules.read_schedule(p6xml_with_baseline(with_copy=False), "bridge.xml")
    assert r.ok, [i.to_dict() for i in r.issues if i.severity == "error"]
    assert r.frames["projects"]["project_id"].tolist() == ["BRIDGE"]
    # Through validate, as the user meets it: not "project comes from two files".
    v = pipeline.validate_files([("bridge.xml", p6xml_with_baseline())])
    assert v.ok and not [i for i in v.issues if i.template == schedules.DUPLICATE_PROJECT]
    assert r.figures[["activities", "milestones"]].to_dict("records") == [
        {"activities": 2, "milestones": 1}
    ]


def test_p6xml_baseline_project_is_the_baseline_never_current_work() -> None:
    r = schedules.read_schedule(p6xml_with_baseline(), "bridge.xml")
    assert r.ok, [i.to_dict() for i in r.issues if i.severity == "error"]
    p = r.frames["projects"]
    assert p["project_id"].tolist() == ["BRIDGE"]
    # BAC = the current project's planned cost 6,000 (not 6,000 + 4,000); AC 1,000.
    assert p["budget"].tolist() == [6000.0] and p["actual_cost"].tolist() == [1000.0]
    f = r.figures.iloc[0]
    assert (f["activities"], f["milestones"], f["bac"], f["etc"]) == (2, 1, 6000.0, 5000.0)
    # Hours: 20 actual + 100 remaining = 120 (not 240).
    assert r.frames["allocations"]["hours"].sum() == pytest.approx(120.0)
    assert r.frames["milestones"]["milestone_id"].tolist() == ["M10"]
    # The curve is the copy's: 4,000 over 1 Jan 00:00 - 1 Feb 00:00, all of it earned by
    # the end of January (the month end is 1 Feb 00:00), flat in February.
    b = r.frames["baseline"]
    assert b["project_id"].tolist() == ["BRIDGE", "BRIDGE"]
    assert b["month"].tolist() == list(pd.to_datetime(["2026-01-01", "2026-02-01"]))
    assert b["planned_value"].tolist() == pytest.approx([4000.0, 4000.0])


def test_p6xml_without_baseline_copy_keeps_the_planned_curve() -> None:
    # 6,000 over 1 Jan - 1 Mar (59 days): end of January 31/59 x 6,000 = 3,152.54.
    b = schedules.read_schedule(p6xml_with_baseline(with_copy=False), "b.xml").frames["baseline"]
    assert b["planned_value"].tolist() == pytest.approx([6000 * 31 / 59, 6000.0, 6000.0])


def test_xer_baseline_copy_named_by_sum_base_proj_id_feeds_the_curve_only() -> None:
    # The RENO project (10) names PROJECT 20 as its baseline; 20 holds one assignment of
    # 800 over its own A10 (26 Jan - 30 Jan): the curve is 800 at the end of January.
    fields = dict(XER_FIELDS)
    fields["PROJECT"] = "proj_id proj_short_name plan_start_date last_recalc_date sum_base_proj_id"
    text = RENO.decode("cp1252").replace(
        "%F\tproj_id\tproj_short_name\tplan_start_date\tlast_recalc_date\r\n"
        "%R\t10\tR1\t2026-01-26 00:00\t2026-01-31 00:00",
        "%F\tproj_id\tproj_short_name\tplan_start_date\tlast_recalc_date\tsum_base_proj_id\r\n"
        "%R\t10\tR1\t2026-01-26 00:00\t2026-01-31 00:00\t20\r\n"
        "%R\t20\tR1-B\t2026-01-26 00:00\t2026-01-20 00:00\t",
    )
    assert "sum_base_proj_id" in text
    text = text.replace(
        "%T\tTASKRSRC",
        "%R\t"
        + row(
            "91",
            "20",
            "A10",
            "Câblage",
            "TT_Task",
            "TK_NotStart",
            "2026-01-26 00:00",
            "2026-01-30 00:00",
            "",
            "",
            "",
            "",
        )
        + "\r\n%T\tTASKRSRC",
    ).replace(
        "\r\n%E",
        "\r\n%R\t"
        + row(
            "95",
            "91",
            "20",
            "5",
            "",
            "RT_Labor",
            "800",
            "0",
            "0",
            "800",
            "0",
            "0",
            "40",
            "",
            "",
            "",
            "",
            "2026-01-26 00:00",
            "2026-01-30 00:00",
        )
        + "\r\n%E",
    )
    r = read_xer(text.encode("cp1252"), "reno.xer")
    assert r.ok, [i.to_dict() for i in r.issues if i.severity == "error"]
    assert r.frames["projects"]["project_id"].tolist() == ["R1"]
    assert r.figures.iloc[0]["bac"] == 1700.0  # 1,000 + 500 + 200, not + 800
    assert r.figures.iloc[0]["activities"] == 3
    b = r.frames["baseline"]
    assert b["planned_value"].tolist() == pytest.approx([800.0])


# ------------------------------------------------------------------ remaining work, timephased


def test_mspdi_remaining_work_without_timephased_rows_is_spread_over_the_remaining_duration() -> (
    None
):
    # Work 23 h: 5 h actual, timephased (Type 2) on Mon 2 Feb; the 18 h remaining have no
    # Type 1 rows. They are spread over the remaining duration, Resume Thu 26 Feb to
    # Finish Tue 3 Mar: Thu, Fri | Mon, Tue = 4 working days, 4.5 h each -> February
    # 5 + 9 = 14 h, March 9 h; 23 h in all (the old reading kept the 5 h only).
    doc = mspdi(
        tasks=task(1, "Pour", 1, extra="<Duration>PT184H0M0S</Duration>"),
        resources="<Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type>"
        "<Group>Dev</Group></Resource>",
        assignments="<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        "<Start>2026-02-02T08:00:00</Start><Finish>2026-03-03T17:00:00</Finish>"
        "<Stop>2026-02-02T17:00:00</Stop><Resume>2026-02-26T08:00:00</Resume>"
        "<Work>PT23H0M0S</Work><ActualWork>PT5H0M0S</ActualWork>"
        "<RemainingWork>PT18H0M0S</RemainingWork>"
        "<TimephasedData><Type>2</Type><UID>1</UID><Start>2026-02-02T08:00:00</Start>"
        "<Finish>2026-02-03T08:00:00</Finish><Unit>2</Unit><Value>PT5H0M0S</Value>"
        "</TimephasedData></Assignment>",
    )
    a = read_mspdi(doc, "pour.xml").frames["allocations"]
    got = {row.month.strftime("%Y-%m"): row.hours for row in a.itertuples()}
    assert got == pytest.approx({"2026-02": 14.0, "2026-03": 9.0})


def test_mspdi_actual_work_without_timephased_rows_is_spread_over_the_worked_span() -> None:
    # 8 h remaining timephased (Type 1) on Mon 2 Mar; 10 h actual without Type 2 rows,
    # worked from ActualStart Thu 26 Feb to Stop Fri 27 Feb: 5 h + 5 h in February.
    doc = mspdi(
        tasks=task(1, "Pour", 1),
        resources="<Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type>"
        "<Group>Dev</Group></Resource>",
        assignments="<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        "<Start>2026-02-26T08:00:00</Start><Finish>2026-03-02T17:00:00</Finish>"
        "<ActualStart>2026-02-26T08:00:00</ActualStart><Stop>2026-02-27T17:00:00</Stop>"
        "<Work>PT18H0M0S</Work><ActualWork>PT10H0M0S</ActualWork>"
        "<RemainingWork>PT8H0M0S</RemainingWork>"
        "<TimephasedData><Type>1</Type><UID>1</UID><Start>2026-03-02T08:00:00</Start>"
        "<Finish>2026-03-03T08:00:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value>"
        "</TimephasedData></Assignment>",
    )
    a = read_mspdi(doc, "pour.xml").frames["allocations"]
    got = {row.month.strftime("%Y-%m"): row.hours for row in a.itertuples()}
    assert got == pytest.approx({"2026-02": 10.0, "2026-03": 8.0})


def _phased(kind: int, start: str, finish: str, hundredths: int) -> str:
    return (
        f"<TimephasedData><Type>{kind}</Type><UID>1</UID><Start>{start}</Start>"
        f"<Finish>{finish}</Finish><Unit>2</Unit><Value>{hundredths}</Value></TimephasedData>"
    )


def test_mspdi_timephased_task_baseline_cost_drives_the_curve_month_by_month() -> None:
    # Task A's baseline 5,900.00 over 1 Jan - 1 Mar would be 3,100 at the end of January
    # if spread evenly; its timephased baseline cost (Type 10) is back-loaded: 900.00 in
    # January (1-31 Jan) and 5,000.00 in February (1 Feb - 1 Mar). B (1,000.00 over
    # 1-11 Feb, no timephased rows) is spread evenly. End of January 900; end of
    # February 900 + 5000 + 1000 = 6,900; March 6,900.
    a_extra = (
        _bl("2026-01-01T00:00:00", "2026-03-01T00:00:00", 590_000)
        + _phased(10, "2026-01-01T00:00:00", "2026-02-01T00:00:00", 90_000)
        + _phased(10, "2026-02-01T00:00:00", "2026-03-01T00:00:00", 500_000)
        + _phased(9, "2026-01-01T00:00:00", "2026-02-01T00:00:00", 999_999)  # work: ignored
    )
    doc = mspdi(
        task(
            0,
            "Alpha",
            0,
            summary=True,
            extra=_bl("2026-01-01T00:00:00", "2026-03-01T00:00:00", 690_000),
        )
        + task(1, "A", 1, extra=a_extra)
        + task(2, "B", 1, extra=_bl("2026-02-01T00:00:00", "2026-02-11T00:00:00", 100_000))
    )
    b = read_mspdi(doc, "curve.xml").frames["baseline"]
    assert b["month"].tolist() == list(pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]))
    assert b["planned_value"].tolist() == pytest.approx([900.0, 6900.0, 6900.0])


def test_mspdi_timephased_assignment_baseline_cost_is_used_when_the_task_has_none() -> None:
    # A's assignment carries its baseline cost by period (Type 5): 2,000.00 in January,
    # 3,900.00 in February; the task has no Type 10 rows. End of January 2,000; end of
    # February 5,900; the task's even spread (3,100 in January) is not used.
    doc = mspdi(
        task(0, "Alpha", 0, summary=True)
        + task(1, "A", 1, extra=_bl("2026-01-01T00:00:00", "2026-03-01T00:00:00", 590_000)),
        resources="<Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type>"
        "<Group>Dev</Group></Resource>",
        assignments="<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        + _phased(5, "2026-01-05T08:00:00", "2026-01-30T17:00:00", 200_000)
        + _phased(5, "2026-02-02T08:00:00", "2026-02-27T17:00:00", 390_000)
        + "</Assignment>",
    )
    b = read_mspdi(doc, "curve.xml").frames["baseline"]
    assert b["planned_value"].tolist() == pytest.approx([2000.0, 5900.0])


# ------------------------------------------------------------------ XML safety (defusedxml)


@pytest.mark.parametrize(
    "doc",
    [
        # A 5 KB comment pushes the declaration past the first 4 KiB the old check read.
        b'<?xml version="1.0"?><!--' + b"x" * 5000 + b'--><!DOCTYPE Project [<!ENTITY e "boom">]>'
        b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&e;</Name></Project>',
        # A DTD without entities, far into the file.
        b'<?xml version="1.0"?><!--' + b" " * 9000 + b"--><!DOCTYPE APIBusinessObjects>"
        b"<APIBusinessObjects/>",
        # Billion laughs.
        b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<l>&b;</l>",
    ],
)
def test_xml_with_a_dtd_or_entities_anywhere_is_refused(doc: bytes) -> None:
    for data, name in ((doc, "plan.xml"), (gzip.compress(doc), "plan.xml.gz")):
        r = schedules.read_schedule(data, name)
        assert not r.ok
        assert [(i.severity, i.template) for i in r.issues] == [("error", schedules.UNSAFE_XML)]
        assert r.frames["projects"].empty


def test_every_schedule_xml_parse_goes_through_defusedxml() -> None:
    # The standard library's parsers expand entities: no schedule module may call them.
    import re

    folder = ROOT / "pmo_core" / "ingest" / "schedules"
    calls = re.compile(r"\bET\.(fromstring|parse|iterparse|XMLParser|XML)\(")
    found = {p.name: calls.findall(p.read_text()) for p in folder.glob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}
    assert "SafeET.fromstring(raw, forbid_dtd=True)" in (folder / "common.py").read_text()


# ------------------------------------------------------------------ counts of activities


def test_validate_and_import_json_count_activities_and_milestones(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import json

    # RENO: A10, M10, M20 (the WBS summary is structure): 3 activities, 2 of them milestones.
    path, db = tmp_path / "reno.xer", tmp_path / "pmo.duckdb"
    path.write_bytes(RENO)
    assert cli.main(["validate", str(path), "--json"]) == 0
    counts = json.loads(capfd.readouterr().out)["counts"]
    assert (counts["activities"], counts["milestones"], counts["projects"]) == (3, 2, 1)
    assert cli.main(["import", str(path), "--db", str(db), "--json"]) == 0
    doc = json.loads(capfd.readouterr().out)
    assert doc["snapshot_id"] is not None
    assert (doc["counts"]["activities"], doc["counts"]["milestones"]) == (3, 2)


def test_validate_json_of_a_workbook_has_no_activity_count(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import json

    demo = ROOT / "data" / "demo_portfolio.xlsx"
    assert cli.main(["validate", str(demo), "--json"]) == 0
    counts = json.loads(capfd.readouterr().out)["counts"]
    assert "activities" not in counts and counts["projects"] > 0


@needs_data
def test_sp10_counts_its_3994_activities(capfd: pytest.CaptureFixture[str]) -> None:
    import json

    assert cli.main(["validate", str(SP10), "--json"]) == 0
    counts = json.loads(capfd.readouterr().out)["counts"]
    assert (counts["activities"], counts["milestones"]) == (3994, 1356)


def test_import_page_shows_the_activities_and_milestones_read(app_db: Path) -> None:
    from tests.conftest import run_page

    at = run_page("import_data.py", "fr")
    at.file_uploader(key="import_file").set_value(("reno.xer", RENO, "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Activités lues"] == "3" and shown["Jalons lus"] == "2"


def test_counts_of_a_schedule_with_a_portfolio_workbook_keep_the_milestone_rows() -> None:
    # counts.milestones is the Milestones table (DESIGN 7): RENO's 2 plus the workbook's
    # for its projects without a schedule; counts.activities only the schedules' (3).
    demo = pipeline.validate_file(ROOT / "data" / "demo_portfolio.xlsx")
    merged = merge_results([read_xer(RENO, "reno.xer")], demo)
    counts = schedule_common.read_counts(merged)
    assert counts["activities"] == 3
    assert counts["milestones"] == len(merged.frames["milestones"])
    assert counts["milestones"] == 2 + len(demo.frames["milestones"])


@settings(max_examples=40, deadline=None)
@given(
    actual=st.integers(0, 800).map(lambda q: q / 4),  # quarter hours, as MS Project writes
    remaining=st.integers(1, 800).map(lambda q: q / 4),
    resume_day=st.integers(0, 40),
    span=st.integers(0, 40),
)
def test_unphased_remaining_work_is_kept_whole(
    actual: float, remaining: float, resume_day: int, span: int
) -> None:
    # Whatever the dates, the hours read = the timephased actual + the remaining work.
    start = pd.Timestamp("2026-02-02 08:00")
    resume = start + pd.Timedelta(days=resume_day)
    finish = resume + pd.Timedelta(days=span, hours=9)
    doc = mspdi(
        tasks=task(1, "Pour", 1),
        resources="<Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type>"
        "<Group>Dev</Group></Resource>",
        assignments="<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        f"<Start>{start.isoformat()}</Start><Finish>{finish.isoformat()}</Finish>"
        f"<Resume>{resume.isoformat()}</Resume>"
        f"<ActualWork>PT{actual}H0M0S</ActualWork><RemainingWork>PT{remaining}H0M0S</RemainingWork>"
        "<TimephasedData><Type>2</Type><UID>1</UID><Start>2026-02-02T08:00:00</Start>"
        f"<Finish>2026-02-03T08:00:00</Finish><Unit>2</Unit><Value>PT{actual}H0M0S</Value>"
        "</TimephasedData></Assignment>",
    )
    a = read_mspdi(doc, "pour.xml").frames["allocations"]
    assert a["hours"].sum() == pytest.approx(actual + remaining)


def test_p6xml_calendar_week_and_holidays_spread_the_work() -> None:
    # Activity A10 on calendar 3: Monday to Friday (Saturday and Sunday nil), Monday
    # 2 Feb 2026 a holiday. Actual 20 h from 5 Jan to the remaining start (2 Feb): 20
    # working days in January, none left in February -> January 20 h (Mon-Fri without
    # the holiday would give 20 x 20/21 = 19.05 h and 0.95 h in February). Remaining
    # 100 h over 2-27 Feb: all in February. 120 h in all.
    cal = (
        "<Calendar><ObjectId>3</ObjectId><HoursPerDay>8</HoursPerDay><StandardWorkWeek>"
        + "".join(
            f"<StandardWorkHours><DayOfWeek>{d}</DayOfWeek><WorkTime><Start>08:00:00</Start>"
            "<Finish>16:00:00</Finish></WorkTime></StandardWorkHours>"
            for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
        )
        + '<StandardWorkHours><DayOfWeek>Saturday</DayOfWeek><WorkTime xsi:nil="true"/>'
        "</StandardWorkHours></StandardWorkWeek><HolidayOrExceptions><HolidayOrException>"
        "<Date>2026-02-02T00:00:00</Date></HolidayOrException></HolidayOrExceptions></Calendar>"
    )
    doc = (
        p6xml_with_baseline(with_copy=False)
        .decode()
        .replace(
            f'<APIBusinessObjects xmlns="{P6_NS}">',
            f'<APIBusinessObjects xmlns="{P6_NS}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' + cal,
        )
        .replace("<Type>Task Dependent</Type>", "<Type>Task Dependent</Type>"
                 "<CalendarObjectId>3</CalendarObjectId>", 1)
    )  # fmt: skip
    a = schedules.read_schedule(doc.encode(), "bridge.xml").frames["allocations"]
    got = {row.month.strftime("%Y-%m"): row.hours for row in a.itertuples()}
    assert got == pytest.approx({"2026-01": 20.0, "2026-02": 100.0})
