"""Who may do what in this session: the sign-in configuration from secrets, the session's
role, the guard every write branch calls (:func:`require`), the uploader only editors
get (:func:`uploader`), the audit log's name for the user, and the sidebar's sign-in
block."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from pmo_core import auth
from ui import format as fmt
from ui import loaders
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]
LOG = logging.getLogger(__name__)
#: The shared sign-in of password mode: its wrong passwords count under this user name.
PASSWORD_USER = "password"


def auth_config() -> auth.AuthConfig:
    """The sign-in configuration from ``.streamlit/secrets.toml`` (none: not configured)."""
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        secrets = {}
    return auth.AuthConfig.from_secrets(secrets)


def _user() -> dict[str, Any]:
    try:
        user = st.user
        return dict(user.to_dict()) if user.get("is_logged_in") else {}
    except (AttributeError, KeyError, StreamlitSecretNotFoundError):
        return {}


def _user_email() -> str | None:
    """The signed-in e-mail, only once the identity provider says it is verified."""
    user = _user()
    if user.get("email") and auth.email_verified(user):
        return str(user["email"])
    return None


def role() -> str:
    """``viewer``, ``requester`` or ``editor`` for this session."""
    cfg = auth_config()
    if cfg.mode == "open":
        return "editor"
    if cfg.mode == "oidc":
        return cfg.role_for_email(_user_email())
    if cfg.mode == "password":
        return str(st.session_state.get("_role", "viewer"))
    return "viewer"


def can(action: str) -> bool:
    """May this session do ``action`` (import, delete, profile, scenario, request, review)?"""
    return auth_config().allows(role(), action)


def not_configured_text(cfg: auth.AuthConfig) -> str:
    """Why nothing can be written, in the user's language, with what the secrets lack."""
    why = "; ".join(t(template, **params) for template, params in cfg.problems)
    return t(
        "Sign-in is not configured, so nothing can be written ({why}). An administrator sets "
        "an editor password, single sign-on or open = true in .streamlit/secrets.toml "
        "(docs/sign-in.md).",
        why=why,
    )


def require(action: str) -> None:
    """The guard at the top of every write branch: raises :class:`auth.NotAllowed` (a
    PmoError, in the user's language) unless this session may do ``action``; a forged
    click of a disabled button stops here."""
    cfg = auth_config()
    if cfg.mode == "unconfigured":
        raise auth.NotConfigured(not_configured_text(cfg))
    if not cfg.allows(role(), action):
        needed = auth.ACTIONS[action]
        raise auth.NotAllowed(
            t(
                "This needs the {role} role: sign in (sidebar). Nothing was written.",
                role=t(auth.ROLE_NAMES[needed]).lower(),
            )
        )


def who() -> str | None:
    """Who the audit log names: the e-mail, the password's role, or "local" (open mode)."""
    cfg = auth_config()
    if cfg.mode == "open":
        return auth.OPEN_WHO
    if cfg.mode == "oidc":
        return _user_email()
    r = st.session_state.get("_role") if cfg.mode == "password" else None
    return auth.PASSWORD_WHO.format(role=r) if r else None


def hint(action: str) -> str | None:
    """The help shown on a control this session may not use (None when it may)."""
    cfg = auth_config()
    if cfg.allows(role(), action):
        return None
    if cfg.mode == "unconfigured":
        return t("Sign-in is not configured: nothing can be written (sidebar).")
    needed = auth.ACTIONS[action]
    return t("Sign in as {role} to do this (sidebar).", role=t(auth.ROLE_NAMES[needed]).lower())


def upload_limit_mb() -> int:
    """The upload cap: ``server.maxUploadSize`` (MB) of .streamlit/config.toml."""
    return int(st.get_option("server.maxUploadSize"))


def uploader(label: str, **kwargs: Any) -> list[Any]:
    """``st.file_uploader`` for editors only. A viewer gets a note instead and no file is
    read; on the server side, a file that arrives anyway for a session that may not
    import is refused (:func:`require`), and one above the cap is dropped with a message."""
    if not can("import"):
        st.info(hint("import") or "")
        return []
    got = st.file_uploader(label, **kwargs)
    files = [] if got is None else got if isinstance(got, list) else [got]
    if files:
        require("import")
    return accepted(files)


