"""Methodology compliance and early warnings (the PMO's governance job).

Compliance rules are settings (:data:`DEFAULT_RULES`, overridable from a snapshot's
Settings sheet with the same keys): each rule says what the company's project method
requires, and each project in scope either meets it or misses it. The score of a project
is the share of applicable rules it meets; managers and directions are scored on the
rules of their projects (pooled, not averaged over projects, so a large portfolio weighs
what it holds).

Early warnings flag projects before they turn red: an index (CPI, SPI from the status
reports) that fell across the last three reports by 0.05 or more, a status report
overdue, milestone forecasts that slipped in two snapshots in a row, exposure risen past
a threshold (:class:`WarningRules`, settings ``warning_<name>``).

Columns:
    compliance(...) -> project_id, rule, applies (bool), ok (bool), detail
    compliance_by_project(...) -> project_id, name, manager, department, applicable,
        met, score (0-100), missing (list of rule ids)
    compliance_by(group) -> group, projects, applicable, met, score
    compliance_summary(by_project) -> ComplianceSummary(compliance, compliant, with_gaps)
    early_warnings(...) -> project_id, warning, detail (English template), params
    warnings_before_red(...) -> the early_warnings rows of projects not red yet

Examples:
    >>> sorted(DEFAULT_RULES)[:3]
    ['baseline_dates', 'budget', 'manager']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.kpi.milestones import slipping_in_a_row, trend
from pmo_core.kpi.risk import exposure_by_project
from pmo_core.schema import EXECUTION_STATUSES

#: Rule id -> (label template, default parameter). Labels are English keys for i18n.t().
RULE_LABELS: dict[str, str] = {
    "status_report": "Status report in the last {days} days",
    "sponsor": "Sponsor named",
    "manager": "Project manager named",
    "baseline_dates": "Baseline start and end dates",
    "budget": "Budget (BAC) given",
    "milestones": "Milestones defined",
    "risk_register": "Risk register (budget above {threshold})",
    "ratings": "Rated against every strategic objective",
}

DEFAULT_RULES: dict[str, float] = {
    "status_report": 45,  # days
    "sponsor": 1,
    "manager": 1,
    "baseline_dates": 1,
    "budget": 1,
    "milestones": 1,
    "risk_register": 500_000,  # budget threshold above which a risk register is required
    "ratings": 1,
}

#: Statuses the method applies to: running projects (approved ones are being launched).
GOVERNED_STATUSES: tuple[str, ...] = ("approved", *EXECUTION_STATUSES)


def rules_from_settings(settings: dict[str, str] | None) -> dict[str, float]:
    """Default rules overridden by settings ``governance_<rule>`` (0 disables a rule).

    Examples:
        >>> rules_from_settings({"governance_status_report": "30"})["status_report"]
        30.0
    """
    rules = dict(DEFAULT_RULES)
    for key, value in (settings or {}).items():
        rule = key.removeprefix("governance_")
        if key.startswith("governance_") and rule in rules:
            try:
                rules[rule] = float(str(value).replace(",", "."))
            except ValueError:
                continue
    return rules


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("string").str.strip() == "")


def compliance(
    projects: pd.DataFrame,
    status_reports: pd.DataFrame,
    milestones: pd.DataFrame,
    risks: pd.DataFrame,
    alignment: pd.DataFrame,
    objectives: pd.DataFrame,
    as_of: date,
    rules: dict[str, float] | None = None,
) -> pd.DataFrame:
    """One row per (governed project, enabled rule): applies, ok and a detail text."""
    rules = DEFAULT_RULES if rules is None else rules
    p = projects[projects["status"].isin(GOVERNED_STATUSES)].reset_index(drop=True)
    ids = p["project_id"]
    as_of_ts = pd.Timestamp(as_of)
    checks: dict[str, tuple[pd.Series, pd.Series, pd.Series]] = {}
    always = pd.Series(True, index=p.index)

    if rules.get("status_report"):
        last = (
            status_reports[status_reports["report_date"] <= as_of_ts]
            .groupby("project_id")["report_date"]
            .max()
        )
        # reindex, not map: with no report at all, map cannot cast the empty dates.
        last_p = pd.Series(last.reindex(ids.to_numpy()).to_numpy(), index=p.index)
        age = (as_of_ts - last_p).dt.days
        running = p["status"] == "in_progress"  # on hold or completed: no report owed
        ok = age.le(rules["status_report"]).fillna(False).astype(bool)
        detail = age.map(lambda d: "none" if pd.isna(d) else f"{int(d)} days")
        checks["status_report"] = (running, ok, detail)
    if rules.get("sponsor"):
        checks["sponsor"] = (always, ~_blank(p["sponsor"]), p["sponsor"].astype("string"))
    if rules.get("manager"):
        checks["manager"] = (always, ~_blank(p["manager"]), p["manager"].astype("string"))
    if rules.get("baseline_dates"):
        ok = p["start_date"].notna() & p["end_date"].notna()
        checks["baseline_dates"] = (always, ok, pd.Series("", index=p.index))
    if rules.get("budget"):
        ok = p["budget"].notna() & (p["budget"] > 0)
        checks["budget"] = (always, ok, p["budget"].astype("string"))
    if rules.get("milestones"):
        n = ids.map(milestones.groupby("project_id").size()).fillna(0)
        checks["milestones"] = (always, n > 0, n.astype(int).astype(str))
    if rules.get("risk_register"):
        n = ids.map(risks.groupby("project_id").size()).fillna(0)
        applies = p["budget"].fillna(0) > rules["risk_register"]
        checks["risk_register"] = (applies, n > 0, n.astype(int).astype(str))
    if rules.get("ratings") and len(objectives):
        rated = (
            alignment[alignment["rating"].notna()].groupby("project_id")["objective_id"].nunique()
        )
        n = ids.map(rated).fillna(0)
        ok = n >= objectives["objective_id"].nunique()
        checks["ratings"] = (always, ok, n.astype(int).astype(str) + f"/{len(objectives)}")

    frames = [
        pd.DataFrame(
            {
                "project_id": ids,
                "rule": rule,
                "applies": applies.astype(bool),
                "ok": (ok.astype(bool) | ~applies.astype(bool)),
                "detail": detail.astype("string"),
            }
        )
        for rule, (applies, ok, detail) in checks.items()
    ]
    if not frames:
        return pd.DataFrame(columns=["project_id", "rule", "applies", "ok", "detail"])
    return pd.concat(frames, ignore_index=True)


def compliance_by_project(checks: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Score per project: applicable rules, rules met, score 0-100, missing rule ids."""
    applicable = checks[checks["applies"]]
    g = applicable.groupby("project_id")
    out = pd.DataFrame({"applicable": g.size(), "met": g["ok"].sum()})
    missing = applicable[~applicable["ok"]].groupby("project_id")["rule"].agg(list)
    out["missing"] = [m if isinstance(m, list) else [] for m in missing.reindex(out.index)]
    out["score"] = 100.0 * out["met"] / out["applicable"].replace(0, np.nan)
    cols = ["project_id", "name", "manager", "department", "program", "status"]
    out = projects[cols].merge(out, left_on="project_id", right_index=True, how="inner")
    return out.sort_values(["score", "project_id"]).reset_index(drop=True)


