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
    highlight(p["highlight"], p["forecast"], lang)
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


def highlight(h: Any, forecast: list[tuple[str, str, str]], lang: str) -> None:
    """The pack's first page in short (:class:`pmo_core.report.highlight.Highlight`): the
    portfolio's weather and forecasts (``forecast``: the P50/P80 lines of
    :func:`pmo_core.report.forecasts.portfolio_lines`), this period, next period and tolerances."""
    from pmo_core.report.highlight import PARTS

    esc = widgets.markdown_text
    parts = [i18n.t(x, lang) for x in PARTS]
    with st.container(border=True):
        st.markdown(f"**{esc(i18n.t('Highlight report', lang))}**")
        left, right = st.columns(2)
        weather = h.summary[0]
        lines = [f"{esc(weather[0])}{i18n.colon(lang)}**{esc(weather[1])}** ({esc(weather[2])})"]
        lines += [f"{esc(label)}{i18n.colon(lang)}**{esc(value)}**" for label, value, _ in forecast]
        left.markdown(f"**{esc(parts[0])}**\n\n" + "\n".join(f"- {x}" for x in lines))
        left.markdown(f"**{esc(parts[3])}**\n\n" + "\n".join(f"- {esc(x)}" for x in h.tolerances))
        right.markdown(f"**{esc(parts[1])}**\n\n" + "\n".join(f"- {esc(x)}" for x in h.this_period))
        due = i18n.t("{n} milestone(s) due in the next month", lang, n=len(h.next_period))
        right.markdown(f"**{esc(parts[2])}**\n\n- {esc(due)}")
