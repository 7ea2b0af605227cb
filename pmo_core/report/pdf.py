"""The pack as PDF: :func:`html_to_pdf` prints the HTML page (:mod:`pmo_core.report.html`)
with headless Chromium (:func:`find_chromium`); :class:`ReportError` when it cannot.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pmo_core.errors import PmoError


class ReportError(PmoError):
    """The report cannot be produced as asked (for example no Chromium for the PDF)."""


def find_chromium() -> str | None:
    """Chromium's path: ``PMO_CHROMIUM``, else ``chromium`` or ``chromium-browser``."""
    env = os.environ.get("PMO_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_MISSING = (
    "The PDF is printed by headless Chromium, which is not installed. Install it "
    "(Debian/Ubuntu: apt-get install chromium) or set PMO_CHROMIUM to its path; "
    "the HTML report can be printed to PDF from any browser meanwhile."
)


def html_to_pdf(page: str, timeout: float = 120.0) -> bytes:
    """Print an HTML page to PDF with headless Chromium (A4 landscape from its CSS)."""
    exe = find_chromium()
    if exe is None:
        raise ReportError(CHROMIUM_MISSING)
    with tempfile.TemporaryDirectory(prefix="pmo_report_") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--virtual-time-budget=15000",  # let the charts draw before printing
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium did not print the PDF within {timeout:.0f} s.") from exc
        if not out.exists() or out.stat().st_size == 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ReportError("Chromium could not print the PDF: " + " / ".join(tail))
        return out.read_bytes()
