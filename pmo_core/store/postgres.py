"""The PostgreSQL backend of the store (``PMO_DB_URL=postgresql://...``, psycopg 3).

:class:`PgConnection` answers the few calls the store makes on a DuckDB connection, so
that the store's functions run unchanged on both: ``execute(sql, params)`` with ``?``
marks (written ``%s`` for psycopg) and a result whose ``fetchall()`` gives the row count
of a statement that returns no rows, as DuckDB does; ``executemany``. What differs is
here: a frame written with ``COPY`` (:func:`copy_frame`), a query read into the same
Arrow types as DuckDB's, then into pandas the same way (:func:`read_frame`), so a
snapshot's frames, and the KPIs computed from them, are the same on both backends.

Connections are kept open per process (:func:`open_connection`, at most
:data:`POOL_SIZE` idle per URL): a page load makes many small reads. Each read runs in
one ``REPEATABLE READ READ ONLY`` transaction (it sees one state of the store; it never
blocks a write); each write is one transaction, and writes to the snapshots and
documents wait for each other on an advisory lock (:data:`WRITE_LOCK`), not on a file.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pyarrow as pa

SCHEMES = ("postgresql://", "postgres://")

#: The advisory lock every snapshot or document write takes (one writer at a time, as
#: DuckDB's file lock); the migrations take their own.
WRITE_LOCK = 720_2001
MIGRATE_LOCK = 720_2002

#: Idle connections kept per URL and process.
POOL_SIZE = 4
#: Seconds idle after which a pooled connection is checked before use.
CHECK_AFTER_S = 5.0

_POOL: dict[str, list[tuple[Any, float]]] = {}
_POOL_LOCK = threading.Lock()

# PostgreSQL type oids -> the Arrow types DuckDB gives the same SQL types.
_ARROW = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    700: pa.float32(),
    701: pa.float64(),
    1700: pa.float64(),
    25: pa.string(),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
}


def is_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a DuckDB file."""
    return isinstance(location, str) and location.startswith(SCHEMES)


def redacted(url: str) -> str:
    """``url`` without its password, for messages and the CLI's JSON."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _marks(sql: str) -> str:
    """``sql`` with DuckDB's ``?`` marks as psycopg's ``%s`` (and a literal ``%`` doubled);
    marks inside quotes are left alone."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        if ch == "%":
            out.append("%%")
            continue
        out.append(ch)
    return "".join(out)


class _Result:
    """A finished statement: its rows, or ``[(row count,)]`` for one without rows."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def fetchall(self) -> list[Any]:
        try:
            if self._cur.description is None:
                return [(self._cur.rowcount,)]
            return list(self._cur.fetchall())
        finally:
            self._cur.close()


class PgConnection:
    """A psycopg connection (autocommit: the store writes its own ``BEGIN``/``COMMIT``)
    with the calls the store makes on a DuckDB connection."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _Result:
        cur = self.raw.cursor()
        if params is None:
            cur.execute(sql)  # several statements allowed (a migration file)
        else:
            cur.execute(_marks(sql), [_value(v) for v in params])
        return _Result(cur)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(_marks(sql), [[_value(v) for v in r] for r in rows])


