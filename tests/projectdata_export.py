"""A small Project Online ProjectData export built by hand, in the three shapes.

Every property name is a documented one (pmo_core/ingest/projectdata/properties.py),
plus two enterprise custom fields on Projects (``Sponsor``, ``Programme``) and one on
Resources (``Métier``). :data:`SETS` holds the records as Python literals (the daily
timephased rows are spread from the monthly plans :data:`WORK`, :data:`CAPACITY_DAYS`
and :data:`BASELINE_COST` by :func:`timephased`); :func:`write` writes them as an xlsx
workbook, a folder or zip of JSON pages (OData v3 or v4) or of CSV files.
``extra`` adds entity sets; :data:`PORTFOLIO` holds the portfolio-analysis ones.

The plan (as-of 2026-07-01, the latest ProjectStatusDate), worked out in tests:

- P1 Alpha CRM: start 2026-01-01, baseline finish 2026-06-30, BAC 120 000 (20 000 per
  month Jan-Jun), 75 % complete, AC 100 000;
- P2 Beta ERP: start 2026-03-01, baseline finish 2026-12-31, BAC 240 000 (24 000 per
  month Mar-Dec), 40 %, AC 80 000;
- P3 Gamma BI: start 2026-04-01, baseline finish 2026-12-31, BAC 180 000 (20 000 per
  month Apr-Dec), 30 %, AC 60 000;
- P4 Delta App: not started (0 %, AC 0), start 2026-09-01, BAC 50 000 (12 500 per month
  Sep-Dec), no status date.

Resources: R1 Alice and R2 Bruno (group Developer), R3 Chloé (group Analyst), each with
a Capacity of 8 h on days 1-20 of every month of 2026 (160 h per month).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

P1 = "11111111-1111-4111-8111-111111111111"
P2 = "22222222-2222-4222-8222-222222222222"
P3 = "33333333-3333-4333-8333-333333333333"
P4 = "44444444-4444-4444-8444-444444444444"
R1 = "a1a1a1a1-0000-4000-8000-000000000001"
R2 = "a1a1a1a1-0000-4000-8000-000000000002"
R3 = "a1a1a1a1-0000-4000-8000-000000000003"
AS_OF = "2026-07-01"


def _t(n: int) -> str:
    return f"b2b2b2b2-0000-4000-8000-{n:012d}"


def _d(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


PROJECTS: list[dict[str, Any]] = [
    {
        "ProjectId": P1,
        "ProjectName": "Alpha CRM",
        "ProjectOwnerName": "Alice Martin",
        "ProjectStartDate": _d("2026-01-01T08:00:00"),
        "ProjectFinishDate": _d("2026-07-31T17:00:00"),
        "ProjectCost": 133333.33,
        "ProjectActualCost": 100000.0,
        "ProjectPercentCompleted": 75,
        "ProjectDepartments": "Ventes",
        "EnterpriseProjectTypeName": "Projet SI",
        "ProjectStatusDate": _d("2026-07-01T00:00:00"),
        "ProjectModifiedDate": _d("2026-07-02T10:00:00"),
        "ProjectType": 0,
        "Sponsor": "Direction commerciale",
        "Programme": "Transformation",
    },
    {
        "ProjectId": P2,
        "ProjectName": "Beta ERP",
        "ProjectOwnerName": "Bruno Petit",
        "ProjectStartDate": _d("2026-03-01T08:00:00"),
        "ProjectFinishDate": _d("2026-12-31T17:00:00"),
        "ProjectCost": 200000.0,
        "ProjectActualCost": 80000.0,
        "ProjectPercentCompleted": 40,
        "ProjectDepartments": "Finance",
        "EnterpriseProjectTypeName": "Projet SI",
        "ProjectStatusDate": _d("2026-07-01T00:00:00"),
        "ProjectModifiedDate": _d("2026-06-28T09:30:00"),
        "ProjectType": 0,
        "Sponsor": "DAF",
        "Programme": "Transformation",
    },
    {
        "ProjectId": P3,
        "ProjectName": "Gamma BI",
        "ProjectOwnerName": "Chloé Durand",
        "ProjectStartDate": _d("2026-04-01T08:00:00"),
        "ProjectFinishDate": _d("2027-01-29T17:00:00"),
        "ProjectCost": 200000.0,
        "ProjectActualCost": 60000.0,
        "ProjectPercentCompleted": 30,
        "ProjectDepartments": "Finance",
        "EnterpriseProjectTypeName": "Projet décisionnel",
        "ProjectStatusDate": _d("2026-06-30T00:00:00"),
        "ProjectModifiedDate": _d("2026-06-30T18:00:00"),
        "ProjectType": 0,
        "Sponsor": "DAF",
        "Programme": "Données",
    },
    {
        "ProjectId": P4,
        "ProjectName": "Delta App",
        "ProjectOwnerName": "Alice Martin",
        "ProjectStartDate": _d("2026-09-01T08:00:00"),
        "ProjectFinishDate": _d("2026-12-31T17:00:00"),
        "ProjectCost": 50000.0,
        "ProjectActualCost": 0.0,
        "ProjectPercentCompleted": 0,
        "ProjectDepartments": "Ventes",
        "EnterpriseProjectTypeName": "Projet SI",
        "ProjectStatusDate": None,
        "ProjectModifiedDate": _d("2026-05-15T11:00:00"),
        "ProjectType": 0,
        "Sponsor": None,
        "Programme": "Données",
    },
]

PROJECT_BASELINES: list[dict[str, Any]] = [
    {
        "ProjectId": P,
        "BaselineNumber": n,
        "ProjectName": name,
        "ProjectBaselineCost": cost,
        "ProjectBaselineStartDate": _d(start),
        "ProjectBaselineFinishDate": _d(finish),
    }
    for P, n, name, cost, start, finish in [
        (P1, 0, "Alpha CRM", 120000.0, "2026-01-01T08:00:00", "2026-06-30T17:00:00"),
        (P1, 1, "Alpha CRM", 999999.0, "2026-01-01T08:00:00", "2026-03-31T17:00:00"),
        (P2, 0, "Beta ERP", 240000.0, "2026-03-01T08:00:00", "2026-12-31T17:00:00"),
        (P3, 0, "Gamma BI", 180000.0, "2026-04-01T08:00:00", "2026-12-31T17:00:00"),
        (P4, 0, "Delta App", 50000.0, "2026-09-01T08:00:00", "2026-12-31T17:00:00"),
    ]
]


def _task(
    P: str,
    n: int,
    name: str,
    milestone: bool,
    finish: str,
    actual: str | None = None,
    summary: bool = False,
) -> dict[str, Any]:
    return {
        "ProjectId": P,
        "TaskId": _t(n),
        "TaskName": name,
        "TaskIsMilestone": milestone,
        "TaskIsSummary": summary,
        "TaskFinishDate": _d(finish),
        "TaskActualFinishDate": _d(actual),
        "TaskPercentCompleted": 100 if actual else 0,
        "TaskIndex": n,
    }


TASKS: list[dict[str, Any]] = [
    _task(P1, 1, "Kick-off", True, "2026-01-05T17:00:00", "2026-01-05T17:00:00"),
    _task(P1, 2, "Build", False, "2026-07-24T17:00:00"),
    _task(P1, 3, "Go-live", True, "2026-07-31T17:00:00"),
    _task(P2, 4, "Design approved", True, "2026-06-30T17:00:00", "2026-06-30T17:00:00"),
    _task(P2, 5, "Configure", False, "2026-12-18T17:00:00"),
    _task(P3, 6, "Phase 1", True, "2026-09-30T17:00:00", summary=True),
    _task(P3, 7, "Prototype", True, "2026-08-14T17:00:00"),
    _task(P4, 8, "Gate 1", True, "2026-09-15T17:00:00"),
]

TASK_BASELINES: list[dict[str, Any]] = [
    {"ProjectId": P, "TaskId": _t(n), "BaselineNumber": 0, "TaskBaselineFinishDate": _d(f)}
    for P, n, f in [
        (P1, 1, "2026-01-05T17:00:00"),
        (P1, 2, "2026-06-26T17:00:00"),
        (P1, 3, "2026-06-30T17:00:00"),
        (P2, 4, "2026-05-15T17:00:00"),
        (P2, 5, "2026-12-18T17:00:00"),
        (P3, 6, "2026-09-30T17:00:00"),
        (P3, 7, "2026-05-01T17:00:00"),
    ]
]

RESOURCES: list[dict[str, Any]] = [
    {
        "ResourceId": R1,
        "ResourceName": "Alice Martin",
        "ResourceGroup": "Developer",
        "ResourceDepartments": "DSI",
        "ResourceStandardRate": 80.0,
        "ResourceIsGeneric": False,
        "Métier": "Développeur",
    },
    {
        "ResourceId": R2,
        "ResourceName": "Bruno Petit",
        "ResourceGroup": "Developer",
        "ResourceDepartments": "DSI",
        "ResourceStandardRate": 75.0,
        "ResourceIsGeneric": False,
        "Métier": "Développeur",
    },
    {
        "ResourceId": R3,
        "ResourceName": "Chloé Durand",
        "ResourceGroup": "Analyst",
        "ResourceDepartments": "DSI",
        "ResourceStandardRate": 70.0,
        "ResourceIsGeneric": False,
        "Métier": "Analyste",
    },
]

RISKS: list[dict[str, Any]] = [
    {
        "ProjectId": P1,
        "RiskId": "c3c3c3c3-0000-4000-8000-000000000001",
        "Title": "Vendor delay",
        "Probability": 50.0,
        "Impact": 3.0,
        "Cost": 20000.0,
        "CostExposure": 10000.0,
        "Status": "(1) Active",
        "Owner": "Alice Martin",
        "MitigationPlan": "Second vendor",
    },
    {
        "ProjectId": P2,
        "RiskId": "c3c3c3c3-0000-4000-8000-000000000002",
        "Title": "Data migration",
        "Probability": 20.0,
        "Impact": 4.0,
        "Cost": 50000.0,
        "CostExposure": 10000.0,
        "Status": "(1) Active",
        "Owner": "Bruno Petit",
        "MitigationPlan": None,
    },
    {
        "ProjectId": P3,
        "RiskId": "c3c3c3c3-0000-4000-8000-000000000003",
        "Title": "Key staff leaves",
        "Probability": 10.0,
        "Impact": 2.0,
        "Cost": 30000.0,
        "CostExposure": 3000.0,
        "Status": "(3) Closed",
        "Owner": "Chloé Durand",
        "MitigationPlan": "Pairing",
    },
]

#: Work per (project, resource): first month, last month, hours per month (spread over
#: days 1-10 of each month, a tenth each).
WORK: list[tuple[str, str, int, int, float]] = [
    (P1, R1, 1, 6, 80.0),
    (P1, R3, 1, 3, 40.0),
    (P2, R2, 3, 8, 120.0),
    (P2, R1, 7, 12, 100.0),
    (P3, R3, 4, 12, 100.0),
    (P3, R2, 9, 12, 160.0),
    (P4, R1, 9, 12, 80.0),
    (P4, R2, 9, 12, 40.0),
]
#: Baseline cost per project: first month, last month, cost per month (days 1-10).
BASELINE_COST: list[tuple[str, int, int, float]] = [
    (P1, 1, 6, 20000.0),
    (P2, 3, 12, 24000.0),
    (P3, 4, 12, 20000.0),
    (P4, 9, 12, 12500.0),
]
CAPACITY_DAYS = 20  # days 1-20 of every month, 8 h each: 160 h per month per resource


def _assignment(P: str, R: str) -> str:
    return f"d4d4d4d4-{P[:4]}-4000-8000-{R[-12:]}"


def timephased() -> dict[str, list[dict[str, Any]]]:
    """The three daily timephased sets, spread from the monthly plans."""
    work, base, cap = [], [], []
    for P, R, first, last, hours in WORK:
        for m in range(first, last + 1):
            for day in range(1, 11):
                work.append(
                    {
                        "ProjectId": P,
                        "AssignmentId": _assignment(P, R),
                        "ResourceId": R,
                        "TimeByDay": datetime(2026, m, day),
                        "AssignmentWork": hours / 10,
                    }
                )
    for P, first, last, cost in BASELINE_COST:
        for m in range(first, last + 1):
            for day in range(1, 11):
                base.append(
                    {
                        "ProjectId": P,
                        "AssignmentId": _assignment(P, R1),
                        "BaselineNumber": 0,
                        "TimeByDay": datetime(2026, m, day),
                        "AssignmentBaselineCost": cost / 10,
                    }
                )
    base.append(
        {  # a baseline 1 row: not the baseline read
            "ProjectId": P1,
            "AssignmentId": _assignment(P1, R1),
            "BaselineNumber": 1,
            "TimeByDay": datetime(2026, 1, 2),
            "AssignmentBaselineCost": 55555.0,
        }
    )
    for R in (R1, R2, R3):
        for m in range(1, 13):
            for day in range(1, CAPACITY_DAYS + 1):
                cap.append({"ResourceId": R, "TimeByDay": datetime(2026, m, day), "Capacity": 8.0})
    return {
        "AssignmentTimephasedDataSet": work,
        "AssignmentBaselineTimephasedDataSet": base,
        "ResourceTimephasedDataSet": cap,
    }


# ------------------------------------------------------------------ portfolio analysis
# Three business drivers compared pairwise (A over B "is more important than": 3, A
# over C "is extremely more important than": 9, B over C "is more important than": 3).
# 9 = 3 x 3: consistent, so the eigenvector is the first column normalised, (9, 3, 1) /
# 13 = 0.6923, 0.2308, 0.0769, lambda_max = 3, CR = 0; Project Server stored these
# priorities and a consistency ratio of 1.0 (its scale: 1 = consistent). One analysis
# ranks the four projects: AbsolutePriority 0.50, 0.25, 0.15, 0.10 (scores 50, 25, 15,
# 10; they sum to 1, so Priority is the same). One cost scenario: P1 forced in, P4 forced
# out, P2 chosen, P3 left out; selected cost 360 000 (BAC 120 000 + 240 000), value 75.
DA = "d0d0d0d0-0000-4000-8000-00000000000a"
DB = "d0d0d0d0-0000-4000-8000-00000000000b"
DC = "d0d0d0d0-0000-4000-8000-00000000000c"
PRIO = "e0e0e0e0-0000-4000-8000-000000000001"
ANALYSIS = "f0f0f0f0-0000-4000-8000-000000000001"
SCENARIO = "f1f1f1f1-0000-4000-8000-000000000001"

PORTFOLIO: dict[str, list[dict[str, Any]]] = {
    "BusinessDrivers": [
        {"BusinessDriverId": i, "BusinessDriverName": n, "BusinessDriverIsActive": True}
        for i, n in ((DA, "Croissance"), (DB, "Efficacité"), (DC, "Conformité"))
    ],
    "Prioritizations": [
        {
            "PrioritizationId": PRIO,
            "PrioritizationName": "Axes 2026",
            "PrioritizationIsManual": False,
            "ConsistencyRatio": 1.0,
            "PrioritizationModifiedDate": _d("2026-05-01T09:00:00"),
        }
    ],
    "PrioritizationDrivers": [
        {"PrioritizationId": PRIO, "BusinessDriverId": i, "BusinessDriverPriority": w}
        for i, w in ((DA, 0.6923), (DB, 0.2308), (DC, 0.0769))
    ],
    "PrioritizationDriverRelations": [
        {
            "PrioritizationId": PRIO,
            "BusinessDriver1Id": a,
            "BusinessDriver2Id": b,
            "RelationValue": v,
        }
        for a, b, v in (
            (DA, DB, "is more important than"),
            (DA, DC, "is extremely more important than"),
            (DB, DC, "is more important than"),
        )
    ],
    "PortfolioAnalyses": [
        {
            "AnalysisId": ANALYSIS,
            "AnalysisName": "Portefeuille 2026",
            "PrioritizationId": PRIO,
            "ModifiedDate": _d("2026-05-15T09:00:00"),
        }
    ],
    "PortfolioAnalysisProjects": [
        {"AnalysisId": ANALYSIS, "ProjectId": P, "AbsolutePriority": a, "Priority": a}
        for P, a in ((P1, 0.50), (P2, 0.25), (P3, 0.15), (P4, 0.10))
    ],
    "CostConstraintScenarios": [
        {
            "ScenarioId": SCENARIO,
            "ScenarioName": "Budget 360 k",
            "AnalysisId": ANALYSIS,
            "AnalysisName": "Portefeuille 2026",
            "SelectedProjectsCost": 360000.0,
            "SelectedProjectsPriority": 0.75,
        }
    ],
    "CostScenarioProjects": [
        {
            "ScenarioId": SCENARIO,
            "AnalysisId": ANALYSIS,
            "ProjectId": P,
            "Status": status,
            "ForceStatus": force,
        }
        for P, status, force in ((P1, 0, 0), (P2, 0, 2), (P3, 1, 2), (P4, 1, 1))
    ],
}


def sets(
    extra: dict[str, list[dict[str, Any]]] | None = None, drop: tuple[str, ...] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Every entity set's records (``extra`` added, ``drop`` left out)."""
    out = {
        "Projects": PROJECTS,
        "ProjectBaselines": PROJECT_BASELINES,
        "Tasks": TASKS,
        "TaskBaselines": TASK_BASELINES,
        "Resources": RESOURCES,
        "Risks": RISKS,
        **timephased(),
        **PORTFOLIO,
        **(extra or {}),
    }
    return {k: v for k, v in out.items() if k not in drop}


