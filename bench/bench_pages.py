"""Warm reruns of the pages and a weight edit at 2,000 projects (DESIGN section 8, issue 5).

The scale workbook (``demo --projects 2000``: 200,000 allocation rows) is imported into a
temporary store; each page runs once in AppTest (cold: caches filled), then is rerun after
a widget change, alternating between two values so that every timed run is a real change.
Pages without a widget of their own (Overview, Risks) are timed on a plain rerun, as when
the sidebar changes nothing they read. Budget: 0.5 s per warm rerun. A weight edit
re-ranking 2,000 projects (``alignment.pairwise_weights`` + ``alignment_scores`` + sort)
has a 0.2 s budget.

    .venv/bin/python bench/bench_pages.py [--runs 5] [--profile PAGE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scale import scale_workbook  # noqa: E402

PAGE_BUDGET_S = 0.5
EDIT_BUDGET_S = 0.2


def _changes(page: str, at) -> list[Callable[[], object]]:  # type: ignore[no-untyped-def]
    """Two widget changes that undo each other (None: a plain rerun)."""
    if page == "projects":
        box = lambda: at.selectbox(key="projects_detail")  # noqa: E731
        if len(box().options) < 2:
            return []
        return [
            lambda: box().set_value(box().options[1]),
            lambda: box().set_value(box().options[0]),
        ]
    if page == "roadmap":
        ms = lambda: at.multiselect(key="roadmap_status")  # noqa: E731
        extra = [o for o in ms().options if o not in ms().value][:1]
        return [lambda: ms().select(extra[0]), lambda: ms().unselect(extra[0])] if extra else []
    if page == "alignment":
        n = lambda: at.number_input(key="alignment_top")  # noqa: E731
        return [lambda: n().set_value(30), lambda: n().set_value(25)]
    if page == "capacity":
        import pandas as pd

        s = lambda: at.select_slider(key="capacity_horizon")  # noqa: E731
        first, last = s().value
        year = first + pd.DateOffset(months=11)
        return [lambda: s().set_range(first, year), lambda: s().set_range(first, last)]
    return []


def time_page(page: str, runs: int) -> tuple[float, float, str]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    at.query_params["lang"] = "fr"
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    changes = _changes(page, at)
    how = "widget change" if changes else "plain rerun"
    at.run()  # the first rerun fills what the cold run only registered
    times = []
    for i in range(runs):
        if changes:
            changes[i % len(changes)]()
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return cold, statistics.median(times), how


def time_weight_edit(db: str, runs: int = 20) -> tuple[float, int]:
    import numpy as np

    from pmo_core import store
    from pmo_core.kpi import alignment

    f = store.get_snapshot(path=db).frames
    ids = list(f["objectives"]["objective_id"])
    base = alignment.pairwise_matrix(f["objectives"], f["pairwise"])
    times = []
    for i in range(runs):
        edited = base.copy()
        edited.iloc[0, 1] = [1, 3, 6, 9, 1 / 3][i % 5]  # one judgment edited
        t0 = time.perf_counter()
        w = alignment.pairwise_weights(ids, alignment.judgments_from_matrix(edited, base))
        s = alignment.alignment_scores(f["alignment"], w.weights, f["projects"])
        s.sort_values("alignment_score", ascending=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), int(np.isfinite(s["alignment_score"]).sum())


def profile_page(page: str, runs: int) -> None:
    """cProfile of the page's warm reruns: the script runs in its own thread, so the
    profiler is switched on inside ScriptRunner._run_script (cold run excluded)."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    prof = cProfile.Profile()
    original = ScriptRunner._run_script
    seen = {"runs": 0}

    def profiled(self, rerun_data):  # type: ignore[no-untyped-def]
        seen["runs"] += 1
        if seen["runs"] <= 2:  # the cold run and the first rerun
            return original(self, rerun_data)
        prof.enable()
        try:
            return original(self, rerun_data)
        finally:
            prof.disable()

    ScriptRunner._run_script = profiled  # type: ignore[method-assign]
    try:
        time_page(page, runs)
    finally:
        ScriptRunner._run_script = original  # type: ignore[method-assign]
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", help="profile the warm reruns of one page (cProfile, top 30)")
    ap.add_argument("--pages", nargs="*", help="only these pages (default: the six)")
    a = ap.parse_args()
    from pmo_core.ingest import pipeline

    tmp = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    db = tmp / "pmo.duckdb"
    t0 = time.perf_counter()
    pipeline.import_file(scale_workbook(), path=db)
    imported = time.perf_counter() - t0
    os.environ["PMO_DB_PATH"] = str(db)
    if a.profile:
        profile_page(a.profile, a.runs)
        return 0
    pages = a.pages or ["overview", "projects", "roadmap", "risks", "alignment", "capacity"]
    rows = []
    for page in pages:
        cold, warm, how = time_page(page, a.runs)
        ok = "ok" if warm <= PAGE_BUDGET_S else "MISSED"
        rows.append(f"| {page} | {how} | {cold:.2f} | {warm:.3f} | <= {PAGE_BUDGET_S} {ok} |")
    edit, ranked = time_weight_edit(str(db))
    ok = "ok" if edit <= EDIT_BUDGET_S else "MISSED"
    load = os.getloadavg()[0]
    print("## Pages at 2,000 projects (AppTest)\n")
    print(
        f"Scale workbook imported into a temporary store in {imported:.1f} s; each page run "
        f"once cold, then {a.runs} warm reruns (median), language fr; load average at the "
        f"end {load:.1f} on {os.cpu_count()} cores.\n"
    )
    print("| page | rerun after | cold s | warm s (median) | budget |\n|---|---|---|---|---|")
    print("\n".join(rows))
    print(
        f"| weight edit: one judgment, AHP weights, {ranked:,} projects re-ranked | | "
        f"| {edit:.3f} | <= {EDIT_BUDGET_S} {ok} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
