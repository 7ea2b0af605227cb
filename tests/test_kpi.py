"""EVM, earned schedule and RAG with numbers worked out by hand (DESIGN section 4)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import kpi, schema
from pmo_core.kpi import evm as kpi_evm

AS_OF = date(2026, 7, 1)


def projects() -> pd.DataFrame:
    return schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["EARLY", "LATE", "NOTSTARTED", "DONE", "REPORTED", "PV0", "AC0"],
                "name": list("abcdefg"),
                "status": [
                    "in_progress",
                    "in_progress",
                    "approved",
                    "completed",
                    "in_progress",
                    "approved",
                    "in_progress",
                ],
                "start_date": [
                    "2026-01-01",
                    "2026-01-01",
                    "2026-09-01",
                    "2025-01-01",
                    "2026-01-01",
                    "2026-09-01",
                    "2026-01-01",
                ],
                "end_date": [
                    "2026-12-31",
                    "2026-12-31",
                    "2027-06-30",
                    "2025-12-31",
                    "2026-12-31",
                    "2027-06-30",
                    "2026-12-31",
                ],
                "budget": [100_000.0] * 7,
                "actual_cost": [50_000.0, 45_000.0, 0.0, 110_000.0, 1.0, 5_000.0, 0.0],
                "percent_complete": [60.0, 30.0, 0.0, 100.0, 99.0, 0.0, 10.0],
            }
        ),
    )


def reports() -> pd.DataFrame:
    return schema.conform(
        "status_reports",
        pd.DataFrame(
            {
                "project_id": ["REPORTED", "REPORTED", "REPORTED"],
                "report_date": [
                    "2026-05-31",
                    "2026-06-30",
                    "2026-07-31",
                ],  # the last is after as-of
                "planned_value": [30_000.0, 40_000.0, 99_999.0],
                "earned_value": [28_000.0, 36_000.0, 99_999.0],
                "actual_cost": [31_000.0, 45_000.0, 99_999.0],
            }
        ),
    )


@pytest.fixture(scope="module")
def evm() -> pd.DataFrame:
    return kpi.project_evm(projects(), reports(), AS_OF).set_index("project_id")


def test_early_and_under_budget(evm: pd.DataFrame) -> None:
    e = evm.loc["EARLY"]
    # elapsed = (1 Jul - 1 Jan) / (31 Dec - 1 Jan) = 181 / 364 = 0.497253
    assert e["pv"] == pytest.approx(49_725.2747, abs=1e-3)  # 100 000 x 0.497253
    assert e["ev"] == 60_000  # 100 000 x 60 %
    assert e["ac"] == 50_000
    assert e["sv"] == pytest.approx(10_274.7253, abs=1e-3)
    assert e["cv"] == 10_000
    assert e["spi"] == pytest.approx(1.206630, abs=1e-6)  # 60 000 / 49 725.27
    assert e["cpi"] == pytest.approx(1.2)  # 60 000 / 50 000
    assert e["eac"] == pytest.approx(83_333.333, abs=1e-3)  # 100 000 / 1.2
    assert e["etc"] == pytest.approx(33_333.333, abs=1e-3)
    assert e["vac"] == pytest.approx(16_666.667, abs=1e-3)
    assert e["tcpi"] == pytest.approx(0.8)  # (100 000 - 60 000) / (100 000 - 50 000)
    assert e["eac_ac_plus_remaining"] == 90_000  # 50 000 + 100 000 - 60 000
    # AC + (BAC - EV) / (CPI x SPI) = 50 000 + 40 000 / 1.447956 = 77 625.15
    assert e["eac_cpi_spi"] == pytest.approx(77_625.15, abs=0.01)
    assert e["source"] == "linear"


def test_late_and_over_budget(evm: pd.DataFrame) -> None:
    e = evm.loc["LATE"]
    assert e["spi"] == pytest.approx(0.603315, abs=1e-6)  # 30 000 / 49 725.27
    assert e["cpi"] == pytest.approx(2 / 3)  # 30 000 / 45 000
    assert e["eac"] == pytest.approx(150_000)  # 100 000 / (2/3)
    assert e["vac"] == pytest.approx(-50_000)


def test_not_started_has_undefined_indices(evm: pd.DataFrame) -> None:
    e = evm.loc["NOTSTARTED"]
    assert (e["pv"], e["ev"], e["ac"]) == (0, 0, 0)
    for col in ("spi", "cpi", "eac", "etc", "vac", "spi_t"):
        assert math.isnan(e[col]), col  # n/a, never 0 or infinity


def test_finished_project(evm: pd.DataFrame) -> None:
    e = evm.loc["DONE"]
    assert e["pv"] == e["ev"] == 100_000  # past its end: fully planned, fully earned
    assert e["spi"] == 1
    assert e["cpi"] == pytest.approx(0.909091, abs=1e-6)  # 100 000 / 110 000
    assert e["eac"] == pytest.approx(110_000)
    assert e["tcpi"] == 0  # (100 000 - 100 000) / (100 000 - 110 000)


def test_status_report_on_or_before_as_of_wins(evm: pd.DataFrame) -> None:
    e = evm.loc["REPORTED"]
    assert e["source"] == "status_report"
    assert (e["pv"], e["ev"], e["ac"]) == (40_000, 36_000, 45_000)  # the 30 June report
    assert e["spi"] == pytest.approx(0.9)
    assert e["cpi"] == pytest.approx(0.8)


def test_pv_zero_gives_undefined_spi(evm: pd.DataFrame) -> None:
    e = evm.loc["PV0"]
    assert e["pv"] == 0
    assert math.isnan(e["spi"])
    assert e["cpi"] == 0  # EV 0 / AC 5 000: defined, and 0
    assert math.isnan(e["eac"])  # BAC / 0


def test_ac_zero_gives_undefined_cpi_and_eac(evm: pd.DataFrame) -> None:
    e = evm.loc["AC0"]
    assert e["ev"] == 10_000
    assert math.isnan(e["cpi"]) and math.isnan(e["eac"])


def test_portfolio_sums_before_dividing() -> None:
    p = projects()
    p = p[p["project_id"].isin(["EARLY", "LATE", "DONE"])]
    e = kpi.project_evm(p, reports(), AS_OF)
    port = kpi.portfolio_evm(e)
    # PV = 49 725.27 + 49 725.27 + 100 000 = 199 450.55; EV = 60 000 + 30 000 + 100 000
    assert port["pv"] == pytest.approx(199_450.5495, abs=1e-3)
    assert port["ev"] == 190_000
    assert port["ac"] == 205_000
    assert port["spi"] == pytest.approx(190_000 / 199_450.5495)  # 0.952617
    assert port["cpi"] == pytest.approx(190_000 / 205_000)  # 0.926829
    # Not the mean of the CPIs (1.2, 0.667, 0.909 -> 0.925): indices are never averaged.
    assert port["cpi"] != pytest.approx((1.2 + 2 / 3 + 100 / 110) / 3, abs=1e-4)
    # EAC = 83 333.33 + 150 000 + 110 000
    assert port["eac"] == pytest.approx(343_333.333, abs=1e-3)


def test_portfolio_eac_adds_bac_of_undefined_eac_and_skips_non_execution() -> None:
    e = kpi.project_evm(projects(), reports(), AS_OF)
    port = kpi.portfolio_evm(e)
    # In execution: EARLY, LATE, DONE, REPORTED, AC0 (approved projects are not summed).
    assert port["projects_in_execution"] == 5
    # REPORTED's EAC = 100 000 / 0.8 = 125 000; AC0's EAC undefined -> its BAC 100 000.
    assert port["eac"] == pytest.approx(
        83_333.333 + 150_000 + 110_000 + 125_000 + 100_000, abs=1e-2
    )


def test_earned_schedule_with_fractional_es() -> None:
    p = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["ES"],
                "name": ["x"],
                "status": ["in_progress"],
                "start_date": ["2026-01-01"],
                "end_date": ["2026-11-01"],
                "budget": [1000.0],
                "actual_cost": [400.0],
                "percent_complete": [35.0],
            }
        ),
    )
    e = kpi.project_evm(p, reports().iloc[0:0], date(2026, 6, 1)).iloc[0]
    # PD = 304 / 30.4375 = 9.987680 months; EV = 350 = 35 % of BAC.
    # Monthly PV curve: PV_m = 1000 x m / PD; C = 3 (PV_3 = 300.37 <= 350 < PV_4 = 400.49)
    # ES = 3 + (350 - 300.37) / (400.49 - 300.37) = 3.495688 months
    assert e["es"] == pytest.approx(3.495688, abs=1e-6)
    assert e["at"] == pytest.approx(4.960986, abs=1e-6)  # 151 days / 30.4375
    assert e["spi_t"] == pytest.approx(0.704636, abs=1e-6)  # ES / AT
    assert e["sv_t"] == pytest.approx(-1.465298, abs=1e-6)  # ES - AT
    # Forecast finish = start + PD / SPI(t) = 1 Jan 2026 + 431.43 days
    assert e["forecast_finish"] == pd.Timestamp("2027-03-08")


def test_rag_is_the_worst_dimension_and_override_wins() -> None:
    p = projects()
    p.loc[p["project_id"] == "EARLY", ["rag_override", "rag_reason"]] = ["R", "Arbitrage COPIL"]
    e = kpi.project_evm(p, reports(), AS_OF)
    ms = schema.conform(
        "milestones",
        pd.DataFrame(
            {
                "project_id": ["REPORTED", "AC0"],
                "milestone_id": ["J1", "J1"],
                "baseline_date": ["2026-05-01", "2026-06-20"],
            }
        ),
    )  # 61 and 11 days overdue
    r = kpi.rag(e, ms, p, AS_OF).set_index("project_id")
    assert r.loc["EARLY", "rag_computed"] == "G" and r.loc["EARLY", "rag"] == "R"
    assert r.loc["EARLY", "rag_reason"] == "Arbitrage COPIL"
    assert r.loc["LATE", "rag"] == "R"  # SPI(t) and CPI < 0.85
    assert r.loc["REPORTED", "rag_milestones"] == "A"  # 61 days > 30
    assert r.loc["REPORTED", "rag_cost"] == "R"  # CPI 0.8 < 0.85
    assert r.loc["AC0", "rag_milestones"] == "G"  # 11 days: within tolerance
    assert pd.isna(r.loc["NOTSTARTED", "rag"])  # not in execution: no computed RAG
    assert pd.isna(r.loc["DONE", "rag"])


@pytest.mark.parametrize(
    ("index", "expected"), [(0.95, "G"), (0.9499, "A"), (0.85, "A"), (0.8499, "R")]
)
def test_rag_thresholds(index: float, expected: str) -> None:
    assert kpi.band(pd.Series([index]), kpi.DEFAULT_THRESHOLDS).iloc[0] == expected


def test_thresholds_from_settings() -> None:
    th = kpi.thresholds_from_settings({"rag_green": "0,9", "rag_amber": "x"})
    assert th["green"] == 0.9 and th["amber"] == 0.85


def test_earned_schedule_on_the_status_reports_pv_curve(evm: pd.DataFrame) -> None:
    e = evm.loc["REPORTED"]
    # REPORTED: start 1 Jan, end 31 Dec 2026 (364 days), BAC 100 000; reports on or before
    # the 1 July as-of: 31 May (day 150) PV 30 000 and 30 June (day 180) PV 40 000; EV 36 000.
    # PV curve: (0, 0), (150, 30 000), (180, 40 000), (364, 100 000).
    # Month 5 ends on day 152.1875: PV_5 = 30 000 + 2.1875 / 30 x 10 000 = 30 729.17
    # Month 6 ends on day 182.625: PV_6 = 40 000 + 2.625 / 184 x 60 000 = 40 855.98
    # ES = 5 + (36 000 - 30 729.17) / (40 855.98 - 30 729.17) = 5.520484
    assert e["es"] == pytest.approx(5.520484, abs=1e-6)
    at = 181 / 30.4375  # 1 Jan -> 1 July = 181 days = 5.946612 months
    assert e["spi_t"] == pytest.approx(5.520484 / at, abs=1e-6)  # 0.928334
    assert e["sv_t"] == pytest.approx(5.520484 - at, abs=1e-6)
    # The linear curve would have said ES = 36 % x PD = 4.305 months: the report's own
    # curve, ahead of linear, makes the project less late than linear would.
    assert e["es"] > 0.36 * 364 / 30.4375


def test_lipke_es_in_the_last_partial_month_and_beyond() -> None:
    times = np.array([0.0, 1.0, 2.0, 2.5])  # PD = 2.5 months: the last step is half a month
    curve = np.array([0.0, 40.0, 80.0, 100.0])
    assert kpi.lipke_es(times, curve, 90.0) == pytest.approx(2.25)  # half of the half month
    assert kpi.lipke_es(times, curve, 100.0) == 2.5  # all earned: ES = PD
    assert math.isnan(kpi.lipke_es(times, curve, float("nan")))


def test_vectorised_es_equals_the_reference_on_random_curves() -> None:
    rng = np.random.default_rng(3)
    n = 40
    start = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    length = rng.integers(40, 900, n)
    end = start + pd.to_timedelta(length, unit="D")
    bac = rng.uniform(1e4, 1e6, n)
    p = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "start_date": start,
            "end_date": end,
            "budget": bac,
        }
    )
    rows = []
    for i in range(n):
        k = int(rng.integers(1, 6))
        dates = start[i] + pd.to_timedelta(np.sort(rng.integers(1, length[i], k)), unit="D")
        pvs = np.sort(rng.uniform(0, bac[i], k))
        rows += [(f"P{i}", d, v) for d, v in zip(dates, pvs, strict=True)]
    sr = pd.DataFrame(rows, columns=["project_id", "report_date", "planned_value"])
    sr = sr.drop_duplicates(["project_id", "report_date"])
    ev = pd.Series(rng.uniform(0, 1.1, n) * bac)
    got = kpi_evm.report_pv_es(p, sr, ev, pd.Timestamp("2030-01-01"))
    for i in range(n):
        g = sr[sr["project_id"] == f"P{i}"]
        d = float(length[i])
        x = np.concatenate([[0.0], (g["report_date"] - start[i]).dt.days.to_numpy(float), [d]])
        y = np.maximum.accumulate(np.concatenate([[0.0], g["planned_value"].to_numpy(), [bac[i]]]))
        pd_m = d / kpi.DAYS_PER_MONTH
        times = np.append(np.arange(0, np.ceil(pd_m)), pd_m)
        want = kpi.lipke_es(times, np.interp(times * kpi.DAYS_PER_MONTH, x, y), ev[i])
        assert got[f"P{i}"] == pytest.approx(want, abs=1e-9), i


def test_quality_is_a_rag_dimension() -> None:
    p = projects()
    e = kpi.project_evm(p, reports(), AS_OF)
    sr = reports().assign(quality_rag=["G", "R", "G"])  # 30 June says red; 31 July is later
    no_ms = schema.empty_frame("milestones")
    r = kpi.rag(e, no_ms, p, AS_OF, status_reports=sr).set_index("project_id")
    assert r.loc["REPORTED", "rag_quality"] == "R"
    assert r.loc["REPORTED", "rag_computed"] == "R"
    assert pd.isna(r.loc["EARLY", "rag_quality"])  # no report: no quality dimension
    assert r.loc["EARLY", "rag_computed"] == "G"


# --------------------------------------------------------------------------------------
# Earned schedule on the real baseline (issue 14, item 3; DESIGN section 4)


def _one_project(start: str, end: str, bac: float, pct: float, pid: str = "B") -> pd.DataFrame:
    return schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": [pid],
                "name": ["x"],
                "status": ["in_progress"],
                "start_date": [start],
                "end_date": [end],
                "budget": [bac],
                "actual_cost": [bac * pct / 200],
                "percent_complete": [pct],
            }
        ),
    )


def _baseline(pid: str, months: list[str], cumulative: list[float]) -> pd.DataFrame:
    return schema.conform(
        "baseline",
        pd.DataFrame(
            {"project_id": [pid] * len(months), "month": months, "planned_value": cumulative}
        ),
    )


NO_REPORTS = schema.empty_frame("status_reports")
BACK_LOADED = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"]


def test_lipke_back_loaded_example() -> None:
    # Lipke's example: plan cumulative 10/20/40/45/100 % of BAC at the end of periods 1-5;
    # EV = 45 % of BAC at the end of period 3. C = 4 (PV_4 = 45 <= 45 < PV_5 = 100),
    # ES = 4 + (45 - 45) / (100 - 45) = 4.0; SPI(t) = ES / AT = 4 / 3 = 1.33: ahead.
    times = np.arange(6.0)
    curve = np.array([0.0, 10.0, 20.0, 40.0, 45.0, 100.0])
    es = kpi.lipke_es(times, curve, 45.0)
    assert es == 4.0
    assert es / 3 == pytest.approx(1.3333, abs=1e-4)
    # The linear plan would say ES = 45 % x 5 = 2.25, SPI(t) = 0.75: late, which it is not.


def test_baseline_sheet_drives_pv_and_earned_schedule() -> None:
    # Lipke's plan on calendar months: start 1 Jan 2026, end 1 June 2026 (151 days),
    # BAC 100; cumulative PV 10/20/40/45/100 at the end of Jan..May, i.e. on days
    # 31, 59, 90, 120 and 151 from the start. As of 1 April (day 90), 45 % complete.
    p = _one_project("2026-01-01", "2026-06-01", 100.0, 45.0)
    b = _baseline("B", BACK_LOADED, [10.0, 20.0, 40.0, 45.0, 100.0])
    e = kpi.project_evm(p, NO_REPORTS, date(2026, 4, 1), b).iloc[0]
    assert e["source"] == "baseline"
    assert e["pv"] == pytest.approx(40.0)  # the curve at day 90 (linear: 100 x 90/151 = 59.6)
    assert e["spi"] == pytest.approx(45 / 40)  # 1.125
    # ES: the curve reaches EV 45 at the end of April (day 120), a month after the as-of
    # date: ES = 120 / 30.4375 = 3.942505 months; AT = 90 / 30.4375 = 2.956879.
    assert e["es"] == pytest.approx(120 / 30.4375, abs=1e-9)
    assert e["at"] == pytest.approx(90 / 30.4375, abs=1e-9)
    assert e["spi_t"] == pytest.approx(4 / 3, abs=1e-9)  # 120 days / 90 days
    assert e["sv_t"] == pytest.approx(30 / 30.4375, abs=1e-9)  # one month ahead
    # Forecast finish = start + PD / SPI(t) = 151 x 3/4 = 113.25 days -> 113: 24 April.
    assert e["forecast_finish"] == pd.Timestamp("2026-04-24")


def test_baseline_partial_months_and_interpolation() -> None:
    # Start 15 Jan 2026, end 15 Apr 2026 (90 days), BAC 300, cumulative PV 50 (Jan),
    # 150 (Feb), 300 (Mar), 300 (Apr: done). Points: (0, 0), (17, 50) on 1 Feb,
    # (45, 150) on 1 Mar, (76, 300) on 1 Apr, 1 May clipped to the end (90, 300).
    p = _one_project("2026-01-15", "2026-04-15", 300.0, 100 / 3)  # EV = 100
    b = _baseline(
        "B", ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"], [50, 150, 300, 300]
    )
    e = kpi.project_evm(p, NO_REPORTS, date(2026, 2, 15), b).iloc[0]
    # As of 15 Feb = day 31: PV = 50 + (31 - 17) / (45 - 17) x 100 = 100.
    assert e["pv"] == pytest.approx(100.0)
    # EV 100: C = the 1 Feb point (50 <= 100 < 150): ES = 17 + 50/100 x 28 = 31 days.
    assert e["es"] == pytest.approx(31 / 30.4375, abs=1e-9)
    assert e["spi_t"] == pytest.approx(1.0, abs=1e-12)
    # All earned (EV = BAC 300): ES = PD = 90 days, not the 1 April point (day 76).
    done = kpi.project_evm(p.assign(percent_complete=100.0), NO_REPORTS, date(2026, 2, 15), b)
    assert done.iloc[0]["es"] == pytest.approx(90 / 30.4375, abs=1e-9)


def test_baseline_wins_over_report_pv_for_es_but_not_for_the_reported_pv() -> None:
    # A report on 31 Mar gives PV 50, EV 45: SPI comes from the report (0.9); ES from the
    # whole baseline curve (day 120, as above), not from the report's points.
    p = _one_project("2026-01-01", "2026-06-01", 100.0, 0.0)
    b = _baseline("B", BACK_LOADED, [10.0, 20.0, 40.0, 45.0, 100.0])
    r = schema.conform(
        "status_reports",
        pd.DataFrame(
            {
                "project_id": ["B"],
                "report_date": ["2026-03-31"],
                "planned_value": [50.0],
                "earned_value": [45.0],
            }
        ),
    )
    e = kpi.project_evm(p, r, date(2026, 4, 1), b).iloc[0]
    assert e["source"] == "status_report"
    assert (e["pv"], e["ev"]) == (50.0, 45.0)
    assert e["es"] == pytest.approx(120 / 30.4375, abs=1e-9)


def test_linear_es_at_999_per_mille_stays_below_the_planned_duration() -> None:
    # 1 Jan -> 1 Nov 2026: PD = 304 / 30.4375 = 9.987680 months; EV = 99.9 % of BAC.
    # ES = 0.999 x 9.987680 = 9.977692 < PD. (The whole-month rounding gave
    # 9 + (999 - 901.11) / (1000 - 901.11) = 9.989893 > PD.)
    p = _one_project("2026-01-01", "2026-11-01", 1000.0, 99.9)
    e = kpi.project_evm(p, NO_REPORTS, date(2026, 10, 1)).iloc[0]
    assert e["es"] == pytest.approx(0.999 * 304 / 30.4375, abs=1e-9)
    assert e["es"] < e["planned_months"]


def test_forecast_finish_is_rounded_to_the_nearest_day() -> None:
    # Start 1 Jan 2026, end 20 July (200 days), as of 10 March (68 days), 20 % complete.
    # Linear ES = 0.2 x 200 = 40 days; SPI(t) = 40 / 68; PD / SPI(t) = 200 x 68 / 40 = 340
    # days exactly, computed as 339.99999999999994: 340 days after 1 Jan is 7 Dec 2026
    # (flooring gave 6 Dec).
    p = _one_project("2026-01-01", "2026-07-20", 1000.0, 20.0)
    e = kpi.project_evm(p, NO_REPORTS, date(2026, 3, 10)).iloc[0]
    assert e["spi_t"] == pytest.approx(40 / 68, abs=1e-12)
    assert e["forecast_finish"] == pd.Timestamp("2026-12-07")


def test_vectorised_curve_es_equals_lipke_on_random_baselines() -> None:
    rng = np.random.default_rng(14)
    rows, plist = [], []
    for i in range(30):
        start = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 60)))
        n = int(rng.integers(2, 15))
        end = start + pd.Timedelta(days=int(rng.integers(30 * (n - 1) + 1, 30.4 * n)))
        bac = float(rng.uniform(100, 1e6))
        cum = np.sort(rng.uniform(0, bac, n))
        months = pd.date_range(start.to_period("M").to_timestamp(), periods=n, freq="MS")
        rows += [(f"P{i}", m, v) for m, v in zip(months, cum, strict=True)]
        plist.append((f"P{i}", start, end, bac, months, cum))
    p = schema.conform(
        "projects",
        pd.DataFrame(
            [(k, k, s, e, b) for k, s, e, b, _, _ in plist],
            columns=["project_id", "name", "start_date", "end_date", "budget"],
        ),
    )
    b = schema.conform(
        "baseline", pd.DataFrame(rows, columns=["project_id", "month", "planned_value"])
    )
    curves = kpi_evm.baseline_curves(p, b)
    ev = pd.Series(rng.uniform(0, 1.1, len(plist)) * p["budget"])
    got = kpi_evm.curve_es(curves, p["project_id"], ev)
    for i, (_, start, end, bac, months, cum) in enumerate(plist):
        d = float((end - start).days)
        x = np.clip(((months + pd.offsets.MonthBegin(1)) - start).days.to_numpy(float), 0, d)
        times = np.concatenate([[0.0], x, [d]]) / kpi.DAYS_PER_MONTH
        curve = np.maximum.accumulate(np.concatenate([[0.0], cum, [max(bac, cum.max())]]))
        assert got[i] == pytest.approx(kpi.lipke_es(times, curve, ev[i]), abs=1e-9), i


@st.composite
def _planned(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A project of 1-36 months from a random start, with a random cumulative curve."""
    start = pd.Timestamp("2025-01-01") + pd.Timedelta(days=draw(st.integers(0, 400)))
    days = draw(st.integers(1, 1100))
    bac = draw(st.floats(1.0, 1e7))
    months = pd.date_range(
        start.to_period("M").to_timestamp(), start + pd.Timedelta(days=days), freq="MS"
    )
    steps = draw(st.lists(st.floats(0, 1), min_size=len(months), max_size=len(months)))
    cum = np.cumsum(steps)
    cum = bac * cum / cum[-1] if cum[-1] > 0 else cum
    p = _one_project(str(start.date()), str((start + pd.Timedelta(days=days)).date()), bac, 0.0)
    return p, _baseline("B", [str(m.date()) for m in months], list(cum))


