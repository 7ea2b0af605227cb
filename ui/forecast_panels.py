"""The Forecasts page's parts: the portfolio's headline, the calibration sentence and
the per-project table, from the ``forecast`` document (:mod:`pmo_core.forecast`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import i18n
from ui import format as fmt
from ui.format import t


def headline(doc: dict[str, Any]) -> None:
    """Three cards: the portfolio's median and P80 EAC, the probability within budget."""
    p = doc["portfolio"]
    c0, c1, c2, c3 = st.columns(4)
    c0.metric(
        t("Budget of the running projects"),
        fmt.money(p["budget"]),
        help=t("Sum of the BAC of the {n} running projects forecast.", n=fmt.number(p["projects"])),
    )
    c1.metric(t("Portfolio EAC, median"), fmt.money(p["eac_p50"]))
    c2.metric(
        t("Portfolio EAC, P80"),
        fmt.money(p["eac_p80"]),
        help=t("EAC not exceeded in 4 cases out of 5 (percentile of the sum of draws)."),
    )
    c3.metric(
        t("Within budget"),
        fmt.pct(p["prob_within_budget"], 0, True),
        help=t(
            "Probability that the total cost at completion of the {n} running projects stays "
            "within their budget of {budget}.",
            n=fmt.number(p["projects"]),
            budget=fmt.money(p["budget"]),
        ),
    )
    if p["left_out"]:
        st.caption(
            t(
                "{n} running project(s) left out: no EAC or no progress data.",
                n=fmt.number(p["left_out"]),
            )
        )


def calibration_sentence(doc: dict[str, Any]) -> str:
    """What the backtest says, or that the prior is used and why."""
    c = doc["calibration"]
    fitted = [r for r in c["by_class"] if r["reference_class"] != "prior"]
    if not fitted:
        return t(
            "No past forecast has a known outcome yet: the spreads come from the prior "
            "({source}). They will come from your history once 30 projects at a stage have "
            "completed.",
            source=t(doc["prior"]),
        )
    return t(
        "Of {n} past forecasts, {below} finished at or below their P80 and {within} inside "
        "their P10-P90.",
        n=fmt.number(c["forecasts"]),
        below=fmt.pct(c["share_below_p80"], 0, True),
        within=fmt.pct(c["share_within_p10_p90"], 0, True),
    )


def project_table(doc: dict[str, Any], names: pd.Series, eac: pd.Series) -> pd.DataFrame:
    """One row per running project, formatted for reading (n/a where undefined): the
    EVM point forecast beside its P50 and P80, the probabilities, the class and how many
    outcomes it holds."""
    rows = []
    for r in doc["projects"]:
        rc = r["reference_class"]
        label = i18n.na(fmt.lang()) if rc is None else t(rc)
        if r["observations"]:
            label = f"{label} ({fmt.number(r['observations'])})"
        rows.append(
            {
                t("Project"): f"{r['project_id']} · {names.get(r['project_id'], '')}",
                t("EAC (EVM)"): fmt.money(eac.get(r["project_id"])),
                t("EAC P50"): fmt.money(r["eac_p50"]),
                t("EAC P80"): fmt.money(r["eac_p80"]),
                t("P(≤ BAC)"): fmt.pct(r["prob_within_bac"], 0, True),
                t("Finish P50"): fmt.date(r["finish_p50"]),
                t("Finish P80"): fmt.date(r["finish_p80"]),
                t("P(on time)"): fmt.pct(r["prob_by_baseline_finish"], 0, True),
                t("Reference class"): label,
            }
        )
    return pd.DataFrame(rows)


def column_help() -> dict[str, Any]:
    """Column tooltips for the table's short headers."""
    return {
        t("EAC (EVM)"): st.column_config.TextColumn(
            help=t("Estimate at completion by earned value: BAC / CPI (n/a without a CPI).")
        ),
        t("P(≤ BAC)"): st.column_config.TextColumn(
            help=t("Probability that the cost at completion stays within the budget (BAC).")
        ),
        t("P(on time)"): st.column_config.TextColumn(
            help=t("Probability of finishing by the baseline finish date.")
        ),
        t("Reference class"): st.column_config.TextColumn(
            help=t(
                "The past projects whose outcomes spread this forecast: stage (EV / BAC), "
                "then programme or department; in brackets, how many outcomes."
            )
        ),
    }
