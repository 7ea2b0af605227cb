"""Roles, password hashes, the sign-in configuration and the lock-out of wrong passwords."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import auth, i18n
from tests.conftest import ROOT

# One N = 2^17 hash costs ~1 s and 128 MiB: made once for the module.
NEW = auth.hash_password("Copil2026!", salt=b"0123456789abcdef")
OLD = auth.hash_password("Copil2026!", salt=b"0123456789abcdef", n=2**14)
KEYS = ["user:password", "addr:10.0.0.7"]


def test_new_hashes_use_scrypt_n_2_17_and_are_salted() -> None:
    assert auth.hash_parameters(NEW) == (2**17, 8, 1)
    assert NEW.startswith("scrypt$131072$8$1$")
    assert "Copil2026" not in NEW
    assert auth.verify_password("Copil2026!", NEW)
    assert not auth.verify_password("copil2026!", NEW)
    assert not auth.needs_rehash(NEW)
    other = auth.hash_password("Copil2026!", n=2**14)  # cheap: only the salt is under test
    assert other != OLD and auth.verify_password("Copil2026!", other)


def test_old_hashes_still_verify_and_ask_to_be_remade() -> None:
    assert OLD.startswith("scrypt$16384$8$1$")
    assert auth.verify_password("Copil2026!", OLD)
    assert not auth.verify_password("wrong", OLD)
    assert auth.needs_rehash(OLD)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "plain",
        "scrypt$1$2$3$xx",
        "bcrypt$a$b$c$d$e",
        "scrypt$x$8$1$AAAA$AAAA",
        # N = 2^22 would take 4 GiB: refused without trying
        "scrypt$4194304$8$1$MDEyMzQ1Njc4OWFiY2RlZg==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$not base64!$AAAA",
    ],
)
def test_malformed_hash_never_verifies(bad: str) -> None:
    assert not auth.verify_password("anything", bad)
    assert not auth.needs_rehash(bad) or auth.hash_parameters(bad) is not None


def test_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError):
        auth.hash_password("")


# ------------------------------------------------------------------ lock-out rule


def test_five_failures_lock_for_15_minutes_then_30_then_60() -> None:
    a = auth.Attempts()
    for s in range(4):  # failures at 1000, 1001, 1002, 1003: counted, not locked
        a = auth.after_failure(a, 1000.0 + s)
    assert (a.failures, a.lockouts, a.wait(1003.0)) == (4, 0, 0.0)
    a = auth.after_failure(a, 1004.0)  # the 5th: locked 15 min = 900 s, until 1904
    assert (a.failures, a.lockouts, a.locked_until) == (0, 1, 1904.0)
    assert a.wait(1004.0) == 900.0 and a.wait(1900.0) == 4.0 and a.wait(1904.0) == 0.0
    for s in range(5):  # 5 more at 2000..2004: the 2nd lock-out doubles, 1800 s
        a = auth.after_failure(a, 2000.0 + s)
    assert (a.lockouts, a.locked_until) == (2, 2004.0 + 1800.0)
    for s in range(5):  # the 3rd: 3600 s
        a = auth.after_failure(a, 4000.0 + s)
    assert (a.lockouts, a.locked_until) == (3, 4004.0 + 3600.0)


def test_lockouts_are_capped_at_a_day_and_forgotten_after_a_quiet_day() -> None:
    # the 11th lock-out would be 900 * 2^10 = 921 600 s: capped at 86 400 s
    a = auth.Attempts(failures=4, lockouts=10, locked_until=0.0, last_failure=100.0)
    a = auth.after_failure(a, 200.0)
    assert a.locked_until == 200.0 + 86_400.0
    # Last failure at 100, locked until 500: quiet from 500. A failure at 500 + 86 400 =
    # 86 900 starts again from nothing; one a second earlier is the 5th in a row and
    # locks for the 4th time: 900 * 2^3 = 7 200 s.
    quiet = auth.Attempts(failures=4, lockouts=3, locked_until=500.0, last_failure=100.0)
    assert auth.after_failure(quiet, 86_900.0) == auth.Attempts(1, 0, 0.0, 86_900.0)
    assert auth.after_failure(quiet, 86_899.0) == auth.Attempts(0, 4, 86_899.0 + 7_200.0, 86_899.0)


def test_the_throttle_reproduces_and_stops_the_session_bypass() -> None:
    """Today's bypass: 3 sessions x 5 guesses, then the right password. The count is the
    process's (per user name and address), not the session's: the 6th try is refused
    without even checking the password, and so is the right one."""
    throttle = auth.Throttle()
    checks: list[str] = []

    def wrong() -> str | None:
        checks.append("wrong")
        return None

    for session in range(3):
        for guess in range(5):
            r = throttle.attempt(KEYS, wrong, now=1000.0 + 5 * session + guess)
            assert r.role is None
    assert len(checks) == 5  # only the first session's guesses were tried
    right = throttle.attempt(KEYS, lambda: "editor", now=1020.0)
    assert right == auth.SignInResult(None, 1904.0 - 1020.0, checked=False)
    # After the lock: the right password signs in and clears the record.
    assert throttle.attempt(KEYS, lambda: "editor", now=1904.0).role == "editor"
    assert throttle.record(KEYS[0]) == auth.Attempts()


def test_another_address_is_still_locked_by_the_user_name() -> None:
    throttle = auth.Throttle()
    for s in range(5):
        throttle.attempt(["user:password", "addr:1.1.1.1"], lambda: None, now=100.0 + s)
    r = throttle.attempt(["user:password", "addr:2.2.2.2"], lambda: "editor", now=110.0)
    assert r.role is None and not r.checked and r.wait == 104.0 + 900.0 - 110.0


def test_parallel_tries_cannot_race_past_the_count() -> None:
    throttle = auth.Throttle()
    checks = []

    def wrong() -> str | None:
        checks.append(1)
        return None

    threads = [threading.Thread(target=throttle.attempt, args=(KEYS, wrong)) for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(checks) == auth.LOCK_AFTER  # 20 at once: 5 tried, 15 refused unchecked


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=3000), min_size=1, max_size=60))
def test_property_never_more_than_five_checks_between_lockouts(gaps: list[float]) -> None:
    """Wrong passwords at any times (gaps under a day): each run of checked tries between
    two lock-outs is at most 5 long, and the k-th lock-out lasts min(900 * 2^(k-1), 86 400)."""
    throttle = auth.Throttle()
    now, run, lockouts = 0.0, 0, 0
    for gap in gaps:
        now += gap
        r = throttle.attempt(KEYS, lambda: None, now=now)
        if r.checked:
            run += 1
            assert run <= auth.LOCK_AFTER
            if r.wait > 0:  # this failure locked
                lockouts += 1
                assert r.wait == pytest.approx(min(900.0 * 2 ** (lockouts - 1), 86_400.0))
                run = 0
        else:
            assert r.wait > 0


def _db(tmp_path: Path) -> Path:
    from pmo_core.store.connection import connect

    db = tmp_path / "pmo.duckdb"
    with connect(db, write=True):  # creates and migrates the store
        pass
    return db


def test_the_store_shares_the_count_between_processes(tmp_path: Path) -> None:
    """Another process (a second server behind the same store) makes five wrong tries:
    this process, which saw none of them, is locked too."""
    db = _db(tmp_path)
    code = (
        "from pmo_core import auth\n"
        "for s in range(5):\n"
        f"    auth.Throttle().attempt({KEYS!r}, lambda: None, path={str(db)!r}, now=500.0 + s)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    here = auth.Throttle()
    r = here.attempt(KEYS, lambda: "editor", path=db, now=600.0)
    assert r.role is None and not r.checked and r.wait == 504.0 + 900.0 - 600.0
    # A right password after the lock clears the store's records for every process.
    assert here.attempt(KEYS, lambda: "editor", path=db, now=2000.0).role == "editor"
    from pmo_core.store import attempts

    assert attempts.read_attempts(KEYS, path=db) == {}


def test_a_store_that_cannot_answer_leaves_the_process_count(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    path = blocked / "pmo.duckdb"  # a folder that cannot exist: every store call fails
    throttle = auth.Throttle()
    for s in range(5):
        throttle.attempt(KEYS, lambda: None, path=path, now=10.0 + s)
    assert not throttle.attempt(KEYS, lambda: "editor", path=path, now=20.0).checked


def test_store_records_drop_after_a_quiet_day(tmp_path: Path) -> None:
    import time

    from pmo_core.store import attempts

    db = _db(tmp_path)
    old = time.time() - 2 * 86_400
    attempts.write_attempts({"addr:a": (3, 0, 0.0, old)}, path=db)
    attempts.write_attempts({"addr:b": (1, 0, 0.0, time.time())}, path=db)
    assert set(attempts.read_attempts(["addr:a", "addr:b"], path=db)) == {"addr:b"}


# ------------------------------------------------------------------ configuration


def test_modes_from_secrets() -> None:
    cfg = auth.AuthConfig.from_secrets(
        {"pmo": {"editor_password_hash": OLD, "requester_password_hash": "x", "open": True}}
    )
    assert cfg.mode == "password"  # a password written wins over open = true
    assert cfg.role_for_password("Copil2026!") == "editor"
    assert cfg.role_for_password("x") is None
    oidc = auth.AuthConfig.from_secrets(
        {"auth": {"client_id": "c"}, "pmo": {"editors": ["a@b.fr"]}}
    )
    assert oidc.mode == "oidc" and oidc.role_for_email(None) == "viewer"
    assert auth.AuthConfig.from_secrets({"pmo": {"open": True}}).mode == "open"


@pytest.mark.parametrize(
    ("secrets", "problem"),
    [
        ({}, (auth.NO_SECRETS, {})),
        ({"pm0": {"open": True}}, (auth.NO_PMO, {"found": "[pm0]"})),
        ({"pmo": {"open": "true"}}, (auth.OPEN_NOT_TRUE, {"value": "'true'"})),
        ({"pmo": {"open": 1}}, (auth.OPEN_NOT_TRUE, {"value": "1"})),
        (
            {"pmo": {"editor_pasword_hash": "scrypt$..."}},
            (auth.UNKNOWN_KEY_NEAR, {"key": "editor_pasword_hash", "near": "editor_password_hash"}),
        ),
        ({"pmo": {"zzz": 1}}, (auth.UNKNOWN_KEY, {"key": "zzz"})),
        ({"pmo": {"editors": ["a@b.fr"]}}, (auth.NOTHING_SET, {})),
    ],
)
def test_a_missing_or_misspelt_configuration_is_not_open(secrets: dict, problem: tuple) -> None:
    """Before: each of these ran in open mode, where everyone edits and deletes."""
    cfg = auth.AuthConfig.from_secrets(secrets)
    assert cfg.mode == "unconfigured"
    assert problem in cfg.problems
    assert cfg.allows("editor", "view")
    for action in ("import", "delete", "profile", "scenario", "review", "request"):
        assert not cfg.allows("editor", action)


def test_every_problem_has_its_french() -> None:
    for template in auth.PROBLEMS:
        assert template in i18n.FR, template
        assert i18n.FR[template].count("{") == template.count("{")


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),
        ({"email_verified": False}, False),
        ({"email_verified": "false"}, False),
        ({"email_verified": 1}, False),
        ({}, False),
    ],
)
def test_oidc_needs_a_verified_email(claims: dict, verified: bool) -> None:
    assert auth.email_verified({"email": "a@b.fr", **claims}) is verified


def test_actions_by_role() -> None:
    cfg = auth.AuthConfig(mode="password")
    assert cfg.allows("viewer", "view") and not cfg.allows("viewer", "request")
    assert cfg.allows("requester", "request") and not cfg.allows("requester", "import")
    for action in ("import", "delete", "profile", "scenario", "review"):
        assert cfg.allows("editor", action)
    assert auth.AuthConfig(mode="password", viewers_can_request=True).allows("viewer", "request")


def test_a_store_of_the_previous_release_gets_the_attempts_table(tmp_path: Path) -> None:
    """A store migrated up to 003 (the release before): the next write connection adds
    005 (and whatever number sits between: the numbers need not follow each other), and
    the throttle then keeps its records there."""
    import duckdb

    from pmo_core.store.connection import MIGRATIONS_DIR, connect

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    for f in sorted(MIGRATIONS_DIR.glob("00[123]_*.sql")):
        con.execute(f.read_text(encoding="utf-8"))
        con.execute("INSERT INTO migrations VALUES (?, ?, now())", [int(f.name[:3]), f.stem])
    con.close()
    with connect(db, write=True) as con:
        versions = {r[0] for r in con.execute("SELECT version FROM migrations").fetchall()}
        assert {1, 2, 3, 5} <= versions
        assert con.execute("SELECT count(*) FROM login_attempts").fetchone() == (0,)
    throttle = auth.Throttle()
    throttle.attempt(KEYS, lambda: None, path=db, now=50.0)
    from pmo_core.store import attempts

    assert attempts.read_attempts(KEYS, path=db)[KEYS[0]] == (1, 0, 0.0, 50.0)


def test_an_administrator_unlocks_the_sign_in_from_the_command_line(tmp_path: Path) -> None:
    import json

    from pmo_core.store import attempts

    db = _db(tmp_path)
    throttle = auth.Throttle()
    for s in range(5):
        throttle.attempt(KEYS, lambda: None, path=db, now=1000.0 + s)
    assert set(attempts.list_attempts(path=db)) == set(KEYS)

    def cli(*extra: str) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "pmo_core", "unlock-sign-in", "--json", "--db", str(db), *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    assert cli("--key", "addr:10.0.0.7") == {"cleared": ["addr:10.0.0.7"]}
    assert set(attempts.list_attempts(path=db)) == {"user:password"}
    assert cli() == {"cleared": ["user:password"]}
    # The running process that counted the failures may try again at once.
    assert throttle.attempt(KEYS, lambda: "editor", path=db, now=1010.0).role == "editor"


def test_failures_the_store_could_not_take_still_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store reads (empty) but refuses writes (busy): this process's count is merged
    back in, so the 5th failure still locks."""
    from pmo_core.store import attempts

    db = _db(tmp_path)

    def busy(*args: object, **kwargs: object) -> None:
        raise OSError("busy")

    monkeypatch.setattr(attempts, "write_attempts", busy)
    throttle = auth.Throttle()
    for s in range(5):
        throttle.attempt(KEYS, lambda: None, path=db, now=10.0 + s)
    assert attempts.read_attempts(KEYS, path=db) == {}
    r = throttle.attempt(KEYS, lambda: "editor", path=db, now=20.0)
    assert not r.checked and r.wait == 14.0 + 900.0 - 20.0
