"""Open a workbook or CSV file into raw sheets: :func:`open_file` (size, gzip and zip-bomb
checks, then the readers) gives each sheet as a :class:`RawSheet` (name, visibility, its
first rows as text, a loader for the typed data below a chosen header row), or a refusal.

Readers: fastexcel for the cells (fast); the workbook's XML (:mod:`pmo_core.ingest.xlsx`)
for hidden sheets, where the used range starts and the number formats of the first data
rows of percentage columns (:func:`percent_cells`: a 0.45 cell formatted as % means
45 %). Formulas are never evaluated: cached values are read. CSV: the separator is the
most frequent of ``;``, ``,`` and tab; text is decoded by :func:`decode_text`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core.errors import UsageError
from pmo_core.ingest.issues import IngestResult, Issue, empty_result, err, refused
from pmo_core.ingest.xlsx import XlsxFormats

MAX_BYTES = 50 * 2**20
MAX_UNZIPPED = 500 * 2**20
MAX_ZIP_MEMBERS = 10_000
HEADER_SCAN_ROWS = 30


@dataclass
class RawSheet:
    """A sheet (or CSV) as read: its name, visibility, the first rows as text, and a loader
    for the typed data below a chosen header row."""

    name: str
    visible: bool
    head: pd.DataFrame  # first rows, every cell as text, row i = Excel row i + 1
    load: Any  # (header_index: int) -> DataFrame of data rows, columns by position
    col_offset: int = 0  # Excel column index of the loader's first column (A = 0)
    delimiter: str = ""  # a CSV's separator ("" for a workbook): ";" hints French numbers


TOO_BIG = "The file is {size} MB; the limit is {limit} MB."
NOT_A_WORKBOOK = (
    "This file is not an Excel workbook (.xlsx) nor a CSV file: save it as "
    ".xlsx or .csv and upload it again."
)


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
    (:meth:`~pmo_core.ingest.xlsx.XlsxFormats.head_cells`), and ``load(h)`` reads only the
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
    """The workbook's :class:`~pmo_core.ingest.xlsx.XlsxFormats` (kept for the last file)."""
    cached = _FORMATS.get("last")
    if cached is None or cached[0] is not data:
        cached = (data, XlsxFormats(data))
        _FORMATS["last"] = cached
    return cached[1]


def percent_cells(data: bytes, sheet: str, excel_row: int, col: int) -> bool:
    """True when the first data cells of a column are formatted as Excel percentages
    (read from the workbook's XML: :mod:`pmo_core.ingest.xlsx`)."""
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
    return [RawSheet(stem, True, head, load, delimiter=sep)]


def open_file(
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
