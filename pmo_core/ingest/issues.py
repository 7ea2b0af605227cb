"""What an import finds and returns: :class:`Issue` (one problem, located as the user sees
the file) and :class:`IngestResult` (canonical frames, issues, settings, provenance), with
the helpers that make them: :func:`err`, :func:`warn`, :func:`empty_result`, :func:`refused`.

Every reader (workbooks and CSV in :mod:`pmo_core.ingest`, the rules, the schedules)
builds these; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.i18n import t


@dataclass(frozen=True)
class Issue:
    """One problem found in the input, located as the user sees the file."""

    severity: str  # "error" | "warning"
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        params = {k: t(v, lang) if isinstance(v, str) else v for k, v in self.params.items()}
        return t(self.template, lang, **params)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.text(lang),
        }


@dataclass
class IngestResult:
    """Canonical frames (all ten tables), issues, settings and provenance of one file."""

    frames: dict[str, pd.DataFrame]
    issues: list[Issue]
    settings: dict[str, str]
    as_of: date | None
    source: str
    sha256: str

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.frames.items()}

    def issues_frame(self, lang: str = "en") -> pd.DataFrame:
        cols = ["severity", "sheet", "row", "column", "value", "message"]
        return pd.DataFrame([i.to_dict(lang) for i in self.issues], columns=cols)


def err(
    sheet: str | None, row: int | None, column: str | None, value: Any, template: str, **params: Any
) -> Issue:
    """An error (blocks the commit); the value is cut to 200 characters."""
    return Issue(
        "error", sheet, row, column, None if value is None else str(value)[:200], template, params
    )


def warn(
    sheet: str | None, row: int | None, column: str | None, value: Any, template: str, **params: Any
) -> Issue:
    """A warning (does not block the commit); the value is cut to 200 characters."""
    return Issue(
        "warning", sheet, row, column, None if value is None else str(value)[:200], template, params
    )


def empty_result(source: str, sha: str, issues: list[Issue]) -> IngestResult:
    """A result with the ten canonical tables empty and these issues."""
    frames = {name: schema.empty_frame(name) for name in schema.TABLES}
    return IngestResult(frames, issues, {}, None, source, sha)


def refused(source: str, sha: str, template: str, **params: Any) -> IngestResult:
    """A file refused as a whole: one error about the file, no frames."""
    return empty_result(source, sha, [err(source, None, None, None, template, **params)])
