"""The Forecasts page in AppTest: the portfolio's P50/P80 and probability within budget
as the library computes them, in French and English, and the prior said when the store
holds no outcome yet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmo_core import forecast, store
from pmo_core.commands import KPI_TABLES
from pmo_core.i18n import fmt_money, fmt_number, fmt_pct
from tests.conftest import run_page


def _metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def test_forecast_page_shows_the_librarys_figures_in_french(app_db: Path) -> None:
    at = run_page("forecast.py", "fr")
    assert not at.exception
    assert at.title[0].value == "Prévisions"
    doc = forecast.forecast_document(
        forecast.store_history(None, app_db, KPI_TABLES), iterations=5_000, seed=0
    )
    p = doc["portfolio"]
    m = _metrics(at)
    assert m["EAA du portefeuille, médiane"] == fmt_money(p["eac_p50"], "fr", "EUR", True)
    assert m["EAA du portefeuille, P80"] == fmt_money(p["eac_p80"], "fr", "EUR", True)
    assert m["Dans le budget"] == fmt_pct(p["prob_within_budget"], "fr", 0, True)
    # The demo's store has no completed forecast yet: the prior, said in French.
    assert "loi a priori" in at.info[0].value
    table = at.dataframe[0].value
    assert len(table) == len(doc["projects"])
    assert set(table["Classe de référence"]) == {"a priori"}
    text = table.to_string()
    assert "None" not in text and "nan" not in text
    assert not re.search(r"\d\.\d{3,}", text)  # no raw float


def test_forecast_page_in_english_and_for_one_programme(app_db: Path) -> None:
    snap = store.get_snapshot(path=app_db)
    programme = snap.frames["projects"]["program"].dropna().iloc[0]
    at = run_page("forecast.py", "en", program=programme)
    assert not at.exception
    assert at.title[0].value == "Forecasts"
    assert "Portfolio EAC, median" in _metrics(at)
    running = snap.frames["projects"]
    running = running[running["program"] == programme]
    assert len(at.dataframe[0].value) <= len(running)


def test_the_seeded_history_gives_the_calibration_sentence_real_shares(
    long_demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store the app seeds (two years, closed projects included): the sentence gives
    # the backtest's own figures, not the prior's note.
    import shutil

    db = tmp_path / "pmo.duckdb"
    shutil.copy(long_demo_db, db)
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    at = run_page("forecast.py", "fr", timeout=180)  # two years to backtest: slow under load
    assert not at.exception, [e.value for e in at.exception]
    doc = forecast.forecast_document(
        forecast.store_history(None, db, KPI_TABLES), iterations=5_000, seed=0
    )
    c = doc["calibration"]
    assert c["forecasts"] >= 30
    sentence = at.info[0].value
    assert "loi a priori" not in sentence
    assert sentence == (
        f"Sur {fmt_number(c['forecasts'], 'fr')} prévisions passées, "
        f"{fmt_pct(c['share_below_p80'], 'fr', 0, True)} ont fini au plus à leur P80 et "
        f"{fmt_pct(c['share_within_p10_p90'], 'fr', 0, True)} entre leur P10 et leur P90."
    )
    # The running projects whose class has 30 outcomes say so in the table.
    table = at.dataframe[0].value
    assert (table["Classe de référence"] != "a priori").any()
