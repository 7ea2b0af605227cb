"""Sign-in in the app: viewers read, editors write; wrong passwords lock the sign-in for
the whole process; every write branch refuses a session that may not write, even when
its button is forged; viewers get no uploader; the audit log names who did what."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo_core import auth, ingest, store
from pmo_core import project_requests as req
from tests.conftest import DEMO, ROOT

PASSWORD = "Copil-2026!"
EDITOR_HASH = auth.hash_password(PASSWORD, salt=b"fixed-salt-4-tests")  # N = 2^17
OLD_HASH = auth.hash_password(PASSWORD, salt=b"fixed-salt-4-tests", n=2**14)
PASSWORD_SECRETS = {"pmo": {"editor_password_hash": EDITOR_HASH}}


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    """The lock-out is the process's: each test starts with none."""
    auth.THROTTLE.reset()
    yield
    auth.THROTTLE.reset()


def page(name: str, secrets: dict | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.query_params["lang"] = lang
    return at


def test_open_mode_lets_everyone_import_and_says_so(app_db: Path) -> None:
    at = page("import_data.py")  # the tests' secrets: [pmo] open = true
    at.run()
    assert not at.exception
    assert at.button(key="import_delete").proto.help == ""  # no hint: allowed
    assert len(at.file_uploader) == 1


def test_viewer_sees_editor_controls_disabled_with_a_hint_and_no_uploader(app_db: Path) -> None:
    at = page("import_data.py", PASSWORD_SECRETS)
    at.run()
    assert not at.exception
    delete = at.button(key="import_delete")
    assert delete.disabled
    assert "Sign in as editor" in delete.proto.help
    assert len(at.file_uploader) == 0  # before: anyone could upload 200 MB and validate
    assert any("Sign in as editor" in i.value for i in at.info)


def _sign_in_block() -> None:
    """The sidebar's sign-in block on its own (the whole app redirects "/" each run)."""
    from ui import auth as access

    access.sign_in()
    import streamlit as st

    st.write(f"role={access.role()}")


def sign_in_app(lang: str = "en", secrets: dict | None = None) -> AppTest:
    at = AppTest.from_function(_sign_in_block, default_timeout=60)
    for key, value in (secrets or PASSWORD_SECRETS).items():
        at.secrets[key] = value
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return at


def _try(at: AppTest, password: str) -> AppTest:
    at.text_input(key="sidebar_password").input(password)
    return at.button(key="sidebar_login").click().run()


def test_three_sessions_of_five_guesses_no_longer_give_the_editor_role(app_db: Path) -> None:
    """The reviewer's script: 3 sessions x 5 wrong guesses, then the right password in a
    fourth session. Before, each new session started at zero and the right password gave
    the editor role; now the count is the process's (and the store's)."""
    first = sign_in_app()
    for _ in range(auth.LOCK_AFTER):
        _try(first, "wrong")
    assert [e.value for e in first.error] == [
        "Too many wrong passwords: sign-in is locked for 15 min."
    ]
    for _ in range(2):  # two more sessions (a reload each): locked at once
        other = sign_in_app()
        for _ in range(5):
            _try(other, "wrong")
            assert "locked for 15 min" in other.error[0].value
    last = sign_in_app()
    _try(last, PASSWORD)
    assert "locked for 15 min" in last.error[0].value
    assert "_role" not in last.session_state
    assert last.markdown[-1].value == "role=viewer"
    # The lock is in the store too, for the app's other processes.
    from pmo_core.store import attempts

    stored = attempts.read_attempts(["user:password"], path=app_db)
    assert stored["user:password"][1] == 1  # one lock-out
    # ...and in the audit log, once per key (AppTest has no client address: "local").
    log = store.audit_log(app_db)
    locks = log[log["action"] == "sign_in_locked"]
    assert sorted(zip(locks["who"], locks["what"], strict=True)) == [
        ("addr:local", "15 min"),
        ("user:password", "15 min"),
    ]


def test_a_wrong_password_says_so_until_the_fifth(app_db: Path) -> None:
    at = sign_in_app("fr")
    _try(at, "wrong")
    assert [e.value for e in at.error] == ["Mot de passe erroné."]


def test_right_password_makes_an_editor(app_db: Path) -> None:
    at = sign_in_app("fr")
    _try(at, PASSWORD)
    assert not at.exception
    assert at.session_state["_role"] == "editor"
    assert any("Connecté en tant que" in c.value for c in at.caption)
    assert not at.warning  # a hash made with N = 2^17: nothing to remake
    assert at.markdown[-1].value == "role=editor"
    at.button(key="sidebar_logout").click().run()
    assert at.markdown[-1].value == "role=viewer"


def test_an_old_hash_still_signs_in_and_the_admin_is_told_to_remake_it(app_db: Path) -> None:
    at = sign_in_app("fr", {"pmo": {"editor_password_hash": OLD_HASH}})
    _try(at, PASSWORD)
    assert at.session_state["_role"] == "editor"
    assert any("python -m pmo_core hash-password" in w.value for w in at.warning)
    assert "anciens paramètres scrypt" in at.warning[0].value


def test_import_page_shows_the_audit_log(app_db: Path) -> None:
    at = page("import_data.py")
    at.run()
    log = at.dataframe[-1].value  # the last table of the page
    assert len(log) == 3  # the demo seed: three imports
    assert set(log["Action"]) == {"Import"}
    assert set(log["Who"]) == {"tests"}


OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "c",
    "client_secret": "s",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}


