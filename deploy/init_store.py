"""Prepare the store before any app replica starts (docs/deploy.md): apply the
migrations, then, with ``--demo-if-empty``, import the demo portfolio into an empty store.

Run once per deployment start or upgrade, by one process: compose's ``init`` service,
``deploy/plain/start.sh``. The replicas then find the store migrated and not empty, so
their own first-start steps (``ensure_store``, ``ensure_seeded`` in ``ui/loaders.py``)
have nothing to do. Without it, replicas starting together on an empty store are safe
too: the migrations take their own lock, and the seed checks "empty?" again under the
store's write lock, so one of them seeds and the others find its snapshots. The store is the one the app
uses: ``PMO_DB_URL`` (PostgreSQL) when set, else ``PMO_DB_PATH``, else
``data/pmo.duckdb`` of the repository.

    python deploy/init_store.py [--demo-if-empty] [--demo-months N] [--grant-app-role ROLE]

``--grant-app-role ROLE`` (PostgreSQL): then give the existing database role ROLE the
data rights of ``deploy/pg_app_role.sql`` on this store (the least-privileged role the
replicas may use instead of the owner: docs/deploy.md). Prints one JSON line: the
migrations applied, the demo's snapshot ids (or null) and, with the flag, the role
granted (``app_role_granted``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmo_core import store  # noqa: E402
from pmo_core.demo import history  # noqa: E402
from pmo_core.store import postgres  # noqa: E402
from pmo_core.store.postgres import is_url  # noqa: E402

DEMO = ROOT / "data" / "demo_portfolio.xlsx"
APP_ROLE_SQL = ROOT / "deploy" / "pg_app_role.sql"


def _identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier (as psql's ``:"name"`` writes it)."""
    return '"' + name.replace('"', '""') + '"'


def app_role_sql(role: str, schema: str, dbname: str) -> str:
    """``deploy/pg_app_role.sql`` with psql's variables filled in as psql fills them
    (``psql -v app_role=ROLE -v schema=SCHEMA``, ``DBNAME`` the database)."""
    names = {"app_role": role, "schema": schema, "DBNAME": dbname}
    text = APP_ROLE_SQL.read_text(encoding="utf-8")
    return re.sub(r':"(\w+)"', lambda m: _identifier(names[m.group(1)]), text)


def grant_app_role(url: str, role: str) -> None:
    """Run ``deploy/pg_app_role.sql`` for ``role`` on the store ``url`` (its schema and
    database), all of it or nothing (one multi-statement query)."""
    with postgres.open_connection(url) as con:
        schema, dbname = con.execute("SELECT current_schema(), current_database()").fetchall()[0]
        con.execute(app_role_sql(role, schema, dbname))


def target() -> str:
    """The store the app's replicas use (as ``ui.loaders.db`` chooses it)."""
    url = os.environ.get("PMO_DB_URL")
    if url:
        return url
    return str(store.db_path(os.environ.get("PMO_DB_PATH") or ROOT / "data" / "pmo.duckdb"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--demo-if-empty", action="store_true", help="import the demo portfolio if empty"
    )
    ap.add_argument(
        "--demo-months",
        type=int,
        default=history.DEMO_MONTHS,
        help=f"months of demo history before today (default {history.DEMO_MONTHS})",
    )
    ap.add_argument(
        "--grant-app-role",
        metavar="ROLE",
        help="PostgreSQL: give this existing role the app's data rights (deploy/pg_app_role.sql)",
    )
    a = ap.parse_args(argv)
    path = target()
    if a.grant_app_role and not is_url(path):
        ap.error("--grant-app-role needs a PostgreSQL store (PMO_DB_URL)")
    applied = store.migrate(path)
    seeded = None
    if a.demo_if_empty and store.latest_snapshot_id(path) is None:
        # Checked again under the store's write lock: two inits at once seed it once.
        seeded = (
            history.seed_demo(DEMO, months_back=a.demo_months, path=path, if_empty=True) or None
        )
    if a.grant_app_role:
        import psycopg

        try:
            grant_app_role(path, a.grant_app_role)
        except psycopg.Error as exc:  # a role that does not exist, a user not the owner
            reason = str(exc).strip().splitlines()[0]
            print(
                f"error: cannot grant the app's rights to {a.grant_app_role}: {reason}",
                file=sys.stderr,
            )
            return 1
    out: dict[str, object] = {"migrations_applied": applied, "demo_snapshot_ids": seeded}
    if a.grant_app_role:
        out["app_role_granted"] = a.grant_app_role
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
