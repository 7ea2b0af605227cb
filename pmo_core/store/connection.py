"""Opening the DuckDB store: :func:`connect` opens the file for one unit of work (read-only
to read; a store that does not exist yet reads as an empty in-memory database) under a
process-wide lock, waits for another process's lock with backoff up to
:data:`LOCK_TIMEOUT_S`, then raises :class:`~pmo_core.errors.StoreBusy`; a write
connection applies the numbered migrations first, and a read of a store that still needs
one raises :class:`~pmo_core.errors.StoreNeedsUpgrade` (never a ``BinderException``
halfway through a page): :func:`migrate` applies them through one write connection, at
the app's start and before every CLI command (``python -m pmo_core migrate`` too).
:func:`write_transaction` runs a write in one transaction (all or nothing),
:func:`record_audit` adds its audit entry in that transaction, :func:`read_frame` runs a
query into a pandas frame, :func:`next_id` draws an id from a sequence that never goes
back (migration 004).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from pmo_core.errors import StoreBusy, StoreNeedsUpgrade

DEFAULT_DB = Path("data/pmo.duckdb")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
LOCK_TIMEOUT_S = float(os.environ.get("PMO_LOCK_TIMEOUT", "30"))

_LOCK = threading.RLock()
T = TypeVar("T")


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store's file: ``path``, else ``PMO_DB_PATH``, else ``data/pmo.duckdb``."""
    return Path(path or os.environ.get("PMO_DB_PATH") or DEFAULT_DB)


def _is_lock_error(exc: Exception) -> bool:
    msg = str(exc)
    return "lock" in msg.lower() or "different configuration" in msg


@contextmanager
def connect(
    path: str | os.PathLike[str] | None = None,
    *,
    write: bool = False,
    timeout: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for one unit of work and close it after.

    Reading a store that does not exist yet opens an empty in-memory database with the
    schema, so readers never create files. Writing creates and migrates the file; reading
    a file that misses a migration raises :class:`StoreNeedsUpgrade`.
    """
    p = db_path(path)
    with _LOCK:
        if not write and not p.exists():
            con = duckdb.connect(":memory:")
            try:
                _migrate(con)
                yield con
            finally:
                con.close()
            return
        with _open(p, write, timeout) as con:
            if write:
                _migrate(con)
            elif _pending(con):
                raise StoreNeedsUpgrade(
                    "The store {path} needs an upgrade: run `python -m pmo_core migrate` "
                    "(or restart the app, which upgrades it).",
                    path=str(p),
                )
            yield con


@contextmanager
def _open(p: Path, write: bool, timeout: float | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The file opened (read-only unless ``write``), another process's lock waited for
    with backoff up to the timeout, then :class:`StoreBusy`."""
    limit = LOCK_TIMEOUT_S if timeout is None else timeout
    if write:
        p.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + limit
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(p), read_only=not write)
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    "The store {path} is busy (another import or process is writing); "
                    "retry in a moment.",
                    path=str(p),
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        yield con
    finally:
        con.close()


def _migration_files() -> list[tuple[int, Path]]:
    """The numbered migration files, in order (each author adds the next number)."""
    return sorted((int(f.name[:3]), f) for f in MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def _pending(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions of this code's migrations the store has not recorded (a store written by
    a newer release may record more: those are not this code's business)."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'migrations'"
    ).fetchall()[0][0]
    done: set[int] = set()
    if has_table:
        done = {int(r[0]) for r in con.execute("SELECT version FROM migrations").fetchall()}
    return [v for v, _ in _migration_files() if v not in done]


def migrate(path: str | os.PathLike[str] | None = None) -> list[int]:
    """Apply the migrations a store needs through one write connection; returns the
    versions applied (``[]`` when it is up to date or does not exist yet: a store is
    created by its first write, already migrated).

    The check opens the file read-only, so an up-to-date store is not locked for writing.
    """
    p = db_path(path)
    if not p.exists():
        return []
    with _LOCK:
        with _open(p, False, None) as con:
            if not _pending(con):
                return []
        with _open(p, True, None) as con:
            return _migrate(con)


def _migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the numbered migrations not yet recorded, each in its own transaction;
    returns the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
        "name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM migrations").fetchall()}
    applied: list[int] = []
    for version, f in _migration_files():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO migrations VALUES (?, ?, ?)", [version, f.stem, datetime.now()]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def next_id(con: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """The next id of ``sequence`` (``snapshot_id_seq`` or ``doc_id_seq``, migration 004).

    A sequence never goes back: a deleted snapshot's id is never given again, and an id
    drawn by a write that rolls back is skipped, not reused."""
    if sequence not in ("snapshot_id_seq", "doc_id_seq"):  # allow-listed identifiers
        raise ValueError(f"unknown sequence {sequence!r}")
    return int(con.execute(f"SELECT nextval('{sequence}')").fetchall()[0][0])


def write_transaction(
    path: str | os.PathLike[str] | None, work: Callable[[duckdb.DuckDBPyConnection], T]
) -> T:
    """Run ``work`` in one transaction on a read-write connection: all of it or nothing."""
    with connect(path, write=True) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            result = work(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return result


def record_audit(
    con: duckdb.DuckDBPyConnection,
    action: str,
    who: str | None,
    what: str,
    sha256: str | None = None,
    snapshot_id: int | None = None,
) -> None:
    """Add one audit entry on ``con`` (inside the write's transaction)."""
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
        [datetime.now(), who, action, what, sha256, snapshot_id],
    )


def read_frame(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pd.DataFrame:
    """Run a query on a fresh cursor and return a pandas frame (Arrow path: fast)."""
    cur = con.cursor()
    try:
        return cur.sql(sql, params=params).to_arrow_table().to_pandas()
    finally:
        cur.close()
