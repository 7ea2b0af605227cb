"""What-if: the optimal selection under budget (and capacity), why others drop, frontier."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core import optimize, scenarios
from pmo_core.charts import whatif as charts
from pmo_core.schema import CANDIDATE_STATUSES

snap = shared.require_snapshot()
lang = shared.lang()
projects = snap.frames["projects"]
cand = projects[projects["status"].isin(CANDIDATE_STATUSES)]
total = float(cand["budget"].fillna(0).sum())

st.title(shared.t("What-if prioritisation"))
st.caption(
    shared.t(
        "Choose the budget and the rules: the optimal portfolio (MILP, HiGHS) is "
        "computed at once, with the greedy ranking beside it."
    )
)
c1, c2 = st.columns([3, 2])
millions = total / 1e6
budget = 1e6 * c1.slider(
    shared.t("Budget"),
    0.0,
    round(millions + 0.05, 1),
    value=round(millions * 0.8, 1),
    step=0.1,
    format="%.1f M€" if lang == "fr" else "€%.1fM",
    key="whatif_budget",
)
# Labels computed here, not in a format_func: widgets re-format values outside the run.
value_labels = {"alignment": shared.t("Alignment score"), "benefit": shared.t("Expected benefits")}
value = c2.radio(
    shared.t("Value"),
    ["alignment", "benefit"],
    horizontal=True,
    format_func=value_labels.get,
    key="whatif_value",
)
c3, c4, c5 = st.columns(3)
keep = c3.toggle(shared.t("Keep running projects"), value=True, key="whatif_keep")
use_cap = c4.toggle(shared.t("Respect capacity"), value=False, key="whatif_capacity")
scale = c5.slider(
    shared.t("Capacity scale"), 0.5, 2.0, 1.0, 0.05, key="whatif_scale", disabled=not use_cap
)
labels = dict(zip(cand["project_id"], cand["project_id"] + " · " + cand["name"], strict=True))
f1, f2 = st.columns(2)
force_in = f1.multiselect(
    shared.t("Force in"),
    list(labels),
    format_func=labels.get,
    key="whatif_force_in",
    placeholder=shared.t("Choose projects"),
)
force_out = f2.multiselect(
    shared.t("Force out"),
    list(labels),
    format_func=labels.get,
    key="whatif_force_out",
    placeholder=shared.t("Choose projects"),
)


@st.cache_data(max_entries=64, show_spinner=False)
def run(
    snapshot_id: int,
    db_path: str,
    budget: float,
    value: str,
    keep: bool,
    use_cap: bool,
    scale: float,
    force_in: tuple[str, ...],
    force_out: tuple[str, ...],
) -> dict:
    return optimize.optimize_document(
        shared.snapshot(snapshot_id, db_path),
        budget=budget,
        value=value,
        keep_running=keep,
        capacity=use_cap,
        capacity_scale=scale,
        force_in=force_in,
        force_out=force_out,
        time_limit=3.0,
    )


with st.spinner(shared.t("Optimising...")):
    doc = run(
        snap.snapshot_id,
        shared.db(),
        budget,
        value,
        keep,
        use_cap,
        scale,
        tuple(force_in),
        tuple(force_out),
    )
if doc["status"] == "infeasible":
    st.error(
        shared.t("The forced projects alone break a constraint: loosen it or force fewer projects.")
    )
    st.dataframe(pd.DataFrame(doc["violations"]), hide_index=True, width="stretch")
    st.stop()
m1, m2, m3, m4 = st.columns(4)
m1.metric(
    shared.t("Value"),
    shared.number(doc["objective"]),
    delta=shared.number(doc["objective"] - doc["greedy_objective"]),
    help=shared.t("Optimal value; the delta is the gain over the greedy ranking."),
)
m2.metric(shared.t("Cost"), shared.money(doc["total_cost"]))
m3.metric(shared.t("Projects selected"), len(doc["selected"]))
m4.metric(
    shared.t("Solver"),
    shared.t(doc["status"]),
    help=shared.t("Proven gap to the bound: {gap}", gap=shared.pct(doc["gap"], 2, ratio=True)),
)
names = projects.set_index("project_id")["name"]
left, right = st.columns(2)
with left:
    st.subheader(shared.t("Selected"))
    sel = pd.DataFrame({"id": doc["selected"]})
    st.dataframe(
        pd.DataFrame({shared.t("Project"): sel["id"], shared.t("Name"): sel["id"].map(names)}),
        hide_index=True,
        width="stretch",
    )
with right:
    st.subheader(shared.t("Excluded, and why"))
    ex = pd.DataFrame(doc["excluded"], columns=["project_id", "template", "params"])
    ex["reason"] = [
        shared.t(tpl, **{k: shared.money(v) if k == "amount" else v for k, v in params.items()})
        for tpl, params in zip(ex["template"], ex["params"], strict=True)
    ]
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Project"): ex["project_id"],
                shared.t("Name"): ex["project_id"].map(names),
                shared.t("Reason"): ex["reason"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


@st.cache_data(max_entries=8, show_spinner=False)
def frontier(snapshot_id: int, db_path: str, value: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return optimize.frontier_and_ranking(
        shared.snapshot(snapshot_id, db_path), points=12, value=value, time_limit=2.0
    )


if st.toggle(shared.t("Show the efficient frontier"), key="whatif_frontier"):
    with st.spinner(shared.t("Solving for each budget level...")):
        fr, rk = frontier(snap.snapshot_id, shared.db(), value)
    st.plotly_chart(
        charts.frontier_chart(fr, rk, (doc["total_cost"], doc["objective"]), lang, snap.currency),
        width="stretch",
        key="whatif_chart",
    )

st.divider()
st.subheader(shared.t("Scenarios"))
s1, s2 = st.columns([3, 1])
name = s1.text_input(
    shared.t("Scenario name"),
    key="whatif_scenario_name",
    placeholder=shared.t("e.g. Budget cut 10 %"),
)
if s2.button(shared.t("Save this scenario"), key="whatif_save", disabled=not name, width="stretch"):
    params = {
        "budget": budget,
        "value": value,
        "keep_running": keep,
        "capacity": use_cap,
        "capacity_scale": scale,
        "force_in": force_in,
        "force_out": force_out,
    }
    scenarios.save_scenario(
        name, params, doc, snapshot_id=snap.snapshot_id, who="app", path=shared.db()
    )
    st.cache_data.clear()
    st.success(shared.t("Scenario saved: {name}", name=name))


@st.cache_data(ttl=10, show_spinner=False)
def saved(db_path: str) -> pd.DataFrame:
    return scenarios.list_scenarios(db_path)


table = saved(shared.db())
if table.empty:
    st.caption(shared.t("No saved scenario yet."))
    st.stop()
labels_s = {int(r.doc_id): f"{r.name} (#{r.snapshot_id})" for r in table.itertuples()}
chosen = st.multiselect(
    shared.t("Compare (up to five)"),
    list(labels_s),
    default=list(labels_s)[:2],
    max_selections=5,
    format_func=labels_s.get,
    key="whatif_compare",
)
picked = table[table["doc_id"].isin(chosen)]
if len(picked):
    scores = shared.kpis(snap.snapshot_id, shared.db()).set_index("project_id")["alignment_score"]
    cmp = scenarios.comparison(picked, scores)
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Scenario"): cmp["name"],
                shared.t("Budget"): cmp["budget"].map(shared.money),
                shared.t("Value"): cmp["objective"].map(shared.number),
                shared.t("Cost"): cmp["total_cost"].map(shared.money),
                shared.t("Projects selected"): cmp["selected"],
                shared.t("Mean alignment"): cmp["alignment"].map(shared.number),
                shared.t("Solver"): cmp["status"].map(shared.t),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    matrix = scenarios.selection_matrix(picked)
    matrix.insert(0, shared.t("Name"), matrix.index.map(names))
    st.dataframe(matrix, width="stretch")
    record = picked.iloc[0]
    st.download_button(
        shared.t("Decision record (Excel): {name}", name=record["name"]),
        scenarios.decision_record_xlsx(record, projects, lang),
        f"decision_{record['doc_id']}.xlsx",
        key="whatif_record",
    )
