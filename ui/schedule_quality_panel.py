"""The DCMA 14-point schedule quality of a validated schedule file (Import page).

Shown with the validation report of MS Project or P6 files: the activities and logic
links the checks read are not stored with a snapshot, so the checks are made when the
file is validated (``validate --json`` gives the same as ``schedule_quality``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.ingest import IngestResult
from pmo_core.kpi import schedule_quality as quality
from ui import format as fmt
from ui.format import t

SHOWN_IDS = 10  # activity ids listed per check; the count says how many in all
INDEX_CHECKS = ("cpli", "bei")


def _value(c: quality.Check) -> str:
    if c.value is None:
        return t("n/a")
    if c.key == "critical_path_test":
        return t("{n} activities in the chain", n=fmt.number(c.value))
    if c.key in INDEX_CHECKS:
        return fmt.number(c.value, 2)
    return fmt.pct(c.value, 1, ratio=True)


def _threshold(c: quality.Check) -> str:
    if c.key == "critical_path_test":
        return t("a continuous chain")
    if c.threshold is None:
        return ""
    sign = {"<=": "≤", ">=": "≥", "==": "="}[c.comparison]
    shown = (
        fmt.number(c.threshold, 2) if c.key in INDEX_CHECKS else fmt.pct(c.threshold, 0, ratio=True)
    )
    return f"{sign} {shown}"


def _result(c: quality.Check) -> str:
    return {True: t("Pass"), False: t("Fail"), None: t("n/a")}[c.passed]


def _ids(c: quality.Check) -> str:
    shown = ", ".join(c.activities[:SHOWN_IDS])
    more = len(c.activities) - SHOWN_IDS
    return shown + (" " + t("and {n} more", n=fmt.number(more)) if more > 0 else "")


def checks_frame(assessment: quality.Assessment) -> pd.DataFrame:
    """One row per check, in the user's language (also used by the tests)."""
    rows: list[dict[str, Any]] = [
        {
            t("Check"): f"{i}. {t(c.name)}",
            t("Value"): _value(c),
            t("Threshold (DCMA)"): _threshold(c),
            t("Result"): _result(c),
            t("Activities that break it"): _ids(c),
            t("Why"): t(c.reason) if c.reason else (t(c.note) if c.note else ""),
        }
        for i, c in enumerate(assessment.checks, 1)
    ]
    return pd.DataFrame(rows)


def schedule_quality(result: IngestResult) -> None:
    """The DCMA section for a schedule result; nothing for a workbook."""
    activities = getattr(result, "activities", None)
    if activities is None or activities.empty:
        return
    as_of = pd.Timestamp(result.as_of) if result.as_of else None
    st.subheader(t("Schedule quality (DCMA 14 points)"))
    st.caption(
        t(
            "Checked on the file as it is validated: the activities and links are not "
            "kept with the snapshot, so the Governance page does not show them. Status "
            "date: {date}.",
            date=fmt.date(as_of) if as_of is not None else t("n/a"),
        )
    )
    for a in quality.assess(activities, result.relations, as_of):
        st.markdown(
            t(
                "**{project}**: {n} activities; {ok} checks passed, {ko} failed, {na} n/a.",
                project=a.project_id,
                n=fmt.number(a.activities),
                ok=a.passed,
                ko=a.failed,
                na=len(a.checks) - a.passed - a.failed,
            )
        )
        st.dataframe(checks_frame(a), hide_index=True, width="stretch")
