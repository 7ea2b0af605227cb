"""Every page runs in AppTest, in French and English, without an exception; behaviour of
the Overview and Import pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import store
from pmo_core.i18n import t
from tests.conftest import DEMO, ROOT, run_page

PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page: str, lang: str, app_db: Path) -> None:
    at = run_page(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title"


def test_empty_store_is_seeded_with_the_demo_on_first_start(
    store_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On each backend: a DuckDB file, and a PostgreSQL store (PMO_DB_URL) when a test
    # server is given; the Overview's cards then equal the KPIs read from that store.
    from pmo_core import kpi
    from pmo_core.i18n import fmt_money

    db = store_db
    if isinstance(db, Path):
        monkeypatch.delenv("PMO_DB_URL", raising=False)
        monkeypatch.setenv("PMO_DB_PATH", str(db))
    else:
        monkeypatch.setenv("PMO_DB_URL", str(db))
    at = run_page(timeout=300)  # seeds the 24 months: a minute on a loaded machine
    assert not at.exception
    overview = run_page("overview.py", "fr")
    assert not overview.exception
    cards = {m.label: m.value for m in overview.metric}
    eac = kpi.kpis_document(store.get_snapshot(path=db))["portfolio"]["eac"]
    assert cards["EAA"] == fmt_money(eac, "fr", compact=True)
    snaps = store.list_snapshots(db)
    # Newest first: the demo workbook, then the 24 month ends derived before it, from
    # 30 September 2026 back to 31 October 2024 (DEMO_MONTHS: two years of history).
    months = [str(d.date()) for d in pd.date_range("2024-10-31", "2026-09-30", freq="ME")]
    assert len(months) == 24
    assert snaps["source"].tolist() == [DEMO.name] + [f"{DEMO.name} ({m})" for m in months[::-1]]
    assert [str(d) for d in snaps["as_of"]] == ["2026-10-31", *months[::-1]]
    assert snaps["imported_by"].tolist() == ["demo seed"] * 25


def test_overview_cards_equal_the_cli_kpis(app_db: Path) -> None:
    from pmo_core import kpi
    from pmo_core.i18n import fmt_money, fmt_number

    doc = kpi.kpis_document(store.get_snapshot(path=app_db))
    port = doc["portfolio"]
    at = run_page("overview.py", "fr")
    cards = {m.label: m.value for m in at.metric}
    assert cards["En exécution"] == fmt_number(port["projects_in_execution"], "fr")
    assert cards["Budget (BAA)"] == fmt_money(port["bac"], "fr", compact=True)
    assert cards["Budget (BAA)"].endswith("M€")
    assert cards["EAA"] == fmt_money(port["eac"], "fr", compact=True)
    assert cards["IPD"] == fmt_number(port["spi"], "fr", 2)
    assert cards["IPC"] == fmt_number(port["cpi"], "fr", 2)
    assert cards["Projets en rouge"] == fmt_number(port["red_projects"], "fr")
    assert cards["Exposition"] == fmt_money(port["risk_exposure"], "fr", compact=True)


def test_overview_speaks_english_with_lang_en(app_db: Path) -> None:
    at = run_page("overview.py", "en")
    labels = [m.label for m in at.metric]
    assert "Budget (BAC)" in labels and "In execution" in labels
    assert at.title[0].value == "Portfolio overview"


def test_filters_from_the_link_restrict_the_overview(app_db: Path) -> None:
    snap = store.get_snapshot(path=app_db)
    p = snap.frames["projects"]
    programme = str(p["program"].iloc[0])
    at = run_page("overview.py", "en", program=programme)
    expected = int(
        (
            (p["program"] == programme) & p["status"].isin(["in_progress", "on_hold", "completed"])
        ).sum()
    )
    assert {m.label: m.value for m in at.metric}["In execution"] == str(expected)


def test_import_page_lists_snapshots_and_offers_templates(app_db: Path) -> None:
    at = run_page("import_data.py", "en")
    assert not at.exception
    assert at.title[0].value == "Import a portfolio snapshot"
    assert any("Snapshot history" in s.value for s in at.subheader)
    history = at.dataframe[-1].value
    assert len(history) == 3  # the demo and its two earlier months


def test_overview_lists_what_changed_since_the_previous_snapshot(app_db: Path) -> None:
    from pmo_core import kpi, store
    from pmo_core.kpi import diff

    at = run_page("overview.py", "en")
    assert not at.exception
    assert any("What changed since snapshot #2" in s.value for s in at.subheader)
    old, new = store.get_snapshot(2, path=app_db), store.get_snapshot(3, path=app_db)
    changes = diff.snapshot_diff(
        old.frames, new.frames, kpi.snapshot_kpis(old), kpi.snapshot_kpis(new)
    )
    added = len(changes["added"])
    assert added > 0  # proposals submitted during the month
    assert any(t("{n} project(s) added", "en", n=added) in m.value for m in at.markdown)


def test_overview_counts_warnings_compliance_and_data_quality(app_db: Path) -> None:
    from pmo_core import kpi, store
    from pmo_core.ingest import quality
    from pmo_core.kpi import governance

    at = run_page("overview.py", "en")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    snaps = [store.get_snapshot(i, path=app_db) for i in (1, 2, 3)]
    w = governance.snapshot_warnings([(s.as_of, s.frames) for s in snaps], snaps[-1].settings)
    red = set(kpi.snapshot_kpis(snaps[-1]).query("rag == 'R'")["project_id"])
    warned = w.loc[~w["project_id"].isin(red), "project_id"].nunique()
    assert warned > 0
    assert metrics["Early warnings"] == t("{n} project(s)", "en", n=warned)
    gaps = quality.quality_by_project(snaps[-1].frames)
    assert metrics["Data quality"] == t(
        "{n} project(s) with gaps", "en", n=int((gaps["gaps"] > 0).sum())
    )
    assert metrics["Method compliance"].endswith("%")
    assert any("before they turn red" in s.value for s in at.subheader)


def test_whatif_saves_a_scenario_and_compares_it(app_db: Path) -> None:
    at = run_page("whatif.py", "en")
    assert not at.exception
    at.text_input(key="whatif_scenario_name").input("Budget -10 %").run()
    at.button(key="whatif_save").click().run()
    assert not at.exception
    assert any("Scenario saved" in s.value for s in at.success)
    at.run()
    names = [r for r in store.list_documents("scenario", app_db)["name"]]
    assert names == ["Budget -10 %"]
    assert any("Budget -10 %" in str(df.value.iloc[:, 0].tolist()) for df in at.dataframe)


def test_risks_page_shows_the_exposure_trend(app_db: Path) -> None:
    at = run_page("risks.py", "fr")
    assert not at.exception
    charts = {c.key: c for c in at.get("plotly_chart")}
    # The matrix, exposure by project, and the trend over the three demo snapshots: the
    # portfolio's and the largest projects', one axis each.
    assert list(charts) == [
        "risks_matrix",
        "risks_by_project",
        "risks_trend",
        "risks_trend_projects",
    ]
    spec = json.loads(charts["risks_trend"].proto.spec)
    assert spec["layout"]["title"]["text"] == "Exposition du portefeuille"
    assert len(spec["data"][0]["x"]) == 3  # the portfolio line has one point per snapshot
    assert "yaxis2" not in json.loads(charts["risks_trend_projects"].proto.spec)["layout"]


def test_project_detail_shows_rag_dimensions_and_milestone_rates(app_db: Path) -> None:
    from pmo_core import kpi, store

    k = kpi.snapshot_kpis(store.get_snapshot(path=app_db))
    pid = k[k["rag_quality"].notna()]["project_id"].iloc[0]
    at = run_page("projects.py", "en", project=str(pid))
    assert not at.exception
    captions = [c.value for c in at.caption]
    # The dimensions now lead the detail as "why" lines (one per dimension, with figures).
    why = next(m.value for m in at.markdown if "Schedule: " in m.value)
    assert "Quality: " in why and "Cost: " in why and "Milestones: " in why
    assert any("due milestones reached" in c for c in captions)


def test_roadmap_shows_milestone_rates_equal_to_the_library(app_db: Path) -> None:
    from pmo_core.i18n import fmt_pct
    from pmo_core.kpi import milestones

    snap = store.get_snapshot(path=app_db)
    at = run_page("roadmap.py", "en")
    assert not at.exception
    running = snap.frames["projects"].query("status in ['in_progress', 'on_hold']")
    ms = snap.frames["milestones"]
    ms = ms[ms["project_id"].isin(running["project_id"])]
    s = milestones.milestone_summary(milestones.milestone_stats(ms, snap.as_of))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hit rate"] == fmt_pct(s["hit_rate"], "en", 0, True)
    assert metrics["On-time delivery"] == fmt_pct(s["on_time_rate"], "en", 0, True)
    assert metrics["Overdue milestones"] == str(s["overdue"])


def test_tables_show_imported_formulas_as_text(app_db: Path) -> None:
    """A table's "download as CSV" writes what it shows: imported text that a spreadsheet
    would run is shown (and so exported) with a leading quote."""
    from pmo_core import store as st_store

    snap = st_store.get_snapshot(path=app_db)
    frames = dict(snap.frames)
    p = frames["projects"].copy()
    p.loc[p.index[0], "name"] = '=HYPERLINK("http://x","y")'
    frames["projects"] = p
    st_store.commit_snapshot(frames, source="hostile.xlsx", as_of=snap.as_of, path=app_db)
    at = run_page("projects.py", "en")
    assert not at.exception
    names = at.dataframe[0].value["Name"].tolist()
    assert '\'=HYPERLINK("http://x","y")' in names
    assert not any(str(n).startswith("=") for n in names)


def test_project_detail_lists_planned_hours_by_role(app_db: Path) -> None:
    from pmo_core.kpi import capacity

    snap = store.get_snapshot(path=app_db)
    pid = snap.frames["allocations"]["project_id"].iloc[0]
    at = run_page("projects.py", "en", project=str(pid))
    assert not at.exception
    want = capacity.project_hours_by_role(snap.frames["allocations"], snap.frames["resources"], pid)
    shown = next(d.value for d in at.dataframe if "Total" in d.value.columns)
    assert shown["Total"].sum() == pytest.approx(want["total"].round(0).sum())


# n/a without inputs (issue 14, item 2): the pages say n/a and "no rating", never a default.


@pytest.fixture
def gaps_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As of 1 July 2026: NOEND (no end date, 40 %, AC 20 000), NOPROGRESS (no EV, no %,
    AC 30 000) and GMPP (no progress, no AC), each BAC 100 000, plan 1 Jan -> 31 Dec."""
    import pandas as pd

    from pmo_core import schema

    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["NOEND", "NOPROGRESS", "GMPP"],
                "name": ["Sans fin", "Sans avancement", "Sans rien"],
                "status": ["in_progress"] * 3,
                "program": ["P"] * 3,
                "start_date": ["2026-01-01"] * 3,
                "end_date": [None, "2026-12-31", "2026-12-31"],
                "budget": [100_000.0] * 3,
                "actual_cost": [20_000.0, 30_000.0, None],
                "percent_complete": [40.0, None, None],
            }
        ),
    )
    db = tmp_path / "gaps.duckdb"
    store.commit_snapshot({"projects": projects}, source="gaps", as_of=date(2026, 7, 1), path=db)
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    return db


