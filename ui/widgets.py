"""Small interaction helpers shared by pages: clicked points and rows, opening a project,
showing a domain error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from pmo_core.errors import PmoError

ROOT = Path(__file__).resolve().parents[1]


def show_error(exc: PmoError) -> None:
    st.error(str(exc))


def selected(event: Any, what: str = "points") -> list[Any]:
    """The points (charts) or rows (tables) a click selected, [] when none."""
    if not event or not event.selection:
        return []
    return list(event.selection.get(what, []))


def open_project(project_id: object) -> None:
    """Open the project's detail on the Projects page, keeping the link's view."""
    st.query_params["project"] = str(project_id)
    st.switch_page("pages/projects.py", query_params=st.query_params.to_dict())
