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
