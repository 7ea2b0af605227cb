"""Read an Excel or CSV export into canonical frames plus every issue found. No writes.

The import is forgiving and exact at once: sheets and headers are matched in French or
English (:mod:`pmo_core.schema`), title rows above the header, blank rows, a totals row
and hidden or unknown sheets are handled, values are read in French and English formats
(:mod:`pmo_core.ingest_values`), and every problem becomes an :class:`Issue` naming the
sheet, the row as Excel numbers it, the column as the user wrote it, the value, and how
to fix it. Errors block the commit (``result.ok`` is False); warnings don't.

Readers: fastexcel for the cells (fast), openpyxl only for the number formats of the
first data rows of percentage columns (a 0.45 cell formatted as % means 45 %). Formulas
are never evaluated: cached values are read.

Examples:
    >>> r = read_file(b"not a workbook", filename="x.xlsx")
    >>> r.ok, r.issues[0].severity
    (False, 'error')
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.errors import UsageError
from pmo_core.ingest import mapping
from pmo_core.ingest import values as iv
from pmo_core.ingest.issues import IngestResult, Issue, empty_result, err, refused, warn
from pmo_core.ingest.rules import check_rules
from pmo_core.ingest.xlsx import XlsxFormats

MAX_BYTES = 50 * 2**20
MAX_UNZIPPED = 500 * 2**20
MAX_ZIP_MEMBERS = 10_000
HEADER_SCAN_ROWS = 30
MAX_ISSUES_PER_COLUMN = 50
PERCENT_COLUMNS = {("projects", "percent_complete"), ("status_reports", "percent_complete")}


@dataclass
class RawSheet:
    """A sheet (or CSV) as read: its name, visibility, the first rows as text, and a loader
    for the typed data below a chosen header row."""

    name: str
    visible: bool
    head: pd.DataFrame  # first rows, every cell as text, row i = Excel row i + 1
    load: Any  # (header_index: int) -> DataFrame of data rows, columns by position
    col_offset: int = 0  # Excel column index of the loader's first column (A = 0)


TOO_BIG = "The file is {size} MB; the limit is {limit} MB."
NOT_A_WORKBOOK = (
    "This file is not an Excel workbook (.xlsx) nor a CSV file: save it as "
    ".xlsx or .csv and upload it again."
)


# ------------------------------------------------------------------------------ readers


def _check_zip(data: bytes, name: str, max_bytes: int) -> Issue | None:
    """Refuse a zip bomb before parsing: total uncompressed size and member count."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        return err(name, None, None, None, NOT_A_WORKBOOK)
    limit = max(MAX_UNZIPPED, 20 * max_bytes)
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_ZIP_MEMBERS or total > limit:
        return err(
            name,
            None,
            None,
            None,
            "The workbook expands to {size} MB, more than the "
            "{limit} MB allowed: it may be corrupt or malicious. Save a copy with "
            "only the portfolio sheets.",
            size=total // 2**20,
            limit=limit // 2**20,
        )
    return None


def _xlsx_sheets(data: bytes) -> list[RawSheet]:
    import logging

    import fastexcel

    # "Could not determine dtype for column 3, falling back to string": a mixed column is
    # read as text, which the converters expect; not a message for the user's terminal.
    logging.getLogger("fastexcel").setLevel(logging.ERROR)

    reader = fastexcel.read_excel(data)
    formats = _formats(data)
    sheets = []
    for name in reader.sheet_names:
        visible = name not in formats.hidden
        row_1 = formats.starts_at_a1(name) and formats.header_on_row_1(name)
        fast = _read_from_row_1(reader, name, visible) if row_1 else None
        if fast is not None:  # the header is (very likely) row 1: one parse of the sheet
            sheets.append(fast)
            continue
        cells = formats.head_cells(name, HEADER_SCAN_ROWS) if formats.first_cell(name) else None
        if cells:  # the head from the sheet XML, the data in one parse below the header
            sheets.append(_read_below_header(reader, name, visible, cells))
            continue
        sheets.append(_read_with_head(reader, name, formats.first_cell(name)))
    return sheets


