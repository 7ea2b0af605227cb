"""Named JSON documents in the store (mapping profiles, weightings, scenarios, project
requests): :func:`save_document`, :func:`list_documents`, :func:`delete_document`, each
write audited in its transaction, and :func:`audit_log` (who did what, newest first).
A document with an ``origin`` (a scenario imported from Project Server: migration 006) is
read-only: :func:`save_document` does not update it and :func:`delete_document` does not
delete it (:class:`ReadOnlyDocument`); it is written with its snapshot, by
:func:`insert_documents` inside the snapshot's own transaction.
Objective weightings (:class:`pmo_core.kpi.alignment.Weights`) are saved by name with
:func:`save_weighting` and listed with :func:`list_weightings`, so that the KPIs stay
free of the store.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

import pandas as pd

from pmo_core.errors import UsageError
from pmo_core.kpi.alignment import KIND as WEIGHTING
from pmo_core.kpi.alignment import Weights, weighting_document
from pmo_core.store.connection import (
    Connection,
    connect,
    next_id,
    read_frame,
    record_audit,
    write_transaction,
)


class ReadOnlyDocument(UsageError):
    """A document imported with its origin (e.g. Project Server) was to be changed."""


#: ``documents`` columns, in the order :func:`insert_documents` writes them.
COLUMNS = (
    "doc_id",
    "kind",
    "name",
    "snapshot_id",
    "created_at",
    "created_by",
    "updated_at",
    "status",
    "payload",
    "origin",
)


def insert_documents(
    con: Connection,
    documents: list[dict[str, Any]],
    *,
    snapshot_id: int | None,
    who: str | None,
) -> list[int]:
    """Insert documents inside the caller's transaction (the snapshot import's, so that a
    failed import leaves none behind); each dict has ``kind``, ``name``, ``payload`` and
    may have ``status`` and ``origin``. Audited; returns their ids."""
    ids = []
    now = datetime.now()
    for d in documents:
        new_id = next_id(con, "doc_id_seq")
        body = json.dumps(d["payload"], default=str, ensure_ascii=False)
        con.execute(
            f"INSERT INTO documents ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            [
                new_id,
                d["kind"],
                d["name"],
                snapshot_id,
                now,
                who,
                now,
                d.get("status"),
                body,
                d.get("origin"),
            ],
        )
        record_audit(con, f"save_{d['kind']}", who, d["name"], None, snapshot_id)
        ids.append(new_id)
    return ids


def _refuse_read_only(con: Connection, doc_id: int, kind: str) -> None:
    rows = con.execute(
        "SELECT name, origin FROM documents WHERE doc_id = ? AND kind = ?", [doc_id, kind]
    ).fetchall()
    if rows and rows[0][1] is not None:
        raise ReadOnlyDocument(
            f"{rows[0][0]!r} was imported from {rows[0][1]}: it is read-only (save a copy "
            "under another name to change it)."
        )


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

    def work(con: Connection) -> int:
        now = datetime.now()
        if doc_id is None:
            new_id = next_id(con, "doc_id_seq")  # never a deleted document's id again
            con.execute(
                f"INSERT INTO documents ({', '.join(COLUMNS[:-1])}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id, kind, name, snapshot_id, now, who, now, status, body],
            )
        else:
            _refuse_read_only(con, doc_id, kind)
            new_id = doc_id
            n = con.execute(
                "UPDATE documents SET name = ?, payload = ?, status = ?, updated_at = ? "
                "WHERE doc_id = ? AND kind = ? RETURNING doc_id",
                [name, body, status, now, doc_id, kind],
            ).fetchall()
            if not n:
                raise UsageError(f"No {kind} with id {doc_id}.")
        record_audit(con, f"save_{kind}", who, name, None, snapshot_id)
        return new_id

    return write_transaction(path, work)


def list_documents(kind: str, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Documents of one kind, newest first; ``payload`` decoded to dicts."""
    with connect(path) as con:
        df = read_frame(
            con,
            "SELECT * FROM documents WHERE kind = ? ORDER BY updated_at DESC, doc_id DESC",
            [kind],
        )
    df["payload"] = [json.loads(p) for p in df["payload"]]
    return df


def delete_document(
    kind: str, doc_id: int, *, who: str | None = None, path: str | os.PathLike[str] | None = None
) -> None:
    """Delete one document (audited); an imported one (with an origin) is refused."""

    def work(con: Connection) -> None:
        _refuse_read_only(con, doc_id, kind)
        rows = con.execute(
            "DELETE FROM documents WHERE doc_id = ? AND kind = ? RETURNING name", [doc_id, kind]
        ).fetchall()
        if not rows:
            raise UsageError(f"No {kind} with id {doc_id}.")
        record_audit(con, f"delete_{kind}", who, rows[0][0])

    write_transaction(path, work)


def audit_log(path: str | os.PathLike[str] | None = None, limit: int = 500) -> pd.DataFrame:
    """The newest audit entries: logged_at, who, action, what, sha256, snapshot_id."""
    with connect(path) as con:
        return read_frame(con, "SELECT * FROM audit_log ORDER BY logged_at DESC LIMIT ?", [limit])


def save_weighting(
    name: str,
    weights: Weights,
    judgments: pd.DataFrame | None = None,
    *,
    snapshot_id: int | None = None,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> int:
    """Store a named weighting; returns its id (a weighting of the same name is replaced)."""
    old = list_weightings(path)
    same = old.loc[old["name"] == name, "doc_id"]
    return save_document(
        WEIGHTING,
        name,
        weighting_document(weights, judgments),
        who=who,
        snapshot_id=snapshot_id,
        status=weights.method,
        doc_id=int(same.iloc[0]) if len(same) else None,
        path=path,
    )


def list_weightings(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Saved weightings, newest first (doc_id, name, snapshot_id, payload...)."""
    return list_documents(WEIGHTING, path)
