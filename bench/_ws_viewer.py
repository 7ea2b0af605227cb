"""A load-test viewer that speaks Streamlit's websocket protocol (bench/load_test.py,
``--client ws``): what the browser's Streamlit client sends and reads, without a browser.

One viewer is one :class:`WsSession`: it GETs ``/`` through nginx first, as a browser
does (nginx sets the ``pmo_affinity`` cookie; Streamlit's ``_streamlit_xsrf`` cookie is
kept too), then opens ``/_stcore/stream`` with those cookies, so nginx's consistent hash
sends it to the replica a browser with that cookie would reach. Each step sends the
``BackMsg.rerun_script`` a browser sends (:func:`rerun_msg`) and reads the ForwardMsgs
until that run's ``script_finished`` (:class:`RunWatch`). When the websocket closes (its
replica was killed) it reconnects through nginx with the same cookies and re-sends the
step, as the browser's client does (a new session on another replica).

What it does not do that a browser does: download the page's JavaScript and fonts,
draw (the page time is the server's part only: send to ``script_finished``), cache
ForwardMsgs (it sends no ``cached_message_hashes``, so the server sends every element in
full) and send widget values (none: every widget keeps its session value).

The pure parts (:func:`rerun_msg`, :class:`RunWatch`) are tested without a server in
tests/test_load_test_ws.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: The first index of a delta_path: the main area (0) or the sidebar (1)
#: (streamlit/proto/RootContainer: MAIN = 0, SIDEBAR = 1).
MAIN, SIDEBAR = 0, 1
FINISHED = ForwardMsg.ScriptFinishedStatus


def rerun_msg(
    *,
    query_string: str,
    url: str,
    page_hash: str = "",
    page_name: str = "",
) -> BackMsg:
    """The ``rerun_script`` a browser sends: on a first open, the page's url path as
    ``page_name`` (no hash known yet); on a page change, the page's ``page_script_hash``
    (from the ``navigation`` message). ``url`` is the address the browser shows
    (``st.context.url``); no widget values, no cached message hashes."""
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query_string
    cs.page_script_hash = page_hash
    cs.page_name = "" if page_hash else page_name
    ci = cs.context_info
    ci.timezone = "UTC"
    ci.timezone_offset = 0
    ci.locale = "en-US"
    ci.url = url
    ci.color_scheme = "light"
    cs.widget_states.SetInParent()
    return msg


@dataclass
class RunWatch:
    """What the ForwardMsgs after one rerun request say, fed one at a time (:meth:`feed`).

    The step is done at the ``script_finished`` of a run that started after the request
    (its ``new_session``, same run id): FINISHED_SUCCESSFULLY ends it; a run ended early for
    a rerun (the app's own ``st.rerun``/``st.switch_page``, or this request interrupting
    an older run) is followed by the run that counts; a compile error ends it as an error.
    Each run starts afresh (``new_session``): the title must be in the last one."""

    title: str
    #: for a project's detail: its id, whose header "ID · name" must be shown
    project: str | None = None
    finished: bool = False
    status: str | None = None
    exception: str | None = None
    title_seen: bool = False
    project_seen: bool = False
    #: the main area's h1 of the current run (said when the title is not there)
    headings: list[str] = field(default_factory=list)
    #: the "Project detail" picker's options of the current run (project ids, in order)
    project_options: list[str] = field(default_factory=list)
    #: the sidebar's "Snapshot" choice of the current run ("#12 · 31/03/2026 ...")
    snapshot_label: str | None = None
    #: what the session says: the query string the app set, the page hash per url path
    query_string: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    session_id: str | None = None
    runs: set[str] = field(default_factory=set)

    def feed(self, msg: ForwardMsg) -> bool:
        """Take one ForwardMsg; True once the step is done (finished, or an error)."""
        kind = msg.WhichOneof("type")
        run_id = msg.metadata.run.script_run_id if msg.metadata.HasField("run") else ""
        if kind == "new_session":
            self.runs.add(run_id)
            self.headings, self.project_options, self.snapshot_label = [], [], None
            self.title_seen = self.project_seen = False
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
        elif kind == "navigation":
            for p in msg.navigation.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            # A run this request did not start (an older one) has no say; a run without an
            # identity is Streamlit's own error path (handle_backmsg_exception).
            if run_id and run_id not in self.runs:
                return False
            status = FINISHED.Name(msg.script_finished)
            if status == "FINISHED_EARLY_FOR_RERUN" or status.startswith("FINISHED_FRAGMENT"):
                return False
            self.status = status
            self.finished = True
            return True
        return False

    def _delta(self, msg: ForwardMsg) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        kind = el.WhichOneof("type")
        path = list(msg.metadata.delta_path)
        where = path[0] if path else MAIN
        if kind == "exception" and self.exception is None:
            ex = el.exception
            self.exception = f"exception on the page: {ex.type}: {ex.message[:160]}"
        elif kind == "heading" and where == MAIN:
            body = el.heading.body
            if el.heading.tag == "h1":
                self.headings.append(body)
                self.title_seen = self.title_seen or body.strip() == self.title
            if self.project and body.startswith(f"{self.project} · "):
                self.project_seen = True
        elif kind == "selectbox":
            box = el.selectbox
            options = list(box.options)
            value = box.raw_value if box.set_value or box.raw_value else None
            if value is None and 0 <= box.default < len(options):
                value = options[box.default]
            if where == MAIN and box.label == "Project detail":
                self.project_options = [o.split(" · ", 1)[0] for o in options]
            elif where == SIDEBAR and box.label == "Snapshot":
                self.snapshot_label = value

    def error(self) -> str | None:
        """The step's error once done, None when the page came as it should."""
        if self.exception:
            return self.exception
        if not self.finished:
            return "no script_finished"
        if self.status != "FINISHED_SUCCESSFULLY":
            return f"script finished with {self.status}"
        if not self.title_seen:
            return f"title {self.title!r} not shown (h1: {self.headings})"
        if self.project and not self.project_seen:
            return f"the detail of {self.project} not shown"
        return None

    def snapshot_shown(self) -> int | None:
        """The snapshot id the sidebar shows (its choice "#12 ..."), None when none."""
        m = re.match(r"#(\d+)", self.snapshot_label or "")
        return int(m.group(1)) if m else None


