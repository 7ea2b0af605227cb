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
    "forecast.py": "forecast",
    "alignment.py": "alignment",
    "capacity.py": "capacity",
    "whatif.py": "whatif",
    "reports.py": "reports",
    "import_data.py": "import_data",
    "requests.py": "requests",
    "governance.py": "governance",
}
PAGES = [PATHS[p.name] for p in sorted((ROOT / "pages").glob("*.py")) if p.name in PATHS]


#: True once every Plotly chart of the page is drawn (its ``.main-svg``): a chart's errors
#: (e.g. a field the browser cannot read) are raised while it is drawn.
CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(c => c.querySelector('.main-svg'))"
)


def _steady_box(page, locator, timeout_s: float = 90.0) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """``locator``'s bounding box once the layout stopped moving (the same box for a
    second, read every quarter of a second): on a loaded machine the page may take
    seconds to settle, and a click aimed at a canvas cell before then lands elsewhere."""
    import time

    deadline = time.monotonic() + timeout_s
    boxes: list[object] = []
    while True:
        box = locator.bounding_box()
        boxes = [*boxes[-4:], box]
        if box is not None and len(boxes) == 5 and all(b == box for b in boxes):
            return box
        assert time.monotonic() < deadline, f"the layout kept moving: {boxes}"
        page.wait_for_timeout(250)


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
        # Let the charts draw: their errors come late. A chart that never draws fails
        # the wait; the browser's errors then say why.
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
        except PlaywrightTimeout:
            assert errors == [], errors
            raise
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


def test_a_running_projects_detail_draws_its_forecast(  # type: ignore[no-untyped-def]
    browser, served_app: str, demo_db: Path
) -> None:
    # The fan on the S-curve and the two histograms are drawn by Plotly in the browser,
    # in French, without a browser error.
    from pmo_core import forecast
    from pmo_core.commands import KPI_TABLES

    doc = forecast.forecast_document(
        forecast.store_history(None, demo_db, KPI_TABLES), iterations=10
    )
    pid = next(p["project_id"] for p in doc["projects"] if p["eac_p50"] is not None)
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served_app}/projects?lang=fr&project={pid}", wait_until="domcontentloaded")
    try:
        for text in (
            "Prévision de coût P10-P90",
            "Coût à terminaison : les tirages",
            "Date de fin : les tirages",
        ):
            page.get_by_text(text).first.wait_for(timeout=60_000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == []
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


def test_reports_page_previews_then_downloads_the_excel_pack(browser, served_app: str) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    page = _open(browser, f"{served_app}/reports?lang=en")
    try:
        page.wait_for_selector("text=Steering committee pack", timeout=60_000)
        # The preview first: the cover's cards as they will print.
        page.wait_for_selector("text=Preview of the pack", timeout=60_000)
        page.get_by_text("Budget (BAC)").first.wait_for(timeout=60_000)
        # The highlight report in short, and the reasons in a static table that wraps:
        # each "Why" cell whole on screen (no grid cutting it at one line).
        page.get_by_text("Highlight report").first.wait_for(timeout=60_000)
        cell = page.locator("[data-testid=stTable] td").filter(has_text="SPI").first
        cell.wait_for(timeout=60_000)
        box = cell.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert box[0] <= box[1] + 1, box  # nothing cut
        assert page.get_by_role("button", name="Download as CSV").count() == 1
        # Then one click per format: the workbook is built on the click (no Build step).
        button = page.get_by_role("button", name="Excel workbook")
        button.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
        )
        with page.expect_download(timeout=120_000) as got:
            button.click()
        wb = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
        assert wb.sheetnames[:3] == ["Highlight report", "Cover", "Projects"]
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
    from playwright.sync_api import expect

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
        if lang == "fr":  # the PMO approves it; the what-if then offers it
            status = page.get_by_role("combobox", name="Nouveau statut")
            status.click()
            status.press("ArrowDown")  # opens the list
            page.get_by_role("option", name="Approuvée").click()
            # The choice reruns the page: apply only once the server has it.
            expect(status).to_have_value("Approuvée", timeout=60_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
            )
            page.get_by_role("button", name="Appliquer").click()
            page.wait_for_timeout(500)  # the click starts the rerun that moves it
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
            )
            page.goto(f"{served_app}/whatif?lang=fr", wait_until="domcontentloaded")
            page.wait_for_selector("text=comme candidates", timeout=60_000)
            assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
    finally:
        page.close()


