"""The Risks sheet's probability and impact scales, decided per column (DESIGN 3 and 4).

A column's scale is decided from all its values, never cell by cell, and a row that does
not fit it is an issue naming sheet, row, column and value:

- probability: ``percent`` when its header holds a ``%`` or when most of its values are
  percentages (above 5 up to 100, or not whole between 1 and 5); ``fraction`` when most
  are strictly between 0 and 1; ``level`` when most are whole levels 2-5. Ties: levels
  first when the impact is in levels, else fraction, percent, level. A column of 0s and
  1s only is fractions, or levels when every value is 1 and the impact is in levels;
- impact: ``level`` when most of its values are whole numbers 1-5, else ``money``.

Misfits: in a fraction column a value above 1 (error) and exactly 1 (warning: read as
certain, 100 %); in a percent column a value above 100 (error) and a fraction-looking
value between 0 and 1 (warning: read as that many %); in a level column anything but a
whole 1-5 (error); in a money column a whole 1-5 (error: a level among amounts); in a
level column of impacts an amount (error). Negative values are errors everywhere.

After :func:`check_risks` a percent column holds fractions (divided by 100); levels stay
levels. :func:`pmo_core.kpi.risk.register_scales` reads the stored columns back with
the same counts, so the heat map and exposure use the scales decided here.

Examples:
    >>> probability_scale(pd.Series([0.3, 0.5, 4.0]))
    'fraction'
    >>> probability_scale(pd.Series([1.0, 3.0, 5.0]))
    'level'
    >>> probability_scale(pd.Series([45.0, 1.0]))
    'percent'
    >>> impact_scale(pd.Series([50_000.0, 4.0, 120_000.0]))
    'money'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pmo_core.ingest.issues import Issue, report_rows

FRACTION, PERCENT, LEVEL, MONEY = "fraction", "percent", "level", "money"


def whole_levels(v: pd.Series) -> pd.Series:
    """Cells holding a whole number 1-5 (a level)."""
    return (v >= 1) & (v <= 5) & (v == np.round(v))


def impact_scale(impact: pd.Series) -> str:
    """``level`` when most of the column's values are whole numbers 1-5, else ``money``."""
    i = impact.dropna().astype("float64")
    return LEVEL if len(i) and 2 * int(whole_levels(i).sum()) > len(i) else MONEY


def probability_scale(p: pd.Series, header: str = "", impact: str = MONEY) -> str:
    """``fraction``, ``percent`` or ``level`` from all the column's values (module
    docstring); ``header`` as written (a ``%`` in it means percent)."""
    if "%" in header:
        return PERCENT
    v = p.dropna().astype("float64")
    whole = v == np.round(v)
    counts = {
        FRACTION: int(((v > 0) & (v < 1)).sum()),
        PERCENT: int((((v > 5) & (v <= 100)) | ((v > 1) & (v < 5) & ~whole)).sum()),
        LEVEL: int(((v >= 2) & (v <= 5) & whole).sum()),
    }
    if max(counts.values()) == 0:  # only 0s, 1s (or values fitting nothing)
        ones = bool(len(v)) and bool((v == 1).all())
        return LEVEL if impact == LEVEL and ones else FRACTION
    order = [LEVEL, FRACTION, PERCENT] if impact == LEVEL else [FRACTION, PERCENT, LEVEL]
    return max(order, key=lambda s: counts[s])  # the first of the most counted


def _report(
    issues: list[Issue],
    df: pd.DataFrame,
    mask: pd.Series,
    column: str,
    severity: str,
    template: str,
    **params: Any,
) -> None:
    """:func:`~pmo_core.ingest.issues.report_rows`, the cell's number written as read
    (``4``, ``0.3``: the column holds numbers by now)."""
    report_rows(
        issues, df, mask, column, severity, template, show=lambda v: f"{float(v):g}", **params
    )


def check_risks(r: pd.DataFrame, issues: list[Issue]) -> tuple[str, str]:
    """Decide the probability and impact scales of a Risks frame (with ``_row`` and the
    headers as written in ``attrs``), report the rows that do not fit, and turn a percent
    column into fractions, in place. Returns (probability scale, impact scale)."""
    if r.empty:
        return FRACTION, MONEY
    p, i = r["probability"].astype("float64"), r["impact"].astype("float64")
    i_scale = impact_scale(i)
    header = str(r.attrs.get("written", {}).get("probability", ""))
    p_scale = probability_scale(p, header, i_scale)
    _report(issues, r, p < 0, "probability", "error", "Negative probability.")
    _report(issues, r, i < 0, "impact", "error", "Negative impact.")
    if p_scale == FRACTION:
        _report(
            issues,
            r,
            p > 1,
            "probability",
            "error",
            "This column gives probabilities as fractions 0-1 (its other rows): write this "
            "one as a fraction too (0.4 for 40 %), or give every probability of the sheet "
            "as a level 1-5 or as a percentage.",
        )
        _report(
            issues,
            r,
            p == 1,
            "probability",
            "warning",
            "Probability 1 in a column of fractions: read as certain (100 %). If it means "
            "level 1, give every probability of the sheet as a level 1-5.",
        )
    elif p_scale == PERCENT:
        _report(
            issues,
            r,
            p > 100,
            "probability",
            "error",
            "This column gives probabilities as percentages 0-100: a value above 100 % "
            "cannot be a probability.",
        )
        _report(
            issues,
            r,
            (p > 0) & (p < 1),
            "probability",
            "warning",
            "Read as per cent in a column of percentages (0.5 is 0.5 %): if it is a "
            "fraction (0.4 for 40 %), write it as a percentage like the other rows.",
        )
        r["probability"] = (p / 100).astype(r["probability"].dtype)
    else:
        _report(
            issues,
            r,
            p.notna() & (p >= 0) & ~whole_levels(p),
            "probability",
            "error",
            "This column gives probabilities as levels 1-5 (its other rows): write this "
            "one as a whole level 1-5 too, or give every probability of the sheet as a "
            "fraction 0-1 or a percentage.",
        )
    if i_scale == MONEY:
        _report(
            issues,
            r,
            whole_levels(i),
            "impact",
            "error",
            "A level 1-5 in a column of amounts (its other rows are amounts): write this "
            "impact in money (e.g. 40 000), or give every impact of the sheet as a level "
            "1-5.",
        )
    else:
        _report(
            issues,
            r,
            i.notna() & (i >= 0) & ~whole_levels(i),
            "impact",
            "error",
            "An amount in a column of levels 1-5 (its other rows are levels): write this "
            "impact as a level 1-5 too, or give every impact of the sheet in money.",
        )
    return p_scale, i_scale
