"""Blocks of the Projects page: the KPI table and a project's detail (indices with their
formulas, weather by dimension, S-curve with the fan of its forecast and the forecast's
distributions (``ui.forecast_detail``), milestones, risks, planned hours by role, status
history). The figures come from :mod:`pmo_core.kpi`; this module lays them out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from pmo_core.kpi import rag_rules, risk
from ui import forecast_detail, loaders
from ui import format as fmt
from ui import kpi_table as kpi_table_view
from ui.format import t

if TYPE_CHECKING:
    from pmo_core.store import Snapshot


def kpi_table(k: pd.DataFrame, lang: str, snapshot_id: int) -> list[int]:
    """One row per project of ``k`` (the snapshot's KPIs), clickable; returns the
    clicked rows. The table is built once per snapshot, list and language
    (``loaders.kpi_table``); each run gives Streamlit a fresh Styler over it."""
    kt = loaders.kpi_table(snapshot_id, loaders.db(), k, lang)
    event = st.dataframe(
        kpi_table_view.shown(kt),
        hide_index=True,
        placeholder=t("n/a"),
        column_order=list(kt.table.columns),
        width="stretch",
        column_config={c: dict(v) for c, v in kt.config.items()},  # Streamlit may add keys
        on_select="rerun",
        selection_mode="single-row",
        key="projects_table",
    )
    return list(event.selection.rows) if event else []


def detail(snap: Snapshot, pid: str, row: pd.Series, lang: str) -> None:
    """Project ``pid`` of ``snap``; ``row`` is its line of the KPI frame. It leads with
    why: the driver of each weather dimension, the override, who answers for it, what
    changed since the previous snapshot and how fresh its status report is."""
    indices(pid, row)
    f = snap.frames
    why(snap, pid, row)
    last_report(snap, pid, row)
    changes_since(snap, pid)
    reports = f["status_reports"][f["status_reports"]["project_id"] == pid]
    samples = loaders.project_forecast(snap.snapshot_id, loaders.db(), pid)
    if len(reports):
        forecast_detail.s_curve(snap, pid, samples, lang)
    forecast_detail.forecast(snap, samples, lang)
    left, right = st.columns(2)
    with left:
        milestone_table(
            f["milestones"][f["milestones"]["project_id"] == pid],
            loaders.milestone_summary(snap.snapshot_id, loaders.db(), pid),
        )
    with right:
        risk_table(f["risks"][f["risks"]["project_id"] == pid])
    hours_by_role(loaders.project_hours_by_role(snap.snapshot_id, loaders.db(), pid))
    if len(reports):
        status_history(reports)


def indices(pid: str, row: pd.Series) -> None:
    """Name, status, SPI, CPI, SPI(t) with their formulas, and the weather."""
    st.subheader(f"{pid} · {row['name']}")
    st.caption(
        " · ".join(
            str(x)
            for x in (t(row["status"]), row["program"], row["department"])
            if isinstance(x, str)
        )
    )
    st.markdown(
        " · ".join(
            t("{label}: {value}", label=t(label), value=_named(row.get(col)))
            for label, col in (("Sponsor", "sponsor"), ("Manager", "manager"))
        )
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        t("SPI"),
        fmt.number(row["spi"], 2),
        help=t(
            "SPI = EV / PV = {ev} / {pv}",
            ev=fmt.money(row["ev"], False),
            pv=fmt.money(row["pv"], False),
        ),
    )
    c2.metric(
        t("CPI"),
        fmt.number(row["cpi"], 2),
        help=t(
            "CPI = EV / AC = {ev} / {ac}",
            ev=fmt.money(row["ev"], False),
            ac=fmt.money(row["ac"], False),
        ),
    )
    c3.metric(
        t("SPI(t)"),
        fmt.number(row["spi_t"], 2),
        help=t(
            "SPI(t) = ES / AT = {es} / {at} months",
            es=fmt.number(row["es"], 2),
            at=fmt.number(row["at"], 2),
        ),
    )
    c4.metric(
        t("Weather"),
        fmt.weather(row["rag"], row["status"]) or t("n/a"),
        help=t(
            "Worst of schedule, cost, milestones and quality; override: {reason}",
            reason=row["rag_reason"] if isinstance(row["rag_reason"], str) else "—",
        ),
    )
    why = fmt.missing_reasons(row.get("missing_inputs"))
    if why:
        st.caption(t("Why n/a") + " · " + why)


def milestone_table(ms: pd.DataFrame, stats: dict[str, Any] | None) -> None:
    """The project's milestones, with their hit and on-time rates (``stats``:
    ``loaders.milestone_summary``, None without milestones)."""
    st.markdown(f"**{t('Milestones')}**")
    if stats is not None:
        st.caption(
            t(
                "{hit} of {due} due milestones reached (hit rate {rate}); on time: {on_time}",
                hit=stats["hit"],
                due=stats["due"],
                rate=fmt.pct(stats["hit_rate"], ratio=True)
                if stats["hit_rate"] is not None
                else t("n/a"),
                on_time=fmt.pct(stats["on_time_rate"], ratio=True)
                if stats["on_time_rate"] is not None
                else t("n/a"),
            )
        )
    st.dataframe(
        pd.DataFrame(
            {
                t("Milestone"): ms["name"],
                t("Baseline"): ms["baseline_date"].map(fmt.date),
                t("Forecast"): ms["forecast_date"].map(fmt.date),
                t("Actual"): ms["actual_date"].map(fmt.date),
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )


def risk_table(rk: pd.DataFrame) -> None:
    """The project's risks, probability and impact as the register's scales read them
    (a level 1-5, or a fraction and an amount), the status in the user's language."""
    st.markdown(f"**{t('Risks')}**")
    scales = risk.register_scales(rk)
    prob = fmt.number if scales.probability == "level" else (lambda v: fmt.pct(v, 0, True))
    impact = fmt.number if scales.impact == "level" else fmt.money
    st.dataframe(
        pd.DataFrame(
            {
                t("Risk"): rk["title"],
                t("Probability"): rk["probability"].map(prob),
                t("Impact"): rk["impact"].map(impact),
                t("Status"): rk["status"].map(fmt.risk_status),
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )


def hours_by_role(hours: pd.DataFrame) -> None:
    """Planned hours by role and month (``capacity.project_hours_by_role``), if any."""
    if not len(hours):
        return
    st.markdown(f"**{t('Planned hours by role')}**")
    months = [c for c in hours.columns if c != "total"]
    st.dataframe(
        hours.rename(columns={**{m: fmt.month(m) for m in months}, "total": t("Total")})
        .rename_axis(t("Role"))
        .round(0),
        placeholder=t("n/a"),
        width="stretch",
        key="projects_hours",
    )


def status_history(reports: pd.DataFrame) -> None:
    st.markdown(f"**{t('Status history')}**")
    st.dataframe(
        pd.DataFrame(
            {
                t("Date"): reports["report_date"].map(fmt.date),
                t("Weather"): reports["rag"].map(fmt.rag_label),
                t("Comment"): reports["comment"],
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )


def _named(value: object) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else t("not named")


def _figure(name: str | None, value: float) -> str:
    """``SPI(t) 0,64`` / ``122 days late``, in the user's language."""
    if name == "days_overdue":
        return t("1 day late") if value == 1 else t("{n} days late", n=fmt.number(value))
    return f"{t(name)} {fmt.number(value, 2)}"  # SPI(t) / IPD(t)


def driver_line(d: pd.Series, status: object) -> str:
    """One dimension's colour and why: "Schedule: Red, SPI(t) 0,64 < 0,85"."""
    label = t(DIMENSION_LABELS[d["dimension"]])
    colour = fmt.weather(d["rag"], status) or t("n/a")
    if d["figure"] is None:
        return (
            t("{label}: {value}", label=label, value=colour)
            + " ("
            + t(NO_DATA[d["dimension"]])
            + ")"
        )
    if d["figure"] == "days_overdue" and not d["value"] > 0:
        return t("{label}: {value}", label=label, value=f"{colour}, " + t("no milestone overdue"))
    if d["figure"] == "quality_rag":
        reason = t("quality rating of the report of {date}", date=fmt.date(d["report_date"]))
    else:
        threshold = (
            fmt.number(d["threshold"])
            if d["figure"] == "days_overdue"
            else fmt.number(d["threshold"], 2)
        )
        reason = f"{_figure(d['figure'], d['value'])} {OPS[d['op']]} {threshold}"
        if isinstance(d["detail"], str):
            reason += f" ({d['detail']})"
    return t("{label}: {value}", label=label, value=f"{colour}, {reason}")


DIMENSION_LABELS = {
    "schedule": "Schedule",
    "cost": "Cost",
    "milestones": "Milestones",
    "quality": "Quality",
}
NO_DATA = {
    "schedule": "no SPI(t) nor SPI: dates or progress missing",
    "cost": "no CPI: progress or actual cost missing",
    "milestones": "no milestone",
    "quality": "no quality rating in the status reports",
}
OPS = {"<": "<", ">=": "≥", ">": ">", "<=": "≤"}
#: Streamlit's markdown colours for the dot before each dimension (the word says it too).
DOT_COLOURS = {"R": "red", "A": "orange", "G": "green"}


def why(snap: Snapshot, pid: str, row: pd.Series) -> None:
    """The weather's reasons: each dimension with its figure and threshold, and the
    override with its reason."""
    drivers = loaders.rag_drivers(snap.snapshot_id, loaders.db(), pid)
    st.markdown(f"**{t('Why this weather')}**")
    lines = [
        f":{DOT_COLOURS.get(d['rag'], 'gray')}[●] {driver_line(d, row['status'])}"
        for _, d in drivers.iterrows()
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
    if bool(row.get("rag_overridden")):
        reason = row["rag_reason"] if isinstance(row["rag_reason"], str) else t("no reason given")
        st.warning(
            t(
                "Weather set by hand: {set} (computed: {computed}). Reason: {reason}",
                set=fmt.rag_label(row["rag"]),
                computed=fmt.weather(row["rag_computed"], row["status"]) or t("n/a"),
                reason=reason,
            )
        )


def last_report(snap: Snapshot, pid: str, row: pd.Series) -> None:
    """The date of the latest status report, with a warning when it is older than the
    snapshot's month (or missing for a running project)."""
    r = snap.frames["status_reports"]
    dates = r.loc[
        (r["project_id"] == pid) & (r["report_date"] <= pd.Timestamp(snap.as_of)), "report_date"
    ]
    month_start = pd.Timestamp(snap.as_of).replace(day=1)
    if dates.empty:
        if row["status"] in rag_rules.RATED_STATUSES:
            st.warning(t("No status report for this project yet."))
        return
    last = dates.max()
    text = t("Last status report: {date}", date=fmt.date(last))
    if last < month_start:
        st.warning(
            text
            + " · "
            + t(
                "older than the snapshot's month ({month}): its figures may be out of date.",
                month=fmt.month(snap.as_of),
            )
        )
    else:
        st.caption(text)


def _change_line(c: pd.Series) -> str:
    what = c["what"]
    if what == "added":
        return t("New in this snapshot")
    if what == "risk_new":
        return t("New risk: {title}", title=c["item"])
    if what == "risk_closed":
        return t("Risk closed: {title}", title=c["item"])
    show = {
        "rag": fmt.rag_label,
        "eac": fmt.money,
        "forecast_finish": fmt.date,
        "milestone": fmt.date,
    }[what]

    def side(x: object) -> str:
        return (show(x) or t("n/a")) if x is not None else t("n/a")

    label = {
        "rag": t("Weather"),
        "eac": "EAC",
        "forecast_finish": t("Forecast finish"),
        "milestone": t("Milestone {name}", name=c["item"]),
    }[what]
    return t("{label}: {value}", label=label, value=f"{side(c['before'])} → {side(c['after'])}")


def changes_since(snap: Snapshot, pid: str) -> None:
    """What changed for the project since the previous snapshot (``kpi.diff``)."""
    prev = loaders.previous_snapshot_id(snap.snapshot_id, loaders.db())
    changes = loaders.project_changes(snap.snapshot_id, loaders.db(), pid)
    if prev is None or changes is None:
        return
    st.markdown(f"**{t('Since snapshot #{id}', id=prev)}**")
    if changes.empty:
        st.caption(
            t("Nothing changed: weather, EAC, forecast finish, milestones and risks as before.")
        )
        return
    st.markdown("\n".join(f"- {_change_line(c)}" for _, c in changes.iterrows()))
