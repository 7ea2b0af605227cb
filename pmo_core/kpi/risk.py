"""Risk exposure over open risks (DESIGN section 4).

``risk_exposure`` is money: probability (a fraction) x impact (money). When a register
gives levels 1-5 for both, their product (1-25) goes to ``risk_score`` instead. A blank
status counts as open; the portfolio sums the open risks of projects that are neither
completed nor cancelled.

Columns:
    open_risks(...) -> the Risks columns + open (bool), exposure, score, p_level, i_level
    exposure_by_project(...) -> index project_id: risk_exposure, risk_score, open_risks
    cell_risks(...) -> the open_risks rows of one heat-map cell

Examples:
    >>> is_closed(pd.Series(["Clos", None, "open", "Résolu"])).tolist()
    [True, False, False, True]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.schema import normalise_label

CLOSED_WORDS = frozenset(
    {
        "closed",
        "clos",
        "close",
        "ferme",
        "cloture",
        "resolved",
        "resolu",
        "done",
        "termine",
        "archived",
        "archive",
        "occurred",
        "survenu",
    }
)
#: Probability bands (fraction upper bounds) for levels 1-5 when fractions are given.
PROBABILITY_BANDS = (0.1, 0.3, 0.5, 0.7, 1.0)


def is_closed(status: pd.Series) -> pd.Series:
    return status.map(
        lambda s: normalise_label(s) in CLOSED_WORDS if pd.notna(s) else False
    ).astype(bool)


def _levels(risks: pd.DataFrame) -> tuple[pd.Series, pd.Series, bool]:
    """Probability and impact levels 1-5, and whether the register is in levels."""
    p, i = risks["probability"], risks["impact"]
    levels = bool(len(p)) and bool((p.dropna() > 1).any()) and bool((p.dropna() <= 5).all())
    if levels:
        return p.round().clip(1, 5), i.round().clip(1, 5), True
    p_level = pd.Series(
        np.searchsorted(PROBABILITY_BANDS, p.fillna(0), side="left") + 1, index=p.index
    ).clip(1, 5)
    ranks = i.rank(pct=True)  # impact money -> quintiles of the register
    i_level = np.ceil(ranks * 5).clip(1, 5).fillna(1)
    return p_level.astype(float), i_level.astype(float), False


def open_risks(risks: pd.DataFrame) -> pd.DataFrame:
    """Every risk with its open flag, exposure (money) or score (levels), and levels."""
    r = risks.copy()
    r["open"] = ~is_closed(r["status"])
    p_level, i_level, levels = _levels(r)
    r["p_level"], r["i_level"] = p_level, i_level
    if levels:
        r["exposure"] = np.nan
        r["score"] = p_level * i_level
    else:
        r["exposure"] = r["probability"] * r["impact"]
        r["score"] = p_level * i_level
    return r


def exposure_by_project(risks: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Open risks' exposure per project (projects neither completed nor cancelled)."""
    r = open_risks(risks)
    live = set(projects.loc[~projects["status"].isin(["completed", "cancelled"]), "project_id"])
    r = r[r["open"] & r["project_id"].isin(live)]
    g = r.groupby("project_id")
    return pd.DataFrame(
        {
            "risk_exposure": g["exposure"].sum(min_count=1),  # NaN for a register in levels
            "risk_score": g["score"].sum(),
            "open_risks": g.size(),
        }
    )


def risk_matrix(risks: pd.DataFrame) -> pd.DataFrame:
    """5x5 counts of open risks: index probability level 5..1, columns impact level 1..5."""
    r = open_risks(risks)
    r = r[r["open"]]
    m = pd.crosstab(r["p_level"].astype(int), r["i_level"].astype(int))
    return m.reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5], fill_value=0)


def top_risks(risks: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The open risks with the largest exposure (or score)."""
    r = open_risks(risks)
    r = r[r["open"]]
    key = "exposure" if r["exposure"].notna().any() else "score"
    return r.sort_values(key, ascending=False).head(n).reset_index(drop=True)


def cell_risks(risks: pd.DataFrame, p_level: int, i_level: int) -> pd.DataFrame:
    """The open risks of one heat-map cell (probability and impact levels), largest
    exposure (or score) first."""
    r = open_risks(risks)
    r = r[r["open"] & (r["p_level"] == p_level) & (r["i_level"] == i_level)]
    key = "exposure" if r["exposure"].notna().any() else "score"
    return r.sort_values(key, ascending=False)


def exposure_trend(history: Iterable[tuple[Any, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """Exposure per project in each snapshot, from ``(as_of, risks, projects)`` triples,
    oldest first: as_of, project_id, risk_exposure, risk_score, open_risks. A project with
    no open risk in a snapshot where it exists counts 0 (its trend line touches zero)."""
    rows = []
    for as_of, risks, projects in history:
        e = exposure_by_project(risks, projects)
        live = projects.loc[~projects["status"].isin(["completed", "cancelled"]), "project_id"]
        e = e.reindex(pd.Index(live, name="project_id"))
        e[["risk_score", "open_risks"]] = e[["risk_score", "open_risks"]].fillna(0)
        in_levels = e["risk_exposure"].isna().all() and bool(e["risk_score"].gt(0).any())
        if not in_levels:  # in levels, exposure stays n/a and the score carries the trend
            e["risk_exposure"] = e["risk_exposure"].fillna(0.0)
        rows.append(e.reset_index().assign(as_of=pd.Timestamp(as_of)))
    cols = ["as_of", "project_id", "risk_exposure", "risk_score", "open_risks"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)[cols]
    return out.sort_values(["as_of", "project_id"]).reset_index(drop=True)
