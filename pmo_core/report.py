"""The steering-committee pack: an Excel workbook, a self-contained HTML report and its PDF.

:func:`build_report` picks the format from the output's extension (``.xlsx``, ``.html``,
``.pdf``); :func:`collect` gathers the figures once, for one snapshot, one scope (project
ids from the sidebar filters, or all) and one language, so that the three formats, the
page and the CLI tell the same story. The cover's figures are :func:`portfolio_figures`,
the same roll-up as the CLI's ``kpis`` (DESIGN section 7), scoped.

Excel number formats are written in the file format's invariant syntax (``#,##0.00``):
Excel shows them with the reader's own separators (``1 234,50`` on a French PC). What
changes with the language is what the syntax can say: the currency after the amount in
French (``1 234 €``), before it in English (``€1,234``), ``45 %`` with a space in French,
and dates ``dd/mm/yyyy`` in French, ``d mmm yyyy`` in English. Every text cell goes through
:func:`pmo_core.export_safety.safe_cell`.

Columns:
    ReportData.kpis: kpi.snapshot_kpis columns, scoped
    ReportData.milestones: project_id, project, milestone_id, name, baseline_date,
        forecast_date, actual_date, slip_days, days_overdue, late (bool)
    ReportData.risks: risk.top_risks columns + project (name)
    ReportData.load: capacity.utilisation_by_role_month columns (demand of the scope)

Examples:
    >>> report_format("pack.XLSX"), report_format("html")
    ('xlsx', 'html')
"""

from __future__ import annotations

import html
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core import capacity, diff, kpi, risk, store
from pmo_core.charts.theme import BAND_COLORS, RAG_COLORS
from pmo_core.errors import PmoError, UsageError
from pmo_core.export_safety import safe_cell
from pmo_core.i18n import (
    CURRENCY_SYMBOLS,
    fmt_date,
    fmt_money,
    fmt_month,
    fmt_number,
    fmt_pct,
    is_missing,
    norm_lang,
    t,
)

FORMATS = ("xlsx", "html", "pdf")
RAG_NAMES = {"G": "Green", "A": "Amber", "R": "Red"}
TOP_RISKS = 15
SLIP_SHOWN_DAYS = 30  # the HTML lists late milestones and those slipped by more
#: Cover figures: key of :func:`portfolio_figures`, English label, kind of number.
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
    ("risk_exposure", "Risk exposure", "money"),
)


class ReportError(PmoError):
    """The report cannot be produced as asked (for example no Chromium for the PDF)."""


# ---------------------------------------------------------------------------- the data


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

    @property
    def currency(self) -> str:
        return self.snapshot.currency or "EUR"


def report_format(out: str | os.PathLike[str]) -> str:
    """``xlsx``, ``html`` or ``pdf`` from a path's extension or a bare format name."""
    text = str(out).lower()
    fmt = text.rsplit(".", 1)[-1] if "." in text else text
    if fmt not in FORMATS:
        raise UsageError(f"Unknown report format {out!s}: use .xlsx, .html or .pdf.")
    return fmt


def portfolio_figures(k: pd.DataFrame) -> dict[str, Any]:
    """The portfolio roll-up of a KPI frame, as the CLI's ``kpis`` gives it."""
    port = kpi.portfolio_evm(k)
    live = k[~k["status"].isin(["completed", "cancelled"])]
    port["risk_exposure"] = float(live["risk_exposure"].sum())
    port["risk_score"] = float(live["risk_score"].sum())
    port["red_projects"] = int((k["rag"] == "R").sum())
    port["amber_projects"] = int((k["rag"] == "A").sum())
    return port


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
) -> ReportData:
    """The figures of a pack: snapshot ``snapshot_id`` (None: the newest), projects
    ``project_ids`` (None: all), compared with the snapshot just before it."""
    snap = store.get_snapshot(snapshot_id, path=path)
    ids = None if project_ids is None else {str(i) for i in project_ids}
    frames = _scoped_frames(snap.frames, ids)
    k = _scoped(kpi.snapshot_kpis(snap), ids)
    prev_id = store.previous_snapshot_id(snap.snapshot_id, path)
    prev_fig, changes = None, None
    if prev_id is not None:
        prev = store.get_snapshot(prev_id, path=path)
        pk = _scoped(kpi.snapshot_kpis(prev), ids)
        prev_fig = portfolio_figures(pk)
        changes = diff.snapshot_diff(_scoped_frames(prev.frames, ids), frames, pk, k)
    names = k.set_index("project_id")["name"]
    ms = kpi.milestone_slip(frames["milestones"], snap.as_of)
    ms.insert(1, "project", ms["project_id"].map(names))
    ms["late"] = ms["days_overdue"] > 0
    ms = ms.sort_values(
        ["days_overdue", "slip_days", "baseline_date"], ascending=[False, False, True]
    )
    risks = risk.top_risks(frames["risks"], TOP_RISKS)
    risks.insert(2, "project", risks["project_id"].map(names))
    load = capacity.utilisation_by_role_month(
        frames["allocations"], snap.frames["resources"], snap.frames["capacity"]
    )
    return ReportData(
        snapshot=snap,
        lang=norm_lang(lang),
        scope=None if ids is None else tuple(sorted(ids)),
        kpis=k,
        figures=portfolio_figures(k),
        previous_id=prev_id,
        previous_figures=prev_fig,
        changes=changes,
        milestones=ms.reset_index(drop=True),
        risks=risks,
        load=load,
        scenario=_scenario(scenario_id, path),
        audit=store.audit_log(path),
    )


