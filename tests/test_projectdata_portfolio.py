"""Project Server's portfolio analysis from a ProjectData export (issue 19, item 2):
drivers and Project Server's weights, relation phrases as Saaty judgments, the cockpit's
CR beside Project Server's, project priorities as alignment scores, read-only scenarios.

Entity sets are built here as the reader gives them (columns = OData property names).
"""

from __future__ import annotations

import math
import sys
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import store
from pmo_core.ingest import pipeline, words
from pmo_core.ingest.projectdata import portfolio
from pmo_core.ingest.projectdata.properties_portfolio import PROPERTIES
from pmo_core.kpi import alignment, snapshot_kpis
from pmo_core.optimize import scenarios

sys.path.insert(0, str(Path(__file__).parent))
import projectdata_export as px

PRIO, ANALYSIS, SCENARIO = "prio-1", "an-1", "sc-1"
A, B, C = "drv-a", "drv-b", "drv-c"


def export(
    relations: tuple[str, str, str] = (
        "is more important than",  # A over B: 3
        "is extremely more important than",  # A over C: 9
        "is more important than",  # B over C: 3
    ),
    priorities: tuple[float, float, float] = (0.6923, 0.2308, 0.0769),
) -> dict[str, pd.DataFrame]:
    """Three drivers with consistent judgments, one analysis of three projects, one
    cost scenario (P1 forced in, P2 forced out, P3 left to the optimiser)."""
    ab, ac, bc = relations
    return {
        "BusinessDrivers": pd.DataFrame(
            {
                "BusinessDriverId": [A, B, C],
                "BusinessDriverName": ["Grow revenue", "Cut costs", "Comply"],
                "BusinessDriverIsActive": [True, True, True],
            }
        ),
        "Prioritizations": pd.DataFrame(
            {
                "PrioritizationId": [PRIO],
                "PrioritizationName": ["FY27 drivers"],
                "PrioritizationIsManual": [False],
                "ConsistencyRatio": [1.0],
                "PrioritizationModifiedDate": [pd.Timestamp("2026-06-01")],
            }
        ),
        "PrioritizationDrivers": pd.DataFrame(
            {
                "PrioritizationId": [PRIO] * 3,
                "BusinessDriverId": [A, B, C],
                "BusinessDriverPriority": list(priorities),
            }
        ),
        "PrioritizationDriverRelations": pd.DataFrame(
            {
                "PrioritizationId": [PRIO] * 3,
                "BusinessDriver1Id": [A, A, B],
                "BusinessDriver2Id": [B, C, C],
                "RelationValue": [ab, ac, bc],
            }
        ),
        "PortfolioAnalyses": pd.DataFrame(
            {
                "AnalysisId": [ANALYSIS],
                "AnalysisName": ["FY27 portfolio"],
                "PrioritizationId": [PRIO],
                "ModifiedDate": [pd.Timestamp("2026-06-15")],
            }
        ),
        "PortfolioAnalysisProjects": pd.DataFrame(
            {
                "AnalysisId": [ANALYSIS] * 3,
                "ProjectId": ["P1", "P2", "P3"],
                "AbsolutePriority": [0.60, 0.30, 0.10],
                "Priority": [0.60, 0.30, 0.10],
            }
        ),
        "CostConstraintScenarios": pd.DataFrame(
            {
                "ScenarioId": [SCENARIO],
                "ScenarioName": ["Budget 450k"],
                "AnalysisId": [ANALYSIS],
                "AnalysisName": ["FY27 portfolio"],
                "SelectedProjectsCost": [450_000.0],
                "SelectedProjectsPriority": [0.70],
            }
        ),
        "CostScenarioProjects": pd.DataFrame(
            {
                "ScenarioId": [SCENARIO] * 3,
                "AnalysisId": [ANALYSIS] * 3,
                "ProjectId": ["P1", "P2", "P3"],
                "Status": [0, 1, 0],  # In, Out, In
                "ForceStatus": [0, 1, 2],  # forced in, forced out, auto
                "ForceAliasLookupTableName": ["Regulatory", "Paused", None],
            }
        ),
    }


