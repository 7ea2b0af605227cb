"""The CLI through subprocess: exit codes, one JSON document on stdout, DESIGN section 7."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import BACKENDS, new_store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_portfolio.xlsx"
TABLES = (
    "projects",
    "objectives",
    "pairwise",
    "alignment",
    "resources",
    "capacity",
    "allocations",
    "milestones",
    "risks",
    "status_reports",
    "baseline",
    "priorities",
)
#: Tables the demo leaves empty: Capacity (optional sheet) and Priorities (the demo rates
#: its projects in Alignment; imported priorities come with a Project Server export).
EMPTY_IN_DEMO = ("capacity", "priorities")

needs_demo = pytest.mark.skipif(
    not DEMO.exists(), reason="data/demo_portfolio.xlsx not written yet"
)


def cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PMO_DB_PATH", "PMO_DB_URL")}
    cmd = [sys.executable, "-m", "pmo_core", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def doc(r: subprocess.CompletedProcess[str]) -> dict:
    """stdout must be exactly one JSON document."""
    return json.loads(r.stdout)


@pytest.fixture(scope="module", params=BACKENDS)
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The demo imported by the CLI into a store of each backend (PostgreSQL when a test
    server is given: ``tests/pgtest.py``)."""
    if not DEMO.exists():
        pytest.skip("data/demo_portfolio.xlsx not written yet")
    with new_store(request.param, tmp_path_factory.mktemp("cli")) as db:
        r = cli("import", str(DEMO), "--json", db=db)
        assert r.returncode == 0, r.stderr + r.stdout
        yield db  # type: ignore[misc]


@needs_demo
def test_import_demo_prints_ok_with_counts_for_all_ten_tables(imported: Path) -> None:
    r = cli("snapshots", "--json", db=imported)
    assert r.returncode == 0
    snaps = doc(r)["snapshots"]
    assert len(snaps) == 1
    assert {"snapshot_id", "imported_at", "as_of", "source"} <= set(snaps[0])
    assert snaps[0]["as_of"] == "2026-10-31"  # the demo carries its as-of date
    counts = snaps[0]["counts"]
    for table in TABLES:
        if table not in EMPTY_IN_DEMO:
            assert counts[table] > 0, table


@needs_demo
def test_importing_again_adds_a_second_snapshot_and_keeps_the_first(store_db: Path) -> None:
    db = store_db
    first = doc(cli("import", str(DEMO), "--json", db=db))
    assert first["ok"] is True and first["snapshot_id"] == 1
    assert set(first["counts"]) == set(TABLES)
    second = doc(cli("import", str(DEMO), "--json", "--as-of", "2026-11-30", db=db))
    assert second["snapshot_id"] == 2
    snaps = doc(cli("snapshots", "--json", db=db))["snapshots"]
    assert [s["snapshot_id"] for s in snaps] == [2, 1]
    assert [s["as_of"] for s in snaps] == ["2026-11-30", "2026-10-31"]
    assert snaps[0]["counts"] == snaps[1]["counts"] == first["counts"]


@needs_demo
def test_validate_of_a_duplicate_project_id_exits_1_naming_sheet_row_column(
    tmp_path: Path,
) -> None:
    wb = openpyxl.load_workbook(DEMO)
    ws = next(ws for ws in wb.worksheets if ws.title in ("Projets", "Projects"))
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=1).value = ws.cell(row=2, column=1).value  # duplicate the first id
    broken = tmp_path / "broken.xlsx"
    wb.save(broken)
    db = tmp_path / "never.duckdb"
    r = cli("validate", str(broken), "--json", db=db)
    assert r.returncode == 1
    d = doc(r)
    assert d["ok"] is False
    errors = [i for i in d["issues"] if i["severity"] == "error"]
    assert any(
        i["sheet"] == ws.title and i["row"] == 3 and i["column"] == header[0] for i in errors
    ), errors
    r = cli("import", str(broken), "--json", db=db)
    assert r.returncode == 1 and doc(r)["snapshot_id"] is None
    assert not db.exists() or doc(cli("snapshots", "--json", db=db))["snapshots"] == []


def test_wrong_usage_exits_2() -> None:
    assert cli("optimize").returncode == 2  # --budget is required
    assert cli("no-such-command").returncode == 2


