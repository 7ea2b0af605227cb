"""The steering pack's data and what its formats share: :class:`ReportData` gathered once
by :func:`collect` (one snapshot, one scope, one language, compared with the snapshot
before it), the cover's figures (:data:`COVER`, :func:`pmo_core.kpi.portfolio_headline`,
scoped), :func:`rag_reasons`, the milestone and risk table columns, :func:`rag_first`,
:func:`subtitle` and :func:`scope_text`. The writers (:mod:`pmo_core.report.xlsx`,
:mod:`pmo_core.report.html`) read these; nothing here writes a file.

Columns:
    ReportData.kpis: kpi.snapshot_kpis columns, scoped
    ReportData.milestones: project_id, project, milestone_id, name, baseline_date,
        forecast_date, actual_date, slip_days, days_overdue, late (bool)
    ReportData.risks: risk.top_risks columns + project (name)
    ReportData.load: capacity.utilisation_by_role_month columns (demand of the scope)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from pmo_core import forecast, kpi, store
from pmo_core.errors import UsageError
from pmo_core.i18n import (
    fmt_change,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_pct,
    is_missing,
    norm_lang,
    t,
)
from pmo_core.kpi import capacity, diff, risk
from pmo_core.optimize import scenarios

RAG_NAMES = {"G": "Green", "A": "Amber", "R": "Red"}
#: What a saved what-if maximised (its ``value`` parameter), in words.
VALUE_KINDS = {"alignment": "Alignment score", "benefit": "Expected benefits"}
TOP_RISKS = 15
FORECAST_ITERATIONS = 5_000  # as ui.loaders.forecast: one cached answer for page and pack
SLIP_SHOWN_DAYS = 30  # the HTML lists late milestones and those slipped by more
#: Cover figures: key of :func:`pmo_core.kpi.portfolio_headline`, English label, kind of number.
COVER: tuple[tuple[str, str, str], ...] = (
    ("projects", "Projects", "count"),
    ("projects_in_execution", "In execution", "count"),
    ("bac", "Budget (BAC)", "money"),
    ("pv", "Planned value (PV)", "money"),
    ("ev", "Earned value (EV)", "money"),
    ("ac", "Actual cost (AC)", "money"),
    ("eac", "Estimate at completion", "money"),
    ("vac", "Variance at completion (VAC)", "money"),
    ("spi", "SPI", "ratio"),
    ("cpi", "CPI", "ratio"),
    ("tcpi", "TCPI", "ratio"),
    ("red_projects", "Red projects", "count"),
    ("amber_projects", "Amber projects", "count"),
    ("unrated_projects", "Projects with no rating", "count"),
    ("risk_exposure", "Risk exposure", "money"),
)


@dataclass(frozen=True)
class ReportData:
    """Everything a pack shows, computed once (see the module's Columns)."""

    snapshot: store.Snapshot
    lang: str
    scope: tuple[str, ...] | None
    kpis: pd.DataFrame
    figures: dict[str, Any]
    previous_id: int | None
    previous_figures: dict[str, Any] | None
    changes: dict[str, pd.DataFrame] | None
    milestones: pd.DataFrame
    risks: pd.DataFrame
    load: pd.DataFrame
    scenario: dict[str, Any] | None
    audit: pd.DataFrame
    forecast: dict[str, Any] | None = None  # the ``forecast`` document (pmo_core.forecast)

    @property
    def currency(self) -> str:
        return self.snapshot.currency or "EUR"


def _scoped(df: pd.DataFrame, ids: set[str] | None) -> pd.DataFrame:
    return df if ids is None else df[df["project_id"].isin(ids)].reset_index(drop=True)


def _scoped_frames(frames: dict[str, pd.DataFrame], ids: set[str] | None) -> dict[str, Any]:
    return {
        name: _scoped(df, ids) if "project_id" in df.columns else df for name, df in frames.items()
    }


def collect(
    snapshot_id: int | None,
    *,
    lang: str = "fr",
    project_ids: list[str] | None = None,
    scenario_id: int | None = None,
    path: str | os.PathLike[str] | None = None,
    forecast_doc: dict[str, Any] | None = None,
) -> ReportData:
    """The figures of a pack: snapshot ``snapshot_id`` (None: the newest), projects
    ``project_ids`` (None: all), compared with the snapshot just before it.
    ``forecast_doc``: the scope's ``forecast`` document when the caller has it cached
    (:func:`store_forecast`'s answer); None: computed here."""
    snap = store.get_snapshot(snapshot_id, path=path)
    ids = None if project_ids is None else {str(i) for i in project_ids}
    frames = _scoped_frames(snap.frames, ids)
    k = _scoped(kpi.snapshot_kpis(snap), ids)
    prev_id = store.previous_snapshot_id(snap.snapshot_id, path)
    prev_fig, changes = None, None
    if prev_id is not None:
        prev = store.get_snapshot(prev_id, path=path)
        pk = _scoped(kpi.snapshot_kpis(prev), ids)
        prev_fig = kpi.portfolio_headline(pk)
        changes = diff.snapshot_diff(_scoped_frames(prev.frames, ids), frames, pk, k)
    names = k.set_index("project_id")["name"]
    ms = kpi.milestone_slip(frames["milestones"], snap.as_of)
    ms.insert(1, "project", ms["project_id"].map(names))
    ms["late"] = ms["days_overdue"] > 0
    ms = ms.sort_values(
        ["days_overdue", "slip_days", "baseline_date"], ascending=[False, False, True]
    )
    # Scales from the whole register and thresholds from the snapshot's settings, as the
    # Risks page places them: a filtered pack must not read a risk on another scale.
    risks = risk.top_risks(
        frames["risks"],
        TOP_RISKS,
        scales=risk.register_scales(snap.frames["risks"]),
        thresholds=risk.impact_thresholds(snap.settings)[0],
    )
    risks.insert(2, "project", risks["project_id"].map(names))
    load = capacity.utilisation_by_role_month(
        frames["allocations"], snap.frames["resources"], snap.frames["capacity"]
    )
    return ReportData(
        snapshot=snap,
        lang=norm_lang(lang),
        scope=None if ids is None else tuple(sorted(ids)),
        kpis=k,
        figures=kpi.portfolio_headline(k),
        previous_id=prev_id,
        previous_figures=prev_fig,
        changes=changes,
        milestones=ms.reset_index(drop=True),
        risks=risks,
        load=load,
        scenario=_scenario(scenario_id, path),
        audit=store.audit_log(path),
        forecast=forecast_doc
        if forecast_doc is not None
        else store_forecast(snap.snapshot_id, ids, path),
    )


def store_forecast(
    snapshot_id: int,
    project_ids: set[str] | None,
    path: str | os.PathLike[str] | None,
) -> dict[str, Any]:
    """The ``forecast`` document of a snapshot, its projects or only ``project_ids``
    (every earlier snapshot's history feeds the reference classes either way), drawn
    :data:`FORECAST_ITERATIONS` times with seed 0."""
    history = forecast.store_history(snapshot_id, path)
    if project_ids is not None:
        sid, as_of, k = history[-1]
        history[-1] = (sid, as_of, k[k["project_id"].isin(project_ids)])
    return forecast.forecast_document(history, iterations=FORECAST_ITERATIONS, seed=0)


def _scenario(
    scenario_id: int | None, path: str | os.PathLike[str] | None
) -> dict[str, Any] | None:
    if scenario_id is None:
        return None
    saved = scenarios.list_scenarios(path)
    row = saved[saved["doc_id"] == int(scenario_id)]
    if row.empty:
        raise UsageError(f"No saved scenario with id {scenario_id}.")
    r = row.iloc[0]
    return {"name": r["name"], "snapshot_id": r["snapshot_id"], **r["payload"]}


#: A project's ``missing_inputs`` codes (kpi.evm.MISSING_INPUTS) in words.
MISSING_WORDS = {
    "dates": "no start or end date",
    "budget": "no budget",
    "progress": "no progress data",
    "actual_cost": "no actual cost",
}


def list_sep(lang: str) -> str:
    """Between reasons: ``" ; "`` in French (a space before the semicolon), ``"; "``."""
    return " ; " if norm_lang(lang) == "fr" else "; "


def missing_text(codes: object, lang: str) -> str:
    """``no start or end date; no progress data`` from ``dates,progress`` ("" for none).

    >>> missing_text("dates,progress", "en")
    'no start or end date; no progress data'
    """
    if not isinstance(codes, str) or not codes:
        return ""
    return list_sep(lang).join(t(MISSING_WORDS.get(c, c), lang) for c in codes.split(","))


def left_out_text(figures: dict[str, Any], key: str, lang: str) -> str:
    """How many projects in execution a portfolio figure leaves out ("" for none).

    >>> left_out_text({"left_out": {"spi": 2}}, "spi", "en")
    '2 projects left out: figure not defined for them'
    """
    n = (figures.get("left_out") or {}).get(key, 0)
    return t("{n} project(s) left out: figure not defined for them", lang, n=n) if n else ""


def _warns(code: object) -> bool:
    """True for an amber or red code (pd.NA and NaN are not)."""
    return isinstance(code, str) and code in ("A", "R")


def rag_reasons(k: pd.DataFrame, milestones: pd.DataFrame, lang: str) -> pd.Series:
    """Why each project has its weather: the override's reason, else the dimensions
    that are amber or red with their figure (SPI(t) or SPI, CPI, days overdue), and the
    inputs a running project lacks (its figures n/a, its dimensions not rated)."""
    overdue = milestones.groupby("project_id")["days_overdue"].max()
    out = {}
    for r in k.itertuples():
        parts = []
        if bool(r.rag_overridden):
            reason = r.rag_reason if isinstance(r.rag_reason, str) and r.rag_reason else "—"
            parts.append(t("Weather set by hand: {reason}", lang, reason=reason))
        if _warns(r.rag_schedule):  # named by the figure the rating used: SPI(t), else SPI
            if is_missing(r.spi_t):
                parts.append(t("schedule: SPI {x}", lang, x=fmt_number(r.spi, lang, 2)))
            else:
                parts.append(t("schedule: SPI(t) {x}", lang, x=fmt_number(r.spi_t, lang, 2)))
        if _warns(r.rag_cost):
            parts.append(t("cost: CPI {x}", lang, x=fmt_number(r.cpi, lang, 2)))
        if _warns(r.rag_milestones):
            days = overdue.get(r.project_id, 0)
            parts.append(t("milestones: {n} days overdue", lang, n=fmt_number(days, lang)))
        quality = getattr(r, "rag_quality", None)
        if _warns(quality):
            parts.append(
                t("quality: {rag} in the latest report", lang, rag=t(RAG_NAMES[str(quality)], lang))
            )
        missing = missing_text(getattr(r, "missing_inputs", None), lang)
        if missing and getattr(r, "status", None) in kpi.RATED_STATUSES:
            parts.append(t("n/a for want of data: {what}", lang, what=missing))
        out[r.Index] = list_sep(lang).join(parts)
    return pd.Series(out, index=k.index, dtype="object")


# ---------------------------------------------------------------------------- shared by the formats

MILESTONE_COLUMNS: list[tuple[str, str, str]] = [
    ("project_id", "ID", "text"),
    ("project", "Project", "text"),
    ("milestone_id", "Milestone ID", "text"),
    ("name", "Milestone", "text"),
    ("baseline_date", "Baseline", "date"),
    ("forecast_date", "Forecast", "date"),
    ("actual_date", "Actual", "date"),
    ("slip_days", "Slip (days)", "count"),
    ("days_overdue", "Days overdue", "count"),
]
RISK_COLUMNS: list[tuple[str, str, str]] = [
    ("risk_id", "ID", "text"),
    ("project_id", "Project", "text"),
    ("project", "Name", "text"),
    ("title", "Risk", "text"),
    ("probability", "Probability", "decimal"),
    ("impact", "Impact", "decimal"),
    ("exposure", "Exposure", "money"),
    ("owner", "Owner", "text"),
    ("mitigation", "Mitigation", "text"),
]


#: The red and amber projects' table, as printed and as previewed on the Reports page.
WATCH_COLUMNS: list[tuple[str, str, str]] = [
    ("project_id", "ID", "text"),
    ("name", "Name", "text"),
    ("program", "Programme", "text"),
    ("manager", "Manager", "text"),
    ("rag", "Weather", "rag"),
    ("reasons", "Why", "text"),
    ("bac", "Budget (BAC)", "money"),
    ("spi", "SPI", "ratio"),
    ("cpi", "CPI", "ratio"),
]
#: The cover's cards (keys of :data:`COVER`), in their order.
CARDS = ("projects_in_execution", "bac", "eac", "spi", "cpi", "red_projects", "risk_exposure")


def cell_text(v: object, kind: str, lang: str, currency: str) -> str:
    """A figure as the pack prints it: money compact, ratios with 2 decimals, n/a (n/d)
    for undefined, never 0 or blank."""
    if is_missing(v):
        return fmt_number(v, lang)
    if kind == "money":
        return fmt_money(v, lang, currency, compact=True)
    if kind == "ratio":
        return fmt_number(v, lang, 2)
    if kind == "decimal":
        return fmt_number(v, lang, 1)
    if kind == "pct":
        return fmt_pct(v, lang, 0, ratio=True)
    return fmt_number(v, lang)


def card_values(data: ReportData) -> list[dict[str, str]]:
    """The cover's cards as printed: label, value, change since the previous snapshot
    (``+52,8 k€ depuis la n°2``, ``=`` for none, "" without a previous one) and the note
    of the projects a portfolio figure leaves out."""
    lang, cur = data.lang, data.currency
    labels = {key: (label, kind) for key, label, kind in COVER}
    out = []
    for key in CARDS:
        label, kind = labels[key]
        now = data.figures.get(key)
        delta = ""
        before = (data.previous_figures or {}).get(key)
        if not is_missing(now) and not is_missing(before):
            ch = float(now) - float(before)  # type: ignore[arg-type]
            text = fmt_change(ch, partial(cell_text, kind=kind, lang=lang, currency=cur), lang)
            delta = t("{change} since #{id}", lang, change=text, id=data.previous_id)
        out.append(
            {
                "key": key,
                "label": t(label, lang),
                "value": cell_text(now, kind, lang, cur),
                "delta": delta,
                "note": left_out_text(data.figures, key, lang),
            }
        )
    return out


def watch_list(data: ReportData) -> pd.DataFrame:
    """The red then amber projects with why (:func:`rag_reasons`), as the pack lists them."""
    k = data.kpis.assign(reasons=rag_reasons(data.kpis, data.milestones, data.lang))
    return k[k["rag"].isin(["R", "A"])].sort_values(["rag", "project_id"], key=rag_first)


def section_titles(data: ReportData) -> list[str]:
    """The pack's sections in print order, in its language (the Reports page's preview)."""
    titles = [
        "Highlight report",
        "Key figures",
        "Red and amber projects",
        "What changed since the previous snapshot",
        "Forecasts with their confidence",
        "Late and slipping milestones",
        "Top risks",
        "Capacity",
    ]
    out = [t(x, data.lang) for x in titles]
    if data.scenario is not None:
        out.append(t("Scenario: {name}", data.lang, name=data.scenario.get("name")))
    return out


def rag_first(s: pd.Series) -> pd.Series:
    """Sort key: red, amber, green, none (other columns unchanged)."""
    if s.name == "rag":
        return s.map({"R": 0, "A": 1, "G": 2}).fillna(3)
    return s


def subtitle(data: ReportData) -> str:
    text = t(
        "Snapshot #{id} as of {date} · {n} projects",
        data.lang,
        id=data.snapshot.snapshot_id,
        date=fmt_date(data.snapshot.as_of, data.lang),
        n=len(data.kpis),
    )
    if data.previous_id is not None:
        text += " · " + t("changes since snapshot #{id}", data.lang, id=data.previous_id)
    return text


def scope_text(data: ReportData) -> str:
    if data.scope is None:
        return t("All projects", data.lang)
    return t("{n} projects chosen by the filters", data.lang, n=len(data.scope))
