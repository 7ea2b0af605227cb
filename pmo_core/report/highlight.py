"""The pack's first page: PRINCE2's highlight report (status summary, this period, next
period, tolerances, issues and risks), from a :class:`pmo_core.report.data.ReportData`.

Rules (each has a hand-worked test in ``tests/test_report_highlight.py``):

- The portfolio's weather is its SPI and CPI (:func:`pmo_core.kpi.portfolio_headline`:
  sums first, then divided) banded by the RAG thresholds in force (the snapshot's
  settings, the rule of a project's schedule and cost dimensions), the worse of the
  two; "no rating" when neither index is defined, never a colour from defaults.
- This period is what :func:`pmo_core.kpi.diff.snapshot_diff` found since the previous
  snapshot: projects added, weather changes, milestones slipped by more than 30 days,
  new top risks.
- Next period is the milestones not yet reached whose forecast date (else baseline)
  falls after the as-of date and no later than one calendar month after it.
- Tolerances are the thresholds in force in words; a red project (computed or set by
  hand) is outside them, listed with why (:func:`pmo_core.report.data.rag_reasons`).
- Issues and risks are the top open risks by exposure (:data:`TOP_RISKS_SHOWN`).

Columns:
    Highlight.next_period: project_id, project, milestone_id, name, baseline_date, due
    Highlight.outside: project_id, name, reasons
    Highlight.risks: the pack's risk columns (:data:`RISK_COLUMNS` here)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo_core import kpi
from pmo_core.i18n import colon, fmt_number, is_missing, t
from pmo_core.kpi import NO_RATING, RAG_ORDER
from pmo_core.report.data import RAG_NAMES, ReportData, card_values, rag_reasons
from pmo_core.report.forecasts import portfolio_lines

TOP_RISKS_SHOWN = 5
NAMES_SHOWN = 5  # a "this period" line names at most this many, then "(+n)"
#: The highlight report's parts, in print order (English; translated when shown).
PARTS = ("Status summary", "This period", "Next period", "Tolerances", "Issues and risks")

NEXT_COLUMNS: list[tuple[str, str, str]] = [
    ("project_id", "ID", "text"),
    ("project", "Project", "text"),
    ("name", "Milestone", "text"),
    ("baseline_date", "Baseline", "date"),
    ("due", "Forecast", "date"),
]
OUTSIDE_COLUMNS: list[tuple[str, str, str]] = [
    ("project_id", "ID", "text"),
    ("name", "Name", "text"),
    ("reasons", "Why", "text"),
]
RISK_COLUMNS: list[tuple[str, str, str]] = [
    ("risk_id", "ID", "text"),
    ("project", "Project", "text"),
    ("title", "Risk", "text"),
    ("exposure", "Exposure", "money"),
    ("owner", "Owner", "text"),
]


@dataclass(frozen=True)
class Highlight:
    """The highlight report's parts, every text in the pack's language."""

    weather: str | None  # "G", "A", "R" or None (no rating)
    summary: list[tuple[str, str, str]]  # (label, value, detail) as printed
    this_period: list[str]
    next_period: pd.DataFrame
    tolerances: list[str]
    outside: pd.DataFrame
    risks: pd.DataFrame


def portfolio_weather(figures: dict[str, object], th: dict[str, float]) -> str | None:
    """The worse of the portfolio's SPI and CPI banded by ``th``; None when neither is
    defined.

    >>> th = {"green": 0.95, "amber": 0.85}
    >>> portfolio_weather({"spi": 0.96, "cpi": 0.9}, th), portfolio_weather({"spi": None}, th)
    ('A', None)
    """
    codes = [
        "G" if float(v) >= th["green"] else "A" if float(v) >= th["amber"] else "R"  # type: ignore[arg-type]
        for v in (figures.get("spi"), figures.get("cpi"))
        if not is_missing(v)
    ]
    return max(codes, key=RAG_ORDER.__getitem__) if codes else None


def next_period(milestones: pd.DataFrame, as_of: object, months: int = 1) -> pd.DataFrame:
    """Milestones not reached, due (forecast, else baseline) in ]as-of, as-of + ``months``
    calendar months], soonest first (see the module's Columns)."""
    start = pd.Timestamp(as_of)  # type: ignore[arg-type]
    end = start + pd.DateOffset(months=months)
    m = milestones.assign(due=milestones["forecast_date"].fillna(milestones["baseline_date"]))
    m = m[m["actual_date"].isna() & (m["due"] > start) & (m["due"] <= end)]
    m = m.sort_values(["due", "project_id", "milestone_id"])
    return m[["project_id", "project", "milestone_id", "name", "baseline_date", "due"]]


def _named(df: pd.DataFrame, id_col: str, name_col: str) -> str:
    items = [f"{i} {n}".strip() for i, n in zip(df[id_col], df[name_col].fillna(""), strict=True)]
    more = len(items) - NAMES_SHOWN
    return ", ".join(items[:NAMES_SHOWN]) + (f" (+{more})" if more > 0 else "")


def this_period(data: ReportData) -> list[str]:
    """What changed since the previous snapshot, one line per kind, naming the items."""
    lang, ch = data.lang, data.changes
    if ch is None:
        return [t("This is the first snapshot.", lang)]
    rag = ch["rag_changes"]
    moves = [
        f"{r.project_id} {_rag_word(r.rag_before, lang)} → {_rag_word(r.rag_after, lang)}"
        for r in rag.itertuples()
    ]
    extra = len(moves) - NAMES_SHOWN
    parts = [
        (
            t("{n} project(s) added", lang, n=len(ch["added"])),
            _named(ch["added"], "project_id", "name"),
        ),
        (
            t("{n} weather change(s)", lang, n=len(rag)),
            ", ".join(moves[:NAMES_SHOWN]) + (f" (+{extra})" if extra > 0 else ""),
        ),
        (
            t(
                "{n} milestone(s) slipped by more than 30 days",
                lang,
                n=len(ch["milestones_slipped"]),
            ),
            _named(ch["milestones_slipped"], "project_id", "name"),
        ),
        (
            t("{n} new top risk(s)", lang, n=len(ch["new_top_risks"])),
            _named(ch["new_top_risks"], "risk_id", "title"),
        ),
    ]
    return [head + (colon(lang) + names if names else "") for head, names in parts]


def _rag_word(code: object, lang: str) -> str:
    return (
        t(RAG_NAMES[code], lang)
        if isinstance(code, str) and code in RAG_NAMES
        else t(NO_RATING, lang)
    )


def tolerance_lines(th: dict[str, float], red: int, amber: int, lang: str) -> list[str]:
    """The thresholds in force in words, then how many projects are outside them."""
    return [
        t(
            "Schedule (SPI(t), else SPI) and cost (CPI): green at or above {green}, amber at "
            "or above {amber}, red below.",
            lang,
            green=fmt_number(th["green"], lang, 2),
            amber=fmt_number(th["amber"], lang, 2),
        ),
        t(
            "Milestones: amber when one is more than {amber} days overdue, red when more "
            "than {red}.",
            lang,
            amber=fmt_number(th["milestone_amber_days"], lang),
            red=fmt_number(th["milestone_red_days"], lang),
        ),
        t("{n} project(s) outside tolerance (red)", lang, n=red)
        + " · "
        + t("{n} amber project(s)", lang, n=amber),
    ]


def highlight(data: ReportData) -> Highlight:
    """The highlight report of ``data`` (see the module's rules)."""
    lang = data.lang
    th = kpi.thresholds_from_settings(data.snapshot.settings)
    weather = portfolio_weather(data.figures, th)
    spi_cpi = ", ".join(
        f"{t(name, lang)} {fmt_number(data.figures.get(key), lang, 2)}"
        for key, name in (("spi", "SPI"), ("cpi", "CPI"))
    )
    summary = [(t("Portfolio weather", lang), _rag_word(weather, lang), spi_cpi)]
    summary += [(c["label"], c["value"], c["delta"]) for c in card_values(data)]
    summary += portfolio_lines(data)
    k = data.kpis
    red = k[k["rag"] == "R"].sort_values("project_id")
    outside = red.assign(reasons=rag_reasons(red, data.milestones, lang))
    return Highlight(
        weather=weather,
        summary=summary,
        this_period=this_period(data),
        next_period=next_period(data.milestones, data.snapshot.as_of).reset_index(drop=True),
        tolerances=tolerance_lines(th, len(red), int((k["rag"] == "A").sum()), lang),
        outside=outside[[c for c, _, _ in OUTSIDE_COLUMNS]].reset_index(drop=True),
        risks=data.risks.head(TOP_RISKS_SHOWN).reset_index(drop=True),
    )
