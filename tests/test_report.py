"""The steering pack read back: Excel cells, colours and formats; HTML; PDF; CLI; and the
formula-injection guard on every export."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pmo_core import kpi, report, store
from pmo_core.charts.theme import BAND_COLORS, NO_RAG, RAG_COLORS
from pmo_core.errors import UsageError
from pmo_core.export_safety import safe_cell, safe_frame
from pmo_core.kpi import risk
from pmo_core.optimize import scenarios
from tests.conftest import DEMO, ROOT

LINK = '=HYPERLINK("http://evil.example","clic")'
TAG = "<script>alert(1)</script> & Co"
CMD = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"


@pytest.fixture(scope="module")
def two_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook (snapshot 1), then snapshot 2 = the same with hostile texts and
    PRJ-008's budget raised by 100 000 (the only budget change). Its own store: the
    shared demo fixture's snapshots may change."""
    from pmo_core.ingest import pipeline

    db = tmp_path_factory.mktemp("report") / "pmo.duckdb"
    pipeline.import_file(DEMO, who="tests", path=db)
    snap = store.get_snapshot(1, path=db)
    f = {name: df.copy() for name, df in snap.frames.items()}
    p = f["projects"]
    p.loc[p["project_id"] == "PRJ-001", "name"] = LINK
    p.loc[p["project_id"] == "PRJ-002", "name"] = TAG
    p.loc[p["project_id"] == "PRJ-006", "manager"] = AT_SUM
    p.loc[p["project_id"] == "PRJ-008", "budget"] += 100_000
    top = risk.top_risks(f["risks"], 1)["risk_id"][0]  # shown in the pack
    f["risks"].loc[f["risks"]["risk_id"] == top, "title"] = CMD
    store.commit_snapshot(
        f, source="hostile.xlsx", as_of=snap.as_of, settings=snap.settings, path=db
    )
    return db


@pytest.fixture(scope="module")
def pack_fr(two_snapshots: Path) -> openpyxl.Workbook:
    body = report.build_report(2, "xlsx", lang="fr", path=two_snapshots)
    return openpyxl.load_workbook(io.BytesIO(body))


def _cover(wb: openpyxl.Workbook) -> dict[str, tuple[object, object, object]]:
    ws = wb.worksheets[1]  # after the highlight report
    return {
        str(r[0].value): (r[1].value, r[2].value, r[3].value)
        for r in ws.iter_rows(min_row=7)
        if r[0].value
    }


def _row_of(ws, value: str, column: int = 1) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_row=2):
        if row[column - 1].value == value:
            return int(row[0].row)
    raise AssertionError(f"{value} not in {ws.title}")


# ---------------------------------------------------------------------------- safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        (LINK, "'" + LINK),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-2+3", "'-2+3"),
        (AT_SUM, "'" + AT_SUM),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("", ""),
        ("a=b", "a=b"),
        ("Budget -10 %", "Budget -10 %"),
        (-5.5, -5.5),
        (None, None),
        (date(2026, 10, 31), date(2026, 10, 31)),
    ],
)
def test_safe_cell_quotes_only_text_a_spreadsheet_would_evaluate(
    value: object, expected: object
) -> None:
    assert safe_cell(value) == expected


def test_safe_frame_keeps_numbers_and_quotes_text_and_labels() -> None:
    df = pd.DataFrame({"name": [LINK, "ok"], "cost": [-100.0, 2.5], "=x": ["-", None]})
    out = safe_frame(df)
    assert out["name"].tolist() == ["'" + LINK, "ok"]
    assert out["cost"].tolist() == [-100.0, 2.5]  # a negative amount stays a number
    assert list(out.columns) == ["name", "cost", "'=x"]
    assert out["'=x"][0] == "'-" and pd.isna(out["'=x"][1])
    assert df["name"][0] == LINK  # the input is left alone


