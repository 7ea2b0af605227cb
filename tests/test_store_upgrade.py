"""Store upgrades and ids: a store made by the previous release is refused for reading
until migrated, then migrated by the app's start, the CLI or ``migrate``, and read whole;
snapshot and document ids never come back after a deletion (issue 16, item 3)."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import i18n, schema, store
from pmo_core.errors import PmoError, StoreNeedsUpgrade
from pmo_core.store import connection

ROOT = Path(__file__).resolve().parents[1]
OLD_STORE = ROOT / "tests" / "data" / "store_release_be8495b.duckdb.gz"
# What the old store holds per snapshot (tests/data/README.md says how it was made).
OLD_COUNTS = {
    "projects": 5,
    "objectives": 8,
    "pairwise": 28,
    "alignment": 40,
    "resources": 120,
    "capacity": 24,
    "allocations": 228,
    "milestones": 18,
    "risks": 12,
    "status_reports": 12,
    "baseline": 0,
    "priorities": 0,  # migration 006: a table the old release did not have
}


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    """A private copy of the store written by the release before migration 004."""
    db = tmp_path / "old.duckdb"
    with gzip.open(OLD_STORE, "rb") as src, db.open("wb") as out:
        shutil.copyfileobj(src, out)
    return db


def tiny(n: int = 1) -> dict[str, pd.DataFrame]:
    return {"projects": pd.DataFrame({"project_id": [f"P{i}" for i in range(n)], "name": "x"})}


def _recorded(db: Path) -> list[int]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(r[0] for r in con.execute("SELECT version FROM migrations").fetchall())


def test_reading_an_older_store_asks_for_an_upgrade_in_both_languages(old_db: Path) -> None:
    # Before: a BinderException traceback on the first query that met a new column.
    with pytest.raises(StoreNeedsUpgrade, match=r"python -m pmo_core migrate") as info:
        store.list_snapshots(old_db)
    assert isinstance(info.value, PmoError)
    fr = i18n.t(info.value.template, "fr", **info.value.params)
    assert fr.startswith(f"La base {old_db} doit être mise à niveau")
    assert _recorded(old_db) == [1, 2, 3]  # a read never writes


def test_upgrading_the_previous_release_reads_every_table(old_db: Path) -> None:
    applied = store.migrate(old_db)
    assert applied[0] == 4 and applied == sorted(applied)  # 004 and any later one
    assert store.migrate(old_db) == []  # up to date: nothing more
    snaps = store.list_snapshots(old_db)
    assert snaps["snapshot_id"].tolist() == [2, 1]
    assert snaps["as_of"].tolist() == [date(2026, 10, 31), date(2026, 9, 30)]
    for sid in (1, 2):
        snap = store.get_snapshot(sid, path=old_db)
        assert set(snap.frames) == set(schema.TABLES)
        assert {k: len(v) for k, v in snap.frames.items()} == OLD_COUNTS
        assert snap.frames["projects"]["project_id"].notna().all()
    profiles = store.list_documents("mapping_profile", old_db)
    assert profiles["name"].tolist() == ["profil A"]
    log = store.audit_log(old_db)
    assert sorted(log["action"]) == [
        "delete_snapshot",
        "import",
        "import",
        "import",
        "save_mapping_profile",
    ]


def test_an_upgraded_store_never_gives_a_deleted_snapshot_id_again(old_db: Path) -> None:
    # The old release deleted #3 (the audit log names it), leaving 1 and 2: max()+1 would
    # give 3 again; the sequence starts above every id the store recorded, so 4.
    store.migrate(old_db)
    assert store.commit_snapshot(tiny(), source="new", as_of=date(2026, 12, 31), path=old_db) == 4
    # Its documents continue after doc 1 too.
    assert store.save_document("mapping_profile", "B", {}, path=old_db) == 2


def test_a_deleted_snapshot_id_is_never_given_again(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ids = [store.commit_snapshot(tiny(), source=s, as_of=date(2026, 1, 31), path=db) for s in "abc"]
    assert ids == [1, 2, 3]
    store.delete_snapshot(3, path=db)
    # max()+1 was 3 again: a ?snapshot=3 link or a scenario on #3 would show other data.
    assert store.commit_snapshot(tiny(), source="d", as_of=date(2026, 2, 28), path=db) == 4
    store.delete_snapshot(4, path=db)
    store.delete_snapshot(2, path=db)
    assert store.commit_snapshot(tiny(), source="e", as_of=date(2026, 3, 31), path=db) == 5
    assert store.list_snapshots(db)["snapshot_id"].tolist() == [5, 1]


def test_a_deleted_document_id_is_never_given_again(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    first = store.save_document("scenario", "A", {"x": 1}, path=db)
    second = store.save_document("scenario", "B", {"x": 2}, path=db)
    assert (first, second) == (1, 2)
    store.delete_document("scenario", 2, path=db)
    assert store.save_document("scenario", "C", {"x": 3}, path=db) == 3


def test_a_failed_commit_skips_its_id_rather_than_reusing_it(tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    store.commit_snapshot(tiny(), source="a", as_of=date(2026, 1, 31), path=db)
    bad = {"projects": pd.DataFrame({"project_id": ["P1"], "budget": ["not a number"]})}
    with pytest.raises(Exception):  # noqa: B017 - whatever the conversion raises
        store.commit_snapshot(bad, source="bad", as_of=date(2026, 2, 28), path=db)
    sid = store.commit_snapshot(tiny(), source="b", as_of=date(2026, 2, 28), path=db)
    assert sid >= 2 and store.list_snapshots(db)["snapshot_id"].tolist() == [sid, 1]


def test_a_store_from_a_newer_release_is_read(tmp_path: Path) -> None:
    # A later release records a migration this code does not know: not this code's business.
    db = tmp_path / "n.duckdb"
    store.commit_snapshot(tiny(), source="a", as_of=date(2026, 1, 31), path=db)
    with store.connect(db, write=True) as con:
        con.execute("INSERT INTO migrations VALUES (999, '999_future', now())")
    assert store.list_snapshots(db)["snapshot_id"].tolist() == [1]


def test_a_migration_added_later_is_applied_by_migrate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another branch adds 005_*.sql: a store at 004 needs it, reads refuse, migrate applies it.
    db = tmp_path / "m.duckdb"
    store.commit_snapshot(tiny(), source="a", as_of=date(2026, 1, 31), path=db)
    folder = tmp_path / "migrations"
    shutil.copytree(connection.MIGRATIONS_DIR, folder)
    last = max(int(f.name[:3]) for f in folder.glob("[0-9][0-9][0-9]_*.sql"))
    (folder / f"{last + 1:03d}_later.sql").write_text("CREATE TABLE later_table (k INTEGER);")
    monkeypatch.setattr(connection, "MIGRATIONS_DIR", folder)
    with pytest.raises(StoreNeedsUpgrade):
        store.latest_snapshot_id(db)
    assert store.migrate(db) == [last + 1]
    assert store.latest_snapshot_id(db) == 1


def _cli(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "pmo_core", *args, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    doc: dict[str, object] = json.loads(out.stdout)
    return doc


def test_every_cli_command_upgrades_the_store_first(old_db: Path) -> None:
    # `snapshots` on the old store: upgraded by the CLI before it reads (it failed before).
    doc = _cli("snapshots", "--db", str(old_db))
    assert [s["snapshot_id"] for s in doc["snapshots"]] == [2, 1]  # type: ignore[attr-defined]
    assert 4 in _recorded(old_db)
    assert _cli("migrate", "--db", str(old_db))["applied"] == []


def test_cli_migrate_reports_what_it_applied(old_db: Path) -> None:
    doc = _cli("migrate", "--db", str(old_db))
    applied = doc["applied"]
    assert isinstance(applied, list) and applied[0] == 4
    assert doc["ok"] is True


def test_the_app_upgrades_an_older_store_at_start(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import run_page

    monkeypatch.setenv("PMO_DB_PATH", str(old_db))
    at = run_page(None, lang="fr")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert 4 in _recorded(old_db)


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(
        f"""
        import duckdb, time
        con = duckdb.connect({str(db)!r})
        print("locked", flush=True)
        time.sleep({seconds})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"locked"
    return proc


@pytest.mark.parametrize("lang,words", [("fr", "est occupée"), ("en", "is busy")])
def test_a_busy_store_is_an_error_box_in_the_users_language(
    app_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    # Before: StoreBusy escaped as a traceback on Overview and What-if.
    from tests.conftest import run_page

    monkeypatch.setattr(connection, "LOCK_TIMEOUT_S", 0.3)
    proc = _hold_write_lock(app_db, 60)
    try:
        t0 = time.monotonic()
        at = run_page(None, lang=lang)
        assert time.monotonic() - t0 < 30
    finally:
        proc.kill()
        proc.wait()
    assert not at.exception, at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
