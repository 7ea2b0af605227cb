"""Overview: the portfolio on one screen for top management."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core import kpi
from pmo_core.charts import kpi as kpi_charts
from pmo_core.charts import overview as charts
from pmo_core.kpi import diff
from pmo_core.schema import EXECUTION_STATUSES
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
projects = state.filter_projects(snap.frames["projects"])
k = state.filter_projects(loaders.kpis(snap.snapshot_id, loaders.db()))


now = kpi.portfolio_headline(k)
prev_id = state.previous_snapshot_id(snap.snapshot_id)
before = (
    kpi.portfolio_headline(state.filter_projects(loaders.kpis(prev_id, loaders.db())))
    if prev_id
    else None
)


def delta(key: str, fmt) -> str | None:  # type: ignore[no-untyped-def]
    if before is None:
        return None
    return fmt(now[key] - before[key])


st.title(t("Portfolio overview"))
st.caption(
    t(
        "Snapshot #{id} as of {date} · {n} projects",
        id=snap.snapshot_id,
        date=fmt.date(snap.as_of),
        n=len(projects),
    )
    + (" · " + t("changes since snapshot #{id}", id=prev_id) if prev_id else "")
)

c = st.columns(7)
c[0].metric(
    t("In execution"),
    fmt.number(now["projects_in_execution"]),
    delta=delta("projects_in_execution", fmt.number),
)
c[1].metric(
    t("Budget (BAC)"),
    fmt.money(now["bac"]),
    delta=delta("bac", fmt.money),
    delta_color="off",
)
c[2].metric(
    t("Estimate at completion"),
    fmt.money(now["eac"]),
    delta=delta("eac", fmt.money),
    delta_color="inverse",
    help=t("EAC = sum of BAC / CPI per project (BAC where CPI is n/a)"),
)
c[3].metric(
    "SPI",
    fmt.number(now["spi"], 2),
    delta=delta("spi", lambda x: fmt.number(x, 2)),
    help=t(
        "Portfolio SPI = sum EV / sum PV = {ev} / {pv}",
        ev=fmt.money(now["ev"]),
        pv=fmt.money(now["pv"]),
    ),
)
c[4].metric(
    "CPI",
    fmt.number(now["cpi"], 2),
    delta=delta("cpi", lambda x: fmt.number(x, 2)),
    help=t(
        "Portfolio CPI = sum EV / sum AC = {ev} / {ac}",
        ev=fmt.money(now["ev"]),
        ac=fmt.money(now["ac"]),
    ),
)
c[5].metric(
    t("Red projects"),
    fmt.number(now["red_projects"]),
    delta=delta("red_projects", fmt.number),
    delta_color="inverse",
)
c[6].metric(
    t("Risk exposure"),
    fmt.money(now["risk_exposure"]),
    delta=delta("risk_exposure", fmt.money),
    delta_color="inverse",
)

ids = set(projects["project_id"])
rag_now = k.set_index("project_id")["rag"]
warnings = loaders.early_warnings(snap.snapshot_id, loaders.db())
warnings = warnings[warnings["project_id"].isin(ids) & (warnings["project_id"].map(rag_now) != "R")]
checks = loaders.compliance(snap.snapshot_id, loaders.db())
checks = checks[checks["project_id"].isin(ids)]
gaps = loaders.data_quality(snap.snapshot_id, loaders.db())
gaps = gaps[gaps["project_id"].isin(ids)]
w1, w2, w3 = st.columns(3)
w1.metric(
    t("Early warnings"),
    t("{n} project(s)", n=warnings["project_id"].nunique()),
    help=t("Projects not red yet whose indices, milestones, exposure or reporting drift"),
)
w2.metric(
    t("Method compliance"),
    fmt.pct(checks["met"].sum() / max(checks["applicable"].sum(), 1), ratio=True),
    help=t(
        "{n} project(s) miss a rule of the method: see Governance",
        n=int((checks["score"] < 100).sum()),
    ),
)
w3.metric(
    t("Data quality"),
    t("{n} project(s) with gaps", n=int((gaps["gaps"] > 0).sum())),
    help=t("Missing dates, budget, manager, sponsor, ratings, reports or milestones"),
)

left, right = st.columns([2, 3])
with left:
    st.plotly_chart(
        charts.status_by_programme_bar(projects, lang), width="stretch", key="overview_status_chart"
    )
with right:
    event = st.plotly_chart(
        kpi_charts.value_cost_bubble(k, lang, snap.currency),
        width="stretch",
        key="overview_bubble",
        on_select="rerun",
        selection_mode="points",
    )
    points = widgets.selected(event)
    if points:
        widgets.open_project(points[0]["customdata"])

g1, g2 = st.columns(2)
g1.plotly_chart(
    charts.rag_by_group_bar(k, "program", lang), width="stretch", key="overview_rag_programme"
)
g2.plotly_chart(
    charts.rag_by_group_bar(k, "department", lang), width="stretch", key="overview_rag_direction"
)

if prev_id:
    st.subheader(t("What changed since snapshot #{id}", id=prev_id))
    changes = diff.snapshot_diff(
        loaders.snapshot(prev_id, loaders.db()).frames,
        snap.frames,
        loaders.kpis(prev_id, loaders.db()),
        k,
    )
    lines = [
        t("{n} project(s) added", n=len(changes["added"])),
        t("{n} project(s) removed", n=len(changes["removed"])),
        t("{n} weather change(s)", n=len(changes["rag_changes"])),
        t("{n} milestone(s) slipped by more than 30 days", n=len(changes["milestones_slipped"])),
        t("{n} new top risk(s)", n=len(changes["new_top_risks"])),
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
    if len(changes["rag_changes"]):
        rc = changes["rag_changes"]
        st.dataframe(
            {
                t("Project"): rc["project_id"],
                t("Name"): rc["name"],
                t("Before"): rc["rag_before"].map(fmt.rag_label),
                t("After"): rc["rag_after"].map(fmt.rag_label),
            },
            hide_index=True,
            placeholder=t("n/a"),
            width="stretch",
        )

if len(warnings):
    st.subheader(t("Early warnings: before they turn red"))
    names = projects.set_index("project_id")["name"]
    table = pd.DataFrame(
        {
            t("Project"): warnings["project_id"],
            t("Name"): warnings["project_id"].map(names),
            t("Weather"): warnings["project_id"].map(rag_now).map(fmt.rag_label),
            t("Warning"): [
                fmt.warning_text(d, p)
                for d, p in zip(warnings["detail"], warnings["params"], strict=True)
            ],
        }
    ).reset_index(drop=True)
    picked = st.dataframe(
        table.style.map(fmt.rag_style, subset=[t("Weather")]),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
        key="overview_warnings",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = widgets.selected(picked, "rows")
    if rows:
        widgets.open_project(table.iloc[rows[0], 0])
    st.caption(t("Click a row to open the project."))

running = projects[projects["status"].isin(EXECUTION_STATUSES)]
st.plotly_chart(
    charts.timeline_gantt(running, snap.as_of, lang, snap.currency),
    width="stretch",
    key="overview_timeline",
)
