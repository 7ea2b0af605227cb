"""Alignment: AHP weights and consistency, scores and priorities, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import schema, store
from pmo_core.kpi import alignment


def test_consistent_3x3_matrix_gives_exact_weights_and_cr_zero() -> None:
    # a = 2b, b = 2c: weights 4/7, 2/7, 1/7 and a perfectly consistent matrix.
    m = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    w, lam, _ci, cr = alignment.ahp_weights(m)
    assert w == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert lam == pytest.approx(3.0)
    assert cr == pytest.approx(0.0, abs=1e-9)


def test_published_ahp_example() -> None:
    # Saaty's textbook 3x3 (e.g. Saaty 1980, in many AHP tutorials):
    # [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]] -> w = 0.637, 0.258, 0.105;
    # lambda_max = 3.0385, CI = 0.0193, CR = 0.0193 / 0.58 = 0.033.
    m = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    w, lam, _ci, cr = alignment.ahp_weights(m)
    assert w == pytest.approx([0.637, 0.258, 0.105], abs=1e-3)
    assert lam == pytest.approx(3.0385, abs=1e-4)
    assert cr == pytest.approx(0.033, abs=1e-3)


def frames(judgments: list[tuple[str, str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    objectives = schema.conform(
        "objectives",
        pd.DataFrame(
            {"objective_id": ["O1", "O2", "O3"], "name": ["Croissance", "Coûts", "Conformité"]}
        ),
    )
    pairwise = schema.conform(
        "pairwise", pd.DataFrame(judgments, columns=["objective_a", "objective_b", "judgment"])
    )
    return objectives, pairwise


@pytest.mark.parametrize("level", [9, 6, 3, 1, 1 / 3, 1 / 6, 1 / 9])
def test_seven_level_scale_is_reciprocal(level: float) -> None:
    o, p = frames([("O1", "O2", level)])
    m = alignment.pairwise_matrix(o, p)
    assert m.loc["O1", "O2"] == pytest.approx(level)
    assert m.loc["O2", "O1"] == pytest.approx(1 / level)
    assert m.loc["O1", "O3"] == 1  # a missing pair counts as equal


def test_inconsistent_judgments_are_reported_with_their_consistent_value() -> None:
    # O1 > O2 (9), O2 > O3 (9) but O3 > O1 (9): a cycle, CR far above 0.10.
    o, p = frames([("O1", "O2", 9), ("O2", "O3", 9), ("O3", "O1", 9)])
    w = alignment.objective_weights(o, p)
    assert w.method == "ahp" and not w.consistent and w.cr > 0.1
    assert len(w.inconsistent) == 3
    assert {"objective_a", "objective_b", "judgment", "consistent_value"} <= set(w.inconsistent)


def test_direct_weights_win_and_equal_weights_when_nothing_is_given() -> None:
    o, p = frames([("O1", "O2", 9)])
    o["weight"] = [2.0, 1.0, 1.0]
    w = alignment.objective_weights(o, p)
    assert w.method == "direct" and w.weights.tolist() == [0.5, 0.25, 0.25]
    o["weight"] = np.nan
    w = alignment.objective_weights(o, p.iloc[0:0])
    assert w.method == "equal" and w.weights.tolist() == pytest.approx([1 / 3] * 3)


def test_alignment_score_and_priority_by_hand() -> None:
    weights = pd.Series({"O1": 0.5, "O2": 0.3, "O3": 0.2})
    projects = schema.conform(
        "projects", pd.DataFrame({"project_id": ["A", "B", "C"], "name": ["a", "b", "c"]})
    )
    ratings = schema.conform(
        "alignment",
        pd.DataFrame(
            {
                "project_id": ["A", "A", "A", "B", "B"],
                "objective_id": ["O1", "O2", "O3", "O1", "O3"],
                "rating": [9, 3, 0, 1, 9],
            }
        ),
    )
    s = alignment.alignment_scores(ratings, weights, projects).set_index("project_id")
    # S_A = 0.5 x 9 + 0.3 x 3 + 0.2 x 0 = 5.4; score = 100 x 5.4 / (9 x 1) = 60
    # S_B = 0.5 x 1 + 0.2 x 9 = 2.3; score = 25.556
    assert s.loc["A", "alignment_score"] == pytest.approx(60.0)
    assert s.loc["B", "alignment_score"] == pytest.approx(25.5556, abs=1e-4)
    # priority % = 100 x S_p / (5.4 + 2.3)
    assert s.loc["A", "priority_pct"] == pytest.approx(70.1299, abs=1e-4)
    assert s.loc["B", "priority_pct"] == pytest.approx(29.8701, abs=1e-4)
    assert np.isnan(s.loc["C", "alignment_score"]) and not s.loc["C", "rated"]


# ---------------------------------------------------------------------------- spend, coverage


def spend_case() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.Series]:
    objectives = schema.conform(
        "objectives",
        pd.DataFrame({"objective_id": ["O1", "O2", "O3", "O4"], "name": ["a", "b", "c", "d"]}),
    )
    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {"project_id": ["A", "B", "C"], "name": ["a", "b", "c"], "budget": [1000, 600, 400]}
        ),
    )
    ratings = schema.conform(
        "alignment",
        pd.DataFrame(
            {
                "project_id": ["A", "A", "A", "B", "B"],
                "objective_id": ["O1", "O2", "O3", "O1", "O3"],
                "rating": [9, 3, 0, 1, 9],
            }
        ),
    )
    return objectives, projects, ratings, pd.Series({"O1": 0.5, "O2": 0.3, "O3": 0.2, "O4": 0.0})


def test_spend_by_objective_splits_budgets_pro_rata_of_weighted_ratings() -> None:
    _o, projects, ratings, w = spend_case()
    s = alignment.spend_by_objective(ratings, w, projects).set_index("objective_id")
    # A: 0.5 x 9 = 4.5 and 0.3 x 3 = 0.9 of 5.4 -> O1 1000 x 5/6, O2 1000 x 1/6.
    # B: 0.5 x 1 = 0.5 and 0.2 x 9 = 1.8 of 2.3 -> O1 600 x 5/23, O3 600 x 18/23.
    # C has no rating: its 400 fund no objective.
    assert s.loc["O1", "spend"] == pytest.approx(1000 * 5 / 6 + 600 * 5 / 23)  # 963.77
    assert s.loc["O2", "spend"] == pytest.approx(1000 / 6)  # 166.67
    assert s.loc["O3", "spend"] == pytest.approx(600 * 18 / 23)  # 469.57
    assert s.loc["O4", "spend"] == 0
    assert s.attrs["unallocated"] == 400
    # Shares of the 1,600 allocated against the weights: O1 60.24 % for a 50 % weight.
    assert s.loc["O1", "spend_pct"] == pytest.approx(100 * 963.7681 / 1600, abs=1e-3)
    assert s.loc["O1", "weight_pct"] == 50
    assert s.loc["O1", "gap_pts"] == pytest.approx(60.2355 - 50, abs=1e-3)
    assert s["spend_pct"].sum() == pytest.approx(100)


def test_objective_coverage_and_warnings() -> None:
    objectives, projects, ratings, _w = spend_case()
    cov = alignment.objective_coverage(ratings, objectives, projects).set_index("objective_id")
    # O1: A (9) and B (1), one strong; O2: A (3); O3: B (9) only (A rated it 0); O4: none.
    assert cov["projects"].tolist() == [2, 1, 1, 0]
    assert cov["strong"].tolist() == [1, 0, 1, 0]
    assert cov.loc["O1", "mean_rating"] == 5
    warn = alignment.alignment_warnings(ratings, objectives, projects)
    assert warn.values.tolist() == [["unrated_project", "C"], ["uncovered_objective", "O4"]]


def test_coverage_counts_projects_not_distinct_ratings() -> None:
    # O1: A, B and C all rated 6 -> 3 projects (counting distinct rating values gave 1),
    # 3 strong, mean 6. O2: A rated 3 and, given twice, 9 (the pair counts once at its
    # highest, 9), D rated 3, E rated 0 (serves nothing) -> 2 projects, 1 strong, mean
    # (9 + 3) / 2 = 6. F is not among the projects asked: left out everywhere.
    objectives = schema.conform(
        "objectives", pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["a", "b"]})
    )
    projects = schema.conform(
        "projects",
        pd.DataFrame({"project_id": list("ABCDE"), "name": list("abcde")}),
    )
    ratings = schema.conform(
        "alignment",
        pd.DataFrame(
            {
                "project_id": ["A", "B", "C", "A", "A", "D", "E", "F"],
                "objective_id": ["O1", "O1", "O1", "O2", "O2", "O2", "O2", "O1"],
                "rating": [6, 6, 6, 3, 9, 3, 0, 6],
            }
        ),
    )
    cov = alignment.objective_coverage(ratings, objectives, projects).set_index("objective_id")
    assert cov["projects"].tolist() == [3, 2]
    assert cov["strong"].tolist() == [3, 1]
    assert cov["mean_rating"].tolist() == [6.0, 6.0]


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from([0, 1, 3, 6, 9])), max_size=12))
def test_coverage_is_the_number_of_projects_rated_above_zero(rows: list) -> None:
    ratings = schema.conform(
        "alignment",
        pd.DataFrame(
            {
                "project_id": [f"P{p}" for p, _ in rows],
                "objective_id": ["O"] * len(rows),
                "rating": [r for _, r in rows],
            }
        ),
    )
    projects = pd.DataFrame({"project_id": [f"P{i}" for i in range(10)]})
    cov = alignment.objective_coverage(ratings, pd.DataFrame({"objective_id": ["O"]}), projects)
    best: dict[int, int] = {}
    for p, r in rows:
        best[p] = max(best.get(p, 0), r)
    assert cov["projects"].tolist() == [sum(1 for r in best.values() if r > 0)]


def test_rating_matrix_keeps_the_order_asked_and_blanks_missing_ratings() -> None:
    _o, _p, ratings, _w = spend_case()
    m = alignment.rating_matrix(ratings, ["B", "A", "C"], ["O3", "O1"])
    assert m.index.tolist() == ["B", "A", "C"] and m.columns.tolist() == ["O3", "O1"]
    assert m.loc["B", "O3"] == 9 and m.loc["A", "O3"] == 0 and np.isnan(m.loc["C", "O1"])


# ---------------------------------------------------------------------------- editing, weightings


def test_an_edit_in_either_triangle_becomes_the_pair_s_judgment() -> None:
    o, p = frames([("O1", "O2", 3), ("O1", "O3", 6)])
    m = alignment.pairwise_matrix(o, p)
    e = m.copy()
    e.loc["O2", "O3"] = 9  # upper cell: O2 is 9 times O3
    e.loc["O3", "O1"] = 2  # lower cell: O3 is 2 times O1, so O1 vs O3 = 1/2
    j = alignment.judgments_from_matrix(e, m)
    assert j.values.tolist() == [["O1", "O2", 3.0], ["O1", "O3", 0.5], ["O2", "O3", 9.0]]


def test_direct_weights_are_normalised_and_zero_everywhere_is_equal() -> None:
    w = alignment.direct_weights(pd.Series({"O1": 50.0, "O2": 30.0, "O3": 20.0}))
    assert w.method == "direct" and w.weights.tolist() == pytest.approx([0.5, 0.3, 0.2])
    w = alignment.direct_weights(pd.Series({"O1": 0.0, "O2": 0.0}))
    assert w.method == "equal" and w.weights.tolist() == [0.5, 0.5]


def test_named_weighting_round_trips_through_the_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pmo_core.errors import UsageError

    db = tmp_path / "w.duckdb"
    judg = pd.DataFrame(
        [("O1", "O2", 2.0), ("O1", "O3", 4.0), ("O2", "O3", 2.0)],
        columns=["objective_a", "objective_b", "judgment"],
    )
    w = alignment.pairwise_weights(["O1", "O2", "O3"], judg)  # consistent: 4/7, 2/7, 1/7
    store.save_weighting("Growth first", w, judg, snapshot_id=1, who="t", path=db)
    store.save_weighting("Growth first", w, judg, snapshot_id=1, who="t", path=db)
    saved = store.list_weightings(db)
    assert saved["name"].tolist() == ["Growth first"]  # the same name is replaced
    doc = saved["payload"].iloc[0]
    assert doc["method"] == "ahp" and doc["cr"] == pytest.approx(0, abs=1e-9)
    assert doc["judgments"][1] == ["O1", "O3", 4.0]
    back = alignment.weights_from_document(doc, ["O1", "O2", "O3"])
    assert back.tolist() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    # A snapshot without O3 and with a new O9: O9 weighs 0, O1 and O2 keep their ratio 2:1.
    back = alignment.weights_from_document(doc, ["O1", "O2", "O9"])
    assert back.tolist() == pytest.approx([2 / 3, 1 / 3, 0])
    with pytest.raises(UsageError):
        alignment.weights_from_document(doc, ["X"])


def test_the_optimiser_values_projects_with_a_named_weighting(demo_db) -> None:  # type: ignore[no-untyped-def]
    from pmo_core import optimize, store

    snap = store.get_snapshot(path=demo_db)
    f = snap.frames
    ids = list(f["objectives"]["objective_id"])
    only_first = pd.Series([1.0] + [0.0] * (len(ids) - 1), index=ids)
    doc = optimize.optimize_document(
        snap, optimize.WhatIf(budget=5e6, weights=only_first, keep_running=False, time_limit=2)
    )
    # The value of a project is now 100 x rating(p, OBJ1) / 9: the objective is their sum.
    scores = alignment.alignment_scores(f["alignment"], only_first, f["projects"])
    value = scores.set_index("project_id")["alignment_score"].fillna(0)
    assert doc["status"] == "optimal" and len(doc["selected"]) > 0
    assert doc["objective"] == pytest.approx(value[doc["selected"]].sum())
    own = optimize.optimize_document(
        snap, optimize.WhatIf(budget=5e6, keep_running=False, time_limit=2)
    )
    assert own["objective"] != pytest.approx(doc["objective"])


def test_a_precomputed_ratings_table_gives_the_same_answers() -> None:
    _o, projects, ratings, w = spend_case()
    table = alignment.ratings_table(ratings)
    pd.testing.assert_frame_equal(
        alignment.alignment_scores(ratings, w, projects, table),
        alignment.alignment_scores(ratings, w, projects),
    )
    pd.testing.assert_frame_equal(
        alignment.spend_by_objective(ratings, w, projects, ratings=table),
        alignment.spend_by_objective(ratings, w, projects),
    )


def test_ranked_by_alignment_names_rated_projects_best_first() -> None:
    scores = pd.DataFrame(
        {"project_id": ["B", "A", "C", "D"], "alignment_score": [50.0, 50.0, np.nan, 80.0]}
    )
    projects = pd.DataFrame({"project_id": ["A", "B", "C", "D"], "name": ["a", "b", "c", "d"]})
    ranked = alignment.ranked_by_alignment(scores, projects)
    # D (80) first; A and B tie at 50 and go by id; C is unrated, left out.
    assert ranked["project_id"].tolist() == ["D", "A", "B"]
    assert ranked["name"].tolist() == ["d", "a", "b"]
