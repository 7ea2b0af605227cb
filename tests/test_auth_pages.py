"""Sign-in in the app: viewers read, editors write; wrong passwords are rate-limited;
the audit log names who did what."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pmo_core import auth
from tests.conftest import ROOT

EDITOR_HASH = auth.hash_password("Copil-2026!", salt=b"fixed-salt-4-tests")


def page(name: str, secrets: dict | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.query_params["lang"] = lang
    return at


def test_open_mode_lets_everyone_import_and_says_so(app_db: Path) -> None:
    at = page("import_data.py")
    at.run()
    assert not at.exception
    assert at.button(key="import_delete").proto.help == ""  # no hint: allowed


def test_viewer_sees_editor_controls_disabled_with_a_hint(app_db: Path) -> None:
    at = page("import_data.py", {"pmo": {"editor_password_hash": EDITOR_HASH}})
    at.run()
    assert not at.exception
    delete = at.button(key="import_delete")
    assert delete.disabled
    assert "Sign in as editor" in delete.proto.help


def _sign_in_block() -> None:
    """The sidebar's sign-in block on its own (the whole app redirects "/" each run)."""
    from ui import auth as access

    access.sign_in()
    import streamlit as st

    st.write(f"role={access.role()}")


def sign_in_app(lang: str = "en") -> AppTest:
    at = AppTest.from_function(_sign_in_block, default_timeout=60)
    at.secrets["pmo"] = {"editor_password_hash": EDITOR_HASH}
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return at


def test_password_sign_in_and_rate_limit(app_db: Path) -> None:
    at = sign_in_app()
    for _ in range(auth.MAX_ATTEMPTS):
        at.text_input(key="sidebar_password").input("wrong")
        at.button(key="sidebar_login").click().run()
        assert [e.value for e in at.error] == ["Wrong password."]
    at.text_input(key="sidebar_password").input("Copil-2026!")
    at.button(key="sidebar_login").click().run()
    # Even the right password waits once five wrong ones were given.
    assert "Too many wrong passwords" in at.error[0].value
    assert "_role" not in at.session_state
    assert at.markdown[-1].value == "role=viewer"


def test_right_password_makes_an_editor(app_db: Path) -> None:
    at = sign_in_app("fr")
    at.text_input(key="sidebar_password").input("Copil-2026!")
    at.button(key="sidebar_login").click().run()
    assert not at.exception
    assert at.session_state["_role"] == "editor"
    assert any("Connecté en tant que" in c.value for c in at.caption)
    assert at.markdown[-1].value == "role=editor"
    at.button(key="sidebar_logout").click().run()
    assert at.markdown[-1].value == "role=viewer"


def test_import_page_shows_the_audit_log(app_db: Path) -> None:
    at = page("import_data.py")
    at.run()
    log = at.dataframe[-1].value  # the last table of the page
    assert len(log) == 3  # the demo seed: three imports
    assert set(log["Action"]) == {"Import"}
    assert set(log["Who"]) == {"tests"}


def test_oidc_mode_offers_sign_in_and_treats_strangers_as_viewers(app_db: Path) -> None:
    at = AppTest.from_function(_sign_in_block, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "c",
        "client_secret": "s",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
    }
    at.secrets["pmo"] = {"editors": ["pmo@example.com"]}
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.button(key="sidebar_login").label == "Sign in"
    assert at.markdown[-1].value == "role=viewer"
