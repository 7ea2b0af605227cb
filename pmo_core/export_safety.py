"""Formula-injection safety for every export of the app (Excel and CSV).

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, a tab or a carriage return) as a formula: an imported project name
``=HYPERLINK("http://evil", "Click")`` would become a live link in the steering pack.
Following the OWASP CSV-injection recommendation, such text is written with a leading
single quote ``'``, which Excel and LibreOffice show as text and never evaluate.

Only ``str`` values change; numbers, dates, booleans and missing values pass through, so
a negative amount stays a number. Every writer of the app (the steering pack, the
decision record, the import issues download) sends its text through :func:`safe_cell` or
:func:`safe_frame`; a plain table goes out through :func:`frame_xlsx`.

Examples:
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Budget"), safe_cell(-3)
    ("'=HYPERLINK(1)", 'Budget', -3)
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def is_hostile(value: object) -> bool:
    """True when ``value`` is text a spreadsheet would evaluate as a formula.

    Examples:
        >>> is_hostile("+33 1 23"), is_hostile(""), is_hostile(5)
        (True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


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
    """``df`` with its free-text columns made safe (ids, ``*_id``, are left as they are so
    that joins and links keep working); vectorised for the app's large frames.

    The app shows imported text in tables whose built-in "download as CSV" button writes
    what is shown, so what is shown must already be safe.

    Examples:
        >>> df = pd.DataFrame({"project_id": ["=P", "Q"], "name": ["@x", "ok"], "n": [-1, 2]})
        >>> safe_text_columns(df).to_dict("list")
        {'project_id': ['=P', 'Q'], 'name': ["'@x", 'ok'], 'n': [-1, 2]}
    """
    out = df
    for col in df.columns:
        s = df[col]
        if col.endswith("_id") or not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        hostile = s.astype("string").str.match(r"[=+\-@\t\r]").fillna(False).to_numpy(dtype=bool)
        if hostile.any():
            if out is df:
                out = df.copy()
            out[col] = s.astype("object").where(~hostile, "'" + s.astype("string"))
    return out