PROJECTS = {"P1", "P2", "P3"}


def test_every_property_read_is_a_documented_one() -> None:
    sets = export()
    for name, df in sets.items():
        assert set(df.columns) <= set(PROPERTIES[name]), name
    for name, props in PROPERTIES.items():
        assert all(t.startswith("Edm.") for t in props.values()), name


def test_saaty_table_of_project_servers_seven_phrases() -> None:
    # Seven levels, symmetric about "as important as": each "more" is the reciprocal of
    # its "less" (9 and 1/9, 6 and 1/6, 3 and 1/3), as the cockpit's judgment words.
    s = portfolio.SAATY
    assert len(s) == 7
    for level, n in (("extremely", 9.0), ("much", 6.0), ("", 3.0)):
        more = f"is {level} more important than".replace("  ", " ")
        less = f"is {level} less important than".replace("  ", " ")
        assert s[more] == n and math.isclose(s[less], 1 / n)
        key = (level + "more") if level else "more"
        assert words.JUDGMENT_WORDS[key] == n
    assert s["is as important as"] == 1.0
    assert portfolio.saaty("Is Much  more important than.") == 6.0
    assert portfolio.saaty("is way more important than") is None
    assert portfolio.saaty(None) is None


@given(
    st.sampled_from(sorted(portfolio.SAATY)),
    st.lists(st.sampled_from([" ", "  ", "\t"]), min_size=0, max_size=3),
    st.booleans(),
)
def test_a_phrase_reads_the_same_whatever_its_case_and_spacing(
    phrase: str, pads: list[str], upper: bool
) -> None:
    text = "".join(pads) + (phrase.upper() if upper else phrase.title()) + "".join(pads)
    assert portfolio.saaty(text) == portfolio.SAATY[phrase]


def test_consistent_judgments_give_project_servers_priorities_and_cr_zero() -> None:
    # A/B = 3, B/C = 3, A/C = 9 = 3 x 3: consistent, so the principal eigenvector is the
    # first column normalised: (9, 3, 1) / 13 = 0.6923, 0.2308, 0.0769; lambda_max = 3,
    # CI = 0, CR = 0. Project Server stored these priorities (4 decimals) and ratio 1.0.
    m = portfolio.map_portfolio(export(), project_ids=PROJECTS)
    o, p = m.frames["objectives"], m.frames["pairwise"]
    assert o["objective_id"].tolist() == [A, B, C]
    assert o["name"].tolist() == ["Grow revenue", "Cut costs", "Comply"]
    assert sorted(zip(p["objective_a"], p["objective_b"], p["judgment"], strict=True)) == [
        (A, B, 3.0),
        (A, C, 9.0),
        (B, C, 3.0),
    ]
    kept = alignment.objective_weights(o, p)  # what the snapshot's pages use
    assert kept.method == "direct"
    assert np.allclose(kept.weights.to_numpy(), [0.6923, 0.2308, 0.0769], atol=5e-5)
    ahp = alignment.pairwise_weights([A, B, C], p)
    assert np.allclose(ahp.weights.to_numpy(), [9 / 13, 3 / 13, 1 / 13], atol=1e-9)
    assert np.allclose(ahp.weights.to_numpy(), kept.weights.to_numpy(), atol=1e-4)
    c = portfolio.consistency(o, p, m.settings)
    assert abs(c["cr"]) < 1e-9 and c["projectserver"] == 1.0
    assert m.settings["projectserver_prioritization"] == "FY27 drivers"
    assert m.settings["projectserver_analysis"] == "FY27 portfolio"
    assert not [i for i in m.issues if "eigenvector" in i.template]


