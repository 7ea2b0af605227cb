"""Schedule risk on the Import page: after a schedule file is read, a button runs the
Monte Carlo over its logic and shows P50/P80 beside the schedule's finish, the chance of
finishing by the baseline finish, the finish dates' histogram, the criticality index and
the drivers' tornado, in French and English.

The file, ``tests/data/chain_schedule.xml`` (MS Project XML, all work to do, data date
Monday 5 January 2026), is a chain with known durations:

    Conception 5 d (5-9 Jan) -> Réalisation 3 d (12-14 Jan) -> Test 2 d (15-16 Jan)
    Conception -> Étiquettes 1 d (12 Jan) -> Recette

Planned: 5 + 3 + 2 = 10 working days, finishing Friday 16 January. With the default
spread each duration is triangular (90 %, 100 %, 150 %): the chain takes from 9 to
15 working days (23 January, the latest baseline finish, that of Recette), so every draw
finishes by the baseline finish (100 %). Étiquettes (0.9-1.5 d) can never catch up with
Réalisation (at least 2.7 d): its criticality is 0 %, the chain's 100 %. The finish's variance
is the sum of the durations' (var of a triangular (0.9d, d, 1.5d) = 0.31 d^2 / 18): 25,
9 and 4 give 0.43, 0.155, 0.069; Conception drives the finish most (rank correlation
~ sqrt(0.43 / 0.654) = 0.81), then Réalisation (0.49), then Recette (0.32).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core.charts import schedule_risk as charts
from pmo_core.forecast import schedule_risk as sr
from pmo_core.ingest.schedules import read_schedule
from tests.conftest import ROOT, run_page

CHAIN = ROOT / "tests" / "data" / "chain_schedule.xml"


def _run(lang: str, iterations: int | None = None, data: bytes | None = None):  # type: ignore[no-untyped-def]
    at = run_page("import_data.py", lang)
    at.file_uploader(key="import_file").set_value(
        (CHAIN.name, CHAIN.read_bytes() if data is None else data, "application/xml")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    if iterations is not None:
        at.number_input(key="schedule_risk_iterations").set_value(iterations).run()
    at.button(key="schedule_risk_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def test_the_chain_in_english(app_db: Path) -> None:
    at = _run("en")
    m = _metrics(at)
    assert m["Schedule's finish"] == "16 Jan 2026"
    p50 = pd.to_datetime(m["Finish P50"], format="%d %b %Y")
    p80 = pd.to_datetime(m["Finish P80"], format="%d %b %Y")
    # Between the 10th working day (planned: the mode of every duration) and the 15th.
    assert pd.Timestamp("2026-01-16") <= p50 <= p80 <= pd.Timestamp("2026-01-23")
    assert m["By the baseline finish"] == "100%"
    table = next(d.value for d in at.dataframe if "Criticality index" in d.value.columns)
    crit = dict(zip(table["Name"], table["Criticality index"], strict=True))
    assert crit == {
        "Conception": "100%",
        "Réalisation": "100%",
        "Recette": "100%",
        "Étiquettes": "0%",
    }
    assert "Schedule risk (Monte Carlo)" in [h.value for h in at.subheader]
    caption = " ".join(c.value for c in at.caption)
    assert "1,000 draws" in caption and "90% to 150%" in caption
    assert len(at.get("plotly_chart")) == 2  # the histogram and the tornado


def test_the_chain_in_french_with_other_iterations(app_db: Path) -> None:
    at = _run("fr", iterations=500)
    m = _metrics(at)
    assert m["Fin du planning"] == "16/01/2026"
    assert m["À la fin de référence"] == "100\u00a0%"
    assert "Risque planning (Monte-Carlo)" in [h.value for h in at.subheader]
    assert at.button(key="schedule_risk_button").label == "Analyse de risque planning"
    caption = " ".join(c.value for c in at.caption)
    assert "500 tirages" in caption and "de 90\u00a0% à 150\u00a0%" in caption


def test_without_a_baseline_the_chance_of_being_on_time_is_na(app_db: Path) -> None:
    unbased = re.sub(r"<Baseline>.*?</Baseline>", "", CHAIN.read_text(), flags=re.S)
    at = _run("fr", data=unbased.encode())
    m = _metrics(at)
    assert m["Fin du planning"] == "16/01/2026"  # the same logic and durations
    assert m["À la fin de référence"] == "n/d"
    card = next(x for x in at.metric if x.label == "À la fin de référence")
    assert "pas de fin de référence" in card.help


def test_no_button_for_a_workbook(app_db: Path) -> None:
    from tests.conftest import DEMO

    at = run_page("import_data.py", "en")
    at.file_uploader(key="import_file").set_value(
        (DEMO.name, DEMO.read_bytes(), "application/octet-stream")
    ).run()
    assert not at.exception
    assert "Schedule risk (Monte Carlo)" not in [h.value for h in at.subheader]


# ------------------------------------------------------------------ the library's parts


def _chain() -> tuple[pd.DataFrame, pd.DataFrame]:
    r = read_schedule(CHAIN.read_bytes(), CHAIN.name)
    assert r.ok
    return r.activities, r.relations


def test_the_chain_document() -> None:
    acts, rels = _chain()
    doc = sr.simulate(acts, rels, iterations=2000, seed=3, with_draws=True)
    assert doc["deterministic_finish"] == "2026-01-16" and doc["deterministic_days"] == 10.0
    assert doc["baseline_finish"] == "2026-01-23" and doc["prob_by_baseline_finish"] == 1.0
    draws = doc["finish_draws"]
    assert len(draws) == 2000
    assert draws.min() >= np.datetime64("2026-01-15") and draws.max() <= np.datetime64("2026-01-23")
    assert doc["finish_p50"] <= doc["finish_p80"]
    # Drivers: Conception, Réalisation, Test in that order (0.81, 0.49, 0.32 by hand), Étiquettes none.
    drivers = {d["activity_id"]: d["correlation"] for d in doc["drivers"]}
    assert list(drivers) == ["1", "2", "4"][: len(drivers)] and len(drivers) >= 3
    assert drivers["1"] == pytest.approx(0.81, abs=0.05)
    assert drivers["2"] == pytest.approx(0.48, abs=0.07)
    assert drivers["4"] == pytest.approx(0.33, abs=0.07)


def test_probability_by_the_baseline_finish_worked_by_hand() -> None:
    acts, rels = _chain()
    # The chain's total: mean 1.1333 x 10 = 11.33 days, sd sqrt(0.654) = 0.81. Finishing
    # by Tuesday 20 January (12th working day) is a total <= 12 days: about
    # Phi((12 - 11.33) / 0.81) = Phi(0.83) = 0.80.
    moved = acts.assign(baseline_finish=pd.Timestamp("2026-01-20"))
    doc = sr.simulate(moved, rels, iterations=4000, seed=1)
    assert doc["prob_by_baseline_finish"] == pytest.approx(0.80, abs=0.04)
    # By Wednesday 14 January (8th working day): below the 9-day minimum, never.
    early = sr.simulate(acts.assign(baseline_finish=pd.Timestamp("2026-01-14")), rels)
    assert early["prob_by_baseline_finish"] == 0.0
    # No baseline at all: no probability, said as null, not 0.
    none = sr.simulate(acts.assign(baseline_finish=pd.NaT), rels)
    assert none["baseline_finish"] is None and none["prob_by_baseline_finish"] is None


def test_the_document_has_no_draws_unless_asked() -> None:
    acts, rels = _chain()
    assert "finish_draws" not in sr.simulate(acts, rels, iterations=10)
    done = sr.simulate(acts.assign(done=True), rels, iterations=10, with_draws=True)
    assert done["finish_p50"] is None and len(done["finish_draws"]) == 0


def test_the_histogram_and_the_tornado() -> None:
    d = np.array(["2026-01-16", "2026-01-20", "2026-01-20", "2026-01-21"], "datetime64[D]")
    dist = charts.finish_distribution(d)
    assert dist["share"].tolist() == [0.25, 0.5, 0.25]
    assert dist["cumulative"].tolist() == [0.25, 0.75, 1.0]
    doc = {
        "finish_draws": d,
        "deterministic_finish": "2026-01-16",
        "finish_p50": "2026-01-20",
        "finish_p80": "2026-01-21",
        "baseline_finish": None,
    }
    fig = charts.finish_histogram(doc, "fr")
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["Fin planifiée 16/01/2026", "P50 20/01/2026", "P80 21/01/2026"]
    assert "50\u00a0%" in fig.layout.yaxis.ticktext
    assert fig.data[1].hovertext[1] == "20/01/2026\u00a0: 75\u00a0%"
    tornado = charts.drivers_tornado(
        [{"activity_id": "1", "correlation": 0.8}, {"activity_id": "2", "correlation": 0.5}],
        {"1": "Conception"},
        "en",
    )
    assert list(tornado.data[0].y) == ["2", "1 · Conception"]  # strongest on top


@settings(max_examples=25, deadline=None)
@given(
    durations=st.lists(st.integers(1, 15), min_size=1, max_size=6),
    offsets=st.lists(st.integers(-5, 40), min_size=2, max_size=2),
)
def test_the_chance_of_being_on_time_grows_with_the_baseline(
    durations: list[int], offsets: list[int]
) -> None:
    # Any chain of tasks from Monday 5 January 2026: P50 <= P80, the chance is a share,
    # and a later baseline finish is never less likely to be met.
    n = len(durations)
    acts = pd.DataFrame(
        {
            "task_id": [f"t{i}" for i in range(n)],
            "activity_id": [f"T{i}" for i in range(n)],
            "kind": "task",
            "done": False,
            "duration_days": [float(d) for d in durations],
            "forecast_start": pd.Timestamp("2026-01-05"),
        }
    )
    rels = pd.DataFrame(
        {
            "pred_task_id": [f"t{i}" for i in range(n - 1)],
            "succ_task_id": [f"t{i + 1}" for i in range(n - 1)],
            "type": "FS",
            "lag_days": 0.0,
        }
    )
    probs = []
    for off in sorted(offsets):
        day = pd.Timestamp("2026-01-05") + pd.offsets.BDay(sum(durations) + off)
        doc = sr.simulate(acts.assign(baseline_finish=day), rels, iterations=300, seed=4)
        assert doc["finish_p50"] <= doc["finish_p80"]
        assert 0.0 <= doc["prob_by_baseline_finish"] <= 1.0
        probs.append(doc["prob_by_baseline_finish"])
    assert probs[0] <= probs[1]
