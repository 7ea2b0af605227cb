"""The store on PostgreSQL (issue 20): the same frames, documents and CLI answers as the
DuckDB file, ids from sequences, writes serialised by the database, reads beside writes.

The tests that need a server take it from ``PMO_TEST_PG_URL`` (``.ci/run`` starts one);
without it they skip, except under ``PMO_REQUIRE_PG=1``, where they fail."""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import schema, store
from pmo_core.errors import StoreBusy
from pmo_core.ingest import pipeline
from pmo_core.store import postgres
from pmo_core.store.connection import write_transaction
from tests import pgtest
from tests.conftest import DEMO

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def both(pg: str, tmp_path: Path) -> tuple[Path, str]:
    """The demo workbook imported into a DuckDB file and into a PostgreSQL store."""
    duck = tmp_path / "pmo.duckdb"
    for loc in (duck, pg):
        pipeline.import_file(DEMO, path=loc)
    return duck, pg


def _edge_frames() -> dict[str, pd.DataFrame]:
    """Rows with every kind of missing value: a NaN budget, an empty name, no end date,
    no mandatory flag, a rating left out, a milestone not reached (NaT); an empty text
    (not missing) and one with quotes, a line break and a percent sign."""
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["Projet 1", None],
            "start_date": ["2026-01-01", "2026-02-15"],
            "end_date": ["2026-12-31", None],
            "budget": [100_000.0, float("nan")],
            "mandatory": [True, None],
            "description": ["", 'Dit "non", puis\nrevient ; 100 %'],
        }
    )
    alignment = pd.DataFrame(
        {"project_id": ["P1", "P2"], "objective_id": ["O1", "O1"], "rating": [3, None]}
    )
    milestones = pd.DataFrame(
        {
            "project_id": ["P1"],
            "milestone_id": ["J1"],
            "baseline_date": ["2026-06-30"],
            "actual_date": [None],
        }
    )
    return {"projects": projects, "alignment": alignment, "milestones": milestones}


def test_a_snapshot_reads_back_as_the_same_frames_on_both_backends(both: tuple[Path, str]) -> None:
    duck, pg = both
    a, b = store.get_snapshot(path=duck), store.get_snapshot(path=pg)
    assert (a.snapshot_id, a.as_of, a.source, a.currency, a.settings) == (
        b.snapshot_id,
        b.as_of,
        b.source,
        b.currency,
        b.settings,
    )
    assert type(a.imported_at) is type(b.imported_at)
    for name in schema.TABLES:
        left, right = a.frames[name], b.frames[name]
        assert dict(left.dtypes) == dict(right.dtypes), name
        pd.testing.assert_frame_equal(left, right, check_exact=True, obj=name)  # same order


def test_missing_values_stay_missing_on_postgresql(store_db: Path) -> None:
    # NaN budget -> NaN (not 0), empty name -> <NA>, no date -> NaT, no flag -> <NA>.
    sid = store.commit_snapshot(_edge_frames(), source="x", as_of=date(2026, 3, 31), path=store_db)
    frames = store.get_snapshot(sid, path=store_db).frames
    p = frames["projects"]
    assert p["budget"].iloc[0] == 100_000.0 and pd.isna(p["budget"].iloc[1])
    assert p["name"].iloc[1] is pd.NA and p["end_date"].iloc[1] is pd.NaT
    assert p["mandatory"].tolist() == [True, pd.NA]
    assert p["start_date"].tolist() == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-15")]
    assert (
        frames["alignment"]["rating"].iloc[0] == 3
        and frames["alignment"]["rating"].iloc[1] is pd.NA
    )
    assert frames["milestones"]["actual_date"].iloc[0] is pd.NaT
    assert p["description"].tolist() == ["", 'Dit "non", puis\nrevient ; 100 %']


def test_edge_rows_read_back_the_same_on_both_backends(pg: str, tmp_path: Path) -> None:
    duck = tmp_path / "pmo.duckdb"
    for loc in (duck, pg):
        store.commit_snapshot(_edge_frames(), source="x", as_of=date(2026, 3, 31), path=loc)
    a, b = store.get_snapshot(path=duck).frames, store.get_snapshot(path=pg).frames
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


