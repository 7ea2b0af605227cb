"""The import pipeline: a file -> validated frames -> one snapshot, or nothing.

This is the one path every import takes (the Import page, the CLI, the first-start demo
seed), so that the as-of rule and the all-or-nothing rule live in one place:

- the as-of date is the one given, else the file's Settings ``as_of``, else today;
- a result with any error is rejected with :class:`~pmo_core.errors.ImportRejected`
  carrying every issue, and the store is not touched.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_core import store
from pmo_core.errors import ImportRejected

if TYPE_CHECKING:
    from pmo_core.ingest import IngestResult


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


def validate_file(
    source: str | os.PathLike[str] | bytes,
    *,
    filename: str | None = None,
    mapping: dict[str, Any] | None = None,
) -> IngestResult:
    """Read and check a file without writing anything."""
    from pmo_core import ingest

    src: str | Path | bytes = source if isinstance(source, bytes) else Path(source)
    return ingest.read_file(src, filename=filename, mapping=mapping)


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

    Raises:
        ImportRejected: the file has errors; ``.issues`` lists them; nothing is written.
    """
    result = validate_file(source, filename=filename, mapping=mapping)
    return result, commit_result(result, as_of=as_of, who=who, path=path)