def accepted(files: list[Any]) -> list[Any]:
    """The files within the upload cap; each one above it is named in an error."""
    limit = upload_limit_mb()
    kept = []
    for f in files:
        size = int(getattr(f, "size", None) or len(f.getvalue()))
        if size > limit * 2**20:
            st.error(
                t(
                    "{name} is {size} MB; the upload limit is {limit} MB: it was not read.",
                    name=f.name,
                    size=fmt.number(size / 2**20, 1),
                    limit=limit,
                )
            )
            continue
        kept.append(f)
    return kept


def client_address() -> str:
    """The client's address (``st.context.ip_address``), ``local`` for localhost or when
    unknown. Behind a reverse proxy every client has the proxy's address: the count per
    user name still holds."""
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return "local"
    # Only a real address counts (a test runner's stand-in is not one).
    return address if isinstance(address, str) and address else "local"


def _password_sign_in(cfg: auth.AuthConfig, password: str) -> None:
    """One try of the password: counted per user name and client address, for the whole
    process and in the store, with lock-out and back-off."""
    found: list[tuple[str, str]] = []

    def check() -> str | None:
        match = cfg.matching_hash(password)
        if match:
            found.append(match)
        return match[0] if match else None

    keys = [f"user:{PASSWORD_USER}", f"addr:{client_address()}"]
    result = auth.THROTTLE.attempt(keys, check, path=loaders.db())
    if result.role is None:
        if result.checked and result.wait == 0:
            st.error(t("Wrong password."))
            return
        if result.wait >= 60:
            minutes = int(-(-result.wait // 60))
            st.error(t("Too many wrong passwords: sign-in is locked for {m} min.", m=minutes))
        else:
            st.error(t("Too many wrong passwords: try again in {s} s.", s=int(result.wait) + 1))
        return
    st.session_state["_role"] = result.role
    if found and auth.needs_rehash(found[0][1]):
        n = auth.hash_parameters(found[0][1])
        LOG.warning("the %s password hash uses scrypt N=%s: make a new one", result.role, n)
        st.session_state["_rehash"] = True
    st.rerun()


def sign_in() -> None:
    """The sidebar's sign-in block, by mode."""
    cfg = auth_config()
    current = role()
    if cfg.mode == "open":
        st.caption(t("Open mode (open = true in the settings): everyone can edit."))
        return
    if cfg.mode == "unconfigured":
        st.warning(not_configured_text(cfg))
        return
    if cfg.mode == "oidc":
        user = _user()
        email = _user_email()
        if user:
            if email:
                st.caption(
                    t("Signed in as {who} ({role})", who=email, role=t(auth.ROLE_NAMES[current]))
                )
            else:
                st.warning(
                    t(
                        "Your identity provider does not say your e-mail is verified: "
                        "you can only read."
                    )
                )
            st.button(t("Sign out"), key="sidebar_logout", on_click=st.logout)
        else:
            st.button(
                t("Sign in"),
                key="sidebar_login",
                on_click=st.login,
                args=(cfg.provider,) if cfg.provider else (),
            )
        return
    if current != "viewer":
        st.caption(t("Signed in as {role}", role=t(auth.ROLE_NAMES[current])))
        if st.session_state.get("_rehash"):
            st.warning(
                t(
                    "This password's hash in .streamlit/secrets.toml uses old scrypt "
                    "parameters: make a new one with python -m pmo_core hash-password and "
                    "replace it (the app cannot write its secrets)."
                )
            )
        if st.button(t("Sign out"), key="sidebar_logout"):
            st.session_state.pop("_role", None)
            st.session_state.pop("_rehash", None)
            st.rerun()
        return
    with st.expander(t("Sign in to edit")):
        password = st.text_input(t("Password"), type="password", key="sidebar_password")
        if st.button(t("Sign in"), key="sidebar_login"):
            _password_sign_in(cfg, password or "")