def test_the_stores_tables_read_as_the_same_frames_on_both_backends(
    both: tuple[Path, str],
) -> None:
    duck, pg = both
    for loc in both:
        doc = store.save_document("scenario", "Budget 12 M€", {"budget": 12e6}, who="pmo", path=loc)
        store.save_document("weighting", "Égal", {"w": 1}, snapshot_id=1, path=loc)
        store.delete_document("scenario", doc, path=loc)
    for read in (
        store.list_snapshots,
        lambda p: store.list_documents("weighting", p),
        store.audit_log,
    ):
        left, right = read(duck), read(pg)
        assert dict(left.dtypes) == dict(right.dtypes)
        assert left.shape == right.shape
        stamps = [c for c in left.columns if c.endswith("_at")]  # when it ran differs
        pd.testing.assert_frame_equal(left.drop(columns=stamps), right.drop(columns=stamps))


def test_kpis_and_forecast_json_are_byte_identical_on_both_backends(
    pg: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # The CLI in this process (a subprocess per command would cost seconds each): two
    # imports (a history for the forecast), then kpis and forecast printed.
    from pmo_core.cli import main

    duck = tmp_path / "pmo.duckdb"
    out: dict[str, list[str]] = {}
    for loc in (str(duck), pg):
        assert main(["import", str(DEMO), "--as-of", "2026-09-30", "--db", loc]) == 0
        assert main(["import", str(DEMO), "--db", loc]) == 0
        capfd.readouterr()
        assert main(["kpis", "--json", "--db", loc]) == 0
        kpis = capfd.readouterr().out
        assert main(["forecast", "--json", "--iterations", "300", "--seed", "7", "--db", loc]) == 0
        out[loc] = [kpis, capfd.readouterr().out]
    assert out[str(duck)] == out[pg]
    assert json.loads(out[pg][0])["portfolio"]  # a real document, not two empty answers
    assert json.loads(out[pg][1])["snapshot_id"] == 2


def test_a_deleted_snapshots_id_is_never_given_again_on_postgresql(pg: str) -> None:
    frames = _edge_frames()
    first = store.commit_snapshot(frames, source="a", as_of=date(2026, 1, 31), path=pg)
    store.delete_snapshot(first, path=pg)
    second = store.commit_snapshot(frames, source="b", as_of=date(2026, 2, 28), path=pg)
    assert (first, second) == (1, 2)  # max()+1 would have given 1 again


def test_concurrent_imports_are_serialised_by_the_database(pg: str) -> None:
    # Four threads commit at once (each its own connection): four whole snapshots, ids
    # 1..4, each with exactly the rows its counts record.
    frames = _edge_frames()
    ids: list[int] = []
    errors: list[BaseException] = []

    def commit(i: int) -> None:
        try:
            ids.append(
                store.commit_snapshot(frames, source=f"t{i}", as_of=date(2026, 1, 31), path=pg)
            )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(ids) == [1, 2, 3, 4]
    listed = store.list_snapshots(pg)
    for sid, counts in zip(listed["snapshot_id"], listed["counts"], strict=True):
        snap = store.get_snapshot(int(sid), path=pg)
        assert {n: len(f) for n, f in snap.frames.items()} == counts


def test_a_held_write_lock_is_busy_after_the_timeout_and_reads_go_on(pg: str) -> None:
    import psycopg

    store.commit_snapshot(_edge_frames(), source="a", as_of=date(2026, 1, 31), path=pg)
    holder = psycopg.connect(pg)  # another replica in the middle of an import
    try:
        holder.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", [postgres.WRITE_LOCK]
        )
        t0 = time.monotonic()
        with pytest.raises(StoreBusy, match="busy"):
            write_transaction(pg, lambda con: None, timeout=0.3)
        assert time.monotonic() - t0 < 5
        assert store.list_snapshots(pg)["source"].tolist() == ["a"]  # a read does not wait
    finally:
        holder.rollback()
        holder.close()
    sid = store.commit_snapshot(_edge_frames(), source="b", as_of=date(2026, 2, 28), path=pg)
    assert sid == 2  # the lock released, the next write goes through


