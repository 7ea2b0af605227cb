"""Overview: the portfolio on one screen for top management."""

from __future__ import annotations

import streamlit as st

from pmo_core.kpi import governance
from ui import format as fmt
from ui import loaders, state, widgets
from ui import overview_panels as panels
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
sid, db, chosen = snap.snapshot_id, loaders.db(), state.filters_key()
projects = state.filter_projects(snap.frames["projects"])
k = state.filter_projects(loaders.kpis(sid, db))
figures = loaders.overview_figures(sid, db, chosen, lang)  # built once, shared

now = loaders.headline(sid, db, chosen)
prev_id = state.previous_snapshot_id(sid)
before = loaders.headline(prev_id, db, chosen) if prev_id else None

st.title(t("Portfolio overview"))
st.caption(
    t(
        "Snapshot #{id} as of {date} · {n} projects",
        id=sid,
        date=fmt.date(snap.as_of),
        n=len(projects),
    )
    + (" · " + t("changes since snapshot #{id}", id=prev_id) if prev_id else "")
)
ids = set(projects["project_id"])
panels.headline(now, before, loaders.eac_p80(sid, db, chosen))
rag_now = k.set_index("project_id")["rag"]
warnings = governance.warnings_before_red(loaders.early_warnings(sid, db), rag_now, ids)
checks = loaders.compliance(sid, db)
gaps = loaders.data_quality(sid, db)
panels.watch(warnings, checks[checks["project_id"].isin(ids)], gaps[gaps["project_id"].isin(ids)])

left, right = st.columns([2, 3])
with left:
    st.plotly_chart(figures["status"], width="stretch", key="overview_status_chart")
with right:
    event = st.plotly_chart(
        figures["bubble"],
        width="stretch",
        key="overview_bubble",
        on_select="rerun",
        selection_mode="points",
    )
    points = widgets.selected(event)
    if points:
        widgets.open_project(points[0]["customdata"])

g1, g2 = st.columns(2)
g1.plotly_chart(figures["rag_program"], width="stretch", key="overview_rag_programme")
g2.plotly_chart(figures["rag_department"], width="stretch", key="overview_rag_direction")

changes = loaders.snapshot_changes(sid, db)
if prev_id and changes is not None:
    panels.changes_since(prev_id, changes)

if len(warnings):
    panels.early_warnings(warnings, projects.set_index("project_id")["name"], rag_now)

st.plotly_chart(figures["timeline"], width="stretch", key="overview_timeline")
