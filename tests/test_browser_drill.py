"""In Chromium, in French: from the Overview's red count to a red project's driver figure
in two clicks (the issue's "done when")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmo_core import i18n, kpi, store
from tests.test_browser import _open
from ui import projects_panels as panels

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROW_HEIGHT = 35  # st.dataframe's rows and header, in pixels (Glide data grid default)


def test_red_count_to_the_driver_figure_in_two_clicks(  # type: ignore[no-untyped-def]
    browser, served_app: str, demo_db: Path
) -> None:
    # The served app seeds the same demo: its red projects, in the Projects page's order.
    snap = store.get_snapshot(path=demo_db)
    k = kpi.snapshot_kpis(snap)
    red = panels.red_first(k[k["rag"] == "R"])
    row = red["project_id"].tolist().index("PRJ-059")
    spi_t = i18n.fmt_number(float(red.set_index("project_id").loc["PRJ-059", "spi_t"]), "fr", 2)
    assert spi_t == "0,64"

    page = _open(browser, f"{served_app}/?lang=fr")
    try:
        page.wait_for_selector("text=Vue d'ensemble du portefeuille", timeout=60_000)
        # Click 1: the link under the "Projets en rouge" card.
        link = page.get_by_role("link", name=f"Voir les {len(red)}", exact=True)
        # The page done drawing first: a hover on a card being redrawn shows no tooltip.
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
        )
        link.hover()
        page.wait_for_selector(
            f"text=Ouvre la page Projets sur les {len(red)} projets en rouge", timeout=60_000
        )
        link.click()
        page.wait_for_url(re.compile(r"/projects\?.*rag=red"), timeout=60_000)
        page.wait_for_selector(f"text={len(red)} projets sur", timeout=60_000)
        grid = page.locator("[data-testid=stDataFrame]").first
        grid.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
        )
        # Click 2: PRJ-059's row (its selection box, left of the first column).
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 15, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
        page.wait_for_url(re.compile(r"project=PRJ-059"), timeout=60_000)
        page.wait_for_selector(f"text=Délais : Rouge, IPD(t) {spi_t} < 0,85", timeout=60_000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.get_by_text("PRJ-059 · ", exact=False).count() >= 1
    finally:
        page.close()
