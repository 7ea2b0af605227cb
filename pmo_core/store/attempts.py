"""Wrong-password records in the store, so that every process of the app sees the same
lock-outs (:class:`pmo_core.auth.Throttle` keeps its own count too, and holds alone when
the store cannot answer). A record is ``(failures, lockouts, locked_until,
last_failure)`` per key, times in epoch seconds; records quiet for a day (since their
last failure and the end of their last lock-out) are dropped at each write."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

from pmo_core.store.connection import connect, record_audit

#: Seconds to wait for another process's write lock: a sign-in never waits for an import.
TIMEOUT_S = 2.0
FORGET_SECONDS = 24 * 3600.0

Record = tuple[int, int, float, float]


def read_attempts(
    keys: Sequence[str], path: str | os.PathLike[str] | None = None
) -> dict[str, Record]:
    """The stored records of ``keys`` (keys without one are absent)."""
    if not keys:
        return {}
    with connect(path, timeout=TIMEOUT_S) as con:
        marks = ", ".join("?" for _ in keys)
        rows = con.execute(
            "SELECT key, failures, lockouts, locked_until, last_failure "
            f"FROM login_attempts WHERE key IN ({marks})",
            list(keys),
        ).fetchall()
    return {str(r[0]): (int(r[1]), int(r[2]), float(r[3]), float(r[4])) for r in rows}


def list_attempts(path: str | os.PathLike[str] | None = None) -> dict[str, Record]:
    """Every stored record (an administrator's view: ``unlock-sign-in``)."""
    with connect(path, timeout=TIMEOUT_S) as con:
        rows = con.execute(
            "SELECT key, failures, lockouts, locked_until, last_failure FROM login_attempts "
            "ORDER BY key"
        ).fetchall()
    return {str(r[0]): (int(r[1]), int(r[2]), float(r[3]), float(r[4])) for r in rows}


def write_attempts(
    records: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    locked: Mapping[str, float] | None = None,
) -> None:
    """Replace the records of these keys (an ``Attempts`` or a ``Record`` each); each key
    of ``locked`` (a lock-out that starts now, for that many minutes) is written to the
    audit log in the same transaction, the key as "who"."""
    rows = [[k, *astuple(v)] for k, v in records.items()]
    with connect(path, write=True, timeout=TIMEOUT_S) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "DELETE FROM login_attempts WHERE greatest(last_failure, locked_until) < ?",
                [time.time() - FORGET_SECONDS],
            )
            for row in rows:
                con.execute("DELETE FROM login_attempts WHERE key = ?", [row[0]])
                con.execute("INSERT INTO login_attempts VALUES (?, ?, ?, ?, ?)", row)
            for key, minutes in (locked or {}).items():
                record_audit(con, "sign_in_locked", key, f"{minutes:.0f} min")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def clear_attempts(keys: Sequence[str], path: str | os.PathLike[str] | None = None) -> None:
    """Forget the records of ``keys`` (after a right password)."""
    if not keys:
        return
    with connect(path, write=True, timeout=TIMEOUT_S) as con:
        marks = ", ".join("?" for _ in keys)
        con.execute(f"DELETE FROM login_attempts WHERE key IN ({marks})", list(keys))


def astuple(value: Any) -> Record:
    """A record from an ``Attempts`` (its four fields) or a 4-tuple."""
    if isinstance(value, tuple):
        f, n, until, last = value
    else:
        f, n, until, last = value.failures, value.lockouts, value.locked_until, value.last_failure
    return int(f), int(n), float(until), float(last)
