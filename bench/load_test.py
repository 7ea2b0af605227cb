"""Load test of the deployment (issue 20, item 5; docs/deploy.md): N app replicas behind
nginx on 127.0.0.1 (``deploy/plain/start.sh``, the compose topology without containers),
M simulated viewers, a scheduled import in the middle, one replica killed and restarted.

    .venv/bin/python bench/load_test.py --replicas 2 --viewers 20 --seconds 120
    .venv/bin/python bench/load_test.py ... --client mixed --browsers 2   # 2 in Chromium

Bounded in time (``--seconds`` of load, plus start-up, warm-up and the check of every
replica after the import) and loopback only: nothing but 127.0.0.1 is listened on or
opened. Writes ``bench/out/load_test.json`` (every step, the events, the summary) and
``bench/out/load_test.md``, a section for ``bench/RESULTS.md`` (spliced by hand).

**The deployment** (``--deployment``): ``plain`` (the default) as above; ``compose``:
deploy/compose.yaml in Docker, as root, started by ``deploy/check/compose_check.sh
--up-only`` (the check script's own code: stand-in images when Docker Hub is out of
reach, a throwaway project, nginx published on 127.0.0.1) and taken down at the end,
or one already up (``--compose-project NAME``, left running). The viewers go through
nginx's published port; "directly" is the replica's container address, port 8501 (the
host reaches the bridge network); the import is ``docker exec`` of the CLI in app1 on
the workbook copied in (``docker cp``); the kill is SIGKILL of the container's main
process from the host (a crash: Docker's ``restart: unless-stopped`` brings it back,
else ``docker start`` after ``--down`` s, reported); nginx's access log is its
``docker logs``. Only ``--replicas 2`` (compose.yaml's app1 and app2).

**A viewer** (``--client``) runs the same loop either way: it opens the cockpit once,
then loops for the run: Overview, Projects, a project's detail, What-if, pausing
between steps ``--think`` seconds times a factor drawn uniformly in [0.5, 1.5] (its own
seeded generator), so it keeps one Streamlit session, one websocket, for the whole run.

- ``ws`` (the default): Streamlit's websocket protocol, no browser (bench/_ws_viewer.py).
  It GETs ``/`` through nginx first (the ``pmo_affinity`` cookie, kept with Streamlit's
  XSRF cookie), then opens ``/_stcore/stream`` with those cookies, so it sticks to one
  replica as a browser does. Each step sends the ``rerun_script`` a browser sends: the
  first open names the page by its url path (``overview``, query ``lang=en``); a page
  change by the page's hash from the ``navigation`` message (query ``lang=en``); the
  detail is the Projects page with ``lang=en&project=ID``, ID one of the first 8 of the
  list the viewer's last Projects step showed ("Project detail" picker), another than
  the last. No widget values, no cached messages (the server sends every element).
- ``browser``: one headless Chromium context each (its own cookies). The first open is a
  page load; the steps after it go through the app as a person does (a click on the
  sidebar's page link; a click on a row of the Projects table for the detail).
- ``mixed``: the first ``--browsers`` viewers in Chromium, the others ``ws``.

Chromium costs a renderer per viewer on the cores the replicas need: on the 2-core
machine, 20 browsers measured the browsers more than the app. The ``ws`` viewers cost
a protobuf parse per message.

**Page time** of a step, ``ws``: from the rerun sent until that run's ``script_finished``
(the server's part; nothing is drawn, so the page time and the server time are the
same). ``browser``: from the click (or the navigation, for the first open) until
the page is ready: its main title (``h1`` in ``stMain``) is the page's own (for the
detail: after the address holds the clicked project's ``?project=``), Streamlit's status
widget ("Running...") is gone, and no spinner nor loading skeleton is left in the main
area (charts drawn). The measured window starts once every viewer has opened the
cockpit (each first open, a cold session arriving with the others, is reported apart)
and the replicas were warmed before (each page once on each). Warm: every step of the
window, except those of the viewers on the killed replica from the kill until their
first step completed after it (their failover, reported apart). A step is an **error**
when it does not become ready within the step timeout (``--step-timeout``, 60 s; a
browser's for each of its two waits: the server's part, then the drawing), or the page
shows a Python exception (``stException``; for ``ws`` an ``exception`` element in the
run's deltas), or the browser reports a script error; ``ws`` also when the run does not
end FINISHED_SUCCESSFULLY, or its main ``h1`` is not the page's English title (a session
back in French is an error, as in the browser), or the detail's header "ID · name" is
not the project asked.

**Sessions**: a viewer's websockets to ``/_stcore/stream`` are counted in the browser
(or by the ``ws`` viewer at each connect); one websocket for the run is a session held.
When the websocket closes (its replica killed), a ``ws`` viewer reconnects through nginx
with the same cookies (the hash moves it to a live replica), its new session counted as
a second websocket, and re-sends the current step with the link the app last set, as the
browser's client does; a close during a pause is noticed at its next step. nginx's
access log says which replica served each websocket (the last one it tried), so the
viewers whose session was on the killed replica are known: they are expected to open a second websocket, on another replica (a new session,
same page); any other viewer with a second websocket lost its session.

**The import**: ``python -m pmo_core import`` of a 60-project demo workbook (another
seed) at 35 % of the run, on the same store as the replicas. Then each replica is opened
directly (its own port, a fresh session: "its next load") every 2 s until its sidebar's
snapshot is the new one; the delay and the number of loads are reported. The warm-up and
this check go through Chromium with ``--client browser``, else by the websocket protocol.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PLAIN = ROOT / "deploy" / "plain"
OUT = ROOT / "bench" / "out"
CHROMIUM = os.environ.get("PMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STEP_TIMEOUT_MS = 60_000  # --step-timeout
ROW_HEIGHT = 35  # st.dataframe's rows and header, in pixels (tests/test_browser_drill.py)
#: (step, sidebar link, the page's h1) of a viewer's loop, English screens.
LOOP = [
    ("overview", "overview", "Portfolio overview"),
    ("projects", "projects", "Projects"),
    ("detail", None, "Projects"),
    ("whatif", "whatif", "What-if prioritisation"),
]
#: The page is ready: the wanted h1, nothing running, no spinner or skeleton in main.
READY_JS = """(title) => {
  const main = document.querySelector('[data-testid=stMain]');
  if (!main) return false;
  const h = main.querySelector('h1');
  if (!h || !h.textContent.includes(title)) return false;
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  return !main.querySelector('[data-testid=stSpinner], [data-testid=stSkeleton]');
}"""


@dataclass
class Step:
    viewer: int
    step: str
    loop: int
    start: float
    seconds: float
    error: str | None = None
    #: until the server's part was done (title, nothing running), before the drawing
    server_seconds: float | None = None


@dataclass
class Viewer:
    index: int
    #: "ws" (Streamlit's websocket protocol, bench/_ws_viewer.py) or "browser" (Chromium)
    client: str = "browser"
    affinity: str | None = None
    websockets: list[float] = field(default_factory=list)
    #: when a ws viewer found its websocket closed (its replica killed)
    closed: list[float] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    steps: int = 0


class Clock:
    """The measured window: it starts once every viewer has opened the cockpit (its
    first open, a cold session, is not part of the window) and lasts ``seconds``."""

    def __init__(self, viewers: int, seconds: float) -> None:
        self.waiting = set(range(viewers))
        self.seconds = seconds
        self.go = asyncio.Event()
        self.start = 0.0
        self.end = 0.0

    def release(self, viewer: int) -> None:
        """Viewer ``viewer`` has opened the cockpit (or given up): once all have, go."""
        self.waiting.discard(viewer)
        if not self.waiting and not self.go.is_set():
            self.start = time.time()
            self.end = self.start + self.seconds
            self.go.set()

    async def opened(self, viewer: int) -> None:
        self.release(viewer)
        await self.go.wait()


@dataclass
class Events:
    run_start: float = 0.0
    run_end: float = 0.0
    import_start: float | None = None
    import_seconds: float | None = None
    import_snapshot: int | None = None
    import_error: str | None = None
    kill_at: float | None = None
    killed_replica: int | None = None
    restarted_at: float | None = None
    #: the killed replica as nginx's $upstream_addr names it, before and after its restart
    killed_addr: str | None = None
    restarted_addr: str | None = None
    #: what brought it back: replica.sh (plain), Docker's restart policy, docker start
    restarted_by: str | None = None
    visibility: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------ the deployment


def start_deployment(a: argparse.Namespace, run_dir: Path) -> dict[str, str]:
    """``deploy/plain/start.sh`` into ``run_dir``; returns its env file as a dict."""
    env = dict(
        os.environ,
        PMO_REPLICAS=str(a.replicas),
        PMO_BASE_PORT=str(a.base_port),
        PMO_HTTP_PORT=str(a.http_port),
        PMO_HTTP_ADDRESS="127.0.0.1",
        PMO_STORE=a.store,
        PMO_PG_PORT=str(a.pg_port),
        PMO_PYTHON=sys.executable,
    )
    env.pop("PMO_DB_URL", None)  # a throwaway store, never the caller's
    env.pop("PMO_DB_PATH", None)
    subprocess.run([str(PLAIN / "start.sh"), str(run_dir)], env=env, check=True, timeout=600)
    return read_env(run_dir)


def read_env(run_dir: Path) -> dict[str, str]:
    out = {}
    for line in (run_dir / "env").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        out[key] = value
    return out


def replica_port(cfg: dict[str, str], index: int) -> int:
    return int(cfg["PMO_BASE_PORT"]) + index - 1


def kill_replica(run_dir: Path, index: int) -> None:
    """SIGKILL the replica's process group: a crash, not a clean stop."""
    pid = int((run_dir / f"app-{index}.pid").read_text().strip())
    os.killpg(pid, signal.SIGKILL)


