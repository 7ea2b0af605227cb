"""Read an Excel or CSV export into canonical frames plus every issue found. No writes.

The import is forgiving and exact at once: sheets and headers are matched in French or
English (:mod:`pmo_core.schema`), title rows above the header, blank rows, a totals row
and hidden or unknown sheets are handled, values are read in French and English formats
(:mod:`pmo_core.ingest.values`), and every problem becomes an :class:`Issue` naming the
sheet, the row as Excel numbers it, the column as the user wrote it, the value, and how
to fix it. Errors block the commit (``result.ok`` is False); warnings don't.

This module holds the entry points (:func:`read_file`, :func:`read_headers`) and the
assembly of a file's sheets into one :class:`IngestResult`; the rooms are
:mod:`~pmo_core.ingest.issues` (Issue, IngestResult), :mod:`~pmo_core.ingest.reader`
(the file into raw sheets: fastexcel for the cells, the workbook's XML for formats;
formulas are never evaluated, cached values are read), :mod:`~pmo_core.ingest.tables`
(a raw sheet into a canonical frame), :mod:`~pmo_core.ingest.rules` (the checks across
tables), :mod:`~pmo_core.ingest.mapping` (profiles for other tools' exports) and
:mod:`~pmo_core.ingest.pipeline` (validate and import, schedules included).

Examples:
    >>> r = read_file(b"not a workbook", filename="x.xlsx")
    >>> r.ok, r.issues[0].severity
    (False, 'error')
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest import mapping, wide
from pmo_core.ingest import values as iv
from pmo_core.ingest.formulas import check_formula_text
from pmo_core.ingest.issues import IngestResult, Issue, err, warn
from pmo_core.ingest.reader import (
    MAX_BYTES,
    MAX_UNZIPPED,
    MAX_ZIP_MEMBERS,
    NOT_A_WORKBOOK,
    TOO_BIG,
    RawSheet,
    decode_text,
    open_file,
)
from pmo_core.ingest.rules import check_rules
from pmo_core.ingest.settings_rules import check_settings
from pmo_core.ingest.tables import (
    MORE_EMPTY,
    conform_frame,
    find_header,
    read_table,
    sheets_by_table,
)


def read_file(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: dict[str, Any] | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    lenient: bool = False,
    reference: dict[str, pd.DataFrame] | None = None,
) -> IngestResult:
    """Read and validate one file (path or bytes). Bad content becomes issues, never raises.

    ``progress(step, detail)`` is told each step as it starts: ``"read"`` (the file's
    name), ``"sheet"`` (each sheet's name as it is converted), ``"rules"`` (None).
    ``lenient`` and ``reference``: see :func:`pmo_core.ingest.rules.check_rules`."""
    step = progress or _no_progress
    step("read", filename or (None if isinstance(source, bytes) else Path(source).name))
    opened = open_file(source, filename, max_bytes)
    if isinstance(opened, IngestResult):
        return opened
    sheets, name, sha, xlsx_bytes = opened
    rules = functools.partial(check_rules, lenient=lenient, reference=reference)
    return _build(sheets, name, sha, xlsx_bytes, [], mapping, step, rules)


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
    opened = open_file(source, filename, max_bytes)
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


def _build(
    sheets: list[RawSheet],
    name: str,
    sha: str,
    data: bytes | None,
    issues: list[Issue],
    profile_source: dict[str, Any] | None,
    step: Progress = _no_progress,
    rules: Callable[..., None] = check_rules,
) -> IngestResult:
    frames: dict[str, pd.DataFrame] = {}
    settings: dict[str, str] = {}
    deferred: list[tuple[RawSheet, schema.Table | None, schema.Table | None, int]] = []
    where: dict[str, tuple[str, int | None, str]] = {}  # setting key -> its cell
    profile = mapping.load_profile(profile_source) if profile_source else None
    if profile is None:
        cells = [
            str(c) for raw in sheets for c in raw.head.to_numpy().ravel() if isinstance(c, str)
        ]
        shipped = mapping.shipped_profiles()
        several = mapping.matching_profiles(cells, shipped)
        if len(several) > 1:  # the same headers: the one whose value checks pass
            return _best_of(several, sheets, name, sha, data, issues, step, rules)
        known = mapping.suggest_profile(cells, shipped)
        if known is not None:  # a known export: read it with its shipped profile
            result = _build(sheets, name, sha, data, issues, known, step, rules)
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
            frames[target] = read_table(raw, schema.TABLES[target], h_found, data, issues, spec)
            continue
        table = schema.find_table(raw.name)
        h, found, score = find_header(raw.head, table)
        if wide.may_be_wide(raw.head, h, table, found, score, set(frames)):
            deferred.append((raw, table, found, h))  # read once the objectives are known
            continue
        if found is None or score == 0:
            issues.append(_not_recognised(raw.name))
            continue
        if found.name in frames or (found.name == "settings" and settings):
            issues.append(_second_sheet(raw.name, found.name))
            continue
        if found.name == "settings":
            df = read_table(raw, schema.SETTINGS, h, None, issues)
            header = str(df.attrs.get("written", {}).get("value", "value"))
            excel_rows = df["_row"] if "_row" in df else pd.Series([None] * len(df))
            for k, v, r in zip(df.get("key", []), df.get("value", []), excel_rows, strict=False):
                if k is not None and not pd.isna(k):
                    settings[str(k).strip().lower()] = "" if v is None or pd.isna(v) else str(v)
                    where[str(k).strip().lower()] = (
                        raw.name,
                        None if pd.isna(r) else int(r),
                        header,
                    )
            continue
        frames[found.name] = read_table(raw, found, h, data, issues)
    for raw, table, found, h in deferred:
        keys = wide.objective_keys(frames.get("objectives"))
        named = table is not None and table.name == "alignment"
        frame = None
        if "alignment" not in frames:
            frame = wide.read_wide_alignment(raw, keys, issues, any_header=named and not keys)
        if frame is not None:
            frames["alignment"] = frame
        elif found is None:
            issues.append(_not_recognised(raw.name))
        elif found.name in frames:
            issues.append(_second_sheet(raw.name, found.name))
        else:  # a long alignment sheet short of columns: its errors say which
            frames[found.name] = read_table(raw, found, h, data, issues)
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
        frames[tname] = conform_frame(
            tname, frames[tname] if tname in frames else schema.empty_frame(tname)
        )
    step("rules", None)
    rules(frames, sheets_by_table(frames), issues)
    issues[:] = mapping.relax_issues(issues, profile)
    # after the relaxing: a profile cannot turn a formula into a warning
    check_formula_text(frames, issues)  # ids and labels a spreadsheet would run
    check_settings(settings, where, issues)  # RAG thresholds: readable and ordered
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


def _fit(result: IngestResult) -> tuple[int, int, int]:
    """How badly a profile reads a file: errors, values it does not know (warned), and
    words of its value lists the file never uses."""
    errors = sum(i.severity == "error" for i in result.issues)
    unknown = sum(
        1
        if i.template.startswith("Not a value this column knows")
        else int(i.params.get("n", 0))
        if i.template == MORE_EMPTY
        else 0
        for i in result.issues
    )
    unused = sum(int(f.attrs.get("unused_values", 0)) for f in result.frames.values())
    return errors, unknown, unused


def _best_of(
    profiles: list[dict[str, Any]],
    sheets: list[RawSheet],
    name: str,
    sha: str,
    data: bytes | None,
    issues: list[Issue],
    step: Progress,
    rules: Callable[..., None] = check_rules,
) -> IngestResult:
    """The file read with each profile of the same headers; the one whose value checks
    pass (fewest errors, then fewest values it does not know, then fewest words of its
    value lists the file never uses) is kept, and its first issue says which and why.
    The profiles are compared on strict reads; a lenient import then reads the file
    again with the chosen one and its own ``rules``."""
    tried = [(_build(sheets, name, sha, data, list(issues), p, step), p) for p in profiles]
    ranked = sorted(tried, key=lambda rp: _fit(rp[0]))
    (best, chosen), (_, runner) = ranked[0], ranked[1]
    mine, theirs = _fit(best), _fit(ranked[1][0])
    if rules is not check_rules:
        best = _build(sheets, name, sha, data, list(issues), chosen, step, rules)
    best.issues.insert(
        0,
        warn(
            name,
            None,
            None,
            None,
            "Read with the mapping profile {profile}, chosen among {count} profiles with these "
            "headers: {errors} errors and {unknown} values it does not know (against {errors2} "
            "and {unknown2} with {other}); {unused} words of its value lists unused in the "
            "file (against {unused2}).",
            profile=chosen["name"],
            count=len(profiles),
            other=runner["name"],
            errors=mine[0],
            unknown=mine[1],
            unused=mine[2],
            errors2=theirs[0],
            unknown2=theirs[1],
            unused2=theirs[2],
        ),
    )
    return best


def _second_sheet(sheet: str, table: str) -> Issue:
    """The warning for a sheet of a table already read from another sheet."""
    return warn(sheet, None, None, None, "A second sheet for {table} was ignored.", table=table)


def _not_recognised(sheet: str) -> Issue:
    return warn(
        sheet,
        None,
        None,
        None,
        "Sheet not recognised: ignored. Name it like a template sheet (e.g. Projets, Jalons).",
    )


__all__ = [
    "MAX_BYTES",
    "MAX_UNZIPPED",
    "MAX_ZIP_MEMBERS",
    "NOT_A_WORKBOOK",
    "TOO_BIG",
    "IngestResult",
    "Issue",
    "Progress",
    "RawSheet",
    "decode_text",
    "read_file",
    "read_headers",
    "sheets_by_table",
]
