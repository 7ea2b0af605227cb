"""The load test's websocket viewer (bench/_ws_viewer.py), its pure parts, no server: the
BackMsg a step sends, and what a recorded ForwardMsg sequence says (finished, error,
title seen). The ForwardMsgs are built here with Streamlit's own protobuf classes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import _ws_viewer as wsv

ROOT = Path(__file__).resolve().parents[1]
OK = ForwardMsg.FINISHED_SUCCESSFULLY
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "bench" / "load_test.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


# ------------------------------------------------------------------ ForwardMsgs as sent


def new_session(run: str, session: str = "s-1") -> ForwardMsg:
    m = ForwardMsg()
    m.new_session.initialize.session_id = session
    m.metadata.run.script_run_id = run
    return m


def finished(run: str, status: int = OK) -> ForwardMsg:
    m = ForwardMsg()
    m.script_finished = status  # type: ignore[assignment]
    if run:
        m.metadata.run.script_run_id = run
    return m


def heading(body: str, tag: str = "h1", where: int = 0) -> ForwardMsg:
    m = ForwardMsg()
    m.metadata.delta_path[:] = [where, 0]
    m.delta.new_element.heading.tag = tag
    m.delta.new_element.heading.body = body
    return m


def selectbox(label: str, options: list[str], default: int, where: int) -> ForwardMsg:
    m = ForwardMsg()
    m.metadata.delta_path[:] = [where, 3]
    box = m.delta.new_element.selectbox
    box.label = label
    box.options[:] = options
    box.default = default
    return m


def exception(kind: str, message: str) -> ForwardMsg:
    m = ForwardMsg()
    m.metadata.delta_path[:] = [0, 2]
    m.delta.new_element.exception.type = kind
    m.delta.new_element.exception.message = message
    return m


def navigation(pages: dict[str, str]) -> ForwardMsg:
    m = ForwardMsg()
    for path, h in pages.items():
        p = m.navigation.app_pages.add()
        p.url_pathname, p.page_script_hash = path, h
    return m


def page_info(query: str) -> ForwardMsg:
    m = ForwardMsg()
    m.page_info_changed.query_string = query
    return m


def feed(watch: wsv.RunWatch, msgs: list[ForwardMsg]) -> list[bool]:
    """Each message through the wire format (bytes), as the viewer reads them."""
    return [watch.feed(wsv.parse(m.SerializeToString())) for m in msgs]


# ------------------------------------------------------------------ the BackMsg


def test_first_open_rerun_names_the_page_by_its_url_path() -> None:
    msg = wsv.rerun_msg(
        query_string="lang=en", url="http://127.0.0.1:18080/overview?lang=en", page_name="overview"
    )
    back = BackMsg()
    back.ParseFromString(msg.SerializeToString())
    assert back.WhichOneof("type") == "rerun_script"
    cs = back.rerun_script
    assert (cs.page_name, cs.page_script_hash, cs.query_string) == ("overview", "", "lang=en")
    assert cs.context_info.url == "http://127.0.0.1:18080/overview?lang=en"
    assert cs.HasField("widget_states") and len(cs.widget_states.widgets) == 0
    assert not cs.cached_message_hashes and not cs.fragment_id


def test_page_change_rerun_names_the_page_by_its_hash_only() -> None:
    # A page change as the browser's client sends it: the navigation's hash, no name.
    msg = wsv.rerun_msg(
        query_string="lang=en&project=PRJ-007",
        url="http://h/projects?lang=en&project=PRJ-007",
        page_hash="abc123",
        page_name="projects",
    )
    cs = msg.rerun_script
    assert (cs.page_script_hash, cs.page_name) == ("abc123", "")
    assert cs.query_string == "lang=en&project=PRJ-007"


# ------------------------------------------------------------------ the ForwardMsgs


def test_a_detail_run_is_finished_with_its_title_and_its_project() -> None:
    w = wsv.RunWatch("Projects", project="PRJ-002")
    done = feed(
        w,
        [
            new_session("r1", session="sess-9"),
            navigation({"overview": "h-o", "projects": "h-p"}),
            heading("Projects"),
            selectbox("Project detail", ["PRJ-004 · Gamma", "PRJ-002 · Beta"], 1, where=0),
            selectbox("Snapshot", ["#25 · 31/03/2026", "#24 · 28/02/2026"], 0, where=1),
            heading("PRJ-002 · Beta", tag="h3"),
            page_info("lang=en&project=PRJ-002"),
            finished("r1"),
        ],
    )
    assert done == [False] * 7 + [True]  # done at script_finished, not before
    assert w.error() is None
    assert w.project_options == ["PRJ-004", "PRJ-002"]
    assert w.snapshot_shown() == 25
    assert w.pages == {"overview": "h-o", "projects": "h-p"}
    assert w.query_string == "lang=en&project=PRJ-002"
    assert w.session_id == "sess-9"


def test_a_french_fallback_is_an_error_naming_the_title_shown() -> None:
    # A session back in French: the run finishes, but with the French h1.
    w = wsv.RunWatch("Portfolio overview")
    feed(w, [new_session("r1"), heading("Vue du portefeuille"), finished("r1")])
    assert w.finished
    assert w.error() == "title 'Portfolio overview' not shown (h1: ['Vue du portefeuille'])"


def test_a_title_in_the_sidebar_or_an_h2_is_not_the_page_title() -> None:
    w = wsv.RunWatch("Projects")
    feed(w, [new_session("r1"), heading("Projects", where=1), heading("Projects", "h2")])
    feed(w, [finished("r1")])
    assert w.error() is not None and "not shown" in w.error()  # type: ignore[operator]


def test_the_detail_of_another_project_is_an_error() -> None:
    w = wsv.RunWatch("Projects", project="PRJ-002")
    feed(w, [new_session("r1"), heading("Projects"), heading("PRJ-001 · Alpha", "h3")])
    feed(w, [finished("r1")])
    assert w.error() == "the detail of PRJ-002 not shown"


def test_an_exception_element_is_an_error_even_when_the_run_finishes() -> None:
    w = wsv.RunWatch("Projects")
    msgs = [new_session("r1"), heading("Projects"), exception("KeyError", "'cpi'"), finished("r1")]
    assert feed(w, msgs) == [False, False, False, True]
    assert w.error() == "exception on the page: KeyError: 'cpi'"


def test_no_script_finished_is_an_error_and_a_compile_error_too() -> None:
    w = wsv.RunWatch("Projects")
    feed(w, [new_session("r1"), heading("Projects")])
    assert not w.finished and w.error() == "no script_finished"
    w = wsv.RunWatch("Projects")
    feed(w, [new_session("r1"), finished("r1", ForwardMsg.FINISHED_WITH_COMPILE_ERROR)])
    assert w.error() == "script finished with FINISHED_WITH_COMPILE_ERROR"


def test_an_older_runs_finish_does_not_end_the_step() -> None:
    # r0 ran before the request (its new_session was read by an earlier step): its late
    # script_finished is not this step's; the step ends with r1's.
    w = wsv.RunWatch("Projects")
    assert feed(w, [finished("r0"), new_session("r1"), heading("Projects")]) == [False] * 3
    assert feed(w, [finished("r1")]) == [True]
    assert w.error() is None


def test_the_title_must_be_in_the_last_run_after_an_early_end() -> None:
    # r1 showed the title, then ended early for a rerun (st.rerun, st.switch_page); r2,
    # the run that counts, shows another page: an error, r1's title does not count.
    w = wsv.RunWatch("Projects")
    msgs = [new_session("r1"), heading("Projects"), finished("r1", EARLY)]
    msgs += [new_session("r2"), heading("Portfolio overview"), finished("r2")]
    assert feed(w, msgs) == [False] * 5 + [True]
    assert w.error() == "title 'Projects' not shown (h1: ['Portfolio overview'])"


def test_streamlits_own_error_path_without_run_identity_ends_the_step() -> None:
    # handle_backmsg_exception: a script_finished without a run id, then the exception.
    w = wsv.RunWatch("Projects")
    assert feed(w, [finished("")]) == [True]
    assert w.error() == "title 'Projects' not shown (h1: [])"


@settings(deadline=None, max_examples=50)
@given(st.integers(0, 5), st.booleans())
def test_done_exactly_at_the_first_successful_finish(early_runs: int, title_last: bool) -> None:
    # Property: any number of runs ended early, then one that finishes: the step is done
    # at that last message and no sooner; the title counts only if the last run has it.
    w = wsv.RunWatch("What-if prioritisation")
    msgs: list[ForwardMsg] = []
    for i in range(early_runs):
        msgs += [new_session(f"r{i}"), heading("What-if prioritisation"), finished(f"r{i}", EARLY)]
    msgs.append(new_session("last"))
    if title_last:
        msgs.append(heading("What-if prioritisation"))
    msgs.append(finished("last"))
    done = feed(w, msgs)
    assert done == [False] * (len(msgs) - 1) + [True]
    assert (w.error() is None) == title_last


# ------------------------------------------------------------------ cookies, clients


def test_cookies_keep_name_and_value_only() -> None:
    jar: dict[str, str] = {"pmo_affinity": "old"}
    wsv.set_cookies(
        ["pmo_affinity=" + "a" * 32 + "; Path=/; HttpOnly; SameSite=Lax", "_streamlit_xsrf=2|x|y"],
        jar,
    )
    assert jar == {"pmo_affinity": "a" * 32, "_streamlit_xsrf": "2|x|y"}


def test_mixed_puts_the_first_k_viewers_in_chromium() -> None:
    lt = load_bench()
    assert lt.viewer_clients("mixed", 4, 1) == ["browser", "ws", "ws", "ws"]
    assert lt.viewer_clients("mixed", 3, 0) == ["ws", "ws", "ws"]
    assert lt.viewer_clients("browser", 2, 1) == ["browser", "browser"]
    assert lt.viewer_clients("ws", 3, 2) == ["ws", "ws", "ws"]


def test_a_websocket_nginx_passed_to_a_second_replica_is_that_replicas(tmp_path: Path) -> None:
    # nginx's $upstream_addr lists every replica tried: the killed one refused (18502),
    # the next one (18501) served. The line counts, for the last one; before, the space
    # after the comma made the line unreadable and the moved session looked unserved.
    lt = load_bench()
    logs = tmp_path / "nginx" / "logs"
    logs.mkdir(parents=True)
    a = "a" * 32
    (logs / "access.log").write_text(
        f'150.000 101 50.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18502 {a}\n'
        f'300.000 101 140.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18502, 127.0.0.1:18501 {a}\n',
        encoding="utf-8",
    )
    assert lt.stream_connections(tmp_path)[a] == [
        (100.0, 150.0, "127.0.0.1:18502"),
        (160.0, 300.0, "127.0.0.1:18501"),
    ]
