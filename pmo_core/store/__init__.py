"""The store (a DuckDB file, or PostgreSQL with ``PMO_DB_URL``): migrations, atomic snapshot commits, snapshot queries, documents.

Nobody keeps the store open (DESIGN section 2): every access goes through
:func:`connect`, which opens the file (read-only to read), works and closes it, under a
process-wide lock; another process's lock is waited for with backoff up to a timeout,
then reported as :class:`~pmo_core.errors.StoreBusy`. Values are always bound as
parameters; identifiers come only from the allow-list in :mod:`pmo_core.schema`.

Snapshot and document ids come from sequences that never go back (migration 004): a
deleted snapshot's id is never given to another, so scenarios, the audit log and
``?snapshot=`` links keep pointing at what they named. :func:`migrate` upgrades an older
store (the app at start, the CLI before every command); reading one that needs it raises
:class:`~pmo_core.errors.StoreNeedsUpgrade`.

Every write runs in one transaction through
:func:`~pmo_core.store.connection.write_transaction` (snapshot commit, deletion,
documents), and records an audit entry in the same transaction.

This module holds the snapshots (:class:`Snapshot`, :func:`commit_snapshot`,
:func:`get_snapshot`, :func:`list_snapshots`...); opening the store is
:mod:`pmo_core.store.connection` (:func:`connect`, :func:`db_path`), named documents and
the audit log :mod:`pmo_core.store.documents` (named weightings too); both are
re-exported here.

Examples:
    >>> import tempfile, pathlib
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "x.duckdb"
    >>> list_snapshots(db).empty
    True
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from pmo_core import schema
from pmo_core.errors import SnapshotNotFound, UsageError
from pmo_core.store import postgres
from pmo_core.store.connection import (
    DEFAULT_DB,
    LOCK_TIMEOUT_S,
    MIGRATIONS_DIR,
    Connection,
    connect,
    db_path,
    display_name,
    migrate,
    next_id,
    read_frame,
    record_audit,
    write_transaction,
)
from pmo_core.store.documents import (
    ReadOnlyDocument,
    audit_log,
    delete_document,
    insert_documents,
    list_documents,
    list_weightings,
    save_document,
    save_weighting,
)

#: WAL size past which a commit checkpoints at once (DuckDB's default is 16 MB).
CHECKPOINT_THRESHOLD = "1MB"


@dataclass(frozen=True)
class Snapshot:
    """One snapshot's metadata and, when loaded, its frames (canonical columns)."""

    snapshot_id: int
    as_of: date
    imported_at: datetime
    source: str
    currency: str = "EUR"
    settings: dict[str, str] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class SnapshotWrite:
    """One snapshot to write: its frames and what :func:`commit_snapshot` records with
    them (see there); :func:`commit_snapshots` writes several in one transaction."""

    frames: dict[str, pd.DataFrame]
    source: str
    as_of: date
    sha256: str | None = None
    settings: dict[str, str] | None = None
    imported_by: str | None = None
    audit: Sequence[tuple[str, str]] = ()
    base: int | None = None
    documents: Sequence[dict[str, Any]] = ()


def commit_snapshot(
    frames: dict[str, pd.DataFrame],
    *,
    source: str,
    as_of: date,
    sha256: str | None = None,
    settings: dict[str, str] | None = None,
    imported_by: str | None = None,
    path: str | os.PathLike[str] | None = None,
    audit: Sequence[tuple[str, str]] = (),
    base: int | None = None,
    documents: Sequence[dict[str, Any]] = (),
) -> int:
    """Write one snapshot (all tables) in one transaction and return its id.

    ``frames`` maps canonical table names to frames with the canonical columns (missing
    tables are stored empty). ``audit``: more ``(action, what)`` entries recorded with
    the import's in the same transaction (a lenient import's corrections, an update's
    counts). ``base`` (an update import): the snapshot whose rows are carried over, copied
    inside the transaction: every project not in ``frames["projects"]`` with its rows in
    the tables that have a project_id, and every row of the tables that have none
    (objectives, resources...); ``base`` must still be the newest snapshot.
    ``documents``: read-only documents that come with the file (the scenarios of a Project
    Server export: ``kind``, ``name``, ``payload``, ``status``, ``origin``), written with
    the new snapshot's id (:func:`pmo_core.store.documents.insert_documents`). Nothing is
    written if any part fails.
    """
    write = SnapshotWrite(
        frames,
        source=source,
        as_of=as_of,
        sha256=sha256,
        settings=settings,
        imported_by=imported_by,
        audit=audit,
        base=base,
        documents=documents,
    )
    return commit_snapshots([write], path=path)[0]


