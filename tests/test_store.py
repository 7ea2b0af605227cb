"""Store: migrations, atomic snapshot commits, deletion, documents, locks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pmo_core import schema, store
from pmo_core.errors import SnapshotNotFound, StoreBusy, UsageError

ROOT = Path(__file__).resolve().parents[1]


def tiny_frames(n: int = 2) -> dict[str, pd.DataFrame]:
    projects = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(1, n + 1)],
            "name": [f"Projet {i}" for i in range(1, n + 1)],
            "status": ["in_progress"] * n,
            "start_date": ["2026-01-01"] * n,
            "end_date": ["2026-12-31"] * n,
            "budget": [100_000.0 * i for i in range(1, n + 1)],
        }
    )
    risks = pd.DataFrame(
        {
            "risk_id": ["R1"],
            "project_id": ["P1"],
            "title": ["Retard"],
            "probability": [0.5],
            "impact": [20_000.0],
        }
    )
    return {"projects": projects, "risks": risks}


@pytest.fixture
def db(store_db: Path) -> Path:
    """An empty store of each backend (DuckDB; PostgreSQL when a server is given)."""
    return store_db


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A DuckDB file: what only the file backend has (files, file locks, a killed writer)."""
    return tmp_path / "pmo.duckdb"


def test_reading_an_absent_store_creates_no_file(db_file: Path) -> None:
    assert store.list_snapshots(db_file).empty
    assert store.latest_snapshot_id(db_file) is None
    assert not db_file.exists()


