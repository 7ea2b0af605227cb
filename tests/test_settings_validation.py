"""The Settings sheet's RAG thresholds (issue 16, item 5): a ratio 0-1 or a percentage
0-100 % ("95 %" and 95 both read as 0.95), days 0 or more, green at or above amber, the
red delay at or above the amber one; what breaks a rule is refused at import at its cell,
in both languages, and the KPIs read the thresholds as the import does."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import kpi
from pmo_core.ingest import pipeline
from pmo_core.ingest.settings_rules import (
    DEFAULT_THRESHOLDS,
    GREEN_BELOW_AMBER,
    NOT_A_RATIO,
    NOT_DAYS,
    RED_BEFORE_AMBER,
    read_thresholds,
)
from tests.conftest import DEMO


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("0.95", 0.95),
        ("0,95", 0.95),
        ("95 %", 0.95),  # before: ignored (float("95 %") fails), the default kept
        ("95%", 0.95),
        ("95", 0.95),  # before: read as 95, so no index was ever green
        ("1", 1.0),  # a ratio: green only at or above plan
        ("100 %", 1.0),
        ("0", 0.0),
        ("0 %", 0.0),
        ("85,5 %", 0.855),
    ],
)
def test_a_ratio_threshold_reads_as_a_ratio(raw: str, expected: float) -> None:
    th, problems = read_thresholds({"rag_amber": raw, "rag_green": "100 %"})
    assert problems == []
    assert th["amber"] == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["-0.1", "101", "150 %", "abc", "95 %%", "1e3", "0.9.5"])
def test_a_ratio_threshold_out_of_range_is_refused(raw: str) -> None:
    th, problems = read_thresholds({"rag_green": raw})
    assert problems == [("rag_green", raw, NOT_A_RATIO, {"key": "rag_green", "written": raw})]
    assert th["green"] == DEFAULT_THRESHOLDS["green"]


@pytest.mark.parametrize("raw,expected", [("30", 30.0), ("0", 0.0), ("45,5", 45.5)])
def test_a_delay_threshold_reads_as_days(raw: str, expected: float) -> None:
    th, problems = read_thresholds({"rag_milestone_amber_days": raw})
    assert problems == [] and th["milestone_amber_days"] == expected


@pytest.mark.parametrize("raw", ["-1", "30 %", "trente"])
def test_a_delay_threshold_that_is_not_days_is_refused(raw: str) -> None:
    _, problems = read_thresholds({"rag_milestone_red_days": raw})
    assert [p[2] for p in problems] == [NOT_DAYS]


def test_green_below_amber_is_refused_at_the_green_cell() -> None:
    # green 80 % < the default amber 85 %: no index could be amber, 0.82 would be green.
    th, problems = read_thresholds({"rag_green": "80 %"})
    assert problems == [
        ("rag_green", "80 %", GREEN_BELOW_AMBER, {"green": "80 %", "amber": "85 %"})
    ]
    assert (th["green"], th["amber"]) == (0.95, 0.85)  # both keep their defaults
    # Equal is allowed: no amber band, G at or above 0.9, else R.
    assert read_thresholds({"rag_green": "0.9", "rag_amber": "90 %"})[1] == []


def test_red_delay_before_amber_is_refused() -> None:
    # red 20 days < the default amber 30 days.
    _, problems = read_thresholds({"rag_milestone_red_days": "20"})
    assert problems == [
        ("rag_milestone_red_days", "20", RED_BEFORE_AMBER, {"red": "20", "amber": "30"})
    ]
    _, problems = read_thresholds({"rag_milestone_amber_days": "120"})  # > the default 90
    assert [p[0] for p in problems] == ["rag_milestone_amber_days"]


def test_an_unreadable_threshold_is_not_also_reported_out_of_order() -> None:
    _, problems = read_thresholds({"rag_green": "x", "rag_amber": "0.99"})
    assert [p[2] for p in problems] == [NOT_A_RATIO]


def test_the_kpis_band_with_the_thresholds_the_import_reads() -> None:
    # SPI 0.93 with green "90 %": green (0.93 >= 0.90). Before, "90 %" was ignored and
    # 0.93 < the default 0.95 gave amber.
    th = kpi.thresholds_from_settings({"rag_green": "90 %", "rag_amber": "80"})
    assert (th["green"], th["amber"]) == (0.9, 0.8)
    assert kpi.band(pd.Series([0.93, 0.85, 0.79]), th).tolist() == ["G", "A", "R"]


@given(st.integers(min_value=0, max_value=10_000))
def test_a_percentage_and_its_ratio_read_the_same(basis_points: int) -> None:
    ratio = basis_points / 10_000  # 0 to 1, four decimals
    pct = f"{basis_points / 100:g} %"
    a = read_thresholds({"rag_amber": f"{ratio:g}", "rag_green": "100 %"})
    b = read_thresholds({"rag_amber": pct, "rag_green": "100 %"})
    assert a[1] == b[1] == []
    assert a[0]["amber"] == pytest.approx(b[0]["amber"]) == pytest.approx(ratio)


def _demo_with_settings(**values: str) -> bytes:
    wb = openpyxl.load_workbook(DEMO)
    ws = wb["Paramètres"]
    for key, value in values.items():
        ws.append([key, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_import_refuses_unordered_thresholds_naming_the_cell() -> None:
    # The demo's Paramètres sheet: header row 1, as_of, currency, company on rows 2-4;
    # rag_green lands on row 5, rag_amber on row 6.
    body = _demo_with_settings(rag_green="80 %", rag_amber="95")
    result = pipeline.validate_file(body, filename="seuils.xlsx")
    assert not result.ok
    found = [i for i in result.issues if i.template == GREEN_BELOW_AMBER]
    assert [(i.sheet, i.row, i.column, i.value) for i in found] == [
        ("Paramètres", 5, "Valeur", "80 %")
    ]
    assert found[0].text("en").startswith("The green threshold (80 %) is below the amber one (95)")
    assert found[0].text("fr").startswith("Le seuil vert (80 %) est sous le seuil orange (95)")


def test_the_import_refuses_a_threshold_it_cannot_read() -> None:
    body = _demo_with_settings(rag_amber="beaucoup")
    result = pipeline.validate_file(body, filename="seuils.xlsx")
    found = [i for i in result.issues if i.template == NOT_A_RATIO]
    assert [(i.row, i.value, i.severity) for i in found] == [(5, "beaucoup", "error")]
    assert "beaucoup n'en est pas un" in found[0].text("fr")


def test_the_import_accepts_percentages_and_keeps_them_as_written() -> None:
    body = _demo_with_settings(rag_green="90 %", rag_amber="80")
    result = pipeline.validate_file(body, filename="seuils.xlsx")
    assert result.ok, [i.text() for i in result.issues if i.severity == "error"]
    assert result.settings["rag_green"] == "90 %"
    assert kpi.thresholds_from_settings(result.settings)["green"] == 0.9
