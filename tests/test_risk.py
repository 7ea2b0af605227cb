"""Risk exposure, matrix, top risks and trend, with numbers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd

from pmo_core import schema
from pmo_core.kpi import risk


def projects(status_c: str = "in_progress") -> pd.DataFrame:
    return schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["A", "B", "C"],
                "name": ["a", "b", "c"],
                "status": ["in_progress", "in_progress", status_c],
            }
        ),
    )


def risks(impact_b: float = 200_000.0) -> pd.DataFrame:
    return schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": ["R1", "R2", "R3", "R4"],
                "project_id": ["A", "A", "B", "C"],
                "title": ["w", "x", "y", "z"],
                "probability": [0.5, 0.2, 0.3, 0.9],
                "impact": [100_000.0, 50_000.0, impact_b, 10_000.0],
                "status": ["Ouvert", "Clos", None, "open"],
            }
        ),
    )


def test_exposure_counts_open_risks_only() -> None:
    e = risk.exposure_by_project(risks(), projects())
    assert e.loc["A", "risk_exposure"] == 50_000  # 0.5 x 100 000; R2 is closed
    assert e.loc["B", "risk_exposure"] == 60_000  # 0.3 x 200 000; a blank status is open
    assert e.loc["C", "risk_exposure"] == 9_000
    assert e.loc["A", "open_risks"] == 1


def test_levels_register_gives_scores_not_money() -> None:
    r = risks().assign(probability=[4.0, 2.0, 3.0, 5.0], impact=[5.0, 1.0, 2.0, 1.0])
    e = risk.exposure_by_project(r, projects())
    assert math.isnan(e.loc["A", "risk_exposure"])
    assert e.loc["A", "risk_score"] == 20  # 4 x 5
    m = risk.risk_matrix(r)
    assert m.loc[4, 5] == 1 and m.loc[3, 2] == 1 and int(m.to_numpy().sum()) == 3


def test_trend_across_snapshots() -> None:
    history = [
        ("2026-08-31", risks(impact_b=100_000.0), projects()),
        ("2026-09-30", risks(), projects(status_c="completed")),
    ]
    tr = risk.exposure_trend(history).set_index(["as_of", "project_id"])
    aug, sep = pd.Timestamp("2026-08-31"), pd.Timestamp("2026-09-30")
    assert tr.loc[(aug, "B"), "risk_exposure"] == 30_000
    assert tr.loc[(sep, "B"), "risk_exposure"] == 60_000  # doubled
    assert (sep, "C") not in tr.index  # completed: out of the trend
    assert tr.loc[(aug, "C"), "risk_exposure"] == 9_000
    assert risk.exposure_trend([]).empty


def test_cell_risks_lists_one_cell_largest_first() -> None:
    k = range(1, 11)
    register = schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": [f"R{i}" for i in k],
                "project_id": ["A"] * 10,
                "title": [f"t{i}" for i in k],
                # 0.5 is probability level 3 (band 0.3-0.5], 0.9 level 5
                "probability": [0.9] * 6 + [0.5] * 4,
                # impacts 1 000..10 000: quintiles, R7 and R8 at level 4, R9 and R10 at 5
                "impact": [1000.0 * i for i in k],
                "status": [None] * 8 + ["Clos", "open"],
            }
        ),
    )
    # exposure R7 = 0.5 x 7 000 = 3 500, R8 = 4 000: R8 first
    assert risk.cell_risks(register, 3, 4)["risk_id"].tolist() == ["R8", "R7"]
    assert risk.cell_risks(register, 3, 5)["risk_id"].tolist() == ["R10"]  # R9 is closed
    assert risk.cell_risks(register, 1, 1).empty
