"""The load test against deploy/compose.yaml (bench/load_test.py --deployment compose) and
nginx's re-resolving of the replicas (deploy/nginx/reresolve.sh), without Docker: the
docker commands it builds, what it reads back from them (faked here), nginx's log as
``docker logs`` prints it, and the watcher with a fake getent and nginx."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.test_load_test_ws import load_bench

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
RERESOLVE = DEPLOY / "nginx" / "reresolve.sh"


class FakeDocker:
    """``docker ARGS`` answered from a table: the containers of project p, app2's state."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.ip = {"c-app1": "172.20.0.3", "c-app2": "172.20.0.4"}
        self.restarts = {"c-app1": 0, "c-app2": 0}
        self.status = {"c-app1": "running", "c-app2": "running"}

    def __call__(self, *args: str, timeout: float = 60) -> str:
        self.calls.append(args)
        if args[0] == "ps":
            service = args[-1].rsplit("=", 1)[1]
            return f"c-{service}" if service in ("app1", "app2", "nginx") else ""
        if args[0] == "port":
            return "127.0.0.1:18080\n[::1]:18080"
        if args[0] == "inspect":
            fmt, cid = args[2], args[3]
            if "IPAddress" in fmt:
                return self.ip[cid]
            if fmt == "{{.State.Pid}}":
                return "4242"
            if fmt == "{{.RestartCount}}":
                return str(self.restarts[cid])
            if "RestartCount" in fmt:
                return f"{self.status[cid]} {self.restarts[cid]}"
            if "Health" in fmt:
                return "healthy"
        if args[0] in ("start", "cp"):
            return ""
        raise AssertionError(f"unexpected docker {args}")


@pytest.fixture
def lt_docker(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, FakeDocker]:
    lt = load_bench()
    fake = FakeDocker()
    monkeypatch.setattr(lt, "docker", fake)
    return lt, fake


def test_compose_containers_are_found_by_compose_labels_and_nginx_by_its_published_port(
    lt_docker: tuple[Any, FakeDocker],
) -> None:
    lt, fake = lt_docker
    dep = lt.Compose("pmo-x")
    assert dep.http_url == "http://127.0.0.1:18080"  # the first line of `docker port`
    assert fake.calls[0] == (
        "ps",
        "-a",
        "-q",
        "--filter",
        "label=com.docker.compose.project=pmo-x",
        "--filter",
        "label=com.docker.compose.service=nginx",
    )
    assert dep.replicas == 2  # app1, app2 found; app3 not
    assert dep.replica_url(2) == "http://172.20.0.4:8501"
    assert dep.replica_addr(1) == "172.20.0.3:8501"  # as nginx's $upstream_addr says it


def test_published_url_opens_an_every_interface_address_on_loopback() -> None:
    lt = load_bench()
    assert lt.published_url("127.0.0.1:18080") == "http://127.0.0.1:18080"
    assert lt.published_url("0.0.0.0:80\n") == "http://127.0.0.1:80"
    assert lt.published_url("[::]:80") == "http://[::1]:80"


def test_the_import_runs_the_cli_inside_app1_on_the_copied_workbook(
    lt_docker: tuple[Any, FakeDocker],
) -> None:
    lt, fake = lt_docker
    dep = lt.Compose("pmo-x")
    book = Path("/tmp/run/scheduled_import.xlsx")
    dep.copy_in(book)
    assert fake.calls[-1] == ("cp", str(book), "c-app1:/tmp/scheduled_import.xlsx")
    argv, _ = dep.import_command(book)
    assert argv == [
        "docker",
        "exec",
        "c-app1",
        "python",
        "-m",
        "pmo_core",
        "import",
        "/tmp/scheduled_import.xlsx",
        "--json",
        "--who",
        "load test",
    ]


def test_the_kill_is_a_sigkill_of_the_containers_main_process_from_the_host(
    lt_docker: tuple[Any, FakeDocker], monkeypatch: pytest.MonkeyPatch
) -> None:
    lt, fake = lt_docker
    killed: list[tuple[int, int]] = []
    monkeypatch.setattr(lt.os, "kill", lambda pid, sig: killed.append((pid, sig)))
    dep = lt.Compose("pmo-x")
    fake.restarts["c-app2"] = 3  # restarted before this run: the count is relative
    dep.kill(2)
    assert killed == [(4242, signal.SIGKILL)]
    assert dep.addr_before == "172.20.0.4:8501"
    assert dep.restarts_before == 3


