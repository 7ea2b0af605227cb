"""PostgreSQL for the tests: each test's store is a fresh schema of one server's database.

``PMO_TEST_PG_URL`` (e.g. ``postgresql://pmo@127.0.0.1:54329/postgres``) names the
server; the tests parametrised by backend run on it too, and skip it when it is unset,
except under ``PMO_REQUIRE_PG=1`` (CI), where a missing server fails them. A store is
the URL with ``options=-csearch_path=<schema>``: every table, sequence and advisory lock
of the store is that schema's, so tests run side by side on one database.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("PMO_TEST_PG_URL", "")


def require_pg() -> str:
    """The test server's URL; skips the test when there is none (fails under CI)."""
    if not PG_URL:
        if os.environ.get("PMO_REQUIRE_PG") == "1":
            pytest.fail("PMO_REQUIRE_PG=1 but PMO_TEST_PG_URL names no PostgreSQL server")
        pytest.skip("no PostgreSQL server (set PMO_TEST_PG_URL)")
    return PG_URL


def schema_url(base: str, schema: str) -> str:
    """``base`` with its search path set to ``schema``."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}', safe='')}"


def _server(base: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(base, autocommit=True)


def create_schema(base: str) -> tuple[str, str]:
    """A new empty schema: (its name, the store URL)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with _server(base) as con:
        con.execute(f"CREATE SCHEMA {name}")
    return name, schema_url(base, name)


def drop_schema(base: str, name: str) -> None:
    """Drop a test's schema with everything in it (the pool's idle connections first)."""
    from pmo_core.store import postgres

    postgres.close_pool()
    with _server(base) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def clone_schema(base: str, source: str) -> tuple[str, str]:
    """A copy of the store in schema ``source`` (tables, rows, sequences' positions), as
    the DuckDB tests copy a file: (its name, the store URL)."""
    name, url = create_schema(base)
    with _server(base) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                [source],
            ).fetchall()
        ]
        for t in tables:
            con.execute(f"CREATE TABLE {name}.{t} (LIKE {source}.{t} INCLUDING ALL)")
            con.execute(f"INSERT INTO {name}.{t} SELECT * FROM {source}.{t}")
        seqs = con.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s", [source]
        ).fetchall()
        for seq, last in seqs:
            con.execute(f"CREATE SEQUENCE {name}.{seq}")
            if last is not None:
                con.execute("SELECT setval(%s, %s)", [f"{name}.{seq}", last])
    return name, url