def compliance_by(by_project: pd.DataFrame, group: str) -> pd.DataFrame:
    """Pooled score per manager or direction (``group`` = "manager" or "department")."""
    g = by_project.assign(**{group: by_project[group].fillna("—")}).groupby(group)
    out = g.agg(
        projects=("project_id", "size"), applicable=("applicable", "sum"), met=("met", "sum")
    )
    out["score"] = 100.0 * out["met"] / out["applicable"].replace(0, np.nan)
    return out.reset_index().sort_values(["score", group]).reset_index(drop=True)


@dataclass(frozen=True)
class ComplianceSummary:
    """The headline of a compliance table: pooled compliance (rules met / applicable, a
    ratio), projects meeting every rule, projects missing at least one."""

    compliance: float
    compliant: int
    with_gaps: int


def compliance_summary(by_project: pd.DataFrame) -> ComplianceSummary:
    """Pooled compliance and project counts of :func:`compliance_by_project`'s table (an
    empty table: compliance 0).

    Examples:
        >>> compliance_summary(pd.DataFrame({"applicable": [4, 2], "met": [4, 1],
        ...                                  "score": [100.0, 50.0]}))
        ComplianceSummary(compliance=0.8333333333333334, compliant=1, with_gaps=1)
    """
    return ComplianceSummary(
        compliance=float(by_project["met"].sum() / max(by_project["applicable"].sum(), 1)),
        compliant=int((by_project["score"] >= 100).sum()),
        with_gaps=int((by_project["score"] < 100).sum()),
    )


