"""The What-if page's panels: the rules it reads (budget, value, weighting, rules per
project, yearly limits) and the blocks it draws (the answer, selected and excluded
projects, the frontier, scenarios). The page wires them; the optimiser runs through
``ui/loaders.py``; widget keys are ``whatif_<name>``."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import i18n
from pmo_core.charts import whatif as charts
from pmo_core.errors import PmoError
from pmo_core.export_safety import safe_cell
from pmo_core.kpi import alignment
from pmo_core.optimize import WhatIf, scenarios, sentences
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
    options = budget_steps(millions)
    top = options[-1]
    # A frontier point opened below moves the slider: set before the slider is drawn.
    if "whatif_budget_pending" in st.session_state:
        wanted = min(top, st.session_state.pop("whatif_budget_pending"))
        st.session_state["whatif_budget"] = nearest(options, wanted, up=True)
    st.session_state.setdefault("whatif_budget", nearest(options, millions * 0.8))
    if st.session_state["whatif_budget"] not in options:  # the candidates changed
        st.session_state["whatif_budget"] = nearest(options, st.session_state["whatif_budget"])
    # Each step's label in the user's format ("32 M€", "32,4 M€"): Streamlit's own slider
    # format is printf's, with a dot whatever the language.
    cur = fmt.currency()  # once: hundreds of steps, each read from the session before
    labels = {v: i18n.fmt_money(v * 1e6, lang, cur, compact=True) for v in options}
    budget = 1e6 * float(
        c1.select_slider(t("Budget"), options, format_func=labels.get, key="whatif_budget")
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


def budget_steps(millions: float) -> list[float]:
    """The budget slider's values in M€, from 0 to the candidates' total rounded up to
    the step: 0.1 M€, or coarser so that there are at most 500 steps.

    >>> budget_steps(0.25), budget_steps(120.0)[:3], len(budget_steps(4000.0))
    ([0.0, 0.1, 0.2, 0.3], [0.0, 0.5, 1.0], 401)
    """
    step = next((s for s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if millions / s <= 500), 200)
    n = math.ceil(round(millions / step, 6))
    return [round(i * step, 1) for i in range(n + 1)]


def nearest(options: list[float], value: float, up: bool = False) -> float:
    """The option nearest ``value`` (with ``up``, the first at or above it)."""
    if up:
        return next((o for o in options if o >= value - 1e-9), options[-1])
    return min(options, key=lambda o: abs(o - value))


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
                    "status": cand["status"].map({v: t(v) for v in cand["status"].unique()}),
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
                    t("Limit (M€)"), min_value=0.0, step=0.1, format="localized"
                ),
            },
        )
    limits = {
        int(y): 1e6 * float(v)
        for y, v in zip(year_rows["year"], year_rows["limit"], strict=True)
        if pd.notna(y) and pd.notna(v)
    }
    return tuple(sorted(limits.items()))


def keep_running(col: Any) -> bool:
    """The "Keep running projects" toggle (on at first); the button under an answer that
    running projects make impossible unticks it."""
    if "whatif_keep_pending" in st.session_state:
        st.session_state["whatif_keep"] = st.session_state.pop("whatif_keep_pending")
    st.session_state.setdefault("whatif_keep", True)
    return bool(col.toggle(t("Keep running projects"), key="whatif_keep"))


def how_it_works(doc: dict[str, Any] | None = None) -> None:
    """The solver's words, for who asks: the method, the ranking beside it, the gap."""
    with st.expander(t("How the answer is computed")):
        st.markdown(
            t(
                "The optimal portfolio is a mixed-integer linear programme (MILP) solved "
                "by HiGHS within the time limit; a greedy ranking by value per cost is "
                "computed beside it, and the answer is never worse than it."
            )
        )
        if doc is not None and doc["status"] != "infeasible":
            st.markdown(
                t(
                    "Proven gap to the bound: {gap}; greedy ranking: {value}.",
                    gap=fmt.pct(doc["gap"], 2, ratio=True),
                    value=value_text(doc["greedy_objective"], doc["value"]),
                )
            )


def value_text(v: object, value: str) -> str:
    """The value with its unit (alignment points or money), in the user's language."""
    return sentences.value_text(v, value, fmt.lang(), fmt.currency())


