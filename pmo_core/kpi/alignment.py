"""Strategic alignment: objective weights (direct or AHP) and project scores (DESIGN 4).

Project Server's business drivers: S_p = sum_d w_d x rating(p, d); alignment score
= 100 x S_p / (9 x sum_d w_d) (absolute, stable when projects are added); priority %
= 100 x S_p / sum_q S_q (relative, as Project Server shows it). Weights come from the
Objectives sheet when every objective has one, else from pairwise judgments (principal
eigenvector of the reciprocal matrix, with Saaty's consistency ratio), else are equal.

Spend by objective: each project's budget is split across the objectives in proportion
to its weighted ratings w_d x rating(p, d) (a project rated 9 on an objective of weight
0.5 and 3 on one of weight 0.5 puts 3/4 of its budget on the first); a project with no
positive weighted rating funds no objective and is counted as unallocated.

A named weighting (store document of kind ``weighting``) keeps edited weights (and the
pairwise judgments they came from) so that the Alignment page can reload them and the
What-if page can optimise with them: :func:`weighting_document` and
:func:`weights_from_document` convert; the store saves and lists them
(:func:`pmo_core.store.save_weighting`, :func:`pmo_core.store.list_weightings`).

Columns:
    alignment_scores(...) -> project_id, alignment_score (0-100, NaN when unrated),
        priority_pct, rated (bool: rated in the Alignment sheet), source ("ratings", an
        imported priority's source such as "Project Server", or None)
    ranked_by_alignment(...) -> the rated rows of alignment_scores + name, best first
    spend_by_objective(...) -> objective_id, weight_pct, spend, spend_pct, gap_pts
        (spend_pct - weight_pct); ``attrs["unallocated"]`` = spend funding no objective
    objective_coverage(...) -> objective_id, projects (rated > 0), strong (rated >= 6),
        mean_rating (over the projects rated > 0)
    alignment_warnings(...) -> kind ("unrated_project" | "uncovered_objective"), id
    judgments_from_matrix(...) -> objective_a, objective_b, judgment

Examples:
    >>> w, lam, ci, cr = ahp_weights(np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]))
    >>> [round(float(x), 4) for x in w], abs(round(cr, 6))
    ([0.5714, 0.2857, 0.1429], 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.errors import UsageError

KIND = "weighting"
STRONG_RATING = 6

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
    pos = {o: i for i, o in enumerate(ids)}
    m = np.ones((len(ids), len(ids)))
    for a, b, j in zip(
        pairwise["objective_a"], pairwise["objective_b"], pairwise["judgment"], strict=True
    ):
        if a in pos and b in pos and a != b and pd.notna(j) and float(j) > 0:
            m[pos[a], pos[b]] = float(j)
            m[pos[b], pos[a]] = 1.0 / float(j)
    return pd.DataFrame(m, index=ids, columns=ids)


def inconsistent_judgments(matrix: pd.DataFrame, w: np.ndarray, top: int = 3) -> pd.DataFrame:
    """The judgments furthest from the consistent value w_i / w_j, with that value."""
    ids = list(matrix.index)
    i, j = np.triu_indices(len(ids), k=1)
    given = matrix.to_numpy(dtype="float64")[i, j]
    consistent = np.asarray(w, dtype="float64")[i] / np.asarray(w, dtype="float64")[j]
    df = pd.DataFrame(
        {
            "objective_a": [ids[k] for k in i],
            "objective_b": [ids[k] for k in j],
            "judgment": given,
            "consistent_value": consistent,
            "deviation": np.abs(np.log(given / consistent)),
        }
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


def ratings_table(alignment: pd.DataFrame) -> pd.DataFrame:
    """Ratings pivoted: one row per rated project, one column per objective (the highest
    rating where a pair is given twice). Computed once per snapshot, it can be passed to
    the functions below as ``ratings`` so that a weight edit does not pivot again."""
    return alignment.pivot_table(
        index="project_id", columns="objective_id", values="rating", aggfunc="max"
    ).astype("float64")


def alignment_scores(
    alignment: pd.DataFrame,
    weights: pd.Series,
    projects: pd.DataFrame,
    ratings: pd.DataFrame | None = None,
    imported: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Alignment score (0-100) and priority % per project (every project listed).
    ``ratings``: :func:`ratings_table` of ``alignment``, when already computed.

    ``imported``: the snapshot's Priorities (project_id, alignment_score, source), e.g.
    Project Server's portfolio analysis, which holds each project's priority but not its
    ratings: a project with no rating takes its imported score, and ``source`` says where
    each score comes from ("ratings", the imported source, or missing when unscored); a
    rating given in the Alignment sheet takes over. Priority % is 100 x score / the sum
    of the scores listed, whichever their source (for ratings alone it is S_p / sum S_q,
    as Project Server's).

    Examples:
        >>> p = pd.DataFrame({"project_id": ["A", "B"]})
        >>> i = pd.DataFrame({"project_id": ["A", "B"], "alignment_score": [30.0, 10.0],
        ...                   "source": ["Project Server", "Project Server"]})
        >>> alignment_scores(pd.DataFrame(columns=["project_id", "objective_id", "rating"]),
        ...                  pd.Series(dtype="float64"), p, imported=i)["priority_pct"].tolist()
        [75.0, 25.0]
    """
    ids = projects["project_id"]
    score = pd.Series(dtype="float64")
    rated = pd.Series(dtype=bool)
    if not weights.empty and not alignment.empty:
        if ratings is None:
            ratings = ratings_table(alignment)
        ratings = ratings.reindex(columns=weights.index).astype("float64")
        s = ratings.fillna(0).to_numpy() @ weights.to_numpy()
        rated = ratings.notna().any(axis=1)
        s_p = pd.Series(s, index=ratings.index).where(rated)
        score = 100 * s_p / (9 * weights.sum())
    out_score = ids.map(score).astype("float64")
    source = pd.Series("ratings", index=ids.index, dtype=object).where(out_score.notna(), None)
    if imported is not None and len(imported):
        given = imported.dropna(subset=["alignment_score"]).drop_duplicates("project_id")
        by_id = given.set_index("project_id")
        fill = out_score.isna() & ids.isin(by_id.index)
        out_score = out_score.where(~fill, ids.map(by_id["alignment_score"]).astype("float64"))
        src = by_id["source"] if "source" in by_id else pd.Series("imported", index=by_id.index)
        source = source.where(~fill, ids.map(src.fillna("imported")))
    total = out_score.sum()
    priority = 100 * out_score / total if total > 0 else out_score * np.nan
    return pd.DataFrame(
        {
            "project_id": ids.to_numpy(),
            "alignment_score": out_score.to_numpy(dtype="float64", na_value=np.nan),
            "priority_pct": priority.to_numpy(dtype="float64", na_value=np.nan),
            "rated": ids.isin(rated.index[rated.to_numpy(dtype=bool)]).to_numpy(),
            "source": pd.Series([v if isinstance(v, str) else None for v in source], dtype=object),
        }
    )


