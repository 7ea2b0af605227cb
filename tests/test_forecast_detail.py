"""A project's forecast in detail: its draws (whose quantiles are the Forecasts page's),
the fan of its cost on the S-curve, its histograms, the calibration sentence, and the P80
beside the Overview's EAC card."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import forecast, store
from pmo_core.charts import forecast as charts
from pmo_core.commands import KPI_TABLES
from pmo_core.forecast.detail import fan_paths, histogram
from pmo_core.i18n import fmt_date, fmt_money, fmt_pct
from tests.conftest import run_page
from tests.test_forecast import AS_OF, kframe, pool_of

T0 = pd.Timestamp("2026-07-01")  # 20,635 days from 1970-01-01
D0 = 20635.0


def _same(samples: forecast.ProjectSamples, row: pd.Series) -> None:
    q = samples.quantiles()
    for c in ("eac_p10", "eac_p50", "eac_p80", "eac_p90"):
        if pd.isna(row[c]):
            assert np.isnan(q[c]), c
        else:
            assert q[c] == pytest.approx(row[c], rel=1e-12), c
    for c in ("finish_p10", "finish_p50", "finish_p80", "finish_p90"):
        assert (pd.isna(q[c]) and pd.isna(row[c])) or q[c] == pd.Timestamp(row[c]), c


# ------------------------------------------------------------------ the draws


def test_draws_of_the_prior_give_project_forecasts_figures() -> None:
    # EAC 100, AC 60: the draws are 100 + 40 x each of the prior's 400,000 overruns, the
    # same sample project_forecasts reads its quantiles off.
    k = kframe()
    s = forecast.project_samples(k, AS_OF, None, "P1")
    assert s.reference_class == "prior" and s.band == "50-75 %" and s.reason is None
    assert len(s.cost) == len(s.finish) == 400_000
    assert s.cost.min() >= 100.0 + 40.0 * -1.0  # never below AC: the overrun is > -100 %
    _same(s, forecast.project_forecasts(k, AS_OF).iloc[0])


def test_draws_of_a_class_are_the_eac_times_its_outcomes() -> None:
    # 30 outcomes 1.00 ... 1.29 at 50-75 % in the programme, EAC 1,000: the draws are
    # 1,000, 1,010, ..., 1,290; P80 at position 0.8 x 29 = 23.2: 1,232 (as the table).
    pool = pool_of([1 + i / 100 for i in range(30)])
    k = kframe(ev=690.0, eac=1000.0, bac=1150.0)
    s = forecast.project_samples(k, AS_OF, pool, "P1")
    assert s.reference_class == "50-75 % · Prog" and s.observations == 30
    assert s.cost.tolist() == pytest.approx([1000.0 + 10 * i for i in range(30)])
    assert s.quantiles()["eac_p80"] == pytest.approx(1232.0)
    # Finish: start 2026-01-01 (20,454) + 364 days x ratio; P50 1.145 -> 417 days.
    assert s.finish[0] == pytest.approx(20454 + 364 * 1.0)
    assert s.quantiles()["finish_p50"] == pd.Timestamp("2026-01-01") + pd.Timedelta(days=417)
    _same(s, forecast.project_forecasts(k, AS_OF, pool).iloc[0])


def test_outcomes_without_a_finish_count_for_the_cost_only() -> None:
    # 40 cost outcomes, 8 without a known finish: 40 cost draws, 32 finish draws; with
    # only 29 finishes known the finish falls back to the prior's 400,000.
    ratios = [1 + i / 50 for i in range(40)]
    pool = pool_of(ratios).assign(finish_ratio=[np.nan] * 8 + ratios[8:])
    k = kframe(ev=690.0, eac=1000.0, bac=1150.0)
    s = forecast.project_samples(k, AS_OF, pool, "P1")
    assert (len(s.cost), len(s.finish)) == (40, 32)
    _same(s, forecast.project_forecasts(k, AS_OF, pool).iloc[0])
    few = pool_of(ratios).assign(finish_ratio=[np.nan] * 11 + ratios[11:])
    s = forecast.project_samples(k, AS_OF, few, "P1")
    assert (len(s.cost), len(s.finish)) == (40, 400_000)
    _same(s, forecast.project_forecasts(k, AS_OF, few).iloc[0])


@settings(max_examples=40, deadline=None)
@given(
    eac=st.floats(1.0, 1e8),
    spent=st.floats(0.0, 1.0),
    earned=st.floats(0.01, 1.0),
    late_days=st.integers(-100, 900),
    ratios=st.one_of(st.none(), st.lists(st.floats(0.5, 4.0), min_size=30, max_size=60)),
)
def test_the_draws_quantiles_are_project_forecasts_row(
    eac: float, spent: float, earned: float, late_days: int, ratios: list[float] | None
) -> None:
    k = kframe(
        eac=eac,
        ac=eac * spent,
        bac=eac,
        ev=eac * earned,
        forecast_finish=pd.Timestamp("2026-12-31") + pd.Timedelta(days=late_days),
    )
    band = forecast.history.band_of(pd.Series([earned])).iloc[0]
    pool = None if ratios is None else pool_of(ratios, band=band)
    s = forecast.project_samples(k, AS_OF, pool, "P1")
    assert s.reference_class == ("prior" if ratios is None else f"{band} · Prog")
    _same(s, forecast.project_forecasts(k, AS_OF, pool).iloc[0])


def test_a_project_without_a_forecast_says_why() -> None:
    k = kframe(
        project_id=["idea", "done", "no-ev", "no-eac", "no-dates", "run"],
        status=["proposed", "completed", "in_progress", "in_progress", "in_progress", "on_hold"],
        ev=[50.0, 50.0, np.nan, 50.0, 50.0, 50.0],
        eac=[100.0, 100.0, 100.0, np.nan, 100.0, 100.0],
        forecast_finish=[T0, T0, T0, T0, pd.NaT, T0],
    )
    reason = {
        pid: forecast.project_samples(k, AS_OF, None, pid).reason
        for pid in [*k["project_id"], "gone"]
    }
    no = forecast.NO_FORECAST
    assert reason == {
        "idea": no["not_running"],
        "done": no["not_running"],
        "no-ev": no["no_progress"],
        "no-eac": no["no_eac"],
        "no-dates": no["no_finish"],
        "run": None,
        "gone": no["missing"],
    }
    # Half a forecast: the finish without the cost, the cost without the finish.
    s = forecast.project_samples(k, AS_OF, None, "no-eac")
    assert len(s.cost) == 0 and len(s.finish) == 400_000
    assert np.isnan(s.quantiles()["eac_p50"]) and pd.notna(s.quantiles()["finish_p50"])
    assert pd.isna(forecast.project_samples(k, AS_OF, None, "no-dates").quantiles()["finish_p80"])
    assert len(forecast.project_samples(k, AS_OF, None, "idea").cost) == 0


# ------------------------------------------------------------------ the fan


def test_fan_quantile_paths_worked_by_hand() -> None:
    # AC 5 on 01/07/2026; five draws, cost 10 ... 50 and finish 10 ... 50 days later.
    # np.quantile (linear): P10 at position 0.4 -> 14, P50 30, P80 at 3.2 -> 42, P90 46;
    # the finishes the same in days: 15/07, 31/07, 12/08, 16/08.
    cost = np.array([10.0, 20, 30, 40, 50])
    f = fan_paths(T0, 5.0, cost, D0 + cost)
    assert f is not None
    assert f["date"].tolist() == [T0 + pd.Timedelta(days=d) for d in (0, 14, 30, 42, 46)]
    # Every path starts at AC and ends on its EAC quantile.
    assert f.iloc[0, 1:].tolist() == [5.0] * 4
    assert f.iloc[-1, 1:].tolist() == pytest.approx([14.0, 30.0, 42.0, 46.0])
    # On 15/07 (day 14): P10 done (14); P50 5 + 25 x 14/30 = 16.667; P80 5 + 37 x 14/42
    # = 17.333; P90 5 + 41 x 14/46 = 17.478.
    assert f.iloc[1, 1:].tolist() == pytest.approx(
        [14.0, 5 + 25 * 14 / 30, 5 + 37 / 3, 5 + 41 * 14 / 46]
    )
    # On 12/08 (day 42): P90 5 + 41 x 42/46 = 42.435, P80 done.
    assert f.loc[3, "p90"] == pytest.approx(5 + 41 * 42 / 46)
    assert f.loc[3, "p80"] == pytest.approx(42.0)


def test_a_finish_already_passed_spends_what_is_left_the_next_day() -> None:
    # Finishes drawn 10 days before the status date: every path reaches its cost on 02/07.
    f = fan_paths(T0, 5.0, np.array([10.0, 10.0]), np.array([D0 - 10, D0 - 10]))
    assert f is not None
    assert f["date"].tolist() == [T0, T0 + pd.Timedelta(days=1)]
    assert f["p90"].tolist() == [5.0, 10.0]


def test_no_fan_without_draws_or_actual_cost() -> None:
    some = np.array([1.0, 2.0])
    assert fan_paths(T0, 5.0, np.zeros(0), some) is None
    assert fan_paths(T0, 5.0, some, np.zeros(0)) is None
    assert fan_paths(T0, float("nan"), some, some) is None


@settings(max_examples=50, deadline=None)
@given(
    ac=st.floats(0.0, 1e6),
    extra=st.lists(st.floats(0.0, 1e6), min_size=1, max_size=40),
    days=st.lists(st.integers(-30, 2000), min_size=1, max_size=40),
)
def test_fan_paths_rise_from_ac_to_their_quantiles(
    ac: float, extra: list[float], days: list[int]
) -> None:
    cost = ac + np.array(extra)
    f = fan_paths(T0, ac, cost, D0 + np.array(days, dtype=float))
    assert f is not None
    values = f[["p10", "p50", "p80", "p90"]].to_numpy()
    assert (np.diff(values, axis=0) >= -1e-6).all()  # cumulative cost never falls
    assert values[-1] == pytest.approx(np.quantile(cost, forecast.QUANTILES))
    assert (np.diff(values[-1]) >= -1e-6).all()  # P10 <= P50 <= P80 <= P90 at the end


# ------------------------------------------------------------------ the charts


def test_histogram_shares_ticks_and_hover_in_french() -> None:
    # 1,000 draws 1 ... 1,000 k€: the axis stops at the 99th percentile (990,01 k€), the
    # 10 draws above it (1 %) said in the title; the 30 bars hold the other 99 %.
    cost = np.arange(1, 1001) * 1000.0
    fig = charts.eac_histogram(histogram(cost), [("P80 800 k€", 800_000.0)], "fr", "EUR")
    bar = fig.data[0]
    assert sum(bar.y) == pytest.approx(0.99)
    assert "1\u00a0% des tirages au-delà de l'axe" in fig.layout.title.text
    assert all("\u00a0%" in h and "k€" in h for h in bar.hovertext)
    assert all(re.fullmatch(r"[\d\u202f]+(,\d)?\u00a0%", s) for s in fig.layout.yaxis.ticktext)
    assert "k€" in fig.layout.xaxis.ticktext[1]
    assert fig.data[1].name == "P80 800 k€" and list(fig.data[1].x) == [800_000.0] * 2
    # Few draws (a class of 30): every draw on the axis, nothing beyond.
    few = charts.eac_histogram(histogram(np.linspace(1.0, 2.0, 30)), [], "en", "EUR")
    assert sum(few.data[0].y) == pytest.approx(1.0)
    assert "beyond" not in few.layout.title.text


def test_finish_histogram_dates_in_the_language() -> None:
    days = D0 + np.arange(200, dtype=float)
    fig = charts.finish_histogram(histogram(days), [("Base", "2026-12-31")], "fr")
    assert fig.data[0].hovertext[0].startswith(fmt_date(T0, "fr"))
    assert any(s.startswith("juil.") for s in fig.layout.xaxis.ticktext)
    en = charts.finish_histogram(histogram(days), [], "en")
    assert any(s.startswith("Jul") for s in en.layout.xaxis.ticktext)


# ------------------------------------------------------------------ the Overview's P80


def test_p80_beside_the_eac_card_adds_the_other_projects_as_the_card_counts_them() -> None:
    # Two running projects at 60 %, EAC 100, outcomes 1.0 or 2.0 (15 each): the drawn
    # total is 200, 300 or 400, P80 400. The card also counts a completed project (EAC
    # 50) and a running one without progress (BAC 70): P80 400 + 50 + 70 = 520.
    k = kframe(
        project_id=["P1", "P2", "done", "no-ev", "idea"],
        status=["in_progress", "in_progress", "completed", "in_progress", "proposed"],
        eac=[100.0, 100.0, 50.0, np.nan, 30.0],
        bac=[150.0, 150.0, 60.0, 70.0, 30.0],
        ac=[0.0, 0.0, 50.0, 10.0, 0.0],
        ev=[90.0, 90.0, 60.0, np.nan, 0.0],
    )
    pool = pool_of([1.0] * 15 + [2.0] * 15)
    doc = {
        "portfolio": forecast.portfolio_forecast(k, AS_OF, pool, iterations=20_000, seed=3),
        "projects": forecast.project_forecasts(k, AS_OF, pool)
        .astype(object)
        .where(lambda f: f.notna(), None)
        .to_dict("records"),
    }
    assert doc["portfolio"]["eac_p80"] == 400.0
    p80 = forecast.eac_p80_with_the_rest(k, doc)
    assert p80 == {"eac_p80": 520.0, "drawn": 2, "fixed": 2, "fixed_amount": 120.0}
    none = forecast.eac_p80_with_the_rest(k, {"portfolio": {"eac_p80": None}, "projects": []})
    assert none["eac_p80"] is None and none["fixed"] == 4


def _doc(db: Path) -> dict:
    return forecast.forecast_document(
        forecast.store_history(None, db, KPI_TABLES), iterations=5_000, seed=0
    )


def test_overview_shows_the_p80_beside_the_eac(app_db: Path) -> None:
    from pmo_core import kpi

    at = run_page("overview.py", "fr")
    assert not at.exception
    k = kpi.snapshot_kpis(store.get_snapshot(path=app_db))
    expected = forecast.eac_p80_with_the_rest(k, _doc(app_db))
    assert expected["eac_p80"] > kpi.portfolio_headline(k)["eac"]
    caption = next(c for c in at.caption if c.value.startswith("P80 "))
    assert caption.value == "P80 " + fmt_money(expected["eac_p80"], "fr", "EUR", True)
    assert "Flyvbjerg" in caption.help and "classe de référence" in caption.help
    en = run_page("overview.py", "en")
    assert any(
        c.value == "P80 " + fmt_money(expected["eac_p80"], "en", "EUR", True) for c in en.caption
    )


# ------------------------------------------------------------------ the project detail


def _running(db: Path) -> str:
    doc = _doc(db)
    return next(p["project_id"] for p in doc["projects"] if p["eac_p50"] is not None)


def test_project_detail_shows_its_forecast_with_the_prior_said(app_db: Path) -> None:
    pid = _running(app_db)
    at = run_page("projects.py", "fr", project=pid)
    assert not at.exception, [e.value for e in at.exception]
    row = next(p for p in _doc(app_db)["projects"] if p["project_id"] == pid)
    m = {x.label: x.value for x in at.metric}
    assert m["EAA P80"] == fmt_money(row["eac_p80"], "fr", "EUR", True)
    assert m["Fin P80"] == fmt_date(row["finish_p80"], "fr")
    assert m["P(≤ BAA)"] == fmt_pct(row["prob_within_bac"], "fr", 0, True)
    # The demo's history holds no outcome yet: the prior, said with why.
    sentence = next(i.value for i in at.info if "Flyvbjerg" in i.value)
    assert "Moins de 30 résultats" in sentence
    charts_ = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("P10-P90" in s for s in charts_)  # the fan on the S-curve
    assert any("tirages" in s for s in charts_)  # the histograms


def test_project_detail_of_a_project_not_running_shows_no_forecast(app_db: Path) -> None:
    k = store.get_snapshot(path=app_db).frames["projects"]
    pid = k.loc[k["status"] == "proposed", "project_id"].iloc[0]
    at = run_page("projects.py", "en", project=pid)
    assert not at.exception
    assert any("No forecast" in i.value and "Only running projects" in i.value for i in at.info)
    assert not any("draws" in c.proto.spec for c in at.get("plotly_chart"))


def test_calibration_sentence_with_a_history_of_outcomes() -> None:
    # A backtest line for the project's band: its figures; then the class's own count.
    from ui.forecast_detail import calibration_sentence

    pool = pool_of([1 + i / 100 for i in range(30)])
    s = forecast.project_samples(kframe(ev=690.0, eac=1000.0, bac=1150.0), AS_OF, pool, "P1")
    doc = {
        "prior": forecast.prior.SOURCE,
        "calibration": {
            "by_class": [
                {
                    "reference_class": "50-75 %",
                    "forecasts": 214,
                    "share_below_p80": 0.81,
                    "share_within_p10_p90": 0.78,
                }
            ]
        },
    }
    text = calibration_sentence(doc, s.view())
    assert text.startswith("Sur 214 prévisions passées à ce stade (50-75 %), 81\u00a0%")
    assert "30 résultats" in text and "50-75 % · Prog" in text
    doc["calibration"]["by_class"] = []
    assert "Aucune prévision passée à ce stade" in calibration_sentence(doc, s.view())
    # The prior, with one past forecast made with it: singular, and why the prior.
    p = forecast.project_samples(kframe(), AS_OF, None, "P1")
    doc["calibration"]["by_class"] = [
        {"reference_class": "prior", "forecasts": 1, "share_below_p80": 1.0}
    ]
    text = calibration_sentence(doc, p.view())
    assert text.startswith("Moins de 30 résultats de projets passés à ce stade (50-75 %)")
    assert "Flyvbjerg" in text
    assert "Sur 1 prévision passée faite avec la loi a priori, 100\u00a0% ont fini" in text


def test_project_detail_in_english(app_db: Path) -> None:
    at = run_page("projects.py", "en", project=_running(app_db))
    assert not at.exception
    assert "EAC P80" in {x.label for x in at.metric}
    assert any("prior" in i.value for i in at.info)