def test_every_duckdb_connection_of_the_store_draws_no_progress_bar(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB draws a progress bar on stdout for a query over 2 s (on by default in a
    # terminal; pytest's capture may turn it off, so each connection here starts with it
    # on): inside a `--json` output it breaks json.loads. Off for the absent store's
    # in-memory read, a write and a read of the file (before, only in ProjectData's module).
    from pmo_core.store import connection
    from pmo_core.store.connection import connect

    real = duckdb.connect

    def bar_on(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        con = real(*args, **kwargs)  # type: ignore[arg-type]
        con.execute("SET enable_progress_bar = true")
        return con

    monkeypatch.setattr(connection.duckdb, "connect", bar_on)

    setting = "SELECT current_setting('enable_progress_bar')"
    with connect(db_file) as con:  # no file yet: the in-memory read
        assert con.execute(setting).fetchall() == [(False,)]
    assert not db_file.exists()
    with connect(db_file, write=True) as con:
        assert con.execute(setting).fetchall() == [(False,)]
    with connect(db_file) as con:
        assert con.execute(setting).fetchall() == [(False,)]


def test_migrations_are_recorded_once(db: Path) -> None:
    store.commit_snapshot(tiny_frames(), source="a.xlsx", as_of=date(2026, 10, 31), path=db)
    store.commit_snapshot(tiny_frames(), source="b.xlsx", as_of=date(2026, 11, 30), path=db)
    with store.connect(db) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM migrations").fetchall()]
    assert versions == sorted(set(versions))
    assert 1 in versions


def test_every_canonical_table_has_its_columns_in_the_database(db_file: Path) -> None:
    store.commit_snapshot({}, source="empty.xlsx", as_of=date(2026, 1, 1), path=db_file)
    with store.connect(db_file) as con:
        for name, table in schema.TABLES.items():
            cols = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
            assert cols == ["snapshot_id", *table.column_names], name


def test_commit_round_trips_frames_and_metadata(db: Path) -> None:
    sid = store.commit_snapshot(
        tiny_frames(3),
        source="x.xlsx",
        as_of=date(2026, 10, 31),
        sha256="abc",
        settings={"currency": "GBP", "as_of": "2026-10-31"},
        imported_by="pmo",
        path=db,
    )
    snap = store.get_snapshot(path=db)
    assert snap.snapshot_id == sid == 1
    assert snap.as_of == date(2026, 10, 31)
    assert snap.currency == "GBP"
    assert snap.settings["as_of"] == "2026-10-31"
    projects = snap.frames["projects"]
    assert list(projects.columns) == schema.TABLES["projects"].column_names
    assert projects["budget"].tolist() == [100_000.0, 200_000.0, 300_000.0]
    assert str(projects["start_date"].dtype) == "datetime64[ms]"
    listed = store.list_snapshots(db)
    assert listed.loc[0, "counts"]["projects"] == 3
    assert listed.loc[0, "imported_by"] == "pmo"


def test_second_import_leaves_the_first_untouched(db: Path) -> None:
    first = store.commit_snapshot(tiny_frames(2), source="a", as_of=date(2026, 9, 30), path=db)
    before = store.get_snapshot(first, path=db).frames["projects"]
    second = store.commit_snapshot(tiny_frames(5), source="b", as_of=date(2026, 10, 31), path=db)
    assert (first, second) == (1, 2)
    pd.testing.assert_frame_equal(store.get_snapshot(first, path=db).frames["projects"], before)
    assert store.previous_snapshot_id(second, path=db) == first
    assert store.latest_snapshot_id(db) == second


def test_failed_commit_writes_nothing(db: Path) -> None:
    store.commit_snapshot(tiny_frames(), source="good", as_of=date(2026, 9, 30), path=db)
    bad = tiny_frames()
    bad["projects"]["budget"] = ["not a number", "x"]
    with pytest.raises((ValueError, TypeError)):
        store.commit_snapshot(bad, source="bad", as_of=date(2026, 10, 31), path=db)
    assert store.list_snapshots(db)["source"].tolist() == ["good"]
    with pytest.raises(UsageError):
        store.commit_snapshot({"nope": pd.DataFrame()}, source="x", as_of=date.today(), path=db)


def test_delete_removes_only_that_snapshot(db: Path) -> None:
    a = store.commit_snapshot(tiny_frames(2), source="a", as_of=date(2026, 9, 30), path=db)
    b = store.commit_snapshot(tiny_frames(4), source="b", as_of=date(2026, 10, 31), path=db)
    store.delete_snapshot(a, who="pmo", path=db)
    assert store.list_snapshots(db)["snapshot_id"].tolist() == [b]
    assert len(store.get_snapshot(b, path=db).frames["projects"]) == 4
    with pytest.raises(SnapshotNotFound):
        store.get_snapshot(a, path=db)
    with pytest.raises(SnapshotNotFound):
        store.delete_snapshot(a, path=db)
    actions = store.audit_log(db)["action"].tolist()
    assert actions[0] == "delete_snapshot" and actions.count("import") == 2


def test_empty_store_has_no_newest_snapshot(db: Path) -> None:
    with pytest.raises(SnapshotNotFound):
        store.get_snapshot(path=db)


def test_documents_round_trip_and_update(db: Path) -> None:
    doc = store.save_document(
        "scenario",
        "Budget 12 M€",
        {"budget": 12e6, "selected": ["P1"]},
        who="pmo",
        snapshot_id=1,
        path=db,
    )
    store.save_document("weighting", "Direct", {"weights": {"O1": 1}}, path=db)
    store.save_document("scenario", "Budget 10 M€", {"budget": 10e6}, doc_id=doc, path=db)
    scenarios = store.list_documents("scenario", db)
    assert scenarios["name"].tolist() == ["Budget 10 M€"]
    assert scenarios.loc[0, "payload"] == {"budget": 10e6}
    store.delete_document("scenario", doc, path=db)
    assert store.list_documents("scenario", db).empty
    with pytest.raises(UsageError):
        store.delete_document("scenario", doc, path=db)


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(
        f"""
        import duckdb, time, sys
        con = duckdb.connect({str(db)!r})
        print("locked", flush=True)
        time.sleep({seconds})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"locked"
    return proc


def test_another_process_lock_is_reported_busy_after_timeout(db_file: Path) -> None:
    store.commit_snapshot(tiny_frames(), source="a", as_of=date(2026, 9, 30), path=db_file)
    proc = _hold_write_lock(db_file, 30)
    try:
        t0 = time.monotonic()
        with (
            pytest.raises(StoreBusy, match="busy"),
            store.connect(db_file, write=True, timeout=0.5),
        ):
            pass
        assert time.monotonic() - t0 < 5
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_released_within_the_timeout_is_waited_for(db_file: Path) -> None:
    store.commit_snapshot(tiny_frames(), source="a", as_of=date(2026, 9, 30), path=db_file)
    proc = _hold_write_lock(db_file, 1.0)
    try:
        sid = store.commit_snapshot(
            tiny_frames(), source="b", as_of=date(2026, 10, 31), path=db_file
        )
        assert sid == 2
    finally:
        proc.kill()
        proc.wait()


def test_process_killed_mid_commit_leaves_earlier_snapshots_intact(db_file: Path) -> None:
    store.commit_snapshot(tiny_frames(3), source="before", as_of=date(2026, 9, 30), path=db_file)
    kept = store.get_snapshot(1, path=db_file)
    # A child commits a large snapshot and is killed with SIGKILL while it writes.
    code = textwrap.dedent(
        f"""
        import sys, pandas as pd, numpy as np
        sys.path.insert(0, {str(ROOT)!r})
        from datetime import date
        from pmo_core import store
        n = 400_000
        alloc = pd.DataFrame({{"project_id": np.repeat("P1", n), "role": "Dev",
                              "month": pd.Timestamp("2026-01-01"), "hours": np.ones(n)}})
        projects = pd.DataFrame({{"project_id": ["P1"], "name": ["x"]}})
        print("start", flush=True)
        while True:
            store.commit_snapshot({{"projects": projects, "allocations": alloc}},
                                  source="killed", as_of=date(2026, 10, 31), path={str(db_file)!r})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"start"
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    snaps = store.list_snapshots(db_file)
    assert "before" in snaps["source"].tolist()
    before = snaps[snaps["source"] == "before"]["snapshot_id"].iloc[0]
    assert len(store.get_snapshot(int(before), path=db_file).frames["projects"]) == 3
    after = store.get_snapshot(1, path=db_file)  # exactly as it was: metadata and every table
    assert (after.as_of, after.imported_at, after.source, after.settings) == (
        kept.as_of,
        kept.imported_at,
        kept.source,
        kept.settings,
    )
    for name, frame in kept.frames.items():
        pd.testing.assert_frame_equal(after.frames[name], frame)
    # Every snapshot listed is whole: its allocation count matches what it recorded.
    with duckdb.connect(str(db_file), read_only=True) as con:
        for sid, counts in con.execute("SELECT snapshot_id, counts FROM snapshots").fetchall():
            n = con.execute(
                "SELECT count(*) FROM allocations WHERE snapshot_id = ?", [sid]
            ).fetchall()[0][0]
            assert n == pd.read_json(pd.io.common.StringIO(counts), typ="series")["allocations"]
