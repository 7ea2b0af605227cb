"""Open the Overview of a running PMO Cockpit in headless Chromium and check that it
draws (deploy/podman/check_image.sh runs it against the containers and nginx):

    python deploy/podman/browser_check.py URL [URL ...]

For each URL: the page's title "Vue d'ensemble du portefeuille" (French, ``?lang=fr``)
on screen within 90 s, Streamlit's "Running" status gone, at least one chart drawn, no
exception box, no browser error. Prints one JSON line per URL, with the sign-in mode the
sidebar shows (``sign_in``: "open", "unconfigured" or null: which secrets the replica
read); exit status 1 if any failed. Needs Playwright (requirements-dev.txt) and Chromium (PMO_CHROMIUM or
/usr/bin/chromium).
"""

from __future__ import annotations

import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

TITLE = "Vue d'ensemble du portefeuille"
# The sidebar's sign-in block in French (pmo_core/i18n/fr_auth.py), by mode.
SIGN_IN = {
    "open": "Mode ouvert (open = true",
    "unconfigured": "La connexion n'est pas configurée",
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def check(browser, url: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.monotonic()
    result: dict[str, object] = {"url": url}
    try:
        page.goto(f"{url.rstrip('/')}/?lang=fr", wait_until="domcontentloaded")
        page.wait_for_selector(f"text={TITLE}", timeout=90_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=90_000
        )
        page.wait_for_selector(".js-plotly-plot", timeout=90_000)
        result["seconds"] = round(time.monotonic() - start, 2)
        result["charts"] = page.locator(".js-plotly-plot").count()
        result["exceptions"] = page.locator("[data-testid=stException]").count()
        cookies = {c["name"] for c in page.context.cookies()}
        result["affinity_cookie"] = "pmo_affinity" in cookies
        shown = [mode for mode, text in SIGN_IN.items() if page.get_by_text(text).count()]
        result["sign_in"] = shown[0] if len(shown) == 1 else None
    except Exception as exc:  # reported, not raised: one line per URL
        result["failure"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        page.close()
    result["browser_errors"] = errors
    result["ok"] = "failure" not in result and result.get("exceptions") == 0 and not errors
    return result


def main(urls: list[str]) -> int:
    if not urls:
        print(__doc__, file=sys.stderr)
        return 2
    chromium = os.environ.get("PMO_CHROMIUM", "/usr/bin/chromium")
    ok = True
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            for url in urls:
                res = check(browser, url)
                ok = ok and bool(res["ok"])
                print(json.dumps(res, ensure_ascii=False), flush=True)
        finally:
            browser.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