def _es(p: pd.DataFrame, b: pd.DataFrame | None, fraction: float) -> float:
    q = p.assign(percent_complete=100 * fraction)
    return float(kpi.project_evm(q, NO_REPORTS, date(2026, 1, 1), b).iloc[0]["es"])


@settings(deadline=None, max_examples=60)
@given(_planned(), st.floats(0, 1.5), st.booleans())
def test_es_never_exceeds_the_planned_duration(
    plan: tuple[pd.DataFrame, pd.DataFrame], fraction: float, with_curve: bool
) -> None:
    p, b = plan
    pd_months = (p["end_date"] - p["start_date"]).dt.days.iloc[0] / kpi.DAYS_PER_MONTH
    assert _es(p, b if with_curve else None, fraction) <= pd_months + 1e-12


@settings(deadline=None, max_examples=60)
@given(_planned(), st.floats(0, 1.2), st.floats(0, 1.2), st.booleans())
def test_es_never_decreases_when_ev_grows(
    plan: tuple[pd.DataFrame, pd.DataFrame], f1: float, f2: float, with_curve: bool
) -> None:
    p, b = plan
    lo, hi = sorted((f1, f2))
    curve = b if with_curve else None
    assert _es(p, curve, lo) <= _es(p, curve, hi) + 1e-9


