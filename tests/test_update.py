"""Update imports and the warnings of a plain one (issue 15 item 3): a departmental file
updates its projects and keeps the others; a plain import of far fewer projects, or of an
as-of date a snapshot already has, is warned."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from pmo_core import store
from pmo_core.errors import UsageError
from pmo_core.ingest import pipeline, update
from tests.conftest import workbook

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_portfolio.xlsx"
HEADER = ["Code projet", "Nom du projet", "Statut", "Date de début", "Date de fin", "Budget"]


def departmental(extra: dict[str, list[list[object]]] | None = None) -> bytes:
    """The finance department's file: PRJ-001 with a new budget and one milestone,
    PRJ-002 renamed without milestones."""
    return workbook(
        {
            "Projets": [
                HEADER,
                ["PRJ-001", "Portail client v2", "En cours", "01/05/2027", "31/05/2028", 600000],
                ["PRJ-002", "Renommé", "En cours", "01/05/2027", "31/05/2028", 100000],
            ],
            "Jalons": [
                ["Code projet", "Code jalon", "Nom", "Date de référence"],
                ["PRJ-001", "J-NEW", "Recette", "15/01/2028"],
            ],
            **(extra or {}),
        }
    )


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    db = tmp_path / "pmo.duckdb"
    pipeline.import_file(DEMO, as_of=date(2026, 11, 30), path=db)
    return db


def test_a_departmental_file_updates_two_projects_and_keeps_the_58_others(
    demo_store: Path,
) -> None:
    base = store.get_snapshot(path=demo_store)
    assert len(base.frames["projects"]) == 60
    result, sid = pipeline.import_file(
        departmental(), filename="finance.xlsx", path=demo_store, update=True
    )
    assert result.update == {
        "base_snapshot_id": base.snapshot_id,
        "updated": 2,
        "added": 0,
        "kept": 58,
    }
    new = store.get_snapshot(sid, path=demo_store)
    p = new.frames["projects"].set_index("project_id")
    assert len(p) == 60
    assert p.loc["PRJ-001", "budget"] == 600000.0 and p.loc["PRJ-002", "name"] == "Renommé"
    old = base.frames["projects"].set_index("project_id")
    kept = [i for i in old.index if i not in ("PRJ-001", "PRJ-002")]
    assert_frame_equal(p.loc[kept].sort_index(), old.loc[kept].sort_index(), check_like=True)
    # The file's projects take their rows from the file: PRJ-001 one milestone, PRJ-002 none.
    m = new.frames["milestones"]
    assert m.loc[m["project_id"] == "PRJ-001", "milestone_id"].tolist() == ["J-NEW"]
    assert (m["project_id"] == "PRJ-002").sum() == 0
    old_m = base.frames["milestones"]
    theirs = old_m["project_id"].isin(["PRJ-001", "PRJ-002"])
    assert len(m) == len(old_m) - int(theirs.sum()) + 1
    # ... and the portfolio's tables are carried over unchanged.
    for name in ("objectives", "pairwise", "resources", "capacity"):
        assert_frame_equal(new.frames[name], base.frames[name])
    others = ~base.frames["alignment"]["project_id"].isin(["PRJ-001", "PRJ-002"])
    assert len(new.frames["alignment"]) == int(others.sum())  # the file rates nothing
    # Settings carried over, except the as-of the old file gave (the new snapshot has its own).
    assert new.settings == {k: v for k, v in base.settings.items() if k != "as_of"}
    assert base.settings["as_of"] == "2026-10-31" and new.as_of == date.today()
    log = store.audit_log(demo_store)
    (what,) = log.loc[log["action"] == "import_update", "what"].tolist()
    assert (
        what
        == f"finance.xlsx: from snapshot #{base.snapshot_id}, 2 projects updated, 0 added, 58 kept"
    )


def test_an_update_adds_a_new_project_and_says_so(demo_store: Path) -> None:
    data = workbook(
        {
            "Projets": [
                HEADER,
                ["PRJ-001", "Portail", "En cours", "01/05/2027", "31/05/2028", 1],
                ["NEW-1", "Nouveau", "Proposé", "01/01/2027", "31/12/2027", 2],
            ]
        }
    )
    r = pipeline.validate_file(data, filename="d.xlsx", path=demo_store, update=True)
    assert r.ok and r.update is not None
    assert (r.update["updated"], r.update["added"], r.update["kept"]) == (1, 1, 59)
    assert r.counts["projects"] == 2  # the rows read from the file
    sid = pipeline.commit_result(r, path=demo_store)
    assert (
        store.list_snapshots(demo_store).set_index("snapshot_id").loc[sid, "counts"]["projects"]
        == 61
    )
    (summary,) = [i for i in r.issues if i.template == update.UPDATE_SUMMARY]
    assert "1 projects updated, 1 added, 59 kept" in summary.text("en")
    assert "1 projets mis à jour, 1 ajoutés, 59 repris" in summary.text("fr")


def test_an_update_checks_the_file_against_the_snapshot_objectives_and_resources(
    demo_store: Path,
) -> None:
    """The file has no Objectives nor Resources sheet: its ratings and allocations are
    checked against the snapshot's (OBJ-01 and RES-001 exist there, OBJ-99 does not)."""
    base = store.get_snapshot(path=demo_store, tables=("objectives", "resources"))
    obj, res = base.frames["objectives"]["objective_id"].iloc[0], base.frames["resources"]
    rid = res["resource_id"].iloc[0]
    data = departmental(
        {
            "Alignement": [
                ["Code projet", "Code objectif", "Note"],
                ["PRJ-001", obj, "Fort"],
                ["PRJ-002", "OBJ-99", "Fort"],
            ],
            "Affectations": [
                ["Code projet", "Code ressource", "Mois", "Heures"],
                ["PRJ-001", rid, "01/2028", 20],
            ],
        }
    )
    r = pipeline.validate_file(data, filename="d.xlsx", path=demo_store, update=True)
    errors = [i for i in r.issues if i.severity == "error"]
    assert [(i.sheet, i.row, i.value) for i in errors] == [("Alignement", 3, "OBJ-99")]
    lenient = pipeline.validate_file(
        data, filename="d.xlsx", path=demo_store, update=True, lenient=True
    )
    assert lenient.ok
    al = lenient.frames["alignment"]
    assert al.loc[al["project_id"].isin(["PRJ-001", "PRJ-002"]), "objective_id"].tolist() == [obj]
    a = lenient.frames["allocations"]
    assert a.loc[a["project_id"] == "PRJ-001", "hours"].tolist() == [20.0]


