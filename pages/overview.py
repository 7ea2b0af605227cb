"""Overview: the portfolio on one screen for top management."""

from __future__ import annotations

import streamlit as st

from pages import _shared as shared
from pmo_core.charts import overview as charts
from pmo_core.schema import EXECUTION_STATUSES

snap = shared.require_snapshot()
lang = shared.lang()
projects = shared.filter_projects(snap.frames["projects"])

st.title(shared.t("Portfolio overview"))
st.caption(
    shared.t(
        "Snapshot #{id} as of {date} · {n} projects",
        id=snap.snapshot_id,
        date=shared.date(snap.as_of),
        n=len(projects),
    )
)

running = projects[projects["status"].isin(EXECUTION_STATUSES)]
c1, c2, c3, c4 = st.columns(4)
c1.metric(shared.t("Projects"), shared.number(len(projects)))
c2.metric(shared.t("In execution"), shared.number(len(running)))
c3.metric(shared.t("Total budget"), shared.money(projects["budget"].sum()))
c4.metric(shared.t("Actual cost"), shared.money(projects["actual_cost"].sum()))

left, right = st.columns([2, 3])
with left:
    st.plotly_chart(
        charts.status_by_programme_bar(projects, lang), width="stretch", key="overview_status_chart"
    )
    counts = projects["status"].value_counts()
    st.dataframe(
        {
            shared.t("Status"): [shared.t(s) for s in counts.index],
            shared.t("Projects"): counts.to_list(),
        },
        hide_index=True,
        width="stretch",
    )
with right:
    st.plotly_chart(
        charts.timeline_gantt(projects, snap.as_of, lang, snap.currency),
        width="stretch",
        key="overview_timeline",
    )