def _read_below_header(
    reader: Any, name: str, visible: bool, cells: list[tuple[int, int, str]]
) -> RawSheet:
    """A sheet whose header is not row 1 (a title above it, empty rows or columns before
    it), parsed once: the head (first rows as text, Excel positions: row i is Excel row
    i + 1, column j is Excel column j + 1) comes from the sheet XML
    (:meth:`~pmo_core.ingest_xlsx.XlsxFormats.head_cells`), and ``load(h)`` reads only the
    rows below Excel row h + 1, typed, its columns put back at their Excel positions."""
    width = max(c for _, c, _ in cells) + 1
    grid: list[list[str | None]] = [[None] * width for _ in range(HEADER_SCAN_ROWS)]
    for r, c, text in cells:
        grid[r][c] = text
    head = pd.DataFrame(grid, dtype=object)

    def load(h: int) -> pd.DataFrame:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=h + 1)
            infos = sheet.available_columns()
            df = sheet.to_arrow().to_pandas()
        except Exception:  # nothing below the header: no data rows
            return pd.DataFrame(columns=range(width))
        offset = int(infos[0].absolute_index) if infos else 0
        df.columns = range(offset, offset + df.shape[1])
        for j in range(offset):  # empty columns left of the reader's range
            df.insert(j, j, pd.Series(None, index=df.index, dtype=object))
        return df

    return RawSheet(name, visible, head, load)


def _read_with_head(reader: Any, name: str, first: tuple[int, int] | None) -> RawSheet:
    """A sheet whose header row is to be found: its first rows as text, re-based so that
    head row i is Excel row i + 1 whatever the reader skipped, and a loader by that row.

    fastexcel drops the empty columns left of the used range (``absolute_index`` says
    where its first column is) and may count rows from the first used row rather than
    from row 1; ``first`` (the first filled cell as the sheet XML says, 1-based row and
    0-based column) pins the rows down.
    """
    head_sheet = reader.load_sheet(
        name, header_row=None, skip_rows=0, n_rows=HEADER_SCAN_ROWS, dtypes="string"
    )
    head = head_sheet.to_pandas()
    infos = head_sheet.available_columns()
    col_offset = int(infos[0].absolute_index) if infos else 0
    head.columns = range(head.shape[1])
    shift = 0
    if first is not None and len(head):
        filled = head.notna().any(axis=1).to_numpy().nonzero()[0]
        if len(filled):
            shift = max(0, first[0] - 1 - int(filled[0]))
    if shift:  # the reader started at the first used row: put the empty rows back
        pad = pd.DataFrame([[None] * head.shape[1]] * shift, columns=head.columns)
        head = pd.concat([pad, head], ignore_index=True).head(HEADER_SCAN_ROWS)

    def load(h: int) -> pd.DataFrame:
        sheet = reader.load_sheet(name, header_row=h - shift, eager=True)
        df = sheet.to_pandas()
        df.columns = range(df.shape[1])
        return df

    return RawSheet(name, head_sheet.visible == "visible", head, load, col_offset=col_offset)


_RENAMED = re.compile(r"(.+)_\d+$")


def _read_from_row_1(reader: Any, name: str, visible: bool) -> RawSheet | None:
    """A sheet read once, its row 1 taken as the header: the head is row 1 (as written)
    and the first data rows as text, and ``load(0)`` returns the frame already read.
    Any other header row is read again. None when the reader renamed a header (empty or
    duplicate headers are left to the slower path, which keeps them as written)."""
    batch = reader.load_sheet(name, header_row=0, eager=True)
    names = list(batch.schema.names)
    taken = set(names)
    for n in names:
        m = _RENAMED.fullmatch(n)
        if n.startswith("__UNNAMED__") or (m is not None and m.group(1) in taken):
            return None
    df = batch.to_pandas()
    df.columns = range(df.shape[1])
    rows = batch.slice(0, HEADER_SCAN_ROWS - 1).to_pylist()
    first = [[None if v is None else str(v) for v in r.values()] for r in rows]
    head = pd.DataFrame([names, *first], columns=df.columns, dtype=object)

    def load(h: int) -> pd.DataFrame:
        if h == 0:
            return df
        again = reader.load_sheet(name, header_row=h, eager=True).to_pandas()
        again.columns = range(again.shape[1])
        return again

    return RawSheet(name, visible, head, load)


def _formats(data: bytes) -> Any:
    """The workbook's :class:`~pmo_core.ingest_xlsx.XlsxFormats` (kept for the last file)."""
    cached = _FORMATS.get("last")
    if cached is None or cached[0] is not data:
        cached = (data, XlsxFormats(data))
        _FORMATS["last"] = cached
    return cached[1]


def _percent_cells(data: bytes, sheet: str, excel_row: int, col: int) -> bool:
    """True when the first data cells of a column are formatted as Excel percentages
    (read from the workbook's XML: :mod:`pmo_core.ingest_xlsx`)."""
    return bool(_formats(data).percent_column(sheet, excel_row, col))


