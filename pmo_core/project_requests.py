"""Project requests: proposals from every department, their review, and their path into
the portfolio (issue "Governance", DESIGN section 6).

A request lives in the store as a document of kind ``request`` beside the snapshots
(never changing one). Its payload holds what the requester gave and its history::

    {"title", "department", "sponsor", "description", "expected_benefit", "budget",
     "start_date", "end_date" (ISO dates), "ratings": {objective_id: 0-9},
     "demand": [{"role", "month" (YYYY-MM-01), "hours"}], "risks",
     "status", "history": [{"status", "who", "at", "reason"}]}

States: submitted -> under_review -> approved -> converted, and rejected (with a reason)
from any open state; a rejected request can be reopened for review. An approved request
is a candidate of the what-if (:func:`candidate_frames`, ids ``REQ-<doc_id>``) and can be
written to the import template for the next monthly upload (:func:`to_workbook`).

Examples:
    >>> problems(
    ...     {"title": "", "budget": -1, "start_date": "2027-03-01", "end_date": "2027-01-01"}
    ... )[0][0]
    'A request needs a title.'
    >>> can_move("submitted", "approved"), can_move("converted", "approved")
    (True, False)
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from pmo_core import schema, store
from pmo_core.errors import UsageError

KIND = "request"
STATES = ("submitted", "under_review", "approved", "rejected", "converted")
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"under_review", "approved", "rejected"}),
    "under_review": frozenset({"approved", "rejected"}),
    "approved": frozenset({"converted", "rejected"}),
    "rejected": frozenset({"under_review"}),
    "converted": frozenset(),
}
STATE_LABELS = {
    "submitted": "Submitted",
    "under_review": "Under review",
    "approved": "Approved",
    "rejected": "Rejected",
    "converted": "Converted",
}
ID_PREFIX = "REQ-"
COLUMNS = [
    "doc_id",
    "project_id",
    "title",
    "department",
    "sponsor",
    "status",
    "budget",
    "expected_benefit",
    "start_date",
    "end_date",
    "submitted_by",
    "submitted_at",
    "hours",
]


class RequestInvalid(UsageError):
    """A request cannot be saved; ``problems`` holds (template, params) pairs to translate."""

    def __init__(self, problems: list[tuple[str, dict[str, Any]]]) -> None:
        super().__init__("; ".join(t.format(**p) for t, p in problems))
        self.problems = problems


def can_move(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def _date(value: Any) -> pd.Timestamp | None:
    if value in (None, ""):
        return None
    ts = pd.Timestamp(value)
    return None if pd.isna(ts) else ts


def problems(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What stops a request from being submitted, as (English template, params)."""
    out: list[tuple[str, dict[str, Any]]] = []
    if not str(payload.get("title") or "").strip():
        out.append(("A request needs a title.", {}))
    for key, text in (
        ("budget", "The budget cannot be negative."),
        ("expected_benefit", "The expected benefit cannot be negative."),
    ):
        value = payload.get(key)
        if value is not None and (not np.isfinite(float(value)) or float(value) < 0):
            out.append((text, {}))
    start, end = _date(payload.get("start_date")), _date(payload.get("end_date"))
    if start is not None and end is not None and end < start:
        out.append(
            (
                "The end ({end}) is before the start ({start}).",
                {"end": end.date(), "start": start.date()},
            )
        )
    for oid, rating in (payload.get("ratings") or {}).items():
        if rating is not None and not 0 <= float(rating) <= 9:
            out.append(
                (
                    "Rating {rating} for {objective} is outside 0-9.",
                    {"rating": rating, "objective": oid},
                )
            )
    for row in payload.get("demand") or []:
        hours = row.get("hours")
        if hours is not None and float(hours) < 0:
            out.append(
                (
                    "Hours cannot be negative ({role}, {month}).",
                    {"role": row.get("role"), "month": row.get("month")},
                )
            )
    return out


def _clean(payload: dict[str, Any]) -> dict[str, Any]:
    """The stored form: numbers as floats, dates ISO, demand rows with a role and hours."""
    p = dict(payload)
    for key in ("budget", "expected_benefit"):
        p[key] = None if p.get(key) in (None, "") else float(p[key])
    for key in ("start_date", "end_date"):
        ts = _date(p.get(key))
        p[key] = ts.date().isoformat() if ts is not None else None
    p["ratings"] = {
        str(k): round(float(v)) for k, v in (p.get("ratings") or {}).items() if v is not None
    }
    demand = []
    for row in p.get("demand") or []:
        month = _date(row.get("month"))
        if row.get("role") and month is not None and row.get("hours"):
            demand.append(
                {
                    "role": str(row["role"]).strip(),
                    "month": month.to_period("M").to_timestamp().date().isoformat(),
                    "hours": float(row["hours"]),
                }
            )
    p["demand"] = demand
    return p


