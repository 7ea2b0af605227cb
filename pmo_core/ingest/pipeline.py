"""The import pipeline: a file -> validated frames -> one snapshot, or nothing.

This is the one path every import takes (the Import page, the CLI, the first-start demo
seed), so that the as-of rule and the all-or-nothing rule live in one place:

- the as-of date is the one given, else the file's Settings ``as_of``, else today;
- a result with any error is rejected with :class:`~pmo_core.errors.ImportRejected`
  carrying every issue, and the store is not touched.

Schedules (MS Project XML, Primavera P6 XER / P6-XML, ``.gz`` or not) go to
:mod:`pmo_core.ingest.schedules`; workbooks and CSV to :mod:`pmo_core.ingest`.
:func:`validate_files` takes several schedules plus at most one portfolio workbook and
returns one merged result (one snapshot).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Union

from pmo_core import ingest, store
from pmo_core.errors import ImportRejected, UsageError
from pmo_core.ingest import mapping as mp
from pmo_core.ingest import schedules
from pmo_core.ingest.issues import IngestResult, warn
from pmo_core.ingest.schedules.common import issue, refused


def resolve_as_of(result: IngestResult, as_of: date | None = None) -> date:
    """The snapshot's as-of date: given, else the file's setting, else today."""
    return as_of or result.as_of or date.today()


def commit_result(
    result: IngestResult,
    *,
    as_of: date | None = None,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> int:
    """Commit a validated result as one snapshot and return its id.

    Raises:
        ImportRejected: the result holds errors (nothing is written).
    """
    errors = [i for i in result.issues if i.severity == "error"]
    if errors:
        raise ImportRejected(
            f"{result.source}: {len(errors)} error(s); nothing was imported.", result.issues
        )
    return store.commit_snapshot(
        result.frames,
        source=result.source,
        as_of=resolve_as_of(result, as_of),
        sha256=result.sha256,
        settings=result.settings,
        imported_by=who,
        path=path,
    )


#: One input of :func:`validate_files`: a path, or ``(file name, bytes)`` for an upload.
Source = Union[str, "os.PathLike[str]", tuple[str, bytes]]

TWO_WORKBOOKS = (
    "Only one portfolio workbook can go with schedule files: {name} was not read. "
    "Import it separately or merge the workbooks."
)


def _name_and_bytes(source: Source, max_bytes: int) -> tuple[str, bytes | None]:
    """``(name, bytes)``, bytes None when the file is over the size limit."""
    if isinstance(source, tuple):
        name, data = source
        return name, data
    p = Path(source)
    try:
        if p.stat().st_size > max_bytes:
            return p.name, None
        return p.name, p.read_bytes()
    except OSError as exc:
        raise UsageError(f"Cannot read {p}: {exc}") from exc


def _read_schedule_file(
    name: str, data: bytes | None, role_field: str | None = None
) -> IngestResult:
    if data is None or len(data) > ingest.MAX_BYTES:
        size = ingest.MAX_BYTES // 2**20 + 1 if data is None else len(data) // 2**20
        too_big = issue(
            "error",
            name,
            None,
            None,
            None,
            ingest.TOO_BIG,
            size=size,
            limit=ingest.MAX_BYTES // 2**20,
        )
        return refused(name, "", too_big)
    return schedules.read_schedule(data, name, role_field)


PROFILE_KIND = "mapping_profile"
READ_WITH_SAVED = "Read with the saved mapping profile {profile}: its headers match this file's."


def saved_profiles(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """The mapping profiles saved in the store (documents of kind ``mapping_profile``),
    newest first; none when the store does not exist yet."""
    return list(store.list_documents(PROFILE_KIND, path)["payload"])


def _read_workbook(
    source: str | Path | bytes,
    filename: str | None,
    mapping: dict[str, Any] | None,
    profiles: Callable[[], list[dict[str, Any]]] | None,
    progress: Callable[[str, str | None], None] | None = None,
) -> IngestResult:
    """A workbook or CSV read as it is, or, when its headers are not recognised and a
    saved profile matches them (:func:`pmo_core.ingest.mapping.suggest_profile`, as the Import
    page proposes), read again with that profile and said so in a warning."""
    result = ingest.read_file(source, filename=filename, mapping=mapping, progress=progress)
    if mapping is not None or profiles is None or not mp.needs_mapping(result.issues):
        return result
    known = profiles()  # the store is opened only for a file that needs a mapping
    if not known:
        return result
    headers = ingest.read_headers(source, filename=filename)
    suggested = mp.suggest_profile([h for hs in headers.values() for h in hs], known)
    if suggested is None:
        return result
    try:
        again = ingest.read_file(source, filename=filename, mapping=suggested, progress=progress)
    except UsageError:  # a saved profile the schema no longer accepts: read as it is
        return result
    again.issues.insert(
        0,
        warn(result.source, None, None, None, READ_WITH_SAVED, profile=suggested.get("name", "")),
    )
    return again


def _profiles(
    path: str | os.PathLike[str] | None, given: list[dict[str, Any]] | None
) -> Callable[[], list[dict[str, Any]]] | None:
    """Where saved profiles come from: those given, else the store at ``path``, else none."""
    if given is not None:
        return lambda: given
    if path is not None:
        return lambda: saved_profiles(path)
    return None


def validate_file(
    source: str | os.PathLike[str] | bytes,
    *,
    filename: str | None = None,
    mapping: dict[str, Any] | None = None,
    path: str | os.PathLike[str] | None = None,
    profiles: list[dict[str, Any]] | None = None,
    progress: Callable[[str, str | None], None] | None = None,
    role_field: str | None = None,
) -> IngestResult:
    """Read and check a file without writing anything (a schedule or a workbook).

    Without ``mapping``, a workbook whose headers are not recognised is read with the
    saved profile that matches them: ``profiles`` when given, else those saved in the
    store at ``path`` when a path is given. ``progress`` is told each step
    (:func:`pmo_core.ingest.read_file`). ``role_field``: the MS Project resource field
    holding the role (:func:`pmo_core.ingest.schedules.read_mspdi`)."""
    name = filename or ("upload" if isinstance(source, bytes) else Path(source).name)
    if schedules.is_schedule_name(name):
        data = source if isinstance(source, bytes) else None
        if data is None:
            name, data = _name_and_bytes(Path(source), ingest.MAX_BYTES)  # type: ignore[arg-type]
            name = filename or name
        if progress is not None:
            progress("read", name)
        return _read_schedule_file(name, data, role_field)
    src: str | Path | bytes = source if isinstance(source, bytes) else Path(source)
    return _read_workbook(src, filename, mapping, _profiles(path, profiles), progress)


def validate_files(
    sources: Sequence[Source],
    *,
    mapping: dict[str, Any] | None = None,
    path: str | os.PathLike[str] | None = None,
    profiles: list[dict[str, Any]] | None = None,
    progress: Callable[[str, str | None], None] | None = None,
    role_field: str | None = None,
) -> IngestResult:
    """Read several files as one snapshot, without writing anything.

    Schedule files (``.xml``, ``.xer``, their ``.gz``, ``.pmxml``, ``.mpp``) each give
    projects; at most one workbook or CSV among them is the portfolio workbook, which
    adds programme, objectives, alignment and risks (:func:`schedules.merge_results`).
    A single workbook alone is read as :func:`validate_file` reads it (saved profiles
    included). Issues name the file they come from. ``role_field``: the MS Project
    resource field holding the role (``Text1``... or its alias), instead of the Group.
    """
    if not sources:
        raise UsageError("validate_files needs at least one file")
    results: list[IngestResult] = []
    portfolio: IngestResult | None = None
    extra: list[str] = []
    for source in sources:
        name = source[0] if isinstance(source, tuple) else Path(source).name
        if schedules.is_schedule_name(name):
            if progress is not None:
                progress("read", name)
            name, data = _name_and_bytes(source, ingest.MAX_BYTES)
            results.append(_read_schedule_file(name, data, role_field))
        elif portfolio is None:
            known = _profiles(path, profiles)
            if isinstance(source, tuple):
                portfolio = _read_workbook(source[1], source[0], mapping, known, progress)
            else:
                portfolio = _read_workbook(Path(source), None, mapping, known, progress)
        else:
            extra.append(name)
    if not results and portfolio is not None and not extra:
        return portfolio
    merged = schedules.merge_results(results, portfolio)
    merged.issues.extend(issue("error", n, None, None, None, TWO_WORKBOOKS, name=n) for n in extra)
    return merged


def import_file(
    source: str | os.PathLike[str] | bytes,
    *,
    filename: str | None = None,
    as_of: date | None = None,
    mapping: dict[str, Any] | None = None,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> tuple[IngestResult, int]:
    """Validate a file and commit it as one snapshot: ``(result, snapshot_id)``.

    Without ``mapping``, a saved profile of that store whose headers match is used.

    Raises:
        ImportRejected: the file has errors; ``.issues`` lists them; nothing is written.
    """
    result = validate_file(source, filename=filename, mapping=mapping, path=store.db_path(path))
    return result, commit_result(result, as_of=as_of, who=who, path=path)


def import_files(
    sources: Sequence[Source],
    *,
    as_of: date | None = None,
    mapping: dict[str, Any] | None = None,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> tuple[IngestResult, int]:
    """Validate several files (:func:`validate_files`) and commit them as one snapshot.

    Raises:
        ImportRejected: some file has errors; ``.issues`` lists them; nothing is written.
    """
    result = validate_files(sources, mapping=mapping, path=store.db_path(path))
    return result, commit_result(result, as_of=as_of, who=who, path=path)
