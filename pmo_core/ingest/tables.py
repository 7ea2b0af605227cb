"""One raw sheet -> one canonical frame: find the header row and its table
(:func:`find_header`), map the headers (by the template's French or English headers, or
by a mapping profile), skip blank and totals rows, convert every cell
(:mod:`pmo_core.ingest.values`) and report each unreadable one (:func:`read_table`);
:func:`conform_frame` casts the frame to its canonical dtypes keeping the Excel row
numbers (``_row``) and, in ``attrs``, the sheet name and the headers as written, which the
rules (:mod:`pmo_core.ingest.rules`) use to locate their issues
(:func:`sheets_by_table`).
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import mapping
from pmo_core.ingest import values as iv
from pmo_core.ingest.issues import Issue, err, warn
from pmo_core.ingest.reader import RawSheet, percent_cells

MAX_ISSUES_PER_COLUMN = 50
PERCENT_COLUMNS = {("projects", "percent_complete"), ("status_reports", "percent_complete")}


@functools.cache
def _header_index(table: str) -> dict[str, str]:
    """Normalised header -> canonical column of a table (the first column wins, as in
    :meth:`pmo_core.schema.Table.match_header`)."""
    out: dict[str, str] = {}
    for c in schema.ALL_SHEETS[table].columns:
        for k in c.keys:
            out.setdefault(k, c.name)
    return out


@functools.lru_cache(maxsize=2**16)
def _label(text: object) -> str:
    """:func:`pmo_core.schema.normalise_label`, once per distinct cell of the heads."""
    return schema.normalise_label(text)


def find_header(
    head: pd.DataFrame, table: schema.Table | None
) -> tuple[int, schema.Table | None, int]:
    """The header row index, its table and how many headers matched (0: none found)."""
    best = (0, table, 0)
    tables = [table] if table is not None else list(schema.TABLES.values())
    for i in range(len(head)):
        cells = [c for c in head.iloc[i].tolist() if c is not None and not pd.isna(c)]
        if len(cells) < 1:
            continue
        keys = {_label(c) for c in cells}
        for tb in tables:
            if tb is None:
                continue
            index = _header_index(tb.name)
            matched = {index[k] for k in keys if k in index}
            required = {c.name for c in tb.columns if c.required}
            score = len(matched) + 2 * len(matched & required)
            if score > best[2] and (table is not None or matched >= required):
                best = (i, tb, score)
    return best


def _convert(
    name: str, col: schema.Column, s: pd.Series, fraction: bool
) -> tuple[pd.Series, pd.Series]:
    if col.dtype == "date":
        return iv.parse_date(s)
    if col.dtype == "month":
        return iv.parse_month(s)
    if col.dtype == "bool":
        return iv.parse_bool(s)
    if (name, col.name) in PERCENT_COLUMNS:
        return iv.parse_percent(s, fraction_cells=fraction)
    if col.dtype == "float" and name == "pairwise":
        return iv.parse_judgment(s)
    if col.dtype == "float":
        return iv.parse_number(s)
    if col.dtype == "int":
        return iv.parse_rating(s)
    if name == "projects" and col.name == "status":
        return iv.parse_status(s)
    if col.name in ("rag_override", "rag", "quality_rag"):
        return iv.parse_rag(s)
    return iv.parse_text(s)


EXPECTED: dict[str, str] = {
    "date": "a date such as 31/12/2026 or 2026-12-31",
    "month": "a month such as 03/2026 or a date",
    "bool": "yes or no (oui / non)",
    "float": "a number such as 1 234,50",
    "int": "a rating: None 0, Low 1, Moderate 3, Strong 6, Extreme 9 (or 0-9)",
    "status": "a status: proposed, approved, in progress, on hold, completed, cancelled",
    "rag": "Green, Amber or Red (Vert, Orange, Rouge)",
    "judgment": "9, 6, 3, 1, 1/3, 1/6 or 1/9",
}


def _expected(name: str, col: schema.Column) -> str:
    if name == "projects" and col.name == "status":
        return EXPECTED["status"]
    if col.name in ("rag_override", "rag", "quality_rag"):
        return EXPECTED["rag"]
    if name == "pairwise" and col.name == "judgment":
        return EXPECTED["judgment"]
    return EXPECTED.get(col.dtype, "text")


def read_table(
    raw: RawSheet,
    table: schema.Table,
    h: int,
    data: bytes | None,
    issues: list[Issue],
    spec: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Map, clean and convert one sheet whose header is at row index ``h`` (by the
    template's headers, or by a mapping profile's ``spec`` for this table)."""
    headers = raw.head.iloc[h].tolist()
    df = raw.load(h)
    excel_rows = pd.Series(range(h + 2, h + 2 + len(df)), index=df.index)
    # Blank rows go; a totals row at the bottom is skipped with a warning.
    blank = pd.Series(True, index=df.index)
    for c in df.columns:
        blank &= iv.blank(df[c])
    df, excel_rows = df[~blank], excel_rows[~blank]
    if len(df):
        first = df.iloc[-1].dropna()
        if len(first) and iv.is_total_label(first.iloc[0]):
            issues.append(
                warn(raw.name, int(excel_rows.iloc[-1]), None, first.iloc[0], "Totals row skipped.")
            )
            df, excel_rows = df.iloc[:-1], excel_rows.iloc[:-1]
    mapped: dict[str, int] = {}
    written: dict[str, str] = {}
    sources: dict[str, pd.Series] = {}
    unmapped: dict[str, pd.Series] = {}
    if spec is not None:
        sources, written, unmapped = mapping.select_columns(df, headers, spec)
        headers = []  # the profile chose the columns: no header matching below
    for j, hdr in enumerate(headers):
        if j >= df.shape[1] or hdr is None or pd.isna(hdr) or not str(hdr).strip():
            continue
        canon = _header_index(table.name).get(_label(hdr))  # as Table.match_header
        if canon is None:
            issues.append(
                warn(
                    raw.name,
                    h + 1,
                    str(hdr),
                    None,
                    "Unknown column ignored: rename it to a template header to import it.",
                )
            )
        elif canon in mapped:
            issues.append(
                warn(
                    raw.name,
                    h + 1,
                    str(hdr),
                    None,
                    "Column {canon} appears twice; the first one ({first}) is used.",
                    canon=canon,
                    first=written[canon],
                )
            )
        else:
            mapped[canon], written[canon] = j, str(hdr)
            sources[canon] = df[j]
    for col in table.columns:
        if (
            col.required
            and col.name not in sources
            and not (table.name == "resources" and col.name == "capacity_hours_per_month")
        ):
            issues.append(
                err(
                    raw.name,
                    h + 1,
                    None,
                    None,
                    "Required column missing: {name}. Add a column with this header.",
                    name=col.name,
                )
            )
    out: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name not in sources:
            continue
        cells = sources[col.name]
        fraction = False
        if col.name in mapped and (table.name, col.name) in PERCENT_COLUMNS and data and len(df):
            fraction = percent_cells(
                data, raw.name, int(excel_rows.iloc[0]), raw.col_offset + mapped[col.name]
            )
        values, bad = _convert(table.name, col, cells, fraction)
        if spec is not None and col.name in spec.get("scale", {}):
            values = values * float(spec["scale"][col.name])
        if col.name in unmapped and col.name in spec.get("warn_unmapped", []):  # type: ignore[union-attr]
            odd = unmapped[col.name].notna()
            for r, v in zip(excel_rows[odd], unmapped[col.name][odd], strict=True):
                issues.append(
                    warn(
                        raw.name,
                        int(r),
                        written[col.name],
                        v,
                        "Not a value this column knows: imported as empty.",
                    )
                )
        if bad.any() and spec is not None and col.name in spec.get("texts_as_empty", []):
            # The profile says this export writes explanations where a value is withheld
            # (e.g. "Exempt under Section 24 of the FOI Act"): kept empty, warned.
            for r, v in zip(excel_rows[bad], cells[bad], strict=True):
                issues.append(
                    warn(
                        raw.name,
                        int(r),
                        written[col.name],
                        v,
                        "Not a value this column knows: imported as empty.",
                    )
                )
            bad = bad & False
        if bad.any():
            rows = excel_rows[bad]
            for k, (r, v) in enumerate(zip(rows, cells[bad], strict=True)):
                if k == MAX_ISSUES_PER_COLUMN:
                    issues.append(
                        err(
                            raw.name,
                            None,
                            written[col.name],
                            None,
                            "{n} more unreadable values in this column.",
                            n=int(bad.sum()) - MAX_ISSUES_PER_COLUMN,
                        )
                    )
                    break
                issues.append(
                    err(
                        raw.name,
                        int(r),
                        written[col.name],
                        v,
                        "Cannot read this value: expected {expected}.",
                        expected=_expected(table.name, col),
                    )
                )
        out[col.name] = values
    frame = pd.DataFrame(out, index=df.index)
    frame["_row"] = excel_rows
    frame.attrs["written"] = _Shared(written)
    frame.attrs["sheet"] = raw.name
    return frame


