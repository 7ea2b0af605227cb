"""The warm page run's caches (issue 20, "Speed"): figures built once per snapshot,
filters and language show what the chart functions give, a cached figure leaves a page
run unchanged, a new snapshot shows at the next load, and a forecast over the history
reads each snapshot's date from the list, not the whole snapshot."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pmo_core import forecast as fc
from pmo_core import kpi, store
from pmo_core.charts import kpi as kpi_charts
from pmo_core.charts import overview as charts
from pmo_core.schema import EXECUTION_STATUSES
from tests.conftest import run_page

PROGRAMME = "Expérience client"  # 11 of the demo's 60 projects


def _specs(at) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_figures_are_what_the_chart_functions_give(app_db: Path, lang: str) -> None:
    from ui import loaders

    db = str(app_db)
    sid = int(store.latest_snapshot_id(app_db) or 0)
    snap = loaders.snapshot(sid, db)
    chosen = (("program", (PROGRAMME,)),)
    got = loaders.overview_figures(sid, db, chosen, lang)
    projects = loaders.rows_matching(snap.frames["projects"], chosen)
    k = loaders.rows_matching(loaders.kpis(sid, db), chosen)
    assert len(projects) == 11 and len(k) == 11
    running = projects[projects["status"].isin(EXECUTION_STATUSES)]
    want = {
        "status": charts.status_by_programme_bar(projects, lang),
        "bubble": kpi_charts.value_cost_bubble(k, lang, snap.currency),
        "rag_program": charts.rag_by_group_bar(k, "program", lang),
        "rag_department": charts.rag_by_group_bar(k, "department", lang),
        "timeline": charts.timeline_gantt(running, snap.as_of, lang, snap.currency),
    }
    assert {n: f.to_json() for n, f in got.items()} == {n: f.to_json() for n, f in want.items()}
    # The filters are in the key: the whole portfolio's bubble has its 60 points... of
    # the projects with a value and a cost; the programme's, fewer.
    every = loaders.overview_figures(sid, db, (), lang)["bubble"]
    points = lambda fig: sum(len(t["x"]) for t in json.loads(fig.to_json())["data"])  # noqa: E731
    assert points(every) > points(got["bubble"]) > 0
    assert loaders.headline(sid, db, chosen) == kpi.portfolio_headline(k)


def test_a_cached_figure_leaves_the_next_run_unchanged(app_db: Path) -> None:
    """``st.plotly_chart`` reads a copy of the shared figure: a second session's run (and
    the same session's rerun) sends the same charts as the first."""
    first = run_page("overview.py", lang="fr")
    assert not first.exception
    one = _specs(first)
    assert set(one) >= {"overview_status_chart", "overview_bubble", "overview_timeline"}
    first.run()
    again = run_page("overview.py", lang="fr")
    assert _specs(first) == one == _specs(again)


def test_a_new_snapshot_shows_in_the_overview_charts_at_the_next_load(app_db: Path) -> None:
    """Figures are keyed by snapshot id (a new import is a new id, never a stale chart):
    a snapshot committed outside the app without the programme shows without it."""
    from ui import loaders

    before = run_page("overview.py", lang="en")
    assert PROGRAMME in json.dumps(_specs(before)["overview_status_chart"], ensure_ascii=False)
    newest = store.get_snapshot(path=app_db)
    frames = dict(newest.frames)
    keep = frames["projects"]["program"] != PROGRAMME
    frames["projects"] = frames["projects"][keep]
    ids = set(frames["projects"]["project_id"])
    for name, df in frames.items():
        if name != "projects" and "project_id" in df.columns:
            frames[name] = df[df["project_id"].isin(ids) | df["project_id"].isna()]
    sid = store.commit_snapshot(
        frames, source="scheduled.xlsx", as_of=date(2027, 1, 31), path=app_db
    )
    loaders.store_stamp.clear()  # what its 1 s time-to-live does
    after = run_page("overview.py", lang="en")
    assert not after.exception
    assert f"Snapshot #{sid}" in " ".join(c.value for c in after.caption)
    status = json.dumps(_specs(after)["overview_status_chart"], ensure_ascii=False)
    assert PROGRAMME not in status


def test_a_forecast_reads_dates_from_the_snapshot_list(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the history's forecast loaded every snapshot whole (8 kept in the cache) to
    read its as-of date, 25 of them for the app's demo: a first Projects visit took 13 s.
    The dates now come from the history's key, the same ``date`` values."""
    from ui import loaders

    db = str(app_db)
    key = loaders.history_key(db)
    assert [sid for sid, _ in key] == [1, 2, 3]
    for sid, as_of in key:
        got = store.get_snapshot(sid, path=app_db).as_of
        assert (type(as_of), as_of) == (type(got), got)
        loaders.kpis(sid, db)  # the KPI frames stay cached (64 entries)
    loaded: list[int | None] = []
    real = store.get_snapshot

    def counted(snapshot_id: int | None = None, **kw):  # type: ignore[no-untyped-def]
        loaded.append(snapshot_id)
        return real(snapshot_id, **kw)

    monkeypatch.setattr(store, "get_snapshot", counted)
    loaders.snapshot.clear()
    doc = loaders.forecast(3, db, None)
    obs = loaders.forecast_observations(3, db)
    assert loaded == []  # before: [1, 2, 3], once for each
    # The same figures as the library's, from the snapshots' own dates.
    history = [(sid, real(sid, path=app_db).as_of, loaders.kpis(sid, db)) for sid in (1, 2, 3)]
    want = fc.forecast_document(history, iterations=5_000, seed=0)
    assert json.dumps(doc, sort_keys=True, default=str) == json.dumps(
        want, sort_keys=True, default=str
    )
    want_obs = fc.observations([(as_of, k) for _, as_of, k in history])
    assert obs.equals(want_obs)
