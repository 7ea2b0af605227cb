"""The demo portfolio: deterministic, believable, consistent, and exactly what is committed."""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_core import demo, kpi, schema
from pmo_core.ingest import read_file
from pmo_core.kpi.alignment import objective_weights
from pmo_core.kpi.capacity import utilisation_by_role_month

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data" / "demo_portfolio.xlsx"
AS_OF = pd.Timestamp("2026-10-31")


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    return demo.build_demo()


@pytest.fixture(scope="module")
def kpis(built) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frames, settings_ = built
    snap = types.SimpleNamespace(
        frames=frames, as_of=AS_OF.date(), settings=settings_, snapshot_id=1, currency="EUR"
    )
    return kpi.snapshot_kpis(snap)


# ------------------------------------------------------------------ determinism


def test_same_seed_gives_same_frames_and_same_bytes(tmp_path: Path) -> None:
    a, _ = demo.build_demo(60, 7)
    b, _ = demo.build_demo(60, 7)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    demo.write_demo(tmp_path / "one.xlsx")
    demo.write_demo(tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()


def test_another_seed_gives_another_portfolio() -> None:
    a, _ = demo.build_demo(60, 7)
    b, _ = demo.build_demo(60, 8)
    assert not a["projects"]["budget"].equals(b["projects"]["budget"])


def test_committed_workbook_is_what_the_generator_writes(tmp_path: Path) -> None:
    demo.write_demo(tmp_path / "fresh.xlsx")
    assert COMMITTED.read_bytes() == (tmp_path / "fresh.xlsx").read_bytes(), (
        "regenerate with `make demo` and commit data/demo_portfolio.xlsx"
    )


def test_committed_workbook_imports_back_to_the_same_frames(built) -> None:  # type: ignore[no-untyped-def]
    frames, _ = built
    r = read_file(COMMITTED)
    assert r.ok and not [i for i in r.issues if i.severity == "error"]
    assert r.as_of is not None and r.as_of.isoformat() == "2026-10-31"
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(
            r.frames[name].reset_index(drop=True), frames[name], check_dtype=False, obj=name
        )


# ------------------------------------------------------------------ shape of the demo


def test_demo_counts_and_every_status(built) -> None:  # type: ignore[no-untyped-def]
    f, settings_ = built
    assert settings_ == {"as_of": "2026-10-31", "currency": "EUR", "company": "Groupe Horizon"}
    p = f["projects"]
    assert len(p) == 60 and p["project_id"].iloc[0] == "PRJ-001"
    assert set(p["status"]) == set(schema.STATUSES)
    assert (p["status"] == "in_progress").sum() >= 20  # mostly running
    assert p["program"].nunique() == 5 and p["department"].nunique() == 6
    assert len(f["objectives"]) == 8 and len(f["pairwise"]) == 28
    assert len(f["resources"]) == 120 and f["resources"]["role"].nunique() == 12
    assert len(f["risks"]) == 150
    assert f["allocations"]["month"].nunique() == 24
    per_project = f["milestones"].groupby("project_id").size()
    assert per_project.between(2, 4).all() and len(per_project) == 60


@pytest.mark.parametrize(("n", "seed"), [(6, 1), (7, 2), (12, 3), (60, 7), (61, 7)])
def test_every_status_is_present_from_six_projects(n: int, seed: int) -> None:
    f, _ = demo.build_demo(n, seed)
    assert set(f["projects"]["status"]) == set(schema.STATUSES)


def test_dates_stay_within_2024_to_2028(built) -> None:  # type: ignore[no-untyped-def]
    p = built[0]["projects"]
    for col in ("start_date", "end_date", "forecast_end_date"):
        assert p[col].min() >= pd.Timestamp("2024-01-01"), col
        assert p[col].max() <= pd.Timestamp("2028-12-31"), col
    assert p["budget"].between(80_000, 4_000_000).all()


def test_running_projects_report_monthly_up_to_as_of(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    p, r = f["projects"], f["status_reports"]
    running = set(p.loc[p["status"].isin(["in_progress", "on_hold"]), "project_id"])
    assert set(r["project_id"]) == running
    assert r["report_date"].max() == AS_OF
    assert (r["report_date"] + pd.Timedelta(days=1)).dt.day.eq(1).all()  # month ends
    assert r.groupby("project_id").size().max() == 6
    assert set(r["rag"]) == {"G", "A", "R"}


# ------------------------------------------------------------------ integrity


def _check_integrity(f: dict[str, pd.DataFrame]) -> None:
    p = f["projects"]
    ids = set(p["project_id"])
    for name, t in schema.TABLES.items():
        if t.key:
            assert not f[name].duplicated(list(t.key)).any(), name
        if "project_id" in f[name]:
            assert set(f[name]["project_id"]) <= ids, name
    assert (p["end_date"] >= p["start_date"]).all()
    assert (p["forecast_end_date"] >= p["start_date"]).all()
    assert p["percent_complete"].between(0, 100).all()
    assert (p["budget"] >= 0).all() and (p["actual_cost"] >= 0).all()
    assert (f["allocations"]["hours"] > 0).all()
    objectives = set(f["objectives"]["objective_id"])
    assert set(f["alignment"]["objective_id"]) <= objectives
    assert set(f["pairwise"][["objective_a", "objective_b"]].stack()) <= objectives
    named = f["allocations"]["resource_id"].dropna()
    assert set(named) <= set(f["resources"]["resource_id"])
    assert (f["allocations"]["role"].notna() | f["allocations"]["resource_id"].notna()).all()
    deps = p["depends_on"].dropna()
    assert set(deps) <= ids
    r = f["status_reports"]
    assert r["percent_complete"].between(0, 100).all()
    assert f["risks"]["probability"].between(0, 1).all()


def test_referential_integrity(built) -> None:  # type: ignore[no-untyped-def]
    _check_integrity(built[0])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 90), seed=st.integers(0, 10_000))
