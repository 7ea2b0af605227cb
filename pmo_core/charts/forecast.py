"""Forecast charts: the remaining spend per year at P50 and P80, and one project's EAC
range against its BAC.

Columns:
    spend: the portfolio forecast's ``spend_by_year`` rows (year, p50, p80)
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from pmo_core.charts.theme import apply_theme, money_axis
from pmo_core.i18n import colon, fmt_money, t


def spend_by_year_chart(
    spend: list[dict[str, Any]], lang: str = "fr", currency: str = "EUR"
) -> go.Figure:
    """Bars: the median remaining spend of each calendar year; a marker: its P80 (the
    spend not exceeded four years in five, from the same draws)."""
    years = [str(r["year"]) for r in spend]
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=[r["p50"] for r in spend],
        name=t("Median (P50)", lang),
        marker_color="#3f88c5",
        hovertext=[fmt_money(r["p50"], lang, currency, True) for r in spend],
        hovertemplate="%{x}" + colon(lang) + "%{hovertext}<extra>P50</extra>",
    )
    fig.add_scatter(
        x=years,
        y=[r["p80"] for r in spend],
        name="P80",
        mode="markers",
        marker={"symbol": "line-ew-open", "size": 28, "color": "#1f3b57", "line": {"width": 3}},
        hovertext=[fmt_money(r["p80"], lang, currency, True) for r in spend],
        hovertemplate="%{x}" + colon(lang) + "%{hovertext}<extra>P80</extra>",
    )
    fig.update_layout(
        title=t("Remaining spend per year", lang),
        yaxis_title=None,  # the ticks carry the unit: 2 M€
        xaxis={"type": "category"},
    )
    money_axis(fig, [v for r in spend for v in (r["p50"], r["p80"])], lang, currency)
    return apply_theme(fig, lang, height=340)
