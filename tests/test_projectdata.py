"""The Project Online ProjectData import: three shapes, one snapshot; figures by hand.

The export is tests/projectdata_export.py (4 projects, 3 resources, 12 months of daily
timephased rows); its docstring gives the plan the numbers below are worked from.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import store
from pmo_core.errors import ImportRejected
from pmo_core.ingest import pipeline, projectdata
from pmo_core.ingest.projectdata import coerce, properties
from pmo_core.ingest.projectdata.sources import RawSet, entity_set_of
from pmo_core.kpi import snapshot_kpis
from pmo_core.kpi.capacity import utilisation_by_role_month

sys.path.insert(0, str(Path(__file__).parent))
import projectdata_export as px

SHAPES = ["xlsx", "json3", "json4", "csv", "json3.zip", "json4.zip", "csv.zip"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("projectdata")
    # pages of 100 rows: the 420 assignment rows come in 5 pages (v3: 5 files)
    return {shape: px.write(shape, base / shape.replace(".", "_"), page=100) for shape in SHAPES}


@pytest.fixture(scope="module")
def snapshot(exports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> store.Snapshot:
    db = tmp_path_factory.mktemp("pd_store") / "s.duckdb"
    _, sid = pipeline.import_file(exports["json4.zip"], path=db)
    return store.get_snapshot(sid, path=db)


def _errors(result: object) -> list[str]:
    return [i.text() for i in result.issues if i.severity == "error"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_is_recognised_and_imports_without_error(
    exports: dict[str, Path], shape: str
) -> None:
    path = exports[shape]
    assert projectdata.looks_like_export(path)
    result = pipeline.validate_file(path)
    assert result.ok, _errors(result)
    # 4 projects; 42 allocation rows (6+3+6+6+9+4+4+4 project-resource-months of WORK);
    # 24 capacity rows (2 roles x 12 months); 29 baseline months (6+10+9+4); milestones:
    # 6 flagged, minus the summary "Phase 1" and "Gate 1" (no TaskBaselines row) = 4.
    assert result.counts["projects"] == 4
    assert result.counts["allocations"] == 42
    assert result.counts["capacity"] == 24
    assert result.counts["baseline"] == 29
    assert result.counts["milestones"] == 4
    assert result.counts["risks"] == 3
    assert result.as_of == date(2026, 7, 1)  # the latest ProjectStatusDate


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "xlsx"])
def test_the_three_shapes_give_the_same_snapshot(exports: dict[str, Path], shape: str) -> None:
    reference = pipeline.validate_file(exports["xlsx"]).frames
    frames = pipeline.validate_file(exports[shape]).frames
    for name, expected in reference.items():
        got = frames[name]
        key = list(expected.columns)  # rows in any order (DuckDB groups in parallel)
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True),
            expected.sort_values(key).reset_index(drop=True),
            check_exact=False,
            rtol=1e-9,
            obj=f"{shape}: {name}",
        )


def test_projects_columns_come_from_the_documented_properties(snapshot: store.Snapshot) -> None:
    p = snapshot.frames["projects"].set_index("project_id")
    alpha = p.loc[px.P1]
    assert alpha["name"] == "Alpha CRM" and alpha["manager"] == "Alice Martin"
    assert alpha["department"] == "Ventes" and alpha["portfolio"] == "Projet SI"
    assert alpha["start_date"] == pd.Timestamp("2026-01-01")
    assert alpha["end_date"] == pd.Timestamp("2026-06-30")  # baseline 0, not baseline 1
    assert alpha["forecast_end_date"] == pd.Timestamp("2026-07-31")
    assert alpha["budget"] == 120_000  # ProjectBaselineCost of baseline 0 (not 999 999)
    assert alpha["actual_cost"] == 100_000 and alpha["percent_complete"] == 75
    # enterprise custom fields named like a column
    assert alpha["sponsor"] == "Direction commerciale" and alpha["program"] == "Transformation"
    assert pd.isna(p.loc[px.P4, "sponsor"])
    # status: 75 % -> in progress; P4 0 % and no actual cost -> approved
    assert alpha["status"] == "in_progress" and p.loc[px.P4, "status"] == "approved"


def test_kpis_worked_by_hand(snapshot: store.Snapshot) -> None:
    """As-of 2026-07-01; PV from the baseline curve (cumulative baseline cost to the end
    of June, the as-of being the first day after June's end):

    P1: PV = 6 x 20 000 = 120 000 (= BAC, baseline over); EV = 120 000 x 75 % = 90 000;
        AC = 100 000; CPI = 0.9; SPI = 0.75; EAC = 120 000 / 0.9 = 133 333.33
    P2: PV = 4 x 24 000 (Mar-Jun) = 96 000; EV = 240 000 x 40 % = 96 000; AC = 80 000;
        CPI = 1.2; SPI = 1.0; EAC = 200 000
    P3: PV = 3 x 20 000 (Apr-Jun) = 60 000; EV = 180 000 x 30 % = 54 000; AC = 60 000;
        CPI = 0.9; SPI = 0.9; EAC = 200 000
    P4: approved, starts in September: PV = 0, EV = 0, CPI undefined (AC = 0).
    """
    k = snapshot_kpis(snapshot).set_index("project_id")
    expected = {
        px.P1: (120_000, 90_000, 100_000, 0.9, 0.75, 133_333.333),
        px.P2: (96_000, 96_000, 80_000, 1.2, 1.0, 200_000),
        px.P3: (60_000, 54_000, 60_000, 0.9, 0.9, 200_000),
    }
    for pid, (pv, ev, ac, cpi, spi, eac) in expected.items():
        row = k.loc[pid]
        assert row["pv"] == pytest.approx(pv), pid
        assert row["ev"] == pytest.approx(ev), pid
        assert row["ac"] == pytest.approx(ac), pid
        assert row["cpi"] == pytest.approx(cpi), pid
        assert row["spi"] == pytest.approx(spi), pid
        assert row["eac"] == pytest.approx(eac, rel=1e-6), pid
    assert k.loc[px.P4, "pv"] == pytest.approx(0)
    assert pd.isna(k.loc[px.P4, "cpi"])
    # portfolio (in execution: P1-P3): BAC 540 000, EV 240 000, AC 240 000 -> CPI 1.0;
    # PV 276 000 -> SPI 240 000 / 276 000 = 0.8696
    execution = k.loc[[px.P1, px.P2, px.P3]]
    assert execution["bac"].sum() == pytest.approx(540_000)
    assert execution["ev"].sum() / execution["ac"].sum() == pytest.approx(1.0)
    assert execution["ev"].sum() / execution["pv"].sum() == pytest.approx(240 / 276)


def test_utilisation_per_role_and_month_by_hand(snapshot: store.Snapshot) -> None:
    """Capacity: 8 h on days 1-20 of each month = 160 h per resource; Developer = R1 + R2
    = 320 h, Analyst = R3 = 160 h.

    Developer, January: P1/R1 80 h -> 80 / 320 = 25 %.
    Developer, March: P1/R1 80 + P2/R2 120 = 200 -> 62.5 %.
    Developer, July: P2/R2 120 + P2/R1 100 = 220 -> 68.75 %.
    Developer, September: P2/R1 100 + P3/R2 160 + P4/R1 80 + P4/R2 40 = 380 -> 118.75 %.
    Analyst, January: P1/R3 40 -> 25 %; April: P3/R3 100 -> 62.5 %.
    """
    f = snapshot.frames
    u = utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    u = u.set_index(["role", "month"])
    cases = {
        ("Developer", "2026-01-01"): (80, 320, 0.25),
        ("Developer", "2026-03-01"): (200, 320, 0.625),
        ("Developer", "2026-07-01"): (220, 320, 0.6875),
        ("Developer", "2026-09-01"): (380, 320, 1.1875),
        ("Analyst", "2026-01-01"): (40, 160, 0.25),
        ("Analyst", "2026-04-01"): (100, 160, 0.625),
    }
    for (role, month), (demand, capacity, share) in cases.items():
        row = u.loc[(role, pd.Timestamp(month))]
        assert row["demand_hours"] == pytest.approx(demand), (role, month)
        assert row["capacity_hours"] == pytest.approx(capacity), (role, month)
        assert row["utilisation"] == pytest.approx(share), (role, month)
    r = f["resources"].set_index("resource_id")
    assert r.loc[px.R1, "capacity_hours_per_month"] == pytest.approx(160)
    assert r.loc[px.R1, "cost_rate"] == 80


def test_milestones_from_flagged_tasks_and_their_baselines(snapshot: store.Snapshot) -> None:
    m = snapshot.frames["milestones"].set_index("name")
    assert set(m.index) == {"Kick-off", "Go-live", "Design approved", "Prototype"}
    proto = m.loc["Prototype"]
    assert proto["baseline_date"] == pd.Timestamp("2026-05-01")
    assert proto["forecast_date"] == pd.Timestamp("2026-08-14")
    assert pd.isna(proto["actual_date"])
    assert m.loc["Design approved", "actual_date"] == pd.Timestamp("2026-06-30")
    assert m.loc["Go-live", "milestone_id"] == px._t(3)


def test_risks_probability_is_a_percent_and_impact_the_cost(snapshot: store.Snapshot) -> None:
    """Probability 50 % -> 0.5; impact = Cost. Open exposure: 0.5 x 20 000 + 0.2 x 50 000
    = 20 000 (the closed one, "(3) Closed", is not summed)."""
    r = snapshot.frames["risks"].set_index("title")
    assert r.loc["Vendor delay", "probability"] == pytest.approx(0.5)
    assert r.loc["Vendor delay", "impact"] == 20_000
    assert r.loc["Key staff leaves", "status"] == "Closed"
    k = snapshot_kpis(snapshot).set_index("project_id")
    assert k["risk_exposure"].sum() == pytest.approx(20_000)


def test_baseline_curve_is_cumulative_baseline_zero_cost(snapshot: store.Snapshot) -> None:
    b = snapshot.frames["baseline"]
    p1 = b[b["project_id"] == px.P1].sort_values("month")
    # 20 000 per month, cumulative; the baseline 1 row (55 555) is not read
    assert p1["planned_value"].tolist() == pytest.approx([20_000 * i for i in range(1, 7)])
    assert p1["planned_value_period"].tolist() == pytest.approx([20_000] * 6)


def test_role_from_a_resource_custom_field(exports: dict[str, Path]) -> None:
    result = pipeline.validate_file(exports["csv"], role_field="Métier")
    assert set(result.frames["resources"]["role"]) == {"Développeur", "Analyste"}
    # 2 x 160 h of Développeur
    cap = result.frames["capacity"].set_index(["role", "month"])
    assert cap.loc[("Développeur", pd.Timestamp("2026-01-01")), "capacity_hours"] == 320


def test_a_mapping_profile_chooses_a_custom_field(exports: dict[str, Path]) -> None:
    profile = {"name": "po", "tables": {"projects": {"columns": {"phase": "Programme"}}}}
    result = pipeline.validate_file(exports["json4"], mapping=profile)
    p = result.frames["projects"].set_index("project_id")
    assert p.loc[px.P1, "phase"] == "Transformation"


def test_a_missing_set_imports_the_rest_and_says_what_it_costs(tmp_path: Path) -> None:
    path = px.write("json4", tmp_path, drop=("ResourceTimephasedDataSet", "Risks"))
    result = pipeline.validate_file(path)
    assert result.ok, _errors(result)
    warned = " ".join(i.text() for i in result.issues)
    assert "No ResourceTimephasedDataSet: no capacity" in warned
    assert "No Risks" in warned
    assert result.counts["capacity"] == 0 and result.counts["resources"] == 0
    # demand stays known by role: allocations keep the role, not an unknown resource
    a = result.frames["allocations"]
    assert a["resource_id"].isna().all() and set(a["role"]) == {"Developer", "Analyst"}
    fr = [i.text("fr") for i in result.issues if i.sheet == "ResourceTimephasedDataSet"]
    assert fr and fr[0].startswith("Pas de ResourceTimephasedDataSet")


def test_without_projects_nothing_is_imported(tmp_path: Path) -> None:
    path = px.write("json4", tmp_path, drop=("Projects",))
    result = pipeline.validate_file(path)
    assert not result.ok
    assert any("No Projects entity set" in e for e in _errors(result))


def test_a_value_of_the_wrong_type_names_set_row_property_value(tmp_path: Path) -> None:
    path = px.write("csv", tmp_path)
    text = (path / "Projects.csv").read_text(encoding="utf-8").replace("100000.0", "cent mille")
    (path / "Projects.csv").write_text(text, encoding="utf-8")
    result = pipeline.validate_file(path)
    bad = [i for i in result.issues if i.severity == "error"]
    assert len(bad) == 1
    # Alpha CRM is the first record: Excel row 2 of Projects.csv
    assert (bad[0].sheet, bad[0].row, bad[0].column, bad[0].value) == (
        "Projects",
        2,
        "ProjectActualCost",
        "cent mille",
    )
    assert "not a number" in bad[0].text() and "n'est pas un nombre" in bad[0].text("fr")
    with pytest.raises(ImportRejected):  # strict: nothing is written
        pipeline.import_file(path, path=tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists() or store.list_snapshots(tmp_path / "s.duckdb").empty
    lenient = pipeline.validate_file(path, lenient=True)
    assert lenient.ok
    p = lenient.frames["projects"].set_index("project_id")
    assert pd.isna(p.loc[px.P1, "actual_cost"])


def test_two_exports_of_different_dates_are_two_snapshots(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = px.write("json4", tmp_path / "june")
    _, s1 = pipeline.import_file(first, path=db)
    later = [dict(r) for r in px.PROJECTS]
    for r in later:
        if r["ProjectStatusDate"] is not None:
            r["ProjectStatusDate"] = px._d("2026-08-01T00:00:00")
    later[0]["ProjectPercentCompleted"] = 90
    second = px.write("json4", tmp_path / "july", extra={"Projects": later})
    _, s2 = pipeline.import_file(second, path=db)
    snaps = store.list_snapshots(db).set_index("snapshot_id")
    assert snaps.loc[s1, "as_of"] == date(2026, 7, 1)
    assert snaps.loc[s2, "as_of"] == date(2026, 8, 1)
    new = store.get_snapshot(s2, path=db).frames["projects"].set_index("project_id")
    assert new.loc[px.P1, "percent_complete"] == 90  # the same GUID, the later figure


def test_a_missing_last_page_is_warned(tmp_path: Path) -> None:
    page = {
        "value": [{"ProjectId": px.P1, "ProjectName": "A"}],
        "odata.nextLink": "Projects?$skip=1",
    }
    (tmp_path / "Projects.json").write_text(json.dumps(page), encoding="utf-8")
    result = projectdata.read_projectdata(tmp_path)
    assert any("points to a next page" in i.text() for i in result.issues)


def test_v3_pages_and_v4_documents_are_concatenated(exports: dict[str, Path]) -> None:
    v3 = sorted(p.name for p in exports["json3"].iterdir() if p.name.startswith("AssignmentT"))
    assert v3 == [f"AssignmentTimephasedDataSet{s}.json" for s in ("", "_2", "_3", "_4", "_5")]
    sets, _, _ = projectdata.read_sets(exports["json3"])
    work = sets["AssignmentTimephasedDataSet"]
    assert len(work) == sum((b - a + 1) * 10 for _, _, a, b, _ in px.WORK)  # 420 days
    assert work["_row"].tolist() == list(range(1, len(work) + 1))  # record numbers
    assert "__metadata" not in work.columns


def test_extra_entity_sets_are_read_into_the_seam(tmp_path: Path) -> None:
    extra = {
        "BusinessDrivers": [
            {
                "BusinessDriverId": "e5e5e5e5-0000-4000-8000-000000000001",
                "BusinessDriverName": "Grow revenue",
            }
        ]
    }
    path = px.write("json4", tmp_path, extra=extra)
    sets, _, _ = projectdata.read_sets(path)
    assert sets["BusinessDrivers"]["BusinessDriverName"].tolist() == ["Grow revenue"]
    assert pipeline.validate_file(path).ok


def test_an_ordinary_workbook_is_not_taken_for_an_export() -> None:
    from tests.conftest import workbook

    plain = workbook({"Projects": [["project_id", "name"], ["P1", "A"]]})
    odata = workbook({"Projects": [["ProjectId", "ProjectName"], [px.P1, "A"]]})
    assert not projectdata.looks_like_export(plain, "p.xlsx")
    assert projectdata.looks_like_export(odata, "p.xlsx")


def test_pages_uploaded_one_by_one_are_one_export(exports: dict[str, Path]) -> None:
    files = [(p.name, p.read_bytes()) for p in sorted(exports["csv"].iterdir())]
    result = pipeline.validate_files(files)
    assert result.ok, _errors(result)
    assert result.counts["projects"] == 4 and result.counts["allocations"] == 42


def test_cli_imports_a_folder(exports: dict[str, Path], tmp_path: Path) -> None:
    from tests.test_cli import cli

    r = cli("import", str(exports["json3"]), "--json", db=tmp_path / "cli.duckdb")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["counts"]["projects"] == 4
    assert str(doc["as_of"]) == "2026-07-01"


def test_a_folder_among_files_is_refused_naming_it(exports: dict[str, Path]) -> None:
    # A folder is one ProjectData export, read alone; with a schedule file beside it the
    # reader opened it as a workbook: IsADirectoryError. Now a usage error naming it.
    from pmo_core.errors import UsageError
    from pmo_core.i18n import t
    from tests.conftest import ROOT

    folder, chain = exports["json3"], ROOT / "tests" / "data" / "chain_schedule.xml"
    for sources in ([folder, chain], [chain, folder], [folder, exports["json4"]]):
        with pytest.raises(UsageError) as caught:
            pipeline.validate_files(sources)
        said = t(caught.value.template, "fr", **caught.value.params)
        assert said.startswith(f"{folder} est un dossier : un dossier se lit seul")
        assert str(caught.value).startswith(f"{folder} is a folder: a folder is read on its own")
    assert pipeline.validate_files([folder]).ok  # alone, the export it is


def test_a_folder_with_no_export_is_refused_naming_it(tmp_path: Path) -> None:
    from pmo_core.errors import UsageError

    (tmp_path / "notes.txt").write_text("rien")
    for call in (pipeline.validate_files, lambda p: pipeline.validate_file(p[0])):
        with pytest.raises(UsageError, match="is a folder with no Project Online"):
            call([tmp_path])


def test_cli_says_which_folder_it_cannot_take_in_json(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    from tests.conftest import ROOT
    from tests.test_cli import cli

    chain = ROOT / "tests" / "data" / "chain_schedule.xml"
    r = cli("validate", str(exports["json3"]), str(chain), "--json", "--lang", "fr")
    doc = json.loads(r.stdout)  # one JSON document, no traceback
    assert r.returncode == 2 and doc["ok"] is False
    assert doc["error"].startswith(f"{exports['json3']} est un dossier")
    assert "Traceback" not in r.stderr


# ------------------------------------------------------------------------------ coercion


def _typed(prop_set: str, values: list[object], text: bool = True) -> tuple[pd.Series, list]:
    prop = {"Projects": "ProjectStartDate", "Tasks": "TaskIsMilestone"}[prop_set]
    frame = pd.DataFrame({prop: values, "_row": range(2, len(values) + 2), "_file": prop_set})
    out, issues = coerce.typed(RawSet(prop_set, frame, text))
    return out[prop], issues


def test_dates_from_v3_json_iso_and_offsets() -> None:
    # 1 772 323 200 000 ms = 2026-03-01T00:00:00Z; "+0100" suffix ignored (local times)
    got, issues = _typed(
        "Projects",
        [
            "/Date(1772323200000)/",
            "/Date(1772323200000+0100)/",
            "2026-03-01T08:00:00",
            "2026-03-01T08:00:00Z",
            "2026-03-01T09:00:00+01:00",
            None,
            "01/03/2026",
        ],
    )
    assert got.iloc[0] == got.iloc[1] == pd.Timestamp("2026-03-01")
    assert got.iloc[2] == got.iloc[3] == got.iloc[4] == pd.Timestamp("2026-03-01 08:00")
    assert pd.isna(got.iloc[5])
    # a date the feed never writes (dd/mm/yyyy) is an issue, not a guess
    assert [(i.row, i.value) for i in issues] == [(8, "01/03/2026")]


def test_booleans_in_the_words_exports_write() -> None:
    got, issues = _typed("Tasks", ["true", "FALSE", "1", "0", "VRAI", "faux", "maybe"])
    assert got.tolist()[:6] == [True, False, True, False, True, False]
    assert [i.value for i in issues] == ["maybe"]


@given(st.integers(min_value=-2_000_000_000_000, max_value=4_000_000_000_000))
def test_v3_json_dates_are_milliseconds_since_1970(ms: int) -> None:
    got, issues = _typed("Projects", [f"/Date({ms})/"])
    assert not issues
    assert got.iloc[0] == pd.Timestamp(ms, unit="ms")


@given(
    st.sampled_from(properties.entity_sets()),
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from(["{}.json", "{}_{}.json", "{} ({}).json", "{}-page-{}.csv", "x/{}.{}.json"]),
)
def test_a_page_file_is_named_after_its_set(name: str, n: int, pattern: str) -> None:
    assert entity_set_of(pattern.format(name, n)) == name
    # and its Excel sheet, cut to 31 characters, when the name is longer
    assert entity_set_of(name[:31]) == name


def test_documented_types_are_known_kinds() -> None:
    for name, props in properties.PROPERTIES.items():
        for prop, edm in props.items():
            assert edm in properties.KINDS, (name, prop, edm)
        for key in properties.KEYS.get(name, ()):
            assert key in props, (name, key)


def test_duckdb_draws_no_progress_bar_into_the_cli_json(
    exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long month sum (a million daily rows) made DuckDB print "78%" on stdout, inside
    ``import --json``'s one JSON document: every connection of the reader turns it off."""
    import duckdb

    from pmo_core.ingest.projectdata import core

    said: list[str] = []
    real = duckdb.connect

    class Spy:
        def __init__(self) -> None:
            self.con = real()

        def execute(self, sql: str, *args: object) -> object:
            said.append(sql)
            return self.con.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self.con, name)

    monkeypatch.setattr(core.duckdb, "connect", Spy)
    assert pipeline.validate_file(exports["json4"]).ok
    sums = [k for k, sql in enumerate(said) if "sum(" in sql]
    assert sums, said
    for k in sums:  # each month sum runs on a connection that turned the bar off
        assert k > 0 and said[k - 1] == "SET enable_progress_bar = false"
