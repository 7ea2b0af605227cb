"""The pack's first page (PRINCE2's highlight report) and its P50/P80 forecasts, on a
small store of two snapshots whose every figure is worked out by hand below."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import forecast, report, schema, store
from pmo_core.report import forecasts, highlight

PLAN = {"start_date": "2026-01-01", "end_date": "2026-12-31", "budget": 100_000.0}
#: Tolerances from the settings, not the defaults (0,95 / 0,85).
SETTINGS = {"rag_green": "0,9", "rag_amber": "0,8"}


def _projects(rows: list[dict[str, object]]) -> pd.DataFrame:
    return schema.conform("projects", pd.DataFrame([{**PLAN, **r} for r in rows]))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Snapshot 1 as of 30/09/2026, snapshot 2 as of 31/10/2026. Plan 01/01 -> 31/12/2026
    (364 days), BAC 100 000 each; on 31/10, 303 days elapsed: PV = 83 241,76.

    Snapshot 2:
    - A: 60 % done, AC 95 000: EV 60 000, CPI 0,63, SPI 0,72: red (< 0,8) in both.
    - B: 85 % done, AC 80 000: EV 85 000, CPI 1,06, SPI 1,02: green in both.
    - C: proposed, added in snapshot 2 (no weather).
    - D: running, no progress, no AC (EAC undefined), weather set red by hand.
    Portfolio (A + B where defined; D has no EV): SPI = 145 000 / 166 483,52 = 0,871,
    CPI = 145 000 / 175 000 = 0,829: both amber under 0,9 / 0,8, so the portfolio's
    weather is amber (under the defaults the CPI would be red).
    Milestones on 31/10 (the next period is ]31/10, 30/11]):
    - A-M1 forecast 20/11: in; A-M2 forecast 01/12: after it; B-M1 reached 01/10: out;
    - B-M2 forecast 10/11 -> 31/12 (51 days later: slipped, > 30), after the window;
    - B-M3 baseline 30/11, no forecast: due on its baseline, the window's last day: in;
    - B-M4 forecast 31/10, the as-of day: not next period (the window opens after it).
    Risks: R-1 on A, 0,5 x 40 000 = 20 000 in both; R-2 on B, new, 0,2 x 50 000 = 10 000.
    """
    db = tmp_path_factory.mktemp("highlight") / "pmo.duckdb"
    ms_cols = ["project_id", "milestone_id", "name", "baseline_date", "forecast_date"]
    ms_cols += ["actual_date"]

    def milestones(b2_forecast: str) -> pd.DataFrame:
        rows = [
            ("A", "A-M1", "Conception", "2026-11-15", "2026-11-20", None),
            ("A", "A-M2", "Recette", "2026-12-15", "2026-12-01", None),
            ("B", "B-M1", "Lancement", "2026-10-01", None, "2026-10-01"),
            ("B", "B-M2", "Pilote", "2026-11-10", b2_forecast, None),
            ("B", "B-M3", "Bascule", "2026-11-30", None, None),
            ("B", "B-M4", "Revue", "2026-10-31", "2026-10-31", None),
        ]
        return schema.conform("milestones", pd.DataFrame(rows, columns=ms_cols))

    def risks(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
        cols = ["risk_id", "project_id", "title", "probability", "impact"]
        return schema.conform("risks", pd.DataFrame(rows, columns=cols).assign(owner="Léa"))

    r1 = ("R-1", "A", "Fournisseur en retard", 0.5, 40_000.0)
    first = _projects(
        [
            {"project_id": "A", "name": "Alpha", "status": "in_progress"}
            | {"percent_complete": 50.0, "actual_cost": 70_000.0},
            {"project_id": "B", "name": "Bêta", "status": "in_progress"}
            | {"percent_complete": 75.0, "actual_cost": 70_000.0},
            {"project_id": "D", "name": "Delta", "status": "in_progress"}
            | {"rag_override": "R", "rag_reason": "Arbitrage COPIL"},
        ]
    )
    store.commit_snapshot(
        {"projects": first, "milestones": milestones("2026-11-10"), "risks": risks([r1])},
        source="septembre",
        as_of=date(2026, 9, 30),
        settings=SETTINGS,
        path=db,
    )
    second = _projects(
        [
            {"project_id": "A", "name": "Alpha", "status": "in_progress"}
            | {"percent_complete": 60.0, "actual_cost": 95_000.0},
            {"project_id": "B", "name": "Bêta", "status": "in_progress"}
            | {"percent_complete": 85.0, "actual_cost": 80_000.0},
            {"project_id": "C", "name": "Gamma", "status": "proposed"},
            {"project_id": "D", "name": "Delta", "status": "in_progress"}
            | {"rag_override": "R", "rag_reason": "Arbitrage COPIL"},
        ]
    )
    r2 = ("R-2", "B", "Départ d'un expert", 0.2, 50_000.0)
    store.commit_snapshot(
        {"projects": second, "milestones": milestones("2026-12-31"), "risks": risks([r1, r2])},
        source="octobre",
        as_of=date(2026, 10, 31),
        settings=SETTINGS,
        path=db,
    )
    return db


@pytest.fixture(scope="module")
def data_fr(small: Path) -> report.ReportData:
    return report.collect(2, lang="fr", path=small)


def test_portfolio_weather_is_the_worse_of_spi_and_cpi_under_the_settings(
    data_fr: report.ReportData,
) -> None:
    h = highlight.highlight(data_fr)
    assert data_fr.figures["spi"] == pytest.approx(145_000 / (2 * 100_000 * 303 / 364))
    assert data_fr.figures["cpi"] == pytest.approx(145_000 / 175_000)
    assert h.weather == "A"
    assert h.summary[0] == ("Météo du portefeuille", "Orange", "IPD 0,87, IPC 0,83")
    # The same figures under the default thresholds: CPI 0,83 < 0,85 is red.
    defaults = {"green": 0.95, "amber": 0.85}
    assert highlight.portfolio_weather(data_fr.figures, defaults) == "R"


@given(
    spi=st.one_of(st.none(), st.floats(0.0, 2.0)),
    cpi=st.one_of(st.none(), st.floats(0.0, 2.0)),
)
def test_portfolio_weather_is_never_better_than_either_index(
    spi: float | None, cpi: float | None
) -> None:
    th = {"green": 0.95, "amber": 0.85}
    w = highlight.portfolio_weather({"spi": spi, "cpi": cpi}, th)
    defined = [v for v in (spi, cpi) if v is not None]
    if not defined:
        assert w is None  # no rating, never a colour from defaults
        return
    worst = min(defined)
    assert w == ("G" if worst >= 0.95 else "A" if worst >= 0.85 else "R")


def test_this_period_names_what_changed(data_fr: report.ReportData) -> None:
    lines = highlight.highlight(data_fr).this_period
    assert lines == [
        "1 projet ajouté\u00a0: C Gamma",
        "0 changement de météo",  # A red, B green, D red by hand in both
        "1 jalon décalé de plus de 30 jours\u00a0: B Pilote",
        "1 nouveau risque majeur\u00a0: R-2 Départ d'un expert",
    ]


def test_next_period_is_the_month_after_the_as_of_date(data_fr: report.ReportData) -> None:
    nxt = highlight.highlight(data_fr).next_period
    assert nxt["milestone_id"].tolist() == ["A-M1", "B-M3"]  # 20/11, then 30/11 (inclusive)
    assert nxt["due"].tolist() == [pd.Timestamp("2026-11-20"), pd.Timestamp("2026-11-30")]


def test_tolerances_are_the_settings_and_the_red_projects_are_outside(
    data_fr: report.ReportData,
) -> None:
    h = highlight.highlight(data_fr)
    assert h.tolerances == [
        "Délais (IPD(t), à défaut IPD) et coûts (IPC) : vert à partir de 0,90, orange à "
        "partir de 0,80, rouge en dessous.",
        "Jalons : orange quand l'un a plus de 30 jours de retard, rouge au-delà de 90.",
        "2 projets hors tolérance (rouge) · 0 projet en orange",
    ]
    assert h.outside["project_id"].tolist() == ["A", "D"]
    why = dict(zip(h.outside["project_id"], h.outside["reasons"], strict=True))
    # Rated on its SPI(t) (0,72, as its SPI here): named IPD(t), the figure the rating used.
    assert why["A"].startswith("délais : IPD(t) 0,72 ; coûts : IPC 0,63")  # 60 000 / 95 000
    assert why["D"].startswith("Météo forcée : Arbitrage COPIL")
    assert h.risks["risk_id"].tolist() == ["R-1", "R-2"]  # 20 000, then 10 000


def test_the_pack_carries_the_forecast_document_figures(
    data_fr: report.ReportData, small: Path
) -> None:
    doc = forecast.forecast_document(forecast.store_history(2, small), iterations=5_000, seed=0)
    assert data_fr.forecast == doc  # the same draws as the CLI's forecast (seed 0, 5 000)
    lines = {label: (value, detail) for label, value, detail in forecasts.portfolio_lines(data_fr)}
    p = doc["portfolio"]
    assert p["projects"] == 2 and p["left_out"] == 1  # A and B; D has no EAC
    from pmo_core.i18n import fmt_money, fmt_pct

    assert lines["EAA du portefeuille, médiane"][0] == fmt_money(p["eac_p50"], "fr", compact=True)
    assert lines["EAA du portefeuille, P80"][0] == fmt_money(p["eac_p80"], "fr", compact=True)
    assert lines["Dans le budget"][0] == fmt_pct(p["prob_within_budget"], "fr", 0, ratio=True)
    assert "1 projet en cours écarté" in lines["EAA du portefeuille, médiane"][1]
    assert p["eac_p50"] <= p["eac_p80"]


def test_red_projects_get_p50_p80_or_na_with_the_reason(data_fr: report.ReportData) -> None:
    rows = forecasts.project_rows(data_fr).set_index("project_id")
    per = {p["project_id"]: p for p in data_fr.forecast["projects"]}  # type: ignore[index]
    # A and D are red and listed first; B fills the top by its P80 overrun.
    assert rows.index.tolist()[:2] == ["A", "D"] and "B" in rows.index
    assert rows.loc["A", "eac_p50"] == pytest.approx(per["A"]["eac_p50"])
    assert rows.loc["A", "eac_p80"] == pytest.approx(per["A"]["eac_p80"])
    assert rows.loc["A", "finish_p80"] == pd.Timestamp(per["A"]["finish_p80"])
    # A's EAC = 100 000 / CPI (60 000 / 95 000) = 158 333,33: P50 at or above it (prior).
    assert rows.loc["A", "eac_p50"] >= 100_000 * 95_000 / 60_000 - 1e-6
    assert pd.isna(rows.loc["D", "eac_p50"]) and pd.isna(rows.loc["D", "finish_p80"])
    assert rows.loc["D", "note"].startswith(
        "n/d faute de données : pas de donnée d'avancement ; pas de coût réel"
    )


def test_the_highlight_is_the_first_page_and_sheet(small: Path) -> None:
    page = report.build_report(2, "html", lang="fr", path=small).decode("utf-8")
    first = page.index("Rapport de situation")
    assert first < page.index("Chiffres clés") < page.index("Prévisions et leur degré")
    for part in ("Synthèse de la situation", "Sur la période", "Période suivante"):
        assert first < page.index(part) < page.index("Chiffres clés"), part
    assert "Tolérances" in page and "Problèmes et risques" in page
    wb = openpyxl.load_workbook(io.BytesIO(report.build_report(2, "xlsx", lang="fr", path=small)))
    ws = wb.worksheets[0]
    assert ws.title == "Rapport de situation"
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Météo du portefeuille" in cells and "Orange" in cells
    assert date(2026, 11, 20) in [c.date() for c in cells if hasattr(c, "date")]  # typed
    f = wb["Prévisions"]
    head = [c.value for c in f[1]]
    d_row = next(r for r in f.iter_rows(min_row=2) if r[0].value == "D")
    assert d_row[head.index("EAA P80")].value == "n/d"  # never 0


def test_english_pack_says_the_same_in_english(small: Path) -> None:
    d = report.collect(2, lang="en", path=small)
    h = highlight.highlight(d)
    assert h.summary[0] == ("Portfolio weather", "Amber", "SPI 0.87, CPI 0.83")
    assert h.this_period[0] == "1 project added: C Gamma"
    assert h.tolerances[-1] == "2 projects outside tolerance (red) · 0 amber projects"
