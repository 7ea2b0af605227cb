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
