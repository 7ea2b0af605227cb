"""Roadmap: milestone hit and on-time rates, projects on a timeline by programme with their
milestones, the milestone trend analysis."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.charts import overview as timeline
from pmo_core.charts import roadmap as charts
from pmo_core.kpi import milestones
from pmo_core.schema import EXECUTION_STATUSES
from ui import format as fmt
from ui import loaders, state
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
projects = state.filter_projects(snap.frames["projects"])

st.title(t("Roadmap"))
statuses = st.multiselect(
    t("Status"),
    list(dict.fromkeys(projects["status"])),
    default=[s for s in EXECUTION_STATUSES if s != "completed" and s in set(projects["status"])]
    or None,
    format_func=t,
    key="roadmap_status",
)
shown = projects[projects["status"].isin(statuses)] if statuses else projects
ms = snap.frames["milestones"]
ms = ms[ms["project_id"].isin(shown["project_id"])]
stats = milestones.milestone_summary(milestones.milestone_stats(ms, snap.as_of))


def _rate(x: float | None) -> str:
    return fmt.pct(x, ratio=True) if x is not None else t("n/a")


m1, m2, m3, m4 = st.columns(4)
m1.metric(t("Milestones"), fmt.number(stats["milestones"]))
m2.metric(
    t("Hit rate"),
    _rate(stats["hit_rate"]),
    help=t(
        "Milestones reached / milestones due by the as-of date: {hit} / {due}",
        hit=stats["hit"],
        due=stats["due"],
    ),
)
m3.metric(
    t("On-time delivery"),
    _rate(stats["on_time_rate"]),
    help=t(
        "Reached by their baseline date / reached: {on_time} / {reached}",
        on_time=stats["on_time"],
        reached=stats["reached"],
    ),
)
m4.metric(t("Overdue milestones"), fmt.number(stats["overdue"]))
fig = timeline.timeline_gantt(shown, snap.as_of, lang, snap.currency)
labels = pd.Series(
    (shown["project_id"] + " · " + shown["name"].str.slice(0, 38)).to_numpy(),
    index=shown["project_id"],
)
charts.milestones_on_timeline(fig, snap.frames["milestones"], labels, lang)
st.plotly_chart(fig, width="stretch", key="roadmap_timeline")
st.caption(t("Diamonds: milestones (red when the forecast is more than 30 days late)."))

st.subheader(t("Milestone trend analysis"))
ids = shown["project_id"].tolist()
if ids:
    wanted = st.query_params.get("project")
    pid = st.selectbox(
        t("Project"),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda i: labels.get(i, i),
        key="roadmap_project",
    )
    trend = loaders.milestone_history(loaders.db(), pid)
    if trend["as_of"].nunique() < 2:
        st.info(t("The trend needs at least two snapshots: each monthly import adds a point."))
    st.plotly_chart(charts.milestone_trend_chart(trend, lang), width="stretch", key="roadmap_mta")
