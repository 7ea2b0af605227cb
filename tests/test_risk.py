"""Risk exposure, matrix, top risks and trend, with numbers worked out by hand."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import kpi, schema, store
from pmo_core.kpi import risk


def projects(status_c: str = "in_progress") -> pd.DataFrame:
    return schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["A", "B", "C"],
                "name": ["a", "b", "c"],
                "status": ["in_progress", "in_progress", status_c],
            }
        ),
    )


def risks(impact_b: float = 200_000.0) -> pd.DataFrame:
    return schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": ["R1", "R2", "R3", "R4"],
                "project_id": ["A", "A", "B", "C"],
                "title": ["w", "x", "y", "z"],
                "probability": [0.5, 0.2, 0.3, 0.9],
                "impact": [100_000.0, 50_000.0, impact_b, 10_000.0],
                "status": ["Ouvert", "Clos", None, "open"],
            }
        ),
    )


def test_exposure_counts_open_risks_only() -> None:
    e = risk.exposure_by_project(risks(), projects())
    assert e.loc["A", "risk_exposure"] == 50_000  # 0.5 x 100 000; R2 is closed
    assert e.loc["B", "risk_exposure"] == 60_000  # 0.3 x 200 000; a blank status is open
    assert e.loc["C", "risk_exposure"] == 9_000
    assert e.loc["A", "open_risks"] == 1


def test_levels_register_gives_scores_not_money() -> None:
    r = risks().assign(probability=[4.0, 2.0, 3.0, 5.0], impact=[5.0, 1.0, 2.0, 1.0])
    e = risk.exposure_by_project(r, projects())
    assert math.isnan(e.loc["A", "risk_exposure"])
    assert e.loc["A", "risk_score"] == 20  # 4 x 5
    m = risk.risk_matrix(r)
    assert m.loc[4, 5] == 1 and m.loc[3, 2] == 1 and int(m.to_numpy().sum()) == 3


def test_trend_across_snapshots() -> None:
    history = [
        ("2026-08-31", risks(impact_b=100_000.0), projects()),
        ("2026-09-30", risks(), projects(status_c="completed")),
    ]
    tr = risk.exposure_trend(history).set_index(["as_of", "project_id"])
    aug, sep = pd.Timestamp("2026-08-31"), pd.Timestamp("2026-09-30")
    assert tr.loc[(aug, "B"), "risk_exposure"] == 30_000
    assert tr.loc[(sep, "B"), "risk_exposure"] == 60_000  # doubled
    assert (sep, "C") not in tr.index  # completed: out of the trend
    assert tr.loc[(aug, "C"), "risk_exposure"] == 9_000
    assert risk.exposure_trend([]).empty


def test_cell_risks_lists_one_cell_largest_first() -> None:
    k = range(1, 11)
    register = schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": [f"R{i}" for i in k],
                "project_id": ["A"] * 10,
                "title": [f"t{i}" for i in k],
                # 0.5 is probability level 3 (band 0.3-0.5], 0.9 level 5
                "probability": [0.9] * 6 + [0.5] * 4,
                # impacts 1 000..10 000 against thresholds 2 000/4 000/6 000/8 000: R7
                # (7 000) and R8 (8 000, a bound is included) at level 4, R9 and R10 at 5
                "impact": [1000.0 * i for i in k],
                "status": [None] * 8 + ["Clos", "open"],
            }
        ),
    )
    th = (2000.0, 4000.0, 6000.0, 8000.0)
    # exposure R7 = 0.5 x 7 000 = 3 500, R8 = 4 000: R8 first
    assert risk.cell_risks(register, 3, 4, thresholds=th)["risk_id"].tolist() == ["R8", "R7"]
    assert risk.cell_risks(register, 3, 5, thresholds=th)["risk_id"].tolist() == ["R10"]
    assert risk.cell_risks(register, 1, 1, thresholds=th).empty  # R9 (closed) is not listed


# ---------------------------------------------------------------------------- scales, levels


def register(probability: list[float], impact: list[float]) -> pd.DataFrame:
    n = len(probability)
    return schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": [f"R{i}" for i in range(1, n + 1)],
                "project_id": ["A"] * n,
                "title": ["t"] * n,
                "probability": probability,
                "impact": impact,
            }
        ),
    )


@pytest.mark.parametrize(
    ("impact", "level"),
    [
        (0.0, 1),  # no impact: the lowest level
        (10_000.0, 1),  # the default bounds 10 000 / 50 000 / 100 000 / 250 000 are included
        (10_001.0, 2),
        (50_000.0, 2),
        (60_000.0, 3),
        (100_000.0, 3),
        (250_000.0, 4),
        (250_001.0, 5),
        (9e9, 5),
    ],
)
def test_impact_level_comes_from_the_default_amount_thresholds(impact: float, level: int) -> None:
    assert risk.impact_levels(pd.Series([impact])).tolist() == [level]


def test_impact_thresholds_are_a_setting_and_a_bad_one_is_reported() -> None:
    own = {"risk_impact_thresholds": "5 000; 20 000; 80 000; 300 000"}
    assert risk.impact_thresholds(own) == ((5000.0, 20000.0, 80000.0, 300000.0), None)
    assert risk.impact_thresholds({"risk_impact_thresholds": "1000,2000,3000,4000"})[0] == (
        1000.0,
        2000.0,
        3000.0,
        4000.0,
    )
    assert risk.impact_thresholds(None) == (risk.DEFAULT_IMPACT_THRESHOLDS, None)
    for bad in ("10; 5; 20; 30", "1; 2; 3", "a; b; c; d", "0; 1; 2; 3"):
        assert risk.impact_thresholds({"risk_impact_thresholds": bad}) == (
            risk.DEFAULT_IMPACT_THRESHOLDS,
            bad,
        )
    # 60 000 is level 3 by default (50 000 < 60 000 <= 100 000), level 2 with 80 000 as bound 3
    r = register([0.5], [60_000.0])
    assert risk.open_risks(r)["i_level"].tolist() == [3.0]
    th = risk.impact_thresholds(own)[0]
    assert risk.open_risks(r, thresholds=th)["i_level"].tolist() == [3.0]
    assert risk.open_risks(r, thresholds=(5e3, 70e3, 80e3, 9e4))["i_level"].tolist() == [2.0]


def test_adding_a_risk_never_moves_another_risk_s_cell() -> None:
    # R1 (0.5, 60 000): probability level 3, impact level 3 alone. By its rank it was level 5
    # alone and level 1 once four larger risks came: now it stays in cell (3, 3).
    alone = risk.open_risks(register([0.5], [60_000.0]))
    assert alone[["p_level", "i_level"]].values.tolist() == [[3.0, 3.0]]
    more = register([0.5, 0.9, 0.9, 0.9, 0.9], [60_000.0, 1e6, 2e6, 3e6, 4e6])
    assert risk.open_risks(more).loc[0, ["p_level", "i_level"]].tolist() == [3.0, 3.0]
    assert risk.risk_matrix(more).loc[3, 3] == 1 and risk.risk_matrix(more).loc[5, 5] == 4


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(5.5, 5e6, allow_subnormal=False)),
        min_size=1,
        max_size=8,
    ),
    st.tuples(st.floats(0, 1), st.floats(5.5, 5e6, allow_subnormal=False)),
)
def test_property_a_new_money_risk_never_moves_the_others(rows: list, extra: tuple) -> None:
    # A register of fractions and amounts (an impact 1-5 among amounts is an import
    # error, so none is drawn; the 0.5 keeps the probabilities fractions): a new risk
    # leaves every other risk in its cell.
    rows = [(0.5, 1e5), *rows]
    before = risk.open_risks(register([p for p, _ in rows], [i for _, i in rows]))
    rows2 = [*rows, extra]
    after = risk.open_risks(register([p for p, _ in rows2], [i for _, i in rows2]))
    cols = ["p_level", "i_level"]
    assert after[cols].head(len(rows)).equals(before[cols])


def test_level_register_scores_and_has_no_exposure() -> None:
    r = register([4.0, 1.0, 5.0], [4.0, 1.0, 2.0])
    assert risk.register_scales(r) == risk.RiskScales("level", "level")
    o = risk.open_risks(r)
    assert o["exposure"].isna().all()
    # 4 x 4 = 16; 1 is level 1 here (not 100 %): 1 x 1 = 1; 5 x 2 = 10
    assert o["score"].tolist() == [16.0, 1.0, 10.0]
    assert o["p_level"].tolist() == [4.0, 1.0, 5.0]


def test_a_probability_of_one_is_certain_only_among_fractions() -> None:
    money = register([1.0, 0.2], [50_000.0, 10_000.0])
    assert risk.register_scales(money) == risk.RiskScales("fraction", "money")
    # certain: exposure = 1 x 50 000; probability level 5 (above 70 %)
    assert risk.open_risks(money)["exposure"].tolist() == [50_000.0, 2_000.0]
    assert risk.open_risks(money)["p_level"].tolist() == [5.0, 2.0]
    # every probability 1 with impacts in levels: level 1
    ones = register([1.0, 1.0], [3.0, 5.0])
    assert risk.register_scales(ones) == risk.RiskScales("level", "level")
    assert risk.open_risks(ones)["score"].tolist() == [3.0, 5.0]


def test_level_probabilities_with_money_impacts_score_by_thresholds_no_exposure() -> None:
    # probability level 4 and 2; impacts 300 000 (level 5) and 20 000 (level 2): scores
    # 4 x 5 = 20 and 2 x 2 = 4; a level is not a fraction: no exposure in money
    r = register([4.0, 2.0], [300_000.0, 20_000.0])
    assert risk.register_scales(r) == risk.RiskScales("level", "money")
    o = risk.open_risks(r)
    assert o["score"].tolist() == [20.0, 4.0] and o["exposure"].isna().all()
    assert risk.top_risks(r)["risk_id"].tolist() == ["R1", "R2"]  # by score


def test_scales_of_the_whole_register_apply_to_a_part_of_it() -> None:
    # The whole register gives probability levels (4 and 1) with amounts. Project A's part
    # alone (probability 1, 50 000) would read as certain: exposure 50 000. With the
    # whole register's scales it is level 1 x impact level 2 (10 000 < 50 000 <= 50 000).
    whole = register([1.0, 4.0], [50_000.0, 300_000.0]).assign(project_id=["A", "B"])
    part = whole[whole["project_id"] == "A"]
    assert risk.open_risks(part)["exposure"].tolist() == [50_000.0]
    scales = risk.register_scales(whole)
    assert scales == risk.RiskScales("level", "money")
    o = risk.open_risks(part, scales)
    assert o["score"].tolist() == [2.0] and o["exposure"].isna().all()


def test_level_register_exposure_is_null_in_kpis_and_portfolio() -> None:
    frames = {k: schema.empty_frame(k) for k in schema.TABLES}
    frames["projects"] = projects()
    frames["risks"] = risks().assign(probability=[4.0, 2.0, 3.0, 5.0], impact=[5.0, 1.0, 2.0, 1.0])
    snap = store.Snapshot(1, date(2026, 9, 30), datetime(2026, 10, 1), "t", "EUR", {}, frames)
    k = kpi.snapshot_kpis(snap).set_index("project_id")
    assert k["risk_exposure"].isna().all()  # was 0: a level register has no money exposure
    # open risks: A R1 4 x 5 = 20 (R2 closed), B 3 x 2 = 6, C 5 x 1 = 5
    assert k["risk_score"].tolist() == [20.0, 6.0, 5.0]
    headline = kpi.portfolio_headline(kpi.snapshot_kpis(snap))
    assert headline["risk_exposure"] is None
    assert headline["risk_score"] == 31.0
    doc = kpi.kpis_document(snap)
    assert json.loads(json.dumps(doc, default=str))["portfolio"]["risk_exposure"] is None
    assert all(p["risk_exposure"] is None for p in doc["projects"])


def test_money_register_project_without_risk_has_zero_exposure() -> None:
    frames = {k: schema.empty_frame(k) for k in schema.TABLES}
    frames["projects"] = projects()
    frames["risks"] = risks()[risks()["project_id"] != "B"]
    snap = store.Snapshot(1, date(2026, 9, 30), datetime(2026, 10, 1), "t", "EUR", {}, frames)
    k = kpi.snapshot_kpis(snap).set_index("project_id")
    # A 0.5 x 100 000 = 50 000; B has no risk: 0; C 0.9 x 10 000 = 9 000
    assert k["risk_exposure"].tolist() == [50_000.0, 0.0, 9_000.0]
    assert kpi.portfolio_headline(k.reset_index())["risk_exposure"] == 59_000.0


def test_portfolio_exposure_of_no_open_project_is_zero_not_null() -> None:
    # Every project completed: nothing is summed, in a money register that is 0 (the
    # Overview's delta and the pack subtract it); null is kept for a register of levels.
    frames = {k: schema.empty_frame(k) for k in schema.TABLES}
    frames["projects"] = projects().assign(status="completed")
    frames["risks"] = risks()
    snap = store.Snapshot(1, date(2026, 9, 30), datetime(2026, 10, 1), "t", "EUR", {}, frames)
    assert kpi.portfolio_headline(kpi.snapshot_kpis(snap))["risk_exposure"] == 0.0
