"""Plan de charge: role (or resource) x month utilisation, a click on a cell lists the
projects behind it, over-allocations; horizon and role filters."""

from __future__ import annotations

import streamlit as st

from pmo_core.charts import capacity as charts
from pmo_core.kpi import capacity
from ui import capacity_panels as panels
from ui import format as fmt
from ui import loaders, state
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
f = snap.frames
sid, db = snap.snapshot_id, loaders.db()

st.title(t("Capacity"))
data = loaders.utilisation(sid, db)
if data.empty:
    st.info(t("No allocations in this snapshot."))
    st.stop()
months = sorted(data["month"].unique())
# Labels computed here, not in a format_func: widgets re-format values outside the run.
month_labels = {m: fmt.month(m) for m in months}
lo, hi = st.select_slider(
    t("Horizon"),
    options=months,
    value=(months[0], months[-1]),
    format_func=month_labels.get,
    key="capacity_horizon",
)
roles = st.multiselect(
    t("Roles"),
    sorted(data["role"].unique()),
    key="capacity_roles",
    placeholder=t("All"),
)
view = capacity.restrict(data, (lo, hi), roles)
c1, c2, c3 = st.columns(3)
c1.metric(t("Over-allocated cells"), int(view["over"].sum()))
c2.metric(t("Roles over capacity"), view.loc[view["over"], "role"].nunique())
c3.metric(t("Peak utilisation"), fmt.pct(capacity.peak_utilisation(view), ratio=True))

views = {"role": t("By role"), "resource": t("By resource")}
by = st.radio(t("View"), list(views), format_func=views.get, horizontal=True, key="capacity_by")
names = f["projects"].set_index("project_id")["name"]

if by == "role":
    event = st.plotly_chart(
        charts.utilisation_heatmap(view, lang),
        width="stretch",
        key="capacity_heatmap",
        on_select="rerun",
        selection_mode="points",
    )
    over = capacity.restrict(loaders.overallocations(sid, db), (lo, hi), roles)
    pick = panels.clicked(event)
    if pick is None:  # no click yet: the most over-allocated cell
        pick = panels.largest_cell(over)
    if pick is not None:
        st.subheader(t("Projects behind {row} in {month}", row=pick[0], month=fmt.month(pick[1])))
        cell = capacity.cell_projects(
            None, None, pick[0], pick[1], by_project=loaders.project_hours(sid, db)
        )
        panels.cell_table(cell, names, by)
    st.caption(t("Click a cell to list the projects behind it, largest first."))
    st.subheader(t("Over-allocations"))
    panels.overallocations_table(over)
else:
    res = capacity.restrict(loaders.resource_utilisation(sid, db), (lo, hi), roles)
    if res.empty:
        st.info(t("No allocation names a resource in this horizon."))
        st.stop()
    if not roles:
        busiest = capacity.busiest_resources(res, 30)
        res = res[res["resource_id"].isin(busiest)]
        st.caption(
            t("The {n} busiest resources; choose roles to see all of theirs.", n=len(busiest))
        )
    event = st.plotly_chart(
        charts.utilisation_heatmap(
            res, lang, key="label", title=t("Utilisation by resource and month")
        ),
        width="stretch",
        key="capacity_resource_heatmap",
        on_select="rerun",
        selection_mode="points",
    )
    pick = panels.clicked(event)
    if pick is not None:
        rid = str(res.loc[res["label"] == pick[0], "resource_id"].iloc[0])
        st.subheader(t("Projects behind {row} in {month}", row=pick[0], month=fmt.month(pick[1])))
        panels.cell_table(
            capacity.resource_cell_projects(f["allocations"], rid, pick[1]), names, by
        )
    st.caption(t("Click a cell to list the projects behind it, largest first."))