@settings(deadline=None, max_examples=60)
@given(_planned(), st.floats(0, 1.2))
def test_linear_path_equals_the_curve_path_on_a_linear_curve(
    plan: tuple[pd.DataFrame, pd.DataFrame], fraction: float
) -> None:
    # The baseline's cumulative PV at each month end = BAC x (days since start) / days.
    p, b = plan
    start, end = p["start_date"].iloc[0], p["end_date"].iloc[0]
    bac, days = float(p["budget"].iloc[0]), float((end - start).days)
    ends = ((b["month"] + pd.offsets.MonthBegin(1)) - start).dt.days.to_numpy(float)
    linear = b.assign(planned_value=bac * np.clip(ends, 0, days) / days)
    assert _es(p, linear, fraction) == pytest.approx(_es(p, None, fraction), rel=1e-9, abs=1e-9)


# --------------------------------------------------------------------------------------
# n/a without inputs (issue 14, item 2; DESIGN section 4): a figure is right or undefined,
# never computed from a default (no date is not "0 % elapsed", no EV is not "EV = 0").

GAP_AS_OF = date(2026, 7, 1)  # 1 Jan -> 1 Jul 2026 = 181 days of a 364-day plan
NO_REPORTS_14 = schema.empty_frame("status_reports")
NO_MILESTONES_14 = schema.empty_frame("milestones")


