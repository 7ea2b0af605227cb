"""Forecast charts: the remaining spend per year at P50 and P80, and one project's
distributions: its cost and finish draws as histograms, its fan on the S-curve.

Ticks and hovers are written by the app in the user's language (:mod:`pmo_core.i18n`).

Columns:
    spend: the portfolio forecast's ``spend_by_year`` rows (year, p50, p80)
    fan: :func:`pmo_core.forecast.detail.fan_paths` (date, p10, p50, p80, p90)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.kpi import evm_s_curve
from pmo_core.charts.theme import apply_theme, money_axis, month_axis, nice_ticks
from pmo_core.forecast.detail import Histogram
from pmo_core.i18n import colon, fmt_date, fmt_dates, fmt_money, fmt_pct, t


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


def _share_axis(fig: go.Figure, shares: np.ndarray, lang: str) -> None:
    """Percent ticks written in the user's language (``5 %`` / ``5%``)."""
    top = float(shares.max()) if len(shares) else 0.0
    ticks = nice_ticks(0.0, top, 5)
    fig.update_layout(
        yaxis={
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [fmt_pct(v, lang, 0 if top >= 0.05 else 1, True) for v in ticks],
        }
    )


MARK_COLOURS = ("#1f3b57", "#6b4c9a", "#52606d")


def _marks(fig: go.Figure, marks: list[tuple[str, object]], top: float) -> None:
    """Vertical lines from 0 to ``top``, (label, x), named in the legend (labels of
    close lines written on the plot would print over each other): the first solid, the
    others dashed."""
    for i, (label, x) in enumerate(marks):
        fig.add_scatter(
            x=[x, x],
            y=[0.0, top],
            mode="lines",
            name=label,
            line={
                "color": MARK_COLOURS[i % len(MARK_COLOURS)],
                "dash": "dash" if i else "solid",
                "width": 2,
            },
            hovertext=[label, label],
            hoverinfo="text",
        )


def eac_histogram(
    cost: Histogram,
    marks: list[tuple[str, float]],
    lang: str = "fr",
    currency: str = "EUR",
) -> go.Figure:
    """Bars: the share of a project's cost draws in each bin (:func:`pmo_core.forecast.
    detail.histogram`: up to the 99th percentile, the share beyond said in the title);
    lines at ``marks`` ((label, amount): "P50 1,2 M€", the BAC...)."""
    edges, shares, beyond = cost.edges, cost.shares, cost.beyond
    mid = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure()
    fig.add_bar(
        x=mid,
        y=shares,
        width=np.diff(edges),
        marker_color="#4e79a7",
        name=t("Share of the draws", lang),
        hovertext=[
            f"{fmt_money(a, lang, currency, True)} – {fmt_money(b, lang, currency, True)}"
            f"{colon(lang)}{fmt_pct(s, lang, 1, True)}"
            for a, b, s in zip(edges[:-1], edges[1:], shares, strict=True)
        ],
        hoverinfo="text",
        showlegend=False,
    )
    _marks(fig, [(label, float(x)) for label, x in marks], float(shares.max()) * 1.05)
    title = t("Cost at completion: the draws", lang)
    if beyond > 0:
        title += " · " + t(
            "{share} of the draws lie beyond the axis", lang, share=fmt_pct(beyond, lang, 0, True)
        )
    fig.update_layout(title=title, bargap=0.05, yaxis_title=None, xaxis_title=None)
    xs = [edges[0], edges[-1], *(x for _, x in marks)]
    money_axis(fig, xs, lang, currency, axis="xaxis")
    _share_axis(fig, shares, lang)
    return apply_theme(fig, lang, height=320)