def test_inconsistent_judgments_cr_by_hand_and_the_weights_stay_project_servers() -> None:
    # A/B = 3, A/C = 3, B/C = 3 (C "is less" than both, A not 9 times C): for a 3 x 3
    # reciprocal matrix with a = a12, b = a13, c = a23, lambda_max = 1 + (b/(ac))^(1/3)
    # + (ac/b)^(1/3) = 1 + (1/3)^(1/3) + 3^(1/3) = 1 + 0.69336 + 1.44225 = 3.13561;
    # CI = 0.13561 / 2 = 0.06780; CR = CI / 0.58 = 0.11690 (above 0.10: inconsistent).
    # Eigenvector = geometric row means (exact for n = 3): 9^(1/3), 1, 9^(-1/3) =
    # 2.08008, 1, 0.48075; / 3.56083 = 0.58416, 0.28083, 0.13501.
    rel = ("is more important than",) * 3
    m = portfolio.map_portfolio(export(rel, (0.50, 0.30, 0.20)), project_ids=PROJECTS)
    c = portfolio.consistency(m.frames["objectives"], m.frames["pairwise"], m.settings)
    lam = 1 + (1 / 3) ** (1 / 3) + 3 ** (1 / 3)
    assert math.isclose(c["cr"], (lam - 3) / 2 / 0.58, rel_tol=1e-9)
    assert round(c["cr"], 4) == 0.1169
    ahp = alignment.pairwise_weights([A, B, C], m.frames["pairwise"]).weights
    assert np.allclose(ahp.to_numpy(), [0.58416, 0.28083, 0.13501], atol=5e-5)
    # Project Server said 50/30/20: up to 8.4 points from the eigenvector -> warned,
    # and the weights kept are Project Server's.
    gap = [i for i in m.issues if "eigenvector" in i.template]
    assert len(gap) == 1 and gap[0].params["gap"] == 8.4
    kept = alignment.objective_weights(m.frames["objectives"], m.frames["pairwise"]).weights
    assert np.allclose(kept.to_numpy(), [0.5, 0.3, 0.2])


def test_an_unknown_phrase_is_named_with_its_row_and_left_out() -> None:
    rel = ("is more important than", "is a lot more important than", "is more important than")
    m = portfolio.map_portfolio(export(rel), project_ids=PROJECTS)
    bad = [i for i in m.issues if i.column == "RelationValue"]
    assert len(bad) == 1
    i = bad[0]
    assert (i.sheet, i.row, i.value) == ("PrioritizationDriverRelations", 3, rel[1])
    assert "« is a lot more important than »" in i.text("fr")
    assert len(m.frames["pairwise"]) == 2


def test_priorities_become_alignment_scores_marked_project_server() -> None:
    # AbsolutePriority 0.60, 0.30, 0.10 (0-1) -> scores 60, 30, 10; priority % = 100 x
    # score / 100 = 60, 30, 10 = Project Server's Priority x 100.
    m = portfolio.map_portfolio(export(), project_ids=PROJECTS)
    pr = m.frames["priorities"]
    assert pr["alignment_score"].tolist() == pytest.approx([60.0, 30.0, 10.0])
    assert pr["priority_pct"].tolist() == pytest.approx([60.0, 30.0, 10.0])
    projects = pd.DataFrame({"project_id": ["P1", "P2", "P3", "P4"]})
    w = alignment.objective_weights(m.frames["objectives"], m.frames["pairwise"]).weights
    no_ratings = pd.DataFrame(columns=["project_id", "objective_id", "rating"])
    s = alignment.alignment_scores(no_ratings, w, projects, imported=pr).set_index("project_id")
    assert s["alignment_score"].tolist()[:3] == pytest.approx([60.0, 30.0, 10.0])
    assert s["priority_pct"].tolist()[:3] == pytest.approx(pr["priority_pct"].tolist())
    assert math.isnan(s.loc["P4", "alignment_score"])  # not in the analysis: unscored
    assert s["source"].tolist() == ["Project Server"] * 3 + [None]
    assert not s["rated"].any()


