"""Import: the native template, messy French exports, located errors, refused files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_core import ingest
from pmo_core.ingest import read_file, reader
from tests.conftest import errors, workbook

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_portfolio.xlsx"


HEADER_FR = [
    "Code projet",
    "Nom du projet",
    "Statut",
    "Date de début",
    "Date de fin",
    "Budget",
    "Avancement",
    "Obligatoire",
]


def test_demo_workbook_imports_without_errors() -> None:
    r = read_file(DEMO)
    assert r.ok, [i.to_dict() for i in errors(r)]
    assert r.counts["projects"] == 60
    # Every table but Priorities (the demo rates its projects in the Alignment sheet).
    assert all(r.counts[t] > 0 for t in r.counts if t != "priorities")
    assert r.counts["priorities"] == 0
    assert r.as_of is not None and r.as_of.isoformat() == "2026-10-31"
    assert r.settings["currency"] == "EUR"
    assert len(r.sha256) == 64


def test_messy_french_export_imports_as_it_is() -> None:
    data = workbook(
        {
            "Export portefeuille": [
                ["Export du portefeuille au 31/10/2026"],
                [],
                HEADER_FR,
                [
                    "P1",
                    "Refonte CRM",
                    "En cours",
                    datetime(2026, 1, 5),
                    "31/12/2026",
                    "1 234,50 €",
                    0.45,
                    "Oui",
                ],
                [None] * 8,
                ["P2", "Paie", "Terminé", "2025-01-01", "2025-12-31", "2 000", "100 %", "non"],
                ["Total", None, None, None, None, "3 234,50", None, None],
            ],
            "Projets": [["Code projet", "Nom"], ["X", "hidden one"]],
            "Notes": [["whatever"], ["free text"]],
        },
        hidden=("Projets",),
        percent_cells={"Export portefeuille": ["G4"]},
    )
    r = read_file(data, filename="export.xlsx")
    assert r.ok, [i.to_dict() for i in errors(r)]
    p = r.frames["projects"]
    assert p["project_id"].tolist() == ["P1", "P2"]
    assert p["status"].tolist() == ["in_progress", "completed"]
    assert p["budget"].tolist() == [1234.5, 2000.0]
    assert p["percent_complete"].tolist() == [45.0, 100.0]  # 0.45 formatted as % is 45
    assert p["start_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-05", "2025-01-01"]
    assert p["end_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-31", "2025-12-31"]
    assert p["mandatory"].tolist() == [True, False]
    texts = [i.template for i in r.issues]
    assert "Totals row skipped." in texts
    assert "Hidden sheet ignored." in texts
    assert any(t.startswith("Sheet not recognised") for t in texts)
    total = next(i for i in r.issues if i.template == "Totals row skipped.")
    assert (total.sheet, total.row) == ("Export portefeuille", 7)


def test_english_headers_and_unknown_columns_are_warned_not_fatal() -> None:
    data = workbook(
        {
            "Projects": [
                ["Project ID", "Project name", "Colour", "Status"],
                ["P1", "CRM", "blue", "Active"],
            ]
        }
    )
    r = read_file(data, filename="en.xlsx")
    assert r.ok
    unknown = [i for i in r.issues if i.template.startswith("Unknown column")]
    assert unknown and unknown[0].column == "Colour" and unknown[0].row == 1


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (
            ["P1", "A", "En cours", "01/01/2026", "31/12/2025", 10, 10, "non"],
            "Date de fin",
            "End date before start date",
        ),
        (
            ["P1", "A", "En cours", "01/01/2026", "31/12/2026", -5, 10, "non"],
            "Budget",
            "Negative amount",
        ),
        (
            ["P1", "A", "En cours", "01/01/2026", "31/12/2026", "beaucoup", 10, "non"],
            "Budget",
            "Cannot read this value",
        ),
        (
            ["P1", "A", "En cours", "01/01/2026", "31/12/2026", 10, 140, "non"],
            "Avancement",
            "between 0 and 100",
        ),
        (
            ["P1", "A", "En cours", "le 3 mars", "31/12/2026", 10, 10, "non"],
            "Date de début",
            "Cannot read this value",
        ),
    ],
)
def test_bad_values_are_errors_located_by_sheet_row_and_column(
    row: list[object], column: str, fragment: str
) -> None:
    r = read_file(workbook({"Projets": [HEADER_FR, row]}), filename="bad.xlsx")
    assert not r.ok
    found = [i for i in errors(r) if fragment in i.template]
    assert found, [i.to_dict() for i in r.issues]
    assert (found[0].sheet, found[0].row, found[0].column) == ("Projets", 2, column)
    assert found[0].text("fr") != found[0].text("en")  # said in the user's language


def test_duplicate_id_is_reported_on_the_second_row() -> None:
    r = read_file(workbook({"Projets": [HEADER_FR, ["P1", "A"], ["P2", "B"], ["P1", "C"]]}))
    dup = [i for i in errors(r) if i.template.startswith("Duplicate")]
    assert [(i.row, i.column, i.value) for i in dup] == [(4, "Code projet", "P1")]


def test_reference_to_an_unknown_project_is_an_error() -> None:
    r = read_file(
        workbook(
            {
                "Projets": [HEADER_FR, ["P1", "A"]],
                "Jalons": [
                    ["Code projet", "Code jalon", "Date de référence"],
                    ["P9", "J1", "01/02/2026"],
                ],
            }
        )
    )
    bad = [i for i in errors(r) if i.template.startswith("Unknown project")]
    assert [(i.sheet, i.row, i.value) for i in bad] == [("Jalons", 2, "P9")]


def test_missing_required_column_is_an_error() -> None:
    r = read_file(
        workbook(
            {
                "Projets": [HEADER_FR, ["P1", "A"]],
                "Risques": [["Code risque", "Code projet", "Risque"], ["R1", "P1", "Retard"]],
            }
        )
    )
    missing = {i.params.get("name") for i in errors(r) if i.template.startswith("Required column")}
    assert missing == {"probability", "impact"}


def test_missing_status_defaults_to_in_progress_with_a_warning() -> None:
    r = read_file(workbook({"Projets": [HEADER_FR, ["P1", "A", None]]}))
    assert r.ok
    assert r.frames["projects"]["status"].tolist() == ["in_progress"]
    assert any(i.template.startswith("Status missing") for i in r.issues)


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "empty.xlsx", "The file is empty"),
        (b"%PDF-1.4 not a workbook", "report.pdf", "not an Excel workbook"),
        (b"PK\x03\x04 broken zip", "broken.xlsx", "not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data: bytes, name: str, fragment: str) -> None:
    r = read_file(data, filename=name)
    assert not r.ok and fragment in r.issues[0].template
    assert all(df.empty for df in r.frames.values())


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_UNZIPPED", 5 * 2**20)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))
    data = buf.getvalue()
    assert len(data) < 100_000  # small on disk, 20 MB once expanded
    r = read_file(data, filename="bomb.xlsx", max_bytes=2**18)
    assert not r.ok and "expands to" in r.issues[0].template


def test_upload_over_the_cap_is_refused() -> None:
    r = read_file(b"x" * 2048, filename="big.csv", max_bytes=1024)
    assert not r.ok and r.issues[0].params["limit"] == 0


def test_semicolon_csv_in_windows_1252_with_french_numbers() -> None:
    text = "Code projet;Nom;Budget;Date de début\nP1;Refonte paie éco;1 234,50;31/12/2026\n"
    r = read_file(text.encode("cp1252"), filename="projets.csv")
    assert r.ok, [i.to_dict() for i in r.issues]
    p = r.frames["projects"]
    assert p["name"].tolist() == ["Refonte paie éco"]
    assert p["budget"].tolist() == [1234.5]


def test_utf8_bom_csv_with_quoted_multiline_cell() -> None:
    text = 'Project ID,Project name,Description\nP1,CRM,"line one\nline two"\n'
    r = read_file(("\ufeff" + text).encode("utf-8"), filename="projects.csv")
    assert r.ok
    assert r.frames["projects"]["description"].tolist() == ["line one\nline two"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=12),
                st.integers(-(10**6), 10**6),
                st.floats(allow_nan=False, allow_infinity=False),
            ),
            min_size=8,
            max_size=8,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fuzzed_cells_never_crash_only_issues(rows: list[list[object]]) -> None:
    clean = [[c.replace("\x00", "") if isinstance(c, str) else c for c in r] for r in rows]
    try:
        data = workbook({"Projets": [HEADER_FR, *clean]})
    except (ValueError, openpyxl.utils.exceptions.IllegalCharacterError):
        return  # openpyxl itself refuses some characters: not a workbook we can make
    r = read_file(data, filename="fuzz.xlsx")
    assert isinstance(r.frames["projects"], pd.DataFrame)
    for issue in r.issues:
        assert issue.severity in ("error", "warning")
        assert issue.text("fr") and issue.text("en")


def test_empty_rows_and_column_a_before_a_titled_table_keep_excel_positions() -> None:
    # Rows 1-2 and column A empty, a title in B3, the header in row 4, data from row 5;
    # "Avancement" (column H) holds Excel percentages: 0.45 formatted as % is 45.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Projets"
    ws["B3"] = "Portefeuille au 31/10/2026"
    rows = [
        HEADER_FR,
        ["P1", "Alpha", "En cours", "01/01/2026", "30/06/2026", 1000, 0.45, "non"],
        ["P2", "Beta", "En cours", "01/02/2026", "01/01/2026", -5, 0.5, "non"],
    ]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            cell = ws.cell(row=4 + i, column=2 + j, value=v)
            if i and j == 6:
                cell.number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    r = read_file(buf.getvalue(), filename="decale.xlsx")
    p = r.frames["projects"]
    assert p["project_id"].tolist() == ["P1", "P2"]
    assert p["percent_complete"].tolist() == [45.0, 50.0]
    located = {(i.row, i.column, i.template.split(":")[0]) for i in errors(r)}
    assert located == {
        (6, "Budget", "Negative amount"),
        (6, "Date de fin", "End date before start date"),
    }


def _bomb() -> bytes:
    """A valid zip of 22 members of 50 MB of zeros each (1.1 GB expanded, about 1 MB
    zipped): over the 1,000 MB expansion cap that a 50 MB upload limit allows. The
    member is deflated once and its bytes written 22 times (zipfile would deflate each)."""
    import struct
    import zlib

    size = 50 * 2**20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(b"\0" * size) + packer.flush()
    crc = zlib.crc32(b"\0" * size)
    body, central = io.BytesIO(), io.BytesIO()
    for k in range(22):
        name = f"xl/worksheets/sheet{k + 1}.xml".encode()
        offset = body.tell()
        fields = (20, 0, 8, 0, 0, crc, len(packed), size, len(name))
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + packed)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + name
        )
    n, cd = 22, central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), body.tell(), 0)
    return body.getvalue() + cd + end


BAD_INPUTS: dict[str, tuple[str, bytes, tuple[str | None, int | None, str | None], str]] = {
    # case: (file name, bytes, (sheet, Excel row, column) of the first error, message start)
    "duplicate id": (
        "dup.xlsx",
        workbook({"Projets": [HEADER_FR, ["P1", "A"], ["P1", "B"]]}),
        ("Projets", 3, "Code projet"),
        "Duplicate",
    ),
    "end before start": (
        "dates.xlsx",
        workbook({"Projets": [HEADER_FR, ["P1", "A", "En cours", "01/06/2026", "01/01/2026"]]}),
        ("Projets", 2, "Date de fin"),
        "End date before start date",
    ),
    "negative budget": (
        "budget.xlsx",
        workbook({"Projets": [HEADER_FR, ["P1", "A", None, None, None, -1]]}),
        ("Projets", 2, "Budget"),
        "Negative amount",
    ),
    "text in a number column": (
        "texte.xlsx",
        workbook({"Projets": [HEADER_FR, ["P1", "A"], ["P2", "B", None, None, None, "N/C"]]}),
        ("Projets", 3, "Budget"),
        "Cannot read this value",
    ),
    "percent over 100": (
        "pct.xlsx",
        workbook({"Projets": [HEADER_FR, ["P1", "A", None, None, None, 5, "120 %"]]}),
        ("Projets", 2, "Avancement"),
        "Percent complete must be between 0 and 100",
    ),
    "unknown project": (
        "ref.xlsx",
        workbook(
            {
                "Projets": [HEADER_FR, ["P1", "A"]],
                "Risques": [
                    ["Code risque", "Code projet", "Risque", "Probabilité", "Impact"],
                    ["R1", "P1", "Retard", 0.5, 10],
                    ["R2", "P7", "Grève", 0.2, 10],
                ],
            }
        ),
        ("Risques", 3, "Code projet"),
        "Unknown project",
    ),
    "missing required column": (
        "colonne.xlsx",
        workbook({"Projets": [["Nom du projet", "Budget"], ["A", 5]]}),
        ("Projets", 1, None),
        "Required column missing",
    ),
    "not a workbook": (
        "notes.xlsx",
        b"Ceci n'est pas un classeur",
        ("notes.xlsx", None, None),
        "This file is not an Excel workbook",
    ),
    "empty file": ("vide.xlsx", b"", ("vide.xlsx", None, None), "The file is empty"),
    "zip bomb": ("bombe.xlsx", b"", ("bombe.xlsx", None, None), "The workbook expands to"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_located_and_the_store_is_left_as_it_was(
    case: str, tmp_path: Path
) -> None:
    from pmo_core import store
    from pmo_core.errors import ImportRejected
    from pmo_core.ingest import pipeline

    db = tmp_path / "pmo.duckdb"
    good = workbook({"Projets": [HEADER_FR, ["P1", "Avant", "En cours"]]})
    pipeline.import_file(good, filename="avant.xlsx", path=db)
    before = db.read_bytes()
    name, data, where, message = BAD_INPUTS[case]
    data = _bomb() if case == "zip bomb" else data
    with pytest.raises(ImportRejected) as exc:
        pipeline.import_file(data, filename=name, path=db)
    first = next(i for i in exc.value.issues if i.severity == "error")
    assert (first.sheet, first.row, first.column) == where, first.to_dict()
    assert first.template.startswith(message), first.to_dict()
    assert first.text("fr") != first.text("en")
    assert db.read_bytes() == before  # not even opened for writing
    assert store.list_snapshots(db)["source"].tolist() == ["avant.xlsx"]


def test_two_imports_at_once_each_commit_whole_or_are_told_busy(tmp_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    import duckdb

    from pmo_core import store

    db = tmp_path / "pmo.duckdb"
    code = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        os.environ["PMO_LOCK_TIMEOUT"] = sys.argv[1]
        from pmo_core.ingest import pipeline
        from pmo_core.errors import StoreBusy
        try:
            _, sid = pipeline.import_file({str(DEMO)!r}, path={str(db)!r}, who=sys.argv[2])
            print("ok", sid)
        except StoreBusy as exc:
            print("busy", exc)
        """
    )
    outcomes: list[str] = []
    for timeout in ("0", "30"):  # refused at once, then waited for
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, timeout, who], stdout=subprocess.PIPE, text=True
            )
            for who in ("alice", "bob")
        ]
        outcomes += [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(o.startswith(("ok ", "busy ")) for o in outcomes), outcomes
    busy = [o for o in outcomes if o.startswith("busy")]
    assert all("retry" in o for o in busy)
    assert not any(o.startswith("busy") for o in outcomes[2:])  # 30 s is enough to wait
    snaps = store.list_snapshots(db)
    assert len(snaps) == sum(o.startswith("ok") for o in outcomes)
    with duckdb.connect(str(db), read_only=True) as con:
        for sid, counts in con.execute("SELECT snapshot_id, counts FROM snapshots").fetchall():
            for table in ("projects", "allocations", "risks"):
                n = con.execute(
                    f"SELECT count(*) FROM {table} WHERE snapshot_id = ?", [sid]
                ).fetchall()[0][0]
                assert n == json.loads(counts)[table] > 0


def test_progress_is_told_each_step_in_order() -> None:
    data = workbook(
        {
            "Projets": [HEADER_FR, ["P1", "A"]],
            "Cachée": [["x"]],
            "Jalons": [["Code projet", "Code jalon", "Date de référence"], ["P1", "J1", 46000]],
        },
        hidden=("Cachée",),
    )
    steps: list[tuple[str, str | None]] = []
    r = read_file(data, filename="suivi.xlsx", progress=lambda s, d: steps.append((s, d)))
    assert r.ok
    assert steps == [
        ("read", "suivi.xlsx"),
        ("sheet", "Projets"),
        ("sheet", "Jalons"),  # the hidden sheet is skipped, not converted
        ("rules", None),
    ]


def test_a_sheet_with_a_title_row_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import fastexcel

    calls: list[str] = []
    real = fastexcel.ExcelReader.load_sheet

    def counted(self, idx_or_name, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(str(idx_or_name))
        return real(self, idx_or_name, **kwargs)

    monkeypatch.setattr(fastexcel.ExcelReader, "load_sheet", counted)
    data = workbook(
        {
            "Projets": [
                ["Export du portefeuille au 31/10/2026"],
                [],
                HEADER_FR,
                ["P1", "Refonte CRM", "En cours", "01/01/2026", "31/12/2026", "1 234,50 €"],
                ["P2", "Paie", "Terminé", datetime(2025, 1, 6), datetime(2025, 9, 30), 800],
            ]
        }
    )
    r = read_file(data, filename="titre.xlsx")
    assert r.ok, [i.to_dict() for i in r.issues]
    assert calls == ["Projets"]  # the head comes from the sheet XML, not a second parse
    p = r.frames["projects"]
    assert p["project_id"].tolist() == ["P1", "P2"]
    assert p["budget"].tolist() == [1234.5, 800.0]
    assert p["end_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-31", "2025-09-30"]
    assert p["status"].tolist() == ["in_progress", "completed"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=12),
                st.integers(-(10**6), 10**6),
                st.floats(allow_nan=False, allow_infinity=False),
                st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
                st.booleans(),
            ),
            min_size=8,
            max_size=8,
        ),
        min_size=0,
        max_size=5,
    ),
    st.integers(0, 3),
)
def test_fuzzed_cells_below_a_title_row_never_crash(rows: list[list[object]], skip: int) -> None:
    # The sheet-XML head path: a title, ``skip`` empty rows, the header from column B.
    clean = [[c.replace("\x00", "") if isinstance(c, str) else c for c in r] for r in rows]
    table = [["Suivi des projets"], *[[] for _ in range(skip)], HEADER_FR, *clean]
    try:
        data = workbook({"Projets": [[None, *r] for r in table]})
    except (ValueError, openpyxl.utils.exceptions.IllegalCharacterError):
        return
    r = read_file(data, filename="fuzz.xlsx")
    assert isinstance(r.frames["projects"], pd.DataFrame)
    header_row = 2 + skip  # Excel row of the header
    for issue in r.issues:
        assert issue.severity in ("error", "warning")
        assert issue.text("fr") and issue.text("en")
        assert issue.row is None or header_row <= issue.row <= header_row + len(rows)


