"""The DuckDB store: migrations, atomic snapshot commits, named parameterised queries.

Nobody keeps the store open (DESIGN section 2): every access goes through
:func:`connect`, which opens the file (read-only to read), works and closes it, under a
process-wide lock; another process's lock is waited for with backoff up to a timeout,
then reported as :class:`~pmo_core.errors.StoreBusy`. Values are always bound as
parameters; identifiers come only from the allow-list in :mod:`pmo_core.schema`.

Every write runs in one transaction through :func:`_write` (snapshot commit, deletion,
documents), and records an audit entry in the same transaction.

Examples:
    >>> import tempfile, pathlib
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "x.duckdb"
    >>> list_snapshots(db).empty
    True
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from pmo_core import schema
from pmo_core.errors import SnapshotNotFound, StoreBusy, UsageError

DEFAULT_DB = Path("data/pmo.duckdb")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQL_DIR = Path(__file__).with_name("sql")
LOCK_TIMEOUT_S = float(os.environ.get("PMO_LOCK_TIMEOUT", "30"))

#: WAL size past which a commit checkpoints at once (DuckDB's default is 16 MB).
CHECKPOINT_THRESHOLD = "1MB"

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
    schema, so readers never create files. Writing creates and migrates the file.
    """
    p = db_path(path)
    limit = LOCK_TIMEOUT_S if timeout is None else timeout
    with _LOCK:
        if not write and not p.exists():
            con = duckdb.connect(":memory:")
            try:
                _migrate(con)
                yield con
            finally:
                con.close()
            return
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
                        f"The store {p} is busy (another import or process is writing); "
                        "retry in a moment."
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        try:
            if write:
                _migrate(con)
            yield con
        finally:
            con.close()


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the numbered migrations not yet recorded, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
        "name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM migrations").fetchall()}
    for f in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        version = int(f.name[:3])
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


def _write(
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


def _audit(
    con: duckdb.DuckDBPyConnection,
    action: str,
    who: str | None,
    what: str,
    sha256: str | None = None,
    snapshot_id: int | None = None,
) -> None:
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
        [datetime.now(), who, action, what, sha256, snapshot_id],
    )


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pd.DataFrame:
    """Run a query on a fresh cursor and return a pandas frame (Arrow path: fast)."""
    cur = con.cursor()
    try:
        return cur.sql(sql, params=params).to_arrow_table().to_pandas()
    finally:
        cur.close()


# ---------------------------------------------------------------------------- snapshots


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


def commit_snapshot(
    frames: dict[str, pd.DataFrame],
    *,
    source: str,
    as_of: date,
    sha256: str | None = None,
    settings: dict[str, str] | None = None,
    imported_by: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> int:
    """Write one snapshot (all tables) in one transaction and return its id.

    ``frames`` maps canonical table names to frames with the canonical columns (missing
    tables are stored empty). Nothing is written if any part fails.
    """
    unknown = set(frames) - set(schema.TABLES)
    if unknown:
        raise UsageError(f"Unknown tables: {sorted(unknown)}")
    conformed = {name: _canonical(name, frames[name]) for name in schema.TABLES if name in frames}
    conformed.update({n: schema.empty_frame(n) for n in schema.TABLES if n not in conformed})
    counts = {name: len(df) for name, df in conformed.items()}
    settings = dict(settings or {})
    currency = settings.get("currency") or "EUR"

    def work(con: duckdb.DuckDBPyConnection) -> int:
        # A snapshot is written to the database file once, at COMMIT (a checkpoint, which
        # DuckDB makes atomic), rather than to the WAL and again at close.
        con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        sid = int(
            con.execute("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshots").fetchall()[0][0]
        )
        con.execute(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, datetime.now(), as_of, source, sha256, imported_by, currency, json.dumps(counts)],
        )
        if settings:
            con.executemany(
                "INSERT INTO snapshot_settings VALUES (?, ?, ?)",
                [[sid, k, str(v)] for k, v in settings.items()],
            )
        for name, df in conformed.items():
            if df.empty:
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
        _audit(con, "import", imported_by, source, sha256, sid)
        return sid

    return _write(path, work)


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

    def work(con: duckdb.DuckDBPyConnection) -> None:
        found = con.execute(
            "SELECT source, sha256 FROM snapshots WHERE snapshot_id = ?", [snapshot_id]
        ).fetchall()
        if not found:
            raise SnapshotNotFound(f"Snapshot {snapshot_id} does not exist.")
        for name in (*schema.TABLES, "snapshot_settings", "snapshots"):
            con.execute(f"DELETE FROM {name} WHERE snapshot_id = ?", [snapshot_id])
        _audit(con, "delete_snapshot", who, found[0][0], found[0][1], snapshot_id)

    _write(path, work)


