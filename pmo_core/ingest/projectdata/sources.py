"""A ProjectData export as it was saved -> one raw frame per entity set (:func:`read_sets`).

The shapes taken, each recognised by its entity-set names (:func:`looks_like_export`):

- a workbook (``.xlsx``) with one sheet per entity set (``Projects``, ``Tasks``...),
  the OData property names as headers on row 1 (Power Query's "Close & Load");
- a folder or a ``.zip`` of JSON files, one per entity set, named after it, possibly
  with a page suffix (``Tasks.json``, ``Tasks_2.json``, ``Tasks (3).json``,
  ``Tasks-page-4.json``): OData v3 ``{"d": {"results": [...]}}`` or ``{"d": [...]}``,
  v4 ``{"value": [...]}``, or a bare list; several pages of a set in several files or
  one after the other in one file (each page with its ``odata.nextLink``);
- a folder or a ``.zip`` of CSV files named the same way (a single CSV named after an
  entity set too).

Each raw frame keeps the columns as exported plus ``_row`` (the Excel row, header on
row 1, for a sheet or CSV; the record's number in its set, from 1, for JSON) and
``_file`` (the file or sheet it came from), so that an issue names where a value is.
JSON's ``__metadata`` and navigation properties (``__deferred`` objects) are dropped.
Nothing is typed here (:mod:`.coerce` does it).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue, Localised, err, warn
from pmo_core.ingest.projectdata.properties import KEYS, entity_sets
from pmo_core.ingest.reader import MAX_UNZIPPED, MAX_ZIP_MEMBERS, decode_text

#: The file kinds read in a folder or a zip.
SUFFIXES = (".json", ".csv", ".txt")

NOT_READ = "File {name} is not named after a ProjectData entity set: it was not read."
NEXT_LINK_LEFT = (
    "The last page of {set} points to a next page ({link}) that is not in the export: "
    "the set may be incomplete. Save every page (follow odata.nextLink) and import again."
)
NOT_JSON = "This file is not readable JSON ({error}): save the page again from the OData feed."
NO_RECORDS = (
    'This JSON holds no OData records: expected {{"value": [...]}} (OData v4) or '
    '{{"d": {{"results": [...]}}}} (OData v3).'
)
TOO_LARGE = (
    "The export expands to {size} MB, more than the {limit} MB allowed: it may be corrupt "
    "or malicious. Export fewer entity sets or fewer columns ($select)."
)

_PAGE = re.compile(r"^(?P<stem>.+?)(?:[\s_.\-]*(?:page)?[\s_.\-]*\(?\d+\)?)?$", re.IGNORECASE)
_BY_LOWER = {name.lower(): name for name in entity_sets()}
#: Excel's longest sheet name: ``AssignmentBaselineTimephasedDataSet`` is saved cut.
EXCEL_SHEET_NAME = 31


@dataclass
class RawSet:
    """One entity set as exported: columns as written, ``_row`` and ``_file`` added;
    ``text`` when every value is text still (CSV), else values typed by the file."""

    name: str
    frame: pd.DataFrame
    text: bool


def entity_set_of(filename: str) -> str | None:
    """The entity set a file (or sheet) is named after, page suffix dropped, or None.

    Examples:
        >>> entity_set_of("Tasks_2.json"), entity_set_of("export/tasks (3).json")
        ('Tasks', 'Tasks')
        >>> entity_set_of("AssignmentTimephasedDataSet-page-12.json"), entity_set_of("notes.json")
        ('AssignmentTimephasedDataSet', None)
        >>> entity_set_of("AssignmentBaselineTimephasedDat")  # an Excel sheet name, cut
        'AssignmentBaselineTimephasedDataSet'
    """
    stem = Path(filename.replace("\\", "/")).name
    for suffix in (*SUFFIXES, ".xlsx"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    if stem.lower() in _BY_LOWER:
        return _BY_LOWER[stem.lower()]
    if len(stem) == EXCEL_SHEET_NAME:  # Excel cuts sheet names to 31 characters
        cut = [n for k, n in _BY_LOWER.items() if k.startswith(stem.lower())]
        if len(cut) == 1:
            return cut[0]
    m = _PAGE.match(stem)
    return _BY_LOWER.get(m.group("stem").lower()) if m else None


def is_page_name(filename: str) -> bool:
    """True for a JSON or CSV file named after an entity set (one page of an export).

    Examples:
        >>> is_page_name("Tasks_2.json"), is_page_name("Projects.xlsx"), is_page_name("a.csv")
        (True, False, False)
    """
    return filename.lower().endswith(SUFFIXES) and entity_set_of(filename) is not None


def bundle(files: list[tuple[str, bytes | None]]) -> bytes:
    """Files uploaded one by one, zipped as one export (a file over the size limit,
    ``None``, is left out: the export then says which set is missing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            if data is not None:
                z.writestr(Path(name).name, data)
    return buf.getvalue()


def _is_xlsx(data: bytes) -> bool:
    if data[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _xlsx_headers(data: bytes) -> dict[str, list[str]]:
    import fastexcel

    reader = fastexcel.read_excel(data)
    out = {}
    for sheet in reader.sheet_names:
        if entity_set_of(sheet) is None:
            continue
        frame = reader.load_sheet(sheet, n_rows=0).to_pandas()
        out[sheet] = [str(c) for c in frame.columns]
    return out


def _csv_header(data: bytes) -> list[str]:
    first = decode_text(data[:65536]).splitlines()[:1]
    if not first:
        return []
    line = first[0]
    sep = max((";", ",", "\t"), key=line.count)
    return [h.strip().strip('"') for h in line.split(sep)]


def looks_like_export(source: str | Path | bytes, filename: str | None = None) -> bool:
    """True for a ProjectData export: a folder or zip holding files named after entity
    sets; a workbook whose ``Projects`` sheet has the ``ProjectId`` header as written, with
    every other entity-set sheet headed by its key properties; a JSON or CSV file named
    after an entity set (a CSV with its key property among its headers).

    Examples:
        >>> looks_like_export(b"ProjectId;ProjectName\\nx;A\\n", "Projects.csv")
        True
        >>> looks_like_export(b"project_id;name\\nx;A\\n", "Projects.csv")
        False
    """
    if not isinstance(source, bytes):
        p = Path(source)
        if p.is_dir():
            return any(entity_set_of(f.name) for f in p.rglob("*") if f.is_file())
        name = filename or p.name
        try:
            data = p.read_bytes() if p.stat().st_size <= 200 * 2**20 else b""
        except OSError:
            return False
    else:
        data, name = source, filename or ""
    lower = name.lower()
    try:
        if _is_xlsx(data):
            heads = _xlsx_headers(data)
            projects = [h for s, h in heads.items() if entity_set_of(s) == "Projects"]
            return bool(projects) and "ProjectId" in projects[0]
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return any(entity_set_of(n) for n in z.namelist() if not n.endswith("/"))
    except Exception:  # an unreadable file is not an export; the workbook reader says why
        return False
    kind = entity_set_of(name)
    if kind is None:
        return False
    if lower.endswith(".json"):
        return True
    if lower.endswith((".csv", ".txt")):
        return KEYS.get(kind, ("",))[0] in _csv_header(data)
    return False


# ------------------------------------------------------------------------------ JSON


def _documents(text: str) -> list[Any]:
    """Every JSON document of a file (pages saved one after the other)."""
    decoder = json.JSONDecoder()
    docs: list[Any] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            return docs
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)


def _records(doc: Any) -> tuple[list[dict[str, Any]] | None, str | None]:
    """The records of one OData page and its next-page link."""
    if isinstance(doc, list):
        return doc, None
    if not isinstance(doc, dict):
        return None, None
    if "value" in doc and isinstance(doc["value"], list):
        link = doc.get("@odata.nextLink") or doc.get("odata.nextLink")
        return doc["value"], link
    d = doc.get("d")
    if isinstance(d, list):
        return d, None
    if isinstance(d, dict) and isinstance(d.get("results"), list):
        return d["results"], d.get("__next")
    return None, None


def _column(values: list[Any]) -> pd.Series:
    """A JSON column: numbers and booleans inferred, text kept as Python objects (the
    typing converts each distinct text once; an Arrow string column costs more here)."""
    sample = next((v for v in values if v is not None), None)
    return (
        pd.Series(values, dtype=object)
        if sample is None or isinstance(sample, str)
        else pd.Series(values)
    )


def _json_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    keys = list(records[0]) if records and isinstance(records[0], dict) else []
    frame = None
    if keys and len(set(map(len, records))) == 1:
        try:  # the usual page: every record has the same properties, column by column
            frame = pd.DataFrame({k: _column([r[k] for r in records]) for k in keys})
        except (KeyError, TypeError):
            frame = None
    if frame is None:
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    drop = [c for c in frame.columns if str(c).startswith("__")]
    for c in frame.columns:
        if c in drop:
            continue
        first = frame[c].dropna()
        if len(first) and isinstance(first.iloc[0], dict | list):
            drop.append(c)  # a navigation property (deferred or expanded), not a value
    return frame.drop(columns=drop)


# ------------------------------------------------------------------------------ read


def _too_large(name: str, total: int) -> Issue:
    """The issue of an export (folder or zip) whose files, unpacked, pass the limit."""
    return err(name, None, None, None, TOO_LARGE, size=total // 2**20, limit=MAX_UNZIPPED // 2**20)


def _files_of(source: str | Path | bytes, filename: str | None) -> list[tuple[str, bytes]] | Issue:
    """The ``(name, bytes)`` files of an export: those of a folder or zip, or the file."""
    if not isinstance(source, bytes):
        p = Path(source)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file())
            total = sum(f.stat().st_size for f in files)
            if total > MAX_UNZIPPED:
                return _too_large(p.name, total)
            return [(str(f.relative_to(p)), f.read_bytes()) for f in files]
        return _files_of(p.read_bytes(), filename or p.name)
    name = filename or "upload"
    if source[:2] == b"PK" and not _is_xlsx(source):
        try:
            with zipfile.ZipFile(io.BytesIO(source)) as z:
                infos = [i for i in z.infolist() if not i.is_dir()]
                total = sum(i.file_size for i in infos)
                if len(infos) > MAX_ZIP_MEMBERS or total > MAX_UNZIPPED:
                    return _too_large(name, total)
                return [(i.filename, z.read(i)) for i in infos]
        except zipfile.BadZipFile as exc:
            return err(name, None, None, None, NOT_JSON, error=str(exc))
    return [(name, source)]


def fingerprint(files: list[tuple[str, bytes]]) -> str:
    """The sha256 of an export: its files' names and bytes, in name order."""
    h = hashlib.sha256()
    for name, data in sorted(files):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _xlsx_sets(data: bytes, issues: list[Issue]) -> dict[str, list[pd.DataFrame]]:
    import fastexcel

    reader = fastexcel.read_excel(data)
    parts: dict[str, list[pd.DataFrame]] = {}
    for sheet in reader.sheet_names:
        kind = entity_set_of(sheet)
        if kind is None:
            issues.append(warn(sheet, None, None, None, NOT_READ, name=Localised(sheet, sheet)))
            continue
        frame = reader.load_sheet(sheet).to_pandas()
        frame["_row"] = range(2, len(frame) + 2)
        frame["_file"] = sheet
        parts.setdefault(kind, []).append(frame)
    return parts


def _csv_frame(data: bytes, name: str) -> pd.DataFrame:
    text = decode_text(data)
    line = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=line.count)
    frame = pd.read_csv(
        io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""]
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    frame["_row"] = range(2, len(frame) + 2)
    frame["_file"] = Path(name).name
    return frame


