"""Shared fixtures: a store with the demo imported once, AppTest runner, served app."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

from pmo_core.store.postgres import is_url
from tests import pgtest

if TYPE_CHECKING:
    from pmo_core.ingest import IngestResult, Issue

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_portfolio.xlsx"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Hypothesis's per-example deadline (200 ms) is a timing test: on a loaded CI machine an
# example that runs in 5 ms now and then takes 300 ms, and the property "fails" for it.
# Speed is measured in bench/, never here: no deadline for any property.
hypothesis_settings.register_profile("pmo", deadline=None)
hypothesis_settings.load_profile("pmo")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--dist loadgroup`` sends the tests of one ``xdist_group`` to one worker by a
    suffix of their node id, which pytest-xdist 3.8 writes into a field that pytest 9.2
    no longer reads (pytest-xdist issue 1386): the group is then ignored, and both
    workers serve the app and run Chromium for the browser tests. The same suffix,
    written into the id pytest 9.2 reads; nothing is done where the suffix is there."""
    if not config.getoption("loadgroup", False):  # a worker of --dist loadgroup only
        return
    for item in items:
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if not names or item.nodeid.endswith("@" + "_".join(names)):
            continue
        node_id = getattr(item, "_id", None)
        if node_id is not None and hasattr(node_id, "parse"):
            item._id = node_id.parse(f"{item.nodeid}@{'_'.join(names)}")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: none without it
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadgroup``, with each test module a group of its own unless its tests
    name one (``xdist_group``: the browser tests): a module's module-scoped fixtures (the
    report's pack and PDF, the CLI's imported demo) are then built on one worker, not on
    both, and the node ids of the tests stay as written."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModuleOrGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return scope if scope != nodeid else nodeid.split("::", 1)[0]

    return ModuleOrGroupScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def open_mode_secrets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests run the app as a trial install that wrote ``[pmo] open = true`` (without
    it, sign-in is not configured and every write is refused): Streamlit's secrets are
    read from this file, never the repository's ``.streamlit``. A test that sets
    ``at.secrets`` replaces them for its app."""
    import streamlit as st
    from streamlit import config

    path = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    path.write_text("[pmo]\nopen = true\n", encoding="utf-8")
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    st.secrets._reset()
    yield path
    config.set_option("secrets.files", before)
    st.secrets._reset()


#: ``PMO_DB_URL=postgresql://... make test-pg``: the suite's store fixtures (``demo_db``,
#: ``app_db``, ``store_db``, ``new_store``) give PostgreSQL stores, one schema each. The
#: variable is taken out of the environment, so that a test's own store (a file it names,
#: ``PMO_DB_PATH``) is not overridden by it; ``app_db`` sets it again to its schema.
SUITE_PG = os.environ.pop("PMO_DB_URL", "") if is_url(os.environ.get("PMO_DB_URL")) else ""


def _built_once(
    factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """A DuckDB store that ``build`` writes into the path it is given, built once for the
    whole run: under xdist the first worker to ask builds it in the run's common folder
    (the others wait on a lock) and each worker gets a copy in a folder of its own, as a
    DuckDB file is opened by one process at a time. Seeding the demo's 24 months takes
    tens of seconds on a loaded machine: the workers no longer seed it each."""
    mine = factory.mktemp(name) / "pmo.duckdb"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        build(mine)
        return mine
    root = factory.getbasetemp().parent  # the run's folder, shared by its workers
    shared = root / f"{name}.duckdb"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            partial = root / f"{name}.partial.duckdb"
            partial.unlink(missing_ok=True)
            build(partial)
            partial.rename(shared)  # whole, or not there
    shutil.copy(shared, mine)
    return mine


def _seed(months_back: int | None) -> Callable[[Path], object]:
    """Seeds the demo (``months_back`` earlier months; the app's default when None)."""
    from pmo_core.demo import history as demo_history

    def build(path: Path) -> object:
        if months_back is None:
            return demo_history.seed_demo(DEMO, who="tests", path=path)
        return demo_history.seed_demo(DEMO, months_back=months_back, who="tests", path=path)

    return build


@pytest.fixture
def pg() -> Iterator[str]:
    """A fresh PostgreSQL store (a schema of the ``PMO_TEST_PG_URL`` server; the test
    skipped without one, failed without one under ``PMO_REQUIRE_PG=1``)."""
    base = pgtest.require_pg()
    name, url = pgtest.create_schema(base)
    yield url
    pgtest.drop_schema(base, name)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store seeded with the demo's short history: the demo portfolio and its two
    earlier months (snapshots 1, 2 and 3, the demo workbook's last), the figures the
    page tests work out; imported once per test session. The app seeds the long history
    (:data:`pmo_core.demo.history.DEMO_MONTHS`, closed projects included): its last three
    months are these (tests/test_demo_history.py), ``long_demo_db`` holds it. Under
    ``PMO_DB_URL`` a PostgreSQL schema's URL (typed as the file's path it stands for)."""
    from pmo_core.demo import history as demo_history

    if SUITE_PG:
        name, url = pgtest.create_schema(SUITE_PG)
        demo_history.seed_demo(DEMO, months_back=demo_history.SHORT_HISTORY, who="tests", path=url)
        yield url  # type: ignore[misc]
        pgtest.drop_schema(SUITE_PG, name)
        return
    yield _built_once(tmp_path_factory, "demo", _seed(demo_history.SHORT_HISTORY))


@pytest.fixture(scope="session")
def long_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store seeded as the app seeds it: the demo workbook and its
    :data:`~pmo_core.demo.history.DEMO_MONTHS` earlier months, closed projects included."""
    return _built_once(tmp_path_factory, "longdemo", _seed(None))


@pytest.fixture
def app_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the demo store, set as the app's store (PMO_DB_PATH, or
    PMO_DB_URL under ``make test-pg``)."""
    if SUITE_PG:
        name, url = pgtest.clone_schema(SUITE_PG, _schema_of(str(demo_db)))
        monkeypatch.setenv("PMO_DB_URL", url)
        yield url  # type: ignore[misc]
        pgtest.drop_schema(SUITE_PG, name)
        return
    db = tmp_path / "pmo.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.delenv("PMO_DB_URL", raising=False)
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    yield db


def _schema_of(url: str) -> str:
    from urllib.parse import unquote

    return unquote(url).rsplit("search_path=", 1)[1]


@contextmanager
def new_store(backend: str, directory: Path) -> Iterator[Path | str]:
    """An empty store of ``backend``: a DuckDB file in ``directory`` (a PostgreSQL schema
    under ``make test-pg``), or a fresh schema of the ``PMO_TEST_PG_URL`` server (the
    test skipped without one, failed without one under ``PMO_REQUIRE_PG=1``)."""
    base = SUITE_PG if backend == "duckdb" else pgtest.require_pg()
    if not base:
        yield directory / "pmo.duckdb"
        return
    name, url = pgtest.create_schema(base)
    try:
        yield url
    finally:
        pgtest.drop_schema(base, name)


#: The two backends of a test run on both. The PostgreSQL half is marked ``pg_twin``:
#: ``make test`` leaves it out (``-m "not pg_twin"``), as ``make test-pg`` runs the DuckDB
#: half on PostgreSQL (``SUITE_PG``: :func:`new_store` gives it a schema of the same
#: server), and ``make test-pg`` leaves it out too, as there it would be that same test
#: twice. ``make test PG_TWINS=1`` keeps it (a run that no ``make test-pg`` follows).
#: Tests that need both backends at once (tests/test_store_backends.py, the differential
#: ``kpis --json``) take ``pgtest.require_pg()`` themselves and are not twins.
BACKENDS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.pg_twin)]


@pytest.fixture(params=BACKENDS)
def store_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """An empty store of each backend (see :func:`new_store`)."""
    with new_store(request.param, tmp_path) as loc:
        yield loc


def run_page(page: str | None = None, lang: str = "fr", timeout: float = 60, **query: str):  # type: ignore[no-untyped-def]
    """Run ``pages/<page>`` (or the whole app) in AppTest with a link's query string.

    A page runs on its own as when opened from the app: it reads the link's language,
    snapshot and filters through ``ui/state.py``. ``timeout``: seconds a run may take
    (the first start seeds two years of history: longer on a loaded machine)."""
    from streamlit.testing.v1 import AppTest

    script = ROOT / "pages" / page if page else ROOT / "app.py"
    at = AppTest.from_file(str(script), default_timeout=timeout)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at


def run_init(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``deploy/init_store.py`` with ``args`` in a process of its own, environment ``env``
    (its store: ``PMO_DB_URL`` or ``PMO_DB_PATH``); the JSON line on its stdout."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "init_store.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def _require_browser() -> None:
    if not browser_available():
        if os.environ.get("PMO_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium or Playwright missing and PMO_REQUIRE_BROWSER=1")
        pytest.skip("Chromium or Playwright not installed")


def _serve_app(db: Path, *extra: str) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with the store ``db`` (``extra``: more
    options); yields its base URL once healthy, stops it afterwards."""
    port = _free_port()
    env = dict(
        os.environ,
        PMO_DB_PATH=str(db),
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the app did not start ({' '.join(extra)})")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _short_demo(factory: pytest.TempPathFactory) -> Path:
    """A store of its own seeded with the demo's short history, a copy of ``demo_db``'s
    DuckDB build: the served apps open on the figures the browser tests work out, without
    the first start's 24 months (the first start itself: tests/test_pages.py and
    tests/test_deploy.py)."""
    from pmo_core.demo import history as demo_history

    return _built_once(factory, "demo", _seed(demo_history.SHORT_HISTORY))


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with a fresh store (seeded with the demo),
    one per test module: the browser tests of one worker (their ``xdist_group``) do not
    see the snapshots and requests another module's tests left in the store."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("served")
    (tmp / "secrets.toml").write_text("[pmo]\nopen = true\n", encoding="utf-8")
    yield from _serve_app(
        _short_demo(tmp_path_factory), "--secrets.files", str(tmp / "secrets.toml")
    )


@pytest.fixture(scope="module")
def browser(served_app: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


# ------------------------------------------------------------------- signed-in app

#: The editor password of ``served_app_with_password`` (its hash is in the app's secrets).
EDITOR_PASSWORD = "Copil-2026!"


@pytest.fixture(scope="session")
def served_app_with_password(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``served_app``, with an editor password: Streamlit reads a secrets file from a
    temporary folder (``--secrets.files``), never the repository's ``.streamlit``."""
    _require_browser()
    from pmo_core import auth

    tmp = tmp_path_factory.mktemp("signed")
    secrets = tmp / "secrets.toml"
    digest = auth.hash_password(EDITOR_PASSWORD, salt=b"served-app-salt!")
    secrets.write_text(f'[pmo]\neditor_password_hash = "{digest}"\n', encoding="utf-8")
    yield from _serve_app(_short_demo(tmp_path_factory), "--secrets.files", str(secrets))


def workbook(
    sheets: dict[str, list[list[object]]],
    *,
    hidden: tuple[str, ...] = (),
    percent_cells: dict[str, list[str]] | None = None,
) -> bytes:
    """An .xlsx file's bytes: one sheet per name with its rows; ``hidden`` sheets hidden,
    ``percent_cells`` (sheet -> cell refs) written with a percent format."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if name in hidden:
            ws.sheet_state = "hidden"
        for ref in (percent_cells or {}).get(name, []):
            ws[ref].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def errors(result: IngestResult) -> list[Issue]:
    """The errors of an import result (warnings left out)."""
    return [i for i in result.issues if i.severity == "error"]
