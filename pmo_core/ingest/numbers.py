"""Numbers and amounts for the import: one decimal separator per column, units in headers.

A number's decimal separator is decided per column, never per cell: "12,500" is twelve
thousand five hundred in a column that also holds "1,250,000" or "£9,999.99", and twelve
and a half in one that holds "1 234,50". A cell proves its convention when it reads only
one way ("1,234.50", "1,250,000", "12,50", "0,125", "33.73"); "12,500" and "1.250" (one
separator, 1-3 digits before it, exactly three after) are ambiguous and read as the
column's other cells say, else as the file's other numbers say (``hint``), else with ","
for thousands and "." for decimals -- and the caller warns (:class:`NumberColumn`).

Examples:
    >>> parse_number(pd.Series(["1 234,50 €", "1,234.50", "£33.73", 12, None]))[0].tolist()
    [1234.5, 1234.5, 33.73, 12.0, nan]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from pmo_core.ingest.cells import arrow_strings, blank

#: Scale words after a number in a cell or in a header: "12 k€", "£1.2bn", "3,5 Md€".
SCALE_WORDS: dict[str, float] = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "md": 1e9,
    "mds": 1e9,
    "mrd": 1e9,
    "bn": 1e9,
}


_SPACES = r"[\s\x{00a0}\x{202f}\x{2009}'\x{2019}]"


_CURRENCY = r"(?i)€|\$|£|%|eur|gbp|usd|chf"


_BODY = r"(?i)^(?P<body>[\d.,]*\d[\d.,]*)(?P<unit>mio|mds|mrd|mn|md|bn|k|m)?$"


_AMB = r"^[1-9]\d{0,2}[,.]\d{3}$"


_DOT_PROVEN = r"^\d{1,3}(,\d{3})+\.\d+$|^\d+\.\d+$|^\.\d+$|^\d{1,3}(,\d{3}){2,}$"


_COMMA_PROVEN = r"^\d{1,3}(\.\d{3})+,\d+$|^\d+,\d+$|^,\d+$|^\d{1,3}(\.\d{3}){2,}$"


_EXPONENT = r"(?i)^\d+(\.\d+)?e[+-]?\d+$"


@dataclass(frozen=True)
class NumberColumn:
    """A number column as read: the values, the unreadable cells, and how its decimal
    separator was decided.

    ``decimal`` is the separator the ambiguous cells were read with. ``ambiguous`` is such
    a cell when nothing in the column itself decided (the caller warns, with ``reason``:
    ``"file"`` the file's other numbers, ``"csv"`` a ``;``-separated file, ``"default"``
    nothing did); ``mixed`` is a cell written with the other separator when the column's
    unambiguous cells disagree (each of those is read as written).
    """

    values: pd.Series
    bad: pd.Series
    decimal: str = "."
    ambiguous: str | None = None
    reason: str = ""
    mixed: str | None = None


def _texts(s: pd.Series) -> tuple[Any, np.ndarray, pd.Series]:
    """The distinct texts of a column (an Arrow array), each row's index into them (-1:
    not a text) and the native numbers of the other rows (NaN where none)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_strings(s)
    native = pd.Series(np.nan, index=s.index, dtype="float64")
    if arr is None:
        is_text = s.map(lambda v: isinstance(v, str)).astype(bool)
        others = s[~is_text]
        if len(others):
            native[~is_text] = pd.to_numeric(
                others.map(lambda v: float(v) if isinstance(v, bool) else v), errors="coerce"
            ).astype("float64")
        arr = pa.array([v if isinstance(v, str) else None for v in s.tolist()], pa.string())
    codes = pc.dictionary_encode(arr)
    if isinstance(codes, pa.ChunkedArray):
        codes = codes.combine_chunks()
    idx = pc.fill_null(codes.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes.dictionary, idx, native


@dataclass(frozen=True)
class _Cells:
    """Distinct texts taken apart (Arrow arrays): the digits with their separators, the
    sign and scale, and what each proves."""

    body: Any
    factor: np.ndarray
    dot: np.ndarray  # proves "." for decimals
    comma: np.ndarray  # proves "," for decimals
    amb: np.ndarray  # "12,500", "1.250": either
    plain: np.ndarray  # digits only


def _cells(words: Any) -> _Cells:
    import pyarrow as pa
    import pyarrow.compute as pc

    def np_(a: Any) -> np.ndarray:
        return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)

    text = pc.replace_substring_regex(words, _SPACES, "")
    text = pc.replace_substring_regex(text, _CURRENCY, "")
    paren = np_(pc.match_substring_regex(text, r"^\(.*\)$"))
    text = pc.replace_substring_regex(text, r"^\((.*)\)$", r"\1")
    minus = np_(pc.match_substring_regex(text, "^[-\u2212]"))
    text = pc.replace_substring_regex(text, "^[-+\u2212]", "")
    expo = np_(pc.match_substring_regex(text, _EXPONENT))
    parts = pc.extract_regex(text, _BODY)
    body = pc.fill_null(pc.struct_field(parts, "body"), "")
    unit = pc.fill_null(pc.utf8_lower(pc.struct_field(parts, "unit")), "")
    body = pc.if_else(pa.array(expo), text, body)
    names = list(SCALE_WORDS)
    pos = pc.fill_null(pc.index_in(unit, pa.array(names)), len(names))
    scales = np.array([*SCALE_WORDS.values(), 1.0])
    factor = scales[pos.to_numpy(zero_copy_only=False)] * np.where(paren | minus, -1.0, 1.0)
    amb = np_(pc.match_substring_regex(body, _AMB)) & ~expo
    dot = (np_(pc.match_substring_regex(body, _DOT_PROVEN)) | expo) & ~amb
    comma = np_(pc.match_substring_regex(body, _COMMA_PROVEN)) & ~amb & ~expo
    plain = np_(pc.match_substring_regex(body, r"^\d+$"))
    return _Cells(body, factor, dot, comma, amb, plain)


