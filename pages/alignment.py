"""Strategic alignment: objective weights (direct or pairwise), consistency, ranking,
ratings heat map, spend by objective against its weight, coverage and warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.charts import alignment as charts
from pmo_core.kpi import alignment
from ui import alignment_panels as panels
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
f = snap.frames
sid, db = snap.snapshot_id, loaders.db()
objectives, pairwise = f["objectives"], f["pairwise"]

st.title(t("Alignment"))
if objectives.empty:
    st.info(t("This snapshot has no strategic objectives."))
    st.stop()
ids = list(objectives["objective_id"])
names = pd.Series(list(objectives["name"].fillna(objectives["objective_id"])), index=ids)
own = alignment.objective_weights(objectives, pairwise)

saved = loaders.weightings(db).set_index("doc_id")
# Labels computed here, not in a format_func: widgets re-format values outside the run.
starts = {0: t("The snapshot's own weights")} | {int(i): str(n) for i, n in saved["name"].items()}
chosen = st.selectbox(
    t("Start from"), list(starts), format_func=starts.get, key="alignment_weighting"
)
payload = saved.loc[chosen, "payload"] if chosen else None
suffix = f"_w{chosen}" if chosen else ""  # a reloaded weighting starts fresh editors
method = payload["method"] if payload else own.method
modes = {"pairwise": t("Pairwise comparisons"), "direct": t("Direct weights")}
mode = st.radio(
    t("Weights given as"),
    list(modes),
    index=1 if method == "direct" else 0,
    format_func=modes.get,
    horizontal=True,
    key=f"alignment_mode{suffix}",
)

# The editor takes the page's width (8 objectives: 200 + 8 x 75 px); the weights below.
left, right = st.container(), st.container()
with left:
    if mode == "pairwise":
        weights, judgments = panels.pairwise_editor(objectives, pairwise, names, payload, suffix)
    else:
        weights, judgments = panels.direct_editor(own.weights, names, payload, suffix), None
with right:
    panels.weights_summary(weights, names)
    panels.save_weighting(weights, judgments, sid)

projects = state.filter_projects(f["projects"])
table = loaders.alignment_ratings(sid, db)
scores = panels.scores(f, weights, projects, table, snap.settings)
rated = alignment.ranked_by_alignment(scores, projects)
st.subheader(t("Projects ranked by alignment"))
top = int(
    st.number_input(
        t("Projects shown"),
        5,
        max(5, len(rated)),
        min(25, max(5, len(rated))),
        5,
        key="alignment_top",
    )
)
ranked = rated.head(top)
event = st.plotly_chart(
    charts.ranked_projects_bar(ranked, lang),
    width="stretch",
    key="alignment_ranked",
    on_select="rerun",
    selection_mode="points",
)
points = widgets.selected(event)
if points:
    widgets.open_project(points[0]["customdata"])
st.caption(t("Click a bar to open the project."))
st.plotly_chart(
    charts.ratings_heatmap(
        alignment.rating_matrix(f["alignment"], list(ranked["project_id"]), ids, table),
        list((ranked["project_id"] + " · " + ranked["name"].fillna("")).str.slice(0, 36)),
        list(names),
        lang,
    ),
    width="stretch",
    key="alignment_ratings",
)

st.subheader(t("Spend by objective"))
live = projects[projects["status"] != "cancelled"]
spend = alignment.spend_by_objective(f["alignment"], weights.weights, live, ratings=table)
st.plotly_chart(
    charts.spend_weight_bar(spend, names, lang, snap.currency),
    width="stretch",
    key="alignment_spend",
)
st.caption(
    t(
        "Each project's budget (cancelled projects left out) is split across objectives in "
        "proportion to its weighted ratings; {amount} of unrated budget funds no objective.",
        amount=fmt.money(spend.attrs["unallocated"]),
    )
)
cov, warn = loaders.alignment_coverage(sid, db, state.filters_key())
panels.coverage_table(cov, spend, names)
panels.coverage_warnings(warn, names)