def test_overview_shows_na_indices_without_progress_and_says_who_is_left_out(
    gaps_db: Path,
) -> None:
    at = run_page("overview.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m for m in at.metric}
    # SPI: EV and PV both known for no project (NOEND has EV but no plan): n/d, not 0,00.
    assert cards["IPD"].value == "n/d"
    assert "3 projets exclus" in cards["IPD"].help
    # CPI over NOEND alone: 40 000 / 20 000 = 2,00; the two others are left out.
    assert cards["IPC"].value == "2,00"
    assert "2 projets exclus" in cards["IPC"].help
    assert cards["Projets en rouge"].value == "0"  # before: red from SPI 0.40 and ES = PD
    assert "2 projets en cours sans météo" in cards["Projets en rouge"].help


def test_projects_table_and_detail_say_no_rating_and_why(gaps_db: Path) -> None:
    at = run_page("projects.py", "en", project="NOPROGRESS")
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("Project")
    assert table.loc["NOPROGRESS", "Weather"] == "No rating"
    assert table.loc["GMPP", "Weather"] == "No rating"
    assert table.loc["NOEND", "Weather"] == "Green"  # CPI 2.0, the one rated dimension
    assert pd_isna(table.loc["NOEND", "SPI"]) and pd_isna(table.loc["NOPROGRESS", "CPI"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Weather"] == "No rating"
    assert metrics["SPI"] == "n/a" and metrics["CPI"] == "n/a" and metrics["SPI(t)"] == "n/a"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Why n/a · No progress data") for c in captions), captions
    why = next(m.value for m in at.markdown if "Schedule: " in m.value)
    assert "Schedule: No rating (no SPI(t) nor SPI" in why
    assert "Cost: No rating (no CPI" in why


def pd_isna(x: object) -> bool:
    import pandas as pd

    return bool(pd.isna(x))
