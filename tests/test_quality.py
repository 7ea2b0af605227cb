"""Data-quality panel: gaps per project, worked out by hand on a four-project portfolio."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import quality, read_file

ROOT = Path(__file__).resolve().parents[1]


def _frames() -> dict[str, pd.DataFrame]:
    ts = pd.Timestamp
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            "name": ["Complete", "No money", "Proposal", "Bare"],
            "status": ["in_progress", "on_hold", "proposed", "in_progress"],
            "start_date": [ts("2026-01-01"), ts("2026-02-01"), None, None],
            "end_date": [ts("2026-12-31"), ts("2026-11-30"), ts("2027-06-30"), None],
            "budget": [100.0, None, 50.0, None],
            "manager": ["Ana", "Bob", "  ", None],
            "sponsor": ["CFO", None, "CIO", None],
        }
    )
    objectives = pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["Grow", "Save"]})
    alignment = pd.DataFrame(
        {
            # P1 rated on both; P2 on one (and O2 given without a rating); P3 on both.
            "project_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
            "objective_id": ["O1", "O2", "O1", "O2", "O1", "O2"],
            "rating": pd.array([3, 9, 1, None, 0, 6], dtype="Int64"),
        }
    )
    status_reports = pd.DataFrame({"project_id": ["P1"], "report_date": [ts("2026-06-30")]})
    milestones = pd.DataFrame({"project_id": ["P1", "P3"], "milestone_id": ["M1", "M2"]})
    frames = {name: schema.empty_frame(name) for name in schema.TABLES}
    frames.update(
        projects=schema.conform("projects", projects),
        objectives=schema.conform("objectives", objectives),
        alignment=schema.conform("alignment", alignment),
        status_reports=schema.conform("status_reports", status_reports),
        milestones=schema.conform("milestones", milestones),
    )
    return frames


def test_gaps_per_project_are_counted_kind_by_kind() -> None:
    q = quality.quality_by_project(_frames()).set_index("project_id")
    # P1: nothing missing.
    assert q.loc["P1", "gaps"] == 0
    # P2: budget, sponsor, one objective unrated, no status report (on hold), no milestone.
    p2 = q.loc["P2"]
    assert [k for k in quality.GAPS if p2[k]] == [
        "budget",
        "sponsor",
        "ratings",
        "status_report",
        "milestones",
    ]
    assert p2["gaps"] == 5
    # P3 is a proposal: no status report expected; blank manager text counts as missing.
    p3 = q.loc["P3"]
    assert [k for k in quality.GAPS if p3[k]] == ["start_date", "manager"]
    # P4: everything missing (8 kinds).
    assert q.loc["P4", "gaps"] == 8


def test_projects_come_most_gaps_first() -> None:
    q = quality.quality_by_project(_frames())
    assert q["project_id"].tolist() == ["P4", "P2", "P3", "P1"]
    assert q["gaps"].tolist() == [8, 5, 2, 0]


def test_summary_counts_projects_with_a_gap_and_gaps_by_kind() -> None:
    s = quality.quality_summary(quality.quality_by_project(_frames()))
    assert (s.projects, s.projects_with_gaps) == (4, 3)
    assert s.gaps_by_kind == {
        "start_date": 2,  # P3, P4
        "end_date": 1,  # P4
        "budget": 2,  # P2, P4
        "manager": 2,  # P3 (blank), P4
        "sponsor": 2,  # P2, P4
        "ratings": 2,  # P2 (one of two), P4 (none)
        "status_report": 2,  # P2, P4 (P3 is proposed, P1 reported)
        "milestones": 2,  # P2, P4
    }


def test_without_objectives_no_project_can_be_rated() -> None:
    frames = _frames()
    frames["objectives"] = schema.empty_frame("objectives")
    q = quality.quality_by_project(frames)
    assert q["ratings"].all()


def test_an_empty_snapshot_has_no_gaps() -> None:
    frames = {name: schema.empty_frame(name) for name in schema.TABLES}
    q = quality.quality_by_project(frames)
    assert q.empty and "gaps" in q
    s = quality.quality_summary(q)
    assert (s.projects, s.projects_with_gaps, s.gaps_by_kind["budget"]) == (0, 0, 0)


def test_the_demo_portfolio_is_read_and_checked() -> None:
    r = read_file(ROOT / "data" / "demo_portfolio.xlsx")
    q = quality.quality_by_project(r.frames)
    p = r.frames["projects"]
    assert len(q) == len(p)
    # Cross-check one kind against the frame itself.
    assert int(q["budget"].sum()) == int(p["budget"].isna().sum())
    assert int(q["milestones"].sum()) == int(
        (~p["project_id"].isin(r.frames["milestones"]["project_id"])).sum()
    )
