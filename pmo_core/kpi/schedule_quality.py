"""Schedule quality: the DCMA 14-point assessment of a schedule file's activities.

The 14 checks of DCMA's EVMS Program Analysis Pamphlet (DCMA-EA PAM 200.1, section 4),
computed per project from the activities and logic links a schedule reader gives
(:data:`~pmo_core.ingest.schedules.common.ACTIVITY_COLUMNS`,
:data:`~pmo_core.ingest.schedules.common.RELATION_COLUMNS`) at the file's status (data)
date. Each check gives its value, DCMA's threshold, pass/fail and the activity ids that
break it; a check that the file cannot answer is n/a (``passed`` None) with the reason,
never a made-up pass.

Populations: *activities* are the file's work activities (tasks and milestones; level
of effort and WBS / summary tasks left out); *incomplete* ones are not finished; a
*link* counts when its successor is incomplete. Durations and float are in working days.

===  ==================  ==================================================  ==========
#    check               value                                               threshold
===  ==================  ==================================================  ==========
1    missing logic       incomplete without predecessor or successor          <= 5 %
2    leads               links with a negative lag                            = 0 %
3    lags                links with a positive lag                            <= 5 %
4    relationship types  finish-to-start links                                >= 90 %
5    hard constraints    incomplete with a hard constraint                    <= 5 %
6    high float          incomplete with total float > 44 days                <= 5 %
7    negative float      incomplete with total float < 0                      = 0 %
8    high duration       incomplete tasks with duration > 44 days             <= 5 %
9    invalid dates       forecast before / actual after the status date       = 0 %
10   resources           incomplete tasks (duration > 0) without resource     = 0 %
11   missed tasks        due by the status date (baseline finish) and late    <= 5 %
12   critical path test  a zero-float chain from the status date to the end   pass
13   CPLI                (CPL + TF) / CPL                                      >= 0.95
14   BEI                 finished / due by the status date                    >= 0.95
===  ==================  ==================================================  ==========

Hard constraints hold an activity against its logic (MS Project: Must Start/Finish On,
Start/Finish No Later Than; P6: Mandatory Start/Finish, Start/Finish On, Start/Finish On
or Before). The critical path test has no CPM engine here: instead of delaying one
activity by 600 days and recomputing, it follows the logic backwards from the finish
activity (the incomplete one finishing last) through links between critical activities
(total float no higher than the finish's) and passes when that chain reaches an
activity under way or starting by the status date (a delay there would move the finish).
CPLI: CPL = working days (Monday to Friday) from the status date to the forecast finish,
TF = working days from the forecast finish to the baseline finish (negative when late);
n/a for a P6 file without a baseline copy, whose planned dates move with the schedule.

Examples:
    >>> import pandas as pd
    >>> acts = pd.DataFrame({"project_id": ["P"] * 2, "task_id": ["1", "2"],
    ...     "activity_id": ["A", "B"], "kind": ["task", "task"], "done": [False, False],
    ...     "duration_days": [5.0, 60.0], "total_float_days": [0.0, 0.0]})
    >>> rels = pd.DataFrame({"project_id": ["P"], "pred_task_id": ["1"],
    ...     "succ_task_id": ["2"], "type": ["FS"], "lag_days": [0.0]})
    >>> q = assess(acts, rels, pd.Timestamp("2026-01-05"))[0]
    >>> [(c.key, c.value, c.passed, c.activities) for c in q.checks][7]
    ('high_duration', 0.5, False, ['B'])
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.i18n import t

HIGH_DAYS = 44.0  # DCMA: about two months of working days
CHECK_NAMES = {
    "missing_logic": "Missing logic",
    "leads": "Leads",
    "lags": "Lags",
    "relationship_types": "Relationship types (finish-to-start)",
    "hard_constraints": "Hard constraints",
    "high_float": "High float (> 44 working days)",
    "negative_float": "Negative float",
    "high_duration": "High duration (> 44 working days)",
    "invalid_dates": "Invalid dates",
    "resources": "Resources",
    "missed_tasks": "Missed tasks",
    "critical_path_test": "Critical path test",
    "cpli": "Critical path length index (CPLI)",
    "bei": "Baseline execution index (BEI)",
}
# Reasons a check is n/a (English keys; French in pmo_core/i18n/fr_schedules.py).
NO_ACTIVITIES = "No incomplete activity: nothing to check."
NO_LINKS = "No logic link to an incomplete activity: nothing to check."
NO_FLOAT = "The file gives no total float for its incomplete activities."
NO_DURATION = "The file gives no duration for its incomplete tasks."
NO_RESOURCES = "The file has no resource assignment at all: resource loading is not used."
NO_STATUS_DATE = "The file has no status (data) date."
NOTHING_DUE = "No activity has a baseline finish on or before the status date."
NO_FINISH = "No incomplete activity with a forecast finish: no critical path to test."
NO_BASELINE_FINISH = "No baseline finish: the float to the baseline finish is unknown."
FINISH_REACHED = "The forecast finish is on or before the status date."
PLANNED_NOT_BASELINE = (
    "The file holds no baseline: P6's planned dates stand in for it, and they move with "
    "the schedule for activities not started, so the float to the baseline finish says "
    "nothing."
)
PLANNED_DATES_NOTE = (
    "Baseline = P6's planned dates (the file holds no baseline project): activities not "
    "started follow the schedule, so fewer look late than against a real baseline."
)
NA_REASONS = (
    NO_ACTIVITIES,
    NO_LINKS,
    NO_FLOAT,
    NO_DURATION,
    NO_RESOURCES,
    NO_STATUS_DATE,
    NOTHING_DUE,
    NO_FINISH,
    NO_BASELINE_FINISH,
    FINISH_REACHED,
    PLANNED_NOT_BASELINE,
    PLANNED_DATES_NOTE,
)


@dataclass(frozen=True)
class Check:
    """One DCMA check: ``value`` is a share (0-1) or an index; ``threshold`` and
    ``comparison`` are DCMA's (value <= threshold, >= or ==); ``passed`` None = n/a
    with ``reason``; ``activities`` = the ids that break it (``count`` of them, out of
    ``population``); ``note`` = what the reader should know about a computed value."""

    key: str
    value: float | None
    threshold: float | None
    comparison: str
    passed: bool | None
    count: int | None = None
    population: int | None = None
    activities: list[str] = field(default_factory=list)
    reason: str | None = None
    note: str | None = None

    @property
    def name(self) -> str:
        return CHECK_NAMES[self.key]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON of ``validate --json``: texts in ``lang``."""
        return {
            "check": self.key,
            "name": t(self.name, lang),
            "value": self.value,
            "threshold": self.threshold,
            "comparison": self.comparison,
            "passed": self.passed,
            "count": self.count,
            "population": self.population,
            "activities": self.activities,
            "reason": None if self.reason is None else t(self.reason, lang),
            "note": None if self.note is None else t(self.note, lang),
        }