def test_a_copied_link_reopens_the_same_filtered_view(  # type: ignore[no-untyped-def]
    browser, served_app: str, demo_db: Path
) -> None:
    from urllib.parse import quote

    from pmo_core import store

    projects = store.get_snapshot(path=demo_db).frames["projects"]
    programme = "Expérience client"
    chosen = projects[projects["program"] == programme].sort_values("project_id").iloc[-1]
    pid, name = str(chosen["project_id"]), str(chosen["name"])
    page = _open(browser, f"{served_app}/projects?lang=en&program={quote(programme)}&project={pid}")
    try:
        page.get_by_role("heading", name=f"{pid} · {name}").wait_for(timeout=60_000)
        code = page.locator("[data-testid=stSidebar] [data-testid=stCode] code")
        code.wait_for(timeout=60_000)
        url = code.inner_text().strip()
        assert url.startswith(f"{served_app}/projects?"), url
    finally:
        page.close()
    # Someone else (no cookies, no session) opens the link.
    other = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = other.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("heading", name=f"{pid} · {name}").wait_for(timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
        )
        # The programme filter is set: its chip is the only one in the sidebar.
        tags = page.locator("[data-testid=stSidebar] [data-tag]")
        tags.first.wait_for(timeout=30_000)
        assert tags.all_inner_texts() == [programme]
        assert page.get_by_text("Portfolio overview").count() == 0  # English, this page
        assert page.locator("[data-testid=stException]").count() == 0
    finally:
        other.close()


def test_editor_signs_in_imports_and_the_audit_log_names_them(  # type: ignore[no-untyped-def]
    browser, served_app_with_password: str
) -> None:
    import hashlib

    from playwright.sync_api import expect

    from tests.conftest import EDITOR_PASSWORD

    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{served_app_with_password}/import_data?lang=en", wait_until="domcontentloaded")
        page.wait_for_selector("text=Import a portfolio snapshot", timeout=120_000)
        # A viewer gets no uploader, only the hint to sign in.
        page.wait_for_selector("text=Sign in as editor to do this", timeout=60_000)
        assert page.locator("input[type=file]").count() == 0
        page.get_by_text("Sign in to edit").click()
        page.get_by_label("Password", exact=True).fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_selector("text=Signed in as Editor", timeout=60_000)
        page.locator("input[type=file]").set_input_files(str(Path(DEMO)))
        page.wait_for_selector("text=The file is valid", timeout=120_000)
        button = page.get_by_role("button", name="Import this snapshot")
        # The rerun after signing in redraws the button: wait until it is enabled.
        expect(button).to_be_enabled(timeout=120_000)
        button.click()
        page.wait_for_selector("text=imported.", timeout=120_000)
        # The audit table, newest first; its grid keeps each cell's text in a hidden
        # accessibility table (glide-cell-<column>-<row>).
        audit = page.locator("[data-testid=stDataFrame]").last

        def cell(col: int) -> str:
            loc = audit.locator(f"[data-testid=glide-cell-{col}-0]")
            loc.wait_for(state="attached", timeout=60_000)
            return str(loc.text_content())

        page.wait_for_function(  # the rerun after the import redraws the table
            "() => [...document.querySelectorAll('[data-testid=stDataFrame]')].pop()"
            "?.querySelector('[data-testid=glide-cell-1-0]')?.textContent"
            " === 'Editor (password)'",
            timeout=60_000,
        )
        sha = hashlib.sha256(Path(DEMO).read_bytes()).hexdigest()
        # Stored as "editor (password)", shown in the user's words (ui/snapshot_history.py).
        assert (cell(1), cell(2), cell(4)) == ("Editor (password)", "Import", sha[:12])
        assert page.locator("[data-testid=stException]").count() == 0
    finally:
        context.close()


