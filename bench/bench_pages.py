"""Warm reruns of the pages and a weight edit at 2,000 projects (DESIGN section 8, issue 5).

The scale workbook (``demo --projects 2000``: 200,000 allocation rows) is imported into a
temporary store; each page runs once in AppTest (cold: caches filled), then is rerun after
a widget change, alternating between two values so that every timed run is a real change.
Pages without a widget of their own (Overview, Risks) are timed on a plain rerun, as when
the sidebar changes nothing they read. Budget: 0.5 s per warm rerun. A weight edit
re-ranking 2,000 projects (``alignment.pairwise_weights`` + ``alignment_scores`` + sort)
has a 0.2 s budget.

``--loop``: the load test's viewer loop (issue 20) through the whole app instead, on the
demo portfolio as the app seeds it and on the scale workbook, on DuckDB and, with
``PMO_BENCH_PG_URL``, on PostgreSQL: each page's warm server time, wall and CPU.

    .venv/bin/python bench/bench_pages.py [--runs 5] [--profile PAGE] [--loop]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


#: The load test's viewer loop (issue 20): page file, and the detail's ``?project=``.
LOOP: tuple[tuple[str, str], ...] = (
    ("overview", "overview.py"),
    ("projects", "projects.py"),
    ("detail", "projects.py"),
    ("whatif", "whatif.py"),
)


def loop_store(portfolio: str, backend: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    """A store holding the ``demo`` portfolio (seeded as at the app's first start: the
    workbook and its 24 earlier months) or the ``scale`` workbook (2,000 projects), on
    ``duckdb`` (a file in ``tmp``) or ``postgresql`` (a throwaway schema of
    ``PMO_BENCH_PG_URL``); returns its location and what drops it."""
    from pmo_core import store
    from pmo_core.demo import history
    from pmo_core.ingest import pipeline

    drop: Callable[[], None] = lambda: None  # noqa: E731
    if backend == "postgresql":
        from tests import pgtest

        base = os.environ["PMO_BENCH_PG_URL"]
        name, db = pgtest.create_schema(base)
        drop = lambda: pgtest.drop_schema(base, name)  # noqa: E731
    else:
        db = str(tmp / f"{portfolio}.duckdb")
    store.migrate(db)
    if portfolio == "demo":
        history.seed_demo(ROOT / "data" / "demo_portfolio.xlsx", path=db)
    else:
        pipeline.import_file(scale_workbook(), path=db)
    return db, drop


def time_loop(db: str, runs: int, lang: str = "en") -> dict[str, tuple[float, float, float]]:
    """A viewer's loop through the whole app (``app.py``: sidebar, navigation, page):
    Overview, Projects, a project's detail (``?project=``, not the first one), What-if
    (its defaults), ``runs`` times after one warm-up round; every page change is a new
    run of the warm session, as when the viewer clicks the sidebar. Returns page ->
    (first visit s, median of the warm visits: wall s, this process's CPU s). The CPU
    time is what a replica spends (the PostgreSQL server's own share not included) and
    holds on a busy machine, where wall time grows with the other processes' load."""
    from streamlit.testing.v1 import AppTest

    from pmo_core import store
    from ui import loaders

    os.environ["PMO_DB_URL" if db.startswith("postgres") else "PMO_DB_PATH"] = db
    for key in ("PMO_DB_URL", "PMO_DB_PATH"):
        if os.environ.get(key) not in (None, db):
            del os.environ[key]
    for fn in (loaders.snapshot, loaders.store_stamp, loaders._upgraded, loaders._seed_once):
        fn.clear()  # a previous store's entries (same process)
    sid = store.latest_snapshot_id(db)
    assert sid is not None
    pid = str(store.load_table("projects", sid, db)["project_id"].iloc[3])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.run()  # "/": the app's first run registers its pages (switch_page needs them)
    with _server_pages():
        return _loop(at, pid, runs)


@contextmanager
def _server_pages() -> Iterator[None]:
    """Page changes as on a server: once ``app.py`` has called ``st.navigation``, the
    process stays out of the legacy ``pages/`` mode. AppTest resets that class flag before
    each run, which would run the page file alone first (``state.leave_legacy_mode``
    sends it back to ``app.py``): three runs per page change instead of one. Streamlit
    internals: the reset goes to a subclass, the flag read stays ``PagesManager``'s."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class _Reset(PagesManager):
        pass

    PagesManager.uses_pages_directory = False
    app_test.PagesManager = _Reset  # type: ignore[misc]
    try:
        yield
    finally:
        app_test.PagesManager = PagesManager  # type: ignore[misc]


def _loop(at, pid: str, runs: int) -> dict[str, tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    first: dict[str, float] = {}
    wall: dict[str, list[float]] = {name: [] for name, _ in LOOP}
    cpu: dict[str, list[float]] = {name: [] for name, _ in LOOP}
    for round_ in range(runs + 1):
        for name, file in LOOP:
            at.switch_page(f"pages/{file}")
            if name == "detail":
                at.query_params["project"] = pid
            else:
                at.query_params.pop("project", None)
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
            took, used = time.perf_counter() - t0, time.process_time() - c0
            if at.exception:
                raise RuntimeError(f"{name}: {[e.value for e in at.exception]}")
            if round_ == 0:
                first[name] = took
            else:
                wall[name].append(took)
                cpu[name].append(used)
    return {
        name: (first[name], statistics.median(wall[name]), statistics.median(cpu[name]))
        for name, _ in LOOP
    }


def print_loop(runs: int) -> None:
    """The viewer loop's table: per portfolio and backend, each page's first visit and
    warm visits (median), in English as the load test's viewers."""
    backends = ["duckdb"] + (["postgresql"] if os.environ.get("PMO_BENCH_PG_URL") else [])
    tmp = Path(tempfile.mkdtemp(prefix="bench_loop_"))
    print("## Viewer loop through app.py (AppTest)\n")
    print(
        "| portfolio | backend | "
        + " | ".join(f"{n} first s | {n} warm s | {n} warm CPU s" for n, _ in LOOP)
        + " |\n|---|---|"
        + "---|---|---|" * len(LOOP)
    )
    for portfolio in ("demo", "scale"):
        for backend in backends:
            db, drop = loop_store(portfolio, backend, tmp)
            try:
                got = time_loop(db, runs)
            finally:
                drop()
            cells = " | ".join(f"{f:.2f} | {w:.3f} | {c:.3f}" for f, w, c in got.values())
            print(f"| {portfolio} | {backend} | {cells} |", flush=True)
    load = os.getloadavg()[0]
    print(
        f"\n{runs} warm rounds (median) after one first round, language en; load average "
        f"at the end {load:.1f} on {os.cpu_count()} cores."
    )
    if not os.environ.get("PMO_BENCH_PG_URL"):
        print("No PostgreSQL server (set PMO_BENCH_PG_URL): DuckDB only.")


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
    ap.add_argument(
        "--loop",
        action="store_true",
        help="the load test's viewer loop through app.py instead (demo and scale portfolios, "
        "DuckDB, and PostgreSQL when PMO_BENCH_PG_URL is set)",
    )
    a = ap.parse_args()
    if a.loop:
        print_loop(a.runs)
        return 0
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
