"""The pack's forecasts with their confidence (:mod:`pmo_core.forecast`): the portfolio's
EAC P50/P80 and its probability of staying within budget, and the red projects then the
largest P80 overruns with their EAC P50/P80 and finish P80.

The figures are the ``forecast`` document's (:func:`pmo_core.forecast.forecast_document`,
seed 0, :data:`pmo_core.report.data.FORECAST_ITERATIONS` draws, as the app's Forecasts page draws them), so
the pack, the page and the CLI's ``forecast`` agree. Undefined stays undefined: a figure
the forecast cannot give is n/a with the reason beside it.

Columns:
    project_rows(...) -> project_id, name, rag, bac, eac, eac_p50, eac_p80, end_date,
        finish_p80, prob_within_bac, note
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pmo_core.i18n import fmt_money, fmt_number, fmt_pct, t
from pmo_core.report.data import ReportData, list_sep, missing_text

TOP_FORECASTS = 10  # the red projects, then the largest P80 overruns, up to this many

FORECAST_COLUMNS: list[tuple[str, str, str]] = [
    ("project_id", "ID", "text"),
    ("name", "Name", "text"),
    ("rag", "Weather", "rag"),
    ("bac", "Budget (BAC)", "money"),
    ("eac", "Estimate at completion", "money"),
    ("eac_p50", "EAC, median (P50)", "money"),
    ("eac_p80", "EAC, P80", "money"),
    ("end_date", "Baseline finish", "date"),
    ("finish_p80", "Finish, P80", "date"),
    ("prob_within_bac", "Within budget", "pct"),
    ("note", "Remark", "text"),
]


def portfolio_lines(data: ReportData) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the portfolio's EAC P50, P80 and probability within
    budget, as the highlight report's summary prints them ([] without a forecast)."""
    doc, lang, cur = data.forecast, data.lang, data.currency
    if doc is None:
        return []
    p = doc["portfolio"]
    if not p["projects"]:
        why = t("No running project has the figures a forecast needs (EAC and progress).", lang)
        return [(t("Portfolio EAC, P80", lang), fmt_number(None, lang), why)]
    left = (
        t("{n} running project(s) left out: no EAC or no progress data.", lang, n=p["left_out"])
        if p["left_out"]
        else ""
    )
    within = t(
        "Probability that the total cost at completion of the {n} running projects stays "
        "within their budget of {budget}.",
        lang,
        n=fmt_number(p["projects"], lang),
        budget=fmt_money(p["budget"], lang, cur, compact=True),
    )
    return [
        (t("Portfolio EAC, median", lang), fmt_money(p["eac_p50"], lang, cur, compact=True), left),
        (
            t("Portfolio EAC, P80", lang),
            fmt_money(p["eac_p80"], lang, cur, compact=True),
            t("EAC not exceeded in 4 cases out of 5 (percentile of the sum of draws).", lang),
        ),
        (
            t("Within budget", lang),
            fmt_pct(p["prob_within_budget"], lang, 0, ratio=True),
            within,
        ),
    ]


def _note(row: pd.Series, forecast: dict[str, Any] | None, lang: str) -> str:
    if forecast is None:
        return t("not forecast: the project is not running", lang)
    parts = []
    if forecast["eac_p50"] is None or forecast["finish_p80"] is None:
        missing = missing_text(row.get("missing_inputs"), lang)
        parts.append(
            t("n/a for want of data: {what}", lang, what=missing)
            if missing
            else t("n/a: no EAC or no forecast finish", lang)
        )
    if forecast["reference_class"] == "prior":
        parts.append(t("spread by the prior, for want of history", lang))
    return list_sep(lang).join(parts)


def project_rows(data: ReportData) -> pd.DataFrame:
    """The red projects, then the others by P80 overrun (EAC P80 - BAC, largest first),
    up to :data:`TOP_FORECASTS` in all (every red project is listed); see the module's
    Columns. Empty without a forecast."""
    cols = [c for c, _, _ in FORECAST_COLUMNS]
    if data.forecast is None:
        return pd.DataFrame(columns=cols)
    by_id = {p["project_id"]: p for p in data.forecast["projects"]}
    k = data.kpis
    k = k[(k["rag"] == "R") | k["project_id"].isin(list(by_id))].copy()
    for key in ("eac_p50", "eac_p80", "prob_within_bac"):
        k[key] = pd.to_numeric(
            pd.Series([(by_id.get(p) or {}).get(key) for p in k["project_id"]], dtype="object"),
            errors="coerce",
        ).to_numpy(dtype=float)
    k["finish_p80"] = pd.to_datetime(
        [(by_id.get(p) or {}).get("finish_p80") for p in k["project_id"]]
    )
    k["note"] = [_note(r, by_id.get(r["project_id"]), data.lang) for _, r in k.iterrows()]
    k["overrun"] = k["eac_p80"] - k["bac"]
    red = k[k["rag"] == "R"].sort_values(["overrun", "project_id"], ascending=[False, True])
    rest = k[k["rag"] != "R"].dropna(subset=["overrun"])
    rest = rest.sort_values(["overrun", "project_id"], ascending=[False, True])
    rows = pd.concat([red, rest.head(max(TOP_FORECASTS - len(red), 0))])
    return rows[cols].reset_index(drop=True)