# ------------------------------------------------------------------------------ writers

#: Edm.Decimal properties written as strings in OData v3 JSON (as the service does).
V3_DECIMALS = ("Cost", "Work", "Capacity", "Rate")


def _v3(value: Any, key: str) -> Any:
    if isinstance(value, datetime):
        return f"/Date({int((value - datetime(1970, 1, 1)).total_seconds() * 1000)})/"
    if isinstance(value, float) and key.endswith(V3_DECIMALS):
        return f"{value:.6f}"
    return value


def _v4(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _pages(records: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [records[i : i + size] for i in range(0, len(records), size)] or [[]]


def json_files(
    data: dict[str, list[dict[str, Any]]], version: int = 4, page: int = 1000
) -> dict[str, bytes]:
    """One file per set; a set longer than ``page`` rows in several pages: v3 as
    several files (``Set.json``, ``Set_2.json``...), v4 as documents one after the
    other in one file, each but the last with its ``odata.nextLink``."""
    files: dict[str, bytes] = {}
    for name, records in data.items():
        pages = _pages(records, page)
        if version == 3:
            for k, chunk in enumerate(pages):
                rows = [
                    {
                        "__metadata": {"type": f"ReportingData.{name}"},
                        **{key: _v3(v, key) for key, v in r.items()},
                    }
                    for r in chunk
                ]
                fname = f"{name}.json" if k == 0 else f"{name}_{k + 1}.json"
                files[fname] = json.dumps({"d": {"results": rows}}).encode()
        else:
            docs = []
            for k, chunk in enumerate(pages):
                doc: dict[str, Any] = {
                    "value": [{key: _v4(v) for key, v in r.items()} for r in chunk]
                }
                if k < len(pages) - 1:
                    doc["odata.nextLink"] = f"{name}?$skip={(k + 1) * page}"
                docs.append(json.dumps(doc))
            files[f"{name}.json"] = "\n".join(docs).encode()
    return files


def csv_files(data: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    import csv

    files = {}
    for name, records in data.items():
        keys: list[str] = []
        for r in records:
            keys += [k for k in r if k not in keys]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=keys)
        w.writeheader()
        for r in records:
            w.writerow({k: ("" if v is None else _v4(v)) for k, v in r.items()})
        files[f"{name}.csv"] = buf.getvalue().encode("utf-8")
    return files


def xlsx_bytes(data: dict[str, list[dict[str, Any]]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"remove_timezone": True})
    dates = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for name, records in data.items():
        ws = wb.add_worksheet(name[:31])
        keys: list[str] = []
        for r in records:
            keys += [k for k in r if k not in keys]
        ws.write_row(0, 0, keys)
        for i, r in enumerate(records, start=1):
            for j, k in enumerate(keys):
                v = r.get(k)
                if v is None:
                    continue
                if isinstance(v, datetime):
                    ws.write_datetime(i, j, v, dates)
                else:
                    ws.write(i, j, v)
    wb.close()
    return buf.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(f"export/{name}", data)
    return buf.getvalue()


def write(
    shape: str,
    folder: Path,
    extra: dict[str, list[dict[str, Any]]] | None = None,
    drop: tuple[str, ...] = (),
    page: int = 1000,
) -> Path:
    """The export in one shape under ``folder``: ``xlsx`` (a workbook), ``json3`` /
    ``json4`` / ``csv`` (a folder of files), ``json3.zip`` / ``json4.zip`` / ``csv.zip``."""
    data = sets(extra, drop)
    folder.mkdir(parents=True, exist_ok=True)
    if shape == "xlsx":
        path = folder / "projectdata.xlsx"
        path.write_bytes(xlsx_bytes(data))
        return path
    kind = shape.removesuffix(".zip")
    files = csv_files(data) if kind == "csv" else json_files(data, int(kind[-1]), page)
    if shape.endswith(".zip"):
        path = folder / f"projectdata_{kind}.zip"
        path.write_bytes(zipped(files))
        return path
    out = folder / f"projectdata_{kind}"
    out.mkdir(exist_ok=True)
    for name, data_bytes in files.items():
        (out / name).write_bytes(data_bytes)
    return out
