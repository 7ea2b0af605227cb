"""Workbooks in the import template's format: the empty template and any set of frames.

The template is the native import format: one sheet per canonical table, named in the
user's language, with human headers that the import maps back to canonical columns (a
test checks every label). Written with xlsxwriter (fast, writes formats) and with fixed
document properties so that the same frames always give the same bytes.

Columns:
    write_workbook(frames, ...) takes canonical frames (:mod:`pmo_core.schema` columns
        and dtypes, e.g. from ``demo.build_demo`` or an import); missing tables give
        sheets with headers only, missing columns blank cells

Examples:
    >>> header("projects", "start_date", "fr")
    'Date de début'
    >>> header("projects", "budget", "en")
    'Budget (BAC)'
"""

from __future__ import annotations

import io
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.i18n import fmt_dates, fmt_judgment, fmt_month, fmt_number, is_missing, t

#: (English, French) header per canonical column; each must match its column's synonyms.
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "projects": {
        "project_id": ("Project ID", "Code projet"),
        "name": ("Project name", "Nom du projet"),
        "program": ("Programme", "Programme"),
        "portfolio": ("Portfolio", "Portefeuille"),
        "department": ("Department", "Direction"),
        "sponsor": ("Sponsor", "Commanditaire"),
        "manager": ("Project manager", "Chef de projet"),
        "status": ("Status", "Statut"),
        "phase": ("Phase", "Phase"),
        "start_date": ("Start date", "Date de début"),
        "end_date": ("Baseline finish", "Date de fin de référence"),
        "forecast_end_date": ("Forecast finish", "Date de fin prévisionnelle"),
        "budget": ("Budget (BAC)", "Budget (BAA)"),
        "actual_cost": ("Actual cost", "Coût réel"),
        "percent_complete": ("% complete", "% avancement"),
        "expected_benefit": ("Expected benefits", "Bénéfices attendus"),
        "mandatory": ("Mandatory", "Obligatoire"),
        "depends_on": ("Depends on", "Dépend de"),
        "exclusive_group": ("Exclusive group", "Groupe exclusif"),
        "rag_override": ("RAG override", "Météo forcée"),
        "rag_reason": ("RAG reason", "Justification météo"),
        "description": ("Description", "Description"),
    },
    "objectives": {
        "objective_id": ("Objective ID", "Code objectif"),
        "name": ("Objective", "Objectif"),
        "weight": ("Weight", "Poids"),
    },
    "pairwise": {
        "objective_a": ("Objective A", "Objectif A"),
        "objective_b": ("Objective B", "Objectif B"),
        "judgment": ("Judgment", "Jugement"),
    },
    "alignment": {
        "project_id": ("Project ID", "Code projet"),
        "objective_id": ("Objective ID", "Code objectif"),
        "rating": ("Rating", "Note"),
    },
    "resources": {
        "resource_id": ("Resource ID", "Code ressource"),
        "name": ("Resource name", "Nom"),
        "role": ("Role", "Rôle"),
        "department": ("Department", "Direction"),
        "capacity_hours_per_month": ("Capacity (h/month)", "Capacité (h/mois)"),
        "fte": ("FTE", "ETP"),
        "cost_rate": ("Hourly rate", "Taux horaire"),
    },
    "capacity": {
        "role": ("Role", "Rôle"),
        "month": ("Month", "Mois"),
        "capacity_hours": ("Available hours", "Heures disponibles"),
    },
    "allocations": {
        "project_id": ("Project ID", "Code projet"),
        "role": ("Role", "Rôle"),
        "resource_id": ("Resource ID", "Code ressource"),
        "month": ("Month", "Mois"),
        "hours": ("Hours", "Heures"),
    },
    "milestones": {
        "project_id": ("Project ID", "Code projet"),
        "milestone_id": ("Milestone ID", "Code jalon"),
        "name": ("Milestone", "Jalon"),
        "baseline_date": ("Baseline date", "Date de référence"),
        "forecast_date": ("Forecast date", "Date prévisionnelle"),
        "actual_date": ("Actual date", "Date réelle"),
    },
    "risks": {
        "risk_id": ("Risk ID", "Code risque"),
        "project_id": ("Project ID", "Code projet"),
        "title": ("Risk", "Risque"),
        "probability": ("Probability", "Probabilité"),
        "impact": ("Impact", "Impact"),
        "status": ("Status", "Statut"),
        "owner": ("Owner", "Responsable"),
        "mitigation": ("Mitigation plan", "Plan d'atténuation"),
    },
    "status_reports": {
        "project_id": ("Project ID", "Code projet"),
        "report_date": ("Report date", "Date du rapport"),
        "planned_value": ("PV", "Valeur planifiée"),
        "earned_value": ("EV", "Valeur acquise"),
        "actual_cost": ("AC", "Coût réel"),
        "percent_complete": ("% complete", "% avancement"),
        "rag": ("RAG status", "Météo"),
        "comment": ("Comment", "Commentaire"),
        "quality_rag": ("Quality", "Qualité"),
        "quality_comment": ("Quality comment", "Commentaire qualité"),
    },
    "baseline": {
        "project_id": ("Project ID", "Code projet"),
        "month": ("Month", "Mois"),
        "planned_value": ("Cumulative PV", "VP cumulée"),
        "planned_value_period": ("PV per period", "VP du mois"),
    },
    "priorities": {
        "project_id": ("Project ID", "Code projet"),
        "alignment_score": ("Alignment score", "Score d'alignement"),
        "priority_pct": ("Priority %", "Priorité %"),
        "source": ("Source", "Source"),
    },
    "settings": {
        "key": ("Setting", "Paramètre"),
        "value": ("Value", "Valeur"),
    },
}

