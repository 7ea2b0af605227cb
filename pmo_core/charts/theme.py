"""The app's one visual template, RAG colours and utilisation bands, the programmes'
colours, and the axes a person reads in their language: money ticks (``12 M€``), month
ticks (``janv. 2028``) and whole-number ticks on counts.

Plotly.js formats ticks itself, in English (``Jan 2028``, ``162.7k``, ``1M``), and its
French locale is not loaded by Streamlit: so the ticks of money and date axes are written
here (``tickvals`` + ``ticktext``) with :mod:`pmo_core.i18n`, the one formatter of the app.

Examples:
    >>> RAG_COLORS["R"]
    '#d64541'
    >>> band_color(1.2)
    '#d64541'
    >>> nice_ticks(0, 2_637_000)
    [0.0, 1000000.0, 2000000.0, 3000000.0]
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from pmo_core.i18n import (
    PLOTLY_SEPARATORS,
    fmt_date,
    fmt_money,
    fmt_month,
    is_missing,
    norm_lang,
)

RAG_COLORS: dict[str, str] = {"G": "#2e9e5b", "A": "#f0a202", "R": "#d64541", "": "#9aa5b1"}
NO_RAG = "#9aa5b1"
BAND_COLORS: dict[str, str] = {
    "low": "#9ecae1",  # < 80 %: spare capacity
    "ok": "#2e9e5b",  # 80-100 %
    "over": "#d64541",  # > 100 %
    "none": "#6b4c9a",  # demand with no capacity
}
#: Categorical colours with no red, orange or green in them: a series (a programme, a
#: milestone) must never read as a weather.
PALETTE: tuple[str, ...] = (
    "#1f3b57",  # navy
    "#4e79a7",  # blue
    "#6b4c9a",  # purple
    "#9c755f",  # brown
    "#b07aa1",  # orchid
    "#5f6b7a",  # slate
    "#2c7da0",  # steel blue
    "#c9a9c6",  # mauve
    "#3d3d6b",  # indigo
    "#4b6584",  # dusk blue
    "#8a8fa3",  # cool grey
    "#86bcd9",  # light sky
)
FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

pio.templates["pmo"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        title={"font": {"size": 16, "color": "#1f3b57"}, "x": 0, "xanchor": "left"},
        colorway=list(PALETTE),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        xaxis={"gridcolor": "#e4e7eb", "zerolinecolor": "#cbd2d9", "linecolor": "#cbd2d9"},
        yaxis={"gridcolor": "#e4e7eb", "zerolinecolor": "#cbd2d9", "linecolor": "#cbd2d9"},
        # Below everything, axis titles included: the container is the reference.
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hoverlabel={"font": {"family": FONT}},
    )
)


def band_color(utilisation: float | None) -> str:
    """The band colour of a utilisation ratio (None: demand without capacity)."""
    if utilisation is None:
        return BAND_COLORS["none"]
    if utilisation > 1.0:
        return BAND_COLORS["over"]
    if utilisation >= 0.8:
        return BAND_COLORS["ok"]
    return BAND_COLORS["low"]


def rag_color(rag: object) -> str:
    return RAG_COLORS.get(str(rag), NO_RAG) if isinstance(rag, str) else NO_RAG


def apply_theme(fig: go.Figure, lang: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the template and the language's number separators to a figure."""
    fig.update_layout(template="pmo", separators=PLOTLY_SEPARATORS[norm_lang(lang)])
    if height:
        fig.update_layout(height=height)
    return fig


def series_colors(names: Iterable[object]) -> dict[str, str]:
    """A colour per name (a programme), fixed by the name itself: the CRC-32 of the name
    picks its slot in :data:`PALETTE`, so a programme keeps its colour from one snapshot
    to the next whatever the others are. Two names of the set that hash to the same slot:
    the later one in alphabetical order takes the next free slot (only then does a colour
    depend on the set; distinct names always get distinct colours while slots remain).

    >>> one, two = series_colors(["Expérience client"]), series_colors(["Expérience client", "Finance"])
    >>> one["Expérience client"] == two["Expérience client"]
    True
    """
    out: dict[str, str] = {}
    used: set[int] = set()
    for name in sorted({str(n) for n in names}):
        slot = zlib.crc32(name.encode("utf-8")) % len(PALETTE)
        for step in range(len(PALETTE)):
            if (slot + step) % len(PALETTE) not in used:
                slot = (slot + step) % len(PALETTE)
                break
        used.add(slot)
        if len(used) == len(PALETTE):  # more names than colours: colours repeat
            used.clear()
        out[name] = PALETTE[slot]
    return out


