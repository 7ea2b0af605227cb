"""Risks: the clickable 5x5 heat map, top risks by exposure, exposure by project and its
trend across snapshots."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core.charts import kpi as charts
from pmo_core.kpi import risk

snap = shared.require_snapshot()
lang = shared.lang()
ids = shared.filtered_ids(snap)
risks = snap.frames["risks"][snap.frames["risks"]["project_id"].isin(ids)]
names = snap.frames["projects"].set_index("project_id")["name"]

st.title(shared.t("Risks"))
opened = risk.open_risks(risks)
live = opened[opened["open"]]
c1, c2, c3 = st.columns(3)
c1.metric(shared.t("Open risks"), shared.number(len(live)))
c2.metric(
    shared.t("Exposure"),
    shared.money(live["exposure"].sum()),
    help=shared.t("Sum of probability x impact over open risks"),
)
c3.metric(shared.t("Critical risks (score >= 15)"), shared.number((live["score"] >= 15).sum()))

left, right = st.columns([2, 3])
with left:
    event = st.plotly_chart(
        charts.risk_heatmap(risk.risk_matrix(risks), lang),
        width="stretch",
        key="risks_matrix",
        on_select="rerun",
        selection_mode="points",
    )
    st.caption(shared.t("Click a cell to list its risks."))
points = shared.selected(event)
cell = points[0].get("customdata") if points else None
with right:
    if cell:
        p_level, i_level = int(cell[0]), int(cell[1])
        st.subheader(shared.t("Risks with probability {p} and impact {i}", p=p_level, i=i_level))
        top = live[(live["p_level"] == p_level) & (live["i_level"] == i_level)]
        key = "exposure" if top["exposure"].notna().any() else "score"
        top = top.sort_values(key, ascending=False)
    else:
        st.subheader(shared.t("Top 10 risks by exposure"))
        top = risk.top_risks(risks, 10)
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Project"): top["project_id"],
                shared.t("Name"): top["project_id"].map(names),
                shared.t("Risk"): top["title"],
                shared.t("Probability"): top["probability"],
                shared.t("Impact"): top["impact"].map(shared.money),
                shared.t("Exposure"): top["exposure"].map(shared.money),
                shared.t("Owner"): top["owner"],
                shared.t("Mitigation plan"): top["mitigation"],
            }
        ),
        hide_index=True,
        placeholder=shared.t("n/a"),
        width="stretch",
    )

st.subheader(shared.t("Exposure by project"))
by_project = risk.exposure_by_project(risks, snap.frames["projects"])
by_project = by_project.sort_values("risk_exposure", ascending=False).head(20)
st.bar_chart(
    pd.DataFrame(
        {shared.t("Exposure"): by_project["risk_exposure"].to_numpy()},
        index=[f"{i} · {names.get(i, '')}"[:40] for i in by_project.index],
    ),
    horizontal=True,
    height=480,
)

trend = shared.exposure_history(shared.db())
trend = trend[trend["project_id"].isin(ids)]
if trend["as_of"].nunique() > 1:
    st.plotly_chart(
        charts.exposure_trend_chart(trend, names, lang, snap.currency),
        width="stretch",
        key="risks_trend",
    )
