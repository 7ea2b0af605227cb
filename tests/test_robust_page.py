"""What-if page, robust selection: runs on the button only, shows each project's class
beside the answer above, keeps its answer in the session, forced projects 1 and 0."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pmo_core.optimize import robust
from tests.conftest import run_page


def robust_table(at, header: str = "Selection probability") -> pd.DataFrame | None:  # type: ignore[no-untyped-def]
    return next((d.value for d in at.dataframe if header in d.value.columns), None)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many robust runs the page started (each call of robust_runs)."""
    calls: list[int] = []
    real = robust.robust_runs

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["samples"])
        return real(*args, **kwargs)

    monkeypatch.setattr(robust, "robust_runs", counted)
    return calls


def test_robust_selection_runs_on_the_button_and_shows_classes(
    app_db: Path, runs: list[int]
) -> None:
    at = run_page("whatif.py", "en")
    assert not at.exception
    assert robust_table(at) is None and runs == []  # never on a plain run
    at.select_slider(key="whatif_robust_samples").set_value(50)
    at.button(key="whatif_robust_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert runs == [50]
    df = robust_table(at)
    assert df is not None
    assert set(df["Class"]) <= {"Core", "Borderline", "Out"} and "Core" in set(df["Class"])
    progress = next(p for p in at.get("progress"))
    assert progress.value == 100 and "50 of 50 draws solved" in progress.text
    # Beside the answer above: every project it selects is ticked, the rest not.
    selected = next(d.value for d in at.dataframe if "Starts later (months)" in d.value.columns)
    ticked = df.loc[df["In the answer above"] == "✓", "Project"]
    assert set(ticked) == set(selected["Project"])
    # Sorted by probability, highest first ("100%", "99%", ...; "87.5%" possible).
    pct = df["Selection probability"].str.rstrip("%").astype(float)
    assert pct.is_monotonic_decreasing
    # Classes follow the thresholds: >= 90 % core, <= 10 % out.
    assert (df.loc[pct >= 90, "Class"] == "Core").all()
    assert (df.loc[pct <= 10, "Class"] == "Out").all()
    assert (df.loc[(pct > 10) & (pct < 90), "Class"] == "Borderline").all()
    # A rerun (no press) shows the kept answer and solves nothing.
    at.run()
    assert robust_table(at) is not None and runs == [50]


def test_forced_projects_have_probability_one_and_zero_on_the_page(
    app_db: Path, runs: list[int]
) -> None:
    at = run_page("whatif.py", "en")
    ids = at.data_editor(key="whatif_rules").value["project_id"].tolist()
    # PRJ-049 drops out of almost every draw (3 %) and PRJ-001 is in nearly all (99 %):
    # forced in and out, they are 100 % and 0 %.
    edited = {ids.index("PRJ-049"): {"force_in": True}, ids.index("PRJ-001"): {"force_out": True}}
    at.session_state["whatif_rules"] = {"edited_rows": edited, "added_rows": [], "deleted_rows": []}
    at.run()
    at.select_slider(key="whatif_robust_samples").set_value(20)
    at.button(key="whatif_robust_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    df = robust_table(at).set_index("Project")  # type: ignore[union-attr]
    assert df.loc["PRJ-049", ["Selection probability", "Class"]].tolist() == ["100%", "Core"]
    assert df.loc["PRJ-049", "Rule"] == "Forced in by the committee"
    assert df.loc["PRJ-001", ["Selection probability", "Class"]].tolist() == ["0%", "Out"]
    assert df.loc["PRJ-001", "Rule"] == "Forced out by the committee"


def test_new_parameters_need_a_new_press(app_db: Path, runs: list[int]) -> None:
    at = run_page("whatif.py", "en")
    at.select_slider(key="whatif_robust_samples").set_value(20)
    at.button(key="whatif_robust_run").click().run()
    assert robust_table(at) is not None
    at.slider(key="whatif_robust_spread").set_value(40).run()
    assert robust_table(at) is None and runs == [20]  # not the answer of another spread
    at.slider(key="whatif_robust_spread").set_value(20).run()
    assert robust_table(at) is not None and runs == [20]  # kept, keyed by the parameters


def test_robust_selection_speaks_french(app_db: Path) -> None:
    at = run_page("whatif.py", "fr")
    at.select_slider(key="whatif_robust_samples").set_value(20)
    at.button(key="whatif_robust_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    df = robust_table(at, "Probabilité d'être retenu")
    assert df is not None
    assert set(df["Classe"]) <= {"Socle", "Incertain", "Écarté"}
    assert any("tirages résolus sur 20" in p.text for p in at.get("progress"))


def test_a_run_stopped_by_a_click_elsewhere_says_its_figures_are_an_estimate(
    app_db: Path, runs: list[int]
) -> None:
    # A click elsewhere stops the script between two draws: the state kept is the last
    # one shown, still marked running. Here: the finished run's entry cut back to 7 of
    # 20 draws and marked running, as such a stop leaves it.
    at = run_page("whatif.py", "en")
    at.select_slider(key="whatif_robust_samples").set_value(20)
    at.button(key="whatif_robust_run").click().run()
    kept = dict(at.session_state["whatif_robust"])
    ((key, entry),) = kept.items()
    s = entry["state"]
    cut = robust.RobustState(s.ids, 7, 7, s.counts * 7 / 20, s.seconds)
    at.session_state["whatif_robust"] = {key: {**entry, "state": cut, "running": True}}
    at.run()
    assert runs == [20]  # shown, not solved again
    texts = [c.value for c in at.caption]
    assert any(x.startswith("Stopped after 7 of 20 draws") for x in texts), texts
    assert next(p for p in at.get("progress")).value == 35  # 7 / 20