def _scenario(
    scenario_id: int | None, path: str | os.PathLike[str] | None
) -> dict[str, Any] | None:
    if scenario_id is None:
        return None
    from pmo_core import scenarios

    saved = scenarios.list_scenarios(path)
    row = saved[saved["doc_id"] == int(scenario_id)]
    if row.empty:
        raise UsageError(f"No saved scenario with id {scenario_id}.")
    r = row.iloc[0]
    return {"name": r["name"], "snapshot_id": r["snapshot_id"], **r["payload"]}


def _warns(code: object) -> bool:
    """True for an amber or red code (pd.NA and NaN are not)."""
    return isinstance(code, str) and code in ("A", "R")


def rag_reasons(k: pd.DataFrame, milestones: pd.DataFrame, lang: str) -> pd.Series:
    """Why each project has its weather: the override's reason, else the dimensions
    that are amber or red with their figure (SPI(t) or SPI, CPI, days overdue)."""
    overdue = milestones.groupby("project_id")["days_overdue"].max()
    out = {}
    for r in k.itertuples():
        parts = []
        if bool(r.rag_overridden):
            reason = r.rag_reason if isinstance(r.rag_reason, str) and r.rag_reason else "—"
            parts.append(t("Weather set by hand: {reason}", lang, reason=reason))
        if _warns(r.rag_schedule):
            spi_t = r.spi_t if not is_missing(r.spi_t) else r.spi
            parts.append(t("schedule: SPI {x}", lang, x=fmt_number(spi_t, lang, 2)))
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
        out[r.Index] = "; ".join(parts)
    return pd.Series(out, index=k.index, dtype="object")


# ---------------------------------------------------------------------------- Excel


class _Formats:
    """Number format codes for one language and currency (invariant syntax)."""

    def __init__(self, lang: str, currency: str) -> None:
        sym = CURRENCY_SYMBOLS.get(currency, currency)
        fr = lang == "fr"
        self.money = f'#,##0 "{sym}"' if fr else f'"{sym}"#,##0'
        self.money_delta = (
            f'+#,##0 "{sym}";-#,##0 "{sym}";0 "{sym}"' if fr else f'+"{sym}"#,##0;-"{sym}"#,##0;0'
        )
        self.count = "#,##0"
        self.count_delta = "+#,##0;-#,##0;0"
        self.ratio = "0.00"
        self.ratio_delta = "+0.00;-0.00;0.00"
        self.decimal = "#,##0.0"
        self.pct = "0\\ %" if fr else "0%"  # a ratio: 0.45 shows 45 %
        self.date = "dd/mm/yyyy" if fr else "d mmm yyyy"
        self.datetime = "dd/mm/yyyy hh:mm" if fr else "d mmm yyyy hh:mm"

    def of(self, kind: str) -> str | None:
        return getattr(self, kind, None)


def _fill(hex_color: str) -> Any:
    from openpyxl.styles import PatternFill

    rgb = "FF" + hex_color.lstrip("#").upper()
    return PatternFill("solid", fgColor=rgb, bgColor=rgb)


def _cell_value(v: Any, kind: str) -> Any:
    """A Python value openpyxl writes as the right type (text made safe)."""
    if is_missing(v):
        return None
    if kind in ("date", "datetime"):
        ts = pd.Timestamp(v)
        return ts.to_pydatetime().date() if kind == "date" else ts.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        v = v.item()
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", v))
    return v


