"""The optimiser reaches the published OR-Library optima (objective, not the set).

Each problem becomes a portfolio: value -> expected_benefit, constraint 1 -> budget,
constraint k > 1 -> hours of a role ``Ck`` in one month with that role's capacity,
every project proposed; then ``optimize_document`` (value "benefit", with capacity) runs
the same path as ``python -m pmo_core optimize --value benefit --capacity``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import schema, store
from pmo_core.optimize import WhatIf, optimize_document

DATA = Path(__file__).parent / "data" / "orlib"
AS_OF = date(2026, 10, 31)
MONTH = pd.Timestamp("2026-10-01")


def mknap1() -> list[tuple[str, list[float], list[list[float]], list[float], float]]:
    nums = (DATA / "mknap1.txt").read_text().split()
    it = iter(nums)
    problems = []
    for k in range(int(next(it))):
        n, m, opt = int(next(it)), int(next(it)), float(next(it))
        values = [float(next(it)) for _ in range(n)]
        weights = [[float(next(it)) for _ in range(n)] for _ in range(m)]
        caps = [float(next(it)) for _ in range(m)]
        problems.append((f"mknap1-{k + 1}", values, weights, caps, opt))
    return problems


def weing() -> list[tuple[str, list[float], list[list[float]], list[float], float]]:
    optima = pd.read_csv(DATA / "optima.csv")
    out = []
    for row in optima.itertuples():
        df = pd.read_csv(DATA / row.file)
        out.append(
            (
                row.file.split("_")[0],
                df["value"].tolist(),
                [df["budget_period_1"].tolist(), df["budget_period_2"].tolist()],
                [float(row.capacity_period_1), float(row.capacity_period_2)],
                float(row.published_optimum),
            )
        )
    return out


def as_snapshot(
    values: list[float], weights: list[list[float]], caps: list[float]
) -> store.Snapshot:
    n = len(values)
    ids = [f"P{i + 1:03d}" for i in range(n)]
    projects = schema.conform(
        "projects",
        pd.DataFrame(
            {
                "project_id": ids,
                "name": ids,
                "status": "proposed",
                "budget": weights[0],
                "expected_benefit": values,
                "mandatory": False,
            }
        ),
    )
    alloc = pd.DataFrame(
        [
            {"project_id": ids[i], "role": f"C{k + 1}", "month": MONTH, "hours": w[i]}
            for k, w in enumerate(weights[1:], start=1)
            for i in range(n)
            if w[i] > 0
        ],
        columns=["project_id", "role", "month", "hours"],
    )
    capacity = pd.DataFrame(
        {
            "role": [f"C{k + 1}" for k in range(1, len(caps))],
            "month": MONTH,
            "capacity_hours": caps[1:],
        }
    )
    frames = {name: schema.empty_frame(name) for name in schema.TABLES}
    frames["projects"] = projects
    frames["allocations"] = schema.conform("allocations", alloc)
    frames["capacity"] = schema.conform("capacity", capacity)
    return store.Snapshot(1, AS_OF, datetime(2026, 11, 1), "orlib", "EUR", {}, frames)


CASES = mknap1() + weing()


@pytest.mark.parametrize(
    ("name", "values", "weights", "caps", "optimum"), CASES, ids=[c[0] for c in CASES]
)
def test_optimizer_reaches_the_published_optimum(
    name: str,
    values: list[float],
    weights: list[list[float]],
    caps: list[float],
    optimum: float,
) -> None:
    doc = optimize_document(
        as_snapshot(values, weights, caps),
        WhatIf(budget=caps[0], capacity=True, value="benefit", time_limit=30),
    )
    assert doc["status"] == "optimal", name
    assert doc["objective"] == pytest.approx(optimum, abs=0.05)
    assert doc["gap"] == 0
    assert doc["total_cost"] <= caps[0] + 1e-6
    assert doc["greedy_objective"] <= doc["objective"] + 1e-6
