"""Language and number formats of the Streamlit layer: the user's language from the sidebar
or the link, texts through :mod:`pmo_core.i18n`, money/number/date formats, RAG labels.

Every function here is :mod:`pmo_core.i18n` (the app's one formatter, also used by the
charts and the pack) with the session's language and currency filled in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from pmo_core import i18n
from pmo_core.kpi import NO_RATING, RATED_STATUSES
from pmo_core.kpi.evm import MISSING_INPUTS

ROOT = Path(__file__).resolve().parents[1]


def lang() -> str:
    """The user's language: the sidebar switch, else ``?lang=``, else French."""
    value = st.session_state.get("sidebar_lang") or st.query_params.get("lang")
    return i18n.norm_lang(value)


def t(text: str, **params: Any) -> str:
    return i18n.t(text, lang(), **params)


def currency() -> str:
    return str(st.session_state.get("_currency", "EUR"))


def money(x: object, compact: bool = True) -> str:
    return i18n.fmt_money(x, lang(), currency(), compact=compact)


def number(x: object, decimals: int = 0) -> str:
    return i18n.fmt_number(x, lang(), decimals)


def pct(x: object, decimals: int = 0, ratio: bool = False) -> str:
    return i18n.fmt_pct(x, lang(), decimals, ratio)


def change(x: object, show: Callable[[float], str]) -> str:
    """A signed change as ``show`` prints its figure (``+0,05``), ``=`` when it rounds to
    zero there (:func:`pmo_core.i18n.fmt_change`)."""
    return i18n.fmt_change(x, show, lang())


def metric_delta(x: object, show: Callable[[float], str], color: str = "normal") -> dict[str, Any]:
    """``st.metric``'s delta arguments for a change ``x``: none when it is undefined; ``=``,
    grey and without an arrow when it rounds to zero at ``show``'s precision (Streamlit
    would put a green up arrow before any text that does not start with "-"); else the
    signed change in ``color``."""
    if i18n.is_missing(x):
        return {"delta": None}
    text = change(x, show)
    if text == i18n.NO_CHANGE:
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    return {"delta": text, "delta_color": color}


def date(x: object) -> str:
    return i18n.fmt_date(x, lang())


def month(x: object) -> str:
    return i18n.fmt_month(x, lang())


def judgment(x: object) -> str:
    """A pairwise judgment on Saaty's scale: ``3``, ``1/3``."""
    return i18n.fmt_judgment(x, lang())


def risk_status(x: object) -> str:
    """A risk's status in the user's language (``open`` -> ``ouvert``)."""
    return i18n.fmt_risk_status(x, lang())


def source(x: object) -> str:
    """A snapshot's stored source name, its date in the user's format:
    ``demo.xlsx (30/11/2025)`` for the stored ``demo.xlsx (2025-11-30)``."""
    return i18n.fmt_source(x, lang())


def colon() -> str:
    """``Budget : `` in French, ``Budget: `` in English."""
    return i18n.colon(lang())


RAG_NAMES = {"G": "Green", "A": "Amber", "R": "Red"}


def rag_label(code: object) -> str:
    """``Rouge`` / ``Red``; blank when no RAG."""
    if not isinstance(code, str) or code not in RAG_NAMES:
        return ""
    return t(RAG_NAMES[code])


def weather(code: object, status: object) -> str:
    """:func:`rag_label`, or ``Sans météo`` / ``No rating`` for a running project whose
    RAG is missing (its dimensions lack data); blank for one that is not rated at all."""
    label = rag_label(code)
    if not label and status in RATED_STATUSES:
        return t(NO_RATING)
    return label


def missing_reasons(codes: object) -> str:
    """Why a project's figures are n/a (``kpi.evm.MISSING_INPUTS``), in the user's
    language; blank when nothing is missing."""
    if not isinstance(codes, str) or not codes:
        return ""
    return " ".join(t(MISSING_INPUTS[c]) for c in codes.split(",") if c in MISSING_INPUTS)


RAG_DOTS = {"G": "🟢", "A": "🟠", "R": "🔴"}


def rag_icons() -> dict[str, str]:
    """RAG code -> ``🔴 Rouge`` (a coloured dot and the word: colour is never the only
    sign), for tables too large for a Styler."""
    return {code: f"{RAG_DOTS[code]} {t(name)}" for code, name in RAG_NAMES.items()}


def rag_icon(label: str, language: str | None = None) -> str:
    """A :func:`weather` label with its dot (``⚪ Sans météo`` for no rating); ``language``:
    the label's language (default: the session's)."""
    lg = language or lang()
    for code, name in RAG_NAMES.items():
        if label == i18n.t(name, lg):
            return f"{RAG_DOTS[code]} {label}"
    return f"⚪ {label}" if label else ""


def rag_style(label: object, language: str | None = None) -> str:
    """CSS for a cell holding a :func:`rag_label` (the app's RAG colours); ``language``: the
    label's language (default: the session's)."""
    from pmo_core.charts.theme import NO_RAG, RAG_COLORS

    lg = language or lang()
    for code, name in RAG_NAMES.items():
        if label == i18n.t(name, lg):
            return f"background-color: {RAG_COLORS[code]}; color: white; font-weight: 600"
    if label == i18n.t(NO_RATING, lg):
        return f"background-color: {NO_RAG}; color: white"
    return ""


def warning_text(detail: str, params: dict[str, Any]) -> str:
    """An early warning's reason in the user's language."""
    return t(detail, **params)


def column_widths(widths: dict[str, int]) -> dict[str, Any]:
    """``column_config`` giving each English column label (translated here) its width in
    pixels, so that a table keeps its figures on screen at 1280-1440 px; a narrowed label
    keeps its full text in the column's help."""
    return {
        t(label): st.column_config.Column(t(label), width=width, help=t(label))
        for label, width in widths.items()
    }