def _table(
    ws: Any,
    df: pd.DataFrame,
    columns: list[tuple[str, str, str]],
    fmts: _Formats,
    lang: str,
    start_row: int = 1,
) -> None:
    """Write ``df[columns]`` as a table: bold frozen header, filter, typed cells, widths.

    ``columns`` = (column, English header, kind) with kind in text, count, money, ratio,
    decimal, pct, date, datetime, rag, status."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    head_fill, head_font = _fill("#1f3b57"), Font(bold=True, color="FFFFFFFF")
    widths = []
    for j, (_, header, _kind) in enumerate(columns, start=1):
        c = ws.cell(row=start_row, column=j, value=safe_cell(t(header, lang)))
        c.fill, c.font = head_fill, head_font
        c.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(min(max(len(str(c.value)) + 2, 10), 40))
    rag_font = Font(bold=True, color="FFFFFFFF")
    for i, row in enumerate(df.itertuples(index=False), start=start_row + 1):
        values = row._asdict()
        for j, (col, _, kind) in enumerate(columns, start=1):
            v = values.get(col)
            if kind == "rag":
                code = v if isinstance(v, str) else ""
                c = ws.cell(row=i, column=j, value=t(RAG_NAMES[code], lang) if code else None)
                if code in RAG_COLORS and code:
                    c.fill, c.font = _fill(RAG_COLORS[code]), rag_font
                continue
            if kind == "status" and isinstance(v, str):
                v = t(v, lang)
            c = ws.cell(row=i, column=j, value=_cell_value(v, kind))
            fmt = fmts.of(kind)
            if fmt and c.value is not None:
                c.number_format = fmt
            if isinstance(c.value, str):
                widths[j - 1] = min(max(widths[j - 1], len(c.value) + 2), 60)
            elif kind in ("date", "datetime", "money"):
                widths[j - 1] = max(widths[j - 1], 17 if kind == "datetime" else 13)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    last = get_column_letter(len(columns))
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(df), 1)}"


PROJECT_COLUMNS: list[tuple[str, str, str]] = [
    ("project_id", "ID", "text"),
    ("name", "Name", "text"),
    ("program", "Programme", "text"),
    ("department", "Direction", "text"),
    ("manager", "Manager", "text"),
    ("status", "Status", "status"),
    ("rag", "Weather", "rag"),
    ("rag_schedule", "Schedule", "rag"),
    ("rag_cost", "Cost", "rag"),
    ("rag_milestones", "Milestones", "rag"),
    ("rag_quality", "Quality", "rag"),
    ("reasons", "Why", "text"),
    ("complete", "Progress", "pct"),
    ("bac", "Budget (BAC)", "money"),
    ("pv", "Planned value (PV)", "money"),
    ("ev", "Earned value (EV)", "money"),
    ("ac", "Actual cost (AC)", "money"),
    ("sv", "Schedule variance (SV)", "money"),
    ("cv", "Cost variance (CV)", "money"),
    ("spi", "SPI", "ratio"),
    ("cpi", "CPI", "ratio"),
    ("spi_t", "SPI(t)", "ratio"),
    ("eac", "Estimate at completion", "money"),
    ("etc", "Estimate to complete (ETC)", "money"),
    ("vac", "Variance at completion (VAC)", "money"),
    ("tcpi", "TCPI", "ratio"),
    ("end_date", "End", "date"),
    ("forecast_finish", "Forecast finish", "date"),
    ("slip_days", "Slip (days)", "count"),
    ("alignment_score", "Alignment score", "decimal"),
    ("risk_exposure", "Risk exposure", "money"),
    ("risk_score", "Risk score", "decimal"),
]
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
AUDIT_COLUMNS: list[tuple[str, str, str]] = [
    ("logged_at", "When", "datetime"),
    ("who", "Who", "text"),
    ("action", "Action", "text"),
    ("what", "What", "text"),
    ("snapshot_id", "Snapshot", "count"),
    ("sha256", "File SHA-256", "text"),
]
LATE_FILL = "#f8d7da"  # light red: a milestone past its baseline without an actual date


def to_xlsx(data: ReportData) -> bytes:
    """The pack as an Excel workbook (bytes)."""
    from openpyxl import Workbook

    lang, fmts = data.lang, _Formats(data.lang, data.currency)
    wb = Workbook()
    wb.properties.creator = "PMO Cockpit"
    wb.properties.title = t("Steering committee pack", lang)
    _cover(wb.active, data, fmts)
    k = data.kpis.assign(
        reasons=rag_reasons(data.kpis, data.milestones, lang),
        complete=data.kpis["percent_complete"] / 100,
    )
    k = k.sort_values(["rag", "project_id"], key=_rag_first)
    _table(wb.create_sheet(t("Projects", lang)[:31]), k, PROJECT_COLUMNS, fmts, lang)
    ws = wb.create_sheet(t("Milestones", lang)[:31])
    _table(ws, data.milestones, MILESTONE_COLUMNS, fmts, lang)
    for i, late in enumerate(data.milestones["late"], start=2):
        if late:
            for j in range(1, len(MILESTONE_COLUMNS) + 1):
                ws.cell(row=i, column=j).fill = _fill(LATE_FILL)
    _table(wb.create_sheet(t("Top risks", lang)[:31]), data.risks, RISK_COLUMNS, fmts, lang)
    _utilisation_sheet(wb.create_sheet(t("Capacity", lang)[:31]), data, fmts)
    if data.scenario is not None:
        _scenario_sheet(wb.create_sheet(t("Scenario", lang)[:31]), data, fmts)
    _table(wb.create_sheet(t("Audit log", lang)[:31]), data.audit, AUDIT_COLUMNS, fmts, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rag_first(s: pd.Series) -> pd.Series:
    """Sort key: red, amber, green, none (other columns unchanged)."""
    if s.name == "rag":
        return s.map({"R": 0, "A": 1, "G": 2}).fillna(3)
    return s


def _cover(ws: Any, data: ReportData, fmts: _Formats) -> None:
    from openpyxl.styles import Font

    lang = data.lang
    ws.title = t("Cover", lang)[:31]
    snap = data.snapshot
    ws["A1"] = safe_cell(t("Steering committee pack", lang))
    ws["A1"].font = Font(bold=True, size=16, color="FF1F3B57")
    ws["A2"] = safe_cell(_subtitle(data))
    ws["A3"] = t("As of", lang)
    ws["B3"] = snap.as_of
    ws["B3"].number_format = fmts.date
    ws["A4"] = t("Scope", lang)
    ws["B4"] = safe_cell(_scope_text(data))
    head = [
        ("figure", "Indicator", "text"),
        ("value", "Value", "text"),
        ("previous", "Previous snapshot", "text"),
        ("change", "Change", "text"),
    ]
    rows: list[dict[str, Any]] = []
    prev = data.previous_figures or {}
    for key, label, kind in COVER:
        now, before = data.figures.get(key), prev.get(key)
        change = None if is_missing(now) or is_missing(before) else float(now) - float(before)  # type: ignore[arg-type]
        rows.append(
            {
                "figure": t(label, lang),
                "kind": kind,
                "value": now,
                "previous": before,
                "change": change,
            }
        )
    _table(ws, pd.DataFrame(rows), head, fmts, lang, start_row=6)
    for i, r in enumerate(rows, start=7):  # numbers typed with their kind's format
        for j, col in ((2, "value"), (3, "previous"), (4, "change")):
            kind = str(r["kind"]) + ("_delta" if col == "change" else "")
            c = ws.cell(row=i, column=j, value=_cell_value(r[col], str(r["kind"])))
            if c.value is not None:
                c.number_format = fmts.of(kind) or "General"
    ws.column_dimensions["A"].width = 34
    for col in "BCD":
        ws.column_dimensions[col].width = 20


def _subtitle(data: ReportData) -> str:
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


def _scope_text(data: ReportData) -> str:
    if data.scope is None:
        return t("All projects", data.lang)
    return t("{n} projects chosen by the filters", data.lang, n=len(data.scope))


def _utilisation_sheet(ws: Any, data: ReportData, fmts: _Formats) -> None:
    """Role x month utilisation with conditional colours in the app's three bands."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    lang, load = data.lang, data.load
    ws.append([safe_cell(t("Role", lang))])
    if load.empty:
        ws["A2"] = t("No allocations in this snapshot.", lang)
        return
    months = sorted(load["month"].unique())
    roles = sorted(load["role"].astype(str).unique())
    for j, m in enumerate(months, start=2):
        ws.cell(row=1, column=j, value=fmt_month(m, lang))
        ws.column_dimensions[get_column_letter(j)].width = 11
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFFFF"), _fill("#1f3b57")
    grid = load.assign(role=load["role"].astype(str)).set_index(["role", "month"])
    for i, role in enumerate(roles, start=2):
        ws.cell(row=i, column=1, value=safe_cell(role))
        for j, m in enumerate(months, start=2):
            if (role, m) not in grid.index:
                continue
            r = grid.loc[(role, m)]
            if bool(r["unbounded"]):
                c = ws.cell(row=i, column=j, value=t("no capacity", lang))
                c.fill, c.font = _fill(BAND_COLORS["none"]), Font(color="FFFFFFFF")
            elif not is_missing(r["utilisation"]):
                c = ws.cell(row=i, column=j, value=float(r["utilisation"]))
                c.number_format = fmts.pct
    ws.column_dimensions["A"].width = max(12, min(40, max(len(r) for r in roles) + 2))
    area = f"B2:{get_column_letter(len(months) + 1)}{len(roles) + 1}"
    for op, formula, band in (
        ("lessThan", ["0.8"], "low"),
        ("between", ["0.8", "1"], "ok"),
        ("greaterThan", ["1"], "over"),
    ):
        ws.conditional_formatting.add(
            area, CellIsRule(operator=op, formula=formula, fill=_fill(BAND_COLORS[band]))
        )
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(months) + 1)}{len(roles) + 1}"
    note = len(roles) + 3
    ws.cell(
        row=note,
        column=1,
        value=t("Bands: under 80 %, 80 to 100 %, over 100 % (over-allocated).", lang),
    )