def _gap_projects(**rows: dict[str, object]) -> pd.DataFrame:
    """One in-progress project per keyword: start/end 2026 (unless given), BAC 100 000."""
    base = {
        "name": "x",
        "status": "in_progress",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "budget": 100_000.0,
        "actual_cost": None,
        "percent_complete": None,
    }
    frame = pd.DataFrame([{**base, "project_id": pid, **row} for pid, row in rows.items()])
    return schema.conform("projects", frame)


GAPS = {
    "NOEND": {"end_date": None, "actual_cost": 20_000.0, "percent_complete": 40.0},
    "NODATES": {
        "start_date": None,
        "end_date": None,
        "actual_cost": 20_000.0,
        "percent_complete": 40.0,
    },
    "NOPROGRESS": {"actual_cost": 30_000.0},
    "FULL": {"actual_cost": 50_000.0, "percent_complete": 60.0},
}
SCHEDULE_NA = ("pv", "sv", "spi", "es", "spi_t", "sv_t", "forecast_finish")


Gaps = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]


@pytest.fixture(scope="module")
def gaps() -> Gaps:
    p = _gap_projects(**GAPS)
    e = kpi.project_evm(p, NO_REPORTS_14, GAP_AS_OF)
    r = kpi.rag(e, NO_MILESTONES_14, p, GAP_AS_OF)
    return p, e.set_index("project_id"), r.set_index("project_id")


