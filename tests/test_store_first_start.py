"""First start and upgrades with several replicas on one store (issue 20): replicas
seeding an empty store at once give one demo history, and PostgreSQL's row-number
column is a numbered migration (007, PostgreSQL's alone) that recognises the column the
backend used to add by itself, and gives it to a store that never had it.

The PostgreSQL tests take their server from ``PMO_TEST_PG_URL`` (see tests/pgtest.py)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import schema, store
from pmo_core.demo.history import SHORT_HISTORY
from pmo_core.errors import SnapshotNotFound, StoreNeedsUpgrade, UsageError
from pmo_core.store import postgres
from tests.conftest import run_init

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = ROOT / "pmo_core" / "store" / "migrations"


@pytest.fixture(params=["duckdb", "postgresql"])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store of each backend: a DuckDB file not created yet, a new schema."""
    if request.param == "duckdb":
        yield str(tmp_path / "pmo.duckdb")
        return
    yield request.getfixturevalue("pg")


def _projects(ids: list[str]) -> dict[str, pd.DataFrame]:
    return {"projects": pd.DataFrame({"project_id": ids, "name": [f"Projet {i}" for i in ids]})}


def _write(source: str, ids: list[str], base: int | None = None) -> store.SnapshotWrite:
    return store.SnapshotWrite(_projects(ids), source=source, as_of=date(2026, 1, 31), base=base)


# ------------------------------------------------------------------ seeding an empty store


def test_replicas_seeding_at_once_write_one_history(empty_store: str) -> None:
    # Four replicas (threads, each its own connection on PostgreSQL) find the store empty
    # and seed it at the same moment, each a history of two snapshots. The check "empty?"
    # runs again under the write lock: one writes ids [1, 2], three write nothing, and
    # the store holds 2 snapshots (not 8).
    n = 4
    start = threading.Barrier(n)
    answers: list[list[int]] = []
    errors: list[BaseException] = []

    def seed(i: int) -> None:
        try:
            writes = [_write(f"r{i} m1", ["P1"]), _write(f"r{i} m2", ["P1", "P2"])]
            start.wait()
            answers.append(store.commit_snapshots(writes, path=empty_store, if_empty=True))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=seed, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(answers) == [[], [], [], [1, 2]]
    listed = store.list_snapshots(empty_store)
    assert listed["snapshot_id"].tolist() == [2, 1]
    winner = listed["source"].iloc[0].split()[0]  # both snapshots from the same replica
    assert listed["source"].tolist() == [f"{winner} m2", f"{winner} m1"]
    assert [c["projects"] for c in listed["counts"]] == [2, 1]


def test_a_seed_is_one_transaction_all_of_it_or_nothing(empty_store: str) -> None:
    # The second snapshot fails (an update from snapshot #99, which is not the newest:
    # snapshot 1, written just before in the same transaction): the first is not kept.
    with pytest.raises(UsageError, match="#99"):
        store.commit_snapshots(
            [_write("m1", ["P1"]), _write("m2", ["P2"], base=99)], path=empty_store
        )
    assert store.list_snapshots(empty_store).empty
    # A store that holds a snapshot is not seeded again.
    assert store.commit_snapshots([_write("a", ["P1"])], path=empty_store) == [2]  # 1 skipped
    assert store.commit_snapshots([_write("b", ["P1"])], path=empty_store, if_empty=True) == []
    assert store.list_snapshots(empty_store)["source"].tolist() == ["a"]


