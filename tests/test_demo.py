"""The demo portfolio: deterministic, believable, and exactly what is committed."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import demo, schema, template
from pmo_core.capacity import utilisation_by_role_month
from pmo_core.ingest import read_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    return demo.build_demo()


def test_same_seed_same_frames_and_same_bytes(tmp_path: Path) -> None:
    a, _ = demo.build_demo(60, 7)
    b, _ = demo.build_demo(60, 7)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    demo.write_demo(tmp_path / "one.xlsx")
    demo.write_demo(tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()


def test_committed_workbook_is_what_the_generator_writes(tmp_path: Path) -> None:
    demo.write_demo(tmp_path / "fresh.xlsx")
    committed = ROOT / "data" / "demo_portfolio.xlsx"
    assert committed.read_bytes() == (tmp_path / "fresh.xlsx").read_bytes(), (
        "run `make demo` and commit data/demo_portfolio.xlsx"
    )


def test_demo_proportions_and_every_status(built) -> None:  # type: ignore[no-untyped-def]
    f, settings = built
    assert settings["as_of"] == "2026-10-31"
    assert len(f["projects"]) == 60
    assert set(f["projects"]["status"]) == set(schema.STATUSES)
    assert f["projects"]["program"].nunique() == 5
    assert f["projects"]["department"].nunique() == 6
    assert len(f["objectives"]) == 8 and len(f["pairwise"]) == 28
    assert 100 <= len(f["resources"]) <= 140 and f["resources"]["role"].nunique() == 12
    assert 120 <= len(f["risks"]) <= 180
    months = f["allocations"]["month"].nunique()
    assert months == 24


def test_referential_integrity(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    ids = set(f["projects"]["project_id"])
    assert f["projects"]["project_id"].is_unique
    for name in ("alignment", "allocations", "milestones", "risks", "status_reports"):
        assert set(f[name]["project_id"]) <= ids, name
    p = f["projects"]
    assert (p["end_date"] >= p["start_date"]).all()
    assert p["percent_complete"].between(0, 100).all()
    assert (p["budget"] >= 0).all()
    assert f["status_reports"]["percent_complete"].between(0, 100).all()


def test_some_roles_are_over_allocated(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    load = utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    over = load[load["utilisation"] > 1]
    assert 2 <= over["role"].nunique() <= 8


def test_scale_workbook_has_design_proportions() -> None:
    f, _ = demo.build_demo(2000)
    assert len(f["projects"]) == 2000
    assert len(f["resources"]) == 300 and f["resources"]["role"].nunique() == 25
    assert f["allocations"]["month"].nunique() == 36
    assert 180_000 <= len(f["allocations"]) <= 220_000
    assert len(f["milestones"]) == 10_000 and len(f["risks"]) == 8_000


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_template_labels_map_back_to_their_columns(lang: str) -> None:
    for table, cols in template.LABELS.items():
        for col in cols:
            label = template.header(table, col, lang)
            assert schema.ALL_SHEETS[table].match_header(label) == col, (table, col, label)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_template_has_every_sheet_and_imports_cleanly(lang: str) -> None:
    data = template.template_bytes(lang)
    r = read_file(data, filename="template.xlsx")
    sheets = pd.ExcelFile(io.BytesIO(data)).sheet_names
    for t in schema.TABLES.values():
        assert t.sheet_name(lang) in sheets
    assert schema.find_table(sheets[0]) is None  # the read-me is not mistaken for a table
    assert r.counts["projects"] == 0


def test_formula_like_text_is_written_as_text(tmp_path: Path) -> None:
    frames = {
        "projects": schema.conform(
            "projects",
            pd.DataFrame(
                {
                    "project_id": ["P1"],
                    "name": ['=HYPERLINK("http://x","y")'],
                    "description": ["+33 1"],
                }
            ),
        )
    }
    out = tmp_path / "x.xlsx"
    template.write_workbook(frames, {}, out)
    import openpyxl

    ws = openpyxl.load_workbook(out)["Projets"]
    assert ws["B2"].value == '=HYPERLINK("http://x","y")'
    assert ws["B2"].data_type == "s"  # a string, never a formula
