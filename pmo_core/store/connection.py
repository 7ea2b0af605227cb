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

The store is a DuckDB file by default, or a PostgreSQL database when the location is a
``postgresql://`` URL (``PMO_DB_URL``, or ``--db``): the same functions, migrations and
transactions run on both (:mod:`pmo_core.store.postgres` holds what differs). On
PostgreSQL, writes wait for each other on an advisory lock instead of a file lock, and
reads run beside writes. A store at the code's version runs no DDL: the migrations are
checked with a ``SELECT`` (once per process and store), so a database user with data
rights only (``deploy/pg_app_role.sql``) reads and writes it; one that may not apply a
missing migration gets :class:`StoreNeedsUpgrade` naming what to run as the owner.
"""

from __future__ import annotations

import getpass
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from pmo_core.errors import StoreBusy, StoreForbidden, StoreNeedsUpgrade
from pmo_core.store import postgres
from pmo_core.store.postgres import PgConnection, is_url

DEFAULT_DB = Path("data/pmo.duckdb")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
LOCK_TIMEOUT_S = float(os.environ.get("PMO_LOCK_TIMEOUT", "30"))

_LOCK = threading.RLock()
T = TypeVar("T")

#: A connection of either backend: the store's functions call only what both answer.
Connection = duckdb.DuckDBPyConnection | PgConnection

#: PostgreSQL stores this process found up to date (migrations only go forward).
_UP_TO_DATE: set[str] = set()

BUSY = "The store {path} is busy (another import or process is writing); retry in a moment."
UNREACHABLE = "The database {path} does not answer ({reason}); retry in a moment."
CANNOT_MIGRATE = (
    "The store {path} needs migrations {versions}, which its database user {user} may not "
    "apply (data rights only): run `python deploy/init_store.py` (or `python -m pmo_core "
    "migrate`) with the tables' owner in PMO_DB_URL, then restart the app."
)
NO_RIGHTS = (
    "The store {path} refused its database user {user} ({reason}): as the tables' owner, "
    "grant it the app's rights with deploy/pg_app_role.sql (docs/deploy.md, \"A "
    'least-privileged app role").'
)


def db_path(path: str | os.PathLike[str] | None = None) -> Path | str:
    """The store: ``path`` (a file or a ``postgresql://`` URL), else ``PMO_DB_URL``, else
    ``PMO_DB_PATH``, else ``data/pmo.duckdb``. A URL is returned as it is (a string)."""
    loc = os.fspath(
        path or os.environ.get("PMO_DB_URL") or os.environ.get("PMO_DB_PATH") or DEFAULT_DB
    )
    return loc if is_url(loc) else Path(loc)


def display_name(path: str | os.PathLike[str] | None = None) -> str:
    """The store as a message names it: a file's path, a URL without its password."""
    loc = db_path(path)
    return postgres.redacted(loc) if isinstance(loc, str) else str(loc)


def driver_errors() -> tuple[type[Exception], ...]:
    """The database drivers' own errors (what a caller that must never fail catches)."""
    errors: list[type[Exception]] = [duckdb.Error]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:  # the DuckDB default runs without psycopg
        pass
    return tuple(errors)


def _is_lock_error(exc: Exception) -> bool:
    msg = str(exc)
    return "lock" in msg.lower() or "different configuration" in msg


@contextmanager
def connect(
    path: str | os.PathLike[str] | None = None,
    *,
    write: bool = False,
    timeout: float | None = None,
) -> Iterator[Connection]:
    """Open the store for one unit of work and close it after.

    Reading a store that does not exist yet opens an empty in-memory database with the
    schema, so readers never create files. Writing creates and migrates the file; reading
    a file that misses a migration raises :class:`StoreNeedsUpgrade`. A PostgreSQL store
    (a URL) is the same, except that a database the store never used gets its tables at
    its first access, read or write; a read is one read-only transaction.
    """
    p = db_path(path)
    if isinstance(p, str):
        with _connect_pg(p, write) as pg:
            yield pg
        return
    with _LOCK:
        if not write and not p.exists():
            con = quiet(duckdb.connect(":memory:"))
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
def _connect_pg(url: str, write: bool) -> Iterator[PgConnection]:
    """A pooled PostgreSQL connection for one unit of work (see :func:`connect`)."""
    with _pg_errors(url), postgres.open_connection(url) as con:
        if url not in _UP_TO_DATE:
            # A database never used by the store gets its tables at its first access, as
            # a DuckDB file does at its first write (a read of an absent file reads empty).
            if write or _recorded(con) is None:
                _migrate(con, postgres.redacted(url))
            elif _pending(con):
                raise StoreNeedsUpgrade(
                    "The store {path} needs an upgrade: run `python -m pmo_core migrate` "
                    "(or restart the app, which upgrades it).",
                    path=postgres.redacted(url),
                )
            _UP_TO_DATE.add(url)
        if write:
            yield con
            return
        con.execute("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        con.execute("SET LOCAL max_parallel_workers_per_gather = 0")  # rows in stored order
        try:
            yield con
        finally:
            con.execute("ROLLBACK")


@contextmanager
def _pg_errors(url: str) -> Iterator[None]:
    """A server that does not answer, or the write lock waited for too long, as
    :class:`StoreBusy`; a right the database user lacks (a grant forgotten) as
    :class:`StoreForbidden` (with the URL's password left out)."""
    import psycopg

    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        raise StoreForbidden(
            NO_RIGHTS,
            path=postgres.redacted(url),
            user=urlsplit(url).username or os.environ.get("PGUSER") or getpass.getuser(),
            reason=_first_line(exc),
        ) from exc
    except psycopg.OperationalError as exc:
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            raise StoreBusy(BUSY, path=postgres.redacted(url)) from exc
        reason = _first_line(exc)
        raise StoreBusy(UNREACHABLE, path=postgres.redacted(url), reason=reason) from exc


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` without DuckDB's progress bar, on by default: on a query longer than two
    seconds it prints to the terminal, inside the CLI's ``--json`` output. A session
    setting (DuckDB refuses it in the connect config), so set on each connection."""
    con.execute("SET enable_progress_bar = false")
    return con


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
            con = quiet(duckdb.connect(str(p), read_only=not write))
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(BUSY, path=str(p)) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        yield con
    finally:
        con.close()


def _migration_files(postgresql: bool = False) -> list[tuple[int, Path]]:
    """The numbered migration files, in order (each author adds the next number). On
    PostgreSQL, a file of ``migrations/postgresql/`` with the same number and name
    replaces the plain one (a statement only one engine knows: migration 004's
    sequences), and one with a number no plain file has is PostgreSQL's alone (007: the
    row-number column, which DuckDB does not need)."""
    pattern = "[0-9][0-9][0-9]_*.sql"
    files = {int(f.name[:3]): f for f in MIGRATIONS_DIR.glob(pattern)}
    if postgresql:
        files.update({int(f.name[:3]): f for f in (MIGRATIONS_DIR / "postgresql").glob(pattern)})
    return sorted(files.items())


def _recorded(con: Connection) -> set[int] | None:
    """The migrations the store records, None when it has no migration table (new). On
    PostgreSQL the catalogue is asked, not ``information_schema`` (which hides a table
    from a user without rights on it: a grant forgotten is not a new store)."""
    if isinstance(con, PgConnection):
        schema, has_table = con.execute(
            "SELECT current_schema(), "
            "to_regclass(quote_ident(current_schema()) || '.migrations') IS NOT NULL"
        ).fetchall()[0]
        if schema is None:  # no schema of the search path this user may use
            import psycopg

            raise psycopg.errors.InsufficientPrivilege(
                "no schema of its search_path that it may use (USAGE)"
            )
    else:
        has_table = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'migrations' "
            "AND table_schema = current_schema()"
        ).fetchall()[0][0]
    if not has_table:
        return None
    return {int(r[0]) for r in con.execute("SELECT version FROM migrations").fetchall()}


def _pending(con: Connection) -> list[int]:
    """Versions of this code's migrations the store has not recorded (a store written by
    a newer release may record more: those are not this code's business)."""
    done = _recorded(con) or set()
    pg = isinstance(con, PgConnection)
    return [v for v, _ in _migration_files(pg) if v not in done]


def migrate(path: str | os.PathLike[str] | None = None) -> list[int]:
    """Apply the migrations a store needs through one write connection; returns the
    versions applied (``[]`` when it is up to date or does not exist yet: a store is
    created by its first write, already migrated).

    The check opens the file read-only, so an up-to-date store is not locked for writing.
    """
    p = db_path(path)
    if isinstance(p, str):  # a PostgreSQL database exists before its first write
        with _pg_errors(p), postgres.open_connection(p) as con:
            applied = _migrate(con, postgres.redacted(p))
        _UP_TO_DATE.add(p)
        return applied
    if not p.exists():
        return []
    with _LOCK:
        with _open(p, False, None) as con:
            if not _pending(con):
                return []
        with _open(p, True, None) as con:
            return _migrate(con)


def _migrate(con: Connection, where: str = "") -> list[int]:
    """Apply the numbered migrations not yet recorded, each in its own transaction;
    returns the versions applied. On PostgreSQL, one process at a time (an advisory
    lock: replicas starting together), and the SQL types DuckDB spells alone are
    written PostgreSQL's way (:func:`pmo_core.store.postgres.portable`). A user refused
    a migration's DDL gets :data:`CANNOT_MIGRATE` (the store named ``where``)."""
    if not _pending(con):
        # Nothing to do: SELECTs only, no DDL and no lock, so a database user with data
        # rights only (deploy/pg_app_role.sql) reads and writes a store at this version.
        return []
    if isinstance(con, PgConnection):
        con.execute(
            "SELECT pg_advisory_lock(?, hashtext(current_schema()))", [postgres.MIGRATE_LOCK]
        )
        try:
            return _apply(con)
        except _insufficient_privilege() as exc:
            raise _cannot_migrate(con, where) from exc
        finally:
            con.execute(
                "SELECT pg_advisory_unlock(?, hashtext(current_schema()))", [postgres.MIGRATE_LOCK]
            )
    return _apply(con)


def _insufficient_privilege() -> type[Exception]:
    """PostgreSQL's "permission denied" / "must be owner" (SQLSTATE 42501)."""
    import psycopg

    return psycopg.errors.InsufficientPrivilege


def _cannot_migrate(con: PgConnection, where: str) -> StoreNeedsUpgrade:
    """The error of a database user that may not apply the migrations the store ``where``
    needs: what to run, and as whom (never a permission traceback)."""
    return StoreNeedsUpgrade(
        CANNOT_MIGRATE,
        path=where,
        versions=", ".join(f"{v:03d}" for v in _pending(con)),
        user=con.execute("SELECT current_user").fetchall()[0][0],
    )


def _apply(con: Connection) -> list[int]:
    pg = isinstance(con, PgConnection)
    if _recorded(con) is None:  # a new store (DDL only then: see _migrate)
        con.execute(
            "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
            "name VARCHAR, applied_at TIMESTAMP)"
        )
    done = {r[0] for r in con.execute("SELECT version FROM migrations").fetchall()}
    applied: list[int] = []
    for version, f in _migration_files(pg):
        if version in done:
            continue
        sql = f.read_text(encoding="utf-8")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(postgres.portable(sql) if pg else sql)
            con.execute(
                "INSERT INTO migrations VALUES (?, ?, ?)", [version, f.stem, datetime.now()]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def next_id(con: Connection, sequence: str) -> int:
    """The next id of ``sequence`` (``snapshot_id_seq`` or ``doc_id_seq``, migration 004).

    A sequence never goes back: a deleted snapshot's id is never given again, and an id
    drawn by a write that rolls back is skipped, not reused."""
    if sequence not in ("snapshot_id_seq", "doc_id_seq"):  # allow-listed identifiers
        raise ValueError(f"unknown sequence {sequence!r}")
    return int(con.execute(f"SELECT nextval('{sequence}')").fetchall()[0][0])


def write_transaction(
    path: str | os.PathLike[str] | None,
    work: Callable[[Connection], T],
    timeout: float | None = None,
) -> T:
    """Run ``work`` in one transaction on a read-write connection: all of it or nothing.
    On PostgreSQL the transaction first takes the store's write lock (an advisory lock:
    one writer at a time, waited for up to the timeout, then :class:`StoreBusy`)."""
    with connect(path, write=True, timeout=timeout) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            if isinstance(con, PgConnection):
                limit = LOCK_TIMEOUT_S if timeout is None else timeout
                con.execute(f"SET LOCAL lock_timeout = '{int(limit * 1000)}ms'")
                con.execute(
                    "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))",
                    [postgres.WRITE_LOCK],
                )
                con.execute("SET LOCAL lock_timeout = 0")
            result = work(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return result


def record_audit(
    con: Connection,
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


def read_frame(con: Connection, sql: str, params: Any = None) -> pd.DataFrame:
    """Run a query on a fresh cursor and return a pandas frame (Arrow path: fast; the
    same frame from PostgreSQL, :func:`pmo_core.store.postgres.read_frame`)."""
    if isinstance(con, PgConnection):
        return postgres.read_frame(con, sql, params)
    cur = con.cursor()
    try:
        return cur.sql(sql, params=params).to_arrow_table().to_pandas()
    finally:
        cur.close()