def test_any_size_and_seed_gives_a_consistent_portfolio(n: int, seed: int) -> None:
    f, _ = demo.build_demo(n, seed)
    assert len(f["projects"]) == n
    _check_integrity(f)


# ------------------------------------------------------------------ the story


def test_projects_in_execution_mix_healthy_amber_late_and_over_budget(kpis) -> None:  # type: ignore[no-untyped-def]
    running = kpis[kpis["status"] == "in_progress"]
    rag = running["rag"].value_counts()
    # 29 running projects: about half green, the rest amber or red, never all one colour.
    assert rag.get("G", 0) >= 0.35 * len(running)
    assert rag.get("A", 0) >= 3 and rag.get("R", 0) >= 3
    assert (running["spi"] < 0.85).sum() >= 2  # late
    assert (running["cpi"] < 0.85).sum() >= 2  # over budget
    healthy = (running["spi"] >= 0.95) & (running["cpi"] >= 0.95)
    assert healthy.sum() >= 0.35 * len(running)


def test_project_row_matches_its_latest_report(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    r = f["status_reports"]
    now = r[r["report_date"] == AS_OF].set_index("project_id")
    p = f["projects"].set_index("project_id").loc[now.index]
    np.testing.assert_allclose(p["actual_cost"], now["actual_cost"])
    np.testing.assert_allclose(p["percent_complete"], now["percent_complete"])


def test_reported_values_are_cumulative(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    r = f["status_reports"].sort_values(["project_id", "report_date"])
    g = r.groupby("project_id")
    for col in ("planned_value", "earned_value", "actual_cost"):
        assert (g[col].diff().dropna() >= 0).all(), col
    budget = r["project_id"].map(f["projects"].set_index("project_id")["budget"])
    assert (r["planned_value"] <= budget).all() and (r["earned_value"] <= budget).all()


def test_two_running_projects_have_stopped_reporting(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    p, r = f["projects"], f["status_reports"]
    last = r.groupby("project_id")["report_date"].max()
    silent = last[last < AS_OF - pd.Timedelta(days=60)].index
    assert len(silent) == 2
    assert set(p.set_index("project_id").loc[silent, "status"]) == {"in_progress"}


def test_late_projects_have_slipping_milestones(kpis, built) -> None:  # type: ignore[no-untyped-def]
    m = built[0]["milestones"]
    slip = (m["forecast_date"] - m["baseline_date"]).dt.days.groupby(m["project_id"]).max()
    late = kpis.loc[(kpis["status"] == "in_progress") & (kpis["spi"] < 0.85), "project_id"]
    healthy = kpis.loc[(kpis["status"] == "in_progress") & (kpis["spi"] >= 0.97), "project_id"]
    assert slip.loc[late].median() > 60 > slip.loc[healthy].max()
    assert m["actual_date"].notna().any() and m["actual_date"].isna().any()
    assert (m["actual_date"].dropna() <= AS_OF).all()


def test_pairwise_judgments_are_on_the_scale_and_consistent(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    scale = {9, 6, 3, 1, 1 / 3, 1 / 6, 1 / 9}
    assert set(f["pairwise"]["judgment"]) <= scale
    w = objective_weights(f["objectives"], f["pairwise"])
    assert w.method == "ahp" and w.cr is not None and w.cr < 0.10
    assert w.weights.idxmax() == "OBJ1"  # growth first, as the weights they came from


def test_ratings_cover_most_projects_but_leave_a_few_proposals_unrated(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    a, p = f["alignment"], f["projects"]
    assert set(a["rating"]) == {0, 1, 3, 6, 9}
    unrated = set(p["project_id"]) - set(a["project_id"])
    assert len(unrated) == 3
    assert set(p.set_index("project_id").loc[sorted(unrated), "status"]) == {"proposed"}
    assert (a.groupby("project_id").size() == 8).all()


def test_candidates_carry_a_dependency_an_exclusive_pair_and_mandates(built) -> None:  # type: ignore[no-untyped-def]
    p = built[0]["projects"].set_index("project_id")
    deps = p["depends_on"].dropna()
    assert len(deps) == 2
    assert set(p.loc[deps.index, "status"]) == {"proposed"}
    assert set(p.loc[list(deps), "status"]) <= {"proposed", "approved"}
    pair = p[p["exclusive_group"].notna()]
    assert len(pair) == 2 and set(pair["status"]) == {"proposed"}
    assert 3 <= p["mandatory"].sum() <= 10
    overridden = p[p["rag_override"].notna()]
    assert 1 <= len(overridden) <= 2 and overridden["rag_reason"].notna().all()


def test_only_the_hot_roles_are_over_allocated_in_some_months(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    load = utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    over = load[load["utilisation"] > 1]
    assert set(over["role"]) == set(demo.HOT_ROLES)
    for role in demo.HOT_ROLES:  # over in some months, not in all
        months = load[load["role"] == role]
        assert 0 < (months["utilisation"] > 1).sum() < len(months)


def test_some_allocations_name_a_resource(built) -> None:  # type: ignore[no-untyped-def]
    a = built[0]["allocations"]
    named = a[a["resource_id"].notna()]
    assert 0 < len(named) < len(a) / 4 and named["role"].isna().all()


def test_risks_are_open_or_closed_and_closed_once_a_project_ends(built) -> None:  # type: ignore[no-untyped-def]
    f, _ = built
    r = f["risks"]
    assert set(r["status"]) == {"open", "closed"}
    status = r["project_id"].map(f["projects"].set_index("project_id")["status"])
    assert (r.loc[status.isin(["completed", "cancelled"]), "status"] == "closed").all()
    assert (r["impact"] >= 1000).all() and r["owner"].notna().all()


# ------------------------------------------------------------------ scale


def test_scale_workbook_has_design_proportions() -> None:
    f, _ = demo.build_demo(2000)
    assert len(f["projects"]) == 2000 and f["projects"]["project_id"].iloc[-1] == "PRJ-2000"
    assert len(f["resources"]) == 300 and f["resources"]["role"].nunique() == 25
    assert f["allocations"]["month"].nunique() == 36
    assert 180_000 <= len(f["allocations"]) <= 220_000
    assert len(f["milestones"]) == 10_000 and len(f["risks"]) == 8_000
    assert 20_000 <= len(f["status_reports"]) <= 28_000
    _check_integrity(f)
