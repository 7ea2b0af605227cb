"""What changed between two snapshots: the "since last month" of a steering committee.

Columns (each value of :func:`snapshot_diff` is a frame):
    added / removed: project_id, name
    rag_changes: project_id, name, rag_before, rag_after
    milestones_slipped: project_id, milestone_id, name, forecast_before, forecast_after,
        slip_days (more than ``min_slip_days`` later than in the older snapshot)
    budget_changes / eac_changes: project_id, name, before, after, change
    new_top_risks: risk_id, project_id, title, exposure (in the newer top ``top_n`` only)
    project_changes(...) -> what, item, before, after (one project's changes)

Examples:
    >>> sorted(DIFF_KEYS)[:3]
    ['added', 'budget_changes', 'eac_changes']
"""

from __future__ import annotations

import pandas as pd

from pmo_core.kpi.risk import is_closed, top_risks

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


#: The Projects page's ``?changed=`` filter: its value -> the :func:`snapshot_diff` frame
#: whose projects it lists.
CHANGE_FILTERS: dict[str, str] = {
    "added": "added",
    "weather": "rag_changes",
    "slipped": "milestones_slipped",
    "risks": "new_top_risks",
    "eac": "eac_changes",
    "budget": "budget_changes",
}


def changed_projects(changes: dict[str, pd.DataFrame], key: str) -> set[str]:
    """The project ids behind one count of :func:`snapshot_diff` (``key`` of
    :data:`CHANGE_FILTERS`), e.g. the projects with a milestone slipped.

    Examples:
        >>> changes = {"milestones_slipped": pd.DataFrame({"project_id": ["A", "A", "B"]})}
        >>> sorted(changed_projects(changes, "slipped"))
        ['A', 'B']
    """
    frame = changes.get(CHANGE_FILTERS[key])
    return set() if frame is None else {str(p) for p in frame["project_id"]}


PROJECT_CHANGE_COLUMNS = ["what", "item", "before", "after"]


def project_changes(
    old_frames: dict[str, pd.DataFrame],
    new_frames: dict[str, pd.DataFrame],
    old_kpis: pd.DataFrame,
    new_kpis: pd.DataFrame,
    project_id: str,
    *,
    tolerance: float = 0.01,
) -> pd.DataFrame:
    """What changed for one project between two snapshots, one row per change: ``what``
    is ``added`` (not in the older snapshot: nothing else is compared), ``rag``, ``eac``
    (more than ``tolerance``, relative, as in :func:`snapshot_diff`), ``forecast_finish``
    (the earned-schedule forecast, another day), ``milestone`` (its forecast moved; its
    name in ``item``), ``risk_new`` / ``risk_closed`` (a risk that appeared, or that was
    open and is now closed or gone; its title in ``item``). A figure undefined on one side
    shows as a missing before or after, never as a change from 0.

    Examples:
        >>> old = pd.DataFrame({"project_id": ["P"], "rag": ["A"], "eac": [100.0],
        ...                     "forecast_finish": pd.to_datetime(["2027-01-31"])})
        >>> new = old.assign(rag="R", eac=100.5)  # +0.5 %: under the 1 % tolerance
        >>> empty = {"milestones": pd.DataFrame(columns=["project_id", "milestone_id",
        ...          "name", "forecast_date"]), "risks": pd.DataFrame(columns=["risk_id",
        ...          "project_id", "title", "status"]), "projects": old}
        >>> project_changes(empty, empty, old, new, "P")[["what", "before", "after"]].values.tolist()
        [['rag', 'A', 'R']]
    """
    rows: list[dict[str, object]] = []
    old_k = old_kpis.set_index("project_id")
    new_k = new_kpis.set_index("project_id")
    if project_id not in old_k.index:
        if project_id in new_k.index:
            rows.append({"what": "added", "item": None, "before": None, "after": None})
        return _frame(rows)
    if project_id not in new_k.index:
        return _frame(rows)
    o, n = old_k.loc[project_id], new_k.loc[project_id]

    def value(x: object) -> object:
        return None if x is None or bool(pd.isna(x)) else x  # type: ignore[call-overload]

    if value(o["rag"]) != value(n["rag"]):
        rows.append(
            {"what": "rag", "item": None, "before": value(o["rag"]), "after": value(n["rag"])}
        )
    eo, en = value(o["eac"]), value(n["eac"])
    if (eo is None) != (en is None) or (
        eo is not None
        and en is not None
        and abs(float(en) - float(eo)) > tolerance * max(abs(float(eo)), 1.0)  # type: ignore[arg-type]
    ):
        rows.append({"what": "eac", "item": None, "before": eo, "after": en})
    fo, fn = value(o.get("forecast_finish")), value(n.get("forecast_finish"))
    if (fo is None) != (fn is None) or (
        fo is not None and fn is not None and pd.Timestamp(fo).date() != pd.Timestamp(fn).date()  # type: ignore[arg-type]
    ):
        rows.append({"what": "forecast_finish", "item": None, "before": fo, "after": fn})

    key = ["project_id", "milestone_id"]
    om = old_frames["milestones"]
    nm = new_frames["milestones"]
    ms = om[om["project_id"] == project_id][[*key, "forecast_date"]].merge(
        nm[nm["project_id"] == project_id][[*key, "name", "forecast_date"]],
        on=key,
        suffixes=("_before", "_after"),
    )
    for r in ms.sort_values("milestone_id").itertuples():
        b, a = value(r.forecast_date_before), value(r.forecast_date_after)
        if b != a:
            rows.append({"what": "milestone", "item": r.name, "before": b, "after": a})

    def open_risks(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        rk = frames["risks"]
        rk = rk[rk["project_id"] == project_id]
        return rk[~is_closed(rk["status"])]

    o_open, n_open = open_risks(old_frames), open_risks(new_frames)
    for r in n_open[~n_open["risk_id"].isin(o_open["risk_id"])].sort_values("risk_id").itertuples():
        rows.append({"what": "risk_new", "item": r.title, "before": None, "after": None})
    for r in o_open[~o_open["risk_id"].isin(n_open["risk_id"])].sort_values("risk_id").itertuples():
        rows.append({"what": "risk_closed", "item": r.title, "before": None, "after": None})
    return _frame(rows)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The rows as a frame whose missing values are None (not NaN) in every column."""
    out = pd.DataFrame(rows, columns=PROJECT_CHANGE_COLUMNS).astype(object)
    return out.where(out.notna(), None)
