"""Who may do what: viewers, requesters and editors (DESIGN section 6).

Reading is open. Importing, deleting a snapshot, saving mapping profiles and scenarios,
and reviewing requests need the editor role; submitting a request needs the requester
(or editor) role, or any viewer when ``viewers_can_request`` is on.

The configuration comes from ``.streamlit/secrets.toml`` (docs/sign-in.md):

- with an ``[auth]`` section, people sign in through ``st.login`` (OIDC); their e-mail,
  once the identity provider says it is verified (``email_verified``), is matched against
  ``[pmo] editors`` and ``requesters`` (exact addresses, or ``*@example.com``);
- else, with ``[pmo] editor_password_hash`` (and optionally ``requester_password_hash``),
  a password signs in; only its scrypt hash is stored (``python -m pmo_core
  hash-password``); wrong passwords lock the sign-in out (:class:`Throttle`);
- else, with ``[pmo] open = true`` written, the cockpit runs open (a single-user or trial
  install): everyone is an editor, and the sidebar says so;
- with none of these (no file, a misspelt file or key), sign-in is *not configured*:
  everyone reads as a viewer and every write is refused with a message saying what to set.

Examples:
    >>> h = hash_password("s3cret!", salt=b"0123456789abcdef", n=2**14)
    >>> h.startswith("scrypt$16384$8$1$"), verify_password("s3cret!", h), needs_rehash(h)
    (True, True, True)
    >>> cfg = AuthConfig.from_secrets({"pmo": {"editors": ["a@x.fr"], "requesters": ["*@x.fr"]},
    ...                                "auth": {"client_id": "..."}})
    >>> cfg.mode, cfg.role_for_email("A@X.fr"), cfg.role_for_email("b@x.fr"), cfg.role_for_email("c@y.fr")
    ('oidc', 'editor', 'requester', 'viewer')
    >>> AuthConfig.from_secrets({}).mode, AuthConfig.from_secrets({"pmo": {"open": True}}).mode
    ('unconfigured', 'open')
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pmo_core.errors import PmoError
from pmo_core.i18n import t

ROLES = ("viewer", "requester", "editor")
#: The roles as a person reads them (French in ``fr_auth``).
ROLE_NAMES = {"viewer": "Viewer", "requester": "Requester", "editor": "Editor"}
#: Who the app itself records for a write (``ui.auth.who``, the demo's seed): in open
#: mode, for a password's role (``editor (password)``), for the seeded snapshots.
OPEN_WHO = "local"
PASSWORD_WHO = "{role} (password)"
SEED_WHO = "demo seed"
#: The app's own writers, in words (French in ``fr_auth``).
SYSTEM_WHO = {SEED_WHO: "demo seed", OPEN_WHO: "local (open mode)"}
#: ``editor (password)`` -> ``editor``.
PASSWORD_ROLES = {PASSWORD_WHO.format(role=r): r for r in ROLE_NAMES}


def who_in_words(who: object, lang: str | None) -> str:
    """Who imported or wrote, as the store records it, in ``lang`` for the app's own
    names; a person's name or e-mail as stored, blank when none.

    >>> who_in_words("demo seed", "fr"), who_in_words("editor (password)", "fr")
    ('jeu de démonstration', 'Éditeur (mot de passe)')
    >>> who_in_words("local", "en"), who_in_words("ana@example.org", "fr"), who_in_words(None, "fr")
    ('local (open mode)', 'ana@example.org', '')
    """
    if not isinstance(who, str):
        return ""
    if who in SYSTEM_WHO:
        return t(SYSTEM_WHO[who], lang)
    role = PASSWORD_ROLES.get(who)
    if role:
        return t("{role} (password)", lang, role=t(ROLE_NAMES[role], lang))
    return who


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
#: scrypt for new hashes: N = 2^17, r = 8, p = 1 (OWASP's minimum), 128 MiB per hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
#: The largest N a stored hash may ask for (2^20: 1 GiB); beyond it, it never verifies.
SCRYPT_MAX_N = 2**20
#: Lock-out: after LOCK_AFTER wrong passwords in a row, the sign-in is locked for
#: LOCK_SECONDS, doubling at each further lock-out (15, 30, 60 min...) up to
#: MAX_LOCK_SECONDS; a record with no failure for FORGET_SECONDS after its last failure
#: and its last lock-out is forgotten.
LOCK_AFTER = 5
LOCK_SECONDS = 15 * 60.0
MAX_LOCK_SECONDS = 24 * 3600.0
FORGET_SECONDS = 24 * 3600.0
#: The settings ``[pmo]`` may hold (a misspelt one is named when sign-in is not configured).
PMO_KEYS = (
    "open",
    "editor_password_hash",
    "requester_password_hash",
    "viewers_can_request",
    "editors",
    "requesters",
    "provider",
)


class NotAllowed(PmoError):
    """This session's role may not do this write (the message says which role it needs)."""


