"""Projects: the filterable KPI table, red first, and a project's detail (``?project=ID``).

The list's view is in the link (``?rag=red``, ``?changed=slipped``...: see
``ui.projects_panels``), so that each Overview count opens the projects behind it."""

from __future__ import annotations

import streamlit as st

from ui import format as fmt
from ui import loaders, projects_detail, state
from ui import projects_panels as panels
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
sid, db = snap.snapshot_id, loaders.db()
every = loaders.kpis(sid, db)
k_all = state.filter_projects(every)

st.title(t("Projects"))
view = panels.view_filters(loaders.previous_snapshot_id(sid, db))
k = panels.filtered_list(snap, k_all, view)
st.caption(t("{n} of {total} projects", n=len(k), total=len(k_all)))
rows = projects_detail.kpi_table(k, lang, sid)
pid = panels.choose_project(snap, k, every, rows)
if pid is not None:
    projects_detail.detail(snap, pid, every.set_index("project_id").loc[pid], lang)