def test_budget_slider_moves_the_selection_and_a_saved_scenario_is_compared(  # type: ignore[no-untyped-def]
    browser, served_app: str
) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    page = _open(browser, f"{served_app}/whatif?lang=en")
    page.on("pageerror", lambda e: errors.append(str(e)))

    def metric(label: str) -> str:
        box = page.locator("[data-testid=stMetric]").filter(has_text=label).first
        return str(box.locator("[data-testid=stMetricValue]").text_content())

    # Waits on what the page shows, not on the status widget: in a shared checkout it
    # also appears when a source file changes.
    cost_at_most = (
        "(limit) => { const m = [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".find(m => m.textContent.includes('Cost'));"
        " const v = m && m.querySelector('[data-testid=stMetricValue]').textContent;"
        " return v && parseFloat(v.replace(/[^0-9.]/g, '')) <= limit; }"
    )
    try:
        slider = page.locator("[data-testid=stSlider]").first
        thumb = slider.locator("input[type=range]")  # the thumb's keyboard handle
        thumb.wait_for(state="attached", timeout=60_000)
        assert thumb.input_value() == "320"  # step 320 of 0.1 M€: 80 % of 40.0 M€
        page.wait_for_function(cost_at_most, arg=32.0, timeout=60_000)
        before = (metric("Cost"), metric("Projects selected"))
        assert float(before[0].strip("€M")) > 26.0
        thumb.focus()
        for _ in range(60):  # 0.1 M€ a press: down to 26.0 M€
            page.keyboard.press("ArrowLeft")
        slider.locator("[data-testid=stSliderThumbValue]", has_text="€26M").wait_for(timeout=30_000)
        page.wait_for_function(cost_at_most, arg=26.0, timeout=120_000)
        after = (metric("Cost"), metric("Projects selected"))
        assert int(after[1]) < int(before[1])  # fewer projects fit 26 M€
        name = page.get_by_label("Scenario name", exact=True)
        name.fill("Budget cut to 26")
        name.press("Enter")
        save = page.get_by_role("button", name="Save this scenario")
        expect(save).to_be_enabled(timeout=60_000)  # once the name reached the server
        save.click()
        page.wait_for_selector("text=Scenario saved: Budget cut to 26", timeout=60_000)
        # The comparison picks it ("name (#snapshot)") and lists it in its table.
        page.get_by_text("Budget cut to 26 (#").first.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid^=glide-cell-0-]')]"
            ".some(c => c.textContent === 'Budget cut to 26')",
            timeout=60_000,
        )
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
    finally:
        page.close()


def _messy_french_workbook() -> bytes:
    """A colleague's export: a title row and a blank row above French headers, amounts as
    ``1 234,50 €`` text, dd/mm/yyyy dates, ``45 %``, a totals row, a sheet of notes."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Projets"
    ws.append(["Export du portefeuille DSI au 31/10/2026"])
    ws.append([])
    header = ["Code projet", "Nom du projet", "Statut", "Date de début", "Date de fin"]
    ws.append([*header, "Budget", "Avancement"])
    ws.append(["NAV-01", "Refonte portail usagers", "En cours", "15/01/2026", "30/11/2026"])
    ws["F4"], ws["G4"] = "1 234,50 €", "45 %"
    ws.append(["NAV-02", "Dématérialisation factures", "Terminé", "01/03/2025", "31/12/2025"])
    ws["F5"], ws["G5"] = "98 000,00 €", "100 %"
    ws.append(["NAV-03", "Entrepôt de données", "Suspendu", "02/02/2026", "30/06/2027"])
    ws["F6"], ws["G6"] = "250 000 €", "10 %"
    ws.append(["Total", None, None, None, None, "349 234,50 €"])
    notes = wb.create_sheet("Notes du PMO")
    notes.append(["Remarque", "Auteur"])
    notes.append(["Budget 2027 à confirmer", "PMO"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _delete_newest_snapshot(browser, served_app: str):  # type: ignore[no-untyped-def]
    """Delete the newest snapshot from the Import page, in French, as an editor would, and
    wait for the audit log's newest entry to say so; returns the page."""
    from playwright.sync_api import expect

    page = _open(browser, f"{served_app}/import_data?lang=fr")
    page.locator("[data-testid=stExpander] summary").filter(has_text="Supprimer une photo").click()
    sure = page.locator("[data-testid=stCheckbox]").filter(
        has_text="Je comprends que cette photo sera supprimée."
    )
    sure.locator("label").click()
    delete = page.get_by_role("button", name="Supprimer", exact=True)
    expect(delete).to_be_enabled(timeout=30_000)
    delete.click()
    _grid_shows(page, "Photo supprimée")  # the audit log's newest entry
    return page


