"""Reading MSPDI elements: the namespace :data:`NS` and the accessors of a child's text
(:func:`xml_text`), number (:func:`xml_number`), money (:func:`xml_money`: MSPDI writes
hundredths), date and time (:func:`xml_timestamp`), day (:func:`xml_day`) and integer
(:func:`xml_int`); a missing or unreadable value is None or NaN, never an error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Any

import pandas as pd

NS = "{http://schemas.microsoft.com/project}"


def xml_text(e: ET.Element | None, tag: str) -> str | None:
    """The stripped text of child ``tag`` of ``e``; None when absent or blank."""
    if e is None:
        return None
    c = e.find(NS + tag)
    if c is None or c.text is None or not c.text.strip():
        return None
    return c.text.strip()


def xml_number(e: ET.Element | None, tag: str) -> float:
    """Child ``tag`` as a number; NaN when absent or unreadable."""
    v = xml_text(e, tag)
    try:
        return float(v) if v is not None else float("nan")
    except ValueError:
        return float("nan")


def xml_money(e: ET.Element | None, tag: str) -> float:
    """Child ``tag`` as money: MSPDI writes hundredths (12345 is 123.45)."""
    return xml_number(e, tag) / 100


def xml_timestamp(v: str | None) -> pd.Timestamp:
    """An ISO date and time; NaT when empty or unreadable."""
    if not v:
        return pd.NaT
    try:
        return pd.Timestamp(datetime.fromisoformat(v))
    except ValueError:
        return pd.NaT


def xml_int(v: Any) -> int | None:
    """An integer; None when unreadable."""
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def xml_day(v: str | None) -> date | None:
    """An ISO date and time as its day; None when empty or unreadable."""
    d = xml_timestamp(v)
    return None if pd.isna(d) else d.date()
