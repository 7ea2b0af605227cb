"""Imports of layouts never seen before: headers by meaning, "did you mean", header rows
scored as whole rows, the wide alignment matrix, profiles that build and relax, messages.

Workbooks are made by hand with openpyxl; every expected number is worked out in a comment.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core.ingest import headers, read_file
from pmo_core.ingest.tables import find_header
from tests.conftest import errors, workbook

ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------- headers by meaning


@pytest.mark.parametrize(
    ("table", "header", "column"),
    [
        ("objectives", "Objectif stratégique", "name"),
        ("objectives", "OBJECTIF  STRATEGIQUE", "name"),
        ("projects", "Budget (k€)", "budget"),
        ("projects", "Budget total du projet (k€)", "budget"),
        ("allocations", "Charge (h)", "hours"),
        ("allocations", "Charge prévue (h)", "hours"),
        ("projects", "Date de début (prévue)", "start_date"),
        ("projects", "Chef du projet", "manager"),
        ("projects", "Météo projet", "rag_override"),
    ],
)
def test_headers_are_recognised_by_meaning(table: str, header: str, column: str) -> None:
    assert headers.canonical_column(table, header) == column


def test_an_ambiguous_reduced_header_is_not_guessed() -> None:
    # "Date fin prévue" reduces to "datefin": the end date's "Date fin" and the forecast's
    # "Date de fin prévue" both reduce to it, so the header decides nothing.
    assert headers.canonical_column("projects", "Date fin prévue") is None
    # Written in full, each is known as before.
    assert headers.canonical_column("projects", "Date de fin prévue") == "forecast_end_date"
    assert headers.canonical_column("projects", "Date fin") == "end_date"


def test_budget_in_k_euros_is_recognised_and_scaled_by_its_unit() -> None:
    # 1 234,5 k€ -> 1 234 500 €; the header's unit is still read by the number code.
    data = workbook(
        {
            "Projets": [
                ["Code projet", "Nom du projet", "Budget (k€)"],
                ["P1", "Portail", "1 234,5"],
            ]
        }
    )
    r = read_file(data, filename="x.xlsx")
    assert r.ok, errors(r)
    assert r.frames["projects"].loc[0, "budget"] == pytest.approx(1_234_500)


def test_an_unknown_header_gets_a_did_you_mean_in_the_users_language() -> None:
    data = workbook(
        {
            "Projets": [
                ["Code projet", "Nom du projet", "Cout reel HT", "Zorglub"],
                ["P1", "Portail", 10, "x"],
            ]
        }
    )
    r = read_file(data, filename="x.xlsx")
    unknown = {i.column: i for i in r.issues if i.template.startswith("Unknown column")}
    assert unknown["Cout reel HT"].text("fr").endswith("Vouliez-vous dire Coût réel ?")
    assert unknown["Cout reel HT"].text("en").endswith("Did you mean Actual cost?")
    assert "Did you mean" not in unknown["Zorglub"].text("en")  # nothing is close


def test_required_column_missing_names_the_template_label() -> None:
    data = workbook({"Projets": [["Code projet", "Budget"], ["P1", 10]]})
    r = read_file(data, filename="x.xlsx")
    msgs = [i.text("fr") for i in errors(r) if i.template.startswith("Required column")]
    assert msgs == [
        "Colonne obligatoire manquante : Nom du projet. Ajoutez une colonne avec cet en-tête."
    ]


# ---------------------------------------------------------------- header-row detection


def test_a_data_row_with_one_known_word_is_not_taken_as_the_header() -> None:
    # The real header (row 2) has one known header, "Avancement"; the data row 3 has a
    # status cell "Complete" (% Complete) and a department cell "Direction": two known
    # words, which the old score (known headers, first best) took as the header.
    head = pd.DataFrame(
        [
            ["Export mars 2026", None, None, None, None],
            ["Numéro", "Libellé court", "Avancement", "Pôle", "Montant"],
            ["X-1", "Portail", "Complete", "Direction", "12 000"],
            ["X-2", "Paie", "En cours", "DSI", "800"],
        ],
        dtype=object,
    )
    from pmo_core import schema

    h, table, _ = find_header(head, schema.TABLES["projects"])
    assert h == 1 and table is not None and table.name == "projects"


def test_a_row_of_other_texts_with_one_optional_header_is_not_a_header() -> None:
    # No row is a header: "Complete" is one known word among four texts (share 1/4).
    # The sheet's name tells the table, so the row with the most texts (row 2) is taken
    # and its headers reported one by one.
    data = workbook(
        {
            "Projets": [
                ["Rapport"],
                ["project_number", "title_x", "delivery", "owner_x"],
                ["A1", "Portail", "Complete", "Ana"],
            ]
        }
    )
    r = read_file(data, filename="x.xlsx")
    unknown = [i for i in r.issues if i.template.startswith("Unknown column")]
    assert {i.row for i in unknown} == {2}
    assert {i.column for i in unknown} >= {"title_x", "delivery"}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Complete", "Direction", "PM", "Proposé", "Vert", "Oui", "x", "12"]),
        min_size=4,
        max_size=4,
    )
)
def test_the_template_header_row_wins_over_any_data_row(cells: list[str]) -> None:
    # Property: whatever words a data row holds, a row of template headers above it wins.
    from pmo_core import schema

    head = pd.DataFrame(
        [["Code projet", "Nom du projet", "Statut", "Budget"], cells, ["P2", "B", "", 3]],
        dtype=object,
    )
    assert find_header(head, schema.TABLES["projects"])[0] == 0
    assert find_header(head, None)[0] == 0


# ------------------------------------------------------------- wide alignment matrix

PROJECTS = [["Code projet", "Nom du projet"], ["P1", "Portail"], ["P2", "Paie"]]
OBJECTIVES = [["Code objectif", "Objectif stratégique"], ["O1", "Croissance"], ["O2", "Sobriété"]]


def test_a_wide_matrix_by_codes_and_names_becomes_the_long_table() -> None:
    # Headers: O1 by its code, O2 by its name ("Sobriété"); the objectives sheet comes
    # after the matrix. P1: Fort (6), 3; P2: empty (no rating), Extrême (9).
    data = workbook(
        {
            "Projets": PROJECTS,
            "Matrice d'alignement": [
                ["Code projet", "Nom du projet", "O1", "Sobriété"],
                ["P1", "Portail", "Fort", 3],
                ["P2", "Paie", None, "Extrême"],
            ],
            "Objectifs": OBJECTIVES,
        }
    )
    r = read_file(data, filename="x.xlsx")
    assert r.ok, errors(r)
    a = r.frames["alignment"]
    got = sorted(zip(a["project_id"], a["objective_id"], a["rating"].astype(int), strict=True))
    assert got == [("P1", "O1", 6), ("P1", "O2", 3), ("P2", "O2", 9)]
    done = [i for i in r.issues if i.template.startswith("Read as a wide")]
    assert done[0].text("fr") == "Lue comme une matrice d'alignement : 2 objectifs, 3 notes."


def test_an_unknown_rating_word_is_an_error_naming_its_cell() -> None:
    data = workbook(
        {
            "Projets": PROJECTS,
            "Objectifs": OBJECTIVES,
            "Alignement": [["Code projet", "O1", "O2"], ["P1", "Fort", "Beaucoup"], ["P2", 1, 12]],
        }
    )
    r = read_file(data, filename="x.xlsx")
    bad = [(i.sheet, i.row, i.column, i.value) for i in errors(r)]
    # "Beaucoup" (C2) is no rating word; 12 (C3) is above 9.
    assert bad == [("Alignement", 2, "O2", "Beaucoup"), ("Alignement", 3, "O2", "12")]
    assert "attendu une note : Aucun 0" in errors(r)[0].text("fr")


def test_a_wide_matrix_without_objectives_sheet_takes_its_headers_as_codes() -> None:
    # The sheet's name says alignment; with no Objectives sheet the headers are codes,
    # which the objectives rule cannot check (no objectives to check against).
    data = workbook(
        {"Projets": PROJECTS, "Alignement": [["Projet", "O1", "O2"], ["P1", "Faible", 0]]}
    )
    r = read_file(data, filename="x.xlsx")
    a = r.frames["alignment"]
    assert sorted(zip(a["objective_id"], a["rating"].astype(int), strict=True)) == [
        ("O1", 1),
        ("O2", 0),
    ]


def test_the_long_alignment_layout_is_still_read_as_long() -> None:
    data = workbook(
        {
            "Projets": PROJECTS,
            "Objectifs": OBJECTIVES,
            "Alignement": [["Code projet", "Code objectif", "Note"], ["P1", "O1", "Fort"]],
        }
    )
    r = read_file(data, filename="x.xlsx")
    assert r.ok, errors(r)
    assert r.frames["alignment"]["rating"].tolist() == [6]
    assert not [i for i in r.issues if i.template.startswith("Read as a wide")]


# ------------------------------------------------------------------------- profiles

SHARED = ROOT.parent / "shared" / "data"
needs_data = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data not present")


def test_the_columns_reference_in_the_docs_is_up_to_date() -> None:
    from pmo_core.ingest import mapping

    doc = (ROOT / "docs" / "mapping-profiles.md").read_text(encoding="utf-8")
    assert mapping.with_reference(doc) == doc, "run mapping.update_reference()"
    # Every canonical column is listed with its labels, e.g. the actual cost.
    assert "| `actual_cost` | Actual cost | Coût réel | number |  |" in doc
    from pmo_core import schema

    for name, table in schema.TABLES.items():
        assert f"### `{name}`" in doc
        for c in table.columns:
            assert f"| `{c.name}` |" in doc


def test_an_unknown_column_in_a_profile_lists_the_valid_ones() -> None:
    from pmo_core.errors import UsageError
    from pmo_core.ingest import mapping

    bad = {"tables": {"projects": {"columns": {"project_id": "Ref", "benefits": "Gain"}}}}
    with pytest.raises(UsageError) as e:
        mapping.load_profile(bad)
    msg = str(e.value)
    assert "unknown columns ['benefits']" in msg
    assert "Valid columns: project_id, name, program," in msg and "expected_benefit" in msg


def test_a_profile_joins_columns_into_one_and_sets_a_default() -> None:
    # project_id = School + Phase joined with " - "; an empty part is left out (row 3).
    csv = b"School;Phase;Title\nM015;Design;Roof\nM015;Scope;Roof\nK100;;Boiler\n"
    prof = {
        "name": "Joined",
        "tables": {
            "projects": {
                "columns": {"project_id": ["School", "Phase"], "name": "Title"},
                "join": {"project_id": " - "},
                "defaults": {"status": "approved"},
            }
        },
    }
    r = read_file(csv, filename="x.csv", mapping=prof)
    assert r.ok, errors(r)
    p = r.frames["projects"]
    assert p["project_id"].tolist() == ["M015 - Design", "M015 - Scope", "K100"]
    assert p["status"].tolist() == ["approved"] * 3


def test_a_profile_reads_month_first_dates_and_relaxes_a_named_rule() -> None:
    # 7/6/2021 month first is 6 July 2021 (day first it would be 7 June); row 3 ends on
    # 1 July 2021, before its start on 2 August 2021: an error made a warning by "relax".
    csv = b"Ref;Title;Start;End\nA;x;7/6/2021;12/31/2021\nB;y;8/2/2021;7/1/2021\n"
    prof = {
        "name": "US export",
        "relax": ["end_before_start"],
        "tables": {
            "projects": {
                "columns": {
                    "project_id": "Ref",
                    "name": "Title",
                    "start_date": "Start",
                    "end_date": "End",
                },
                "dates": {"start_date": "mdy", "end_date": "mdy"},
            }
        },
    }
    r = read_file(csv, filename="x.csv", mapping=prof)
    assert r.ok, errors(r)
    p = r.frames["projects"]
    assert [d.date().isoformat() for d in p["start_date"]] == ["2021-07-06", "2021-08-02"]
    assert p.loc[1, "end_date"].date().isoformat() == "2021-07-01"
    late = [i for i in r.issues if i.template.startswith("End date before start date")]
    assert [(i.severity, i.row) for i in late] == [("warning", 3)]
    said = [i.text("fr") for i in r.issues if i.template.startswith("The mapping profile")]
    assert said == [
        "Le profil de correspondance US export fait de la règle « date de fin antérieure à "
        "la date de début » un avertissement ; lignes importées telles quelles : 1."
    ]
    # Without "relax" the same file is refused on that row.
    strict = read_file(csv, filename="x.csv", mapping={**prof, "relax": []})
    assert [(i.row, i.severity) for i in errors(strict)] == [(3, "error")]


@needs_data
@pytest.mark.parametrize(
    ("year", "chosen", "other"), [(2021, "2021", "2022"), (2022, "2022", "2021")]
)
def test_of_two_profiles_with_the_same_headers_the_one_that_fits_is_chosen(
    year: int, chosen: str, other: str
) -> None:
    # GMPP 2021 rates on five levels: the 2022 profile (three) does not know Amber/Green
    # and Amber/Red (29 + 44 = 73 more unknown values). GMPP 2022 is read by both without
    # error or unknown rating, but two words of the 2021 lists never occur in it.
    r = read_file(SHARED / "uk-gmpp" / f"uk_{year}.csv.gz")
    assert r.ok
    first = r.issues[0]
    assert first.params["profile"].startswith(f"UK GMPP {chosen}")
    assert first.params["other"].startswith(f"UK GMPP {other}")
    if year == 2021:
        assert first.params["unknown2"] - first.params["unknown"] == 29 + 44
    else:
        assert first.params["unknown2"] == first.params["unknown"]
        assert (first.params["unused"], first.params["unused2"]) == (0, 2)
    assert "choisi parmi 2 profils aux mêmes en-têtes" in first.text("fr")


NYC = SHARED / "nyc-sca-capital-projects" / "Capital_Project_Schedules_and_Budgets.csv.gz"


@needs_data
def test_nyc_sca_is_read_with_its_shipped_profile_and_known_totals() -> None:
    # Totals computed independently from the raw CSV with pandas (to_numeric on the raw
    # cells, sentinel codes such as DOER, PNS, FTK not numbers): 13,153 phases; budget
    # $17,588,161,331 over its 8,372 numeric cells; spending $6,021,748,727 over all
    # 13,153. Status: PNS (phase not started) 4,416, Complete 4,372, In-Progress 4,365.
    r = read_file(NYC)
    assert r.issues[0].params["profile"].startswith("NYC School Construction Authority")
    p = r.frames["projects"]
    assert len(p) == 13_153
    assert p["budget"].sum() == pytest.approx(17_588_161_331)
    assert p["budget"].notna().sum() == 8_372
    assert p["actual_cost"].sum() == pytest.approx(6_021_748_727)
    assert p["status"].value_counts().to_dict() == {
        "approved": 4_416,
        "completed": 4_372,
        "in_progress": 4_365,
    }
    assert r.settings["currency"] == "USD"
    # Month-first dates: row 4 of the file starts 4/13/2021, 13 April 2021.
    assert p.loc[2, "start_date"].date().isoformat() == "2021-04-13"
    # The id joins DSF, building, type, description and phase; 12 phases still repeat
    # another one in all five (24 rows, checked with pandas): the only errors left.
    assert p.loc[2, "project_id"].startswith("DSF0001008800, DSF0000991942 - M019 - SCA CIP")
    errs = errors(r)
    assert len(errs) == 12 and all(i.template.startswith("Duplicate") for i in errs)
    # Planned end before actual start (3 phases started after their planned end): relaxed.
    relaxed = [i for i in r.issues if i.template.startswith("End date before start date")]
    assert len(relaxed) == 3 and all(i.severity == "warning" for i in relaxed)


# ------------------------------------------------------------------------- messages


def _messy_projects() -> bytes:
    return workbook(
        {
            "Projets": [
                ["Code projet", "Nom du projet", "Date de début", "Date de fin", "Budget"],
                ["P1", "Portail", "01/02/2026", None, "abc"],  # row 2: end missing, bad budget
                ["P2", "Paie", None, "31/12/2026", 10],  # row 3: start missing
                ["P3", "GED", "01/03/2026", "01/01/2026", 5],  # row 4: end before start
            ]
        }
    )


def test_a_message_on_a_project_row_names_the_project_and_the_missing_date() -> None:
    r = read_file(_messy_projects(), filename="x.xlsx")
    by = {(i.row, i.template.split(" ")[0]): i for i in r.issues}
    # The unreadable budget of row 2 names P1 (read_table's own errors too).
    bad = [i for i in errors(r) if i.template.startswith("Cannot read")]
    assert [(i.row, i.project_id, i.value) for i in bad] == [(2, "P1", "abc")]
    # The rule on row 4 names P3.
    late = [i for i in errors(r) if i.template.startswith("End date before")]
    assert [(i.row, i.project_id) for i in late] == [(4, "P3")]
    # "Start or end date missing" is located at, and names, the date that is missing.
    missing = sorted(
        (i.row, i.column, i.text("fr"))
        for i in r.issues
        if i.template.startswith("Start or end date missing")
    )
    assert missing == [
        (2, "Date de fin", "Date de début ou de fin manquante (Date de fin de référence est "
         "vide) : les indicateurs de délai seront n/d pour ce projet."),
        (3, "Date de début", "Date de début ou de fin manquante (Date de début est vide) : les "
         "indicateurs de délai seront n/d pour ce projet."),
    ]  # fmt: skip
    assert by[(2, "Cannot")].to_dict()["project_id"] == "P1"


def test_the_report_lists_errors_before_warnings_and_never_none() -> None:
    r = read_file(_messy_projects(), filename="x.xlsx")
    frame = r.issues_frame("fr")
    sev = frame["severity"].tolist()
    assert sev == sorted(sev, key=lambda s: s != "error") and "warning" in sev
    text = frame.astype(str).to_numpy().ravel().tolist()
    assert not [c for c in text if c == "None" or "None" in c.split()]
    assert set(frame.columns) >= {"row", "project_id", "column", "value", "message"}


def test_cli_text_shows_the_value_and_the_project(tmp_path: Path) -> None:
    import subprocess
    import sys

    f = tmp_path / "x.xlsx"
    f.write_bytes(_messy_projects())
    out = subprocess.run(
        [sys.executable, "-m", "pmo_core", "validate", str(f), "--db", str(tmp_path / "d.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout
    lines = out.splitlines()
    line = next(x for x in lines if "Cannot read" in x)
    assert "row 2 (P1)" in line and line.endswith("[abc]")
    kinds = [x.split()[0] for x in lines if x.startswith(("ERROR", "WARNING"))]
    assert kinds == sorted(kinds)  # ERROR... before WARNING...


def test_a_none_parameter_reads_as_not_available() -> None:
    from pmo_core.ingest.issues import warn

    i = warn("S", 1, "C", None, "Column {label} appears twice; the first one ({first}) is used.",
             label=None, first="X")  # fmt: skip
    assert "None" not in i.text("en") and "n/a" in i.text("en")
    assert "n/d" in i.text("fr")


# ------------------------------------------------------------ the messy French workbook


def test_a_messy_french_workbook_imports_without_editing() -> None:
    # Title rows above each table, French words and formats, "Objectif stratégique",
    # "Budget (k€)", a totals row, a wide alignment matrix and a hidden sheet.
    data = workbook(
        {
            "Portefeuille": [
                ["Portefeuille DSI - revue de mars 2026"],
                ["Source : outil maison, extraction du 15/03/2026"],
                [],
                [
                    "Réf",
                    "Intitulé",
                    "Statut",
                    "Date de début (prévue)",
                    "Date de fin",
                    "Budget (k€)",
                    "Coût réel",
                    "% avancement",
                    "Obligatoire",
                    "Météo",
                ],
                [
                    "P1",
                    "Portail",
                    "En cours",
                    "01/02/2026",
                    "31/12/2026",
                    "1 234,5",
                    "200,5",
                    "45 %",
                    "Oui",
                    "Vert",
                ],
                ["P2", "Paie", "Proposé", "15/04/2026", "30/06/2027", "800", "", "", "Non", ""],
                [
                    "P3",
                    "GED",
                    "Terminé",
                    "01/01/2025",
                    "31/12/2025",
                    "50",
                    "48",
                    "100 %",
                    "non",
                    "Rouge",
                ],
                ["Total", None, None, None, None, "2 084,5", "248,5", None, None, None],
            ],
            "Objectifs": [
                ["Objectifs stratégiques 2026"],
                ["Code objectif", "Objectif stratégique", "Poids"],
                ["O1", "Croissance", "60"],
                ["O2", "Sobriété", "40"],
            ],
            "Matrice d'alignement": [
                ["Alignement des projets"],
                ["Code projet", "Nom du projet", "O1", "Sobriété"],
                ["P1", "Portail", "Fort", "Faible"],
                ["P2", "Paie", "Modéré", None],
                ["P3", "GED", None, "Extrême"],
            ],
            "Brouillon": [["Code projet", "Nom du projet"], ["P9", "Caché"]],
        },
        hidden=("Brouillon",),
    )
    r = read_file(data, filename="revue.xlsx")
    assert r.ok, [i.to_dict("fr") for i in errors(r)]
    p = r.frames["projects"].set_index("project_id")
    assert list(p.index) == ["P1", "P2", "P3"]  # the totals row and the hidden P9 left out
    # 1 234,5 k€ -> 1 234 500; 800 k€ -> 800 000; 50 k€ -> 50 000.
    assert p["budget"].tolist() == pytest.approx([1_234_500, 800_000, 50_000])
    assert p.loc["P1", "actual_cost"] == pytest.approx(200.5)
    assert p.loc["P1", "percent_complete"] == pytest.approx(45)
    assert p["status"].tolist() == ["in_progress", "proposed", "completed"]
    assert p["mandatory"].tolist() == [True, False, False]
    assert p.loc["P1", "rag_override"] == "G" and p.loc["P3", "rag_override"] == "R"
    assert p.loc["P1", "start_date"] == pd.Timestamp("2026-02-01")
    o = r.frames["objectives"]
    assert o["name"].tolist() == ["Croissance", "Sobriété"]
    assert o["weight"].tolist() == [60, 40]
    a = r.frames["alignment"]
    got = sorted(zip(a["project_id"], a["objective_id"], a["rating"].astype(int), strict=True))
    # Fort 6, Faible 1, Modéré 3, Extrême 9; the empty cells are no rating.
    assert got == [("P1", "O1", 6), ("P1", "O2", 1), ("P2", "O1", 3), ("P3", "O2", 9)]
    said = {i.template.split(":")[0].split(".")[0] for i in r.issues}
    assert {"Totals row skipped", "Hidden sheet ignored"} <= said


# ------------------------------------------------------------- the mapping editor


def test_an_edit_in_the_mapping_editor_applies_at_once_in_french(app_db: Path) -> None:
    # "Identifiant chantier" is unknown: the file has no project id (1 error). Choosing
    # "Code projet" (the French label) for it reads the file at once: 2 projects, no error.
    from tests.conftest import run_page

    data = (
        "Identifiant chantier;Nom du projet;Budget\nCH-1;Toiture;1 200\nCH-2;Préau;800\n".encode()
    )
    at = run_page("import_data.py", "fr")
    at.file_uploader(key="import_file").set_value(("chantiers.csv", data, "text/csv")).run()
    (editor,) = [d for d in at.data_editor if d.key and d.key.startswith("import_map_columns_")]
    assert editor.value["column"].tolist() == ["(non importée)", "Nom du projet", "Budget (BAA)"]
    # The unmapped header comes with its closest column, to choose or not.
    # ("Identifiant" is a synonym of the id: difflib finds it; its French label is shown.)
    assert editor.value["hint"].tolist() == ["Code projet", "", ""]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Erreurs"] == "1"
    at.session_state[editor.key] = {
        "edited_rows": {0: {"column": "Code projet"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Erreurs"] == "0" and metrics["Projets lus"] == "2"
    assert not at.toggle  # no separate switch to make the edit count


def _labels() -> list[tuple[str, str, str]]:
    from pmo_core.ingest import template

    return [
        (tb, c, label)
        for tb, cols in template.LABELS.items()
        for c, pair in cols.items()
        for label in pair
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_labels()),
    st.lists(st.sampled_from(["total", "du projet", "prévu", "stratégique", "(h)", "(k€)"])),
    st.booleans(),
)
def test_filler_words_never_turn_a_header_into_another_column(
    item: tuple[str, str, str], extra: list[str], upper: bool
) -> None:
    # Property: a template header with filler words and units around it means its own
    # column, or nothing when the reduced header is ambiguous; never another column.
    table, column, label = item
    header = " ".join([label, *extra])
    header = header.upper() if upper else header
    assert headers.canonical_column(table, header) in (column, None)
    assert headers.canonical_column(table, label) == column  # as written, always known


def test_a_second_projects_like_sheet_that_is_no_matrix_is_still_said_ignored() -> None:
    # "Copie" holds project ids and names only: not a wide matrix (no objective column).
    data = workbook({"Projets": PROJECTS, "Objectifs": OBJECTIVES, "Copie": PROJECTS})
    r = read_file(data, filename="x.xlsx")
    said = [(i.sheet, i.template) for i in r.issues if i.sheet == "Copie"]
    assert said == [("Copie", "A second sheet for {table} was ignored.")]
    assert r.frames["alignment"].empty
