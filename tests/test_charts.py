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


# ---------------------------------------------------------------- axes and colours a person reads

import colorsys  # noqa: E402

import plotly.graph_objects as go  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pmo_core.charts import overview as overview_charts  # noqa: E402
from pmo_core.charts import theme  # noqa: E402
from pmo_core.charts import whatif as whatif_charts  # noqa: E402

NNBSP, NBSP = "\u202f", "\u00a0"


def _reads_as_weather(hex_color: str) -> bool:
    """A saturated red, orange or green (hue 0-45, 75-165 or 330-360 degrees)."""
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    deg = h * 360
    return s > 0.35 and (deg < 45 or 75 < deg < 165 or deg > 330)


def test_the_categorical_palette_has_no_weather_colour() -> None:
    assert [c for c in theme.PALETTE if _reads_as_weather(c)] == []
    # The check can fail: the weather colours themselves read as weather.
    assert all(_reads_as_weather(theme.RAG_COLORS[c]) for c in "GAR")


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8, unique=True))
def test_a_programme_keeps_its_colour_whatever_the_others(names: list[str]) -> None:
    colours = theme.series_colors(names)
    assert len(set(colours.values())) == len(names)  # 8 names, 12 colours: all distinct
    for name in names:
        alone = theme.series_colors([name])[name]
        # A name keeps the slot its own hash gives it, unless another name holds it.
        assert colours[name] == alone or alone in {colours[o] for o in names if o != name}


def test_two_programmes_whose_names_hash_alike_get_two_colours() -> None:
    # CRC-32 mod 12: "Achats" and "Cloud" both land in slot 8; "Achats" (first
    # alphabetically) keeps it, "Cloud" takes the next free slot, 9.
    colours = theme.series_colors(["Cloud", "Achats"])
    assert colours == {"Achats": theme.PALETTE[8], "Cloud": theme.PALETTE[9]}


def test_timeline_colours_follow_the_programme_name_across_snapshots() -> None:
    def projects(programmes: list[str]) -> pd.DataFrame:
        n = len(programmes)
        return pd.DataFrame(
            {
                "project_id": [f"P{i}" for i in range(n)],
                "name": [f"p{i}" for i in range(n)],
                "program": programmes,
                "status": ["in_progress"] * n,
                "start_date": pd.to_datetime(["2026-01-01"] * n),
                "end_date": pd.to_datetime(["2027-06-30"] * n),
                "forecast_end_date": pd.to_datetime([None] * n),
                "budget": [1e6] * n,
            }
        )

    # Slots (CRC-32 mod 12): Cloud 8, Data 1, "Infrastructure & cloud" 3: a new programme
    # in the next snapshot changes no one's colour.
    before = overview_charts.timeline_gantt(projects(["Cloud", "Data"]), "2026-10-31", "fr")
    after = overview_charts.timeline_gantt(
        projects(["Infrastructure & cloud", "Cloud", "Data"]), "2026-11-30"
    )
    colour = {tr.name: tr.marker.color for tr in after.data if tr.type == "bar"}
    for tr in before.data:
        if tr.type == "bar":
            assert colour[tr.name] == tr.marker.color
    # Months in French: the ticks of 01/2026 - 06/2027 (18 months) every 3 months.
    ticks = after.layout.xaxis.ticktext
    assert ticks[0] == "janv. 2026" and "avr. 2026" in ticks and "Jan" not in " ".join(ticks)


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    # 0..2 637 000 in about 6 ticks: raw step 527 400 -> the next round step is 1 000 000.
    assert theme.nice_ticks(0, 2_637_000) == [0.0, 1e6, 2e6, 3e6]
    # -500 000..1 200 000: raw step 340 000 -> 500 000, from -500 000 to 1 500 000.
    assert theme.nice_ticks(-5e5, 1.2e6) == [-5e5, 0.0, 5e5, 1e6, 1.5e6]
    assert theme.nice_ticks(float("nan"), 3) == []


@given(st.floats(1, 1e10), st.floats(0, 1e10))
def test_nice_ticks_always_cover_their_range(hi: float, lo_share: float) -> None:
    lo = -lo_share
    ticks = theme.nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 0.0 in ticks
    assert 2 <= len(ticks) <= 12


def test_money_axis_writes_french_amounts_with_their_unit() -> None:
    fig = theme.money_axis(go.Figure(), [0, 2_637_000], "fr", "EUR")
    assert fig.layout.yaxis.ticktext == ("0\xa0€", "1\xa0M€", "2\xa0M€", "3\xa0M€")
    fig = theme.money_axis(go.Figure(), [0, 180_000], "en", "EUR", axis="xaxis")
    # 0..180 000: raw step 36 000 -> 50 000.
    assert fig.layout.xaxis.ticktext == ("€0", "€50k", "€100k", "€150k", "€200k")


