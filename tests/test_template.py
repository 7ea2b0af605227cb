"""The import template and the workbook writer: labels that import back, safe text, formats."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_core import schema
from pmo_core.ingest import read_file, template

COLUMNS = [
    (table, col.name, lang)
    for table, t in schema.ALL_SHEETS.items()
    for col in t.columns
    for lang in ("fr", "en")
]


def _projects(**cols: list[object]) -> dict[str, pd.DataFrame]:
    base: dict[str, list[object]] = {"project_id": ["P1"], "name": ["Projet"]}
    return {"projects": schema.conform("projects", pd.DataFrame({**base, **cols}))}


def _sheet(data: bytes | Path, name: str) -> openpyxl.worksheet.worksheet.Worksheet:
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    return openpyxl.load_workbook(src)[name]


# ------------------------------------------------------------------ labels


@pytest.mark.parametrize(("table", "column", "lang"), COLUMNS)
def test_every_label_maps_back_to_its_column(table: str, column: str, lang: str) -> None:
    label = template.header(table, column, lang)
    assert schema.ALL_SHEETS[table].match_header(label) == column
    assert schema.ALL_SHEETS[table].match_header(label + " *") == column  # starred too


def test_labels_cover_exactly_the_canonical_columns() -> None:
    assert set(template.LABELS) == set(schema.ALL_SHEETS)
    for table, t in schema.ALL_SHEETS.items():
        assert list(template.LABELS[table]) == t.column_names, table


@pytest.mark.parametrize(
    ("table", "column", "fr", "en"),
    [
        ("projects", "project_id", "Code projet", "Project ID"),
        ("projects", "start_date", "Date de début", "Start date"),
        ("projects", "budget", "Budget (BAA)", "Budget (BAC)"),
        ("status_reports", "rag", "Météo", "RAG status"),
    ],
)
def test_labels_speak_the_pmo_words(table: str, column: str, fr: str, en: str) -> None:
    assert template.header(table, column, "fr") == fr
    assert template.header(table, column, "en") == en


# ------------------------------------------------------------------ the empty template


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_template_has_a_read_me_then_every_sheet_and_imports_cleanly(lang: str) -> None:
    data = template.template_bytes(lang)
    sheets = pd.ExcelFile(io.BytesIO(data)).sheet_names
    assert sheets[0] == ("Lisez-moi" if lang == "fr" else "Read me")
    assert schema.find_table(sheets[0]) is None  # the read-me is not mistaken for a table
    assert sheets[1:] == [t.sheet_name(lang) for t in schema.ALL_SHEETS.values()]
    r = read_file(data, filename="template.xlsx")
    assert r.ok and all(n == 0 for n in r.counts.values())
    assert not [i for i in r.issues if i.severity == "error"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_template_stars_required_headers_only(lang: str) -> None:
    ws = _sheet(template.template_bytes(lang), schema.TABLES["projects"].sheet_name(lang))
    headers = [c.value for c in ws[1]]
    starred = [h for h in headers if h.endswith(" *")]
    assert starred == [template.header("projects", c, lang) + " *" for c in ("project_id", "name")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["En cours", "Suspendu", "Vert", "Orange", "Rouge", "Extrême", "1/9", "Oui"]),
        ("en", ["in progress", "on hold", "Amber", "Extreme", "1/9", "yes"]),
    ],
)
def test_read_me_lists_accepted_values_and_required_columns(lang: str, words: list[str]) -> None:
    ws = _sheet(template.template_bytes(lang), "Lisez-moi" if lang == "fr" else "Read me")
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for word in words:
        assert word in text, word
    for t in schema.ALL_SHEETS.values():
        assert t.sheet_name(lang) in text
    assert template.header("risks", "probability", lang) in text  # a required column


def test_template_bytes_are_deterministic() -> None:
    assert template.template_bytes("fr") == template.template_bytes("fr")
    assert template.template_bytes("fr") != template.template_bytes("en")


# ------------------------------------------------------------------ writing frames


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_text_is_written_as_a_string(prefix: str, tmp_path: Path) -> None:
    text = prefix + 'HYPERLINK("http://x","y")'
    out = tmp_path / "x.xlsx"
    template.write_workbook(_projects(name=[text], description=["=1+1"]), {"k": "=2+2"}, out)
    ws = _sheet(out, "Projets")
    assert ws["B2"].data_type == "s"
    # openpyxl leaves OOXML's escape of a carriage return (_x000D_) as it is.
    assert ws["B2"].value in (text, text.replace("\r", "_x000D_"))
    desc = 1 + schema.TABLES["projects"].column_names.index("description")
    assert ws.cell(2, desc).data_type == "s"
    assert _sheet(out, "Paramètres")["B2"].data_type == "s"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
        | st.sampled_from("=+-@"),
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip() != "")
)
def test_any_text_comes_back_as_the_same_string(text: str) -> None:
    buf = io.BytesIO()
    template.write_workbook(_projects(name=[text]), {}, buf)
    cell = _sheet(buf.getvalue(), "Projets")["B2"]
    assert cell.data_type == "s" and cell.value == text


def test_dates_amounts_and_percent_have_their_formats(tmp_path: Path) -> None:
    frames = _projects(
        start_date=[pd.Timestamp("2026-01-15")],
        budget=[1_234_567.0],
        percent_complete=[45.5],
        mandatory=[True],
    )
    out = tmp_path / "x.xlsx"
    template.write_workbook(frames, {}, out, lang="fr")
    ws = _sheet(out, "Projets")
    col = {c: i + 1 for i, c in enumerate(schema.TABLES["projects"].column_names)}
    start = ws.cell(2, col["start_date"])
    assert start.is_date and start.number_format == "dd/mm/yyyy"
    assert start.value.date().isoformat() == "2026-01-15"
    budget = ws.cell(2, col["budget"])
    assert budget.value == 1_234_567 and budget.number_format == "#,##0"
    assert ws.cell(2, col["percent_complete"]).value == 45.5  # 0-100, not a % cell
    assert ws.cell(2, col["mandatory"]).value == "Oui"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref is not None
    assert ws["A1"].font.b


def test_months_are_real_dates_with_a_month_format(tmp_path: Path) -> None:
    alloc = schema.conform(
        "allocations",
        pd.DataFrame(
            {"project_id": ["P1"], "role": ["Dev"], "month": ["2026-03-01"], "hours": [10.0]}
        ),
    )
    out = tmp_path / "x.xlsx"
    template.write_workbook({**_projects(), "allocations": alloc}, {}, out, lang="en")
    cell = _sheet(out, "Allocations")["D2"]
    assert cell.is_date and cell.number_format == "yyyy-mm"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_written_frames_import_back_unchanged(lang: str) -> None:
    frames = _projects(
        status=["on_hold"],
        start_date=[pd.Timestamp("2026-01-15")],
        end_date=[pd.Timestamp("2026-12-31")],
        budget=[250_000.0],
        percent_complete=[12.5],
        mandatory=[False],
        rag_override=["R"],
    )
    buf = io.BytesIO()
    template.write_workbook(frames, {"as_of": "2026-10-31", "currency": "EUR"}, buf, lang)
    ws = _sheet(buf.getvalue(), schema.TABLES["projects"].sheet_name(lang))
    words = [c.value for c in ws[2]]  # codes are written as a PMO writes them
    assert ("Suspendu" if lang == "fr" else "On hold") in words
    assert ("Rouge" if lang == "fr" else "Red") in words
    r = read_file(buf.getvalue(), filename="x.xlsx")
    assert r.ok, [i for i in r.issues if i.severity == "error"]
    pd.testing.assert_frame_equal(r.frames["projects"], frames["projects"], check_dtype=False)
    assert r.as_of is not None and r.as_of.isoformat() == "2026-10-31"


def test_same_frames_write_the_same_bytes() -> None:
    a, b = io.BytesIO(), io.BytesIO()
    frames = _projects(start_date=[pd.Timestamp("2026-01-15")])
    template.write_workbook(frames, {"as_of": "2026-10-31"}, a)
    template.write_workbook(frames, {"as_of": "2026-10-31"}, b)
    assert a.getvalue() == b.getvalue()