def test_a_server_that_does_not_answer_is_busy_and_the_message_hides_the_password() -> None:
    # Port 9 (discard) on the loopback: nothing listens there on a test machine.
    url = "postgresql://pmo:s3cret@127.0.0.1:9/pmo?connect_timeout=2"
    with pytest.raises(StoreBusy) as caught:
        store.list_snapshots(url)
    assert "s3cret" not in str(caught.value) and "pmo:***@127.0.0.1:9" in str(caught.value)
    assert store.display_name(url) == "postgresql://pmo:***@127.0.0.1:9/pmo?connect_timeout=2"


def test_pmo_db_url_selects_postgresql_and_a_path_still_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = "postgresql://pmo@db.example/pmo"
    monkeypatch.setenv("PMO_DB_URL", url)
    monkeypatch.setenv("PMO_DB_PATH", str(tmp_path / "ignored.duckdb"))
    assert store.db_path() == url
    assert store.db_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"
    monkeypatch.delenv("PMO_DB_URL")
    assert store.db_path() == tmp_path / "ignored.duckdb"


def test_every_plain_migration_runs_on_postgresql_with_its_types(pg: str) -> None:
    # A plain migration's DOUBLE is DOUBLE PRECISION there; the frames' float columns
    # come back float64 (not object, not Decimal).
    # Every plain migration, and those PostgreSQL has alone (007, the row-number column).
    migrations = ROOT / "pmo_core" / "store" / "migrations"
    shipped = sorted(
        {
            int(f.name[:3])
            for d in (migrations, migrations / "postgresql")
            for f in d.glob("[0-9]*.sql")
        }
    )
    assert shipped[:7] == [1, 2, 3, 4, 5, 6, 7]
    assert store.migrate(pg) == shipped
    assert store.migrate(pg) == []  # once
    with store.connect(pg) as con:
        kinds = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'projects'"
            ).fetchall()
        )
        versions = [
            r[0] for r in con.execute("SELECT version FROM migrations ORDER BY 1").fetchall()
        ]
    assert kinds["budget"] == "double precision" and kinds["end_date"] == "date"
    assert versions == shipped
    assert (
        postgres.portable("x DOUBLE, y DOUBLE PRECISION")
        == "x DOUBLE PRECISION, y DOUBLE PRECISION"
    )


def test_a_replica_sees_a_snapshot_another_replica_imported_at_its_next_load(pg: str) -> None:
    # Two replicas of the app on one PostgreSQL store: two handles (URLs) on the same
    # schema, so that their caches are apart as two processes' are.
    from ui import loaders

    replica_a, replica_b = pg, f"{pg}&application_name=replica_b"
    first = store.commit_snapshot(_edge_frames(), source="a", as_of=date(2026, 1, 31), path=pg)
    assert loaders.snapshots(replica_a)["snapshot_id"].tolist() == [first]
    frames_a = loaders.snapshot(first, replica_a).frames["projects"]
    second = store.commit_snapshot(  # the import, through replica B
        _edge_frames(), source="b", as_of=date(2026, 2, 28), path=replica_b
    )
    loaders.store_stamp.clear(replica_b)  # B's own write refreshes B's list
    assert loaders.snapshots(replica_b)["snapshot_id"].tolist() == [second, first]
    time.sleep(loaders.STAMP_TTL_S + 0.2)  # A's next page load
    # Before: A kept its list (and so its "newest") for 30 s after B's import.
    assert loaders.snapshots(replica_a)["snapshot_id"].tolist() == [second, first]
    assert int(loaders.snapshots(replica_a)["snapshot_id"].max()) == second
    # A snapshot's frames cached by id stay right on every replica (snapshots are immutable).
    pd.testing.assert_frame_equal(loaders.snapshot(first, replica_b).frames["projects"], frames_a)


