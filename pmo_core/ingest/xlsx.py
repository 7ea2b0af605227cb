"""Number formats of a few xlsx cells, read from the workbook's XML without loading it.

The fast readers give a cell's value, not its format, yet a percentage cell holding 0.45
means 45 %. openpyxl can say, but loading a workbook parses every shared string (0.5 s
per call on the 2,000-project scale workbook). Here the format comes from the sheet XML
streamed only down to the rows asked for, and ``xl/styles.xml``: a cell's ``s`` attribute
indexes ``cellXfs``, whose ``numFmtId`` is a built-in percentage (9, 10) or a custom
format whose code holds ``%``.

Examples:
    >>> import io, openpyxl
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "P"
    >>> ws["B2"] = 0.45; ws["B2"].number_format = "0%"; ws["C2"] = 3
    >>> buf = io.BytesIO(); wb.save(buf)
    >>> formats = XlsxFormats(buf.getvalue())
    >>> formats.percent_column("P", 2, 1), formats.percent_column("P", 2, 2)
    (True, False)
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
PERCENT_BUILTIN = frozenset({9, 10})
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class XlsxFormats:
    """Percent formats of the cells of one workbook (styles parsed once, sheets streamed)."""

    def __init__(self, data: bytes) -> None:
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._paths = self._sheet_paths()
        self._percent_styles = self._styles()
        self._strings: list[str] | None = None  # shared strings read so far
        self._strings_done = False  # True once the whole table is read

    def _sheet_paths(self) -> dict[str, str]:
        rels: dict[str, str] = {}
        with self._zip.open("xl/_rels/workbook.xml.rels") as f:
            for _, el in iterparse(f):
                if el.tag == f"{PKG_REL}Relationship":
                    target = el.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    rels[el.get("Id", "")] = posixpath.normpath(path)
        out: dict[str, str] = {}
        self.hidden: set[str] = set()
        with self._zip.open("xl/workbook.xml") as f:
            for _, el in iterparse(f):
                if el.tag == f"{MAIN}sheet":
                    out[el.get("name", "")] = rels.get(el.get(f"{REL}id", ""), "")
                    if el.get("state", "visible") != "visible":
                        self.hidden.add(el.get("name", ""))
        return out

    def _styles(self) -> set[int]:
        """Indexes of the cell styles (``cellXfs``) that format numbers as percentages."""
        if "xl/styles.xml" not in self._zip.namelist():
            return set()
        custom: dict[int, str] = {}
        xfs: list[int] = []
        in_xfs = False
        with self._zip.open("xl/styles.xml") as f:
            for event, el in iterparse(f, events=("start", "end")):
                if el.tag == f"{MAIN}cellXfs":
                    in_xfs = event == "start"
                elif event == "end" and el.tag == f"{MAIN}numFmt":
                    custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
                elif event == "end" and in_xfs and el.tag == f"{MAIN}xf":
                    xfs.append(int(el.get("numFmtId", "0")))
        return {
            i for i, fmt in enumerate(xfs) if fmt in PERCENT_BUILTIN or "%" in custom.get(fmt, "")
        }

    def percent_column(self, sheet: str, first_row: int, col: int, rows: int = 5) -> bool:
        """True when the first numeric cell of column ``col`` (0-based) in Excel rows
        ``first_row`` .. ``first_row + rows - 1`` is formatted as a percentage."""
        path = self._paths.get(sheet)
        if not path or path not in self._zip.namelist():
            return False
        last = first_row + rows - 1
        with self._zip.open(path) as f:
            for _, el in iterparse(f):
                if el.tag == f"{MAIN}row":
                    if int(el.get("r", "0")) > last:
                        break
                    el.clear()
                    continue
                if el.tag != f"{MAIN}c":
                    continue
                m = _CELL_REF.fullmatch(el.get("r", ""))
                if m is None:
                    continue
                r = int(m.group(2))
                if r > last:
                    break
                if r < first_row or _col_index(m.group(1)) != col:
                    continue
                value = el.find(f"{MAIN}v")
                if el.get("t", "n") == "n" and value is not None and value.text:
                    return int(el.get("s", "0")) in self._percent_styles
        return False

    def first_cell(self, sheet: str) -> tuple[int, int] | None:
        """The first filled cell of a sheet as ``(Excel row, column index)`` (row 1-based,
        column A = 0), or None for an empty or unknown sheet."""
        path = self._paths.get(sheet)
        if not path or path not in self._zip.namelist():
            return None
        with self._zip.open(path) as f:
            for _, el in iterparse(f):
                if el.tag == f"{MAIN}c":
                    filled = el.find(f"{MAIN}v") is not None or el.find(f"{MAIN}is") is not None
                    m = _CELL_REF.fullmatch(el.get("r", ""))
                    if filled and m is not None:
                        return int(m.group(2)), _col_index(m.group(1))
                    el.clear()
                elif el.tag == f"{MAIN}sheetData":
                    return None
        return None

    def _cells(self, sheet: str, n_rows: int) -> list[tuple[int, int, str, str]] | None:
        """The filled cells of the first ``n_rows`` Excel rows as ``(row, column, type,
        text)`` (0-based positions; a shared string's text is its index); None when the
        sheet is unknown or a cell has no reference (allowed, written by no common tool)."""
        path = self._paths.get(sheet)
        if not path or path not in self._zip.namelist():
            return None
        out: list[tuple[int, int, str, str]] = []
        with self._zip.open(path) as f:
            for _, el in iterparse(f):
                tag = el.tag
                if tag == f"{MAIN}row":
                    if int(el.get("r", "0")) >= n_rows:
                        break
                    el.clear()
                    continue
                if tag == f"{MAIN}sheetData":
                    break
                if tag != f"{MAIN}c":
                    continue
                m = _CELL_REF.fullmatch(el.get("r", ""))
                if m is None:
                    return None
                r, c = int(m.group(2)) - 1, _col_index(m.group(1))
                if r >= n_rows:
                    break
                kind = el.get("t", "n")
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in el.iter(f"{MAIN}t"))
                    if text:
                        out.append((r, c, "str", text))
                    continue
                value = el.find(f"{MAIN}v")
                if value is not None and value.text is not None:
                    out.append((r, c, kind, value.text))
        return out

    def header_on_row_1(self, sheet: str, n_rows: int = 10) -> bool:
        """True unless another of the first rows has more filled cells than row 1 (a
        title row above the header has one or two): cell counts only, no text read."""
        cells = self._cells(sheet, n_rows)
        if not cells:
            return True
        counts = [0] * n_rows
        for r, *_ in cells:
            counts[r] += 1
        return counts[0] >= max(counts)

    def head_cells(self, sheet: str, n_rows: int) -> list[tuple[int, int, str]] | None:
        """The filled cells of the sheet's first ``n_rows`` Excel rows as ``(row index,
        column index, text)`` (both 0-based: A1 is (0, 0)), shared strings resolved; the
        rest of the sheet is not read. None when the cells cannot be located."""
        raw = self._cells(sheet, n_rows)
        if raw is None:
            return None
        cells: list[tuple[int, int, str]] = []
        shared: list[tuple[int, int, int]] = []
        for r, c, kind, text in raw:
            if kind == "s":
                shared.append((r, c, int(text)))
            elif kind == "b":
                cells.append((r, c, "true" if text == "1" else "false"))
            else:
                cells.append((r, c, text))
        if shared:
            strings = self._shared_strings(max(i for _, _, i in shared))
            cells += [(r, c, strings[i]) for r, c, i in shared if i < len(strings)]
        return sorted(cells)

    def _shared_strings(self, up_to: int) -> list[str]:
        """The shared strings table down to index ``up_to`` (streamed, kept for the next
        sheet): the strings of a sheet's first rows come early in it."""
        have = self._strings
        if have is not None and (len(have) > up_to or self._strings_done):
            return have
        strings: list[str] = []
        self._strings_done = True
        if "xl/sharedStrings.xml" in self._zip.namelist():
            with self._zip.open("xl/sharedStrings.xml") as f:
                for _, el in iterparse(f):
                    if el.tag == f"{MAIN}si":
                        # phonetic runs (rPh) are readings, not text
                        for ph in el.findall(f"{MAIN}rPh"):
                            el.remove(ph)
                        strings.append("".join(t.text or "" for t in el.iter(f"{MAIN}t")))
                        el.clear()
                        if len(strings) > up_to:
                            self._strings_done = False
                            break
        self._strings = strings
        return strings

    def starts_at_a1(self, sheet: str) -> bool:
        """True when the sheet's first filled cell is A1: its used range then starts at
        A1, so a reader's row and column positions are the Excel ones."""
        return self.first_cell(sheet) == (1, 0)
