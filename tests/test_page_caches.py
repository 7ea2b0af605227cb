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


# --- the project detail and the sidebar (issue 20: the detail was 33 % of a replica's
# server time under the load test, its KPI table's Styler 15 %, the milestone figures 8 %,
# the sidebar 9 %)


def _shown_cells(at, lang: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:  # type: ignore[no-untyped-def]
    """The Projects table as the browser draws it: project id -> header -> the text
    the Styler writes in the cell, and project id -> the CSS of its weather cell."""
    import re

    import pyarrow as pa

    from pmo_core import i18n

    node = next(d for d in at.dataframe if "projects_table" in d.proto.id)
    data = node.value
    styler = node.proto.arrow_data.styler
    shown = pa.ipc.open_stream(styler.display_values).read_all().to_pandas()
    shown.columns = data.columns
    ids = list(data[i18n.t("Project", lang)])
    cells = {pid: {c: str(shown[c].iloc[r]) for c in shown.columns} for r, pid in enumerate(ids)}
    col = list(data.columns).index(i18n.t("Weather", lang))
    css: dict[str, str] = {}
    for rule in styler.styles.split("\n"):  # "#T_x_row0_col3, #T_x_row4_col3 { css }"
        selectors, _, body = rule.partition(" { ")
        for row, c in re.findall(r"_row(\d+)_col(\d+)", selectors):
            if int(c) == col:
                css[ids[int(row)]] = body.removesuffix(" }")
    return cells, css


NNBSP = "\u202f"  # French thousands separator in the table (1 234)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_projects_table_shows_a_hand_checked_project_and_its_n_a(
    app_db: Path, lang: str
) -> None:
    """The table built once per snapshot shows what the page showed before, cell by cell.
    PRJ-026 (demo workbook, as of 31/10/2026): BAC 2 962 000 -> 2962 k; EV 2 313 500,
    PV 2 344 900, AC 2 558 200: SPI = 2313500 / 2344900 = 0.9866 -> 0.99, CPI =
    2313500 / 2558200 = 0.9043 -> 0.90; SPI(t) = ES / AT = 14.7809 / 14.9815 = 0.9866
    -> 0.99; EAC = BAC / CPI = 2962000 / 0.904347 = 3 275 292 -> 3275 k; score 39.36 ->
    39; exposure 205 200 -> 205 k; amber. PRJ-049 is proposed: no progress, so SPI, CPI,
    SPI(t) and EAC are undefined (n/a, "n/d" in French), no weather (a blank, uncoloured
    cell); BAC 151 000 -> 151, score 21.84 -> 22, exposure 3 600 -> 3.6 -> 4."""
    from pmo_core.charts.theme import RAG_COLORS

    at = run_page("projects.py", lang=lang, project="PRJ-026")
    assert not at.exception, [e.value for e in at.exception]
    cells, css = _shown_cells(at, lang)
    fr = lang == "fr"
    na = "n/d" if fr else "n/a"
    figures = ["IPD", "IPC", "IPD(t)"] if fr else ["SPI", "CPI", "SPI(t)"]
    headers = (
        ["Projet", "Nom", "Statut", "Météo", "BAA (k€)", *figures, "EAA (k€)", "Score"]
        if fr
        else ["Project", "Name", "Status", "Weather", "BAC (k€)", *figures, "EAC (k€)", "Score"]
    ) + ["Exposition (k€)" if fr else "Exposure (k€)"]
    assert list(cells["PRJ-026"]) == headers
    assert list(cells["PRJ-026"].values()) == [
        "PRJ-026",
        "Programme fidélité",
        "En cours" if fr else "In progress",
        "Orange" if fr else "Amber",
        f"2{NNBSP}962" if fr else "2,962",
        "0,99" if fr else "0.99",
        "0,90" if fr else "0.90",
        "0,99" if fr else "0.99",
        f"3{NNBSP}275" if fr else "3,275",
        "39",
        "205",
    ]
    assert list(cells["PRJ-049"].values())[2:] == [
        "Proposé" if fr else "Proposed",
        "",
        "151",
        na,
        na,
        na,
        na,
        "22",
        "4",
    ]
    assert css["PRJ-026"] == f"background-color: {RAG_COLORS['A']}; color: white; font-weight: 600"
    assert "PRJ-049" not in css  # no weather, no colour


