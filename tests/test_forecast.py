"""Forecasts with their confidence: the prior, reference classes, the portfolio's sums of
samples, and a backtest whose answer is known."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from pmo_core import forecast
from pmo_core.forecast import calibrate, history, prior


def kframe(**cols: object) -> pd.DataFrame:
    """A KPI frame with the columns a forecast reads (one project unless lists given)."""
    base: dict[str, object] = {
        "project_id": "P1",
        "status": "in_progress",
        "program": "Prog",
        "department": "Dept",
        "bac": 100.0,
        "ac": 60.0,
        "ev": 50.0,
        "eac": 100.0,
        "start_date": pd.Timestamp("2026-01-01"),
        "end_date": pd.Timestamp("2026-12-31"),
        "forecast_finish": pd.Timestamp("2026-12-31"),
        "forecast_end_date": pd.NaT,
    }
    base.update(cols)
    n = max((len(v) for v in base.values() if isinstance(v, list)), default=1)
    return pd.DataFrame({c: v if isinstance(v, list) else [v] * n for c, v in base.items()})


AS_OF = date(2026, 7, 1)


def test_prior_probability_within_bac_is_worked_out_by_hand() -> None:
    # EAC 100, AC 60: ETC 40. Within BAC 100 <=> X <= 0: the body's median is 0
    # (P = 1/2), a swan needs 3 exp(0.3 Z) <= 1, Z <= ln(1/3)/0.3 = -3.66 (P ~ 0.0001):
    # 5/6 x 0.5 + 1/6 x 0.0001 = 0.4167.
    f = forecast.project_forecasts(kframe(), AS_OF)
    expected = 5 / 6 * 0.5 + 1 / 6 * norm.cdf(np.log(1 / 3) / 0.3)
    assert f.loc[0, "prob_within_bac"] == pytest.approx(expected, abs=0.003)
    assert f.loc[0, "reference_class"] == "prior"
    assert f.loc[0, "observations"] == 0
    # P10 <= P50 <= P80 <= P90, and the P50 near the EVM forecast: EAC + ETC x median(X).
    q = f.loc[0, ["eac_p10", "eac_p50", "eac_p80", "eac_p90"]].to_numpy(float)
    assert (np.diff(q) > 0).all()
    assert 100.0 <= q[1] <= 100.0 + 40 * 0.1


def test_a_project_with_no_cost_to_come_has_a_certain_cost() -> None:
    # EAC = AC = 80: ETC 0, every percentile is 80 and it is within a BAC of 100.
    f = forecast.project_forecasts(kframe(ac=80.0, eac=80.0), AS_OF)
    assert f.loc[0, ["eac_p10", "eac_p90"]].tolist() == [80.0, 80.0]
    assert f.loc[0, "prob_within_bac"] == 1.0


def test_spi_t_of_0_6_puts_the_p50_finish_after_the_baseline_finish() -> None:
    # Started 2026-01-01, planned to 2026-12-31 (364 days); SPI(t) 0.6 gives a forecast
    # finish of start + 364 / 0.6 = 607 days: 2027-08-31. With the prior the P50 is that
    # finish plus the 426 remaining days x the prior's median schedule overrun (+3.7 %:
    # the swans lift the median, 16 days): 2027-09-16, after the baseline finish.
    ff = pd.Timestamp("2026-01-01") + pd.Timedelta(days=round(364 / 0.6))
    f = forecast.project_forecasts(kframe(forecast_finish=ff), AS_OF)
    assert f.loc[0, "finish_p50"] > pd.Timestamp("2026-12-31")
    median_y = prior.quantiles([0.5])[1][0]
    assert 0.03 < median_y < 0.045
    assert f.loc[0, "finish_p50"] == ff + pd.Timedelta(days=round(426 * median_y))
    # P(finish <= baseline): slack -242 days over 426 remaining: Y <= -0.568 needs
    # exp(0.15 Z) <= 0.432, Z <= -5.6 (body) or 1.7 exp(0.3 Z) <= 0.432 (swan, Z <= -4.6).
    assert f.loc[0, "prob_by_baseline_finish"] < 0.001


def test_undefined_inputs_give_undefined_forecasts() -> None:
    k = kframe(
        project_id=["no-eac", "no-dates", "done", "idea"],
        eac=[np.nan, 100.0, 100.0, 100.0],
        forecast_finish=[pd.Timestamp("2026-12-31"), pd.NaT, pd.NaT, pd.NaT],
        start_date=[pd.Timestamp("2026-01-01"), pd.NaT, pd.NaT, pd.NaT],
        status=["in_progress", "in_progress", "completed", "proposed"],
    )
    f = forecast.project_forecasts(k, AS_OF).set_index("project_id")
    # Only running projects get a forecast.
    assert list(f.index) == ["no-eac", "no-dates"]
    assert f.loc["no-eac", ["eac_p50", "prob_within_bac"]].isna().all()
    assert f.loc["no-dates", "eac_p50"] == pytest.approx(100.0, abs=4.0)
    assert pd.isna(f.loc["no-dates", "finish_p50"])
    assert pd.isna(f.loc["no-dates", "prob_by_baseline_finish"])


def test_no_progress_data_means_no_reference_class_and_no_forecast() -> None:
    f = forecast.project_forecasts(kframe(ev=np.nan), AS_OF)
    assert f.loc[0, ["eac_p50", "prob_within_bac"]].isna().all()
    assert f.loc[0, "reference_class"] is None


def pool_of(ratios: list[float], band: str = "50-75 %", program: str = "Prog") -> pd.DataFrame:
    n = len(ratios)
    return pd.DataFrame(
        {
            "project_id": [f"H{i}" for i in range(n)],
            "k": 0,
            "outcome_k": 1,
            "band": band,
            "program": program,
            "department": "Dept",
            "cost_ratio": ratios,
            "etc_share": 0.5,
            "finish_ratio": ratios,
            "remaining_share": 0.5,
        }
    )


def test_an_empirical_class_gives_the_quantiles_of_its_outcomes() -> None:
    # 30 outcomes 1.00, 1.01, ..., 1.29 of projects at 50-75 % in the same programme; a
    # project at 60 % (EV 690 of 1,150) with EAC 1,000: np.quantile's P80 sits at position
    # 0.8 x 29 = 23.2, 1.23 + 0.2 x 0.01 = 1.232: P80 = 1,232.
    pool = pool_of([1 + i / 100 for i in range(30)])
    f = forecast.project_forecasts(kframe(ev=690.0, eac=1000.0, bac=1150.0), AS_OF, pool)
    assert f.loc[0, "reference_class"] == "50-75 % · Prog"
    assert f.loc[0, "observations"] == 30
    assert f.loc[0, "eac_p80"] == pytest.approx(1232.0)
    # Within BAC 1,150 <=> ratio <= 1.15: 16 of the 30 outcomes (1.00 ... 1.15).
    assert f.loc[0, "prob_within_bac"] == pytest.approx(16 / 30)
    # The finish: start + forecast days (364) x the ratio's P50 (1.145) = 417 days.
    assert f.loc[0, "finish_p50"] == pd.Timestamp("2026-01-01") + pd.Timedelta(days=417)


def test_29_outcomes_are_too_few_for_a_class_the_band_or_the_prior_is_used() -> None:
    few = pool_of([1.1] * 29)
    f = forecast.project_forecasts(kframe(ev=60.0), AS_OF, few)
    assert f.loc[0, "reference_class"] == "prior"
    # 29 in the programme + 1 elsewhere in the band: the band's 30 are used.
    other = pool_of([1.1], program="Other").assign(department="Other")
    band = pd.concat([few, other], ignore_index=True)
    f = forecast.project_forecasts(kframe(ev=60.0), AS_OF, band)
    assert f.loc[0, "reference_class"] == "50-75 %"


def test_portfolio_probability_is_of_the_sum_not_of_each_project() -> None:
    # Two projects at 60 %, EAC 100 and BAC 150 each; their class's outcomes are 1.0 or
    # 2.0 (15 each). Each alone stays within its BAC half the time; the portfolio total
    # is 200 (1/4), 300 (1/2) or 400 (1/4): within its budget of 300 three times in four,
    # not 1/2 x 1/2. P50 of the total 300, P80 400.
    k = kframe(project_id=["P1", "P2"], eac=100.0, ac=0.0, ev=90.0, bac=150.0)
    pool = pool_of([1.0] * 15 + [2.0] * 15)
    per = forecast.project_forecasts(k, AS_OF, pool)
    assert per["prob_within_bac"].tolist() == [0.5, 0.5]
    port = forecast.portfolio_forecast(k, AS_OF, pool, iterations=20_000, seed=3)
    assert port["projects"] == 2 and port["left_out"] == 0
    assert port["budget"] == 300.0
    assert port["prob_within_budget"] == pytest.approx(0.75, abs=0.01)
    assert (port["eac_p50"], port["eac_p80"]) == (300.0, 400.0)
    # Same seed, same answer.
    assert forecast.portfolio_forecast(k, AS_OF, pool, iterations=20_000, seed=3) == port


def test_portfolio_with_certain_costs_and_its_spend_per_year() -> None:
    # Outcomes all exactly as forecast (ratios 1.0): cost = EAC 465, finish = forecast.
    # AC 100: 365 left, spread evenly from 2026-07-01 to 2027-07-01 (365 days): 184
    # days in 2026 (184) and 181 in 2027 (181).
    k = kframe(
        ac=100.0,
        eac=465.0,
        bac=500.0,
        ev=300.0,
        start_date=pd.Timestamp("2026-01-01"),
        forecast_finish=pd.Timestamp("2027-07-01"),
    )
    pool = pool_of([1.0] * 30)
    port = forecast.portfolio_forecast(k, AS_OF, pool, iterations=200)
    assert port["eac_p50"] == pytest.approx(465.0)
    assert port["prob_within_budget"] == 1.0
    spend = {r["year"]: r["p50"] for r in port["spend_by_year"]}
    assert spend[2026] == pytest.approx(184.0)
    assert spend[2027] == pytest.approx(181.0)
    assert sum(spend.values()) == pytest.approx(365.0)


def test_a_portfolio_without_any_eac_has_null_figures() -> None:
    port = forecast.portfolio_forecast(kframe(eac=np.nan), AS_OF, iterations=10)
    assert port["eac_p50"] is None and port["prob_within_budget"] is None
    assert port["left_out"] == 1


def simulated_history(n: int = 2000, months: int = 36, seed: int = 11) -> list:
    """A history whose answer is known: every project runs 12 months for a BAC of
    1,000; its final cost is F = 1,000 exp(N(0, 0.3)); at earned fraction f its EAC is
    F / exp(e), e ~ N(0, 0.3 (1 - f)) drawn afresh each month, so outcome / forecast =
    exp(e) is drawn from a known distribution that depends on the stage only."""
    rng = np.random.default_rng(seed)
    starts = rng.integers(-11, months - 12, size=n)
    final = 1000 * np.exp(rng.normal(0, 0.3, size=n))
    programs = np.array(["A", "B", "C", "D"])[rng.integers(0, 4, size=n)]
    origin = pd.Timestamp("2024-01-01")
    out = []
    for m in range(months):
        as_of = (origin + pd.DateOffset(months=m)).date()
        age = m - starts
        f = np.clip(age / 12, 0, 1)
        running = (age >= 0) & (age < 12)
        done = age >= 12
        start = pd.to_datetime([origin + pd.DateOffset(months=int(s)) for s in starts])
        drift = np.exp(rng.normal(0, 0.3 * (1 - f)))
        tdrift = np.exp(rng.normal(0, 0.2 * (1 - f)))
        true_end = start + pd.DateOffset(months=12)
        days = (true_end - start).days.to_numpy(float)
        ff = start + pd.to_timedelta(np.round(days / tdrift), unit="D")
        out.append(
            (
                as_of,
                pd.DataFrame(
                    {
                        "project_id": [f"S{i}" for i in range(n)],
                        "status": np.where(
                            done, "completed", np.where(running, "in_progress", "approved")
                        ),
                        "program": programs,
                        "department": "IT",
                        "bac": 1000.0,
                        "ac": np.where(done, final, final * f),
                        "ev": 1000.0 * f,
                        "eac": np.where(done, final, final / drift),
                        "start_date": start,
                        "end_date": true_end,
                        "forecast_finish": ff,
                        "forecast_end_date": pd.Series(true_end).where(done, pd.NaT),
                    }
                ),
            )
        )
    return out


def test_backtest_of_a_known_distribution_puts_80_percent_below_p80() -> None:
    obs = forecast.observations(simulated_history())
    b = calibrate.backtest(obs)
    fitted = b[b["reference_class"] != "prior"]
    assert len(fitted) > 5000
    below = (fitted["outcome"] <= fitted["p80"]).mean()
    within = ((fitted["outcome"] >= fitted["p10"]) & (fitted["outcome"] <= fitted["p90"])).mean()
    assert below == pytest.approx(0.80, abs=0.05)
    assert within == pytest.approx(0.80, abs=0.05)
    # Nothing from the future: every forecast's class was built from outcomes seen by then.
    doc = forecast.calibration(obs)
    assert doc["forecasts"] == len(b)
    assert {c["reference_class"] for c in doc["by_class"]} >= {"prior", "0-25 %", "75-100 %"}
    assert doc["finish"]["share_below_p80"] == pytest.approx(0.80, abs=0.05)


def test_observations_pair_each_forecast_with_its_outcome() -> None:
    # One project: running at 2026-01 (EAC 100) and 2026-02 (EAC 110), completed in
    # 2026-03 at AC 121 with its actual finish: cost ratios 1.21 and 1.1.
    k1 = kframe(ev=40.0, eac=100.0)
    k2 = kframe(ev=70.0, eac=110.0)
    k3 = kframe(
        status="completed", ac=121.0, eac=121.0, forecast_end_date=pd.Timestamp("2027-01-01")
    )
    obs = history.observations(
        [(date(2026, 1, 31), k1), (date(2026, 2, 28), k2), (date(2026, 3, 31), k3)]
    )
    assert obs["cost_ratio"].round(6).tolist() == [1.21, 1.1]
    assert obs["band"].tolist() == ["25-50 %", "50-75 %"]
    assert obs["outcome_k"].tolist() == [2, 2]
    # Finish: 365 days from start to 2027-01-01 over a forecast of 364 days.
    assert obs["finish_ratio"].iloc[0] == pytest.approx(365 / 364)


def test_prior_cdf_and_quantiles_agree() -> None:
    qx, qy = prior.quantiles([0.8])
    assert prior.cdf(qx, "cost")[0] == pytest.approx(0.8, abs=1e-4)
    assert prior.cdf(qy, "schedule")[0] == pytest.approx(0.8, abs=1e-4)
