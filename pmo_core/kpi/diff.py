"""What changed between two snapshots: the "since last month" of a steering committee.

Columns (each value of :func:`snapshot_diff` is a frame):
    added / removed: project_id, name
    rag_changes: project_id, name, rag_before, rag_after
    milestones_slipped: project_id, milestone_id, name, forecast_before, forecast_after,
        slip_days (more than ``min_slip_days`` later than in the older snapshot)
    budget_changes / eac_changes: project_id, name, before, after, change
    new_top_risks: risk_id, project_id, title, exposure (in the newer top ``top_n`` only)

Examples:
    >>> sorted(DIFF_KEYS)[:3]
    ['added', 'budget_changes', 'eac_changes']
"""

from __future__ import annotations

import pandas as pd

from pmo_core.kpi.risk import top_risks

DIFF_KEYS = (
    "added",
    "removed",
    "rag_changes",
    "milestones_slipped",
    "budget_changes",
    "eac_changes",
    "new_top_risks",
)


def _changes(old: pd.DataFrame, new: pd.DataFrame, column: str, tolerance: float) -> pd.DataFrame:
    both = old[["project_id", column]].merge(
        new[["project_id", "name", column]], on="project_id", suffixes=("_before", "_after")
    )
    both = both.rename(columns={f"{column}_before": "before", f"{column}_after": "after"})
    both["change"] = both["after"] - both["before"]
    moved = both["change"].abs() > tolerance * both["before"].abs().clip(lower=1)
    out = both[moved].sort_values("change", key=lambda s: s.abs(), ascending=False)
    return out[["project_id", "name", "before", "after", "change"]].reset_index(drop=True)


def snapshot_diff(
    old_frames: dict[str, pd.DataFrame],
    new_frames: dict[str, pd.DataFrame],
    old_kpis: pd.DataFrame,
    new_kpis: pd.DataFrame,
    *,
    min_slip_days: int = 30,
    top_n: int = 10,
    tolerance: float = 0.01,
) -> dict[str, pd.DataFrame]:
    """Projects added and removed, RAG transitions, milestones slipped, budget and EAC
    changes (more than ``tolerance``, relative), and new top risks."""
    old_p, new_p = old_frames["projects"], new_frames["projects"]
    added = new_p[~new_p["project_id"].isin(old_p["project_id"])][["project_id", "name"]]
    removed = old_p[~old_p["project_id"].isin(new_p["project_id"])][["project_id", "name"]]
    rag = old_kpis[["project_id", "rag"]].merge(
        new_kpis[["project_id", "name", "rag"]], on="project_id", suffixes=("_before", "_after")
    )
    # "" for no RAG: pandas reads None != None as true, which made every project without
    # a RAG in both snapshots a "weather change".
    before = rag["rag_before"].astype("object").where(rag["rag_before"].notna(), "")
    after = rag["rag_after"].astype("object").where(rag["rag_after"].notna(), "")
    rag = rag[before != after][["project_id", "name", "rag_before", "rag_after"]]
    key = ["project_id", "milestone_id"]
    ms = old_frames["milestones"][[*key, "forecast_date"]].merge(
        new_frames["milestones"][[*key, "name", "forecast_date", "actual_date"]],
        on=key,
        suffixes=("_before", "_after"),
    )
    ms["slip_days"] = (ms["forecast_date_after"] - ms["forecast_date_before"]).dt.days
    slipped = ms[(ms["slip_days"] > min_slip_days) & ms["actual_date"].isna()]
    slipped = slipped.rename(
        columns={"forecast_date_before": "forecast_before", "forecast_date_after": "forecast_after"}
    )
    slipped = slipped[[*key, "name", "forecast_before", "forecast_after", "slip_days"]]
    top_old = set(top_risks(old_frames["risks"], top_n)["risk_id"])
    top_new = top_risks(new_frames["risks"], top_n)
    new_top = top_new[~top_new["risk_id"].isin(top_old)][
        ["risk_id", "project_id", "title", "exposure"]
    ]
    return {
        "added": added.reset_index(drop=True),
        "removed": removed.reset_index(drop=True),
        "rag_changes": rag.reset_index(drop=True),
        "milestones_slipped": slipped.sort_values("slip_days", ascending=False).reset_index(
            drop=True
        ),
        "budget_changes": _changes(old_kpis, new_kpis, "bac", tolerance),
        "eac_changes": _changes(old_kpis, new_kpis, "eac", tolerance),
        "new_top_risks": new_top.reset_index(drop=True),
    }
