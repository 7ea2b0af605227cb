"""The Risks page in AppTest: the heat map's thresholds shown with the formula, the cells
the library computes, n/a exposure for a register of levels."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pmo_core import schema, store
from pmo_core.i18n import fmt_money, fmt_pct
from pmo_core.kpi import risk
from tests.conftest import run_page


def _heat_counts(at) -> dict[tuple[int, int], int]:  # type: ignore[no-untyped-def]
    """Cell (probability level, impact level) -> count, from the clickable markers."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    marks = spec["data"][1]
    return {
        (int(p), int(i)): int(n)
        for (p, i), n in zip(marks["customdata"], marks["text"], strict=True)
    }


def _commit(db: Path, risks: pd.DataFrame, settings: dict[str, str] | None = None) -> None:
    """A new newest snapshot: the demo's with ``risks`` as its register."""
    snap = store.get_snapshot(path=db)
    frames = {**snap.frames, "risks": schema.conform("risks", risks)}
    store.commit_snapshot(
        frames, source="risks.xlsx", as_of=snap.as_of, settings=settings or {}, path=db
    )


def _captions(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in at.caption]


def test_risks_page_shows_the_default_thresholds_and_places_risks_by_them(app_db: Path) -> None:
    at = run_page("risks.py", "fr")
    assert not at.exception
    # The defaults 10 000 / 50 000 / 100 000 / 250 000 EUR and the fixed probability bands
    # 10/30/50/70 %, in French formats, with the formula.
    a, b, c, d = (fmt_money(v, "fr", "EUR") for v in (10_000, 50_000, 100_000, 250_000))
    assert a == "10\u202f000\xa0€"
    captions = _captions(at)
    assert (
        f"Niveau d'impact : 1 jusqu'à {a}, 2 jusqu'à {b}, 3 jusqu'à {c}, 4 jusqu'à {d}, "
        "5 au-delà (paramètre risk_impact_thresholds)." in captions
    )
    pa, pb, pc, pd_ = (fmt_pct(v, "fr") for v in (10, 30, 50, 70))
    assert (
        f"Niveau de probabilité : 1 jusqu'à {pa}, 2 jusqu'à {pb}, 3 jusqu'à {pc}, "
        f"4 jusqu'à {pd_}, 5 au-delà." in captions
    )
    assert "Exposition = probabilité x impact (en argent), sur les risques ouverts." in captions
    # Every cell holds what the library counts with those thresholds.
    register = store.get_snapshot(path=app_db).frames["risks"]
    m = risk.risk_matrix(register)
    assert _heat_counts(at) == {(p, i): int(m.loc[p, i]) for p in m.index for i in m.columns}
    assert sum(_heat_counts(at).values()) == int((~risk.is_closed(register["status"])).sum())


def test_thresholds_from_the_settings_move_the_cells_and_are_shown(app_db: Path) -> None:
    # Three open risks at probability 0.5 (level 3): impacts 30 000, 60 000 and 400 000.
    # Defaults: levels 2, 3 and 5. With thresholds 20 000; 40 000; 80 000; 500 000:
    # levels 2 (20 000 < 30 000 <= 40 000), 3 (40 000 < 60 000 <= 80 000) and 4.
    rows = pd.DataFrame(
        {
            "risk_id": ["R1", "R2", "R3"],
            "project_id": [store.get_snapshot(path=app_db).frames["projects"]["project_id"][0]] * 3,
            "title": ["a", "b", "c"],
            "probability": [0.5, 0.5, 0.5],
            "impact": [30_000.0, 60_000.0, 400_000.0],
        }
    )
    _commit(app_db, rows, {"risk_impact_thresholds": "20000; 40000; 80000; 500000"})
    at = run_page("risks.py", "en")
    assert not at.exception
    cells = {c: n for c, n in _heat_counts(at).items() if n}
    assert cells == {(3, 2): 1, (3, 3): 1, (3, 4): 1}
    assert (
        "Impact level: 1 up to €20,000, 2 up to €40,000, 3 up to €80,000, 4 up to €500,000, "
        "5 above (setting risk_impact_thresholds)." in _captions(at)
    )
    # Exposure 0.5 x (30 000 + 60 000 + 400 000) = 245 000
    assert at.metric[1].value == fmt_money(245_000, "en", "EUR", compact=True)


def test_a_bad_threshold_setting_is_said_and_the_defaults_are_used(app_db: Path) -> None:
    _commit(
        app_db, store.get_snapshot(path=app_db).frames["risks"], {"risk_impact_thresholds": "9; 3"}
    )
    at = run_page("risks.py", "en")
    assert not at.exception
    assert any("risk_impact_thresholds (9; 3)" in w.value for w in at.warning)
    assert any(
        c.startswith("Impact level: 1 up to €10,000, 2 up to €50,000") for c in _captions(at)
    )


def test_a_register_of_levels_shows_no_exposure_and_its_scores(app_db: Path) -> None:
    pid = store.get_snapshot(path=app_db).frames["projects"]["project_id"][0]
    rows = pd.DataFrame(
        {
            "risk_id": ["R1", "R2"],
            "project_id": [pid, pid],
            "title": ["a", "b"],
            "probability": [4.0, 1.0],  # 1 is level 1 here
            "impact": [4.0, 5.0],
        }
    )
    _commit(app_db, rows)
    at = run_page("risks.py", "en")
    assert not at.exception
    assert at.metric[1].value == "n/a"  # was €0: levels are not money
    assert {c: n for c, n in _heat_counts(at).items() if n} == {(4, 4): 1, (1, 5): 1}
    captions = _captions(at)
    assert "Probability is given as a level 1-5." in captions
    assert "No exposure in money: probability or impact is given as a level." in captions
    top = at.table[0].value  # static: the titles and plans wrap
    assert top["Score"].tolist() == ["16", "5"]  # 4 x 4, 1 x 5