def _values(c: _Cells, decimal: str, strict: bool) -> np.ndarray:
    """Each distinct text's number (NaN: unreadable), ambiguous ones read with
    ``decimal``; ``strict``: a text proving the other separator is unreadable."""
    import pyarrow as pa
    import pyarrow.compute as pc

    use_comma = c.comma | (c.amb & (decimal == ","))
    valid = c.dot | c.comma | c.amb | c.plain
    if strict:
        valid &= ~(c.comma if decimal == "." else c.dot)
    as_dot = pc.replace_substring(c.body, ",", "")
    as_comma = pc.replace_substring(pc.replace_substring(c.body, ".", ""), ",", ".")
    text = pc.if_else(pa.array(use_comma), as_comma, as_dot)
    text = pc.if_else(pa.array(valid), text, pa.scalar(None, pa.string()))
    x = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    return np.asarray(x, dtype="float64") * c.factor


def decimal_evidence(s: pd.Series) -> tuple[int, int]:
    """How many distinct texts of a column prove "." and how many prove "," as the
    decimal separator (a file's other columns tell how an ambiguous one reads).

    Examples:
        >>> decimal_evidence(pd.Series(["£1,139.18", "£33.73", "12,500", "Exempt"]))
        (2, 0)
    """
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return 0, 0
    words, _, _ = _texts(s)
    if not len(words):
        return 0, 0
    c = _cells(words)
    return int(c.dot.sum()), int(c.comma.sum())


