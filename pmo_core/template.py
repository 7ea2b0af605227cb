"""Workbooks in the import template's format: the empty template and any set of frames.

The template is the native import format: one sheet per canonical table, named in the
user's language, with human headers that the import maps back to canonical columns (a
test checks every label). Written with xlsxwriter (fast, writes formats) and with fixed
document properties so that the same frames always give the same bytes.

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

import pandas as pd

from pmo_core import schema
from pmo_core.i18n import t

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
    "settings": {
        "key": ("Setting", "Paramètre"),
        "value": ("Value", "Valeur"),
    },
}

#: What each sheet holds, for the Read-me sheet (English keys; French in fr_template).
SHEET_HELP: dict[str, str] = {
    "projects": "One row per project. Status: proposed, approved, in progress, on hold, "
    "completed, cancelled (French words accepted). Mandatory: yes/no.",
    "objectives": "Strategic objectives (business drivers). Weight optional: blank = from "
    "the pairwise comparisons, or equal.",
    "pairwise": "How much more important objective A is than B: 9, 6, 3, 1, 1/3, 1/6, 1/9.",
    "alignment": "Rating of each project against each objective: None 0, Low 1, Moderate 3, "
    "Strong 6, Extreme 9 (words or numbers).",
    "resources": "People by role; capacity per month (default 140 h x FTE).",
    "capacity": "Optional: available hours per role and month (overrides the resources).",
    "allocations": "Planned hours per project, role (or resource) and month.",
    "milestones": "Milestones: baseline, forecast and actual dates.",
    "risks": "Risk register: probability (0-1, %, or level 1-5), impact (money or level 1-5).",
    "status_reports": "Monthly status reports: PV, EV, AC, RAG (Green/Amber/Red), comment.",
    "settings": "Optional settings: as_of (the snapshot's date), currency (EUR, GBP...).",
}

FIXED_CREATED = datetime(2026, 1, 1)


def header(table: str, column: str, lang: str = "fr") -> str:
    """The template's header for a canonical column in ``lang``."""
    en, fr = LABELS[table][column]
    return fr if lang == "fr" else en


def _sheet_name(table: str, lang: str) -> str:
    return schema.ALL_SHEETS[table].sheet_name(lang)


def _safe_text(value: str) -> bool:
    """True when a text would be read by Excel as a formula."""
    return value[:1] in ("=", "+", "-", "@", "\t", "\r")


def write_workbook(
    frames: dict[str, pd.DataFrame],
    settings: dict[str, str],
    out: str | os.PathLike[str] | io.BytesIO,
    lang: str = "fr",
    *,
    readme: bool = False,
) -> None:
    """Write frames (canonical columns) as a template workbook.

    Text that starts like a formula is written as a string, never a formula.
    """
    import xlsxwriter

    target = out if isinstance(out, io.BytesIO) else str(Path(out))
    wb = xlsxwriter.Workbook(
        target,
        {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True},
    )
    wb.set_properties({"created": FIXED_CREATED, "author": "PMO Cockpit", "title": "PMO Cockpit"})
    bold = wb.add_format(
        {
            "bold": True,
            "bg_color": "#1f3b57",
            "font_color": "#ffffff",
            "border": 1,
            "text_wrap": True,
            "valign": "top",
        }
    )
    required = wb.add_format(
        {
            "bold": True,
            "bg_color": "#b3541e",
            "font_color": "#ffffff",
            "border": 1,
            "text_wrap": True,
            "valign": "top",
        }
    )
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy" if lang == "fr" else "yyyy-mm-dd"})
    month_fmt = wb.add_format({"num_format": "mm/yyyy" if lang == "fr" else "yyyy-mm"})
    money_fmt = wb.add_format({"num_format": "#,##0"})
    num_fmt = wb.add_format({"num_format": "0.##"})

    if readme:
        _write_readme(wb, bold, lang)
    for name, table in schema.TABLES.items():
        df = frames.get(name, schema.empty_frame(name))
        ws = wb.add_worksheet(_sheet_name(name, lang))
        for j, col in enumerate(table.columns):
            label = header(name, col.name, lang) + (" *" if col.required and readme else "")
            ws.write_string(0, j, label, required if col.required else bold)
            width = max(12, min(40, len(label) + 4))
            fmt = None
            if col.dtype == "date":
                fmt, width = date_fmt, 13
            elif col.dtype == "month":
                fmt, width = month_fmt, 10
            elif col.dtype == "float":
                fmt = (
                    money_fmt
                    if col.name
                    in (
                        "budget",
                        "actual_cost",
                        "expected_benefit",
                        "planned_value",
                        "earned_value",
                        "impact",
                        "cost_rate",
                    )
                    else num_fmt
                )
            elif col.name in (
                "name",
                "title",
                "description",
                "mitigation",
                "comment",
                "rag_reason",
                "quality_comment",
            ):
                width = 40
            ws.set_column(j, j, width, fmt)
            if col.name in df.columns and len(df):
                _write_column(ws, j, df[col.name], col.dtype, date_fmt, month_fmt)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(df), 1), len(table.columns) - 1)
        ws.set_row(0, 30)
    ws = wb.add_worksheet(_sheet_name("settings", lang))
    ws.write_string(0, 0, header("settings", "key", lang), bold)
    ws.write_string(0, 1, header("settings", "value", lang), bold)
    ws.set_column(0, 1, 24)
    for i, (k, v) in enumerate(settings.items(), start=1):
        ws.write_string(i, 0, str(k))
        ws.write_string(i, 1, str(v))
    wb.close()


