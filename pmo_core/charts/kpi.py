"""Charts of the KPI pages: EVM S-curve, value vs cost bubbles, risk matrix.

Columns:
    s_curve: status_reports of one project (report_date, planned_value, earned_value,
        actual_cost) and its EVM row (bac, eac, forecast_finish, end_date)
    value_cost_bubble: snapshot_kpis rows (project_id, name, bac, alignment_score, rag)
    risk_heatmap: risk.risk_matrix output (probability level 5..1 x impact level 1..5)
    exposure_trend_chart, project_exposure_trend_chart: as_of, project_id, risk_exposure
    exposure_by_project_bar: risk.exposure_by_project output (index project_id, the
        measure column: risk_exposure in money or risk_score for a register of levels)
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pmo_core.charts.theme import (
    NO_RAG,
    PALETTE,
    RAG_COLORS,
    apply_theme,
    date_axis,
    money_axis,
    month_axis,
)
from pmo_core.i18n import colon, fmt_date, fmt_dates, fmt_money, fmt_number, t


def evm_s_curve(
    reports: pd.DataFrame, evm: pd.Series, lang: str = "fr", currency: str = "EUR"
) -> go.Figure:
    """PV, EV and AC over the status reports, with the EAC projection to the forecast end."""
    r = reports.sort_values("report_date")
    fig = go.Figure()
    dates = fmt_dates(r["report_date"], lang)
    for col, name, color in (
        ("planned_value", t("Planned value (PV)", lang), "#3f88c5"),
        ("earned_value", t("Earned value (EV)", lang), "#2e9e5b"),
        ("actual_cost", t("Actual cost (AC)", lang), "#d64541"),
    ):
        fig.add_scatter(
            x=r["report_date"],
            y=r[col],
            name=name,
            mode="lines+markers",
            line={"color": color, "width": 3},
            hovertext=[
                f"{d}{colon(lang)}{fmt_money(v, lang, currency, compact=True)}"
                for d, v in zip(dates, r[col], strict=True)
            ],
            hoverinfo="text+name",
        )
    end = None
    if len(r) and pd.notna(evm.get("eac")):
        end = evm.get("forecast_finish")
        end = end if pd.notna(end) else evm.get("end_date")
        fig.add_scatter(
            x=[r["report_date"].iloc[-1], end],
            y=[r["actual_cost"].iloc[-1], evm["eac"]],
            name=t("EAC projection", lang),
            mode="lines",
            line={"color": "#d64541", "dash": "dot"},
            hovertext=[
                f"{fmt_date(x, lang)}{colon(lang)}{fmt_money(y, lang, currency, compact=True)}"
                for x, y in (
                    (r["report_date"].iloc[-1], r["actual_cost"].iloc[-1]),
                    (end, evm["eac"]),
                )
            ],
            hoverinfo="text+name",
        )
    if pd.notna(evm.get("bac")):
        fig.add_hline(
            y=evm["bac"],
            line_dash="dash",
            line_color="#52606d",
            annotation_text=t(
                "BAC {amount}", lang, amount=fmt_money(evm["bac"], lang, currency, True)
            ),
        )
    fig.update_layout(title=t("Earned value S-curve", lang), yaxis_title=None)
    amounts = [*r["planned_value"], *r["earned_value"], *r["actual_cost"], evm.get("eac")]
    money_axis(fig, [*amounts, evm.get("bac")], lang, currency)
    month_axis(fig, [*r["report_date"], end], lang)
    return apply_theme(fig, lang, height=380)


def value_cost_bubble(kpis: pd.DataFrame, lang: str = "fr", currency: str = "EUR") -> go.Figure:
    """Alignment (value) vs budget (cost), bubble size budget, colour RAG; click = project."""
    k = kpis.dropna(subset=["bac"])
    fig = go.Figure()
    for rag, label in (("G", "Green"), ("A", "Amber"), ("R", "Red"), (None, "No rating")):
        part = k[k["rag"] == rag] if rag else k[k["rag"].isna()]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["bac"],
            y=part["alignment_score"],
            mode="markers",
            name=t(label, lang),
            marker={
                "size": (part["bac"] / k["bac"].max() * 40).clip(lower=8),
                "color": RAG_COLORS.get(rag, NO_RAG) if rag else NO_RAG,
                "line": {"width": 1, "color": "white"},
                "opacity": 0.85,
            },
            customdata=part["project_id"],
            hovertext=[
                f"{pid} · {name}<br>{t('Budget', lang)}{colon(lang)}"
                f"{fmt_money(b, lang, currency, compact=True)}<br>"
                f"{t('Alignment score', lang)}{colon(lang)}{fmt_number(a, lang)}"
                for pid, name, b, a in zip(
                    part["project_id"],
                    part["name"],
                    part["bac"],
                    part["alignment_score"],
                    strict=True,
                )
            ],
            hoverinfo="text",
        )
    fig.update_layout(
        title=t("Value vs cost", lang),
        xaxis_title=t("Budget", lang),
        yaxis_title=t("Alignment score", lang),
    )
    money_axis(fig, k["bac"], lang, currency, axis="xaxis")
    return apply_theme(fig, lang, height=400)


def risk_heatmap(matrix: pd.DataFrame, lang: str = "fr") -> go.Figure:
    """5x5 probability x impact matrix of open risks (counts), green to red."""
    z = matrix.to_numpy()
    score = [[p * i for i in matrix.columns] for p in matrix.index]
    fig = go.Figure(
        go.Heatmap(
            z=score,
            x=[str(c) for c in matrix.columns],
            y=[str(r) for r in matrix.index],
            text=z,
            texttemplate="%{text}",
            showscale=False,
            zmin=1,
            zmax=25,
            colorscale=[[0, "#2e9e5b"], [0.35, "#f0a202"], [1, "#d64541"]],
            hoverinfo="skip",
        )
    )
    # An almost invisible square per cell on top: scatter points can be clicked (a
    # heat map's cells cannot), and their customdata says which cell.
    cells = [(p, i) for p in matrix.index for i in matrix.columns]
    fig.add_scatter(
        x=[str(i) for _, i in cells],
        y=[str(p) for p, _ in cells],
        customdata=[[int(p), int(i)] for p, i in cells],
        text=[int(matrix.loc[p, i]) for p, i in cells],
        mode="markers",
        marker={"symbol": "square", "size": 46, "opacity": 0.01, "color": "#000"},
        showlegend=False,
        hovertemplate=t("Probability", lang)
        + " %{y} · "
        + t("Impact", lang)
        + " %{x}"
        + colon(lang)
        + "%{text}<extra></extra>",
    )
    fig.update_layout(
        title=t("Open risks: probability x impact", lang),
        # Levels 1-5 as categories: every level ticked (a linear axis ticks 2 and 4 only).
        xaxis={
            "title": t("Impact", lang),
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(c) for c in sorted(matrix.columns)],
        },
        yaxis={  # level 1 at the bottom, 5 on top
            "title": t("Probability", lang),
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(r) for r in sorted(matrix.index)],
        },
    )
    return apply_theme(fig, lang, height=380)


def exposure_trend_chart(
    trend: pd.DataFrame, names: pd.Series, lang: str = "fr", currency: str = "EUR"
) -> go.Figure:
    """The portfolio's risk exposure across snapshots (trend: as_of, project_id,
    risk_exposure): one line, one money axis (the projects are
    :func:`project_exposure_trend_chart`: a total and its parts on one axis would flatten
    the parts, on two axes would mislead)."""
    fig = go.Figure()
    if trend.empty:
        return apply_theme(fig, lang, height=360)
    total = trend.groupby("as_of")["risk_exposure"].sum(min_count=1)  # levels: n/a, not 0
    fig.add_scatter(
        x=total.index,
        y=total.to_numpy(),
        name=t("Portfolio", lang),
        mode="lines+markers",
        line={"color": "#1f3a5f", "width": 4},
        hovertext=[fmt_money(v, lang, currency) for v in total],
        hoverinfo="text+name",
    )
    fig.update_layout(
        title=t("Portfolio exposure", lang),
        xaxis_title=t("Snapshot date", lang),
        yaxis={"rangemode": "tozero"},
        showlegend=False,
    )
    money_axis(fig, total, lang, currency)
    date_axis(fig, total.index, lang)
    return apply_theme(fig, lang, height=360)


def project_exposure_trend_chart(
    trend: pd.DataFrame, names: pd.Series, lang: str = "fr", currency: str = "EUR", top: int = 5
) -> go.Figure:
    """Risk exposure across snapshots of the ``top`` projects with the largest exposure in
    the last snapshot, on one money axis."""
    fig = go.Figure()
    if trend.empty:
        return apply_theme(fig, lang, height=360)
    last = trend[trend["as_of"] == trend["as_of"].max()]
    leaders = last.nlargest(top, "risk_exposure")["project_id"]
    shown = trend[trend["project_id"].isin(leaders)]
    for n, pid in enumerate(leaders):
        g = shown[shown["project_id"] == pid].sort_values("as_of")
        fig.add_scatter(
            x=g["as_of"],
            y=g["risk_exposure"],
            name=f"{pid} · {names.get(pid, '')}"[:40],
            mode="lines+markers",
            line={"color": PALETTE[n % len(PALETTE)], "width": 2},
            hovertext=[fmt_money(v, lang, currency) for v in g["risk_exposure"]],
            hoverinfo="text+name",
        )
    fig.update_layout(
        title=t("Largest project exposures", lang),
        xaxis_title=t("Snapshot date", lang),
        yaxis={"rangemode": "tozero"},
    )
    money_axis(fig, shown["risk_exposure"], lang, currency)
    date_axis(fig, shown["as_of"], lang)
    return apply_theme(fig, lang, height=360)


def exposure_by_project_bar(
    by_project: pd.DataFrame,
    names: pd.Series,
    measure: str,
    lang: str = "fr",
    currency: str = "EUR",
    top: int = 20,
) -> go.Figure:
    """Horizontal bars of the ``top`` projects by exposure (money) or risk score
    (``measure``), the largest on top; a bar's customdata is its project id."""
    b = by_project[by_project[measure].notna()].sort_values(measure, ascending=False).head(top)
    money = measure == "risk_exposure"
    labels = [f"{i} · {names.get(i, '')}"[:40] for i in b.index]
    values = b[measure].to_numpy(dtype="float64")
    text = [
        fmt_money(v, lang, currency, compact=True) if money else fmt_number(v, lang) for v in values
    ]
    word = t("Exposure" if money else "Risk score", lang)
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": PALETTE[0]},
            customdata=list(b.index),
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"{lb}<br>{word}{colon(lang)}{v}" for lb, v in zip(labels, text, strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.update_layout(
        title=t("Exposure by project", lang),
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        xaxis_title=word,
    )
    if money:
        money_axis(fig, values, lang, currency, axis="xaxis")
    return apply_theme(fig, lang, height=max(320, 24 * len(b) + 120))