@dataclass(frozen=True)
class WarningRules:
    """Thresholds of the early warnings (settings ``warning_<name>``)."""

    falling_reports: int = 3  # an index fell across this many consecutive reports
    overdue_days: int = 45  # no status report for longer than this
    exposure_rise: float = 0.25  # exposure rose by more than this share since last snapshot
    index_drop: float = 0.05  # ... and the index fell by at least this much over those reports


def _falling(reports: pd.DataFrame, column: str, n: int, drop: float = 0.0) -> pd.DataFrame:
    """Projects whose ``column`` strictly fell across their last ``n`` reports, by
    ``drop`` or more from the first of them to the last."""
    r = reports.dropna(subset=[column]).sort_values(["project_id", "report_date"])
    tail = r.groupby("project_id").tail(n)
    g = tail.groupby("project_id")[column]
    stats = pd.DataFrame(
        {
            "count": g.size(),
            "first": g.first(),
            "last": g.last(),
            "monotone": g.apply(lambda s: bool(np.all(np.diff(s.to_numpy()) < 0))),
        }
    )
    fell = (stats["first"] - stats["last"]) >= drop - 1e-9  # 0.95 - 0.90 is 0.0499...
    hit = stats[(stats["count"] >= n) & stats["monotone"] & fell]
    return hit.reset_index()


def early_warnings(
    projects: pd.DataFrame,
    status_reports: pd.DataFrame,
    as_of: date,
    *,
    milestone_history: Sequence[tuple[Any, pd.DataFrame]] | None = None,
    exposure: pd.Series | None = None,
    previous_exposure: pd.Series | None = None,
    rules: WarningRules | None = None,
) -> pd.DataFrame:
    """Warnings for running projects that are not red yet, with the reason.

    ``exposure`` and ``previous_exposure`` are risk exposure per project_id in this and the
    previous snapshot; ``milestone_history`` is ``(as_of, milestones)`` per snapshot,
    oldest first, this one last (its last three are compared, through
    :func:`pmo_core.kpi.milestones.slipping_in_a_row`).

    An index warns when it fell at every one of the last ``falling_reports`` reports and
    by ``index_drop`` or more in all (1.00, 0.97, 0.94: down 0.06, a warning; 0.994,
    0.990, 0.987: a drift under 0.01, none).
    """
    rules = rules or WarningRules()
    running = projects[projects["status"].isin(("in_progress", "on_hold"))]
    ids = set(running["project_id"])
    rows: list[dict[str, Any]] = []
    sr = status_reports[status_reports["project_id"].isin(ids)].copy()
    sr = sr[sr["report_date"] <= pd.Timestamp(as_of)]
    sr["cpi"] = sr["earned_value"] / sr["actual_cost"].where(sr["actual_cost"] > 0)
    sr["spi"] = sr["earned_value"] / sr["planned_value"].where(sr["planned_value"] > 0)
    for index, label in (("cpi", "CPI"), ("spi", "SPI")):
        for r in _falling(sr, index, rules.falling_reports, rules.index_drop).itertuples():
            rows.append(
                {
                    "project_id": r.project_id,
                    "warning": f"{index}_falling",
                    "detail": "{index} fell across the last {n} reports: {first} -> {last}",
                    "params": {
                        "index": label,
                        "n": rules.falling_reports,
                        "first": round(r.first, 2),
                        "last": round(r.last, 2),
                    },
                }
            )
    last = sr.groupby("project_id")["report_date"].max()
    for pid in sorted(ids):
        when = last.get(pid)
        age = None if when is None or pd.isna(when) else (pd.Timestamp(as_of) - when).days
        if age is None or age > rules.overdue_days:
            rows.append(
                {
                    "project_id": pid,
                    "warning": "report_overdue",
                    "detail": "No status report for {days} days"
                    if age is not None
                    else "No status report yet",
                    "params": {"days": age} if age is not None else {},
                }
            )
    if milestone_history is not None and len(milestone_history) >= 3:
        # One rule, in one place: the milestone trend's "slipped in a row".
        slipping = slipping_in_a_row(trend(milestone_history[-3:]), times=2)
        slipping = slipping[slipping["project_id"].isin(ids)]
        for pid, grp in slipping.groupby("project_id"):
            rows.append(
                {
                    "project_id": pid,
                    "warning": "milestones_slipping",
                    "detail": "{n} milestone(s) slipped in two snapshots in a row",
                    "params": {"n": len(grp)},
                }
            )
    if exposure is not None and previous_exposure is not None:
        both = pd.DataFrame({"now": exposure, "before": previous_exposure}).dropna()
        rise = both[
            (both["before"] > 0) & (both["now"] > both["before"] * (1 + rules.exposure_rise))
        ]
        for pid, r in rise.iterrows():
            if pid in ids:
                rows.append(
                    {
                        "project_id": pid,
                        "warning": "exposure_rising",
                        "detail": "Risk exposure rose by {pct} since the last snapshot",
                        "params": {"pct": round(100 * (r["now"] / r["before"] - 1))},
                    }
                )
    out = pd.DataFrame(rows, columns=["project_id", "warning", "detail", "params"])
    return out.sort_values(["project_id", "warning"]).reset_index(drop=True)