def test_two_processes_seeding_an_empty_store_at_once_seed_one_demo(empty_store: str) -> None:
    # Two processes (the one-shot init run twice, or two replicas' first start) on an
    # empty store: before, each saw it empty, then each imported the demo (two
    # interleaved histories: 6 snapshots here). Now one imports its SHORT_HISTORY + 1 = 3
    # snapshots, ids 1 to 3, and the other finds them (null).
    env = {k: v for k, v in os.environ.items() if k not in ("PMO_DB_URL", "PMO_DB_PATH")}
    env["PMO_DB_URL" if postgres.is_url(empty_store) else "PMO_DB_PATH"] = empty_store
    env["PMO_LOCK_TIMEOUT"] = "240"  # the loser waits for the whole seed on a busy machine
    # The short history (3 snapshots): the race is the same, the seed 8x shorter.
    procs = [
        run_init(env, "--demo-if-empty", "--demo-months", str(SHORT_HISTORY)) for _ in range(2)
    ]
    seeded = []
    for p in procs:
        out, err = p.communicate(timeout=400)
        assert p.returncode == 0, err
        seeded.append(json.loads(out)["demo_snapshot_ids"])
    expected = list(range(1, SHORT_HISTORY + 2))
    assert sorted(seeded, key=lambda s: s is None) == [expected, None]
    listed = store.list_snapshots(empty_store)
    assert sorted(listed["snapshot_id"]) == expected
    assert listed["imported_by"].unique().tolist() == ["demo seed"]
    assert listed["as_of"].is_unique  # one history: each month once


# ------------------------------------------------------------------ migration 007 (PostgreSQL)


def _columns(url: str, table: str) -> dict[str, str]:
    """A table's columns and whether each may be null (YES/NO), read from the catalogue."""
    with store.connect(url) as con:
        rows = con.execute(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?",
            [table],
        ).fetchall()
    return dict(rows)