def test_kpis_on_an_empty_store_is_a_clear_error(tmp_path: Path) -> None:
    r = cli("kpis", "--json", db=tmp_path / "empty.duckdb")
    assert r.returncode == 1
    assert "no snapshot" in doc(r)["error"].lower()


def test_a_file_that_is_not_a_workbook_is_rejected(tmp_path: Path) -> None:
    junk = tmp_path / "notes.xlsx"
    junk.write_bytes(b"this is not a zip file at all")
    r = cli("import", str(junk), "--json", db=tmp_path / "x.duckdb")
    assert r.returncode == 1
    d = doc(r)
    assert d["ok"] is False and d["issues"] and d["issues"][0]["severity"] == "error"
    assert "Traceback" not in r.stderr


@needs_demo
def test_forecast_json_has_the_contract_fields_and_repeats_with_its_seed(imported: Path) -> None:
    r = cli("forecast", "--json", "--iterations", "500", "--seed", "4", db=imported)
    assert r.returncode == 0, r.stderr
    d = doc(r)
    assert {"snapshot_id", "iterations", "portfolio", "projects", "calibration"} <= set(d)
    assert d["iterations"] == 500
    assert {"eac_p50", "eac_p80", "prob_within_budget"} <= set(d["portfolio"])
    assert {"forecasts", "share_below_p80", "share_within_p10_p90"} <= set(d["calibration"])
    p = d["projects"][0]
    assert set(p) >= {
        "project_id",
        "eac_p10",
        "eac_p50",
        "eac_p80",
        "eac_p90",
        "finish_p50",
        "finish_p80",
        "prob_within_bac",
        "prob_by_baseline_finish",
        "reference_class",
        "observations",
    }
    # Dates as YYYY-MM-DD, ordered percentiles; one snapshot: the prior, said so.
    assert len(p["finish_p50"]) == 10 and p["finish_p50"] <= p["finish_p80"]
    assert p["eac_p10"] <= p["eac_p50"] <= p["eac_p80"] <= p["eac_p90"]
    assert p["reference_class"] == "prior" and p["observations"] == 0
    again = cli("forecast", "--json", "--iterations", "500", "--seed", "4", db=imported)
    assert doc(again) == d
    assert cli("forecast", "--iterations", "0", db=imported).returncode == 2


@needs_demo
def test_kpis_json_has_the_contract_fields(imported: Path) -> None:
    r = cli("kpis", "--json", db=imported)
    assert r.returncode == 0, r.stderr
    d = doc(r)
    assert {"snapshot_id", "as_of", "portfolio", "projects"} <= set(d)
    assert {
        "bac",
        "pv",
        "ev",
        "ac",
        "sv",
        "cv",
        "spi",
        "cpi",
        "eac",
        "vac",
        "risk_exposure",
    } <= set(d["portfolio"])
    p = d["projects"][0]
    assert {
        "project_id",
        "bac",
        "pv",
        "ev",
        "ac",
        "spi",
        "cpi",
        "eac",
        "spi_t",
        "alignment_score",
        "priority_pct",
        "rag",
        "slip_days",
        "risk_exposure",
    } <= set(p)


@needs_demo
def test_capacity_json_rows_are_role_month_ratios(imported: Path) -> None:
    r = cli("capacity", "--json", db=imported)
    assert r.returncode == 0, r.stderr
    rows = doc(r)["rows"]
    assert rows
    row = rows[0]
    assert {"role", "month", "demand_hours", "capacity_hours", "utilisation"} <= set(row)
    assert len(row["month"]) == 10 and row["month"].endswith("-01")
    assert any(r["utilisation"] is not None and r["utilisation"] > 1.0 for r in rows)


@needs_demo
def test_optimize_json_respects_the_budget(imported: Path) -> None:
    r = cli("optimize", "--budget", "12M", "--json", "--time-limit", "5", db=imported)
    assert r.returncode == 0, r.stderr
    d = doc(r)
    assert {
        "status",
        "objective",
        "gap",
        "total_cost",
        "selected",
        "excluded",
        "greedy_objective",
    } <= set(d)
    assert d["status"] in ("optimal", "time_limit", "infeasible")
    if d["status"] != "infeasible":
        assert d["total_cost"] <= 12e6 + 1e-6
        assert d["objective"] >= d["greedy_objective"] - 1e-6


