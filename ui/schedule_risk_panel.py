"""Schedule risk of a validated schedule file (Import page, beside the DCMA checks).

A button runs the Monte Carlo over each project's logic network
(:func:`pmo_core.forecast.schedule_risk.simulate`, seed 0, cached by the file's hash
and the number of iterations in :func:`ui.loaders.schedule_risk`); then, per project:
the P50 and P80 finish beside the schedule's own finish, the probability of finishing
by the baseline finish, the finish dates' histogram and S-curve, the activities most
often critical and the drivers' tornado, and where the three-point durations came from.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.charts import schedule_risk as charts
from pmo_core.forecast import schedule_risk as sr
from pmo_core.ingest import IngestResult
from ui import format as fmt
from ui import loaders
from ui.format import t

#: Activities listed by criticality index.
TOP_CRITICAL = 15
DEFAULT_ITERATIONS = 1_000
RUN = "_schedule_risk_run"  # session: (file hash, iterations) of the last run asked


def file_digest(files: list[tuple[str, bytes]]) -> str:
    """One hash for the files validated together (names and contents)."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def durations_sentence(source: str | None) -> str:
    """Where the three-point durations came from, in words."""
    lo, mode, hi = (fmt.pct(s, 0, True) for s in sr.DEFAULT_SPREAD)
    default = t(
        "each remaining duration is drawn from a triangular law from {lo} to {hi} of the "
        "planned duration, most likely {mode} (the documented default spread, skewed to "
        "overruns as AACE RP 41R-08 advises)",
        lo=lo,
        hi=hi,
        mode=mode,
    )
    if source == "file":
        return t("Three-point durations: the file's optimistic and pessimistic durations.")
    if source == "file and default":
        return t(
            "Three-point durations: the file's optimistic and pessimistic durations where "
            "it gives them; elsewhere {default}.",
            default=default,
        )
    return t(
        "Three-point durations: the file gives no optimistic or pessimistic durations, "
        "so {default}.",
        default=default,
    )


def critical_frame(doc: dict[str, Any], names: pd.Series) -> pd.DataFrame:
    """The activities most often critical (top 15), formatted (also used by the tests)."""
    rows = [
        {
            t("Activity"): r["activity_id"],
            t("Name"): str(names.get(r["activity_id"], "")),
            t("Criticality index"): fmt.pct(r["criticality"], 0, True),
        }
        for r in doc["activities"][:TOP_CRITICAL]
    ]
    return pd.DataFrame(rows, columns=[t("Activity"), t("Name"), t("Criticality index")])


def _names(activities: pd.DataFrame) -> pd.Series:
    ids = activities["activity_id"].where(activities["activity_id"].notna(), activities["task_id"])
    return pd.Series(activities["name"].fillna("").to_numpy(), index=ids.astype(str).to_numpy())


def _project(pid: str, doc: dict[str, Any], activities: pd.DataFrame, lang: str) -> None:
    st.markdown(f"**{pid}**")
    if doc["finish_p50"] is None:
        st.info(t("Every activity is finished: there is nothing left to simulate."))
        return
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        t("Schedule's finish"),
        fmt.date(doc["deterministic_finish"]),
        help=t("The finish with the planned durations, as the file's logic gives it."),
    )
    c2.metric(t("Finish P50"), fmt.date(doc["finish_p50"]))
    c3.metric(
        t("Finish P80"),
        fmt.date(doc["finish_p80"]),
        help=t("Finish not passed in 4 draws out of 5."),
    )
    if doc["baseline_finish"] is None:
        c4.metric(
            t("By the baseline finish"),
            t("n/a"),
            help=t("The file has no baseline finish: there is no date to be on time for."),
        )
    else:
        c4.metric(
            t("By the baseline finish"),
            fmt.pct(doc["prob_by_baseline_finish"], 0, True),
            help=t(
                "Share of the draws finishing on or before the baseline finish ({date}).",
                date=fmt.date(doc["baseline_finish"]),
            ),
        )
    st.caption(
        t(
            "{n} draws (seed 0: the same figures each time) from the data date {date}, "
            "in working days (Monday to Friday).",
            n=fmt.number(doc["iterations"]),
            date=fmt.date(doc["data_date"]),
        )
        + " "
        + durations_sentence(doc["durations_from"])
        + (
            " "
            + t(
                "{n} link(s) closing a loop left out.",
                n=fmt.number(doc["links_dropped"]),
            )
            if doc["links_dropped"]
            else ""
        )
    )
    st.plotly_chart(charts.finish_histogram(doc, lang), key=f"schedule_risk_hist_{pid}")
    names = _names(activities)
    left, right = st.columns(2)
    with left:
        st.markdown(
            t("**Criticality index**: share of the draws where the activity drives the finish.")
        )
        st.dataframe(critical_frame(doc, names), hide_index=True, width="stretch")
    with right:
        if doc["drivers"]:
            st.plotly_chart(
                charts.drivers_tornado(doc["drivers"], names.to_dict(), lang),
                key=f"schedule_risk_tornado_{pid}",
            )
        else:
            st.caption(t("No driver: no duration varies in the draws."))


def schedule_risk(result: IngestResult, files: list[tuple[str, bytes]], lang: str) -> None:
    """The schedule-risk section for a schedule result; nothing for a workbook."""
    activities = getattr(result, "activities", None)
    if activities is None or activities.empty:
        return
    st.subheader(t("Schedule risk (Monte Carlo)"))
    st.caption(
        t(
            "Each draw gives every unfinished activity a duration, then runs the file's "
            "logic (links and lags): the finish dates it gives, how often each activity "
            "is critical and which durations move the finish most."
        )
    )
    digest = file_digest(files)
    c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
    iterations = int(
        c1.number_input(
            t("Iterations"),
            min_value=100,
            max_value=20_000,
            value=DEFAULT_ITERATIONS,
            step=100,
            key="schedule_risk_iterations",
        )
    )
    if c2.button(t("Schedule risk"), key="schedule_risk_button", icon=":material/casino:"):
        st.session_state[RUN] = (digest, iterations)
    run = st.session_state.get(RUN)
    if run is None or run[0] != digest:
        return
    with st.spinner(t("Simulating {n} draws...", n=fmt.number(run[1]))):
        docs = loaders.schedule_risk(digest, run[1], activities, result.relations)
    for pid, doc in docs.items():
        _project(pid, doc, activities[activities["project_id"].astype(str) == pid], lang)
