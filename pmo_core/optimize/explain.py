"""Why each project left out is out, and what would bring it in.

The binding constraint (forced out, a rule, a dependency, an exclusive group, budget,
the budget of which year, which role-month) as a template with its parameters (translated by the page), and the
bring-in: the extra budget and hours per role-month that would add the project without
dropping another, and for the most valuable ones the value lost when forcing it in
(a re-solve through the solver it is given: :func:`pmo_core.optimize.solve` passes
itself, so that this module and ``solver`` never call each other).

Examples:
    >>> p = Problem(ids=["A", "B"], value=np.array([5.0, 4]), cost=np.array([3.0, 3]),
    ...             budget=4.0)
    >>> e = explain_exclusions(p, np.array([1.0, 0]))[0]
    >>> e["project_id"], e["reason_code"], e["reason"]
    ('B', 'budget', 'Budget: 2.0 more would be needed to fund it.')
    >>> e["bring_in"]["extra_budget"]
    2.0
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from pmo_core.optimize.model import (
    Problem,
    Selection,
    demand_columns,
    row_use,
    year_costs,
    year_use,
)

Resolve = Callable[[Problem, float], Selection]  # (problem, seconds) -> its selection


def _reason(
    p: Problem, i: int, selected: set[str], left: float, used: np.ndarray, years_used: np.ndarray
) -> tuple[str, str, dict[str, Any]]:
    pid = p.ids[i]
    if pid in p.forced_out:
        return "forced_out", "Forced out by the steering committee.", {}
    if pid in p.reasons_out:
        return "rule", p.reasons_out[pid], dict(p.reasons_params.get(pid, {}))
    q = next((b for a, b in p.depends if a == pid and b not in selected), None)
    if q is not None:
        return "dependency", "Depends on {q}, which is not selected.", {"q": q}
    for m in p.groups.values():
        others = sorted((set(m) - {pid}) & selected) if pid in m else []
        if others:
            return "exclusive", "Exclusive with {other}, which is selected.", {"other": others[0]}
    if p.cost[i] > left + 1e-9:
        amount = round(float(p.cost[i] - left), 2)
        return "budget", "Budget: {amount} more would be needed to fund it.", {"amount": amount}
    if p.year_limit:  # at its planned start, the year it overshoots most
        own = year_costs(p, np.array([i]), np.array([0]))[:, 0]
        over = years_used + own - np.array([p.year_limit[y] for y in sorted(p.year_limit)])
        k = int(np.argmax(over))
        if over[k] > 1e-9:
            return (
                "budget_year",
                "Budget {year}: {amount} more would be needed that year to fund it.",
                {"year": int(sorted(p.year_limit)[k]), "amount": round(float(over[k]), 2)},
            )
    if p.demand.size and np.any(used + p.demand[:, i] > p.cap + 1e-9):
        k = int(np.argmax(used + p.demand[:, i] - p.cap))
        role, month = p.row_labels[k] if p.row_labels else ("", "")
        hours = round(float(used[k] + p.demand[k, i] - p.cap[k]))
        return (
            "capacity",
            "Capacity: {hours} h of {role} missing in {month}.",
            {"hours": hours, "role": role, "month": month},
        )
    return "value", "Less value per cost than the projects selected.", {}


def _with_missing_prerequisites(
    p: Problem, i: int, selected: set[str], index: dict[str, int]
) -> list[int]:
    """Project i and what it depends on (transitively) that is not selected (``index``:
    each project id's position, built once for all projects)."""
    group, todo = [i], [p.ids[i]]
    if not p.depends:
        return group
    while todo:
        a = todo.pop()
        for x, q in p.depends:
            if x == a and q not in selected and index[q] not in group:
                group.append(index[q])
                todo.append(q)
    return group


def _needs(
    p: Problem, group: list[int], left: float, used: np.ndarray, years_used: np.ndarray
) -> tuple[float, list[dict[str, Any]], int, list[dict[str, Any]]]:
    """What must grow to add ``group`` (a project and its missing prerequisites) to the
    selection as it is: extra budget, extra hours per role-month and extra budget per
    limited year (at the start shift of the project that needs the fewest hours, then
    the least money over the yearly limits), and that shift."""
    extra_budget = max(0.0, round(float(p.cost[group].sum() - left), 2))
    if not p.demand.size and not p.year_limit:
        return extra_budget, [], 0, []
    best: tuple[tuple[float, float], list[dict[str, Any]], int, list[dict[str, Any]]] | None
    best = None
    i = group[0]
    rest_h = p.demand[:, group[1:]].sum(axis=1) if p.demand.size else np.zeros(0)
    years = sorted(p.year_limit)
    limits = np.array([p.year_limit[y] for y in years], dtype=float)
    rest_y = year_costs(p, np.array(group[1:], dtype=int), np.zeros(len(group) - 1, int))
    for s in range(int(p.windows.get(p.ids[i], 0)) + 1):
        cells: list[dict[str, Any]] = []
        hours = 0.0
        if p.demand.size:
            own = (
                p.demand[:, i] if s == 0 else demand_columns(p, np.array([i]), np.array([s]))[:, 0]
            )
            col = own + rest_h
            rows = np.flatnonzero(col > 0)
            over = used[rows] + col[rows] - p.cap[rows]
            cells = [
                {
                    "role": p.row_labels[k][0],
                    "month": p.row_labels[k][1],
                    "hours": round(float(o), 1),
                }
                for k, o in zip(rows, over, strict=True)
                if o > 1e-6
            ]
            hours = float(sum(over[over > 1e-6]))
        year_cells: list[dict[str, Any]] = []
        money = 0.0
        if years:
            own_y = year_costs(p, np.array([i]), np.array([s]))[:, 0] + rest_y.sum(axis=1)
            over_y = years_used + own_y - limits
            year_cells = [
                {"year": int(y), "amount": round(float(o), 2)}
                for y, o in zip(years, over_y, strict=True)
                if o > 1e-6 and own_y[years.index(y)] > 0
            ]
            money = float(sum(c["amount"] for c in year_cells))
        if best is None or (hours, money) < best[0]:
            best = ((hours, money), cells, s, year_cells)
    assert best is not None
    return extra_budget, best[1], best[2], best[3]


BRING_IN = {  # (needs shown, outcome of the re-solve) -> template
    (True, "loss"): "Forced in, the portfolio loses {loss} of value; without loss it needs "
    "{amount} more budget and {hours} h more capacity.",
    (True, "infeasible"): "Cannot be forced in at today's limits; it needs {amount} more "
    "budget and {hours} h more capacity.",
    (True, None): "Without loss it needs {amount} more budget and {hours} h more capacity.",
    (False, "loss"): "Forced in, the portfolio loses {loss} of value.",
    (False, "infeasible"): "Cannot be forced in at today's limits.",
    (False, None): "Only by dropping {other}.",
}
BRING_IN_YEAR = {  # the same when a yearly limit binds too: the year that needs most
    "loss": "Forced in, the portfolio loses {loss} of value; without loss it needs "
    "{amount} more budget, {year_amount} more in {year}, and {hours} h more capacity.",
    "infeasible": "Cannot be forced in at today's limits; it needs {amount} more "
    "budget, {year_amount} more in {year}, and {hours} h more capacity.",
    None: "Without loss it needs {amount} more budget, {year_amount} more in {year}, and "
    "{hours} h more capacity.",
}


CUT_SHORT = "cut_short"  # a bring-in's status when the time ran out before its re-solve


def _losses(
    p: Problem,
    x: np.ndarray,
    out: list[dict[str, Any]],
    bring_in: int,
    end: float,
    objective: float | None,
    resolve: Resolve,
) -> None:
    """The value lost by forcing in each of the ``bring_in`` most valuable exclusions that
    can be brought in (re-solved until ``end``, a ``time.perf_counter()`` reading),
    written into their entry. A re-solve starts only when its share of what is left is
    at least 0.05 s and what is left is at least what the previous one took; the ones
    that do not start get the status ``cut_short``."""
    position = {pid: i for i, pid in enumerate(p.ids)}
    todo = sorted(
        (e for e in out if e["bring_in"] is not None),
        key=lambda e: -float(p.value[position[e["project_id"]]]),
    )[: max(0, bring_in)]
    if todo and objective is None:
        objective = float(p.value @ x)
    last = 0.0
    for k, e in enumerate(todo):
        left = end - time.perf_counter()
        share = left / (len(todo) - k)
        if share < 0.05 or left < last:
            for rest in todo[k:]:
                rest["bring_in"]["status"] = CUT_SHORT
            return
        q = replace(p, forced_in=set(p.forced_in) | {e["project_id"]})
        t0 = time.perf_counter()
        r = resolve(q, share)
        last = time.perf_counter() - t0
        e["bring_in"]["status"] = r.status
        if r.status != "infeasible":
            e["bring_in"]["loss"] = round(max(0.0, float(objective or 0) - r.objective), 2)


def explain_exclusions(
    p: Problem,
    x: np.ndarray,
    *,
    shifts: np.ndarray | None = None,
    bring_in: int = 0,
    seconds: float = 2.0,
    deadline: float | None = None,
    objective: float | None = None,
    resolve: Resolve | None = None,
) -> list[dict[str, Any]]:
    """Why each project left out is out, and what would bring it in.

    Every excluded project (except forced out or ruled out) gets ``bring_in``: the extra
    budget (its cost minus the budget left), the extra budget per limited year
    (``years``: where the selection plus the project exceeds the year's limit) and the
    extra hours per role-month (where the selection plus the project exceeds capacity)
    that would add it without dropping any other; for the ``bring_in`` most valuable ones,
    a re-solve with it forced in (``resolve(problem, seconds)``, without which there is
    none) gives the value lost at today's limits (``loss``) within ``seconds`` in all,
    and never past ``deadline`` (a ``time.perf_counter()`` reading); those the time did
    not reach say ``"status": "cut_short"``.
    """
    selected = {pid for pid, xi in zip(p.ids, x, strict=True) if xi > 0.5}
    left = p.budget - float(p.cost @ x)
    used = row_use(p, x, shifts) if p.demand.size else np.zeros(0)
    years_used = year_use(p, x, shifts) if p.year_limit else np.zeros(0)
    index = {pid: k for k, pid in enumerate(p.ids)}
    out = []
    for i, pid in enumerate(p.ids):
        if pid in selected:
            continue
        code, reason, params = _reason(p, i, selected, left, used, years_used)
        entry: dict[str, Any] = {
            "project_id": pid,
            "reason_code": code,
            "reason": reason.format(**params),
            "template": reason,
            "params": params,
            "bring_in": None,
        }
        if code == "exclusive":  # no budget or hours bring it in beside the other one
            entry["bring_in"] = {
                "loss": None,
                "status": None,
                "extra_budget": None,
                "extra_hours": None,
                "cells": [],
                "years": [],
                "shift": 0,
                **params,
            }
        elif code not in ("forced_out", "rule"):
            group = _with_missing_prerequisites(p, i, selected, index)
            amount, cells, s, years = _needs(p, group, left, used, years_used)
            entry["bring_in"] = {
                "loss": None,
                "status": None,
                "extra_budget": amount,
                "extra_hours": round(sum(c["hours"] for c in cells), 1),
                "cells": cells,
                "years": years,
                "shift": s,
            }
        out.append(entry)
    if resolve is not None:
        end = time.perf_counter() + seconds
        end = end if deadline is None else min(end, deadline)
        _losses(p, x, out, bring_in, end, objective, resolve)
    for e in out:
        b = e["bring_in"]
        if b is not None:
            outcome = {None: None, CUT_SHORT: None, "infeasible": "infeasible"}.get(
                b["status"], "loss"
            )
            b["template"] = BRING_IN[(b["extra_budget"] is not None, outcome)]
            b["params"] = {
                "loss": b["loss"],
                "amount": b["extra_budget"],
                "hours": b["extra_hours"],
            }
            if b["years"]:
                top = max(b["years"], key=lambda c: c["amount"])
                b["template"] = BRING_IN_YEAR[outcome]
                b["params"] |= {"year": top["year"], "year_amount": top["amount"]}
            if "other" in b:
                b["params"]["other"] = b.pop("other")
            b["text"] = b["template"].format(**b["params"])
    return out