#: What each sheet holds, for the Read-me sheet (English keys; French in fr_template).
SHEET_HELP: dict[str, str] = {
    "projects": "One row per project: identity, status, dates, budget, progress, benefit.",
    "objectives": "Strategic objectives (business drivers). Weight optional: blank = from "
    "the pairwise comparisons, or equal.",
    "pairwise": "How much more important objective A is than objective B (AHP).",
    "alignment": "Rating of each project against each objective (one row per pair).",
    "resources": "People by role; capacity per month (default 140 h x FTE).",
    "capacity": "Optional: available hours per role and month (overrides the resources).",
    "allocations": "Planned hours per project, role (or resource) and month.",
    "milestones": "Milestones: baseline, forecast and actual dates.",
    "risks": "Risk register: probability, impact, status, owner, mitigation.",
    "status_reports": "Monthly status reports: cumulative PV, EV, AC, RAG, comment.",
    "baseline": "Optional: the baseline PV curve per project and month, cumulative (Cumulative "
    "PV) or per month (PV per period): fill one of the two. It gives PV at the as-of date and "
    "the earned schedule; without it the plan is linear from start to finish.",
    "priorities": "Optional: each project's alignment score (0-100) and priority % as "
    "another tool computed them (Project Server's portfolio analysis), used for the projects "
    "the Alignment sheet does not rate.",
    "settings": "Optional settings: as_of (the snapshot's date), currency (EUR, GBP...).",
}

#: Accepted values: (what, English words, French words). Either language is accepted.
ACCEPTED: tuple[tuple[str, str, str], ...] = (
    (
        "Project status",
        "proposed, approved, in progress, on hold, completed, cancelled",
        "Proposé, Approuvé, En cours, Suspendu, Terminé, Annulé",
    ),
    ("Yes / no (mandatory)", "yes, no", "Oui, Non"),
    ("RAG status", "Green, Amber, Red (G, A, R)", "Vert, Orange, Rouge"),
    (
        "Alignment rating",
        "None 0, Low 1, Moderate 3, Strong 6, Extreme 9",
        "Aucun 0, Faible 1, Modéré 3, Fort 6, Extrême 9",
    ),
    (
        "Pairwise judgment",
        "9, 6, 3, 1, 1/3, 1/6, 1/9 (extremely more ... equal ... extremely less)",
        "9, 6, 3, 1, 1/3, 1/6, 1/9 (extrêmement plus ... égal ... extrêmement moins)",
    ),
    ("Risk probability", "0-1, 0-100 % or a level 1-5", "0-1, 0-100 % ou un niveau 1-5"),
    ("Risk impact", "an amount or a level 1-5", "un montant ou un niveau 1-5"),
    ("Dates", "2026-12-31, 31/12/2026 or an Excel date", "31/12/2026, 2026-12-31 ou date Excel"),
    ("Months", "2026-12, 12/2026 or the month's first day", "12/2026, 2026-12 ou le 1er du mois"),
    ("Numbers", "1,234.50 or 1 234,50; percent 45 or 45 %", "1 234,50 ou 1,234.50 ; 45 ou 45 %"),
)

