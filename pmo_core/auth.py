"""Who may do what: viewers, requesters and editors (DESIGN section 6).

Viewing is open. Importing, deleting a snapshot, saving mapping profiles and scenarios,
and reviewing requests need the editor role; submitting a request needs the requester
(or editor) role, or any viewer when ``viewers_can_request`` is on.

The configuration comes from ``.streamlit/secrets.toml``:

- with an ``[auth]`` section, people sign in through ``st.login`` (OIDC) and their e-mail
  is matched against ``[pmo] editors`` and ``requesters`` (exact addresses, or
  ``*@example.com`` for a whole domain);
- else, with ``[pmo] editor_password_hash`` (and optionally
  ``requester_password_hash``), a password signs in; only its scrypt hash is stored,
  made by ``python -m pmo_core hash-password``; wrong passwords are rate-limited;
- with neither, the cockpit runs open (a single-user or trial install): everyone is an
  editor, and the sidebar says so.

Examples:
    >>> h = hash_password("s3cret!", salt=b"0123456789abcdef")
    >>> h.startswith("scrypt$16384$8$1$"), verify_password("s3cret!", h), verify_password("x", h)
    (True, True, False)
    >>> cfg = AuthConfig.from_secrets({"pmo": {"editors": ["a@x.fr"], "requesters": ["*@x.fr"]},
    ...                                "auth": {"client_id": "..."}})
    >>> cfg.mode, cfg.role_for_email("A@X.fr"), cfg.role_for_email("b@x.fr"), cfg.role_for_email("c@y.fr")
    ('oidc', 'editor', 'requester', 'viewer')
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ROLES = ("viewer", "requester", "editor")
#: Action -> the least role that may do it.
ACTIONS = {
    "view": "viewer",
    "request": "requester",
    "import": "editor",
    "delete": "editor",
    "profile": "editor",
    "scenario": "editor",
    "review": "editor",
}
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_ATTEMPTS = 5  # wrong passwords allowed per window
WINDOW_SECONDS = 300.0


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64), never the password itself."""
    if not password:
        raise ValueError("The password is empty.")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the hash (constant-time); False for a malformed hash."""
    try:
        scheme, n, r, p, salt, digest = str(encoded).strip().split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def attempts_left(failures: Sequence[float], now: float) -> tuple[int, float]:
    """Given the times of recent wrong passwords, how many tries remain and, when none,
    how many seconds until the next one."""
    recent = sorted(t for t in failures if now - t < WINDOW_SECONDS)
    left = MAX_ATTEMPTS - len(recent)
    if left > 0:
        return left, 0.0
    return 0, WINDOW_SECONDS - (now - recent[-MAX_ATTEMPTS])


def _matches(email: str, patterns: Sequence[str]) -> bool:
    e = email.strip().lower()
    for pattern in patterns:
        p = str(pattern).strip().lower()
        if p == e or (p.startswith("*@") and e.endswith(p[1:])):
            return True
    return False


def at_least(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class AuthConfig:
    """The sign-in configuration read from secrets."""

    mode: str = "open"  # open | oidc | password
    editors: tuple[str, ...] = ()
    requesters: tuple[str, ...] = ()
    editor_hash: str | None = None
    requester_hash: str | None = None
    viewers_can_request: bool = False
    provider: str | None = None  # the [auth.<provider>] to use with st.login, if several
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_secrets(cls, secrets: Mapping[str, Any]) -> AuthConfig:
        pmo = dict(secrets.get("pmo", {}) or {})
        auth = secrets.get("auth")
        editor_hash = pmo.get("editor_password_hash") or None
        if auth:
            mode = "oidc"
        elif editor_hash:
            mode = "password"
        else:
            mode = "open"
        return cls(
            mode=mode,
            editors=tuple(pmo.get("editors", []) or []),
            requesters=tuple(pmo.get("requesters", []) or []),
            editor_hash=editor_hash,
            requester_hash=pmo.get("requester_password_hash") or None,
            viewers_can_request=bool(pmo.get("viewers_can_request", False)),
            provider=pmo.get("provider") or None,
        )

    def role_for_email(self, email: str | None) -> str:
        if not email:
            return "viewer"
        if _matches(email, self.editors):
            return "editor"
        if _matches(email, self.requesters):
            return "requester"
        return "viewer"

    def role_for_password(self, password: str) -> str | None:
        """The role this password opens, or None."""
        if self.editor_hash and verify_password(password, self.editor_hash):
            return "editor"
        if self.requester_hash and verify_password(password, self.requester_hash):
            return "requester"
        return None

    def allows(self, role: str, action: str) -> bool:
        if action == "request" and self.viewers_can_request:
            return True
        return at_least(role, ACTIONS[action])
