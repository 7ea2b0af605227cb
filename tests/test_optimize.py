"""Optimiser properties (hypothesis) and the rules of DESIGN section 4."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import optimize, schema
from pmo_core.optimize import Problem, solve


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(2, 12))
    value = np.array(draw(st.lists(st.integers(0, 100), min_size=n, max_size=n)), float)
    cost = np.array(draw(st.lists(st.integers(1, 50), min_size=n, max_size=n)), float)
    k = draw(st.integers(0, 3))
    demand = np.array(
        draw(
            st.lists(st.lists(st.integers(0, 20), min_size=n, max_size=n), min_size=k, max_size=k)
        ),
        float,
    ).reshape(k, n)
    cap = np.array(draw(st.lists(st.integers(10, 60), min_size=k, max_size=k)), float)
    budget = float(draw(st.integers(10, 200)))
    ids = [f"P{i}" for i in range(n)]
    return Problem(ids, value, cost, budget, demand, cap, [("R", "2026-01")] * k)


def _x(p: Problem, selected: list[str]) -> np.ndarray:
    return np.array([1.0 if i in selected else 0.0 for i in p.ids])


@settings(max_examples=60, deadline=None)
@given(problems())
def test_selection_satisfies_every_constraint_and_beats_greedy(p: Problem) -> None:
    s = solve(p, time_limit=5)
    assert s.status == "optimal"
    x = _x(p, s.selected)
    assert p.cost @ x <= p.budget + 1e-6
    if p.demand.size:
        assert np.all(p.demand @ x <= p.cap + 1e-6)
    assert s.objective >= s.greedy_objective - 1e-6
    assert s.objective == float(p.value @ x)


@settings(max_examples=40, deadline=None)
@given(problems(), st.data())
def test_forcing_a_project_in_never_raises_the_objective(p: Problem, data: st.DataObject) -> None:
    free = solve(p, time_limit=5)
    pid = data.draw(st.sampled_from(p.ids))
    p.forced_in = {pid}
    forced = solve(p, time_limit=5)
    if forced.status == "infeasible":
        assert forced.violations  # says which constraint breaks
    else:
        assert pid in forced.selected
        assert forced.objective <= free.objective + 1e-6


def portfolio() -> pd.DataFrame:
    return schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["RUN", "MAND", "A", "B", "C", "D", "E", "OLD", "GONE"],
                "name": list("abcdefghi"),
                "status": [
                    "in_progress",
                    "proposed",
                    "proposed",
                    "proposed",
                    "approved",
                    "proposed",
                    "proposed",
                    "completed",
                    "cancelled",
                ],
                "budget": [50.0, 10.0, 30.0, 30.0, 20.0, 10.0, 10.0, 5.0, 5.0],
                "actual_cost": [40.0, 0, 0, 0, 0, 0, 0, 5, 1],
                "expected_benefit": [0.0, 1, 90, 80, 40, 30, 30, 0, 0],
                "mandatory": [False, True, False, False, False, False, False, False, False],
                "depends_on": [None, None, None, None, "A", "OLD", "GONE", None, None],
                "exclusive_group": [None, None, "crm", "crm", None, None, None, None, None],
            }
        ),
    )


def test_rules_forced_dependencies_and_exclusive_groups() -> None:
    p = optimize.build_problem(portfolio(), None, budget=200, value="benefit")
    assert "OLD" not in p.ids and "GONE" not in p.ids  # completed and cancelled: not candidates
    assert p.forced_in == {"RUN", "MAND"}  # running (keep running) and mandatory
    s = solve(p)
    assert {"RUN", "MAND"} <= set(s.selected)
    assert not {"A", "B"} <= set(s.selected)  # exclusive group: at most one
    assert "D" in s.selected  # depends on a completed project: met
    reasons = {e["project_id"]: e["reason_code"] for e in s.excluded}
    assert reasons["E"] == "rule"  # depends on a cancelled project
    assert reasons["B"] == "exclusive"


def test_remaining_budget_counts_bac_minus_ac() -> None:
    p = optimize.build_problem(
        portfolio(), None, budget=200, value="benefit", remaining_budget=True
    )
    assert p.cost[p.ids.index("RUN")] == 10  # 50 - 40


def test_forced_projects_breaking_the_budget_are_infeasible_with_the_excess() -> None:
    p = optimize.build_problem(portfolio(), None, budget=40, value="benefit")
    s = solve(p)
    assert s.status == "infeasible"
    assert s.violations[0]["constraint"] == "budget"
    assert s.violations[0]["excess"] == 20  # RUN 50 + MAND 10 - 40


def test_excluded_by_budget_says_how_much_more() -> None:
    p = Problem(["A", "B"], np.array([10.0, 9.0]), np.array([10.0, 8.0]), budget=12.0)
    s = solve(p)
    assert s.selected == ["A"]
    (b,) = s.excluded
    assert b["reason_code"] == "budget" and b["params"]["amount"] == 6.0  # 8 - (12 - 10)