def read_numbers(
    s: pd.Series,
    *,
    decimal: str | None = None,
    hint: Callable[[], tuple[str, str] | None] | None = None,
) -> NumberColumn:
    """A number column read with one decimal separator for all its cells.

    Args:
        s: the raw cells (native numbers, or text such as ``1 234,50 €``, ``£9,999.99``,
            ``(500)`` for -500, ``12 k€`` for 12,000).
        decimal: the separator a mapping profile gives for this column ("," or "."):
            every cell is read with it, and one written with the other is unreadable.
        hint: called only when the column alone cannot decide: the separator the rest of
            the file uses and why (``"file"``, ``"csv"``), or None.

    Examples:
        >>> read_numbers(pd.Series(["12,500", "1,250,000"])).values.tolist()
        [12500.0, 1250000.0]
        >>> read_numbers(pd.Series(["12,500", "1 234,50"])).values.tolist()
        [12.5, 1234.5]
        >>> r = read_numbers(pd.Series(["12,500", "3,250"]), hint=lambda: (",", "csv"))
        >>> r.values.tolist(), r.ambiguous, r.decimal
        ([12.5, 3.25], '12,500', ',')
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = pd.to_numeric(s, errors="coerce").astype("float64")
        return NumberColumn(v, pd.Series(False, index=s.index))
    if pd.api.types.is_bool_dtype(s):
        v = s.astype("float64")
        return NumberColumn(v, pd.Series(False, index=s.index))
    words, idx, native = _texts(s)
    ambiguous: str | None = None
    mixed: str | None = None
    reason = ""
    if len(words):
        c = _cells(words)
        if decimal is not None:
            chosen = decimal
        else:
            dots, commas = int(c.dot.sum()), int(c.comma.sum())
            if dots or commas:
                chosen = "," if commas > dots else "."
                if dots and commas:
                    other = c.dot if chosen == "," else c.comma
                    mixed = str(words[int(np.flatnonzero(other)[0])].as_py())
            elif c.amb.any():
                ambiguous = str(words[int(np.flatnonzero(c.amb)[0])].as_py())
                told = hint() if hint is not None else None
                chosen, reason = told if told is not None else (".", "default")
            else:
                chosen = "."
        found = np.append(_values(c, chosen, decimal is not None), np.nan)
        texts = pd.Series(found[idx], index=s.index)
    else:
        chosen = decimal or "."
        texts = pd.Series(np.nan, index=s.index)
    values = texts.where(idx >= 0, native).astype("float64")
    bad = values.isna() & ~blank(s)
    return NumberColumn(values, bad, chosen, ambiguous, reason, mixed)


def parse_number(
    s: pd.Series,
    *,
    decimal: str | None = None,
    hint: Callable[[], tuple[str, str] | None] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Numbers from cells, one decimal separator per column (:func:`read_numbers`):
    ``1 234,50 €``, ``1,234.50``, ``£33.73``, ``(500)`` -> -500, ``12 k€`` -> 12000."""
    r = read_numbers(s, decimal=decimal, hint=hint)
    return r.values, r.bad


def number_of(v: Any, decimal: str = ",") -> float | None:
    """One cell read alone (ratings, judgments, a typed amount): an ambiguous ``1,234``
    or ``1.234`` is read with ``decimal``."""
    if isinstance(v, bool | int | float | np.integer | np.floating):
        return float(v)
    x = read_numbers(pd.Series([str(v)], dtype=object), hint=lambda: (decimal, "default"))
    out = float(x.values.iloc[0])
    return None if np.isnan(out) else out


def parse_amount_text(text: str | None, lang: str = "fr") -> float | None:
    """An amount typed in a form, in the user's language: ``450 000,50`` -> 450000.5;
    ``1,500`` is 1.5 in French and 1500 in English; ``12 k€`` -> 12000; None when empty
    or unreadable.

    Examples:
        >>> parse_amount_text("450 000,50", "fr"), parse_amount_text("1,500", "en")
        (450000.5, 1500.0)
        >>> parse_amount_text("1,2 M€", "fr"), parse_amount_text("abc", "fr")
        (1200000.0, None)
    """
    if text is None or not str(text).strip():
        return None
    return number_of(str(text).strip(), "," if str(lang).lower().startswith("fr") else ".")


_CUR_WORD = r"(?:€|\$|£|eur(?:os?)?|usd|gbp|chf|dollars?|pounds?|livres?(?:\s+sterling)?)"


