"""What-if: the optimal selection under budget (and capacity), why others drop, frontier."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pmo_core import optimize
from pmo_core import project_requests as req
from ui import format as fmt
from ui import loaders, robust_panel, state
from ui import whatif as panels
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
asked = loaders.requests(loaders.db())
approved = asked[asked["status"] == "approved"]
with_requests = False
if len(approved):
    with_requests = st.toggle(
        t("Include the {n} approved request(s) as candidates", n=len(approved)),
        value=True,
        key="whatif_requests",
    )
request_ids = tuple(sorted(approved["project_id"])) if with_requests else ()
if with_requests:
    snap = req.with_candidates(snap, approved)
projects = snap.frames["projects"]
cand = optimize.candidates(projects)

st.title(t("What-if prioritisation"))
st.caption(t("Choose the budget and the rules: the best portfolio is computed at once."))
budget, value = panels.budget_and_value(cand, lang)
weighting, weights = panels.weighting(snap.frames["objectives"], value)
c3, c4, c5 = st.columns(3)
keep = panels.keep_running(c3)
use_cap = c4.toggle(t("Respect capacity"), value=False, key="whatif_capacity")
scales = {round(0.5 + 0.05 * i, 2): fmt.pct(0.5 + 0.05 * i, 0, True) for i in range(31)}
scale = c5.select_slider(
    t("Capacity scale"),
    list(scales),
    value=1.0,
    format_func=scales.get,
    key="whatif_scale",
    disabled=not use_cap,
)
force_in, force_out, windows = panels.rules_per_project(cand)
yearly = panels.yearly_limits()
whatif = optimize.WhatIf(
    budget=budget,
    value=value,
    keep_running=keep,
    capacity=use_cap,
    capacity_scale=scale,
    force_in=force_in,
    force_out=force_out,
    start_windows=windows,
    yearly_budget=yearly,
    weights=weights,
    weighting=weighting or None,
    requests=request_ids,
)

# Anytime answer: about a second first; "Refine" gives the solver its time limit (the
# snapshot's setting optimizer_time_limit, 10 s by default), then cached. A refined
# answer stays refined when the requests or the weighting's name change (same weights).
refine_s = optimize.time_limit_from_settings(snap.settings)
refine_key = (snap.snapshot_id, loaders.db(), replace(whatif, requests=(), weighting=None))
refined = st.session_state.setdefault("whatif_refined", set())
whatif = replace(whatif, time_limit=refine_s if refine_key in refined else 1.0)
with st.spinner(t("Optimising...")):
    doc = loaders.whatif_answer(snap.snapshot_id, loaders.db(), whatif)
if doc["status"] == "infeasible":
    panels.infeasible(doc)
    panels.how_it_works()
    st.stop()
if panels.answer(doc, refine_s, can_refine=refine_key not in refined):
    refined.add(refine_key)
    st.rerun()
panels.how_it_works(doc)
names = projects.set_index("project_id")["name"]
panels.selected_and_excluded(doc, names)

if st.toggle(t("Show the efficient frontier"), key="whatif_frontier"):
    with st.spinner(t("Solving for each budget level...")):
        fr, rk = loaders.whatif_frontier(snap.snapshot_id, loaders.db(), whatif)
    panels.frontier(fr, rk, doc, lang, snap.currency)
robust_panel.section(snap.snapshot_id, whatif, doc, names)

panels.save_scenario(whatif, doc, snap.snapshot_id)
table = loaders.whatif_scenarios(loaders.db())
if table.empty:
    st.caption(t("No saved scenario yet."))
    st.stop()
panels.compare_scenarios(table, snap.snapshot_id, projects, lang)
