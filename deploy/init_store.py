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

    python deploy/init_store.py [--demo-if-empty] [--demo-months N]

Prints one JSON line: the migrations applied and the demo's snapshot ids (or null).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmo_core import store  # noqa: E402
from pmo_core.demo import history  # noqa: E402

DEMO = ROOT / "data" / "demo_portfolio.xlsx"


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
    a = ap.parse_args(argv)
    path = target()
    applied = store.migrate(path)
    seeded = None
    if a.demo_if_empty and store.latest_snapshot_id(path) is None:
        # Checked again under the store's write lock: two inits at once seed it once.
        seeded = (
            history.seed_demo(DEMO, months_back=a.demo_months, path=path, if_empty=True) or None
        )
    print(json.dumps({"migrations_applied": applied, "demo_snapshot_ids": seeded}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
