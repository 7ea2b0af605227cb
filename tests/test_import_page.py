"""Import page in AppTest: the mapping editor, saved profiles proposed again, the live
preview and the data-quality panel."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pmo_core import store
from tests.conftest import DEMO, run_page

# A planning tool's export: a title row, then headers the template does not know.
EXPORT = (
    "Export outil X - mars 2026\n"
    "Code outil;Libellé court;Enveloppe;Pilote;Ciel du projet\n"
    "X-1;Portail;1 200,50 €;Ana;Soleil\n"
    "X-2;Paie;800;Bob;Nuages\n"
    "X-3;GED;;;Orage\n"
).encode("cp1252")
HEADERS = ["Code outil", "Libellé court", "Enveloppe", "Pilote", "Ciel du projet"]
PROFILE = {
    "name": "Outil X",
    "headers": HEADERS,
    "tables": {
        "projects": {
            "sheet": "*",
            "columns": {
                "project_id": "Code outil",
                "name": "Libellé court",
                "budget": "Enveloppe",
                "manager": "Pilote",
                "rag_override": "Ciel du projet",
            },
            "defaults": {"status": "approved"},
            "values": {"rag_override": {"Soleil": "G", "Nuages": "A", "Orage": "R"}},
        }
    },
}


def _upload(lang: str = "en", data: bytes = EXPORT, name: str = "outil_x.csv"):  # type: ignore[no-untyped-def]
    at = run_page("import_data.py", lang)
    at.file_uploader(key="import_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def test_unknown_headers_open_the_mapping_editor(app_db: Path) -> None:
    at = _upload()
    assert any(s.value == "Column mapping" for s in at.subheader)
    digest = hashlib.sha256(EXPORT).hexdigest()[:12]
    # Nothing is recognised (no Projects sheet): the editor is used at once, open...
    assert any(e.label == "Edit the mapping" for e in at.expander) and digest
    editor = [d for d in at.data_editor if d.key and d.key.startswith("import_map_columns_")]
    assert editor[0].value["source"].tolist() == HEADERS
    # ...but guesses nothing, so the page asks for one column and the file stays refused.
    assert any("Map at least one column" in w.value for w in at.warning)
    assert _metrics(at)["Errors"] == "1"


def test_a_saved_profile_is_applied_when_its_headers_come_back(app_db: Path) -> None:
    store.save_document("mapping_profile", "Outil X", PROFILE, who="tests", path=app_db)
    at = _upload()
    assert any("The saved profile Outil X matches these headers" in i.value for i in at.info)
    # Read with the profile: 3 projects, no error; the editor shows the saved choices.
    assert _metrics(at)["Projects read"] == "3" and _metrics(at)["Errors"] == "0"
    editor = [d for d in at.data_editor if d.key and d.key.startswith("import_map_columns_")]
    # ...by the template's labels in the user's language, not the internal names.
    assert editor[0].value["column"].tolist() == [
        "Project ID",
        "Project name",
        "Budget (BAC)",
        "Project manager",
        "RAG override",
    ]
    assert any("The file is valid" in s.value for s in at.success)
    # The preview reads as the template writes it: headers and codes in words (it showed
    # the canonical "budget", "rag_override" and "G").
    preview = next(d.value for d in at.dataframe if "RAG override" in d.value.columns)
    assert preview["Budget (BAC)"].tolist()[:2] == ["1,200.5", "800"]  # written as English does
    assert preview["RAG override"].tolist() == ["Green", "Amber", "Red"]


def test_data_quality_panel_counts_what_the_file_misses(app_db: Path) -> None:
    store.save_document("mapping_profile", "Outil X", PROFILE, who="tests", path=app_db)
    at = _upload("fr")
    # All three projects lack dates, sponsor, ratings and milestones (approved: no status
    # report expected); X-3 also lacks its budget and manager.
    assert _metrics(at)["Projets aux données incomplètes"] == "3 / 3"
    counts = next(d.value for d in at.dataframe if "Manquant" in d.value.columns)
    got = dict(zip(counts["Manquant"], counts["Projets"], strict=True))
    assert got == {
        "Date de début": 3,
        "Date de fin": 3,
        "Budget": 1,
        "Chef de projet": 1,
        "Commanditaire": 3,
        "Notes sur les objectifs": 3,
        "Rapport d'avancement": 0,
        "Jalons": 3,
    }


def test_saving_the_edited_profile_stores_it_for_next_time(app_db: Path) -> None:
    # Headers half recognised (Ref, Intitulé): the editor guesses them and is offered.
    data = "Ref;Intitulé;Enveloppe\nX-1;Portail;100\nX-2;Paie;200\n".encode()
    at = _upload(data=data, name="outil_y.csv")
    digest = hashlib.sha256(data).hexdigest()[:12]
    assert not at.toggle  # no switch: the mapping applies from the first edit
    assert _metrics(at)["Projects read"] == "2"  # the file reads as it is meanwhile
    at.text_input(key=f"import_map_name_{digest}").input("Outil Y").run()
    at.button(key="import_map_save").click().run()
    assert not at.exception
    assert any("Profile Outil Y saved" in s.value for s in at.success)
    docs = store.list_documents("mapping_profile", app_db)
    assert docs["name"].tolist() == ["Outil Y"]
    saved = docs["payload"].iloc[0]
    assert saved["headers"] == ["Ref", "Intitulé", "Enveloppe"]
    assert saved["tables"]["projects"]["columns"] == {"project_id": "Ref", "name": "Intitulé"}


def test_a_template_workbook_needs_no_mapping_and_shows_its_quality(app_db: Path) -> None:
    at = _upload(data=DEMO.read_bytes(), name=DEMO.name)
    assert not any(s.value == "Column mapping" for s in at.subheader)
    assert any(s.value == "Data quality" for s in at.subheader)
    assert "Projects with missing data" in _metrics(at)


def test_reading_and_committing_show_their_steps(app_db: Path) -> None:
    at = _upload(lang="fr", data=DEMO.read_bytes(), name=DEMO.name)
    status = [s for s in at.status if s.label.startswith(DEMO.name)]
    assert status, [s.label for s in at.status]
    lines = [m.value for m in status[0].markdown]
    assert lines[0] == f"Lecture de {DEMO.name}..."
    assert "Conversion de la feuille Projets..." in lines
    assert lines[-1] == "Contrôle des règles entre les feuilles..."
    before = store.list_snapshots(app_db)["snapshot_id"].tolist()
    at.button(key="import_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new = len(before) + 1  # the store already holds the demo's snapshots
    assert any(s.value == f"Photo n°{new} importée." for s in at.success)
    assert store.list_snapshots(app_db)["snapshot_id"].tolist() == [new, *before]


def test_an_extra_unknown_sheet_does_not_switch_a_template_workbook_to_the_editor(
    app_db: Path,
) -> None:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(DEMO)
    wb.create_sheet("Notes du PMO").append(["Remarque", "Auteur"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    at = _upload(data=data, name="demo_notes.xlsx")
    digest = hashlib.sha256(data).hexdigest()[:12]
    # The editor is offered (a sheet was not recognised) but not used: every template
    # sheet is still read, not only the one a profile from the editor would read.
    assert digest and not at.toggle
    assert _metrics(at)["Projects read"] == "60"
    assert any(t.label.startswith("Milestones (") for t in at.tabs)


def test_the_unit_set_in_the_editor_scales_the_budgets(app_db: Path) -> None:
    store.save_document("mapping_profile", "Outil X", PROFILE, who="tests", path=app_db)
    at = _upload()
    (editor,) = [d for d in at.data_editor if d.key and d.key.startswith("import_map_amounts_")]
    # One row per number column the mapping feeds (only the budget here), left to the file.
    assert editor.value.to_dict("list") == {"column": ["budget"], "scale": [""], "decimal": [""]}
    at.session_state[editor.key] = {
        "edited_rows": {0: {"scale": "1000"}},  # "Thousands (x 1,000)": the budget in k€
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Projects read"] == "3" and _metrics(at)["Errors"] == "0"
    preview = next(d.value for d in at.dataframe if "RAG override" in d.value.columns)
    # 1 200,50 k€ -> 1 200 500 €; 800 k€ -> 800 000 €; X-3 has no budget: stays empty
    # (the preview writes numbers as the language does: 1,200,500 in English).
    assert preview["Budget (BAC)"].tolist() == ["1,200,500", "800,000", ""]
    # The decimal separator set to "." reads "1 200,50 €" as no number: one error, on its
    # cell (Excel row 3), not 120 050 000.
    at.session_state[editor.key] = {
        "edited_rows": {0: {"scale": "1000", "decimal": "."}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Errors"] == "1"


def test_snapshot_history_says_dates_and_app_importers_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stored importers stay as recorded ("demo seed", "editor (password)", a person's
    # e-mail); the page names the app's own in the user's language, and its dates are the
    # app's (15/11/2026 14:03, 15 Nov 2026 14:03), not ISO (2026-11-15 14:03) in English.
    import re

    from pmo_core.auth import SEED_WHO
    from pmo_core.ingest import pipeline

    db = tmp_path / "pmo.duckdb"
    for who in (SEED_WHO, "editor (password)", "ana@example.org"):
        pipeline.import_file(DEMO, who=who, path=db)
    stored = store.list_snapshots(path=db)["imported_by"]
    assert stored.tolist() == ["ana@example.org", "editor (password)", "demo seed"]
    monkeypatch.delenv("PMO_DB_URL", raising=False)
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    shown = {
        "fr": ({"jeu de démonstration", "Éditeur (mot de passe)", "ana@example.org"},
               r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"),
        "en": ({"demo seed", "Editor (password)", "ana@example.org"},
               r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}"),
    }  # fmt: skip
    for lang, (names, moment) in shown.items():
        at = run_page("import_data.py", lang)
        assert not at.exception, [e.value for e in at.exception]
        by, at_, when, who = (
            ("Importée par", "Importée le", "Quand", "Qui")
            if lang == "fr"
            else ("Imported by", "Imported at", "When", "Who")
        )
        history = next(d.value for d in at.dataframe if by in d.value.columns)
        assert set(history[by]) == names
        assert all(re.fullmatch(moment, v) for v in history[at_]), history[at_].tolist()
        log = next(d.value for d in at.dataframe if who in d.value.columns)
        assert set(log[who]) == names
        assert all(re.fullmatch(moment + r":\d{2}", v) for v in log[when]), log[when].tolist()


@pytest.mark.parametrize(
    ("lang", "budgets", "progress"),
    [
        # 1234.5 -> 1 234,5 (narrow no-break space, decimal comma); 1 000 000 whole;
        # 12.5 % complete -> 12,5; the empty cell stays empty (nothing was typed).
        ("fr", ["1\u202f234,5", "1\u202f000\u202f000"], ["12,5", ""]),
        ("en", ["1,234.5", "1,000,000"], ["12.5", ""]),
    ],
)
def test_the_preview_writes_numbers_in_the_users_format_and_text_as_typed(
    app_db: Path, lang: str, budgets: list[str], progress: list[str]
) -> None:
    # Before: the preview showed the floats themselves, 1234.5 with a dot on a French
    # screen. The name "Refonte v2.5" is the user's text: kept as typed, dot included.
    from datetime import datetime

    from tests.conftest import workbook

    head = ["Code projet", "Nom du projet", "Statut", "Date de début", "Date de fin"]
    rows = [
        [*head, "Budget", "Avancement"],
        ["P1", "Refonte v2.5", "En cours", datetime(2026, 1, 1), datetime(2026, 6, 1), 1234.5, 12.5],
        ["P2", "Paie", "En cours", datetime(2026, 1, 1), datetime(2026, 6, 1), 1_000_000, None],
    ]  # fmt: skip
    data = workbook({"Projets": rows})
    at = run_page("import_data.py", lang)
    at.file_uploader(key="import_file").set_value(
        ("preview.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    pid, name, budget, done = (
        ("Code projet", "Nom du projet", "Budget (BAA)", "% avancement")
        if lang == "fr"
        else ("Project ID", "Project name", "Budget (BAC)", "% complete")
    )
    shown = next(d.value for d in at.dataframe if pid in d.value.columns).set_index(pid)
    assert shown.loc[["P1", "P2"], budget].tolist() == budgets
    assert shown.loc[["P1", "P2"], done].tolist() == progress
    assert shown.loc["P1", name] == "Refonte v2.5"