def _grid_shows(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until some data grid cell holds exactly ``text`` (glide keeps each cell's text
    in a hidden accessibility table)."""
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('[data-testid^=glide-cell-]')]"
        ".some(c => c.textContent === text)",
        arg=text,
        timeout=60_000,
    )


def test_a_messy_french_workbook_goes_from_upload_to_snapshot(  # type: ignore[no-untyped-def]
    browser, served_app: str
) -> None:
    errors: list[str] = []
    page = _open(browser, f"{served_app}/import_data?lang=fr")
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.wait_for_selector("text=Importer une photo du portefeuille", timeout=60_000)
        page.locator("input[type=file]").set_input_files(
            {
                "name": "export_dsi.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _messy_french_workbook(),
            }
        )
        # Issues: two warnings (the totals row, the notes sheet), no error.
        page.wait_for_selector("text=Le fichier est valide", timeout=120_000)
        page.get_by_role("heading", name="Rapport de contrôle").wait_for(timeout=60_000)
        _grid_shows(page, "Ligne de total ignorée.")
        _grid_shows(page, "Notes du PMO")
        # Preview: the three projects, amounts and dates read the French way.
        page.get_by_role("tab", name="Projets (3)").click()
        _grid_shows(page, "NAV-03")
        _grid_shows(page, "Refonte portail usagers")
        # 3 new projects against the demo's 60: warned, and the commit waits for a confirmation.
        page.get_by_test_id("stAlertContentWarning").get_by_text(
            "la photo actuelle en compte 60 : 60 n'apparaîtraient plus"
        ).wait_for(timeout=60_000)
        page.get_by_text("Je confirme : le portefeuille devient les 3 projets").click()
        # Commit, then the history lists the file.
        page.get_by_role("button", name="Importer cette photo").click()
        page.wait_for_selector("text=importée.", timeout=120_000)
        _grid_shows(page, "export_dsi.xlsx")
        assert page.locator("[data-testid=stException]").count() == 0
        # Delete it again (the newest snapshot is the one proposed), so that the tests
        # after this one find the demo as the served store's newest snapshot; on a fresh
        # page, whose layout does not move while the expander is used.
        page.close()
        page = _delete_newest_snapshot(browser, served_app)
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
    finally:
        page.close()


def test_a_csv_with_unknown_headers_opens_the_mapping_editor(  # type: ignore[no-untyped-def]
    browser, served_app: str
) -> None:
    export = (
        "Export outil X - mars 2026\n"
        "Code outil;Libellé court;Enveloppe;Pilote;Ciel du projet\n"
        "X-1;Portail;1 200,50 €;Ana;Soleil\n"
        "X-2;Paie;800;Bob;Nuages\n"
    ).encode("cp1252")
    page = _open(browser, f"{served_app}/import_data?lang=en")
    try:
        page.wait_for_selector("text=Import a portfolio snapshot", timeout=60_000)
        page.locator("input[type=file]").set_input_files(
            {"name": "outil_x.csv", "mimeType": "text/csv", "buffer": export}
        )
        page.get_by_role("heading", name="Column mapping").wait_for(timeout=120_000)
        # The editor lists the file's headers, and asks for one column to be mapped.
        for header in ("Code outil", "Libellé court", "Enveloppe", "Pilote", "Ciel du projet"):
            _grid_shows(page, header)
        page.wait_for_selector("text=Map at least one column", timeout=60_000)
        assert page.get_by_role("button", name="Import this snapshot").is_disabled()
        assert page.locator("[data-testid=stException]").count() == 0
    finally:
        page.close()


def test_editing_a_pairwise_judgment_moves_the_weights_and_the_cr(  # type: ignore[no-untyped-def]
    browser, served_app: str, demo_db: Path
) -> None:
    from pmo_core import store
    from pmo_core.i18n import fmt_number, fmt_pct
    from pmo_core.kpi import alignment

    f = store.get_snapshot(path=demo_db).frames
    ids = list(f["objectives"]["objective_id"])
    before = alignment.objective_weights(f["objectives"], f["pairwise"])
    base = alignment.pairwise_matrix(f["objectives"], f["pairwise"])
    edited = base.copy()
    edited.loc[ids[0], ids[1]] = 9.0  # the first objective now "extremely" above the second
    after = alignment.pairwise_weights(ids, alignment.judgments_from_matrix(edited, base))
    assert fmt_number(after.cr, "en", 2) != fmt_number(before.cr, "en", 2)
    errors: list[str] = []
    page = _open(browser, f"{served_app}/alignment?lang=en")
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        cr = page.locator("[data-testid=stMetricValue]").first
        cr.wait_for(timeout=60_000)
        assert cr.text_content() == fmt_number(before.cr, "en", 2)
        _grid_shows(page, fmt_pct(100 * before.weights.iloc[0], "en", 1))
        # The matrix editor is a canvas: click the cell (row 0, second objective's column:
        # index 200 px + one 75 px column + half a column), check that glide selected it
        # (its accessibility table marks the cell), open the editor, type, Enter.
        grid = page.locator("[data-testid=stDataFrame]").first
        box = _steady_box(page, grid)  # the layout settled before aiming at the canvas
        page.mouse.click(box["x"] + 200 + 75 + 37, box["y"] + 35 + 17)
        grid.locator("[data-testid=glide-cell-2-0][aria-selected=true]").wait_for(
            state="attached", timeout=30_000
        )
        page.keyboard.press("Enter")
        editor = page.locator("#portal .gdg-input")
        editor.wait_for(timeout=30_000)
        editor.fill("9")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(v) => document.querySelector('[data-testid=stMetricValue]')?.textContent === v",
            arg=fmt_number(after.cr, "en", 2),
            timeout=60_000,
        )
        _grid_shows(page, fmt_pct(100 * after.weights.iloc[0], "en", 1))
        # The mirrored cell (second objective's row, first column) shows 1/9 at once,
        # as Saaty's scale is written (not 0.111).
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stDataFrame] "
            "[data-testid=glide-cell-1-1]')?.textContent?.trim() === '1/9'",
            timeout=60_000,
        )
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
    finally:
        page.close()


def test_the_mapping_editor_in_french_maps_an_unknown_header_to_a_snapshot(  # type: ignore[no-untyped-def]
    browser, served_app: str
) -> None:
    # "Numéro chantier" is no template header: the id is missing and the file refused
    # until the editor maps it to "Code projet" (its French label, not project_id).
    export = (
        "Numéro chantier;Nom du projet;Budget\nCH-1;Toiture gymnase;1 200\nCH-2;Préau;800\n"
    ).encode()
    errors: list[str] = []
    page = _open(browser, f"{served_app}/import_data?lang=fr")
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.wait_for_selector("text=Importer une photo du portefeuille", timeout=60_000)
        page.locator("input[type=file]").set_input_files(
            {"name": "chantiers.csv", "mimeType": "text/csv", "buffer": export}
        )
        page.get_by_role("heading", name="Correspondance des colonnes").wait_for(timeout=120_000)
        expander = page.locator("[data-testid=stExpander]").filter(
            has_text="Modifier la correspondance"
        )
        grid = expander.locator("[data-testid=stDataFrame]").first
        grid.wait_for(timeout=60_000)
        # The guesses are shown by their French labels ("Nom du projet", "Budget (BAA)").
        _grid_shows(page, "Nom du projet")
        _grid_shows(page, "Budget (BAA)")
        assert page.get_by_role("button", name="Importer cette photo").is_disabled()
        # Row 0 ("Numéro chantier"): select its first cell, move to "Alimente la colonne",
        # open the choice, type the label, Enter.
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        # A click on a canvas cell: on a loaded machine the grid may still be redrawn
        # when it lands (the edit is then lost), so the gesture is made again, up to 3 times.
        for attempt in range(3):
            box = _steady_box(page, grid)
            page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
            grid.locator("[data-testid=glide-cell-0-0][aria-selected=true]").wait_for(
                state="attached", timeout=30_000
            )
            page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
            page.keyboard.type("Code projet")
            page.keyboard.press("Enter")
            # Applied live, no switch: the expander stays open and the file becomes valid.
            try:
                page.wait_for_selector("text=Le fichier est valide", timeout=45_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        assert grid.is_visible()
        _grid_shows(page, "Code projet")
        # 2 projects against the demo's 60: the commit waits for the confirmation.
        page.get_by_text("Je confirme : le portefeuille devient les 2 projets").click()
        page.get_by_role("button", name="Importer cette photo").click()
        page.wait_for_selector("text=importée.", timeout=120_000)
        _grid_shows(page, "chantiers.csv")
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
        # Delete it again, as the messy-workbook test does, for the tests after this one.
        page.close()
        page = _delete_newest_snapshot(browser, served_app)
    finally:
        page.close()