def test_an_update_refuses_a_risk_id_another_kept_project_uses(demo_store: Path) -> None:
    risks = store.get_snapshot(path=demo_store, tables=("risks",)).frames["risks"]
    taken = risks.loc[~risks["project_id"].isin(["PRJ-001", "PRJ-002"])].iloc[0]
    data = departmental(
        {
            "Risques": [
                ["Code risque", "Code projet", "Titre", "Probabilité", "Impact"],
                [taken["risk_id"], "PRJ-001", "Retard", 0.3, 10000],
                ["R-NEW", "PRJ-001", "Budget", 0.2, 5000],
            ]
        }
    )
    r = pipeline.validate_file(data, filename="d.xlsx", path=demo_store, update=True)
    (e,) = [i for i in r.issues if i.severity == "error"]
    assert (e.sheet, e.row, e.value) == ("Risques", 2, taken["risk_id"])
    ok = pipeline.validate_file(data, filename="d.xlsx", path=demo_store, update=True, lenient=True)
    assert ok.ok
    mine = ok.frames["risks"].loc[lambda d: d["project_id"] == "PRJ-001", "risk_id"].tolist()
    assert mine == ["R-NEW"]
    assert ok.frames["risks"]["risk_id"].is_unique


def test_an_update_warns_about_the_sheets_and_settings_it_does_not_take(
    demo_store: Path,
) -> None:
    data = departmental(
        {
            "Objectifs": [["Code objectif", "Nom"], ["OBJ-X", "Autre"]],
            "Paramètres": [["Clé", "Valeur"], ["currency", "USD"]],
        }
    )
    r = pipeline.validate_file(data, filename="d.xlsx", path=demo_store, update=True)
    assert r.ok
    sheets = [i for i in r.issues if i.template == update.SHEET_NOT_USED]
    assert [i.sheet for i in sheets] == ["Objectifs"]
    assert "« Objectifs »" in sheets[0].text("fr")
    (setting,) = [i for i in r.issues if i.template == update.SETTING_NOT_USED]
    assert setting.value == "USD" and r.settings["currency"] == "EUR"
    assert r.frames["objectives"].empty  # not committed: the snapshot's are carried over
    before = store.get_snapshot(path=demo_store, tables=("objectives",)).frames["objectives"]
    sid = pipeline.commit_result(r, path=demo_store)
    after = store.get_snapshot(sid, path=demo_store)
    assert_frame_equal(after.frames["objectives"], before)
    assert after.currency == "EUR"