@dataclass(frozen=True)
class Assessment:
    """The 14 checks of one project's schedule at its status date."""

    project_id: str
    as_of: pd.Timestamp | None
    activities: int
    checks: list[Check]

    @property
    def passed(self) -> int:
        return sum(c.passed is True for c in self.checks)

    @property
    def failed(self) -> int:
        return sum(c.passed is False for c in self.checks)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "as_of": None if self.as_of is None else self.as_of.date().isoformat(),
            "activities": self.activities,
            "passed": self.passed,
            "failed": self.failed,
            "not_applicable": len(self.checks) - self.passed - self.failed,
            "checks": [c.to_dict(lang) for c in self.checks],
        }


def _col(df: pd.DataFrame, name: str, default: Any = np.nan) -> pd.Series:
    return df[name] if name in df else pd.Series(default, index=df.index)


def _share(
    key: str,
    failing: pd.Series,
    population: pd.Series,
    ids: pd.Series,
    threshold: float,
    comparison: str = "<=",
    empty: str = NO_ACTIVITIES,
) -> Check:
    """A share check: ``failing`` among ``population`` (boolean masks on ``ids``)."""
    n = int(population.sum())
    if n == 0:
        return Check(key, None, threshold, comparison, None, reason=empty)
    bad = failing & population
    k = int(bad.sum())
    value = k / n
    if comparison == "<=":
        ok = value <= threshold + 1e-12
    elif comparison == ">=":
        value = 1 - value  # the share that meets the rule (finish-to-start links)
        ok = value >= threshold - 1e-12
    else:
        ok = k == 0
    names = pd.unique(ids[bad].astype(str)).tolist()
    return Check(key, value, threshold, comparison, bool(ok), k, n, names)


def _working_days(a: pd.Timestamp, b: pd.Timestamp) -> float:
    """Monday-to-Friday days from ``a`` to ``b`` (negative when ``b`` is earlier)."""
    d0, d1 = a.to_datetime64().astype("datetime64[D]"), b.to_datetime64().astype("datetime64[D]")
    if d1 < d0:  # the same days as forward ([b, a)), numpy would count (b, a]
        return -float(np.busday_count(d1, d0))
    return float(np.busday_count(d0, d1))