def submit(
    payload: dict[str, Any], *, who: str | None, path: str | os.PathLike[str] | None = None
) -> int:
    """Check and store a new request (state ``submitted``); return its id.

    Raises:
        RequestInvalid: with every problem; nothing is stored.
    """
    found = problems(payload)
    if found:
        raise RequestInvalid(found)
    p = _clean(payload)
    now = datetime.now().isoformat(timespec="seconds")
    p["status"] = "submitted"
    p["submitted_by"] = who
    p["history"] = [{"status": "submitted", "who": who, "at": now, "reason": None}]
    return store.save_document(KIND, p["title"].strip(), p, who=who, status="submitted", path=path)


def move(
    doc_id: int,
    new: str,
    *,
    who: str | None,
    reason: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Move a request to state ``new`` (a rejection needs a reason); return its payload.

    Raises:
        UsageError: unknown request, a move the workflow does not allow, or no reason.
    """
    docs = store.list_documents(KIND, path)
    row = docs[docs["doc_id"] == doc_id]
    if row.empty:
        raise UsageError(f"No request with id {doc_id}.")
    p = dict(row["payload"].iloc[0])
    old = p.get("status", "submitted")
    if not can_move(old, new):
        raise UsageError(f"A request {old} cannot become {new}.")
    if new == "rejected" and not (reason or "").strip():
        raise UsageError("A rejection needs a reason.")
    p["status"] = new
    p.setdefault("history", []).append(
        {
            "status": new,
            "who": who,
            "at": datetime.now().isoformat(timespec="seconds"),
            "reason": (reason or "").strip() or None,
        }
    )
    store.save_document(
        KIND, str(row["name"].iloc[0]), p, who=who, status=new, doc_id=doc_id, path=path
    )
    return p


def load(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every request, newest first: :data:`COLUMNS` plus ``payload``."""
    docs = store.list_documents(KIND, path)
    rows = []
    for doc in docs.itertuples():
        p = doc.payload
        rows.append(
            {
                "doc_id": int(doc.doc_id),
                "project_id": f"{ID_PREFIX}{int(doc.doc_id)}",
                "title": p.get("title"),
                "department": p.get("department"),
                "sponsor": p.get("sponsor"),
                "status": p.get("status", "submitted"),
                "budget": p.get("budget"),
                "expected_benefit": p.get("expected_benefit"),
                "start_date": _date(p.get("start_date")),
                "end_date": _date(p.get("end_date")),
                "submitted_by": p.get("submitted_by"),
                "submitted_at": (p.get("history") or [{}])[0].get("at"),
                "hours": float(sum(r.get("hours") or 0 for r in p.get("demand") or [])),
                "payload": p,
            }
        )
    out = pd.DataFrame(rows, columns=[*COLUMNS, "payload"])
    for col in ("start_date", "end_date"):
        out[col] = pd.to_datetime(out[col])
    return out


def version_stamp(requests: pd.DataFrame) -> str:
    """A text that changes whenever a request is added or moves (requests, then history
    entries in all): the key of a cached queue.

    Examples:
        >>> version_stamp(pd.DataFrame({"payload": [{"history": [1, 2]}, {"history": [1]}]}))
        '2-3'
    """
    return f"{len(requests)}-{requests['payload'].map(lambda p: len(p.get('history', []))).sum()}"


def to_review(queue: pd.DataFrame) -> int:
    """How many requests of a :func:`queue` wait for the PMO (submitted or under review).

    Examples:
        >>> to_review(pd.DataFrame({"status": ["submitted", "approved", "under_review"]}))
        2
    """
    return int(queue["status"].isin(["submitted", "under_review"]).sum()) if len(queue) else 0


def request_roles(frames: dict[str, pd.DataFrame]) -> list[str]:
    """The roles a request may ask hours of: those of the snapshot's resources and
    capacity, sorted.

    Examples:
        >>> request_roles({"resources": pd.DataFrame({"role": ["Dev", None]}),
        ...                "capacity": pd.DataFrame({"role": ["PM", "Dev"]})})
        ['Dev', 'PM']
    """
    return sorted(
        set(frames["resources"]["role"].dropna().astype(str))
        | set(frames["capacity"]["role"].dropna().astype(str))
    )


def candidate_frames(requests: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Requests as canonical ``projects``, ``alignment`` and ``allocations`` frames (status
    ``proposed``, ids ``REQ-<doc_id>``), for the what-if and the import template."""
    projects = pd.DataFrame(
        {
            "project_id": requests["project_id"],
            "name": requests["title"],
            "department": requests["department"],
            "sponsor": requests["sponsor"],
            "status": "proposed",
            "start_date": requests["start_date"],
            "end_date": requests["end_date"],
            "budget": requests["budget"],
            "expected_benefit": requests["expected_benefit"],
            "description": [p.get("description") for p in requests["payload"]],
        }
    )
    ratings = [
        {"project_id": pid, "objective_id": oid, "rating": r}
        for pid, p in zip(requests["project_id"], requests["payload"], strict=True)
        for oid, r in (p.get("ratings") or {}).items()
    ]
    demand = [
        {"project_id": pid, "role": d["role"], "month": d["month"], "hours": d["hours"]}
        for pid, p in zip(requests["project_id"], requests["payload"], strict=True)
        for d in p.get("demand") or []
    ]
    return {
        "projects": schema.conform("projects", projects),
        "alignment": schema.conform(
            "alignment", pd.DataFrame(ratings, columns=["project_id", "objective_id", "rating"])
        ),
        "allocations": schema.conform(
            "allocations", pd.DataFrame(demand, columns=["project_id", "role", "month", "hours"])
        ),
    }


def queue(requests: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The PMO's queue: each request with its alignment score under the snapshot's
    weights and the peak utilisation of the roles it needs, in the months it needs them,
    once its hours are added to the snapshot's demand (``peak_utilisation``, a ratio;
    NaN when it asks no hours; ``no_capacity`` True when a role it needs has none)."""
    from pmo_core.kpi.alignment import alignment_scores, objective_weights

    out = requests.drop(columns=["payload"]).copy()
    if requests.empty:
        return out.assign(alignment_score=[], peak_utilisation=[], no_capacity=[])
    cand = candidate_frames(requests)
    weights = objective_weights(frames["objectives"], frames["pairwise"]).weights
    scores = alignment_scores(cand["alignment"], weights, cand["projects"])
    out["alignment_score"] = scores["alignment_score"].to_numpy()
    peaks, unbounded = [], []
    base = _role_month_load(frames)
    per_role = frames["resources"].groupby("role")["capacity_hours_per_month"].sum()
    for pid in out["project_id"]:
        need = cand["allocations"][cand["allocations"]["project_id"] == pid]
        if need.empty:
            peaks.append(np.nan)
            unbounded.append(False)
            continue
        need = need.groupby(["role", "month"], as_index=False)["hours"].sum()
        need["month"] = pd.to_datetime(need["month"]).astype("datetime64[ms]")
        cells = need.merge(base, on=["role", "month"], how="left")
        demand = cells["demand_hours"].fillna(0) + cells["hours"]
        # A month nobody else needs is not in the load: its capacity is the role's staff.
        cap = cells["capacity_hours"].fillna(cells["role"].map(per_role))
        ratio = demand / cap.where(cap > 0)
        peaks.append(float(ratio.max()) if ratio.notna().any() else np.nan)
        unbounded.append(bool(ratio.isna().any()))
    out["peak_utilisation"] = peaks
    out["no_capacity"] = unbounded
    return out


def _role_month_load(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    from pmo_core.kpi.capacity import utilisation_by_role_month

    u = utilisation_by_role_month(frames["allocations"], frames["resources"], frames["capacity"])
    u = u[["role", "month", "demand_hours", "capacity_hours"]].copy()
    u["month"] = pd.to_datetime(u["month"]).astype("datetime64[ms]")
    return u


def to_workbook(requests: pd.DataFrame, lang: str = "fr", as_of: date | None = None) -> bytes:
    """The requests written in the import template's format (Projects, Alignment and
    Allocations filled), to paste into the next monthly upload."""
    from pmo_core.ingest.template import write_workbook

    buf = io.BytesIO()
    settings = {"as_of": (as_of or date.today()).isoformat()}
    write_workbook(candidate_frames(requests), settings, buf, lang)
    return buf.getvalue()


def with_candidates(snapshot: store.Snapshot, requests: pd.DataFrame) -> store.Snapshot:
    """The snapshot as the what-if sees it with ``requests`` added as proposed projects
    (their ratings and hours included); the stored snapshot is not changed."""
    if requests.empty:
        return snapshot
    extra = candidate_frames(requests)
    frames = dict(snapshot.frames)
    for name, rows in extra.items():
        frames[name] = schema.conform(name, pd.concat([frames[name], rows], ignore_index=True))
    return replace(snapshot, frames=frames)
