"""Blocks of the Overview page: the headline metrics with their change since the previous
snapshot, the watch metrics, what changed, and the early warnings. The figures come from
:mod:`pmo_core.kpi`; this module lays them out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.i18n import is_missing
from pmo_core.kpi import governance
from ui import format as fmt
from ui import widgets
from ui.format import t

LEFT_OUT_HELP = {
    "spi": "Portfolio SPI = sum EV / sum PV over the projects where both are known; "
    "{n} project(s) left out (n/a for them)",
    "cpi": "Portfolio CPI = sum EV / sum AC over the projects where both are known; "
    "{n} project(s) left out (n/a for them)",
}


def headline(now: dict[str, Any], before: dict[str, Any] | None) -> None:
    """The portfolio headline (``kpi.portfolio_headline``), each figure with its change
    since ``before`` (None: no earlier snapshot)."""

    def delta(key: str, show: Callable[[Any], str]) -> str | None:
        if before is None or is_missing(now.get(key)) or is_missing(before.get(key)):
            return None  # no change to show: a figure is n/a on one side
        return show(now[key] - before[key])

    left = now.get("left_out") or {}

    def index_help(key: str, formula: str, **figures: Any) -> str:
        """The index's formula with its sums, or, when projects are left out, over which."""
        if not left.get(key):
            return t(formula, **figures)
        return t(LEFT_OUT_HELP[key], n=left[key])

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
        help=t("EAC = sum of BAC / CPI per project (BAC where CPI is n/a)")
        + (
            " · " + t("{n} project(s) counted at their BAC", n=now["eac_at_bac"])
            if now.get("eac_at_bac")
            else ""
        ),
    )
    c[3].metric(
        "SPI",
        fmt.number(now["spi"], 2),
        delta=delta("spi", lambda x: fmt.number(x, 2)),
        help=index_help(
            "spi",
            "Portfolio SPI = sum EV / sum PV = {ev} / {pv}",
            ev=fmt.money(now["ev"]),
            pv=fmt.money(now["pv"]),
        ),
    )
    c[4].metric(
        "CPI",
        fmt.number(now["cpi"], 2),
        delta=delta("cpi", lambda x: fmt.number(x, 2)),
        help=index_help(
            "cpi",
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
        help=t("{n} running project(s) with no rating (no data)", n=now.get("unrated_projects", 0)),
    )
    c[6].metric(
        t("Risk exposure"),
        fmt.money(now["risk_exposure"]),
        delta=delta("risk_exposure", fmt.money),
        delta_color="inverse",
    )


def watch(warnings: pd.DataFrame, checks: pd.DataFrame, gaps: pd.DataFrame) -> None:
    """Early warnings, method compliance and data quality, one metric each."""
    compliance = governance.compliance_summary(checks)
    w1, w2, w3 = st.columns(3)
    w1.metric(
        t("Early warnings"),
        t("{n} project(s)", n=warnings["project_id"].nunique()),
        help=t("Projects not red yet whose indices, milestones, exposure or reporting drift"),
    )
    w2.metric(
        t("Method compliance"),
        fmt.pct(compliance.compliance, ratio=True),
        help=t(
            "{n} project(s) miss a rule of the method: see Governance",
            n=compliance.with_gaps,
        ),
    )
    w3.metric(
        t("Data quality"),
        t("{n} project(s) with gaps", n=int((gaps["gaps"] > 0).sum())),
        help=t("Missing dates, budget, manager, sponsor, ratings, reports or milestones"),
    )


def changes_since(prev_id: int, changes: dict[str, pd.DataFrame]) -> None:
    """What changed since snapshot ``prev_id`` (``kpi.diff.snapshot_diff``)."""
    st.subheader(t("What changed since snapshot #{id}", id=prev_id))
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


def early_warnings(warnings: pd.DataFrame, names: pd.Series, rag: pd.Series) -> None:
    """The early warnings, one row each; a click opens the project."""
    st.subheader(t("Early warnings: before they turn red"))
    table = pd.DataFrame(
        {
            t("Project"): warnings["project_id"],
            t("Name"): warnings["project_id"].map(names),
            t("Weather"): warnings["project_id"].map(rag).map(fmt.rag_label),
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