def _critical_path(
    acts: pd.DataFrame, rels: pd.DataFrame, incomplete: pd.Series, as_of: pd.Timestamp | None
) -> tuple[Check, pd.Series | None]:
    """Test 12 and the finish activity (a row of ``acts``) it starts from."""
    key = "critical_path_test"
    open_acts = acts[incomplete & acts["forecast_finish"].notna()]
    if open_acts.empty:
        return Check(key, None, None, "pass", None, reason=NO_FINISH), None
    if as_of is None:
        return Check(key, None, None, "pass", None, reason=NO_STATUS_DATE), None
    finish = open_acts.loc[open_acts["forecast_finish"].idxmax()]
    tf = acts["total_float_days"]
    if pd.isna(finish["total_float_days"]) or tf[incomplete].isna().all():
        return Check(key, None, None, "pass", None, reason=NO_FLOAT), finish
    critical = set(acts.loc[incomplete & (tf <= finish["total_float_days"] + 1e-6), "task_id"])
    links = rels[rels["pred_task_id"].isin(critical) & rels["succ_task_id"].isin(critical)]
    preds = links.groupby("succ_task_id")["pred_task_id"].agg(list).to_dict()
    reached = {finish["task_id"]}
    frontier = [finish["task_id"]]
    while frontier:  # breadth-first over the critical links, each activity once
        nxt = [p for s in frontier for p in preds.get(s, []) if p not in reached]
        reached.update(nxt)
        frontier = list(dict.fromkeys(nxt))
    chain = acts[acts["task_id"].isin(reached)]
    starts_now = chain["actual_start"].notna() | (
        chain["forecast_start"] <= as_of + pd.Timedelta(days=1)
    )
    ok = bool(starts_now.any())
    heads = chain[~chain["task_id"].isin(set(links["succ_task_id"]))]
    breaking = [] if ok else heads["activity_id"].astype(str).tolist()
    return (
        Check(key, float(len(chain)), None, "pass", ok, len(breaking), len(chain), breaking),
        finish,
    )


def _cpli(
    acts: pd.DataFrame, finish: pd.Series | None, as_of: pd.Timestamp | None, planned: bool
) -> Check:
    key = "cpli"
    if planned:
        return Check(key, None, 0.95, ">=", None, reason=PLANNED_NOT_BASELINE)
    if as_of is None:
        return Check(key, None, 0.95, ">=", None, reason=NO_STATUS_DATE)
    if finish is None:
        return Check(key, None, 0.95, ">=", None, reason=NO_FINISH)
    baseline_end = acts["baseline_finish"].max()
    if pd.isna(baseline_end):
        return Check(key, None, 0.95, ">=", None, reason=NO_BASELINE_FINISH)
    cpl = _working_days(as_of, finish["forecast_finish"])
    if cpl <= 0:
        return Check(key, None, 0.95, ">=", None, reason=FINISH_REACHED)
    tf = _working_days(finish["forecast_finish"], baseline_end)
    value = (cpl + tf) / cpl
    ok = value >= 0.95
    return Check(key, value, 0.95, ">=", ok, None, None, [] if ok else [str(finish["activity_id"])])


