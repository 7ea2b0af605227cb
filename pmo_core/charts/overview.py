"""Overview charts: projects by status and programme, the portfolio timeline.

Columns:
    projects: the canonical Projects frame (project_id, name, program, status,
        start_date, end_date, forecast_end_date, budget)
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import apply_theme, count_axis, month_axis, series_colors
from pmo_core.i18n import colon, fmt_date, fmt_dates, fmt_money, t
from pmo_core.kpi.rag_rules import NO_RATING, RATED_STATUSES
from pmo_core.schema import STATUSES


def status_by_programme_bar(projects: pd.DataFrame, lang: str = "fr") -> go.Figure:
    """Stacked horizontal bars: number of projects per programme, one colour per status."""
    counts = (
        projects.assign(program=projects["program"].fillna(t("(none)", lang)))
        .groupby(["program", "status"])
        .size()
        .unstack(fill_value=0)
    )
    fig = go.Figure()
    # Blues and greys only: a status is not a weather (no red, orange or green).
    colors = {
        "proposed": "#c3cfe2",
        "approved": "#7fa7d6",
        "in_progress": "#1f3b57",
        "on_hold": "#6b4c9a",
        "completed": "#5b7083",
        "cancelled": "#cbd2d9",
    }
    for status in STATUSES:
        if status not in counts:
            continue
        fig.add_bar(
            y=counts.index,
            x=counts[status],
            name=t(status, lang),
            orientation="h",
            marker_color=colors[status],
            hovertemplate="%{y}<br>" + t(status, lang) + colon(lang) + "%{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=t("Projects by programme and status", lang),
        xaxis_title=None,
        yaxis={"autorange": "reversed"},
    )
    count_axis(fig, counts.sum(axis=1).max() if len(counts) else 0)
    return apply_theme(fig, lang, height=320)


def timeline_gantt(
    projects: pd.DataFrame, as_of: object, lang: str = "fr", currency: str = "EUR"
) -> go.Figure:
    """One bar per project from start to (forecast) end, coloured by programme, grouped by
    programme, with the as-of date as a vertical line."""
    p = projects.dropna(subset=["start_date", "end_date"]).copy()
    p["finish"] = p["forecast_end_date"].fillna(p["end_date"])
    p["finish"] = p[["finish", "end_date"]].max(axis=1)
    p["program"] = p["program"].fillna(t("(none)", lang))
    p = p.sort_values(["program", "start_date"])
    fig = go.Figure()
    # Words translated once, not once per project (2,000 projects: hundreds of ms).
    status_word = t("Status", lang) + colon(lang)
    budget_word = t("Budget", lang) + colon(lang)
    statuses = {s: t(s, lang) for s in p["status"].dropna().unique()}
    colors = series_colors(p["program"])  # fixed per programme name, not per position
    for prog, grp in p.groupby("program", sort=True):
        labels = grp["project_id"] + " · " + grp["name"].str.slice(0, 38)
        hover = [
            f"<b>{n}</b><br>{status_word}{statuses.get(s, '')}<br>{a} → {b}<br>{budget_word}"
            f"{fmt_money(c, lang, currency, compact=True)}"
            for n, s, a, b, c in zip(
                grp["name"],
                grp["status"],
                fmt_dates(grp["start_date"], lang),
                fmt_dates(grp["finish"], lang),
                grp["budget"],
                strict=True,
            )
        ]
        duration_ms = (grp["finish"] - grp["start_date"]).dt.total_seconds() * 1000
        fig.add_bar(
            y=labels,
            x=duration_ms,
            base=grp["start_date"],
            orientation="h",
            name=str(prog),
            marker_color=colors[str(prog)],
            hovertext=hover,
            hoverinfo="text",
            customdata=grp["project_id"],
        )
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line_dash="dash", line_color="#d64541")
    fig.add_annotation(
        x=pd.Timestamp(as_of),
        y=1,
        yref="paper",
        showarrow=False,
        text=t("as of {date}", lang, date=fmt_date(as_of, lang)),
        font={"color": "#d64541"},
        yanchor="bottom",
    )
    fig.update_layout(
        title=t("Portfolio timeline", lang),
        barmode="overlay",
        xaxis={"type": "date"},
        yaxis={"autorange": "reversed", "title": None, "tickfont": {"size": 11}},
        height=max(360, 22 * len(p) + 120),
    )
    month_axis(fig, [*p["start_date"], *p["finish"], as_of], lang)
    return apply_theme(fig, lang)


def rag_by_group_bar(kpis: pd.DataFrame, group: str, lang: str = "fr") -> go.Figure:
    """Running projects per programme (or direction), stacked by RAG colour; a running
    project that no dimension rates (no data) is a grey "No rating" bar, not left out."""
    from pmo_core.charts.theme import NO_RAG, RAG_COLORS

    unrated = kpis["status"].isin(RATED_STATUSES) & kpis["rag"].isna()
    k = kpis[kpis["rag"].notna() | unrated].assign(**{group: kpis[group].fillna(t("(none)", lang))})
    k = k.assign(rag=k["rag"].fillna(""))
    counts = k.groupby([group, "rag"]).size().unstack(fill_value=0)
    fig = go.Figure()
    for code, label in (("R", "Red"), ("A", "Amber"), ("G", "Green"), ("", NO_RATING)):
        if code in counts:
            fig.add_bar(
                y=counts.index,
                x=counts[code],
                name=t(label, lang),
                orientation="h",
                marker_color=RAG_COLORS[code] if code else NO_RAG,
                hovertemplate="%{y}<br>" + t(label, lang) + colon(lang) + "%{x}<extra></extra>",
            )
    title = "Weather by programme" if group == "program" else "Weather by direction"
    fig.update_layout(
        barmode="stack",
        title=t(title, lang),
        yaxis={"autorange": "reversed"},
        legend={"traceorder": "normal"},  # Rouge, Orange, Vert: the order of the bars
    )
    count_axis(fig, counts.sum(axis=1).max() if len(counts) else 0)
    return apply_theme(fig, lang, height=300)
