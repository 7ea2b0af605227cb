"""The wide alignment matrix (DESIGN section 3): one row per project, one column per
objective (its code or its name as the header), a rating in each cell as a word of the
rating vocabulary (Aucun, Faible, Modéré, Fort, Extrême; None... Extreme) or a number 0-9.

:func:`read_wide_alignment` turns such a sheet into the long alignment table (project_id,
objective_id, rating), one row per rated cell; an empty cell is no rating; a cell that is
not a rating is an error naming its sheet, Excel row, header and value.

Columns:
    the objectives frame given (as read from the Objectives sheet): objective_id, name
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import headers as hd
from pmo_core.ingest import values as iv
from pmo_core.ingest.issues import Issue, err, warn
from pmo_core.ingest.reader import RawSheet

RATING_EXPECTED = "a rating: None 0, Low 1, Moderate 3, Strong 6, Extreme 9 (or 0-9)"


def objective_keys(objectives: pd.DataFrame | None) -> dict[str, str]:
    """Normalised objective code or name -> objective code (codes win over names).

    Examples:
        >>> o = pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["Croissance", "O1"]})
        >>> objective_keys(o)
        {'o1': 'O1', 'o2': 'O2', 'croissance': 'O1'}
    """
    out: dict[str, str] = {}
    if objectives is None or objectives.empty or "objective_id" not in objectives:
        return out
    ids = [str(i).strip() for i in objectives["objective_id"] if pd.notna(i) and str(i).strip()]
    for i in ids:
        out.setdefault(schema.normalise_label(i), i)
    if "name" in objectives:
        for i, n in zip(objectives["objective_id"], objectives["name"], strict=True):
            if pd.notna(i) and pd.notna(n) and str(n).strip():
                out.setdefault(schema.normalise_label(n), str(i).strip())
    return out


def _is_project_id(cell: Any) -> bool:
    return isinstance(cell, str) and (
        hd.canonical_column("alignment", cell) == "project_id"
        or hd.canonical_column("projects", cell) == "project_id"
    )


def _layout(cells: list[Any], keys: dict[str, str], any_header: bool) -> tuple[int, list[int]]:
    """The project id column and the objective columns of a header row (-1, [] if none).
    Without known objectives (``any_header``), every text header that is not a Projects
    header is an objective code."""
    proj = next((j for j, c in enumerate(cells) if _is_project_id(c)), -1)
    objs = [
        j
        for j, c in enumerate(cells)
        if j != proj
        and isinstance(c, str)
        and c.strip()
        and (
            schema.normalise_label(c) in keys
            if keys
            else any_header and hd.canonical_column("projects", c) is None
        )
    ]
    return proj, objs


def is_wide_header(cells: list[Any], keys: dict[str, str], any_header: bool = False) -> bool:
    """True when a header row is a wide matrix: a project id column and an objective column.

    Examples:
        >>> is_wide_header(["Code projet", "Croissance", "O2"], {"croissance": "O1", "o2": "O2"})
        True
        >>> is_wide_header(["Code projet", "Objectif", "Note"], {"o1": "O1"})
        False
    """
    proj, objs = _layout(cells, keys, any_header)
    return proj >= 0 and bool(objs)


def may_be_wide(
    head: pd.DataFrame,
    h: int,
    table: schema.Table | None,
    found: schema.Table | None,
    score: int,
    read: set[str],
) -> bool:
    """True when a sheet may be a wide matrix, to be read once the objectives are known:
    named as the alignment sheet without the long layout's objective and rating columns,
    or not recognised, or a second Projects-like sheet (project id and name columns)
    that its name does not make the Projects sheet."""
    if "alignment" in read:
        return False
    if found is not None and found.name == "alignment" and score > 0:
        cells = head.iloc[h].tolist()
        long = {hd.canonical_column("alignment", c) for c in cells if isinstance(c, str)}
        return not {"objective_id", "rating"} <= long
    if found is None or score == 0:
        return True
    return table is None and found.name == "projects" and "projects" in read


def read_wide_alignment(
    raw: RawSheet, keys: dict[str, str], issues: list[Issue], *, any_header: bool = False
) -> pd.DataFrame | None:
    """The long alignment table from a wide sheet, or None when no row of the sheet's
    first rows is a wide header (a project id column and objective columns)."""
    best: tuple[int, int, int, list[int]] = (0, -1, -1, [])
    for i in range(len(raw.head)):
        cells = raw.head.iloc[i].tolist()
        proj, objs = _layout(cells, keys, any_header)
        if proj >= 0 and len(objs) > best[0]:
            best = (len(objs), i, proj, objs)
    _, h, proj, objs = best
    if h < 0:
        return None
    header = raw.head.iloc[h].tolist()
    df = raw.load(h)
    rows = pd.Series(range(h + 2, h + 2 + len(df)), index=df.index)
    blank = pd.Series(True, index=df.index)
    for c in df.columns:
        blank &= iv.blank(df[c])
    df, rows = df[~blank], rows[~blank]
    if len(df):
        last = df.iloc[-1].dropna()
        if len(last) and iv.is_total_label(last.iloc[0]):
            issues.append(
                warn(raw.name, int(rows.iloc[-1]), None, last.iloc[0], "Totals row skipped.")
            )
            df, rows = df.iloc[:-1], rows.iloc[:-1]
    for j, c in enumerate(header):
        if j == proj or j in objs or not isinstance(c, str) or not c.strip():
            continue
        if hd.canonical_column("projects", c) is None:  # a project's name beside: expected
            issues.append(
                warn(
                    raw.name,
                    h + 1,
                    c,
                    None,
                    "Column ignored in the alignment matrix: it is not an objective of the "
                    "Objectives sheet (by code or name).",
                )
            )
    if proj >= df.shape[1]:
        return None
    ids, _ = iv.parse_text(df[proj])
    parts: list[pd.DataFrame] = []
    for j in objs:
        if j >= df.shape[1]:
            continue
        cells = df[j]
        ratings, bad = iv.parse_rating(cells)
        written = str(header[j]).strip()
        for r, v in zip(rows[bad], cells[bad], strict=True):
            issues.append(
                err(
                    raw.name,
                    int(r),
                    written,
                    v,
                    "Cannot read this value: expected {expected}.",
                    expected=RATING_EXPECTED,
                )
            )
        rated = ratings.notna()
        objective = keys.get(schema.normalise_label(written), written)
        parts.append(
            pd.DataFrame(
                {
                    "project_id": ids[rated].astype("string"),
                    "objective_id": pd.Series(objective, index=ids.index)[rated].astype("string"),
                    "rating": ratings[rated].astype("Int64"),
                    "_row": rows[rated],
                }
            )
        )
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            {
                "project_id": pd.Series([], dtype="string"),
                "objective_id": pd.Series([], dtype="string"),
                "rating": pd.Series([], dtype="Int64"),
                "_row": pd.Series([], dtype="int64"),
            }
        )
    )
    frame = frame.sort_values(["_row"], kind="stable").reset_index(drop=True)
    first, last = str(header[objs[0]]).strip(), str(header[objs[-1]]).strip()
    span = first if first == last else f"{first} … {last}"
    frame.attrs["written"] = {
        "project_id": str(header[proj]).strip(),
        "objective_id": span,
        "rating": span,
    }
    frame.attrs["sheet"] = raw.name
    issues.append(
        warn(
            raw.name,
            h + 1,
            None,
            None,
            "Read as a wide alignment matrix: {objectives} objectives, {ratings} ratings.",
            objectives=len(objs),
            ratings=len(frame),
        )
    )
    return frame