def test_an_update_warns_about_the_project_columns_the_file_lacks(demo_store: Path) -> None:
    """The finance file has 6 Projects columns; PRJ-001 and PRJ-002 have a sponsor and a
    manager in the snapshot: replacing their rows whole would lose them, so each column the
    file lacks where the snapshot has a value is warned once, by its template header."""
    r = pipeline.validate_file(departmental(), filename="d.xlsx", path=demo_store, update=True)
    lost = [i for i in r.issues if i.template == update.COLUMNS_LOST]
    headers = {i.params["header"] for i in lost}
    assert {"Sponsor", "Project manager", "Department"} <= headers
    assert not headers & {"Project ID", "Project name", "Status", "Start date", "Budget (BAC)"}
    fr = next(i for i in lost if i.params["header"] == "Sponsor").text("fr")
    assert fr.startswith("Le fichier n'a pas de colonne « Commanditaire » : les 2 projets")
    assert update.lost_columns(pd.DataFrame({"project_id": ["P1"]}), pd.DataFrame()) == []


def test_an_update_needs_a_snapshot(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no snapshot to update"):
        pipeline.validate_file(
            departmental(), filename="d.xlsx", path=tmp_path / "x.duckdb", update=True
        )


def test_the_store_carries_over_what_an_update_keeps_in_its_transaction(tmp_path: Path) -> None:
    """Hand-made: snapshot 1 has P1, P2, P3 with milestones P1/a, P2/b, P3/c and one
    objective; the update commits P2 (new name, milestones b2 and b3) and P4 on base 1:
    projects P1, P3 (kept), P2, P4 = 4; milestones a, c, b2, b3 = 4; objective O1 kept."""
    db = tmp_path / "s.duckdb"
    base = store.commit_snapshot(
        {
            "projects": pd.DataFrame({"project_id": ["P1", "P2", "P3"], "name": ["x", "y", "z"]}),
            "milestones": pd.DataFrame(
                {
                    "project_id": ["P1", "P2", "P3"],
                    "milestone_id": ["a", "b", "c"],
                    "baseline_date": pd.to_datetime(["2026-01-31"] * 3),
                }
            ),
            "objectives": pd.DataFrame({"objective_id": ["O1"], "name": ["Growth"]}),
        },
        source="all.xlsx",
        as_of=date(2026, 1, 31),
        path=db,
    )
    file = {
        "projects": pd.DataFrame({"project_id": ["P2", "P4"], "name": ["Y", "w"]}),
        "milestones": pd.DataFrame(
            {
                "project_id": ["P2", "P2"],
                "milestone_id": ["b2", "b3"],
                "baseline_date": pd.to_datetime(["2026-02-28"] * 2),
            }
        ),
    }
    sid = store.commit_snapshot(
        file, source="dept.xlsx", as_of=date(2026, 2, 28), base=base, path=db
    )
    snap = store.get_snapshot(sid, path=db)
    names = snap.frames["projects"].set_index("project_id")["name"].to_dict()
    assert names == {"P1": "x", "P2": "Y", "P3": "z", "P4": "w"}
    ms = snap.frames["milestones"]
    assert sorted(zip(ms["project_id"], ms["milestone_id"], strict=True)) == [
        ("P1", "a"),
        ("P2", "b2"),
        ("P2", "b3"),
        ("P3", "c"),
    ]
    assert snap.frames["objectives"]["objective_id"].tolist() == ["O1"]
    counts = store.list_snapshots(db).set_index("snapshot_id").loc[sid, "counts"]
    assert (counts["projects"], counts["milestones"], counts["objectives"]) == (4, 4, 1)
    # Started from snapshot 1, but snapshot 2 now exists: refused, nothing written.
    with pytest.raises(UsageError, match="validate the file again"):
        store.commit_snapshot(file, source="late.xlsx", as_of=date(2026, 3, 31), base=base, path=db)
    assert store.latest_snapshot_id(db) == sid


# ------------------------------------------------------------------ plain import warnings


def test_a_plain_import_of_far_fewer_projects_is_warned(demo_store: Path) -> None:
    r = pipeline.validate_file(departmental(), filename="finance.xlsx", path=demo_store)
    assert r.ok and r.update is None
    (w,) = [i for i in r.issues if i.template == pipeline.FEWER_PROJECTS]
    assert w.text("en").startswith(
        "2 projects; the current snapshot has 60: 58 would no longer appear"
    )
    assert w.text("fr").startswith(
        "2 projets ; la photo actuelle en compte 60 : 58 n'apparaîtraient plus"
    )
    assert pipeline.fewer_projects(r)
    # Half the snapshot or more is a normal import: no warning (30 of 60).
    rows = [[f"PRJ-{k:03d}", "x", "En cours", None, None, 1] for k in range(1, 31)]
    half = pipeline.validate_file(
        workbook({"Projets": [HEADER, *rows]}), filename="h.xlsx", path=demo_store
    )
    assert not pipeline.fewer_projects(half)


def test_same_as_of_is_warned(demo_store: Path) -> None:
    sid = store.latest_snapshot_id(demo_store)
    w = pipeline.same_as_of(date(2026, 11, 30), demo_store)
    assert w is not None and w.params["id"] == sid and w.value == "2026-11-30"
    assert "déjà cette date d'arrêté" in w.text("fr")
    assert pipeline.same_as_of(date(2026, 12, 31), demo_store) is None


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pmo_core", *args, "--db", str(db), "--json"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_cli_update_gives_the_counts_and_warns_a_same_as_of(
    demo_store: Path, tmp_path: Path
) -> None:
    f = tmp_path / "finance.xlsx"
    f.write_bytes(departmental())
    checked = cli("validate", str(f), "--update", db=demo_store)
    assert checked.returncode == 0, checked.stderr
    v = json.loads(checked.stdout)
    assert v["update"]["updated"] == 2 and v["snapshot_id"] is None
    r = cli("import", str(f), "--update", "--as-of", "2026-11-30", db=demo_store)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    base = store.list_snapshots(demo_store)["snapshot_id"].iloc[1]
    assert d["update"] == {"base_snapshot_id": int(base), "updated": 2, "added": 0, "kept": 58}
    assert d["counts"]["projects"] == 2 and d["counts"]["objectives"] == 0  # read from the file
    assert d["snapshot_counts"]["projects"] == 60 and d["snapshot_counts"]["objectives"] == 8
    assert d["as_of"] == "2026-11-30" and d["lenient"] is False
    assert any(
        i["message"].startswith(f"Snapshot #{base} already has this as-of date")
        for i in d["issues"]
    )
    plain = cli("import", str(f), "--as-of", "2026-12-31", db=demo_store)
    p = json.loads(plain.stdout)
    assert plain.returncode == 0 and p["counts"]["projects"] == 2 and p["update"] is None
    assert any("58 would no longer appear" in i["message"] for i in p["issues"])
    bad = cli("import", str(f), "--update", db=tmp_path / "empty.duckdb")
    assert bad.returncode == 2 and "no snapshot to update" in json.loads(bad.stdout)["error"]


