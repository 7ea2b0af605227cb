"""Schedule risk charts (Import page, after a schedule file is read): the distribution
of the simulated finish dates with its S-curve, and the drivers' tornado.

Columns:
    draws: every draw's finish date (``simulate(..., with_draws=True)["finish_draws"]``)
    drivers: the document's ``drivers`` rows (activity_id, correlation)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import apply_theme, date_axis, nice_ticks
from pmo_core.i18n import colon, fmt_date, fmt_dates, fmt_number, fmt_pct, is_missing, t

#: The vertical lines drawn over the histogram: document key, label, colour, dash.
MARKS = (
    ("deterministic_finish", "Planned finish", "#6c757d", "dot"),
    ("finish_p50", "P50", "#3f88c5", "solid"),
    ("finish_p80", "P80", "#1f3b57", "solid"),
    ("baseline_finish", "Baseline finish", "#d64541", "dash"),
)


def finish_distribution(draws: np.ndarray) -> pd.DataFrame:
    """Per finish date drawn: its share of the draws and the cumulative share (the
    S-curve: the probability of finishing on or before that day).

    >>> d = np.array(["2026-01-16", "2026-01-20", "2026-01-20", "2026-01-21"], "datetime64[D]")
    >>> finish_distribution(d)["cumulative"].tolist()
    [0.25, 0.75, 1.0]
    """
    days = pd.Series(pd.to_datetime(np.asarray(draws, dtype="datetime64[D]")))
    if days.empty:
        return pd.DataFrame(columns=["date", "share", "cumulative"])
    counts = days.value_counts().sort_index()
    share = counts.to_numpy(float) / len(days)
    return pd.DataFrame({"date": counts.index, "share": share, "cumulative": np.cumsum(share)})


def finish_histogram(doc: Mapping[str, Any], lang: str = "fr") -> go.Figure:
    """Bars: the share of draws finishing each day; a line on the right axis: the
    probability of finishing by that day; vertical lines: the schedule's own finish,
    P50, P80 and the baseline finish when there is one."""
    dist = finish_distribution(doc.get("finish_draws", np.array([], "datetime64[D]")))
    labels = fmt_dates(dist["date"], lang)
    fig = go.Figure()
    fig.add_bar(
        x=dist["date"],
        y=dist["share"],
        name=t("Draws finishing that day", lang),
        marker_color="#9ec5e8",
        hovertext=[
            f"{d}{colon(lang)}{fmt_pct(s, lang, 1, True)}"
            for d, s in zip(labels, dist["share"], strict=True)
        ],
        hoverinfo="text",
    )
    fig.add_scatter(
        x=dist["date"],
        y=dist["cumulative"],
        name=t("Finished by that day", lang),
        mode="lines",
        line={"color": "#1f3b57", "shape": "hv"},
        yaxis="y2",
        hovertext=[
            f"{d}{colon(lang)}{fmt_pct(c, lang, 0, True)}"
            for d, c in zip(labels, dist["cumulative"], strict=True)
        ],
        hoverinfo="text",
    )
    marked = []
    for key, label, color, dash in MARKS:
        when = doc.get(key)
        if is_missing(when):
            continue
        marked.append(when)
        x = pd.Timestamp(when)
        fig.add_vline(x=x.timestamp() * 1000, line_dash=dash, line_color=color)
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            showarrow=False,
            text=f"{t(label, lang)} {fmt_date(when, lang)}",
            font={"color": color, "size": 10},
            textangle=-90,
            xanchor="right",
            yanchor="top",
        )
    fig.update_layout(
        title=t("Simulated finish dates", lang),
        xaxis={"type": "date"},
        yaxis={
            "title": None,
            "rangemode": "tozero",
            **_pct_ticks(nice_ticks(0.0, float(dist["share"].max()) if len(dist) else 1.0), lang),
        },
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "showgrid": False,
            **_pct_ticks([0.0, 0.25, 0.5, 0.8, 1.0], lang),
        },
        bargap=0.1,
    )
    date_axis(fig, [*dist["date"], *marked], lang)
    return apply_theme(fig, lang, height=360)


def _pct_ticks(values: list[float], lang: str) -> dict[str, Any]:
    """Percent ticks written in the user's language (12 % / 12%), with one decimal
    when a tick needs it (2,5 %).

    >>> _pct_ticks([0.0, 0.025, 0.05], "fr")["ticktext"]
    ['0,0\xa0%', '2,5\xa0%', '5,0\xa0%']
    """
    whole = all(abs(v * 100 - round(v * 100)) < 1e-9 for v in values)
    return {
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [fmt_pct(v, lang, 0 if whole else 1, True) for v in values],
    }


def drivers_tornado(
    drivers: list[dict[str, Any]], names: Mapping[str, str], lang: str = "fr"
) -> go.Figure:
    """Horizontal bars, the strongest driver on top: each activity's Spearman rank
    correlation between its drawn duration and the finish."""
    rows = list(reversed(drivers))
    labels = [_label(r["activity_id"], names) for r in rows]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=[r["correlation"] for r in rows],
        orientation="h",
        marker_color="#3f88c5",
        hovertext=[
            f"{lab}{colon(lang)}{fmt_number(r['correlation'], lang, 2)}"
            for lab, r in zip(labels, rows, strict=True)
        ],
        hoverinfo="text",
        name=t("Correlation with the finish", lang),
    )
    fig.update_layout(
        title=t("What drives the finish (rank correlation)", lang),
        xaxis={"range": [0, 1], "title": t("Correlation with the finish", lang)},
        yaxis={"title": None, "tickfont": {"size": 11}},
        showlegend=False,
    )
    return apply_theme(fig, lang, height=max(260, 28 * len(rows) + 120))


def _label(activity_id: str, names: Mapping[str, str]) -> str:
    name = names.get(activity_id)
    return activity_id if name is None or is_missing(name) else f"{activity_id} · {name}"
