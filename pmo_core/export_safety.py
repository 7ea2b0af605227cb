"""Formula-injection safety for every export of the app (Excel and CSV).

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, a tab or a carriage return) as a formula: an imported project name
``=HYPERLINK("http://evil", "Click")`` would become a live link in the steering pack.
Following the OWASP CSV-injection recommendation, such text is written with a leading
single quote ``'``, which Excel and LibreOffice show as text and never evaluate.

Only ``str`` values change; numbers, dates, booleans and missing values pass through, so
a negative amount stays a number, and so does a text that is a plain number (``-5``: a
spreadsheet reads it as the number, never as a formula). Every writer of the app (the
steering pack in Excel and HTML, the decision record, the import issues download) sends
its text through :func:`safe_cell` or :func:`safe_frame`; a plain table goes out through
:func:`frame_xlsx`; the app's tables (whose "download as CSV" writes what they show) go
through :func:`safe_text_columns`, ids included.

The import refuses ids and labels that :func:`formula_like` finds
(:mod:`pmo_core.ingest.formulas`); free text is kept and escaped here.

Examples:
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Budget"), safe_cell(-3)
    ("'=HYPERLINK(1)", 'Budget', -3)
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: A text run as a formula: ``= + - @`` followed by something, or a leading tab or CR.
FORMULA_START = r"[=+\-@][\s\S]|[\t\r]"
#: A text a spreadsheet reads as a plain number (``-5``, ``+3.5``, ``-1,5``): no formula.
PLAIN_NUMBER = r"[+\-]?\d+(?:[.,]\d+)?"


def is_hostile(value: object) -> bool:
    """True when ``value`` is text a spreadsheet may evaluate as a formula (what an export
    escapes: a lone ``-`` too, it costs nothing); a plain number is not.

    Examples:
        >>> is_hostile("+33 1 23"), is_hostile(""), is_hostile(5), is_hostile("-5")
        (True, False, False, False)
    """
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and re.fullmatch(PLAIN_NUMBER, value) is None
    )


def formula_like(value: object) -> bool:
    """True when ``value`` is text a spreadsheet would run as a formula: ``= + - @``
    followed by something, or a leading tab or carriage return, and not a plain number
    (what the import refuses in ids and labels).

    Examples:
        >>> [formula_like(v) for v in ("=A1", "-", "- note", "-12", "@x", "\\tx", 3)]
        [True, False, True, False, True, True, False]
    """
    return (
        isinstance(value, str)
        and re.match(FORMULA_START, value) is not None
        and re.fullmatch(PLAIN_NUMBER, value) is None
    )


def safe_cell(value: Any) -> Any:
    """``value`` made safe to write into a spreadsheet cell or a CSV field.

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'``; anything else (other text, numbers, dates, None) is returned unchanged.

    Examples:
        >>> safe_cell("@SUM(A1:A2)"), safe_cell("\\tx"), safe_cell("a=b"), safe_cell(None)
        ("'@SUM(A1:A2)", "'\\tx", 'a=b', None)
    """
    if is_hostile(value):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column label passed through :func:`safe_cell`.

    Numeric and date columns are left as they are (they hold no text).

    Examples:
        >>> safe_frame(pd.DataFrame({"name": ["=1+1", "ok"], "cost": [-1.5, 2.0]})).to_dict("list")
        {'name': ["'=1+1", 'ok'], 'cost': [-1.5, 2.0]}
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def frame_xlsx(df: pd.DataFrame, sheet_name: str) -> bytes:
    """``df`` as a one-sheet workbook (header frozen), every text cell made safe by
    :func:`safe_frame` and written as a text cell, never as a formula or a link.

    Examples:
        >>> frame_xlsx(pd.DataFrame({"a": ["=1"]}), "Issues")[:2]
        b'PK'
    """
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        sheet = sheet_name[:31]
        safe_frame(df).to_excel(xw, sheet_name=sheet, index=False)
        xw.sheets[sheet].freeze_panes(1, 0)
    return buf.getvalue()


def safe_text_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text column made safe, ids (``*_id``) included; vectorised for
    the app's large frames.

    The app shows imported text in tables whose built-in "download as CSV" button writes
    what is shown, so what is shown must already be safe. The import refuses such ids
    (:mod:`pmo_core.ingest.formulas`), so only a store written before that holds one;
    every frame of a snapshot is escaped alike, so joins between them still match.

    Examples:
        >>> df = pd.DataFrame({"project_id": ["=P", "Q"], "name": ["@x", "-5"], "n": [-1, 2]})
        >>> safe_text_columns(df).to_dict("list")
        {'project_id': ["'=P", 'Q'], 'name': ["'@x", '-5'], 'n': [-1, 2]}
    """
    out = df
    for col in df.columns:
        s = df[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        text = s.astype("string")
        hostile = (
            (text.str.match(r"[=+\-@\t\r]") & ~text.str.fullmatch(PLAIN_NUMBER))
            .fillna(False)
            .to_numpy(dtype=bool)
        )
        if hostile.any():
            if out is df:
                out = df.copy()
            out[col] = s.astype("object").where(~hostile, "'" + s.astype("string"))
    return out