def commit_snapshots(
    writes: Sequence[SnapshotWrite],
    *,
    path: str | os.PathLike[str] | None = None,
    if_empty: bool = False,
) -> list[int]:
    """Write the snapshots ``writes``, in order, in one transaction (all of them or none)
    and return their ids. With ``if_empty``, only into a store that holds no snapshot,
    checked inside the transaction, once the store's write lock is held (PostgreSQL's
    advisory lock, which every import takes; DuckDB's file, one writer at a time): of
    two processes seeding an empty store at once, the second finds the first's
    snapshots there and writes nothing (``[]``)."""
    prepared = [_prepare(w) for w in writes]

    def work(con: Connection) -> list[int]:
        if not isinstance(con, postgres.PgConnection):
            # A snapshot is written to the database file once, at COMMIT (a checkpoint,
            # which DuckDB makes atomic), rather than to the WAL and again at close.
            con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        if if_empty and con.execute("SELECT count(*) FROM snapshots").fetchall()[0][0]:
            return []
        ids = [_write(con, w, conformed) for w, conformed in prepared]
        if isinstance(con, postgres.PgConnection):
            postgres.summarize_new_rows(con, list(schema.TABLES))
        return ids

    return write_transaction(path, work)


def _prepare(w: SnapshotWrite) -> tuple[SnapshotWrite, dict[str, pd.DataFrame]]:
    """``w`` checked, with every canonical table's frame conformed (empty when absent)."""
    unknown = set(w.frames) - set(schema.TABLES)
    if unknown:
        raise UsageError(f"Unknown tables: {sorted(unknown)}")
    conformed = {n: _canonical(n, w.frames[n]) for n in schema.TABLES if n in w.frames}
    conformed.update({n: schema.empty_frame(n) for n in schema.TABLES if n not in conformed})
    whole = [n for n, t in schema.TABLES.items() if "project_id" not in t.column_names]
    if w.base is not None and any(len(conformed[n]) for n in whole):
        raise UsageError(f"An update carries {', '.join(whole)} over: give them empty.")
    return w, conformed


def _write(con: Connection, w: SnapshotWrite, conformed: dict[str, pd.DataFrame]) -> int:
    """Write one prepared snapshot on ``con`` (inside the caller's transaction)."""
    counts = {name: len(df) for name, df in conformed.items()}
    settings = dict(w.settings or {})
    currency = settings.get("currency") or "EUR"
    base = w.base
    if base is not None:
        newest = con.execute("SELECT max(snapshot_id) FROM snapshots").fetchall()[0][0]
        if newest is not None and int(newest) != base:
            raise UsageError(
                f"Snapshot #{int(newest)} was imported after snapshot #{base}, which this "
                "update started from: validate the file again."
            )
    sid = next_id(con, "snapshot_id_seq")  # never a deleted snapshot's id again
    con.execute(
        "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            sid,
            datetime.now(),
            w.as_of,
            w.source,
            w.sha256,
            w.imported_by,
            currency,
            json.dumps(counts),
        ],
    )
    if settings:
        con.executemany(
            "INSERT INTO snapshot_settings VALUES (?, ?, ?)",
            [[sid, k, str(v)] for k, v in settings.items()],
        )
    for name, df in conformed.items():
        if df.empty:
            continue
        if isinstance(con, postgres.PgConnection):  # one COPY per table
            postgres.copy_frame(con, name, schema.TABLES[name].column_names, sid, df)
            continue
        cols = ", ".join(schema.TABLES[name].column_names)  # allow-listed identifiers
        con.register("_incoming", pa.Table.from_pandas(df, preserve_index=False))
        try:
            con.execute(
                f"INSERT INTO {name} (snapshot_id, {cols}) SELECT ?, {cols} FROM _incoming",
                [sid],
            )
        finally:
            con.unregister("_incoming")
    if base is not None:
        con.execute(
            "UPDATE snapshots SET counts = ? WHERE snapshot_id = ?",
            [json.dumps(_carry_over(con, base, sid, counts)), sid],
        )
    record_audit(con, "import", w.imported_by, w.source, w.sha256, sid)
    insert_documents(con, list(w.documents), snapshot_id=sid, who=w.imported_by)
    for action, what in w.audit:
        record_audit(con, action, w.imported_by, what, w.sha256, sid)
    return sid


