"""MS Project (MSPDI) activities and their logic as the schedule-quality checks read them.

:func:`network` gives the frames of
:data:`~pmo_core.ingest.schedules.common.ACTIVITY_COLUMNS` and
:data:`~pmo_core.ingest.schedules.common.RELATION_COLUMNS` for one MSPDI file:

- one activity per task that is neither the project summary, a summary task nor an
  empty row; kind ``milestone`` (``Milestone`` = 1) or ``task``; done = 100 % complete
  or an actual finish.
- baseline dates = baseline 0; forecast = Start / Finish; actual = ActualStart /
  ActualFinish; duration = baseline 0 duration, else the current one; total float =
  ``TotalSlack`` (MSPDI writes it in tenths of minutes), in days of the project's
  ``MinutesPerDay`` (8 h by default).
- hard constraints: ``ConstraintType`` 2 Must Start On, 3 Must Finish On, 5 Start No
  Later Than, 7 Finish No Later Than (4 and 6, "no earlier than", and 1, ALAP, are soft).
- relationships from each task's ``PredecessorLink``: ``Type`` 0 FF, 1 FS, 2 SF, 3 SS;
  ``LinkLag`` in tenths of minutes (a negative one is a lead).
- resourced = the task has an assignment to a real resource (not the "unassigned" UID).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules.mspdi_xml import NS, xml_number, xml_text, xml_timestamp

HARD_CONSTRAINTS = frozenset({"2", "3", "5", "7"})
LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
UNASSIGNED = "-65535"


def network(
    root: ET.Element, tasks: pd.DataFrame, project_id: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(activities, relations)`` of a parsed MSPDI document whose tasks
    :func:`~pmo_core.ingest.schedules.mspdi.read_mspdi_root` has read into ``tasks``."""
    minutes = xml_number(root, "MinutesPerDay")
    day_hours = minutes / 60 if minutes > 0 else 8.0
    is_root = (tasks["uid"] == "0") | (tasks["level"] == 0)
    work = tasks[~tasks["summary"] & ~tasks["null"] & ~is_root]
    keep = set(work["uid"].astype(str))
    extra: dict[str, dict[str, object]] = {}
    links = []
    for t in root.iterfind(f"{NS}Tasks/{NS}Task"):
        uid = xml_text(t, "UID")
        if uid is None or uid not in keep:
            continue
        base = next(
            (b for b in t.findall(NS + "Baseline") if xml_text(b, "Number") in ("0", None)), None
        )
        extra[uid] = {
            "actual_start": xml_timestamp(xml_text(t, "ActualStart")),
            "baseline_duration": sc.duration_hours(xml_text(base, "Duration"))
            if base is not None
            else float("nan"),
            "total_slack": xml_number(t, "TotalSlack"),
            "constraint": xml_text(t, "ConstraintType"),
        }
        for link in t.iterfind(NS + "PredecessorLink"):
            links.append(
                {
                    "pred_task_id": xml_text(link, "PredecessorUID"),
                    "succ_task_id": uid,
                    "type": LINK_TYPES.get(xml_text(link, "Type") or "1"),
                    "lag_days": xml_number(link, "LinkLag") / 10 / 60 / day_hours,
                }
            )
    assigned = {
        xml_text(a, "TaskUID")
        for a in root.iterfind(f"{NS}Assignments/{NS}Assignment")
        if xml_text(a, "ResourceUID") not in (None, UNASSIGNED)
    }
    ex = pd.DataFrame.from_dict(extra, orient="index")
    uid = work["uid"].astype(str)
    get = lambda c: uid.map(ex[c]) if c in ex else pd.Series(float("nan"), index=uid.index)  # noqa: E731
    duration = get("baseline_duration").fillna(work["duration"]) / day_hours
    activities = pd.DataFrame(
        {
            "project_id": project_id,
            "task_id": uid,
            "activity_id": work["id"].fillna(work["uid"]).astype(str),
            "name": work["name"],
            "kind": work["milestone"].map({True: "milestone", False: "task"}),
            "done": (work["pct"] >= 100) | work["actual_finish"].notna(),
            "baseline_start": work["baseline_start"],
            "baseline_finish": work["baseline_finish"],
            "baseline_kind": "baseline",
            "actual_start": pd.to_datetime(get("actual_start")),
            "actual_finish": work["actual_finish"],
            "forecast_start": work["start"],
            "forecast_finish": work["finish"],
            "duration_days": duration,
            "total_float_days": pd.to_numeric(get("total_slack"), errors="coerce")
            / 10
            / 60
            / day_hours,
            "constraint": get("constraint"),
            "hard_constraint": get("constraint").isin(HARD_CONSTRAINTS),
            "resourced": uid.isin(assigned),
        }
    ).reset_index(drop=True)
    relations = pd.DataFrame(links, columns=["pred_task_id", "succ_task_id", "type", "lag_days"])
    relations = relations[relations["pred_task_id"].isin(keep)].assign(project_id=project_id)
    return (
        activities.reindex(columns=sc.ACTIVITY_COLUMNS),
        relations.reindex(columns=sc.RELATION_COLUMNS).reset_index(drop=True),
    )