def assess_project(
    project_id: str, acts: pd.DataFrame, rels: pd.DataFrame, as_of: pd.Timestamp | None
) -> Assessment:
    """The 14 checks of one project (see the module docstring)."""
    acts = acts[_col(acts, "kind", "task") != "loe"].reset_index(drop=True)
    for c in (
        "baseline_start",
        "baseline_finish",
        "actual_start",
        "actual_finish",
        "forecast_start",
        "forecast_finish",
    ):
        acts[c] = pd.to_datetime(_col(acts, c, pd.NaT))
    for c in ("duration_days", "total_float_days"):
        acts[c] = pd.to_numeric(_col(acts, c), errors="coerce")
    acts["task_id"] = acts["task_id"].astype(str)
    ids = acts["activity_id"].astype(str)
    done = _col(acts, "done", False).fillna(False).astype(bool)
    incomplete = ~done
    task_like = _col(acts, "kind", "task") == "task"
    rels = rels.assign(
        pred_task_id=rels["pred_task_id"].astype(str), succ_task_id=rels["succ_task_id"].astype(str)
    )
    known = set(acts["task_id"])
    rels = rels[rels["pred_task_id"].isin(known) & rels["succ_task_id"].isin(known)]
    has_pred = acts["task_id"].isin(set(rels["succ_task_id"]))
    has_succ = acts["task_id"].isin(set(rels["pred_task_id"]))
    tf = acts["total_float_days"]
    duration = acts["duration_days"]

    open_succ = set(acts.loc[incomplete, "task_id"])
    links = rels[rels["succ_task_id"].isin(open_succ)].reset_index(drop=True)
    link_ids = links["succ_task_id"].map(dict(zip(acts["task_id"], ids, strict=True)))
    all_links = pd.Series(True, index=links.index)
    lag = pd.to_numeric(links["lag_days"], errors="coerce").fillna(0)

    checks = [
        _share("missing_logic", ~(has_pred & has_succ), incomplete, ids, 0.05),
        _share("leads", lag < 0, all_links, link_ids, 0.0, "==", NO_LINKS),
        _share("lags", lag > 0, all_links, link_ids, 0.05, "<=", NO_LINKS),
        _share(
            "relationship_types", links["type"] != "FS", all_links, link_ids, 0.90, ">=", NO_LINKS
        ),
        _share(
            "hard_constraints",
            _col(acts, "hard_constraint", False).fillna(False).astype(bool),
            incomplete,
            ids,
            0.05,
        ),
        _share("high_float", tf > HIGH_DAYS, incomplete & tf.notna(), ids, 0.05, "<=", NO_FLOAT),
        _share("negative_float", tf < 0, incomplete & tf.notna(), ids, 0.0, "==", NO_FLOAT),
        _share(
            "high_duration",
            duration > HIGH_DAYS,
            incomplete & task_like & duration.notna(),
            ids,
            0.05,
            "<=",
            NO_DURATION,
        ),
    ]
    if as_of is None:
        checks.append(Check("invalid_dates", None, 0.0, "==", None, reason=NO_STATUS_DATE))
    else:
        not_started = acts["actual_start"].isna()
        invalid = (
            (incomplete & not_started & (acts["forecast_start"] < as_of))
            | (incomplete & (acts["forecast_finish"] < as_of))
            | (acts["actual_start"] > as_of + pd.Timedelta(days=1))
            | (acts["actual_finish"] > as_of + pd.Timedelta(days=1))
        )
        checks.append(
            _share("invalid_dates", invalid, pd.Series(True, index=acts.index), ids, 0.0, "==")
        )
    resourced = _col(acts, "resourced", False).fillna(False).astype(bool)
    if not resourced.any():
        checks.append(Check("resources", None, 0.0, "==", None, reason=NO_RESOURCES))
    else:
        population = incomplete & task_like & (duration.fillna(1) > 0)
        checks.append(_share("resources", ~resourced, population, ids, 0.0, "=="))
    if as_of is None:
        checks.append(Check("missed_tasks", None, 0.05, "<=", None, reason=NO_STATUS_DATE))
        due = pd.Series(False, index=acts.index)
    else:
        due = acts["baseline_finish"].notna() & (acts["baseline_finish"] <= as_of)
        late = ~done | (acts["actual_finish"].dt.floor("D") > acts["baseline_finish"].dt.floor("D"))
        checks.append(_share("missed_tasks", late, due, ids, 0.05, "<=", NOTHING_DUE))
    kind = _col(acts, "baseline_kind", "baseline")
    planned = bool(len(acts)) and not (kind == "baseline").any()
    note = PLANNED_DATES_NOTE if planned else None
    if note and checks[-1].passed is not None:
        checks[-1] = dataclasses.replace(checks[-1], note=note)
    cp, finish = _critical_path(acts, rels, incomplete, as_of)
    checks += [cp, _cpli(acts, finish, as_of, planned)]
    n_due = int(due.sum())
    if as_of is None:
        checks.append(Check("bei", None, 0.95, ">=", None, reason=NO_STATUS_DATE))
    elif n_due == 0:
        checks.append(Check("bei", None, 0.95, ">=", None, reason=NOTHING_DUE))
    else:
        finished = done & (
            acts["actual_finish"].isna() | (acts["actual_finish"] <= as_of + pd.Timedelta(days=1))
        )
        value = float(finished.sum()) / n_due
        behind = due & ~done
        checks.append(
            Check(
                "bei",
                value,
                0.95,
                ">=",
                value >= 0.95,
                int(behind.sum()),
                n_due,
                ids[behind].tolist(),
                note=note,
            )
        )
    return Assessment(str(project_id), as_of, len(acts), checks)


def assess(
    activities: pd.DataFrame, relations: pd.DataFrame, as_of: pd.Timestamp | None
) -> list[Assessment]:
    """One :class:`Assessment` per project of ``activities`` (in their order)."""
    if activities is None or activities.empty:
        return []
    rels = relations if relations is not None else pd.DataFrame(columns=["project_id"])
    by_project = dict(tuple(rels.groupby("project_id"))) if len(rels) else {}
    empty = pd.DataFrame(columns=["project_id", "pred_task_id", "succ_task_id", "type", "lag_days"])
    return [
        assess_project(str(pid), g, by_project.get(pid, empty), as_of)
        for pid, g in activities.groupby("project_id", sort=False)
    ]


def schedule_quality_document(result: Any, lang: str = "en") -> dict[str, Any] | None:
    """``validate --json``'s ``schedule_quality`` for a schedule result (one with
    ``activities``): ``{"projects": [assessment...]}``, texts in ``lang``; None for a
    workbook."""
    activities = getattr(result, "activities", None)
    if activities is None:
        return None
    as_of = pd.Timestamp(result.as_of) if getattr(result, "as_of", None) else None
    return {
        "projects": [a.to_dict(lang) for a in assess(activities, result.relations, as_of)],
    }
