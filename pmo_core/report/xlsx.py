"""The steering pack as an Excel workbook: :func:`to_xlsx` over a
:class:`pmo_core.report.ReportData`.

Number formats are written in the file format's invariant syntax (``#,##0.00``): Excel
shows them with the reader's own separators. Every text cell goes through
:func:`pmo_core.export_safety.safe_cell` (no formula injection from imported names).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from pmo_core.auth import who_in_words
from pmo_core.charts.theme import BAND_COLORS, NO_RAG, RAG_COLORS
from pmo_core.export_safety import safe_cell
from pmo_core.i18n import (
    CURRENCY_SYMBOLS,
    fmt_audit_action,
    fmt_audit_what,
    fmt_month,
    fmt_number,
    is_missing,
    t,
)
from pmo_core.kpi import NO_RATING, RATED_STATUSES
from pmo_core.optimize import sentences
from pmo_core.report import forecasts, highlight
from pmo_core.report.data import (
    COVER,
    MILESTONE_COLUMNS,
    RAG_NAMES,
    RISK_COLUMNS,
    VALUE_KINDS,
    ReportData,
    left_out_text,
    rag_first,
    rag_reasons,
    scope_text,
    subtitle,
)


class _Formats:
    """Number format codes for one language and currency (invariant syntax)."""

    def __init__(self, lang: str, currency: str) -> None:
        sym = CURRENCY_SYMBOLS.get(currency, currency)
        fr = lang == "fr"
        self.money = f'#,##0 "{sym}"' if fr else f'"{sym}"#,##0'
        # A change's zero section prints "=" as the cards do (i18n.NO_CHANGE); a change
        # too small to show at the format's precision (DELTA_DECIMALS) is written as 0.
        self.money_delta = (
            f'+#,##0 "{sym}";-#,##0 "{sym}";"="' if fr else f'+"{sym}"#,##0;-"{sym}"#,##0;"="'
        )
        self.count = "#,##0"
        self.count_delta = '+#,##0;-#,##0;"="'
        self.ratio = "0.00"
        self.ratio_delta = '+0.00;-0.00;"="'
        self.decimal = "#,##0.0"
        self.pct = "0\\ %" if fr else "0%"  # a ratio: 0.45 shows 45 %
        self.date = "dd/mm/yyyy" if fr else "d mmm yyyy"
        self.datetime = "dd/mm/yyyy hh:mm" if fr else "d mmm yyyy hh:mm"

    def of(self, kind: str) -> str | None:
        return getattr(self, kind, None)


#: Decimals a change of each kind is shown with (the ``*_delta`` formats above).
DELTA_DECIMALS = {"money": 0, "count": 0, "ratio": 2}


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
    na: bool = True,
) -> None:
    """Write ``df[columns]`` as a table: bold frozen header, filter, typed cells, widths.

    ``columns`` = (column, English header, kind) with kind in text, count, money, ratio,
    decimal, pct, date, datetime, rag, status. An undefined number is written "n/a"
    ("n/d" in French) when ``na``, never 0; a running project's missing RAG code is
    "No rating" in grey."""
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
                elif values.get("status") in RATED_STATUSES:  # expected, but no data
                    c.value, c.fill, c.font = t(NO_RATING, lang), _fill(NO_RAG), rag_font
                continue
            if kind == "status" and isinstance(v, str):
                v = t(v, lang)
            c = ws.cell(row=i, column=j, value=_cell_value(v, kind))
            if na and c.value is None and kind in NUMBER_KINDS:
                c.value = fmt_number(None, lang)
            fmt = fmts.of(kind)
            if fmt and c.value is not None and not isinstance(c.value, str):
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


NUMBER_KINDS = ("count", "money", "ratio", "decimal", "pct")
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
    _highlight_sheet(wb.active, data, fmts)
    _cover(wb.create_sheet(), data, fmts)
    k = data.kpis.assign(
        reasons=rag_reasons(data.kpis, data.milestones, lang),
        complete=data.kpis["percent_complete"] / 100,
    )
    k = k.sort_values(["rag", "project_id"], key=rag_first)
    _table(wb.create_sheet(t("Projects", lang)[:31]), k, PROJECT_COLUMNS, fmts, lang)
    ws = wb.create_sheet(t("Milestones", lang)[:31])
    _table(ws, data.milestones, MILESTONE_COLUMNS, fmts, lang)
    for i, late in enumerate(data.milestones["late"], start=2):
        if late:
            for j in range(1, len(MILESTONE_COLUMNS) + 1):
                ws.cell(row=i, column=j).fill = _fill(LATE_FILL)
    _table(wb.create_sheet(t("Top risks", lang)[:31]), data.risks, RISK_COLUMNS, fmts, lang)
    if data.forecast is not None:
        ws = wb.create_sheet(t("Forecasts", lang)[:31])
        _table(ws, forecasts.project_rows(data), forecasts.FORECAST_COLUMNS, fmts, lang)
    _utilisation_sheet(wb.create_sheet(t("Capacity", lang)[:31]), data, fmts)
    if data.scenario is not None:
        _scenario_sheet(wb.create_sheet(t("Scenario", lang)[:31]), data, fmts)
    log = data.audit  # the stored action codes and source names, as the user reads them
    audit = log.assign(
        who=[who_in_words(w, lang) for w in log["who"]],
        action=[fmt_audit_action(a, lang) for a in log["action"]],
        what=[fmt_audit_what(a, w, lang) for a, w in zip(log["action"], log["what"], strict=True)],
    )
    _table(wb.create_sheet(t("Audit log", lang)[:31]), audit, AUDIT_COLUMNS, fmts, lang, na=False)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cover(ws: Any, data: ReportData, fmts: _Formats) -> None:
    from openpyxl.styles import Font

    lang = data.lang
    ws.title = t("Cover", lang)[:31]
    snap = data.snapshot
    ws["A1"] = safe_cell(t("Steering committee pack", lang))
    ws["A1"].font = Font(bold=True, size=16, color="FF1F3B57")
    ws["A2"] = safe_cell(subtitle(data))
    ws["A3"] = t("As of", lang)
    ws["B3"] = snap.as_of
    ws["B3"].number_format = fmts.date
    ws["A4"] = t("Scope", lang)
    ws["B4"] = safe_cell(scope_text(data))
    head = [
        ("figure", "Indicator", "text"),
        ("value", "Value", "text"),
        ("previous", "Previous snapshot", "text"),
        ("change", "Change", "text"),
        ("left_out", "Left out", "text"),
    ]
    rows: list[dict[str, Any]] = []
    prev = data.previous_figures or {}
    for key, label, kind in COVER:
        now, before = data.figures.get(key), prev.get(key)
        change = None if is_missing(now) or is_missing(before) else float(now) - float(before)  # type: ignore[arg-type]
        if change is not None and round(change, DELTA_DECIMALS.get(kind, 9)) == 0:
            change = 0.0  # too small to show: the format's "=", not "+0.00" or "-0.00"
        rows.append(
            {
                "figure": t(label, lang),
                "kind": kind,
                "value": now,
                "previous": before,
                "change": change,
                "left_out": left_out_text(data.figures, key, lang) or None,
            }
        )
    _table(ws, pd.DataFrame(rows), head, fmts, lang, start_row=6)
    for i, r in enumerate(rows, start=7):  # numbers typed with their kind's format
        for j, col in ((2, "value"), (3, "previous"), (4, "change")):
            kind = str(r["kind"]) + ("_delta" if col == "change" else "")
            c = ws.cell(row=i, column=j, value=_cell_value(r[col], str(r["kind"])))
            shown = col == "value" or (col == "previous" and data.previous_figures is not None)
            if c.value is None and shown:
                c.value = fmt_number(None, lang)  # undefined: n/a, never 0
            elif c.value is not None:
                c.number_format = fmts.of(kind) or "General"
    ws.column_dimensions["A"].width = 34
    for col in "BCD":
        ws.column_dimensions[col].width = 20
    ws.column_dimensions["E"].width = 48


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
        ("Value", t(VALUE_KINDS.get(str(params.get("value")), "n/a"), lang), "text"),
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
    entries = res.get("excluded") or []
    ids = pd.Series([e.get("project_id") for e in entries], dtype="object")
    exc = pd.DataFrame(
        {
            "project_id": ids,
            "name": ids.map(names),
            "why": [sentences.reason_text(e, lang, data.currency) for e in entries],
        }
    )
    both = pd.concat([sel, exc], ignore_index=True)
    cols = [("project_id", "Project", "text"), ("name", "Name", "text"), ("why", "Reason", "text")]
    _table(ws, both, cols, fmts, lang, start_row=start)
    ws.freeze_panes = "A2"
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 60


def _block(
    ws: Any,
    row: int,
    df: pd.DataFrame,
    columns: list[tuple[str, str, str]],
    fmts: _Formats,
    lang: str,
) -> int:
    """``df[columns]`` written from ``row`` (a header in the pack's navy, typed cells,
    n/a for an undefined number); returns the next free row. Several fit on one sheet."""
    from openpyxl.styles import Alignment, Font

    for j, (_, header, _kind) in enumerate(columns, start=1):
        c = ws.cell(row=row, column=j, value=safe_cell(t(header, lang)))
        c.fill, c.font = _fill("#1f3b57"), Font(bold=True, color="FFFFFFFF")
    for i, values in enumerate(df.to_dict("records"), start=row + 1):
        for j, (col, _, kind) in enumerate(columns, start=1):
            v = values.get(col)
            if kind == "rag":
                v = t(RAG_NAMES[v], lang) if isinstance(v, str) and v in RAG_NAMES else None
                kind = "text"
            c = ws.cell(row=i, column=j, value=_cell_value(v, kind))
            if c.value is None and kind in NUMBER_KINDS:
                c.value = fmt_number(None, lang)
            elif c.value is not None and not isinstance(c.value, str) and fmts.of(kind):
                c.number_format = fmts.of(kind)
            c.alignment = Alignment(wrap_text=True, vertical="top")
    return row + len(df) + 2


def _highlight_sheet(ws: Any, data: ReportData, fmts: _Formats) -> None:
    """PRINCE2's highlight report as the first sheet (:mod:`pmo_core.report.highlight`):
    its texts as printed, its tables typed."""
    from openpyxl.styles import Font

    lang, h = data.lang, highlight.highlight(data)
    ws.title = t("Highlight report", lang)[:31]
    ws["A1"] = safe_cell(t("Highlight report", lang))
    ws["A1"].font = Font(bold=True, size=16, color="FF1F3B57")
    ws["A2"] = safe_cell(subtitle(data) + " · " + scope_text(data))
    parts = [t(p, lang) for p in highlight.PARTS]
    bold = Font(bold=True, size=12, color="FF1F3B57")

    def heading(row: int, text: str) -> int:
        ws.cell(row=row, column=1, value=safe_cell(text)).font = bold
        return row + 1

    row = heading(4, parts[0])
    for label, value, detail in h.summary:
        ws.cell(row=row, column=1, value=safe_cell(label))
        ws.cell(row=row, column=2, value=safe_cell(value)).font = Font(bold=True)
        ws.cell(row=row, column=3, value=safe_cell(detail) or None)
        row += 1
    row = heading(row + 1, parts[1])
    for line in h.this_period:
        ws.cell(row=row, column=1, value=safe_cell(line))
        row += 1
    row = heading(row + 1, parts[2])
    if h.next_period.empty:
        ws.cell(row=row, column=1, value=t("No milestone due in the next month.", lang))
        row += 2
    else:
        row = _block(ws, row, h.next_period, highlight.NEXT_COLUMNS, fmts, lang)
    row = heading(row, parts[3])
    for line in h.tolerances:
        ws.cell(row=row, column=1, value=safe_cell(line))
        row += 1
    if not h.outside.empty:
        row = _block(ws, row, h.outside, highlight.OUTSIDE_COLUMNS, fmts, lang)
    else:
        row += 1
    row = heading(row, parts[4])
    if h.risks.empty:
        ws.cell(row=row, column=1, value=t("No open risk.", lang))
    else:
        _block(ws, row, h.risks, highlight.RISK_COLUMNS, fmts, lang)
    for col, width in zip("ABCDEF", (34, 30, 60, 16, 16, 20), strict=True):
        ws.column_dimensions[col].width = width