def nice_ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """About ``n`` round tick values (1, 2, 2.5 or 5 x 10^k apart) covering [lo, hi], zero
    included when the range holds it."""
    if is_missing(lo) or is_missing(hi):
        return []
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi == lo:
        return [lo]
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    if first > lo:  # lo / step underflowed to -0.0 (lo = -5e-324)
        first -= step
    ticks = [float(first)]
    while ticks[-1] < hi:
        ticks.append(float(round(first + len(ticks) * step, 10)))
    return ticks


def money_axis(
    fig: go.Figure,
    values: Iterable[object],
    lang: str | None,
    currency: str = "EUR",
    axis: str = "yaxis",
) -> go.Figure:
    """Money ticks in the user's language (``0 €``, ``500 k€``, ``1,5 M€``) on ``axis``
    (``xaxis`` or ``yaxis``), for the range of ``values``."""
    vals = [float(v) for v in values if not is_missing(v)]  # type: ignore[arg-type]
    ticks = nice_ticks(min(vals), max(vals)) if vals else []
    if ticks:
        text = [fmt_money(v, lang, currency, compact=True) for v in ticks]
        fig.update_layout({axis: {"tickvals": ticks, "ticktext": text, "tickmode": "array"}})
    return fig


def month_axis(
    fig: go.Figure, dates: Iterable[object], lang: str | None, axis: str = "xaxis", n: int = 8
) -> go.Figure:
    """Month ticks in the user's language (``janv. 2028`` / ``Jan 2028``) on a date
    ``axis``: the first of every 1, 2, 3, 6 or 12 months, at most about ``n`` ticks."""
    ds = pd.to_datetime(pd.Series([d for d in dates if not is_missing(d)]), errors="coerce")
    ds = ds.dropna()
    if ds.empty:
        return fig
    first = ds.min().to_period("M").to_timestamp()
    last = ds.max().to_period("M").to_timestamp() + pd.offsets.MonthBegin(1)
    span = (last.year - first.year) * 12 + last.month - first.month
    step = next((m for m in (1, 2, 3, 6, 12) if span / m <= n), 12 * math.ceil(span / 12 / n))
    start = first - pd.offsets.MonthBegin((first.month - 1) % step) if step > 1 else first
    ticks = list(pd.date_range(start, last, freq=f"{step}MS"))
    fig.update_layout(
        {
            axis: {
                "tickmode": "array",
                "tickvals": [t.strftime("%Y-%m-%d") for t in ticks],
                "ticktext": [fmt_month(t, lang) for t in ticks],
            }
        }
    )
    return fig


def date_axis(
    fig: go.Figure, dates: Iterable[object], lang: str | None, axis: str = "xaxis"
) -> go.Figure:
    """Ticks at the given dates themselves (snapshot dates: ``31/10/2026``), in the
    user's language; :func:`month_axis` when there are more than 12 of them."""
    ds = pd.to_datetime(pd.Series([d for d in dates if not is_missing(d)]), errors="coerce")
    distinct = sorted(ds.dropna().unique())
    if len(distinct) > 12:
        return month_axis(fig, distinct, lang, axis)
    if distinct:
        # A margin of a twentieth of the span each side: the last date keeps its label.
        lo, hi = pd.Timestamp(distinct[0]), pd.Timestamp(distinct[-1])
        pad = max((hi - lo) / 20, pd.Timedelta(days=2))
        fig.update_layout(
            {
                axis: {
                    "range": [(lo - pad).strftime("%Y-%m-%d"), (hi + pad).strftime("%Y-%m-%d")],
                    "tickmode": "array",
                    "tickvals": [pd.Timestamp(d).strftime("%Y-%m-%d") for d in distinct],
                    "ticktext": [fmt_date(d, lang) for d in distinct],
                }
            }
        )
    return fig


def count_axis(fig: go.Figure, top: object, axis: str = "xaxis") -> go.Figure:
    """Whole-number ticks on a count axis (no 0,2 / 0,4 on a portfolio of three
    projects): a tick per unit up to 10, else Plotly's own ticks, whole numbers only."""
    settings: dict[str, object] = {"tickformat": "d", "rangemode": "tozero"}
    if not is_missing(top) and float(top) <= 10:  # type: ignore[arg-type]
        settings |= {"dtick": 1, "tick0": 0}
    fig.update_layout({axis: settings})
    return fig
