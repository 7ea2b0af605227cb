"""Robust selection: probabilities under uncertain inputs, worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core.optimize import Problem, robust


def test_forced_in_is_always_selected_and_forced_out_never() -> None:
    # B is worth the most per euro but forced out; C is forced in although it fills
    # most of the budget. Whatever the draws: C 1, B 0.
    p = Problem(
        ids=["A", "B", "C"],
        value=np.array([5.0, 50.0, 1.0]),
        cost=np.array([3.0, 1.0, 5.0]),
        budget=10.0,
        forced_in={"C"},
        forced_out={"B"},
    )
    doc = robust.robust_document_for(p, samples=30, spread=0.3, seed=2)
    prob = {r["project_id"]: r["selection_probability"] for r in doc["projects"]}
    assert prob["C"] == 1.0 and prob["B"] == 0.0
    assert doc["feasible_samples"] == 30


def test_without_spread_the_probabilities_are_the_optimal_selection() -> None:
    # Budget 7: B + C (value 13) beats A (10): B, C 1; A 0.
    p = Problem(
        ids=["A", "B", "C"], value=np.array([10.0, 7, 6]), cost=np.array([5.0, 4, 3]), budget=7.0
    )
    doc = robust.robust_document_for(p, samples=5, spread=0.0)
    got = {r["project_id"]: (r["selection_probability"], r["class"]) for r in doc["projects"]}
    assert got == {"A": (0.0, "out"), "B": (1.0, "core"), "C": (1.0, "core")}


def test_two_equal_projects_for_one_place_are_each_borderline() -> None:
    # A and B: same value 10, same cost 5, budget 5: only one fits. With independent
    # +-20 % draws each wins half the time (symmetry): 200 draws, 0.5 +- 0.1.
    p = Problem(ids=["A", "B"], value=np.array([10.0, 10.0]), cost=np.array([5.0, 5.0]), budget=5.5)
    doc = robust.robust_document_for(p, samples=200, spread=0.2, seed=7)
    prob = {r["project_id"]: r["selection_probability"] for r in doc["projects"]}
    assert prob["A"] + prob["B"] == pytest.approx(1.0, abs=0.03)  # a draw may fit none
    assert prob["A"] == pytest.approx(0.5, abs=0.1)
    assert {r["class"] for r in doc["projects"]} == {"borderline"}


def test_draws_whose_forced_projects_break_the_budget_are_counted_apart() -> None:
    # C is forced in at cost 10 against a budget of 10: a draw raising its cost is
    # infeasible (about half of them, triangular around 1).
    p = Problem(
        ids=["A", "C"],
        value=np.array([1.0, 1.0]),
        cost=np.array([1.0, 10.0]),
        budget=10.0,
        forced_in={"C"},
    )
    doc = robust.robust_document_for(p, samples=100, spread=0.2, seed=3)
    assert 30 <= doc["infeasible_samples"] <= 70
    assert doc["feasible_samples"] + doc["infeasible_samples"] == 100


def test_the_answer_is_anytime_and_repeats_with_its_seed() -> None:
    p = Problem(ids=["A", "B"], value=np.array([10.0, 9.0]), cost=np.array([5.0, 5.0]), budget=6.0)
    states = list(robust.robust_runs(p, samples=6, spread=0.2, seed=5))
    assert [s.done for s in states] == [1, 2, 3, 4, 5, 6]
    assert all(s.counts.sum() <= s.done for s in states)
    a = robust.robust_document_for(p, samples=6, spread=0.2, seed=5)
    b = robust.robust_document_for(p, samples=6, spread=0.2, seed=5)
    a.pop("seconds"), b.pop("seconds")
    assert a == b


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(robust.SCALE), min_size=1, max_size=10), st.integers(0, 99))
def test_a_nudged_judgment_moves_at_most_one_step_of_the_scale(js: list[float], seed: int) -> None:
    pw = pd.DataFrame({"objective_a": "a", "objective_b": "b", "judgment": js})
    out = robust.nudge_judgments(pw, np.random.default_rng(seed))["judgment"].tolist()
    steps = [robust.SCALE.index(j) for j in js]
    moved = [
        min(range(len(robust.SCALE)), key=lambda i: abs(np.log(robust.SCALE[i] / v))) for v in out
    ]
    assert all(abs(a - b) <= 1 for a, b in zip(steps, moved, strict=True))
    assert all(v in robust.SCALE for v in out)


# ------------------------------------------------------------------ warm start from the base


def _capacity_problem(n: int = 24, seed: int = 4) -> Problem:
    """n projects with random values, costs and hours in 3 role-months (fixed seed)."""
    rng = np.random.default_rng(seed)
    return Problem(
        ids=[f"P{i:02d}" for i in range(n)],
        value=rng.uniform(1, 10, n).round(2),
        cost=rng.uniform(1, 5, n).round(2),
        budget=30.0,
        demand=rng.uniform(0, 40, (3, n)).round(1),
        cap=np.array([200.0, 180.0, 220.0]),
        row_labels=[("dev", "2027-01"), ("dev", "2027-02"), ("ops", "2027-01")],
        forced_in={"P03"},
        forced_out={"P07"},
    )


def test_the_warm_start_gives_the_cold_answer_for_a_fixed_seed() -> None:
    # Same seed, same draws; every draw solved to optimality (max gap 0): warm or cold,
    # each draw selects its optimum, so the probabilities are the same.
    p = _capacity_problem()
    cold = robust.robust_document_for(p, samples=12, spread=0.25, seed=3, warm=False)
    warm = robust.robust_document_for(p, samples=12, spread=0.25, seed=3)
    assert cold["max_gap"] == 0.0 and warm["max_gap"] == 0.0
    assert warm["projects"] == cold["projects"]
    assert (warm["warm_start"], cold["warm_start"]) == (True, False)
    prob = {r["project_id"]: r["selection_probability"] for r in warm["projects"]}
    assert prob["P03"] == 1.0 and prob["P07"] == 0.0
    assert sum(r["class"] == "borderline" for r in warm["projects"]) > 0  # draws differ


def test_each_draw_hands_the_base_answer_to_highs_as_its_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Budget 7: the greedy by value per cost takes A (10/5 = 2) and then nothing fits
    # (value 10); the base answer B + C is worth 13: it is the start HiGHS gets, as
    # options [A, B, C] = [0, 1, 1]. Cold, HiGHS gets the greedy [1, 0, 0].
    from pmo_core.optimize import solver

    seen: list[list[float]] = []
    run = solver.run_highs

    def spy(mo, h, warm, time_limit, gap):  # type: ignore[no-untyped-def]
        seen.append(None if warm is None else warm.tolist())
        return run(mo, h, warm, time_limit, gap)

    monkeypatch.setattr(solver, "run_highs", spy)
    p = Problem(
        ids=["A", "B", "C"], value=np.array([10.0, 7, 6]), cost=np.array([5.0, 4, 3]), budget=7.0
    )
    warm = list(robust.robust_runs(p, samples=2, spread=0.0, start={"B": 0, "C": 0}))
    assert seen == [[0.0, 1.0, 1.0]] * 2
    seen.clear()
    cold = list(robust.robust_runs(p, samples=2, spread=0.0, warm=False))
    assert seen == [[1.0, 0.0, 0.0]] * 2
    assert warm[-1].counts.tolist() == cold[-1].counts.tolist() == [0.0, 2.0, 2.0]


@pytest.mark.parametrize(
    ("budget", "forced_in", "forced_out", "start", "expected"),
    [
        # B + C = 7 <= 10 keeps the budget: as given, topped up by value per cost: A
        # (ratio 2, cost 5) does not fit (12 > 10).
        (10.0, set(), set(), {"B": 0, "C": 0}, [0.0, 1.0, 1.0]),
        # B alone (4): topped up by A (ratio 2: 9 <= 10), then C (3: 12 > 10) does not fit.
        (10.0, set(), set(), {"B": 0}, [1.0, 1.0, 0.0]),
        # C forced in and added to the start A: 5 + 3 = 8 > 7, repaired: C (forced),
        # then A (given: 8 > 7, no), then B (3 + 4 = 7 <= 7).
        (7.0, {"C"}, set(), {"A": 0}, [0.0, 1.0, 1.0]),
        # A is forced out: left out of the start; then C (ratio 2), B (7 <= 7).
        (7.0, set(), {"A"}, {"A": 0}, [0.0, 1.0, 1.0]),
    ],
)
def test_the_start_is_the_base_answer_kept_or_repaired(
    budget: float, forced_in: set[str], forced_out: set[str], start: dict, expected: list
) -> None:
    from pmo_core.optimize import model

    p = Problem(
        ids=["A", "B", "C"],
        value=np.array([10.0, 7, 6]),
        cost=np.array([5.0, 4, 3]),
        budget=budget,
        forced_in=forced_in,
        forced_out=forced_out,
    )
    assert model.start_from(model.build_model(p), p.ids, start).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.3, 1.2))
def test_a_start_keeps_every_row_and_the_forced_projects(seed: int, tight: float) -> None:
    # Whatever the base answer (a random subset, often over the limits), the start is
    # feasible and holds the forced-in projects (whose own cost fits, by construction).
    from pmo_core.optimize import model

    rng = np.random.default_rng(seed)
    n = 12
    cost = rng.uniform(1, 5, n)
    demand = rng.uniform(0, 10, (2, n))
    p = Problem(
        ids=[f"P{i}" for i in range(n)],
        value=rng.uniform(0.5, 9, n),
        cost=cost,
        budget=float(cost[:2].sum() + tight * cost[2:].sum() / 2),
        demand=demand,
        cap=demand[:, :2].sum(axis=1) + tight * demand[:, 2:].sum(axis=1) / 2,
        row_labels=[("r", "2027-01"), ("r", "2027-02")],
        forced_in={"P0", "P1"},
        forced_out={"P11"},
    )
    mo = model.build_model(p)
    start = {pid: 0 for pid in p.ids if rng.random() < 0.6}
    z = model.start_from(mo, p.ids, start)
    assert model.feasible(mo, z)
    assert z[0] == 1.0 and z[1] == 1.0 and z[11] == 0.0


def test_the_selection_table_marks_fragile_projects_beside_the_base_answer() -> None:
    # 20 feasible draws of 22: A 20/20 = 1.0 core; B 13/20 = 0.65 borderline (in the
    # base answer: fragile); C 1/20 = 0.05 out; D 19/20 = 0.95 core, not in the base.
    s = robust.RobustState(["A", "B", "C", "D"], 22, 20, np.array([20.0, 13, 1, 19]), 2.0)
    df = robust.selection_table(s, {"A", "B"}, forced_in={"A"}, forced_out={"C"})
    assert df["project_id"].tolist() == ["A", "D", "B", "C"]
    assert df["selection_probability"].tolist() == [1.0, 0.95, 0.65, 0.05]
    assert df["class"].tolist() == ["core", "core", "borderline", "out"]
    assert df["fragile"].tolist() == [False, False, True, False]
    assert df["forced"].tolist() == ["in", None, None, "out"]


def test_without_a_feasible_draw_the_table_says_undefined() -> None:
    s = robust.RobustState(["A"], 5, 0, np.array([0.0]), 1.0)
    df = robust.selection_table(s, {"A"})
    assert df["selection_probability"].isna().all() and df["class"].tolist() == [None]