def _write_column(
    ws: object, j: int, s: pd.Series, dtype: str, date_fmt: object, month_fmt: object
) -> None:
    """Write one column from row 1 down, typed; missing values stay blank."""
    write = ws.write_string  # type: ignore[attr-defined]
    if dtype in ("date", "month"):
        fmt = month_fmt if dtype == "month" else date_fmt
        for i, v in enumerate(pd.to_datetime(s).dt.to_pydatetime(), start=1):
            if not pd.isna(v):
                ws.write_datetime(i, j, v, fmt)  # type: ignore[attr-defined]
        return
    if dtype in ("float", "int"):
        values = pd.to_numeric(s).to_numpy(dtype="float64", na_value=float("nan"))
        for i, v in enumerate(values.tolist(), start=1):
            if v == v:  # not NaN
                ws.write_number(i, j, v)  # type: ignore[attr-defined]
        return
    if dtype == "bool":
        for i, v in enumerate(s.tolist(), start=1):
            if v is not None and not pd.isna(v):
                write(i, j, "yes" if v else "no")
        return
    for i, v in enumerate(s.tolist(), start=1):
        if v is not None and not pd.isna(v) and str(v) != "":
            write(i, j, str(v))  # write_string: never a formula, whatever it starts with


def _write_readme(wb: object, bold: object, lang: str) -> None:
    ws = wb.add_worksheet(t("Read me", lang))  # type: ignore[attr-defined]
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})  # type: ignore[attr-defined]
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 100, wrap)
    ws.write_string(0, 0, "PMO Cockpit", bold)
    ws.write_string(
        0,
        1,
        t(
            "Import template: fill one sheet per table; starred columns "
            "are required. French or English headers, dates and numbers "
            "are accepted.",
            lang,
        ),
        bold,
    )
    row = 2
    for name, text in SHEET_HELP.items():
        ws.write_string(row, 0, _sheet_name(name, lang))
        required = ", ".join(
            header(name, c.name, lang) for c in schema.ALL_SHEETS[name].columns if c.required
        )
        ws.write_string(
            row, 1, t(text, lang) + "\n" + t("Required: {cols}", lang, cols=required), wrap
        )
        row += 1


def write_template(out: str | os.PathLike[str] | io.BytesIO, lang: str = "fr") -> None:
    """Write the empty import template (with a Read-me sheet) in ``lang``."""
    write_workbook({}, {"as_of": "", "currency": "EUR"}, out, lang, readme=True)


def template_bytes(lang: str = "fr") -> bytes:
    """The empty template as bytes (for a download button)."""
    buf = io.BytesIO()
    write_template(buf, lang)
    return buf.getvalue()