def test_the_projects_table_is_built_once_per_snapshot_list_and_language(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run (the same session's or another's) reuses the table; another list
    (a filter), another language or a new snapshot is a new entry."""
    from ui import kpi_table, loaders

    built: list[tuple[int, str]] = []
    real = kpi_table.build

    def counted(k, lang):  # type: ignore[no-untyped-def]
        built.append((len(k), lang))
        return real(k, lang)

    monkeypatch.setattr(kpi_table, "build", counted)
    first = run_page("projects.py", lang="fr", project="PRJ-026")
    assert not first.exception
    assert built == [(60, "fr")]
    first.run()
    again = run_page("projects.py", lang="fr", project="PRJ-045")
    assert not again.exception
    assert built == [(60, "fr")]  # before: built again on every run
    run_page("projects.py", lang="en")
    run_page("projects.py", lang="fr", program=PROGRAMME)
    assert built == [(60, "fr"), (60, "en"), (11, "fr")]
    db = str(app_db)
    sid = int(store.latest_snapshot_id(app_db) or 0)
    k = loaders.kpis(sid, db)
    one = loaders.kpi_table(sid, db, k, "fr")
    assert loaders.kpi_table(sid, db, k, "fr") is one
    # The order of the list is in the key: the same projects sorted otherwise.
    flipped = loaders.kpi_table(sid, db, k.iloc[::-1], "fr")
    assert list(flipped.table["Projet"]) == list(one.table["Projet"])[::-1]
    # A new snapshot (a project renamed) is a new entry, showing the new name.
    newest = store.get_snapshot(path=app_db)
    frames = dict(newest.frames)
    projects = frames["projects"].copy()
    projects.loc[projects["project_id"] == "PRJ-026", "name"] = "Fidélité 2027"
    frames["projects"] = projects
    new_sid = store.commit_snapshot(
        frames, source="renamed.xlsx", as_of=date(2026, 11, 30), path=app_db
    )
    loaders.store_stamp.clear()  # what its 1 s time-to-live does
    before = len(built)
    after = run_page("projects.py", lang="fr", project="PRJ-026")
    assert not after.exception
    assert built[before:] == [(60, "fr")]
    cells, _ = _shown_cells(after, "fr")
    assert cells["PRJ-026"]["Nom"] == "Fidélité 2027"
    assert new_sid != sid


def test_a_projects_milestone_figures_are_computed_once_per_snapshot(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PRJ-045 as of 31/10/2026: J1 (baseline 16/06, reached 19/06) and J2 (baseline
    31/08, reached 15/09) are due and reached; J3 (16/11) and J4 (31/01/2027) are not
    due. Hit rate 2 / 2 = 100 %; on time (reached by the baseline) 0 of the 2 reached:
    0 %. PRJ-049 (proposed): 2 milestones, none due nor reached: both rates n/a. A second
    run reads them from the cache (before: computed on every run)."""
    from pmo_core.kpi import milestones

    calls: list[int] = []
    real = milestones.milestone_stats

    def counted(ms, as_of, tolerance_days=0):  # type: ignore[no-untyped-def]
        calls.append(len(ms))
        return real(ms, as_of, tolerance_days)

    at = run_page("projects.py", lang="fr", project="PRJ-045")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        "2 jalons atteints sur 2 échus (taux d'atteinte 100\xa0%) ; à l'heure : 0\xa0%" in captions
    ), captions
    monkeypatch.setattr(milestones, "milestone_stats", counted)
    at.run()
    again = run_page("projects.py", lang="en", project="PRJ-045")
    assert calls == []
    assert "2 of 2 due milestones reached (hit rate 100%); on time: 0%" in [
        c.value for c in again.caption
    ]
    none_due = run_page("projects.py", lang="en", project="PRJ-049")
    assert calls == [2]  # a new project: its 2 milestones, once
    assert "0 of 0 due milestones reached (hit rate n/a); on time: n/a" in [
        c.value for c in none_due.caption
    ]