#: Columns written with a thousands format (amounts, hours) or a fixed number format.
MONEY = frozenset(
    {
        "budget",
        "actual_cost",
        "expected_benefit",
        "planned_value",
        "planned_value_period",
        "earned_value",
        "impact",
    }
)
NUMBER_FORMATS: dict[str, str] = {
    "percent_complete": "0.0",
    "probability": "0.00",
    "fte": "0.0#",
    "cost_rate": "#,##0.00",
    "hours": "#,##0",
    "capacity_hours": "#,##0",
    "capacity_hours_per_month": "#,##0",
}
WIDE = frozenset(
    {"name", "title", "description", "mitigation", "comment", "rag_reason", "quality_comment"}
)
#: Codes written as a PMO writes them, in the workbook's language (the import maps them
#: back): (English, French) per canonical value.
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "proposed": ("Proposed", "Proposé"),
    "approved": ("Approved", "Approuvé"),
    "in_progress": ("In progress", "En cours"),
    "on_hold": ("On hold", "Suspendu"),
    "completed": ("Completed", "Terminé"),
    "cancelled": ("Cancelled", "Annulé"),
}
RAG_WORDS: dict[str, tuple[str, str]] = {
    "G": ("Green", "Vert"),
    "A": ("Amber", "Orange"),
    "R": ("Red", "Rouge"),
}
WORDS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("projects", "status"): STATUS_WORDS,
    ("projects", "rag_override"): RAG_WORDS,
    ("status_reports", "rag"): RAG_WORDS,
    ("status_reports", "quality_rag"): RAG_WORDS,
}
#: Fixed document date: the same frames always give the same bytes.
FIXED_CREATED = datetime(2026, 1, 1)


def header(table: str, column: str, lang: str = "fr") -> str:
    """The template's header for a canonical column in ``lang`` ("fr" or "en").

    Examples:
        >>> header("risks", "probability", "fr")
        'Probabilité'
    """
    en, fr = LABELS[table][column]
    return fr if lang == "fr" else en