def parse(data: bytes) -> ForwardMsg:
    msg = ForwardMsg()
    msg.ParseFromString(data)
    return msg


def set_cookies(headers: list[str], jar: dict[str, str]) -> None:
    """The name=value of each ``Set-Cookie`` header into ``jar`` (attributes dropped).

    >>> jar = {}; set_cookies(["pmo_affinity=ab12; Path=/; HttpOnly", "x=1"], jar); jar
    {'pmo_affinity': 'ab12', 'x': '1'}
    """
    for h in headers:
        name, _, value = h.split(";", 1)[0].strip().partition("=")
        if name:
            jar[name] = value


class Closed(Exception):
    """The websocket closed (its replica was killed): reconnect and re-send."""


class WsSession:
    """One viewer's connection: cookies, the websocket, the session's pages and link."""

    def __init__(
        self,
        base: str,
        on_connect: Callable[[], None] | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.ws: Any = None  # a websockets ClientConnection while open
        self.pages: dict[str, str] = {}
        self.query_string = ""
        self.session_id: str | None = None
        self.on_connect = on_connect or (lambda: None)
        self.on_close = on_close or (lambda: None)

    async def get_root(self, timeout: float) -> None:
        """``GET /`` as the browser's first request: nginx's affinity cookie (and
        Streamlit's XSRF cookie) into the jar, sent with every later request."""
        u = urlsplit(self.base)

        def get() -> list[str]:
            conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=timeout)
            try:
                cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
                conn.request("GET", "/", headers={"Cookie": cookie} if cookie else {})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    raise OSError(f"GET / answered {resp.status}")
                return resp.headers.get_all("Set-Cookie") or []
            finally:
                conn.close()

        set_cookies(await asyncio.to_thread(get), self.cookies)

    async def connect(self, timeout: float) -> None:
        """Open ``/_stcore/stream`` with the cookies, as the browser's client: the
        subprotocol ``streamlit``, the XSRF token, the previous session id if any."""
        from websockets.asyncio.client import connect

        url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        # Positional (streamlit, XSRF token, session id); an empty entry is not a valid
        # subprotocol, so a missing token is "-", which the server only fails to match
        # (no sign-in cookie read, nothing else).
        protocols = ["streamlit"]
        if self.session_id or self.cookies.get("_streamlit_xsrf"):
            protocols.append(self.cookies.get("_streamlit_xsrf") or "-")
        if self.session_id:
            protocols.append(self.session_id)
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await connect(
            url,
            subprotocols=protocols,  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=None,  # a page's dataframes and charts pass the 1 MiB default
            open_timeout=timeout,
            ping_interval=20,
            ping_timeout=60,  # a replica busy for seconds is not a dead one
        )
        self.on_connect()

    async def open(self, timeout: float) -> None:
        await self.get_root(timeout)
        await self.connect(timeout)

    async def reconnect(self, deadline: float) -> None:
        """Reconnect through nginx with the same cookies until ``deadline``: nginx skips the
        dead replica and the hash moves the cookie to a live one."""
        await self.close()
        wait = 0.5
        while True:
            try:
                await self.connect(max(1.0, min(10.0, deadline - time.time())))
                return
            except Exception:
                if time.time() + wait >= deadline:
                    raise
                await asyncio.sleep(wait)
                wait = min(wait * 2, 4.0)

    async def close(self) -> None:
        ws, self.ws = self.ws, None
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()

    def url(self, path: str, query: str) -> str:
        return f"{self.base}/{path}" + (f"?{query}" if query else "")

    async def _drain(self) -> None:
        """Messages left from before (a run that outlived its step's timeout): read, dropped."""
        ws = self.ws
        while ws is not None:
            try:
                await asyncio.wait_for(ws.recv(), 0.001)
            except TimeoutError:
                return

    async def step(
        self, path: str, title: str, query: str, timeout: float, project: str | None = None
    ) -> RunWatch:
        """Open page ``path`` (its url path) with ``query``; returns the run's watch once its
        ``script_finished`` came, or the step timed out (``watch.finished`` False). A closed
        websocket is reconnected within the same timeout and the step re-sent with the
        link the browser shows then (the query string the app last set)."""
        deadline = time.time() + timeout
        watch = RunWatch(title, project)
        self.query_string = query
        sent = False
        while True:
            try:
                if self.ws is None:
                    raise Closed
                if not sent:
                    await self._drain()
                    msg = rerun_msg(
                        query_string=self.query_string,
                        url=self.url(path, self.query_string),
                        page_hash=self.pages.get(path, ""),
                        page_name=path,
                    )
                    await self.ws.send(msg.SerializeToString())
                    sent = True
                while True:
                    left = deadline - time.time()
                    if left <= 0:
                        return watch
                    try:
                        data = await asyncio.wait_for(self.ws.recv(), left)
                    except TimeoutError:
                        return watch
                    done = watch.feed(parse(data))
                    self.pages.update(watch.pages)
                    if watch.query_string is not None:
                        self.query_string = watch.query_string
                    if watch.session_id:
                        self.session_id = watch.session_id
                    if done:
                        return watch
            except Exception as exc:
                from websockets.exceptions import ConnectionClosed

                if isinstance(exc, TimeoutError) or not isinstance(
                    exc, (Closed, ConnectionClosed, OSError)
                ):
                    raise
                if not isinstance(exc, Closed):  # not a reconnect that failed before
                    self.on_close()
                await self.reconnect(deadline)  # raises when no replica answers in time
                watch = RunWatch(title, project)  # the new session's run counts
                sent = False
