"""Small interaction helpers shared by pages: clicked points and rows, opening a project,
showing a domain error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
