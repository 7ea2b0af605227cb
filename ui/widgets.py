"""Small interaction helpers shared by pages: clicked points and rows, opening a project,
showing a domain error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.errors import PmoError
from ui.format import t

ROOT = Path(__file__).resolve().parents[1]


def show_error(exc: PmoError) -> None:
    """The error in an error box, in the user's language (its English template
    translated, then filled with its values)."""
    st.error(t(exc.template, **exc.params) if exc.template else str(exc))


def selected(event: Any, what: str = "points") -> list[Any]:
    """The points (charts) or rows (tables) a click selected, [] when none."""
    if not event or not event.selection:
        return []
    return list(event.selection.get(what, []))


def open_project(project_id: object) -> None:
    """Open the project's detail on the Projects page, keeping the link's view."""
    st.query_params["project"] = str(project_id)
    st.switch_page("pages/projects.py", query_params=st.query_params.to_dict())


def drill_link(
    container: Any,
    label: str,
    *,
    help: str | None = None,
    page: str = "pages/projects.py",
    **view: str | list[str],
) -> None:
    """A link under a count that opens the list behind it: the Projects page (or
    ``page``) with this language, snapshot and filters and the ``view`` (e.g.
    ``rag="red"``), all in the URL."""
    from urllib.parse import urlencode

    from streamlit.errors import StreamlitPageNotFoundError

    from ui import state

    params = state.link_params(**view)
    try:
        container.page_link(
            page,
            label=label,
            help=help,
            icon=":material/arrow_forward:",
            query_params=params,
        )
    except StreamlitPageNotFoundError:
        # A page run on its own (tests, a legacy run): no navigation to look the page up
        # in, so the same link as a plain one (``/projects?rag=red``).
        path = Path(page).stem
        query = urlencode(
            [(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)]
        )
        container.markdown(f"[{label}](/{path}?{query})", help=help)


_MARKUP = re.compile(r"([\\`*_\[\]<>$~|#])|:(?=[A-Za-z])|^([-+=])|^(\d+)\.")


def markdown_text(text: object) -> str:
    """``text`` as literal Markdown: every character that could start markup (emphasis,
    links, HTML, LaTeX, Streamlit's ``:red[...]`` and ``:icon:`` directives, a list or a
    heading at the start) escaped with a backslash; the rest left as read.

    >>> markdown_text("Budget : 1,5 M€ *net* [x](y) :red[z]")
    'Budget : 1,5 M€ \\\\*net\\\\* \\\\[x\\\\](y) \\\\:red\\\\[z\\\\]'
    >>> markdown_text("2. Phase") , markdown_text("- moins"), markdown_text(float("nan"))
    ('2\\\\. Phase', '\\\\- moins', '')
    """

    def esc(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return m.group(3) + "\\."
        return "\\" + m.group(0)

    from pmo_core.i18n import is_missing

    return _MARKUP.sub(esc, "" if is_missing(text) else str(text))  # blank, never "nan"


def wrapped_table(df: pd.DataFrame, *, key: str, file_name: str, lang: str | None = None) -> None:
    """A read-only table whose long sentences wrap (Streamlit's grid cuts them at one
    line): a static table of the texts as they are read (Markdown escaped:
    :func:`markdown_text`), then its CSV download with the text made safe for a
    spreadsheet (:func:`pmo_core.export_safety.safe_text_columns`). ``df`` holds the
    texts as shown, headers in the reader's language (``lang``, default the user's);
    the French CSV is semicolon-separated, as French Excel reads it; UTF-8 with a BOM."""
    from pmo_core import i18n
    from pmo_core.export_safety import safe_text_columns
    from ui import format as fmt

    lang = lang or fmt.lang()
    safe = safe_text_columns(df.reset_index(drop=True))
    shown = safe.map(markdown_text)
    shown.columns = [markdown_text(c) for c in shown.columns]
    # The first column is a code (PRJ-049): kept on one line, the sentences wrap.
    styled = shown.style.set_table_styles(
        [{"selector": "td.col0, td.col0 p", "props": "white-space: nowrap;"}]
    )
    st.table(styled, hide_index=True)
    sep = ";" if i18n.norm_lang(lang) == "fr" else ","
    st.download_button(
        i18n.t("Download as CSV", lang),
        safe.to_csv(index=False, sep=sep).encode("utf-8-sig"),
        file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )
