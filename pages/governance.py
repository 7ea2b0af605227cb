"""Governance: methodology compliance per project, manager and direction; early warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.kpi import governance
from ui import format as fmt
from ui import loaders, overview_panels, state
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
f = snap.frames
rules = governance.rules_from_settings(snap.settings)
by_project = state.filter_projects(loaders.compliance(snap.snapshot_id, loaders.db()))

st.title(t("Governance"))
st.caption(
    t(
        "Methodology compliance of projects being launched or run, against the "
        "rules below (settings governance_<rule> in the workbook)."
    )
)
summary = governance.compliance_summary(by_project)
c1, c2, c3 = st.columns(3)
c1.metric(t("Compliance"), fmt.pct(summary.compliance, ratio=True))
c2.metric(t("Fully compliant projects"), summary.compliant)
c3.metric(t("Projects with gaps"), summary.with_gaps)


def _labels(missing: list[str]) -> str:
    return ", ".join(
        t(
            governance.RULE_LABELS[r],
            days=int(rules["status_report"]),
            threshold=fmt.money(rules["risk_register"]),
        )
        for r in missing
    )


st.subheader(t("What each project misses"))
gaps = by_project[by_project["score"] < 100]
st.dataframe(
    pd.DataFrame(
        {
            t("Project"): gaps["project_id"],
            t("Name"): gaps["name"],
            t("Manager"): gaps["manager"].fillna("—"),
            t("Direction"): gaps["department"],
            t("Score"): gaps["score"].round(0),
            t("Missing"): gaps["missing"].map(_labels),
        }
    ),
    hide_index=True,
    placeholder=t("n/a"),
    width="stretch",
)
left, right = st.columns(2)
for col, group, title in (
    (left, "manager", "By project manager"),
    (right, "department", "By direction"),
):
    table = governance.compliance_by(by_project, group)
    col.subheader(t(title))
    col.dataframe(
        pd.DataFrame(
            {
                t(group.capitalize() if group == "manager" else "Direction"): table[group],
                t("Projects"): table["projects"],
                t("Score"): table["score"].round(0),
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )

st.subheader(t("Early warnings"))
w_rules = governance.warning_rules_from_settings(snap.settings)
st.caption(
    t(
        "From this snapshot and the two before it: CPI or SPI down by {drop} or more over "
        "the last {n} reports, milestones slipping in two snapshots in a row, exposure up "
        "by more than {rise}, no status report for more than {days} days (settings "
        "warning_index_drop, warning_falling_reports, warning_exposure_rise, "
        "warning_overdue_days).",
        drop=fmt.number(w_rules.index_drop, 2),
        n=w_rules.falling_reports,
        rise=fmt.pct(w_rules.exposure_rise, ratio=True),
        days=w_rules.overdue_days,
    )
)
overview_panels.warnings_not_red(
    loaders.early_warnings(snap.snapshot_id, loaders.db()),
    loaders.kpis(snap.snapshot_id, loaders.db()).set_index("project_id")["rag"],
    state.filtered_ids(snap),
    f["projects"].set_index("project_id")["name"],
)
