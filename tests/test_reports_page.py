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


DOWNLOADS = ["reports_download_xlsx", "reports_download_html", "reports_download_pdf"]


def _downloads(at) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The page's download buttons by key (AppTest has no typed download button)."""
    return {k: d for d in at.get("download_button") for k in DOWNLOADS if k in str(d.proto.id)}


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Dossier du comité de pilotage"), ("en", "Steering committee pack")]
)
def test_reports_page_opens_in_both_languages(lang: str, title: str, app_db: Path) -> None:
    at = run_page("reports.py", lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title
    # One download per format, no "Build" step first.
    assert not at.button
    assert set(DOWNLOADS) <= set(_downloads(at))


def test_the_preview_shows_the_cards_and_red_projects_as_the_pack_prints_them(
    app_db: Path,
) -> None:
    from pmo_core import report
    from pmo_core.report import data as pack

    at = run_page("reports.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    assert "Aperçu du dossier" in [h.value for h in at.subheader]
    d = report.collect(None, lang="fr", path=app_db)
    printed = report.render(d, "html").decode("utf-8")
    cards = pack.card_values(d)
    assert [(m.label, m.value) for m in at.metric] == [(c["label"], c["value"]) for c in cards]
    for c in cards:  # the same figures as the printed cover
        assert f'<div class="value">{c["value"]}</div>' in printed
    watch = pack.watch_list(d)
    table = at.table[0].value  # static: the reasons wrap as printed
    assert table["Code"].tolist() == watch["project_id"].head(10).tolist()
    assert table["Météo"].iloc[0] == "Rouge"  # red first, as printed
    why = dict(zip(watch["project_id"], pack.rag_reasons(watch, d.milestones, "fr"), strict=True))
    assert table["Pourquoi"].tolist() == [why[p] for p in table["Code"]]  # whole, not cut
    sections = next(m.value for m in at.markdown if "Chiffres clés" in m.value)
    assert sections.index("Risques majeurs") < sections.index("Plan de charge")  # print order


def test_the_pack_is_built_once_per_snapshot_language_and_filters(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmo_core import report
    from ui import loaders

    calls = []
    real = report.build_report

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "build_report", counting)
    loaders.pack_file.clear()
    db, sid = str(app_db), store.get_snapshot(path=app_db).snapshot_id
    first = loaders.pack_file(sid, db, "xlsx", "fr", None, None)
    again = loaders.pack_file(sid, db, "xlsx", "fr", None, None)
    assert first == again and first.startswith(b"PK") and len(calls) == 1
    loaders.pack_file(sid, db, "xlsx", "en", None, None)  # another language: another pack
    loaders.pack_file(sid, db, "xlsx", "fr", ("PRJ-001",), None)  # other filters too
    assert len(calls) == 3
    loaders.pack_file.clear()


def test_pdf_download_is_disabled_with_a_hint_without_chromium(
    app_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PMO_CHROMIUM", str(tmp_path / "no-chromium"))
    at = run_page("reports.py", "fr")
    assert not at.exception
    downloads = _downloads(at)
    assert downloads["reports_download_pdf"].proto.disabled
    assert not downloads["reports_download_xlsx"].proto.disabled
    assert any("apt-get install chromium" in c.value for c in at.caption)


def test_the_filters_set_the_scope(app_db: Path) -> None:
    p = store.get_snapshot(path=app_db).frames["projects"]
    n = int((p["program"] == "Expérience client").sum())
    at = run_page("reports.py", "fr", program="Expérience client")
    assert not at.exception
    caption = at.caption[0].value
    assert f"· {n} projets" in caption and "selon les filtres" in caption


def test_the_preview_opens_on_the_highlight_report_with_the_forecasts(app_db: Path) -> None:
    from pmo_core import report
    from pmo_core.report import forecasts, highlight

    at = run_page("reports.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    assert "**Rapport de situation**" in text
    d = report.collect(None, lang="fr", path=app_db)
    h = highlight.highlight(d)
    label, weather, detail = h.summary[0]
    assert f"{label}\u00a0: **{weather}** ({detail})" in text  # e.g. Orange (IPD 0,94, IPC 0,95)
    for label, value, _ in forecasts.portfolio_lines(d):  # the pack's P50/P80, as printed
        assert f"{label}\u00a0: **{value}**" in text, label
    assert "**Sur la période**\n\n- C'est la première photo du portefeuille." in text
    assert "- " + h.tolerances[0] in text  # the thresholds in force, in words
