"""Scenarios: saved, compared side by side, exported as a decision record."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd

from pmo_core import schema
from pmo_core.optimize import scenarios


def test_save_compare_and_export(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    a = {
        "status": "optimal",
        "objective": 150.0,
        "gap": 0.0,
        "total_cost": 90.0,
        "selected": ["P1", "P2"],
        "excluded": [{"project_id": "P3", "reason": "Budget"}],
        "greedy_objective": 140.0,
    }
    b = {
        **a,
        "objective": 100.0,
        "total_cost": 60.0,
        "selected": ["P2", "P3"],
        "excluded": [{"project_id": "P1", "reason": '=HYPERLINK("http://x","y")'}],
    }
    scenarios.save_scenario(
        "Budget 100", {"budget": 100, "value": "alignment"}, a, snapshot_id=1, who="pmo", path=db
    )
    scenarios.save_scenario(
        "Budget 60", {"budget": 60, "value": "alignment"}, b, snapshot_id=1, path=db
    )
    saved = scenarios.list_scenarios(db)
    assert saved["name"].tolist() == ["Budget 60", "Budget 100"]
    scores = pd.Series({"P1": 90.0, "P2": 60.0, "P3": 30.0})
    cmp = scenarios.comparison(saved, scores).set_index("name")
    assert cmp.loc["Budget 100", "selected"] == 2
    assert cmp.loc["Budget 100", "alignment"] == 75.0  # mean of 90 and 60
    assert cmp.loc["Budget 60", "alignment"] == 45.0
    m = scenarios.selection_matrix(saved)
    assert m.loc["P1"].tolist() == [False, True] and m.loc["P2"].tolist() == [True, True]

    projects = schema.conform(
        "projects",
        pd.DataFrame({"project_id": ["P1", "P2", "P3"], "name": ["Un", "Deux", "Trois"]}),
    )
    data = scenarios.decision_record_xlsx(saved.iloc[0], projects, "fr")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Décision"
    excluded = wb.worksheets[2]
    cell = excluded["C2"]
    # text, prefixed with ' as OWASP recommends (pmo_core.export_safety)
    assert cell.value == '\'=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_deltas_from_the_base_and_the_projects_that_differ(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    base = {"status": "optimal", "objective": 150.0, "total_cost": 90.0, "selected": ["P1", "P2"]}
    cut = {"status": "optimal", "objective": 100.0, "total_cost": 60.0, "selected": ["P2", "P3"]}
    benefit = {**cut, "objective": 5e6}
    scenarios.save_scenario(
        "Base", {"budget": 100, "value": "alignment"}, base, snapshot_id=1, path=db
    )
    scenarios.save_scenario(
        "Cut", {"budget": 60, "value": "alignment"}, cut, snapshot_id=1, path=db
    )
    scenarios.save_scenario(
        "Benefit", {"budget": 60, "value": "benefit"}, benefit, snapshot_id=1, path=db
    )
    saved = scenarios.list_scenarios(db).set_index("name").loc[["Base", "Cut", "Benefit"]]
    saved = saved.reset_index()
    d = scenarios.with_deltas(scenarios.comparison(saved)).set_index("name")
    # Cut vs Base: 100 - 150 = -50 value, 60 - 90 = -30 cost, 2 - 2 = 0 projects; it adds
    # P3 and drops P1.
    assert d.loc[
        "Base", ["objective_delta", "cost_delta", "selected_delta", "added", "dropped"]
    ].tolist() == [0, 0, 0, 0, 0]
    assert d.loc[
        "Cut", ["objective_delta", "cost_delta", "selected_delta", "added", "dropped"]
    ].tolist() == [-50, -30, 0, 1, 1]
    # Benefit (euros) against alignment points: no value change can be said.
    assert pd.isna(d.loc["Benefit", "objective_delta"]) and d.loc["Benefit", "cost_delta"] == -30
    m = scenarios.selection_matrix(saved)
    # P1 only in Base, P3 only in Cut/Benefit: they differ; P2 is in all three.
    assert scenarios.differing(m).to_dict() == {"P1": True, "P2": False, "P3": True}
    assert scenarios.with_deltas(scenarios.comparison(saved.iloc[:0])).empty
