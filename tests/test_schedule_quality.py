"""Schedule quality: the DCMA 14-point checks (pmo_core/kpi/schedule_quality.py).

A hand-made network checks each rule with numbers worked out in the comments; the HS2
P6 schedule in ``../shared/data`` is checked against figures computed here by a direct
pandas read of its XER tables (skipped when that folder is absent).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import cli
from pmo_core.i18n import t
from pmo_core.ingest import pipeline, schedules
from pmo_core.kpi import schedule_quality as q

ROOT = Path(__file__).resolve().parents[1]
SP10 = ROOT.parent / "shared" / "data" / "p6-xer" / "SP10_COST_LOADED.xer.gz"
needs_data = pytest.mark.skipif(not SP10.exists(), reason="../shared/data not present")
AS_OF = pd.Timestamp("2026-03-02")  # a Monday
D = pd.Timestamp


def activity(tid: str, kind: str = "task", **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "project_id": "P",
        "task_id": tid,
        "activity_id": tid,
        "name": tid,
        "kind": kind,
        "done": False,
        "baseline_start": pd.NaT,
        "baseline_finish": pd.NaT,
        "baseline_kind": "baseline",
        "actual_start": pd.NaT,
        "actual_finish": pd.NaT,
        "forecast_start": pd.NaT,
        "forecast_finish": pd.NaT,
        "duration_days": 5.0,
        "total_float_days": 0.0,
        "constraint": None,
        "hard_constraint": False,
        "resourced": True,
    }
    row.update(kw)
    return row


def link(pred: str, succ: str, kind: str = "FS", lag: float = 0.0) -> dict[str, object]:
    return {
        "project_id": "P",
        "pred_task_id": pred,
        "succ_task_id": succ,
        "type": kind,
        "lag_days": lag,
    }


# A finished late (baseline finish 16 Jan, actual 20 Jan); B under way since 2 Feb, due
# 27 Feb; C 55 days with a hard constraint; D: 50 days of float, no resource, no
# successor; E the finish milestone (forecast 29 May, baseline 15 May); F not started
# although its forecast start (20 Feb) is before the status date, float -3, no
# predecessor; L a level of effort (left out of every check).
ACTS = pd.DataFrame(
    [
        activity("A", done=True, baseline_finish=D("2026-01-16"), actual_start=D("2026-01-05"),
                 actual_finish=D("2026-01-20"), forecast_start=D("2026-01-05"),
                 forecast_finish=D("2026-01-20"), duration_days=10.0),
        activity("B", baseline_finish=D("2026-02-27"), actual_start=D("2026-02-02"),
                 forecast_start=D("2026-02-02"), forecast_finish=D("2026-03-13"),
                 duration_days=20.0),
        activity("C", baseline_finish=D("2026-05-15"), forecast_start=D("2026-03-16"),
                 forecast_finish=D("2026-05-28"), duration_days=55.0, hard_constraint=True,
                 constraint="CS_MSO"),
        activity("D", forecast_start=D("2026-03-16"), forecast_finish=D("2026-03-20"),
                 total_float_days=50.0, resourced=False),
        activity("E", "milestone", baseline_finish=D("2026-05-15"),
                 forecast_start=D("2026-05-29"), forecast_finish=D("2026-05-29"),
                 duration_days=0.0),
        activity("F", baseline_finish=D("2026-03-06"), forecast_start=D("2026-02-20"),
                 forecast_finish=D("2026-03-06"), total_float_days=-3.0, duration_days=10.0),
        activity("L", "loe", total_float_days=999.0, duration_days=400.0, resourced=False,
                 forecast_start=D("2025-01-01"), forecast_finish=D("2027-01-01")),
    ]
)  # fmt: skip
RELS = pd.DataFrame(
    [
        link("A", "B"),
        link("B", "C"),
        link("C", "E"),
        link("B", "D", "SS", 2.0),
        link("F", "E", "FF", -1.0),
    ]
)


def checks(acts: pd.DataFrame = ACTS, rels: pd.DataFrame = RELS, as_of=AS_OF) -> dict[str, q.Check]:  # type: ignore[no-untyped-def]
    (assessment,) = q.assess(acts, rels, as_of)
    return {c.key: c for c in assessment.checks}


def test_the_fourteen_checks_on_a_hand_made_network() -> None:
    c = checks()
    assert list(c) == list(q.CHECK_NAMES)
    got = {k: (v.value, v.passed, v.count, v.population, v.activities) for k, v in c.items()}
    # Incomplete activities (L left out): B, C, D, E, F = 5. D has no successor, E (the
    # finish milestone) none either, F no predecessor: 3 / 5.
    assert got["missing_logic"] == (0.6, False, 3, 5, ["D", "E", "F"])
    # Five links, all to incomplete successors: one lead (F->E, -1), one lag (B->D, +2),
    # two not finish-to-start (SS, FF): FS share 3 / 5.
    assert got["leads"] == (0.2, False, 1, 5, ["E"])
    assert got["lags"] == (0.2, False, 1, 5, ["D"])
    assert got["relationship_types"] == (0.6, False, 2, 5, ["D", "E"])
    assert got["hard_constraints"] == (0.2, False, 1, 5, ["C"])
    assert got["high_float"] == (0.2, False, 1, 5, ["D"])  # 50 > 44
    assert got["negative_float"] == (0.2, False, 1, 5, ["F"])
    # Incomplete tasks (no milestone): B, C, D, F; C lasts 55 > 44 days.
    assert got["high_duration"] == (0.25, False, 1, 4, ["C"])
    # All six activities: F's forecast start (20 Feb) is before 2 Mar and it has not started.
    assert got["invalid_dates"] == (pytest.approx(1 / 6), False, 1, 6, ["F"])
    assert got["resources"] == (0.25, False, 1, 4, ["D"])  # D has no resource
    # Due by 2 Mar: A (16 Jan, finished 20 Jan: late) and B (27 Feb, not finished).
    assert got["missed_tasks"] == (1.0, False, 2, 2, ["A", "B"])
    # The finish is E (29 May, float 0); critical = float <= 0: B, C, E, F. Backwards
    # from E: C and F, then B, which is under way: the chain reaches the status date.
    assert got["critical_path_test"] == (4.0, True, 0, 4, [])
    # CPL = working days 2 Mar -> 29 May = 12 weeks (60) + Mon-Thu 25-28 May = 64;
    # TF = 29 May -> 15 May = -10 working days; CPLI = (64 - 10) / 64 = 0.84375.
    assert got["cpli"] == (pytest.approx(54 / 64), False, None, None, ["E"])
    # BEI = finished (A) / due (A, B) = 0.5; B is behind.
    assert got["bei"] == (0.5, False, 1, 2, ["B"])


def test_a_clean_network_passes_every_check() -> None:
    # A -> B -> C, all finish-to-start without lag, float 0..10, resourced; the status
    # date is before any baseline finish, so nothing is due: missed tasks and BEI n/a.
    acts = pd.DataFrame(
        [
            activity("A", actual_start=D("2026-03-02"), forecast_start=D("2026-03-02"),
                     forecast_finish=D("2026-03-06"), baseline_finish=D("2026-03-06")),
            activity("B", forecast_start=D("2026-03-09"), forecast_finish=D("2026-03-13"),
                     baseline_finish=D("2026-03-13"), total_float_days=10.0),
            activity("C", "milestone", forecast_start=D("2026-03-13"),
                     forecast_finish=D("2026-03-13"), baseline_finish=D("2026-03-13"),
                     duration_days=0.0),
        ]
    )  # fmt: skip
    rels = pd.DataFrame([link("A", "B"), link("B", "C")])
    c = checks(acts, rels)
    # A has no predecessor and C no successor: the project's start and finish.
    assert c["missing_logic"].value == pytest.approx(2 / 3)
    rest = {k: v.passed for k, v in c.items() if k != "missing_logic"}
    assert rest == {
        "leads": True,
        "lags": True,
        "relationship_types": True,
        "hard_constraints": True,
        "high_float": True,
        "negative_float": True,
        "high_duration": True,
        "invalid_dates": True,
        "resources": True,
        "missed_tasks": None,
        "critical_path_test": True,
        "cpli": True,
        "bei": None,
    }
    assert c["bei"].reason == q.NOTHING_DUE and c["bei"].value is None
    # On time: CPL = 2 Mar -> 13 Mar = 9 working days, TF 0: CPLI 1.
    assert c["cpli"].value == 1.0


def test_without_links_float_resources_or_status_date_the_checks_say_na() -> None:
    bare = ACTS.assign(total_float_days=np.nan, resourced=False)
    c = checks(bare, RELS.iloc[0:0], None)
    na = {k: v.reason for k, v in c.items() if v.passed is None}
    assert na == {
        "leads": q.NO_LINKS,
        "lags": q.NO_LINKS,
        "relationship_types": q.NO_LINKS,
        "high_float": q.NO_FLOAT,
        "negative_float": q.NO_FLOAT,
        "invalid_dates": q.NO_STATUS_DATE,
        "resources": q.NO_RESOURCES,
        "missed_tasks": q.NO_STATUS_DATE,
        "critical_path_test": q.NO_STATUS_DATE,
        "cpli": q.NO_STATUS_DATE,
        "bei": q.NO_STATUS_DATE,
    }
    assert all(v.value is None for v in c.values() if v.passed is None)


def test_a_broken_critical_chain_fails_the_critical_path_test() -> None:
    # Drop B -> C: backwards from E the chain is C (not started, 16 Mar) and F (not
    # started, its start is before the status date but it has no actual start: a chain
    # head starting 20 Feb counts as reaching the status date)... so drop F -> E too:
    # only C is left, it starts 16 Mar, two weeks after the status date: fail, C named.
    rels = RELS[~RELS["succ_task_id"].isin(["C"]) & (RELS["pred_task_id"] != "F")]
    c = checks(ACTS, rels)["critical_path_test"]
    assert (c.passed, c.population, c.activities) == (False, 2, ["C"])


def test_p6_planned_dates_are_no_baseline_for_cpli_and_are_noted_on_bei() -> None:
    c = checks(ACTS.assign(baseline_kind="planned"))
    assert c["cpli"].passed is None and c["cpli"].reason == q.PLANNED_NOT_BASELINE
    assert c["bei"].value == 0.5 and c["bei"].note == q.PLANNED_DATES_NOTE
    assert c["missed_tasks"].note == q.PLANNED_DATES_NOTE


def test_every_check_text_has_a_french_translation() -> None:
    texts = [*q.CHECK_NAMES.values(), *q.NA_REASONS]
    assert [x for x in texts if t(x, "fr") == x] == []
    doc = q.Assessment("P", AS_OF, 1, list(checks().values())).to_dict("fr")
    assert doc["checks"][0]["name"] == "Logique manquante"


@st.composite
def networks(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 12))
    rows = []
    for i in range(n):
        rows.append(
            activity(
                str(i),
                draw(st.sampled_from(["task", "milestone", "loe"])),
                done=draw(st.booleans()),
                total_float_days=draw(st.one_of(st.none(), st.floats(-100, 100))),
                duration_days=draw(st.floats(0, 100)),
                hard_constraint=draw(st.booleans()),
                resourced=draw(st.booleans()),
                forecast_start=AS_OF + pd.Timedelta(days=draw(st.integers(-30, 30))),
                forecast_finish=AS_OF + pd.Timedelta(days=draw(st.integers(0, 90))),
                baseline_finish=AS_OF + pd.Timedelta(days=draw(st.integers(-60, 60))),
            )
        )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))
    rels = pd.DataFrame(
        [link(str(a), str(b), draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
              draw(st.floats(-5, 5))) for a, b in pairs if a != b],
        columns=["project_id", "pred_task_id", "succ_task_id", "type", "lag_days"],
    )  # fmt: skip
    return pd.DataFrame(rows), rels


@settings(max_examples=60, deadline=None)
@given(networks())
def test_checks_are_shares_of_their_population_and_pass_by_their_threshold(
    net: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    acts, rels = net
    if (acts["kind"] == "loe").all():
        assert all(c.passed is None for c in q.assess(acts, rels, AS_OF)[0].checks[:1])
        return
    c = checks(acts, rels)
    for check in c.values():
        if check.passed is None:
            assert check.value is None and check.reason
            continue
        if check.comparison in ("<=", "==") and check.population:
            assert check.value == pytest.approx(check.count / check.population)
            assert check.passed == (
                check.value <= check.threshold + 1e-12
                if check.comparison == "<="
                else check.count == 0
            )
            assert len(check.activities) <= check.count <= check.population
    # Missing logic by brute force over the incomplete non-LOE activities (a link to or
    # from a level of effort is no logic).
    work = acts[acts["kind"] != "loe"]
    open_ids = set(work.loc[~work["done"], "task_id"])
    ids = set(work["task_id"])
    real = [
        (a, b)
        for a, b in zip(rels["pred_task_id"], rels["succ_task_id"], strict=True)
        if {a, b} <= ids
    ]
    with_pred, with_succ = {b for _, b in real}, {a for a, _ in real}
    missing = {i for i in open_ids if i not in with_pred or i not in with_succ}
    ml = c["missing_logic"]
    assert (ml.count if ml.passed is not None else 0) == len(missing)


# ------------------------------------------------------------------ real schedules


def xer_table(text: str, name: str) -> pd.DataFrame:
    """One XER table read directly: the %F line after ``%T name`` and its %R rows."""
    lines = text.split("\n")
    start = lines.index(f"%T\t{name}")
    fields = lines[start + 1].rstrip("\r").split("\t")[1:]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("%R"):
            break
        rows.append(line.rstrip("\r").split("\t")[1:][: len(fields)])
    return pd.DataFrame(rows, columns=fields)


@needs_data
def test_hs2_dcma_figures_match_a_direct_read_of_the_xer() -> None:
    text = gzip.decompress(SP10.read_bytes()).decode("utf-8", errors="replace")
    task, pred = xer_table(text, "TASK"), xer_table(text, "TASKPRED")
    work = task[~task["task_type"].isin(["TT_WBS", "TT_LOE"])]
    open_ = work[work["status_code"] != "TK_Complete"]
    ids = set(work["task_id"])
    p = pred[pred["task_id"].isin(ids) & pred["pred_task_id"].isin(ids)]
    no_pred = set(open_["task_id"]) - set(p["task_id"])
    no_succ = set(open_["task_id"]) - set(p["pred_task_id"])
    to_open = p[p["task_id"].isin(set(open_["task_id"]))]
    leads = int((to_open["lag_hr_cnt"].astype(float) < 0).sum())
    hard = {"CS_MANDSTART", "CS_MANDFIN", "CS_MSO", "CS_MEO", "CS_MSOB", "CS_MEOB"}
    n_hard = int((open_["cstr_type"].isin(hard) | open_["cstr_type2"].isin(hard)).sum())
    code = dict(zip(work["task_id"], work["task_code"], strict=True))

    r = pipeline.validate_file(SP10)
    (a,) = q.assess(r.activities, r.relations, pd.Timestamp(r.as_of))
    c = {x.key: x for x in a.checks}
    assert a.activities == len(work) == 3991  # 3,994 activities less 3 levels of effort
    ml = c["missing_logic"]
    assert ml.population == len(open_)
    assert ml.count == len(no_pred | no_succ)
    # Every activity without a predecessor is named among those that break the rule.
    assert {code[i] for i in no_pred} <= set(ml.activities)
    assert c["leads"].population == len(to_open) and c["leads"].count == leads
    assert c["hard_constraints"].count == n_hard
    assert c["relationship_types"].value == pytest.approx((to_open["pred_type"] == "PR_FS").mean())
    # HS2 has no baseline project in the file: CPLI is n/a, not a made-up 1.0.
    assert c["cpli"].passed is None and c["cpli"].reason == q.PLANNED_NOT_BASELINE


@needs_data
def test_validate_json_gives_schedule_quality_for_a_schedule(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", str(SP10), "--json"]) == 0
    doc = json.loads(capfd.readouterr().out)
    (project,) = doc["schedule_quality"]["projects"]
    assert project["project_id"] == "HS2-LWM-IMP-040-20" and project["as_of"] == "2017-09-16"
    assert [c["check"] for c in project["checks"]] == list(q.CHECK_NAMES)
    assert project["passed"] + project["failed"] + project["not_applicable"] == 14
    logic = project["checks"][0]
    assert logic["threshold"] == 0.05 and logic["passed"] is False and logic["activities"]
    demo = ROOT / "data" / "demo_portfolio.xlsx"
    assert cli.main(["validate", str(demo), "--json"]) == 0
    assert json.loads(capfd.readouterr().out)["schedule_quality"] is None


P6_NS = "http://xmlns.oracle.com/Primavera/P6Professional/V20.12/API/BusinessObjects"
# A P6-XML project: A10 -> M10 finish-to-start with a 8 h lag (1 day of 8 h), A10 with a
# Mandatory Start constraint and 16 h of total float (2 days).
P6_LINKED = (
    f'<APIBusinessObjects xmlns="{P6_NS}"><Calendar><ObjectId>1</ObjectId>'
    "<HoursPerDay>8</HoursPerDay></Calendar><Project><ObjectId>1</ObjectId><Id>P</Id>"
    "<DataDate>2026-03-02T00:00:00</DataDate>"
    "<Activity><ObjectId>10</ObjectId><Id>A10</Id><Type>Task Dependent</Type>"
    "<Status>Not Started</Status><CalendarObjectId>1</CalendarObjectId>"
    "<PlannedDuration>40</PlannedDuration><TotalFloat>16</TotalFloat>"
    "<PrimaryConstraintType>Mandatory Start</PrimaryConstraintType></Activity>"
    "<Activity><ObjectId>11</ObjectId><Id>M10</Id><Type>Finish Milestone</Type>"
    "<Status>Not Started</Status><CalendarObjectId>1</CalendarObjectId></Activity>"
    "<Relationship><ObjectId>5</ObjectId><PredecessorActivityObjectId>10"
    "</PredecessorActivityObjectId><SuccessorActivityObjectId>11"
    "</SuccessorActivityObjectId><Type>Finish to Start</Type><Lag>8</Lag></Relationship>"
    "</Project></APIBusinessObjects>"
).encode()


def test_p6xml_relationships_and_constraints_are_read() -> None:
    doc = P6_LINKED
    r = schedules.read_schedule(doc, "p.xml")
    a = r.activities.set_index("activity_id")
    assert a.loc["A10", ["duration_days", "total_float_days", "hard_constraint"]].tolist() == [
        5.0,
        2.0,
        True,
    ]
    assert a.loc["M10", "kind"] == "milestone"
    assert r.relations[["pred_task_id", "succ_task_id", "type", "lag_days"]].values.tolist() == [
        ["10", "11", "FS", 1.0]
    ]


def test_mspdi_links_slack_and_constraints_are_read() -> None:
    # MinutesPerDay 480 (8 h). Task 2 follows task 1 start-to-start (Type 3) with a lag of
    # 4,800 tenths of minutes = 8 h = 1 day; task 1 has TotalSlack 9,600 = 16 h = 2 days
    # and a Must Finish On constraint (3); task 2 is a milestone.
    doc = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><MinutesPerDay>480</MinutesPerDay>'
        b"<StatusDate>2026-03-02T08:00:00</StatusDate><Tasks>"
        b"<Task><UID>0</UID><ID>0</ID><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>"
        b"<Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel>"
        b"<Summary>0</Summary><Duration>PT40H0M0S</Duration><TotalSlack>9600</TotalSlack>"
        b"<ConstraintType>3</ConstraintType></Task>"
        b"<Task><UID>2</UID><ID>2</ID><Name>Done</Name><OutlineLevel>1</OutlineLevel>"
        b"<Summary>0</Summary><Milestone>1</Milestone><PredecessorLink><PredecessorUID>1"
        b"</PredecessorUID><Type>3</Type><LinkLag>4800</LinkLag></PredecessorLink></Task>"
        b"</Tasks></Project>"
    )
    r = schedules.read_schedule(doc, "plan.xml")
    a = r.activities.set_index("task_id")
    assert a.loc["1", ["duration_days", "total_float_days", "hard_constraint"]].tolist() == [
        5.0,
        2.0,
        True,
    ]
    assert a.loc["2", "kind"] == "milestone" and len(a) == 2  # the summary is left out
    assert r.relations[["pred_task_id", "succ_task_id", "type", "lag_days"]].values.tolist() == [
        ["1", "2", "SS", 1.0]
    ]


def test_checks_frame_in_french() -> None:
    from ui.schedule_quality_panel import checks_frame

    (a,) = q.assess(ACTS, RELS, AS_OF)
    f = checks_frame(a).set_index("Contrôle")
    assert list(f.columns) == [
        "Valeur",
        "Seuil (DCMA)",
        "Résultat",
        "Activités en défaut",
        "Pourquoi",
    ]
    # French formats: 60,0 %, thresholds with their sign, indices with a comma.
    assert f.loc["1. Logique manquante"].tolist()[:4] == [
        "60,0\u00a0%",
        "≤ 5\u00a0%",
        "Échoué",
        "D, E, F",
    ]
    assert f.loc["4. Types de liens (fin-début)", "Seuil (DCMA)"] == "≥ 90\u00a0%"
    assert f.loc["13. Indice de longueur du chemin critique (CPLI)", "Valeur"] == "0,84"
    assert f.loc["12. Test du chemin critique", "Résultat"] == "Réussi"


def test_import_page_shows_the_dcma_checks_of_a_schedule(app_db: Path) -> None:
    from tests.conftest import run_page

    at = run_page("import_data.py", "fr")
    at.file_uploader(key="import_file").set_value(("p.xml", P6_LINKED, "text/xml")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Qualité du planning (14 points DCMA)" in [h.value for h in at.subheader]
    table = next(df.value for df in at.dataframe if "Contrôle" in df.value)
    assert len(table) == 14
    hard = table.set_index("Contrôle").loc["5. Contraintes impératives"]
    # A10 (Mandatory Start) of the 2 incomplete activities: 50,0 %, over 5 %.
    assert (hard["Valeur"], hard["Résultat"], hard["Activités en défaut"]) == (
        "50,0\u00a0%",
        "Échoué",
        "A10",
    )


def test_validate_text_mode_summarises_the_dcma_checks(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.xml"
    path.write_bytes(P6_LINKED)
    assert cli.main(["validate", str(path)]) == 0
    out = capfd.readouterr().out
    r = schedules.read_schedule(P6_LINKED, "p.xml")
    (a,) = q.assess(r.activities, r.relations, AS_OF)  # the file's data date is 2 Mar
    line = f"DCMA P: {a.passed} passed, {a.failed} failed, {14 - a.passed - a.failed} n/a"
    assert line in out


def test_a_p6_baseline_copy_gives_the_baseline_dates_and_cpli() -> None:
    # The P6-XML of tests/test_schedules.py: A10 planned 1 Jan - 1 Mar in the current
    # project, 1 Jan - 1 Feb in its <BaselineProject>: the copy's dates are the baseline
    # (matched by activity code), so CPLI is computed rather than n/a.
    from tests.test_schedules import p6xml_with_baseline

    r = schedules.read_schedule(p6xml_with_baseline(), "bridge.xml")
    a = r.activities.set_index("activity_id")
    assert a.loc["A10", "baseline_finish"] == pd.Timestamp("2026-02-01")
    assert a["baseline_kind"].tolist() == ["baseline", "baseline"]
    no_copy = schedules.read_schedule(p6xml_with_baseline(with_copy=False), "bridge.xml")
    b = no_copy.activities.set_index("activity_id")
    assert b.loc["A10", "baseline_finish"] == pd.Timestamp("2026-03-01")
    assert b["baseline_kind"].tolist() == ["planned", "planned"]
    (without,) = q.assess(no_copy.activities, no_copy.relations, pd.Timestamp(no_copy.as_of))
    assert {c.key: c for c in without.checks}["cpli"].reason == q.PLANNED_NOT_BASELINE
    # With the current A10 forecast to finish Fri 13 Mar (remaining early dates) and the
    # data date Sun 1 Feb: CPL = Mon 2 Feb .. Fri 13 Mar = 6 weeks less a day = 29
    # working days; the baseline finish (the copy's, 1 Feb) is 29 working days before the
    # forecast: TF = -29, CPLI = (29 - 29) / 29 = 0.
    doc = p6xml_with_baseline().replace(
        b"<Status>In Progress</Status>",
        b"<Status>In Progress</Status><RemainingEarlyStartDate>2026-02-02T08:00:00"
        b"</RemainingEarlyStartDate><RemainingEarlyFinishDate>2026-03-13T17:00:00"
        b"</RemainingEarlyFinishDate>",
        1,
    )
    late = schedules.read_schedule(doc, "bridge.xml")
    (with_copy,) = q.assess(late.activities, late.relations, pd.Timestamp(late.as_of))
    cpli = {c.key: c for c in with_copy.checks}["cpli"]
    assert (cpli.value, cpli.passed, cpli.activities) == (0.0, False, ["A10"])