def infeasible(doc: dict[str, Any]) -> None:
    """Why no selection exists, in sentences with the figures, and the two ways out: the
    budget the forced projects need, and (when running projects are kept) the toggle."""
    for text in sentences.infeasible_texts(doc, fmt.lang(), fmt.currency()):
        st.error(text)
    over = next((v for v in doc["violations"] if v["constraint"] == "budget"), None)
    b1, b2 = st.columns(2)
    if over is not None and b1.button(
        t("Set the budget to {amount}", amount=fmt.money(math.ceil(over["used"] / 1e5) * 1e5)),
        key="whatif_fit_budget",
        width="stretch",
    ):
        st.session_state["whatif_budget_pending"] = math.ceil(over["used"] / 1e5 - 1e-9) / 10
        st.rerun()
    if (doc.get("forced") or {}).get("running") and b2.button(
        t("Untick “Keep running projects”"), key="whatif_untick_keep", width="stretch"
    ):
        st.session_state["whatif_keep_pending"] = False
        st.rerun()


def answer(doc: dict[str, Any], refine_s: float, can_refine: bool) -> bool:
    """The answer's figures (the value with its unit); below a time-limited answer, how
    close it is and (``can_refine``) the "Refine" button. True when it was clicked."""
    m1, m2, m3, m4 = st.columns(4)
    if doc["value"] == "benefit":
        label, shown = t("Value (expected benefits)"), fmt.money
    else:
        label, shown = t("Value (alignment points)"), lambda v: fmt.number(v, 1)
    m1.metric(
        label,
        shown(doc["objective"]),
        **fmt.metric_delta(doc["objective"] - doc["greedy_objective"], shown),
        help=t(
            "The best value within the rules; the delta is the gain over ranking by value per cost."
        ),
    )
    m2.metric(t("Cost"), fmt.money(doc["total_cost"]))
    m3.metric(t("Projects selected"), len(doc["selected"]))
    m4.metric(t("Answer"), t(doc["status"]))
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


