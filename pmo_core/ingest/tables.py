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

import dataclasses
import datetime
import functools
import re
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import headers as hd
from pmo_core.ingest import mapping
from pmo_core.ingest import values as iv
from pmo_core.ingest.issues import Issue, err, warn
from pmo_core.ingest.reader import RawSheet, percent_cells

MAX_ISSUES_PER_COLUMN = 50
#: The warning that counts a column's further texts a profile imports as empty.
MORE_EMPTY = "{n} more texts of this column imported as empty."
PERCENT_COLUMNS = mapping.PERCENT_COLUMNS


def _value_like(c: object) -> bool:
    """A cell that reads as a value, not a header: a number, a date, or a text of digits
    (``12 000``, ``31/12/2026``, ``45 %``)."""
    if isinstance(c, bool | int | float | datetime.date | datetime.datetime | pd.Timestamp):
        return True
    return isinstance(c, str) and bool(_VALUE_TEXT.fullmatch(c.strip()))


_VALUE_TEXT = re.compile(r"[-+]?[\d\s.,/:%€$£\u00a0\u202f]*\d[\d\s.,/:%€$£kKmM\u00a0\u202f-]*")


def find_header(
    head: pd.DataFrame, table: schema.Table | None
) -> tuple[int, schema.Table | None, int]:
    """The header row index, its table and its score (0: none found).

    Whole rows are scored: a row holding a number or a date is a data row and ranks below
    any row of labels only; then the known headers (a required one counts three times),
    then the share of the row's cells that are known headers. One known word in a row of
    mostly other texts (a status cell "Complete") below a line as wide does not make it a
    header; when the
    sheet's name tells its table and no row is a header, the row with the most text cells
    is taken, so that its headers are reported one by one (with a "did you mean")."""
    best: tuple[tuple[bool, int, float], int, schema.Table | None, int] = (
        (False, 0, 0.0),
        0,
        table,
        0,
    )
    tables = [table] if table is not None else list(schema.TABLES.values())
    widest = 0  # the most text cells of a row above: a header line, known or not
    for i in range(len(head)):
        cells = [c for c in head.iloc[i].tolist() if c is not None and not pd.isna(c)]
        if len(cells) < 1:
            continue
        values = any(_value_like(c) for c in cells)
        above, widest = widest, max(widest, sum(isinstance(c, str) for c in cells))
        for tb in tables:
            if tb is None:
                continue
            matched = {m for c in cells if (m := hd.canonical_column(tb.name, c)) is not None}
            required = {c.name for c in tb.columns if c.required}
            score = len(matched) + 2 * len(matched & required)
            share = len(matched) / len(cells)
            if score == 0 or (table is None and not matched >= required):
                continue
            if score == 1 and share < 0.5 and above >= len(cells):
                continue  # one optional word among texts, below a line of headers
            rank = (not values, score, share)
            if rank > best[0]:
                best = (rank, i, tb, score)
    if best[3] == 0 and table is not None and len(head):
        return mapping.guess_header_row(head), table, 1
    return best[1], best[2], best[3]


def _convert(
    name: str, col: schema.Column, s: pd.Series, fraction: bool, decimal: str | None = None
) -> tuple[pd.Series, pd.Series]:
    if col.dtype == "date":
        return iv.parse_date(s)
    if col.dtype == "month":
        return iv.parse_month(s)
    if col.dtype == "bool":
        return iv.parse_bool(s)
    if (name, col.name) in PERCENT_COLUMNS:
        return iv.parse_percent(s, fraction_cells=fraction, decimal=decimal)
    if col.dtype == "float" and name == "pairwise":
        return iv.parse_judgment(s)
    if col.dtype == "float":
        return iv.parse_number(s, decimal=decimal)
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
    "float.": "a number such as 1,234.50",
    "int": "a rating: None 0, Low 1, Moderate 3, Strong 6, Extreme 9 (or 0-9)",
    "status": "a status: proposed, approved, in progress, on hold, completed, cancelled",
    "rag": "Green, Amber or Red (Vert, Orange, Rouge)",
    "judgment": "9, 6, 3, 1, 1/3, 1/6 or 1/9",
}


