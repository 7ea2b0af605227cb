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