_HEADER_UNITS: tuple[tuple[re.Pattern[str], float | None], ...] = (
    # "en milliers d'euros", "in thousands", "(millions)", "en Md€"
    (
        re.compile(
            r"(?:\b(?:en|in)\s+)?\b(milliers|thousands|millions|milliards|billions)\b"
            rf"(?:\s+(?:d['’]\s*|de\s+|of\s+){_CUR_WORD})?",
            re.IGNORECASE,
        ),
        None,
    ),
    # "k€", "M€", "Md€", "kEUR", "M$", "K £"
    (
        re.compile(rf"(?<![a-z0-9])(k|mn|mio|mds|md|mrd|bn|m)\s?{_CUR_WORD}(?![a-z])", re.I),
        None,
    ),
    # "£m", "$M", "€k", "£bn", "USD m"
    (
        re.compile(r"(?:€|\$|£|\b(?:eur|usd|gbp|chf)\s?)(k|mn|mio|bn|md|m)(?![a-z])", re.I),
        None,
    ),
    # "(000)", "('000)", "(£000)", "(000s)"
    (re.compile(rf"\(\s*{_CUR_WORD}?\s*['’]?000s?\s*\)", re.IGNORECASE), 1e3),
    # "(k)", "(M)", "(bn)", "(Md)"
    (re.compile(r"\(\s*(k|mn|mio|mds|md|mrd|bn|m)\s*\)", re.IGNORECASE), None),
)


_WORD_SCALES = {
    "milliers": 1e3,
    "thousands": 1e3,
    "millions": 1e6,
    "milliards": 1e9,
    "billions": 1e9,
}


class HeaderUnit(NamedTuple):
    """A header without its unit (``label``, for matching), the factor the unit means
    (1 when none) and the unit as written."""

    label: str
    factor: float
    unit: str


@functools.lru_cache(maxsize=4096)
def header_unit(header: object) -> HeaderUnit:
    """The unit of a header and the header without it.

    Examples:
        >>> header_unit("Budget (k€)")
        HeaderUnit(label='Budget', factor=1000.0, unit='k€')
        >>> header_unit("Coût réel en milliers d'euros").factor, header_unit("WLC (£m)").label
        (1000.0, 'WLC')
        >>> header_unit("Budget (€)")
        HeaderUnit(label='Budget', factor=1.0, unit='')
    """
    text = str(header)
    for pattern, fixed in _HEADER_UNITS:
        m = pattern.search(text)
        if m is None:
            continue
        if fixed is not None:
            factor = fixed
        else:
            word = m.group(1).lower()
            factor = _WORD_SCALES.get(word) or SCALE_WORDS[word]
        unit = m.group(0).strip()
        rest = text[: m.start()] + text[m.end() :]
        return HeaderUnit(_bare(rest), factor, unit.strip("()").strip())
    return HeaderUnit(_bare(text), 1.0, "")


def _bare(text: str) -> str:
    """A header without empty or currency-only brackets, a dangling "en"/"in" and
    trailing separators."""
    text = re.sub(rf"[(\[]\s*(?:(?:en|in)\s*)?{_CUR_WORD}?\s*[)\]]", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–")
    text = re.sub(r"\s+(?:en|in)$", "", text, flags=re.IGNORECASE)
    return text.strip(" ,;:-–")


def parse_percent(
    s: pd.Series, *, fraction_cells: bool = False, decimal: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """A percentage 0-100: ``45 %`` -> 45; with ``fraction_cells`` (the cells are Excel
    percentages), 0.45 -> 45. Text with a % sign is always read as written."""
    values, bad = parse_number(s, decimal=decimal)
    if pd.api.types.is_numeric_dtype(s):  # numbers hold no % sign
        has_pct = pd.Series(False, index=s.index)
    else:
        text = s.astype("string")
        has_pct = text.str.contains("%", regex=False).fillna(False).astype(bool)
    if fraction_cells:
        values = values.where(has_pct, values * 100)
    return values, bad
