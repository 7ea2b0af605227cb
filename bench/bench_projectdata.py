"""Import of a Project Online ProjectData export at scale (issue 19).

A generated export, OData v4 JSON pages in a folder: 2,000 projects, 40,000 tasks
(4,000 milestones), 300 resources, 1,000,000 daily AssignmentTimephasedDataSet rows,
109,500 ResourceTimephasedDataSet rows (300 resources x 365 days), 250,000
AssignmentBaselineTimephasedDataSet rows. Budget: read + validate within 3x the bare
read of its files (``json.loads`` of every page), peak memory under 4 GB; each is
measured in a fresh process (``ru_maxrss``), median of 3.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PROJECTS, TASKS_PER, RESOURCES = 2_000, 20, 300
WORK_ROWS, BASE_ROWS, PAGE = 1_000_000, 250_000, 100_000
RATIO_BUDGET, MEMORY_BUDGET_GB = 3.0, 4.0


def _guid(prefix: int, n: np.ndarray) -> pd.Series:
    return pd.Series([f"{prefix:08x}-0000-4000-8000-{i:012x}" for i in n])


def _write(folder: Path, name: str, frame: pd.DataFrame) -> None:
    for k, start in enumerate(range(0, max(len(frame), 1), PAGE)):
        chunk = frame.iloc[start : start + PAGE]
        body = chunk.to_json(orient="records", date_format="iso", date_unit="s")
        suffix = "" if k == 0 else f"_{k + 1}"
        (folder / f"{name}{suffix}.json").write_text(f'{{"value": {body}}}', encoding="utf-8")


def generate(folder: Path) -> None:
    rng = np.random.default_rng(19)
    pid = _guid(1, np.arange(PROJECTS))
    start = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 180, PROJECTS), "D")
    finish = start + pd.to_timedelta(rng.integers(90, 540, PROJECTS), "D")
    bac = rng.integers(50, 2_000, PROJECTS) * 1_000.0
    pct = rng.integers(0, 100, PROJECTS)
    _write(
        folder,
        "Projects",
        pd.DataFrame(
            {
                "ProjectId": pid,
                "ProjectName": [f"Project {i}" for i in range(PROJECTS)],
                "ProjectOwnerName": "PM",
                "ProjectStartDate": start,
                "ProjectFinishDate": finish,
                "ProjectActualCost": bac * pct / 100 * rng.uniform(0.8, 1.3, PROJECTS),
                "ProjectPercentCompleted": pct,
                "ProjectStatusDate": pd.Timestamp("2026-07-01"),
                "Sponsor": "Sponsor",
            }
        ),
    )
    _write(
        folder,
        "ProjectBaselines",
        pd.DataFrame(
            {
                "ProjectId": pid,
                "BaselineNumber": 0,
                "ProjectBaselineCost": bac,
                "ProjectBaselineFinishDate": finish,
            }
        ),
    )
    n_tasks = PROJECTS * TASKS_PER
    t_project = np.repeat(np.arange(PROJECTS), TASKS_PER)
    tid = _guid(2, np.arange(n_tasks))
    t_finish = start.to_numpy()[t_project] + pd.to_timedelta(rng.integers(0, 300, n_tasks), "D")
    milestone = (np.arange(n_tasks) % TASKS_PER) < 2
    _write(
        folder,
        "Tasks",
        pd.DataFrame(
            {
                "ProjectId": pid.to_numpy()[t_project],
                "TaskId": tid,
                "TaskName": "Task",
                "TaskIsMilestone": milestone,
                "TaskIsSummary": False,
                "TaskFinishDate": t_finish,
            }
        ),
    )
    _write(
        folder,
        "TaskBaselines",
        pd.DataFrame(
            {
                "ProjectId": pid.to_numpy()[t_project][milestone],
                "TaskId": tid[milestone],
                "BaselineNumber": 0,
                "TaskBaselineFinishDate": t_finish[milestone],
            }
        ),
    )
    rid = _guid(3, np.arange(RESOURCES))
    _write(
        folder,
        "Resources",
        pd.DataFrame(
            {
                "ResourceId": rid,
                "ResourceName": [f"R{i}" for i in range(RESOURCES)],
                "ResourceGroup": [f"Role {i % 12}" for i in range(RESOURCES)],
            }
        ),
    )
    days = pd.date_range("2026-01-01", periods=365, freq="D")
    _write(
        folder,
        "ResourceTimephasedDataSet",
        pd.DataFrame(
            {
                "ResourceId": np.repeat(rid.to_numpy(), 365),
                "TimeByDay": np.tile(days, RESOURCES),
                "Capacity": 8.0,
            }
        ),
    )
    w_project = rng.integers(0, PROJECTS, WORK_ROWS)
    _write(
        folder,
        "AssignmentTimephasedDataSet",
        pd.DataFrame(
            {
                "ProjectId": pid.to_numpy()[w_project],
                "AssignmentId": _guid(4, w_project % 50_000),
                "ResourceId": rid.to_numpy()[rng.integers(0, RESOURCES, WORK_ROWS)],
                "TimeByDay": days[rng.integers(0, 365, WORK_ROWS)],
                "AssignmentWork": rng.integers(1, 9, WORK_ROWS).astype(float),
            }
        ),
    )
    b_project = rng.integers(0, PROJECTS, BASE_ROWS)
    _write(
        folder,
        "AssignmentBaselineTimephasedDataSet",
        pd.DataFrame(
            {
                "ProjectId": pid.to_numpy()[b_project],
                "AssignmentId": _guid(4, b_project),
                "BaselineNumber": 0,
                "TimeByDay": days[rng.integers(0, 365, BASE_ROWS)],
                "AssignmentBaselineCost": rng.integers(100, 2_000, BASE_ROWS).astype(float),
            }
        ),
    )


BARE = """
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
n = 0
for f in sorted(Path(sys.argv[1]).glob("*.json")):
    n += len(json.loads(f.read_text(encoding="utf-8"))["value"])