# ----------------------------------------------------------------------------- the page


def confirm_fewer(at):  # type: ignore[no-untyped-def]
    """The checkbox confirming a much smaller portfolio (its key names the file)."""
    (box,) = [c for c in at.checkbox if (c.key or "").startswith("import_confirm_fewer_")]
    return box


def test_the_import_page_updates_two_projects_and_asks_to_confirm_a_plain_import(
    app_db: Path,
) -> None:
    from tests.conftest import run_page

    base = store.get_snapshot(path=app_db, tables=("projects", "objectives"))
    at = run_page("import_data.py", "fr")
    at.file_uploader(key="import_file").set_value(("finance.xlsx", departmental(), "x")).run()
    assert not at.exception, [e.value for e in at.exception]
    # A plain import: warned, and the commit waits for the confirmation.
    n = len(base.frames["projects"])
    assert any(
        f"la photo actuelle en compte {n} : {n - 2} n'apparaîtraient plus" in w.value
        for w in at.warning
    )
    assert at.button(key="import_commit").disabled
    confirm_fewer(at).check().run()
    assert not at.button(key="import_commit").disabled
    # The update choice instead: counts, no confirmation needed, then the commit.
    at.radio(key="import_mode").set_value("update").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Projets mis à jour"], metrics["Projets ajoutés"]) == ("2", "0")
    assert metrics["Projets repris"] == str(n - 2)
    assert not at.button(key="import_commit").disabled
    at.button(key="import_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new = store.get_snapshot(path=app_db, tables=("projects", "objectives"))
    assert new.snapshot_id == base.snapshot_id + 1
    assert len(new.frames["projects"]) == n
    assert_frame_equal(new.frames["objectives"], base.frames["objectives"])


ids = st.sets(st.sampled_from([f"P{k}" for k in range(8)]), max_size=8)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(old=ids, new=ids)
def test_an_update_keeps_every_other_project_and_counts_add_up(
    old: set[str], new: set[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever the two sets: the snapshot written holds old | new projects, the file's
    with the file's rows (name "new", one milestone each), the others as they were
    (name "old", one milestone each); updated + kept = old, updated + added = new."""
    db = tmp_path_factory.mktemp("prop") / "s.duckdb"

    def frames(pids: set[str], name: str) -> dict[str, pd.DataFrame]:
        order = sorted(pids)
        return {
            "projects": pd.DataFrame({"project_id": order, "name": [name] * len(order)}),
            "milestones": pd.DataFrame(
                {
                    "project_id": order,
                    "milestone_id": [f"{name}-{p}" for p in order],
                    "baseline_date": pd.to_datetime(["2026-01-31"] * len(order)),
                }
            ),
        }

    base = store.commit_snapshot(frames(old, "old"), source="a", as_of=date(2026, 1, 31), path=db)
    sid = store.commit_snapshot(
        frames(new, "new"), source="b", as_of=date(2026, 2, 28), base=base, path=db
    )
    snap = store.get_snapshot(sid, path=db)
    names = snap.frames["projects"].set_index("project_id")["name"].to_dict()
    assert names == {p: ("new" if p in new else "old") for p in old | new}
    ms = snap.frames["milestones"]
    assert sorted(ms["milestone_id"]) == sorted(
        f"{'new' if p in new else 'old'}-{p}" for p in old | new
    )
    c = update.update_counts(old, new)
    assert c.updated + c.kept == len(old) and c.updated + c.added == len(new)
    assert len(snap.frames["projects"]) == c.updated + c.added + c.kept
