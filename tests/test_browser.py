"""The served app in Chromium: every page opens, the language switch, an upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PATHS = {
    "overview.py": "overview",
    "projects.py": "projects",
    "roadmap.py": "roadmap",
    "risks.py": "risks",
    "alignment.py": "alignment",
    "capacity.py": "capacity",
    "whatif.py": "whatif",
    "reports.py": "reports",
    "import_data.py": "import_data",
    "requests.py": "requests",
    "governance.py": "governance",
}
PAGES = [PATHS[p.name] for p in sorted((ROOT / "pages").glob("*.py")) if p.name in PATHS]


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid=stSidebar]", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
    )
    return page


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_without_an_exception(browser, served_app: str, path: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served_app}/{path}?lang=fr", wait_until="domcontentloaded")
    try:
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
        )
        page.wait_for_timeout(1500)  # let charts draw: their errors come late
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors  # e.g. a chart field the browser cannot read
    finally:
        page.close()


def test_overview_draws_its_charts_and_switches_language(browser, served_app: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, f"{served_app}/?lang=fr")
    try:
        page.wait_for_selector("text=Vue d'ensemble du portefeuille", timeout=60_000)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        assert page.locator(".js-plotly-plot").count() >= 2
        page.get_by_text("English", exact=True).click()
        page.wait_for_selector("text=Portfolio overview", timeout=60_000)
        assert "lang=en" in page.url
    finally:
        page.close()


def test_uploading_the_demo_workbook_creates_a_snapshot(browser, served_app: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, f"{served_app}/import_data?lang=en")
    try:
        page.wait_for_selector("text=Import a portfolio snapshot", timeout=60_000)
        page.locator("input[type=file]").set_input_files(str(Path(DEMO)))
        page.wait_for_selector("text=The file is valid", timeout=120_000)
        page.get_by_role("button", name="Import this snapshot").click()
        page.wait_for_selector("text=imported.", timeout=120_000)
        assert page.locator("[data-testid=stException]").count() == 0
    finally:
        page.close()


def test_reports_page_builds_and_downloads_the_excel_pack(browser, served_app: str) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    page = _open(browser, f"{served_app}/reports?lang=en")
    try:
        page.wait_for_selector("text=Steering committee pack", timeout=60_000)
        page.get_by_role("button", name="Build").first.click()
        button = page.get_by_role("button", name="Download")
        button.wait_for(timeout=120_000)
        with page.expect_download(timeout=60_000) as got:
            button.click()
        wb = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
        assert wb.sheetnames[:2] == ["Cover", "Projects"]
        assert page.locator("[data-testid=stException]").count() == 0
    finally:
        page.close()


@pytest.mark.parametrize(
    ("lang", "title", "submit", "done"),
    [
        ("fr", "Portail fournisseurs", "Soumettre la demande", "soumise"),
        ("en", "Supplier portal", "Submit the request", "submitted"),
    ],
)
def test_a_request_submitted_in_the_browser_reaches_the_queue(  # type: ignore[no-untyped-def]
    browser, served_app: str, lang: str, title: str, submit: str, done: str
) -> None:
    errors: list[str] = []
    page = _open(browser, f"{served_app}/requests?lang={lang}")
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.locator("input[aria-label]").first.wait_for(timeout=60_000)
        label = "Titre" if lang == "fr" else "Title"
        page.get_by_label(label, exact=True).fill(title)
        page.get_by_role("button", name=submit).click()
        page.wait_for_selector(f"text={done}", timeout=60_000)
        queue = "File" if lang == "fr" else "Queue"
        page.get_by_role("tab", name=queue).click()
        # The request is in the picker below the queue, with its title.
        page.get_by_role("heading", name=title).wait_for(timeout=60_000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
    finally:
        page.close()