print("RESULT", time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)
"""
IMPORT = """
import resource, sys, time
sys.path.insert(0, sys.argv[2])
from pmo_core.ingest import pipeline
t = time.perf_counter()
r = pipeline.validate_file(sys.argv[1])
assert r.ok, [i.text() for i in r.issues if i.severity == "error"][:5]
n = sum(r.counts.values())
print("RESULT", time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)
"""


def _run(code: str, folder: Path) -> tuple[float, float, int]:
    """Seconds, peak memory (GB) and rows of one fresh process running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT")).split()
    return float(line[1]), float(line[2]) / 2**20, int(line[3])


def main() -> None:
    print("## ProjectData import (2,000 projects, 40,000 tasks, 1,000,000 daily rows)\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder)
        size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
        bare, full = [], []
        for _ in range(3):  # interleaved: a busy machine slows both alike
            bare.append(_run(BARE, folder))
            full.append(_run(IMPORT, folder))
    b = statistics.median(x[0] for x in bare)
    f = statistics.median(x[0] for x in full)
    peak = max(x[1] for x in full)
    print("| measure | value (median of 3) | budget |\n|---|---|---|")
    print(f"| bare read (json.loads of every page), s | {b:.2f} | |")
    print(f"| read + validate (validate_file), s | {f:.2f} | <= {RATIO_BUDGET * b:.2f} |")
    print(f"| ratio | {f / b:.2f} | <= {RATIO_BUDGET:.0f} |")
    print(f"| peak memory of the import, GB | {peak:.2f} | < {MEMORY_BUDGET_GB:.0f} |")
    print(
        f"\nExport: {size:,.0f} MiB of JSON, {bare[0][2]:,} records; {full[0][2]:,} rows imported."
    )


if __name__ == "__main__":
    main()