def test_oidc_mode_offers_sign_in_and_treats_strangers_as_viewers(app_db: Path) -> None:
    at = sign_in_app(secrets={"auth": OIDC, "pmo": {"editors": ["pmo@example.com"]}})
    assert at.button(key="sidebar_login").label == "Sign in"
    assert at.markdown[-1].value == "role=viewer"


@pytest.mark.parametrize(
    ("verified", "role"), [(True, "editor"), (False, "viewer"), (None, "viewer")]
)
def test_oidc_trusts_the_email_only_when_verified(
    app_db: Path, verified: bool | None, role: str
) -> None:
    at = AppTest.from_function(_sign_in_block, default_timeout=60)
    at.secrets["auth"] = OIDC
    at.secrets["pmo"] = {"editors": ["pmo@example.com"]}
    at.query_params["lang"] = "en"
    at.user = {"is_logged_in": True, "email": "pmo@example.com"}
    if verified is not None:
        at.user["email_verified"] = verified
    at.run()
    assert not at.exception
    assert at.markdown[-1].value == f"role={role}"
    if role == "viewer":
        assert "does not say your e-mail is verified" in at.warning[0].value


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_misspelt_configuration_refuses_writes_and_says_what_to_fix(
    app_db: Path, lang: str
) -> None:
    """Before, a misspelt key (or no secrets file) silently ran open: everyone deleted."""
    secrets = {"pmo": {"editor_pasword_hash": EDITOR_HASH}}
    block = sign_in_app(lang, secrets)
    text = block.warning[0].value
    assert "editor_password_hash" in text and "editor_pasword_hash" in text
    assert ("not configured" if lang == "en" else "pas configurée") in text
    assert block.markdown[-1].value == "role=viewer"
    at = page("import_data.py", secrets, lang)
    at.run()
    assert not at.exception
    assert at.button(key="import_delete").disabled
    assert len(at.file_uploader) == 0
    assert len(at.dataframe[-1].value) == 3  # reads stay open


# ------------------------------------------------------------------ forged writes


