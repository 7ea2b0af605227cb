"""Scenarios: saved, compared side by side, exported as a decision record."""

from __future__ import annotations

import io
import re
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
    header = [c.value for c in excluded[1]]
    cell = excluded.cell(2, header.index("Motif") + 1)  # an older entry: its reason as saved
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


def test_the_decision_record_holds_every_parameter_in_french(app_db: Path) -> None:
    from datetime import date

    from pmo_core import optimize, store
    from pmo_core.optimize import WhatIf

    snap = store.get_snapshot(path=app_db)
    w = WhatIf(
        budget=32e6,
        capacity=True,
        capacity_scale=1.2,
        keep_running=True,
        force_in=("PRJ-030",),
        force_out=("PRJ-001",),
        start_windows=(("PRJ-005", 3),),
        yearly_budget={2027: 14e6},
        weighting="Copil 2026",
        time_limit=5,
    )
    doc = optimize.optimize_document(snap, w)
    assert doc["status"] in ("optimal", "time_limit")
    sid = scenarios.save_scenario(
        "Arbitrage", w.to_dict(), doc, snapshot_id=snap.snapshot_id, who="dir.pmo", path=app_db
    )
    saved = scenarios.list_scenarios(app_db)
    row = saved[saved["doc_id"] == sid].iloc[0]
    projects = snap.frames["projects"]
    data = scenarios.decision_record_xlsx(row, projects, "fr", as_of=snap.as_of)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Décision", "Retenus", "Écartés, et pourquoi"]
    settings = {r[0].value: r[1].value for r in wb["Décision"].iter_rows(min_row=2)}
    nb = "\u00a0"
    created = pd.Timestamp(row["created_at"])
    assert settings == {
        "Scénario": "Arbitrage",
        "Enregistré par": "dir.pmo",
        "Enregistré le": f"{created:%d/%m/%Y %H:%M}",
        "Photo du portefeuille": f"#{snap.snapshot_id}",
        "Date d'arrêté": f"{snap.as_of:%d/%m/%Y}",
        "Budget": f"32\u202f000\u202f000{nb}€",
        "Limites annuelles": f"2027 : 14\u202f000\u202f000{nb}€",
        "Valeur": "Score d'alignement",
        "Pondération": "Copil 2026",
        "Conserver les projets en cours": "Oui",
        "Respecter le plan de charge": "Oui",
        "Coefficient de capacité": f"120{nb}%",
        "Imposés": "PRJ-030",
        "Exclus d'office": "PRJ-001",
        "Fenêtres de démarrage": "PRJ-005 : 3 mois",
        "Demandes approuvées incluses": "aucun",
        "Réponse": {"optimal": "Optimal", "time_limit": "Meilleure solution (temps limite)"}[
            doc["status"]
        ],
        "Écart à la meilleure réponse possible": settings["Écart à la meilleure réponse possible"],
        "Valeur de la sélection": f"{doc['objective']:,.1f}".replace(",", "\u202f").replace(
            ".", ","
        )
        + " points d'alignement",
        "Coût": f"{doc['total_cost']:,.0f}".replace(",", "\u202f") + f"{nb}€",
        "Projets retenus": str(len(doc["selected"])),
    }
    assert settings["Écart à la meilleure réponse possible"].endswith(f"{nb}%")
    assert isinstance(snap.as_of, date)
    # Per project: value rounded to 1 decimal with its unit in the header, cost as money.
    sel = wb["Retenus"]
    header = [c.value for c in sel[1]]
    assert header == [
        "Projet",
        "Nom",
        "Valeur (points d'alignement)",
        "Coût",
        "Démarrage décalé (mois)",
    ]
    first = {h: c for h, c in zip(header, sel[2], strict=True)}
    pid = first["Projet"].value
    assert first["Valeur (points d'alignement)"].value == round(doc["project_value"][pid], 1)
    assert first["Valeur (points d'alignement)"].number_format == "0.0"
    assert first["Coût"].value == doc["project_cost"][pid] and "€" in first["Coût"].number_format
    assert "PRJ-030" in [c.value for c in sel["A"]]  # forced in
    ex = wb["Écartés, et pourquoi"]
    header = [c.value for c in ex[1]]
    reasons = {r[0].value: r[header.index("Motif")].value for r in ex.iter_rows(min_row=2)}
    assert reasons["PRJ-001"] == "Exclu par le comité de pilotage."
    texts = [str(c.value) for r in ex.iter_rows(min_row=2) for c in r if isinstance(c.value, str)]
    assert not any(re.search(r"\d\.\d|\d{5,}", t) for t in texts), texts
