"""What changed between two snapshots, on a hand-made pair."""

from __future__ import annotations

import pandas as pd

from pmo_core import schema
from pmo_core.kpi.diff import snapshot_diff


def frames(
    projects: list[tuple[str, float]], forecast: str, risk_impact: float
) -> dict[str, pd.DataFrame]:
    f = {n: schema.empty_frame(n) for n in schema.TABLES}
    f["projects"] = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": [p for p, _ in projects],
                "name": [p.lower() for p, _ in projects],
                "status": "in_progress",
                "budget": [b for _, b in projects],
            }
        ),
    )
    f["milestones"] = schema.conform(
        "milestones",
        pd.DataFrame(
            {
                "project_id": ["A"],
                "milestone_id": ["J1"],
                "name": ["Go-live"],
                "baseline_date": ["2026-06-30"],
                "forecast_date": [forecast],
            }
        ),
    )
    f["risks"] = schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": ["R1", "R2"],
                "project_id": ["A", "A"],
                "title": ["x", "y"],
                "probability": [0.5, 0.5],
                "impact": [1000.0, risk_impact],
            }
        ),
    )
    return f


def kpis(rows: list[tuple[str, str | None, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["project_id", "rag", "bac", "eac"]).assign(
        name=lambda d: d["project_id"].str.lower()
    )


def test_snapshot_diff_by_hand() -> None:
    old = frames([("A", 100.0), ("B", 50.0)], "2026-07-31", 10.0)
    new = frames([("A", 120.0), ("C", 30.0)], "2026-09-30", 10_000.0)
    d = snapshot_diff(
        old,
        new,
        kpis([("A", "G", 100, 100), ("B", "A", 50, 55)]),
        kpis([("A", "R", 120, 150), ("C", None, 30, 30)]),
        top_n=1,
    )
    assert d["added"]["project_id"].tolist() == ["C"]
    assert d["removed"]["project_id"].tolist() == ["B"]
    assert d["rag_changes"][["project_id", "rag_before", "rag_after"]].values.tolist() == [
        ["A", "G", "R"]
    ]
    # J1's forecast moved from 31 Jul to 30 Sep: 61 days > 30.
    assert d["milestones_slipped"]["slip_days"].tolist() == [61]
    assert d["budget_changes"][["project_id", "change"]].values.tolist() == [["A", 20.0]]
    assert d["eac_changes"][["project_id", "change"]].values.tolist() == [["A", 50.0]]
    # R2 (0.5 x 10 000 = 5 000) overtakes R1 (500) as the top risk.
    assert d["new_top_risks"]["risk_id"].tolist() == ["R2"]


def test_small_slips_and_changes_are_not_news() -> None:
    old = frames([("A", 100.0)], "2026-07-31", 10.0)
    new = frames([("A", 100.5)], "2026-08-20", 10.0)
    d = snapshot_diff(old, new, kpis([("A", "G", 100, 100)]), kpis([("A", "G", 100.5, 100)]))
    assert d["milestones_slipped"].empty  # 20 days <= 30
    assert d["budget_changes"].empty  # 0.5 % < 1 %
    assert d["rag_changes"].empty