def test_a_restart_by_dockers_policy_is_told_from_a_docker_start(
    lt_docker: tuple[Any, FakeDocker], monkeypatch: pytest.MonkeyPatch
) -> None:
    lt, fake = lt_docker
    monkeypatch.setattr(lt.os, "kill", lambda pid, sig: None)
    monkeypatch.setattr(lt.time, "sleep", lambda s: None)
    dep = lt.Compose("pmo-x")
    # The policy brought it back (its restart count one up), at another address.
    dep.kill(2)
    fake.restarts["c-app2"] = 1
    fake.ip["c-app2"] = "172.20.0.6"
    dep.restart(2, down=5)
    assert dep.restarted_by == "docker (restart: unless-stopped)"
    assert dep.addr_after == "172.20.0.6:8501"
    assert not [c for c in fake.calls if c[0] == "start"]
    # No restart within `down`: docker start, said so.
    dep.kill(2)
    fake.status["c-app2"] = "exited"
    dep.restart(2, down=0.01)
    assert dep.restarted_by == "docker start (the policy did not restart it)"
    assert ("start", "c-app2") in fake.calls


def test_nginx_docker_logs_are_read_for_the_replica_of_each_websocket() -> None:
    # `docker logs` of the nginx container: the access log (template format pmo) with the
    # entrypoint's lines around it; the second websocket of a went to app2 first (killed,
    # refused) then app1, which served it (the last address).
    lt = load_bench()
    a, b = "a" * 32, "b" * 32
    text = "\n".join(
        [
            "/docker-entrypoint.sh: running /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: configuration complete; ready for start up",
            f'1000.500 101 40.500 "GET /_stcore/stream HTTP/1.1" 172.20.0.4:8501 {a}',
            f'1100.000 101 90.000 "GET /_stcore/stream HTTP/1.1" 172.20.0.4:8501, 172.20.0.3:8501 {a}',
            f'1100.000 101 99.000 "GET /_stcore/stream HTTP/1.1" 172.20.0.3:8501 {b}',
            f'1050.000 200 0.002 "GET /_stcore/health HTTP/1.1" 172.20.0.3:8501 {b}',
            '1001.000 101 1.000 "GET /_stcore/stream HTTP/1.1" 172.20.0.3:8501 -',
        ]
    )
    conns = lt.parse_stream_log(text)
    # opened = closed - duration: 1000.5 - 40.5 = 960; 1100 - 90 = 1010; 1100 - 99 = 1001.
    assert conns == {
        a: [(960.0, 1000.5, "172.20.0.4:8501"), (1010.0, 1100.0, "172.20.0.3:8501")],
        b: [(1001.0, 1100.0, "172.20.0.3:8501")],
    }


def test_sessions_on_the_killed_container_are_told_by_its_address_before_the_restart(
    tmp_path: Path,
) -> None:
    # The killed replica came back at another address (172.20.0.6): the sessions it held
    # were on its old one (172.20.0.4), recorded at the kill.
    lt = load_bench()
    a, b = "a" * 32, "b" * 32

    class Dep:
        name, store = "compose", "PostgreSQL"

        def access_log(self) -> str:
            return (
                f'1000.000 101 40.000 "GET /_stcore/stream HTTP/1.1" 172.20.0.4:8501 {a}\n'
                f'1100.000 101 95.000 "GET /_stcore/stream HTTP/1.1" 172.20.0.3:8501 {a}\n'
                f'1100.000 101 140.000 "GET /_stcore/stream HTTP/1.1" 172.20.0.3:8501 {b}\n'
            )

        def replica_addr(self, index: int) -> str:
            return "172.20.0.6:8501"  # now: not where its sessions were

    viewers = [
        lt.Viewer(0, client="ws", affinity=a, websockets=[960.0, 1005.0]),
        lt.Viewer(1, client="ws", affinity=b, websockets=[960.0]),
    ]
    events = lt.Events(
        run_start=960.0,
        run_end=1100.0,
        kill_at=1000.0,
        killed_replica=2,
        killed_addr="172.20.0.4:8501",
        restarted_addr="172.20.0.6:8501",
        restarted_by="docker (restart: unless-stopped)",
    )
    args = type("A", (), {})()
    r = lt.summarise(args, {}, tmp_path, [], viewers, events, Dep())
    s = r["sessions"]
    assert (s["on_killed_replica"], s["reconnected_to_another_replica"]) == (1, 1)
    assert (s["held_whole_run"], s["lost_not_on_killed_replica"]) == (1, 0)
    assert r["deployment"] == "compose"


