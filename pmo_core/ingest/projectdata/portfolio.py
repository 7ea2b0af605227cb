"""Project Server's portfolio analysis, from a ProjectData export, in the cockpit's model.

:func:`map_portfolio` takes the entity sets the reader made (``dict[str, DataFrame]``,
columns = OData property names, :mod:`.properties_portfolio`) and gives:

- **Objectives** = the business drivers of the prioritization in use (objective_id =
  ``BusinessDriverId``, name = ``BusinessDrivers.BusinessDriverName``), each weighted by
  Project Server's own priority (``PrioritizationDrivers.BusinessDriverPriority``), so
  the cockpit's weights are Project Server's (normalised to sum 1);
- **Pairwise** = ``PrioritizationDriverRelations``: driver 1 ``RelationValue`` driver 2,
  the phrase turned into a Saaty number by :data:`SAATY` (objective_a = driver 1). The
  cockpit's CR is computed from them (:func:`pmo_core.kpi.alignment.pairwise_weights`)
  and shown beside the one Project Server stored (``Prioritizations.ConsistencyRatio``,
  kept as the setting ``projectserver_consistency_ratio``); both are reported by
  :func:`consistency`. The two are on different scales: Saaty's CR is 0 for a fully
  consistent matrix (<= 0.10 acceptable), Project Server's ratio is "a value between 0
  and 1 ... closer to 1 are more logically consistent", warned below 0.75 (PSI
  ``DriverPrioritizationDataSet.PrioritizationRow.CONSISTENCY_RATIO``, learn.microsoft.com
  previous-versions/office/project-class/gg226369). When the eigenvector weights of the
  judgments differ from Project Server's priorities by more than half a point, a warning
  says so (the weights kept are Project Server's);
- **Priorities** = ``PortfolioAnalysisProjects`` of the analysis in use: alignment score
  = 100 x ``AbsolutePriority`` and priority % = 100 x ``Priority``, source "Project
  Server". Both are documented as numbers from 0.0 to 1.0, the absolute one "based purely
  on evaluating the project against the prioritization ... not normalized across
  projects", the other normalised to sum 1 over the analysis (PSI
  ``AnalysisDataSet.AnalysisProjectsRow.ABSOLUTE_PRIORITY`` / ``.PRIORITY``,
  gg224686 / gg220046); a value outside 0-1 is warned and its project left unscored.
  ProjectData holds no per-driver rating of a project, so these scores stand in for the
  ratings; a rating given in an Alignment sheet takes over for its project
  (:func:`pmo_core.kpi.alignment.alignment_scores`);
- **Scenarios** (read-only documents, origin ``projectserver``) = each
  ``CostConstraintScenarios`` row with its ``CostScenarioProjects``: selected = the
  projects whose ``Status`` is 0 (In; ``Optimizer.DecisionResult``: In = 0, Out = 1, the
  enumeration PSI's ``OptimizerSolutionDataSet.SolutionProjectsRow.STATUS`` follows,
  ee736428), forced in / out = ``ForceStatus`` 0 / 1 (``Optimizer.ForceStatus``: ForceIn
  = 0, ForceOut = 1, Auto = 2, ee769143), cost = ``SelectedProjectsCost``; value = the sum
  of the selected projects' alignment scores above, so that the What-if page compares it
  with its own scenarios on the same scale (undefined when a selected project has none).
  A scenario with a status the enumerations do not hold is left out whole, with a warning.
  Project Server's budget limit for a cost scenario is not in ProjectData: its budget is
  n/a, never 0.

The analysis in use is the most recently modified ``PortfolioAnalyses`` row that names a
prioritization; without analyses, the most recently modified prioritization. The other
analyses' priorities are not kept (they rank against other drivers; a warning counts
them); their cost scenarios are kept, valued on the analysis in use.

Property names and types: Microsoft's ProjectData reference (EntityType pages of the
ReportingData schema, see :mod:`.properties_portfolio`), e.g. EntityType
PrioritizationDriverRelation: BusinessDriver1Id, BusinessDriver2Id, PrioritizationId,
RelationValue (Edm.String, "the importance of the business driver relationship");
EntityType PortfolioAnalysisProject: AbsolutePriority, Priority (Edm.Double);
EntityType CostScenarioProject: ForceStatus, Status (Edm.Byte), ForceAliasLookupTableName.

Saaty numbers of Project Server's seven phrases (:data:`SAATY`): the phrases are those of
PWA's driver prioritization page ("is extremely more important than" ... "is extremely
less important than", seven levels symmetric about "is as important as"; listed by J.
Cottino, "How Microsoft Project Server calculates business drivers priorities", 2015,
jeremycottino.com, and Microsoft's "Portfolio analysis driver prioritization" page); the
numbers are the cockpit's judgment scale for the same words (DESIGN section 3, Pairwise:
9, 6, 3, 1, 1/3, 1/6, 1/9, as :data:`pmo_core.ingest.words.JUDGMENT_WORDS`).

Rows in messages: the ``_row`` column when the reader gives one (the row as the file
numbers it), else the record's position + 2 (header on row 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmo_core import schema
from pmo_core.ingest.issues import Issue, warn
from pmo_core.kpi import alignment

#: Where a scenario comes from (the ``documents.origin`` column, migration 006).
ORIGIN = "projectserver"
#: The ``source`` of the priorities imported here (shown translated by the app).
SOURCE = "Project Server"
#: The What-if scenario status of an imported scenario (no solver ran in the cockpit).
IMPORTED = "imported"

#: Project Server's relation phrases -> the Saaty number a_12 (driver 1 over driver 2).
SAATY: dict[str, float] = {
    "is extremely more important than": 9.0,
    "is much more important than": 6.0,
    "is more important than": 3.0,
    "is as important as": 1.0,
    "is less important than": 1 / 3,
    "is much less important than": 1 / 6,
    "is extremely less important than": 1 / 9,
}
#: ``Optimizer.ForceStatus`` (ee769143) and ``Optimizer.DecisionResult`` (ee736428).
FORCE_STATUS = {0: "in", 1: "out", 2: "auto"}
DECISION = {0: "in", 1: "out"}
#: Half a point: Project Server's priorities and the eigenvector agree "within rounding".
WEIGHT_TOLERANCE = 0.005

#: What each property becomes (the guide's table, docs/leaving-project-online.md).
MAPPING: tuple[tuple[str, str, str], ...] = (
    ("BusinessDrivers", "BusinessDriverId", "Objectives: objective_id"),
    ("BusinessDrivers", "BusinessDriverName", "Objectives: name"),
    ("Prioritizations", "PrioritizationId", "the prioritization in use (setting)"),
    ("Prioritizations", "PrioritizationName", "setting projectserver_prioritization"),
    ("Prioritizations", "ConsistencyRatio", "setting projectserver_consistency_ratio"),
    ("Prioritizations", "PrioritizationModifiedDate", "which prioritization is in use"),
    ("PrioritizationDrivers", "PrioritizationId", "the drivers of the prioritization"),
    ("PrioritizationDrivers", "BusinessDriverId", "Objectives: objective_id"),
    ("PrioritizationDrivers", "BusinessDriverPriority", "Objectives: weight"),
    ("PrioritizationDriverRelations", "PrioritizationId", "the judgments of the prioritization"),
    ("PrioritizationDriverRelations", "BusinessDriver1Id", "Pairwise: objective_a"),
    ("PrioritizationDriverRelations", "BusinessDriver2Id", "Pairwise: objective_b"),
    ("PrioritizationDriverRelations", "RelationValue", "Pairwise: judgment (Saaty table)"),
    ("PortfolioAnalyses", "AnalysisId", "the analysis in use"),
    ("PortfolioAnalyses", "AnalysisName", "setting projectserver_analysis; scenario names"),
    ("PortfolioAnalyses", "PrioritizationId", "the prioritization in use"),
    ("PortfolioAnalyses", "ModifiedDate", "which analysis is in use"),
    ("PortfolioAnalysisProjects", "AnalysisId", "the projects of the analysis"),
    ("PortfolioAnalysisProjects", "ProjectId", "Priorities: project_id"),
    ("PortfolioAnalysisProjects", "AbsolutePriority", "Priorities: alignment_score (x 100)"),
    ("PortfolioAnalysisProjects", "Priority", "Priorities: priority_pct (x 100)"),
    ("CostConstraintScenarios", "ScenarioId", "a read-only scenario"),
    ("CostConstraintScenarios", "ScenarioName", "scenario name"),
    ("CostConstraintScenarios", "AnalysisId", "scenario's analysis"),
    ("CostConstraintScenarios", "SelectedProjectsCost", "scenario cost"),
    ("CostConstraintScenarios", "SelectedProjectsPriority", "kept in the scenario, shown"),
    ("CostScenarioProjects", "ScenarioId", "the scenario's projects"),
    ("CostScenarioProjects", "ProjectId", "scenario selection"),
    ("CostScenarioProjects", "Status", "selected (0 In) or not (1 Out)"),
    ("CostScenarioProjects", "ForceStatus", "forced in (0), forced out (1), auto (2)"),
    ("CostScenarioProjects", "ForceAliasLookupTableName", "kept in the scenario: why forced"),
)


@dataclass
class PortfolioMapping:
    """What a ProjectData export's portfolio analysis becomes (canonical frames:
    objectives, pairwise, priorities), the settings to keep with the snapshot, the
    read-only scenario documents and the issues found."""

    frames: dict[str, pd.DataFrame]
    settings: dict[str, str] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def phrase_key(text: object) -> str:
    """A relation phrase folded for :data:`SAATY`: lower case, single spaces, no dot.

    Examples:
        >>> phrase_key("  Is MUCH more  important than. ")
        'is much more important than'
    """
    return re.sub(r"\s+", " ", str(text).strip().lower()).rstrip(".").strip()


def saaty(text: object) -> float | None:
    """The Saaty number of a relation phrase, or None when it is not one of the seven.

    Examples:
        >>> saaty("is much more important than"), saaty("Is as important as")
        (6.0, 1.0)
        >>> saaty("much better") is None
        True
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    return SAATY.get(phrase_key(text))