def test_a_rating_in_the_alignment_sheet_takes_over_for_its_project() -> None:
    m = portfolio.map_portfolio(export(), project_ids=PROJECTS)
    o, p = m.frames["objectives"], m.frames["pairwise"]
    w = alignment.objective_weights(o, p).weights  # 0.6923, 0.2308, 0.0769 (sum 1)
    # P2 rated 9 on every driver: S = 9 x 1 -> score 100 x 9 / (9 x 1) = 100.
    ratings = pd.DataFrame({"project_id": ["P2"] * 3, "objective_id": [A, B, C], "rating": 9})
    projects = pd.DataFrame({"project_id": ["P1", "P2", "P3"]})
    s = alignment.alignment_scores(ratings, w, projects, imported=m.frames["priorities"])
    s = s.set_index("project_id")
    assert s["alignment_score"].tolist() == pytest.approx([60.0, 100.0, 10.0])
    assert s["source"].tolist() == ["Project Server", "ratings", "Project Server"]
    # Priority % over every scored project: 60/170, 100/170, 10/170.
    assert s["priority_pct"].tolist() == pytest.approx([600 / 17, 1000 / 17, 100 / 17])
    assert s["rated"].tolist() == [False, True, False]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
def test_imported_priorities_sum_to_100_percent(absolute: list[float]) -> None:
    ids = [f"P{i}" for i in range(len(absolute))]
    imported = pd.DataFrame(
        {"project_id": ids, "alignment_score": [100 * a for a in absolute], "source": "x"}
    )
    s = alignment.alignment_scores(
        pd.DataFrame(columns=["project_id", "objective_id", "rating"]),
        pd.Series(dtype="float64"),
        pd.DataFrame({"project_id": ids}),
        imported=imported,
    )
    assert s["alignment_score"].tolist() == pytest.approx([100 * a for a in absolute])
    if sum(absolute) > 0:
        assert s["priority_pct"].sum() == pytest.approx(100.0)
    else:  # nothing to share: undefined, never 0 %
        assert s["priority_pct"].isna().all()


def test_out_of_scale_priorities_and_unknown_projects_are_warned_and_left_out() -> None:
    sets = export()
    sets["PortfolioAnalysisProjects"] = pd.DataFrame(
        {
            "AnalysisId": [ANALYSIS] * 3,
            "ProjectId": ["P1", "P2", "PX"],
            "AbsolutePriority": [1.5, 0.30, 0.10],  # 1.5 is off Project Server's 0-1
            "Priority": [0.60, 0.30, 0.10],
        }
    )
    m = portfolio.map_portfolio(sets, project_ids=PROJECTS)
    assert m.frames["priorities"]["project_id"].tolist() == ["P2"]
    where = {(i.row, i.column, i.value) for i in m.issues if i.sheet == "PortfolioAnalysisProjects"}
    assert where == {(2, "AbsolutePriority", "1.5"), (4, "ProjectId", "PX")}


def test_a_cost_scenario_becomes_a_read_only_scenario_with_its_forced_projects() -> None:
    m = portfolio.map_portfolio(export(), project_ids=PROJECTS)
    assert len(m.documents) == 1
    d = m.documents[0]
    assert d["kind"] == scenarios.KIND and d["origin"] == "projectserver"
    assert d["name"] == "Budget 450k (Project Server · FY27 portfolio)"
    params, res = d["payload"]["parameters"], d["payload"]["result"]
    assert params["force_in"] == ["P1"] and params["force_out"] == ["P2"]
    assert params["budget"] is None  # Project Server's limit is not in ProjectData
    assert res["selected"] == ["P1", "P3"]
    assert res["total_cost"] == 450_000.0
    assert res["objective"] == pytest.approx(70.0)  # scores 60 + 10
    assert d["payload"]["project_server"]["forced_why"] == {"P1": "Regulatory", "P2": "Paused"}


