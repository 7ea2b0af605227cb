"""Cell value parsing for the import: French and English numbers, dates, words.

Every parser takes a pandas Series of raw cells (native numbers, datetimes or text, as a
reader gives them) and returns ``(values, bad)``: the converted Series and a boolean mask
of cells that were given but could not be read (the words it knows are in
:mod:`pmo_core.ingest.words`; numbers, amounts and units in headers are read by
:mod:`pmo_core.ingest.numbers`, re-exported here; :mod:`pmo_core.ingest.cells` holds the
vectorised cell helpers). Parsing is vectorised: each distinct text
is parsed once and mapped back, so a 200,000-row column costs what its distinct values do.

Examples:
    >>> parse_number(pd.Series(["1 234,50 €", "1,234.50", "£33.73", 12, None]))[0].tolist()
    [1234.5, 1234.5, 33.73, 12.0, nan]
    >>> parse_date(pd.Series(["31/12/2026", "2026-12-31", "5/02/2016 5:00:00 PM"]))[0].dt.day.tolist()
    [31, 31, 5]
    >>> parse_status(pd.Series(["En cours", "Terminé", "proposed", "??"]))[0].tolist()
    ['in_progress', 'completed', 'proposed', <NA>]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.ingest.cells import arrow_strings, blank, map_unique
from pmo_core.ingest.numbers import (
    SCALE_WORDS,
    HeaderUnit,
    NumberColumn,
    decimal_evidence,
    header_unit,
    number_of,
    parse_amount_text,
    parse_number,
    parse_percent,
    read_numbers,
)
from pmo_core.ingest.words import (
    BOOL_WORDS,
    JUDGMENT_WORDS,
    RAG_WORDS,
    RATING_WORDS,
    STATUS_WORDS,
    TOTAL_WORDS,
)
from pmo_core.schema import normalise_label

__all__ = [
    "SCALE_WORDS",
    "HeaderUnit",
    "NumberColumn",
    "blank",
    "decimal_evidence",
    "header_unit",
    "parse_amount_text",
    "parse_number",
    "parse_percent",
    "read_numbers",
]

EXCEL_EPOCH = pd.Timestamp("1899-12-30")


# ------------------------------------------------------------------------------ header units
# A unit in a header scales its column: "Budget (k€)" holds thousands of euros. The unit is
# stripped for matching the header ("Budget (k€)" is the budget column).


def _date(v: Any) -> pd.Timestamp | None:
    if isinstance(v, pd.Timestamp):
        return v
    if isinstance(v, datetime | date):
        return pd.Timestamp(v)
    if isinstance(v, int | float | np.integer | np.floating):
        if 1 <= float(v) < 2_958_466:  # an Excel serial date
            return EXCEL_EPOCH + pd.to_timedelta(float(v), unit="D")
        return None
    s = str(v).strip()
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return _date(float(s))
    for fmt in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %I:%M:%S %p",
        "%d/%m/%Y %H:%M",
        "%d.%m.%Y",
        "%d-%m-%Y",
        "%Y/%m/%d",
        "%d/%m/%y",
        "%Y-%m-%d %H:%M:%S.%f",
    ):
        try:
            return pd.Timestamp(datetime.strptime(s, fmt))
        except ValueError:
            continue
    try:  # "15 nov. 2026", "Nov 15, 2026", ISO with zone...
        ts = pd.Timestamp(s)
        return None if pd.isna(ts) else ts.tz_localize(None) if ts.tzinfo else ts
    except (ValueError, TypeError, OverflowError):
        return None


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates: Excel dates, serial numbers, ``31/12/2026`` (day first), ISO, with times."""
    if pd.api.types.is_datetime64_any_dtype(s):
        v = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) else s
        return v.astype("datetime64[ms]").dt.normalize(), pd.Series(False, index=s.index)
    raw = map_unique(s, _date)
    values = pd.to_datetime(raw, errors="coerce").astype("datetime64[ms]").dt.normalize()
    bad = values.isna() & ~blank(s)
    return values, bad


