"""The steering-committee pack: an Excel workbook, a self-contained HTML report and its PDF.

:func:`build_report` picks the format from the output's extension (``.xlsx``, ``.html``,
``.pdf``) and :func:`render` writes a :class:`ReportData` in one; :func:`collect` gathers
the figures once, for one snapshot, one scope (project ids from the sidebar filters, or
all) and one language, so that the three formats, the page and the CLI tell the same
story. The cover's figures are :func:`pmo_core.kpi.portfolio_headline`, the same roll-up
as the CLI's ``kpis`` (DESIGN section 7), scoped.

This module holds the entry points; the rooms are :mod:`pmo_core.report.data` (the data
and what the formats share), :mod:`pmo_core.report.xlsx` (the workbook: Excel number
formats in the file's invariant syntax, the currency after the amount in French and
before it in English, every text cell through :func:`pmo_core.export_safety.safe_cell`),
:mod:`pmo_core.report.html` (one self-contained page with a print stylesheet) and
:mod:`pmo_core.report.pdf` (:func:`html_to_pdf` prints that page).

Examples:
    >>> report_format("pack.XLSX"), report_format("html")
    ('xlsx', 'html')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pmo_core.errors import UsageError
from pmo_core.report.data import ReportData, collect, rag_reasons
from pmo_core.report.html import to_html
from pmo_core.report.pdf import (
    CHROMIUM_MISSING,
    ReportError,
    find_chromium,
    html_to_pdf,
    number_pages,
)
from pmo_core.report.xlsx import to_xlsx

FORMATS = ("xlsx", "html", "pdf")


def report_format(out: str | os.PathLike[str]) -> str:
    """``xlsx``, ``html`` or ``pdf`` from a path's extension or a bare format name."""
    text = str(out).lower()
    fmt = text.rsplit(".", 1)[-1] if "." in text else text
    if fmt not in FORMATS:
        raise UsageError(f"Unknown report format {out!s}: use .xlsx, .html or .pdf.")
    return fmt


# ---------------------------------------------------------------------------- entry point


def render(data: ReportData, fmt: str) -> bytes:
    """The pack in ``fmt`` (xlsx, html or pdf) as bytes."""
    if fmt == "xlsx":
        return to_xlsx(data)
    page = to_html(data)
    if fmt == "html":
        return page.encode("utf-8")
    return html_to_pdf(page, lang=data.lang)


def build_report(
    snapshot_id: int | None,
    out: str | os.PathLike[str],
    *,
    lang: str = "fr",
    project_ids: list[str] | None = None,
    scenario_id: int | None = None,
    path: str | os.PathLike[str] | None = None,
    forecast_doc: dict[str, Any] | None = None,
) -> bytes:
    """Build the pack. ``out`` is a file path (written; its extension gives the format)
    or a bare format name (``"xlsx"``, ``"html"``, ``"pdf"``: nothing written). Returns
    the bytes either way. ``forecast_doc``: the scope's ``forecast`` document when the
    caller has it cached (:func:`pmo_core.report.data.store_forecast`); None: computed."""
    fmt = report_format(out)
    if fmt == "pdf" and find_chromium() is None:
        raise ReportError(CHROMIUM_MISSING)  # before the work, not after
    data = collect(
        snapshot_id,
        lang=lang,
        project_ids=project_ids,
        scenario_id=scenario_id,
        path=path,
        forecast_doc=forecast_doc,
    )
    body = render(data, fmt)
    if "." in str(out) or os.sep in str(out):
        Path(out).write_bytes(body)
    return body


__all__ = [
    "CHROMIUM_MISSING",
    "ReportData",
    "ReportError",
    "build_report",
    "collect",
    "find_chromium",
    "html_to_pdf",
    "number_pages",
    "rag_reasons",
    "render",
    "report_format",
]