def test_project_without_end_date_has_no_plan_and_no_schedule_rating(gaps: Gaps) -> None:
    _, e, r = gaps
    x = e.loc["NOEND"]
    # Before: elapsed taken as 100 % -> PV = BAC = 100 000, SPI = 40 000 / 100 000 = 0.40, red.
    for col in SCHEDULE_NA:
        assert pd.isna(x[col]), col
    # What does not need the plan stays: EV = 40 % x 100 000, CPI = 40 000 / 20 000.
    assert x["ev"] == 40_000 and x["ac"] == 20_000 and x["cv"] == 20_000
    assert x["cpi"] == 2.0 and x["eac"] == 50_000  # 100 000 / 2
    assert x["missing_inputs"] == "dates"
    assert pd.isna(r.loc["NOEND", "rag_schedule"])
    assert r.loc["NOEND", "rag_cost"] == "G"  # CPI 2.0 >= 0.95
    assert r.loc["NOEND", "rag"] == "G"  # the worst of the rated dimensions: cost only


def test_project_without_any_date_has_no_plan(gaps: Gaps) -> None:
    _, e, r = gaps
    x = e.loc["NODATES"]
    # Before: elapsed taken as 0 % -> PV = 0 and SV = +40 000 (ahead of a plan nobody gave).
    for col in (*SCHEDULE_NA, "at", "planned_months"):
        assert pd.isna(x[col]), col
    assert x["cpi"] == 2.0
    assert pd.isna(r.loc["NODATES", "rag_schedule"]) and r.loc["NODATES", "rag"] == "G"


