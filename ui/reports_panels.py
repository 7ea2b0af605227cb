"""The Reports page's preview of the steering pack: its sections, the cover's cards and
the red and amber projects, as they will print (:func:`ui.loaders.pack_preview`)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pmo_core import i18n
from pmo_core.report.data import RAG_NAMES, WATCH_COLUMNS
from ui import widgets

#: The watch list's columns on screen: programme and manager are in the printed pack.
COLUMNS = ("project_id", "name", "rag", "reasons", "bac", "spi", "cpi")
RAG_CODES = ("R", "A", "G")


def preview(p: dict[str, Any], lang: str) -> None:
    """The pack as it will print, in its own language (``lang``, the pack's)."""
    st.subheader(i18n.t("Preview of the pack", lang))
    st.caption(p["subtitle"])
    sections = p["sections"]
    st.markdown(
        i18n.t("Sections", lang)
        + i18n.colon(lang)
        + " · ".join(f"{n}. {title}" for n, title in enumerate(sections, start=1))
    )
    cards = p["cards"]
    for row in (cards[:4], cards[4:]):
        for col, card in zip(st.columns(4), row, strict=False):
            col.metric(
                card["label"],
                card["value"],
                delta=card["delta"] or None,
                delta_color="off",  # a rise in cost is no good news: no green arrow
                # "= depuis la n°2" is no rise: an arrow only for a signed change.
                delta_arrow="auto" if card["delta"][:1] in ("+", "-") else "off",
                help=card["note"] or None,
                border=True,
            )
    watch = p["watch"].copy()
    st.markdown(
        f"**{i18n.t('Red and amber projects', lang)}** · "
        + i18n.t("{n} red project(s)", lang, n=p["red"])
    )
    if watch.empty:
        st.caption(i18n.t("No red or amber project.", lang))
        return
    watch["rag"] = [
        # Words, not emoji dots: a server without an emoji font prints them as boxes.
        i18n.t(RAG_NAMES[c], lang) if c in RAG_CODES else ""
        for c in watch["rag"]
    ]
    labels = {col: i18n.t(label, lang) for col, label, _ in WATCH_COLUMNS}
    # A static table: the reasons wrap as they will print (the grid cut them at one line).
    shown = watch.head(10)[list(COLUMNS)].rename(columns=labels)
    widgets.wrapped_table(
        shown,
        key="reports_watch_csv",
        file_name="projets_rouges_orange.csv" if lang == "fr" else "red_amber_projects.csv",
        lang=lang,
    )
    if len(watch) > 10:
        st.caption(i18n.t("{n} more in the pack.", lang, n=len(watch) - 10))