def test_a_scenario_with_an_undocumented_status_is_left_out_whole() -> None:
    sets = export()
    sets["CostScenarioProjects"].loc[1, "Status"] = 7
    m = portfolio.map_portfolio(sets, project_ids=PROJECTS)
    assert m.documents == []
    bad = [i for i in m.issues if i.sheet == "CostScenarioProjects"]
    assert [(i.row, i.column, i.value) for i in bad] == [(3, "Status", "7")]
    assert "Budget 450k" in bad[0].text("fr") and "n'est pas importé" in bad[0].text("fr")


def test_without_prioritization_the_drivers_come_with_equal_weights_warned() -> None:
    sets = {"BusinessDrivers": export()["BusinessDrivers"]}
    m = portfolio.map_portfolio(sets)
    assert m.frames["objectives"]["objective_id"].tolist() == [A, B, C]
    assert m.frames["objectives"]["weight"].isna().all()
    w = alignment.objective_weights(m.frames["objectives"], m.frames["pairwise"])
    assert w.method == "equal"
    assert any("equal weights" in i.template for i in m.issues)


def test_the_latest_analysis_is_used_and_the_others_counted() -> None:
    sets = export()
    sets["PortfolioAnalyses"] = pd.DataFrame(
        {
            "AnalysisId": ["an-0", ANALYSIS],
            "AnalysisName": ["Old", "FY27 portfolio"],
            "PrioritizationId": [PRIO, PRIO],
            "ModifiedDate": [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-06-15")],
        }
    )
    m = portfolio.map_portfolio(sets, project_ids=PROJECTS)
    assert m.settings["projectserver_analysis"] == "FY27 portfolio"
    assert [i.params.get("n") for i in m.issues if i.sheet == "PortfolioAnalyses"] == [1]


# ---------------------------------------------------------------------------- the store


def _commit(db: Path) -> int:
    m = portfolio.map_portfolio(export(), project_ids=PROJECTS)
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "name": ["One", "Two", "Three"],
            "status": "proposed",
            "budget": [300_000.0, 200_000.0, 150_000.0],
        }
    )
    return store.commit_snapshot(
        {"projects": projects, **m.frames},
        source="projectdata",
        as_of=date(2026, 6, 30),
        settings=m.settings,
        path=db,
        documents=m.documents,
    )


def test_imported_scenarios_are_stored_with_the_snapshot_and_read_only(tmp_path: Path) -> None:
    db = tmp_path / "pmo.duckdb"
    sid = _commit(db)
    snap = store.get_snapshot(sid, path=db)
    assert snap.frames["priorities"]["alignment_score"].tolist() == pytest.approx([60, 30, 10])
    assert snap.settings["projectserver_consistency_ratio"] == "1.0"
    saved = scenarios.list_scenarios(db)
    assert saved["origin"].tolist() == ["projectserver"]
    assert int(saved["snapshot_id"].iloc[0]) == sid
    doc = int(saved["doc_id"].iloc[0])
    with pytest.raises(store.ReadOnlyDocument):
        store.delete_document(scenarios.KIND, doc, path=db)
    with pytest.raises(store.ReadOnlyDocument):
        store.save_document(scenarios.KIND, "renamed", {}, doc_id=doc, path=db)
    assert scenarios.list_scenarios(db)["name"].tolist() == [saved["name"].iloc[0]]
    # The cockpit's own scenarios stay editable and deletable.
    own = store.save_document(scenarios.KIND, "mine", {"parameters": {}, "result": {}}, path=db)
    store.delete_document(scenarios.KIND, own, path=db)
    cmp = scenarios.comparison(scenarios.list_scenarios(db)).iloc[0]
    assert (cmp["selected"], cmp["total_cost"], cmp["objective"]) == (2, 450_000.0, 70.0)
    assert cmp["origin"] == "projectserver"