# ------------------------------------------------------------------ amounts (issue 14)
# One decimal separator per column, decided from all its cells; a unit in a header
# scales the column and says so once.


def csv_projects(budget_header: str, cells: list[str], sep: str = ",", extra: str = "") -> bytes:
    """A projects CSV with one budget column (cells quoted) and maybe an extra column."""
    head = sep.join(["Project ID", "Project name", budget_header, *([extra] if extra else [])])
    rows = [head]
    for i, c in enumerate(cells):
        rows.append(sep.join([f"P{i + 1}", f"Project {i + 1}", f'"{c}"']))
    return ("\n".join(rows) + "\n").encode("utf-8")


def amount_issues(r: ingest.IngestResult) -> list[ingest.Issue]:
    return [i for i in r.issues if "amounts multiplied" in i.template or "two ways" in i.template]


def test_english_thousands_read_from_the_whole_column() -> None:
    # 12,500 alone could be 12.5; next to 1,250,000 (two commas: thousands) it is 12500.
    r = read_file(csv_projects("Budget", ["12,500", "1,250,000"]), filename="en.csv")
    assert r.frames["projects"]["budget"].tolist() == [12_500.0, 1_250_000.0]
    assert amount_issues(r) == []  # the column decided: nothing to warn


def test_pounds_with_pence_make_commas_thousands() -> None:
    # £9,999.99 proves "." decimal: £12,500 is 12500 and £33.73 is 33.73.
    r = read_file(csv_projects("Budget", ["£9,999.99", "£12,500", "£33.73"]), filename="uk.csv")
    assert r.frames["projects"]["budget"].tolist() == [9_999.99, 12_500.0, 33.73]


