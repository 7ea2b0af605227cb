"""Requests page in AppTest: submit a request, find it in the queue, approve it."""

from __future__ import annotations

from pathlib import Path

from pmo_core import project_requests as req
from pmo_core import store
from tests.conftest import run_page


def _fill(at, title: str):  # type: ignore[no-untyped-def]
    at.text_input(key="requests_title").input(title)
    at.text_input(key="requests_department").input("Ventes")
    at.text_input(key="requests_budget").input("250 000")
    at.select_slider(key="requests_rating_0").set_value(9)
    return at


def test_submit_a_request_in_french(app_db: Path) -> None:
    at = run_page("requests.py", "fr")
    assert not at.exception
    assert at.title[0].value == "Demandes de projet"
    _fill(at, "Portail fournisseurs")
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception
    assert any("REQ-1" in s.value for s in at.success)
    saved = req.load(app_db)
    assert saved["title"].tolist() == ["Portail fournisseurs"]
    assert saved["budget"].tolist() == [250_000.0]
    assert list(saved["payload"].iloc[0]["ratings"].values()) == [9]


def test_an_amount_typed_the_french_way_is_stored_as_meant(app_db: Path) -> None:
    # "450 000,50" is four hundred and fifty thousand euros and fifty cents (it was
    # stored as 45 000 050 when the digits were kept and the comma dropped).
    at = run_page("requests.py", "fr")
    at.text_input(key="requests_title").input("Portail")
    at.text_input(key="requests_budget").input("450 000,50")
    at.text_input(key="requests_benefit").input("1,2 M€")
    at.button[-1].click().run()
    assert not at.exception
    saved = req.load(app_db)
    assert saved["budget"].tolist() == [450_000.5]
    assert saved["expected_benefit"].tolist() == [1_200_000.0]
    at.run()  # the form shows what it understood of the last values sent
    captions = [c.value for c in at.caption]
    assert "Compris : 450\u202f000,50\u00a0€" in captions
    assert "Compris : 1\u202f200\u202f000\u00a0€" in captions


def test_an_amount_that_is_not_one_is_refused_with_the_reason(app_db: Path) -> None:
    at = run_page("requests.py", "en")
    at.text_input(key="requests_title").input("Portal")
    at.text_input(key="requests_budget").input("a lot")
    at.button[-1].click().run()
    assert not at.exception
    assert any("a lot is not an amount" in e.value for e in at.error)
    assert req.load(app_db).empty
    at.text_input(key="requests_budget").input("450,000.50")
    at.button[-1].click().run()
    assert req.load(app_db)["budget"].tolist() == [450_000.5]


def test_a_request_without_title_is_refused_with_the_reason(app_db: Path) -> None:
    at = run_page("requests.py", "en")
    at.button[-1].click().run()
    assert any(e.value == "A request needs a title." for e in at.error)
    assert req.load(app_db).empty


def test_queue_shows_alignment_and_the_pmo_approves(app_db: Path) -> None:
    rid = req.submit(
        {
            "title": "CRM",
            "budget": 100_000.0,
            "ratings": {"OBJ1": 9},
            "demand": [{"role": "Architecte", "month": "2026-11-01", "hours": 500.0}],
        },
        who="sales@x.fr",
        path=app_db,
    )
    at = run_page("requests.py", "en")
    assert not at.exception
    queue = next(d.value for d in at.dataframe if "ID" in d.value.columns)
    assert queue["ID"].tolist() == [f"REQ-{rid}"]
    assert queue["Status"].tolist() == ["Submitted"]
    expected = req.queue(req.load(app_db), store.get_snapshot(path=app_db).frames)
    score = expected["alignment_score"].iloc[0]
    assert score > 0
    assert queue["Alignment score"].iloc[0] == f"{score:.0f}"
    # A rejection without a reason is refused; then the PMO approves in the page.
    at.selectbox(key="requests_move").set_value("rejected")
    at.button(key="requests_apply").click().run()
    assert any(e.value == "A rejection needs a reason." for e in at.error)
    at.selectbox(key="requests_move").set_value("approved")
    at.button(key="requests_apply").click().run()
    assert not at.exception
    history = req.load(app_db)["payload"].iloc[0]["history"]
    assert [(h["status"], h["who"]) for h in history] == [
        ("submitted", "sales@x.fr"),
        ("approved", "local"),  # open mode: the audit says "local"
    ]
    queue = next(d.value for d in at.dataframe if "ID" in d.value.columns)
    assert queue["Status"].tolist() == ["Approved"]
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Approved requests in the import template (1)" in labels


def test_hostile_text_is_shown_formula_safe(app_db: Path) -> None:
    req.submit(
        {"title": '=HYPERLINK("http://x","y")', "department": "@SUM(1)"}, who="x", path=app_db
    )
    at = run_page("requests.py", "en")
    queue = next(d.value for d in at.dataframe if "ID" in d.value.columns)
    assert queue["Title"].tolist() == ['\'=HYPERLINK("http://x","y")']
    assert queue["Department"].tolist() == ["'@SUM(1)"]
