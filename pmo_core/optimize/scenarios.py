"""What-if scenarios: saved in the store, compared side by side, exported as a decision record.

A scenario is a store document of kind ``scenario`` whose payload holds the parameters
(``WhatIf.to_dict()``: budget, value, rules, forced projects, yearly limits; read back
with ``WhatIf.from_dict``), the selection and the solver's status and gap, with the
snapshot it was computed on.

Columns:
    comparison(...) -> one row per scenario: name, snapshot_id, budget, value, objective,
        total_cost, selected (count), status, gap, alignment (mean score of the selection),
        selected_ids (the list)
    with_deltas(comparison) -> the same plus objective_delta, cost_delta, selected_delta,
        added, dropped: the change from the first row
    selection_matrix(...) -> index project_id, one boolean column per scenario name

Examples:
    >>> safe_text("=HYPERLINK(1)"), safe_text("Budget")
    ("'=HYPERLINK(1)", 'Budget')
"""

from __future__ import annotations

import io
import os
from typing import Any

import pandas as pd

from pmo_core import store
from pmo_core.export_safety import safe_cell, safe_frame
from pmo_core.i18n import t

KIND = "scenario"


def safe_text(value: object) -> object:
    """Text that a spreadsheet would read as a formula, prefixed so that it stays text
    (kept for callers; the rule lives in :func:`pmo_core.export_safety.safe_cell`)."""
    return safe_cell(value)


def save_scenario(
    name: str,
    parameters: dict[str, Any],
    result: dict[str, Any],
    *,
    snapshot_id: int,
    who: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> int:
    """Store a scenario (parameters + the optimiser's answer); returns its id."""
    payload = {
        "parameters": parameters,
        "result": {
            k: result.get(k)
            for k in (
                "status",
                "objective",
                "gap",
                "total_cost",
                "selected",
                "excluded",
                "greedy_objective",
            )
        },
    }
    return store.save_document(
        KIND,
        name,
        payload,
        who=who,
        snapshot_id=snapshot_id,
        status=str(result.get("status")),
        path=path,
    )


def list_scenarios(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Saved scenarios, newest first (doc_id, name, snapshot_id, created_at, payload...)."""
    return store.list_documents(KIND, path)


def comparison(scenarios: pd.DataFrame, scores: pd.Series | None = None) -> pd.DataFrame:
    """Key figures of each scenario, side by side (``scores``: alignment per project)."""
    rows = []
    for r in scenarios.itertuples():
        params, res = r.payload["parameters"], r.payload["result"]
        selected = res.get("selected") or []
        align = (
            float(scores.reindex(selected).mean())
            if scores is not None and selected
            else float("nan")
        )
        rows.append(
            {
                "name": r.name,
                "snapshot_id": r.snapshot_id,
                "budget": params.get("budget"),
                "value": params.get("value"),
                "objective": res.get("objective"),
                "total_cost": res.get("total_cost"),
                "selected": len(selected),
                "status": res.get("status"),
                "gap": res.get("gap"),
                "alignment": align,
                "selected_ids": list(selected),
            }
        )
    return pd.DataFrame(rows)


def with_deltas(cmp: pd.DataFrame) -> pd.DataFrame:
    """``comparison`` plus each scenario's change from the first row (the base):
    ``objective_delta`` (NaN when the two measure value differently: alignment against
    benefit), ``cost_delta``, ``selected_delta``, and ``added`` / ``dropped``: how many
    projects it selects that the base does not, and the reverse (needs the ``picked``
    column ``selected_ids``; see :func:`comparison`). The base's own deltas are 0."""
    out = cmp.copy()
    if out.empty:
        for c in ("objective_delta", "cost_delta", "selected_delta", "added", "dropped"):
            out[c] = pd.Series(dtype="float64")
        return out
    base = out.iloc[0]
    same_kind = out["value"] == base["value"]
    obj = pd.to_numeric(out["objective"], errors="coerce").astype("float64")
    cost = pd.to_numeric(out["total_cost"], errors="coerce").astype("float64")
    out["objective_delta"] = (obj - obj.iloc[0]).where(same_kind)
    out["cost_delta"] = cost - cost.iloc[0]
    out["selected_delta"] = out["selected"] - int(base["selected"])
    ref = set(base["selected_ids"])
    out["added"] = [len(set(ids) - ref) for ids in out["selected_ids"]]
    out["dropped"] = [len(ref - set(ids)) for ids in out["selected_ids"]]
    return out


def differing(matrix: pd.DataFrame) -> pd.Series:
    """The projects of a :func:`selection_matrix` that the scenarios do not all agree on
    (selected by some, not by others)."""
    if matrix.empty or matrix.shape[1] < 2:
        return pd.Series(False, index=matrix.index)
    return matrix.any(axis=1) & ~matrix.all(axis=1)


def selection_matrix(scenarios: pd.DataFrame) -> pd.DataFrame:
    """Which project each scenario selects: project x scenario booleans."""
    cols = {r.name: set(r.payload["result"].get("selected") or []) for r in scenarios.itertuples()}
    ids = sorted(set().union(*cols.values())) if cols else []
    return pd.DataFrame(
        {name: [i in sel for i in ids] for name, sel in cols.items()},
        index=pd.Index(ids, name="project_id"),
    )


def decision_record_xlsx(scenario: pd.Series, projects: pd.DataFrame, lang: str = "fr") -> bytes:
    """The scenario as an Excel decision record: parameters, selected and excluded projects
    with their reasons. Every text cell is written so that Excel shows it as text."""
    params, res = scenario["payload"]["parameters"], scenario["payload"]["result"]
    names = projects.set_index("project_id")["name"]
    summary = pd.DataFrame(
        {
            t("Setting", lang): [
                t("Scenario", lang),
                t("Snapshot", lang),
                t("Budget", lang),
                t("Value", lang),
                t("Solver", lang),
                t("Value", lang) + " (Σ)",
                t("Cost", lang),
                t("Projects selected", lang),
            ],
            t("Value", lang): [
                scenario["name"],
                scenario["snapshot_id"],
                params.get("budget"),
                params.get("value"),
                res.get("status"),
                res.get("objective"),
                res.get("total_cost"),
                len(res.get("selected") or []),
            ],
        }
    )
    selected = pd.DataFrame({t("Project", lang): res.get("selected") or []})
    selected[t("Name", lang)] = selected[t("Project", lang)].map(names)
    excluded = pd.DataFrame(res.get("excluded") or [], columns=["project_id", "reason"])
    excluded = pd.DataFrame(
        {
            t("Project", lang): excluded["project_id"],
            t("Name", lang): excluded["project_id"].map(names),
            t("Reason", lang): excluded["reason"],
        }
    )
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        for sheet, df in (
            (t("Decision", lang), summary),
            (t("Selected", lang), selected),
            (t("Excluded, and why", lang)[:31], excluded),
        ):
            df = safe_frame(df)  # imported names and reasons may start with '='
            df.to_excel(xw, sheet_name=sheet[:31], index=False)
            ws = xw.sheets[sheet[:31]]
            ws.freeze_panes(1, 0)
            ws.set_column(0, len(df.columns) - 1, 28)
    return buf.getvalue()
