"""What an import finds and returns: :class:`Issue` (one problem, located as the user sees
the file) and :class:`IngestResult` (canonical frames, issues, settings, provenance), with
the helpers that make them: :func:`err`, :func:`warn`, :func:`empty_result`, :func:`refused`.

Every reader (workbooks and CSV in :mod:`pmo_core.ingest`, the rules, the schedules)
builds these; nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.i18n import na, t


@dataclass(frozen=True)
class Localised:
    """A message parameter already written in each language (a template header such as
    "Code projet" / "Project ID"), shown as is rather than through the catalogue.

    Examples:
        >>> str(Localised("Project ID", "Code projet"))
        'Project ID'
    """

    en: str
    fr: str

    def __str__(self) -> str:
        return self.en

    def in_lang(self, lang: str) -> str:
        return self.fr if str(lang).lower().startswith("fr") else self.en


def _param(v: Any, lang: str) -> Any:
    if v is None:  # a message never shows "None"
        return na(lang)
    if isinstance(v, Localised):
        return v.in_lang(lang)
    if isinstance(v, str):
        return t(v, lang)
    if isinstance(v, list | tuple) and all(isinstance(x, Localised) for x in v):
        return ", ".join(x.in_lang(lang) for x in v)
    return v


#: What a lenient import does with a faulty cell or row (``Issue.fix``), as the user reads it.
FIXES: dict[str, str] = {
    "cell_left_empty": "Lenient import: this cell was left empty.",
    "row_left_out": "Lenient import: this row was left out.",
    "duplicate_kept_once": "Lenient import: an exact copy of an earlier row, kept once.",
    "sheet_left_out": "Lenient import: this sheet was left out.",
}


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
    #: The project of the row (its id as read) when the row belongs to one, else None.
    project_id: str | None = None
    #: What a lenient import did about it (a key of :data:`FIXES`), None otherwise.
    fix: str | None = None

    def text(self, lang: str = "en") -> str:
        params = {k: _param(v, lang) for k, v in self.params.items()}
        said = t(self.template, lang, **params)
        return said if self.fix is None else f"{said} {t(FIXES[self.fix], lang)}"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.text(lang),
            "project_id": self.project_id,
            "fix": self.fix,
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
    #: An update import (:mod:`pmo_core.ingest.update`): ``base_snapshot_id``,
    #: ``updated``, ``added``, ``kept`` projects; None for a whole snapshot.
    update: dict[str, int] | None = field(default=None, kw_only=True)
    #: Read-only documents that come with the file and are stored with its snapshot
    #: (a ProjectData export's scenarios; :func:`pmo_core.store.commit_snapshot`).
    documents: list[dict[str, Any]] = field(default_factory=list, kw_only=True)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.frames.items()}

    def issues_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per issue, errors first then warnings (each in the order found); text
        cells with nothing to say are empty, never ``None``; rows as whole numbers."""
        cols = ["severity", "sheet", "row", "project_id", "column", "value", "message"]
        ordered = sorted(self.issues, key=lambda i: i.severity != "error")
        df = pd.DataFrame([i.to_dict(lang) for i in ordered], columns=cols)
        df["row"] = df["row"].astype("Int64")
        for c in ("sheet", "project_id", "column", "value"):
            df[c] = df[c].astype(object).where(df[c].notna(), "")
        return df

    @property
    def fixes(self) -> dict[str, int]:
        """How many cells, rows and sheets a lenient import left empty or out, by kind of
        :data:`FIXES` (each kind, zeros included); the issue counting a rule's further
        rows counts them all."""
        out = dict.fromkeys(FIXES, 0)
        for i in self.issues:
            if i.fix is not None:
                out[i.fix] += int(i.params.get("n", 1)) if i.row is None else 1
        return out


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


#: At most this many issues per rule and column; then one that counts the rest.
MAX_PER_RULE = 50


def locate(df: pd.DataFrame, column: str) -> tuple[str, str]:
    """The sheet and the header as written of a frame's column (for an issue's place)."""
    sheet = str(df.attrs.get("sheet", ""))
    return sheet, str(df.attrs.get("written", {}).get(column, column))


def report_rows(
    issues: list[Issue],
    df: pd.DataFrame,
    mask: pd.Series,
    column: str,
    severity: str,
    template: str,
    show: Callable[[Any], str] = str,
    **params: Any,
) -> None:
    """One issue per row of ``mask`` (at most :data:`MAX_PER_RULE`, then one that counts
    the rest), located by sheet, Excel row and header as written; ``show`` writes the
    cell's value."""
    if not mask.any():
        return
    sheet, header = locate(df, column)
    rows = df.loc[mask, "_row"] if "_row" in df else pd.Series([None] * int(mask.sum()))
    values = df.loc[mask, column] if column in df else pd.Series([None] * int(mask.sum()))
    ids = df.loc[mask, "project_id"] if "project_id" in df else pd.Series([None] * len(rows))
    for k, (r, v, pid) in enumerate(zip(rows, values, ids, strict=True)):
        if k == MAX_PER_RULE:
            issues.append(
                Issue(
                    severity,
                    sheet,
                    None,
                    header,
                    None,
                    "{n} more rows with the same problem.",
                    {"n": int(mask.sum()) - MAX_PER_RULE},
                )
            )
            break
        value = None if v is None or (not isinstance(v, str) and pd.isna(v)) else show(v)
        project = None if pid is None or pd.isna(pid) else str(pid)
        issues.append(
            Issue(
                severity,
                sheet,
                None if pd.isna(r) else int(r),
                header,
                value,
                template,
                params,
                project_id=project,
            )
        )
