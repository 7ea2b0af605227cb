"""Alignment charts: ranked projects, project x objective ratings, spend against weight.

Columns:
    ranked_projects_bar: project_id, name, alignment_score, priority_pct (best first)
    ratings_heatmap: alignment.rating_matrix output (rows projects, columns objectives)
    spend_weight_bar: alignment.spend_by_objective output (objective_id, weight_pct,
        spend, spend_pct) and the objectives' names
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import PALETTE, apply_theme
from pmo_core.i18n import NBSP, colon, fmt_money, fmt_pct, norm_lang, t


def ranked_projects_bar(ranked: pd.DataFrame, lang: str = "fr") -> go.Figure:
    """Horizontal bars, best project on top; a bar's customdata is its project id."""
    labels = (ranked["project_id"] + " · " + ranked["name"].fillna("")).str.slice(0, 42)
    fig = go.Figure(
        go.Bar(
            x=ranked["alignment_score"],
            y=labels,
            orientation="h",
            marker={"color": PALETTE[1]},
            customdata=ranked["project_id"],
            text=[fmt_pct(v, lang, 1) for v in ranked["priority_pct"]],
            textposition="outside",
            hovertemplate="%{y}<br>"
            + t("Alignment score", lang)
            + colon(lang)
            + "%{x:.1f}<br>"
            + t("Priority", lang)
            + colon(lang)
            + "%{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title=t("Projects ranked by alignment", lang),
        xaxis={"title": t("Alignment score", lang), "range": [0, 100]},
        yaxis={"autorange": "reversed"},
    )
    return apply_theme(fig, lang, height=max(320, 24 * len(ranked) + 140))


def ratings_heatmap(
    matrix: pd.DataFrame, project_labels: list[str], objective_labels: list[str], lang: str = "fr"
) -> go.Figure:
    """Ratings 0-9 (blank: not rated), white to dark blue, the rating written in the cell."""
    z = matrix.to_numpy(dtype="float64")
    text = [["" if np.isnan(v) else f"{v:.0f}" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=objective_labels,
            y=project_labels,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=9,
            colorscale=[[0, "#f5f7fa"], [0.34, "#9ecae1"], [0.67, "#3f88c5"], [1, "#1f3b57"]],
            colorbar={"title": {"text": t("Rating", lang)}, "tickvals": [0, 1, 3, 6, 9]},
            xgap=1,
            ygap=1,
            hovertemplate="%{y} · %{x}" + colon(lang) + "%{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title=t("Ratings by project and objective", lang),
        yaxis={"autorange": "reversed"},
        xaxis={"side": "top", "tickangle": -30},
        margin={"t": 150},
    )
    return apply_theme(fig, lang, height=max(320, 22 * len(project_labels) + 200))


def spend_weight_bar(
    spend: pd.DataFrame, names: pd.Series, lang: str = "fr", currency: str = "EUR"
) -> go.Figure:
    """Per objective: its weight (%) beside its share of the spend (%)."""
    labels = spend["objective_id"].map(names).fillna(spend["objective_id"]).tolist()
    pct = "%{y:.1f}" + (NBSP + "%" if norm_lang(lang) == "fr" else "%")
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=spend["weight_pct"],
        name=t("Weight", lang),
        marker={"color": PALETTE[0]},
        hovertemplate="%{x}" + colon(lang) + pct + "<extra></extra>",
    )
    fig.add_bar(
        x=labels,
        y=spend["spend_pct"],
        name=t("Share of spend", lang),
        marker={"color": PALETTE[2]},
        customdata=[fmt_money(v, lang, currency, compact=True) for v in spend["spend"]],
        hovertemplate="%{x}" + colon(lang) + pct + " (%{customdata})<extra></extra>",
    )
    fig.update_layout(
        title=t("Spend by objective against its weight", lang),
        yaxis_title="%",
        barmode="group",
    )
    return apply_theme(fig, lang, height=380)
