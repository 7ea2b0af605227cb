"""Import a Project Online ProjectData (OData) export: workbook, JSON pages or CSV files.

Project Online's reporting feed (``/_api/ProjectData/<EntitySet>``) is what a PMO still
has once the service is gone: Power Query tables saved in Excel, or JSON pages saved
from the feed. :func:`read_projectdata` takes such an export as one snapshot:

1. :mod:`.sources` reads the shapes (a workbook with one sheet per entity set, a
   folder or zip of JSON pages or of CSV files) into raw frames, one per entity set;
2. :mod:`.coerce` types each documented property by its Edm type (:mod:`.properties`,
   every name and type from Microsoft's ProjectData reference) -> :func:`read_sets`,
   ``dict[str, DataFrame]`` keyed by entity set: the seam the portfolio-analysis part
   reads (``map_portfolio(sets)``);
3. :mod:`.core` maps the core sets to the cockpit's tables (projects, budget and
   baseline finish, milestones, resources and capacity, allocations, the baseline PV
   curve, risks) and says what each missing set costs; :mod:`.portfolio` maps the
   portfolio analysis (objectives with Project Server's weights, pairwise judgments,
   project priorities, read-only cost scenarios stored with the snapshot);
4. the cockpit's import rules run on the result (:func:`pmo_core.ingest.rules.check_rules`,
   strict or lenient), so nothing is half-imported: an error blocks the whole snapshot.

Detected by its entity-set and property names (:func:`looks_like_export`), without a
mapping profile. Several exports of different dates imported one after the other become
successive snapshots: each one's as-of date is its own (the latest ProjectStatusDate,
else the latest ProjectModifiedDate), and the GUIDs stay the ids.

Examples:
    >>> r = read_projectdata(b'{"value": [{"ProjectId": "not-a-guid"}]}', "Projects.json")
    >>> r.ok, r.issues[0].sheet, r.issues[0].row, r.issues[0].column
    (False, 'Projects', 1, 'ProjectId')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core import schema
from pmo_core.ingest.issues import IngestResult, Issue, empty_result
from pmo_core.ingest.projectdata import coerce, core, portfolio, properties
from pmo_core.ingest.projectdata.sources import (
    bundle,
    entity_set_of,
    is_page_name,
    looks_like_export,
)
from pmo_core.ingest.rules import check_rules
from pmo_core.ingest.tables import conform_frame, sheets_by_table

__all__ = [
    "bundle",
    "entity_set_of",
    "is_page_name",
    "looks_like_export",
    "read_projectdata",
    "read_sets",
]

#: Where each canonical column comes from (entity set, property), for issues' places.
WRITTEN: dict[str, tuple[str, dict[str, str]]] = {
    "projects": (
        "Projects",
        {
            "project_id": "ProjectId",
            "name": "ProjectName",
            "manager": "ProjectOwnerName",
            "start_date": "ProjectStartDate",
            "end_date": "ProjectBaselineFinishDate",
            "forecast_end_date": "ProjectFinishDate",
            "budget": "ProjectBaselineCost",
            "actual_cost": "ProjectActualCost",
            "percent_complete": "ProjectPercentCompleted",
            "department": "ProjectDepartments",
            "portfolio": "EnterpriseProjectTypeName",
        },
    ),
    "milestones": (
        "Tasks",
        {
            "project_id": "ProjectId",
            "milestone_id": "TaskId",
            "name": "TaskName",
            "baseline_date": "TaskBaselineFinishDate",
            "forecast_date": "TaskFinishDate",
            "actual_date": "TaskActualFinishDate",
        },
    ),
    "resources": (
        "Resources",
        {"resource_id": "ResourceId", "name": "ResourceName", "role": "ResourceGroup"},
    ),
    "capacity": ("ResourceTimephasedDataSet", {"capacity_hours": "Capacity"}),
    "allocations": (
        "AssignmentTimephasedDataSet",
        {"project_id": "ProjectId", "resource_id": "ResourceId", "hours": "AssignmentWork"},
    ),
    "baseline": (
        "AssignmentBaselineTimephasedDataSet",
        {"project_id": "ProjectId", "planned_value": "AssignmentBaselineCost"},
    ),
    "objectives": (
        "PrioritizationDrivers",
        {"objective_id": "BusinessDriverId", "weight": "BusinessDriverPriority"},
    ),
    "pairwise": (
        "PrioritizationDriverRelations",
        {
            "objective_a": "BusinessDriver1Id",
            "objective_b": "BusinessDriver2Id",
            "judgment": "RelationValue",
        },
    ),
    "priorities": (
        "PortfolioAnalysisProjects",
        {"project_id": "ProjectId", "alignment_score": "AbsolutePriority"},
    ),
    "risks": (
        "Risks",
        {
            "risk_id": "RiskId",
            "project_id": "ProjectId",
            "title": "Title",
            "probability": "Probability",
            "impact": "Cost",
            "status": "Status",
            "owner": "Owner",
            "mitigation": "MitigationPlan",
        },
    ),
}


def read_sets(
    source: str | Path | bytes, filename: str | None = None, *, lenient: bool = False
) -> tuple[dict[str, pd.DataFrame], list[Issue], str]:
    """Every entity set of an export, typed by its documented Edm types: ``(sets,
    issues, sha256)``, sets keyed by entity set name, columns the OData property names
    plus ``_row`` (Excel row, or record number for JSON) and ``_file``."""
    from pmo_core.ingest.projectdata.sources import read_sets as raw_sets

    raws, issues, sha = raw_sets(source, filename)
    sets: dict[str, pd.DataFrame] = {}
    for name, raw in raws.items():
        frame, found = coerce.typed(raw, lenient=lenient)
        issues.extend(found)
        sets[name] = frame
    return sets, issues, sha


def _frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in schema.TABLES:
        frame = tables.get(name, schema.empty_frame(name))
        sheet, written = WRITTEN.get(name, (schema.TABLES[name].sheet_en, {}))
        frame = frame.reset_index(drop=True)
        frame.attrs = {"sheet": sheet, "written": dict(written)}
        frames[name] = conform_frame(name, frame)
    return frames


def read_projectdata(
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    role_field: str | None = None,
    mapping: dict[str, Any] | None = None,
    lenient: bool = False,
    reference: dict[str, pd.DataFrame] | None = None,
) -> IngestResult:
    """Read a ProjectData export (workbook, folder or zip of JSON or CSV) into one
    result, checked by the import rules; never raises on bad content.

    ``role_field``: the Resources custom field holding each resource's role (else
    ResourceGroup); ``mapping``: a mapping profile whose ``tables.projects.columns``
    choose enterprise custom fields (``{"sponsor": "Commanditaire"}``); ``lenient`` and
    ``reference``: as :func:`pmo_core.ingest.read_file`."""
    name = filename or (Path(source).name if not isinstance(source, bytes) else "upload")
    sets, issues, sha = read_sets(source, filename or name, lenient=lenient)
    if not sets and issues:
        return empty_result(name, sha, issues)
    documented = set(properties.PROPERTIES["Projects"])
    tables, found, as_of = core.map_core(
        sets, role_field=role_field, profile=mapping, documented=documented
    )
    issues.extend(found)
    if not tables:
        return empty_result(name, sha, issues)
    known = set(tables["projects"]["project_id"].dropna()) if "projects" in tables else set()
    pf = portfolio.map_portfolio(sets, project_ids=known)
    issues.extend(pf.issues)
    tables.update({k: v for k, v in pf.frames.items() if len(v)})
    frames = _frames(tables)
    check_rules(frames, sheets_by_table(frames), issues, lenient=lenient, reference=reference)
    clean = {
        k: v.drop(columns=["_row"], errors="ignore").reset_index(drop=True)
        for k, v in frames.items()
    }
    return IngestResult(clean, issues, pf.settings, as_of, name, sha, documents=pf.documents)
