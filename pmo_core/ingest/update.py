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

This module is pure; :mod:`pmo_core.ingest.pipeline` reads the newest snapshot's
projects, objectives, resources and risks (to check the file against), and the store
copies the rows carried over inside the commit's transaction
(:func:`pmo_core.store.commit_snapshot` with ``base``), so that an update costs about
what reading the file costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import template
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
COLUMNS_LOST = (
    'The file has no column "{header}": the {n} projects it updates lose what snapshot '
    "#{id} holds there (a project's row is replaced whole). Add this column to keep it."
)
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


def update_counts(newest_ids: set[str], file_ids: set[str]) -> UpdateCounts:
    """Projects updated (in both), added (only in the file), kept (only in the snapshot).

    Examples:
        >>> update_counts({"P1", "P2", "P3"}, {"P2", "P9"})
        UpdateCounts(updated=1, added=1, kept=2)
    """
    return UpdateCounts(
        len(file_ids & newest_ids), len(file_ids - newest_ids), len(newest_ids - file_ids)
    )


def file_part(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """What an update commits from the file: its projects and their rows; the carried
    tables empty (the store copies the snapshot's, :func:`pmo_core.store.commit_snapshot`
    with ``base``)."""
    return {n: schema.empty_frame(n) if n in CARRIED else df for n, df in frames.items()}


def lost_columns(newest_projects: pd.DataFrame, file_projects: pd.DataFrame) -> list[str]:
    """The Projects columns the file does not have (no header read for them) although the
    snapshot holds a value there for some project the file updates: those values would be
    lost. The file's headers are in its frame's ``attrs["written"]``."""
    written = file_projects.attrs.get("written")
    if written is None:
        return []
    ids = set(file_projects["project_id"].dropna())
    updated = newest_projects[newest_projects["project_id"].isin(ids)]
    return [
        c
        for c in schema.TABLES["projects"].column_names
        if c not in written and c in updated and bool(updated[c].notna().any())
    ]


def update_issues(
    newest_id: int,
    newest_settings: dict[str, str],
    file: dict[str, pd.DataFrame],
    file_settings: dict[str, str],
    newest_projects: pd.DataFrame,
) -> list[Issue]:
    """What an update does not take from the file, or loses (warnings): the Projects
    columns it lacks where the snapshot has values (:func:`lost_columns`), the sheets of
    carried tables, the settings that differ from the snapshot's."""
    issues: list[Issue] = []
    lost = lost_columns(newest_projects, file["projects"])
    if lost:
        ids = set(file["projects"]["project_id"].dropna())
        n = int(newest_projects["project_id"].isin(ids).sum())
        sheet = str(file["projects"].attrs.get("sheet", schema.TABLES["projects"].sheet_en))
        for c in lost:  # named by the template's header, in the reader's language
            label = template.header("projects", c, "en")
            issues.append(
                warn(sheet, None, None, None, COLUMNS_LOST, header=label, n=n, id=newest_id)
            )
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
    "file_part",
    "lost_columns",
    "update_counts",
    "update_issues",
]
