"""RAG per project (DESIGN section 4): the worst of schedule (SPI(t), else SPI), cost (CPI),
milestones (days overdue) and quality (the latest status report's quality RAG), unless
an override is given; indices are banded by thresholds (:data:`DEFAULT_THRESHOLDS`,
overridable by settings: :func:`thresholds_from_settings`) with :func:`band`.

A dimension without data (no SPI for want of dates or progress, no CPI, no milestone, no
quality report) is "no rating" (a missing code, shown grey as :data:`NO_RATING`): the
overall RAG is the worst of the rated dimensions, or no rating when none is rated
(:func:`unrated`), never a colour computed from defaults.

(The module is not named ``rag``: :func:`rag` is the function callers reach as
``kpi.rag``.)

Columns:
    rag(...) -> project_id, rag_schedule, rag_cost, rag_milestones, rag_quality, rag_computed, rag,
        rag_overridden, rag_reason

Examples:
    >>> band(pd.Series([0.96, 0.9, 0.5, None]), DEFAULT_THRESHOLDS).tolist()
    ['G', 'A', 'R', nan]
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pmo_core.ingest import settings_rules
from pmo_core.kpi.evm import latest_reports
from pmo_core.kpi.milestones import milestone_slip

#: The thresholds' defaults and reading rule are the import's (it refuses what they refuse).
DEFAULT_THRESHOLDS: dict[str, float] = settings_rules.DEFAULT_THRESHOLDS
RAG_ORDER = {"G": 0, "A": 1, "R": 2}
#: Statuses whose RAG is computed (completed, cancelled and not started ones have none).
RATED_STATUSES: tuple[str, ...] = ("in_progress", "on_hold")
#: The label of a missing RAG code where one is expected (French: "Sans météo").
NO_RATING = "No rating"


def unrated(k: pd.DataFrame) -> pd.Series:
    """True for running projects (:data:`RATED_STATUSES`) that have no RAG at all.

    >>> unrated(pd.DataFrame({"status": ["in_progress", "proposed", "on_hold"],
    ...                       "rag": [None, None, "G"]})).tolist()
    [True, False, False]
    """
    return k["status"].isin(RATED_STATUSES) & k["rag"].isna()


def thresholds_from_settings(settings: dict[str, str] | None) -> dict[str, float]:
    """RAG thresholds, overridable by settings ``rag_green``, ``rag_amber`` (a ratio 0-1
    or a percentage: ``95 %`` and ``95`` read as 0.95), ``rag_milestone_amber_days``,
    ``rag_milestone_red_days``, read as the import reads and checks them
    (:func:`pmo_core.ingest.settings_rules.read_thresholds`: the import refuses a value it
    cannot read or an order it breaks; a store written before keeps the defaults there).

    Examples:
        >>> thresholds_from_settings({"rag_green": "90 %", "rag_amber": "0,8"})["green"]
        0.9
    """
    return settings_rules.read_thresholds(settings)[0]


def band(index: pd.Series, th: dict[str, float]) -> pd.Series:
    """G at or above ``th["green"]``, A at or above ``th["amber"]``, else R; NaN stays NaN."""
    out = np.where(index >= th["green"], "G", np.where(index >= th["amber"], "A", "R"))
    return pd.Series(out, index=index.index, dtype="object").where(index.notna())


def rag(
    evm: pd.DataFrame,
    milestones: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: date | pd.Timestamp,
    thresholds: dict[str, float] | None = None,
    status_reports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """RAG per project: worst of schedule (SPI(t), else SPI), cost (CPI), milestones and
    quality (the latest status report's quality RAG on or before the as-of date), unless
    an override is given (shown with its reason; the computed one kept beside)."""
    th = thresholds or DEFAULT_THRESHOLDS
    e = evm.set_index("project_id")
    schedule = band(e["spi_t"].fillna(e["spi"]), th)
    cost = band(e["cpi"], th)
    slip = milestone_slip(milestones, as_of).groupby("project_id")["days_overdue"].max()
    late = slip.reindex(e.index)
    ms = pd.Series(
        np.where(
            late > th["milestone_red_days"],
            "R",
            np.where(late > th["milestone_amber_days"], "A", "G"),
        ),
        index=e.index,
        dtype="object",
    ).where(late.notna())
    quality = pd.Series(np.nan, index=e.index, dtype="object")
    if status_reports is not None and "quality_rag" in status_reports:
        rated = status_reports[status_reports["quality_rag"].isin(list(RAG_ORDER))]
        latest = latest_reports(rated, pd.Timestamp(as_of))
        quality = latest["quality_rag"].reindex(e.index).astype("object")
    dims = pd.DataFrame(
        {"rag_schedule": schedule, "rag_cost": cost, "rag_milestones": ms, "rag_quality": quality}
    )
    worst = dims.apply(lambda c: c.map(RAG_ORDER)).max(axis=1)
    computed = worst.map({v: k for k, v in RAG_ORDER.items()})
    running = e["status"].isin(RATED_STATUSES)
    computed = computed.where(running)
    p = projects.set_index("project_id")
    override = p["rag_override"].reindex(e.index)
    out = dims.copy()
    out["rag_computed"] = computed
    out["rag"] = override.astype("object").where(override.notna(), computed)
    out["rag_overridden"] = override.notna().to_numpy()
    out["rag_reason"] = p["rag_reason"].reindex(e.index)
    return out.reset_index()


#: The dimensions of :func:`rag` in the order a project's detail shows them.
DIMENSIONS: tuple[str, ...] = ("schedule", "cost", "milestones", "quality")
DRIVER_COLUMNS = [
    "project_id",
    "dimension",
    "rag",
    "figure",
    "value",
    "op",
    "threshold",
    "detail",
    "report_date",
]


def _named(mask: pd.Series, name: str) -> pd.Series:
    """``name`` where ``mask`` holds, else missing."""
    return pd.Series(name, index=mask.index, dtype="object").where(mask)


def _index_driver(value: pd.Series, th: dict[str, float]) -> pd.DataFrame:
    """Band, comparison and threshold of an index: red below amber (``< amber``), amber
    below green (``< green``), green at or above green (``>= green``)."""
    rag = band(value, th)
    op = rag.map({"R": "<", "A": "<", "G": ">="})
    threshold = rag.map({"R": th["amber"], "A": th["green"], "G": th["green"]})
    return pd.DataFrame({"rag": rag, "value": value, "op": op, "threshold": threshold})


def rag_drivers(
    evm: pd.DataFrame,
    milestones: pd.DataFrame,
    as_of: date | pd.Timestamp,
    thresholds: dict[str, float] | None = None,
    status_reports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Why each RAG dimension of :func:`rag` has its colour: one row per project of
    ``evm`` (the EVM or KPI frame: project_id, spi_t, spi, cpi) and dimension, in
    :data:`DIMENSIONS` order, with the figure that decides it, its value and the
    threshold it crossed (``value op threshold`` holds: "SPI(t) 0.64 < 0.85").

    - schedule: ``SPI(t)``, else ``SPI`` where SPI(t) is undefined; cost: ``CPI``;
    - milestones: ``days_overdue`` of the most overdue milestone (its name in
      ``detail``): red ``> milestone_red_days``, amber ``> milestone_amber_days``,
      green ``<= milestone_amber_days``;
    - quality: ``quality_rag``, the latest rated status report's own colour (its date in
      ``report_date``; no threshold).

    A dimension without data has rag, figure, value and threshold missing. The colours
    are those of :func:`rag`'s dimension columns (a test checks it on the demo).

    Examples:
        >>> evm = pd.DataFrame({"project_id": ["P"], "spi_t": [0.64], "spi": [0.97],
        ...                     "cpi": [None]})
        >>> ms = pd.DataFrame({"project_id": ["P"], "milestone_id": ["M1"], "name": ["Go"],
        ...     "baseline_date": pd.to_datetime(["2026-07-01"]),
        ...     "forecast_date": pd.to_datetime([None]), "actual_date": pd.to_datetime([None])})
        >>> d = rag_drivers(evm, ms, "2026-10-31").set_index("dimension")
        >>> r = d.loc["schedule"]
        >>> r.rag, r.figure, float(r.value), r.op, float(r.threshold)
        ('R', 'SPI(t)', 0.64, '<', 0.85)
        >>> m = d.loc["milestones"]  # 1 Jul -> 31 Oct: 122 days overdue, > 90
        >>> m.rag, float(m.value), m.op, float(m.threshold), m.detail
        ('R', 122.0, '>', 90.0, 'Go')
        >>> d.loc["cost", "rag"] is None
        True
    """
    th = thresholds or DEFAULT_THRESHOLDS
    e = evm.set_index("project_id")
    ids = e.index
    parts: dict[str, pd.DataFrame] = {}

    spi_t = pd.to_numeric(e["spi_t"], errors="coerce").astype(float)
    spi = pd.to_numeric(e["spi"], errors="coerce").astype(float)
    schedule = _index_driver(spi_t.fillna(spi), th)
    schedule["figure"] = _named(spi_t.notna(), "SPI(t)").fillna(_named(spi.notna(), "SPI"))
    parts["schedule"] = schedule

    cpi = pd.to_numeric(e["cpi"], errors="coerce").astype(float)
    cost = _index_driver(cpi, th)
    cost["figure"] = _named(cpi.notna(), "CPI")
    parts["cost"] = cost

    slip = milestone_slip(milestones, as_of)
    slip = slip[slip["project_id"].isin(ids) & slip["days_overdue"].notna()]
    worst = slip.sort_values(["days_overdue", "milestone_id"], ascending=[False, True])
    worst = worst.drop_duplicates("project_id").set_index("project_id").reindex(ids)
    late = worst["days_overdue"].astype(float)
    red, amber = th["milestone_red_days"], th["milestone_amber_days"]
    ms_rag = pd.Series(
        np.where(late > red, "R", np.where(late > amber, "A", "G")), index=ids, dtype="object"
    ).where(late.notna())
    parts["milestones"] = pd.DataFrame(
        {
            "rag": ms_rag,
            "value": late,
            "op": ms_rag.map({"R": ">", "A": ">", "G": "<="}),
            "threshold": ms_rag.map({"R": red, "A": amber, "G": amber}),
            "figure": _named(late.notna(), "days_overdue"),
            "detail": worst["name"].astype("object").where(late.notna()),
        }
    )

    quality = pd.DataFrame(
        {"rag": pd.Series(np.nan, index=ids, dtype="object"), "report_date": pd.NaT}
    )
    if status_reports is not None and "quality_rag" in status_reports:
        rated = status_reports[status_reports["quality_rag"].isin(list(RAG_ORDER))]
        latest = latest_reports(rated, pd.Timestamp(as_of))
        quality["rag"] = latest["quality_rag"].reindex(ids).astype("object")
        quality["report_date"] = latest["report_date"].reindex(ids)
    quality["figure"] = _named(quality["rag"].notna(), "quality_rag")
    quality["value"] = np.nan
    parts["quality"] = quality

    frames = [
        part.assign(dimension=dim).rename_axis("project_id").reset_index()
        for dim, part in parts.items()
    ]
    out = pd.concat(frames, ignore_index=True)
    for col in DRIVER_COLUMNS:
        if col not in out:
            out[col] = np.nan
    for col in ("rag", "figure", "op", "detail"):  # missing words are None, not NaN
        out[col] = out[col].astype("object").where(out[col].notna(), None)
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    out = out.sort_values(
        ["project_id", "dimension"], key=lambda s: s.map(order) if s.name == "dimension" else s
    )
    return out[DRIVER_COLUMNS].reset_index(drop=True)