def as_written(table: str, frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A canonical frame as the template writes it, to be read on screen: headers in
    ``lang`` (:func:`header`), codes as words (``approved`` -> ``Approuvé``), dates as the
    language writes them (``05/01/2026`` / ``5 Jan 2026``, months ``janv. 2026``), numbers
    too (:func:`number_as_written`: ``1 234,5`` / ``1,234.5``; Saaty judgments ``1/3``);
    text cells as they are. A column the template does not know keeps its name.

    Examples:
        >>> f = pd.DataFrame({"project_id": ["P1"], "status": ["approved"],
        ...                   "start_date": [pd.Timestamp("2026-01-05")]})
        >>> as_written("projects", f, "fr").to_dict("records")
        [{'Code projet': 'P1', 'Statut': 'Approuvé', 'Date de début': '05/01/2026'}]
        >>> b = pd.DataFrame({"project_id": ["P1"], "budget": [1234.5]})
        >>> as_written("projects", b, "fr")["Budget (BAA)"].tolist()
        ['1\u202f234,5']
    """
    out = frame.copy()
    known = schema.ALL_SHEETS.get(table)
    dtypes = {c.name: c.dtype for c in known.columns} if known is not None else {}
    for col in out.columns:
        out[col] = _in_words(out[col], WORDS.get((table, col)), lang)
        dtype = dtypes.get(col)
        if dtype == "date":
            out[col] = fmt_dates(out[col], lang)
        elif dtype == "month":
            out[col] = [fmt_month(v, lang) for v in out[col]]
        elif (table, col) == ("pairwise", "judgment"):
            out[col] = ["" if is_missing(v) else fmt_judgment(v, lang) for v in out[col]]
        elif dtype in ("float", "int"):
            out[col] = [number_as_written(v, lang) for v in out[col]]
    labels = LABELS.get(table, {})
    out.columns = [header(table, c, lang) if c in labels else c for c in out.columns]
    return out


#: The most decimals a preview shows (the app's figures show two; the file keeps all).
PREVIEW_DECIMALS = 2


def number_as_written(v: object, lang: str) -> str:
    """A number read from a file, as ``lang`` writes it, with the decimals it has up to
    :data:`PREVIEW_DECIMALS` (no trailing zero); an empty cell stays empty (it is not a
    figure the app computed, and none was typed).

    Examples:
        >>> [number_as_written(v, "fr") for v in (1234.5, 1_000_000.0, 0.35, 2.0, None)]
        ['1\u202f234,5', '1\u202f000\u202f000', '0,35', '2', '']
        >>> [number_as_written(v, "en") for v in (1234.5, 0.126, -3.0)]
        ['1,234.5', '0.13', '-3']
    """
    if is_missing(v):
        return ""
    x = float(v)  # type: ignore[arg-type]
    decimals = next((d for d in range(PREVIEW_DECIMALS) if round(x, d) == x), PREVIEW_DECIMALS)
    return fmt_number(x, lang, decimals)


def _sheet_name(table: str, lang: str) -> str:
    return schema.ALL_SHEETS[table].sheet_name(lang)


def formula_like(value: str) -> bool:
    """True when Excel would read a typed text as a formula (so it must go as a string).

    Examples:
        >>> formula_like("=1+1"), formula_like("+33 1 23"), formula_like("Budget")
        (True, True, False)
    """
    return value[:1] in ("=", "+", "-", "@", "\t", "\r")


def write_workbook(
    frames: dict[str, pd.DataFrame],
    settings: dict[str, str],
    out: str | os.PathLike[str] | io.BytesIO,
    lang: str = "fr",
    *,
    readme: bool = False,
) -> None:
    """Write frames (canonical columns) as a workbook in the template's format.

    One sheet per table of :data:`pmo_core.schema.TABLES` (named in ``lang``; a missing
    frame gives a sheet with headers only), then the Settings sheet (key, value). Headers
    are bold, frozen and filtered; dates are real Excel dates; amounts carry a number
    format; percent_complete stays a plain number 0-100; statuses and RAG codes are
    written as words in ``lang`` (En cours, Vert...). Every text is written as a
    string (never a formula, whatever it starts with). ``readme=True`` adds a first
    Read-me sheet and stars the required headers (the empty template).

    Examples:
        >>> buf = io.BytesIO()
        >>> write_workbook({}, {"currency": "EUR"}, buf, "en")
        >>> buf.getvalue()[:2]
        b'PK'
    """
    import xlsxwriter

    target = out if isinstance(out, io.BytesIO) else str(Path(out))
    wb = xlsxwriter.Workbook(
        target,
        {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True},
    )
    wb.set_properties({"created": FIXED_CREATED, "author": "PMO Cockpit", "title": "PMO Cockpit"})
    head = {"bold": True, "font_color": "#ffffff", "border": 1, "text_wrap": True}
    bold = wb.add_format({**head, "bg_color": "#1f3b57", "valign": "top"})
    required = wb.add_format({**head, "bg_color": "#b3541e", "valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy" if lang == "fr" else "yyyy-mm-dd"})
    month_fmt = wb.add_format({"num_format": "mm/yyyy" if lang == "fr" else "yyyy-mm"})
    money_fmt = wb.add_format({"num_format": "#,##0"})
    formats = {k: wb.add_format({"num_format": v}) for k, v in NUMBER_FORMATS.items()}
    yes_no = ("Oui", "Non") if lang == "fr" else ("yes", "no")

    if readme:
        _write_readme(wb, bold, lang)
    for name, table in schema.TABLES.items():
        df = frames.get(name, schema.empty_frame(name))
        ws = wb.add_worksheet(_sheet_name(name, lang))
        for j, col in enumerate(table.columns):
            label = header(name, col.name, lang) + (" *" if col.required and readme else "")
            ws.write_string(0, j, label, required if col.required else bold)
            width = 40 if col.name in WIDE else max(12, min(40, len(label) + 4))
            fmt = money_fmt if col.name in MONEY else formats.get(col.name)
            if col.dtype in ("date", "month"):
                fmt, width = (date_fmt, 13) if col.dtype == "date" else (month_fmt, 10)
            ws.set_column(j, j, width, fmt)
            if col.name in df.columns and len(df):
                values = _in_words(df[col.name], WORDS.get((name, col.name)), lang)
                _write_column(ws, j, values, col.dtype, fmt, yes_no)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(df), 1), len(table.columns) - 1)
        ws.set_row(0, 30)
    ws = wb.add_worksheet(_sheet_name("settings", lang))
    ws.write_string(0, 0, header("settings", "key", lang), bold)
    ws.write_string(0, 1, header("settings", "value", lang), bold)
    ws.set_column(0, 1, 24)
    ws.freeze_panes(1, 0)
    for i, (k, v) in enumerate(settings.items(), start=1):
        ws.write_string(i, 0, str(k))
        if str(v):
            ws.write_string(i, 1, str(v))
    wb.close()


def _in_words(s: pd.Series, words: dict[str, tuple[str, str]] | None, lang: str) -> pd.Series:
    """Codes (in_progress, G...) as words in ``lang``; other values unchanged.

    Examples:
        >>> _in_words(pd.Series(["in_progress", "x"]), STATUS_WORDS, "fr").tolist()
        ['En cours', 'x']
    """
    if not words:
        return s
    k = 1 if lang == "fr" else 0
    return s.map({code: pair[k] for code, pair in words.items()}).fillna(s)


def _write_column(
    ws: Any, j: int, s: pd.Series, dtype: str, fmt: Any, yes_no: tuple[str, str]
) -> None:
    """Write one column from row 1 down, typed; missing values stay blank cells."""
    if dtype in ("date", "month"):
        for i, v in enumerate(pd.to_datetime(s).dt.to_pydatetime(), start=1):
            if not pd.isna(v):
                ws.write_datetime(i, j, v, fmt)
        return
    if dtype in ("float", "int"):
        values = pd.to_numeric(s).to_numpy(dtype="float64", na_value=float("nan"))
        for i, v in enumerate(values.tolist(), start=1):
            if v == v:  # not NaN
                ws.write_number(i, j, v, fmt)
        return
    if dtype == "bool":
        for i, v in enumerate(s.astype("boolean").tolist(), start=1):
            if v is not None and v is not pd.NA:
                ws.write_string(i, j, yes_no[0] if v else yes_no[1])
        return
    for i, v in enumerate(s.astype("string").tolist(), start=1):
        if v is not None and v is not pd.NA and v != "":
            ws.write_string(i, j, v)  # a string, never a formula, whatever it starts with


def _write_readme(wb: Any, bold: Any, lang: str) -> None:
    """The Read-me sheet: what each sheet holds, its required columns, accepted values."""
    ws = wb.add_worksheet(t("Read me", lang))
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    title = wb.add_format({"bold": True, "font_size": 14})
    ws.set_column(0, 0, 24, wrap)
    ws.set_column(1, 1, 70, wrap)
    ws.set_column(2, 2, 60, wrap)
    ws.write_string(0, 0, t("PMO Cockpit: import template", lang), title)
    ws.write_string(
        1,
        0,
        t(
            "Fill one sheet per table (empty sheets may stay empty or be deleted). Starred "
            "columns (*) are required. French or English headers, dates and numbers are "
            "accepted; unknown sheets and columns are reported, never fatal.",
            lang,
        ),
    )
    row = 3
    for k, text in enumerate(
        (t("Sheet", lang), t("What it holds", lang), t("Required columns", lang))
    ):
        ws.write_string(row, k, text, bold)
    for name, text in SHEET_HELP.items():
        row += 1
        table = schema.ALL_SHEETS[name]
        needed = [header(name, c.name, lang) for c in table.columns if c.required]
        ws.write_string(row, 0, _sheet_name(name, lang))
        ws.write_string(row, 1, t(text, lang))
        ws.write_string(row, 2, ", ".join(needed))
    row += 2
    for k, text in enumerate(
        (t("Field", lang), t("Accepted values", lang), t("Also accepted", lang))
    ):
        ws.write_string(row, k, text, bold)
    for what, en, fr in ACCEPTED:
        row += 1
        ws.write_string(row, 0, t(what, lang))
        ws.write_string(row, 1, fr if lang == "fr" else en)
        ws.write_string(row, 2, en if lang == "fr" else fr)


def write_template(out: str | os.PathLike[str] | io.BytesIO, lang: str = "fr") -> None:
    """Write the empty import template (Read-me first, starred required headers).

    Examples:
        >>> buf = io.BytesIO()
        >>> write_template(buf, "en")
        >>> len(buf.getvalue()) > 1000
        True
    """
    write_workbook({}, {"as_of": "", "currency": "EUR"}, out, lang, readme=True)


def template_bytes(lang: str = "fr") -> bytes:
    """The empty template as bytes (for a download button)."""
    buf = io.BytesIO()
    write_template(buf, lang)
    return buf.getvalue()
