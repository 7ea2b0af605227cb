"""The Baseline sheet (DESIGN sections 3 and 4): read, checked, stored, and driving PV and
earned schedule through to ``kpis --json`` (issue 14, item 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from pmo_core.ingest import read_file
from tests.conftest import workbook

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = [
    [
        "Code projet",
        "Nom du projet",
        "Statut",
        "Date de début",
        "Date de fin",
        "Budget",
        "Avancement",
    ],
    ["B", "Refonte", "En cours", datetime(2026, 1, 1), datetime(2026, 6, 1), 100_000, 45],
    ["C", "Autre", "En cours", datetime(2026, 1, 1), datetime(2026, 12, 31), 50_000, 10],
]


def cli(*args: str, db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PMO_DB_PATH"}
    cmd = [sys.executable, "-m", "pmo_core", *args, "--db", str(db)]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert r.returncode == 0, r.stderr + r.stdout
    return json.loads(r.stdout)


# Lipke's back-loaded plan per month: 10 + 10 + 20 + 5 + 55 = 100 % of BAC (100 000),
# i.e. cumulative 10/20/40/45/100 % at the end of Jan..May 2026.
PER_PERIOD = [
    ["Code projet", "Mois", "PV du mois"],
    ["B", "03/2026", 20_000],  # out of order on purpose: cumulated in month order
    ["B", "01/2026", 10_000],
    ["B", "02/2026", 10_000],
    ["B", "04/2026", 5_000],
    ["B", "05/2026", 55_000],
]


def test_per_period_baseline_is_cumulated_at_import() -> None:
    r = read_file(workbook({"Projets": PROJECTS, "Référence": PER_PERIOD}), filename="b.xlsx")
    assert r.ok, [i.to_dict("en") for i in r.issues]
    b = r.frames["baseline"].sort_values("month")
    assert b["planned_value"].tolist() == [10_000, 20_000, 40_000, 45_000, 100_000]
    assert b["planned_value_period"].tolist() == [10_000, 10_000, 20_000, 5_000, 55_000]
    assert r.counts["baseline"] == 5


@pytest.mark.parametrize("header", ["VP du mois", "PV du mois", "PV per period"])
def test_the_french_template_says_vp_and_older_pv_headers_still_read(header: str) -> None:
    # GLOSSARY: valeur planifiée (VP). The French template writes "VP du mois" and
    # "VP cumulée"; a file from before (PV du mois) or in English reads the same:
    # 10 000 + 10 000 + 20 000 cumulated to 10 000 / 20 000 / 40 000.
    from pmo_core.ingest import template

    assert template.header("baseline", "planned_value_period", "fr") == "VP du mois"
    assert template.header("baseline", "planned_value", "fr") == "VP cumulée"
    rows = [["Code projet", "Mois", header], *[r for r in PER_PERIOD[1:4]]]
    r = read_file(workbook({"Projets": PROJECTS, "Référence": rows}), filename="b.xlsx")
    assert r.ok, [i.to_dict("en") for i in r.issues]
    assert r.frames["baseline"].sort_values("month")["planned_value"].tolist() == [
        10_000, 20_000, 40_000
    ]  # fmt: skip


def test_baseline_sheet_imports_and_kpis_json_uses_the_curve(tmp_path: Path) -> None:
    path = tmp_path / "baseline.xlsx"
    path.write_bytes(workbook({"Projets": PROJECTS, "Courbe de référence": PER_PERIOD}))
    db = tmp_path / "pmo.duckdb"
    checked = cli("validate", str(path), "--json", db=db)
    assert checked["ok"] and checked["counts"]["baseline"] == 5
    cli("import", str(path), "--as-of", "2026-04-01", "--json", db=db)
    doc = cli("kpis", "--json", db=db)
    b = next(p for p in doc["projects"] if p["project_id"] == "B")
    # As of 1 April (day 90 of 151): PV = the curve's 40 000 (linear: 59 602.65);
    # EV = 45 % = 45 000, which the curve reaches at the end of April (day 120):
    # SPI = 45 000 / 40 000 = 1.125; ES = 120 / 30.4375 = 3.942505 months; SPI(t) = 120 / 90.
    assert b["source"] == "baseline"
    assert b["pv"] == pytest.approx(40_000)
    assert b["spi"] == pytest.approx(1.125)
    assert b["es"] == pytest.approx(3.942505, abs=1e-6)
    assert b["spi_t"] == pytest.approx(4 / 3, abs=1e-9)
    # Start + PD / SPI(t) = 151 x 3/4 = 113.25 days -> 24 April 2026, as a plain date.
    assert b["forecast_finish"] == "2026-04-24"
    # C has no baseline: the linear plan, ES = 10 % x PD exactly.
    c = next(p for p in doc["projects"] if p["project_id"] == "C")
    assert c["source"] == "linear"
    assert c["es"] == pytest.approx(0.1 * 364 / 30.4375, abs=1e-9)


def _issues(rows: list[list[object]], sheet: str = "Baseline") -> list[dict]:
    r = read_file(workbook({"Projets": PROJECTS, sheet: rows}), filename="b.xlsx")
    return [i.to_dict("en") for i in r.issues]


def test_a_cumulative_curve_that_goes_down_is_warned_on_its_cell() -> None:
    issues = _issues(
        [
            ["Project ID", "Month", "Cumulative PV"],
            ["B", "2026-01", 10_000],
            ["B", "2026-02", 30_000],
            ["B", "2026-03", 25_000],  # Excel row 4: lower than February's 30 000
            ["B", "2026-04", 30_000],  # equal to the running maximum: fine
        ]
    )
    down = [i for i in issues if "lower than an earlier month" in i["message"]]
    assert [(i["severity"], i["sheet"], i["row"], i["column"], i["value"]) for i in down] == [
        ("warning", "Baseline", 4, "Cumulative PV", "25000.0")
    ]
    assert not [i for i in issues if i["severity"] == "error"]


def test_baseline_rules_unknown_project_negative_and_missing_values() -> None:
    issues = _issues(
        [
            ["Project ID", "Month", "Cumulative PV"],
            ["Z", "2026-01", 10_000],  # row 2: not in Projects
            ["B", "2026-01", -5],  # row 3: negative
            ["B", "2026-02", None],  # row 4: no planned value
        ]
    )
    errors = {
        (i["row"], i["column"], i["message"].split(":")[0])
        for i in issues
        if i["severity"] == "error"
    }
    assert errors == {
        (2, "Project ID", "Unknown project"),
        (3, "Cumulative PV", "Negative amount"),
        (4, "Cumulative PV", "Required value missing"),
    }


def test_a_baseline_without_planned_value_column_is_an_error_in_french_too() -> None:
    r = read_file(
        workbook({"Projets": PROJECTS, "Référence": [["Code projet", "Mois"], ["B", "01/2026"]]}),
        filename="b.xlsx",
    )
    assert not r.ok
    (issue,) = [i for i in r.issues if i.severity == "error"]
    assert issue.sheet == "Référence"
    assert issue.text("fr") == (
        "Colonne de valeur planifiée manquante : ajoutez une colonne "
        '"VP cumulée" / "Cumulative PV" (cumulée) ou "VP du mois" / "PV per period" '
        "(par période)."
    )


def test_a_unit_in_the_planned_value_headers_scales_them_as_budgets() -> None:
    # "PV du mois (k€)": 10 and 12,5 k€ -> 10 000 and 12 500 per month, cumulated to
    # 10 000 and 22 500; reported once, on the header (row 1).
    r = read_file(
        workbook(
            {
                "Projets": PROJECTS,
                "Référence": [
                    ["Code projet", "Mois", "PV du mois (k€)"],
                    ["B", "01/2026", 10],
                    ["B", "02/2026", "12,5"],
                ],
            }
        ),
        filename="b.xlsx",
    )
    assert r.ok, [i.to_dict("en") for i in r.issues]
    b = r.frames["baseline"].sort_values("month")
    assert b["planned_value_period"].tolist() == [10_000, 12_500]
    assert b["planned_value"].tolist() == [10_000, 22_500]
    scaled = [i.to_dict("en") for i in r.issues if "multiplied" in i.to_dict("en")["message"]]
    assert [(i["row"], i["column"], i["message"]) for i in scaled] == [
        (1, "PV du mois (k€)", "PV du mois (k€): amounts multiplied by 1,000.")
    ]
    # "PV cumulée (M€)": 0.04 and 0.1 M€ -> 40 000 and 100 000, kept cumulative.
    r = read_file(
        workbook(
            {
                "Projets": PROJECTS,
                "Baseline": [
                    ["Project ID", "Month", "PV cumulée (M€)"],
                    ["B", "2026-01", 0.04],
                    ["B", "2026-02", 0.1],
                ],
            }
        ),
        filename="b.xlsx",
    )
    assert r.ok, [i.to_dict("en") for i in r.issues]
    b = r.frames["baseline"].sort_values("month")
    assert b["planned_value"].tolist() == pytest.approx([40_000, 100_000])
    assert [i.text("fr") for i in r.issues if i.column == "PV cumulée (M€)"] == [
        "PV cumulée (M€) : montants multipliés par 1\u202f000\u202f000."
    ]