def _carry_over(con: Connection, base: int, sid: int, counts: dict[str, int]) -> dict[str, int]:
    """Copy into snapshot ``sid`` the rows of ``base`` that an update keeps (see
    :func:`commit_snapshot`); returns the new snapshot's counts per table."""
    out = dict(counts)
    # Projects last: a row is kept when its project is not among the new snapshot's,
    # which until then holds the file's projects only.
    for name in sorted(schema.TABLES, key=lambda n: n == "projects"):
        table = schema.TABLES[name]
        cols = ", ".join(table.column_names)  # allow-listed identifiers
        keep = ""
        if "project_id" in table.column_names:
            keep = (
                " AND NOT EXISTS (SELECT 1 FROM projects n WHERE n.snapshot_id = ?"
                f" AND n.project_id = {name}.project_id)"
            )
        params = [sid, base, sid] if keep else [sid, base]
        into, take = cols, cols
        if isinstance(con, postgres.PgConnection):  # after the file's rows, in their order
            into, take = f"{cols}, {postgres.ROW_NO}", f"{cols}, {postgres.ROW_NO} + ?"
            params.insert(1, counts[name])
        copied = con.execute(
            f"INSERT INTO {name} (snapshot_id, {into}) SELECT ?, {take} FROM {name} "
            f"WHERE snapshot_id = ?{keep}{postgres.stored_order(con)}",
            params,
        ).fetchall()
        out[name] += int(copied[0][0]) if copied else 0
    return out


