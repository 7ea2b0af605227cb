"""Strategic alignment: objective weights (direct or AHP) and project scores (DESIGN 4).

Project Server's business drivers: S_p = sum_d w_d x rating(p, d); alignment score
= 100 x S_p / (9 x sum_d w_d) (absolute, stable when projects are added); priority %
= 100 x S_p / sum_q S_q (relative, as Project Server shows it). Weights come from the
Objectives sheet when every objective has one, else from pairwise judgments (principal
eigenvector of the reciprocal matrix, with Saaty's consistency ratio), else are equal.

Columns:
    alignment_scores(...) -> project_id, alignment_score (0-100, NaN when unrated),
        priority_pct, rated (bool)

Examples:
    >>> w, lam, ci, cr = ahp_weights(np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]))
    >>> [round(float(x), 4) for x in w], abs(round(cr, 6))
    ([0.5714, 0.2857, 0.1429], 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Saaty's random index for n = 1..15.
RANDOM_INDEX = (
    0.0,
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
CR_ACCEPTABLE = 0.10


@dataclass(frozen=True)
class Weights:
    """Objective weights (sum to 1) and how they were obtained."""

    weights: pd.Series
    method: str  # "direct" | "ahp" | "equal"
    cr: float | None = None
    ci: float | None = None
    lambda_max: float | None = None
    inconsistent: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def consistent(self) -> bool:
        return self.cr is None or self.cr <= CR_ACCEPTABLE


def ahp_weights(matrix: np.ndarray) -> tuple[np.ndarray, float, float, float]:
    """Principal eigenvector (normalised), lambda_max, CI and CR of a reciprocal matrix."""
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n] if n < len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    cr = max(ci / ri, 0.0) if ri else 0.0
    return w, lam, max(ci, 0.0), cr


def pairwise_matrix(objectives: pd.DataFrame, pairwise: pd.DataFrame) -> pd.DataFrame:
    """The reciprocal matrix (objective x objective); missing pairs are 1 (equal)."""
    ids = list(objectives["objective_id"])
    m = pd.DataFrame(np.ones((len(ids), len(ids))), index=ids, columns=ids)
    for a, b, j in zip(
        pairwise["objective_a"], pairwise["objective_b"], pairwise["judgment"], strict=True
    ):
        if a in m.index and b in m.index and a != b and pd.notna(j) and j > 0:
            m.loc[a, b] = float(j)
            m.loc[b, a] = 1.0 / float(j)
    return m


def inconsistent_judgments(matrix: pd.DataFrame, w: np.ndarray, top: int = 3) -> pd.DataFrame:
    """The judgments furthest from the consistent value w_i / w_j, with that value."""
    rows = []
    ids = list(matrix.index)
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            given = float(matrix.iloc[i, j])
            consistent = float(w[i] / w[j])
            rows.append(
                {
                    "objective_a": ids[i],
                    "objective_b": ids[j],
                    "judgment": given,
                    "consistent_value": consistent,
                    "deviation": abs(np.log(given / consistent)),
                }
            )
    df = pd.DataFrame(
        rows, columns=["objective_a", "objective_b", "judgment", "consistent_value", "deviation"]
    )
    return df.sort_values("deviation", ascending=False).head(top).reset_index(drop=True)


def objective_weights(objectives: pd.DataFrame, pairwise: pd.DataFrame) -> Weights:
    """Direct weights when all are given, else AHP from pairwise judgments, else equal."""
    ids = pd.Index(objectives["objective_id"])
    if len(ids) == 0:
        return Weights(pd.Series(dtype="float64"), "equal")
    direct = objectives["weight"].astype("float64")
    if direct.notna().all() and direct.sum() > 0:
        return Weights(pd.Series(direct.to_numpy() / direct.sum(), index=ids), "direct")
    if len(pairwise) and len(ids) > 1:
        m = pairwise_matrix(objectives, pairwise)
        w, lam, ci, cr = ahp_weights(m.to_numpy())
        return Weights(pd.Series(w, index=ids), "ahp", cr, ci, lam, inconsistent_judgments(m, w))
    return Weights(pd.Series(1.0 / len(ids), index=ids), "equal")


def alignment_scores(
    alignment: pd.DataFrame, weights: pd.Series, projects: pd.DataFrame
) -> pd.DataFrame:
    """Alignment score (0-100) and priority % per project (every project listed)."""
    ids = projects["project_id"]
    if weights.empty or alignment.empty:
        return pd.DataFrame(
            {"project_id": ids, "alignment_score": np.nan, "priority_pct": np.nan, "rated": False}
        )
    ratings = alignment.pivot_table(
        index="project_id", columns="objective_id", values="rating", aggfunc="max"
    )
    ratings = ratings.reindex(columns=weights.index).astype("float64")
    s = ratings.fillna(0).to_numpy() @ weights.to_numpy()
    rated = ratings.notna().any(axis=1)
    s_p = pd.Series(s, index=ratings.index).where(rated)
    score = 100 * s_p / (9 * weights.sum())
    total = s_p.sum()
    priority = 100 * s_p / total if total > 0 else s_p * np.nan
    return pd.DataFrame(
        {
            "project_id": ids.to_numpy(),
            "alignment_score": ids.map(score).to_numpy(dtype="float64", na_value=np.nan),
            "priority_pct": ids.map(priority).to_numpy(dtype="float64", na_value=np.nan),
            "rated": ids.map(rated).fillna(False).astype(bool).to_numpy(),
        }
    )
