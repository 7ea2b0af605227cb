"""Projects: the filterable KPI table and a project's detail (``?project=ID``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core.charts import kpi as charts
from pmo_core.kpi import capacity, milestones

snap = shared.require_snapshot()
lang = shared.lang()
k = shared.filter_projects(shared.kpis(snap.snapshot_id, shared.db()))

st.title(shared.t("Projects"))
statuses = {v: shared.t(v) for v in k["status"].dropna().unique()}
# Up to STYLED_ROWS projects, the weather cells are coloured (a Styler); above, a Styler
# costs a second per rerun, so the weather is a coloured dot and its word.
STYLED_ROWS = 500
styled_table = len(k) <= STYLED_ROWS
weather = (
    {code: shared.t(name) for code, name in shared.RAG_NAMES.items()}
    if styled_table
    else shared.rag_icons()
)
table = pd.DataFrame(
    {
        shared.t("Project"): k["project_id"],
        shared.t("Name"): k["name"],
        shared.t("Status"): k["status"].map(statuses),
        shared.t("Weather"): k["rag"].map(weather),
        shared.t("Programme"): k["program"],
        shared.t("Manager"): k["manager"],
        "BAC": k["bac"].round(0),
        "SPI": k["spi"].round(2),
        "CPI": k["cpi"].round(2),
        "SPI(t)": k["spi_t"].round(2),
        "EAC": k["eac"].round(0),
        shared.t("Alignment score"): k["alignment_score"].round(0),
        shared.t("Exposure"): k["risk_exposure"].round(0),
    }
)
if styled_table:
    sep, dec = ("\u202f", ",") if lang == "fr" else (",", ".")
    money_cols = ["BAC", "EAC", shared.t("Alignment score"), shared.t("Exposure")]
    shown = (
        table.style.map(shared.rag_style, subset=[shared.t("Weather")])
        .format(precision=2, decimal=dec, na_rep=shared.t("n/a"), subset=["SPI", "CPI", "SPI(t)"])
        .format(precision=0, thousands=sep, na_rep=shared.t("n/a"), subset=money_cols)
    )
    config = None
else:
    shown = table
    config = {c: st.column_config.NumberColumn(c, format="localized") for c in table.columns[6:]}
event = st.dataframe(
    shown,
    hide_index=True,
    placeholder=shared.t("n/a"),
    width="stretch",
    column_config=config,
    on_select="rerun",
    selection_mode="single-row",
    key="projects_table",
)
rows = event.selection.rows if event else []
if rows:
    st.query_params["project"] = str(k.iloc[rows[0]]["project_id"])
ids = k["project_id"].tolist()
wanted = st.query_params.get("project")
if not ids:
    st.stop()
labels = dict(zip(ids, (k["project_id"] + " · " + k["name"].fillna("")).tolist(), strict=True))
pid = st.selectbox(
    shared.t("Project detail"),
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=labels.__getitem__,
    key="projects_detail",
)
if pid != wanted:
    st.query_params["project"] = pid
row = k.set_index("project_id").loc[pid]

st.subheader(f"{pid} · {row['name']}")
st.caption(
    " · ".join(
        str(x)
        for x in (shared.t(row["status"]), row["program"], row["manager"])
        if isinstance(x, str)
    )
)
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "SPI",
    shared.number(row["spi"], 2),
    help=shared.t(
        "SPI = EV / PV = {ev} / {pv}",
        ev=shared.money(row["ev"], False),
        pv=shared.money(row["pv"], False),
    ),
)
c2.metric(
    "CPI",
    shared.number(row["cpi"], 2),
    help=shared.t(
        "CPI = EV / AC = {ev} / {ac}",
        ev=shared.money(row["ev"], False),
        ac=shared.money(row["ac"], False),
    ),
)
c3.metric(
    "SPI(t)",
    shared.number(row["spi_t"], 2),
    help=shared.t(
        "SPI(t) = ES / AT = {es} / {at} months",
        es=shared.number(row["es"], 2),
        at=shared.number(row["at"], 2),
    ),
)
c4.metric(
    shared.t("Weather"),
    shared.rag_label(row["rag"]) or shared.t("n/a"),
    help=shared.t(
        "Worst of schedule, cost, milestones and quality; override: {reason}",
        reason=row["rag_reason"] if isinstance(row["rag_reason"], str) else "—",
    ),
)
st.caption(
    " · ".join(
        shared.t(
            "{label}: {value}",
            label=shared.t(label),
            value=shared.rag_label(row[col]) or shared.t("n/a"),
        )
        for label, col in (
            ("Schedule", "rag_schedule"),
            ("Cost", "rag_cost"),
            ("Milestones", "rag_milestones"),
            ("Quality", "rag_quality"),
        )
    )
)
f = snap.frames
reports = f["status_reports"][f["status_reports"]["project_id"] == pid]
if len(reports):
    st.plotly_chart(
        charts.evm_s_curve(reports, row, lang, snap.currency),
        width="stretch",
        key="projects_s_curve",
    )
left, right = st.columns(2)
with left:
    st.markdown(f"**{shared.t('Milestones')}**")
    ms = f["milestones"][f["milestones"]["project_id"] == pid]
    if len(ms):
        stats = milestones.milestone_summary(milestones.milestone_stats(ms, snap.as_of))
        st.caption(
            shared.t(
                "{hit} of {due} due milestones reached (hit rate {rate}); on time: {on_time}",
                hit=stats["hit"],
                due=stats["due"],
                rate=shared.pct(stats["hit_rate"], ratio=True)
                if stats["hit_rate"] is not None
                else shared.t("n/a"),
                on_time=shared.pct(stats["on_time_rate"], ratio=True)
                if stats["on_time_rate"] is not None
                else shared.t("n/a"),
            )
        )
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Milestone"): ms["name"],
                shared.t("Baseline"): ms["baseline_date"].map(shared.date),
                shared.t("Forecast"): ms["forecast_date"].map(shared.date),
                shared.t("Actual"): ms["actual_date"].map(shared.date),
            }
        ),
        hide_index=True,
        placeholder=shared.t("n/a"),
        width="stretch",
    )
with right:
    st.markdown(f"**{shared.t('Risks')}**")
    rk = f["risks"][f["risks"]["project_id"] == pid]
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Risk"): rk["title"],
                shared.t("Probability"): rk["probability"],
                shared.t("Impact"): rk["impact"].map(shared.money),
                shared.t("Status"): rk["status"],
            }
        ),
        hide_index=True,
        placeholder=shared.t("n/a"),
        width="stretch",
    )
hours = capacity.project_hours_by_role(f["allocations"], f["resources"], pid)
if len(hours):
    st.markdown(f"**{shared.t('Planned hours by role')}**")
    months = [c for c in hours.columns if c != "total"]
    st.dataframe(
        hours.rename(columns={**{m: shared.month(m) for m in months}, "total": shared.t("Total")})
        .rename_axis(shared.t("Role"))
        .round(0),
        placeholder=shared.t("n/a"),
        width="stretch",
        key="projects_hours",
    )
if len(reports):
    st.markdown(f"**{shared.t('Status history')}**")
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Date"): reports["report_date"].map(shared.date),
                shared.t("Weather"): reports["rag"].map(shared.rag_label),
                shared.t("Comment"): reports["comment"],
            }
        ),
        hide_index=True,
        placeholder=shared.t("n/a"),
        width="stretch",
    )