def finish_histogram(
    finish: Histogram, marks: list[tuple[str, object]], lang: str = "fr"
) -> go.Figure:
    """Bars: the share of a project's finish draws (days from 1970-01-01) in each bin
    (:func:`pmo_core.forecast.detail.histogram`, the share beyond said in the title);
    lines at ``marks`` ((label, date): "P80 12/03/2028", the baseline finish...)."""
    edges, shares, beyond = finish.edges, finish.shares, finish.beyond
    day_ms = 86_400_000
    start = pd.to_datetime(np.floor(edges[:-1]).astype("int64"), unit="D")
    end = pd.to_datetime(np.floor(edges[1:]).astype("int64"), unit="D")
    mid = pd.to_datetime(((edges[:-1] + edges[1:]) / 2 * day_ms).astype("int64"), unit="ms")
    fig = go.Figure()
    fig.add_bar(
        x=mid,
        y=shares,
        width=np.diff(edges) * day_ms,
        marker_color="#4e79a7",
        name=t("Share of the draws", lang),
        hovertext=[
            f"{fmt_date(a, lang)} – {fmt_date(b, lang)}{colon(lang)}{fmt_pct(s, lang, 1, True)}"
            for a, b, s in zip(start, end, shares, strict=True)
        ],
        hoverinfo="text",
        showlegend=False,
    )
    top = float(shares.max()) * 1.05
    _marks(fig, [(label, pd.Timestamp(x)) for label, x in marks], top)  # type: ignore[arg-type]
    title = t("Finish date: the draws", lang)
    if beyond > 0:
        title += " · " + t(
            "{share} of the draws lie beyond the axis", lang, share=fmt_pct(beyond, lang, 0, True)
        )
    fig.update_layout(title=title, bargap=0.05, yaxis_title=None, xaxis_title=None)
    month_axis(fig, [start[0], end[-1], *(x for _, x in marks)], lang)
    _share_axis(fig, shares, lang)
    return apply_theme(fig, lang, height=320)


def fan_s_curve(
    reports: pd.DataFrame,
    evm: pd.Series,
    fan: pd.DataFrame,
    lang: str = "fr",
    currency: str = "EUR",
) -> go.Figure:
    """The project's earned value S-curve (:func:`pmo_core.charts.kpi.evm_s_curve`) with
    the fan of its cumulative cost from the status date (:func:`pmo_core.forecast.detail.
    fan_paths`): the band between the P10 and P90 paths, the P50 and P80 paths as lines."""
    fig = evm_s_curve(reports, evm, lang, currency)
    dates = fmt_dates(fan["date"], lang)

    def hover(col: str) -> list[str]:
        return [
            f"{d}{colon(lang)}{fmt_money(v, lang, currency, True)}"
            for d, v in zip(dates, fan[col], strict=True)
        ]

    fig.add_scatter(
        x=fan["date"],
        y=fan["p10"],
        mode="lines",
        line={"color": "#6b4c9a", "width": 0.5},
        name="P10",
        showlegend=False,
        hovertext=hover("p10"),
        hoverinfo="text+name",
    )
    fig.add_scatter(
        x=fan["date"],
        y=fan["p90"],
        mode="lines",
        fill="tonexty",
        fillcolor="rgba(107, 76, 154, 0.18)",
        line={"color": "#6b4c9a", "width": 0.5},
        name=t("Cost forecast P10-P90", lang),
        hovertext=hover("p90"),
        hoverinfo="text+name",
    )
    for col, dash in (("p50", "solid"), ("p80", "dashdot")):
        fig.add_scatter(
            x=fan["date"],
            y=fan[col],
            mode="lines",
            line={"color": "#6b4c9a", "width": 2, "dash": dash},
            name=t("Cost forecast {level}", lang, level=col.upper()),
            hovertext=hover(col),
            hoverinfo="text+name",
        )
    r = reports
    amounts = [*r["planned_value"], *r["earned_value"], *r["actual_cost"], evm.get("eac")]
    money_axis(fig, [*amounts, evm.get("bac"), *fan["p90"], *fan["p10"]], lang, currency)
    month_axis(fig, [*r["report_date"], evm.get("forecast_finish"), *fan["date"]], lang)
    return fig