def selected_and_excluded(doc: dict[str, Any], names: pd.Series) -> None:
    """The excluded projects, each with its reason and what would bring it in (in full
    sentences, the columns wide enough to read them), then the selected ones with their
    start shift."""
    lang, cur = fmt.lang(), fmt.currency()
    st.subheader(t("Excluded, and why"))
    ex = doc["excluded"]
    ids = pd.Series([e["project_id"] for e in ex], dtype="object")
    if ex:  # a static table: the sentences wrap instead of being cut
        widgets.wrapped_table(
            pd.DataFrame(
                {
                    t("Project"): ids,
                    t("Name"): ids.map(names),
                    t("Reason"): [sentences.reason_text(e, lang, cur) for e in ex],
                    t("To bring it in"): [
                        sentences.bring_in_text(e["bring_in"], lang, cur, doc["value"]) for e in ex
                    ],
                }
            ),
            key="whatif_excluded_csv",
            file_name="ecartes.csv" if lang == "fr" else "excluded.csv",
        )
    else:
        st.caption(t("No project excluded."))
    st.subheader(t("Selected"))
    sel = pd.Series(doc["selected"], dtype="object")
    st.dataframe(
        pd.DataFrame(
            {
                t("Project"): sel,
                t("Name"): sel.map(names),
                t("Starts later (months)"): sel.map(doc["start_shift"]).fillna(0).astype(int),
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
            "{budget}: {value}, {n} projects",
            budget=fmt.money(r.budget),
            value=value_text(r.objective, doc["value"]),
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
    """The scenario's name and the button that saves it (parameters and answer); the
    saved scenario joins the comparison below at once."""
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
        doc_id = loaders.save_scenario(name, whatif, doc, snapshot_id=snapshot_id, who=access.who())
        loaders.whatif_scenarios.clear()  # the list below must hold it in this very run
        st.session_state["whatif_compare_added"] = doc_id
        st.success(t("Scenario saved: {name}", name=name))


def _chosen_scenarios(labels: dict[int, str]) -> list[int]:
    """The comparison's scenarios: the two newest at first, then the user's choice, a
    scenario just saved added at the end (the oldest dropped past five)."""
    added = st.session_state.pop("whatif_compare_added", None)
    current = [i for i in st.session_state.get("whatif_compare", list(labels)[:2]) if i in labels]
    if added in labels and added not in current:
        current = [*current, int(added)][-5:]
    st.session_state["whatif_compare"] = current
    return [
        int(i)
        for i in st.multiselect(
            t("Compare (up to five)"),
            list(labels),
            max_selections=5,
            format_func=labels.get,
            key="whatif_compare",
        )
    ]


def _mark(row: pd.Series, differ: pd.Series) -> list[str]:
    style = "background-color: #fdf0c4" if differ.get(row.name, False) else ""
    return [style] * len(row)


def compare_scenarios(
    table: pd.DataFrame, snapshot_id: int, projects: pd.DataFrame, lang: str
) -> None:
    """Up to five saved scenarios side by side with their changes from the first one
    chosen (the base), which projects each selects (those they disagree on first and
    highlighted), and the decision record of the one chosen."""
    names = projects.set_index("project_id")["name"]
    labels_s = {int(r.doc_id): f"{r.name} (#{r.snapshot_id})" for r in table.itertuples()}
    chosen = _chosen_scenarios(labels_s)
    if not chosen:
        return
    picked = table.set_index("doc_id").loc[chosen].reset_index()
    kpis = loaders.kpis(snapshot_id, loaders.db())
    cmp = scenarios.with_deltas(
        scenarios.comparison(picked, kpis.set_index("project_id")["alignment_score"])
    )
    st.caption(t("Changes are from the first scenario chosen: {name}.", name=cmp["name"].iloc[0]))
    kind = cmp["value"].fillna("alignment").astype(str)
    st.dataframe(
        pd.DataFrame(
            {
                t("Scenario"): cmp["name"],
                t("Budget"): cmp["budget"].map(fmt.money),
                t("Value"): [value_text(v, k) for v, k in zip(cmp["objective"], kind, strict=True)],
                t("Value change"): [
                    fmt.change(d, lambda v, k=k: value_text(v, k))
                    for d, k in zip(cmp["objective_delta"], kind, strict=True)
                ],
                t("Cost"): cmp["total_cost"].map(fmt.money),
                t("Cost change"): [fmt.change(d, fmt.money) for d in cmp["cost_delta"]],
                t("Projects selected"): cmp["selected"],
                t("Added"): cmp["added"],
                t("Dropped"): cmp["dropped"],
                t("Mean alignment"): cmp["alignment"].map(lambda v: fmt.number(v, 1)),
                t("Answer"): cmp["status"].map(t),
                t("Origin"): [
                    t("Project Server (read-only)") if isinstance(o, str) and o else t("Cockpit")
                    for o in cmp["origin"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    matrix = scenarios.selection_matrix(picked)
    differ = scenarios.differing(matrix)
    order = sorted(matrix.index, key=lambda pid: (not differ[pid], pid))
    shown = matrix.loc[order].map(lambda b: "✓" if b else "")
    # Stored ids, shown (and so exported) formula-safe, as the snapshot's own ids are.
    shown.insert(0, t("Name"), [names.get(safe_cell(pid), "") for pid in order])
    shown.index = shown.index.map(safe_cell)
    differ = differ.set_axis(differ.index.map(safe_cell))
    st.caption(
        t(
            "{n} projects differ from one scenario to another (highlighted, first).",
            n=int(differ.sum()),
        )
    )
    st.dataframe(shown.style.apply(_mark, differ=differ, axis=1), width="stretch")
    record_labels = {int(r.doc_id): str(r.name) for r in picked.itertuples()}
    newest = max(record_labels)
    r1, r2 = st.columns([3, 1])
    which = r1.selectbox(
        t("Decision record of"),
        list(record_labels),
        index=list(record_labels).index(newest),
        format_func=record_labels.get,
        key="whatif_record_of",
    )
    record = picked.loc[picked["doc_id"] == which].iloc[0]
    try:
        as_of = loaders.snapshot(int(record["snapshot_id"]), loaders.db()).as_of
    except PmoError:  # its snapshot was deleted since: the record says n/a
        as_of = None
    r2.download_button(
        t("Decision record (Excel): {name}", name=record["name"]),
        scenarios.decision_record_xlsx(
            record, projects, lang, as_of=as_of, currency=fmt.currency()
        ),
        f"decision_{record['doc_id']}.xlsx",
        key="whatif_record",
    )