def test_the_sidebar_choices_are_read_once_per_snapshot(app_db: Path) -> None:
    """The filters' choices and the snapshot box's labels are shared per snapshot (per
    store stamp for the labels): the same lists as the frames give, and a new snapshot
    shows at the next load."""
    from ui import loaders, state

    db = str(app_db)
    sid = int(store.latest_snapshot_id(app_db) or 0)
    columns = tuple(state.FILTERS)
    options = loaders.filter_options(sid, db, columns)
    assert loaders.filter_options(sid, db, columns) is options
    projects = store.get_snapshot(sid, path=app_db).frames["projects"]
    for c in columns:
        assert options[c] == sorted(str(v) for v in projects[c].dropna().unique())
    assert PROGRAMME in options["program"] and "in_progress" in options["status"]
    choices = loaders.snapshot_choices(db, "fr")
    assert [c[0] for c in choices] == [3, 2, 1]
    assert choices[0][1] == "au 31/10/2026"
    assert loaders.snapshot_choices(db, "en")[0][1] == "as of 31 Oct 2026"
    assert loaders.snapshot_choices(db, "fr") is choices
    frames = dict(store.get_snapshot(path=app_db).frames)
    new_sid = store.commit_snapshot(
        frames, source="next.xlsx", as_of=date(2026, 11, 30), path=app_db
    )
    loaders.store_stamp.clear()  # what its 1 s time-to-live does
    assert loaders.snapshot_choices(db, "fr")[0] == (new_sid, "au 30/11/2026", "next.xlsx")
    at = run_page(None, lang="fr")  # the whole app: its sidebar
    assert not at.exception
    box = at.sidebar.selectbox(key="sidebar_snapshot")
    assert box.value == new_sid
    assert box.options[0] == f"#{new_sid} · au 30/11/2026 · next.xlsx"


def test_the_overviews_p80_is_computed_once_per_snapshot_and_filters(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The P80 under the EAC card: what ``eac_p80_with_the_rest`` gives over the filtered
    projects and their forecast, read from the cache on the next run (before: the
    forecast document copied and summed again on every run); the newest snapshot's id
    from the store's stamp is the list's newest."""
    from ui import loaders

    db = str(app_db)
    sid = int(store.latest_snapshot_id(app_db) or 0)
    chosen = (("program", (PROGRAMME,)),)
    k = loaders.rows_matching(loaders.kpis(sid, db), chosen)
    ids = tuple(sorted(k["project_id"]))
    want = fc.eac_p80_with_the_rest(k, loaders.forecast(sid, db, ids))
    assert loaders.eac_p80(sid, db, chosen) == want
    assert want["drawn"] > 0 and want["eac_p80"] is not None
    whole = loaders.eac_p80(sid, db, ())
    assert whole == fc.eac_p80_with_the_rest(loaders.kpis(sid, db), loaders.forecast(sid, db, None))
    assert whole["eac_p80"] > want["eac_p80"]
    calls: list[int] = []
    real = fc.eac_p80_with_the_rest
    monkeypatch.setattr(
        fc, "eac_p80_with_the_rest", lambda k, d: calls.append(len(k)) or real(k, d)
    )
    at = run_page("overview.py", lang="fr")
    assert not at.exception
    assert calls == [60]  # the sidebar's key: every filter, none chosen
    at.run()
    assert not run_page("overview.py", lang="en").exception
    assert calls == [60]  # before: once more on every run
    assert loaders.newest_snapshot_id(db) == int(loaders.snapshots(db)["snapshot_id"].max()) == sid
