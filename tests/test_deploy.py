"""The deployment's files agree with each other and with the code (docs/deploy.md): ports,
the upstream, the health path, the variables nginx's template takes, every environment
variable given to the app is one it reads; the plain scripts parse; nginx accepts the
rendered configuration; the one-shot init migrates and seeds once; the load test's own
arithmetic (percentiles, which sessions were on the killed replica)."""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, run_init

DEPLOY = ROOT / "deploy"
PLAIN = DEPLOY / "plain"
TEMPLATE = DEPLOY / "nginx" / "pmo.conf.template"
HEALTH = "/_stcore/health"
APP_PORT = 8501


def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "bench" / "load_test.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = mod
    spec.loader.exec_module(mod)
    return mod


def variables_the_code_reads() -> set[str]:
    """``PMO_*`` names read from the environment anywhere in the app's code."""
    names: set[str] = set()
    for f in [ROOT / "app.py", *ROOT.glob("pmo_core/**/*.py"), *ROOT.glob("ui/*.py")]:
        text = f.read_text(encoding="utf-8")
        names |= set(re.findall(r"environ(?:\.get\(|\[)\s*\"(PMO_\w+)\"", text))
        names |= set(re.findall(r"getenv\(\s*\"(PMO_\w+)\"", text))
    return names


def streamlit_variables() -> set[str]:
    from streamlit import config

    return {opt.env_var for opt in config.get_config_options().values()}


def app_services(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in doc["services"].items() if k.startswith("app")}


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text(encoding="utf-8")


