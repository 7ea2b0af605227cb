"""The steering pack as one self-contained HTML page: :func:`to_html` over a
:class:`pmo_core.report.ReportData`.

Charts are inlined (plotly.js once), every user text is escaped, and a print stylesheet
lays the page out on A4 landscape for the PDF (:func:`pmo_core.report.html_to_pdf`).
"""

from __future__ import annotations

import html
from datetime import date

import pandas as pd

from pmo_core import kpi
from pmo_core.charts import capacity as capacity_charts
from pmo_core.charts import overview as overview_charts
from pmo_core.charts.theme import RAG_COLORS
from pmo_core.export_safety import safe_cell
from pmo_core.i18n import colon, fmt_date, fmt_money, is_missing, t
from pmo_core.kpi import NO_RATING
from pmo_core.optimize import sentences
from pmo_core.report import forecasts, highlight
from pmo_core.report.data import (
    MILESTONE_COLUMNS,
    RAG_NAMES,
    RISK_COLUMNS,
    SLIP_SHOWN_DAYS,
    VALUE_KINDS,
    WATCH_COLUMNS,
    ReportData,
    card_values,
    cell_text,
    scope_text,
    subtitle,
    watch_list,
)

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
.hl { display: grid; grid-template-columns: 1fr 1.3fr; gap: 6px 18px; }
.hl h3 { color: var(--navy); font-size: 13px; margin: 8px 0 3px; }
.hl table.summary th { background: none; color: var(--ink); font-weight: 400; width: 40%; }
.hl table.summary td.v { font-weight: 600; white-space: nowrap; }
.hl table.summary td.d { color: #52606d; font-size: 11px; }
.hl ul { margin: 2px 0 6px 16px; padding: 0; }
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
                cells.append(f'<td class="num">{_e(cell_text(v, kind, lang, currency))}</td>')
            elif kind in ("date", "datetime"):
                cells.append(f"<td>{_e('' if is_missing(v) else fmt_date(v, lang))}</td>")
            elif kind == "status":
                cells.append(f"<td>{_e(t(v, lang) if isinstance(v, str) else '')}</td>")
            else:  # imported text: quoted like the Excel pack's (Excel opens .html too)
                cells.append(f"<td>{_e('' if is_missing(v) else safe_cell(v))}</td>")
        late = ' class="late"' if row.get("late") is True else ""
        body.append(f"<tr{late}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _has_weather(k: pd.DataFrame) -> bool:
    """True when the weather chart has a bar: a rated project, or a running one unrated."""
    return bool(k["rag"].notna().any() or kpi.unrated(k).any())


def _cards(data: ReportData) -> str:
    out = []
    for card in card_values(data):
        note = card["note"]
        note_html = f'<div class="delta">{_e(note)}</div>' if note else ""
        out.append(
            f'<div class="card"><div class="label">{_e(card["label"])}</div>'
            f'<div class="value">{_e(card["value"])}</div>'
            f'<div class="delta">{_e(card["delta"])}</div>{note_html}</div>'
        )
    return f'<div class="cards">{"".join(out)}</div>'


def _charts(data: ReportData) -> list[str]:
    """The figures as HTML fragments: plotly.js inlined once, in the first one."""
    figs = []
    if _has_weather(data.kpis):
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
            margin={"l": 190, "r": 10, "t": 50 if i == 0 else 120, "b": 60 if i == 0 else 40},
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
    watch = watch_list(data)
    parts = [
        f"<h1>{_e(t('Steering committee pack', lang))}</h1>",
        f'<div class="sub">{_e(subtitle(data))} · {_e(scope_text(data))}</div>',
        _highlight_html(data),
        f'<section class="page"><h2>{_e(t("Key figures", lang))}</h2>',
        _cards(data),
    ]
    if _has_weather(data.kpis):
        parts.append(f'<div class="chart">{next(chart_of)}</div>')
    parts.append(f"<section><h2>{_e(t('Red and amber projects', lang))}</h2>")
    if watch.empty:
        parts.append(f'<p class="muted">{_e(t("No red or amber project.", lang))}</p>')
    else:
        parts.append(_html_table(watch, WATCH_COLUMNS, lang, cur))
    parts.append("</section></section>")
    parts.append(_changes_html(data))
    parts.append(_forecasts_html(data))
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
        (t("Value", lang), t(VALUE_KINDS.get(str(params.get("value")), "n/a"), lang)),
        (t("Solver", lang), t(str(res.get("status")), lang)),
        (t("Cost", lang), fmt_money(res.get("total_cost"), lang, data.currency, compact=True)),
        (t("Projects selected", lang), selected),
    ]
    rows = "".join(f"<tr><th>{_e(a)}</th><td>{_e(b)}</td></tr>" for a, b in items)
    entries = res.get("excluded") or []
    excluded = pd.DataFrame(
        {
            "project_id": [e.get("project_id") for e in entries],
            "reason": [sentences.reason_text(e, lang, data.currency) for e in entries],
        }
    )
    excluded["name"] = excluded["project_id"].map(names)
    cols = [("project_id", "ID", "text"), ("name", "Name", "text"), ("reason", "Reason", "text")]
    title = t("Scenario: {name}", lang, name=sc.get("name"))
    return (
        f'<section class="page"><h2>{_e(title)}</h2><table>{rows}</table>'
        f"<h3>{_e(t('Excluded, and why', lang))}</h3>"
        f"{_html_table(excluded, cols, lang, data.currency)}</section>"
    )


SHOWN_ROWS = 8  # rows of a highlight table; the rest are in the pack's other pages


def _rows_or_none(
    df: pd.DataFrame, columns: list[tuple[str, str, str]], data: ReportData, none: str
) -> str:
    lang = data.lang
    if df.empty:
        return f'<p class="muted">{_e(t(none, lang))}</p>'
    out = _html_table(df.head(SHOWN_ROWS), columns, lang, data.currency)
    if len(df) > SHOWN_ROWS:
        more = t("{n} more in the pack.", lang, n=len(df) - SHOWN_ROWS)
        out += f'<p class="muted">{_e(more)}</p>'
    return out


def _highlight_html(data: ReportData) -> str:
    """PRINCE2's highlight report, the pack's first page (:mod:`pmo_core.report.highlight`)."""
    lang, h = data.lang, highlight.highlight(data)
    names = [_e(t(p, lang)) for p in highlight.PARTS]
    summary = "".join(
        f'<tr><th>{_e(label)}</th><td class="v">{_e(value)}</td><td class="d">{_e(detail)}</td></tr>'
        for label, value, detail in h.summary
    )
    weather = _rag_html(h.weather, lang) or _e(t(NO_RATING, lang))
    left = (
        f"<div><h3>{names[0]} · {weather}</h3>"
        f'<table class="summary">{summary}</table>'
        f"<h3>{names[4]}</h3>"
        + _rows_or_none(h.risks, highlight.RISK_COLUMNS, data, "No open risk.")
        + "</div>"
    )
    right = (
        f"<div><h3>{names[1]}</h3><ul>"
        + "".join(f"<li>{_e(x)}</li>" for x in h.this_period)
        + f"</ul><h3>{names[2]}</h3>"
        + _rows_or_none(
            h.next_period, highlight.NEXT_COLUMNS, data, "No milestone due in the next month."
        )
        + f"<h3>{names[3]}</h3><ul>"
        + "".join(f"<li>{_e(x)}</li>" for x in h.tolerances)
        + "</ul>"
        + _rows_or_none(h.outside, highlight.OUTSIDE_COLUMNS, data, "No project outside tolerance.")
        + "</div>"
    )
    title = _e(t("Highlight report", lang))
    return f'<section><h2>{title}</h2><div class="hl">{left}{right}</div></section>'


def _forecasts_html(data: ReportData) -> str:
    """The portfolio's P50/P80 and the red and top projects' (:mod:`pmo_core.report.forecasts`)."""
    lang = data.lang
    head = f"<section><h2>{_e(t('Forecasts with their confidence', lang))}</h2>"
    lines = forecasts.portfolio_lines(data)
    if not lines:
        return ""
    items = "".join(
        f"<li>{_e(label)}{_e(colon(lang))}<b>{_e(value)}</b>"
        + (f' <span class="muted">({_e(detail)})</span>' if detail else "")
        + "</li>"
        for label, value, detail in lines
    )
    rows = forecasts.project_rows(data)
    table = (
        _html_table(rows, forecasts.FORECAST_COLUMNS, lang, data.currency)
        if len(rows)
        else f'<p class="muted">{_e(t("No running project to forecast.", lang))}</p>'
    )
    return f'{head}<ul class="changes">{items}</ul>{table}</section>'