def _rows(df: pd.DataFrame) -> pd.Series:
    if "_row" in df.columns:
        return pd.Series(df["_row"].to_numpy(), index=df.index)
    return pd.Series(np.arange(len(df)) + 2, index=df.index)


def _col(df: pd.DataFrame | None, name: str) -> pd.Series:
    if df is None or name not in df.columns:
        return pd.Series([None] * (0 if df is None else len(df)), dtype=object)
    return df[name]


def _latest(df: pd.DataFrame, date_col: str, name_col: str) -> pd.Series:
    """The row modified last (ties: by name), as a Series."""
    d = df.assign(
        _when=pd.to_datetime(_col(df, date_col), errors="coerce"),
        _name=_col(df, name_col).astype(object).fillna("").astype(str),
    )
    return d.sort_values(["_when", "_name"], ascending=[False, True], na_position="last").iloc[0]


def _text(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) or pd.isna(v) else str(v)


def map_portfolio(
    sets: dict[str, pd.DataFrame], *, project_ids: set[str] | None = None
) -> PortfolioMapping:
    """Objectives, pairwise, priorities, settings and read-only scenarios of a ProjectData
    export (module docstring). ``project_ids``: the snapshot's projects; priorities of
    other projects are left out, warned (the Priorities rules need a known project)."""
    issues: list[Issue] = []
    settings: dict[str, str] = {}
    analyses = sets.get("PortfolioAnalyses")
    prioritizations = sets.get("Prioritizations")
    analysis = None
    prio_id: str | None = None
    if analyses is not None and len(analyses) and "PrioritizationId" in analyses:
        named = analyses[analyses["PrioritizationId"].notna()]
        if len(named):
            analysis = _latest(named, "ModifiedDate", "AnalysisName")
            prio_id = str(analysis["PrioritizationId"])
            settings["projectserver_analysis"] = _text(analysis.get("AnalysisName")) or str(
                analysis["AnalysisId"]
            )
            others = int(named["AnalysisId"].nunique()) - 1
            if others > 0:
                issues.append(
                    warn(
                        "PortfolioAnalyses",
                        None,
                        "AnalysisId",
                        None,
                        "{n} other portfolio analyses: their project priorities are not "
                        "kept (they rank against other drivers); the analysis in use is "
                        "{name}, the latest modified. Their cost scenarios are kept.",
                        n=others,
                        name=settings["projectserver_analysis"],
                    )
                )
    if prio_id is None and prioritizations is not None and len(prioritizations):
        prio_id = str(
            _latest(prioritizations, "PrioritizationModifiedDate", "PrioritizationName")[
                "PrioritizationId"
            ]
        )
    objectives, pairwise = _drivers(sets, prio_id, settings, issues)
    priorities = _priorities(sets, analysis, project_ids, issues)
    documents = _scenarios(sets, priorities, project_ids, issues)
    frames = {
        "objectives": schema.conform("objectives", objectives),
        "pairwise": schema.conform("pairwise", pairwise),
        "priorities": schema.conform("priorities", priorities),
    }
    return PortfolioMapping(frames, settings, documents, issues)