def _scenario_sheet(ws: Any, data: ReportData, fmts: _Formats) -> None:
    lang, sc = data.lang, data.scenario or {}
    params, res = sc.get("parameters", {}), sc.get("result", {})
    names = data.kpis.set_index("project_id")["name"]
    rows = [
        ("Scenario", sc.get("name"), "text"),
        ("Snapshot", sc.get("snapshot_id"), "count"),
        ("Budget", params.get("budget"), "money"),
        ("Value", params.get("value"), "text"),
        ("Solver", t(str(res.get("status")), lang), "text"),
        ("Objective", res.get("objective"), "decimal"),
        ("Cost", res.get("total_cost"), "money"),
        ("Projects selected", len(res.get("selected") or []), "count"),
    ]
    df = pd.DataFrame(
        {"setting": [t(r[0], lang) for r in rows], "kind": [r[2] for r in rows]}
    ).assign(value=None)
    _table(ws, df, [("setting", "Setting", "text"), ("value", "Value", "text")], fmts, lang)
    for i, (_, v, kind) in enumerate(rows, start=2):
        c = ws.cell(row=i, column=2, value=_cell_value(v, kind))
        if fmts.of(kind) and c.value is not None:
            c.number_format = fmts.of(kind)
    start = len(rows) + 3
    sel = pd.DataFrame({"project_id": res.get("selected") or []})
    sel["name"], sel["why"] = sel["project_id"].map(names), t("Selected", lang)
    exc = pd.DataFrame(res.get("excluded") or [], columns=["project_id", "reason"])
    exc = pd.DataFrame(
        {
            "project_id": exc["project_id"],
            "name": exc["project_id"].map(names),
            "why": exc["reason"],
        }
    )
    both = pd.concat([sel, exc], ignore_index=True)
    cols = [("project_id", "Project", "text"), ("name", "Name", "text"), ("why", "Reason", "text")]
    _table(ws, both, cols, fmts, lang, start_row=start)
    ws.freeze_panes = "A2"
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 60


