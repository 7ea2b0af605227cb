"""Real exports through mapping profiles: UK GMPP 2021 and 2022 (OGL v3.0), known answers.

The files stay in ``../shared/data`` (the data README gives the counts asserted here).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import mapping
from pmo_core.errors import UsageError
from pmo_core.ingest import read_file

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
    assert {i.column for i in missing} == {"BCA"}  # the header as written
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
