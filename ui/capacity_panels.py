"""Tables of the Capacity page: the projects behind a clicked heat-map cell and the
over-allocations. The numbers come from :mod:`pmo_core.kpi.capacity`; this module only
lays them out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import format as fmt
from ui import widgets
from ui.format import t


def clicked(event: object) -> list[str] | None:
    """The [row, "YYYY-MM-DD"] of the clicked cell, or None."""
    points = widgets.selected(event)
    return list(points[0]["customdata"]) if points else None


def largest_cell(over: pd.DataFrame) -> list[str] | None:
    """The [role, "YYYY-MM-DD"] of the most over-allocated cell (the first row of
    :func:`pmo_core.kpi.capacity.overallocations`), or None when none is."""
    if not len(over):
        return None
    return [str(over["role"].iloc[0]), str(pd.Timestamp(over["month"].iloc[0]).date())]


def cell_table(cell: pd.DataFrame, names: pd.Series, by: str) -> None:
    """The projects of a cell (``project_id``, ``hours``), with their share of it."""
    total = float(cell["hours"].sum())
    st.dataframe(
        pd.DataFrame(
            {
                t("Project"): cell["project_id"],
                t("Name"): cell["project_id"].map(names),
                t("Hours"): cell["hours"].map(fmt.number),
                t("Share of the cell"): [
                    fmt.pct(100 * h / total if total else None) for h in cell["hours"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        key=f"capacity_cell_{by}",
    )


def overallocations_table(over: pd.DataFrame) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                t("Role"): over["role"],
                t("Month"): over["month"].map(fmt.month),
                t("Demand (h)"): over["demand_hours"].map(fmt.number),
                t("Capacity (h)"): over["capacity_hours"].map(fmt.number),
                t("Excess (h)"): over["excess_hours"].map(fmt.number),
                t("Largest projects"): over["top_projects"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="capacity_over",
    )