def _expected(name: str, col: schema.Column, decimal: str | None = None) -> str:
    """What a cell of this column should hold; for a number column whose mapping profile
    sets "." as the decimal separator, the example is written that way."""
    if col.dtype == "float" and decimal == ".":
        return EXPECTED["float."]
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
    first_issue = len(issues)
    headers = raw.head.iloc[h].tolist()
    all_headers = list(headers)
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
        canon = hd.canonical_column(table.name, hdr)  # as Table.match_header, units stripped
        if canon is None:
            guess = hd.did_you_mean(table.name, hdr)
            issues.append(
                warn(
                    raw.name,
                    h + 1,
                    str(hdr),
                    None,
                    "Unknown column ignored: rename it to a template header to import it.",
                )
                if guess is None
                else warn(
                    raw.name,
                    h + 1,
                    str(hdr),
                    None,
                    "Unknown column ignored: rename it to a template header to import it. "
                    "Did you mean {label}?",
                    label=hd.column_label(table.name, guess),
                )
            )
        elif canon in mapped:
            issues.append(
                warn(
                    raw.name,
                    h + 1,
                    str(hdr),
                    None,
                    "Column {label} appears twice; the first one ({first}) is used.",
                    canon=canon,
                    label=hd.column_label(table.name, canon),
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
                    "Required column missing: {label}. Add a column with this header.",
                    name=col.name,
                    label=hd.column_label(table.name, col.name),
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
        decimal = (spec or {}).get("decimal", {}).get(col.name)
        if _is_amount(table.name, col):
            hint = functools.partial(_file_decimal, raw, df, all_headers, table, spec, mapped)
            read = iv.read_numbers(cells, decimal=decimal, hint=hint)
            values, bad = read.values, read.bad
            _number_issues(raw.name, h + 1, written[col.name], read, issues)
            scale = (spec or {}).get("scale", {})
            if col.name not in scale:  # a profile's scale says it all; else the header's unit
                unit = iv.header_unit(written[col.name])
                if unit.factor != 1:
                    values = values * unit.factor
                    _unit_issue(raw.name, h + 1, written[col.name], unit.factor, issues)
        else:
            if (spec or {}).get("dates", {}).get(col.name) == "mdy":
                cells = _day_first(cells)
            values, bad = _convert(table.name, col, cells, fraction, decimal)
        if spec is not None and col.name in spec.get("scale", {}):
            values = values * mapping.scale_factor(spec["scale"][col.name])
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
            for k, (r, v) in enumerate(zip(excel_rows[bad], cells[bad], strict=True)):
                if k == MAX_ISSUES_PER_COLUMN:
                    issues.append(
                        warn(
                            raw.name,
                            None,
                            written[col.name],
                            None,
                            MORE_EMPTY,
                            n=int(bad.sum()) - MAX_ISSUES_PER_COLUMN,
                        )
                    )
                    break
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
                        expected=_expected(table.name, col, decimal),
                    )
                )
        out[col.name] = values
    frame = pd.DataFrame(out, index=df.index)
    frame["_row"] = excel_rows
    if "project_id" in out:  # each issue on a row names its project as well
        _name_projects(issues, first_issue, raw.name, excel_rows, out["project_id"])
    if spec is not None:
        frame.attrs["unused_values"] = mapping.unused_values(df, all_headers, spec)
    frame.attrs["written"] = _Shared(written)
    frame.attrs["sheet"] = raw.name
    return frame


def _name_projects(
    issues: list[Issue], start: int, sheet: str, rows: pd.Series, ids: pd.Series
) -> None:
    """The project id of its row on each issue of this sheet found since ``start`` (the
    ids of those rows only: a clean sheet of 2,000 projects costs nothing)."""
    wanted = {i.row for i in issues[start:] if i.sheet == sheet and i.row is not None}
    if not wanted:
        return
    hit = rows.isin(list(wanted)).to_numpy()
    by_row = {int(r): str(i) for r, i in zip(rows[hit], ids[hit], strict=True) if pd.notna(i)}
    for k in range(start, len(issues)):
        i = issues[k]
        if i.sheet == sheet and i.row in by_row and i.project_id is None:
            issues[k] = dataclasses.replace(i, project_id=by_row[i.row])


_MDY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(\b.*)$")


