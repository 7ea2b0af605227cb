"""The 2,000-project import into PostgreSQL vs into DuckDB (issue 20).

Budget: the PostgreSQL import (read + validate + commit into a new store) <= 1.5x the
DuckDB import, measured side by side (interleaved, median of 5). Also the commit alone
and a whole snapshot read back (``get_snapshot``: what a replica loads once per snapshot).
The server: ``PMO_BENCH_PG_URL``, else ``PMO_TEST_PG_URL`` (each run a fresh schema, dropped
after); without one the section says so and measures nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scale import scale_workbook

from pmo_core import store
from pmo_core.ingest import pipeline
from tests import pgtest

RUNS = 5


def one_import(path: Path, db: str | Path) -> tuple[float, float, float]:
    """(read + validate, commit, whole snapshot read) seconds into the new store ``db``."""
    store.migrate(db)  # the app and the CLI migrate at start: not part of the import
    t0 = time.perf_counter()
    result = pipeline.validate_file(path, path=db)
    t1 = time.perf_counter()
    sid = pipeline.commit_result(result, path=db)
    t2 = time.perf_counter()
    store.get_snapshot(sid, path=db)
    return t1 - t0, t2 - t1, time.perf_counter() - t2


def main() -> None:
    base = os.environ.get("PMO_BENCH_PG_URL") or os.environ.get("PMO_TEST_PG_URL")
    print("## PostgreSQL store (2,000 projects, ~200,000 allocation rows)\n")
    if not base:
        print("No PostgreSQL server (set PMO_BENCH_PG_URL): nothing measured.")
        return
    wb = scale_workbook()
    runs: dict[str, list[tuple[float, float, float]]] = {"duckdb": [], "postgresql": []}
    for _ in range(RUNS):  # interleaved: both see the same machine load
        runs["duckdb"].append(one_import(wb, Path(tempfile.mkdtemp()) / "bench.duckdb"))
        name, url = pgtest.create_schema(base)
        try:
            runs["postgresql"].append(one_import(wb, url))
        finally:
            pgtest.drop_schema(base, name)
    med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
    full = {k: m[0] + m[1] for k, m in med.items()}
    ratios = sorted(
        (p[0] + p[1]) / (d[0] + d[1])
        for d, p in zip(runs["duckdb"], runs["postgresql"], strict=True)
    )
    print(f"| step | DuckDB (s, median of {RUNS}) | PostgreSQL (s) |\n|---|---|---|")
    labels = ("read + validate", "commit (new store)", "whole snapshot read back")
    for i, label in enumerate(labels):
        print(f"| {label} | {med['duckdb'][i]:.2f} | {med['postgresql'][i]:.2f} |")
    print(f"| read + validate + commit | {full['duckdb']:.2f} | {full['postgresql']:.2f} |")
    ratio = full["postgresql"] / full["duckdb"]
    print(
        f"\nRatio PostgreSQL / DuckDB import: {ratio:.2f} (budget <= 1.5; per run "
        f"{ratios[0]:.2f} - {ratios[-1]:.2f})."
    )


if __name__ == "__main__":
    main()