def test_french_budget_in_thousands_of_euros() -> None:
    # 1 234,50 k€ = 1 234,50 x 1 000 = 1 234 500 €; "12,500" in the same column has its
    # comma as the decimal (the column shows "," as decimal): 12,5 k€ = 12 500 €.
    data = "Code projet;Nom;Budget (k€)\nP1;Paie;1 234,50\nP2;CRM;12,500\nP3;ERP;2 000\n"
    r = read_file(data.encode("cp1252"), filename="projets.csv")
    assert r.ok, [i.to_dict() for i in r.issues]
    assert r.frames["projects"]["budget"].tolist() == [1_234_500.0, 12_500.0, 2_000_000.0]
    info = amount_issues(r)
    assert len(info) == 1 and info[0].severity == "warning"
    assert (info[0].sheet, info[0].row, info[0].column) == ("projets", 1, "Budget (k€)")
    assert info[0].text("en") == "Budget (k€): amounts multiplied by 1,000."
    assert info[0].text("fr") == "Budget (k€) : montants multipliés par 1\u202f000."


@pytest.mark.parametrize(
    ("header", "cell", "expected"),
    [
        ("Budget (M€)", "1,5", 1_500_000.0),  # 1,5 M€ = 1 500 000 €
        ("Budget en milliers d'euros", "250", 250_000.0),
        ("Budget en millions", "2", 2_000_000.0),
        ("Budget (Md€)", "0,25", 250_000_000.0),
        ("Budget (000)", "450", 450_000.0),
        ("Budget in thousands", "12.5", 12_500.0),
        ("Budget (£m)", "33.73", 33_730_000.0),
        ("Budget $M", "0.5", 500_000.0),
        ("Budget (K€)", "7", 7_000.0),
    ],
)
def test_a_unit_in_the_header_scales_the_column(header: str, cell: str, expected: float) -> None:
    r = read_file(csv_projects(header, [cell], sep=";"), filename="unit.csv")
    assert r.ok, [i.to_dict() for i in r.issues]
    assert r.frames["projects"]["budget"].tolist() == [pytest.approx(expected)]
    assert len([i for i in amount_issues(r) if "multiplied" in i.template]) == 1


