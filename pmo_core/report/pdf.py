"""The pack as PDF: :func:`html_to_pdf` prints the HTML page (:mod:`pmo_core.report.html`)
with headless Chromium (:func:`find_chromium`); :class:`ReportError` when it cannot.

Page numbers: Chromium's ``--print-to-pdf`` prints either no header and footer or its own
(the date, the page title and the file's ``file://`` address), and its printer ignores CSS
``@page`` counters. So :func:`number_pages` writes ``Page 3 sur 7`` at the foot of each
page afterwards with pypdf: one text line in the standard Helvetica font, added to the
page's content, so that the number is real text (found by a search, read by a test).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pmo_core.errors import PmoError
from pmo_core.i18n import t


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


def number_pages(pdf: bytes, lang: str = "fr") -> bytes:
    """The PDF with ``Page n sur N`` (``Page n of N``) centred at the foot of each page."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ContentStream,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    total = len(writer.pages)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    for n, page in enumerate(writer.pages, start=1):
        text = t("Page {n} of {total}", lang, n=n, total=total)
        width = float(page.mediabox.width)
        x = float(page.mediabox.left) + width / 2 - 2.2 * len(text)  # ~4.4 pt a glyph at 8 pt
        y = float(page.mediabox.bottom) + 14
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        line = DecodedStreamObject()
        line.set_data(
            f"q 0.45 0.5 0.55 rg BT /PmoPageNo 8 Tf {x:.1f} {y:.1f} Td ({escaped}) Tj ET Q".encode(
                "latin-1"
            )
        )
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[NameObject("/PmoPageNo")] = font  # a direct object: valid, and simpler
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
        existing = page.get_contents()
        content = ContentStream(None, writer)
        before = existing.get_data() if existing is not None else b""
        content.set_data(before + b"\n" + line.get_data())
        page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_to_pdf(page: str, timeout: float = 120.0, lang: str | None = None) -> bytes:
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
        body = out.read_bytes()
    return number_pages(body, lang) if lang else body