def list_snapshots(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every snapshot, newest first: snapshot_id, imported_at, as_of, source, sha256,
    imported_by, currency, counts (dict of table -> rows)."""
    with connect(path) as con:
        df = _frame(con, "SELECT * FROM snapshots ORDER BY snapshot_id DESC")
    df["counts"] = [json.loads(c) for c in df["counts"]]
    return df


def latest_snapshot_id(path: str | os.PathLike[str] | None = None) -> int | None:
    """The newest snapshot's id, or None when the store is empty."""
    with connect(path) as con:
        rows = con.execute("SELECT max(snapshot_id) FROM snapshots").fetchall()
    return None if rows[0][0] is None else int(rows[0][0])


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


def _load(con: duckdb.DuckDBPyConnection, table: str, snapshot_id: int) -> pd.DataFrame:
    cols = ", ".join(schema.TABLES[table].column_names)  # allow-listed identifiers
    df = _frame(con, f"SELECT {cols} FROM {table} WHERE snapshot_id = ?", [snapshot_id])
    return schema.conform(table, df)


def query(name: str, path: str | os.PathLike[str] | None = None, **params: Any) -> pd.DataFrame:
    """Run the named query ``pmo_core/sql/<name>.sql`` with ``$param`` values bound."""
    f = SQL_DIR / f"{name}.sql"
    if not name.replace("_", "").isalnum() or not f.exists():
        raise UsageError(f"Unknown query: {name}")
    with connect(path) as con:
        return _frame(con, f.read_text(encoding="utf-8"), params or None)


# ---------------------------------------------------------------------------- documents


def save_document(
    kind: str,
    name: str,
    payload: dict[str, Any],
    *,
    who: str | None = None,
    snapshot_id: int | None = None,
    status: str | None = None,
    doc_id: int | None = None,
    path: str | os.PathLike[str] | None = None,
) -> int:
    """Create (or, with ``doc_id``, update) a named JSON document: a mapping profile,
    a weighting, a scenario, a project request. Returns its id; audited."""
    body = json.dumps(payload, default=str, ensure_ascii=False)

    def work(con: duckdb.DuckDBPyConnection) -> int:
        now = datetime.now()
        if doc_id is None:
            new_id = int(
                con.execute("SELECT coalesce(max(doc_id), 0) + 1 FROM documents").fetchall()[0][0]
            )
            con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id, kind, name, snapshot_id, now, who, now, status, body],
            )
        else:
            new_id = doc_id
            n = con.execute(
                "UPDATE documents SET name = ?, payload = ?, status = ?, updated_at = ? "
                "WHERE doc_id = ? AND kind = ? RETURNING doc_id",
                [name, body, status, now, doc_id, kind],
            ).fetchall()
            if not n:
                raise UsageError(f"No {kind} with id {doc_id}.")
        _audit(con, f"save_{kind}", who, name, None, snapshot_id)
        return new_id

    return _write(path, work)


def list_documents(kind: str, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Documents of one kind, newest first; ``payload`` decoded to dicts."""
    with connect(path) as con:
        df = _frame(
            con,
            "SELECT * FROM documents WHERE kind = ? ORDER BY updated_at DESC, doc_id DESC",
            [kind],
        )
    df["payload"] = [json.loads(p) for p in df["payload"]]
    return df


def delete_document(
    kind: str, doc_id: int, *, who: str | None = None, path: str | os.PathLike[str] | None = None
) -> None:
    """Delete one document (audited)."""

    def work(con: duckdb.DuckDBPyConnection) -> None:
        rows = con.execute(
            "DELETE FROM documents WHERE doc_id = ? AND kind = ? RETURNING name", [doc_id, kind]
        ).fetchall()
        if not rows:
            raise UsageError(f"No {kind} with id {doc_id}.")
        _audit(con, f"delete_{kind}", who, rows[0][0])

    _write(path, work)


def audit_log(path: str | os.PathLike[str] | None = None, limit: int = 500) -> pd.DataFrame:
    """The newest audit entries: logged_at, who, action, what, sha256, snapshot_id."""
    with connect(path) as con:
        return _frame(con, "SELECT * FROM audit_log ORDER BY logged_at DESC LIMIT ?", [limit])