def _month(v: Any) -> pd.Timestamp | None:
    s = str(v).strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", s)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        return pd.Timestamp(year, month, 1) if 1 <= month <= 12 else None
    m = re.fullmatch(r"(\d{4})[/.-](\d{1,2})", s)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        return pd.Timestamp(year, month, 1) if 1 <= month <= 12 else None
    d = _date(v)
    return None if d is None else pd.Timestamp(d.year, d.month, 1)


def parse_month(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Months: a date (any day) or ``MM/YYYY`` or ``YYYY-MM``, as the 1st of the month."""
    if pd.api.types.is_datetime64_any_dtype(s):
        v = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) else s
        first = v.to_numpy(dtype="datetime64[ms]").astype("datetime64[M]").astype("datetime64[ms]")
        return pd.Series(first, index=s.index), pd.Series(False, index=s.index)
    raw = map_unique(s, _month)
    values = pd.to_datetime(raw, errors="coerce").astype("datetime64[ms]")
    return values, values.isna() & ~blank(s)


def _words(table: dict[str, Any]) -> Callable[[Any], Any]:
    def look(v: Any) -> Any:
        return table.get(normalise_label(v))

    return look


def parse_words(s: pd.Series, table: dict[str, Any], dtype: str) -> tuple[pd.Series, pd.Series]:
    """Values from a vocabulary (statuses, RAG, yes/no), case- and accent-insensitive."""
    raw = map_unique(s, _words(table))
    values = pd.Series(raw, index=s.index).astype(dtype)
    return values, values.isna() & ~blank(s)


def parse_status(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return parse_words(s, STATUS_WORDS, "string")


def parse_rag(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return parse_words(s, RAG_WORDS, "string")


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(s):
        s = s.astype("string").str.replace(r"\.0$", "", regex=True)
    return parse_words(s, BOOL_WORDS, "boolean")


def _rating(v: Any) -> int | None:
    word = RATING_WORDS.get(normalise_label(v))
    if word is not None:
        return word
    x = number_of(v)
    if x is None or not 0 <= x <= 9 or x != int(x):
        return None
    return int(x)


def parse_rating(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Alignment ratings: words (None..Extreme, Aucun..Extrême) or integers 0-9."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        x = s.astype("float64")
        ok = (x >= 0) & (x <= 9) & (x == np.floor(x))
        values = x.where(ok).astype("Int64")
        return values, x.notna() & ~ok
    raw = map_unique(s, _rating)
    values = pd.Series(raw, index=s.index, dtype=object).astype("Int64")
    return values, values.isna() & ~blank(s)


def _judgment(v: Any) -> float | None:
    word = JUDGMENT_WORDS.get(normalise_label(v))
    if word is not None:
        return float(word)
    text = str(v).strip().replace(",", ".")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)", text)
    if m and float(m.group(2)) > 0:
        return float(m.group(1)) / float(m.group(2))
    x = number_of(v)
    return x if x is not None and x > 0 else None


def parse_judgment(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Pairwise judgments: 9, 6, 3, 1, 1/3, 1/6, 1/9, any positive number, or words."""
    raw = map_unique(s, _judgment)
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    return values, values.isna() & ~blank(s)


def parse_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text cells, stripped; numbers that are whole are written without ``.0``."""
    if pd.api.types.is_float_dtype(s):
        x = s.astype("float64")
        whole = np.isfinite(x) & (x == np.floor(x)) & (x.abs() < 2**53)
        values = x.astype("string")
        values[whole] = x[whole].astype("int64").astype("string")
        values[x.isna()] = pd.NA
    elif (arr := arrow_strings(s)) is not None:  # trimmed in Arrow, "" made missing
        import pyarrow.compute as pc

        trimmed = pc.utf8_trim_whitespace(arr)
        trimmed = pc.if_else(pc.equal(trimmed, ""), None, trimmed)
        return pd.Series(pd.arrays.ArrowStringArray(trimmed), index=s.index), pd.Series(
            False, index=s.index
        )
    else:
        values = s.astype("string").str.strip()
    values = values.mask(values.fillna("").eq(""))
    return values, pd.Series(False, index=s.index)


def is_total_label(v: Any) -> bool:
    """A cell that marks a totals row (``Total``, ``TOTAL général``, ``Somme``)."""
    key = normalise_label(v)
    return bool(key) and (key in TOTAL_WORDS or key.startswith("total"))
