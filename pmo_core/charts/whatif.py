"""What-if charts: the efficient frontier with the ranking curve and the current point.

Columns:
    frontier: optimize.efficient_frontier output (budget, objective, n_selected)
    ranking: optimize.ranking_curve output (cost, value)
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import apply_theme, money_axis
from pmo_core.i18n import colon, fmt_money, fmt_number, t


def frontier_chart(
    frontier: pd.DataFrame,
    ranking: pd.DataFrame,
    current: tuple[float, float] | None,
    lang: str = "fr",
    currency: str = "EUR",
) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(
        x=ranking["cost"],
        y=ranking["value"],
        mode="lines",
        name=t("Ranking by value per cost", lang),
        line={"color": "#9aa5b1", "dash": "dot"},
    )
    fig.add_scatter(
        x=frontier["budget"],
        y=frontier["objective"],
        mode="lines+markers",
        name=t("Efficient frontier (optimal)", lang),
        line={"color": "#1f3b57", "width": 3},
        hovertext=[
            f"{t('Budget', lang)}{colon(lang)}{fmt_money(b, lang, currency, compact=True)}<br>"
            f"{t('Value', lang)}{colon(lang)}{fmt_number(v, lang)}<br>"
            + t("{n} project(s)", lang, n=fmt_number(n, lang))
            for b, v, n in zip(
                frontier["budget"], frontier["objective"], frontier["n_selected"], strict=True
            )
        ],
        hoverinfo="text",
    )
    if current is not None:
        fig.add_scatter(
            x=[current[0]],
            y=[current[1]],
            mode="markers",
            name=t("Current scenario", lang),
            marker={"size": 16, "color": "#d64541", "symbol": "star"},
        )
    fig.update_layout(
        title=t("Efficient frontier", lang),
        xaxis_title=t("Budget", lang),
        yaxis_title=t("Value", lang),
    )
    money_axis(fig, [*frontier["budget"], *ranking["cost"]], lang, currency, axis="xaxis")
    return apply_theme(fig, lang, height=380)
