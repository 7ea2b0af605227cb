"""Text a spreadsheet would run as a formula, refused at import where it is an id or a
label (issue 16): :func:`check_formula_text`.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` followed by something, or
with a tab or a carriage return (:func:`pmo_core.export_safety.formula_like`), becomes a
live formula when an export is opened in a spreadsheet (``=HYPERLINK(...)``,
``-2+3+cmd|...``). Every export escapes such text anyway
(:mod:`pmo_core.export_safety`), but an escaped id is no longer the id: links, joins and
the next month's file would disagree. So:

- ids and labels (every text column but the free-text ones below) are **refused**, with
  the sheet, the Excel row, the header as written and the value, and how to fix it:
  remove the leading character or rename the id (an apostrophe is not a fix: it would
  become part of the data);
- free-text columns (:data:`FREE_TEXT`: descriptions, comments, RAG reasons, risk titles
  and mitigations) keep what the user wrote (``- see the note``, ``+2 weeks``) and are
  escaped on export.

A text that is a plain number (``-5``, ``+3.5``) is a number to a spreadsheet, not a
formula: it passes. Number, date and boolean columns hold no text: a negative amount is
never looked at.
"""

from __future__ import annotations

import pandas as pd

from pmo_core import schema
from pmo_core.export_safety import FORMULA_START, PLAIN_NUMBER
from pmo_core.ingest.issues import Issue, report_rows

#: Free-text columns, per table: kept as written, escaped on export.
FREE_TEXT: dict[str, frozenset[str]] = {
    "projects": frozenset({"description", "rag_reason"}),
    "risks": frozenset({"title", "mitigation"}),
    "status_reports": frozenset({"comment", "quality_comment"}),
}

MESSAGE = (
    "This text starts with {char}: a spreadsheet would run it as a formula when the data "
    "is exported. Remove the leading character or rename the id (an apostrophe is not a "
    "fix: it would become part of the data)."
)

_SHOWN = {"\t": "a tab", "\r": "a carriage return"}
#: The characters a formula-like text starts with (FORMULA_START's first character).
LEADING = ("=", "+", "-", "@", "\t", "\r")


def formula_mask(s: pd.Series) -> pd.Series:
    """True where a text cell would be run as a formula (vectorised).

    Examples:
        >>> formula_mask(pd.Series(["=HYPERLINK(1)", "-", "-5", "- note", "ok", None])).tolist()
        [True, False, False, True, False, False]
    """
    text = s.astype("string[pyarrow]")
    # First the leading character, in Arrow (fast): few cells start that way, and only
    # those go through the patterns.
    first = text.str.slice(0, 1)
    maybe = first.isin(list(LEADING)).fillna(False).to_numpy(dtype=bool)
    out = pd.Series(False, index=s.index)
    if maybe.any():
        some = text[maybe].astype("string")
        hostile = some.str.match(FORMULA_START) & ~some.str.fullmatch(PLAIN_NUMBER)
        out[maybe] = hostile.fillna(False).astype(bool).to_numpy()
    return out


def check_formula_text(frames: dict[str, pd.DataFrame], issues: list[Issue]) -> None:
    """Append an error for every id or label cell that a spreadsheet would run as a
    formula (at most 50 per column, as every rule)."""
    for name, table in schema.TABLES.items():
        df = frames.get(name)
        if df is None or df.empty:
            continue
        free = FREE_TEXT.get(name, frozenset())
        for col in table.columns:
            if col.dtype != "str" or col.name in free or col.name not in df:
                continue
            mask = formula_mask(df[col.name])
            if not mask.any():
                continue
            for char in sorted(set(df.loc[mask, col.name].astype(str).str[0])):
                report_rows(
                    issues,
                    df,
                    mask & (df[col.name].astype("string").str[0] == char).fillna(False),
                    col.name,
                    "error",
                    MESSAGE,
                    char=_SHOWN.get(char, f'"{char}"'),
                )