def warnings_before_red(
    warnings: pd.DataFrame, rag: pd.Series, project_ids: Iterable[str]
) -> pd.DataFrame:
    """The early warnings of ``project_ids`` whose project is not red yet (``rag``:
    project_id -> RAG code): once red, a project is watched for itself.

    Examples:
        >>> w = pd.DataFrame({"project_id": ["A", "B", "C"]})
        >>> rag = pd.Series({"A": "A", "B": "R", "C": "G"})
        >>> warnings_before_red(w, rag, {"A", "B"})["project_id"].tolist()
        ['A']
    """
    ids = set(project_ids)
    return warnings[warnings["project_id"].isin(ids) & (warnings["project_id"].map(rag) != "R")]


def warning_rules_from_settings(settings: dict[str, str] | None) -> WarningRules:
    """:class:`WarningRules` with settings ``warning_falling_reports``,
    ``warning_overdue_days``, ``warning_exposure_rise`` (a share, 0.25 = 25 %) and
    ``warning_index_drop`` (an index difference, 0.05)."""
    values: dict[str, Any] = {}
    for f in fields(WarningRules):
        raw = (settings or {}).get(f"warning_{f.name}")
        if raw in (None, ""):
            continue
        try:
            number = float(str(raw).replace(",", ".").replace("%", "").strip())
        except ValueError:
            continue
        if f.name == "exposure_rise" and number > 1:
            number /= 100  # "25" or "25 %" means a quarter
        values[f.name] = int(number) if f.type in (int, "int") else number
    return WarningRules(**values)


def snapshot_warnings(
    history: Sequence[tuple[Any, dict[str, pd.DataFrame]]],
    settings: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The early warnings of the last of ``(as_of, frames)`` snapshots (oldest first):
    falling indices and overdue reports from its own reports, slipping milestones from the
    last three snapshots, rising exposure from the last two."""
    as_of, f = history[-1]
    kwargs: dict[str, Any] = {"rules": warning_rules_from_settings(settings)}
    if len(history) >= 3:
        kwargs["milestone_history"] = [(a, frames["milestones"]) for a, frames in history[-3:]]
    if len(history) >= 2:
        prev = history[-2][1]
        kwargs["exposure"] = exposure_by_project(f["risks"], f["projects"])["risk_exposure"]
        kwargs["previous_exposure"] = exposure_by_project(prev["risks"], prev["projects"])[
            "risk_exposure"
        ]
    return early_warnings(f["projects"], f["status_reports"], pd.Timestamp(as_of).date(), **kwargs)