def _raw(url: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        cur = con.execute(sql)
        return list(cur.fetchall()) if cur.description else []


def _as_previous_code_left_it(url: str, keep_column: bool) -> None:
    """The store as the code before migrations 007 and 008 left it: 1 to 6 recorded,
    b-tree indexes on snapshot_id, and the row-number column, when kept, as the backend
    added it by itself (may be null)."""
    for table in schema.TABLES:
        if keep_column:
            _raw(url, f"ALTER TABLE {table} ALTER COLUMN {postgres.ROW_NO} DROP NOT NULL")
        else:
            _raw(url, f"ALTER TABLE {table} DROP COLUMN {postgres.ROW_NO}")
        _raw(url, f"DROP INDEX {table}_snapshot")
        _raw(url, f"CREATE INDEX {table}_snapshot ON {table} (snapshot_id)")
    _raw(url, "DELETE FROM migrations WHERE version >= 7")


def _another_process(url: str) -> str:
    """The same store under another URL: a process that has not checked it yet."""
    return f"{url}&application_name=upgraded"


def test_every_canonical_table_has_its_row_number_column_on_postgresql(pg: str) -> None:
    assert store.migrate(pg)[-2:] == [7, 8]
    for table in schema.TABLES:  # a table a later migration adds needs its own
        assert _columns(pg, table).get(postgres.ROW_NO) == "NO", table
    assert store.migrate(pg) == []  # applied once, recorded as the others
    with store.connect(pg) as con:
        names = dict(con.execute("SELECT version, name FROM migrations").fetchall())
    assert names[7] == "007_row_order" and names[4] == "004_id_sequences"
    assert names[8] == "008_brin_snapshot_indexes"


def test_a_postgresql_migration_replaces_only_the_plain_one_of_its_name() -> None:
    # 004 on PostgreSQL replaces the plain 004 (same file name); 007 is PostgreSQL's
    # alone. A plain file given 007's number later would be silently replaced on
    # PostgreSQL: its name differs, and this fails.
    plain = {f.name[:3]: f.name for f in MIGRATIONS.glob("[0-9]*.sql")}
    for f in (MIGRATIONS / "postgresql").glob("[0-9]*.sql"):
        assert plain.get(f.name[:3], f.name) == f.name


def test_duckdb_has_no_migration_007_or_008_and_no_row_number_column(tmp_path: Path) -> None:
    db = tmp_path / "pmo.duckdb"
    store.commit_snapshot(_projects(["P1"]), source="a", as_of=date(2026, 1, 31), path=db)
    plain = sorted(int(f.name[:3]) for f in MIGRATIONS.glob("[0-9]*.sql"))
    assert not {7, 8} & set(plain)
    with store.connect(db) as con:
        versions = sorted(r[0] for r in con.execute("SELECT version FROM migrations").fetchall())
        cols = [r[0] for r in con.execute("DESCRIBE projects").fetchall()]
    assert versions == plain
    assert postgres.ROW_NO not in cols
    assert store.migrate(db) == []


def test_a_store_with_the_old_ad_hoc_column_keeps_its_numbers(pg: str) -> None:
    # Snapshot 1: five projects, numbered 0-4 as written. Snapshot 2: the same five, and
    # P0's number lost (a row written before the column existed). Migration 007 keeps
    # snapshot 1's numbers as they are, and numbers P0 after its snapshot's numbered
    # rows: P1 0, P2 1, P3 2, P4 3, P0 4 (by hand: the numbered rows in their order,
    # then the unnumbered one).
    ids = [f"P{i}" for i in range(5)]
    for source in ("a", "b"):
        store.commit_snapshot(_projects(ids), source=source, as_of=date(2026, 1, 31), path=pg)
    before = store.get_snapshot(1, path=pg).frames
    _as_previous_code_left_it(pg, keep_column=True)
    _raw(
        pg,
        f"UPDATE projects SET {postgres.ROW_NO} = NULL WHERE snapshot_id = 2 AND project_id = 'P0'",
    )
    url = _another_process(pg)
    with pytest.raises(StoreNeedsUpgrade):
        store.list_snapshots(url)
    assert store.migrate(url) == [7, 8]
    numbers = _raw(
        pg, f"SELECT snapshot_id, project_id, {postgres.ROW_NO} FROM projects ORDER BY 1, 3"
    )
    assert numbers == [
        *[(1, f"P{i}", i) for i in range(5)],
        (2, "P1", 0),
        (2, "P2", 1),
        (2, "P3", 2),
        (2, "P4", 3),
        (2, "P0", 4),
    ]
    after = store.get_snapshot(1, path=url).frames
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], check_exact=True)
    assert store.get_snapshot(2, path=url).frames["projects"]["project_id"].tolist() == [
        "P1",
        "P2",
        "P3",
        "P4",
        "P0",
    ]
    assert _columns(url, "projects")[postgres.ROW_NO] == "NO"


def test_a_store_without_the_column_gets_it_and_takes_imports_and_updates(pg: str) -> None:
    # A store written before the column existed: rows in the table's stored order (a
    # fresh table: the order written). 007 adds the column and numbers them 0, 1, 2;
    # then an import and an update (carrying P1, P2 over after the file's P9) work.
    store.commit_snapshot(
        _projects(["P2", "P0", "P1"]), source="a", as_of=date(2026, 1, 31), path=pg
    )
    _as_previous_code_left_it(pg, keep_column=False)
    assert postgres.ROW_NO not in _columns(pg, "projects")
    url = _another_process(pg)
    assert store.migrate(url) == [7, 8]
    for table in schema.TABLES:
        assert _columns(url, table).get(postgres.ROW_NO) == "NO", table
    assert _raw(pg, f"SELECT project_id, {postgres.ROW_NO} FROM projects ORDER BY 2") == [
        ("P2", 0),
        ("P0", 1),
        ("P1", 2),
    ]
    assert store.get_snapshot(1, path=url).frames["projects"]["project_id"].tolist() == [
        "P2",
        "P0",
        "P1",
    ]
    update = _projects(["P9", "P0"])  # P0 replaced, P9 added, P2 and P1 carried over
    sid = store.commit_snapshot(update, source="b", as_of=date(2026, 2, 28), path=url, base=1)
    got = store.get_snapshot(sid, path=url).frames["projects"]["project_id"].tolist()
    assert got == ["P9", "P0", "P2", "P1"]