@pytest.fixture
def forged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forged trigger: the page's own check (``disabled=``) is bypassed, as a crafted
    client or a future page edit would; only the guard in the write branch remains."""
    from ui import auth as access

    monkeypatch.setattr(access, "can", lambda action: True)


def _writes(db: Path) -> tuple[int, int, int]:
    """(snapshots, documents, audit entries) in the store."""
    from pmo_core.store.connection import connect

    with connect(db) as con:
        return tuple(  # type: ignore[return-value]
            int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("snapshots", "documents", "audit_log")
        )


def _shown(at: AppTest) -> list[str]:
    return [e.value for e in at.error] + [e.message for e in at.exception]


def _delete(at: AppTest) -> None:
    at.checkbox(key="import_delete_confirm").check().run()
    at.button(key="import_delete").click().run()


def _upload(at: AppTest) -> None:
    at.file_uploader(key="import_file").set_value((DEMO.name, DEMO.read_bytes(), "x")).run()


def _scenario(at: AppTest) -> None:
    at.text_input(key="whatif_scenario_name").input("Forged").run()
    at.button(key="whatif_save").click().run()


def _weighting(at: AppTest) -> None:
    at.text_input(key="alignment_weighting_name").input("Forged").run()
    at.button(key="alignment_save").click().run()


def _request(at: AppTest) -> None:
    at.text_input(key="requests_title").input("Forged")
    next(b for b in at.button if b.label == "Submit the request").click().run()


def _review(at: AppTest) -> None:
    at.selectbox(key="requests_move").set_value("approved")
    at.button(key="requests_apply").click().run()


@pytest.mark.parametrize(
    ("name", "act", "needs"),
    [
        ("import_data.py", _delete, "editor"),
        ("import_data.py", _upload, "editor"),
        ("whatif.py", _scenario, "editor"),
        ("alignment.py", _weighting, "editor"),
        ("requests.py", _request, "requester"),
        ("requests.py", _review, "editor"),
    ],
    ids=["delete", "upload", "scenario", "weighting", "request", "review"],
)
@pytest.mark.parametrize(
    "secrets", [PASSWORD_SECRETS, {"pmo": {"opne": True}}], ids=["viewer", "unconfigured"]
)
def test_a_forged_write_by_a_viewer_writes_nothing(
    app_db: Path,
    forged: None,
    name: str,
    act,
    needs: str,
    secrets: dict,  # type: ignore[no-untyped-def]
) -> None:
    req.submit({"title": "CRM", "budget": 1.0}, who="sales@x.fr", path=app_db)  # to review
    before = _writes(app_db)
    requests_before = req.load(app_db)["payload"].tolist()
    at = page(name, secrets)
    at.run()
    assert not at.exception
    act(at)
    assert _writes(app_db) == before
    assert req.load(app_db)["payload"].tolist() == requests_before
    shown = " ".join(_shown(at))
    if "opne" in str(secrets):
        assert "Sign-in is not configured" in shown and "did you mean open?" in shown
    else:
        assert f"This needs the {needs} role" in shown


def test_a_forged_write_is_refused_in_french(app_db: Path, forged: None) -> None:
    at = page("import_data.py", PASSWORD_SECRETS, "fr")
    at.run()
    _delete(at)
    assert any("Il faut le rôle éditeur" in e for e in _shown(at))
    assert len(store.list_snapshots(app_db)) == 3


# ------------------------------------------------------------------ upload cap


def _uploader_app() -> None:
    import streamlit as st

    from ui import auth as access

    files = access.uploader("Files", accept_multiple_files=True, key="up")
    st.write("kept=" + ",".join(f.name for f in files))


def test_a_file_above_the_cap_is_refused_with_its_name(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import auth as access

    monkeypatch.setattr(access, "upload_limit_mb", lambda: 1)
    at = AppTest.from_function(_uploader_app, default_timeout=60)
    at.query_params["lang"] = "fr"
    at.run()
    big, small = b"x" * (3 * 2**19), b"y" * 10  # 1.5 MiB above a 1 MB cap; 10 bytes
    at.file_uploader(key="up").set_value(
        [("gros.csv", big, "text/csv"), ("petit.csv", small, "text/csv")]
    )
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "gros.csv fait 1,5 Mo ; la limite d'envoi est de 1 Mo : il n'a pas été lu."
    ]
    assert at.markdown[-1].value == "kept=petit.csv"


def test_the_shipped_config_caps_uploads_and_hides_the_developer_menu() -> None:
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["maxUploadSize"] == 50  # MB, as the reader's own limit
    assert cfg["server"]["maxUploadSize"] * 2**20 == ingest.MAX_BYTES
    assert cfg["client"]["toolbarMode"] == "viewer"
    assert cfg["browser"]["gatherUsageStats"] is False
    # No gc.collect(2) after every run: 36 % of a replica's CPU under load (issue 20).
    assert cfg["runner"]["postScriptGC"] is False
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()  # never shipped


# ------------------------------------------------------------------ every write guarded

WRITE_PREFIXES = ("save_", "delete_", "commit_", "submit_", "move_")


def _write_calls() -> list[tuple[str, int, ast.AST]]:
    """(file, line, enclosing branch) of each call of a write loader (``loaders.save_*``,
    ``delete_*``, ``commit_*``, ``submit_*``, ``move_*``) in pages/ and ui/."""
    found = []
    for path in [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        if path.name == "loaders.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        for node in ast.walk(tree):
            fn = node.func if isinstance(node, ast.Call) else None
            if (
                isinstance(fn, ast.Attribute)
                and isinstance(fn.value, ast.Name)
                and fn.value.id == "loaders"
                and fn.attr.startswith(WRITE_PREFIXES)
            ):
                branch = parents[node]
                while not isinstance(branch, ast.If | ast.FunctionDef | ast.Module):
                    branch = parents[branch]
                found.append((path.name, node.lineno, branch))
    return found


def test_every_write_branch_calls_the_guard_before_writing() -> None:
    calls = _write_calls()
    assert len(calls) >= 7  # import, delete, profile, scenario, weighting, request, review
    for name, line, branch in calls:
        assert isinstance(branch, ast.If), f"{name}:{line}: a write outside a branch"
        guards = [
            n.lineno
            for n in ast.walk(branch)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "require"
            and n.lineno < line
        ]
        assert guards, f"{name}:{line}: the write branch does not call access.require() first"