def read_sets(
    source: str | Path | bytes, filename: str | None = None
) -> tuple[dict[str, RawSet], list[Issue], str]:
    """The raw entity sets of an export, the issues of reading it, and its sha256.

    A file that is not named after an entity set is left out with a warning; a JSON
    page that cannot be read is an error naming the file."""
    issues: list[Issue] = []
    files = _files_of(source, filename)
    if isinstance(files, Issue):
        return {}, [files], ""
    sha = fingerprint(files)
    if len(files) == 1 and _is_xlsx(files[0][1]):
        parts = _xlsx_sets(files[0][1], issues)
        return _joined(parts, text=False), issues, sha
    json_parts: dict[str, list[pd.DataFrame]] = {}
    csv_parts: dict[str, list[pd.DataFrame]] = {}
    links: dict[str, list[str | None]] = {}
    for name, data in sorted(files, key=lambda f: _page_order(f[0])):
        base = Path(name.replace("\\", "/")).name
        if base.startswith(".") or "__MACOSX" in name:
            continue
        kind = entity_set_of(base)
        if kind is None:
            issues.append(warn(base, None, None, None, NOT_READ, name=Localised(base, base)))
            continue
        if base.lower().endswith(".json"):
            try:
                docs = _documents(decode_text(data))
            except json.JSONDecodeError as exc:
                issues.append(err(base, None, None, None, NOT_JSON, error=str(exc)))
                continue
            for doc in docs:
                records, link = _records(doc)
                if records is None:
                    issues.append(err(base, None, None, None, NO_RECORDS))
                    continue
                frame = _json_frame(records)
                frame["_file"] = base
                json_parts.setdefault(kind, []).append(frame)
                links.setdefault(kind, []).append(link)
        else:
            csv_parts.setdefault(kind, []).append(_csv_frame(data, base))
    sets = _joined(json_parts, text=False)
    for kind, set_links in links.items():
        if set_links and all(set_links):
            issues.append(
                warn(
                    kind,
                    None,
                    None,
                    None,
                    NEXT_LINK_LEFT,
                    set=Localised(kind, kind),
                    link=Localised(str(set_links[-1]), str(set_links[-1])),
                )
            )
    for raw in sets.values():
        raw.frame["_row"] = range(1, len(raw.frame) + 1)
    for kind, raw in _joined(csv_parts, text=True).items():
        if kind in sets:  # the same set as JSON and CSV: the JSON pages are taken
            issues.append(warn(kind, None, None, None, BOTH_SHAPES, set=Localised(kind, kind)))
            continue
        sets[kind] = raw
    return sets, issues, sha


BOTH_SHAPES = "{set} is given both as JSON and as CSV: the JSON pages were read, the CSV left out."


def _page_order(name: str) -> tuple[str, int, str]:
    """Files of one set in page order (``Tasks.json`` before ``Tasks_2.json``)."""
    base = Path(name.replace("\\", "/")).name
    digits = re.findall(r"\d+", base)
    return (str(entity_set_of(base)), int(digits[-1]) if digits else 0, base)


def _joined(parts: dict[str, list[pd.DataFrame]], text: bool) -> dict[str, RawSet]:
    return {
        kind: RawSet(
            kind, pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0], text
        )
        for kind, frames in parts.items()
    }