# ------------------------------------------------------------------ migration 008 (PostgreSQL)


def _brin_indexes(url: str) -> dict[str, str]:
    rows = _raw(
        url,
        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND indexdef LIKE '%USING brin%'",
    )
    return {str(t): str(d) for t, d in rows}


def test_snapshot_reads_stay_right_when_a_deletion_s_space_is_reused(
    pg: str, tmp_path: Path
) -> None:
    # Three snapshots of 3,000 uneven projects, the middle one deleted, its space
    # reclaimed (VACUUM) and filled by the next import: page ranges then hold rows of
    # snapshots 1 and 4 together. Every snapshot still reads back as DuckDB's, and each
    # import left nothing to summarise (0 ranges) behind it.
    duck = tmp_path / "pmo.duckdb"
    store.migrate(pg)
    assert set(_brin_indexes(pg)) == set(schema.TABLES)  # one per canonical table
    for loc in (duck, pg):
        for k in range(3):
            projects = pd.DataFrame(
                {
                    "project_id": [f"P{i:05d}-{k}" for i in range(3000)],
                    "description": ["x" * ((i * 7919 + k) % 1900 + 20) for i in range(3000)],
                }
            )
            store.commit_snapshot(
                {"projects": projects}, source=f"s{k}", as_of=date(2026, 1, 31), path=loc
            )
        store.delete_snapshot(2, path=loc)
    _raw(pg, "VACUUM projects")
    for loc in (duck, pg):
        store.commit_snapshot(
            _projects([f"N{i}" for i in range(2500)]),
            source="new",
            as_of=date(2026, 2, 28),
            path=loc,
        )
    shared = _raw(  # the premise: snapshot 4 reuses pages snapshot 1 lies in
        pg,
        "SELECT count(*) FROM (SELECT (ctid::text::point)[0] AS page FROM projects "
        "GROUP BY 1 HAVING count(DISTINCT snapshot_id) > 1) AS mixed",
    )[0][0]
    assert shared > 0
    left = _raw(
        pg,
        "SELECT sum(brin_summarize_new_values(indexrelid)) FROM pg_index "
        "WHERE indrelid = 'projects'::regclass",
    )[0][0]
    assert left == 0
    for sid in (1, 3, 4):
        a = store.get_snapshot(sid, path=duck).frames
        b = store.get_snapshot(sid, path=pg).frames
        for name in schema.TABLES:
            pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
    with pytest.raises(SnapshotNotFound):
        store.get_snapshot(2, path=pg)


def test_a_user_that_does_not_own_the_tables_still_imports(pg: str) -> None:
    # PostgreSQL lets only an index's owner summarise it: a store whose app user was
    # granted the tables (not their owner) imports all the same; autovacuum summarises.
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    store.migrate(pg)
    role = f"pmo_t_{uuid.uuid4().hex[:10]}"
    schema_name = _raw(pg, "SELECT current_schema()")[0][0]
    _raw(pg, f"CREATE ROLE {role} LOGIN")
    try:
        _raw(pg, f"GRANT USAGE, CREATE ON SCHEMA {schema_name} TO {role}")
        _raw(pg, f"GRANT ALL ON ALL TABLES IN SCHEMA {schema_name} TO {role}")
        _raw(pg, f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema_name} TO {role}")
        parts = urlsplit(pg)
        other = urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rsplit('@', 1)[1]}"))
        sid = store.commit_snapshot(
            _projects(["P1", "P2"]), source="a", as_of=date(2026, 1, 31), path=other
        )
        got = store.get_snapshot(sid, path=other).frames["projects"]["project_id"].tolist()
        assert got == ["P1", "P2"]
    finally:
        postgres.close_pool()
        _raw(pg, f"DROP OWNED BY {role}")
        _raw(pg, f"DROP ROLE {role}")