def test_count_axes_tick_whole_numbers() -> None:
    fig = theme.count_axis(go.Figure(), 3)
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == "d"
    big = theme.count_axis(go.Figure(), 40, axis="yaxis")
    assert big.layout.yaxis.dtick is None and big.layout.yaxis.tickformat == "d"


def test_weather_by_programme_counts_in_whole_projects() -> None:
    k = pd.DataFrame(
        {"program": ["A", "A", "B"], "rag": ["R", "G", "A"], "status": ["in_progress"] * 3}
    )
    fig = overview_charts.rag_by_group_bar(k, "program", "fr")
    assert fig.layout.xaxis.dtick == 1
    red = next(tr for tr in fig.data if tr.name == "Rouge")
    assert "Rouge\xa0: %{x}" in red.hovertemplate


def test_french_separators_are_the_glossarys() -> None:
    fig = theme.apply_theme(go.Figure(), "fr")
    assert fig.layout.separators == "," + NNBSP


def test_exposure_by_project_is_sorted_by_value_not_by_id() -> None:
    by_project = pd.DataFrame(
        {"risk_exposure": [10_000.0, 250_000.0, None, 40_000.0]},
        index=pd.Index(["P1", "P2", "P3", "P4"], name="project_id"),
    )
    names = pd.Series({"P1": "Un", "P2": "Deux", "P3": "Trois", "P4": "Quatre"})
    fig = kpi_charts.exposure_by_project_bar(by_project, names, "risk_exposure", "fr")
    bar = fig.data[0]
    assert list(bar.customdata) == ["P2", "P4", "P1"]  # largest first; P3 (n/d) left out
    assert list(bar.text) == ["250\xa0k€", "40\xa0k€", "10\xa0k€"]
    assert fig.layout.yaxis.autorange == "reversed"  # the first bar on top


def test_exposure_trends_have_one_axis_each() -> None:
    trend = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2026-09-30", "2026-09-30", "2026-10-31", "2026-10-31"]),
            "project_id": ["P1", "P2", "P1", "P2"],
            "risk_exposure": [30_000.0, 20_000.0, 35_000.0, 10_000.0],
        }
    )
    names = pd.Series({"P1": "Un", "P2": "Deux"})
    for fig in (
        kpi_charts.exposure_trend_chart(trend, names, "fr"),
        kpi_charts.project_exposure_trend_chart(trend, names, "fr"),
    ):
        assert "yaxis2" not in fig.layout.to_plotly_json()
        assert {tr.yaxis for tr in fig.data} <= {None, "y"}
        # Ticks at the snapshot dates, written the French way.
        assert fig.layout.xaxis.ticktext == ("30/09/2026", "31/10/2026")
    projects = kpi_charts.project_exposure_trend_chart(trend, names, "fr")
    assert [tr.name for tr in projects.data] == ["P1 · Un", "P2 · Deux"]  # by last exposure


def test_value_cost_hover_shows_money_with_its_unit() -> None:
    k = pd.DataFrame(
        {
            "project_id": ["A"],
            "name": ["a"],
            "bac": [2_637_000.0],
            "alignment_score": [61.25],
            "rag": ["G"],
        }
    )
    hover = kpi_charts.value_cost_bubble(k, "fr").data[0].hovertext[0]
    assert "Budget\xa0: 2,6\xa0M€" in hover and "61" in hover and "61.25" not in hover


def test_frontier_hover_and_axis_in_french() -> None:
    frontier = pd.DataFrame(
        {"budget": [1e6, 2e6], "objective": [120.4, 180.0], "n_selected": [1, 3]}
    )
    ranking = pd.DataFrame({"cost": [0.0, 2e6], "value": [0.0, 170.0]})
    fig = whatif_charts.frontier_chart(frontier, ranking, None, "fr")
    hover = fig.data[1].hovertext
    assert hover[0].endswith("1 projet") and hover[1].endswith("3 projets")
    assert "Budget\xa0: 1\xa0M€" in hover[0]
    assert fig.layout.xaxis.ticktext[-1].endswith("M€")


def test_forecast_spend_ticks_carry_the_unit_in_french() -> None:
    from pmo_core.charts import forecast as forecast_charts

    # P50/P80 up to 2 400 000: raw step 480 000 -> 500 000, ticks 0 to 2,5 M€.
    spend = [{"year": 2027, "p50": 1_800_000.0, "p80": 2_400_000.0}]
    fig = forecast_charts.spend_by_year_chart(spend, "fr")
    assert fig.layout.yaxis.ticktext == (
        "0\xa0€",
        "500\xa0k€",
        "1\xa0M€",
        "1,5\xa0M€",
        "2\xa0M€",
        "2,5\xa0M€",
    )
    assert "2027\xa0: " in fig.data[0].hovertemplate.replace("%{x}", "2027")
