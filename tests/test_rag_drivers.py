"""The driver of each RAG dimension: the figure, its value and the threshold it crossed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import kpi, schema, store
from pmo_core.kpi.rag_rules import DEFAULT_THRESHOLDS, DIMENSIONS, band, rag_drivers

AS_OF = pd.Timestamp("2026-10-31")


def _milestones(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    return schema.conform(
        "milestones",
        pd.DataFrame(
            rows, columns=["project_id", "milestone_id", "baseline_date", "actual_date"]
        ).assign(name=lambda d: "Jalon " + d["milestone_id"]),
    )


def test_drivers_by_hand() -> None:
    evm = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            # P1: SPI(t) 0.64 decides (not SPI 0.97): red, 0.64 < 0.85.
            # P2: no SPI(t) (no curve), SPI 0.90: amber, 0.90 < 0.95.
            # P3: SPI(t) 0.95: green, 0.95 >= 0.95 (the boundary is green).
            # P4: no index at all: no rating.
            "spi_t": [0.64, None, 0.95, None],
            "spi": [0.97, 0.90, 1.10, None],
            "cpi": [0.84, 0.85, None, None],
        }
    )
    ms = _milestones(
        [
            # P1: M1 due 1 Jul, not reached: 122 days late at 31 Oct (> 90: red);
            # M2 due 1 Oct: 30 days (the worst one decides).
            ("P1", "M1", "2026-07-01", None),
            ("P1", "M2", "2026-10-01", None),
            # P2: due 30 Sep, 31 days late: amber (> 30, <= 90).
            ("P2", "M1", "2026-09-30", None),
            # P3: reached: 0 days overdue, green (<= 30).
            ("P3", "M1", "2026-07-01", "2026-07-15"),
        ]
    )
    reports = schema.conform(
        "status_reports",
        pd.DataFrame(
            {
                "project_id": ["P1", "P1", "P2"],
                "report_date": ["2026-09-30", "2026-10-31", "2026-11-30"],
                "quality_rag": ["R", "A", "R"],  # P2's report is after the as-of date
            }
        ),
    )
    d = rag_drivers(evm, ms, AS_OF, None, reports).set_index(["project_id", "dimension"])

    def row(pid: str, dim: str) -> tuple[object, ...]:
        r = d.loc[(pid, dim)]
        return (r["rag"], r["figure"], r["value"], r["op"], r["threshold"])

    assert row("P1", "schedule") == ("R", "SPI(t)", 0.64, "<", 0.85)
    assert row("P2", "schedule") == ("A", "SPI", 0.90, "<", 0.95)
    assert row("P3", "schedule") == ("G", "SPI(t)", 0.95, ">=", 0.95)
    assert d.loc[("P4", "schedule"), "rag"] is None
    assert d.loc[("P4", "schedule"), "figure"] is None
    # CPI 0.84 < 0.85: red; 0.85 is amber (>= 0.85, < 0.95).
    assert row("P1", "cost") == ("R", "CPI", 0.84, "<", 0.85)
    assert row("P2", "cost") == ("A", "CPI", 0.85, "<", 0.95)
    assert row("P1", "milestones") == ("R", "days_overdue", 122.0, ">", 90)
    assert d.loc[("P1", "milestones"), "detail"] == "Jalon M1"
    assert row("P2", "milestones") == ("A", "days_overdue", 31.0, ">", 30)
    assert row("P3", "milestones") == ("G", "days_overdue", 0.0, "<=", 30)
    assert d.loc[("P4", "milestones"), "rag"] is None  # no milestone
    # Quality: P1's latest report on or before 31 Oct says amber.
    assert d.loc[("P1", "quality"), "rag"] == "A"
    assert d.loc[("P1", "quality"), "report_date"] == pd.Timestamp("2026-10-31")
    assert d.loc[("P2", "quality"), "rag"] is None
    # Four rows per project, in the detail's order.
    order = d.reset_index().groupby("project_id")["dimension"].agg(tuple)
    assert set(order) == {DIMENSIONS}


def test_drivers_follow_the_thresholds_from_settings() -> None:
    evm = pd.DataFrame({"project_id": ["P"], "spi_t": [0.88], "spi": [0.88], "cpi": [0.88]})
    th = {**DEFAULT_THRESHOLDS, "amber": 0.9, "green": 1.0}
    d = rag_drivers(evm, _milestones([]), AS_OF, th).set_index("dimension")
    assert (d.loc["schedule", "rag"], d.loc["schedule", "threshold"]) == ("R", 0.9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 2, allow_nan=False)), min_size=1, max_size=8))
def test_the_stated_comparison_holds_and_gives_the_band(values: list[float | None]) -> None:
    """For any index, "value op threshold" is true and the colour is band()'s."""
    evm = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(len(values))],
            "spi_t": values,
            "spi": [None] * len(values),
            "cpi": values,
        }
    )
    d = rag_drivers(evm, _milestones([]), AS_OF)
    idx = d[d["dimension"].isin(["schedule", "cost"])]
    expected = band(pd.Series(values, dtype=float), DEFAULT_THRESHOLDS).tolist()
    for dim in ("schedule", "cost"):
        got = idx[idx["dimension"] == dim]["rag"].tolist()
        assert got == [e if isinstance(e, str) else None for e in expected]
    for r in idx.dropna(subset=["value"]).itertuples():
        holds = {"<": r.value < r.threshold, ">=": r.value >= r.threshold}[r.op]
        assert holds, r


def test_drivers_agree_with_the_rag_of_the_demo(demo_db: Path) -> None:
    """On the demo, each dimension's colour is the one ``kpi.rag`` gives; PRJ-059 is the
    issue's case: SPI 0.97 but red on schedule from SPI(t) 0.64."""
    snap = store.get_snapshot(path=demo_db)
    k = kpi.snapshot_kpis(snap)
    f = snap.frames
    th = kpi.thresholds_from_settings(snap.settings)
    d = rag_drivers(k, f["milestones"], snap.as_of, th, f["status_reports"])
    wide = d.pivot(index="project_id", columns="dimension", values="rag")
    for dim in DIMENSIONS:
        mine = wide[dim].reindex(k["project_id"]).to_numpy()
        theirs = k[f"rag_{dim}"].to_numpy()
        assert [None if pd.isna(x) else x for x in mine] == [
            None if pd.isna(x) else x for x in theirs
        ], dim
    s = d[(d["project_id"] == "PRJ-059") & (d["dimension"] == "schedule")].iloc[0]
    assert (s["rag"], s["figure"], s["op"], s["threshold"]) == ("R", "SPI(t)", "<", 0.85)
    assert s["value"] == pytest.approx(0.6415, abs=1e-3)
