"""Plan de charge: role (or resource) x month utilisation, a click on a cell lists the
projects behind it, over-allocations; horizon and role filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.charts import capacity as charts
from pmo_core.kpi import capacity
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
f = snap.frames


@st.cache_data(max_entries=16, show_spinner=False)
def load(snapshot_id: int, db_path: str) -> pd.DataFrame:
    s = loaders.snapshot(snapshot_id, db_path)
    return capacity.utilisation_by_role_month(
        s.frames["allocations"], s.frames["resources"], s.frames["capacity"]
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def by_project(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """Hours per role, month and project (shared, never mutated: a copy per rerun of a
    20,000-row frame would cost more than the lookup)."""
    s = loaders.snapshot(snapshot_id, db_path)
    return capacity.project_hours(s.frames["allocations"], s.frames["resources"])


@st.cache_data(max_entries=16, show_spinner=False)
def over_all(snapshot_id: int, db_path: str) -> pd.DataFrame:
    data = load(snapshot_id, db_path)
    return capacity.overallocations(data, None, None, by_project=by_project(snapshot_id, db_path))


@st.cache_data(max_entries=16, show_spinner=False)
def per_resource(snapshot_id: int, db_path: str) -> pd.DataFrame:
    s = loaders.snapshot(snapshot_id, db_path)
    out = capacity.utilisation_by_resource_month(s.frames["allocations"], s.frames["resources"])
    return out.assign(label=out["resource_id"].astype(str) + " · " + out["name"].fillna(""))


st.title(t("Capacity"))
data = load(snap.snapshot_id, loaders.db())
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


def clicked(event: object) -> list[str] | None:
    """The [row, "YYYY-MM-DD"] of the clicked cell, or None."""
    points = widgets.selected(event)
    return list(points[0]["customdata"]) if points else None


def cell_table(cell: pd.DataFrame) -> None:
    names = f["projects"].set_index("project_id")["name"]
    total = float(cell["hours"].sum())
    st.dataframe(
        pd.DataFrame(
            {
                t("Project"): cell["project_id"],
                t("Name"): cell["project_id"].map(names),
                t("Hours"): cell["hours"].map(fmt.number),
                t("Share of the cell"): [
                    fmt.pct(100 * h / total if total else None) for h in cell["hours"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        key=f"capacity_cell_{by}",
    )


if by == "role":
    event = st.plotly_chart(
        charts.utilisation_heatmap(view, lang),
        width="stretch",
        key="capacity_heatmap",
        on_select="rerun",
        selection_mode="points",
    )
    over = capacity.restrict(over_all(snap.snapshot_id, loaders.db()), (lo, hi), roles)
    pick = clicked(event)
    if pick is None and len(over):  # no click yet: the most over-allocated cell
        pick = [str(over["role"].iloc[0]), str(pd.Timestamp(over["month"].iloc[0]).date())]
    if pick is not None:
        st.subheader(t("Projects behind {row} in {month}", row=pick[0], month=fmt.month(pick[1])))
        cell_table(
            capacity.cell_projects(
                None, None, pick[0], pick[1], by_project=by_project(snap.snapshot_id, loaders.db())
            )
        )
    st.caption(t("Click a cell to list the projects behind it, largest first."))
    st.subheader(t("Over-allocations"))
    st.dataframe(
        pd.DataFrame(
            {
                t("Role"): over["role"],
                t("Month"): over["month"].map(fmt.month),
                t("Demand (h)"): over["demand_hours"].map(fmt.number),
                t("Capacity (h)"): over["capacity_hours"].map(fmt.number),
                t("Excess (h)"): over["excess_hours"].map(fmt.number),
                t("Largest projects"): over["top_projects"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="capacity_over",
    )
else:
    res = capacity.restrict(per_resource(snap.snapshot_id, loaders.db()), (lo, hi), roles)
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
    pick = clicked(event)
    if pick is not None:
        rid = str(res.loc[res["label"] == pick[0], "resource_id"].iloc[0])
        st.subheader(t("Projects behind {row} in {month}", row=pick[0], month=fmt.month(pick[1])))
        cell_table(capacity.resource_cell_projects(f["allocations"], rid, pick[1]))
    st.caption(t("Click a cell to list the projects behind it, largest first."))