def test_a_unit_in_an_xlsx_header_scales_native_numbers_too() -> None:
    # Native cells: 1234.5 in a "Coût réel (k€)" column is 1 234 500 €.
    data = workbook({"Projets": [["Code projet", "Nom", "Coût réel (k€)"], ["P1", "A", 1234.5]]})
    r = read_file(data, filename="k.xlsx")
    assert r.frames["projects"]["actual_cost"].tolist() == [1_234_500.0]


def test_an_ambiguous_column_reads_as_the_other_numbers_and_is_warned() -> None:
    # Budget holds only 12,500 and 3,250: either 12.5 or 12500. The Cost column shows
    # "1,000.50" (',' for thousands): the budget reads the same way, and says so.
    text = 'Project ID,Project name,Budget,Actual cost\nP1,A,"12,500","1,000.50"\nP2,B,"3,250",\n'
    r = read_file(text.encode(), filename="amb.csv")
    assert r.frames["projects"]["budget"].tolist() == [12_500.0, 3_250.0]
    (w,) = [i for i in amount_issues(r) if "two ways" in i.template]
    assert (w.severity, w.column, w.value) == ("warning", "Budget", "12,500")
    assert "thousands separator" in w.text("en") and "mapping profile" in w.text("en")
    assert "séparateur des milliers" in w.text("fr")


