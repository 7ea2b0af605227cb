"""Governance: methodology compliance per project, manager and direction; early warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core.kpi import governance

snap = shared.require_snapshot()
lang = shared.lang()
f = snap.frames
rules = governance.rules_from_settings(snap.settings)
by_project = shared.filter_projects(shared.compliance(snap.snapshot_id, shared.db()))

st.title(shared.t("Governance"))
st.caption(
    shared.t(
        "Methodology compliance of projects being launched or run, against the "
        "rules below (settings governance_<rule> in the workbook)."
    )
)
c1, c2, c3 = st.columns(3)
pooled = by_project["met"].sum() / max(by_project["applicable"].sum(), 1)
c1.metric(shared.t("Compliance"), shared.pct(pooled, ratio=True))
c2.metric(shared.t("Fully compliant projects"), int((by_project["score"] >= 100).sum()))
c3.metric(shared.t("Projects with gaps"), int((by_project["score"] < 100).sum()))


def _labels(missing: list[str]) -> str:
    return ", ".join(
        shared.t(
            governance.RULE_LABELS[r],
            days=int(rules["status_report"]),
            threshold=shared.money(rules["risk_register"]),
        )
        for r in missing
    )


st.subheader(shared.t("What each project misses"))
gaps = by_project[by_project["score"] < 100]
st.dataframe(
    pd.DataFrame(
        {
            shared.t("Project"): gaps["project_id"],
            shared.t("Name"): gaps["name"],
            shared.t("Manager"): gaps["manager"].fillna("—"),
            shared.t("Direction"): gaps["department"],
            shared.t("Score"): gaps["score"].round(0),
            shared.t("Missing"): gaps["missing"].map(_labels),
        }
    ),
    hide_index=True,
    placeholder=shared.t("n/a"),
    width="stretch",
)
left, right = st.columns(2)
for col, group, title in (
    (left, "manager", "By project manager"),
    (right, "department", "By direction"),
):
    table = governance.compliance_by(by_project, group)
    col.subheader(shared.t(title))
    col.dataframe(
        pd.DataFrame(
            {
                shared.t(group.capitalize() if group == "manager" else "Direction"): table[group],
                shared.t("Projects"): table["projects"],
                shared.t("Score"): table["score"].round(0),
            }
        ),
        hide_index=True,
        placeholder=shared.t("n/a"),
        width="stretch",
    )

st.subheader(shared.t("Early warnings"))
st.caption(
    shared.t(
        "From this snapshot and the two before it: an index falling across the last "
        "reports, milestones slipping in two snapshots in a row, exposure rising, a "
        "status report overdue."
    )
)
warnings = shared.early_warnings(snap.snapshot_id, shared.db())
warnings = warnings[warnings["project_id"].isin(shared.filtered_ids(snap))]
names = f["projects"].set_index("project_id")["name"]
st.dataframe(
    pd.DataFrame(
        {
            shared.t("Project"): warnings["project_id"],
            shared.t("Name"): warnings["project_id"].map(names),
            shared.t("Warning"): [
                shared.warning_text(d, p)
                for d, p in zip(warnings["detail"], warnings["params"], strict=True)
            ],
        }
    ),
    hide_index=True,
    placeholder=shared.t("n/a"),
    width="stretch",
)
