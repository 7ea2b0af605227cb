"""Blocks of the Overview page: the headline metrics with their change since the previous
snapshot, the watch metrics, what changed, and the early warnings. The figures come from
:mod:`pmo_core.kpi`; this module lays them out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.i18n import is_missing
from pmo_core.kpi import diff, governance
from ui import format as fmt
from ui import widgets
from ui.format import t

LEFT_OUT_HELP = {
    "spi": "Portfolio SPI = sum EV / sum PV over the projects where both are known; "
    "{n} project(s) left out (n/a for them)",
    "cpi": "Portfolio CPI = sum EV / sum AC over the projects where both are known; "
    "{n} project(s) left out (n/a for them)",
}


def headline(
    now: dict[str, Any], before: dict[str, Any] | None, p80: dict[str, Any] | None = None
) -> None:
    """The portfolio headline (``kpi.portfolio_headline``), each figure with its change
    since ``before`` (None: no earlier snapshot); under the EAC, its P80
    (:func:`pmo_core.forecast.eac_p80_with_the_rest`) when ``p80`` is given."""

    def delta(key: str, show: Callable[[Any], str], color: str = "normal") -> dict[str, Any]:
        if before is None or is_missing(now.get(key)) or is_missing(before.get(key)):
            return {"delta": None}  # no change to show: a figure is n/a on one side
        return fmt.metric_delta(now[key] - before[key], show, color)

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
        **delta("projects_in_execution", fmt.number),
    )
    c[1].metric(
        t("Budget (BAC)"),
        fmt.money(now["bac"]),
        **delta("bac", fmt.money, "off"),
    )
    c[2].metric(
        t("EAC"),  # short, to fit seven cards at 1280-1440 px; the help says it all
        fmt.money(now["eac"]),
        **delta("eac", fmt.money, "inverse"),
        help=t("Estimate at completion")
        + " · "
        + t("EAC = sum of BAC / CPI per project (BAC where CPI is n/a)")
        + (
            " · " + t("{n} project(s) counted at their BAC", n=now["eac_at_bac"])
            if now.get("eac_at_bac")
            else ""
        ),
    )
    if p80 is not None:
        eac_p80(c[2], p80)
    c[3].metric(
        t("SPI"),
        fmt.number(now["spi"], 2),
        **delta("spi", lambda x: fmt.number(x, 2)),
        help=index_help(
            "spi",
            "Portfolio SPI = sum EV / sum PV = {ev} / {pv}",
            ev=fmt.money(now["ev"]),
            pv=fmt.money(now["pv"]),
        ),
    )
    c[4].metric(
        t("CPI"),
        fmt.number(now["cpi"], 2),
        **delta("cpi", lambda x: fmt.number(x, 2)),
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
        **delta("red_projects", fmt.number, "inverse"),
        help=t("{n} running project(s) with no rating (no data)", n=now.get("unrated_projects", 0)),
    )
    c[6].metric(
        t("Exposure"),
        fmt.money(now["risk_exposure"]),
        **delta("risk_exposure", fmt.money, "inverse"),
        help=t("Risk exposure") + " · " + t("Sum of probability x impact over open risks"),
    )
    # Short, to fit each of the seven cards at 1440 px ("See the projects" was cut in
    # English); the French "Voir les projets" fits.
    see, see_help = t("Project list"), t("Opens the Projects page filtered on this figure")
    for col, view in zip(c, CARD_VIEWS, strict=True):
        if view is None:
            continue
        widgets.drill_link(col, see, help=see_help, **view)
    red = int(now["red_projects"])
    if red:
        # Short, to fit under the card at 1280-1440 px; the tooltip says it in full.
        label, full = (
            (t("See it"), t("Opens the Projects page with the red project"))
            if red == 1
            else (
                t("See the {n}", n=red),
                t("Opens the Projects page with the {n} red projects", n=red),
            )
        )
        widgets.drill_link(c[5], label, help=full, rag="red")


def eac_p80(col: Any, p80: dict[str, Any]) -> None:
    """ "P80 35,4 M€" under the EAC card, short to fit seven cards at 1440 px; the
    tooltip says what it is, where its spread comes from and over which projects."""
    if p80["eac_p80"] is None:
        col.caption(
            "P80 " + fmt.money(None),
            help=t("No running project has the figures a forecast needs (EAC and progress)."),
        )
        return
    text = t(
        "P80: the EAC not exceeded in 4 draws out of 5, over {n} running project(s) "
        "forecast: each is drawn around its EVM forecast, spread by the outcomes of past projects "
        "of its reference class (same stage, then programme or department) or, with fewer "
        "than 30 of them, by the prior of Flyvbjerg & Budzier (1 IT project in 6 overruns "
        "its cost by about 200 %).",
        n=fmt.number(p80["drawn"]),
    )
    if p80["fixed"]:
        text += " " + t(
            "The {n} other project(s) of the card (completed, or without a forecast) count "
            "as the card counts them: {amount}.",
            n=fmt.number(p80["fixed"]),
            amount=fmt.money(p80["fixed_amount"]),
        )
    col.caption("P80 " + fmt.money(p80["eac_p80"]), help=text)


#: What each headline card opens (None: the red card has its own link, with its count).
CARD_VIEWS: list[dict[str, str] | None] = [
    {"scope": "execution"},
    {"scope": "execution", "sort": "bac"},
    {"scope": "execution", "sort": "eac"},
    {"scope": "execution", "sort": "spi"},
    {"scope": "execution", "sort": "cpi"},
    None,
    {"scope": "open", "sort": "exposure"},
]


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
    see = t("See the projects")
    if len(warnings):
        widgets.drill_link(w1, see, warned="1")
    widgets.drill_link(w2, t("See the gaps"), page="pages/governance.py")
    if int((gaps["gaps"] > 0).sum()):
        widgets.drill_link(w3, see, gaps="1")


def changes_since(prev_id: int, changes: dict[str, pd.DataFrame]) -> None:
    """What changed since snapshot ``prev_id`` (``kpi.diff.snapshot_diff``)."""
    st.subheader(t("What changed since snapshot #{id}", id=prev_id))
    for key, text in CHANGE_LINES:
        n = len(changes[diff.CHANGE_FILTERS[key]])
        if n:  # the count opens the projects behind it
            widgets.drill_link(st, t(text, n=n), changed=key)
        else:
            st.markdown(f"- {t(text, n=n)}")
    removed = changes["removed"]
    if len(removed):  # not in this snapshot: listed here, the Projects page cannot
        with st.expander(t("{n} project(s) removed", n=len(removed))):
            st.dataframe(
                {t("Project"): removed["project_id"], t("Name"): removed["name"]},
                hide_index=True,
                width="stretch",
            )
    else:
        st.markdown(f"- {t('{n} project(s) removed', n=0)}")
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


#: The "what changed" counts, each opening the projects behind it (``?changed=``).
CHANGE_LINES: list[tuple[str, str]] = [
    ("added", "{n} project(s) added"),
    ("weather", "{n} weather change(s)"),
    ("slipped", "{n} milestone(s) slipped by more than 30 days"),
    ("risks", "{n} new top risk(s)"),
]


def warning_line(detail: str, params: dict[str, Any]) -> str:
    """An early warning's reason with its figures in the user's formats (indices with two
    decimals: "IPC en baisse ... : 0,99 -> 0,93", never "0.99 -> 0.99")."""

    def show(key: str, v: Any) -> Any:
        if key == "index":  # the index's name: "CPI" is IPC in French
            return t(v)
        if not isinstance(v, int | float) or isinstance(v, bool):
            return v
        if key == "pct":
            return fmt.pct(v)  # 43 % / 43%
        return fmt.number(v, 2) if isinstance(v, float) else fmt.number(v)

    shown = {k: show(k, v) for k, v in params.items()}
    return fmt.warning_text(detail, shown)


def early_warnings(warnings: pd.DataFrame, names: pd.Series, rag: pd.Series) -> None:
    """The early warnings, one row each; a click opens the project."""
    st.subheader(t("Early warnings: before they turn red"))
    early_warnings_table(warnings, names, rag)


def early_warnings_table(
    warnings: pd.DataFrame, names: pd.Series, rag: pd.Series, key: str = "overview_warnings"
) -> None:
    """The warnings table (Overview, Governance): figures formatted, a click on a row
    opens its project."""
    table = pd.DataFrame(
        {
            t("Project"): warnings["project_id"],
            t("Name"): warnings["project_id"].map(names),
            t("Weather"): warnings["project_id"].map(rag).map(fmt.rag_label),
            t("Warning"): [
                warning_line(d, p)
                for d, p in zip(warnings["detail"], warnings["params"], strict=True)
            ],
        }
    ).reset_index(drop=True)
    picked = st.dataframe(
        table.style.map(fmt.rag_style, subset=[t("Weather")]),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = widgets.selected(picked, "rows")
    if rows:
        widgets.open_project(table.iloc[rows[0], 0])
    st.caption(t("Click a row to open the project."))


def warnings_not_red(every: pd.DataFrame, rag: pd.Series, ids: set[str], names: pd.Series) -> None:
    """The Governance page's warnings: those of the filtered projects not red yet (a red
    project is counted once, for its weather), and how many red ones are left out."""
    early_warnings_table(
        governance.warnings_before_red(every, rag, ids), names, rag, key="governance_warnings"
    )
    mine = every[every["project_id"].isin(ids)]
    red = mine.loc[mine["project_id"].map(rag) == "R", "project_id"].nunique()
    if red:
        st.caption(
            t("1 project already red is left out: it is watched for its weather.")
            if red == 1
            else t(
                "{n} projects already red are left out: they are watched for their weather.",
                n=red,
            )
        )
