"""An update import (``import --update``): a departmental file changes its projects only.

The new snapshot is the newest one with the file's projects and their rows replaced or
added: for each project of the file, its row in Projects and all its rows in the sheets
that hang off a project (:data:`PROJECT_TABLES`: alignment, allocations, milestones,
risks, status reports, baseline) are the file's; every other project keeps its rows, and
the tables of the whole portfolio (:data:`CARRIED`: objectives, pairwise comparisons,
resources, capacity) and the settings are the newest snapshot's. A file sheet of a
carried table is not used (warned), nor a setting that differs from the snapshot's.

A risk id is unique across the portfolio: a file's risk whose id another, kept project
already uses is an error (checked with the file's rows, :func:`pmo_core.ingest.rules.check_rules`
given the snapshot as ``reference``).

This module is pure (frames in, frames out); :mod:`pmo_core.ingest.pipeline` reads the
newest snapshot and commits the result.

Examples:
    >>> import pandas as pd
    >>> newest = {"projects": pd.DataFrame({"project_id": ["P1", "P2", "P3"], "name": list("abc")})}
    >>> file = {"projects": pd.DataFrame({"project_id": ["P2", "P9"], "name": ["B", "new"]})}
    >>> frames, counts = merge_update(newest, file)
    >>> frames["projects"]["project_id"].tolist(), counts
    (['P1', 'P3', 'P2', 'P9'], UpdateCounts(updated=1, added=1, kept=2))
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo_core import schema
from pmo_core.ingest.issues import Issue, warn

#: Tables whose rows belong to one project: replaced with the file's for its projects.
PROJECT_TABLES: tuple[str, ...] = tuple(
    n for n, t in schema.TABLES.items() if n != "projects" and "project_id" in t.column_names
)
#: Tables of the whole portfolio: carried over from the newest snapshot.
CARRIED: tuple[str, ...] = tuple(
    n for n in schema.TABLES if n != "projects" and n not in PROJECT_TABLES
)

SHEET_NOT_USED = (
    'Sheet not used by an update: the table "{table}" is carried over from snapshot #{id}. '
    "Import the file as a full snapshot to replace it."
)
SETTING_NOT_USED = "Setting {key} = {given} not used by an update: snapshot #{id} keeps {current}."
UPDATE_SUMMARY = (
    "Update of snapshot #{id}: {updated} projects updated, {added} added, {kept} kept as they are."
)


@dataclass(frozen=True)
class UpdateCounts:
    """Projects of an update: in both (``updated``), only in the file (``added``), only in
    the newest snapshot (``kept``)."""

    updated: int
    added: int
    kept: int


def merge_update(
    newest: dict[str, pd.DataFrame], file: dict[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], UpdateCounts]:
    """The frames of the updated snapshot and its counts (canonical columns in and out;
    a table missing from either side is taken as empty)."""

    def get(frames: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
        return schema.conform(name, frames[name]) if name in frames else schema.empty_frame(name)

    ids = set(get(file, "projects")["project_id"].dropna())
    old_ids = set(get(newest, "projects")["project_id"].dropna())
    out: dict[str, pd.DataFrame] = {}
    for name in ("projects", *PROJECT_TABLES):
        old, new = get(newest, name), get(file, name)
        kept = old[~old["project_id"].isin(ids)]
        parts = [f for f in (kept, new) if len(f)]
        out[name] = (
            pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts or [kept])[0]
        ).reset_index(drop=True)
    for name in CARRIED:
        out[name] = get(newest, name)
    counts = UpdateCounts(len(ids & old_ids), len(ids - old_ids), len(old_ids - ids))
    return out, counts


def update_issues(
    newest_id: int,
    newest_settings: dict[str, str],
    file: dict[str, pd.DataFrame],
    file_settings: dict[str, str],
) -> list[Issue]:
    """What an update does not take from the file: the sheets of carried tables, the
    settings that differ from the snapshot's (warnings)."""
    issues: list[Issue] = []
    for name in CARRIED:
        df = file.get(name)
        if df is not None and len(df):
            sheet = str(df.attrs.get("sheet", schema.TABLES[name].sheet_en))
            issues.append(
                warn(
                    sheet,
                    None,
                    None,
                    None,
                    SHEET_NOT_USED,
                    table=schema.TABLES[name].sheet_en,
                    id=newest_id,
                )
            )
    for key, value in file_settings.items():
        current = newest_settings.get(key)
        if key != "as_of" and current is not None and str(current) != str(value):
            issues.append(
                warn(
                    None,
                    None,
                    key,
                    value,
                    SETTING_NOT_USED,
                    key=key,
                    given=value,
                    id=newest_id,
                    current=current,
                )
            )
    return issues


__all__ = [
    "CARRIED",
    "PROJECT_TABLES",
    "UPDATE_SUMMARY",
    "UpdateCounts",
    "merge_update",
    "update_issues",
]
