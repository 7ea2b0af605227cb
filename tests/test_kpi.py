"""EVM, earned schedule and RAG with numbers worked out by hand (DESIGN section 4)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

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
    got = kpi_evm._report_pv_es(p, sr, ev, pd.Timestamp("2030-01-01"))
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
