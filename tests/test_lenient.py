"""Lenient import (issue 15 item 2): what is valid imports, each faulty cell left empty,
each row with a faulty id left out, each exact duplicate kept once, all listed as
warnings with their place, counted (``result.fixes``) and written to the audit log.
Strict stays the default. Real data: UK GMPP 2022 (OGL v3.0) made 2023-like."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_core import i18n, store
from pmo_core.ingest import issues as ingest_issues
from pmo_core.ingest import pipeline, read_file, rules
from tests.conftest import workbook

ROOT = Path(__file__).resolve().parents[1]
GMPP = ROOT.parent / "shared" / "data" / "uk-gmpp"
needs_data = pytest.mark.skipif(not GMPP.exists(), reason="../shared/data not present")

HEADER = ["Code projet", "Nom du projet", "Statut", "Date de début", "Date de fin", "Budget"]


def fixed(result: ingest_issues.IngestResult, fix: str) -> list[ingest_issues.Issue]:
    return [i for i in result.issues if i.fix == fix]


def gmpp_2023_like() -> tuple[bytes, str]:
    """GMPP 2022 as the 2023 file would come: same layout, year 2023, and one project
    (the 5th record, Excel row 6) whose end date, 2012-01-01, is before its start date,
    2019-12-16, as in the real 2023 data. Returns (bytes in latin-1, its project id)."""
    raw = gzip.decompress((GMPP / "uk_2022.csv.gz").read_bytes()).decode("latin-1")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    for r in rows[1:]:
        r[0] = "2023"
    assert rows[5][9:11] == ["2019-12-16", "2026-12-31"]
    rows[5][10] = "2012-01-01"
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("latin-1"), rows[5][1]


@needs_data
def test_gmpp_2023_like_file_with_end_before_start_imports_lenient_and_lists_the_row() -> None:
    data, pid = gmpp_2023_like()
    strict = read_file(data, filename="uk_2023.csv")
    assert not strict.ok  # strict stays the default: the one bad row blocks everything
    (bad,) = [i for i in strict.issues if i.severity == "error"]
    assert (bad.row, bad.column, bad.fix) == (6, "end_date", None)

    r = read_file(data, filename="uk_2023.csv", lenient=True)
    assert r.ok
    p = r.frames["projects"]
    assert len(p) == 235  # every project, the faulty one included
    (w,) = fixed(r, "cell_left_empty")
    assert (w.severity, w.sheet, w.row, w.column) == ("warning", "uk_2023", 6, "end_date")
    assert w.value is not None and w.value.startswith("2012-01-01")
    assert "left empty" in w.text("en") and "laissée vide" in w.text("fr")
    row = p.loc[p["project_id"] == pid].iloc[0]
    assert row["start_date"] == pd.Timestamp("2019-12-16") and pd.isna(row["end_date"])
    # The emptied end date then counts as a missing date (schedule KPIs n/a), as usual.
    missing = [i for i in r.issues if i.row == 6 and i.template.startswith("Start or end")]
    assert len(missing) == 1
    assert r.fixes == {
        "cell_left_empty": 1,
        "row_left_out": 0,
        "duplicate_kept_once": 0,
        "sheet_left_out": 0,
    }


def it_dashboard_like() -> bytes:
    """Like the US IT Dashboard projects file: an exact duplicate row, a second row with
    the same id but other values, a completion before start, a good project.

    Excel rows: 2 P1; 3 P2; 4 P2 (exact copy of row 3); 5 P3; 6 P3 other name and budget;
    7 P4 ends 2026-01-31, before its start 2026-03-01.
    """
    return workbook(
        {
            "Projets": [
                HEADER,
                ["P1", "Cloud", "En cours", "01/01/2026", "31/12/2026", 100],
                ["P2", "ERP", "En cours", "01/02/2026", "30/11/2026", 200],
                ["P2", "ERP", "En cours", "01/02/2026", "30/11/2026", 200],
                ["P3", "CRM", "En cours", "01/01/2026", "30/06/2026", 300],
                ["P3", "CRM bis", "En cours", "01/01/2026", "30/06/2026", 999],
                ["P4", "Paie", "En cours", "01/03/2026", "31/01/2026", 400],
            ]
        }
    )


def test_exact_duplicates_kept_once_other_duplicates_left_out_bad_dates_emptied() -> None:
    data = it_dashboard_like()
    strict = read_file(data, filename="itdb.xlsx")
    assert not strict.ok
    assert {i.row for i in strict.issues if i.severity == "error"} == {4, 6, 7}

    r = read_file(data, filename="itdb.xlsx", lenient=True)
    assert r.ok
    p = r.frames["projects"]
    # P1, P2 once, P3 as its first row says (the second P3 row is left out), P4.
    assert p["project_id"].tolist() == ["P1", "P2", "P3", "P4"]
    assert p.set_index("project_id")["budget"].to_dict() == {
        "P1": 100.0,
        "P2": 200.0,
        "P3": 300.0,
        "P4": 400.0,
    }
    (dup,) = fixed(r, "duplicate_kept_once")
    (out,) = fixed(r, "row_left_out")
    (empty,) = fixed(r, "cell_left_empty")
    assert (dup.sheet, dup.row, dup.column, dup.value) == ("Projets", 4, "Code projet", "P2")
    assert (out.sheet, out.row, out.column, out.value) == ("Projets", 6, "Code projet", "P3")
    assert (empty.row, empty.column) == (7, "Date de fin")
    assert pd.isna(p.loc[3, "end_date"]) and p.loc[3, "start_date"] == pd.Timestamp("2026-03-01")
    assert all(i.severity == "warning" for i in (dup, out, empty))


def test_an_unreadable_cell_is_left_empty_and_its_row_kept() -> None:
    data = workbook(
        {
            "Projets": [
                HEADER,
                ["P1", "A", "En cours", "01/01/2026", "31/12/2026", "beaucoup"],
                ["P2", "B", "En cours", "01/01/2026", "31/12/2026", 50],
            ]
        }
    )
    assert not read_file(data, filename="x.xlsx").ok
    r = read_file(data, filename="x.xlsx", lenient=True)
    assert r.ok
    assert r.frames["projects"]["project_id"].tolist() == ["P1", "P2"]
    assert pd.isna(r.frames["projects"].loc[0, "budget"])
    (w,) = fixed(r, "cell_left_empty")
    assert (w.row, w.column, w.value) == (2, "Budget", "beaucoup")


def test_a_project_left_out_takes_its_milestones_with_it() -> None:
    """Row 3 has no name (required): P2 is left out, then its milestone (Jalons row 3)
    refers to an unknown project and is left out too; P1 and its milestone stay."""
    data = workbook(
        {
            "Projets": [
                HEADER,
                ["P1", "A", "En cours", "01/01/2026", "31/12/2026", 10],
                ["P2", None, "En cours", "01/01/2026", "31/12/2026", 10],
            ],
            "Jalons": [
                ["Code projet", "Code jalon", "Nom", "Date de référence"],
                ["P1", "J1", "Go", "01/03/2026"],
                ["P2", "J1", "Go", "01/03/2026"],
            ],
        }
    )
    r = read_file(data, filename="x.xlsx", lenient=True)
    assert r.ok
    assert r.frames["projects"]["project_id"].tolist() == ["P1"]
    assert r.frames["milestones"]["project_id"].tolist() == ["P1"]
    out = {(i.sheet, i.row) for i in fixed(r, "row_left_out")}
    assert out == {("Projets", 3), ("Jalons", 3)}


def test_a_sheet_missing_a_required_column_is_left_out() -> None:
    data = workbook(
        {
            "Projets": [HEADER, ["P1", "A", "En cours", "01/01/2026", "31/12/2026", 10]],
            "Jalons": [["Code projet", "Code jalon", "Nom"], ["P1", "J1", "Go"]],
        }
    )
    assert not read_file(data, filename="x.xlsx").ok
    r = read_file(data, filename="x.xlsx", lenient=True)
    assert r.ok and r.counts["projects"] == 1 and r.counts["milestones"] == 0
    (w,) = fixed(r, "sheet_left_out")
    assert w.sheet == "Jalons" and r.fixes["sheet_left_out"] == 1


def test_a_file_without_projects_stays_refused_even_lenient() -> None:
    data = workbook({"Jalons": [["Code projet", "Code jalon", "Date de référence"]]})
    assert not read_file(data, filename="x.xlsx", lenient=True).ok


@pytest.mark.parametrize("lenient", [False, True])
def test_a_negative_expected_benefit_imports_with_a_warning_in_both_modes(lenient: bool) -> None:
    data = workbook(
        {
            "Projets": [
                [*HEADER, "Bénéfices attendus"],
                ["P1", "A", "En cours", "01/01/2026", "31/12/2026", 10, -250000],
            ]
        }
    )
    r = read_file(data, filename="x.xlsx", lenient=lenient)
    assert r.ok
    assert r.frames["projects"].loc[0, "expected_benefit"] == -250000.0  # a net dis-benefit
    (w,) = [i for i in r.issues if i.template == rules.NEGATIVE_BENEFIT]
    assert (w.severity, w.row, w.column, w.fix) == ("warning", 2, "Bénéfices attendus", None)


def test_a_negative_budget_is_left_empty_not_zeroed() -> None:
    data = workbook({"Projets": [HEADER, ["P1", "A", "En cours", "01/01/2026", "31/12/2026", -5]]})
    r = read_file(data, filename="x.xlsx", lenient=True)
    assert r.ok and pd.isna(r.frames["projects"].loc[0, "budget"])
    assert r.fixes["cell_left_empty"] == 1


def test_lenient_risks_that_fit_no_scale_are_left_out() -> None:
    """Fractions 0.2 and 0.5 decide the column: 40 (Excel row 4) fits no fraction and the
    risk is left out; the two others stay (probabilities 0.2 and 0.5)."""
    data = workbook(
        {
            "Projets": [HEADER, ["P1", "A", "En cours", "01/01/2026", "31/12/2026", 10]],
            "Risques": [
                ["Code risque", "Code projet", "Titre", "Probabilité", "Impact"],
                ["R1", "P1", "a", 0.2, 1000],
                ["R2", "P1", "b", 0.5, 2000],
                ["R3", "P1", "c", 40, 3000],
            ],
        }
    )
    assert not read_file(data, filename="x.xlsx").ok
    r = read_file(data, filename="x.xlsx", lenient=True)
    assert r.ok
    assert r.frames["risks"]["risk_id"].tolist() == ["R1", "R2"]
    assert [(i.sheet, i.row) for i in fixed(r, "row_left_out")] == [("Risques", 4)]


def test_every_lenient_text_has_its_french() -> None:
    from pmo_core.ingest import update

    texts = [
        *ingest_issues.FIXES.values(),
        rules.NEGATIVE_BENEFIT,
        pipeline.FEWER_PROJECTS,
        pipeline.SAME_AS_OF,
        pipeline.NOTHING_TO_UPDATE,
        pipeline.UPDATE_SCHEDULES,
        update.SHEET_NOT_USED,
        update.COLUMNS_LOST,
        update.SETTING_NOT_USED,
        update.UPDATE_SUMMARY,
    ]
    for text in texts:
        assert text in i18n.FR, text
        assert i18n.FR[text].count("{") == text.count("{")


# ----------------------------------------------------------------------------- property

ids = st.sampled_from(["P1", "P2", "P3", None])
names = st.sampled_from(["A", "B", None])
days = st.integers(min_value=1, max_value=28)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ids, names, days, days), min_size=1, max_size=8))
def test_lenient_keeps_each_valid_id_once_and_never_an_end_before_start(
    rows: list[tuple[str | None, str | None, int, int]],
) -> None:
    """Whatever the rows: the import is ok; the projects are the distinct ids that have
    a name on some row (a row without id or name is left out before the duplicates are
    looked at); no end date is before its start; every left-out row is listed."""
    sheet = [HEADER] + [
        [pid, name, "En cours", f"{s:02d}/01/2026", f"{e:02d}/01/2026", 10]
        for pid, name, s, e in rows
    ]
    r = read_file(workbook({"Projets": sheet}), filename="p.xlsx", lenient=True)
    assert r.ok
    p = r.frames["projects"]
    expected = list(dict.fromkeys(pid for pid, name, _, _ in rows if pid and name))
    assert p["project_id"].tolist() == expected
    both = p["start_date"].notna() & p["end_date"].notna()
    assert not (p.loc[both, "end_date"] < p.loc[both, "start_date"]).any()
    gone = r.fixes["row_left_out"] + r.fixes["duplicate_kept_once"]
    assert gone == len(rows) - len(expected)


# --------------------------------------------------------------------------- CLI, audit


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pmo_core", *args, "--db", str(db), "--json"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_cli_lenient_import_counts_its_fixes_and_writes_them_to_the_audit_log(
    tmp_path: Path,
) -> None:
    f = tmp_path / "itdb.xlsx"
    f.write_bytes(it_dashboard_like())
    db = tmp_path / "pmo.duckdb"
    refused = cli("import", str(f), db=db)
    assert refused.returncode == 1 and json.loads(refused.stdout)["lenient"] is False
    r = cli("import", str(f), "--lenient", "--as-of", "2026-06-30", db=db)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["ok"] and d["lenient"] is True and d["counts"]["projects"] == 4
    assert d["fixes"] == {
        "cell_left_empty": 1,
        "row_left_out": 1,
        "duplicate_kept_once": 1,
        "sheet_left_out": 0,
    }
    assert {i["fix"] for i in d["issues"]} >= {"cell_left_empty", "row_left_out"}
    assert d["update"] is None
    log = store.audit_log(db)
    (entry,) = log.loc[log["action"] == "import_lenient", "what"].tolist()
    assert entry.startswith("itdb.xlsx: 1 cell left empty, 1 row left out, 1 duplicate kept once")
    assert "Projets | row 6 | Code projet | 'P3'" in entry
    assert log.loc[log["action"] == "import_lenient", "snapshot_id"].tolist() == [d["snapshot_id"]]
    assert store.get_snapshot(path=db).as_of == date(2026, 6, 30)


# ----------------------------------------------------------------------------- the page


def confirm_fewer(at):  # type: ignore[no-untyped-def]
    """The checkbox confirming a much smaller portfolio (its key names the file)."""
    (box,) = [c for c in at.checkbox if (c.key or "").startswith("import_confirm_fewer_")]
    return box


def test_the_import_page_commits_a_faulty_file_only_when_lenient_is_ticked(app_db: Path) -> None:
    from tests.conftest import run_page

    at = run_page("import_data.py", "fr")
    at.file_uploader(key="import_file").set_value(("itdb.xlsx", it_dashboard_like(), "x")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.checkbox(key="import_lenient").value is False  # strict by default
    assert at.button(key="import_commit").disabled
    at.checkbox(key="import_lenient").check().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cellules laissées vides"] == "1"
    assert metrics["Lignes écartées"] == "1"
    assert metrics["Doublons gardés une fois"] == "1"
    assert at.button(key="import_commit").disabled  # 4 projects against the demo's 60...
    confirm_fewer(at).check().run()  # ... confirmed
    assert not at.button(key="import_commit").disabled
    before = store.latest_snapshot_id(app_db)
    at.button(key="import_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    sid = store.latest_snapshot_id(app_db)
    assert sid == (before or 0) + 1
    assert store.get_snapshot(sid, path=app_db).frames["projects"]["project_id"].tolist() == [
        "P1",
        "P2",
        "P3",
        "P4",
    ]
    log = store.audit_log(app_db)
    assert log.loc[log["action"] == "import_lenient", "snapshot_id"].tolist() == [sid]


@needs_data
def test_cli_imports_the_gmpp_2023_like_file_with_lenient_and_lists_the_row(tmp_path: Path) -> None:
    data, pid = gmpp_2023_like()
    f = tmp_path / "uk_2023.csv"
    f.write_bytes(data)
    db = tmp_path / "pmo.duckdb"
    assert cli("import", str(f), db=db).returncode == 1  # strict: refused, nothing written
    assert store.latest_snapshot_id(db) is None
    r = cli("import", str(f), "--lenient", db=db)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["counts"]["projects"] == 235 and d["fixes"]["cell_left_empty"] == 1
    (w,) = [i for i in d["issues"] if i["fix"]]
    assert (w["sheet"], w["row"], w["column"]) == ("uk_2023", 6, "end_date")
    p = store.get_snapshot(path=db, tables=("projects",)).frames["projects"]
    assert pd.isna(p.loc[p["project_id"] == pid, "end_date"].iloc[0])