_FORMATS: dict[str, tuple[bytes, Any]] = {}


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when valid, else Windows-1252, else Latin-1 (never
    fails): the exports' encodings, for CSV and P6 XER alike."""
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_sheets(data: bytes, name: str) -> list[RawSheet]:
    import csv

    text = decode_text(data)
    sample = text[:20_000]
    counts = {sep: sample.count(sep) for sep in (";", ",", "\t")}
    sep = max(counts, key=lambda k: counts[k])
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="string")
    grid = grid.mask(grid.fillna("").eq(""))
    grid.columns = range(width)
    head = grid.head(HEADER_SCAN_ROWS)

    def load(h: int) -> pd.DataFrame:
        return grid.iloc[h + 1 :].reset_index(drop=True)

    stem = Path(name).name
    for suffix in (".gz", ".csv", ".txt", ".tsv"):
        stem = stem.removesuffix(suffix)
    return [RawSheet(stem, True, head, load)]


# ------------------------------------------------------------------------------ mapping


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


def _find_header(
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


def _read_table(
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
            fraction = _percent_cells(
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


def _conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
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


# ------------------------------------------------------------------------------ entry


def read_file(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: dict[str, Any] | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> IngestResult:
    """Read and validate one file (path or bytes). Bad content becomes issues, never raises.

    ``progress(step, detail)`` is told each step as it starts: ``"read"`` (the file's
    name), ``"sheet"`` (each sheet's name as it is converted), ``"rules"`` (None)."""
    step = progress or _no_progress
    step("read", filename or (None if isinstance(source, bytes) else Path(source).name))
    opened = _open(source, filename, max_bytes)
    if isinstance(opened, IngestResult):
        return opened
    sheets, name, sha, xlsx_bytes = opened
    return _build(sheets, name, sha, xlsx_bytes, [], mapping, step)


#: A progress callback: ``(step, detail)``, see :func:`read_file`.
Progress = Callable[[str, "str | None"], None]


def _no_progress(step: str, detail: str | None) -> None:
    return None


def read_headers(
    source: str | Path | bytes, *, filename: str | None = None, max_bytes: int = MAX_BYTES
) -> dict[str, list[str]]:
    r"""The headers of each visible sheet as written (for the mapping editor): the header
    row is the first row with the most text cells. A file that cannot be read has none.

    Examples:
        >>> read_headers(b"Rapport mensuel\nRef;Titre;Co\xfbt\nP1;A;10\n", filename="x.csv")
        {'x': ['Ref', 'Titre', 'Coût']}
    """
    opened = _open(source, filename, max_bytes)
    if isinstance(opened, IngestResult):
        return {}
    out: dict[str, list[str]] = {}
    for raw in opened[0]:
        if not raw.visible or raw.head.empty:
            continue
        row = raw.head.iloc[mapping.guess_header_row(raw.head)].tolist()
        headers = [str(c).strip() for c in row if isinstance(c, str) and c.strip()]
        if headers:
            out[raw.name] = headers
    return out


def _open(
    source: str | Path | bytes, filename: str | None, max_bytes: int
) -> IngestResult | tuple[list[RawSheet], str, str, bytes | None]:
    """The sheets of a file with its name, sha256 and xlsx bytes, or a refusal."""
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    elif isinstance(source, str | Path):
        p = Path(source)
        name = filename or p.name
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise UsageError(f"Cannot read {p}: {exc}") from exc
        if size > max_bytes:  # refused before reading it into memory
            return refused(name, "", TOO_BIG, size=size // 2**20, limit=max_bytes // 2**20)
        data = p.read_bytes()
    else:
        raise UsageError("read_file takes a path or bytes")
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > max_bytes:
        return refused(name, sha, TOO_BIG, size=len(data) // 2**20, limit=max_bytes // 2**20)
    if not data.strip():
        return refused(name, sha, "The file is empty.")
    lower = name.lower()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return refused(name, sha, "This compressed file is damaged.")
        lower = lower.removesuffix(".gz")
    xlsx_bytes: bytes | None = None
    try:
        if data[:2] == b"PK":
            bad = _check_zip(data, name, max_bytes)
            if bad:
                return empty_result(name, sha, [bad])
            sheets = _xlsx_sheets(data)
            xlsx_bytes = data
        elif lower.endswith((".csv", ".txt", ".tsv")):
            sheets = _csv_sheets(data, name)
        else:
            return refused(name, sha, NOT_A_WORKBOOK)
    except Exception as exc:  # a reader's failure on a damaged file is the user's issue
        return refused(
            name,
            sha,
            "The file cannot be read ({error}). Open it in Excel and save it again as .xlsx.",
            error=type(exc).__name__,
        )
    return sheets, name, sha, xlsx_bytes


def _build(
    sheets: list[RawSheet],
    name: str,
    sha: str,
    data: bytes | None,
    issues: list[Issue],
    profile_source: dict[str, Any] | None,
    step: Progress = _no_progress,
) -> IngestResult:
    frames: dict[str, pd.DataFrame] = {}
    settings: dict[str, str] = {}
    profile = mapping.load_profile(profile_source) if profile_source else None
    if profile is None:
        cells = [
            str(c) for raw in sheets for c in raw.head.to_numpy().ravel() if isinstance(c, str)
        ]
        known = mapping.suggest_profile(cells, mapping.shipped_profiles())
        if known is not None:  # a known export: read it with its shipped profile
            result = _build(sheets, name, sha, data, issues, known, step)
            result.issues.insert(
                0,
                warn(
                    name,
                    None,
                    None,
                    None,
                    "Read with the mapping profile {profile}.",
                    profile=known["name"],
                ),
            )
            return result
    if profile is not None:
        settings.update({k: str(v) for k, v in profile.get("settings", {}).items()})
    for raw in sheets:
        if raw.visible and not raw.head.empty:
            step("sheet", raw.name)
        if not raw.visible:
            issues.append(warn(raw.name, None, None, None, "Hidden sheet ignored."))
            continue
        if raw.head.empty or raw.head.isna().all().all():
            continue
        if profile is not None:
            target = mapping.table_for_sheet(profile, raw.name)
            spec = profile["tables"].get(target) if target else None
            h_found = mapping.header_row(raw.head, spec) if spec else None
            if target is None or spec is None or h_found is None or target in frames:
                issues.append(
                    warn(
                        raw.name,
                        None,
                        None,
                        None,
                        "Sheet not read by the mapping profile: ignored.",
                    )
                )
                continue
            frames[target] = _read_table(raw, schema.TABLES[target], h_found, data, issues, spec)
            continue
        table = schema.find_table(raw.name)
        h, found, score = _find_header(raw.head, table)
        if found is None or score == 0:
            issues.append(
                warn(
                    raw.name,
                    None,
                    None,
                    None,
                    "Sheet not recognised: ignored. "
                    "Name it like a template sheet (e.g. Projets, Jalons).",
                )
            )
            continue
        if found.name in frames or (found.name == "settings" and settings):
            issues.append(
                warn(
                    raw.name,
                    None,
                    None,
                    None,
                    "A second sheet for {table} was ignored.",
                    table=found.name,
                )
            )
            continue
        if found.name == "settings":
            df = _read_table(raw, schema.SETTINGS, h, None, issues)
            for k, v in zip(df.get("key", []), df.get("value", []), strict=False):
                if k is not None and not pd.isna(k):
                    settings[str(k).strip().lower()] = "" if v is None or pd.isna(v) else str(v)
            continue
        frames[found.name] = _read_table(raw, found, h, data, issues)
    if "projects" not in frames:
        issues.append(
            err(
                name,
                None,
                None,
                None,
                "No Projects sheet found: the workbook "
                "needs a sheet named Projects (or Projets) with a Project ID "
                "column.",
            )
        )
    for tname in schema.TABLES:
        frames[tname] = _conform(
            tname, frames[tname] if tname in frames else schema.empty_frame(tname)
        )
    step("rules", None)
    check_rules(frames, sheets_by_table(frames), issues)
    as_of = None
    if settings.get("as_of"):
        parsed, bad = iv.parse_date(pd.Series([settings["as_of"]]))
        if bad.iloc[0]:
            issues.append(
                warn(
                    None,
                    None,
                    "as_of",
                    settings["as_of"],
                    "The as_of setting is not a date: today is used instead.",
                )
            )
        else:
            as_of = parsed.iloc[0].date()
    clean = {
        k: v.drop(columns=["_row"], errors="ignore").reset_index(drop=True)
        for k, v in frames.items()
    }
    return IngestResult(clean, issues, settings, as_of, name, sha)


def sheets_by_table(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Canonical table -> sheet name as the user wrote it (for messages)."""
    return {k: str(v.attrs.get("sheet", schema.TABLES[k].sheet_en)) for k, v in frames.items()}