SAMPLES = ROOT.parent / "shared" / "data" / "mspdi-samples"


@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/data not present")
def test_import_of_several_schedules_makes_one_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    r = cli(
        "import",
        str(SAMPLES / "resource-rates-test.xer"),
        str(SAMPLES / "sample1.xml"),
        "--json",
        db=db,
    )
    assert r.returncode == 0, r.stderr + r.stdout
    d = doc(r)
    assert d["snapshot_id"] == 1 and d["counts"]["projects"] == 2
    # Issues name the file they come from.
    assert any(i["sheet"].startswith("sample1.xml") for i in d["issues"])
    k = doc(cli("kpis", "--json", db=db))
    assert len(k["projects"]) == 2


def test_hash_password_prints_a_verifiable_hash() -> None:
    from pmo_core import auth

    env = {k: v for k, v in os.environ.items() if k not in ("PMO_DB_PATH", "PMO_DB_URL")}
    r = subprocess.run(
        [sys.executable, "-m", "pmo_core", "hash-password", "--json"],
        input="Copil-2026!\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    h = doc(r)["hash"]
    assert "Copil" not in h and auth.verify_password("Copil-2026!", h)
    empty = subprocess.run(
        [sys.executable, "-m", "pmo_core", "hash-password"],
        input="\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert empty.returncode == 2 and "empty" in empty.stderr


def test_optimize_time_limit_comes_from_the_settings(tmp_path: Path) -> None:
    from datetime import date

    from pmo_core import demo, store

    frames, settings = demo.build_demo(20, seed=1)
    db = tmp_path / "s.duckdb"
    store.commit_snapshot(
        frames,
        source="demo",
        as_of=date(2026, 10, 31),
        settings={**settings, "optimizer_time_limit": "3,5"},
        path=db,
    )
    d = doc(cli("optimize", "--budget", "5M", "--json", db=db))
    assert d["time_limit"] == 3.5
    d = doc(cli("optimize", "--budget", "5M", "--time-limit", "2", "--json", db=db))
    assert d["time_limit"] == 2.0


@needs_demo
def test_frontier_keeps_a_yearly_limit(imported: Path) -> None:
    free = doc(cli("frontier", "--points", "4", "--json", db=imported))
    capped = doc(
        cli("frontier", "--points", "4", "--year-budget", "2027=10M", "--json", db=imported)
    )
    assert len(free["points"]) == len(capped["points"]) == 4
    assert {p["status"] for p in capped["points"]} == {"optimal"}
    # A 10 M€ limit on 2027 can only lower (never raise) the value at each budget level,
    # and it binds at the largest budget, where the free frontier spends more in 2027.
    for a, b in zip(free["points"], capped["points"], strict=True):
        assert b["objective"] <= a["objective"] + 1e-6
    assert capped["points"][-1]["objective"] < free["points"][-1]["objective"]
    tight = doc(cli("frontier", "--points", "2", "--year-budget", "2027=1M", "--json", db=imported))
    assert {p["status"] for p in tight["points"]} == {"infeasible"}  # running projects alone


# n/a without inputs (issue 14, item 2): null in the JSON, never a default that looks real.

GAP_HEADER = (
    "project_id",
    "name",
    "status",
    "start_date",
    "end_date",
    "budget",
    "actual_cost",
    "percent_complete",
)
GAP_ROWS = (
    ("NOEND", "Sans fin", "in_progress", "2026-01-01", None, 100_000, 20_000, 40),
    ("NODATES", "Sans dates", "in_progress", None, None, 100_000, 20_000, 40),
    (
        "NOPROGRESS",
        "Sans avancement",
        "in_progress",
        "2026-01-01",
        "2026-12-31",
        100_000,
        30_000,
        None,
    ),
    ("FULL", "Complet", "in_progress", "2026-01-01", "2026-12-31", 100_000, 50_000, 60),
)


def _gap_workbook(path: Path, rows: tuple[tuple[object, ...], ...]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Projects"
    ws.append(GAP_HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _gap_kpis(tmp_path: Path, rows: tuple[tuple[object, ...], ...]) -> dict:
    db = tmp_path / "gaps.duckdb"
    book = _gap_workbook(tmp_path / "gaps.xlsx", rows)
    r = cli("import", str(book), "--as-of", "2026-07-01", "--json", db=db)
    assert r.returncode == 0, r.stderr + r.stdout
    r = cli("kpis", "--json", db=db)
    assert r.returncode == 0, r.stderr
    return doc(r)


def test_kpis_json_gives_null_for_figures_without_their_inputs(tmp_path: Path) -> None:
    d = _gap_kpis(tmp_path, GAP_ROWS)
    p = {x["project_id"]: x for x in d["projects"]}
    # No end date: before, PV = BAC = 100 000, SPI 0.40 and red.
    for key in ("pv", "sv", "spi", "es", "spi_t", "sv_t", "forecast_finish"):
        assert p["NOEND"][key] is None, key
    assert p["NOEND"]["cpi"] == 2.0  # 40 000 / 20 000
    assert p["NOEND"]["rag"] == "G" and p["NOEND"]["rag_schedule"] is None
    assert p["NOEND"]["missing_inputs"] == "dates"
    # No dates: before, PV = 0 and SV = +40 000.
    assert p["NODATES"]["pv"] is None and p["NODATES"]["sv"] is None
    # No progress: EV, CPI, SPI, ES, EAC null and no rating; PV and AC stay.
    x = p["NOPROGRESS"]
    assert x["pv"] == pytest.approx(49_725.2747, abs=1e-3)  # 100 000 x 181 / 364
    assert x["ac"] == 30_000
    for key in ("ev", "sv", "cv", "spi", "cpi", "eac", "es", "spi_t", "rag", "rag_cost"):
        assert x[key] is None, key
    assert x["missing_inputs"] == "progress"
    assert p["FULL"]["missing_inputs"] is None
    port = d["portfolio"]
    # PV over NOPROGRESS and FULL; EV over NOEND, NODATES and FULL = 40 000 x 2 + 60 000.
    assert port["pv"] == pytest.approx(99_450.5495, abs=1e-3)
    assert port["ev"] == 140_000
    # SPI over the one project with both EV and PV (FULL): 60 000 / 49 725.27.
    assert port["spi"] == pytest.approx(1.206630, abs=1e-6)
    # CPI over NOEND, NODATES and FULL: 140 000 / 90 000.
    assert port["cpi"] == pytest.approx(1.555556, abs=1e-6)
    assert port["left_out"]["pv"] == 2 and port["left_out"]["ev"] == 1
    assert port["left_out"]["spi"] == 3 and port["left_out"]["cpi"] == 1
    assert port["eac_at_bac"] == 1  # NOPROGRESS adds its BAC to the EAC
    assert port["unrated_projects"] == 1


def test_kpis_json_of_a_portfolio_without_any_ev_has_null_indices(tmp_path: Path) -> None:
    # GMPP-like: dates and budgets, no EV, no % complete, no status report, no AC.
    rows = tuple(
        (f"G{i}", "x", "in_progress", "2026-01-01", "2026-12-31", 100_000 * i, None, None)
        for i in (1, 2, 3)
    )
    port = _gap_kpis(tmp_path, rows)["portfolio"]
    assert port["bac"] == 600_000
    for key in ("ev", "ac", "sv", "cv", "spi", "cpi", "tcpi"):
        assert port[key] is None, key  # before: EV 0, SPI 0.0
    assert port["left_out"]["ev"] == 3 and port["left_out"]["spi"] == 3
    assert port["red_projects"] == 0 and port["amber_projects"] == 0
    assert port["unrated_projects"] == 3  # no schedule RAG computed from nothing


@needs_demo
def test_robust_json_gives_each_projects_selection_probability(imported: Path) -> None:
    r = cli("robust", "--budget", "30M", "--samples", "4", "--seed", "1", "--json", db=imported)
    assert r.returncode == 0, r.stderr
    d = doc(r)
    assert d["samples"] == 4 and d["ahp_perturbed"] in (True, False)
    assert {"project_id", "selection_probability", "class"} <= set(d["projects"][0])
    assert all(p["class"] in ("core", "borderline", "out") for p in d["projects"])
    assert cli("robust", "--budget", "30M", "--samples", "0", db=imported).returncode == 2