# ---------------------------------------------------------------------------- HTML


CSS = """
:root { --ink: #1f2933; --navy: #1f3b57; --line: #d9dee3; }
* { box-sizing: border-box; }
body { font-family: Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: var(--ink);
  margin: 24px auto; max-width: 1120px; font-size: 13px; line-height: 1.4; }
h1 { color: var(--navy); font-size: 24px; margin: 0 0 4px; }
h2 { color: var(--navy); font-size: 17px; border-bottom: 2px solid var(--navy);
  padding-bottom: 3px; margin: 22px 0 8px; }
.sub { color: #52606d; margin-bottom: 14px; }
.cards { display: grid; grid-template-columns: repeat(7, 1fr); gap: 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .label { font-size: 11px; color: #52606d; }
.card .value { font-size: 19px; font-weight: 600; }
.card .delta { font-size: 11px; color: #52606d; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
th { background: var(--navy); color: #fff; text-align: left; font-weight: 600; }
th, td { padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
td:first-child { white-space: nowrap; }  /* codes (PRJ-002, R-0066) never break */
.rag { color: #fff; font-weight: 600; border-radius: 3px; padding: 1px 6px; white-space: nowrap; }
tr.late td { background: #f8d7da; }
ul.changes { margin: 4px 0 8px 18px; padding: 0; }
.chart { page-break-inside: avoid; break-inside: avoid; }
.muted { color: #7b8794; }
footer { margin-top: 24px; font-size: 11px; color: #7b8794; }
@page { size: A4 landscape; margin: 10mm 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
  section.page { break-before: page; page-break-before: always; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .cards { grid-template-columns: repeat(7, 1fr); }
  th, .rag, tr.late td, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(x: object) -> str:
    """Escaped text of any value (n/a for missing)."""
    return html.escape("" if x is None else str(x))


def _rag_html(code: object, lang: str) -> str:
    if not isinstance(code, str) or code not in RAG_NAMES:
        return ""
    name = _e(t(RAG_NAMES[code], lang))
    return f'<span class="rag" style="background:{RAG_COLORS[code]}">{name}</span>'


def _html_table(
    df: pd.DataFrame, columns: list[tuple[str, str, str]], lang: str, currency: str
) -> str:
    """An HTML table of ``df[columns]``; every text escaped, numbers formatted."""
    head = "".join(f"<th>{_e(t(h, lang))}</th>" for _, h, _ in columns)
    body = []
    for row in df.to_dict("records"):
        cells = []
        for col, _, kind in columns:
            v = row.get(col)
            if kind == "rag":
                cells.append(f"<td>{_rag_html(v, lang)}</td>")
            elif kind in ("money", "count", "ratio", "decimal", "pct"):
                cells.append(f'<td class="num">{_e(_fmt(v, kind, lang, currency))}</td>')
            elif kind in ("date", "datetime"):
                cells.append(f"<td>{_e('' if is_missing(v) else fmt_date(v, lang))}</td>")
            elif kind == "status":
                cells.append(f"<td>{_e(t(v, lang) if isinstance(v, str) else '')}</td>")
            else:
                cells.append(f"<td>{_e('' if is_missing(v) else v)}</td>")
        late = ' class="late"' if row.get("late") is True else ""
        body.append(f"<tr{late}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _fmt(v: object, kind: str, lang: str, currency: str) -> str:
    if is_missing(v):
        return "" if kind != "ratio" else fmt_number(v, lang)
    if kind == "money":
        return fmt_money(v, lang, currency, compact=True)
    if kind == "ratio":
        return fmt_number(v, lang, 2)
    if kind == "decimal":
        return fmt_number(v, lang, 1)
    if kind == "pct":
        return fmt_pct(v, lang, 0, ratio=True)
    return fmt_number(v, lang)


def _signed(text: str, x: float) -> str:
    return ("+" if x > 0 else "") + text


def _cards(data: ReportData) -> str:
    lang, cur = data.lang, data.currency
    shown = (
        "projects_in_execution",
        "bac",
        "eac",
        "spi",
        "cpi",
        "red_projects",
        "risk_exposure",
    )
    labels = {key: (label, kind) for key, label, kind in COVER}
    out = []
    for key in shown:
        label, kind = labels[key]
        now = data.figures.get(key)
        value = _fmt(now, kind, lang, cur)
        delta = ""
        before = (data.previous_figures or {}).get(key)
        if not is_missing(now) and not is_missing(before):
            ch = float(now) - float(before)  # type: ignore[arg-type]
            delta = _signed(_fmt(ch, kind, lang, cur), ch) if ch else "="
            delta = t("{change} since #{id}", lang, change=delta, id=data.previous_id)
        out.append(
            f'<div class="card"><div class="label">{_e(t(label, lang))}</div>'
            f'<div class="value">{_e(value)}</div><div class="delta">{_e(delta)}</div></div>'
        )
    return f'<div class="cards">{"".join(out)}</div>'


def _charts(data: ReportData) -> list[str]:
    """The figures as HTML fragments: plotly.js inlined once, in the first one."""
    from pmo_core.charts import capacity as capacity_charts
    from pmo_core.charts import overview as overview_charts

    figs = []
    running = data.kpis[data.kpis["rag"].notna()]
    if len(running):
        figs.append(overview_charts.rag_by_group_bar(data.kpis, "program", data.lang))
    if not data.load.empty:
        figs.append(capacity_charts.utilisation_heatmap(data.load, data.lang, "role"))
    out = []
    for i, fig in enumerate(figs):
        # The heat map fills its landscape page (about 620 px under the heading) with rows
        # tall enough for the percentages to be read on paper.
        height = 280 if i == 0 else min(620, max(300, 150 + 32 * data.load["role"].nunique()))
        # Fixed size and margins: printed, the page has no room to grow into.
        fig.update_layout(
            width=1040,
            height=height,
            paper_bgcolor="#ffffff",
            margin={"l": 190, "r": 10, "t": 50 if i == 0 else 120, "b": 10},
        )
        fig.update_yaxes(automargin=True, ticksuffix="  ")  # labels clear of the bars
        out.append(
            fig.to_html(
                full_html=False,
                include_plotlyjs=(i == 0),
                config={"displayModeBar": False, "responsive": False},
            )
        )
    return out


def to_html(data: ReportData) -> str:
    """The pack as one self-contained HTML page (charts inlined, A4 landscape print)."""
    lang, cur = data.lang, data.currency
    charts = _charts(data)
    chart_of = iter(charts)
    k = data.kpis.assign(reasons=rag_reasons(data.kpis, data.milestones, lang))
    watch = k[k["rag"].isin(["R", "A"])].sort_values(["rag", "project_id"], key=_rag_first)
    parts = [
        f"<h1>{_e(t('Steering committee pack', lang))}</h1>",
        f'<div class="sub">{_e(_subtitle(data))} · {_e(_scope_text(data))}</div>',
        _cards(data),
    ]
    if data.kpis["rag"].notna().any():
        parts.append(f'<div class="chart">{next(chart_of)}</div>')
    parts.append(f"<section><h2>{_e(t('Red and amber projects', lang))}</h2>")
    if watch.empty:
        parts.append(f'<p class="muted">{_e(t("No red or amber project.", lang))}</p>')
    else:
        cols = [
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
        parts.append(_html_table(watch, cols, lang, cur))
    parts.append("</section>")
    parts.append(_changes_html(data))
    ms = data.milestones
    late = ms[ms["late"] | (ms["slip_days"] > SLIP_SHOWN_DAYS)]
    parts.append(f'<section class="page"><h2>{_e(t("Late and slipping milestones", lang))}</h2>')
    if late.empty:
        parts.append(f'<p class="muted">{_e(t("No late milestone.", lang))}</p>')
    else:
        parts.append(_html_table(late.head(30), MILESTONE_COLUMNS, lang, cur))
    parts.append("</section>")
    parts.append(f"<section><h2>{_e(t('Top risks', lang))}</h2>")
    risk_cols = [c for c in RISK_COLUMNS if c[0] not in ("probability", "impact")]
    parts.append(_html_table(data.risks.head(10), risk_cols, lang, cur))
    parts.append("</section>")
    parts.append(f'<section class="page"><h2>{_e(t("Capacity", lang))}</h2>')
    if data.load.empty:
        parts.append(f'<p class="muted">{_e(t("No allocations in this snapshot.", lang))}</p>')
    else:
        parts.append(f'<div class="chart">{next(chart_of)}</div>')
    parts.append("</section>")
    if data.scenario is not None:
        parts.append(_scenario_html(data))
    parts.append(
        f"<footer>{_e(t('PMO Cockpit · generated on {date}', lang, date=fmt_date(date.today(), lang)))}</footer>"
    )
    title = _e(t("Steering committee pack", lang) + " · " + fmt_date(data.snapshot.as_of, lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>"
    )


def _changes_html(data: ReportData) -> str:
    lang, cur, ch = data.lang, data.currency, data.changes
    head = f"<section><h2>{_e(t('What changed since the previous snapshot', lang))}</h2>"
    if ch is None:
        return head + f'<p class="muted">{_e(t("This is the first snapshot.", lang))}</p></section>'
    lines = [
        t("{n} project(s) added", lang, n=len(ch["added"])),
        t("{n} project(s) removed", lang, n=len(ch["removed"])),
        t("{n} weather change(s)", lang, n=len(ch["rag_changes"])),
        t("{n} milestone(s) slipped by more than 30 days", lang, n=len(ch["milestones_slipped"])),
        t("{n} budget change(s)", lang, n=len(ch["budget_changes"])),
        t("{n} new top risk(s)", lang, n=len(ch["new_top_risks"])),
    ]
    out = [head, '<ul class="changes">', *(f"<li>{_e(x)}</li>" for x in lines), "</ul>"]
    if len(ch["rag_changes"]):
        cols = [
            ("project_id", "ID", "text"),
            ("name", "Name", "text"),
            ("rag_before", "Before", "rag"),
            ("rag_after", "After", "rag"),
        ]
        out.append(_html_table(ch["rag_changes"], cols, lang, cur))
    if len(ch["milestones_slipped"]):
        cols = [
            ("project_id", "ID", "text"),
            ("name", "Milestone", "text"),
            ("forecast_before", "Before", "date"),
            ("forecast_after", "After", "date"),
            ("slip_days", "Slip (days)", "count"),
        ]
        out.append(_html_table(ch["milestones_slipped"].head(20), cols, lang, cur))
    if len(ch["eac_changes"]):
        cols = [
            ("project_id", "ID", "text"),
            ("name", "Name", "text"),
            ("before", "Before", "money"),
            ("after", "After", "money"),
            ("change", "Change", "money"),
        ]
        out.append(f"<h3>{_e(t('Estimate at completion', lang))}</h3>")
        out.append(_html_table(ch["eac_changes"].head(15), cols, lang, cur))
    out.append("</section>")
    return "".join(out)


def _scenario_html(data: ReportData) -> str:
    lang, sc = data.lang, data.scenario or {}
    params, res = sc.get("parameters", {}), sc.get("result", {})
    names = data.kpis.set_index("project_id")["name"]
    selected = ", ".join(f"{p} {names.get(p, '')}".strip() for p in res.get("selected") or [])
    items = [
        (t("Budget", lang), fmt_money(params.get("budget"), lang, data.currency, compact=True)),
        (t("Solver", lang), t(str(res.get("status")), lang)),
        (t("Cost", lang), fmt_money(res.get("total_cost"), lang, data.currency, compact=True)),
        (t("Projects selected", lang), selected),
    ]
    rows = "".join(f"<tr><th>{_e(a)}</th><td>{_e(b)}</td></tr>" for a, b in items)
    excluded = pd.DataFrame(res.get("excluded") or [], columns=["project_id", "reason"])
    excluded["name"] = excluded["project_id"].map(names)
    cols = [("project_id", "ID", "text"), ("name", "Name", "text"), ("reason", "Reason", "text")]
    title = t("Scenario: {name}", lang, name=sc.get("name"))
    return (
        f'<section class="page"><h2>{_e(title)}</h2><table>{rows}</table>'
        f"<h3>{_e(t('Excluded, and why', lang))}</h3>"
        f"{_html_table(excluded, cols, lang, data.currency)}</section>"
    )


# ---------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """Chromium's path: ``PMO_CHROMIUM``, else ``chromium`` or ``chromium-browser``."""
    env = os.environ.get("PMO_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_MISSING = (
    "The PDF is printed by headless Chromium, which is not installed. Install it "
    "(Debian/Ubuntu: apt-get install chromium) or set PMO_CHROMIUM to its path; "
    "the HTML report can be printed to PDF from any browser meanwhile."
)


