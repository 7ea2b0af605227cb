"""What-if scenarios: saved in the store, compared side by side, exported as a decision record.

A scenario is a store document of kind ``scenario`` whose payload holds the parameters
(``WhatIf.to_dict()``: budget, value, rules, forced projects, yearly limits; read back
with ``WhatIf.from_dict``), the selection and the solver's status and gap, with the
snapshot it was computed on.

Columns:
    comparison(...) -> one row per scenario: name, snapshot_id, budget, value, objective,
        total_cost, selected (count), status, gap, alignment (mean score of the selection),
        selected_ids (the list), origin (None for the cockpit's own, "projectserver" for
        one imported read-only with a ProjectData export)
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
from pmo_core.i18n import (
    CURRENCY_SYMBOLS,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_pct,
    is_missing,
    na,
    norm_lang,
    t,
)
from pmo_core.optimize import sentences
from pmo_core.optimize.params import WhatIf

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
                "start_shift",
                "explanations_cut_short",
                "project_value",
                "project_cost",
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
                "origin": getattr(r, "origin", None),
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


def _listed(ids: Any, lang: str) -> str:
    ids = list(ids or [])
    return ", ".join(str(i) for i in ids) if ids else t("none", lang)


def _windows_text(windows: Any, lang: str) -> str:
    if isinstance(windows, int | float) and not isinstance(windows, bool):
        if not windows:
            return t("none", lang)
        return t("{n} months for every project not started", lang, n=int(windows))
    pairs = sorted(dict(windows or {}).items())
    if not pairs:
        return t("none", lang)
    return "; ".join(t("{project}: {n} months", lang, project=p, n=int(k)) for p, k in pairs)


def _yearly_text(limits: Any, lang: str, currency: str) -> str:
    pairs = sorted((int(y), v) for y, v in dict(limits or {}).items())
    if not pairs:
        return t("none", lang)
    return "; ".join(
        f"{y} : {fmt_money(v, lang, currency)}"
        if norm_lang(lang) == "fr"
        else f"{y}: {fmt_money(v, lang, currency)}"
        for y, v in pairs
    )


def decision_settings(
    scenario: pd.Series, lang: str = "fr", *, as_of: Any = None, currency: str = "EUR"
) -> list[tuple[str, str]]:
    """The decision record's first sheet: (setting, value) pairs in ``lang``, every
    figure formatted: the scenario, who saved it and when, the snapshot and its as-of
    date, every parameter of the run, and the answer (status, gap, value, cost). A
    parameter the scenario does not hold (one imported from Project Server has no budget
    limit nor the cockpit's rules) is n/a, never a default."""
    params, res = scenario["payload"]["parameters"], scenario["payload"]["result"]
    w = WhatIf.from_dict(params)
    kind = w.value
    yes_no = {True: t("Yes", lang), False: t("No", lang)}
    created = scenario.get("created_at")
    when = (
        na(lang)
        if is_missing(created)
        else f"{fmt_date(created, lang)} {pd.Timestamp(created).strftime('%H:%M')}"
    )
    value_kinds = {"alignment": t("Alignment score", lang), "benefit": t("Expected benefits", lang)}

    def given(key: str, text: str) -> str:
        # A scenario imported from Project Server does not carry the cockpit's rules.
        return text if params.get(key) is not None else na(lang)

    return [
        (t("Scenario", lang), str(scenario["name"])),
        (t("Saved by", lang), str(scenario.get("created_by") or na(lang))),
        (t("Saved on", lang), when),
        (t("Snapshot", lang), f"#{scenario['snapshot_id']}"),
        (t("As of", lang), fmt_date(as_of, lang)),
        (t("Budget", lang), fmt_money(params.get("budget"), lang, currency)),
        (t("Yearly limits", lang), _yearly_text(params.get("yearly_budget"), lang, currency)),
        (t("Value", lang), value_kinds.get(kind, kind)),
        (t("Weighting", lang), w.weighting or t("The snapshot's own weights", lang)),
        (t("Keep running projects", lang), given("keep_running", yes_no[bool(w.keep_running)])),
        (t("Respect capacity", lang), given("capacity", yes_no[bool(w.capacity)])),
        (
            t("Capacity scale", lang),
            given("capacity_scale", fmt_pct(w.capacity_scale, lang, 0, ratio=True)),
        ),
        (t("Forced in", lang), _listed(w.force_in, lang)),
        (t("Forced out", lang), _listed(w.force_out, lang)),
        (t("Start windows", lang), _windows_text(params.get("start_windows"), lang)),
        (t("Approved requests included", lang), _listed(w.requests, lang)),
        (t("Answer", lang), t(str(res.get("status")), lang)),
        (t("Gap to the best possible", lang), fmt_pct(res.get("gap"), lang, 2, ratio=True)),
        (
            t("Value of the selection", lang),
            sentences.value_text(res.get("objective"), kind, lang, currency),
        ),
        (t("Cost", lang), fmt_money(res.get("total_cost"), lang, currency)),
        (t("Projects selected", lang), fmt_number(len(res.get("selected") or []), lang)),
    ]


def decision_record_xlsx(
    scenario: pd.Series,
    projects: pd.DataFrame,
    lang: str = "fr",
    *,
    as_of: Any = None,
    currency: str = "EUR",
) -> bytes:
    """The scenario as an Excel decision record in ``lang``: every parameter and the
    answer (:func:`decision_settings`), then the selected and the excluded projects with
    each one's value (1 decimal, its unit in the header) and cost (money format), the
    excluded with their reason and what would bring them in, in sentences
    (``sentences``). Every text cell is written so that Excel shows it as text."""
    params, res = scenario["payload"]["parameters"], scenario["payload"]["result"]
    kind = str(params.get("value") or "alignment")
    names = projects.set_index("project_id")["name"]
    values = res.get("project_value") or {}
    costs = res.get("project_cost") or {}
    shifts = res.get("start_shift") or {}
    value_h = (
        t("Value (alignment points)", lang)
        if kind != "benefit"
        else t("Value (expected benefits)", lang)
    )
    summary = pd.DataFrame(
        decision_settings(scenario, lang, as_of=as_of, currency=currency),
        columns=[t("Setting", lang), t("Value", lang)],
    )

    def figures(ids: list[str]) -> dict[str, Any]:
        return {
            t("Project", lang): ids,
            t("Name", lang): [names.get(i) for i in ids],
            value_h: [round(float(values[i]), 1) if i in values else None for i in ids],
            t("Cost", lang): [costs.get(i) for i in ids],
        }

    chosen = list(res.get("selected") or [])
    selected = pd.DataFrame(
        figures(chosen)
        | {t("Starts later (months)", lang): [int(shifts.get(i, 0)) for i in chosen]}
    )
    entries = list(res.get("excluded") or [])
    out_ids = [str(e.get("project_id")) for e in entries]
    excluded = pd.DataFrame(
        figures(out_ids)
        | {
            t("Reason", lang): [sentences.reason_text(e, lang, currency) for e in entries],
            t("To bring it in", lang): [
                sentences.bring_in_text(e.get("bring_in"), lang, currency, kind) for e in entries
            ],
        }
    )
    sym = CURRENCY_SYMBOLS.get(currency, currency)
    money_fmt = f'#,##0 "{sym}"' if norm_lang(lang) == "fr" else f'"{sym}"#,##0'
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        book = xw.book
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        money = book.add_format({"num_format": money_fmt, "valign": "top"})
        one = book.add_format({"num_format": "0.0", "valign": "top"})
        for sheet, df in (
            (t("Decision", lang), summary),
            (t("Selected", lang), selected),
            (t("Excluded, and why", lang), excluded),
        ):
            df = safe_frame(df)  # imported names and reasons may start with '='
            df.to_excel(xw, sheet_name=sheet[:31], index=False)
            ws = xw.sheets[sheet[:31]]
            ws.freeze_panes(1, 0)
            for k, col in enumerate(df.columns):
                if col == value_h:
                    ws.set_column(k, k, 16, one)
                elif col == t("Cost", lang):
                    ws.set_column(k, k, 16, money)
                elif col in (t("Reason", lang), t("To bring it in", lang)):
                    ws.set_column(k, k, 60, wrap)
                else:
                    ws.set_column(k, k, 30 if k else 16, wrap)
    return buf.getvalue()
