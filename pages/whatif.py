"""What-if: the optimal selection under budget (and capacity), why others drop, frontier."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from pmo_core import optimize
from pmo_core import project_requests as req
from pmo_core.charts import whatif as charts
from pmo_core.errors import PmoError
from pmo_core.kpi import alignment
from pmo_core.optimize import scenarios
from pmo_core.schema import CANDIDATE_STATUSES
from ui import auth as access
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
approved = req.load(loaders.db())
approved = approved[approved["status"] == "approved"]
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
cand = projects[projects["status"].isin(CANDIDATE_STATUSES)]
total = float(cand["budget"].fillna(0).sum())

st.title(t("What-if prioritisation"))
st.caption(
    t(
        "Choose the budget and the rules: the optimal portfolio (MILP, HiGHS) is "
        "computed at once, with the greedy ranking beside it."
    )
)
c1, c2 = st.columns([3, 2])
millions = total / 1e6
top = round(millions + 0.05, 1)
# A frontier point opened below moves the slider: set before the slider is drawn.
if "whatif_budget_pending" in st.session_state:
    st.session_state["whatif_budget"] = min(top, st.session_state.pop("whatif_budget_pending"))
st.session_state.setdefault("whatif_budget", round(millions * 0.8, 1))
budget = 1e6 * c1.slider(
    t("Budget"),
    0.0,
    top,
    step=0.1,
    format="%.1f M€" if lang == "fr" else "€%.1fM",
    key="whatif_budget",
)
# Labels computed here, not in a format_func: widgets re-format values outside the run.
value_labels = {"alignment": t("Alignment score"), "benefit": t("Expected benefits")}
value = c2.radio(
    t("Value"),
    ["alignment", "benefit"],
    horizontal=True,
    format_func=value_labels.get,
    key="whatif_value",
)


@st.cache_data(ttl=10, show_spinner=False)
def weightings(db_path: str) -> pd.DataFrame:
    return alignment.list_weightings(db_path)


# A named weighting (saved on the Alignment page) re-values projects; the snapshot's own
# weights by default.
wdocs = weightings(loaders.db())
w_labels = {"": t("The snapshot's own weights")} | {str(n): str(n) for n in wdocs["name"]}
weighting = st.selectbox(
    t("Weighting"),
    list(w_labels),
    format_func=w_labels.get,
    key="whatif_weighting",
    disabled=value != "alignment",
)
w_pairs: tuple[tuple[str, float], ...] = ()
if weighting and value == "alignment":
    try:
        chosen_w = alignment.weights_from_document(
            wdocs.loc[wdocs["name"] == weighting, "payload"].iloc[0],
            list(snap.frames["objectives"]["objective_id"]),
        )
        w_pairs = tuple((str(k), float(v)) for k, v in chosen_w.items())
    except PmoError as exc:
        widgets.show_error(exc)
c3, c4, c5 = st.columns(3)
keep = c3.toggle(t("Keep running projects"), value=True, key="whatif_keep")
use_cap = c4.toggle(t("Respect capacity"), value=False, key="whatif_capacity")
scale = c5.slider(
    t("Capacity scale"), 0.5, 2.0, 1.0, 0.05, key="whatif_scale", disabled=not use_cap
)
with st.expander(t("Rules per project: force in or out, start window")):
    st.caption(
        t(
            "A project not started yet may start up to its window's months later: the "
            "optimiser defers it instead of dropping it."
        )
    )
    rules = st.data_editor(
        pd.DataFrame(
            {
                "project_id": cand["project_id"],
                "name": cand["name"],
                "status": cand["status"].map(t),
                "force_in": False,
                "force_out": False,
                "window": 0,
            }
        ),
        key="whatif_rules",
        hide_index=True,
        width="stretch",
        disabled=["project_id", "name", "status"],
        column_config={
            "project_id": st.column_config.TextColumn(t("Project")),
            "name": st.column_config.TextColumn(t("Name")),
            "status": st.column_config.TextColumn(t("Status")),
            "force_in": st.column_config.CheckboxColumn(t("Force in")),
            "force_out": st.column_config.CheckboxColumn(t("Force out")),
            "window": st.column_config.NumberColumn(
                t("Start window (months)"), min_value=0, max_value=24, step=1
            ),
        },
    )
force_in = tuple(rules.loc[rules["force_in"].astype(bool), "project_id"])
force_out = tuple(rules.loc[rules["force_out"].astype(bool), "project_id"])
windows = tuple(
    (str(pid), int(k))
    for pid, k in zip(rules["project_id"], rules["window"].fillna(0), strict=True)
    if int(k) > 0
)
with st.expander(t("Yearly limits")):
    st.caption(
        t(
            "The most the selection may cost in a calendar year: each project's cost is "
            "spread over its years pro rata of its days; a deferred project's cost moves "
            "with it."
        )
    )
    year_rows = st.data_editor(
        pd.DataFrame({"year": pd.Series(dtype="Int64"), "limit": pd.Series(dtype="float64")}),
        key="whatif_years",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "year": st.column_config.NumberColumn(
                t("Year"), min_value=2000, max_value=2100, step=1, format="%d"
            ),
            "limit": st.column_config.NumberColumn(
                t("Limit (M€)"), min_value=0.0, step=0.1, format="%.1f"
            ),
        },
    )
# Complete rows only, in euros, one per year (the last one typed wins); part of the cache key.
yearly = tuple(
    sorted(
        {
            int(y): 1e6 * float(v)
            for y, v in zip(year_rows["year"], year_rows["limit"], strict=True)
            if pd.notna(y) and pd.notna(v)
        }.items()
    )
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
    windows: tuple[tuple[str, int], ...],
    weights: tuple[tuple[str, float], ...],
    yearly: tuple[tuple[int, float], ...],
    seconds: float,
    request_ids: tuple[str, ...] = (),
) -> dict:
    snapshot = loaders.snapshot(snapshot_id, db_path)
    if request_ids:  # approved requests as candidates (the ids key the cache)
        asked = req.load(db_path)
        snapshot = req.with_candidates(snapshot, asked[asked["project_id"].isin(request_ids)])
    return optimize.optimize_document(
        snapshot,
        budget=budget,
        value=value,
        keep_running=keep,
        capacity=use_cap,
        capacity_scale=scale,
        force_in=force_in,
        force_out=force_out,
        start_windows=dict(windows),
        time_limit=seconds,
        weights=pd.Series(dict(weights)) if weights else None,
        yearly_budget=dict(yearly),
    )


# Anytime answer: about a second first; "Refine" gives the solver its time limit (the
# snapshot's setting optimizer_time_limit, 10 s by default), then cached.
refine_s = optimize.time_limit_from_settings(snap.settings)
args = (snap.snapshot_id, loaders.db(), budget, value, keep, use_cap, scale)
args += (force_in, force_out, windows, w_pairs, yearly)
refined = st.session_state.setdefault("whatif_refined", set())
with st.spinner(t("Optimising...")):
    doc = run(*args, refine_s if args in refined else 1.0, request_ids)
if doc["status"] == "infeasible":
    st.error(t("The forced projects alone break a constraint: loosen it or force fewer projects."))
    st.dataframe(pd.DataFrame(doc["violations"]), hide_index=True, width="stretch")
    st.stop()
m1, m2, m3, m4 = st.columns(4)
m1.metric(
    t("Value"),
    fmt.number(doc["objective"]),
    delta=fmt.number(doc["objective"] - doc["greedy_objective"]),
    help=t("Optimal value; the delta is the gain over the greedy ranking."),
)
m2.metric(t("Cost"), fmt.money(doc["total_cost"]))
m3.metric(t("Projects selected"), len(doc["selected"]))
m4.metric(
    t("Solver"),
    t(doc["status"]),
    help=t("Proven gap to the bound: {gap}", gap=fmt.pct(doc["gap"], 2, ratio=True)),
)
if doc["status"] == "time_limit":
    g1, g2 = st.columns([3, 1])
    g1.caption(
        t(
            "Best answer found in {seconds} s, within {gap} of the best possible.",
            seconds=fmt.number(doc["time_limit"]),
            gap=fmt.pct(doc["gap"], 2, ratio=True),
        )
    )
    if args not in refined and g2.button(
        t("Refine ({s} s)", s=fmt.number(refine_s)), key="whatif_refine"
    ):
        refined.add(args)
        st.rerun()


def said(template: str, params: dict) -> str:
    """A reason or bring-in text in the user's language, numbers in the user's format."""
    shown = {
        "amount": fmt.money,
        "year_amount": fmt.money,
        "loss": lambda v: fmt.number(v, 1),
        "hours": fmt.number,
    }
    return t(
        template, **{k: shown.get(k, str)(v) if v is not None else "" for k, v in params.items()}
    )


names = projects.set_index("project_id")["name"]
left, right = st.columns(2)
with left:
    st.subheader(t("Selected"))
    sel = pd.Series(doc["selected"], dtype="object")
    st.dataframe(
        pd.DataFrame(
            {
                t("Project"): sel,
                t("Name"): sel.map(names),
                t("Starts later (months)"): sel.map(doc["start_shift"]).fillna(0),
            }
        ),
        hide_index=True,
        width="stretch",
    )
with right:
    st.subheader(t("Excluded, and why"))
    ex = pd.DataFrame(doc["excluded"], columns=["project_id", "template", "params", "bring_in"])
    st.dataframe(
        pd.DataFrame(
            {
                t("Project"): ex["project_id"],
                t("Name"): ex["project_id"].map(names),
                t("Reason"): [
                    said(tpl, params)
                    for tpl, params in zip(ex["template"], ex["params"], strict=True)
                ],
                t("To bring it in"): [
                    said(b["template"], b["params"]) if b else "" for b in ex["bring_in"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


@st.cache_data(max_entries=8, show_spinner=False)
def frontier(
    snapshot_id: int,
    db_path: str,
    value: str,
    use_cap: bool,
    scale: float,
    keep: bool,
    force_in: tuple[str, ...],
    force_out: tuple[str, ...],
    weights: tuple[tuple[str, float], ...],
    request_ids: tuple[str, ...] = (),
    yearly: tuple[tuple[int, float], ...] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    snapshot = loaders.snapshot(snapshot_id, db_path)
    if request_ids:
        asked = req.load(db_path)
        snapshot = req.with_candidates(snapshot, asked[asked["project_id"].isin(request_ids)])
    return optimize.frontier_and_ranking(
        snapshot,
        points=12,
        value=value,
        time_limit=0.5,
        capacity=use_cap,
        capacity_scale=scale,
        keep_running=keep,
        force_in=force_in,
        force_out=force_out,
        weights=pd.Series(dict(weights)) if weights else None,
        yearly_budget=dict(yearly),
    )


if st.toggle(t("Show the efficient frontier"), key="whatif_frontier"):
    with st.spinner(t("Solving for each budget level...")):
        fr, rk = frontier(
            snap.snapshot_id,
            loaders.db(),
            value,
            use_cap,
            scale,
            keep,
            force_in,
            force_out,
            w_pairs,
            request_ids,
            yearly,
        )
    st.plotly_chart(
        charts.frontier_chart(fr, rk, (doc["total_cost"], doc["objective"]), lang, snap.currency),
        width="stretch",
        key="whatif_chart",
    )
    # Each point can be opened as the current scenario: the budget slider moves there.
    points = fr[fr["status"] != "infeasible"].reset_index(drop=True)
    p1, p2 = st.columns([3, 1])
    point_labels = {
        i: t(
            "{budget}: value {value}, {n} projects",
            budget=fmt.money(r.budget),
            value=fmt.number(r.objective),
            n=int(r.n_selected),
        )
        for i, r in points.iterrows()
    }
    point = p1.selectbox(
        t("Frontier point"),
        list(point_labels),
        format_func=point_labels.get,
        key="whatif_point",
    )
    if point is not None and p2.button(
        t("Open this point"), key="whatif_open_point", width="stretch"
    ):
        # Rounded up to the slider's step so that the point's selection stays affordable.
        level = float(points.loc[point, "budget"]) / 1e6
        st.session_state["whatif_budget_pending"] = math.ceil(level * 10 - 1e-9) / 10
        st.rerun()

st.divider()
st.subheader(t("Scenarios"))
s1, s2 = st.columns([3, 1])
name = s1.text_input(
    t("Scenario name"),
    key="whatif_scenario_name",
    placeholder=t("e.g. Budget cut 10 %"),
)
if s2.button(
    t("Save this scenario"),
    key="whatif_save",
    disabled=not name or not access.can("scenario"),
    help=access.hint("scenario"),
    width="stretch",
):
    params = {
        "budget": budget,
        "value": value,
        "keep_running": keep,
        "capacity": use_cap,
        "capacity_scale": scale,
        "force_in": force_in,
        "force_out": force_out,
        "start_windows": dict(windows),
        "requests": list(request_ids),
        "weighting": weighting or None,
        "yearly_budget": {str(y): v for y, v in yearly},
    }
    scenarios.save_scenario(
        name, params, doc, snapshot_id=snap.snapshot_id, who=access.who(), path=loaders.db()
    )
    st.cache_data.clear()
    st.success(t("Scenario saved: {name}", name=name))


@st.cache_data(ttl=10, show_spinner=False)
def saved(db_path: str) -> pd.DataFrame:
    return scenarios.list_scenarios(db_path)


table = saved(loaders.db())
if table.empty:
    st.caption(t("No saved scenario yet."))
    st.stop()
labels_s = {int(r.doc_id): f"{r.name} (#{r.snapshot_id})" for r in table.itertuples()}
chosen = st.multiselect(
    t("Compare (up to five)"),
    list(labels_s),
    default=list(labels_s)[:2],
    max_selections=5,
    format_func=labels_s.get,
    key="whatif_compare",
)
picked = table[table["doc_id"].isin(chosen)]
if len(picked):
    scores = loaders.kpis(snap.snapshot_id, loaders.db()).set_index("project_id")["alignment_score"]
    cmp = scenarios.comparison(picked, scores)
    st.dataframe(
        pd.DataFrame(
            {
                t("Scenario"): cmp["name"],
                t("Budget"): cmp["budget"].map(fmt.money),
                t("Value"): cmp["objective"].map(fmt.number),
                t("Cost"): cmp["total_cost"].map(fmt.money),
                t("Projects selected"): cmp["selected"],
                t("Mean alignment"): cmp["alignment"].map(fmt.number),
                t("Solver"): cmp["status"].map(t),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    matrix = scenarios.selection_matrix(picked)
    matrix.insert(0, t("Name"), matrix.index.map(names))
    st.dataframe(matrix, width="stretch")
    record = picked.iloc[0]
    st.download_button(
        t("Decision record (Excel): {name}", name=record["name"]),
        scenarios.decision_record_xlsx(record, projects, lang),
        f"decision_{record['doc_id']}.xlsx",
        key="whatif_record",
    )