def test_compose_mode_is_chosen_by_flag_and_plain_stays_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lt = load_bench()
    seen: dict[str, Any] = {}

    def stop_at_deployment(a: Any, run_dir: Path) -> Any:
        seen["a"] = a
        raise SystemExit(3)

    monkeypatch.setattr(lt, "deployment", stop_at_deployment)
    with pytest.raises(SystemExit):
        lt.main(["--seconds", "1", "--keep"])  # --keep: nothing to stop either
    assert seen["a"].deployment == "plain" and seen["a"].compose_project is None
    with pytest.raises(SystemExit):
        lt.main(["--deployment", "compose", "--compose-project", "pmo-x", "--keep"])
    assert (seen["a"].deployment, seen["a"].compose_project) == ("compose", "pmo-x")


# ------------------------------------------------------------------ deploy/nginx/reresolve.sh


def test_compose_mounts_the_watcher_where_the_nginx_image_runs_it() -> None:
    doc = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    volumes = doc["services"]["nginx"]["volumes"]
    assert "./nginx/reresolve.sh:/docker-entrypoint.d/40-pmo-reresolve.sh:ro" in volumes
    # The image's entrypoint runs only executable *.sh files of /docker-entrypoint.d.
    assert os.access(RERESOLVE, os.X_OK)
    assert subprocess.run(["sh", "-n", str(RERESOLVE)], check=False).returncode == 0


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def test_the_watcher_reloads_nginx_when_a_replica_address_changes(tmp_path: Path) -> None:
    # getent answers from files hosts/NAME; nginx records its arguments. app2 moves from
    # .4 to .6: one reload. Then app2 vanishes (stopped: no answer) -> one more reload
    # (refused by a real nginx, kept going); nothing else changes -> no further reload.
    bin_dir = tmp_path / "bin"
    hosts = tmp_path / "hosts"
    bin_dir.mkdir()
    hosts.mkdir()
    (hosts / "app1").write_text("172.20.0.3 app1\n")
    (hosts / "app2").write_text("172.20.0.4 app2\n")
    _fake(bin_dir, "getent", f'cat "{hosts}/$2" 2>/dev/null || exit 2\n')
    _fake(bin_dir, "nginx", f'echo "$*" >>"{tmp_path}/nginx.calls"\n')
    env = dict(
        os.environ,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        PMO_UPSTREAM_SERVERS="server app1:8501 max_fails=1 fail_timeout=10s;\n"
        "server app2:8501 max_fails=1 fail_timeout=10s;",
        PMO_RESOLVE_INTERVAL="0.1",
    )
    proc = subprocess.Popen(
        ["sh", str(RERESOLVE)],
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    calls = tmp_path / "nginx.calls"

    def reloads_after(seconds: float) -> list[str]:
        time.sleep(seconds)
        return calls.read_text().splitlines() if calls.exists() else []

    try:
        proc.wait(timeout=10)  # the script returns at once; its watcher stays
        assert proc.returncode == 0
        assert reloads_after(0.5) == []  # nothing changed
        (hosts / "app2").write_text("172.20.0.6 app2\n")
        assert reloads_after(0.6) == ["-s reload"]
        (hosts / "app2").unlink()
        assert reloads_after(0.6) == ["-s reload", "-s reload"]
        assert reloads_after(0.5) == ["-s reload", "-s reload"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
    err = proc.stderr.read() if proc.stderr else ""
    assert "watching the addresses of: app1 app2" in err


def test_the_watcher_does_nothing_without_upstream_names(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PMO_UPSTREAM_SERVERS"}
    r = subprocess.run(
        ["sh", str(RERESOLVE)], env=env, capture_output=True, text=True, timeout=10, check=False
    )
    assert r.returncode == 0 and r.stderr == ""
