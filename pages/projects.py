"""Projects: the filterable KPI table and a project's detail (``?project=ID``)."""

from __future__ import annotations

import streamlit as st

from ui import format as fmt
from ui import loaders, projects_detail, state
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
k = state.filter_projects(loaders.kpis(snap.snapshot_id, loaders.db()))

st.title(t("Projects"))
rows = projects_detail.kpi_table(k, lang)
if rows:
    st.query_params["project"] = str(k.iloc[rows[0]]["project_id"])
ids = k["project_id"].tolist()
wanted = st.query_params.get("project")
if not ids:
    st.stop()
labels = dict(zip(ids, (k["project_id"] + " · " + k["name"].fillna("")).tolist(), strict=True))
pid = st.selectbox(
    t("Project detail"),
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=labels.__getitem__,
    key="projects_detail",
)
if pid != wanted:
    st.query_params["project"] = pid
projects_detail.detail(snap, pid, k.set_index("project_id").loc[pid], lang)