def test_no_cell_of_the_pack_is_a_formula(pack_fr: openpyxl.Workbook) -> None:
    formulas = [
        (ws.title, c.coordinate)
        for ws in pack_fr.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []


def test_hostile_texts_come_out_quoted_as_text(pack_fr: openpyxl.Workbook) -> None:
    ws = pack_fr["Projets"]
    assert ws.cell(_row_of(ws, "PRJ-001"), 2).value == "'" + LINK
    assert ws.cell(_row_of(ws, "PRJ-006"), 5).value == "'" + AT_SUM
    risks = pack_fr["Risques majeurs"]
    titles = [c.value for c in risks["D"]]
    assert ("'" + CMD) in titles and CMD not in titles


def test_decision_record_quotes_hostile_names(two_snapshots: Path) -> None:
    sid = scenarios.save_scenario(
        "=cmd",
        {"budget": 1_000_000, "value": "alignment"},
        {
            "status": "optimal",
            "selected": ["PRJ-001"],
            "excluded": [{"project_id": "PRJ-002", "reason": "-x"}],
        },
        snapshot_id=2,
        path=two_snapshots,
    )
    saved = scenarios.list_scenarios(two_snapshots)
    row = saved[saved["doc_id"] == sid].iloc[0]
    projects = store.get_snapshot(2, path=two_snapshots).frames["projects"]
    wb = openpyxl.load_workbook(io.BytesIO(scenarios.decision_record_xlsx(row, projects, "en")))
    values = {c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r}
    assert {"'=cmd", "'" + LINK, "'-x"} <= values
    assert not {"=cmd", LINK, "-x"} & values
    store.delete_document("scenario", sid, path=two_snapshots)


# ---------------------------------------------------------------------------- Excel


def test_cover_figures_equal_the_cli_kpis(pack_fr: openpyxl.Workbook, two_snapshots: Path) -> None:
    now = kpi.kpis_document(store.get_snapshot(2, path=two_snapshots))["portfolio"]
    before = kpi.kpis_document(store.get_snapshot(1, path=two_snapshots))["portfolio"]
    cover = _cover(pack_fr)
    for label, key in [
        ("Projets", "projects"),
        ("En exécution", "projects_in_execution"),
        ("Budget (BAA)", "bac"),
        ("Estimation à l'achèvement", "eac"),
        ("IPD", "spi"),
        ("IPC", "cpi"),
        ("Projets en rouge", "red_projects"),
        ("Projets en orange", "amber_projects"),
        ("Exposition aux risques", "risk_exposure"),
    ]:
        value, previous, change = cover[label]
        assert value == pytest.approx(now[key]), label
        assert previous == pytest.approx(before[key]), label
        assert change == pytest.approx(now[key] - before[key], abs=1e-9), label
    # The only budget change between the snapshots: PRJ-008 (in progress) +100 000.
    assert cover["Budget (BAA)"][2] == pytest.approx(100_000)
    assert cover["Projets"] == (60, 60, 0)


def test_cover_says_snapshot_and_scope(pack_fr: openpyxl.Workbook) -> None:
    assert pack_fr.worksheets[0].title == "Rapport de situation"  # PRINCE2's, first
    ws = pack_fr.worksheets[1]
    assert ws.title == "Synthèse"
    assert ws["A1"].value == "Dossier du comité de pilotage"
    assert "Photo n°2" in ws["A2"].value and "photo n°1" in ws["A2"].value
    assert ws["B4"].value == "Tous les projets"
    assert ws["B3"].number_format == "dd/mm/yyyy"


def test_rag_cells_are_filled_with_the_app_colours(
    pack_fr: openpyxl.Workbook, two_snapshots: Path
) -> None:
    k = kpi.snapshot_kpis(store.get_snapshot(2, path=two_snapshots)).set_index("project_id")
    ws = pack_fr["Projets"]
    col = [c.value for c in ws[1]].index("Météo") + 1
    for code, word in (("R", "Rouge"), ("A", "Orange"), ("G", "Vert")):
        pid = k.index[k["rag"] == code][0]
        cell = ws.cell(_row_of(ws, pid), col)
        assert cell.value == word
        assert cell.fill.fgColor.rgb == "FF" + RAG_COLORS[code].lstrip("#").upper()
    proposed = k.index[k["rag"].isna()][0]
    assert ws.cell(_row_of(ws, proposed), col).value is None
    # Red first, then amber, then green, then the rest.
    order = [c.value for c in ws[chr(ord("A") + col - 1)][1:]]
    first_green = order.index("Vert")
    assert "Rouge" not in order[first_green:] and order[0] == "Rouge"


def test_every_table_has_frozen_headers_and_filters(pack_fr: openpyxl.Workbook) -> None:
    expected = {
        "Synthèse": "A7",
        "Projets": "A2",
        "Jalons": "A2",
        "Risques majeurs": "A2",
        "Prévisions": "A2",
        "Plan de charge": "B2",
        "Journal d'audit": "A2",
    }
    # The highlight report first: a page of several small blocks, no one table to filter.
    assert pack_fr.sheetnames == ["Rapport de situation", *expected]
    for name, pane in expected.items():
        assert pack_fr[name].freeze_panes == pane, name
        assert pack_fr[name].auto_filter.ref, name


def test_french_and_english_number_and_date_formats(
    pack_fr: openpyxl.Workbook, two_snapshots: Path
) -> None:
    en = openpyxl.load_workbook(
        io.BytesIO(report.build_report(2, "xlsx", lang="en", path=two_snapshots))
    )
    fr_ws, en_ws = pack_fr["Projets"], en["Projects"]
    fr_head = [c.value for c in fr_ws[1]]
    en_head = [c.value for c in en_ws[1]]
    row_fr, row_en = _row_of(fr_ws, "PRJ-008"), _row_of(en_ws, "PRJ-008")

    def fmt(ws, row: int, head: list, label: str) -> str:  # type: ignore[no-untyped-def, type-arg]
        return str(ws.cell(row, head.index(label) + 1).number_format)

    assert fmt(fr_ws, row_fr, fr_head, "Budget (BAA)") == '#,##0 "€"'  # 1 234 €
    assert fmt(en_ws, row_en, en_head, "Budget (BAC)") == '"€"#,##0'  # €1,234
    assert fmt(fr_ws, row_fr, fr_head, "Fin") == "dd/mm/yyyy"
    assert fmt(en_ws, row_en, en_head, "End") == "d mmm yyyy"
    assert fmt(fr_ws, row_fr, fr_head, "Avancement") == "0\\ %"  # 45 %
    assert fmt(en_ws, row_en, en_head, "Progress") == "0%"
    assert fmt(fr_ws, row_fr, fr_head, "IPD") == "0.00"
    # Real numbers and dates, not text.
    bac = fr_ws.cell(row_fr, fr_head.index("Budget (BAA)") + 1).value
    assert bac == pytest.approx(220_000 + 100_000)
    end = fr_ws.cell(row_fr, fr_head.index("Fin") + 1).value
    assert isinstance(end, datetime | date)
    cover_change = pack_fr["Synthèse"]["D9"]  # Budget (BAA): change
    assert cover_change.number_format.startswith('+#,##0 "€"')


def test_cover_change_too_small_to_show_reads_equal(pack_fr: openpyxl.Workbook) -> None:
    # PRJ-008's budget +100 000 moves TCPI from 1,08868 to 1,08782: -0,00086, which the
    # change's 2 decimals show as 0,00. Written as 0.0 under a zero section "=",
    # it reads "=" like the cards; before, the cell held -0.00086 and read "-0.00".
    # A change that shows is written exact (test_cover_figures_equal_the_cli_kpis).
    ws = pack_fr["Synthèse"]
    row = _row_of(ws, "Indice de performance à achever")
    value, previous, change = (ws.cell(row, j) for j in (2, 3, 4))
    assert float(value.value) - float(previous.value) == pytest.approx(-0.00086, abs=1e-5)
    assert change.value == 0.0
    assert change.number_format == '+0.00;-0.00;"="'
    bac_change = ws.cell(_row_of(ws, "Budget (BAA)"), 4)
    assert bac_change.value == 100_000  # a change that shows keeps its sign
    assert bac_change.number_format.endswith(';"="')


def test_late_milestones_are_highlighted(pack_fr: openpyxl.Workbook, two_snapshots: Path) -> None:
    snap = store.get_snapshot(2, path=two_snapshots)
    ms = kpi.milestone_slip(snap.frames["milestones"], snap.as_of)
    n_late = int((ms["days_overdue"] > 0).sum())
    ws = pack_fr["Jalons"]
    fills = [ws.cell(r, 1).fill.fgColor.rgb for r in range(2, ws.max_row + 1)]
    overdue = [ws.cell(r, 9).value for r in range(2, ws.max_row + 1)]
    assert len(fills) == len(ms)
    assert fills.count("FFF8D7DA") == n_late > 0
    for fill, days in zip(fills, overdue, strict=True):
        assert (fill == "FFF8D7DA") == (days > 0)


def test_utilisation_sheet_colours_the_three_bands(pack_fr: openpyxl.Workbook) -> None:
    ws = pack_fr["Plan de charge"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    got = {(r.operator, tuple(r.formula)): r.dxf.fill.fgColor.rgb for r in rules}
    hexes = {k: "FF" + v.lstrip("#").upper() for k, v in BAND_COLORS.items()}
    assert got == {
        ("lessThan", ("0.8",)): hexes["low"],
        ("between", ("0.8", "1")): hexes["ok"],
        ("greaterThan", ("1",)): hexes["over"],
    }
    assert ws["B2"].number_format == "0\\ %"
    assert 0 <= ws["B2"].value < 5  # a ratio, 1.0 = 100 %


def test_audit_log_and_scenario_sheets(two_snapshots: Path) -> None:
    sid = scenarios.save_scenario(
        "Budget 10 M",
        {"budget": 10_000_000, "value": "alignment"},
        {
            "status": "optimal",
            "selected": ["PRJ-003"],
            "excluded": [{"project_id": "PRJ-004", "reason": "Budget"}],
        },
        snapshot_id=2,
        who="tests",
        path=two_snapshots,
    )
    try:
        body = report.build_report(2, "xlsx", lang="en", scenario_id=sid, path=two_snapshots)
        wb = openpyxl.load_workbook(io.BytesIO(body))
        ws = wb["Scenario"]
        assert ws["B2"].value == "Budget 10 M"
        assert ws["B4"].value == 10_000_000
        values = [c.value for r in ws.iter_rows() for c in r]
        assert "PRJ-003" in values and "PRJ-004" in values
        audit = wb["Audit log"]
        actions = [c.value for c in audit["C"][1:]]
        # The stored codes (import, save_scenario) in words, as the Import page shows them.
        assert actions.count("Import") == 2 and "Scenario saved" in actions
        assert audit.max_row - 1 == len(store.audit_log(two_snapshots))
    finally:
        store.delete_document("scenario", sid, path=two_snapshots)
    with pytest.raises(UsageError):
        report.build_report(2, "xlsx", scenario_id=9999, path=two_snapshots)


def test_scope_limits_every_figure(two_snapshots: Path) -> None:
    data = report.collect(2, lang="en", project_ids=["PRJ-002", "PRJ-008"], path=two_snapshots)
    k = kpi.snapshot_kpis(store.get_snapshot(2, path=two_snapshots)).set_index("project_id")
    assert data.figures["projects"] == 2
    assert data.figures["bac"] == pytest.approx(k.loc["PRJ-002", "bac"] + k.loc["PRJ-008", "bac"])
    assert data.figures["bac"] == pytest.approx(102_000 + 320_000)
    assert set(data.milestones["project_id"]) <= {"PRJ-002", "PRJ-008"}
    assert set(data.risks["project_id"]) <= {"PRJ-002", "PRJ-008"}
    assert data.previous_figures is not None and data.previous_figures["bac"] == pytest.approx(
        102_000 + 220_000
    )


def test_rag_reasons_by_hand() -> None:
    k = pd.DataFrame(
        {
            "project_id": ["A", "B", "C", "D"],
            "rag_overridden": [False, True, False, False],
            "rag_reason": [None, "=Arbitrage", None, None],
            "rag_schedule": ["R", "G", "G", "A"],
            "rag_cost": ["A", "G", None, "G"],
            "rag_milestones": ["G", "G", "R", "G"],
            "rag_quality": [None, None, "A", None],
            "spi_t": [0.8, 1.0, 1.0, None],  # D: no SPI(t), rated on its SPI
            "spi": [0.7, 1.0, 1.0, 0.9],
            "cpi": [0.9, 1.0, 1.0, 1.0],
        }
    )
    ms = pd.DataFrame({"project_id": ["C", "C"], "days_overdue": [12, 95]})
    out = report.rag_reasons(k, ms, "en").tolist()
    # A's schedule is rated on its SPI(t) 0.80 (its SPI is 0.70): named so; before, the
    # 0.80 was labelled "SPI". D has no SPI(t): its SPI 0.90 is the figure.
    assert out == [
        "schedule: SPI(t) 0.80; cost: CPI 0.90",
        "Weather set by hand: =Arbitrage",
        "milestones: 95 days overdue; quality: Amber in the latest report",
        "schedule: SPI 0.90",
    ]
    # French: a space before the semicolon and the colon, decimal commas.
    fr = report.rag_reasons(k, ms, "fr").tolist()
    assert fr[0] == "délais : IPD(t) 0,80 ; coûts : IPC 0,90"
    assert fr[3] == "délais : IPD 0,90"


# ---------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def page_fr(two_snapshots: Path) -> str:
    return report.build_report(2, "html", lang="fr", path=two_snapshots).decode("utf-8")


def test_html_needs_no_network(page_fr: str) -> None:
    assert not re.search(r"<script[^>]*\ssrc=", page_fr)
    assert not re.search(r"<link[^>]*https?://", page_fr)
    assert page_fr.count("Plotly.newPlot") == 2
    assert len(re.findall(r"\* plotly\.js v\d", page_fr)) == 1  # the library, inlined once


def test_html_escapes_user_text(page_fr: str, two_snapshots: Path) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page_fr
    assert "<script>alert(1)" not in page_fr
    # PRJ-002 is red (set by hand): listed with its reason.
    assert "Arbitrage COPIL" in page_fr


def test_html_shows_the_cover_figures_and_changes(page_fr: str, two_snapshots: Path) -> None:
    from pmo_core.i18n import fmt_money, fmt_number

    port = kpi.kpis_document(store.get_snapshot(2, path=two_snapshots))["portfolio"]
    cards = dict(
        re.findall(r'<div class="label">([^<]+)</div><div class="value">([^<]+)</div>', page_fr)
    )
    assert cards["Projets en rouge"] == fmt_number(port["red_projects"], "fr")
    assert cards["Budget (BAA)"] == fmt_money(port["bac"], "fr", compact=True)
    assert cards["IPD"] == fmt_number(port["spi"], "fr", 2)
    assert "+100\u00a0k€ depuis la n°1" in page_fr  # the budget card's change
    assert "1 changement de budget" in page_fr  # the plural mark resolved from n = 1
    assert "@page { size: A4 landscape" in page_fr
    assert "Jalons en retard ou qui glissent" in page_fr and "Risques majeurs" in page_fr


# ---------------------------------------------------------------------------- PDF and CLI


def test_report_format_by_extension() -> None:
    assert [report.report_format(p) for p in ("a.xlsx", "b.HTML", "c.pdf")] == [
        "xlsx",
        "html",
        "pdf",
    ]
    with pytest.raises(UsageError):
        report.report_format("pack.docx")


def test_pdf_without_chromium_says_how_to_get_it(
    two_snapshots: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PMO_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(report.ReportError, match="apt-get install chromium"):
        report.build_report(2, tmp_path / "pack.pdf", path=two_snapshots)
    assert not (tmp_path / "pack.pdf").exists()


@pytest.fixture(scope="module")
def pdf_en(two_snapshots: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The English pack printed once by Chromium (written to a file, as the CLI does)."""
    if report.find_chromium() is None:
        if os.environ.get("PMO_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium missing and PMO_REQUIRE_BROWSER=1")
        pytest.skip("Chromium not installed")
    out = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    body = report.build_report(2, out, lang="en", path=two_snapshots)
    assert out.read_bytes() == body and body.startswith(b"%PDF")
    return body


def _pdf_pages(body: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(body)).pages]


def test_pdf_pages_are_numbered_in_the_pack_language(pdf_en: bytes) -> None:
    pages = _pdf_pages(pdf_en)
    total = len(pages)
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in text


def test_number_pages_writes_page_n_of_total_on_each_page() -> None:
    # Three blank A4 landscape pages (842 x 595 pt): each gets its number, in French.
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(3):
        w.add_blank_page(842, 595)
    raw = io.BytesIO()
    w.write(raw)
    assert _pdf_pages(raw.getvalue()) == ["", "", ""]
    numbered = report.number_pages(raw.getvalue(), "fr")
    assert [p.strip() for p in _pdf_pages(numbered)] == [
        "Page 1 sur 3",
        "Page 2 sur 3",
        "Page 3 sur 3",
    ]


def test_pdf_is_printed_a4_landscape(pdf_en: bytes) -> None:
    body = pdf_en
    pages = re.findall(rb"/Type\s*/Page\b", body)
    assert len(pages) >= 3
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", body)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape
    assert {round(float(w)) for w, _ in boxes} == {842}  # A4: 297 mm = 842 pt
    from pypdf import PdfReader

    # The page's <title>, kept in the document's information when the numbers are written.
    title = PdfReader(io.BytesIO(body)).metadata.title
    assert title is not None and title.startswith("Steering committee pack")


def test_pdf_text_holds_the_figures_the_names_and_one_section_per_page(
    pdf_en: bytes, two_snapshots: Path
) -> None:
    from pmo_core.i18n import fmt_money, fmt_number

    pages = _pdf_pages(pdf_en)
    port = kpi.kpis_document(store.get_snapshot(2, path=two_snapshots))["portfolio"]
    first = pages[0]
    assert (
        first.startswith("Steering committee pack\nSnapshot #2 as of 31 Oct 2026")
        and "Highlight report\nStatus summary" in first
    )  # PRINCE2's highlight report first
    starts = [p.split("\n", 1)[0] for p in pages]
    first = pages[starts.index("Key figures")]  # then the cover's cards on their own page
    # The cover cards, label then value, as the HTML shows them.
    for label, value in [
        ("In execution", fmt_number(port["projects_in_execution"], "en")),
        ("Budget (BAC)", fmt_money(port["bac"], "en", compact=True)),
        ("SPI", fmt_number(port["spi"], "en", 2)),
        ("CPI", fmt_number(port["cpi"], "en", 2)),
        ("Red projects", fmt_number(port["red_projects"], "en")),
    ]:
        assert f"\n{label}\n{value}\n" in first, (label, value)
    # Snapshot 2 raised PRJ-008's budget by 100 000: the only budget change.
    assert "+€100k since #1" in first
    # PRJ-002, red by hand, is listed under its hostile name, printed as plain text.
    assert TAG in first and "Arbitrage COPIL" in first
    text = "\n".join(pages)
    assert "1 budget change" in text and "budget change(s)" not in text
    # Same weather in both snapshots: the 26 projects without a RAG (not started) are no
    # "weather change" either (pandas reads None != None as true).
    assert "0 weather changes" in text  # English: 0 is plural
    # Milestones and capacity each open a page (the print stylesheet's page breaks), and
    # the capacity heat map is the last page: its percentages are text, not an image.
    starts = [p.split("\n", 1)[0] for p in pages]
    assert "Late and slipping milestones" in starts
    assert starts[-1] == "Capacity" and "%" in pages[-1]
    assert starts.index("Late and slipping milestones") > starts.index("Key figures") >= 1
    assert 4 <= len(pages) <= 11


def test_cli_report_writes_the_file_and_prints_json(two_snapshots: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.xlsx"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo_core",
            "report",
            "--db",
            str(two_snapshots),
            "--snapshot",
            "2",
            "--out",
            str(out),
            "--lang",
            "fr",
            "--programme",
            "Expérience client",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc == {"out": str(out), "format": "xlsx", "bytes": out.stat().st_size}
    p = store.get_snapshot(2, path=two_snapshots).frames["projects"]
    n = int((p["program"] == "Expérience client").sum())
    wb = openpyxl.load_workbook(out)
    assert _cover(wb)["Projets"][0] == n > 0
    assert wb["Projets"].max_row - 1 == n


# ------------------------------------------------- formula injection from imported data

#: Red projects of the demo renamed, in the workbook a department uploads.
HOSTILE = {
    "PRJ-002": '=HYPERLINK("http://x","y")',
    "PRJ-017": "+cmd",
    "PRJ-018": "@SUM(1)",
    "PRJ-025": "-2+3",
}


def _hostile_workbook(forced_rag: str | None = None) -> bytes:
    """The demo workbook with :data:`HOSTILE` names typed in as text cells (and PRJ-004's
    forced weather set to ``forced_rag``: an error of the validation report)."""
    wb = openpyxl.load_workbook(DEMO)
    ws = wb["Projets"]
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}

    def put(pid: str, column: str, text: str) -> None:
        cell = ws.cell(rows[pid], header.index(column) + 1)
        cell.value, cell.data_type = text, "s"  # text as typed, not a formula

    for pid, name in HOSTILE.items():
        put(pid, "Nom du projet", name)
    if forced_rag is not None:
        put("PRJ-004", "Météo forcée", forced_rag)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def imported_hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the hostile names as typed. The import now refuses them (issue 16;
    see the test below), so they are committed as read, bypassing the refusal: what a
    store written by an earlier release holds, and what every export must still escape."""
    from pmo_core.ingest import pipeline

    db = tmp_path_factory.mktemp("hostile") / "pmo.duckdb"
    result = pipeline.validate_file(_hostile_workbook(), filename="hostile.xlsx")
    store.commit_snapshot(
        result.frames,
        source="hostile.xlsx",
        as_of=date(2026, 10, 31),
        settings=result.settings,
        path=db,
    )
    return db


def test_the_import_refuses_hostile_names_saying_where_and_how_to_fix() -> None:
    from pmo_core.ingest import pipeline

    result = pipeline.validate_file(_hostile_workbook(), filename="hostile.xlsx")
    assert not result.ok
    issues = result.issues_frame("en")
    names = issues[issues["column"] == "Nom du projet"]
    assert sorted(names["value"]) == sorted(HOSTILE.values())
    assert set(names["severity"]) == {"error"} and set(names["sheet"]) == {"Projets"}
    assert all("Remove the leading character or rename the id" in m for m in names["message"])
    assert len(issues) == len(HOSTILE)  # nothing else in the demo workbook is refused


def _cells(body: bytes) -> list[tuple[str, object, str]]:
    """(sheet!cell, value, data_type) of every non-empty cell of a workbook."""
    wb = openpyxl.load_workbook(io.BytesIO(body))
    return [
        (f"{ws.title}!{c.coordinate}", c.value, c.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]


def _assert_hostile_as_text(body: bytes, quoted: bool = True) -> set[str]:
    """No formula anywhere; every hostile name in a text cell (quoted with ' when
    ``quoted``). Returns the names found."""
    cells = _cells(body)
    assert [where for where, _, kind in cells if kind == "f"] == []
    found = set()
    for where, value, kind in cells:
        if not isinstance(value, str):
            continue
        for name in HOSTILE.values():
            if name in value:
                assert kind == "s", where
                if quoted:
                    assert value == "'" + name, (where, value)
                found.add(name)
    return found


def test_hostile_names_in_a_store_are_kept_as_typed(imported_hostile: Path) -> None:
    p = store.get_snapshot(path=imported_hostile).frames["projects"].set_index("project_id")
    assert {pid: p.loc[pid, "name"] for pid in HOSTILE} == HOSTILE
    # All four are red: the HTML lists them with their reasons.
    k = kpi.snapshot_kpis(store.get_snapshot(path=imported_hostile)).set_index("project_id")
    assert k.loc[list(HOSTILE), "rag"].tolist() == ["R"] * 4


def test_pack_xlsx_writes_imported_hostile_names_as_quoted_text(imported_hostile: Path) -> None:
    body = report.build_report(None, "xlsx", lang="en", path=imported_hostile)
    assert _assert_hostile_as_text(body) == set(HOSTILE.values())
    wb = openpyxl.load_workbook(io.BytesIO(body))
    ws = wb["Projects"]
    assert ws.cell(_row_of(ws, "PRJ-002"), 2).value == "'" + HOSTILE["PRJ-002"]


def test_pack_html_escapes_imported_hostile_names(imported_hostile: Path) -> None:
    import html

    page = report.build_report(None, "html", lang="en", path=imported_hostile).decode("utf-8")
    for name in HOSTILE.values():  # in the red and amber table, quoted as in the Excel pack
        assert "<td>" + html.escape("'" + name) + "</td>" in page, name
    assert '"http://x"' not in page and 'href="http://x"' not in page


def test_decision_record_writes_imported_hostile_names_as_quoted_text(
    imported_hostile: Path,
) -> None:
    sid = scenarios.save_scenario(
        "Copil",
        {"budget": 1_000_000, "value": "alignment"},
        {
            "status": "optimal",
            "selected": ["PRJ-002", "PRJ-017"],
            "excluded": [
                {"project_id": "PRJ-018", "reason": "Over budget"},
                {"project_id": "PRJ-025", "reason": "Over budget"},
            ],
        },
        snapshot_id=1,
        path=imported_hostile,
    )
    saved = scenarios.list_scenarios(imported_hostile)
    row = saved[saved["doc_id"] == sid].iloc[0]
    projects = store.get_snapshot(1, path=imported_hostile).frames["projects"]
    body = scenarios.decision_record_xlsx(row, projects, "en")
    assert _assert_hostile_as_text(body) == set(HOSTILE.values())


def test_import_issues_download_writes_hostile_values_as_quoted_text() -> None:
    from pmo_core.export_safety import frame_xlsx
    from pmo_core.ingest import pipeline

    result = pipeline.validate_file(_hostile_workbook("=1+2"), filename="hostile.xlsx")
    issues = result.issues_frame("en")
    # The forced weather "=1+2" cannot be read: one error, its value the text as typed
    # (the hostile names are refused too: four more errors, each with its name).
    weather = issues[issues["column"] != "Nom du projet"]
    assert weather[["severity", "row", "value"]].values.tolist() == [["error", 5, "=1+2"]]
    cells = _cells(frame_xlsx(issues, "Issues"))
    values = {value: kind for _, value, kind in cells}
    assert values.get("'=1+2") == "s" and "=1+2" not in values
    assert [where for where, _, kind in cells if kind == "f"] == []


def test_requests_template_export_writes_hostile_titles_as_text(tmp_path: Path) -> None:
    from pmo_core import project_requests

    db = tmp_path / "r.duckdb"
    for title in HOSTILE.values():
        project_requests.submit(
            {
                "title": title,
                "department": "@Ventes",
                "sponsor": "DG",
                "budget": 10_000.0,
                "start_date": "2027-01-01",
                "end_date": "2027-06-30",
            },
            who="tests",
            path=db,
        )
    body = project_requests.to_workbook(project_requests.load(db), "fr")
    # A template to fill and re-import: text stays as typed, in text cells (never a
    # formula), so the next import reads the same names back.
    assert _assert_hostile_as_text(body, quoted=False) == set(HOSTILE.values())
    assert ("@Ventes", "s") in {(v, k) for _, v, k in _cells(body)}


# ---------------------------------------------------------------------------- n/a without inputs


@pytest.fixture(scope="module")
def gaps_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issue 14, item 2: a project without end date, one without progress data, one whole
    (as of 1 July 2026, plan 1 Jan -> 31 Dec 2026 = 181 / 364 days elapsed)."""
    from pmo_core import schema

    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["NOEND", "NOPROGRESS", "FULL"],
                "name": ["Sans fin", "Sans avancement", "Complet"],
                "status": ["in_progress"] * 3,
                "start_date": ["2026-01-01"] * 3,
                "end_date": [None, "2026-12-31", "2026-12-31"],
                "budget": [100_000.0] * 3,
                "actual_cost": [20_000.0, 30_000.0, 50_000.0],
                "percent_complete": [40.0, None, 60.0],
            }
        ),
    )
    db = tmp_path_factory.mktemp("gaps") / "pmo.duckdb"
    store.commit_snapshot({"projects": projects}, source="gaps", as_of=date(2026, 7, 1), path=db)
    return db


def test_pack_writes_na_not_zero_and_no_rating_in_grey(gaps_db: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(report.build_report(1, "xlsx", lang="fr", path=gaps_db)))
    ws = wb["Projets"]
    head = [c.value for c in ws[1]]

    def cell(pid: str, label: str):  # type: ignore[no-untyped-def]
        return ws.cell(_row_of(ws, pid), head.index(label) + 1)

    # No end date: PV, SPI and SPI(t) n/d (before: PV = BAC, SPI 0.40, red); CPI 2.0 stays.
    for label in ("Valeur planifiée (VP)", "IPD", "IPD(t)", "Fin prévisionnelle"):
        assert cell("NOEND", label).value in ("n/d", None), label
    assert cell("NOEND", "IPD").value == "n/d"
    assert cell("NOEND", "IPC").value == 2.0
    assert cell("NOEND", "Météo").value == "Vert"  # cost is the one rated dimension
    # No progress data: EV, CPI, EAC n/d, no rating in grey, and the reason said.
    for label in ("Valeur acquise (VA)", "IPC", "Estimation à l'achèvement"):
        assert cell("NOPROGRESS", label).value == "n/d", label
    weather = cell("NOPROGRESS", "Météo")
    assert weather.value == "Sans météo"
    assert weather.fill.fgColor.rgb == "FF" + NO_RAG.lstrip("#").upper()
    assert cell("NOPROGRESS", "Délais").value == "Sans météo"
    assert "pas de donnée d'avancement" in cell("NOPROGRESS", "Pourquoi").value
    assert "pas de date de début ou de fin" in cell("NOEND", "Pourquoi").value
    assert cell("FULL", "IPD").value == pytest.approx(1.206630, abs=1e-6)  # 60 000 / 49 725.27


def test_pack_cover_says_how_many_projects_each_figure_leaves_out(gaps_db: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(report.build_report(1, "xlsx", lang="fr", path=gaps_db)))
    ws = wb["Synthèse"]
    assert ws["E6"].value == "Exclus"
    rows = {
        str(r[0].value): [c.value for c in r[1:5]] for r in ws.iter_rows(min_row=7) if r[0].value
    }
    # Portfolio SPI over FULL only (the one with EV and PV): 60 000 / 49 725.27.
    value, previous, _, left_out = rows["IPD"]
    assert value == pytest.approx(1.206630, abs=1e-6)
    assert previous is None  # no earlier snapshot: nothing to compare, not "n/d"
    assert left_out == "2 projets exclus : indicateur non défini pour eux"
    # CPI over NOEND and FULL: (40 000 + 60 000) / (20 000 + 50 000) = 1.428571.
    assert rows["IPC"][0] == pytest.approx(1.428571, abs=1e-6)
    assert rows["IPC"][3] == "1 projet exclu : indicateur non défini pour eux"
    assert rows["Budget (BAA)"][3] is None  # every budget is known
    assert rows["Projets sans météo"][0] == 1  # NOPROGRESS


def test_pack_html_shows_na_cards_when_no_project_has_ev(tmp_path: Path) -> None:
    from pmo_core import schema

    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["G1", "G2"],
                "name": ["a", "b"],
                "status": ["in_progress"] * 2,
                "start_date": ["2026-01-01"] * 2,
                "end_date": ["2026-12-31"] * 2,
                "budget": [100.0, 200.0],
            }
        ),
    )
    db = tmp_path / "pmo.duckdb"
    store.commit_snapshot({"projects": projects}, source="g", as_of=date(2026, 7, 1), path=db)
    page = report.build_report(1, "html", lang="fr", path=db).decode("utf-8")
    cards = dict(
        re.findall(r'<div class="label">([^<]+)</div><div class="value">([^<]+)</div>', page)
    )
    assert cards["IPD"] == "n/d" and cards["IPC"] == "n/d"  # before: 0,00 and n/d
    assert "2 projets exclus : indicateur non défini pour eux" in page
    # The weather chart's grey bar (plotly writes its JSON in ASCII escapes).
    assert '"name":"Sans m\\u00e9t\\u00e9o"' in page


def test_rag_reasons_name_the_missing_inputs() -> None:
    k = pd.DataFrame(
        {
            "project_id": ["A", "B"],
            "status": ["in_progress", "proposed"],
            "rag_overridden": [False, False],
            "rag_reason": [None, None],
            "rag_schedule": [None, None],
            "rag_cost": [None, None],
            "rag_milestones": [None, None],
            "spi_t": [None, None],
            "spi": [None, None],
            "cpi": [None, None],
            "missing_inputs": ["dates,progress", "progress"],
        }
    )
    out = report.rag_reasons(k, pd.DataFrame(columns=["project_id", "days_overdue"]), "en")
    assert out.tolist() == ["n/a for want of data: no start or end date; no progress data", ""]


def test_missing_input_words_have_french() -> None:
    from pmo_core import i18n
    from pmo_core.kpi import evm
    from pmo_core.report import data

    assert set(data.MISSING_WORDS) == set(evm.MISSING_INPUTS)
    for text in [*data.MISSING_WORDS.values(), *evm.MISSING_INPUTS.values()]:
        assert text in i18n.FR, text
