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


def test_changed_projects_are_the_ids_behind_each_count() -> None:
    from pmo_core.kpi.diff import CHANGE_FILTERS, changed_projects

    old = frames([("A", 100.0), ("B", 50.0)], "2026-07-31", 10.0)
    new = frames([("A", 120.0), ("C", 30.0)], "2026-09-30", 10_000.0)
    d = snapshot_diff(
        old,
        new,
        kpis([("A", "G", 100, 100), ("B", "A", 50, 55)]),
        kpis([("A", "R", 120, 150), ("C", None, 30, 30)]),
        top_n=1,
    )
    assert changed_projects(d, "added") == {"C"}
    assert changed_projects(d, "weather") == {"A"}
    assert changed_projects(d, "slipped") == {"A"}
    assert changed_projects(d, "risks") == {"A"}
    # every filter names a frame of the diff (a key missing from the diff would list none)
    assert set(CHANGE_FILTERS.values()) <= set(d)


def _kpis_with_finish(rag: str | None, eac: float | None, finish: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["A"],
            "name": ["a"],
            "rag": [rag],
            "bac": [100.0],
            "eac": [eac],
            "forecast_finish": pd.to_datetime([finish]),
        }
    )


def test_project_changes_by_hand() -> None:
    from pmo_core.kpi.diff import project_changes

    old = frames([("A", 100.0)], "2026-07-31", 10.0)
    new = frames([("A", 100.0)], "2026-09-30", 10.0)
    # R1 closed, R3 new this month; R2 unchanged (open both times).
    new["risks"] = schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": ["R1", "R2", "R3"],
                "project_id": ["A", "A", "A"],
                "title": ["x", "y", "z"],
                "probability": [0.5, 0.5, 0.2],
                "impact": [1000.0, 10.0, 50.0],
                "status": ["Clos", None, "open"],
            }
        ),
    )
    c = project_changes(
        old,
        new,
        _kpis_with_finish("A", 100.0, "2027-01-31"),
        # EAC 100 -> 130 (+30 % > 1 %); forecast finish 31 Jan -> 28 Feb 2027
        _kpis_with_finish("R", 130.0, "2027-02-28"),
        "A",
    )
    rows = {(r.what, r.item): (r.before, r.after) for r in c.itertuples()}
    assert rows[("rag", None)] == ("A", "R")
    assert rows[("eac", None)] == (100.0, 130.0)
    assert rows[("forecast_finish", None)] == (
        pd.Timestamp("2027-01-31"),
        pd.Timestamp("2027-02-28"),
    )
    assert rows[("milestone", "Go-live")] == (
        pd.Timestamp("2026-07-31"),
        pd.Timestamp("2026-09-30"),
    )
    assert ("risk_new", "z") in rows and ("risk_closed", "x") in rows
    assert ("risk_new", "y") not in rows and ("risk_closed", "y") not in rows
    assert len(c) == 6


def test_project_changes_say_nothing_moved_and_name_an_added_project() -> None:
    from pmo_core.kpi.diff import project_changes

    f = frames([("A", 100.0)], "2026-07-31", 10.0)
    same = _kpis_with_finish("G", 100.0, "2027-01-31")
    assert project_changes(f, f, same, same.assign(eac=100.5), "A").empty  # 0.5 % < 1 %
    # EAC undefined before, known now: a change shown with a missing before, not from 0.
    c = project_changes(f, f, same.assign(eac=None), same, "A")
    assert c[["what", "before", "after"]].values.tolist() == [["eac", None, 100.0]]
    # A project not in the older snapshot: "added", nothing compared.
    empty = same.iloc[0:0]
    assert project_changes(f, f, empty, same, "A")["what"].tolist() == ["added"]
