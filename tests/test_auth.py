"""Roles, password hashes and the rate limit of wrong passwords."""

from __future__ import annotations

import pytest

from pmo_core import auth


def test_hash_is_salted_and_never_the_password() -> None:
    a, b = auth.hash_password("Copil2026!"), auth.hash_password("Copil2026!")
    assert a != b  # a new salt each time
    assert "Copil2026" not in a
    assert auth.verify_password("Copil2026!", a) and auth.verify_password("Copil2026!", b)
    assert not auth.verify_password("copil2026!", a)


@pytest.mark.parametrize("bad", ["", "plain", "scrypt$1$2$3$xx", "bcrypt$a$b$c$d$e"])
def test_malformed_hash_never_verifies(bad: str) -> None:
    assert not auth.verify_password("anything", bad)


def test_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError):
        auth.hash_password("")


def test_rate_limit_counts_failures_in_the_window() -> None:
    assert auth.attempts_left([], 1000.0) == (5, 0.0)
    assert auth.attempts_left([990.0, 995.0], 1000.0) == (3, 0.0)
    # Five failures at 700, 800, 900, 950, 990: blocked until 700 + 300 = 1000... at 999,
    # 1 second left; an old failure (at 500) no longer counts.
    fails = [500.0, 700.0, 800.0, 900.0, 950.0, 990.0]
    assert auth.attempts_left(fails, 999.0) == (0, 1.0)
    assert auth.attempts_left(fails, 1000.0) == (1, 0.0)


def test_modes_from_secrets() -> None:
    assert auth.AuthConfig.from_secrets({}).mode == "open"
    h = auth.hash_password("e")
    cfg = auth.AuthConfig.from_secrets(
        {"pmo": {"editor_password_hash": h, "requester_password_hash": auth.hash_password("r")}}
    )
    assert cfg.mode == "password"
    assert cfg.role_for_password("e") == "editor"
    assert cfg.role_for_password("r") == "requester"
    assert cfg.role_for_password("x") is None
    oidc = auth.AuthConfig.from_secrets(
        {"auth": {"client_id": "c"}, "pmo": {"editors": ["a@b.fr"]}}
    )
    assert oidc.mode == "oidc" and oidc.role_for_email(None) == "viewer"


def test_actions_by_role() -> None:
    cfg = auth.AuthConfig(mode="password")
    assert cfg.allows("viewer", "view") and not cfg.allows("viewer", "request")
    assert cfg.allows("requester", "request") and not cfg.allows("requester", "import")
    for action in ("import", "delete", "profile", "scenario", "review"):
        assert cfg.allows("editor", action)
    assert auth.AuthConfig(viewers_can_request=True).allows("viewer", "request")