def test_an_ambiguous_column_in_a_semicolon_csv_reads_a_decimal_comma() -> None:
    # Nothing else in the file has decimals; a ';'-separated CSV is French: 12,500 = 12,5.
    text = "Code projet;Nom;Budget\nP1;A;12,500\nP2;B;7\n"
    r = read_file(text.encode("cp1252"), filename="amb.csv")
    assert r.frames["projects"]["budget"].tolist() == [12.5, 7.0]
    (w,) = amount_issues(r)
    assert "decimal separator (as usual in a file separated by ';')" in w.text("en")


def test_an_unreadable_grouping_is_an_error_naming_the_cell() -> None:
    # "1,25,000" is neither English nor French grouping: unreadable, not guessed.
    r = read_file(csv_projects("Budget", ["1,250,000", "1,25,000"]), filename="bad.csv")
    (e,) = errors(r)
    assert (e.row, e.column, e.value) == (3, "Budget", "1,25,000")


def test_values_units_and_signs_in_cells() -> None:
    from pmo_core.ingest.values import parse_number

    cells = pd.Series(["(500)", "-1 234,5", "12 k€", "£1.2bn", "3,5 Md€", "1.5E+06", "n/a"])
    values, bad = parse_number(cells)
    # (500) is -500; -1 234,5 proves "," decimal; k = 1e3, bn = Md = 1e9.
    assert values.tolist()[:6] == [-500.0, -1234.5, 12_000.0, 1.2e9, 3.5e9, 1.5e6]
    assert bad.tolist() == [False] * 6 + [True]