def copy_sources() -> list[str]:
    """What the Dockerfile's COPY lines take from the build context (the repository)."""
    sources: list[str] = []
    for line in dockerfile().replace("\\\n", " ").splitlines():
        if line.startswith("COPY "):
            parts = [p for p in line.split()[1:] if not p.startswith("--")]
            sources += parts[:-1]
    return sources


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore leaves ``path`` (or a folder above it) out of the context:
    a pattern matches the path or one of its parents; ``**/name`` matches at any depth."""
    parts = path.split("/")
    for i in range(1, len(parts) + 1):
        prefix, name = "/".join(parts[:i]), parts[i - 1]
        for pat in patterns:
            if fnmatch.fnmatchcase(prefix, pat):
                return True
            if pat.startswith("**/") and fnmatch.fnmatchcase(name, pat[3:]):
                return True
    return False


def dockerfile_env() -> set[str]:
    text = dockerfile().replace("\\\n", " ")
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("ENV "):
            names |= set(re.findall(r"([A-Z_][A-Z0-9_]*)=", line))
    return names


# ------------------------------------------------------------------ compose and Dockerfile


def test_compose_has_the_topology_two_replicas_after_the_init_and_a_healthy_db() -> None:
    doc = compose()
    services = doc["services"]
    assert {"db", "init", "nginx"} <= set(services)
    apps = app_services(doc)
    assert len(apps) >= 2
    for name, svc in apps.items():
        deps = svc["depends_on"]
        assert deps["init"]["condition"] == "service_completed_successfully", name
        assert deps["db"]["condition"] == "service_healthy", name
        assert "healthcheck" not in svc, f"{name} keeps the image's HEALTHCHECK"
    assert services["init"]["command"][:2] == ["python", "deploy/init_store.py"]
    assert services["init"]["restart"] == "no"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["db"]["volumes"])
    for name in apps:
        assert services["nginx"]["depends_on"][name]["condition"] == "service_healthy"


def test_every_variable_given_to_the_app_is_one_it_reads() -> None:
    doc = compose()
    pmo, stl = variables_the_code_reads(), streamlit_variables()
    assert {"PMO_DB_URL", "PMO_DB_PATH", "PMO_CHROMIUM"} <= pmo  # the scan finds them
    given_vars = set(dockerfile_env())
    for name in [*app_services(doc), "init"]:
        given_vars |= set(doc["services"][name].get("environment", {}))
    # Python's and pip's own settings (PYTHONUNBUFFERED, PIP_NO_CACHE_DIR...) are theirs.
    tools = {v for v in given_vars if v.startswith(("PYTHON", "PIP_"))}
    unknown = sorted(v for v in given_vars - tools if v not in pmo and v not in stl)
    assert unknown == [], f"set but read by nobody: {unknown}"
    # The store and the cookie secret shared by the replicas are among them.
    assert {"PMO_DB_URL", "STREAMLIT_SERVER_COOKIE_SECRET"} <= given_vars


def test_the_plain_env_file_holds_only_variables_someone_reads() -> None:
    start = (PLAIN / "start.sh").read_text(encoding="utf-8")
    written = set(re.findall(r'echo "([A-Z_]+)=', start))
    assert {"PMO_DB_URL", "PMO_DB_PATH", "STREAMLIT_SERVER_COOKIE_SECRET"} <= written
    readers = "".join(
        p.read_text(encoding="utf-8")
        for p in [PLAIN / "replica.sh", PLAIN / "stop.sh", ROOT / "bench" / "load_test.py"]
    )
    pmo, stl = variables_the_code_reads(), streamlit_variables()
    for name in written:
        assert name in pmo or name in stl or name in readers, name


def test_dockerfile_runs_as_a_user_installs_with_the_lock_and_copies_what_exists() -> None:
    text = dockerfile()
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "pip install -c requirements.lock -r requirements.txt" in text
    for src in copy_sources():
        assert (ROOT / src).exists(), src
    # One port everywhere: the server's, the health check's, the exposed one.
    assert f"EXPOSE {APP_PORT}" in text
    assert f'"--server.port", "{APP_PORT}"' in text
    assert f"127.0.0.1:{APP_PORT}{HEALTH}" in text


def test_dockerfile_builds_from_the_official_python_image_unless_told_otherwise() -> None:
    # deploy/podman/check_image.sh builds FROM a stand-in with --build-arg PYTHON_IMAGE;
    # a user's `docker build` without it gets Docker Hub's image.
    text = dockerfile()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm$", text, re.M)
    assert re.findall(r"^FROM (\S+)", text, re.M) == ["${PYTHON_IMAGE}"]


def test_dockerignore_keeps_secrets_and_stores_out_but_not_what_the_image_copies() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    # No "!" re-inclusion: dockerignored() above reads the file faithfully.
    assert not [p for p in patterns if p.startswith("!")]
    # The helper itself: a parent folder or the file, at any depth for **/.
    assert dockerignored("data/demo_portfolio.xlsx", ["data"])
    assert dockerignored("data/demo_portfolio.xlsx", ["data/*.xlsx"])
    assert not dockerignored("data/demo_portfolio.xlsx", ["data/*.duckdb", "**/mappings"])
    assert dockerignored("ui/__pycache__/x.pyc", ["**/__pycache__"])
    for src in copy_sources():
        assert not dockerignored(src, patterns), f"COPY {src} is left out of the context"
    for kept_out in [
        ".git",
        ".venv/bin/python",
        "deploy/.env",
        "deploy/secrets.toml",
        ".streamlit/secrets.toml",
        "data/pmo.duckdb",
        "data/pmo.duckdb.wal",
        "pmo_core/__pycache__/store.cpython-311.pyc",
    ]:
        assert dockerignored(kept_out, patterns), kept_out


def test_the_secrets_file_given_to_the_replicas_is_one_streamlit_reads() -> None:
    # Streamlit reads a secrets path only if it ends in .toml or is a folder
    # (streamlit/runtime/secrets.py): /run/secrets/pmo_secrets, the short form's mount,
    # was ignored, so the image check found every replica "not configured".
    doc = compose()
    for name in [*app_services(doc), "init"]:
        svc = doc["services"][name]
        path = svc["environment"]["STREAMLIT_SECRETS_FILES"]
        assert path.endswith(".toml"), (name, path)
        targets = [
            s["target"] if "/" in s["target"] else f"/run/secrets/{s['target']}"
            for s in svc["secrets"]
            if isinstance(s, dict) and "target" in s
        ]
        assert path in targets, (name, path, svc["secrets"])
        assert all(s["source"] in doc["secrets"] for s in svc["secrets"]), name


# ------------------------------------------------------------------ nginx


def template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def test_nginx_template_takes_exactly_the_three_variables_both_deployments_give() -> None:
    placeholders = set(re.findall(r"\$\{(\w+)\}", template()))
    assert placeholders == {"PMO_LISTEN", "PMO_UPSTREAM_SERVERS", "PMO_ACCESS_LOG"}
    doc = compose()
    assert set(doc["services"]["nginx"]["environment"]) == placeholders
    conf_sh = (PLAIN / "nginx_conf.sh").read_text(encoding="utf-8")
    assert "envsubst '${PMO_LISTEN} ${PMO_UPSTREAM_SERVERS} ${PMO_ACCESS_LOG}'" in conf_sh
    # Comments name them without a dollar: envsubst would fill those in too.
    for line in template().splitlines():
        if line.lstrip().startswith("#"):
            assert "$PMO_" not in line and "${PMO_" not in line, line


def test_nginx_upstream_servers_are_the_app_services_on_the_app_port() -> None:
    doc = compose()
    nginx = doc["services"]["nginx"]
    servers = re.findall(r"server (\S+?):(\d+)", nginx["environment"]["PMO_UPSTREAM_SERVERS"])
    assert sorted(h for h, _ in servers) == sorted(app_services(doc))
    assert {int(p) for _, p in servers} == {APP_PORT}
    listen = nginx["environment"]["PMO_LISTEN"]
    assert any(p.endswith(f":{listen}") for p in nginx["ports"])
    mounted = [v for v in nginx["volumes"] if "pmo.conf.template" in v]
    assert mounted and mounted[0].startswith("./nginx/pmo.conf.template:/etc/nginx/templates/")


def test_nginx_routes_one_upstream_by_the_cookie_it_sets_and_upgrades_the_websocket() -> None:
    text = template()
    (upstream,) = re.findall(r"^upstream (\w+) \{", text, re.M)
    assert set(re.findall(r"proxy_pass http://(\w+);", text)) == {upstream}
    # The cookie read for the hash is the cookie set.
    assert "hash $pmo_affinity consistent;" in text
    assert "map $cookie_pmo_affinity $pmo_affinity " in text
    assert '"pmo_affinity=$request_id; Path=/; HttpOnly; SameSite=Lax"' in text
    assert "add_header Set-Cookie $pmo_affinity_cookie always;" in text
    stream = text.split("location /_stcore/stream", 1)[1].split("}", 1)[0]
    assert "proxy_read_timeout 1h;" in stream
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $pmo_connection;" in text
    assert f"location = {HEALTH}" in text
    # The health path every checker uses.
    assert HEALTH in (PLAIN / "replica.sh").read_text(encoding="utf-8")
    assert HEALTH in " ".join(compose()["services"]["nginx"]["healthcheck"]["test"])


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx not installed")
def test_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    prefix = tmp_path / "nginx"
    servers = "server 127.0.0.1:18501 max_fails=1 fail_timeout=10s; server 127.0.0.1:18502;"
    subprocess.run(
        [str(PLAIN / "nginx_conf.sh"), str(prefix), "127.0.0.1:18099", servers], check=True
    )
    conf = (prefix / "pmo.conf").read_text(encoding="utf-8")
    assert "listen 127.0.0.1:18099;" in conf
    assert servers in conf
    assert "$cookie_pmo_affinity" in conf  # nginx's own variables left alone
    r = subprocess.run(
        ["nginx", "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    "script",
    sorted(
        str(p.relative_to(DEPLOY))
        for p in [*PLAIN.glob("*.sh"), *DEPLOY.glob("podman/*.sh"), *DEPLOY.glob("check/*.sh")]
    ),
)
def test_deploy_scripts_parse(script: str) -> None:
    r = subprocess.run(["bash", "-n", str(DEPLOY / script)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert os.access(DEPLOY / script, os.X_OK), f"{script} is not executable"


# ------------------------------------------------------------------ the one-shot init


def test_init_seeds_an_empty_store_once(tmp_path: Path) -> None:
    import json

    env = {k: v for k, v in os.environ.items() if k not in ("PMO_DB_URL", "PMO_DB_PATH")}
    env["PMO_DB_PATH"] = str(tmp_path / "pmo.duckdb")
    first = run_init(env, "--demo-if-empty")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    from pmo_core.demo.history import DEMO_MONTHS

    # The demo month and its DEMO_MONTHS earlier months, as the app seeds them: ids 1 to
    # DEMO_MONTHS + 1 in a new store (the file is created by that first write, migrated).
    expected = list(range(1, DEMO_MONTHS + 2))
    assert json.loads(out) == {"migrations_applied": [], "demo_snapshot_ids": expected}
    again = run_init(env, "--demo-if-empty")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert json.loads(out) == {"migrations_applied": [], "demo_snapshot_ids": None}


def test_three_inits_at_once_apply_each_migration_once_on_postgresql() -> None:
    url = os.environ.get("PMO_TEST_PG_URL")
    if not url:
        pytest.skip("PMO_TEST_PG_URL not set (no PostgreSQL server)")
    import json
    import uuid

    import psycopg

    name = f"pmo_deploy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        target = url.rsplit("/", 1)[0] + f"/{name}"
        env = {k: v for k, v in os.environ.items() if k != "PMO_DB_PATH"}
        env["PMO_DB_URL"] = target
        procs = [run_init(env) for _ in range(3)]
        outs = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            outs.append(json.loads(out)["migrations_applied"])
        applied = sorted(v for o in outs for v in o)
        migrations = ROOT / "pmo_core/store/migrations"
        versions = sorted(  # the plain ones and PostgreSQL's alone (007)
            {
                int(f.name[:3])
                for d in (migrations, migrations / "postgresql")
                for f in d.glob("*.sql")
            }
        )
        # Each migration applied by exactly one of the three, the other two find nothing.
        assert applied == versions
        assert sum(1 for o in outs if o == []) >= 2
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------ the load test's arithmetic


def test_percentile_by_hand() -> None:
    lt = load_bench()
    # [1, 2, 3, 4]: p50 at rank (4-1)*0.50 = 1.5 -> 2 + 0.5*(3-2) = 2.5;
    # p95 at rank (4-1)*0.95 = 2.85 -> 3 + 0.85*(4-3) = 3.85; one value is every percentile.
    assert lt.percentile([4.0, 1.0, 3.0, 2.0], 50) == pytest.approx(2.5)
    assert lt.percentile([4.0, 1.0, 3.0, 2.0], 95) == pytest.approx(3.85)
    assert lt.percentile([7.0], 95) == 7.0
    assert lt.percentile([], 95) is None  # undefined, not 0


@settings(deadline=None)
@given(
    st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=50),
    st.floats(0, 100),
)
def test_percentile_is_numpys_linear_one(values: list[float], q: float) -> None:
    import numpy as np

    lt = sys.modules.get("load_test") or load_bench()
    assert lt.percentile(values, q) == pytest.approx(float(np.percentile(values, q)), abs=1e-9)


def test_sessions_on_the_killed_replica_are_told_from_nginx_log(tmp_path: Path) -> None:
    lt = load_bench()
    run = tmp_path / "run"
    (run / "nginx" / "logs").mkdir(parents=True)
    a, b, c = "a" * 32, "b" * 32, "c" * 32
    # Websockets as nginx logs them when they close: closed-at, status, duration.
    # a: on replica 2 (18502) from 100 to 150 (the kill at 150), then on replica 1.
    # b: on replica 1 the whole run (100 -> 300). c: on replica 1, then a second websocket
    # although its replica was never killed: a lost session.
    log = [
        f'150.000 101 50.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18502 {a}',
        f'300.000 101 145.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18501 {a}',
        f'300.000 101 200.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18501 {b}',
        f'120.000 101 20.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18501 {c}',
        f'300.000 101 170.000 "GET /_stcore/stream HTTP/1.1" 127.0.0.1:18501 {c}',
        f'130.000 200 0.004 "GET /_stcore/health HTTP/1.1" 127.0.0.1:18501 {a}',
    ]
    (run / "nginx" / "logs" / "access.log").write_text("\n".join(log) + "\n", encoding="utf-8")
    conns = lt.stream_connections(run)
    assert conns[a] == [(100.0, 150.0, "127.0.0.1:18502"), (155.0, 300.0, "127.0.0.1:18501")]
    viewers = [
        lt.Viewer(0, affinity=a, websockets=[100.0, 155.0]),
        lt.Viewer(1, affinity=b, websockets=[100.0]),
        lt.Viewer(2, affinity=c, websockets=[100.0, 130.0]),
    ]
    events = lt.Events(run_start=100.0, run_end=300.0, kill_at=150.0, killed_replica=2)
    steps = [
        lt.Step(0, "overview", 0, 110.0, 1.0),
        lt.Step(0, "projects", 0, 149.0, 8.0),  # across the kill: failover, not warm
        lt.Step(0, "whatif", 0, 160.0, 2.0),  # its first step after the kill: failover too
        lt.Step(0, "overview", 1, 170.0, 1.5),  # recovered: warm again
        lt.Step(1, "overview", 0, 150.0, 2.5),  # another replica: warm even at the kill
    ]
    args = type("A", (), {})()
    r = lt.summarise(args, {"PMO_BASE_PORT": "18501"}, run, steps, viewers, events)
    s = r["sessions"]
    assert (s["held_whole_run"], s["on_killed_replica"]) == (1, 1)
    assert s["reconnected_to_another_replica"] == 1
    assert s["lost_not_on_killed_replica"] == 1  # viewer 2
    assert r["page_time"]["failover"]["n"] == 2
    # Warm: 1.0, 1.5, 2.5 -> p50 1.5.
    assert r["page_time"]["warm"]["n"] == 3
    assert r["page_time"]["warm"]["p50"] == pytest.approx(1.5)