def _drivers(
    sets: dict[str, pd.DataFrame],
    prio_id: str | None,
    settings: dict[str, str],
    issues: list[Issue],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The prioritization's drivers (objectives, Project Server's weights) and judgments."""
    drivers = sets.get("BusinessDrivers")
    names: dict[str, str] = {}
    if drivers is not None and len(drivers):
        names = {
            str(i): str(n)
            for i, n in zip(
                drivers["BusinessDriverId"], _col(drivers, "BusinessDriverName"), strict=True
            )
            if _text(n)
        }
    empty_o = pd.DataFrame(columns=["objective_id", "name", "weight"])
    empty_p = pd.DataFrame(columns=["objective_a", "objective_b", "judgment"])
    if prio_id is None:
        if names:  # drivers without any prioritization: objectives, equal weights
            issues.append(
                warn(
                    "Prioritizations",
                    None,
                    None,
                    None,
                    "No driver prioritization in the export: the business drivers are "
                    "imported as objectives with equal weights.",
                )
            )
            return pd.DataFrame(
                {"objective_id": list(names), "name": list(names.values()), "weight": np.nan}
            ), empty_p
        return empty_o, empty_p
    prios = sets.get("Prioritizations")
    if prios is not None and len(prios):
        row = prios[prios["PrioritizationId"].astype(str) == prio_id]
        if len(row):
            r = row.iloc[0]
            settings["projectserver_prioritization"] = _text(r.get("PrioritizationName")) or prio_id
            ratio = r.get("ConsistencyRatio")
            if ratio is not None and pd.notna(ratio):
                settings["projectserver_consistency_ratio"] = repr(float(ratio))
    pd_set = sets.get("PrioritizationDrivers")
    if pd_set is None or not len(pd_set):
        issues.append(
            warn(
                "PrioritizationDrivers",
                None,
                None,
                None,
                "PrioritizationDrivers missing from the export: the drivers and their "
                "weights cannot be imported (export this entity set too).",
            )
        )
        return empty_o, empty_p
    mine = pd_set[pd_set["PrioritizationId"].astype(str) == prio_id]
    ids = [str(i) for i in mine["BusinessDriverId"]]
    priority = pd.to_numeric(mine["BusinessDriverPriority"], errors="coerce").astype("float64")
    unnamed = [i for i in ids if i not in names]
    for i in unnamed:
        issues.append(
            warn(
                "BusinessDrivers",
                None,
                "BusinessDriverName",
                i,
                "Business driver {id} has no name in BusinessDrivers: its id is shown.",
                id=i,
            )
        )
    objectives = pd.DataFrame(
        {
            "objective_id": ids,
            "name": [names.get(i, i) for i in ids],
            "weight": priority.to_numpy(),
        }
    )
    pairwise = _judgments(sets.get("PrioritizationDriverRelations"), prio_id, set(ids), issues)
    _check_weights(objectives, pairwise, issues)
    return objectives, pairwise


def _judgments(
    rel: pd.DataFrame | None, prio_id: str, ids: set[str], issues: list[Issue]
) -> pd.DataFrame:
    out = pd.DataFrame(columns=["objective_a", "objective_b", "judgment"])
    if rel is None or not len(rel):
        return out
    mine = rel[rel["PrioritizationId"].astype(str) == prio_id]
    rows = _rows(rel)
    kept = []
    for k, r in mine.iterrows():  # one row per pair of drivers: a few dozen at most
        a, b = str(r["BusinessDriver1Id"]), str(r["BusinessDriver2Id"])
        if a == b or a not in ids or b not in ids:
            continue
        value = saaty(r.get("RelationValue"))
        if value is None:
            issues.append(
                warn(
                    "PrioritizationDriverRelations",
                    int(rows[k]),
                    "RelationValue",
                    r.get("RelationValue"),
                    'Unknown relation "{given}": expected one of Project Server\'s seven '
                    "phrases (is extremely more / much more / more / as / less / much less "
                    "/ extremely less important than). This judgment is left out.",
                    given=str(r.get("RelationValue")),
                )
            )
            continue
        kept.append((a, b, value))
    return pd.DataFrame(kept, columns=list(out.columns)) if kept else out


def _check_weights(objectives: pd.DataFrame, pairwise: pd.DataFrame, issues: list[Issue]) -> None:
    """Warn when the judgments' eigenvector weights are not Project Server's priorities."""
    w = objectives["weight"].astype("float64")
    if len(pairwise) == 0 or len(objectives) < 2 or not w.notna().all() or w.sum() <= 0:
        return
    ahp = alignment.pairwise_weights(list(objectives["objective_id"]), pairwise).weights
    ps = pd.Series(w.to_numpy() / w.sum(), index=objectives["objective_id"])
    gap = float((ahp.reindex(ps.index) - ps).abs().max())
    if gap > WEIGHT_TOLERANCE:
        issues.append(
            warn(
                "PrioritizationDrivers",
                None,
                "BusinessDriverPriority",
                None,
                "Project Server's driver priorities differ from the eigenvector of its "
                "judgments by up to {gap} points: the weights kept are Project Server's.",
                gap=round(100 * gap, 1),
            )
        )


def _priorities(
    sets: dict[str, pd.DataFrame],
    analysis: pd.Series | None,
    project_ids: set[str] | None,
    issues: list[Issue],
) -> pd.DataFrame:
    cols = ["project_id", "alignment_score", "priority_pct", "source"]
    pap = sets.get("PortfolioAnalysisProjects")
    if analysis is None or pap is None or not len(pap):
        return pd.DataFrame(columns=cols)
    rows = _rows(pap)
    mine = pap[pap["AnalysisId"].astype(str) == str(analysis["AnalysisId"])]
    absolute = pd.to_numeric(mine["AbsolutePriority"], errors="coerce").astype("float64")
    relative = pd.to_numeric(_col(mine, "Priority"), errors="coerce").astype("float64")
    keep = pd.Series(True, index=mine.index)
    for prop, values in (("AbsolutePriority", absolute), ("Priority", relative)):
        bad = values.notna() & ((values < 0) | (values > 1))
        for k in mine.index[bad.to_numpy()]:
            issues.append(
                warn(
                    "PortfolioAnalysisProjects",
                    int(rows[k]),
                    prop,
                    values[k],
                    "{prop} must be between 0 and 1 (Project Server's scale): this "
                    "project's priority is not imported.",
                    prop=prop,
                )
            )
        keep &= ~bad
    keep &= absolute.notna()
    ids = mine["ProjectId"].astype(str)
    if project_ids is not None:
        unknown = keep & ~ids.isin(project_ids)
        for k in mine.index[unknown.to_numpy()]:
            issues.append(
                warn(
                    "PortfolioAnalysisProjects",
                    int(rows[k]),
                    "ProjectId",
                    ids[k],
                    "Project {id} of the portfolio analysis is not in Projects: its "
                    "priority is not imported.",
                    id=ids[k],
                )
            )
        keep &= ~unknown
    return pd.DataFrame(
        {
            "project_id": ids[keep].to_numpy(),
            "alignment_score": (100 * absolute[keep]).to_numpy(),
            "priority_pct": (100 * relative[keep]).to_numpy(),
            "source": SOURCE,
        }
    )


def _scenarios(
    sets: dict[str, pd.DataFrame],
    priorities: pd.DataFrame,
    project_ids: set[str] | None,
    issues: list[Issue],
) -> list[dict[str, Any]]:
    ccs, csp = sets.get("CostConstraintScenarios"), sets.get("CostScenarioProjects")
    if ccs is None or not len(ccs):
        return []
    if csp is None:
        csp = pd.DataFrame(columns=["ScenarioId", "ProjectId", "Status", "ForceStatus"])
    rows = _rows(csp)
    score = priorities.set_index("project_id")["alignment_score"]
    analyses = sets.get("PortfolioAnalyses")
    analysis_names: dict[str, str] = {}
    if analyses is not None and len(analyses):
        analysis_names = {
            str(i): str(n)
            for i, n in zip(analyses["AnalysisId"], _col(analyses, "AnalysisName"), strict=True)
            if _text(n)
        }
    docs = []
    for _, s in ccs.iterrows():
        sid = str(s["ScenarioId"])
        mine = csp[csp["ScenarioId"].astype(str) == sid]
        status = pd.to_numeric(_col(mine, "Status"), errors="coerce")
        force = pd.to_numeric(_col(mine, "ForceStatus"), errors="coerce")
        bad_s = ~status.isin(list(DECISION))
        bad_f = ~force.isin(list(FORCE_STATUS))
        name = _text(s.get("ScenarioName")) or sid
        if bool(bad_s.any() or bad_f.any()):
            for k in mine.index[(bad_s | bad_f).to_numpy()]:
                prop = "Status" if bool(bad_s[k]) else "ForceStatus"
                issues.append(
                    warn(
                        "CostScenarioProjects",
                        int(rows[k]),
                        prop,
                        mine.at[k, prop] if prop in mine else None,
                        "{prop} {given} is not a documented code (Status: 0 in, 1 out; "
                        "ForceStatus: 0 forced in, 1 forced out, 2 auto): scenario {name} "
                        "is not imported.",
                        prop=prop,
                        given=str(mine.at[k, prop]) if prop in mine else "",
                        name=name,
                    )
                )
            continue
        pids = mine["ProjectId"].astype(str)
        selected = sorted(pids[(status == 0).to_numpy()])
        if project_ids is not None:
            unknown = sorted(set(pids) - project_ids)
            if unknown:
                issues.append(
                    warn(
                        "CostScenarioProjects",
                        None,
                        "ProjectId",
                        ", ".join(unknown[:5]),
                        "Scenario {name}: {n} projects are not in Projects; the scenario "
                        "keeps them, without a name.",
                        name=name,
                        n=len(unknown),
                    )
                )
        values = score.reindex(selected)
        objective = float(values.sum()) if len(selected) and values.notna().all() else None
        cost = s.get("SelectedProjectsCost")
        analysis_id = str(s.get("AnalysisId"))
        analysis_name = (
            _text(s.get("AnalysisName")) or analysis_names.get(analysis_id) or analysis_id
        )
        why = {
            str(p): str(a)
            for p, a in zip(pids, _col(mine, "ForceAliasLookupTableName"), strict=True)
            if _text(a)
        }
        docs.append(
            {
                "kind": "scenario",
                "name": f"{name} (Project Server · {analysis_name})",
                "status": IMPORTED,
                "origin": ORIGIN,
                "payload": {
                    "parameters": {
                        "budget": None,
                        "value": "alignment",
                        "force_in": sorted(pids[(force == 0).to_numpy()]),
                        "force_out": sorted(pids[(force == 1).to_numpy()]),
                    },
                    "result": {
                        "status": IMPORTED,
                        "objective": objective,
                        "gap": None,
                        "total_cost": None if cost is None or pd.isna(cost) else float(cost),
                        "selected": selected,
                        "excluded": [],
                        "project_value": {p: float(score[p]) for p in selected if p in score},
                    },
                    "project_server": {
                        "scenario_id": sid,
                        "analysis_id": analysis_id,
                        "analysis": analysis_name,
                        "selected_priority": _float(s.get("SelectedProjectsPriority")),
                        "unselected_cost": _float(s.get("UnselectedProjectsCost")),
                        "created_by": _text(s.get("CreatedByResourceName")),
                        "modified": _text(s.get("ModifiedDate")),
                        "forced_why": why,
                    },
                },
            }
        )
    return docs


def _float(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def consistency(
    objectives: pd.DataFrame, pairwise: pd.DataFrame, settings: dict[str, str]
) -> dict[str, float | None]:
    """The cockpit's CR of the snapshot's judgments (Saaty: 0 consistent, <= 0.10
    acceptable) beside Project Server's stored ratio (1 consistent, warned below 0.75);
    None where there is nothing to compute or nothing stored.

    Examples:
        >>> o = pd.DataFrame({"objective_id": ["A", "B", "C"], "weight": [4.0, 2.0, 1.0]})
        >>> p = pd.DataFrame({"objective_a": ["A", "A", "B"], "objective_b": ["B", "C", "C"],
        ...                   "judgment": [2.0, 4.0, 2.0]})
        >>> c = consistency(o, p, {"projectserver_consistency_ratio": "0.97"})
        >>> round(c["cr"], 6), c["projectserver"]
        (0.0, 0.97)
    """
    stored = settings.get("projectserver_consistency_ratio")
    ps = float(stored) if stored not in (None, "") else None
    cr = None
    if len(pairwise) and len(objectives) > 2:
        cr = alignment.pairwise_weights(list(objectives["objective_id"]), pairwise).cr
    return {"cr": cr, "projectserver": ps}