def test_amount_typed_in_a_form_reads_the_users_language() -> None:
    from pmo_core.ingest.values import parse_amount_text

    assert parse_amount_text("450 000,50", "fr") == 450_000.5  # not 45 000 050
    assert parse_amount_text("450,000.50", "en") == 450_000.5
    assert parse_amount_text("1,500", "fr") == 1.5 and parse_amount_text("1,500", "en") == 1500
    assert parse_amount_text("1.500", "fr") == 1500.0  # a dot groups thousands in French
    assert parse_amount_text("450 k€", "fr") == 450_000.0
    assert parse_amount_text("", "fr") is None and parse_amount_text("beaucoup", "fr") is None


def _write(amount: int, style: str) -> str:
    """``amount`` cents written with thousands groups, French or English."""
    whole, cents = divmod(amount, 100)
    grouped = f"{whole:,}"
    if style == "fr":
        return grouped.replace(",", "\u202f") + f",{cents:02d}"
    return grouped + f".{cents:02d}"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=8), st.sampled_from(["fr", "en"]))
def test_any_grouped_amount_reads_back(amounts: list[int], style: str) -> None:
    from pmo_core.ingest.values import parse_number

    values, bad = parse_number(pd.Series([_write(a, style) for a in amounts], dtype=object))
    assert not bad.any()
    assert values.tolist() == pytest.approx([a / 100 for a in amounts], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1_000, 10**9), min_size=1, max_size=8))
