"""Charts mean what they show: traces, values and colours (not pixels)."""

from __future__ import annotations

import pandas as pd

from pmo_core import demo
from pmo_core.charts import capacity as capacity_charts
from pmo_core.charts import kpi as kpi_charts
from pmo_core.charts import roadmap
from pmo_core.charts.theme import BAND_COLORS, RAG_COLORS


def test_milestone_trend_has_one_line_per_milestone_and_the_diagonal() -> None:
    trend = pd.DataFrame(
        {
            "milestone_id": ["J1", "J1", "J2", "J2"],
            "name": ["Go", "Go", "Bilan", "Bilan"],
            "as_of": pd.to_datetime(["2026-09-30", "2026-10-31"] * 2),
            "forecast": pd.to_datetime(["2026-12-01", "2027-01-15", "2027-03-01", "2027-03-01"]),
        }
    )
    fig = roadmap.milestone_trend_chart(trend, "en")
    assert [tr.name for tr in fig.data] == ["J1 · Go", "J2 · Bilan", "Reached line"]
    assert list(fig.data[0].y) == list(pd.to_datetime(["2026-12-01", "2027-01-15"]))


def test_value_cost_bubble_colours_red_projects_red() -> None:
    k = pd.DataFrame(
        {
            "project_id": ["A", "B"],
            "name": ["a", "b"],
            "bac": [100.0, 200.0],
            "alignment_score": [50.0, 20.0],
            "rag": ["G", "R"],
        }
    )
    fig = kpi_charts.value_cost_bubble(k, "fr")
    red = next(tr for tr in fig.data if tr.name == "Rouge")
    assert list(red.customdata) == ["B"] and red.marker.color == RAG_COLORS["R"]


def test_utilisation_heatmap_bands() -> None:
    load = pd.DataFrame(
        {
            "role": ["Dev", "Dev", "Test"],
            "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-01"]),
            "utilisation": [1.2, 0.5, float("nan")],
            "unbounded": [False, False, True],
        }
    )
    fig = capacity_charts.utilisation_heatmap(load, "fr")
    z = fig.data[0].z
    assert z[0][0] == 2 and z[0][1] == 0  # over (> 100 %) and low (< 80 %)
    assert z[1][0] == 3  # demand without capacity
    assert fig.data[0].text[1][0] == "sans capacité"
    assert BAND_COLORS["over"] in str(fig.data[0].colorscale)


def test_risk_heatmap_is_five_by_five() -> None:
    from pmo_core.kpi import risk

    frames, _ = demo.build_demo(60)
    fig = kpi_charts.risk_heatmap(risk.risk_matrix(frames["risks"]), "en")
    assert len(fig.data[0].z) == 5 and len(fig.data[0].z[0]) == 5
    assert sum(map(sum, fig.data[0].text)) == int(
        (~risk.is_closed(frames["risks"]["status"])).sum()
    )


def test_exposure_trend_total_is_na_not_zero_for_a_register_of_levels() -> None:
    # Snapshot 1 in money: 30 000 + 20 000 = 50 000. Snapshot 2 is a register of levels:
    # no project has a money exposure, so the total is undefined (a gap), not 0 EUR.
    trend = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2026-09-30", "2026-09-30", "2026-10-31", "2026-10-31"]),
            "project_id": ["P1", "P2", "P1", "P2"],
            "risk_exposure": [30_000.0, 20_000.0, None, None],
            "risk_score": [0.0, 0.0, 12.0, 6.0],
            "open_risks": [1, 1, 1, 1],
        }
    )
    fig = kpi_charts.exposure_trend_chart(trend, pd.Series({"P1": "Un", "P2": "Deux"}))
    total = fig.data[0]
    assert total.y[0] == 50_000.0
    assert pd.isna(total.y[1])
    assert "n/" in total.hovertext[1]  # n/d (fr) or n/a (en), never "0 €"
