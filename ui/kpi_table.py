"""The Projects list's table as shown (its columns in the user's language, the weather's
words and colours, the figures' formats), built once per snapshot, list and language by
``ui.loaders.kpi_table`` and drawn by ``ui.projects_detail.kpi_table``.

A page run used to build the frame, then a pandas Styler whose colour function read the
session's language for each cell: with Streamlit's Styler marshalling, 15 % of a replica's
server time under the load test (issue 20). What depends only on the key is here, built
once; a run makes a fresh Styler from it (a shared one would be mutated by two sessions'
runs at once: Streamlit's marshalling recomputes its styles in place), with the colours
as a precomputed lookup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from pmo_core import i18n
from pmo_core.kpi import NO_RATING, RATED_STATUSES
from ui import format as fmt

# Up to STYLED_ROWS projects, the weather cells are coloured (a Styler); above, a Styler
# costs a second per rerun, so the weather is a coloured dot and its word.
STYLED_ROWS = 500

#: The Projects grid's column widths in pixels, in its column order: about 950 px with
#: the selection column, the main pane's width at 1440 px with the sidebar open. The
#: programme and the manager are sidebar filters and head the project's detail: the
#: grid left them out to show every figure whole (EAC and exposure were cut off).
WIDTHS = (72, 262, 80, 64, 64, 44, 44, 52, 64, 80, 88)


@dataclass(frozen=True)
class KpiTable:
    """What :func:`build` gives: shared between sessions, never mutated (a run copies
    what Streamlit may change: the column configuration)."""

    table: pd.DataFrame  # one row per project, in the list's order, headers translated
    config: dict[str, dict[str, Any]]  # column -> st.column_config (widths, helps)
    styles: dict[str, str] | None  # weather word -> its cell's CSS; None: not styled
    weather: str  # the weather column's header
    ratios: tuple[str, ...]  # SPI, CPI, SPI(t) (IPD, IPC, IPD(t)): two decimals
    amounts: tuple[str, ...]  # thousands, the score: no decimals, thousands separated
    n_a: str  # "n/a" / "n/d": an undefined figure's cell
    lang: str


def build(k: pd.DataFrame, lang: str) -> KpiTable:
    """The table of ``k`` (KPI rows, in the list's order) in ``lang``."""

    def t(text: str) -> str:
        return i18n.t(text, lang)

    statuses = {v: t(v) for v in k["status"].dropna().unique()}
    styled = len(k) <= STYLED_ROWS
    # Words once per code, not per row; a running project without any rating: "No rating".
    words = {code: t(name) for code, name in fmt.RAG_NAMES.items()}
    weather = k["rag"].map(words).fillna("")
    weather = weather.mask((weather == "") & k["status"].isin(RATED_STATUSES), t(NO_RATING))
    if not styled:
        weather = weather.map({w: fmt.rag_icon(w, lang) for w in weather.unique()})
    bac, eac = t("BAC (k€)"), t("EAC (k€)")
    spi, cpi, spi_t = t("SPI"), t("CPI"), t("SPI(t)")  # IPD, IPC, IPD(t) in French
    align, expo = t("Score"), t("Exposure (k€)")  # the score explained in its help
    table = pd.DataFrame(
        {
            t("Project"): k["project_id"],
            t("Name"): k["name"],
            t("Status"): k["status"].map(statuses),
            t("Weather"): weather.where(weather != "").to_numpy(),
            # Amounts in thousands: the 13 columns fit at 1280-1440 px (EAC and exposure
            # were cut off at the right), the exact amounts in the detail and the pack.
            bac: (k["bac"] / 1000).round(0),
            spi: k["spi"].round(2),
            cpi: k["cpi"].round(2),
            spi_t: k["spi_t"].round(2),
            eac: (k["eac"] / 1000).round(0),
            align: k["alignment_score"].round(0),
            expo: (k["risk_exposure"] / 1000).round(0),
        }
    )
    help_of = {
        bac: t("Budget at completion, in thousands"),
        eac: t("Estimate at completion, in thousands"),
        align: t("Alignment score (0-100)"),
        expo: t("Risk exposure, in thousands"),
    }
    config: dict[str, Any] = {
        col: st.column_config.Column(help=help_of.get(col), width=w)
        for col, w in zip(table.columns, WIDTHS, strict=True)
    }
    if not styled:
        config = {
            c: st.column_config.NumberColumn(c, format="localized") for c in table.columns[4:]
        } | config
    return KpiTable(
        table=table,
        config=config,
        styles={w: fmt.rag_style(w, lang) for w in weather.dropna().unique()} if styled else None,
        weather=t("Weather"),
        ratios=(spi, cpi, spi_t),
        amounts=(bac, eac, align, expo),
        n_a=t("n/a"),
        lang=lang,
    )


def shown(kt: KpiTable) -> pd.DataFrame | Styler:
    """What ``st.dataframe`` is given: a fresh Styler over the shared frame (the weather's
    colours looked up, not computed per cell), or the frame itself above
    :data:`STYLED_ROWS` projects."""
    if kt.styles is None:
        return kt.table
    css = kt.styles
    sep, dec = ("\u202f", ",") if kt.lang == "fr" else (",", ".")
    return (
        kt.table.style.map(lambda v: css.get(v, "") if isinstance(v, str) else "", [kt.weather])
        .format(na_rep="")  # a blank cell, never "nan" (no weather, no manager)
        .format(precision=2, decimal=dec, na_rep=kt.n_a, subset=list(kt.ratios))
        .format(precision=0, thousands=sep, na_rep=kt.n_a, subset=list(kt.amounts))
    )