def _day_first(s: pd.Series) -> pd.Series:
    """Dates a profile says are written month first (``6/28/2024``) rewritten day first,
    as the date reader reads them (``28/6/2024``); other cells unchanged.

    Examples:
        >>> _day_first(pd.Series(["7/6/2021", "PNS", "2021-07-06"])).tolist()
        ['6/7/2021', 'PNS', '2021-07-06']
    """

    def swap(v: Any) -> Any:
        m = _MDY.match(v) if isinstance(v, str) else None
        return f"{m.group(2)}/{m.group(1)}/{m.group(3)}{m.group(4)}" if m else v

    return s.astype(object).map(swap)


def _is_amount(name: str, col: schema.Column) -> bool:
    """A number column whose header may carry a unit (k€, £m...): not a percentage, not a
    pairwise judgment."""
    return col.name in _amount_columns(name)


@functools.cache
def _amount_columns(name: str) -> frozenset[str]:
    return frozenset(mapping.amount_columns(name))


def _file_decimal(
    raw: RawSheet,
    df: pd.DataFrame,
    headers: list[Any],
    table: schema.Table,
    spec: dict[str, Any] | None,
    mapped: dict[str, int],
) -> tuple[str, str] | None:
    """How the rest of the file writes its decimals, for a column that cannot tell: the
    texts of its other number columns and of the columns nobody maps (not the ids, dates
    or texts), else a ``;``-separated CSV's decimal comma."""
    not_numbers = {
        c.name
        for c in table.columns
        if c.dtype != "float" or (table.name, c.name) in PERCENT_COLUMNS
    }
    skip = {j for canon, j in mapped.items() if canon in not_numbers}
    if spec is not None:
        labels = {
            schema.normalise_label(s)
            for canon, src in spec.get("columns", {}).items()
            if canon in not_numbers
            for s in ([src] if isinstance(src, str) else src)
        }
        skip |= {j for j, cell in enumerate(headers) if hd.label_key(cell) in labels}
    dots = commas = 0
    for j in df.columns:
        if j in skip:
            continue
        d, c = iv.decimal_evidence(df[j])
        dots, commas = dots + d, commas + c
    if dots or commas:
        return ("," if commas > dots else "."), "file"
    if raw.delimiter == ";":
        return ",", "csv"
    return None


def _unit_issue(sheet: str, row: int, header: str, factor: float, issues: list[Issue]) -> None:
    """Once per column: the header's unit scaled its amounts (a warning to be read)."""
    if factor == 1e3:
        issues.append(
            warn(sheet, row, header, None, "{header}: amounts multiplied by 1,000.", header=header)
        )
    elif factor == 1e6:
        issues.append(
            warn(
                sheet,
                row,
                header,
                None,
                "{header}: amounts multiplied by 1,000,000.",
                header=header,
            )
        )
    else:
        issues.append(
            warn(
                sheet,
                row,
                header,
                None,
                "{header}: amounts multiplied by 1,000,000,000.",
                header=header,
            )
        )


def _number_issues(
    sheet: str, row: int, header: str, read: iv.NumberColumn, issues: list[Issue]
) -> None:
    """The column's decimal separator when its cells could not decide it, or disagreed."""
    if read.ambiguous is not None:
        why = {
            "file": "as the file's other numbers are written",
            "csv": "as usual in a file separated by ';'",
        }.get(read.reason, "nothing in the file tells otherwise")
        if read.decimal == ",":
            issues.append(
                warn(
                    sheet,
                    row,
                    header,
                    read.ambiguous,
                    "{header}: values such as {example} could be read two ways; read with ',' "
                    "as the decimal separator ({why}). If that is wrong, set this column's "
                    "decimal separator to '.' in a mapping profile.",
                    header=header,
                    example=read.ambiguous,
                    why=why,
                )
            )
        else:
            issues.append(
                warn(
                    sheet,
                    row,
                    header,
                    read.ambiguous,
                    "{header}: values such as {example} could be read two ways; read with ',' "
                    "as the thousands separator ({why}). If that is wrong, set this column's "
                    "decimal separator to ',' in a mapping profile.",
                    header=header,
                    example=read.ambiguous,
                    why=why,
                )
            )
    if read.mixed is not None:
        issues.append(
            warn(
                sheet,
                row,
                header,
                read.mixed,
                "{header}: numbers written with both ',' and '.' as the decimal separator "
                "(e.g. {example}); each is read as written, the ambiguous ones with "
                "'{decimal}' as the decimal separator.",
                header=header,
                example=read.mixed,
                decimal=read.decimal,
            )
        )


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
