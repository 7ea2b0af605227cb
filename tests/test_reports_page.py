"""The Reports page in AppTest: builds the pack for the sidebar's snapshot and filters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pmo_core import store
from tests.conftest import DEMO, run_page


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook imported once for this module (one snapshot)."""
    from pmo_core.ingest import pipeline

    db = tmp_path_factory.mktemp("reports_page") / "pmo.duckdb"
    pipeline.import_file(DEMO, who="tests", path=db)
    return db


@pytest.fixture
def app_db(demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of it, set as PMO_DB_PATH for the page."""
    db = tmp_path / "pmo.duckdb"
    shutil.copy(demo_store, db)
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    return db


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Dossier du comité de pilotage"), ("en", "Steering committee pack")]
)
def test_reports_page_opens_in_both_languages(lang: str, title: str, app_db: Path) -> None:
    at = run_page("reports.py", lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title
    assert [b.key for b in at.button] == [
        "reports_build_xlsx",
        "reports_build_html",
        "reports_build_pdf",
    ]


def test_building_the_excel_pack_offers_its_download(app_db: Path) -> None:
    at = run_page("reports.py", "en")
    at.button(key="reports_build_xlsx").click().run()
    assert not at.exception, [e.value for e in at.exception]
    downloads = at.get("download_button")
    assert len(downloads) == 1
    assert "reports_download_xlsx" in str(downloads[0].proto.id)


def test_pdf_button_is_disabled_with_a_hint_without_chromium(
    app_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PMO_CHROMIUM", str(tmp_path / "no-chromium"))
    at = run_page("reports.py", "fr")
    assert not at.exception
    assert at.button(key="reports_build_pdf").disabled
    assert not at.button(key="reports_build_xlsx").disabled
    assert any("apt-get install chromium" in c.value for c in at.caption)


def test_the_filters_set_the_scope(app_db: Path) -> None:
    p = store.get_snapshot(path=app_db).frames["projects"]
    n = int((p["program"] == "Expérience client").sum())
    at = run_page("reports.py", "fr", program="Expérience client")
    assert not at.exception
    caption = at.caption[0].value
    assert f"· {n} projets" in caption and "selon les filtres" in caption
