"""The import pipeline: a file -> validated frames -> one snapshot, or nothing.

This is the one path every import takes (the Import page, the CLI, the first-start demo
seed), so that the as-of rule and the all-or-nothing rule live in one place:

- the as-of date is the one given, else the file's Settings ``as_of``, else today;
- a result with any error is rejected with :class:`~pmo_core.errors.ImportRejected`
  carrying every issue, and the store is not touched.

Modes (DESIGN section 3): strict by default; ``lenient=True`` imports what is valid and
lists what it left empty or out (:mod:`pmo_core.ingest.rules`), recorded in the audit log
at commit; ``update=True`` builds the new snapshot from the newest one with the file's
projects replaced or added (:mod:`pmo_core.ingest.update`). A plain import much smaller
than the newest snapshot is warned (:func:`compare_with_newest`), and so is a second
snapshot of the same as-of date (:func:`same_as_of`).

Schedules (MS Project XML, Primavera P6 XER / P6-XML, ``.gz`` or not) go to
:mod:`pmo_core.ingest.schedules`; a Project Online ProjectData export (a workbook with
one sheet per entity set, a folder or zip of JSON pages or CSV files, recognised by its
entity-set and property names) to :mod:`pmo_core.ingest.projectdata`; other workbooks
and CSV to :mod:`pmo_core.ingest`.
:func:`validate_files` takes several schedules plus at most one portfolio workbook and
returns one merged result (one snapshot).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Union

import pandas as pd

from pmo_core import i18n, ingest, store
from pmo_core.errors import ImportRejected, UsageError
from pmo_core.ingest import mapping as mp
from pmo_core.ingest import projectdata, schedules
from pmo_core.ingest import update as up
from pmo_core.ingest.issues import IngestResult, Issue, warn
from pmo_core.ingest.schedules.common import issue, refused

#: A plain import covering less than this share of the newest snapshot's projects is warned.
FEWER_SHARE = 0.5
FEWER_PROJECTS = (
    "{n} projects; the current snapshot has {current}: {missing} would no longer appear. "
    "To change only this file's projects, use update; to replace the whole portfolio, "
    "confirm the import."
)
SAME_AS_OF = (
    "Snapshot #{id} already has this as-of date: two snapshots of the same date are hard "
    "to tell apart in the history. Choose another date or delete the older snapshot."
)
NOTHING_TO_UPDATE = "The store holds no snapshot to update: import a whole portfolio first."
UPDATE_SCHEDULES = (
    "An update takes one workbook or CSV of projects; schedules are imported as a whole snapshot."
)


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
    return store.commit_snapshots([snapshot_write(result, as_of=as_of, who=who)], path=path)[0]


def snapshot_write(
    result: IngestResult, *, as_of: date | None = None, who: str | None = None
) -> store.SnapshotWrite:
    """The snapshot a validated result commits (:func:`commit_result`; the demo's seed
    writes it with its earlier months in one transaction).

    Raises:
        ImportRejected: the result holds errors.
    """
    errors = [i for i in result.issues if i.severity == "error"]
    if errors:
        raise ImportRejected(
            f"{result.source}: {len(errors)} error(s); nothing was imported.", result.issues
        )
    return store.SnapshotWrite(
        result.frames,
        source=result.source,
        as_of=resolve_as_of(result, as_of),
        sha256=result.sha256,
        settings=result.settings,
        imported_by=who,
        audit=audit_entries(result),
        base=None if result.update is None else result.update["base_snapshot_id"],
        documents=result.documents,
    )


def audit_entries(result: IngestResult) -> list[tuple[str, str]]:
    """What the audit log records besides the import: an update's counts, and each cell
    or row a lenient import left empty or out (sheet, row, column, value, what was done)."""
    out: list[tuple[str, str]] = []
    if result.update is not None:
        u = result.update
        out.append(
            (
                "import_update",
                f"{result.source}: "
                + i18n.UPDATE_AUDIT.format(
                    base=u["base_snapshot_id"],
                    updated=u["updated"],
                    added=u["added"],
                    kept=u["kept"],
                ),
            )
        )
    fixed = [i for i in result.issues if i.fix is not None]
    if fixed:
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in result.fixes.items() if n)
        lines = [
            " | ".join(
                [
                    i.sheet or "",
                    "" if i.row is None else f"row {i.row}",
                    i.column or "",
                    "" if i.value is None else repr(i.value),
                    i.text("en"),
                ]
            )
            for i in fixed
        ]
        out.append(("import_lenient", f"{result.source}: {counts}\n" + "\n".join(lines)))
    return out


def newest_projects(path: str | os.PathLike[str] | None) -> tuple[int, set[str]] | None:
    """The newest snapshot's id and project ids; None when the store holds none."""
    sid = store.latest_snapshot_id(path)
    if sid is None:
        return None
    projects = store.load_table("projects", sid, path)
    return sid, set(projects["project_id"].dropna())


