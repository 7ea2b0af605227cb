"""Alignment: AHP weights and consistency, scores and priorities, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmo_core import alignment, schema


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
