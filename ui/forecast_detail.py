"""A project's forecast in its detail (Projects page): P50/P80 of its cost at completion
and finish, the fan of its cost on the S-curve, the histograms of its draws, and how well
forecasts at its stage held in the past, or that the prior is used and why.

The figures come from the project's draws (:func:`pmo_core.forecast.project_samples`,
the ones the Forecasts page's figures are read off: :class:`pmo_core.forecast.ProjectView`); the calibration is the ``forecast`` document's
(:func:`ui.loaders.forecast`, cached, shared with the Forecasts page and the Overview)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from pmo_core.forecast.prior import MIN_OBSERVATIONS
from ui import format as fmt
from ui import loaders
from ui.format import t

if TYPE_CHECKING:
    from pmo_core.forecast import ProjectView
    from pmo_core.store import Snapshot


def s_curve(snap: Snapshot, pid: str, s: ProjectView, lang: str) -> None:
    """The S-curve of project ``pid``, with the fan of the cost from the status date when
    there is one (its forecast ``s``); the figure built once (``loaders.project_s_curve``)."""
    fan = s.fan
    fig = loaders.project_s_curve(snap.snapshot_id, loaders.db(), pid, lang)
    st.plotly_chart(fig, width="stretch", key="projects_s_curve")
    if fan is not None:
        st.caption(
            t(
                "The band runs from the P10 cost reached on the P10 finish to the P90 cost "
                "reached on the P90 finish, spent evenly from the status date ({date}); the "
                "lines are the P50 and P80 paths.",
                date=fmt.date(s.as_of),
            )
        )


def forecast(snap: Snapshot, s: ProjectView, lang: str) -> None:
    """The forecast's figures, its calibration sentence and the two histograms; n/a and
    why for a project without a forecast (no chart)."""
    st.markdown(f"**{t('Forecast with its confidence')}**")
    if s.reference_class is None:
        st.info(t("No forecast") + " · " + t(s.reason or ""))
        return
    q = s.quantiles
    doc = loaders.forecast(snap.snapshot_id, loaders.db(), None)
    row = next((p for p in doc["projects"] if p["project_id"] == s.project_id), {})
    cost, finish = st.columns(3), st.columns(3)
    cost[0].metric(t("EAC P50"), fmt.money(q["eac_p50"]), help=t(P50_HELP))
    cost[1].metric(t("EAC P80"), fmt.money(q["eac_p80"]), help=t(P80_HELP))
    cost[2].metric(
        t("P(≤ BAC)"),
        fmt.pct(row.get("prob_within_bac"), 0, True),
        help=t("Probability that the cost at completion stays within the budget (BAC)."),
    )
    finish[0].metric(t("Finish P50"), fmt.date(q["finish_p50"]), help=t(P50_HELP))
    finish[1].metric(t("Finish P80"), fmt.date(q["finish_p80"]), help=t(P80_HELP))
    finish[2].metric(
        t("P(on time)"),
        fmt.pct(row.get("prob_by_baseline_finish"), 0, True),
        help=t("Probability of finishing by the baseline finish date."),
    )
    if s.reason:
        st.caption(t("Why n/a") + " · " + t(s.reason))
    st.info(calibration_sentence(doc, s))
    left, right = st.columns(2)
    marks = [
        ("P50 " + fmt.money(q["eac_p50"]), q["eac_p50"]),
        ("P80 " + fmt.money(q["eac_p80"]), q["eac_p80"]),
    ]
    if not pd.isna(s.bac):
        marks.append((t("BAC {amount}", amount=fmt.money(s.bac)), s.bac))
    dates: list[tuple[str, Any]] = [
        ("P50 " + fmt.date(q["finish_p50"]), q["finish_p50"]),
        ("P80 " + fmt.date(q["finish_p80"]), q["finish_p80"]),
    ]
    if not pd.isna(s.baseline_finish):
        dates.append((t("Baseline") + " " + fmt.date(s.baseline_finish), s.baseline_finish))
    # Built once per project, language and marks (their words are the session's).
    cost, finish = loaders.project_histograms(
        snap.snapshot_id, loaders.db(), s.project_id, lang, tuple(marks), tuple(dates)
    )
    if cost is not None:
        left.plotly_chart(cost, width="stretch", key="projects_eac_histogram")
    if finish is not None:
        right.plotly_chart(finish, width="stretch", key="projects_finish_histogram")


P50_HELP = "Median of the draws: as likely to be exceeded as not."
P80_HELP = "Not exceeded in 4 draws out of 5."


def calibration_sentence(doc: dict[str, Any], s: ProjectView) -> str:
    """How well past forecasts at the project's stage held (the backtest, per stage
    band), and where this project's spread comes from: its reference class's outcomes,
    or the prior and why."""
    cal = doc["calibration"]
    if s.reference_class == "prior":
        why = t(
            "Fewer than {min} outcomes of past projects at this stage ({band}): the spread "
            "comes from the prior ({source}).",
            min=MIN_OBSERVATIONS,
            band=s.band,
            source=t(doc["prior"]),
        )
        past = _entry(cal, "prior")
        if past is None:
            return why + " " + t("No forecast made with the prior has a known outcome yet.")
        return (
            why
            + " "
            + t(
                "Of {n} past forecast(s) made with the prior, {below} finished at or below "
                "their P80.",
                n=fmt.number(past["forecasts"]),
                below=fmt.pct(past["share_below_p80"], 0, True),
            )
        )
    source = t(
        "The spread comes from {n} outcome(s) of past projects of its reference class ({label}).",
        n=fmt.number(s.observations),
        label=s.reference_class,
    )
    past = _entry(cal, s.band)
    if past is None:
        return source + " " + t("No past forecast at this stage has been checked yet.")
    return (
        t(
            "Of {n} past forecast(s) at this stage ({band}), {below} finished at or below their "
            "P80 and {within} inside their P10-P90.",
            n=fmt.number(past["forecasts"]),
            band=s.band,
            below=fmt.pct(past["share_below_p80"], 0, True),
            within=fmt.pct(past["share_within_p10_p90"], 0, True),
        )
        + " "
        + source
    )


def _entry(cal: dict[str, Any], key: str | None) -> dict[str, Any] | None:
    """The backtest's line for a stage band (or "prior"), None without one."""
    return next(
        (r for r in cal["by_class"] if r["reference_class"] == key and r["forecasts"]), None
    )
