"""Every page runs in AppTest, in French and English, without an exception; behaviour of
the Overview and Import pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_core import store
from tests.conftest import DEMO, ROOT, run_page

PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page: str, lang: str, app_db: Path) -> None:
    at = run_page(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title"


def test_empty_store_is_seeded_with_the_demo_on_first_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    at = run_page()
    assert not at.exception
    snaps = store.list_snapshots(db)
    assert snaps["source"].tolist() == [DEMO.name]
    assert snaps["imported_by"].tolist() == ["demo seed"]


def test_overview_cards_equal_the_cli_kpis(app_db: Path) -> None:
    from pmo_core import kpi
    from pmo_core.i18n import fmt_money, fmt_number

    doc = kpi.kpis_document(store.get_snapshot(path=app_db))
    port = doc["portfolio"]
    at = run_page("overview.py", "fr")
    cards = {m.label: m.value for m in at.metric}
    assert cards["En exécution"] == fmt_number(port["projects_in_execution"], "fr")
    assert cards["Budget (BAA)"] == fmt_money(port["bac"], "fr", compact=True)
    assert cards["Budget (BAA)"].endswith("M€")
    assert cards["Estimation à l'achèvement"] == fmt_money(port["eac"], "fr", compact=True)
    assert cards["SPI"] == fmt_number(port["spi"], "fr", 2)
    assert cards["CPI"] == fmt_number(port["cpi"], "fr", 2)
    assert cards["Projets en rouge"] == fmt_number(port["red_projects"], "fr")
    assert cards["Exposition aux risques"] == fmt_money(port["risk_exposure"], "fr", compact=True)


def test_overview_speaks_english_with_lang_en(app_db: Path) -> None:
    at = run_page("overview.py", "en")
    labels = [m.label for m in at.metric]
    assert "Budget (BAC)" in labels and "In execution" in labels
    assert at.title[0].value == "Portfolio overview"


def test_filters_from_the_link_restrict_the_overview(app_db: Path) -> None:
    snap = store.get_snapshot(path=app_db)
    p = snap.frames["projects"]
    programme = str(p["program"].iloc[0])
    at = run_page("overview.py", "en", program=programme)
    expected = int(
        (
            (p["program"] == programme) & p["status"].isin(["in_progress", "on_hold", "completed"])
        ).sum()
    )
    assert {m.label: m.value for m in at.metric}["In execution"] == str(expected)


def test_import_page_lists_snapshots_and_offers_templates(app_db: Path) -> None:
    at = run_page("import_data.py", "en")
    assert not at.exception
    assert at.title[0].value == "Import a portfolio snapshot"
    assert any("Snapshot history" in s.value for s in at.subheader)
    history = at.dataframe[-1].value
    assert len(history) == 1


def test_overview_lists_what_changed_since_the_previous_snapshot(app_db: Path) -> None:
    from pmo_core import pipeline

    pipeline.import_file(DEMO, path=app_db)  # a second snapshot of the same portfolio
    at = run_page("overview.py", "en")
    assert not at.exception
    assert any("What changed since snapshot #1" in s.value for s in at.subheader)
    assert any("0 project(s) added" in m.value for m in at.markdown)


def test_whatif_saves_a_scenario_and_compares_it(app_db: Path) -> None:
    at = run_page("whatif.py", "en")
    assert not at.exception
    at.text_input(key="whatif_scenario_name").input("Budget -10 %").run()
    at.button(key="whatif_save").click().run()
    assert not at.exception
    assert any("Scenario saved" in s.value for s in at.success)
    at.run()
    names = [r for r in store.list_documents("scenario", app_db)["name"]]
    assert names == ["Budget -10 %"]
    assert any("Budget -10 %" in str(df.value.iloc[:, 0].tolist()) for df in at.dataframe)