def _value(v: Any) -> Any:
    """A bound value as PostgreSQL takes it: NaN and pandas' missing marks are NULL."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


@contextmanager
def open_connection(url: str) -> Iterator[PgConnection]:
    """A connection of the process's pool (a new one when none is idle), given back
    after use when it is idle and healthy, closed otherwise. One idle for more than
    :data:`CHECK_AFTER_S` is checked first (a server restarted meanwhile closed it)."""
    import psycopg

    with _POOL_LOCK:
        idle = _POOL.setdefault(url, [])
        raw, since = idle.pop() if idle else (None, 0.0)
    if raw is not None and (raw.closed or not _alive(raw, since)):
        raw.close()
        raw = None
    if raw is None:
        raw = psycopg.connect(url, autocommit=True)
    healthy = False
    try:
        yield PgConnection(raw)
        healthy = raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    finally:
        if healthy and not raw.closed:
            with _POOL_LOCK:
                idle = _POOL.setdefault(url, [])
                if len(idle) < POOL_SIZE:
                    idle.append((raw, time.monotonic()))
                    raw = None
        if raw is not None:
            raw.close()


def _alive(raw: Any, since: float) -> bool:
    """Whether a pooled connection still answers (checked only after a quiet while)."""
    if time.monotonic() - since < CHECK_AFTER_S:
        return True
    try:
        raw.execute("SELECT 1")
        return True
    except Exception:  # any failure: the connection is dropped and a new one opened
        return False


def close_pool() -> None:
    """Close every idle connection of this process (tests, before dropping a schema)."""
    with _POOL_LOCK:
        conns = [c for idle in _POOL.values() for c, _ in idle]
        _POOL.clear()
    for c in conns:
        c.close()


def read_frame(con: PgConnection, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """A query's rows as the pandas frame DuckDB's Arrow path gives: each column typed
    as DuckDB types the same SQL type, then ``to_pandas`` as there. The rows come as one
    ``COPY ... TO STDOUT`` in CSV, parsed by Arrow (no Python object per value)."""
    import pyarrow.csv as pacsv

    marked, values = _marks(sql), [_value(v) for v in params or []]
    with con.raw.cursor() as cur:
        cur.execute(f"SELECT * FROM ({marked}) AS q LIMIT 0", values)
        desc = cur.description or []
        chunks = _copy_out(con, f"COPY ({marked}) TO STDOUT WITH (FORMAT csv)", values)
    names = [d.name for d in desc]
    types = [_ARROW.get(d.type_code, pa.string()) for d in desc]
    if not names:
        return pd.DataFrame()
    body = b"".join(chunks)
    if not body:
        table = pa.table([pa.array([], type=t) for t in types], names=names)
    else:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(zip(names, types, strict=True)),
                # PostgreSQL writes NULL unquoted and empty, an empty text as "".
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                true_values=["t"],
                false_values=["f"],
            ),
        )
    return table.to_pandas()


def _copy_out(con: PgConnection, sql: str, values: list[Any]) -> list[bytes]:
    """The bytes a ``COPY ... TO STDOUT`` sends, read by libpq in a tight loop: the
    server sends one message per row, and psycopg's own copy iterator costs a Python
    generator step per message (2.6 s for the 260,000 rows of a 2,000-project snapshot)."""
    import psycopg
    from psycopg import pq

    query = psycopg.ClientCursor(con.raw).mogrify(sql, values)  # literals bound client-side
    pgconn = con.raw.pgconn
    pgconn.send_query(query.encode())
    first = pgconn.get_result()
    if first is None or first.status != pq.ExecStatus.COPY_OUT:
        while pgconn.get_result() is not None:
            pass
        message = first.error_message.decode(errors="replace") if first else "no result"
        raise psycopg.DatabaseError(message)
    chunks: list[bytes] = []
    while True:
        n, data = pgconn.get_copy_data(0)  # blocking: a whole row, or -1 at the end
        if n < 0:
            break
        chunks.append(bytes(data))
    error = None
    while (res := pgconn.get_result()) is not None:
        if res.status == pq.ExecStatus.FATAL_ERROR:
            error = res.error_message.decode(errors="replace")
    if error:
        raise psycopg.DatabaseError(error)
    return chunks


#: Rows per chunk of a ``COPY``: the server parses one chunk while Arrow writes the next.
COPY_CHUNK_ROWS = 16_384


def copy_frame(
    con: PgConnection, table: str, columns: list[str], sid: int, df: pd.DataFrame
) -> None:
    """Append ``df`` (canonical columns) to ``table`` as rows of snapshot ``sid`` with one
    ``COPY`` in CSV written by Arrow (missing values NULL, an empty text "", numbers in
    their shortest exact form; dates cut to the day as a DATE column keeps them), each
    row with its place in the frame (:data:`ROW_NO`).

    The CSV goes in chunks of :data:`COPY_CHUNK_ROWS` rows, sent by psycopg's writer
    thread: the server parses and inserts a chunk while Arrow writes the next (on two
    cores, the client's share of the 200,000 allocation rows runs beside the server's)."""
    import numpy as np
    import pyarrow.csv as pacsv
    from psycopg.copy import QueuedLibpqWriter

    data = pa.Table.from_pandas(df[columns], preserve_index=False)  # NaN -> null, as DuckDB
    n = data.num_rows
    cols = [pa.array(np.full(n, sid, dtype=np.int64))]
    for col in data.columns:
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32(), safe=False)  # as DuckDB's TIMESTAMP -> DATE
        cols.append(col)
    cols.append(pa.array(np.arange(n, dtype=np.int64)))  # the rows' order
    whole = pa.table(cols, names=["snapshot_id", *columns, ROW_NO])
    options = pacsv.WriteOptions(include_header=False)
    names = ", ".join(["snapshot_id", *columns, ROW_NO])  # allow-listed identifiers
    with con.raw.cursor() as cur:
        sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)"
        with cur.copy(sql, writer=QueuedLibpqWriter(cur)) as copy:
            for start in range(0, n, COPY_CHUNK_ROWS):
                sink = pa.BufferOutputStream()
                pacsv.write_csv(whole.slice(start, COPY_CHUNK_ROWS), sink, options)
                copy.write(sink.getvalue().to_pybytes())


__all__ = [
    "COPY_CHUNK_ROWS",
    "MIGRATE_LOCK",
    "POOL_SIZE",
    "ROW_NO",
    "SCHEMES",
    "WRITE_LOCK",
    "PgConnection",
    "close_pool",
    "copy_frame",
    "is_url",
    "open_connection",
    "portable",
    "read_frame",
    "redacted",
    "stored_order",
    "summarize_new_rows",
]


#: PostgreSQL's own column of every canonical table (migration 007, PostgreSQL's alone): a
#: row's place in its snapshot, as written. DuckDB keeps insertion order; a PostgreSQL
#: table does not (a ``COPY`` fills free space of earlier pages: row 305 of a 2,000-row
#: sheet came back 143rd).
ROW_NO = "pg_row_no"


def stored_order(con: object) -> str:
    """The ``ORDER BY`` that gives a snapshot's rows in the order they were written, as
    DuckDB gives them: nothing on DuckDB, :data:`ROW_NO` on PostgreSQL."""
    return f" ORDER BY {ROW_NO}" if isinstance(con, PgConnection) else ""


def summarize_new_rows(con: PgConnection, tables: Sequence[str]) -> None:
    """Summarise, in the write's transaction, the pages it added to ``tables``' BRIN
    indexes on snapshot_id (migration 008): a read of another snapshot then skips them at
    once, rather than reading them until autovacuum summarises them (``autosummarize``).
    Only the indexes the store's user owns (PostgreSQL lets only their owner summarise):
    a user that is not the tables' owner leaves it to autovacuum, never failing the
    import for it."""
    con.execute(
        "SELECT brin_summarize_new_values(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
        "WHERE a.amname = 'brin' AND i.indrelid = ANY(?::regclass[]) "
        "AND pg_has_role(c.relowner, 'USAGE')",
        [list(tables)],
    ).fetchall()


def portable(sql: str) -> str:
    """A plain migration's SQL as PostgreSQL reads it: DuckDB's ``DOUBLE`` is
    ``DOUBLE PRECISION`` there (every other type the migrations use has one name)."""
    return re.sub(r"\bDOUBLE\b(?!\s+PRECISION)", "DOUBLE PRECISION", sql, flags=re.IGNORECASE)
