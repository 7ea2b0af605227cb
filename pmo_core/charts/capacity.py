"""Capacity charts: the role x month utilisation heat map in bands.

Columns:
    load: capacity.utilisation_by_role_month output (role, month, demand_hours,
        capacity_hours, utilisation, unbounded), or any frame with these columns keyed by
        another row column (``key``: e.g. a resource label)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import BAND_COLORS, apply_theme
from pmo_core.i18n import colon, fmt_month, fmt_pct, t

# Band codes on the z axis: 0 < 80 %, 1 80-100 %, 2 > 100 %, 3 no capacity.
BANDS = ("low", "ok", "over", "none")


def utilisation_heatmap(
    load: pd.DataFrame, lang: str = "fr", key: str = "role", title: str | None = None
) -> go.Figure:
    """Rows = roles (or resources), columns = months, colour = utilisation band; a click on
    a cell selects its marker, whose customdata is ``[row, "YYYY-MM-DD"]``."""
    rows, cols = sorted(load[key].astype(str).unique()), sorted(load["month"].unique())
    grid = load.assign(**{key: load[key].astype(str)}).set_index([key, "month"])
    # A cell with demand and no capacity has no utilisation (NaN) but must still show.
    u = grid["utilisation"].unstack("month").reindex(index=rows, columns=cols)
    unb = grid["unbounded"].unstack("month").reindex(index=rows, columns=cols)
    unb = unb.fillna(False).astype(bool)
    band = np.select(
        [unb.to_numpy(), u.to_numpy() > 1.0, u.to_numpy() >= 0.8], [3, 2, 1], default=0
    ).astype(float)
    band[np.isnan(u.to_numpy()) & ~unb.to_numpy()] = np.nan
    text = [
        [
            (t("no capacity", lang) if b else fmt_pct(v, lang, 0, ratio=True))
            if not (np.isnan(v) and not b)
            else ""
            for v, b in zip(row_u, row_b, strict=True)
        ]
        for row_u, row_b in zip(u.to_numpy(), unb.to_numpy(), strict=True)
    ]
    months = [fmt_month(m, lang) for m in u.columns]
    colors = [BAND_COLORS[b] for b in BANDS]
    scale = [
        [0, colors[0]],
        [0.25, colors[0]],
        [0.25, colors[1]],
        [0.5, colors[1]],
        [0.5, colors[2]],
        [0.75, colors[2]],
        [0.75, colors[3]],
        [1, colors[3]],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=band,
            x=months,
            y=[str(i) for i in u.index],
            text=text,
            texttemplate="%{text}",
            zmin=-0.5,
            zmax=3.5,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            hoverinfo="skip",
        )
    )
    # An almost invisible square per cell on top: scatter points can be clicked (a heat
    # map's cells cannot), and their customdata says which cell: [row, "YYYY-MM-DD"].
    r_idx, c_idx = np.nonzero(~np.isnan(band))
    fig.add_scatter(
        x=[months[c] for c in c_idx],
        y=[str(u.index[r]) for r in r_idx],
        customdata=[
            [str(u.index[r]), str(u.columns[c].date())] for r, c in zip(r_idx, c_idx, strict=True)
        ],
        text=[text[r][c] for r, c in zip(r_idx, c_idx, strict=True)],
        mode="markers",
        marker={"symbol": "square", "size": 22, "opacity": 0.01, "color": "#000"},
        showlegend=False,
        hovertemplate="%{y} · %{x}" + colon(lang) + "%{text}<extra></extra>",
    )
    fig.update_layout(
        title=title or t("Utilisation by role and month", lang),
        yaxis={"autorange": "reversed"},
        xaxis={"side": "top"},
        margin={"t": 120},
        height=max(320, 34 * len(u.index) + 180),
    )
    labels = (
        "< " + fmt_pct(80, lang),
        "80-" + fmt_pct(100, lang),
        "> " + fmt_pct(100, lang),
        t("no capacity", lang),
    )
    for b, label in zip(BANDS, labels, strict=True):
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=label,
            marker={"size": 12, "color": BAND_COLORS[b], "symbol": "square"},
        )
    return apply_theme(fig, lang)