def _end_the_pooled_connection(pg: str) -> None:
    """End, from the server's side, the connection the store's pool holds for ``pg``
    (what a restart of the server does to every one)."""
    import psycopg

    with store.connect(pg) as con:  # the pool's connection, given back after
        pid = con.execute("SELECT pg_backend_pid()").fetchall()[0][0]
    with psycopg.connect(pgtest.PG_URL, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchall()[0][0]


def test_a_pooled_connection_the_server_dropped_is_replaced(
    pg: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.commit_snapshot(_edge_frames(), source="a", as_of=date(2026, 1, 31), path=pg)
    _end_the_pooled_connection(pg)
    monkeypatch.setattr(postgres, "CHECK_AFTER_S", 1e9)  # never checked: the old pool
    with pytest.raises(StoreBusy, match="does not answer"):
        store.latest_snapshot_id(pg)
    _end_the_pooled_connection(pg)
    monkeypatch.setattr(postgres, "CHECK_AFTER_S", 0.0)  # checked after a quiet while
    assert store.latest_snapshot_id(pg) == 1  # a new connection, not an error


def _uneven_projects(n: int, tag: str = "") -> pd.DataFrame:
    """``n`` projects of uneven sizes (descriptions of 20 to 1,919 characters, in a
    scrambled order): a PostgreSQL table fills earlier pages' free space with later
    rows small enough for it, so its physical order is not the file's."""
    return pd.DataFrame(
        {
            "project_id": [f"P{i:05d}{tag}" for i in range(n)],
            "name": [f"Projet {i}" for i in range(n)],
            "description": ["x" * ((i * 7919) % 1900 + 20) for i in range(n)],
        }
    )


def test_rows_come_back_in_the_files_order_on_both_backends(pg: str, tmp_path: Path) -> None:
    import psycopg

    duck = tmp_path / "pmo.duckdb"
    first = {"projects": _uneven_projects(3000)}
    update = {"projects": _uneven_projects(5, tag="-new")}  # 5 new, 3,000 carried over
    for loc in (duck, pg):
        base = store.commit_snapshot(first, source="a", as_of=date(2026, 1, 31), path=loc)
        store.commit_snapshot(update, source="b", as_of=date(2026, 2, 28), path=loc, base=base)
    with psycopg.connect(pg) as con:  # the premise: the table's own order is not the file's
        physical = [
            r[0]
            for r in con.execute(
                "SELECT project_id FROM projects WHERE snapshot_id = 1 ORDER BY ctid"
            ).fetchall()
        ]
    assert physical != first["projects"]["project_id"].tolist()
    for sid in (1, 2):
        a = store.get_snapshot(sid, path=duck).frames["projects"]
        b = store.get_snapshot(sid, path=pg).frames["projects"]
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    # DuckDB's order: the file's rows, then those carried over, each in its order.
    expected = [*update["projects"]["project_id"], *first["projects"]["project_id"]]
    assert b["project_id"].tolist() == expected


def test_a_copy_sent_in_chunks_keeps_every_row_in_order_on_both_backends(
    pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3,000 uneven projects and the edge rows, sent 7 rows a chunk (3,000 = 428 x 7 + 4:
    # a last chunk of 4), so that chunk boundaries fall everywhere: the same frames as
    # DuckDB's, every row once, in the file's order, pg_row_no 0 to 2,999 without a gap.
    import psycopg

    monkeypatch.setattr(postgres, "COPY_CHUNK_ROWS", 7)
    duck = tmp_path / "pmo.duckdb"
    frames = {**_edge_frames(), "projects": _uneven_projects(3000)}
    edges = _edge_frames()
    for loc in (duck, pg):
        store.commit_snapshot(frames, source="a", as_of=date(2026, 1, 31), path=loc)
        store.commit_snapshot(edges, source="b", as_of=date(2026, 2, 28), path=loc)
    for sid in (1, 2):
        a = store.get_snapshot(sid, path=duck).frames
        b = store.get_snapshot(sid, path=pg).frames
        for name in schema.TABLES:
            pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
    with psycopg.connect(pg) as con:
        numbers = [
            r[0]
            for r in con.execute(
                f"SELECT {postgres.ROW_NO} FROM projects WHERE snapshot_id = 1 ORDER BY 1"
            ).fetchall()
        ]
    assert numbers == list(range(3000))
