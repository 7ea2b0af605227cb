"""Raw entity sets -> typed frames, by each property's documented Edm type (:func:`typed`).

- ``Edm.Guid``: text, lower case, braces dropped (Excel and the JSON feed write GUIDs
  differently; one spelling joins the sets); ``Edm.String``: text;
- ``Edm.Decimal`` / ``Double`` / ``Single``: float; ``Edm.Byte`` / ``Int16`` / ``Int32`` /
  ``Int64``: Int64 (a value with decimals is an issue);
- ``Edm.DateTime``: Timestamp, from an Excel date cell, ISO 8601 text
  (``2026-03-02T08:00:00``, an offset or ``Z`` converted to UTC) or OData v3 JSON's
  ``/Date(1772438400000)/`` (milliseconds since 1970, an offset suffix ignored as the
  service writes local times);
- ``Edm.Boolean``: bool from true/false, 1/0, TRUE/FALSE, VRAI/FAUX, yes/no, oui/non.

A value that does not fit its type is an issue naming the entity set (and file), the
row, the property and the value; strict: an error; lenient: the cell is left empty and
the issue is a warning. Properties not documented (custom fields) are kept as given.
All conversions are vectorised (one call per column).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pmo_core.ingest.issues import MAX_PER_RULE, Issue, Localised
from pmo_core.ingest.projectdata.properties import KINDS, PROPERTIES
from pmo_core.ingest.projectdata.sources import RawSet

BAD_VALUE = (
    "{set}: the value of {property} is not {kind} (its documented type is {edm}). Correct "
    "it in the source, or export the set again."
)
#: The words for each kind in messages (translated through the catalogue).
KIND_WORDS = {
    "guid": "a GUID",
    "number": "a number",
    "integer": "a whole number",
    "datetime": "a date",
    "boolean": "true or false",
}
TRUE_WORDS = frozenset({"true", "1", "yes", "oui", "vrai", "1.0"})
FALSE_WORDS = frozenset({"false", "0", "no", "non", "faux", "0.0"})
_MS_DATE = r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$"


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | s.astype("string").str.strip().eq("").fillna(True)


def _guid(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = s.astype("string").str.strip().str.strip("{}").str.lower()
    ok = text.str.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    return text.astype(object).where(text.notna(), None), ok.fillna(False).astype(bool)


def _number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        out = s.astype("float64")
    else:
        text = s.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
        out = pd.to_numeric(text, errors="coerce").astype("float64")
    return out, out.notna()


def _integer(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    out, ok = _number(s)
    whole = ok & (out == np.floor(out.fillna(0)))
    return out.where(whole).round().astype("Int64"), whole


def _datetime(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_datetime64_any_dtype(s):
        out = pd.to_datetime(s)
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        return out.astype("datetime64[ns]"), out.notna()
    text = s.astype("string").str.strip()
    ms = text.str.extract(_MS_DATE, expand=False)
    out = pd.to_datetime(pd.to_numeric(ms, errors="coerce"), unit="ms", errors="coerce")
    rest = ms.isna() & text.notna()
    if bool(rest.any()):
        iso = pd.to_datetime(text[rest], format="ISO8601", errors="coerce", utc=True)
        out.loc[rest] = iso.dt.tz_localize(None)
    out = out.astype("datetime64[ns]")
    return out, out.notna()


def _boolean(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), s.notna()
    text = s.astype("string").str.strip().str.lower()
    yes, no = text.isin(TRUE_WORDS), text.isin(FALSE_WORDS)
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[yes.fillna(False)] = True
    out[no.fillna(False)] = False
    return out, (yes | no).fillna(False).astype(bool)


def _by_unique(
    convert: Callable[[pd.Series], tuple[pd.Series, pd.Series]], s: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(value, ok, blank)`` of a text column, each distinct value converted once (a
    timephased set repeats a few thousand GUIDs and 365 days over a million rows)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    missing = pd.Series(codes < 0, index=s.index)
    u = pd.Series(list(uniques) or [None], dtype=object)
    value_u, ok_u = convert(u)
    take = np.where(codes < 0, 0, codes)
    value = value_u.take(take).set_axis(s.index).mask(missing)
    ok = pd.Series(ok_u.to_numpy(dtype=bool)[take], index=s.index) & ~missing
    blank = pd.Series(_blank(u).to_numpy(dtype=bool)[take], index=s.index) | missing
    return value, ok, blank


CONVERTERS = {
    "guid": _guid,
    "number": _number,
    "integer": _integer,
    "datetime": _datetime,
    "boolean": _boolean,
}


def _report(
    raw: RawSet, prop: str, edm: str, kind: str, bad: pd.Series, lenient: bool
) -> list[Issue]:
    """One issue per bad cell (at most :data:`MAX_PER_RULE`, then one counting the rest)."""
    frame = raw.frame
    rows = frame.loc[bad, "_row"].tolist()
    files = frame.loc[bad, "_file"].tolist()
    values = frame.loc[bad, prop].tolist()
    severity = "warning" if lenient else "error"
    fix = "cell_left_empty" if lenient else None
    found = []
    params = {
        "set": Localised(raw.name, raw.name),  # names of the feed, never translated
        "property": Localised(prop, prop),
        "kind": KIND_WORDS[kind],
        "edm": Localised(edm, edm),
    }
    for k, (row, file, value) in enumerate(zip(rows, files, values, strict=True)):
        if k == MAX_PER_RULE:
            found.append(
                Issue(
                    severity,
                    raw.name,
                    None,
                    prop,
                    None,
                    "{n} more rows with the same problem.",
                    {"n": len(rows) - MAX_PER_RULE},
                )
            )
            break
        where = raw.name if str(file).rsplit(".", 1)[0] == raw.name else f"{raw.name} ({file})"
        found.append(
            Issue(severity, where, int(row), prop, str(value)[:200], BAD_VALUE, params, fix=fix)
        )
    return found


def typed(raw: RawSet, lenient: bool = False) -> tuple[pd.DataFrame, list[Issue]]:
    """The set's frame with each documented property converted to its Edm type, and an
    issue for each value that does not fit (strict: error; lenient: warning, left empty).
    Text of undocumented properties is kept as it is; blank text is empty."""
    types = PROPERTIES.get(raw.name, {})
    out = raw.frame.copy()
    issues: list[Issue] = []
    for prop in list(out.columns):
        if prop in ("_row", "_file"):
            continue
        edm = types.get(prop)
        kind = KINDS.get(edm or "", "text")
        column = out[prop]
        if kind == "text":
            if raw.text or column.dtype == object:
                out[prop] = column.where(~_blank(column), None)
            continue
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            value, ok, blank = _by_unique(CONVERTERS[kind], column)
        else:  # typed by the file already (numbers, dates, booleans)
            value, ok = CONVERTERS[kind](column)
            blank = column.isna()
        bad = ~blank & ~ok
        if bool(bad.any()):
            issues.extend(_report(raw, prop, str(edm), kind, bad, lenient))
            value = value.where(~bad)
            if kind == "guid":
                value = value.where(~bad, None)
        if kind == "guid":
            value = value.where(~blank, None)
        out[prop] = value
    return out, issues
