"""The Settings sheet's RAG thresholds, read and checked (issue 16): :func:`read_thresholds`
gives the values and the problems, :func:`check_settings` turns the problems into import
errors that name the cell. The KPIs read the same values through
:func:`pmo_core.kpi.rag_rules.thresholds_from_settings`, so the import and the RAG cannot
disagree.

- ``rag_green`` and ``rag_amber`` (SPI and CPI bands) are a ratio 0-1 (``0.95``, ``0,95``)
  or a percentage 0-100 (``95 %``, ``95%``, and a plain ``95``, a number above 1 being a
  percentage): all four read as 0.95. Anything else (negative, above 100 %, not a
  number) is refused.
- ``rag_milestone_amber_days`` and ``rag_milestone_red_days`` are days, 0 or more.
- Ordered: green at or above amber (G is an index >= green, A >= amber); the red delay at
  or above the amber delay (A past the amber delay, R past the red one). A threshold not
  given keeps its default for the comparison.

Examples:
    >>> read_thresholds({"rag_green": "95 %", "rag_amber": "85"})[0]["amber"]
    0.85
    >>> [p[2][:25] for p in read_thresholds({"rag_green": "80 %"})[1]]
    ['The green threshold ({gre']
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pmo_core.ingest.issues import Issue, err

DEFAULT_THRESHOLDS: dict[str, float] = {
    "green": 0.95,
    "amber": 0.85,
    "milestone_amber_days": 30,
    "milestone_red_days": 90,
}
RATIOS = ("green", "amber")
DAYS = ("milestone_amber_days", "milestone_red_days")

NOT_A_RATIO = (
    "The RAG threshold {key} must be a ratio 0-1 or a percentage 0-100 % (e.g. 0.95 or "
    "95 %): {written} is not one."
)
NOT_DAYS = "The milestone threshold {key} must be a number of days, 0 or more: {written} is not."
GREEN_BELOW_AMBER = (
    "The green threshold ({green}) is below the amber one ({amber}): green must be at or "
    "above amber (e.g. green 95 %, amber 85 %)."
)
RED_BEFORE_AMBER = (
    "The red delay ({red} days) is shorter than the amber one ({amber} days): red must be "
    "at or above amber (e.g. amber 30, red 90)."
)

_NUMBER = re.compile(r"\s*([+-]?\d+(?:[.,]\d+)?)\s*(%?)\s*")

#: (setting key, value as written, template, params) of one problem.
Problem = tuple[str, str, str, dict[str, Any]]


def _ratio(raw: str) -> float | None:
    """``0.95``, ``0,95``, ``95 %``, ``95`` -> 0.95; None when not a ratio 0-1 or 0-100 %."""
    m = _NUMBER.fullmatch(raw)
    if m is None:
        return None
    x = float(m.group(1).replace(",", "."))
    if m.group(2) or x > 1:
        x /= 100
    return x if 0 <= x <= 1 else None


def _days(raw: str) -> float | None:
    m = _NUMBER.fullmatch(raw)
    if m is None or m.group(2):
        return None
    x = float(m.group(1).replace(",", "."))
    return x if x >= 0 else None


def read_thresholds(settings: dict[str, str] | None) -> tuple[dict[str, float], list[Problem]]:
    """The RAG thresholds the settings give (defaults for the others) and every problem.

    A value that cannot be read keeps its default; when an order is broken, both values
    of the pair keep their defaults (the RAG is then the documented default, and the
    import refuses the file anyway).
    """
    s = settings or {}
    out = dict(DEFAULT_THRESHOLDS)
    problems: list[Problem] = []
    bad: set[str] = set()  # unreadable: no order to check against them
    for name in (*RATIOS, *DAYS):
        key = f"rag_{name}"
        raw = str(s.get(key) or "").strip()
        if not raw:
            continue
        value = _ratio(raw) if name in RATIOS else _days(raw)
        if value is None:
            bad.add(name)
            problems.append(
                (
                    key,
                    raw,
                    NOT_A_RATIO if name in RATIOS else NOT_DAYS,
                    {"key": key, "written": raw},
                )
            )
        else:
            out[name] = value
    if out["green"] < out["amber"] and not bad & set(RATIOS):
        shown = {n: str(s.get(f"rag_{n}") or _pct(DEFAULT_THRESHOLDS[n])) for n in RATIOS}
        where = "rag_green" if s.get("rag_green") else "rag_amber"
        problems.append((where, str(s.get(where)), GREEN_BELOW_AMBER, shown))
        out["green"], out["amber"] = DEFAULT_THRESHOLDS["green"], DEFAULT_THRESHOLDS["amber"]
    if out["milestone_red_days"] < out["milestone_amber_days"] and not bad & set(DAYS):
        shown = {
            "red": f"{out['milestone_red_days']:g}",
            "amber": f"{out['milestone_amber_days']:g}",
        }
        given = [f"rag_{n}" for n in reversed(DAYS) if s.get(f"rag_{n}")]
        where = given[0]  # the red delay when given, else the amber one
        problems.append((where, str(s.get(where)), RED_BEFORE_AMBER, shown))
        for n in DAYS:
            out[n] = DEFAULT_THRESHOLDS[n]
    return out, problems


def _pct(x: float) -> str:
    return f"{x * 100:g} %"


def check_settings(
    settings: dict[str, str], rows: dict[str, tuple[str, int | None, str]], issues: list[Issue]
) -> None:
    """Append an error per threshold problem, at its cell: ``rows`` maps a setting key to
    (sheet, Excel row, value header as written)."""
    for key, raw, template, params in read_thresholds(settings)[1]:
        sheet, row, column = rows.get(key, (None, None, None))
        value = None if raw in ("", "None") or pd.isna(raw) else raw
        issues.append(err(sheet, row, column, value, template, **params))