def compare_with_newest(result: IngestResult, path: str | os.PathLike[str] | None) -> list[Issue]:
    """A plain import's warning when its file covers far fewer projects than the newest
    snapshot (less than :data:`FEWER_SHARE` of them): how many would no longer appear."""
    if result.update is not None or result.frames["projects"].empty:
        return []
    newest = newest_projects(path)
    if newest is None:
        return []
    _, old = newest
    ids = set(result.frames["projects"]["project_id"].dropna())
    if not old or len(ids) >= FEWER_SHARE * len(old):
        return []
    return [
        warn(
            result.source,
            None,
            None,
            None,
            FEWER_PROJECTS,
            n=len(ids),
            current=len(old),
            missing=len(old - ids),
        )
    ]


def fewer_projects(result: IngestResult) -> bool:
    """True when the result carries the :data:`FEWER_PROJECTS` warning (the Import page
    then asks for a confirmation)."""
    return any(i.template == FEWER_PROJECTS for i in result.issues)


def same_as_of(
    as_of: date,
    path: str | os.PathLike[str] | None = None,
    snapshots: pd.DataFrame | None = None,
) -> Issue | None:
    """A warning when a snapshot of the store already has this as-of date (the newest
    such), else None. ``snapshots``: the store's list (:func:`pmo_core.store.list_snapshots`)
    when the caller holds it already."""
    snaps = store.list_snapshots(path) if snapshots is None else snapshots
    if snaps.empty:
        return None
    same = snaps[pd.to_datetime(snaps["as_of"]).dt.date == as_of]
    if same.empty:
        return None
    return warn(
        None, None, "as_of", as_of.isoformat(), SAME_AS_OF, id=int(same["snapshot_id"].iloc[0])
    )


def _as_update(result: IngestResult, newest: store.Snapshot) -> IngestResult:
    """The file's result as an update of ``newest`` (:mod:`pmo_core.ingest.update`): its
    projects and their rows, the issues followed by what the update does not take and its
    counts; the store carries the rest over at commit."""
    file_ids = set(result.frames["projects"]["project_id"].dropna())
    counts = up.update_counts(set(newest.frames["projects"]["project_id"].dropna()), file_ids)
    issues = list(result.issues)
    issues += up.update_issues(
        newest.snapshot_id,
        newest.settings,
        result.frames,
        result.settings,
        newest.frames["projects"],
    )
    issues.append(
        warn(
            result.source,
            None,
            None,
            None,
            up.UPDATE_SUMMARY,
            id=newest.snapshot_id,
            updated=counts.updated,
            added=counts.added,
            kept=counts.kept,
        )
    )
    settings = {**result.settings, **newest.settings}
    settings.pop("as_of", None)
    if result.settings.get("as_of"):
        settings["as_of"] = result.settings["as_of"]
    summary = {
        "base_snapshot_id": newest.snapshot_id,
        "updated": counts.updated,
        "added": counts.added,
        "kept": counts.kept,
    }
    frames = up.file_part(result.frames)
    return IngestResult(
        frames, issues, settings, result.as_of, result.source, result.sha256, update=summary
    )


#: What an update reads of the newest snapshot: its project ids, and what the file's rows
#: are checked against (objectives, resources, the risk ids other projects use).
UPDATE_REFERENCE = ("projects", "objectives", "resources", "risks")


def _newest(path: str | os.PathLike[str] | None) -> store.Snapshot:
    sid = store.latest_snapshot_id(path)
    if sid is None:
        raise UsageError(NOTHING_TO_UPDATE)
    return store.get_snapshot(sid, tables=UPDATE_REFERENCE, path=path)