class NotConfigured(NotAllowed):
    """No sign-in is configured (nor ``open = true``): every write is refused."""


def _maxmem(n: int, r: int) -> int:
    """scrypt's working memory for N and r (128 * r * N bytes), plus 1 MiB of slack."""
    return 128 * r * n + 2**20


def hash_password(password: str, *, salt: bytes | None = None, n: int = SCRYPT_N) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64), never the password itself."""
    if not password:
        raise ValueError("The password is empty.")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=32,
        maxmem=_maxmem(n, SCRYPT_R),
    )
    b64 = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def hash_parameters(encoded: str) -> tuple[int, int, int] | None:
    """(N, r, p) of a stored hash, None when it is not an scrypt hash."""
    parts = str(encoded).strip().split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        return int(parts[1]), int(parts[2]), int(parts[3])
    except ValueError:
        return None


def needs_rehash(encoded: str) -> bool:
    """True when a (valid) hash was made with weaker parameters than today's."""
    params = hash_parameters(encoded)
    return params is not None and params[0] < SCRYPT_N


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the hash (constant-time); False for a malformed hash.
    Old hashes (N = 2^14) still verify: :func:`needs_rehash` tells they should be remade."""
    params = hash_parameters(encoded)
    if params is None:
        return False
    n, r, p = params
    if not (1 < n <= SCRYPT_MAX_N and 0 < r <= 32 and 0 < p <= 16):
        return False
    try:
        salt, digest = str(encoded).strip().split("$")[4:]
        want = base64.b64decode(digest, validate=True)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt, validate=True),
            n=n,
            r=r,
            p=p,
            dklen=len(want),
            maxmem=_maxmem(n, r) * p,
        )
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(got, want)


# ------------------------------------------------------------------ wrong passwords


@dataclass(frozen=True)
class Attempts:
    """The record of one key (a user name or a client address)."""

    failures: int = 0  # wrong passwords in a row since the last lock-out
    lockouts: int = 0  # lock-outs so far (each doubles the next one)
    locked_until: float = 0.0  # epoch seconds
    last_failure: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds until the next try is allowed (0: allowed now)."""
        return max(0.0, self.locked_until - now)

    def merge(self, other: Attempts) -> Attempts:
        """The stricter of two records of the same key (this process's and the store's)."""
        return Attempts(
            max(self.failures, other.failures),
            max(self.lockouts, other.lockouts),
            max(self.locked_until, other.locked_until),
            max(self.last_failure, other.last_failure),
        )


def after_failure(a: Attempts, now: float) -> Attempts:
    """The record after one more wrong password at ``now``.

    The LOCK_AFTER-th failure in a row locks for LOCK_SECONDS * 2^(lock-outs so far),
    at most MAX_LOCK_SECONDS, and starts the count again; a record whose last failure is
    FORGET_SECONDS old (counted from the end of its last lock-out, if later) starts from
    nothing."""
    if a.last_failure and now - max(a.last_failure, a.locked_until) >= FORGET_SECONDS:
        a = Attempts()
    failures = a.failures + 1
    if failures < LOCK_AFTER:
        return replace(a, failures=failures, last_failure=now)
    lock = min(LOCK_SECONDS * 2**a.lockouts, MAX_LOCK_SECONDS)
    return Attempts(0, a.lockouts + 1, now + lock, now)


@dataclass(frozen=True)
class SignInResult:
    """What one try gave: the role (None: refused) and, when locked, the seconds to wait."""

    role: str | None
    wait: float = 0.0
    checked: bool = True  # False: locked, the password was not even tried


