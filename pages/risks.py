"""Risks: the clickable 5x5 heat map, top risks by exposure, exposure by project and its
trend across snapshots."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.charts import kpi as charts
from pmo_core.kpi import risk
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
ids = state.filtered_ids(snap)
register = snap.frames["risks"]
# Scales are the whole register's (a filtered part may not tell), thresholds the settings'.
scales = risk.register_scales(register)
thresholds, rejected = risk.impact_thresholds(snap.settings)
risks = register[register["project_id"].isin(ids)]
names = snap.frames["projects"].set_index("project_id")["name"]

st.title(t("Risks"))
opened = risk.open_risks(risks, scales, thresholds)
live = opened[opened["open"]]
c1, c2, c3 = st.columns(3)
c1.metric(t("Open risks"), fmt.number(len(live)))
c2.metric(
    t("Exposure"),
    fmt.money(live["exposure"].sum(min_count=1)),  # n/a in a register of levels
    help=t("Sum of probability x impact over open risks"),
)
c3.metric(t("Critical risks (score >= 15)"), fmt.number((live["score"] >= 15).sum()))
if rejected is not None:
    st.warning(
        t(
            "The setting risk_impact_thresholds ({value}) is not four increasing amounts: "
            "the default thresholds are used.",
            value=rejected,
        )
    )

left, right = st.columns([3, 2])
event = left.plotly_chart(
    charts.risk_heatmap(risk.risk_matrix(risks, scales, thresholds), lang),
    width="stretch",
    key="risks_matrix",
    on_select="rerun",
    selection_mode="points",
)
right.caption(t("Click a cell to list its risks."))
for note in risk.scale_notes(scales, thresholds, lang, snap.currency):
    right.caption(note)
points = widgets.selected(event)
prob = (
    (lambda v: fmt.number(v)) if scales.probability == "level" else (lambda v: fmt.pct(v, 0, True))
)
impact = (lambda v: fmt.number(v)) if scales.impact == "level" else fmt.money
cell = points[0].get("customdata") if points else None
if cell:
    p_level, i_level = int(cell[0]), int(cell[1])
    st.subheader(t("Risks with probability {p} and impact {i}", p=p_level, i=i_level))
    top = risk.cell_risks(risks, p_level, i_level, scales, thresholds)
else:
    st.subheader(t("Top 10 risks by exposure"))
    top = risk.top_risks(risks, 10, scales, thresholds)
# Full width and static: titles and mitigation plans wrap instead of being cut.
widgets.wrapped_table(
    pd.DataFrame(
        {
            t("Project"): top["project_id"] + " · " + top["project_id"].map(names).fillna(""),
            t("Risk"): top["title"],
            t("Probability"): top["probability"].map(prob),
            t("Impact"): top["impact"].map(impact),
            t("Score"): top["score"].map(fmt.number),
            t("Exposure"): top["exposure"].map(fmt.money),
            t("Owner"): top["owner"],
            t("Mitigation plan"): top["mitigation"],
        }
    ),
    key="risks_top_csv",
    file_name="risques.csv" if lang == "fr" else "risks.csv",
)

by_project = risk.exposure_by_project(risks, snap.frames["projects"], scales, thresholds)
measure = "risk_exposure" if scales.money else "risk_score"  # levels: the score
st.plotly_chart(
    charts.exposure_by_project_bar(by_project, names, measure, lang, snap.currency),
    width="stretch",
    key="risks_by_project",
)

trend = loaders.exposure_history(loaders.db())
trend = trend[trend["project_id"].isin(ids)]
if trend["as_of"].nunique() > 1:
    t1, t2 = st.columns(2)
    t1.plotly_chart(
        charts.exposure_trend_chart(trend, names, lang, snap.currency),
        width="stretch",
        key="risks_trend",
    )
    t2.plotly_chart(
        charts.project_exposure_trend_chart(trend, names, lang, snap.currency),
        width="stretch",
        key="risks_trend_projects",
    )
