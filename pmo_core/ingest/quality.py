"""Data quality of a snapshot: what is missing, project by project (DESIGN section 3).

A project with no dates or no budget is imported with a warning and "n/a" KPIs; this
module lists such gaps so that the PMO can chase them. A gap is one of :data:`GAPS`:

- ``start_date``, ``end_date``, ``budget``, ``manager``, ``sponsor``: the cell is empty;
- ``ratings``: the project is not rated against every objective of the Objectives sheet
  (or there are no objectives at all, so no alignment score can be computed);
- ``status_report``: a project in progress or on hold has no status report;
- ``milestones``: the project has no milestone.

Columns:
    quality_by_project(frames) -> project_id, name, status, one boolean column per
        kind in GAPS (True = missing), gaps (how many kinds are missing)

Examples:
    >>> frames = {"projects": pd.DataFrame({"project_id": ["P1"], "name": ["A"],
    ...     "status": ["in_progress"], "budget": [None]})}
    >>> q = quality_by_project(frames)
    >>> bool(q.loc[0, "budget"]), int(q.loc[0, "gaps"])
    (True, 8)
    >>> quality_summary(q).projects_with_gaps
    1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

#: Gap kind -> the English label shown to users (translated with ``i18n.t``).
GAPS: dict[str, str] = {
    "start_date": "Start date",
    "end_date": "End date",
    "budget": "Budget",
    "manager": "Manager",
    "sponsor": "Sponsor",
    "ratings": "Ratings against objectives",
    "status_report": "Status report",
    "milestones": "Milestones",
}
#: Statuses whose projects are expected to send status reports.
REPORTING_STATUSES: tuple[str, ...] = ("in_progress", "on_hold")


@dataclass(frozen=True)
class QualitySummary:
    """Counts for a data-quality panel: projects, projects with at least one gap, and
    how many projects miss each kind (every kind of :data:`GAPS`, zeros included)."""

    projects: int
    projects_with_gaps: int
    gaps_by_kind: dict[str, int] = field(default_factory=dict)


def _missing(df: pd.DataFrame, column: str) -> pd.Series:
    """Empty cells (NA or blank text) of ``column``; all missing when the column is absent."""
    if column not in df:
        return pd.Series(True, index=df.index)
    s = df[column]
    if s.dtype.kind in "fiumMb":
        return s.isna().astype(bool)
    return (s.isna() | s.astype("string").str.strip().fillna("").eq("")).astype(bool)


def _ids(frames: Mapping[str, pd.DataFrame], table: str) -> pd.Series:
    df = frames.get(table)
    if df is None or df.empty or "project_id" not in df:
        return pd.Series([], dtype="string")
    return df["project_id"].dropna().astype("string")


def quality_by_project(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per project: which kinds of :data:`GAPS` are missing, and how many.

    ``frames`` are canonical frames (an ``IngestResult.frames`` or a store snapshot's);
    tables that are absent count as empty. Rows come most gaps first, then by id.
    """
    projects = frames.get("projects")
    cols = ["project_id", "name", "status", *GAPS, "gaps"]
    if projects is None or projects.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    p = projects[projects["project_id"].notna()].reset_index(drop=True)
    ids = p["project_id"].astype("string")
    out = pd.DataFrame(
        {
            "project_id": ids,
            "name": p.get("name", pd.NA),
            "status": p.get("status", pd.NA),
        }
    )
    for column in ("start_date", "end_date", "budget", "manager", "sponsor"):
        out[column] = _missing(p, column).to_numpy()

    objectives = frames.get("objectives")
    n_objectives = 0
    if objectives is not None and not objectives.empty:
        n_objectives = int(objectives["objective_id"].dropna().nunique())
    alignment = frames.get("alignment")
    rated = pd.Series(0, index=ids.to_numpy())
    if alignment is not None and not alignment.empty:
        given = alignment[alignment["rating"].notna() & alignment["project_id"].notna()]
        counts = given.groupby(given["project_id"].astype("string"))["objective_id"].nunique()
        rated = ids.map(counts).fillna(0).set_axis(ids.to_numpy())
    out["ratings"] = (n_objectives == 0) | (rated.to_numpy() < n_objectives)

    reporting = out["status"].isin(REPORTING_STATUSES).fillna(False).astype(bool)
    out["status_report"] = reporting & ~ids.isin(_ids(frames, "status_reports")).astype(bool)
    out["milestones"] = ~ids.isin(_ids(frames, "milestones")).astype(bool)
    for kind in GAPS:
        out[kind] = out[kind].astype(bool)
    out["gaps"] = out[list(GAPS)].sum(axis=1).astype(int)
    out = out.sort_values(["gaps", "project_id"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)[cols]


def quality_summary(by_project: pd.DataFrame) -> QualitySummary:
    """Totals of :func:`quality_by_project`: projects, projects with a gap, gaps by kind.

    Examples:
        >>> q = pd.DataFrame({"gaps": [0, 2], **{k: [False, k in ("budget", "sponsor")]
        ...     for k in GAPS}})
        >>> s = quality_summary(q)
        >>> s.projects, s.projects_with_gaps, s.gaps_by_kind["budget"], s.gaps_by_kind["end_date"]
        (2, 1, 1, 0)
    """
    return QualitySummary(
        projects=len(by_project),
        projects_with_gaps=int((by_project["gaps"] > 0).sum()) if len(by_project) else 0,
        gaps_by_kind={
            kind: int(by_project[kind].sum()) if kind in by_project else 0 for kind in GAPS
        },
    )