class _Shared(dict[str, str]):
    """The headers as written, kept in a frame's ``attrs``: pandas deep-copies ``attrs``
    on every operation (hundreds per import), and these never change once read."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Shared:
        return self


def conform_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`pmo_core.schema.conform`, keeping ``_row`` and ``attrs``; columns already of
    their canonical dtype (most, once converted) are not cast again, and the missing ones
    are made empty at once rather than cast from a list of None."""
    table = schema.ALL_SHEETS[name]
    n = len(frame)
    index = pd.RangeIndex(n)
    cast = [
        c.name
        for c in table.columns
        if c.name in frame.columns and not _has_dtype(frame[c.name], schema.PANDAS_DTYPES[c.dtype])
    ]
    casted = schema.conform(name, frame[cast]) if cast else None
    out: dict[str, pd.Series] = {}
    for c in table.columns:
        dtype = schema.PANDAS_DTYPES[c.dtype]
        if casted is not None and c.name in cast:
            out[c.name] = casted[c.name]
        elif c.name in frame.columns:
            out[c.name] = frame[c.name].reset_index(drop=True)
        else:
            out[c.name] = pd.Series(None, index=index, dtype=dtype)
    result = pd.DataFrame(out)
    rows = frame.get("_row")
    if rows is not None:
        result["_row"] = rows.to_numpy()
    result.attrs = frame.attrs
    return result


def _has_dtype(s: pd.Series, dtype: str) -> bool:
    if dtype == "string":  # pandas' NA-backed string dtype, not the NaN-backed "str"
        return isinstance(s.dtype, pd.StringDtype) and s.dtype.na_value is pd.NA
    return str(s.dtype) == dtype


def sheets_by_table(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Canonical table -> sheet name as the user wrote it (for messages)."""
    return {k: str(v.attrs.get("sheet", schema.TABLES[k].sheet_en)) for k, v in frames.items()}
