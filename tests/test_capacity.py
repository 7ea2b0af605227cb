"""Capacity against demand: a two-role, three-month case by hand."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from pmo_core import schema, store
from pmo_core.kpi import capacity

JAN, FEB, MAR = (pd.Timestamp(f"2026-0{m}-01") for m in (1, 2, 3))


def case() -> dict[str, pd.DataFrame]:
    resources = schema.conform(
        "resources",
        pd.DataFrame(
            {
                "resource_id": ["D1", "D2", "T1"],
                "name": ["Dev 1", "Dev 2", "Test 1"],
                "role": ["Dev", "Dev", "Test"],
                "capacity_hours_per_month": [140.0, 70.0, 140.0],
            }
        ),
    )
    alloc = schema.conform(
        "allocations",
        pd.DataFrame(
            {
                "project_id": ["P1", "P2", "P1", "P1", "P2", "P1"],
                "role": ["Dev", "Dev", "Dev", None, "Test", "Test"],
                "resource_id": [None, None, None, "D1", None, None],
                "month": [JAN, JAN, FEB, MAR, JAN, FEB],
                "hours": [150.0, 100.0, 60.0, 40.0, 70.0, 30.0],
            }
        ),
    )
    # The Capacity sheet says Test has no capacity in February (a freeze).
    cap = schema.conform(
        "capacity", pd.DataFrame({"role": ["Test"], "month": [FEB], "capacity_hours": [0.0]})
    )
    return {"resources": resources, "allocations": alloc, "capacity": cap}


def test_two_roles_three_months_by_hand() -> None:
    f = case()
    load = capacity.utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    u = load.set_index(["role", "month"])
    # Dev capacity = 140 + 70 = 210 h. Jan: 150 + 100 = 250 -> 119 %, over.
    assert u.loc[("Dev", JAN), "demand_hours"] == 250
    assert u.loc[("Dev", JAN), "capacity_hours"] == 210
    assert u.loc[("Dev", JAN), "utilisation"] == 250 / 210
    assert bool(u.loc[("Dev", JAN), "over"])
    # Feb: 60 / 210 = 28.6 %. Mar: the allocation names D1, a Dev: 40 / 210.
    assert u.loc[("Dev", FEB), "utilisation"] == 60 / 210
    assert u.loc[("Dev", MAR), "utilisation"] == 40 / 210
    # Test in Jan: 70 / 140 = 50 %. In Feb the sheet gives 0 h: unbounded demand, no error.
    assert u.loc[("Test", JAN), "utilisation"] == 0.5
    assert math.isnan(u.loc[("Test", FEB), "utilisation"])
    assert bool(u.loc[("Test", FEB), "unbounded"]) and bool(u.loc[("Test", FEB), "over"])


def test_projects_behind_a_cell_largest_first() -> None:
    f = case()
    cell = capacity.cell_projects(f["allocations"], f["resources"], "Dev", JAN)
    assert cell["project_id"].tolist() == ["P1", "P2"]
    assert cell["hours"].tolist() == [150, 100]


def test_overallocations_list_excess_and_projects() -> None:
    f = case()
    load = capacity.utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    over = capacity.overallocations(load, f["allocations"], f["resources"])
    assert over.iloc[0]["role"] == "Dev" and over.iloc[0]["excess_hours"] == 40
    assert over.iloc[0]["top_projects"].startswith("P1 (150 h)")


def test_per_resource_view_and_json_document() -> None:
    f = case()
    by_res = capacity.utilisation_by_resource_month(f["allocations"], f["resources"])
    assert by_res[["resource_id", "demand_hours", "capacity_hours"]].values.tolist() == [
        ["D1", 40.0, 140.0]
    ]
    frames = {n: schema.empty_frame(n) for n in schema.TABLES} | f
    snap = store.Snapshot(1, date(2026, 1, 31), datetime(2026, 2, 1), "t", "EUR", {}, frames)
    doc = capacity.capacity_document(snap)
    test_feb = next(r for r in doc["rows"] if r["role"] == "Test" and r["month"] == "2026-02-01")
    assert test_feb["utilisation"] is None  # no capacity: null, never infinity
    assert doc["over_allocated"] == 2


def test_project_hours_answer_every_cell_and_the_top_projects() -> None:
    f = case()
    by = capacity.project_hours(f["allocations"], f["resources"])
    # Six allocation rows, six distinct (role, month, project) cells; D1's March hours
    # count for Dev.
    assert by.values.tolist() == [
        ["Dev", JAN, "P1", 150.0],
        ["Dev", JAN, "P2", 100.0],
        ["Dev", FEB, "P1", 60.0],
        ["Dev", MAR, "P1", 40.0],
        ["Test", JAN, "P2", 70.0],
        ["Test", FEB, "P1", 30.0],
    ]
    cell = capacity.cell_projects(None, None, "Dev", JAN, by_project=by)
    assert cell.values.tolist() == [["P1", 150.0], ["P2", 100.0]]
    load = capacity.utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    over = capacity.overallocations(load, None, None, by_project=by, top=1)
    # Dev Jan: 250 - 210 = 40 h over; Test Feb: 30 h of demand and no capacity.
    assert over[["role", "excess_hours", "top_projects"]].values.tolist() == [
        ["Dev", 40.0, "P1 (150 h)"],
        ["Test", 30.0, "P1 (30 h)"],
    ]


def test_restrict_to_a_horizon_and_roles() -> None:
    f = case()
    load = capacity.utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    assert len(load) == 6  # two roles x three months (Test has capacity in March too)
    part = capacity.restrict(load, (FEB, None), ["Test"])
    assert part[["role", "month"]].values.tolist() == [["Test", FEB], ["Test", MAR]]
    assert len(capacity.restrict(load, (None, JAN))) == 2
    assert len(capacity.restrict(load, None, [])) == 6  # no role chosen: all


def test_per_resource_horizon_and_busiest_resources() -> None:
    f = case()
    assert capacity.utilisation_by_resource_month(
        f["allocations"], f["resources"], (JAN, FEB)
    ).empty  # D1 is only booked in March
    load = pd.DataFrame(
        {
            "resource_id": ["R1", "R1", "R2", "R3"],
            "month": [JAN, FEB, JAN, JAN],
            "utilisation": [0.5, 0.2, float("nan"), 1.2],
            "unbounded": [False, False, True, False],
        }
    )
    # R2 has demand and no capacity (first), then R3 at 120 %, then R1 at 50 %.
    assert capacity.busiest_resources(load, 2) == ["R2", "R3"]
    assert capacity.busiest_resources(load) == ["R2", "R3", "R1"]


def test_projects_behind_a_resource_cell() -> None:
    f = case()
    extra = pd.DataFrame(
        {
            "project_id": ["P2"],
            "role": [None],
            "resource_id": ["D1"],
            "month": [MAR],
            "hours": [55.0],
        }
    )
    alloc = pd.concat([f["allocations"], schema.conform("allocations", extra)], ignore_index=True)
    cell = capacity.resource_cell_projects(alloc, "D1", MAR)
    assert cell.values.tolist() == [["P2", 55.0], ["P1", 40.0]]
    assert capacity.resource_cell_projects(alloc, "D1", JAN).empty


def test_project_hours_by_role_fills_roles_from_resources() -> None:
    import pandas as pd

    from pmo_core.kpi import capacity

    a = pd.DataFrame(
        {
            "project_id": ["P", "P", "P", "Q"],
            "role": [None, "Dev", "PM", "Dev"],
            "resource_id": ["R1", None, None, None],
            "month": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-04-01", "2026-03-01"]),
            "hours": [20.0, 10.0, 8.0, 50.0],
        }
    )
    r = pd.DataFrame({"resource_id": ["R1"], "role": ["Dev"], "capacity_hours_per_month": [140.0]})
    t = capacity.project_hours_by_role(a, r, "P")
    # Dev: R1's 20 h + 10 h in March = 30; PM: 8 h in April. Q's 50 h are not P's.
    assert t.loc["Dev", "2026-03-01"] == 30.0 and t.loc["Dev", "2026-04-01"] == 0.0
    assert t.loc["PM", "total"] == 8.0
    assert list(t.index) == ["Dev", "PM"]  # largest first


def test_resource_labels_join_id_and_name() -> None:
    load = pd.DataFrame({"resource_id": ["R1", "R2"], "name": ["Ana Lopez", None]})
    out = capacity.resource_labels(load)
    # "R1" + " · " + "Ana Lopez"; a resource without a name keeps its id and the dot.
    assert out["label"].tolist() == ["R1 · Ana Lopez", "R2 · "]
    assert list(load.columns) == ["resource_id", "name"]  # the input is left as it was
