"""Optimiser properties (hypothesis) and the rules of DESIGN section 4."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import optimize, schema
from pmo_core.optimize import Problem, WhatIf, solve
from pmo_core.optimize import solver as optimize_solver


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
    p = Problem(ids, value, cost, budget, demand, cap, [("R", "2026-01")] * k)
    # Yearly limits on some of 2026-2028; spans from 2026 on, up to ~16 months long.
    years = draw(st.lists(st.sampled_from([2026, 2027, 2028]), unique=True, max_size=3))
    if years:
        p.year_limit = {y: float(draw(st.integers(5, 120))) for y in years}
        first = np.datetime64("2026-01-01") + np.array(
            draw(st.lists(st.integers(0, 900), min_size=n, max_size=n)), dtype="timedelta64[D]"
        )
        length = np.array(draw(st.lists(st.integers(0, 500), min_size=n, max_size=n)))
        p.spans = np.column_stack([first, first + length.astype("timedelta64[D]")])
    return p


def _x(p: Problem, selected: list[str]) -> np.ndarray:
    return np.array([1.0 if i in selected else 0.0 for i in p.ids])


def spend_by_year(p: Problem, selected: list[str], shift: dict[str, int]) -> dict[int, float]:
    """Cost of the selection per calendar year, day by day (independent of the model):
    each project's span moved by its start shift in months, its cost split evenly over
    its days."""
    out: dict[int, float] = {}
    for pid in selected:
        i = p.ids.index(pid)
        move = pd.DateOffset(months=shift.get(pid, 0))
        first, last = (pd.Timestamp(d) + move for d in p.spans[i])
        days = pd.date_range(first, max(first, last), freq="D")
        for year, n in days.year.value_counts().items():
            out[int(year)] = out.get(int(year), 0.0) + p.cost[i] * n / len(days)
    return out


def within_yearly_limits(p: Problem, selected: list[str], shift: dict[str, int]) -> bool:
    if not p.year_limit:
        return True
    spent = spend_by_year(p, selected, shift)
    return all(spent.get(y, 0.0) <= limit + 1e-6 for y, limit in p.year_limit.items())


@settings(max_examples=60, deadline=None)
@given(problems())
def test_selection_satisfies_every_constraint_and_beats_greedy(p: Problem) -> None:
    s = solve(p, time_limit=5)
    assert s.status == "optimal"
    x = _x(p, s.selected)
    assert p.cost @ x <= p.budget + 1e-6
    if p.demand.size:
        assert np.all(p.demand @ x <= p.cap + 1e-6)
    assert within_yearly_limits(p, s.selected, {})
    assert s.objective >= s.greedy_objective - 1e-6
    assert s.objective == float(p.value @ x)
    g = optimize.greedy(p)
    assert within_yearly_limits(p, [i for i, gi in zip(p.ids, g, strict=True) if gi > 0.5], {})


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


def test_depending_on_a_cancelled_project_is_a_translated_template() -> None:
    from pmo_core.i18n import t

    p = optimize.build_problem(portfolio(), None, budget=200, value="benefit")
    (e,) = [e for e in solve(p).excluded if e["project_id"] == "E"]
    assert e["template"] == "Depends on {q}, which is cancelled."
    assert e["params"] == {"q": "GONE"}
    assert e["reason"] == "Depends on GONE, which is cancelled."
    assert t(e["template"], "fr", **e["params"]) == "Dépend de GONE, qui est annulé."


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


# ------------------------------------------------------------------ start windows


def two_in_january(windows: dict[str, int]) -> Problem:
    """One role R, 100 h in January and in February 2027; A and B each need 80 h in
    January: both fit only if one starts a month later."""
    return Problem(
        ["A", "B"],
        np.array([10.0, 8.0]),
        np.array([1.0, 1.0]),
        budget=10.0,
        demand=np.array([[80.0, 80.0], [0.0, 0.0]]),
        cap=np.array([100.0, 100.0]),
        row_labels=[("R", "2027-01"), ("R", "2027-02")],
        windows=windows,
    )


def test_without_a_start_window_only_one_of_two_january_projects_fits() -> None:
    s = solve(two_in_january({}))
    assert s.selected == ["A"] and s.objective == 10 and s.start_shift == {}
    (b,) = s.excluded
    assert b["reason_code"] == "capacity"
    assert b["params"] == {"hours": 60, "role": "R", "month": "2027-01"}  # 80 + 80 - 100


def test_a_one_month_window_defers_a_project_instead_of_dropping_it() -> None:
    s = solve(two_in_january({"B": 1}))
    assert s.selected == ["A", "B"] and s.objective == 18  # 10 + 8
    assert s.start_shift == {"B": 1}  # B runs in February: 80 h <= 100 h
    assert s.excluded == []


def test_when_both_may_move_one_keeps_its_planned_start() -> None:
    s = solve(two_in_january({"A": 1, "B": 1}))
    assert s.objective == 18
    assert sorted(s.start_shift.values()) == [1]  # only one deferred; the other in January


def test_build_problem_adds_the_months_a_window_can_reach() -> None:
    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["RUN", "A", "B"],
                "name": ["r", "a", "b"],
                "status": ["in_progress", "proposed", "proposed"],
                "budget": [1.0, 1.0, 1.0],
                "expected_benefit": [1.0, 10.0, 8.0],
            }
        ),
    )
    jan, feb = pd.Timestamp("2027-01-01"), pd.Timestamp("2027-02-01")
    demand = pd.DataFrame(
        [[10.0], [80.0], [80.0]],
        index=["RUN", "A", "B"],
        columns=pd.MultiIndex.from_tuples([("R", jan)], names=["role", "month"]),
    )
    capacity = pd.DataFrame({"role": ["R", "R"], "month": [jan, feb], "capacity_hours": 120.0})
    p = optimize.build_problem(
        projects,
        None,
        budget=10,
        value="benefit",
        demand=demand,
        capacity=capacity,
        start_windows={"B": 1, "RUN": 3},
    )
    assert p.windows == {"B": 1}  # a running project never moves
    assert p.row_labels == [("R", "2027-01"), ("R", "2027-02")]  # February added for B
    s = solve(p)
    # RUN 10 h + A 80 h = 90 h <= 120 in January; B's 80 h would make 170: it moves.
    assert set(s.selected) == {"RUN", "A", "B"} and s.start_shift == {"B": 1}
    assert s.objective == 19  # 1 + 10 + 8


@settings(max_examples=40, deadline=None)
@given(problems(), st.data())
def test_a_start_window_never_lowers_the_objective(p: Problem, data: st.DataObject) -> None:
    p.row_labels = [("R", f"2027-{k + 1:02d}") for k in range(len(p.cap))]
    fixed = solve(p, time_limit=5)
    p.windows = {i: data.draw(st.integers(0, 2)) for i in p.ids}
    moving = solve(p, time_limit=5)
    assert moving.objective >= fixed.objective - 1e-6
    x = _x(p, moving.selected)
    shifts = np.array([moving.start_shift.get(i, 0) for i in p.ids])
    assert optimize.violations(p, x, shifts) == []
    assert within_yearly_limits(p, moving.selected, moving.start_shift)


# ------------------------------------------------------------------------ bring-in


def test_bring_in_by_budget_gives_the_loss_and_the_extra_budget() -> None:
    # Budget 15: A + C (10 + 4 = 14, cost 15) beats B + C (9 + 4 = 13, cost 13).
    p = Problem(["A", "B", "C"], np.array([10.0, 9, 4]), np.array([10.0, 8, 5]), budget=15.0)
    s = solve(p, bring_in=5)
    assert s.selected == ["A", "C"] and s.objective == 14
    (b,) = s.excluded
    assert b["reason_code"] == "budget"
    bring = b["bring_in"]
    assert bring["loss"] == 1  # forced in, the best is B + C = 13
    assert bring["extra_budget"] == 8  # its cost 8 minus the 0 left
    assert bring["extra_hours"] == 0
    assert bring["text"] == (
        "Forced in, the portfolio loses 1.0 of value; without loss it needs 8.0 more "
        "budget and 0 h more capacity."
    )


def test_bring_in_by_capacity_names_the_role_month_hours() -> None:
    p = Problem(
        ["A", "B"],
        np.array([10.0, 9.0]),
        np.array([1.0, 1.0]),
        budget=5.0,
        demand=np.array([[80.0, 70.0], [0.0, 30.0]]),
        cap=np.array([100.0, 100.0]),
        row_labels=[("Dev", "2027-01"), ("Dev", "2027-02")],
    )
    s = solve(p, bring_in=1)
    (b,) = s.excluded
    bring = b["bring_in"]
    assert bring["loss"] == 1  # B alone: 9 instead of 10
    assert bring["extra_budget"] == 0  # 5 - 1 = 4 left, B costs 1
    # January: 80 + 70 - 100 = 50 h short; February: 30 h <= 100, nothing short.
    assert bring["cells"] == [{"role": "Dev", "month": "2027-01", "hours": 50.0}]
    assert bring["extra_hours"] == 50


def test_bring_in_beyond_the_top_n_is_not_re_solved() -> None:
    p = Problem(["A", "B", "C"], np.array([10.0, 9, 4]), np.array([10.0, 8, 5]), budget=10.0)
    s = solve(p, bring_in=1)  # A alone; B (9) re-solved, C (4) not
    by = {e["project_id"]: e["bring_in"] for e in s.excluded}
    assert by["B"]["loss"] == 1 and by["C"]["loss"] is None
    assert by["C"]["extra_budget"] == 5 and by["C"]["template"].startswith("Without loss")


def test_forced_out_projects_have_no_bring_in() -> None:
    p = Problem(["A", "B"], np.array([10.0, 9]), np.array([1.0, 1]), 5.0, forced_out={"B"})
    (b,) = solve(p, bring_in=5).excluded
    assert b["reason_code"] == "forced_out" and b["bring_in"] is None


# ------------------------------------------------- time limit over the whole answer


def test_explanations_past_the_deadline_are_cut_short_and_say_so() -> None:
    # Budget 10: A alone (value 10); B (9) and C (4) excluded by budget. The deadline has
    # already passed when the re-solves would start: neither is re-solved.
    import time

    from pmo_core.optimize import explain

    p = Problem(["A", "B", "C"], np.array([10.0, 9, 4]), np.array([10.0, 8, 5]), budget=10.0)
    calls: list[str] = []

    def resolve(q: Problem, seconds: float) -> optimize.Selection:
        calls.append(",".join(sorted(q.forced_in)))
        return optimize_solver.solve(q, time_limit=seconds)

    out = explain.explain_exclusions(
        p, np.array([1.0, 0, 0]), bring_in=5, deadline=time.perf_counter(), resolve=resolve
    )
    assert calls == []
    assert [e["bring_in"]["status"] for e in out] == ["cut_short", "cut_short"]
    assert [e["bring_in"]["loss"] for e in out] == [None, None]
    # The needs are still there (no re-solve needed): B costs 8 with 0 left.
    assert (
        out[0]["bring_in"]["text"] == "Without loss it needs 8.0 more budget and 0 h more capacity."
    )


def test_a_re_solve_is_not_started_when_less_is_left_than_the_last_one_took() -> None:
    # 0.5 s for 2 re-solves: the first gets 0.25 s and takes 0.35 s (it ignores its
    # share), leaving 0.15 s < 0.35 s: the second is not started.
    import time

    from pmo_core.optimize import explain

    p = Problem(["A", "B", "C"], np.array([10.0, 9, 4]), np.array([10.0, 8, 5]), budget=10.0)
    given: list[float] = []

    def slow(q: Problem, seconds: float) -> optimize.Selection:
        given.append(seconds)
        time.sleep(0.35)
        return optimize_solver.solve(q, time_limit=5)

    t0 = time.perf_counter()
    out = explain.explain_exclusions(
        p, np.array([1.0, 0, 0]), bring_in=5, deadline=t0 + 0.5, resolve=slow
    )
    by = {e["project_id"]: e["bring_in"] for e in out}
    assert len(given) == 1 and 0.2 < given[0] <= 0.25
    assert by["B"]["status"] == "optimal" and by["B"]["loss"] == 1  # B + ... = 9: 10 - 9
    assert by["C"]["status"] == "cut_short"
    assert time.perf_counter() - t0 < 0.5


@settings(max_examples=30, deadline=None)
@given(problems(), st.integers(0, 4), st.floats(0.0, 0.06))
def test_re_solves_are_the_most_valuable_first_and_the_rest_cut_short(
    p: Problem, bring_in: int, budget_s: float
) -> None:
    # Whatever the time: the bring-ins re-solved are the most valuable of the top
    # ``bring_in``, every other one of them says cut_short, and none beyond it is touched.
    import time

    from pmo_core.optimize import explain

    s = optimize_solver.solve(p, time_limit=5)
    x = np.array([1.0 if i in s.selected else 0.0 for i in p.ids])

    def resolve(q: Problem, seconds: float) -> optimize.Selection:
        time.sleep(0.02)
        return optimize_solver.solve(q, time_limit=5)

    out = explain.explain_exclusions(
        p, x, bring_in=bring_in, deadline=time.perf_counter() + budget_s, resolve=resolve
    )
    value = dict(zip(p.ids, p.value, strict=True))
    todo = sorted(
        (e for e in out if e["bring_in"] is not None), key=lambda e: -value[e["project_id"]]
    )
    head, rest = todo[:bring_in], todo[bring_in:]
    done = [e["bring_in"]["status"] not in (None, "cut_short") for e in head]
    assert done == sorted(done, reverse=True)  # re-solved ones first, then cut short
    assert all(
        e["bring_in"]["status"] == "cut_short" for e, d in zip(head, done, strict=True) if not d
    )
    assert all(e["bring_in"]["status"] is None for e in rest)


def test_a_one_second_limit_bounds_solve_and_explanations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 600 projects each booking a random 15 % of 480 role-months: HiGHS cannot prove
    # the optimum in 1 s (bench: gap ~4 %), so the solve takes the whole second and the
    # bring-in re-solves find nothing left. A loose bound (a contract, not a speed test:
    # bench/bench_optimize.py times it to 5 %). Load-proof: no re-solve starts past the
    # deadline nor is given time beyond it (the old code gave them 0.5 s after it).
    import os
    import time

    rng = np.random.default_rng(1)
    n, k = 600, 480
    cost = rng.uniform(80, 4000, n)
    demand = np.where(rng.random((k, n)) < 0.15, rng.uniform(20, 300, (k, n)), 0.0)
    p = Problem(
        [f"P{i}" for i in range(n)],
        rng.uniform(5, 95, n),
        cost,
        float(cost.sum() * 0.5),
        demand,
        demand.sum(axis=1) * 0.45,
        [("R", "M")] * k,
    )
    real, asked = optimize._resolve, []

    def resolve(q: Problem, seconds: float) -> optimize.Selection:
        asked.append((time.perf_counter(), seconds))
        return real(q, seconds)

    monkeypatch.setattr(optimize, "_resolve", resolve)
    t0 = time.perf_counter()
    s = solve(p, time_limit=1.0, bring_in=5)
    wall = time.perf_counter() - t0
    assert all(start + seconds <= t0 + 1.0 for start, seconds in asked), asked
    if os.getloadavg()[0] <= 2 * (os.cpu_count() or 1):  # HiGHS overruns when starved
        assert wall < 1.5, wall
    assert s.status == "time_limit" and s.explanations_cut_short
    statuses = [e["bring_in"]["status"] for e in s.excluded if e["bring_in"]]
    assert statuses.count("cut_short") >= 1
    assert s.solve_seconds <= wall


def test_a_small_problem_prices_every_bring_in_and_is_not_cut_short(demo_db: Path) -> None:
    # The demo at 28 M€: 7 projects excluded, the 5 most valuable re-solved well within 10 s.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo_core",
            "optimize",
            "--json",
            "--db",
            str(demo_db),
            "--budget",
            "28000000",
            "--time-limit",
            "10",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    d = json.loads(out.stdout)
    assert d["explanations_cut_short"] is False
    priced = [e["bring_in"] for e in d["excluded"] if e["bring_in"] and e["bring_in"]["status"]]
    assert priced and all(b["status"] != "cut_short" for b in priced)


# ----------------------------------------------------- extra candidates, frontier


def test_extra_candidate_projects_join_the_problem_with_their_demand() -> None:
    jan = pd.Timestamp("2027-01-01")
    col = pd.MultiIndex.from_tuples([("R", jan)], names=["role", "month"])
    extra = schema.conform(
        "projects",
        pd.DataFrame(
            {"project_id": ["REQ-1"], "name": ["req"], "status": ["proposed"], "budget": [5.0]}
        ),
    )
    p = optimize.build_problem(
        portfolio(),
        None,
        budget=200,
        value="benefit",
        demand=pd.DataFrame([[10.0]], index=["A"], columns=col),
        capacity=pd.DataFrame({"role": ["R"], "month": [jan], "capacity_hours": [100.0]}),
        extra_projects=extra,
        extra_demand=pd.DataFrame([[95.0]], index=["REQ-1"], columns=col),
    )
    assert "REQ-1" in p.ids
    assert p.demand[0, p.ids.index("REQ-1")] == 95 and p.demand[0, p.ids.index("A")] == 10


def test_frontier_never_falls_and_its_last_point_is_the_unconstrained_optimum() -> None:
    p = Problem(["A", "B", "C"], np.array([10.0, 9, 4]), np.array([10.0, 8, 5]), budget=0.0)
    fr = optimize.efficient_frontier(p, points=5, time_limit=2, mip_rel_gap=1e-6)
    assert fr["budget"].tolist() == [0.0, 5.75, 11.5, 17.25, 23.0]
    # 5.75: C (4); 11.5: A (10); 17.25: A + C (14; A + B costs 18); 23: all three
    assert fr["objective"].tolist() == [0.0, 4.0, 10.0, 14.0, 23.0]
    assert (fr["gap"] == 0).all()


def test_bring_in_counts_missing_prerequisites_and_exclusive_has_no_needs() -> None:
    # Budget 12: A (10, cost 10) alone beats D (9, exclusive with A) and B + C (B needs C:
    # cost 4 + 6 = 10, value 5 + 1 = 6); nothing else fits in the 2 left.
    p = Problem(
        ["A", "B", "C", "D"],
        np.array([10.0, 5, 1, 9]),
        np.array([10.0, 4, 6, 10]),
        budget=12.0,
        depends=[("B", "C")],
        groups={"g": ["A", "D"]},
    )
    s = solve(p, bring_in=5)
    assert s.selected == ["A"] and s.objective == 10
    by = {e["project_id"]: e for e in s.excluded}
    assert by["B"]["reason_code"] == "dependency"
    assert by["B"]["bring_in"]["extra_budget"] == 8  # B 4 + C 6 - 2 left
    assert by["D"]["reason_code"] == "exclusive"
    assert by["D"]["bring_in"]["loss"] == 1  # D forced in: D alone, 9
    assert by["D"]["bring_in"]["template"] == "Forced in, the portfolio loses {loss} of value."


def test_a_greedy_start_that_highs_presolve_mishandles_still_gives_the_optimum() -> None:
    # Found by hypothesis: with the greedy start (P0 P3 P4 P5, value 6) HiGHS 1.16 said
    # "optimal, 9" and returned the start. Best by hand: P0 + P2 + P5 (2 + 3 + 2, cost 75)
    # or P0 + P2 + P3 + P4 (cost 63): 7; an eighth point needs more than 81.
    value = np.array([2.0, 0, 3, 1, 1, 2, 0, 0, 0, 0])
    cost = np.array([8.0, 1, 41, 7, 7, 26, 1, 1, 1, 1])
    s = solve(Problem([f"P{i}" for i in range(10)], value, cost, budget=81.0))
    assert s.greedy_objective == 6
    assert s.status == "optimal" and s.objective == 7 and s.gap == 0


CLI = (sys.executable, "-m", "pmo_core", "optimize", "--json")


def test_cli_start_window_defers_instead_of_dropping(demo_db: Path) -> None:
    def optimize_json(*extra: str) -> dict:
        r = subprocess.run(
            [*CLI, "--db", str(demo_db), "--budget", "32M", "--time-limit", "5", *extra],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(r.stdout)

    free = optimize_json()
    tight = optimize_json("--capacity")
    later = optimize_json("--capacity", "--start-window", "3")
    assert tight["objective"] < free["objective"]  # capacity drops projects
    assert later["objective"] == pytest.approx(free["objective"])  # deferring costs nothing
    assert later["start_shift"] and all(1 <= s <= 3 for s in later["start_shift"].values())
    assert set(later["start_shift"]) <= set(later["selected"])


def test_without_highspy_scipy_solves_the_same_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optimize_solver, "has_highspy", lambda: False)
    s = solve(two_in_january({"B": 1}))
    assert s.status == "optimal" and s.objective == 18 and s.start_shift == {"B": 1}
    fr = optimize.efficient_frontier(
        Problem(["A", "B", "C"], np.array([10.0, 9, 4]), np.array([10.0, 8, 5]), budget=0.0),
        points=5,
        time_limit=2,
        mip_rel_gap=1e-6,
    )
    assert fr["objective"].tolist() == [0.0, 4.0, 10.0, 14.0, 23.0]


def test_frontier_follows_keep_running_capacity_and_forced_out(demo_db: Path) -> None:
    from pmo_core import store

    snap = store.get_snapshot(path=demo_db)
    pr = snap.frames["projects"]
    live = pr[pr["status"].isin(schema.CANDIDATE_STATUSES)]
    running = live["status"].isin(["in_progress", "on_hold"]) | live["mandatory"].fillna(False)
    kept, _ = optimize.frontier_and_ranking(snap, WhatIf(value="alignment"), points=3, time_limit=2)
    # The first level is what the forced projects cost: running and mandatory (22.8 M€).
    assert kept["budget"].iloc[0] == pytest.approx(live.loc[running, "budget"].sum())
    assert kept["budget"].iloc[-1] == pytest.approx(live["budget"].sum())
    free, _ = optimize.frontier_and_ranking(
        snap, WhatIf(keep_running=False, force_out=("PRJ-005",)), points=3, time_limit=2
    )
    mandatory = live["mandatory"].fillna(False).astype(bool)
    assert free["budget"].iloc[0] == pytest.approx(live.loc[mandatory, "budget"].sum())
    cost_005 = float(live.set_index("project_id").loc["PRJ-005", "budget"])
    assert free["budget"].iloc[-1] == pytest.approx(live["budget"].sum() - cost_005)
    # With capacity (demo: 1,684.6 at 40 M€), then at 80 % of it (1,653.4), the same
    # budget buys less than without capacity (1,824.2).
    full, _ = optimize.frontier_and_ranking(snap, WhatIf(capacity=True), points=3, time_limit=2)
    tight, _ = optimize.frontier_and_ranking(
        snap, WhatIf(capacity=True, capacity_scale=0.8), points=3, time_limit=2
    )
    top = [f["objective"].iloc[-1] for f in (kept, full, tight)]
    assert top == pytest.approx([1824.24, 1684.64, 1653.41], abs=0.01)


# ------------------------------------------------------------------ yearly limits


def two_in_2027(windows: dict[str, int]) -> Problem:
    """Total budget 20, 2027 limited to 12 and 2028 to 10. A (value 10, cost 10) runs all
    of 2027; B (value 8, cost 6) runs 1 July - 31 December 2027 (184 days). Both fit the
    total (16 <= 20) but not 2027 (16 > 12)."""
    spans = np.array(
        [["2027-01-01", "2027-12-31"], ["2027-07-01", "2027-12-31"]], dtype="datetime64[D]"
    )
    return Problem(
        ["A", "B"],
        np.array([10.0, 8.0]),
        np.array([10.0, 6.0]),
        budget=20.0,
        year_limit={2027: 12.0, 2028: 10.0},
        spans=spans,
        windows=windows,
    )


def test_two_projects_fit_the_total_but_not_the_2027_limit() -> None:
    p = two_in_2027({})
    s = solve(p, bring_in=5)
    assert s.status == "optimal" and s.selected == ["A"] and s.objective == 10
    (b,) = s.excluded
    assert b["reason_code"] == "budget_year"
    assert b["template"] == "Budget {year}: {amount} more would be needed that year to fund it."
    assert b["params"] == {"year": 2027, "amount": 4.0}  # 10 + 6 - 12
    assert b["reason"] == "Budget 2027: 4.0 more would be needed that year to fund it."
    bring = b["bring_in"]
    assert bring["extra_budget"] == 0  # 20 - 10 = 10 left in total, B costs 6
    assert bring["years"] == [{"year": 2027, "amount": 4.0}]
    assert bring["loss"] == 2  # B forced in: B alone, 8
    assert bring["text"] == (
        "Forced in, the portfolio loses 2.0 of value; without loss it needs 0.0 more "
        "budget, 4.0 more in 2027, and 0 h more capacity."
    )
    both = optimize.violations(p, np.array([1.0, 1.0]))
    assert both == [
        {"constraint": "budget_year", "year": 2027, "limit": 12.0, "used": 16.0, "excess": 4.0}
    ]


def test_the_2027_reason_is_translated() -> None:
    from pmo_core.i18n import t

    (b,) = solve(two_in_2027({}), bring_in=1).excluded
    assert t(b["template"], "fr", **b["params"]) == (
        "Budget 2027 : il manque 4.0 cette année-là pour le financer."
    )
    assert "{" not in t(b["bring_in"]["template"], "fr", **b["bring_in"]["params"])


def test_a_start_shift_moves_cost_into_2028_and_both_fit() -> None:
    # B moved s months: 4 -> 1 Nov 2027 - 30 Apr 2028, 61 of 182 days in 2027:
    # 6 x 61 / 182 = 2.01, 10 + 2.01 > 12. 5 -> 1 Dec 2027 - 31 May 2028, 31 of 183 days:
    # 6 x 31 / 183 = 1.02, 11.02 <= 12; in 2028 6 x 152 / 183 = 4.98 <= 10.
    s = solve(two_in_2027({"B": 6}))
    assert s.selected == ["A", "B"] and s.objective == 18
    assert s.start_shift == {"B": 5}  # the earliest start that fits
    assert within_yearly_limits(two_in_2027({}), s.selected, s.start_shift)
    # A window of 3 months is not enough: 1 Oct 2027 - 31 Mar 2028, 92 of 183 days in
    # 2027: 6 x 92 / 183 = 3.02; 10 + 3.02 - 12 = 1.02 short at best.
    short = solve(two_in_2027({"B": 3}), bring_in=1)
    assert short.selected == ["A"]
    (b,) = short.excluded
    assert b["bring_in"]["shift"] == 3 and b["bring_in"]["years"] == [
        {"year": 2027, "amount": 1.02}
    ]


def test_forced_projects_over_a_yearly_limit_are_infeasible_with_the_year() -> None:
    p = two_in_2027({})
    p.forced_in = {"A", "B"}
    s = solve(p)
    assert s.status == "infeasible"
    assert s.violations == [
        {"constraint": "budget_year", "year": 2027, "limit": 12.0, "used": 16.0, "excess": 4.0}
    ]


def test_build_problem_spreads_cost_over_years_pro_rata_of_days() -> None:
    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["SPAN", "NODATE", "STARTONLY", "RUN"],
                "name": list("abcd"),
                "status": ["proposed", "proposed", "proposed", "in_progress"],
                "start_date": pd.to_datetime([("2026-07-01"), None, "2028-03-01", "2026-01-01"]),
                "end_date": pd.to_datetime(["2027-06-30", None, None, "2027-12-31"]),
                "budget": [365.0, 50.0, 30.0, 100.0],
                "actual_cost": [0.0, 0.0, 0.0, 40.0],
                "expected_benefit": [1.0, 1.0, 1.0, 1.0],
            }
        ),
    )
    limits = {2026: 1e9, 2027: 1e9, 2028: 1e9}
    as_of = date(2026, 12, 31)

    def by_year(remaining: bool) -> dict[str, list[float]]:
        p = optimize.build_problem(
            projects,
            None,
            budget=1e9,
            value="benefit",
            yearly_budget=limits,
            as_of=as_of,
            remaining_budget=remaining,
            keep_running=False,
        )
        spent = {i: spend_by_year(p, [i], {}) for i in p.ids}
        return {i: [round(spent[i].get(y, 0.0), 6) for y in limits] for i in p.ids}

    assert by_year(False) == {
        "SPAN": [184.0, 181.0, 0.0],  # 1 Jul - 31 Dec 2026: 184 days; 2027 to 30 Jun: 181
        "NODATE": [50.0, 0.0, 0.0],  # no dates: the as-of year
        "STARTONLY": [0.0, 0.0, 30.0],  # no end: the start's year
        "RUN": [50.0, 50.0, 0.0],  # two years of 365 days
    }
    # Remaining budget (BAC - AC) from the as-of date (31 Dec 2026, 1 day) to the end
    # (365 days in 2027): RUN's 60 is 60 / 366 in 2026, 60 x 365 / 366 in 2027.
    rem = by_year(True)
    assert rem["RUN"] == [round(60 / 366, 6), round(60 * 365 / 366, 6), 0.0]
    # SPAN (nothing spent): 31 Dec 2026 - 30 Jun 2027, 1 + 181 days.
    assert rem["SPAN"] == [round(365 / 182, 6), round(365 * 181 / 182, 6), 0.0]
    assert rem["STARTONLY"] == [0.0, 0.0, 30.0]  # starts after the as-of date: unchanged


def test_cli_yearly_limit_is_respected_and_echoed(demo_db: Path) -> None:
    from pmo_core import store

    def optimize_json(*extra: str) -> dict:
        r = subprocess.run(
            [*CLI, "--db", str(demo_db), "--budget", "32M", "--time-limit", "5", *extra],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(r.stdout)

    free = optimize_json()
    capped = optimize_json("--year-budget", "2027=12M", "--year-budget", "2028=10M")
    assert free["yearly_budget"] == {}
    assert capped["yearly_budget"] == {"2027": 12e6, "2028": 10e6}
    snap = store.get_snapshot(path=demo_db)
    p = optimize.build_problem(
        snap.frames["projects"],
        None,
        budget=32e6,
        yearly_budget={2027: 1, 2028: 1},
        as_of=snap.as_of,
    )
    # The free selection spends 13.38 M€ in 2027; under the limit, at most 12 M€.
    assert spend_by_year(p, free["selected"], {})[2027] == pytest.approx(13.38e6, abs=1e4)
    assert spend_by_year(p, capped["selected"], {})[2027] <= 12e6 + 1e-3
    assert capped["objective"] < free["objective"]
    years = {e["params"].get("year") for e in capped["excluded"]}
    assert 2027 in years
    assert set(free) == set(capped)  # the same fields, yearly_budget included


def test_frontier_keeps_the_yearly_limits_while_the_total_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = two_in_2027({})
    fr = optimize.efficient_frontier(p, points=3, time_limit=2, mip_rel_gap=1e-6)
    # Budgets 0, 8, 16: B (8) at 8; at 16 both would fit the total, not 2027: A (10).
    assert fr["budget"].tolist() == [0.0, 8.0, 16.0]
    assert fr["objective"].tolist() == [0.0, 8.0, 10.0]
    monkeypatch.setattr(optimize_solver, "has_highspy", lambda: False)
    s = solve(two_in_2027({"B": 6}))  # scipy's milp gets the same yearly rows
    assert s.status == "optimal" and s.objective == 18 and s.start_shift == {"B": 5}