#: One input of :func:`validate_files`: a path, or ``(file name, bytes)`` for an upload.
Source = Union[str, "os.PathLike[str]", tuple[str, bytes]]

TWO_WORKBOOKS = (
    "Only one portfolio workbook can go with schedule files: {name} was not read. "
    "Import it separately or merge the workbooks."
)

#: A folder given with other files, or a folder that holds no export: said, not a crash.
FOLDER_AMONG_FILES = (
    "{path} is a folder: a folder is read on its own, as one Project Online (ProjectData) "
    "export. Give it alone, or give the files it holds."
)
FOLDER_NOT_EXPORT = (
    "{path} is a folder with no Project Online (ProjectData) export in it (JSON pages or CSV "
    "files named after its entity sets): give the workbook or schedule files themselves."
)


def _folders(sources: Sequence[Source]) -> list[Path]:
    """The sources that are folders on disk (an upload, ``(name, bytes)``, never is)."""
    return [Path(s) for s in sources if not isinstance(s, tuple) and Path(s).is_dir()]


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
    lenient: bool = False,
    reference: dict[str, pd.DataFrame] | None = None,
) -> IngestResult:
    """A workbook or CSV read as it is, or, when its headers are not recognised and a
    saved profile matches them (:func:`pmo_core.ingest.mapping.suggest_profile`, as the Import
    page proposes), read again with that profile and said so in a warning."""
    modes: dict[str, Any] = {"lenient": lenient, "reference": reference}
    result = ingest.read_file(
        source, filename=filename, mapping=mapping, progress=progress, **modes
    )
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
        again = ingest.read_file(
            source, filename=filename, mapping=suggested, progress=progress, **modes
        )
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
    lenient: bool = False,
    update: bool = False,
) -> IngestResult:
    """Read and check a file without writing anything (a schedule or a workbook).

    ``lenient``: faulty cells and rows left empty or out, as warnings. ``update``: the
    result is the newest snapshot of the store at ``path`` with the file's projects
    replaced or added (``result.update`` counts them). Without ``update`` and with a
    ``path``, a file much smaller than the newest snapshot is warned.

    Without ``mapping``, a workbook whose headers are not recognised is read with the
    saved profile that matches them: ``profiles`` when given, else those saved in the
    store at ``path`` when a path is given. ``progress`` is told each step
    (:func:`pmo_core.ingest.read_file`). ``role_field``: the MS Project resource field
    holding the role (:func:`pmo_core.ingest.schedules.read_mspdi`), or the Resources
    custom field of a ProjectData export (:func:`pmo_core.ingest.projectdata.read_projectdata`)."""
    name = filename or ("upload" if isinstance(source, bytes) else Path(source).name)
    if schedules.is_schedule_name(name):
        if update:
            raise UsageError(UPDATE_SCHEDULES)
        data = source if isinstance(source, bytes) else None
        if data is None:
            name, data = _name_and_bytes(Path(source), ingest.MAX_BYTES)  # type: ignore[arg-type]
            name = filename or name
        if progress is not None:
            progress("read", name)
        return _with_newest(_read_schedule_file(name, data, role_field), path, None)
    src: str | Path | bytes = source if isinstance(source, bytes) else Path(source)
    export = projectdata.looks_like_export(src, name)  # a folder's files walked once
    if not export and isinstance(src, Path) and src.is_dir():
        raise UsageError(FOLDER_NOT_EXPORT, path=str(src))
    newest = _newest(store.db_path(path)) if update else None
    reference = newest.frames if newest is not None else None
    if export:
        if progress is not None:
            progress("read", name)
        result = projectdata.read_projectdata(
            src,
            name,
            role_field=role_field,
            mapping=mp.load_profile(mapping) if mapping is not None else None,
            lenient=lenient,
            reference=reference,
        )
        return _with_newest(result, path, newest)
    known = _profiles(path, profiles)
    result = _read_workbook(src, filename, mapping, known, progress, lenient, reference)
    return _with_newest(result, path, newest)


def _with_newest(
    result: IngestResult,
    path: str | os.PathLike[str] | None,
    newest: store.Snapshot | None,
) -> IngestResult:
    """An update's merge with the newest snapshot; else, with a store, the warning of a
    file much smaller than the newest snapshot."""
    if newest is not None:
        return _as_update(result, newest)
    if path is not None and result.ok:
        result.issues.extend(compare_with_newest(result, path))
    return result


