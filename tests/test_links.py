"""Shareable links: the sidebar's "link to this view" holds the page, language, snapshot,
filters and project; opening it shows the same view."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from pmo_core import store
from tests.conftest import ROOT

BASE = "http://cockpit.example:8501"
PROGRAMME = "Expérience client"  # 11 of the demo's 60 projects


def app(url: str | None = BASE + "/", lang: str = "en", **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if url is not None:
        at.context = {"url": url}
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def link(at: AppTest) -> str:
    codes = [c.value for c in at.sidebar.code]
    assert len(codes) == 1, codes
    return codes[0]


def test_link_holds_the_page_language_and_filters(app_db: Path) -> None:
    at = app(lang="fr", program=PROGRAMME, department=["DSI", "Finance"])
    # "/" opens the Overview: the link names its page, not the hidden entry point.
    url = urlsplit(link(at))
    assert f"{url.scheme}://{url.netloc}{url.path}" == BASE + "/overview"
    assert parse_qs(url.query) == {
        "lang": ["fr"],
        "program": [PROGRAMME],
        "department": ["DSI", "Finance"],
    }
    assert "Lien vers cette vue" in [m.value.strip("*") for m in at.sidebar.markdown]


def test_link_names_an_older_snapshot_and_the_open_project(app_db: Path) -> None:
    # "/?page=projects" is how a link opened before the app's first run arrives.
    at = app(BASE + "/", snapshot="2", page="projects")
    # The Projects page opens its first project and puts it in the URL; the link,
    # drawn again after the page, names it (the sidebar ran before the page chose it).
    project = str(at.query_params["project"])
    assert project.startswith("PRJ-")
    url = urlsplit(link(at))
    assert url.path == "/projects"
    assert parse_qs(url.query) == {"lang": ["en"], "snapshot": ["2"], "project": [project]}


def test_newest_snapshot_is_left_out_of_the_link(app_db: Path) -> None:
    newest = int(store.list_snapshots(app_db)["snapshot_id"].max())
    at = app(snapshot=str(newest))
    assert parse_qs(urlsplit(link(at)).query) == {"lang": ["en"]}


def test_link_without_a_browser_url_is_the_page_path_and_query(app_db: Path) -> None:
    # A client that sends no URL (AppTest without context, a bare websocket client):
    # no Host header either, so the link is the page's path and the query string.
    at = app(url=None, status=["on_hold", "cancelled"])
    assert link(at) == "/overview?lang=en&status=on_hold&status=cancelled"


def test_a_link_to_a_missing_snapshot_says_which_one_it_shows(app_db: Path) -> None:
    # Snapshot 99 does not exist: the nearest (3, the newest of the demo) is shown, and said.
    at = app(lang="fr", snapshot="99")
    assert [w.value for w in at.warning] == [
        "La photo n° 99 n'existe pas (supprimée, ou jamais importée) : affichage de la "
        "photo n° 3 du 31/10/2026, la plus proche."
    ]
    assert at.sidebar.selectbox(key="sidebar_snapshot").value == 3
    # Said once: the next run shows the view without the message, and the link is valid.
    at.run()
    assert not at.warning
    assert "snapshot" not in parse_qs(urlsplit(link(at)).query)


def test_a_missing_snapshot_opens_the_nearest_one_not_the_newest(app_db: Path) -> None:
    store.delete_snapshot(2, who="tests", path=app_db)
    at = app(lang="en", snapshot="2")  # 1 and 3 are as near: the newer one, said
    assert any("Snapshot #2 does not exist" in w.value and "#3" in w.value for w in at.warning)
    at = app(lang="en", snapshot="0")
    assert any("showing snapshot #1 as of" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="sidebar_snapshot").value == 1


def test_a_link_whose_snapshot_is_not_a_number_says_so(app_db: Path) -> None:
    at = app(lang="en", snapshot="latest")
    assert any('snapshot "latest" is not a snapshot number' in w.value for w in at.warning)


def test_a_session_moved_to_another_replica_keeps_its_language_snapshot_and_filters(
    app_db: Path,
) -> None:
    # Its replica stopped: the browser reconnects (through the load balancer) to another
    # replica, where a new session's first run can arrive with no query string at all
    # (seen in bench/load_test.py: the session came back in French, on the newest
    # snapshot, unfiltered). The browser still sends its widgets' values with that run:
    # the language, the older snapshot and the programme filter the viewer had chosen.
    before = app(lang="en", snapshot="2", program=PROGRAMME)
    assert before.session_state["sidebar_snapshot"] == 2
    browser_values = before._tree.get_widget_states()

    moved = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    moved.context = {"url": BASE + "/"}
    moved._run(widget_state=browser_values)  # a new session: no query string, no state
    assert not moved.exception
    assert moved.session_state["sidebar_lang"] == "en"
    assert moved.session_state["sidebar_snapshot"] == 2
    assert moved.session_state["sidebar_program"] == [PROGRAMME]
    assert "Portfolio overview" in [h.value for h in moved.title]
    assert moved.query_params["lang"] == "en"  # and the link says it again
    # And a first visit with no link at all still opens in French on the newest snapshot.
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    fresh.run()
    assert fresh.session_state["sidebar_lang"] == "fr"
    assert fresh.session_state["sidebar_snapshot"] == int(store.latest_snapshot_id(app_db))
