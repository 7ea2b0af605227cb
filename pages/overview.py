"""Overview: the portfolio on one screen for top management."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core import kpi
from pmo_core.charts import kpi as kpi_charts
from pmo_core.charts import overview as charts
from pmo_core.kpi import diff
from pmo_core.schema import EXECUTION_STATUSES

snap = shared.require_snapshot()
lang = shared.lang()
projects = shared.filter_projects(snap.frames["projects"])
k = shared.filter_projects(shared.kpis(snap.snapshot_id, shared.db()))


def headline(frame) -> dict:  # type: ignore[no-untyped-def]
    """Portfolio figures of a KPI frame: EVM roll-up, red projects, exposure."""
    port = kpi.portfolio_evm(frame)
    live = frame[~frame["status"].isin(["completed", "cancelled"])]
    port["red"] = int((frame["rag"] == "R").sum())
    port["exposure"] = float(live["risk_exposure"].sum())
    return port


now = headline(k)
prev_id = shared.previous_snapshot_id(snap.snapshot_id)
before = headline(shared.filter_projects(shared.kpis(prev_id, shared.db()))) if prev_id else None


def delta(key: str, fmt) -> str | None:  # type: ignore[no-untyped-def]
    if before is None:
        return None
    return fmt(now[key] - before[key])


st.title(shared.t("Portfolio overview"))
st.caption(
    shared.t(
        "Snapshot #{id} as of {date} · {n} projects",
        id=snap.snapshot_id,
        date=shared.date(snap.as_of),
        n=len(projects),
    )
    + (" · " + shared.t("changes since snapshot #{id}", id=prev_id) if prev_id else "")
)

c = st.columns(7)
c[0].metric(
    shared.t("In execution"),
    shared.number(now["projects_in_execution"]),
    delta=delta("projects_in_execution", shared.number),
)
c[1].metric(
    shared.t("Budget (BAC)"),
    shared.money(now["bac"]),
    delta=delta("bac", shared.money),
    delta_color="off",
)
c[2].metric(
    shared.t("Estimate at completion"),
    shared.money(now["eac"]),
    delta=delta("eac", shared.money),
    delta_color="inverse",
    help=shared.t("EAC = sum of BAC / CPI per project (BAC where CPI is n/a)"),
)
c[3].metric(
    "SPI",
    shared.number(now["spi"], 2),
    delta=delta("spi", lambda x: shared.number(x, 2)),
    help=shared.t(
        "Portfolio SPI = sum EV / sum PV = {ev} / {pv}",
        ev=shared.money(now["ev"]),
        pv=shared.money(now["pv"]),
    ),
)
c[4].metric(
    "CPI",
    shared.number(now["cpi"], 2),
    delta=delta("cpi", lambda x: shared.number(x, 2)),
    help=shared.t(
        "Portfolio CPI = sum EV / sum AC = {ev} / {ac}",
        ev=shared.money(now["ev"]),
        ac=shared.money(now["ac"]),
    ),
)
c[5].metric(
    shared.t("Red projects"),
    shared.number(now["red"]),
    delta=delta("red", shared.number),
    delta_color="inverse",
)
c[6].metric(
    shared.t("Risk exposure"),
    shared.money(now["exposure"]),
    delta=delta("exposure", shared.money),
    delta_color="inverse",
)

ids = set(projects["project_id"])
rag_now = k.set_index("project_id")["rag"]
warnings = shared.early_warnings(snap.snapshot_id, shared.db())
warnings = warnings[warnings["project_id"].isin(ids) & (warnings["project_id"].map(rag_now) != "R")]
checks = shared.compliance(snap.snapshot_id, shared.db())
checks = checks[checks["project_id"].isin(ids)]
gaps = shared.data_quality(snap.snapshot_id, shared.db())
gaps = gaps[gaps["project_id"].isin(ids)]
w1, w2, w3 = st.columns(3)
w1.metric(
    shared.t("Early warnings"),
    shared.t("{n} project(s)", n=warnings["project_id"].nunique()),
    help=shared.t("Projects not red yet whose indices, milestones, exposure or reporting drift"),
)
w2.metric(
    shared.t("Method compliance"),
    shared.pct(checks["met"].sum() / max(checks["applicable"].sum(), 1), ratio=True),
    help=shared.t(
        "{n} project(s) miss a rule of the method: see Governance",
        n=int((checks["score"] < 100).sum()),
    ),
)
w3.metric(
    shared.t("Data quality"),
    shared.t("{n} project(s) with gaps", n=int((gaps["gaps"] > 0).sum())),
    help=shared.t("Missing dates, budget, manager, sponsor, ratings, reports or milestones"),
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
    points = shared.selected(event)
    if points:
        shared.open_project(points[0]["customdata"])

g1, g2 = st.columns(2)
g1.plotly_chart(
    charts.rag_by_group_bar(k, "program", lang), width="stretch", key="overview_rag_programme"
)
g2.plotly_chart(
    charts.rag_by_group_bar(k, "department", lang), width="stretch", key="overview_rag_direction"
)

if prev_id:
    st.subheader(shared.t("What changed since snapshot #{id}", id=prev_id))
    changes = diff.snapshot_diff(
        shared.snapshot(prev_id, shared.db()).frames,
        snap.frames,
        shared.kpis(prev_id, shared.db()),
        k,
    )
    lines = [
        shared.t("{n} project(s) added", n=len(changes["added"])),
        shared.t("{n} project(s) removed", n=len(changes["removed"])),
        shared.t("{n} weather change(s)", n=len(changes["rag_changes"])),
        shared.t(
            "{n} milestone(s) slipped by more than 30 days", n=len(changes["milestones_slipped"])
        ),
        shared.t("{n} new top risk(s)", n=len(changes["new_top_risks"])),
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
    if len(changes["rag_changes"]):
        rc = changes["rag_changes"]
        st.dataframe(
            {
                shared.t("Project"): rc["project_id"],
                shared.t("Name"): rc["name"],
                shared.t("Before"): rc["rag_before"].map(shared.rag_label),
                shared.t("After"): rc["rag_after"].map(shared.rag_label),
            },
            hide_index=True,
            placeholder=shared.t("n/a"),
            width="stretch",
        )

if len(warnings):
    st.subheader(shared.t("Early warnings: before they turn red"))
    names = projects.set_index("project_id")["name"]
    table = pd.DataFrame(
        {
            shared.t("Project"): warnings["project_id"],
            shared.t("Name"): warnings["project_id"].map(names),
            shared.t("Weather"): warnings["project_id"].map(rag_now).map(shared.rag_label),
            shared.t("Warning"): [
                shared.warning_text(d, p)
                for d, p in zip(warnings["detail"], warnings["params"], strict=True)
            ],
        }
    ).reset_index(drop=True)
    picked = st.dataframe(
        table.style.map(shared.rag_style, subset=[shared.t("Weather")]),
        hide_index=True,
        placeholder=shared.t("n/a"),
        width="stretch",
        key="overview_warnings",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = shared.selected(picked, "rows")
    if rows:
        shared.open_project(table.iloc[rows[0], 0])
    st.caption(shared.t("Click a row to open the project."))

running = projects[projects["status"].isin(EXECUTION_STATUSES)]
st.plotly_chart(
    charts.timeline_gantt(running, snap.as_of, lang, snap.currency),
    width="stretch",
    key="overview_timeline",
)
