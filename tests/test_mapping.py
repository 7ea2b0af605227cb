"""Real exports through mapping profiles: UK GMPP 2021 and 2022 (OGL v3.0), known answers.

The files stay in ``../shared/data`` (the data README gives the counts asserted here).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pmo_core.errors import UsageError
from pmo_core.ingest import mapping, read_file

ROOT = Path(__file__).resolve().parents[1]
GMPP = ROOT.parent / "shared" / "data" / "uk-gmpp"
needs_data = pytest.mark.skipif(not GMPP.exists(), reason="../shared/data not present")


def profile(year: int) -> dict:
    return json.loads((ROOT / "data" / "mappings" / f"uk_gmpp_{year}.json").read_text())


@needs_data
def test_gmpp_2022_imports_with_its_ratings_and_foi_texts_as_warnings() -> None:
    r = read_file(GMPP / "uk_2022.csv.gz", mapping=profile(2022))
    assert r.ok, [i.to_dict() for i in r.issues if i.severity == "error"][:3]
    p = r.frames["projects"]
    assert len(p) == 235
    counts = p["rag_override"].value_counts().to_dict()
    assert counts == {"A": 170, "R": 27, "G": 24}
    assert p["rag_override"].isna().sum() == 14
    no_rating = [i for i in r.issues if i.column == "colour_rating"]
    assert len(no_rating) == 14 and all(i.severity == "warning" for i in no_rating)
    assert r.settings["currency"] == "GBP"
    # £33.73 (millions) -> 33,730,000; the whole-life cost of the first project is £278m.
    assert p.loc[0, "budget"] == pytest.approx(278e6)


@needs_data
def test_gmpp_2021_five_levels_mapped_by_the_profile() -> None:
    r = read_file(GMPP / "uk_2021.csv.gz", mapping=profile(2021))
    assert r.ok
    p = r.frames["projects"]
    assert len(p) == 184
    # Green 12; Amber/Green 29 + Amber 84 -> A; Amber/Red 44 + Red 7 -> R; 8 texts.
    assert p["rag_override"].value_counts().to_dict() == {"A": 113, "R": 51, "G": 12}
    assert p["rag_override"].isna().sum() == 8


@needs_data
def test_a_known_export_is_read_with_its_shipped_profile_automatically() -> None:
    r = read_file(GMPP / "uk_2022.csv.gz")
    assert r.ok and len(r.frames["projects"]) == 235
    assert r.issues[0].template.startswith("Read with the mapping profile")


def raw_column(year: int, header: str) -> pd.Series:
    """A column of the raw GMPP file as text, read without the product."""
    return pd.read_csv(
        GMPP / f"uk_{year}.csv.gz", sep=";", encoding="cp1252", dtype=str, keep_default_na=False
    )[header]


def source_total(year: int) -> tuple[float, int]:
    """The whole-life cost total (in £ m) and numeric cells, by an explicit rule for this
    column: strip "£" and the thousands ",", keep what is then a number."""
    text = raw_column(year, "wlc_baseline_incl_NCG").str.replace("£", "").str.replace(",", "")
    x = pd.to_numeric(text.str.strip(), errors="coerce")
    return float(x.sum()), int(x.notna().sum())


@needs_data
def test_gmpp_2022_whole_life_costs_total_the_source() -> None:
    # The data README: £494,181 m over 191 numeric cells. "£32,614" is £32,614 m, not
    # £32.614 m (76 cells use a thousands comma); x 1e6 by the profile's scale.
    r = read_file(GMPP / "uk_2022.csv.gz", mapping=profile(2022))
    budget = r.frames["projects"]["budget"]
    assert budget.notna().sum() == 191
    assert budget.sum() == pytest.approx(494_181e6, abs=1e6)
    assert source_total(2022) == (pytest.approx(494_181), 191)
    assert budget.max() >= 32_614e6


@needs_data
def test_gmpp_2022_reads_the_same_when_the_profile_leaves_the_separator_out() -> None:
    # Without "decimal", wlc_baseline_incl_NCG holds only "£32,614"-like and whole cells:
    # ambiguous. The file's other amounts ("£1,139.18") use "," for thousands: so does it,
    # and a warning says so and how to override it.
    prof = profile(2022)
    del prof["tables"]["projects"]["decimal"]
    r = read_file(GMPP / "uk_2022.csv.gz", mapping=prof)
    assert r.frames["projects"]["budget"].sum() == pytest.approx(494_181e6, abs=1e6)
    (w,) = [i for i in r.issues if "two ways" in i.template]
    assert w.column == "wlc_baseline_incl_NCG" and "other numbers" in w.text("en")


@needs_data
def test_gmpp_2021_whole_life_costs_total_the_source() -> None:
    # 2021 writes pence ("£2,398.50"): the column decides by itself.
    total, cells = source_total(2021)
    r = read_file(GMPP / "uk_2021.csv.gz", mapping=profile(2021))
    budget = r.frames["projects"]["budget"]
    assert budget.notna().sum() == cells == 164
    assert budget.sum() == pytest.approx(total * 1e6, abs=1.0)
    assert [i for i in r.issues if "two ways" in i.template] == []


def test_a_profile_sets_a_columns_decimal_separator_and_unit() -> None:
    # "12,500" and "7,250" alone are ambiguous; the profile says "," is the decimal
    # separator (12,5 and 7,25) and the amounts are in k€ (x 1 000): 12 500 and 7 250 €.
    text = 'ref,titre,montant\nP1,A,"12,500"\nP2,B,"7,250"\n'
    prof = {
        "headers": ["ref"],
        "tables": {
            "projects": {
                "columns": {"project_id": "ref", "name": "titre", "budget": "montant"},
                "decimal": {"budget": ","},
                "scale": {"budget": "k€"},
            }
        },
    }
    r = read_file(text.encode(), filename="x.csv", mapping=prof)
    assert r.ok
    assert r.frames["projects"]["budget"].tolist() == [12_500.0, 7_250.0]
    assert [i for i in r.issues if "two ways" in i.template] == []
    # Given ",", a cell proving "." ("1,000.50") is unreadable, and named.
    bad = read_file(text.replace("7,250", "1,000.50").encode(), filename="x.csv", mapping=prof)
    (e,) = [i for i in bad.issues if i.severity == "error"]
    assert (e.row, e.column, e.value) == (3, "montant", "1,000.50")
    assert e.params["expected"] == "a number such as 1 234,50"
    # Given ".", the example the message gives is written with ".": "1 234,50" is refused
    # and the user is shown "1,234.50", the way this column must be written.
    dot = {
        **prof,
        "tables": {"projects": {**prof["tables"]["projects"], "decimal": {"budget": "."}}},
    }
    bad = read_file(text.replace("7,250", "1 234,50").encode(), filename="x.csv", mapping=dot)
    (e,) = [i for i in bad.issues if i.severity == "error"]
    assert (e.row, e.value, e.params["expected"]) == (3, "1 234,50", "a number such as 1,234.50")


def test_a_profile_scale_replaces_the_headers_unit() -> None:
    # The header says k€ but the profile says x 1 000 000: the profile wins, once.
    text = "ref;Budget (k€)\nP1;2\n"
    prof = {
        "headers": ["ref"],
        "tables": {
            "projects": {
                "columns": {"project_id": "ref", "name": "ref", "budget": "Budget (k€)"},
                "scale": {"budget": 1_000_000},
            }
        },
    }
    r = read_file(text.encode(), filename="x.csv", mapping=prof)
    assert r.frames["projects"]["budget"].tolist() == [2_000_000.0]
    assert [i for i in r.issues if "multiplied" in i.template] == []


def test_a_profile_with_a_wrong_separator_or_scale_is_refused() -> None:
    base = {"columns": {"project_id": "ref"}}
    with pytest.raises(UsageError, match="decimal separator"):
        mapping.load_profile({"tables": {"projects": {**base, "decimal": {"budget": ";"}}}})
    with pytest.raises(UsageError, match="scale"):
        mapping.load_profile({"tables": {"projects": {**base, "scale": {"budget": "lots"}}}})
    with pytest.raises(UsageError, match="unknown columns"):
        mapping.load_profile({"tables": {"projects": {**base, "decimal": {"cost": ","}}}})


def test_the_editor_guesses_a_header_with_a_unit() -> None:
    rows = mapping.editor_rows(["Code projet", "Budget (k€)", "Coût réel en milliers d'euros"])
    assert rows["column"].tolist() == ["project_id", "budget", "actual_cost"]


def test_the_editor_sets_a_columns_unit_and_decimal_separator() -> None:
    # The editor's amounts rows: budget in k€ with "," for decimals; "12,500" k€ = 12,5 x
    # 1 000 = 12 500. A wrong separator is refused, not saved.
    rows = pd.DataFrame({"source": ["ref", "montant"], "column": ["project_id", "budget"]})
    amounts = pd.DataFrame({"column": ["budget"], "scale": ["k€"], "decimal": [","]})
    prof = mapping.profile_from_editor("Outil Y", ["ref", "montant"], rows, amounts=amounts)
    assert prof["tables"]["projects"]["scale"] == {"budget": "k€"}
    assert prof["tables"]["projects"]["decimal"] == {"budget": ","}
    r = read_file(b'ref,montant\nP1,"12,500"\n', filename="y.csv", mapping=prof)
    assert r.frames["projects"]["budget"].tolist() == [12_500.0]
    assert mapping.amounts_rows(prof).to_dict("list") == {
        "column": ["budget"],
        "scale": ["k€"],
        "decimal": [","],
    }
    with pytest.raises(UsageError, match="decimal separator"):
        mapping.profile_from_editor("x", ["ref"], rows, amounts=amounts.assign(decimal=[";"]))
    numeric = mapping.profile_from_editor(
        "x", ["ref"], rows, amounts=amounts.assign(scale=["1 000 000"], decimal=[""])
    )
    assert numeric["tables"]["projects"]["scale"] == {"budget": 1_000_000.0}


def test_duplicate_headers_are_coalesced_first_non_empty_wins() -> None:
    text = "code;nom;note;note\nP1;Alpha;;Amber\nP2;Beta;Red;\n"
    prof = {
        "headers": ["code"],
        "tables": {
            "projects": {
                "columns": {"project_id": "code", "name": "nom", "rag_override": "note"},
                "values": {"rag_override": {"Amber": "A", "Red": "R"}},
            }
        },
    }
    r = read_file(text.encode(), filename="x.csv", mapping=prof)
    assert r.ok
    assert r.frames["projects"]["rag_override"].tolist() == ["A", "R"]
    assert r.frames["projects"]["status"].tolist() == ["in_progress", "in_progress"]


def test_a_profile_naming_unknown_columns_is_refused() -> None:
    with pytest.raises(UsageError, match="unknown columns"):
        mapping.load_profile({"tables": {"projects": {"columns": {"colour": "x"}}}})
    with pytest.raises(UsageError, match="unknown table"):
        mapping.load_profile({"tables": {"things": {}}})


def test_shipped_profiles_are_valid_and_documented() -> None:
    profiles = mapping.shipped_profiles()
    assert len(profiles) >= 2
    doc = (ROOT / "docs" / "mapping-profiles.md").read_text(encoding="utf-8")
    for key in (
        "columns",
        "defaults",
        "values",
        "warn_unmapped",
        "texts_as_empty",
        "scale",
        "decimal",
        "headers",
    ):
        assert f"`{key}`" in doc
    assert isinstance(pd.DataFrame(), pd.DataFrame)


MELBOURNE = ROOT.parent / "shared" / "data" / "melbourne-water-capital"
MW_CSV = MELBOURNE / "Capital_Delivery_Project_deidentified.csv"
needs_melbourne = pytest.mark.skipif(not MELBOURNE.exists(), reason="../shared/data not present")


@needs_melbourne
def test_melbourne_water_is_read_with_its_shipped_profile_automatically() -> None:
    r = read_file(MW_CSV)
    assert r.ok, [i.to_dict() for i in r.issues if i.severity == "error"][:3]
    assert r.issues[0].params["profile"].startswith("Melbourne Water")
    p = r.frames["projects"]
    assert len(p) == 445 and p["project_id"].is_unique
    assert r.settings["currency"] == "AUD"
    assert p["program"].value_counts().to_dict() == {
        "Major Works - Small Scale": 175,
        "Major Works - Framework": 174,
        "Contestable": 54,
        "Major Works - Open Market": 42,
    }
    assert (p["department"] == "Service & Asset Lifecycle").sum() == 423
    # FFC (forecast final cost) summed over the 445 rows of the CSV.
    assert p["budget"].sum() == pytest.approx(5_113_659_152.5)
    # Q05388: BCA "2016-05-25 17:00:00" -> start, Stage2 "2017-12-22 17:00:00" -> end.
    first = p.set_index("project_id").loc["Q05388"]
    assert (first["start_date"], first["end_date"]) == (
        pd.Timestamp("2016-05-25"),
        pd.Timestamp("2017-12-22"),
    )
    # Three projects have no Stage2 date: imported, warned, and listed by id.
    missing = [i for i in r.issues if i.template.startswith("Start or end date missing")]
    assert {i.column for i in missing} == {"Stage2"}  # the missing one, as written
    assert len(missing) == 3 and all(i.severity == "warning" for i in missing)
    assert sorted(p.loc[p["end_date"].isna(), "project_id"]) == ["F10408", "G10644", "K10419"]


@needs_melbourne
def test_melbourne_water_mixed_date_formats_are_read_day_first() -> None:
    # BNI and PBC mix "5/02/2016 5:00:00 PM", "24/10/2016" and "10/05/2017 10:59:00 AM".
    prof = mapping.load_profile(
        json.loads((ROOT / "data/mappings/melbourne_water.json").read_text())
    )
    cols = prof["tables"]["projects"]["columns"]
    cols["start_date"], cols["end_date"] = "BNI", "PBC"
    prof["tables"]["projects"]["texts_as_empty"] = []
    r = read_file(MW_CSV, mapping=prof)
    p = r.frames["projects"].set_index("project_id")
    assert not [i for i in r.issues if i.severity == "error" and i.column in ("BNI", "PBC")]
    assert p.loc["Q05388", "start_date"] == pd.Timestamp("2016-02-05")  # 5/02/2016 5:00 PM
    assert p.loc["Q05388", "end_date"] == pd.Timestamp("2016-03-30")  # 30/03/2016 5:00 PM
    assert p.loc["Q05640", "end_date"] == pd.Timestamp("2016-10-24")  # 24/10/2016
    assert p.loc["Q02979", "end_date"] == pd.Timestamp("2017-05-10")  # 10/05/2017 10:59 AM
    # 2 projects have no BNI and 232 no PBC: all other cells are read as dates.
    assert p["start_date"].isna().sum() == 2
    assert p["end_date"].isna().sum() == 232


# ------------------------------------------------------------------ the mapping editor's logic

TOOL_EXPORT = (
    "Export outil X - mars 2026\n"
    "Ref;Intitulé;Enveloppe;Pilote;Etat;Météo projet\n"
    "X-1;Portail;1 200,50 €;Ana;Lancé;Soleil\n"
    "X-2;Paie;800;Bob;;Nuages\n"
    "X-3;GED;;;Gelé;Orage\n"
).encode("cp1252")


def test_unknown_headers_call_for_the_editor_and_its_guesses() -> None:
    r = read_file(TOOL_EXPORT, filename="outil_x.csv")
    assert mapping.needs_mapping(r.issues)
    headers = __import__("pmo_core.ingest", fromlist=["x"]).read_headers(
        TOOL_EXPORT, filename="outil_x.csv"
    )
    # The title row above is skipped: the header row is the one with the most text cells.
    assert headers == {
        "outil_x": ["Ref", "Intitulé", "Enveloppe", "Pilote", "Etat", "Météo projet"]
    }
    rows = mapping.editor_rows(headers["outil_x"])
    # Ref and Intitulé are template synonyms; Etat too; "Météo projet" is "Météo" by
    # meaning ("projet" qualifies it); the others are left to the user.
    assert rows["column"].tolist() == ["project_id", "name", "", "", "status", "rag_override"]
    assert mapping.canonical_choices()[:3] == ["", "project_id", "name"]


def test_a_profile_made_in_the_editor_reads_the_file() -> None:
    headers = ["Ref", "Intitulé", "Enveloppe", "Pilote", "Etat", "Météo projet"]
    rows = mapping.editor_rows(headers)
    rows["column"] = ["project_id", "name", "budget", "manager", "", "rag_override"]
    prof = mapping.profile_from_editor(
        "Outil X",
        headers,
        rows,
        defaults=pd.DataFrame({"column": ["status", "portfolio"], "value": ["approved", "SI"]}),
        values=pd.DataFrame(
            {
                "column": ["rag_override"] * 4,
                "source": ["Soleil", "Nuages", "Orage", "*"],
                "value": ["G", "A", "R", ""],
            }
        ),
    )
    assert prof["headers"] == headers
    spec = prof["tables"]["projects"]
    assert spec["warn_unmapped"] == ["rag_override"]
    r = read_file(TOOL_EXPORT, filename="outil_x.csv", mapping=prof)
    assert r.ok, [i.to_dict() for i in r.issues if i.severity == "error"]
    p = r.frames["projects"]
    assert p["project_id"].tolist() == ["X-1", "X-2", "X-3"]
    assert p["budget"].tolist()[:2] == [1200.5, 800.0] and pd.isna(p["budget"].iloc[2])
    assert p["manager"].tolist()[:2] == ["Ana", "Bob"]
    assert p["rag_override"].tolist() == ["G", "A", "R"]
    # Etat is not mapped: every status comes from the default.
    assert p["status"].tolist() == ["approved"] * 3
    assert p["portfolio"].tolist() == ["SI"] * 3
    # Read back into the editor, the profile gives the same choices.
    assert mapping.editor_rows(headers, profile=prof)["column"].tolist() == rows["column"].tolist()
    assert mapping.defaults_rows(prof).to_dict("list") == {
        "column": ["status", "portfolio"],
        "value": ["approved", "SI"],
    }
    assert len(mapping.values_rows(prof)) == 4


def test_an_editor_with_nothing_mapped_is_refused() -> None:
    rows = pd.DataFrame({"source": ["A", "B"], "column": ["", None]})
    with pytest.raises(UsageError, match="at least one column"):
        mapping.profile_from_editor("x", ["A", "B"], rows)


@pytest.mark.parametrize(
    ("file_headers", "proposed"),
    [
        # identical headers, other case/accents: overlap 1
        (["REF", "Intitule", "Enveloppe", "Pilote", "Etat"], True),
        # one column added: 5 shared / 6 = 0.83 >= 0.8
        (["Ref", "Intitulé", "Enveloppe", "Pilote", "Etat", "Commentaire"], True),
        # one column renamed: 4 shared / 6 = 0.67 < 0.8
        (["Ref", "Intitulé", "Enveloppe", "Chef de projet", "Etat"], False),
        # another export altogether
        (["ID", "FFC", "BCA"], False),
    ],
)
def test_a_saved_profile_is_proposed_when_the_same_headers_come_back(
    file_headers: list[str], proposed: bool
) -> None:
    saved = {
        "name": "Outil X",
        "headers": ["Ref", "Intitulé", "Enveloppe", "Pilote", "Etat"],
        "tables": {"projects": {"columns": {"project_id": "Ref"}}},
    }
    other = {"name": "Other", "headers": ["Code", "Nom"], "tables": {}}
    got = mapping.suggest_profile(file_headers, [other, saved])
    assert (got is not None and got["name"] == "Outil X") is proposed


def _outil_x_profile() -> dict:
    headers = ["Ref", "Intitulé", "Enveloppe", "Pilote", "Etat", "Météo projet"]
    rows = mapping.editor_rows(headers)
    rows["column"] = ["project_id", "name", "budget", "manager", "", "rag_override"]
    return mapping.profile_from_editor(
        "Outil X",
        headers,
        rows,
        defaults=pd.DataFrame({"column": ["status"], "value": ["approved"]}),
        values=pd.DataFrame(
            {"column": ["rag_override"] * 3, "source": ["Soleil", "Nuages", "Orage"]}
            | {"value": ["G", "A", "R"]}
        ),
    )


def test_validate_and_import_use_a_profile_saved_in_the_store(tmp_path: Path) -> None:
    from pmo_core import store
    from pmo_core.ingest import pipeline

    db = tmp_path / "pmo.duckdb"
    plain = pipeline.validate_file(TOOL_EXPORT, filename="outil_x.csv", path=db)
    assert mapping.needs_mapping(plain.issues)  # nothing saved yet: read as it is
    assert plain.frames["projects"]["budget"].isna().all()
    store.save_document(pipeline.PROFILE_KIND, "Outil X", _outil_x_profile(), path=db)
    r = pipeline.validate_file(TOOL_EXPORT, filename="outil_x.csv", path=db)
    assert r.ok and not mapping.needs_mapping(r.issues)
    assert r.issues[0].params == {"profile": "Outil X"}
    assert r.issues[0].text("fr").startswith("Lu avec le profil de correspondance enregistré")
    p = r.frames["projects"]
    assert p["budget"].tolist()[:2] == [1200.5, 800.0]
    assert p["rag_override"].tolist() == ["G", "A", "R"]
    assert p["status"].tolist() == ["approved"] * 3
    # The same from a list given by the caller, and for an import into that store.
    given = pipeline.validate_file(
        TOOL_EXPORT, filename="outil_x.csv", profiles=[_outil_x_profile()]
    )
    assert given.frames["projects"]["manager"].tolist()[:2] == ["Ana", "Bob"]
    _, sid = pipeline.import_file(TOOL_EXPORT, filename="outil_x.csv", path=db)
    assert (
        sid == 1 and store.get_snapshot(sid, path=db).frames["projects"]["budget"].iloc[0] == 1200.5
    )
    # An explicit mapping wins over the saved ones.
    other = {"name": "y", "tables": {"projects": {"columns": {"project_id": "Ref"}}}}
    explicit = pipeline.validate_file(TOOL_EXPORT, filename="outil_x.csv", mapping=other, path=db)
    assert explicit.frames["projects"]["budget"].isna().all()


def test_cli_validate_and_import_propose_the_saved_profile(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from pmo_core import store
    from pmo_core.ingest import pipeline

    db = tmp_path / "pmo.duckdb"
    src = tmp_path / "outil_x.csv"
    src.write_bytes(TOOL_EXPORT)
    env = {k: v for k, v in os.environ.items() if k != "PMO_DB_PATH"}

    def cli(*args: str) -> dict:
        cmd = [sys.executable, "-m", "pmo_core", *args, "--db", str(db), "--json"]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        return json.loads(done.stdout)

    before = cli("validate", str(src))
    assert any(i["message"].startswith("Unknown column ignored") for i in before["issues"])
    store.save_document(pipeline.PROFILE_KIND, "Outil X", _outil_x_profile(), path=db)
    checked = cli("validate", str(src))
    assert checked["ok"] and checked["counts"]["projects"] == 3
    assert checked["issues"][0]["message"].startswith("Read with the saved mapping profile Outil X")
    done = cli("import", str(src))
    assert done["ok"] and done["snapshot_id"] == 1
    assert store.get_snapshot(1, path=db).frames["projects"]["manager"].tolist()[:2] == [
        "Ana",
        "Bob",
    ]