def _canonical(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as :func:`pmo_core.schema.conform` makes it; a frame that already has the
    canonical columns and dtypes (the import's) is used as it is, not copied."""
    t = schema.TABLES[name]
    wanted = [(c.name, schema.PANDAS_DTYPES[c.dtype]) for c in t.columns]
    if list(df.columns) == [c for c, _ in wanted] and all(
        str(df[c].dtype) == d or (d == "string" and isinstance(df[c].dtype, pd.StringDtype))
        for c, d in wanted
    ):
        return df
    return schema.conform(name, df)


def delete_snapshot(
    snapshot_id: int, *, who: str | None = None, path: str | os.PathLike[str] | None = None
) -> None:
    """Delete one snapshot and only it (one transaction)."""

    def work(con: Connection) -> None:
        found = con.execute(
            "SELECT source, sha256 FROM snapshots WHERE snapshot_id = ?", [snapshot_id]
        ).fetchall()
        if not found:
            raise SnapshotNotFound(f"Snapshot {snapshot_id} does not exist.")
        for name in (*schema.TABLES, "snapshot_settings", "snapshots"):
            con.execute(f"DELETE FROM {name} WHERE snapshot_id = ?", [snapshot_id])
        record_audit(con, "delete_snapshot", who, found[0][0], found[0][1], snapshot_id)

    write_transaction(path, work)


def list_snapshots(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every snapshot, newest first: snapshot_id, imported_at, as_of, source, sha256,
    imported_by, currency, counts (dict of table -> rows)."""
    with connect(path) as con:
        df = read_frame(con, "SELECT * FROM snapshots ORDER BY snapshot_id DESC")
    df["counts"] = [json.loads(c) for c in df["counts"]]
    return df


def latest_snapshot_id(path: str | os.PathLike[str] | None = None) -> int | None:
    """The newest snapshot's id, or None when the store is empty."""
    with connect(path) as con:
        rows = con.execute("SELECT max(snapshot_id) FROM snapshots").fetchall()
    return None if rows[0][0] is None else int(rows[0][0])


def snapshots_stamp(path: str | os.PathLike[str] | None = None) -> tuple[int | None, int]:
    """(newest snapshot id, number of snapshots): one cheap query that changes with every
    import and every deletion (ids never come back), the key of the app's snapshot list."""
    with connect(path) as con:
        newest, n = con.execute("SELECT max(snapshot_id), count(*) FROM snapshots").fetchall()[0]
    return (None if newest is None else int(newest)), int(n)


def previous_snapshot_id(
    snapshot_id: int, path: str | os.PathLike[str] | None = None
) -> int | None:
    """The snapshot just before ``snapshot_id``, or None."""
    with connect(path) as con:
        rows = con.execute(
            "SELECT max(snapshot_id) FROM snapshots WHERE snapshot_id < ?", [snapshot_id]
        ).fetchall()
    return None if rows[0][0] is None else int(rows[0][0])


def get_snapshot(
    snapshot_id: int | None = None,
    *,
    tables: tuple[str, ...] | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Snapshot:
    """A snapshot's metadata and settings, with the frames of ``tables`` (all by default;
    ``()`` for none). ``snapshot_id=None`` means the newest."""
    names = tuple(schema.TABLES) if tables is None else tables
    bad = set(names) - set(schema.TABLES)
    if bad:
        raise UsageError(f"Unknown tables: {sorted(bad)}")
    with connect(path) as con:
        if snapshot_id is None:
            rows = con.execute("SELECT max(snapshot_id) FROM snapshots").fetchall()
            if rows[0][0] is None:
                raise SnapshotNotFound("The store holds no snapshot yet: import a workbook.")
            snapshot_id = int(rows[0][0])
        meta = con.execute(
            "SELECT as_of, imported_at, source, currency FROM snapshots WHERE snapshot_id = ?",
            [snapshot_id],
        ).fetchall()
        if not meta:
            raise SnapshotNotFound(f"Snapshot {snapshot_id} does not exist.")
        settings = dict(
            con.execute(
                "SELECT key, value FROM snapshot_settings WHERE snapshot_id = ?", [snapshot_id]
            ).fetchall()
        )
        frames = {name: _load(con, name, snapshot_id) for name in names}
    as_of, imported_at, source, currency = meta[0]
    return Snapshot(snapshot_id, as_of, imported_at, source, currency, settings, frames)


def load_table(
    table: str, snapshot_id: int, path: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """One canonical table of one snapshot (canonical columns and dtypes)."""
    if table not in schema.TABLES:
        raise UsageError(f"Unknown table: {table}")
    with connect(path) as con:
        return _load(con, table, snapshot_id)


def _load(con: Connection, table: str, snapshot_id: int) -> pd.DataFrame:
    cols = ", ".join(schema.TABLES[table].column_names)  # allow-listed identifiers
    sql = f"SELECT {cols} FROM {table} WHERE snapshot_id = ?{postgres.stored_order(con)}"
    return schema.conform(table, read_frame(con, sql, [snapshot_id]))


__all__ = [
    "CHECKPOINT_THRESHOLD",
    "DEFAULT_DB",
    "LOCK_TIMEOUT_S",
    "MIGRATIONS_DIR",
    "ReadOnlyDocument",
    "Snapshot",
    "SnapshotWrite",
    "audit_log",
    "commit_snapshot",
    "commit_snapshots",
    "connect",
    "db_path",
    "delete_document",
    "delete_snapshot",
    "display_name",
    "get_snapshot",
    "latest_snapshot_id",
    "list_documents",
    "list_snapshots",
    "list_weightings",
    "load_table",
    "migrate",
    "previous_snapshot_id",
    "save_document",
    "save_weighting",
    "snapshots_stamp",
]