def ranked_by_alignment(scores: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """The rated projects of :func:`alignment_scores` with their name, best score first
    (ties by project id); unrated projects are left out.

    Examples:
        >>> s = pd.DataFrame({"project_id": ["A", "B", "C"],
        ...                   "alignment_score": [40.0, None, 75.0]})
        >>> p = pd.DataFrame({"project_id": ["A", "B", "C"], "name": ["a", "b", "c"]})
        >>> ranked_by_alignment(s, p)["project_id"].tolist()
        ['C', 'A']
    """
    named = scores.merge(projects[["project_id", "name"]], on="project_id")
    return named.dropna(subset=["alignment_score"]).sort_values(
        ["alignment_score", "project_id"], ascending=[False, True]
    )


# ---------------------------------------------------------------------------- ratings


def rating_matrix(
    alignment: pd.DataFrame,
    project_ids: list[str],
    objective_ids: list[str],
    ratings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ratings as a project x objective table (rows and columns in the given order; NaN
    where a project has no rating for an objective)."""
    m = ratings_table(alignment) if ratings is None else ratings
    return m.reindex(index=list(project_ids), columns=list(objective_ids)).astype("float64")


def spend_by_objective(
    alignment: pd.DataFrame,
    weights: pd.Series,
    projects: pd.DataFrame,
    amount: str = "budget",
    ratings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spend (``amount`` of each project, budget by default) per objective against its weight.

    Each project's amount is split pro rata of w_d x rating(p, d) (module docstring).

    Examples:
        >>> a = pd.DataFrame({"project_id": ["P", "P"], "objective_id": ["A", "B"],
        ...                   "rating": [9.0, 3.0]})
        >>> p = pd.DataFrame({"project_id": ["P"], "budget": [100.0]})
        >>> spend_by_objective(a, pd.Series({"A": 0.5, "B": 0.5}), p)["spend"].tolist()
        [75.0, 25.0]
    """
    ids = list(weights.index)
    money = projects.set_index("project_id")[amount].astype("float64").fillna(0.0)
    r = rating_matrix(alignment, list(money.index), ids, ratings).fillna(0.0)
    contrib = r.to_numpy() * weights.to_numpy()
    total = contrib.sum(axis=1)
    share = np.divide(contrib, total[:, None], out=np.zeros_like(contrib), where=total[:, None] > 0)
    spend = share.T @ money.to_numpy()
    allocated = float(spend.sum())
    w_pct = 100 * weights.to_numpy() / weights.sum() if weights.sum() > 0 else weights * np.nan
    s_pct = 100 * spend / allocated if allocated > 0 else spend * np.nan
    out = pd.DataFrame(
        {
            "objective_id": ids,
            "weight_pct": np.asarray(w_pct, dtype="float64"),
            "spend": spend,
            "spend_pct": s_pct,
        }
    )
    out["gap_pts"] = out["spend_pct"] - out["weight_pct"]
    out.attrs["unallocated"] = float(money.to_numpy()[total <= 0].sum())
    return out


def objective_coverage(
    alignment: pd.DataFrame, objectives: pd.DataFrame, projects: pd.DataFrame
) -> pd.DataFrame:
    """How many of ``projects`` serve each objective (rating > 0), strongly (>= 6).

    Counts projects, not ratings: two projects rated 6 on an objective are two projects;
    a pair given twice counts once, at its highest rating (as :func:`ratings_table`).

    Examples:
        >>> a = pd.DataFrame({"project_id": ["P", "Q", "R"], "objective_id": ["O"] * 3,
        ...                   "rating": [6, 6, 0]})
        >>> objective_coverage(a, pd.DataFrame({"objective_id": ["O"]}),
        ...                    pd.DataFrame({"project_id": ["P", "Q", "R"]}))["projects"].tolist()
        [2]
    """
    a = alignment[alignment["project_id"].isin(projects["project_id"])]
    a = a.assign(rating=a["rating"].astype("float64"))
    a = a.groupby(["objective_id", "project_id"], as_index=False)["rating"].max()
    a = a[a["rating"] > 0]
    g = a.groupby("objective_id")
    out = pd.DataFrame({"objective_id": objectives["objective_id"].to_numpy()})
    out["projects"] = out["objective_id"].map(g.size() if len(a) else {}).fillna(0)
    strong = a[a["rating"] >= STRONG_RATING].groupby("objective_id").size()
    out["strong"] = out["objective_id"].map(strong).fillna(0)
    mean = g["rating"].mean() if len(a) else {}
    out["mean_rating"] = out["objective_id"].map(mean).astype("float64")
    out[["projects", "strong"]] = out[["projects", "strong"]].astype("int64")
    return out


def alignment_warnings(
    alignment: pd.DataFrame, objectives: pd.DataFrame, projects: pd.DataFrame
) -> pd.DataFrame:
    """Projects with no rating at all, objectives that no project serves (rating > 0)."""
    rated = set(alignment.dropna(subset=["rating"])["project_id"])
    unrated = [p for p in projects["project_id"] if p not in rated]
    cov = objective_coverage(alignment, objectives, projects)
    uncovered = cov.loc[cov["projects"] == 0, "objective_id"].tolist()
    return pd.DataFrame(
        {
            "kind": ["unrated_project"] * len(unrated) + ["uncovered_objective"] * len(uncovered),
            "id": unrated + uncovered,
        }
    )


# ---------------------------------------------------------------------------- editing


def judgments_from_matrix(edited: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    """The pairwise judgments of an edited reciprocal matrix (one per pair a < b).

    A pair takes its upper cell when that was edited, else the reciprocal of its lower
    cell when that was edited, else the original; non-positive entries are ignored.

    Examples:
        >>> o = pd.DataFrame(np.ones((2, 2)), index=["A", "B"], columns=["A", "B"])
        >>> e = o.copy(); e.loc["B", "A"] = 4.0
        >>> judgments_from_matrix(e, o)["judgment"].tolist()
        [0.25]
    """
    ids = list(original.index)
    e = edited.reindex(index=ids, columns=ids).astype("float64").to_numpy()
    o = original.astype("float64").to_numpy()
    rows = []
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            upper, lower = e[i, j], e[j, i]
            if np.isfinite(upper) and upper > 0 and not np.isclose(upper, o[i, j]):
                value = upper
            elif np.isfinite(lower) and lower > 0 and not np.isclose(lower, o[j, i]):
                value = 1.0 / lower
            else:
                value = o[i, j]
            rows.append((ids[i], ids[j], float(value)))
    return pd.DataFrame(rows, columns=["objective_a", "objective_b", "judgment"])


def direct_weights(values: pd.Series) -> Weights:
    """Weights typed directly (any positive scale, e.g. percentages), normalised to 1."""
    v = values.astype("float64").fillna(0.0).clip(lower=0.0)
    if v.sum() <= 0:
        return Weights(pd.Series(1.0 / len(v), index=v.index), "equal")
    return Weights(v / v.sum(), "direct")


def pairwise_weights(objective_ids: list[str], judgments: pd.DataFrame) -> Weights:
    """AHP weights (with CR and the judgments to review) from a list of judgments."""
    o = pd.DataFrame({"objective_id": objective_ids, "weight": np.nan})
    return objective_weights(o, judgments)


# ---------------------------------------------------------------------------- named weightings


def weighting_document(weights: Weights, judgments: pd.DataFrame | None = None) -> dict[str, Any]:
    """The stored payload of a named weighting: weights, method, CR and the judgments.

    Examples:
        >>> w = direct_weights(pd.Series({"A": 3.0, "B": 1.0}))
        >>> weighting_document(w)["weights"]
        {'A': 0.75, 'B': 0.25}
    """
    j = judgments if judgments is not None else pd.DataFrame()
    return {
        "method": weights.method,
        "weights": {str(k): float(v) for k, v in weights.weights.items()},
        "cr": None if weights.cr is None else float(weights.cr),
        "judgments": [
            [str(a), str(b), float(v)]
            for a, b, v in zip(
                j.get("objective_a", []),
                j.get("objective_b", []),
                j.get("judgment", []),
                strict=True,
            )
        ],
    }


def weights_from_document(payload: dict[str, Any], objective_ids: list[str]) -> pd.Series:
    """A saved weighting's weights for these objectives (sum 1). An objective the
    weighting does not name weighs 0; one naming none of them is refused."""
    saved = pd.Series(payload.get("weights", {}), dtype="float64")
    w = saved.reindex(list(objective_ids)).fillna(0.0).clip(lower=0.0)
    if w.sum() <= 0:
        raise UsageError("This weighting names none of this snapshot's objectives.")
    return w / w.sum()
