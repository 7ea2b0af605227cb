"""Requests: departments propose projects; the PMO reviews them in a queue with their
alignment and the capacity they would need; approved ones become what-if candidates."""

from __future__ import annotations

import streamlit as st

from pmo_core import project_requests as req
from pmo_core.export_safety import safe_text_columns
from ui import format as fmt
from ui import loaders, state
from ui import requests_panels as panels
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
f = snap.frames
db = loaders.db()

st.title(t("Project requests"))
st.caption(
    t(
        "Any department can propose a project. The PMO reviews the queue; an approved "
        "request becomes a candidate of the what-if and can be exported to the import "
        "template for the next monthly upload."
    )
)

requests = loaders.requests(db)
queue = loaders.request_queue(snap.snapshot_id, db, req.version_stamp(requests))
q = safe_text_columns(queue)  # shown, so exportable
submit_tab, queue_tab = st.tabs(
    [t("Submit a request"), t("Queue ({n} to review)", n=req.to_review(q))]
)

with submit_tab:
    panels.submit_form(f, lang)

with queue_tab:
    if q.empty:
        st.info(t("No request yet."))
    else:
        rows = panels.queue_table(q)
        st.caption(t("Click a row to see the request and decide."))
        panels.export_approved(requests, lang, snap.as_of)
        ids = q["project_id"].tolist()
        titles = dict(zip(q["project_id"], q["title"], strict=True))
        if rows:  # a click in the table picks the request below
            st.session_state["requests_pick"] = ids[rows[0]]
        pick = st.selectbox(
            t("Request"),
            ids,
            key="requests_pick",
            format_func=lambda i: f"{i} · {titles[i]}",
        )
        if pick is not None:
            r = q.iloc[ids.index(pick)]
            p = requests.set_index("doc_id").loc[int(r["doc_id"]), "payload"]
            panels.request_detail(r, p, f["objectives"], lang)
            panels.review(r)