def html_to_pdf(page: str, timeout: float = 120.0) -> bytes:
    """Print an HTML page to PDF with headless Chromium (A4 landscape from its CSS)."""
    exe = find_chromium()
    if exe is None:
        raise ReportError(CHROMIUM_MISSING)
    with tempfile.TemporaryDirectory(prefix="pmo_report_") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--virtual-time-budget=15000",  # let the charts draw before printing
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium did not print the PDF within {timeout:.0f} s.") from exc
        if not out.exists() or out.stat().st_size == 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ReportError("Chromium could not print the PDF: " + " / ".join(tail))
        return out.read_bytes()


# ---------------------------------------------------------------------------- entry point


def render(data: ReportData, fmt: str) -> bytes:
    """The pack in ``fmt`` (xlsx, html or pdf) as bytes."""
    if fmt == "xlsx":
        return to_xlsx(data)
    page = to_html(data)
    if fmt == "html":
        return page.encode("utf-8")
    return html_to_pdf(page)


def build_report(
    snapshot_id: int | None,
    out: str | os.PathLike[str],
    *,
    lang: str = "fr",
    project_ids: list[str] | None = None,
    scenario_id: int | None = None,
    path: str | os.PathLike[str] | None = None,
) -> bytes:
    """Build the pack. ``out`` is a file path (written; its extension gives the format)
    or a bare format name (``"xlsx"``, ``"html"``, ``"pdf"``: nothing written). Returns
    the bytes either way."""
    fmt = report_format(out)
    if fmt == "pdf" and find_chromium() is None:
        raise ReportError(CHROMIUM_MISSING)  # before the work, not after
    data = collect(
        snapshot_id, lang=lang, project_ids=project_ids, scenario_id=scenario_id, path=path
    )
    body = render(data, fmt)
    if "." in str(out) or os.sep in str(out):
        Path(out).write_bytes(body)
    return body


__all__ = [
    "ReportData",
    "ReportError",
    "build_report",
    "collect",
    "find_chromium",
    "html_to_pdf",
    "portfolio_figures",
    "rag_reasons",
    "render",
    "report_format",
    "to_html",
    "to_xlsx",
]