def test_a_failed_import_leaves_no_scenario_behind(tmp_path: Path) -> None:
    db = tmp_path / "pmo.duckdb"
    _commit(db)
    m = portfolio.map_portfolio(export(), project_ids=PROJECTS)
    with pytest.raises(duckdb.ConstraintException):  # kind is NOT NULL
        store.commit_snapshot(
            {"projects": pd.DataFrame({"project_id": ["P1"], "name": ["x"]}), **m.frames},
            source="again",
            as_of=date(2026, 7, 31),
            path=db,
            documents=[{**m.documents[0], "payload": None, "kind": None}],  # kind NOT NULL
        )
    assert len(scenarios.list_scenarios(db)) == 1
    assert store.list_snapshots(db)["source"].tolist() == ["projectdata"]


def test_decision_record_of_an_imported_scenario_says_n_a_for_what_it_lacks(
    tmp_path: Path,
) -> None:
    db = tmp_path / "pmo.duckdb"
    _commit(db)
    row = scenarios.list_scenarios(db).iloc[0]
    pairs = dict(scenarios.decision_settings(row, "fr"))
    assert pairs["Budget"] == "n/d"  # not 0 €
    assert pairs["Conserver les projets en cours"] == "n/d"
    assert pairs["Imposés"] == "P1" and pairs["Exclus d'office"] == "P2"
    assert pairs["Réponse"] == "Importé de Project Server"


# ------------------------------------------------------------- the hand-made export


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    base = tmp_path_factory.mktemp("pd_portfolio")
    db = base / "s.duckdb"
    _, sid = pipeline.import_file(px.write("json4.zip", base / "json4"), path=db)
    return db, sid


@pytest.mark.parametrize("shape", ["xlsx", "json3", "csv.zip"])
def test_every_shape_brings_the_same_portfolio_analysis(tmp_path: Path, shape: str) -> None:
    r = pipeline.validate_file(px.write(shape, tmp_path / "x"))
    assert r.ok, [i.text() for i in r.issues if i.severity == "error"]
    assert r.counts["objectives"] == 3 and r.counts["pairwise"] == 3
    assert r.counts["priorities"] == 4
    assert r.settings["projectserver_consistency_ratio"] == "1.0"
    assert [d["name"] for d in r.documents] == ["Budget 360 k (Project Server · Portefeuille 2026)"]


def test_the_export_imports_project_servers_weights_scores_and_scenario(
    imported: tuple[Path, int],
) -> None:
    db, sid = imported
    snap = store.get_snapshot(sid, path=db)
    o, p = snap.frames["objectives"], snap.frames["pairwise"]
    w = alignment.objective_weights(o, p).weights
    # Project Server's priorities 0.6923, 0.2308, 0.0769 = the eigenvector (9, 3, 1)/13.
    assert w.to_dict() == pytest.approx({px.DA: 0.6923, px.DB: 0.2308, px.DC: 0.0769}, abs=1e-9)
    ahp = alignment.pairwise_weights(list(o["objective_id"]), p)
    assert ahp.weights.to_numpy() == pytest.approx([9 / 13, 3 / 13, 1 / 13])
    assert ahp.cr == pytest.approx(0.0, abs=1e-9)
    k = snapshot_kpis(snap).set_index("project_id")
    # No Alignment sheet: the scores are Project Server's, 100 x AbsolutePriority.
    assert k.loc[[px.P1, px.P2, px.P3, px.P4], "alignment_score"].tolist() == pytest.approx(
        [50.0, 25.0, 15.0, 10.0]
    )
    assert k.loc[[px.P1, px.P2, px.P3, px.P4], "priority_pct"].tolist() == pytest.approx(
        [50.0, 25.0, 15.0, 10.0]
    )
    s = scenarios.list_scenarios(db).iloc[0]
    assert s["origin"] == "projectserver" and int(s["snapshot_id"]) == sid
    res, params = s["payload"]["result"], s["payload"]["parameters"]
    assert res["selected"] == sorted([px.P1, px.P2])
    assert (params["force_in"], params["force_out"]) == ([px.P1], [px.P4])
    assert res["objective"] == pytest.approx(75.0) and res["total_cost"] == 360_000.0


