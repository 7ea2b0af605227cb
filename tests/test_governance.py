"""Governance: compliance rules and early warnings on small hand-made portfolios."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_core import schema
from pmo_core.kpi import governance

AS_OF = date(2026, 10, 31)


def frames() -> dict[str, pd.DataFrame]:
    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ["A", "B", "C", "D"],
                "name": ["Alpha", "Bravo", "Charlie", "Delta"],
                "manager": ["Marie", None, "Marie", "Paul"],
                "sponsor": ["DG", "DG", "  ", "DAF"],
                "department": ["DSI", "DSI", "RH", "Finance"],
                "program": ["P1", "P1", "P2", "P2"],
                "status": ["in_progress", "in_progress", "on_hold", "proposed"],
                "start_date": ["2026-01-01", "2026-01-01", None, "2027-01-01"],
                "end_date": ["2026-12-31", "2027-06-30", "2027-01-01", "2027-12-31"],
                "budget": [1_000_000.0, 200_000.0, 600_000.0, 50_000.0],
            }
        ),
    )
    reports = schema.conform(
        "status_reports",
        pd.DataFrame(
            {
                "project_id": ["A", "A", "A", "B"],
                "report_date": ["2026-08-31", "2026-09-30", "2026-10-31", "2026-07-31"],
                "planned_value": [100.0, 200.0, 300.0, 50.0],
                "earned_value": [100.0, 180.0, 240.0, 50.0],
                "actual_cost": [100.0, 200.0, 300.0, 50.0],
            }
        ),
    )
    milestones = schema.conform(
        "milestones",
        pd.DataFrame(
            {
                "project_id": ["A", "B"],
                "milestone_id": ["M1", "M1"],
                "baseline_date": ["2026-06-30", "2026-09-30"],
            }
        ),
    )
    risks = schema.conform(
        "risks",
        pd.DataFrame(
            {
                "risk_id": ["R1"],
                "project_id": ["A"],
                "title": ["x"],
                "probability": [0.5],
                "impact": [1000.0],
            }
        ),
    )
    objectives = schema.conform(
        "objectives", pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["Croissance", "Coûts"]})
    )
    alignment = schema.conform(
        "alignment",
        pd.DataFrame(
            {"project_id": ["A", "A", "B"], "objective_id": ["O1", "O2", "O1"], "rating": [9, 3, 6]}
        ),
    )
    return {
        "projects": projects,
        "status_reports": reports,
        "milestones": milestones,
        "risks": risks,
        "objectives": objectives,
        "alignment": alignment,
    }


def checks() -> pd.DataFrame:
    f = frames()
    return governance.compliance(
        f["projects"],
        f["status_reports"],
        f["milestones"],
        f["risks"],
        f["alignment"],
        f["objectives"],
        AS_OF,
    )


def test_proposed_projects_are_not_governed() -> None:
    assert set(checks()["project_id"]) == {"A", "B", "C"}


@pytest.mark.parametrize(
    ("project", "rule", "ok"),
    [
        ("A", "status_report", True),  # report on 31/10, 0 days old
        ("B", "status_report", False),  # last report 31/07: 92 days > 45
        ("C", "status_report", True),  # on hold: a paused project owes no report
        ("B", "manager", False),
        ("C", "sponsor", False),  # blank text is not a sponsor
        ("C", "baseline_dates", False),
        ("A", "milestones", True),
        ("C", "milestones", False),
        ("A", "risk_register", True),  # 1 M€ > 500 k€ and one risk
        ("C", "risk_register", False),  # 600 k€ > 500 k€, no risk
        ("B", "risk_register", True),  # 200 k€: the rule does not apply
        ("A", "ratings", True),
        ("B", "ratings", False),  # 1 of 2 objectives
    ],
)
def test_compliance_rules(project: str, rule: str, ok: bool) -> None:
    c = checks()
    row = c[(c["project_id"] == project) & (c["rule"] == rule)]
    assert len(row) == 1
    assert bool(row["ok"].iloc[0]) is ok


def test_scores_by_project_manager_and_direction() -> None:
    by_project = governance.compliance_by_project(checks(), frames()["projects"])
    scores = dict(zip(by_project["project_id"], by_project["score"], strict=True))
    # A: 8 rules apply, all met -> 100.
    # B: 7 apply (200 k€: no risk register needed); misses status report, manager and
    #    ratings -> 4/7.
    # C (on hold, owes no report): sponsor, manager, baseline_dates, budget, milestones,
    #    risk_register, ratings apply = 7; met: manager, budget -> 2/7.
    assert scores["A"] == pytest.approx(100.0)
    assert scores["B"] == pytest.approx(100 * 4 / 7)
    assert scores["C"] == pytest.approx(100 * 2 / 7)
    missing_b = by_project.set_index("project_id").loc["B", "missing"]
    assert sorted(missing_b) == ["manager", "ratings", "status_report"]
    by_manager = governance.compliance_by(by_project, "manager").set_index("manager")
    # Marie: A (8/8) and C (2/7) pooled -> 10/15, not the mean of 100 and 28.6.
    assert by_manager.loc["Marie", "score"] == pytest.approx(100 * 10 / 15)
    assert by_manager.loc["—", "projects"] == 1  # B has no manager


def test_rules_can_be_disabled_or_changed_by_settings() -> None:
    rules = governance.rules_from_settings(
        {"governance_ratings": "0", "governance_status_report": "120"}
    )
    f = frames()
    c = governance.compliance(
        f["projects"],
        f["status_reports"],
        f["milestones"],
        f["risks"],
        f["alignment"],
        f["objectives"],
        AS_OF,
        rules,
    )
    assert "ratings" not in set(c["rule"])
    b = c[(c["project_id"] == "B") & (c["rule"] == "status_report")]
    assert bool(b["ok"].iloc[0])  # 92 days <= 120


def test_early_warning_for_cpi_falling_across_three_reports() -> None:
    f = frames()
    w = governance.early_warnings(f["projects"], f["status_reports"], AS_OF)
    # A's CPI: 100/100 = 1.0, 180/200 = 0.9, 240/300 = 0.8: fell twice in a row.
    a = w[(w["project_id"] == "A") & (w["warning"] == "cpi_falling")]
    assert len(a) == 1
    assert a["params"].iloc[0]["first"] == 1.0 and a["params"].iloc[0]["last"] == 0.8
    # SPI: 1.0, 0.9, 0.8 too.
    assert ((w["project_id"] == "A") & (w["warning"] == "spi_falling")).any()
    # B has one report only: no trend, but its report is 92 days old.
    assert set(w[w["project_id"] == "B"]["warning"]) == {"report_overdue"}
    # C (on hold) has no report at all.
    assert set(w[w["project_id"] == "C"]["warning"]) == {"report_overdue"}
    assert "D" not in set(w["project_id"])  # proposed: nothing to warn about


def test_early_warning_for_milestones_slipping_twice_and_exposure_rising() -> None:
    f = frames()

    def ms(forecast: str) -> pd.DataFrame:
        return schema.conform(
            "milestones",
            pd.DataFrame(
                {
                    "project_id": ["A"],
                    "milestone_id": ["M1"],
                    "baseline_date": ["2026-06-30"],
                    "forecast_date": [forecast],
                }
            ),
        )

    w = governance.early_warnings(
        f["projects"],
        f["status_reports"],
        AS_OF,
        milestone_history=[
            (date(2026, 8, 31), ms("2026-10-31")),
            (date(2026, 9, 30), ms("2026-11-30")),
            (AS_OF, ms("2026-12-31")),
        ],
        exposure=pd.Series({"A": 130.0, "B": 110.0}),
        previous_exposure=pd.Series({"A": 100.0, "B": 100.0}),
    )
    assert ((w["project_id"] == "A") & (w["warning"] == "milestones_slipping")).any()
    rising = w[w["warning"] == "exposure_rising"]
    assert rising["project_id"].tolist() == ["A"]  # +30 % > 25 %; B's +10 % is not
    assert rising["params"].iloc[0]["pct"] == 30


def test_warning_rules_from_settings() -> None:
    r = governance.warning_rules_from_settings(
        {"warning_overdue_days": "30", "warning_exposure_rise": "50 %", "warning_x": "1"}
    )
    assert r.overdue_days == 30 and isinstance(r.overdue_days, int)
    assert r.exposure_rise == 0.5
    assert r.falling_reports == 3  # default kept
    assert (
        governance.warning_rules_from_settings({"warning_exposure_rise": "0,1"}).exposure_rise
        == 0.1
    )


def test_snapshot_warnings_use_the_history() -> None:
    def snap(forecast: str, impact: float) -> dict[str, pd.DataFrame]:
        f = frames()
        f["milestones"] = f["milestones"].assign(forecast_date=pd.Timestamp(forecast))
        f["risks"] = f["risks"].assign(impact=impact)
        return f

    aug, sep, now = (
        snap("2026-07-31", 1000.0),
        snap("2026-08-31", 1000.0),
        snap("2026-09-30", 1500.0),
    )
    one = governance.snapshot_warnings([(AS_OF, now)])
    assert not {"exposure_rising", "milestones_slipping"} & set(one["warning"])  # no history
    w = governance.snapshot_warnings(
        [(date(2026, 8, 31), aug), (date(2026, 9, 30), sep), (AS_OF, now)]
    )
    a = set(w[w["project_id"] == "A"]["warning"])
    # M1 forecast 31 Jul -> 31 Aug -> 30 Sep: slipped twice in a row; A's exposure went
    # from 0.5 x 1000 = 500 to 0.5 x 1500 = 750: +50 % > 25 %.
    assert {"milestones_slipping", "exposure_rising"} <= a
    # With a 60 % threshold from the settings, +50 % is no longer a warning.
    calm = governance.snapshot_warnings(
        [(date(2026, 9, 30), sep), (AS_OF, now)], {"warning_exposure_rise": "60 %"}
    )
    assert "exposure_rising" not in set(calm["warning"])


def test_compliance_without_any_status_report() -> None:
    f = frames()
    c = governance.compliance(
        f["projects"],
        f["status_reports"].iloc[0:0],  # schedules imported alone carry no report
        f["milestones"],
        f["risks"],
        f["alignment"],
        f["objectives"],
        AS_OF,
    )
    a = c[(c["project_id"] == "A") & (c["rule"] == "status_report")]
    assert not bool(a["ok"].iloc[0])


def test_compliance_summary_pools_rules_over_projects() -> None:
    by_project = pd.DataFrame(
        {"applicable": [8, 4, 0], "met": [8, 1, 0], "score": [100.0, 25.0, float("nan")]}
    )
    s = governance.compliance_summary(by_project)
    # (8 + 1 + 0) met / (8 + 4 + 0) applicable = 9 / 12 = 0.75, not the mean of the scores
    assert s.compliance == pytest.approx(0.75)
    assert (s.compliant, s.with_gaps) == (1, 1)  # a project without applicable rule: neither
    empty = governance.compliance_summary(by_project.iloc[0:0])
    assert (empty.compliance, empty.compliant, empty.with_gaps) == (0.0, 0, 0)


def test_warnings_before_red_leave_out_red_and_filtered_projects() -> None:
    warnings = pd.DataFrame({"project_id": ["A", "A", "B", "C", "D"], "warning": list("vwxyz")})
    rag = pd.Series({"A": "A", "B": "R", "C": "G"})  # D has no RAG: not red, kept
    out = governance.warnings_before_red(warnings, rag, ["A", "B", "D"])
    # A's two warnings and D's; B is red already; C is filtered out
    assert out["warning"].tolist() == ["v", "w", "z"]


def _index_reports(cpis: list[float]) -> pd.DataFrame:
    """Reports of project A with these CPIs (EV = 100 x CPI, AC = 100), a month apart."""
    n = len(cpis)
    return schema.conform(
        "status_reports",
        pd.DataFrame(
            {
                "project_id": ["A"] * n,
                "report_date": pd.date_range(end="2026-10-31", periods=n, freq="ME"),
                "planned_value": [100.0] * n,
                "earned_value": [100.0 * c for c in cpis],
                "actual_cost": [100.0] * n,
            }
        ),
    )


@pytest.mark.parametrize(
    ("cpis", "warned"),
    [
        # 0.994 -> 0.990 -> 0.987: fell twice but by 0.007 in all (< 0.05): the old
        # "CPI en baisse 0.99 -> 0.99" that any drift raised; no warning now.
        ([0.994, 0.990, 0.987], False),
        ([1.00, 0.97, 0.95], True),  # 1.00 - 0.95 = 0.05: exactly the default drop
        ([1.00, 0.98, 0.96], False),  # 0.04 < 0.05
        ([1.00, 0.90, 0.92], False),  # down 0.08 but rose at the last report: not falling
        ([1.20, 1.00, 0.90, 0.80], True),  # the last three: 1.00, 0.90, 0.80
    ],
)
def test_index_warning_needs_a_fall_of_at_least_the_drop(cpis: list[float], warned: bool) -> None:
    f = frames()
    w = governance.early_warnings(f["projects"], _index_reports(cpis), AS_OF)
    assert ((w["project_id"] == "A") & (w["warning"] == "cpi_falling")).any() == warned


def test_index_drop_is_a_setting() -> None:
    f = frames()
    rules = governance.warning_rules_from_settings({"warning_index_drop": "0,01"})
    assert rules.index_drop == pytest.approx(0.01)
    assert governance.WarningRules().index_drop == 0.05  # the documented default
    # 1.00 -> 0.98 -> 0.96: 0.04 in all, >= 0.01: a warning with this setting only.
    reports = _index_reports([1.00, 0.98, 0.96])
    w = governance.early_warnings(f["projects"], reports, AS_OF, rules=rules)
    a = w[(w["project_id"] == "A") & (w["warning"] == "cpi_falling")]
    assert a["params"].iloc[0]["first"] == 1.0 and a["params"].iloc[0]["last"] == 0.96


def test_slipping_milestones_warning_is_the_milestone_trend_rule() -> None:
    """The warning and the Roadmap's trend agree: both are ``slipping_in_a_row``."""
    from pmo_core.kpi import milestones

    f = frames()

    def ms(forecasts: list[str | None], actual: str | None = None) -> pd.DataFrame:
        return schema.conform(
            "milestones",
            pd.DataFrame(
                {
                    "project_id": ["A", "A"],
                    "milestone_id": ["M1", "M2"],
                    "name": ["Go", "Live"],
                    "baseline_date": ["2026-06-30", "2026-12-31"],
                    "forecast_date": forecasts,
                    "actual_date": [None, actual],
                }
            ),
        )

    # M1: 31 Jul -> 31 Aug -> 30 Sep, two slips in a row. M2: blank forecast (the baseline,
    # 31 Dec) then 31 Jan then 28 Feb: the trend reads a blank forecast as the baseline,
    # so it slipped twice too; the old copy of the rule compared blanks and missed it.
    history = [
        (date(2026, 8, 31), ms(["2026-07-31", None])),
        (date(2026, 9, 30), ms(["2026-08-31", "2027-01-31"])),
        (AS_OF, ms(["2026-09-30", "2027-02-28"])),
    ]
    w = governance.early_warnings(
        f["projects"], f["status_reports"], AS_OF, milestone_history=history
    )
    slip = w[w["warning"] == "milestones_slipping"]
    expected = milestones.slipping_in_a_row(milestones.trend(history))
    assert len(expected) == 2
    assert slip["params"].tolist() == [{"n": 2}]
    # Reached now (actual on 15 Oct): M2 is no longer slipping.
    history[-1] = (AS_OF, ms(["2026-09-30", "2027-02-28"], actual="2026-10-15"))
    w = governance.early_warnings(
        f["projects"], f["status_reports"], AS_OF, milestone_history=history
    )
    assert w[w["warning"] == "milestones_slipping"]["params"].tolist() == [{"n": 1}]