def validate_files(
    sources: Sequence[Source],
    *,
    mapping: dict[str, Any] | None = None,
    path: str | os.PathLike[str] | None = None,
    profiles: list[dict[str, Any]] | None = None,
    progress: Callable[[str, str | None], None] | None = None,
    role_field: str | None = None,
    lenient: bool = False,
    update: bool = False,
) -> IngestResult:
    """Read several files as one snapshot, without writing anything.

    Schedule files (``.xml``, ``.xer``, their ``.gz``, ``.pmxml``, ``.mpp``) each give
    projects; at most one workbook or CSV among them is the portfolio workbook, which
    adds programme, objectives, alignment and risks (:func:`schedules.merge_results`).
    A single workbook alone is read as :func:`validate_file` reads it (saved profiles
    included). Issues name the file they come from. ``role_field``: the MS Project
    resource field holding the role (``Text1``... or its alias), instead of the Group.
    ``lenient``, ``update``: as :func:`validate_file` (an update takes one workbook).
    JSON or CSV files all named after ProjectData entity sets are one export.
    """
    if not sources:
        raise UsageError("validate_files needs at least one file")
    names = [s[0] if isinstance(s, tuple) else Path(s).name for s in sources]
    folders = _folders(sources) if len(sources) > 1 else []
    if folders:
        raise UsageError(FOLDER_AMONG_FILES, path=str(folders[0]))
    if len(sources) > 1 and all(projectdata.is_page_name(n) for n in names):
        # the JSON or CSV files of one ProjectData export, uploaded one by one
        files = [_name_and_bytes(s, ingest.MAX_BYTES) for s in sources]
        sources = [("projectdata.zip", projectdata.bundle(files))]
    one = sources[0]
    one_name = one[0] if isinstance(one, tuple) else Path(one).name
    if len(sources) == 1 and not schedules.is_schedule_name(one_name):
        one_name_given, one_data = (one[0], one[1]) if isinstance(one, tuple) else (None, one)
        return validate_file(
            one_data,
            filename=one_name_given,
            mapping=mapping,
            path=path,
            profiles=profiles,
            progress=progress,
            role_field=role_field,
            lenient=lenient,
            update=update,
        )
    if update:
        raise UsageError(UPDATE_SCHEDULES)
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
                portfolio = _read_workbook(source[1], source[0], mapping, known, progress, lenient)
            else:
                portfolio = _read_workbook(Path(source), None, mapping, known, progress, lenient)
        else:
            extra.append(name)
    if not results and portfolio is not None and not extra:
        return _with_newest(portfolio, path, None)
    merged = schedules.merge_results(results, portfolio)
    merged.issues.extend(issue("error", n, None, None, None, TWO_WORKBOOKS, name=n) for n in extra)
    return _with_newest(merged, path, None)


def import_file(
    source: str | os.PathLike[str] | bytes,
    *,
    filename: str | None = None,
    as_of: date | None = None,
    mapping: dict[str, Any] | None = None,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
    lenient: bool = False,
    update: bool = False,
) -> tuple[IngestResult, int]:
    """Validate a file and commit it as one snapshot: ``(result, snapshot_id)``.

    Without ``mapping``, a saved profile of that store whose headers match is used.
    ``lenient``, ``update``: see :func:`validate_file`.

    Raises:
        ImportRejected: the file has errors; ``.issues`` lists them; nothing is written.
    """
    result = validate_file(
        source,
        filename=filename,
        mapping=mapping,
        path=store.db_path(path),
        lenient=lenient,
        update=update,
    )
    return result, commit_result(result, as_of=as_of, who=who, path=path)


def import_files(
    sources: Sequence[Source],
    *,
    as_of: date | None = None,
    mapping: dict[str, Any] | None = None,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
    lenient: bool = False,
    update: bool = False,
) -> tuple[IngestResult, int]:
    """Validate several files (:func:`validate_files`) and commit them as one snapshot.

    Raises:
        ImportRejected: some file has errors; ``.issues`` lists them; nothing is written.
    """
    result = validate_files(
        sources, mapping=mapping, path=store.db_path(path), lenient=lenient, update=update
    )
    return result, commit_result(result, as_of=as_of, who=who, path=path)
