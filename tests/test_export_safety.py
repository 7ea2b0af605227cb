"""Every export of the app escapes text a spreadsheet would run, ids included (issue 16,
item 2): each page's tables as their "download as CSV" writes them, each page's download
buttons (the bytes AppTest's media storage receives), and the steering pack.

The store here holds hostile text in every text column, ids included, committed as read:
what a store written before the import refused such cells holds."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import report, schema, store
from pmo_core.export_safety import (
    formula_like,
    is_hostile,
    safe_cell,
    safe_frame,
    safe_text_columns,
)
from pmo_core.ingest.formulas import FREE_TEXT, formula_mask
from pmo_core.optimize import scenarios
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parents[1]
MARK = "EVIL"  # in every planted text: a cell holding it came from the hostile store
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))

#: (table, column) -> old value -> hostile value, applied to every frame that has the column.
RENAMES: dict[str, dict[str, str]] = {
    "project_id": {"PRJ-001": f'=HYPERLINK("http://{MARK}","P1")'},
    "objective_id": {},  # filled from the snapshot below
    "resource_id": {},
    "role": {},
}


def _hostile_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out = {k: v.copy() for k, v in frames.items()}
    first = {
        "objective_id": str(out["objectives"]["objective_id"].iloc[0]),
        "resource_id": str(out["resources"]["resource_id"].iloc[0]),
        "role": str(out["resources"]["role"].iloc[0]),
    }
    renames = {
        "project_id": RENAMES["project_id"],
        "objective_id": {first["objective_id"]: f"+{MARK}-O1"},
        "objective_a": {first["objective_id"]: f"+{MARK}-O1"},
        "objective_b": {first["objective_id"]: f"+{MARK}-O1"},
        "resource_id": {first["resource_id"]: f"@{MARK}-R1"},
        "role": {first["role"]: f"-2+3+cmd|'/C {MARK}'!A0"},
    }
    for df in out.values():
        for col, mapping in renames.items():
            if col in df:
                df[col] = df[col].astype("string").replace(mapping)
    texts = {
        ("projects", "name"): f'=HYPERLINK("http://{MARK}","clic")',
        ("projects", "manager"): f"@{MARK}(1)",
        ("projects", "description"): f"- {MARK} see the note",
        ("projects", "program"): f"+{MARK} programme",
        ("objectives", "name"): f"={MARK}()",
        ("resources", "name"): f"\t={MARK}",
        ("milestones", "name"): f"={MARK}+1",
        ("risks", "title"): f"+{MARK}|' /C calc'!A0",
        ("risks", "mitigation"): f"-{MARK}",
        ("risks", "owner"): f"@{MARK}",
        ("status_reports", "comment"): f"={MARK}()",
    }
    for (table, col), text in texts.items():
        df = out[table]
        if len(df):
            df[col] = df[col].astype("string")
            rows = df.index[: max(1, len(df) // 3)]
            df.loc[rows, col] = [f"{text} {k}" for k in range(len(rows))]  # names stay unique
    return out


@pytest.fixture(scope="module")
def hostile_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    import shutil

    db = tmp_path_factory.mktemp("hostile") / "pmo.duckdb"
    shutil.copy(demo_db, db)
    snap = store.get_snapshot(path=db)
    sid = store.commit_snapshot(
        _hostile_frames(snap.frames),
        source="hostile.xlsx",
        as_of=snap.as_of,
        settings=snap.settings,
        path=db,
    )
    pid = RENAMES["project_id"]["PRJ-001"]
    scenarios.save_scenario(
        f"={MARK} scenario",
        {"budget": 1_000_000, "value": "alignment"},
        {
            "status": "optimal",
            "selected": [pid],
            "excluded": [{"project_id": "PRJ-002", "reason": f"={MARK}()"}],
            "objective": 1.0,
            "total_cost": 1.0,
        },
        snapshot_id=sid,
        path=db,
    )
    return db, sid


def _planted(value: object) -> bool:
    return isinstance(value, str) and MARK in value


def _csv_fields(df: pd.DataFrame) -> Iterator[str]:
    """Every field of the table's CSV, as the table's download writes it (index, headers
    and cells)."""
    text = df.to_csv(index=True)
    for row in csv.reader(io.StringIO(text)):
        yield from row


def _captured_downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """The (file name, bytes) of every download button a run draws."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: list[tuple[str, bytes]] = []
    real = MemoryMediaFileStorage.load_and_get_id

    def spy(self: Any, data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        if isinstance(data, bytes):
            seen.append((filename or "", data))
        return real(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


def _assert_workbook_safe(body: bytes, where: str) -> int:
    """No formula cell; every planted text in a text cell, quoted. Returns how many."""
    wb = openpyxl.load_workbook(io.BytesIO(body))
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{where} {ws.title}!{c.coordinate}: {c.value}"
                if _planted(c.value):
                    assert not formula_like(c.value), f"{where} {ws.title}!{c.coordinate}"
                    n += 1
    return n


@pytest.mark.parametrize("page", PAGES)
def test_every_table_of_every_page_downloads_escaped_csv(
    page: str, hostile_db: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, sid = hostile_db
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    downloads = _captured_downloads(monkeypatch)
    at = run_page(page, "en", snapshot=str(sid))
    assert not at.exception, at.exception
    for frame in [d.value for d in at.dataframe] + [t.value for t in at.table]:
        if not isinstance(frame, pd.DataFrame):
            continue
        bad = [f for f in _csv_fields(frame) if _planted(f) and formula_like(f)]
        assert bad == [], (page, bad[:5])
    for name, body in downloads:
        if body[:2] == b"PK":  # xlsx: the issues, the decision record, the templates
            _assert_workbook_safe(body, f"{page}:{name}")
        elif name.endswith(".csv"):  # a wrapped table's own CSV download
            text = body.decode("utf-8-sig")
            sep = ";" if text.splitlines()[0].count(";") else ","
            fields = [f for row in csv.reader(io.StringIO(text), delimiter=sep) for f in row]
            bad = [f for f in fields if _planted(f) and formula_like(f)]
            assert bad == [], (page, name, bad[:5])


def test_the_projects_table_shows_the_hostile_id_quoted(
    hostile_db: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: export_safety skipped every *_id column: the CSV sent =HYPERLINK(...) raw.
    db, sid = hostile_db
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    at = run_page("projects.py", "en", snapshot=str(sid))
    assert not at.exception
    fields = [f for d in at.dataframe for f in _csv_fields(d.value)]
    pid = RENAMES["project_id"]["PRJ-001"]
    assert "'" + pid in fields and pid not in fields


def test_the_reports_page_downloads_a_safe_pack(
    hostile_db: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page's download buttons build the pack when clicked (AppTest cannot click a
    # download): the function each button is given is called here, as the click would.
    from ui import loaders

    db, sid = hostile_db
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    at = run_page("reports.py", "en", snapshot=str(sid))
    assert not at.exception, at.exception
    keys = {b.proto.id for b in at.get("download_button")}
    assert {k for k in keys if "reports_download_" in k}, keys
    packs = {
        kind: loaders.pack_file.__wrapped__(sid, str(db), kind, "en", None, None)  # type: ignore[attr-defined]
        for kind in ("xlsx", "html")
    }
    assert _assert_workbook_safe(packs["xlsx"], "pack") > 0  # the planted names are there
    page = packs["html"].decode("utf-8")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page, flags=re.S)
    planted = [html.unescape(c) for c in cells if MARK in c]
    assert planted and not [c for c in planted if formula_like(c)]


def test_the_pack_built_by_the_library_escapes_ids(hostile_db: tuple[Path, int]) -> None:
    db, sid = hostile_db
    body = report.build_report(sid, "xlsx", lang="fr", path=db)
    wb = openpyxl.load_workbook(io.BytesIO(body))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    pid = RENAMES["project_id"]["PRJ-001"]
    assert "'" + pid in values and pid not in values


def test_the_decision_record_download_is_safe(
    hostile_db: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, sid = hostile_db
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    downloads = _captured_downloads(monkeypatch)
    at = run_page("whatif.py", "en", snapshot=str(sid))
    assert not at.exception, at.exception
    records = [body for name, body in downloads if name.startswith("decision_")]
    assert records, [name for name, _ in downloads]
    assert _assert_workbook_safe(records[0], "decision record") > 0


# ---------------------------------------------------------------- the rules, by hand


@pytest.mark.parametrize(
    "value,hostile,refused",
    [
        ("=1+1", True, True),
        ('=HYPERLINK("http://x","y")', True, True),
        ("+33 1 23 45 67 89", True, True),  # a phone number typed with + : Excel runs it
        ("-2+3+cmd|' /C calc'!A0", True, True),  # the DDE payload
        ("@SUM(A1)", True, True),
        ("\t=1", True, True),
        ("\rx", True, True),
        ("- see the note", True, True),  # refused in an id or a label, kept in free text
        ("-", True, False),  # a lone dash: a placeholder, not a formula; escaped anyway
        ("=", True, False),
        ("-5", False, False),  # a plain number: Excel reads the number
        ("+3.5", False, False),
        ("-1,5", False, False),
        ("a=b", False, False),
        (" =1", False, False),  # a leading space: text to Excel
        ("", False, False),
        (-5.0, False, False),  # numbers are never text
        (None, False, False),
    ],
)
def test_formula_rules(value: object, hostile: bool, refused: bool) -> None:
    assert is_hostile(value) is hostile
    assert formula_like(value) is refused
    assert bool(formula_mask(pd.Series([value], dtype=object)).iloc[0]) is refused
    assert safe_cell(value) == ("'" + value if hostile else value)  # type: ignore[operator]


@given(st.text(max_size=30))
def test_escaped_text_is_never_run_and_keeps_its_text(text: str) -> None:
    out = safe_cell(text)
    assert not formula_like(out) and not is_hostile(out)
    assert out in (text, "'" + text)
    frame = safe_text_columns(pd.DataFrame({"project_id": [text], "name": [text]}))
    assert frame["project_id"].tolist() == [out] == frame["name"].tolist()
    assert safe_frame(pd.DataFrame({"x": [text]}))["x"].tolist() == [out]


def test_the_import_refuses_ids_and_labels_and_keeps_free_text(tmp_path: Path) -> None:
    from pmo_core.ingest import pipeline

    rows = [
        ["Code projet", "Nom du projet", "Statut", "Début", "Fin", "Budget", "Description"],
        ["=P1", "Projet A", "En cours", "01/01/2026", "31/12/2026", "-5", "- voir la note"],
        ["P2", "@SUM(1)", "En cours", "01/01/2026", "31/12/2026", "100", "+2 semaines"],
        ["P3", "-", "En cours", "01/01/2026", "31/12/2026", "100", "=1+1"],
        ["-7", "Projet D", "En cours", "01/01/2026", "31/12/2026", "100", ""],
    ]
    path = tmp_path / "projets.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    result = pipeline.validate_file(path)
    refused = [
        (i.row, i.column, i.value)
        for i in result.issues
        if i.template.startswith("This text starts with")
    ]
    # Excel rows: the header is row 1, so =P1 is row 2 and @SUM(1) row 3. "-" (row 4) is
    # a placeholder, "-7" (row 5) a plain number; descriptions are free text: kept.
    assert refused == [(2, "Code projet", "=P1"), (3, "Nom du projet", "@SUM(1)")]
    fr = {i.text("fr") for i in result.issues if i.row == 2 and i.column == "Code projet"}
    assert any(m.startswith('Ce texte commence par "="') for m in fr)
    desc = result.frames["projects"]["description"].tolist()
    assert desc[:3] == ["- voir la note", "+2 semaines", "=1+1"]


def test_free_text_columns_are_text_columns() -> None:
    for table, cols in FREE_TEXT.items():
        kinds = {c.name: c.dtype for c in schema.TABLES[table].columns}
        assert all(kinds[c] == "str" for c in cols), table


def test_accepted_free_text_is_stored_as_written(tmp_path: Path) -> None:
    # What the store holds is what was imported: an accepted file keeps its free text.
    from pmo_core.ingest import pipeline

    path = tmp_path / "p.csv"
    path.write_text(
        "Code projet;Nom du projet;Description\nP1;Projet A;-5 % de budget\n", encoding="utf-8"
    )
    result, sid = pipeline.import_file(path, path=tmp_path / "s.duckdb", as_of=date(2026, 1, 31))
    assert result.ok and sid is not None
    stored = store.get_snapshot(sid, path=tmp_path / "s.duckdb").frames["projects"]
    assert stored["description"].tolist() == ["-5 % de budget"]


@given(st.lists(st.text(max_size=12), max_size=8))
def test_the_import_and_the_exports_share_one_rule(texts: list[str]) -> None:
    # What the import refuses is exactly what formula_like says, and every such text is
    # one the exports escape (they are the stricter: a lone sign is escaped, not refused).
    mask = formula_mask(pd.Series(texts, dtype="string")).tolist()
    assert mask == [formula_like(x) for x in texts]
    assert all(is_hostile(x) for x, m in zip(texts, mask, strict=True) if m)