# ------------------------------------------------------------------ the What-if page


def test_whatif_compares_an_imported_scenario_marked_read_only(app_db: Path) -> None:
    from pmo_core.store.connection import write_transaction
    from pmo_core.store.documents import insert_documents
    from tests.conftest import run_page

    demo = store.get_snapshot(path=app_db)
    ids = sorted(demo.frames["projects"]["project_id"])[:2]
    doc = {
        "kind": scenarios.KIND,
        "name": "Budget PS (Project Server · FY27)",
        "status": portfolio.IMPORTED,
        "origin": portfolio.ORIGIN,
        "payload": {
            "parameters": {"budget": None, "value": "alignment", "force_in": [], "force_out": []},
            "result": {
                "status": portfolio.IMPORTED,
                "objective": None,
                "gap": None,
                "total_cost": 1000.0,
                "selected": ids,
                "excluded": [],
            },
        },
    }
    write_transaction(
        app_db,
        lambda con: insert_documents(con, [doc], snapshot_id=demo.snapshot_id, who="tests"),
    )
    at = run_page("whatif.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    cmp = next(d.value for d in at.dataframe if "Origine" in d.value.columns)
    row = cmp.set_index("Scénario").loc["Budget PS (Project Server · FY27)"]
    assert row["Origine"] == "Project Server (lecture seule)"
    assert row["Réponse"] == "Importé de Project Server"
    assert row["Budget"] == "n/d"  # no budget limit in ProjectData: never 0 €
    assert row["Projets retenus"] == 2
    # Nothing on the page deletes or edits a saved scenario; the store refuses it anyway.
    assert not [b for b in at.button if "upprimer" in str(b.label)]


# ------------------------------------------------------------------------- the guide


def test_the_guide_holds_the_generated_select_lists_and_mapping() -> None:
    from pmo_core.ingest.projectdata import guide

    doc = guide.GUIDE.read_text(encoding="utf-8")
    assert guide.with_reference(doc) == doc, "run guide.update_guide()"
    for phrase, n in (("is much more important than", "6"), ("is less important than", "1/3")):
        assert f"| {phrase} | {n} |" in doc
    assert "## English" in doc and "## Français" in doc


def test_the_import_page_links_the_guide(app_db: Path) -> None:
    from tests.conftest import run_page

    at = run_page("import_data.py", "fr")
    assert not at.exception
    assert any("docs/leaving-project-online.md" in c.value for c in at.caption)
    assert any(c.value.startswith("Vous quittez Project Online ?") for c in at.caption)


# ------------------------------------------------------ a Priorities sheet in a workbook


def test_a_priorities_sheet_is_read_and_checked_on_its_cells() -> None:
    from pmo_core.ingest import read_file
    from tests.conftest import workbook

    projects = [["Code projet", "Nom"], ["P1", "Un"], ["P2", "Deux"]]
    rows = [
        ["Code projet", "Score d'alignement", "Priorité %", "Source"],
        ["P1", 60, 75, "Project Server"],
        ["P2", 140, 25, "Project Server"],  # above 100 points
        ["P9", 20, 0, "Project Server"],  # not in Projects
    ]
    r = read_file(workbook({"Projets": projects, "Priorités": rows}), filename="p.xlsx")
    bad = {(i.sheet, i.row, i.column) for i in r.issues if i.severity == "error"}
    assert bad == {("Priorités", 3, "Score d'alignement"), ("Priorités", 4, "Code projet")}
    ok = read_file(workbook({"Projets": projects, "Priorités": rows[:2]}), filename="p.xlsx")
    assert ok.ok and ok.frames["priorities"]["alignment_score"].tolist() == [60.0]