class Throttle:
    """Wrong passwords counted per key (``user:<name>``, ``addr:<client address>``) for the
    whole process (thread-safe) and, with a store path, in the store for every process.

    The store's record is the one that counts while the store answers (so that
    ``unlock-sign-in`` lifts a lock for every process); this process's own count holds
    when it does not (busy, not upgraded, unwritable), and is merged back in until the
    store has taken it. One try at a time in the process: the check, the scrypt and the
    record cannot be raced by parallel tries, and scrypt's 128 MiB are taken once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, Attempts] = {}
        self._unsaved: set[str] = set()  # keys whose last store write failed

    def reset(self) -> None:
        """Forget every record of this process (tests; a restart does the same)."""
        with self._lock:
            self._records.clear()
            self._unsaved.clear()

    def record(self, key: str, path: str | os.PathLike[str] | None = None) -> Attempts:
        with self._lock:
            return self._load([key], path)[key]

    def _load(
        self, keys: Sequence[str], path: str | os.PathLike[str] | None
    ) -> dict[str, Attempts]:
        stored = _stored(keys, path) if path is not None else None
        out = {}
        for k in keys:
            mine = self._records.get(k, Attempts())
            if stored is None:
                out[k] = mine
            elif k in self._unsaved:
                out[k] = mine.merge(stored.get(k, Attempts()))
            else:
                out[k] = stored.get(k, Attempts())
        return out

    def _save(
        self,
        records: dict[str, Attempts],
        path: str | os.PathLike[str] | None,
        locked: dict[str, float] | None = None,
    ) -> None:
        for k, r in records.items():
            if r == Attempts():
                self._records.pop(k, None)
            else:
                self._records[k] = r
        if path is None:
            return
        cleared = [k for k, r in records.items() if r == Attempts()]
        kept = {k: r for k, r in records.items() if r != Attempts()}
        ok = (not cleared or _store_call("clear_attempts", cleared, path)) and (
            not kept or _store_call("write_attempts", kept, path, locked=locked or {})
        )
        if ok:
            self._unsaved -= set(records)
        else:
            self._unsaved |= set(records)

    def attempt(
        self,
        keys: Iterable[str],
        check: Callable[[], str | None],
        *,
        path: str | os.PathLike[str] | None = None,
        now: float | None = None,
    ) -> SignInResult:
        """Try ``check`` (the password's role, or None) unless one of ``keys`` is locked;
        a failure counts against every key, a success clears them."""
        keys = list(keys)
        with self._lock:
            at = time.time() if now is None else now
            records = self._load(keys, path)
            wait = max(r.wait(at) for r in records.values())
            if wait > 0:
                return SignInResult(None, wait, checked=False)
            granted = check()
            if granted is not None:
                if any(r != Attempts() for r in records.values()) or self._unsaved & set(keys):
                    self._save(dict.fromkeys(keys, Attempts()), path)
                return SignInResult(granted)
            updated = {k: after_failure(r, at) for k, r in records.items()}
            locked = {  # lock-outs that start now, in minutes, for the audit log
                k: r.wait(at) / 60 for k, r in updated.items() if r.lockouts > records[k].lockouts
            }
            self._save(updated, path, locked)
            return SignInResult(None, max(r.wait(at) for r in updated.values()))


def _store_call(name: str, arg: Any, path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """A call to the store's attempts API: its answer, True for a write, None when the
    store cannot answer (busy, not upgraded, unreadable)."""
    from pmo_core.store import attempts
    from pmo_core.store.connection import driver_errors

    caught: tuple[type[Exception], ...] = (PmoError, OSError, *driver_errors())
    try:
        answer = getattr(attempts, name)(arg, path=path, **kwargs)
    except caught:
        return None
    return True if answer is None else answer


def _stored(keys: Sequence[str], path: str | os.PathLike[str]) -> dict[str, Attempts] | None:
    """The store's records of ``keys``, None when it cannot answer."""
    rows = _store_call("read_attempts", keys, path)
    if rows is None:
        return None
    return {k: Attempts(*v) for k, v in rows.items()}


#: The process's throttle (every session of a Streamlit server shares it).
THROTTLE = Throttle()


# ------------------------------------------------------------------ roles


def _matches(email: str, patterns: Sequence[str]) -> bool:
    e = email.strip().lower()
    for pattern in patterns:
        p = str(pattern).strip().lower()
        if p == e or (p.startswith("*@") and e.endswith(p[1:])):
            return True
    return False


def at_least(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def email_verified(user: Mapping[str, Any]) -> bool:
    """True only when the identity provider says the e-mail is verified (``true``, or the
    string ``"true"`` some providers send); a missing claim is not a verified e-mail."""
    value = user.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


#: Why sign-in is not configured: English templates (French in i18n/fr_auth.py).
NO_SECRETS = "no secrets file (.streamlit/secrets.toml), or it is empty"
NO_PMO = "no [pmo] section (found: {found})"
OPEN_NOT_TRUE = "[pmo] open = {value}: write open = true to run open"
UNKNOWN_KEY = "unknown setting [pmo] {key}"
UNKNOWN_KEY_NEAR = "unknown setting [pmo] {key} (did you mean {near}?)"
NOTHING_SET = "[pmo] has neither editor_password_hash nor open = true"
PROBLEMS = (NO_SECRETS, NO_PMO, OPEN_NOT_TRUE, UNKNOWN_KEY, UNKNOWN_KEY_NEAR, NOTHING_SET)


def _problems(
    secrets: Mapping[str, Any], pmo: Mapping[str, Any]
) -> tuple[tuple[str, dict[str, str]], ...]:
    """Why sign-in is not configured, as (template, params): what the secrets hold
    instead, misspelt keys named with the nearest known one."""
    if not secrets:
        return ((NO_SECRETS, {}),)
    out: list[tuple[str, dict[str, str]]] = []
    if not pmo:
        out.append((NO_PMO, {"found": ", ".join(f"[{k}]" for k in sorted(secrets))}))
    if "open" in pmo and pmo["open"] is not True:
        out.append((OPEN_NOT_TRUE, {"value": repr(pmo["open"])}))
    for key in sorted(set(pmo) - set(PMO_KEYS)):
        near = difflib.get_close_matches(key, PMO_KEYS, n=1)
        if near:
            out.append((UNKNOWN_KEY_NEAR, {"key": key, "near": near[0]}))
        else:
            out.append((UNKNOWN_KEY, {"key": key}))
    if not out:
        out.append((NOTHING_SET, {}))
    return tuple(out)


@dataclass(frozen=True)
class AuthConfig:
    """The sign-in configuration read from secrets."""

    mode: str = "unconfigured"  # oidc | password | open | unconfigured
    editors: tuple[str, ...] = ()
    requesters: tuple[str, ...] = ()
    editor_hash: str | None = None
    requester_hash: str | None = None
    viewers_can_request: bool = False
    provider: str | None = None  # the [auth.<provider>] to use with st.login, if several
    problems: tuple[tuple[str, dict[str, str]], ...] = ()  # unconfigured: why
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_secrets(cls, secrets: Mapping[str, Any]) -> AuthConfig:
        """OIDC with ``[auth]``, else password with ``[pmo] editor_password_hash``, else
        open with ``[pmo] open = true`` (the boolean), else not configured."""
        raw = secrets.get("pmo", {})
        pmo = dict(raw) if isinstance(raw, Mapping) else {}
        editor_hash = pmo.get("editor_password_hash") or None
        problems: tuple[tuple[str, dict[str, str]], ...] = ()
        if secrets.get("auth"):
            mode = "oidc"
        elif editor_hash:
            mode = "password"
        elif pmo.get("open") is True:
            mode = "open"
        else:
            mode = "unconfigured"
            problems = _problems(secrets, pmo)
        return cls(
            mode=mode,
            editors=tuple(pmo.get("editors", []) or []),
            requesters=tuple(pmo.get("requesters", []) or []),
            editor_hash=editor_hash,
            requester_hash=pmo.get("requester_password_hash") or None,
            viewers_can_request=bool(pmo.get("viewers_can_request", False)),
            provider=pmo.get("provider") or None,
            problems=problems,
        )

    def role_for_email(self, email: str | None) -> str:
        if not email:
            return "viewer"
        if _matches(email, self.editors):
            return "editor"
        if _matches(email, self.requesters):
            return "requester"
        return "viewer"

    def matching_hash(self, password: str) -> tuple[str, str] | None:
        """(role, the stored hash) this password opens, or None."""
        for granted, encoded in (("editor", self.editor_hash), ("requester", self.requester_hash)):
            if encoded and verify_password(password, encoded):
                return granted, encoded
        return None

    def role_for_password(self, password: str) -> str | None:
        """The role this password opens, or None."""
        found = self.matching_hash(password)
        return found[0] if found else None

    def allows(self, role: str, action: str) -> bool:
        if action == "view":
            return True
        if self.mode == "unconfigured":
            return False
        if action == "request" and self.viewers_can_request:
            return True
        return at_least(role, ACTIONS[action])
