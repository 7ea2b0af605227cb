"""The What-if page's panels: the rules it reads (budget, value, weighting, rules per
project, yearly limits) and the blocks it draws (the answer, selected and excluded
projects, the frontier, scenarios). The page wires them; the optimiser runs through
``ui/loaders.py``; widget keys are ``whatif_<name>``."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.charts import whatif as charts
from pmo_core.errors import PmoError
from pmo_core.kpi import alignment
from pmo_core.optimize import WhatIf, scenarios
from ui import auth as access
from ui import format as fmt
from ui import loaders, widgets
from ui.format import t

Pairs = tuple[tuple[str, float], ...]


def budget_and_value(cand: pd.DataFrame, lang: str) -> tuple[float, str]:
    """The budget slider (up to the candidates' total, 80 % of it at first) and the value
    radio; a frontier point opened below moves the slider."""
    c1, c2 = st.columns([3, 2])
    millions = float(cand["budget"].fillna(0).sum()) / 1e6
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
    return budget, str(value)


def weighting(objectives: pd.DataFrame, value: str) -> tuple[str, Pairs]:
    """A named weighting (saved on the Alignment page) that re-values projects, the
    snapshot's own weights by default: its name ("" for none) and weights."""
    wdocs = loaders.weightings(loaders.db())
    w_labels = {"": t("The snapshot's own weights")} | {str(n): str(n) for n in wdocs["name"]}
    name = st.selectbox(
        t("Weighting"),
        list(w_labels),
        format_func=w_labels.get,
        key="whatif_weighting",
        disabled=value != "alignment",
    )
    pairs: Pairs = ()
    if name and value == "alignment":
        try:
            chosen = alignment.weights_from_document(
                wdocs.loc[wdocs["name"] == name, "payload"].iloc[0],
                list(objectives["objective_id"]),
            )
            pairs = tuple((str(k), float(v)) for k, v in chosen.items())
        except PmoError as exc:
            widgets.show_error(exc)
    return str(name or ""), pairs


def rules_per_project(
    cand: pd.DataFrame,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, int], ...]]:
    """The rules table: forced in, forced out and start windows (months) per project."""
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
    return force_in, force_out, windows


def yearly_limits() -> tuple[tuple[int, float], ...]:
    """The yearly limits table: complete rows only, in euros, one per year (the last one
    typed wins), years ascending."""
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
    limits = {
        int(y): 1e6 * float(v)
        for y, v in zip(year_rows["year"], year_rows["limit"], strict=True)
        if pd.notna(y) and pd.notna(v)
    }
    return tuple(sorted(limits.items()))


def infeasible(doc: dict[str, Any]) -> None:
    st.error(t("The forced projects alone break a constraint: loosen it or force fewer projects."))
    st.dataframe(pd.DataFrame(doc["violations"]), hide_index=True, width="stretch")


def answer(doc: dict[str, Any], refine_s: float, can_refine: bool) -> bool:
    """The answer's figures; below a time-limited answer, its gap and (``can_refine``) the
    "Refine" button. True when it was clicked."""
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
    if doc.get("explanations_cut_short"):
        missing = sum(
            1 for e in doc["excluded"] if (e["bring_in"] or {}).get("status") == "cut_short"
        )
        st.caption(
            t(
                "The time limit ran out before the value lost by forcing in was computed "
                "for every excluded project: it is missing for {n} of them.",
                n=missing,
            )
        )
    if doc["status"] != "time_limit":
        return False
    g1, g2 = st.columns([3, 1])
    g1.caption(
        t(
            "Best answer found in {seconds} s, within {gap} of the best possible.",
            seconds=fmt.number(doc["time_limit"]),
            gap=fmt.pct(doc["gap"], 2, ratio=True),
        )
    )
    return can_refine and g2.button(
        t("Refine ({s} s)", s=fmt.number(refine_s)), key="whatif_refine"
    )


def said(template: str, params: dict[str, Any]) -> str:
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


def selected_and_excluded(doc: dict[str, Any], names: pd.Series) -> None:
    """Selected projects (with their start shift) beside the excluded ones, each with its
    reason and what would bring it in."""
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


def frontier(
    fr: pd.DataFrame, rk: pd.DataFrame, doc: dict[str, Any], lang: str, currency: str
) -> None:
    """The frontier chart with the current answer on it; each point can be opened as the
    current scenario (the budget slider moves there, rounded up to its step)."""
    st.plotly_chart(
        charts.frontier_chart(fr, rk, (doc["total_cost"], doc["objective"]), lang, currency),
        width="stretch",
        key="whatif_chart",
    )
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


def save_scenario(whatif: WhatIf, doc: dict[str, Any], snapshot_id: int) -> None:
    """The scenario's name and the button that saves it (parameters and answer)."""
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
        access.require("scenario")
        loaders.save_scenario(name, whatif, doc, snapshot_id=snapshot_id, who=access.who())
        st.success(t("Scenario saved: {name}", name=name))


def compare_scenarios(
    table: pd.DataFrame, snapshot_id: int, projects: pd.DataFrame, lang: str
) -> None:
    """Up to five saved scenarios side by side, which projects each selects, and the
    first one's decision record."""
    names = projects.set_index("project_id")["name"]
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
    if not len(picked):
        return
    kpis = loaders.kpis(snapshot_id, loaders.db())
    cmp = scenarios.comparison(picked, kpis.set_index("project_id")["alignment_score"])
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
