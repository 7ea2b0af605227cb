"""Who may do what in this session: the sign-in configuration from secrets, the session's
role, the audit log's name for the user, and the sidebar's sign-in block."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from pmo_core import auth
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]


def auth_config() -> auth.AuthConfig:
    """The sign-in configuration from ``.streamlit/secrets.toml`` (none: open mode)."""
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        secrets = {}
    return auth.AuthConfig.from_secrets(secrets)


def _user_email() -> str | None:
    try:
        user = st.user
        return str(user.get("email")) if user.get("is_logged_in") else None
    except (AttributeError, KeyError, StreamlitSecretNotFoundError):
        return None


def role() -> str:
    """``viewer``, ``requester`` or ``editor`` for this session."""
    cfg = auth_config()
    if cfg.mode == "open":
        return "editor"
    if cfg.mode == "oidc":
        return cfg.role_for_email(_user_email())
    return str(st.session_state.get("_role", "viewer"))


def can(action: str) -> bool:
    """May this session do ``action`` (import, delete, profile, scenario, request, review)?"""
    return auth_config().allows(role(), action)


def who() -> str | None:
    """Who the audit log names: the e-mail, the password's role, or "local" (open mode)."""
    cfg = auth_config()
    if cfg.mode == "open":
        return "local"
    if cfg.mode == "oidc":
        return _user_email()
    r = st.session_state.get("_role")
    return f"{r} (password)" if r else None


def hint(action: str) -> str | None:
    """The help shown on a control this session may not use (None when it may)."""
    if can(action):
        return None
    needed = "requester" if action == "request" else "editor"
    return t("Sign in as {role} to do this (sidebar).", role=t(ROLE_NAMES[needed]).lower())


ROLE_NAMES = {"viewer": "Viewer", "requester": "Requester", "editor": "Editor"}


def sign_in() -> None:
    """The sidebar's sign-in block, by mode."""
    import time

    cfg = auth_config()
    current = role()
    if cfg.mode == "open":
        st.caption(t("Open mode: no sign-in configured, everyone can edit."))
        return
    if cfg.mode == "oidc":
        email = _user_email()
        if email:
            st.caption(t("Signed in as {who} ({role})", who=email, role=t(ROLE_NAMES[current])))
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
        st.caption(t("Signed in as {role}", role=t(ROLE_NAMES[current])))
        if st.button(t("Sign out"), key="sidebar_logout"):
            st.session_state.pop("_role", None)
            st.rerun()
        return
    with st.expander(t("Sign in to edit")):
        password = st.text_input(t("Password"), type="password", key="sidebar_password")
        if st.button(t("Sign in"), key="sidebar_login"):
            failures: list[float] = st.session_state.setdefault("_failures", [])
            left, wait = auth.attempts_left(failures, time.time())
            if left == 0:
                st.error(t("Too many wrong passwords: try again in {s} s.", s=int(wait) + 1))
                return
            granted = cfg.role_for_password(password or "")
            if granted is None:
                failures.append(time.time())
                st.error(t("Wrong password."))
                return
            st.session_state["_role"] = granted
            st.session_state.pop("_failures", None)
            st.rerun()