def test_project_without_progress_data_has_no_ev_indices_or_rating(gaps: Gaps) -> None:
    _, e, r = gaps
    x = e.loc["NOPROGRESS"]
    # The plan is known: PV = 100 000 x 181 / 364 = 49 725.27; AC is given: 30 000.
    assert x["pv"] == pytest.approx(49_725.2747, abs=1e-3)
    assert x["ac"] == 30_000
    undefined = ("ev", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi")
    for col in (*undefined, "eac_ac_plus_remaining", "eac_cpi_spi", "es", "spi_t", "sv_t"):
        assert pd.isna(x[col]), col  # before: EV 0, ES = PD, SPI(t) 2.01, CPI 0: red
    assert pd.isna(x["forecast_finish"])
    assert x["missing_inputs"] == "progress"
    for col in ("rag_schedule", "rag_cost", "rag_computed", "rag"):
        assert pd.isna(r.loc["NOPROGRESS", col]), col  # no rating, not red


def test_complete_project_names_nothing_missing(gaps: Gaps) -> None:
    _, e, r = gaps
    assert pd.isna(e.loc["FULL", "missing_inputs"])
    assert e.loc["FULL", "spi"] == pytest.approx(1.206630, abs=1e-6)  # 60 000 / 49 725.27
    assert r.loc["FULL", "rag"] == "G"


def test_a_status_report_without_ev_or_percent_is_no_progress() -> None:
    p = _gap_projects(REP={"actual_cost": 30_000.0})
    sr = schema.conform(
        "status_reports",
        pd.DataFrame(
            {"project_id": ["REP"], "report_date": ["2026-06-30"], "actual_cost": [35_000.0]}
        ),
    )
    x = kpi.project_evm(p, sr, GAP_AS_OF).iloc[0]
    assert x["source"] == "status_report" and x["ac"] == 35_000  # the report's AC
    assert pd.isna(x["ev"]) and pd.isna(x["cpi"]) and pd.isna(x["es"])
    assert x["missing_inputs"] == "progress"


def test_only_rated_dimensions_count_and_override_still_wins() -> None:
    p = _gap_projects(
        LATEMS={"actual_cost": 30_000.0},
        NONE={"actual_cost": 30_000.0},
        OVER={"actual_cost": 30_000.0, "rag_override": "G", "rag_reason": "COPIL"},
    )
    e = kpi.project_evm(p, NO_REPORTS_14, GAP_AS_OF)
    ms = schema.conform(
        "milestones",
        pd.DataFrame(
            {"project_id": ["LATEMS"], "milestone_id": ["J1"], "baseline_date": ["2026-05-22"]}
        ),
    )  # 22 May -> 1 Jul = 40 days overdue: amber (> 30, <= 90)
    r = kpi.rag(e, ms, p, GAP_AS_OF).set_index("project_id")
    assert pd.isna(r.loc["LATEMS", "rag_schedule"]) and pd.isna(r.loc["LATEMS", "rag_cost"])
    assert r.loc["LATEMS", "rag_milestones"] == "A" and r.loc["LATEMS", "rag"] == "A"
    assert pd.isna(r.loc["NONE", "rag"])  # nothing rated: no rating
    assert pd.isna(r.loc["OVER", "rag_computed"]) and r.loc["OVER", "rag"] == "G"


def _headline(p: pd.DataFrame) -> dict[str, object]:
    e = kpi.project_evm(p, NO_REPORTS_14, GAP_AS_OF)
    r = kpi.rag(e, NO_MILESTONES_14, p, GAP_AS_OF)
    k = e.merge(r, on="project_id").assign(risk_exposure=0.0, risk_score=0.0)
    return kpi.portfolio_headline(k)


def test_portfolio_without_any_ev_has_no_ev_spi_cpi_or_rating() -> None:
    # GMPP-like: dates and whole-life costs, no EV, no % complete, no status report, no AC.
    p = _gap_projects(
        G1={"budget": 100.0}, G2={"budget": 200.0}, G3={"budget": 300.0, "end_date": None}
    )
    port = _headline(p)
    assert port["bac"] == 600
    assert port["pv"] == pytest.approx(300 * 181 / 364, abs=1e-9)  # G3 has no plan
    for key in ("ev", "ac", "sv", "cv", "spi", "cpi", "etc", "tcpi"):
        assert math.isnan(port[key]), key  # before: EV 0, SPI 0.0
    assert port["left_out"] == {
        "bac": 0,
        "pv": 1,
        "ev": 3,
        "ac": 3,
        "sv": 3,
        "cv": 3,
        "spi": 3,
        "cpi": 3,
        "eac": 0,
        "etc": 3,
        "vac": 0,
        "tcpi": 3,
    }
    # EAC undefined everywhere: each BAC stands in (DESIGN), and the count says so.
    assert port["eac"] == 600 and port["eac_at_bac"] == 3 and port["vac"] == 0
    assert (port["red_projects"], port["amber_projects"], port["unrated_projects"]) == (0, 0, 3)


def test_portfolio_sums_only_the_defined_project_and_counts_the_other() -> None:
    port = _headline(_gap_projects(FULL=GAPS["FULL"], NOPROGRESS=GAPS["NOPROGRESS"]))
    # FULL: PV 49 725.27, EV 60 000, AC 50 000, EAC 83 333.33; NOPROGRESS: PV 49 725.27,
    # AC 30 000, EV and EAC undefined (its BAC 100 000 stands in for the EAC).
    assert port["pv"] == pytest.approx(99_450.5495, abs=1e-3)
    assert port["ev"] == 60_000 and port["ac"] == 80_000
    # SPI over FULL only: 60 000 / 49 725.27 = 1.206630 (before: 60 000 / 99 450.55 = 0.60)
    assert port["spi"] == pytest.approx(1.206630, abs=1e-6)
    assert port["sv"] == pytest.approx(10_274.7253, abs=1e-3)
    assert port["cpi"] == pytest.approx(1.2)  # 60 000 / 50 000 (before: 60 000 / 80 000)
    assert port["cv"] == 10_000
    assert port["tcpi"] == pytest.approx(0.8)  # (100 000 - 60 000) / (100 000 - 50 000)
    assert port["eac"] == pytest.approx(183_333.333, abs=1e-3)  # 83 333.33 + 100 000
    assert port["etc"] == pytest.approx(103_333.333, abs=1e-3)  # 33 333.33 + 70 000
    assert port["vac"] == pytest.approx(16_666.667, abs=1e-3)  # 200 000 - 183 333.33
    assert port["eac_at_bac"] == 1
    left = port["left_out"]
    assert (left["pv"], left["ev"], left["spi"], left["cpi"], left["tcpi"]) == (0, 1, 1, 1, 1)
    assert port["unrated_projects"] == 1  # NOPROGRESS; FULL is green


_dates = st.tuples(st.integers(0, 400), st.integers(1, 700))


@st.composite
def _project_rows(draw: st.DrawFn, pid: str, progress: bool) -> dict[str, object]:
    offset, length = draw(_dates)
    start = pd.Timestamp("2025-06-01") + pd.Timedelta(days=offset)
    dated = draw(st.booleans()) if not progress else draw(st.sampled_from([True, True, False]))
    return {
        "project_id": pid,
        "name": "x",
        "status": "in_progress",
        "start_date": start if dated else None,
        "end_date": start + pd.Timedelta(days=length) if dated else None,
        "budget": draw(st.one_of(st.none(), st.floats(1, 1e7))),
        "actual_cost": draw(st.one_of(st.none(), st.floats(0, 1e7))),
        # From 1 %: a tinier % complete overflows the forecast finish (item 3's code).
        "percent_complete": draw(st.one_of(st.just(0.0), st.floats(1, 100))) if progress else None,
    }


@settings(deadline=None, max_examples=80)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(*[_project_rows(f"P{i}", True) for i in range(n)])
    ),
    _project_rows("X", False),
)
def test_adding_a_project_without_progress_never_changes_portfolio_spi_cpi(
    base: tuple[dict[str, object], ...], extra: dict[str, object]
) -> None:
    before = kpi.portfolio_evm(
        kpi.project_evm(
            schema.conform("projects", pd.DataFrame(list(base))), NO_REPORTS_14, GAP_AS_OF
        )
    )
    rows = pd.DataFrame([*base, extra])
    after = kpi.portfolio_evm(
        kpi.project_evm(schema.conform("projects", rows), NO_REPORTS_14, GAP_AS_OF)
    )
    for key in ("spi", "cpi", "ev", "sv", "cv", "tcpi"):
        if math.isnan(before[key]):
            assert math.isnan(after[key]), key
        else:
            assert after[key] == pytest.approx(before[key], rel=1e-12), key
    assert after["left_out"]["spi"] == before["left_out"]["spi"] + 1
