"""Vectorised helpers over a Series of raw cells: which are blank, the Arrow array behind
a text column, and a function applied once per distinct value then mapped back (so a
200,000-row column costs what its distinct values do).

Examples:
    >>> blank(pd.Series(["", "  ", "x", None])).tolist()
    [True, True, False, True]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def blank(s: pd.Series) -> pd.Series:
    """Missing or empty-text cells (a plain boolean Series)."""
    if s.dtype.kind in "fiumMb":
        return s.isna().astype(bool)
    arr = arrow_strings(s)
    if arr is not None:  # Arrow-backed text: trimmed and compared in Arrow, not per cell
        import pyarrow.compute as pc

        empty = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), True)
        return pd.Series(empty.to_numpy(zero_copy_only=False), index=s.index, dtype=bool)
    text = s.astype("string").str.strip().fillna("")
    return (s.isna() | text.eq("")).astype(bool)


def arrow_strings(s: pd.Series) -> Any:
    """The Arrow array behind a text Series (pandas' Arrow string dtypes), else None."""
    arr = s.array
    data = getattr(arr, "_pa_array", None)
    if data is None:
        return None
    import pyarrow as pa

    return data if pa.types.is_string(data.type) or pa.types.is_large_string(data.type) else None


def map_unique(s: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """Apply ``fn`` once per distinct non-missing value and map the results back."""
    arr = arrow_strings(s)
    if arr is not None:  # text: Arrow finds the distinct values and puts results back
        import pyarrow.compute as pc

        codes = pc.dictionary_encode(arr).combine_chunks()
        words = codes.dictionary.to_pylist()
        found = np.array([None if not w.strip() else fn(w) for w in words] + [None], object)
        idx = pc.fill_null(codes.indices, len(words)).to_numpy(zero_copy_only=False)
        return pd.Series(found[idx], index=s.index, dtype=object)
    given = ~blank(s)
    out = pd.Series([None] * len(s), index=s.index, dtype=object)
    if given.any():
        vals = s[given]
        keys = vals.astype(str)
        uniq = pd.unique(keys)
        firsts = vals.groupby(keys, sort=False).first()
        table = {k: fn(firsts[k]) for k in uniq}
        out[given] = keys.map(table).to_numpy()
    return out
