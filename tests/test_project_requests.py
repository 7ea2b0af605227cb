"""Project requests: submit, review, queue with alignment and capacity, export."""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pmo_core import project_requests as req
from pmo_core import schema, store
from pmo_core.errors import UsageError


def payload(**over: object) -> dict:
    p = {
        "title": "CRM for field sales",
        "department": "Ventes",
        "sponsor": "DG",
        "description": "Replace the spreadsheets",
        "expected_benefit": 900_000.0,
        "budget": 400_000.0,
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "ratings": {"O1": 9, "O2": 3},
        "demand": [
            {"role": "Dev", "month": "2027-01-15", "hours": 100.0},  # -> 2027-01-01
            {"role": "Dev", "month": "2027-02-01", "hours": 50.0},
            {"role": "", "month": "2027-02-01", "hours": 10.0},  # no role: dropped
        ],
        "risks": "Adoption",
    }
    p.update(over)
    return p


def test_problems_are_all_reported() -> None:
    found = req.problems(payload(title=" ", budget=-5, end_date="2026-06-01", ratings={"O1": 12}))
    texts = [t for t, _ in found]
    assert texts == [
        "A request needs a title.",
        "The budget cannot be negative.",
        "The end ({end}) is before the start ({start}).",
        "Rating {rating} for {objective} is outside 0-9.",
    ]


def test_submit_and_the_workflow(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with pytest.raises(req.RequestInvalid) as e:
        req.submit(payload(title=""), who="a@x.fr", path=db)
    assert e.value.problems[0][0] == "A request needs a title."
    assert req.load(db).empty  # nothing stored
    rid = req.submit(payload(), who="a@x.fr", path=db)
    r = req.load(db).iloc[0]
    assert (r["project_id"], r["status"], r["hours"]) == (f"REQ-{rid}", "submitted", 150.0)
    assert r["payload"]["demand"][0]["month"] == "2027-01-01"
    with pytest.raises(UsageError, match="needs a reason"):
        req.move(rid, "rejected", who="pmo", path=db)
    with pytest.raises(UsageError, match="cannot become"):
        req.move(rid, "converted", who="pmo", path=db)
    req.move(rid, "under_review", who="pmo", path=db)
    p = req.move(rid, "approved", who="pmo", path=db)
    assert [h["status"] for h in p["history"]] == ["submitted", "under_review", "approved"]
    assert req.load(db).iloc[0]["status"] == "approved"
    # Every step is in the audit log.
    assert (store.audit_log(db)["action"] == "save_request").sum() == 3


def test_queue_scores_alignment_and_the_capacity_it_would_need() -> None:
    requests = pd.DataFrame(
        [
            {
                "doc_id": 1,
                "project_id": "REQ-1",
                "title": "CRM",
                "department": None,
                "sponsor": None,
                "status": "submitted",
                "budget": 1.0,
                "expected_benefit": None,
                "start_date": None,
                "end_date": None,
                "submitted_by": None,
                "submitted_at": None,
                "hours": 150.0,
                "payload": req._clean(payload()),
            },
            {
                "doc_id": 2,
                "project_id": "REQ-2",
                "title": "Nothing",
                "department": None,
                "sponsor": None,
                "status": "submitted",
                "budget": 1.0,
                "expected_benefit": None,
                "start_date": None,
                "end_date": None,
                "submitted_by": None,
                "submitted_at": None,
                "hours": 0.0,
                "payload": req._clean(payload(ratings={}, demand=[])),
            },
        ]
    )
    frames = {
        "objectives": schema.conform(
            "objectives",
            pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["a", "b"], "weight": [3.0, 1.0]}),
        ),
        "pairwise": schema.empty_frame("pairwise"),
        "resources": schema.conform(
            "resources",
            pd.DataFrame(
                {
                    "resource_id": ["R1"],
                    "name": ["x"],
                    "role": ["Dev"],
                    "capacity_hours_per_month": [200.0],
                }
            ),
        ),
        "capacity": schema.empty_frame("capacity"),
        "allocations": schema.conform(
            "allocations",
            pd.DataFrame(
                {"project_id": ["P"], "role": ["Dev"], "month": ["2027-01-01"], "hours": [120.0]}
            ),
        ),
    }
    q = req.queue(requests, frames).set_index("project_id")
    # Weights 0.75 and 0.25: S = 0.75 x 9 + 0.25 x 3 = 7.5; score = 100 x 7.5 / 9 = 83.33
    assert q.loc["REQ-1", "alignment_score"] == pytest.approx(83.3333, abs=1e-3)
    # January: (120 existing + 100) / 200 = 1.1; February: 50 / 200 = 0.25 -> peak 1.1
    assert q.loc["REQ-1", "peak_utilisation"] == pytest.approx(1.1)
    assert not q.loc["REQ-1", "no_capacity"]
    assert math.isnan(q.loc["REQ-2", "peak_utilisation"])
    assert math.isnan(q.loc["REQ-2", "alignment_score"])  # not rated


def test_export_to_the_import_template_reimports(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    req.submit(payload(), who="a", path=db)
    data = req.to_workbook(req.load(db), "fr")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert "Projets" in wb.sheetnames
    from pmo_core import ingest

    back = ingest.read_file(data, filename="requests.xlsx")
    p = back.frames["projects"]
    assert p["project_id"].tolist() == ["REQ-1"] and p["budget"].tolist() == [400_000.0]
    assert back.frames["allocations"]["hours"].sum() == 150.0
    assert len(back.frames["alignment"]) == 2


def test_approved_requests_become_what_if_candidates(demo_db: Path, tmp_path: Path) -> None:
    import shutil

    from pmo_core import optimize

    db = tmp_path / "w.duckdb"
    shutil.copy(demo_db, db)
    rid = req.submit(
        payload(ratings={"OBJ1": 9, "OBJ2": 9, "OBJ3": 9}, budget=1.0, demand=[]),
        who="a",
        path=db,
    )
    req.move(rid, "approved", who="pmo", path=db)
    snap = store.get_snapshot(path=db)
    with_req = req.with_candidates(snap, req.load(db))
    assert f"REQ-{rid}" in set(with_req.frames["projects"]["project_id"])
    assert len(snap.frames["projects"]) + 1 == len(with_req.frames["projects"])
    # Running projects cost 22.8 M€; with 1.2 M€ left, a 1 € request rated 9 on three
    # objectives is the best buy: the optimiser takes it.
    doc = optimize.optimize_document(with_req, optimize.WhatIf(budget=24_000_000.0, time_limit=5))
    assert doc["status"] == "optimal"
    assert f"REQ-{rid}" in doc["selected"]


def test_version_stamp_counts_requests_and_their_moves() -> None:
    requests = pd.DataFrame({"payload": [{"history": [{}, {}]}, {"history": [{}]}, {}]})
    # 3 requests; 2 + 1 + 0 history entries = 3
    assert req.version_stamp(requests) == "3-3"
    no_request = pd.DataFrame([], columns=[*req.COLUMNS, "payload"])  # as req.load gives it
    assert req.version_stamp(no_request) == "0-0"


def test_to_review_counts_open_requests() -> None:
    q = pd.DataFrame({"status": ["submitted", "under_review", "approved", "rejected"]})
    assert req.to_review(q) == 2
    assert req.to_review(q.iloc[0:0]) == 0


def test_request_roles_from_resources_and_capacity() -> None:
    frames = {
        "resources": pd.DataFrame({"role": ["Dev", "PM", None]}),
        "capacity": pd.DataFrame({"role": ["Data", "Dev"]}),
    }
    assert req.request_roles(frames) == ["Data", "Dev", "PM"]