def restart_replica(run_dir: Path, index: int) -> None:
    subprocess.run(
        [str(PLAIN / "replica.sh"), str(run_dir), str(index), "start"], check=True, timeout=180
    )


def store_env(cfg: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PMO_DB_URL", None)
    env.pop("PMO_DB_PATH", None)
    for key in ("PMO_DB_URL", "PMO_DB_PATH"):
        if key in cfg:
            env[key] = cfg[key]
    return env


class Plain:
    """``deploy/plain/start.sh``: replicas on loopback ports, nginx's log in ``run_dir``."""

    name = "plain"

    def __init__(self, run_dir: Path, cfg: dict[str, str]) -> None:
        self.run_dir = run_dir
        self.cfg = cfg
        self.restarted_by: str | None = None

    @property
    def http_url(self) -> str:
        return self.cfg["PMO_HTTP_URL"]

    @property
    def replicas(self) -> int:
        return int(self.cfg["PMO_REPLICAS"])

    @property
    def store(self) -> str:
        return "PostgreSQL" if "PMO_DB_URL" in self.cfg else "DuckDB file"

    def replica_url(self, index: int) -> str:
        return f"http://{self.replica_addr(index)}"

    def replica_addr(self, index: int) -> str:
        """The replica as nginx's ``$upstream_addr`` names it."""
        return f"127.0.0.1:{replica_port(self.cfg, index)}"

    def kill(self, index: int) -> None:
        kill_replica(self.run_dir, index)

    def restart(self, index: int, down: float) -> None:
        """After ``down`` s, start it again (nothing restarts a plain replica by itself)."""
        time.sleep(down)
        restart_replica(self.run_dir, index)
        self.restarted_by = "replica.sh start"

    def import_command(self, workbook: Path) -> tuple[list[str], dict[str, str]]:
        argv = [sys.executable, "-m", "pmo_core", "import", str(workbook)]
        return [*argv, "--json", "--who", "load test"], store_env(self.cfg)

    def access_log(self) -> str:
        log = self.run_dir / "nginx" / "logs" / "access.log"
        return log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        subprocess.run([str(PLAIN / "stop.sh"), str(self.run_dir), "--delete"], check=False)


def docker(*args: str, timeout: float = 60) -> str:
    """``docker ARGS``: its standard output, stripped; an error if it fails."""
    r = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if r.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args[:3])}: {r.stderr.strip()[:300]}")
    return r.stdout.strip()