def test_whole_amounts_with_a_comma_group_read_back_in_an_english_column(
    amounts: list[int],
) -> None:
    # Whole amounts only ("12,500"): ambiguous cells; with one "1,000.50" in the column
    # (',' for thousands), every one reads back.
    from pmo_core.ingest.values import parse_number

    cells = [f"{a:,}" for a in amounts] + ["1,000.50"]
    values, bad = parse_number(pd.Series(cells, dtype=object))
    assert not bad.any()
    assert values.tolist() == [float(a) for a in amounts] + [1000.5]


# ---------------------------------------------------------------------------- risk scales

RISK_HEADER = ["Code risque", "Code projet", "Risque", "Probabilité", "Impact"]


def risk_book(rows: list[list[object]], header: list[str] = RISK_HEADER) -> ingest.IngestResult:
    return read_file(
        workbook({"Projets": [HEADER_FR, ["P1", "A"]], "Risques": [header, *rows]}),
        filename="risks.xlsx",
    )


def risk_issues(r: ingest.IngestResult) -> list[tuple[str, str, int | None, str | None, str]]:
    return [
        (i.severity, i.sheet, i.row, i.column, i.value)  # type: ignore[misc]
        for i in r.issues
        if i.sheet == "Risques"
    ]


def test_a_level_row_in_a_register_of_amounts_is_an_error_naming_its_cells() -> None:
    # Rows 2-4 give fractions and amounts; row 5 gives levels (4, 4). It was read as 4 %
    # and 4 EUR; now both of its cells are errors, and the other rows are untouched.
    r = risk_book(
        [
            ["R1", "P1", "a", 0.3, 50_000],
            ["R2", "P1", "b", 0.5, 120_000],
            ["R3", "P1", "c", 0.1, 8_000],
            ["R4", "P1", "d", 4, 4],
        ]
    )
    assert not r.ok
    assert risk_issues(r) == [
        ("error", "Risques", 5, "Probabilité", "4"),
        ("error", "Risques", 5, "Impact", "4"),
    ]
    p_issue, i_issue = [i for i in r.issues if i.sheet == "Risques"]
    assert "fractions 0-1" in p_issue.template and "level 1-5" in p_issue.template
    assert "write this impact in money" in i_issue.template
    assert i_issue.text("fr").startswith("Un niveau de 1 à 5 dans une colonne de montants")


