"""Forecasts: the portfolio's cost at completion as a distribution (median, P80, the
probability of staying within budget), the remaining spend per year, and each running
project's P10-P90 of EAC and finish, with how well such forecasts held in the past."""

from __future__ import annotations

import streamlit as st

from pmo_core.charts import forecast as charts
from ui import forecast_panels as panels
from ui import format as fmt
from ui import loaders, state
from ui.format import t

snap = state.require_snapshot()
ids = state.filtered_ids(snap)
everyone = set(snap.frames["projects"]["project_id"])
doc = loaders.forecast(
    snap.snapshot_id, loaders.db(), None if ids == everyone else tuple(sorted(ids))
)

st.title(t("Forecasts"))
st.caption(
    t(
        "Each running project's cost and finish are drawn {n} times around its EVM forecast "
        "(EAC, start + planned duration / SPI(t)), spread by what happened to the company's "
        "past projects at the same stage; projects are drawn independently, so the "
        "portfolio's spread is a lower bound.",
        n=fmt.number(doc["iterations"]),
    )
)
if not doc["portfolio"]["projects"]:
    st.info(t("No running project has the figures a forecast needs (EAC and progress)."))
    st.stop()
panels.headline(doc)
st.info(panels.calibration_sentence(doc))
spend = doc["portfolio"]["spend_by_year"]
if spend:
    st.plotly_chart(charts.spend_by_year_chart(spend, fmt.lang(), fmt.currency()), width="stretch")
    st.caption(t("The last year also holds what would be spent after it."))
st.subheader(t("Projects"))
names = snap.frames["projects"].set_index("project_id")["name"]
eac = loaders.kpis(snap.snapshot_id, loaders.db()).set_index("project_id")["eac"]
st.dataframe(
    panels.project_table(doc, names, eac),
    hide_index=True,
    width="stretch",
    column_config=panels.column_help(),
)