def compose_services_filter(project: str, service: str) -> list[str]:
    """``docker ps`` filters for a compose service's container: compose's own labels,
    the same with docker-compose v1 and ``docker compose`` v2.

    >>> compose_services_filter("pmo-x", "app1")  # doctest: +NORMALIZE_WHITESPACE
    ['--filter', 'label=com.docker.compose.project=pmo-x',
     '--filter', 'label=com.docker.compose.service=app1']
    """
    return [
        "--filter",
        f"label=com.docker.compose.project={project}",
        "--filter",
        f"label=com.docker.compose.service={service}",
    ]


def published_url(port_lines: str) -> str:
    """``docker port NGINX 8080``'s first line as a URL the host opens (a port published
    on every interface is listed twice, IPv4 then IPv6): an address published on every
    interface is opened on loopback.

    >>> published_url("127.0.0.1:18080"), published_url("0.0.0.0:80")
    ('http://127.0.0.1:18080', 'http://127.0.0.1:80')
    """
    host, _, port = port_lines.strip().splitlines()[0].rpartition(":")
    host = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)
    return f"http://{host}:{port}"


class Compose:
    """deploy/compose.yaml, started by ``deploy/check/compose_check.sh --up-only`` (the
    check script's own code) or already up (``--compose-project``). The replicas are
    its services app1..appN, opened at their container's address on the bridge network
    (the host reaches it); nginx's access log is its standard output (``docker logs``)."""

    name = "compose"
    store = "PostgreSQL"
    app_port = 8501

    def __init__(self, project: str, run_dir: Path | None = None) -> None:
        self.project = project
        self.run_dir = run_dir  # set when this run started it (and takes it down)
        self.http_url = published_url(docker("port", self.container("nginx"), "8080"))
        self.restarted_by: str | None = None
        self.restarts_before = 0
        self.addr_before: str | None = None
        self.addr_after: str | None = None

    @classmethod
    def up(cls, run_dir: Path, project: str) -> Compose:
        script = ROOT / "deploy" / "check" / "compose_check.sh"
        env = dict(os.environ, PMO_PYTHON=sys.executable)
        subprocess.run(
            [str(script), "--up-only", str(run_dir), "--project", project],
            check=True,
            timeout=1800,
            env=env,
        )
        return cls(project, run_dir)

    def container(self, service: str) -> str:
        ids = docker("ps", "-a", "-q", *compose_services_filter(self.project, service))
        if not ids:
            raise RuntimeError(f"no container for service {service} of project {self.project}")
        return ids.split()[0]

    @property
    def replicas(self) -> int:
        n = 0
        while docker("ps", "-a", "-q", *compose_services_filter(self.project, f"app{n + 1}")):
            n += 1
        return n

    def inspect(self, index: int, fmt: str) -> str:
        return docker("inspect", "-f", fmt, self.container(f"app{index}"))

    def replica_addr(self, index: int) -> str:
        ip = self.inspect(index, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
        return f"{ip}:{self.app_port}"

    def replica_url(self, index: int) -> str:
        return f"http://{self.replica_addr(index)}"

    def kill(self, index: int) -> None:
        """SIGKILL of the container's main process from the host: a crash (Docker
        records an exit, not a stop, so ``restart: unless-stopped`` applies)."""
        self.addr_before = self.replica_addr(index)
        self.restarts_before = int(self.inspect(index, "{{.RestartCount}}"))
        os.kill(int(self.inspect(index, "{{.State.Pid}}")), signal.SIGKILL)

    def restart(self, index: int, down: float) -> None:
        """Wait for Docker's restart policy to bring it back (its restart count up, at
        most ``down`` s), then healthy; if the policy did not restart it, ``docker start``
        it, and say so (``restarted_by``)."""
        end = time.time() + down
        started = None
        while time.time() < end:
            status, count = self.inspect(index, "{{.State.Status}} {{.RestartCount}}").split()
            if status == "running" and int(count) > self.restarts_before:
                started = "docker (restart: unless-stopped)"
                break
            time.sleep(0.5)
        if started is None:
            docker("start", self.container(f"app{index}"))
            started = "docker start (the policy did not restart it)"
        self.restarted_by = started
        end = time.time() + 180
        while time.time() < end:
            if self.inspect(index, "{{if .State.Health}}{{.State.Health.Status}}{{end}}") == (
                "healthy"
            ):
                break
            time.sleep(0.5)
        self.addr_after = self.replica_addr(index)

    def import_command(self, workbook: Path) -> tuple[list[str], dict[str, str]]:
        """The CLI inside app1 (``docker exec``, as ``compose exec -T app1``), on the
        workbook copied in by :meth:`copy_in`."""
        argv = ["docker", "exec", self.container("app1"), "python", "-m", "pmo_core"]
        argv += ["import", f"/tmp/{workbook.name}", "--json", "--who", "load test"]
        return argv, dict(os.environ)

    def copy_in(self, workbook: Path) -> None:
        docker("cp", str(workbook), f"{self.container('app1')}:/tmp/{workbook.name}")

    def access_log(self) -> str:
        r = subprocess.run(
            ["docker", "logs", self.container("nginx")],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return r.stdout  # the access log; the error log is its standard error

    def stop(self) -> None:
        if self.run_dir is not None:
            script = ROOT / "deploy" / "check" / "compose_check.sh"
            subprocess.run([str(script), "--down", str(self.run_dir)], check=False)


# ------------------------------------------------------------------ the browser side


#: What the page shows now, said when a step is not ready in time.
STATE_JS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const h = main && main.querySelector('h1');
  return 'h1=' + (h ? JSON.stringify(h.textContent.slice(0, 40)) : 'none')
    + ' running=' + !!document.querySelector('[data-testid=stStatusWidget]')
    + ' spinners=' + (main ? main.querySelectorAll('[data-testid=stSpinner]').length : -1)
    + ' skeletons=' + (main ? main.querySelectorAll('[data-testid=stSkeleton]').length : -1);
}"""


async def wait_ready(page: Any, title: str) -> float:
    """Wait until the page is ready (READY_JS); returns when the server's part was done
    (the title there and nothing running, before the browser finished drawing)."""
    server_js = READY_JS.replace(
        "return !main.querySelector('[data-testid=stSpinner], [data-testid=stSkeleton]');",
        "return true;",
    )
    await page.wait_for_function(server_js, arg=title, timeout=STEP_TIMEOUT_MS, polling=100)
    served = time.time()
    await page.wait_for_function(READY_JS, arg=title, timeout=STEP_TIMEOUT_MS, polling=100)
    return served


async def not_ready(page: Any) -> str:
    try:
        state = await page.evaluate(STATE_JS)
    except Exception as exc:
        state = f"state unknown ({type(exc).__name__})"
    return f"not ready within {STEP_TIMEOUT_MS / 1000:.0f} s ({state}; at {page.url})"


def since(start: float, t: float | None) -> float | None:
    return None if t is None else t - start


async def open_detail(page: Any, rng: random.Random, last_row: int) -> int:
    """A project's detail as a person opens it: a click on its row in the Projects table
    (the selection box left of the first column), another row than the last one; done
    when the address holds another ``?project=``. Returns the row clicked."""
    before = re.search(r"[?&]project=([^&]+)", page.url)
    row = rng.choice([r for r in range(1, 9) if r != last_row])
    grid = page.locator("[data-testid=stDataFrame]").first
    await grid.scroll_into_view_if_needed()
    box = await grid.bounding_box()
    if box is None:
        raise RuntimeError("the Projects table is not on the page")
    await page.mouse.click(box["x"] + 15, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    old = before.group(1) if before else None
    await page.wait_for_function(
        """(old) => { const m = location.search.match(/[?&]project=([^&]+)/);
                      return m && m[1] !== old; }""",
        arg=old,
        timeout=STEP_TIMEOUT_MS,
        polling=100,
    )
    return row


async def check_page(page: Any, viewer: Viewer, errors_before: int) -> str | None:
    if await page.locator("[data-testid=stException]").count():
        return "exception on the page"
    if len(viewer.script_errors) > errors_before:
        return "browser script error: " + viewer.script_errors[-1][:200]
    return None


async def run_viewer(
    browser: Any,
    base: str,
    viewer: Viewer,
    steps: list[Step],
    clock: Clock,
    think: float,
) -> None:
    from playwright.async_api import TimeoutError as PWTimeout

    rng = random.Random(viewer.index)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.on(
        "websocket",
        lambda ws: viewer.websockets.append(time.time()) if "_stcore/stream" in ws.url else None,
    )
    page.on("pageerror", lambda e: viewer.script_errors.append(str(e)))
    try:
        start = time.time()
        error, served = None, None
        try:
            await page.goto(f"{base}/overview?lang=en", wait_until="domcontentloaded")
            served = await wait_ready(page, "Portfolio overview")
            error = await check_page(page, viewer, 0)
        except PWTimeout:
            error = await not_ready(page)
        steps.append(
            Step(
                viewer.index,
                "first open",
                -1,
                start,
                time.time() - start,
                error,
                since(start, served),
            )
        )
        await clock.opened(viewer.index)
        t_end = clock.end
        loop = 0
        last_row = 0
        while time.time() < t_end:
            for name, link, title in LOOP:
                if time.time() >= t_end:
                    break
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                errors_before = len(viewer.script_errors)
                start = time.time()
                error, served = None, None
                try:
                    if link is not None:
                        await page.locator(
                            f'[data-testid=stSidebarNav] a[href$="/{link}"]'
                        ).first.click()
                    else:
                        last_row = await open_detail(page, rng, last_row)
                    served = await wait_ready(page, title)
                    error = await check_page(page, viewer, errors_before)
                except PWTimeout:
                    error = await not_ready(page)
                except Exception as exc:  # a detached element after a reconnect...
                    error = f"{type(exc).__name__}: {str(exc)[:200]}"
                steps.append(
                    Step(
                        viewer.index,
                        name,
                        loop,
                        start,
                        time.time() - start,
                        error,
                        since(start, served),
                    )
                )
                viewer.steps += 1
            loop += 1
        for c in await ctx.cookies():
            if c["name"] == "pmo_affinity":
                viewer.affinity = c["value"]
    finally:
        clock.release(viewer.index)  # a viewer that failed early does not hold the others
        await ctx.close()


# ------------------------------------------------------------------ the websocket side


def ws_module() -> ModuleType:
    """bench/_ws_viewer.py (imported on use: this file is also loaded by path, in tests)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import _ws_viewer

    return _ws_viewer


def ws_error(watch: Any, timeout: float) -> str | None:
    if not watch.finished and watch.exception is None:
        return f"no script_finished within {timeout:.0f} s (h1 so far: {watch.headings})"
    return watch.error()


async def run_ws_viewer(
    base: str, viewer: Viewer, steps: list[Step], clock: Clock, think: float
) -> None:
    """A viewer speaking Streamlit's websocket protocol (bench/_ws_viewer.py): the same
    loop, pauses and step names as :func:`run_viewer`; a step's time is from the rerun
    sent to its ``script_finished`` (the server's part: nothing is drawn)."""
    wsv = ws_module()
    rng = random.Random(viewer.index)
    timeout = STEP_TIMEOUT_MS / 1000
    session = wsv.WsSession(
        base,
        on_connect=lambda: viewer.websockets.append(time.time()),
        on_close=lambda: viewer.closed.append(time.time()),
    )

    async def one(name: str, loop: int, page: str, title: str, query: str, pid: str | None) -> Any:
        start, watch, error = time.time(), None, None
        try:
            if session.ws is None and loop < 0:
                await session.open(timeout)
            watch = await session.step(page, title, query, timeout, project=pid)
            error = ws_error(watch, timeout)
        except Exception as exc:  # no replica answered the reconnect in time...
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        took = time.time() - start
        steps.append(Step(viewer.index, name, loop, start, took, error, None if error else took))
        return watch

    try:
        await one("first open", -1, "overview", "Portfolio overview", "lang=en", None)
        await clock.opened(viewer.index)
        t_end = clock.end
        loop = 0
        ids: list[str] = []
        last: str | None = None
        while time.time() < t_end:
            for name, link, title in LOOP:
                if time.time() >= t_end:
                    break
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                if link is not None:
                    watch = await one(name, loop, link, title, "lang=en", None)
                    if name == "projects" and watch is not None and watch.project_options:
                        ids = watch.project_options
                else:
                    # As the browser's click on one of the table's first 8 rows, another
                    # than the last: the Projects page opened with ?project=ID.
                    pool = [p for p in ids[:8] if p != last] or ids[:1]
                    if not pool:
                        start = time.time()
                        steps.append(Step(viewer.index, name, loop, start, 0.0, "no project list"))
                        continue
                    last = rng.choice(pool)
                    await one(name, loop, "projects", title, f"lang=en&project={last}", last)
                viewer.steps += 1
            loop += 1
        viewer.affinity = session.cookies.get("pmo_affinity")
    finally:
        clock.release(viewer.index)
        await session.close()


async def newest_shown_ws(url: str) -> int | None:
    """A fresh session on ``url`` (the websocket protocol): the sidebar's snapshot."""
    wsv = ws_module()
    timeout = STEP_TIMEOUT_MS / 1000
    session = wsv.WsSession(url)
    try:
        await session.open(timeout)
        watch = await session.step("overview", "Portfolio overview", "lang=en", timeout)
        error = ws_error(watch, timeout)
        if error:
            raise RuntimeError(error)
        shown: int | None = watch.snapshot_shown()
        return shown
    finally:
        await session.close()


async def warm_up_ws(dep: Plain | Compose) -> None:
    """Each page once on each replica, directly on its port, by the websocket protocol."""
    timeout = STEP_TIMEOUT_MS / 1000
    for i in range(1, dep.replicas + 1):
        session = ws_module().WsSession(dep.replica_url(i))
        try:
            await session.open(timeout)
            for _, link, title in LOOP:
                if link is not None:
                    await session.step(link, title, "lang=en", timeout)
        finally:
            await session.close()


async def newest_shown(browser: Any, url: str) -> int | None:
    """Open ``url`` in a fresh context (a new session) and read the sidebar's snapshot."""
    ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = await ctx.new_page()
        await page.goto(f"{url}/overview?lang=en", wait_until="domcontentloaded")
        await wait_ready(page, "Portfolio overview")
        value = await page.get_by_role("combobox", name="Snapshot").input_value()
        m = re.match(r"#(\d+)", value)
        return int(m.group(1)) if m else None
    finally:
        await ctx.close()


async def scheduled_import(
    dep: Plain | Compose, workbook: Path, events: Events, at: float, browser: Any | None
) -> None:
    await asyncio.sleep(max(0.0, at - time.time()))
    events.import_start = time.time()
    argv, env = dep.import_command(workbook)
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    events.import_seconds = time.time() - events.import_start
    if proc.returncode != 0:
        events.import_error = (err or out).decode(errors="replace")[-500:]
        return
    events.import_snapshot = int(json.loads(out)["snapshot_id"])
    # Every replica's next loads until it shows the new snapshot (at most 90 s each).
    for i in range(1, dep.replicas + 1):
        loads, failed, shown, t0 = 0, 0, None, time.time()
        while time.time() - events.import_start < 90 + 30 * i:
            try:
                url = dep.replica_url(i)  # a restarted container may have another address
                shown = await (
                    newest_shown(browser, url) if browser is not None else newest_shown_ws(url)
                )
                loads += 1
            except Exception as exc:  # the replica may be the killed one, down
                shown = None
                failed += 1
                events.visibility.append({"replica": i, "load_error": str(exc)[:200]})
            if shown == events.import_snapshot:
                break
            await asyncio.sleep(2)
        events.visibility.append(
            {
                "replica": i,
                "visible": shown == events.import_snapshot,
                "loads": loads,
                "loads_failed": failed,
                "seconds_after_import": round(time.time() - events.import_start, 1),
                "seconds_checking": round(time.time() - t0, 1),
            }
        )


async def kill_and_restart(
    dep: Plain | Compose, index: int, events: Events, at: float, down: float
) -> None:
    await asyncio.sleep(max(0.0, at - time.time()))
    events.killed_addr = dep.replica_addr(index)
    dep.kill(index)
    events.kill_at = time.time()
    events.killed_replica = index
    await asyncio.to_thread(dep.restart, index, down)
    events.restarted_at = time.time()
    events.restarted_by = dep.restarted_by
    events.restarted_addr = dep.replica_addr(index)


async def warm_up(browser: Any, dep: Plain | Compose) -> None:
    """Each page once on each replica (its caches filled), directly on its port."""
    for i in range(1, dep.replicas + 1):
        ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
        page = await ctx.new_page()
        base = dep.replica_url(i)
        for _, link, title in LOOP:
            if link is None:
                continue
            await page.goto(f"{base}/{link}?lang=en", wait_until="domcontentloaded")
            await wait_ready(page, title)
        await ctx.close()


def viewer_clients(client: str, viewers: int, browsers: int) -> list[str]:
    """Each viewer's client: ``ws`` or ``browser`` for all, or ``mixed``: the first
    ``browsers`` viewers in Chromium, the others by the websocket protocol.

    >>> viewer_clients("mixed", 5, 2), viewer_clients("ws", 2, 9), viewer_clients("mixed", 2, 9)
    (['browser', 'browser', 'ws', 'ws', 'ws'], ['ws', 'ws'], ['browser', 'browser'])
    """
    if client == "mixed":
        return ["browser" if i < browsers else "ws" for i in range(viewers)]
    return [client] * viewers


async def scenario(
    a: argparse.Namespace, dep: Plain | Compose, workbook: Path
) -> tuple[list[Step], list[Viewer], Events]:
    steps: list[Step] = []
    kinds = viewer_clients(a.client, a.viewers, a.browsers)
    viewers = [Viewer(i, client=c) for i, c in enumerate(kinds)]
    events = Events()
    if "browser" not in kinds:  # no Chromium at all: its CPU stays with the replicas
        await run_all(a, dep, workbook, steps, viewers, events, None)
        return steps, viewers, events
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            await run_all(a, dep, workbook, steps, viewers, events, browser)
        finally:
            await browser.close()
    return steps, viewers, events


async def run_all(
    a: argparse.Namespace,
    dep: Plain | Compose,
    workbook: Path,
    steps: list[Step],
    viewers: list[Viewer],
    events: Events,
    browser: Any | None,
) -> None:
    """Warm-up, the viewers, the import and the kill. With ``--client browser`` the
    warm-up and the check of every replica after the import go through Chromium as
    before; otherwise through the websocket protocol."""
    checker = browser if a.client == "browser" else None
    if checker is not None:
        await warm_up(checker, dep)
    else:
        await warm_up_ws(dep)
    clock = Clock(a.viewers, a.seconds)
    base = dep.http_url
    tasks = [
        run_viewer(browser, base, v, steps, clock, a.think)
        if v.client == "browser"
        else run_ws_viewer(base, v, steps, clock, a.think)
        for v in viewers
    ]

    async def timed() -> None:
        await clock.go.wait()
        events.run_start = clock.start
        extra = []
        if not a.no_import:
            at = clock.start + a.import_at * a.seconds
            extra.append(scheduled_import(dep, workbook, events, at, checker))
        if a.kill is not None:
            at = clock.start + a.kill_at * a.seconds
            extra.append(kill_and_restart(dep, a.kill, events, at, a.down))
        await asyncio.gather(*extra)

    results = await asyncio.gather(*tasks, timed(), return_exceptions=True)
    events.run_end = time.time()
    for r in results:
        if isinstance(r, BaseException):
            print(f"task failed: {r!r}", file=sys.stderr)


# ------------------------------------------------------------------ the analysis


def stream_connections(run_dir: Path) -> dict[str, list[tuple[float, float, str]]]:
    """Per affinity cookie, its websockets from nginx's log in ``run_dir`` (plain)."""
    return parse_stream_log(Plain(run_dir, {}).access_log())


def parse_stream_log(text: str) -> dict[str, list[tuple[float, float, str]]]:
    """Per affinity cookie, its websockets from nginx's access log (the template's
    format ``pmo``, in both deployments): (opened, closed, replica). Lines of another
    format (nginx's start-up notices on a container's output) are skipped."""
    out: dict[str, list[tuple[float, float, str]]] = {}
    # $upstream_addr names every replica tried, "127.0.0.1:18502, 127.0.0.1:18501" when the
    # first refused: the last one served.
    pattern = re.compile(r'^(\S+) (\d+) (\S+) "GET /_stcore/stream[^"]*" (.+) (\S+)$')
    for line in text.splitlines():
        m = pattern.match(line)
        if not m:
            continue
        end, _, took, upstream, cookie = m.groups()
        if cookie == "-":
            continue
        closed = float(end)
        replica = upstream.split(",")[-1].strip()
        out.setdefault(cookie, []).append((closed - float(took), closed, replica))
    for v in out.values():
        v.sort()
    return out


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summarise(
    a: argparse.Namespace,
    cfg: dict[str, str],
    run_dir: Path,
    steps: list[Step],
    viewers: list[Viewer],
    events: Events,
    dep: Plain | Compose | None = None,
) -> dict[str, Any]:
    dep = dep or Plain(run_dir, cfg)
    conns = parse_stream_log(dep.access_log())
    killed_addr = events.killed_addr or (
        dep.replica_addr(events.killed_replica) if events.killed_replica else None
    )
    on_killed: set[int] = set()
    sessions: list[dict[str, Any]] = []
    for v in viewers:
        mine = conns.get(v.affinity or "", [])
        hit = bool(
            killed_addr
            and events.kill_at
            and any(r == killed_addr and o <= events.kill_at <= c + 1 for o, c, r in mine)
        )
        if hit:
            on_killed.add(v.index)
        sessions.append(
            {
                "viewer": v.index,
                "client": v.client,
                "websockets": len(v.websockets),
                "replicas": [r for _, _, r in mine],
                "on_killed_replica": hit,
                "websockets_opened_s": [round(t - events.run_start, 1) for t in v.websockets],
                "websocket_closed_s": [round(t - events.run_start, 1) for t in v.closed],
                "steps": v.steps,
            }
        )
    held = [s for s in sessions if s["websockets"] == 1 and not s["on_killed_replica"]]
    lost = [s for s in sessions if s["websockets"] > 1 and not s["on_killed_replica"]]
    moved = [s for s in sessions if s["on_killed_replica"]]
    moved_ok = [
        s
        for s in moved
        if s["websockets"] >= 2 and any(r != killed_addr for r in s["replicas"][1:])
    ]
    final_replica: dict[str, int] = {}
    for s in sessions:
        if s["replicas"]:
            final_replica[s["replicas"][-1]] = final_replica.get(s["replicas"][-1], 0) + 1

    def failover(step: Step) -> bool:
        if step.viewer not in on_killed or events.kill_at is None:
            return False
        after = [
            x.start + x.seconds
            for x in steps
            if x.viewer == step.viewer and x.start > events.kill_at and x.error is None
        ]
        recovered = min(after) if after else float("inf")
        return step.start + step.seconds >= events.kill_at and step.start <= recovered

    warm = [s for s in steps if s.loop >= 0 and not failover(s)]
    fail_steps = [s for s in steps if failover(s)]
    errors = [s for s in steps if s.error]

    def stats(items: list[Step]) -> dict[str, Any]:
        secs = [s.seconds for s in items if s.error is None]
        served = [s.server_seconds for s in items if s.error is None and s.server_seconds]
        return {
            "n": len(items),
            "ok": len(secs),
            "p50": percentile(secs, 50),
            "p95": percentile(secs, 95),
            "max": max(secs) if secs else None,
            "server_p50": percentile(served, 50),
            "server_p95": percentile(served, 95),
        }

    return {
        "when": datetime.now().isoformat(timespec="seconds"),
        "args": vars(a),
        "machine": {"cores": os.cpu_count(), "load_average_end": os.getloadavg()},
        "store": dep.store,
        "deployment": dep.name,
        # --client, told from the viewers themselves: ws, browser, or mixed.
        "client": kinds.pop() if len(kinds := {v.client for v in viewers}) == 1 else "mixed",
        "clients": {c: sum(1 for v in viewers if v.client == c) for c in ("ws", "browser")},
        "page_time": {
            "warm": stats(warm),
            "warm_by_step": {n: stats([s for s in warm if s.step == n]) for n, _, _ in LOOP},
            "first_open": stats([s for s in steps if s.step == "first open"]),
            "failover": stats(fail_steps),
        },
        "steps": len(steps),
        "errors": [asdict(s) for s in errors],
        "script_errors": sum(len(v.script_errors) for v in viewers),
        "sessions": {
            "viewers": len(viewers),
            "held_whole_run": len(held),
            "on_killed_replica": len(moved),
            "reconnected_to_another_replica": len(moved_ok),
            "lost_not_on_killed_replica": len(lost),
            "per_replica_at_end": final_replica,
            "detail": sessions,
        },
        "events": asdict(events),
    }


def fmt_s(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def markdown(r: dict[str, Any]) -> str:
    a = r["args"]
    pt = r["page_time"]
    s = r["sessions"]
    ev = r["events"]
    compose = r.get("deployment") == "compose"
    lines = [
        f"## Load test ({a['replicas']} replicas behind nginx, {a['viewers']} viewers, "
        f"{a['seconds']} s, {r['store']}, client {r['client']}"
        + (", deploy/compose.yaml)" if compose else ")"),
        "",
        f"`bench/load_test.py --replicas {a['replicas']} --viewers {a['viewers']} "
        f"--seconds {a['seconds']} --client {r['client']}"
        + (f" --browsers {r['clients']['browser']}" if r["client"] == "mixed" else "")
        + (" --deployment compose" if compose else "")
        + f"`, {r['when']}; load average at the end "
        f"{r['machine']['load_average_end'][0]:.1f} on {r['machine']['cores']} cores; "
        f"viewers: {r['clients']['ws']} by the websocket protocol, "
        f"{r['clients']['browser']} in Chromium"
        + (" (on the same cores as the replicas)." if r["clients"]["browser"] else "."),
        "",
        "| page time (s) | steps (ready) | p50 | p95 | max | server p50 | server p95 | budget |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label: str, st: dict[str, Any], budget: str = "") -> str:
        return (
            f"| {label} | {st['n']} ({st['ok']}) | {fmt_s(st['p50'])} | {fmt_s(st['p95'])} | "
            f"{fmt_s(st['max'])} | {fmt_s(st['server_p50'])} | {fmt_s(st['server_p95'])} | "
            f"{budget} |"
        )

    lines.append(row("warm, every step", pt["warm"], "p95 <= 3 s"))
    lines += [row(f"warm, {name}", st) for name, st in pt["warm_by_step"].items()]
    lines += [
        row("first open (new session)", pt["first_open"]),
        row("failover steps (killed replica's viewers)", pt["failover"]),
        "",
        "Server: until the page's title is there and nothing runs (a websocket viewer: "
        "until the run's script_finished, so its page time is the server's); a browser's "
        "page time also waits for the drawing (no spinner, no loading skeleton).",
        "",
        f"Errors: {len(r['errors'])} of {r['steps']} steps (goal 0); browser script errors "
        f"{r['script_errors']}. Sessions: {s['held_whole_run']} of {s['viewers']} held for the "
        f"whole run; {s['on_killed_replica']} on the killed replica, "
        f"{s['reconnected_to_another_replica']} of them reconnected to another; "
        f"{s['lost_not_on_killed_replica']} lost elsewhere (goal 0). Sessions per replica "
        f"at the end: {s['per_replica_at_end']}.",
    ]
    if ev["import_start"] is not None:
        if ev["import_error"]:
            lines.append(f"\nScheduled import failed: {ev['import_error']}")
        else:
            vis = "; ".join(
                f"replica {v['replica']}: "
                + (
                    f"after {v['seconds_after_import']} s ({v['loads']} loads"
                    + (
                        f", {v['loads_failed']} failed while it was down)"
                        if v["loads_failed"]
                        else ")"
                    )
                    if v.get("visible")
                    else "not visible"
                )
                for v in ev["visibility"]
                if "visible" in v
            )
            lines.append(
                f"\nScheduled import (CLI) of snapshot #{ev['import_snapshot']}: "
                f"{ev['import_seconds']:.1f} s; the new snapshot shown by {vis}."
            )
    if ev["kill_at"] is not None:
        down = (ev["restarted_at"] or ev["kill_at"]) - ev["kill_at"]
        lines.append(
            f"Replica {ev['killed_replica']} killed (SIGKILL) at "
            f"{ev['kill_at'] - ev['run_start']:.0f} s, healthy again {down:.0f} s later"
            + (f", restarted by {ev['restarted_by']}" if ev.get("restarted_by") else "")
            + (
                f"; its address {ev['killed_addr']} before, {ev['restarted_addr']} after."
                if ev.get("restarted_addr")
                else "."
            )
        )
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--viewers", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean pause between steps (s), each drawn uniformly in [0.5, 1.5] x this",
    )
    ap.add_argument(
        "--client",
        choices=["ws", "browser", "mixed"],
        default="ws",
        help="viewers by Streamlit's websocket protocol, in Chromium, or mixed",
    )
    ap.add_argument(
        "--browsers", type=int, default=2, help="with --client mixed: viewers in Chromium"
    )
    ap.add_argument("--store", choices=["pg", "duckdb"], default="pg")
    ap.add_argument("--import-at", type=float, default=0.35, help="fraction of the run")
    ap.add_argument("--no-import", action="store_true")
    ap.add_argument("--kill", type=int, default=None, help="replica to kill (default: the last)")
    ap.add_argument("--no-kill", action="store_true")
    ap.add_argument("--kill-at", type=float, default=0.6, help="fraction of the run")
    ap.add_argument("--down", type=float, default=20.0, help="seconds before the restart")
    ap.add_argument("--base-port", type=int, default=18501)
    ap.add_argument("--http-port", type=int, default=18080)
    ap.add_argument("--pg-port", type=int, default=54339)
    ap.add_argument("--step-timeout", type=float, default=60.0, help="seconds; then an error")
    ap.add_argument("--out", type=Path, default=OUT / "load_test.json")
    ap.add_argument("--keep", action="store_true", help="leave the deployment running")
    ap.add_argument(
        "--deployment",
        choices=["plain", "compose"],
        default="plain",
        help="plain: deploy/plain/start.sh; compose: deploy/compose.yaml in Docker "
        "(deploy/check/compose_check.sh --up-only, as root)",
    )
    ap.add_argument(
        "--compose-project",
        default=None,
        help="with --deployment compose: a project already up (left running)",
    )
    a = ap.parse_args(argv)
    global STEP_TIMEOUT_MS
    STEP_TIMEOUT_MS = int(a.step_timeout * 1000)
    if a.no_kill or a.replicas < 2:
        a.kill = None
    elif a.kill is None:
        a.kill = a.replicas
    OUT.mkdir(parents=True, exist_ok=True)
    run_dir = Path(f"/tmp/pmo-load-{os.getpid()}")
    workbook = run_dir / "scheduled_import.xlsx"
    dep: Plain | Compose | None = None
    try:
        dep = deployment(a, run_dir)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pmo_core",
                "demo",
                "--projects",
                "60",
                "--seed",
                "11",
                "--out",
                str(workbook),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
        if isinstance(dep, Compose):
            dep.copy_in(workbook)
        steps, viewers, events = asyncio.run(scenario(a, dep, workbook))
        result = summarise(a, {}, run_dir, steps, viewers, events, dep)
        result["step_log"] = [asdict(s) for s in steps]
        a.out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        md = markdown(result)
        a.out.with_suffix(".md").write_text(md, encoding="utf-8")
        print(md)
        ok = not result["errors"] and result["sessions"]["lost_not_on_killed_replica"] == 0
        return 0 if ok else 1
    finally:
        if not a.keep:
            if dep is not None:
                dep.stop()
            elif a.deployment == "plain":  # start.sh failed half-way
                Plain(run_dir, {}).stop()


def deployment(a: argparse.Namespace, run_dir: Path) -> Plain | Compose:
    """The deployment under test, started (or found, ``--compose-project``)."""
    if a.deployment == "plain":
        return Plain(run_dir, start_deployment(a, run_dir))
    run_dir.mkdir(parents=True, exist_ok=True)
    dep = (
        Compose(a.compose_project)
        if a.compose_project
        else Compose.up(run_dir, f"pmo-load-{os.getpid()}")
    )
    if dep.replicas != a.replicas:
        raise SystemExit(
            f"--replicas {a.replicas}, but the compose project has {dep.replicas} "
            "(services app1..appN of deploy/compose.yaml)"
        )
    return dep


if __name__ == "__main__":
    raise SystemExit(main())