def test_a_register_of_levels_stays_in_levels_and_1_is_level_1() -> None:
    r = risk_book([["R1", "P1", "a", 4, 5], ["R2", "P1", "b", 1, 2], ["R3", "P1", "c", 3, 1]])
    assert r.ok and not risk_issues(r)
    assert r.frames["risks"]["probability"].tolist() == [4.0, 1.0, 3.0]  # 1 is not 100 %


def test_a_probability_of_1_among_fractions_is_certain_and_warned() -> None:
    r = risk_book([["R1", "P1", "a", 1, 50_000], ["R2", "P1", "b", 0.25, 10_000]])
    assert r.ok
    assert risk_issues(r) == [("warning", "Risques", 2, "Probabilité", "1")]
    (warned,) = [i for i in r.issues if i.sheet == "Risques"]
    assert "read as certain (100 %)" in warned.template
    assert r.frames["risks"]["probability"].tolist() == [1.0, 0.25]


@pytest.mark.parametrize(
    ("cells", "header", "expected"),
    [
        # 45 is a percentage: the column is in percent, 1 is 1 % (not certain, not level 1)
        (["45 %", 1, 80], "Probabilité", [0.45, 0.01, 0.80]),
        ([45, 1, 80], "Probabilité", [0.45, 0.01, 0.80]),
        # a % in the header: 3 and 5 are percentages too
        ([3, 5, 1], "Probabilité (%)", [0.03, 0.05, 0.01]),
    ],
)
def test_a_percent_column_reads_every_row_as_per_cent(
    cells: list[object], header: str, expected: list[float]
) -> None:
    h = [*RISK_HEADER[:3], header, "Impact"]
    r = risk_book([[f"R{k}", "P1", "t", c, 10_000 * k] for k, c in enumerate(cells, 1)], h)
    assert r.ok, [i.to_dict() for i in r.issues]
    assert r.frames["risks"]["probability"].tolist() == pytest.approx(expected)


def test_an_amount_in_a_column_of_impact_levels_and_a_fraction_among_levels_are_errors() -> None:
    # impacts 3, 4, 2 and 75 000: levels, 75 000 does not fit (row 5); probabilities 2, 3,
    # 5 and 0.4: levels, 0.4 does not fit (row 4)
    r = risk_book(
        [
            ["R1", "P1", "a", 2, 3],
            ["R2", "P1", "b", 3, 4],
            ["R3", "P1", "c", 0.4, 2],
            ["R4", "P1", "d", 5, 75_000],
        ]
    )
    assert risk_issues(r) == [
        ("error", "Risques", 4, "Probabilité", "0.4"),
        ("error", "Risques", 5, "Impact", "75000"),
    ]


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]), st.floats(0, 100)),
            st.one_of(st.sampled_from([1.0, 2.0, 5.0]), st.floats(0, 1e6)),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_the_kpis_read_the_stored_register_in_the_scales_the_import_decided(
    rows: list[tuple[float, float]],
) -> None:
    # What the import keeps (the rows that fit their columns, percentages as fractions),
    # the heat map reads back in the same scales: fraction (or percent) stays a fraction,
    # a level a level, money money.
    from pmo_core.ingest import risk_scales
    from pmo_core.kpi import risk

    frame = pd.DataFrame(
        {
            "probability": [p for p, _ in rows],
            "impact": [i for _, i in rows],
            "_row": range(2, 2 + len(rows)),
        }
    )
    issues: list[ingest.Issue] = []
    p_scale, i_scale = risk_scales.check_risks(frame, issues)
    if any(i.severity == "error" for i in issues):
        return  # an error refuses the import (strict): nothing of this register is stored
    kept = frame
    if kept.empty or (p_scale == "percent" and (kept["probability"] == 1).all()):
        return  # nothing kept; or only 100 %s, which read as level 1 beside levels
    scales = risk.register_scales(kept)
    assert scales.impact == i_scale
    assert scales.probability == ("fraction" if p_scale == "percent" else p_scale)
