"""Plan de charge: role x month utilisation, over-allocations and the projects behind."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core import capacity
from pmo_core.charts import capacity as charts

snap = shared.require_snapshot()
lang = shared.lang()
f = snap.frames


@st.cache_data(max_entries=16, show_spinner=False)
def load(snapshot_id: int, db_path: str) -> pd.DataFrame:
    s = shared.snapshot(snapshot_id, db_path)
    return capacity.utilisation_by_role_month(
        s.frames["allocations"], s.frames["resources"], s.frames["capacity"]
    )


st.title(shared.t("Capacity"))
data = load(snap.snapshot_id, shared.db())
if data.empty:
    st.info(shared.t("No allocations in this snapshot."))
    st.stop()
months = sorted(data["month"].unique())
lo, hi = st.select_slider(
    shared.t("Horizon"),
    options=months,
    value=(months[0], months[-1]),
    format_func=shared.month,
    key="capacity_horizon",
)
roles = st.multiselect(
    shared.t("Roles"),
    sorted(data["role"].unique()),
    key="capacity_roles",
    placeholder=shared.t("All"),
)
view = data[(data["month"] >= lo) & (data["month"] <= hi)]
if roles:
    view = view[view["role"].isin(roles)]
c1, c2, c3 = st.columns(3)
c1.metric(shared.t("Over-allocated cells"), int(view["over"].sum()))
c2.metric(shared.t("Roles over capacity"), view.loc[view["over"], "role"].nunique())
c3.metric(shared.t("Peak utilisation"), shared.pct(capacity.peak_utilisation(view), ratio=True))
st.plotly_chart(charts.utilisation_heatmap(view, lang), width="stretch", key="capacity_heatmap")

st.subheader(shared.t("Over-allocations"))
over = capacity.overallocations(view, f["allocations"], f["resources"])
st.dataframe(
    pd.DataFrame(
        {
            shared.t("Role"): over["role"],
            shared.t("Month"): over["month"].map(shared.month),
            shared.t("Demand (h)"): over["demand_hours"].round(0),
            shared.t("Capacity (h)"): over["capacity_hours"].round(0),
            shared.t("Excess (h)"): over["excess_hours"].round(0),
            shared.t("Largest projects"): over["top_projects"],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(shared.t("Projects behind a cell"))
a, b = st.columns(2)
role = a.selectbox(shared.t("Role"), sorted(view["role"].unique()), key="capacity_cell_role")
month = b.selectbox(
    shared.t("Month"),
    sorted(view["month"].unique()),
    format_func=shared.month,
    key="capacity_cell_month",
)
cell = capacity.cell_projects(f["allocations"], f["resources"], role, month)
names = f["projects"].set_index("project_id")["name"]
st.dataframe(
    pd.DataFrame(
        {
            shared.t("Project"): cell["project_id"],
            shared.t("Name"): cell["project_id"].map(names),
            shared.t("Hours"): cell["hours"],
        }
    ),
    hide_index=True,
    width="stretch",
)
