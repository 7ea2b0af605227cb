"""A change that rounds to zero at the precision it is shown with reads "=", with no sign
and no arrow, everywhere a change is shown: the Overview cards, the pack's cards (screen,
HTML, PDF), the pack workbook's change column and the What-if value card."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from pmo_core.i18n import NO_CHANGE, fmt_change, fmt_delta, fmt_money, fmt_number, t
from pmo_core.report.data import card_values


@pytest.mark.parametrize(
    ("change", "decimals", "lang", "shown"),
    [
        (0.004, 2, "fr", "="),  # 0,004 shows 0,00: no rise to show (was "+0,00")
        (-0.004, 2, "fr", "="),  # -0,004 shows -0,00 (was "-0,00", a down arrow)
        (0.005, 2, "en", "+0.01"),  # rounds up to one hundredth: a real, shown change
        (-0.05, 2, "fr", "-0,05"),
        (0.04, 1, "fr", "="),  # the What-if's alignment points, 1 decimal: 0,0
        (0.0, 2, "en", "="),
        (1234.5, 1, "fr", "+1\u202f234,5"),
    ],
)
def test_fmt_change_reads_equal_when_the_shown_change_is_zero(
    change: float, decimals: int, lang: str, shown: str
) -> None:
    assert fmt_change(change, lambda v: fmt_number(v, lang, decimals), lang) == shown
    assert fmt_delta(change, lang, decimals) == shown


def test_fmt_change_of_money_and_of_nothing() -> None:
    money = lambda v: fmt_money(v, "fr", compact=True)  # noqa: E731
    assert fmt_change(0.4, money, "fr") == "="  # 0,4 € shows 0 €
    assert fmt_change(-52_800, money, "fr") == "-52,8\u00a0k€"
    assert fmt_change(52_800, lambda v: fmt_money(v, "en", compact=True), "en") == "+€52.8k"
    assert fmt_change(math.nan, money, "fr") == "n/d"  # undefined, never "="
    assert fmt_change(None, money, "en") == "n/a"


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 3), st.sampled_from(["fr", "en"]))
def test_fmt_change_signs_only_what_it_shows(x: float, decimals: int, lang: str) -> None:
    text = fmt_change(x, lambda v: fmt_number(v, lang, decimals), lang)
    if round(abs(x), decimals) < 0.5 * 10**-decimals:  # rounds to zero at that precision
        assert text == NO_CHANGE
    elif text != NO_CHANGE:  # (a value exactly on a rounding edge may go either way)
        assert text[0] == ("+" if x > 0 else "-")
        assert any(c in "123456789" for c in text)


# ------------------------------------------------------------------ the pack's cards


def test_pack_cards_show_equal_for_a_cpi_change_that_rounds_to_zero(tmp_path: Any) -> None:
    from pmo_core import report
    from pmo_core.ingest import pipeline
    from tests.conftest import DEMO

    db = tmp_path / "pmo.duckdb"
    pipeline.import_file(DEMO, who="tests", path=db)
    data = report.collect(1, lang="fr", path=db)
    now = dict(data.figures)
    # CPI 0,946 then 0,949: +0,003 rounds to +0,00 at the card's 2 decimals -> "=".
    # SPI 0,930 then 0,950: +0,02 is shown. Budget +0,4 €: 0 € in compact money -> "=".
    now.update(cpi=0.949, spi=0.95, bac=1_000_000.4)
    before = dict(now, cpi=0.946, spi=0.93, bac=1_000_000.0)
    for lang, since in (("fr", "depuis la n°7"), ("en", "since #7")):
        d = dataclasses.replace(
            data, lang=lang, figures=now, previous_figures=before, previous_id=7
        )
        cards = {c["key"]: c["delta"] for c in card_values(d)}
        assert cards["cpi"] == f"= {since}"  # was "+0,00 depuis la n°7"
        assert cards["bac"] == f"= {since}"
        assert cards["spi"] == ("+0,02 " if lang == "fr" else "+0.02 ") + since


# ------------------------------------------------------------- Overview and What-if


def _headline(now: dict, before: dict) -> None:  # bare: AppTest runs the source alone
    from unittest import mock

    from ui import overview_panels

    with mock.patch("ui.widgets.drill_link"):  # the links need a store; not what is tested
        overview_panels.headline(now, before)


FIGURES = {
    "projects_in_execution": 10,
    "bac": 1_000_000.0,
    "eac": 1_100_000.0,
    "spi": 0.95,
    "cpi": 0.949,
    "ev": 500_000.0,
    "pv": 526_000.0,
    "ac": 527_000.0,
    "red_projects": 2,
    "risk_exposure": 50_000.0,
    "left_out": {},
    "eac_at_bac": 0,
    "unrated_projects": 0,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_cpi_change_that_rounds_to_zero_has_no_arrow(lang: str) -> None:
    # CPI 0,946 -> 0,949 (+0,003: "0,00" at 2 decimals); SPI 0,93 -> 0,95 (+0,02);
    # red projects 2 -> 2 (0); EAC +100 k€ (inverse: a rise is red).
    before = dict(FIGURES, cpi=0.946, spi=0.93, eac=1_000_000.0)
    at = AppTest.from_function(_headline, args=(FIGURES, before), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    cards = {m.label: m for m in at.metric}
    cpi, spi = cards[t("CPI", lang)], cards[t("SPI", lang)]
    assert cpi.proto.delta == NO_CHANGE  # was "0,00" beside an up arrow
    assert cpi.proto.direction == MetricProto.MetricDirection.NONE
    assert cpi.proto.color == MetricProto.MetricColor.GRAY
    assert spi.proto.delta == ("+0,02" if lang == "fr" else "+0.02")
    assert spi.proto.direction == MetricProto.MetricDirection.UP
    red = cards["Projets en rouge" if lang == "fr" else "Red projects"]
    assert red.proto.delta == NO_CHANGE and red.proto.direction == MetricProto.MetricDirection.NONE
    eac = cards["EAA" if lang == "fr" else "EAC"]
    assert eac.proto.direction == MetricProto.MetricDirection.UP
    assert eac.proto.color == MetricProto.MetricColor.RED  # inverse: a rise in cost is bad


def _answer(doc: dict) -> None:  # bare: AppTest runs the source alone
    from ui import whatif

    whatif.answer(doc, 10.0, False)


@pytest.mark.parametrize(
    ("objective", "greedy", "delta", "arrow"),
    [
        # 71,24 - 71,20 = 0,04 points: "0,0" at 1 decimal -> "=" (was "↑ 0,0")
        (71.24, 71.20, "=", MetricProto.MetricDirection.NONE),
        (71.3, 71.2, "+0,1", MetricProto.MetricDirection.UP),
    ],
)
def test_whatif_value_card_gain_that_rounds_to_zero_has_no_arrow(
    objective: float, greedy: float, delta: str, arrow: int
) -> None:
    doc = {
        "value": "alignment",
        "objective": objective,
        "greedy_objective": greedy,
        "total_cost": 900_000.0,
        "selected": ["P1", "P2"],
        "status": "optimal",
        "excluded": [],
    }
    at = AppTest.from_function(_answer, args=(doc,), default_timeout=60)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception
    card = at.metric[0]
    assert card.proto.delta == delta
    assert card.proto.direction == arrow
