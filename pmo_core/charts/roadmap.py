"""Roadmap charts: milestones on the portfolio timeline, milestone trend analysis.

Columns:
    milestones: the canonical Milestones frame (+ name of the project)
    trend: project_id, milestone_id, name, as_of, forecast (one row per milestone and
        snapshot)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import PALETTE, apply_theme, date_axis, month_axis
from pmo_core.i18n import colon, fmt_date, fmt_dates, t


def milestone_trend_chart(trend: pd.DataFrame, lang: str = "fr") -> go.Figure:
    """MTA: x = snapshot date, y = forecast date of each milestone, with the diagonal
    (a milestone reached when its line meets it; a rising line is a slipping milestone)."""
    fig = go.Figure()
    for i, (mid, g) in enumerate(trend.sort_values("as_of").groupby("milestone_id")):
        fig.add_scatter(
            x=g["as_of"],
            y=g["forecast"],
            mode="lines+markers",
            name=f"{mid} · {g['name'].iloc[0]}",
            line={"color": PALETTE[i % len(PALETTE)], "width": 3},
            hovertext=[
                t("Forecast date", lang) + colon(lang) + fmt_date(v, lang) for v in g["forecast"]
            ],
            hoverinfo="text+name",
        )
    if len(trend):
        lo = min(trend["as_of"].min(), trend["forecast"].min())
        hi = max(trend["as_of"].max(), trend["forecast"].max())
        fig.add_scatter(
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            name=t("Reached line", lang),
            line={"color": "#9aa5b1", "dash": "dash"},
            hoverinfo="skip",
        )
    fig.update_layout(
        title=t("Milestone trend analysis", lang),
        xaxis_title=t("Snapshot date", lang),
        yaxis_title=t("Forecast date", lang),
    )
    if len(trend):
        date_axis(fig, trend["as_of"], lang)
        month_axis(fig, [*trend["as_of"], *trend["forecast"]], lang, axis="yaxis")
    return apply_theme(fig, lang, height=420)


def milestones_on_timeline(
    fig: go.Figure, milestones: pd.DataFrame, labels: pd.Series, lang: str = "fr"
) -> go.Figure:
    """Add milestone diamonds (forecast, or actual when reached) on a project timeline whose
    y labels are ``labels`` (project_id -> label)."""
    m = milestones[milestones["project_id"].isin(labels.index)]
    when = m["actual_date"].fillna(m["forecast_date"]).fillna(m["baseline_date"])
    late = (m["forecast_date"] - m["baseline_date"]).dt.days > 30
    late = late.fillna(False).to_numpy(dtype=bool)
    hover = (
        m["name"].fillna("").to_numpy(dtype=object)
        + " · "
        + np.array(fmt_dates(when, lang), dtype=object)
    )
    y = m["project_id"].map(labels).to_numpy(dtype=object)
    # Two traces of one colour each: a per-point colour list is validated point by point
    # by plotly (10,000 milestones: seconds).
    for mask, name, color in (
        (~late, t("Milestones", lang), "#1f2933"),
        (late, t("Milestones more than 30 days late", lang), "#d64541"),
    ):
        fig.add_scatter(
            x=when.to_numpy()[mask],
            y=y[mask],
            mode="markers",
            name=name,
            marker={
                "symbol": "diamond",
                "size": 10,
                "line": {"width": 1, "color": "white"},
                "color": color,
            },
            hovertext=hover[mask],
            hoverinfo="text",
        )
    return fig
