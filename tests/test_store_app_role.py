"""A PostgreSQL app role with data rights only (deploy/pg_app_role.sql, docs/deploy.md
"A least-privileged app role"): after the owner's init it imports, reads and writes
everything the app writes, with no DDL; a store behind the code gets it a clear error
naming what to run, and the owner migrates.

On a real server only (``PMO_TEST_PG_URL``; skipped without one, failed under
``PMO_REQUIRE_PG=1``). Each test makes a role of its own (roles are the server's, the
tests' schemas are not) and drops it after.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest

from pmo_core import i18n, schema, store
from pmo_core.errors import StoreForbidden, StoreNeedsUpgrade
from pmo_core.store import attempts, connection, postgres
from tests.conftest import run_init

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_portfolio.xlsx"
GRANTS = ROOT / "deploy" / "pg_app_role.sql"


def _as_user(url: str, user: str) -> str:
    """``url`` (trust authentication on the test server) signed in as ``user``."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def _server(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PMO_DB_URL", "PMO_DB_PATH")}
    env["PMO_DB_URL"] = url
    return env


def _init(owner: str, *args: str) -> dict[str, object]:
    proc = run_init(_env(owner), *args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    doc: dict[str, object] = json.loads(out)
    return doc


def _psql_grants(owner: str, role: str) -> None:
    """The file as the docs tell a DBA to run it: psql with its two variables."""
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    with _server(owner) as con:
        schema_name = con.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
    args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"app_role={role}"]
    subprocess.run(
        [psql, owner, *args, "-v", f"schema={schema_name}", "-f", str(GRANTS)],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def roles(pg: str) -> Iterator[tuple[str, str, str]]:
    """(the owner's store URL, a new login role with no right yet, its store URL)."""
    role = f"pmo_app_{uuid.uuid4().hex[:10]}"
    with _server(pg) as con:
        con.execute(f"CREATE ROLE {role} LOGIN")
    yield pg, role, _as_user(pg, role)
    postgres.close_pool()
    with _server(pg) as con:
        con.execute(f"DROP OWNED BY {role}")  # its grants and default privileges
        con.execute(f"DROP ROLE {role}")


def _may(url: str, sql: str) -> bool:
    with _server(url) as con:
        return bool(con.execute(sql).fetchone()[0])  # type: ignore[index]


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_core", *args],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _projects(ids: list[str]) -> dict[str, pd.DataFrame]:
    return {"projects": pd.DataFrame({"project_id": ids, "name": ids, "bac": [10.0] * len(ids)})}


def test_a_data_only_role_imports_reads_and_writes_all_the_app_writes(
    roles: tuple[str, str, str],
) -> None:
    owner, role, app = roles
    assert _init(owner, "--grant-app-role", role)["app_role_granted"] == role
    # The role really is data-only: no CREATE on the schema, owns no table (so the old
    # code's `CREATE TABLE IF NOT EXISTS migrations` at every first write was refused).
    assert not _may(app, "SELECT has_schema_privilege(current_schema(), 'CREATE')")
    assert not _may(app, "SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
    assert not _may(app, "SELECT has_table_privilege('migrations', 'INSERT')")
    assert _may(app, "SELECT has_table_privilege('snapshots', 'INSERT')")

    # The app's first start on an empty store: the demo seeded (one earlier month: 2).
    from pmo_core.demo import history

    assert history.seed_demo(DEMO, months_back=1, path=app, if_empty=True) == [1, 2]
    # A scheduled import with the CLI, as the role: snapshot 3.
    done = _cli(app, "import", str(DEMO), "--json", "--who", "monthly import")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["snapshot_id"] == 3
    # The KPIs read as the role are the owner's, byte for byte.
    mine = _cli(app, "kpis", "--json")
    theirs = _cli(owner, "kpis", "--json")
    assert mine.returncode == 0 and theirs.returncode == 0, (mine.stderr, theirs.stderr)
    assert mine.stdout == theirs.stdout and json.loads(mine.stdout)["snapshot_id"] == 3

    # Documents: a scenario saved, updated, listed and deleted; a request; a weighting.
    sid = store.save_document("scenario", "Plan A", {"keep": ["P1"]}, who="ana", path=app)
    assert store.save_document("scenario", "Plan B", {}, doc_id=sid, who="ana", path=app) == sid
    rid = store.save_document("request", "New CRM", {"bac": 5}, status="draft", path=app)
    assert store.list_documents("scenario", app)["name"].tolist() == ["Plan B"]
    store.delete_document("scenario", sid, who="ana", path=app)
    assert store.list_documents("scenario", app).empty
    assert store.list_documents("request", app)["doc_id"].tolist() == [rid]
    from pmo_core.kpi.alignment import Weights

    w = Weights(pd.Series({"O1": 1.0}), "direct")
    wid = store.save_weighting("Board", w, path=app)
    assert store.save_weighting("Board", w, path=app) == wid  # replaced, not added

    # An update import (rows carried over from snapshot 3, counts updated), then a deletion.
    new = store.commit_snapshot(
        {"projects": schema.empty_frame("projects")}, source="u", as_of=date(2026, 2, 28),
        base=3, path=app,
    )  # fmt: skip
    assert new == 4
    assert store.list_snapshots(app)["counts"][0]["projects"] == len(
        store.load_table("projects", 3, app)
    )
    store.delete_snapshot(4, who="ana", path=app)
    assert store.latest_snapshot_id(app) == 3

    # Wrong passwords: written (a lock-out audited), read, listed, forgotten.
    attempts.write_attempts({"user:ana": (5, 1, 9e9, 100.0)}, app, locked={"user:ana": 15})
    assert attempts.read_attempts(["user:ana"], app) == {"user:ana": (5, 1, 9e9, 100.0)}
    assert list(attempts.list_attempts(app)) == ["user:ana"]
    attempts.clear_attempts(["user:ana"], app)
    assert attempts.list_attempts(app) == {}

    # Every write was audited, as the role, in the owner's audit log.
    actions = set(store.audit_log(owner)["action"])
    assert {"import", "save_scenario", "delete_scenario", "save_request"} <= actions
    assert {"save_weighting", "delete_snapshot", "sign_in_locked"} <= actions
    # And not one migration was applied by the role, nor any object created by it.
    assert not _may(owner, f"SELECT count(*) FROM pg_class WHERE relowner = '{role}'::regrole")


def _later_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A migration this code does not have yet (a later release's): a new table and a new
    sequence; this process's memory of up-to-date stores forgotten. Returns its number."""
    folder = tmp_path / "migrations"
    shutil.copytree(connection.MIGRATIONS_DIR, folder)
    last = max(v for v, _ in connection._migration_files(postgresql=True))
    (folder / f"{last + 1:03d}_later.sql").write_text(
        "CREATE TABLE later_table (k INTEGER); CREATE SEQUENCE later_seq;"
    )
    monkeypatch.setattr(connection, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(connection, "_UP_TO_DATE", set())
    return last + 1


@pytest.mark.parametrize("grant", ["init", "psql"])
def test_a_store_behind_the_code_names_what_to_run_and_the_owner_migrates(
    roles: tuple[str, str, str], grant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, role, app = roles
    _init(owner)
    if grant == "init":
        _init(owner, "--grant-app-role", role)
    else:
        _psql_grants(owner, role)
    assert store.commit_snapshot(_projects(["P1"]), source="a", as_of=date(2026, 1, 31), path=app)
    later = _later_migration(tmp_path, monkeypatch)

    # The role's process starts (the app's ensure_store, every CLI command: migrate) and
    # its first write: the clear error, in both languages, never a permission traceback.
    for attempt in (
        lambda: store.migrate(app),
        lambda: store.commit_snapshot(_projects(["P2"]), source="b", as_of=date(2026, 2, 28), path=app),
    ):  # fmt: skip
        with pytest.raises(StoreNeedsUpgrade) as err:
            attempt()
        e = err.value
        assert e.template == connection.CANNOT_MIGRATE
        assert e.params["versions"] == f"{later:03d}" and e.params["user"] == role
        assert "deploy/init_store.py" in str(e) and role in str(e)
        fr = i18n.t(e.template, "fr", **e.params)
        assert "deploy/init_store.py" in fr and "propriétaire" in fr
        assert isinstance(e.__cause__, __import__("psycopg").errors.InsufficientPrivilege)
    if grant == "init":  # the app's start as the role: one French box, no traceback
        from tests.conftest import run_page

        monkeypatch.setenv("PMO_DB_URL", app)
        at = run_page(None, lang="fr")
        assert not at.exception, at.exception
        boxes = [e.value for e in at.error]
        assert any("propriétaire des tables" in b and f"{later:03d}" in b for b in boxes), boxes
    # Nothing half done: the migration is not recorded, its table not there.
    assert not _may(owner, f"SELECT count(*) FROM migrations WHERE version = {later}")
    assert not _may(owner, "SELECT to_regclass('later_table') IS NOT NULL")

    # The owner migrates (the init of the new release); the role then works again, and
    # has the same rights on the table and sequence that migration created.
    assert store.migrate(owner) == [later]
    assert store.migrate(app) == []
    sid = store.commit_snapshot(_projects(["P2"]), source="b", as_of=date(2026, 2, 28), path=app)
    assert sid == 2 and store.latest_snapshot_id(app) == 2
    with _server(app) as con:
        con.execute("INSERT INTO later_table VALUES (1)")
        assert con.execute("SELECT nextval('later_seq')").fetchone() == (1,)


def test_the_role_on_a_store_nobody_initialised_is_told_to_run_the_init(
    roles: tuple[str, str, str],
) -> None:
    owner, role, app = roles
    with _server(owner) as con:  # data rights, but no table yet: the init never ran
        con.execute(f"GRANT USAGE ON SCHEMA {_schema(owner)} TO {role}")
    for attempt in (lambda: store.latest_snapshot_id(app), lambda: store.migrate(app)):
        with pytest.raises(StoreNeedsUpgrade) as err:
            attempt()
        assert err.value.template == connection.CANNOT_MIGRATE
        assert err.value.params["versions"].startswith("001, 002")
    assert not _may(owner, "SELECT to_regclass('migrations') IS NOT NULL")


def test_a_grant_forgotten_is_named_with_the_file_that_gives_it(
    roles: tuple[str, str, str],
) -> None:
    owner, role, app = roles
    _init(owner)
    schema_name = _schema(owner)

    def refused(attempt: Callable[[], object], reason: str) -> None:
        connection._UP_TO_DATE.discard(app)
        with pytest.raises(StoreForbidden) as err:
            attempt()
        e = err.value
        assert e.template == connection.NO_RIGHTS and e.params["user"] == role
        assert reason in e.params["reason"] and "deploy/pg_app_role.sql" in str(e)
        fr = i18n.t(e.template, "fr", **e.params)
        assert "deploy/pg_app_role.sql" in fr and "propriétaire des tables" in fr

    # Not even USAGE on the schema: the store is not taken for a new one to create.
    refused(lambda: store.latest_snapshot_id(app), "search_path")
    # The schema but no table: the migrations' record is refused (not "needs 001...").
    with _server(owner) as con:
        con.execute(f"GRANT USAGE ON SCHEMA {schema_name} TO {role}")
    refused(lambda: store.latest_snapshot_id(app), "permission denied for table migrations")
    # Read-only (SELECT): reads work, a write is refused at its first id.
    with _server(owner) as con:
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema_name} TO {role}")
    assert store.latest_snapshot_id(app) is None
    write = lambda: store.save_document("scenario", "A", {}, path=app)  # noqa: E731
    refused(write, "permission denied for sequence doc_id_seq")
    assert store.list_documents("scenario", owner).empty


def _schema(url: str) -> str:
    with _server(url) as con:
        return str(con.execute("SELECT current_schema()").fetchone()[0])  # type: ignore[index]


def test_init_refuses_to_grant_on_a_duckdb_store_and_names_a_missing_role(
    pg: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PMO_DB_URL", "PMO_DB_PATH")}
    env["PMO_DB_PATH"] = str(tmp_path / "pmo.duckdb")
    proc = run_init(env, "--grant-app-role", "pmo_app")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "needs a PostgreSQL store" in err
    proc = run_init(_env(pg), "--grant-app-role", "no_such_role_x")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert 'cannot grant the app\'s rights to no_such_role_x: role "no_such_role_x"' in err


def test_the_grants_file_is_the_one_the_docs_point_to() -> None:
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "deploy/pg_app_role.sql" in docs and "--grant-app-role" in docs
    # The statements the docs show are the file's, line for line.
    statements = [
        line for line in GRANTS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("--")
    ]  # fmt: skip
    for line in statements:
        assert line in docs, line
