"""A deterministic, believable demo portfolio (and scale workbooks for benchmarks).

``build_demo(60)`` is "Groupe Horizon", a French company: 60 projects in 5 programmes and
6 directions, every status represented, 8 strategic objectives with 28 fairly consistent
pairwise judgments, 120 people in 12 roles, 24 months of allocations (three roles
over-allocated in some months), 2-4 milestones per project, 150 risks and 6 monthly status
reports per running project. Each project in execution follows a story (healthy, amber,
late or over budget) that its percent complete, actual cost, milestones and status reports
all tell the same way, so that every chart of the cockpit has something to say.

``build_demo(2000)`` follows DESIGN section 8's proportions (300 resources in 25 roles,
36 months, ~200,000 allocation rows, 10,000 milestones, 8,000 risks, ~24,000 status
reports). Everything is vectorised with numpy and drawn from one
``numpy.random.default_rng(seed)``, so the same arguments always give the same frames and,
through :func:`pmo_core.ingest.template.write_workbook`, the same bytes. The as-of date is fixed
(2026-10-31) so that the demo's figures never drift.

The cast (names and words) is :mod:`pmo_core.demo.names`, the project plan (as-of date,
statuses, stories, dates, the Projects frame) :mod:`pmo_core.demo.plan`; this module draws
the other tables from that plan and holds :func:`build_demo` and :func:`write_demo`. The
demo's past (earlier snapshots) is :mod:`pmo_core.demo.history`.

Columns:
    build_demo(...) -> the canonical frames of :mod:`pmo_core.schema` (through
        ``schema.conform``), plus settings ``{"as_of", "currency", "company"}``

Examples:
    >>> frames, settings = build_demo(12, seed=1)
    >>> settings["as_of"], len(frames["projects"])
    ('2026-10-31', 12)
    >>> sorted(frames["projects"]["status"].unique()) == sorted(schema.STATUSES)
    True
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from pmo_core import schema
from pmo_core.demo.names import (
    COMMENTS,
    COMPANY,
    EXTRA_ROLES,
    MILESTONE_NAMES,
    OBJECTIVES,
    ON_HOLD_COMMENT,
    PROGRAMMES,
    RISKS,
    ROLES,
    people,
)
from pmo_core.demo.plan import AS_OF, AS_OF_MONTH, Plan, draw_plan, month_end
from pmo_core.ingest.template import write_workbook

HOURS_PER_FTE = 140.0
#: Weights the 28 judgments are read from (rounded to Project Server's scale: CR ~ 0.03).
TRUE_WEIGHTS = (0.24, 0.18, 0.16, 0.14, 0.10, 0.09, 0.05, 0.04)
#: Roles over-allocated in some months: the 85th percentile of their monthly utilisation.
HOT_ROLES = {"Architecte": 1.08, "Expert sécurité": 1.15, "Juriste": 1.06}


def _alignment(rng: np.random.Generator, plan: Plan) -> dict[str, pd.DataFrame]:
    """Objectives, 28 judgments read from consistent weights, ratings led by programme."""
    obj_ids = np.array([o[0] for o in OBJECTIVES], dtype=object)
    objectives = pd.DataFrame({"objective_id": obj_ids, "name": [o[1] for o in OBJECTIVES]})
    scale = np.array([9, 6, 3, 1, 1 / 3, 1 / 6, 1 / 9])
    w = np.array(TRUE_WEIGHTS)
    ia, ib = np.triu_indices(len(obj_ids), k=1)
    nearest = np.abs(np.log(scale)[None, :] - np.log(w[ia] / w[ib])[:, None]).argmin(1)
    pairwise = pd.DataFrame(
        {"objective_a": obj_ids[ia], "objective_b": obj_ids[ib], "judgment": scale[nearest]}
    )
    n = len(plan.ids)
    ratings = rng.choice(np.array([0, 1, 3, 6, 9]), (n, 8), p=[0.35, 0.25, 0.2, 0.12, 0.08])
    rows = np.arange(n)
    ratings[rows, np.array([0, 1, 2, 3, 5])[plan.programme]] = rng.choice([6, 9], n)
    ratings[rows, np.array([4, 4, 5, 0, 1])[plan.programme]] = rng.choice([1, 3, 6], n)
    rated = np.ones(n, dtype=bool)
    if n >= 20:  # a few proposals not rated yet, for the data-quality panel
        cand = np.flatnonzero(plan.status == "proposed")
        rated[rng.choice(cand, size=min(len(cand), max(3, n // 100)), replace=False)] = False
    pi, oi = np.nonzero(np.broadcast_to(rated[:, None], ratings.shape))
    alignment = pd.DataFrame(
        {"project_id": plan.ids[pi], "objective_id": obj_ids[oi], "rating": ratings[pi, oi]}
    )
    return {"objectives": objectives, "pairwise": pairwise, "alignment": alignment}


def _role_table(scale: bool) -> pd.DataFrame:
    """Roles with their headcount weight, direction and programmes they serve most."""
    rows = [(r, float(h), p, d) for r, h, p, d in ROLES]
    if scale:
        rows += [(r, 6.0, "", "DSI") for r in EXTRA_ROLES]
    return pd.DataFrame(rows, columns=["role", "weight", "programmes", "department"])


def _resources(rng: np.random.Generator, roles: pd.DataFrame, n_res: int) -> pd.DataFrame:
    """People by role, headcount in proportion to each role's weight (120 -> exact)."""
    w = roles["weight"].to_numpy()
    count = np.maximum(2, np.floor(w / w.sum() * n_res + 1e-9)).astype(int)
    count[np.argsort(-w, kind="stable")[: max(0, n_res - count.sum())]] += 1
    role = np.repeat(roles["role"].to_numpy(dtype=object), count)[:n_res]
    fte = rng.choice(np.array([1.0, 1.0, 1.0, 1.0, 0.8, 0.5]), n_res)
    dept = roles.set_index("role")["department"].reindex(role).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "resource_id": [f"RES-{i:03d}" for i in range(1, n_res + 1)],
            "name": people(rng, n_res),
            "role": role,
            "department": dept,
            "capacity_hours_per_month": HOURS_PER_FTE * fte,
            "fte": fte,
            "cost_rate": np.round(rng.uniform(55, 140, n_res), 0),
        }
    )


def _capacity(resources: pd.DataFrame, months: np.ndarray) -> pd.DataFrame:
    """Lawyers give projects a fixed envelope (the rest is run), less in July and August."""
    lawyers = resources.loc[resources["role"] == "Juriste", "capacity_hours_per_month"].sum()
    summer = np.isin(months.astype("datetime64[M]").astype(int) % 12, [6, 7])
    hours = np.round(lawyers * np.where(summer, 0.35, 0.55), -1)
    return pd.DataFrame({"role": "Juriste", "month": months, "capacity_hours": hours})


def _allocations(
    rng: np.random.Generator,
    plan: Plan,
    roles: pd.DataFrame,
    resources: pd.DataFrame,
    capacity: pd.DataFrame,
    months: np.ndarray,
    per_project: tuple[int, int],
) -> pd.DataFrame:
    """Hours per project, role and month: only the HOT_ROLES overflow, in some months."""
    n, n_m = len(plan.ids), len(months)
    serves = np.array([[str(g) in p for g in range(len(PROGRAMMES))] for p in roles["programmes"]])
    weight = roles["weight"].to_numpy()[None, :] * np.where(serves.T[plan.programme], 4.0, 1.0)
    weight[:, 0] = 0.0  # every project has its project manager (role 0), chosen below
    keys = rng.random(weight.shape) ** (1.0 / np.maximum(weight, 1e-12))  # weighted sample
    lo, hi = per_project  # roles per project, project manager included
    chosen = np.argsort(-keys, axis=1, kind="stable")[:, : hi - 1]
    k = rng.integers(lo, hi + 1, n)
    staffed = np.arange(hi)[None, :] < k[:, None]
    r_idx = np.column_stack([np.zeros(n, dtype=int), chosen])[staffed]
    p_idx = np.repeat(np.arange(n), k)
    first = plan.start.astype("datetime64[M]")
    stopped = np.isin(plan.status, ["on_hold", "cancelled"])
    last = np.where(stopped, plan.stop, plan.forecast_end).astype("datetime64[M]")
    life = (last - first).astype(int) + 1
    base = plan.budget * 0.55 / 95.0 / k / life  # labour share at ~95 EUR/h
    p_rep, r_rep = np.repeat(p_idx, n_m), np.repeat(r_idx, n_m)
    m_idx = np.tile(np.arange(n_m), len(p_idx))
    m = months.astype("datetime64[M]")[m_idx]
    keep = (m >= first[p_rep]) & (m <= last[p_rep])
    p_rep, r_rep, m_idx = p_rep[keep], r_rep[keep], m_idx[keep]
    hours = base[p_rep] * rng.uniform(0.7, 1.3, len(p_rep))

    # Scale each role so that the 85th percentile of its monthly utilisation hits a target.
    n_r = len(roles)
    demand = np.bincount(r_rep * n_m + m_idx, weights=hours, minlength=n_r * n_m)
    head = resources.groupby("role")["capacity_hours_per_month"].sum()
    cap = np.repeat(head.reindex(roles["role"]).to_numpy()[:, None], n_m, axis=1)
    for role, grp in capacity.groupby("role"):
        r = int(np.flatnonzero(roles["role"].to_numpy() == role)[0])
        cap[r, :] = grp["capacity_hours"].to_numpy()
    util = demand.reshape(n_r, n_m) / cap
    # Other roles peak under 100 %; hot roles' 85th percentile goes above it.
    reference = util.max(axis=1)
    target = rng.uniform(0.78, 0.95, n_r)
    for role, level in HOT_ROLES.items():
        hot = np.flatnonzero(roles["role"].to_numpy() == role)
        busy = util[hot[0]][util[hot[0]] > 0] if len(hot) else util[:0, 0]
        if len(busy):
            reference[hot], target[hot] = np.quantile(busy, 0.85), level
    factor = np.divide(target, reference, out=np.ones(n_r), where=reference > 0)
    hours = np.maximum(1.0, np.round(hours * factor[r_rep]))
    alloc = pd.DataFrame(
        {
            "project_id": plan.ids[p_rep],
            "role": roles["role"].to_numpy(dtype=object)[r_rep],
            "resource_id": None,
            "month": months[m_idx],
            "hours": hours,
        }
    )
    # Security experts are booked by name: those rows name a resource, not a role.
    sec = (alloc["role"] == "Expert sécurité").to_numpy()
    people = resources.loc[resources["role"] == "Expert sécurité", "resource_id"].to_numpy()
    if sec.any() and len(people):
        alloc.loc[sec, "resource_id"] = people[rng.integers(0, len(people), int(sec.sum()))]
        alloc.loc[sec, "role"] = None
    return alloc


def _milestones(rng: np.random.Generator, plan: Plan, scale: bool) -> pd.DataFrame:
    """2-4 milestones per project (5 at scale); late projects' milestones slip."""
    n = len(plan.ids)
    k = np.full(n, 5) if scale else rng.integers(2, 5, n)
    mp = np.repeat(np.arange(n), k)
    rank = np.arange(len(mp)) - np.repeat(np.cumsum(k) - k, k)
    frac = (rank + 1) / k[mp]
    span = (plan.end - plan.start).astype(float)[mp]
    base = plan.start[mp] + np.round(span * frac).astype("timedelta64[D]")
    status = plan.status[mp]
    moving = ~np.isin(status, ["proposed", "approved", "cancelled"])
    late = (plan.forecast_end - plan.end).astype(float)[mp]
    slip = late * frac * rng.uniform(0.8, 1.2, len(mp)) + rng.integers(-5, 6, len(mp))
    forecast = base + np.where(moving, np.round(slip), 0).astype("timedelta64[D]")
    done = (forecast <= np.minimum(plan.stop[mp], AS_OF)) | (status == "completed")
    done &= ~np.isin(status, ["proposed", "approved"])
    return pd.DataFrame(
        {
            "project_id": plan.ids[mp],
            "milestone_id": "J" + (rank + 1).astype(str),
            "name": np.array(MILESTONE_NAMES, dtype=object)[rank + np.maximum(0, 4 - k[mp])],
            "baseline_date": base,
            "forecast_date": forecast,
            "actual_date": np.where(done, forecast, np.datetime64("NaT")),
        }
    )


def _risks(
    rng: np.random.Generator, plan: Plan, managers: np.ndarray, n_risks: int
) -> pd.DataFrame:
    """The risk register: more risks on troubled projects, closed once a project ends."""
    cand = np.isin(plan.status, ["proposed", "approved"])
    w = np.where(plan.late, 2.5, 1.0) * np.where(cand, 0.6, 1.0)
    rp = np.sort(rng.choice(len(plan.ids), n_risks, p=w / w.sum()))
    which = rng.integers(0, len(RISKS), n_risks)
    ended = np.isin(plan.status[rp], ["completed", "cancelled"])
    closed = ended | (rng.random(n_risks) < 0.2)
    owner = np.where(
        (rng.random(n_risks) < 0.6) & ~pd.isna(managers[rp]),
        managers[rp],
        people(rng, n_risks),
    )
    return pd.DataFrame(
        {
            "risk_id": [f"R-{i:04d}" for i in range(1, n_risks + 1)],
            "project_id": plan.ids[rp],
            "title": np.array([r[0] for r in RISKS], dtype=object)[which],
            "probability": rng.choice(
                np.array([0.1, 0.3, 0.5, 0.7, 0.9]), n_risks, p=[0.2, 0.3, 0.25, 0.15, 0.1]
            ),
            "impact": np.maximum(1000, np.round(plan.budget[rp] * rng.uniform(0.02, 0.2), -3)),
            "status": np.where(closed, "closed", "open"),
            "owner": owner,
            "mitigation": np.array([r[1] for r in RISKS], dtype=object)[which],
        }
    )


def _status_reports(rng: np.random.Generator, plan: Plan, scale: bool) -> pd.DataFrame:
    """Status reports: cumulative PV/EV/AC telling each project's story.

    The demo has 6 monthly reports per running project; the scale workbook reports twice
    a month over 20 months, completed and cancelled projects included. Early reports
    show indices closer to 1 (problems grow over time); the project row is then aligned
    on its latest report (see :func:`build_demo`).
    """
    months = AS_OF_MONTH - np.arange(17 if scale else 5, -1, -1)
    dates = month_end(months)
    if scale:
        dates = np.sort(np.concatenate([dates, months.astype("datetime64[D]") + 14]))
    kinds = ["in_progress", "on_hold"] + (["completed", "cancelled"] if scale else [])
    reporting = np.flatnonzero(np.isin(plan.status, kinds))
    sp = np.repeat(reporting, len(dates))
    date = np.tile(dates, len(reporting))
    ok = date >= plan.start[sp] + np.timedelta64(20, "D")
    ended = np.isin(plan.status[sp], ["completed", "cancelled"])
    ok &= ~ended | (date < plan.stop[sp] + np.timedelta64(31, "D"))
    sp, date = sp[ok], date[ok]
    budget = plan.budget[sp]
    drift = np.clip((AS_OF - date).astype(float) / 180.0, 0.0, 1.0) * 0.5
    done = plan.status[sp] == "completed"  # finished: earned everything by the end
    spi_r = np.where(done, 1.0, plan.spi[sp] + (1 - plan.spi[sp]) * drift)
    cpi_r = plan.cpi[sp] + (1 - plan.cpi[sp]) * drift
    frame = pd.DataFrame(
        {
            "project_id": plan.ids[sp],
            "report_date": date,
            "planned_value": np.round(budget * plan.planned(date, sp), -2),
            "earned_value": np.round(
                budget * np.minimum(plan.worked(date, sp) * spi_r, np.where(done, 1, 0.97)), -2
            ),
        }
    )
    frame["actual_cost"] = np.round(frame["earned_value"].to_numpy() / cpi_r, -2)
    cum = frame.groupby("project_id", sort=False)[["earned_value", "actual_cost"]].cummax()
    frame[["earned_value", "actual_cost"]] = cum
    ev, pv, ac = (frame[c].to_numpy() for c in ("earned_value", "planned_value", "actual_cost"))
    index = np.minimum(
        np.divide(ev, pv, out=np.ones_like(ev), where=pv > 0),
        np.divide(ev, ac, out=np.ones_like(ev), where=ac > 0),
    )
    band = np.where(index >= 0.95, 0, np.where(index >= 0.85, 1, 2))
    frame["percent_complete"] = np.round(100 * ev / budget, 1)
    frame["rag"] = np.array(["G", "A", "R"], dtype=object)[band]
    frame["comment"] = COMMENTS[band, rng.integers(0, 3, len(frame))]
    frame.loc[(date > plan.stop[sp]) & (plan.status[sp] == "on_hold"), "comment"] = ON_HOLD_COMMENT
    quality = rng.random(len(frame))
    frame["quality_rag"] = np.where(quality < 0.85, "G", np.where(quality < 0.96, "A", "R"))
    # Two running projects have not reported for three months (an early warning).
    silent = reporting[plan.status[reporting] == "in_progress"][-2:]
    if len(reporting) > 6:
        stale = frame["project_id"].isin(plan.ids[silent]) & (
            frame["report_date"] > AS_OF - np.timedelta64(75, "D")
        )
        frame = frame[~stale.to_numpy()]
    return frame.reset_index(drop=True)


#: How many running projects follow a back-loaded plan given by the Baseline sheet.
BACK_LOADED = 2


def _baseline(plan: Plan) -> pd.DataFrame:
    """The Baseline sheet: :data:`BACK_LOADED` healthy running projects, between 30 % and
    80 % of their duration, plan (and work) on a back-loaded curve, PV share = (time
    share)^2; their reports' PV follows it (``plan.shape``). On the linear plan these
    projects look late (earned schedule under-rated); on their baseline they are on time.
    No random draw: the rest of the demo is unchanged."""
    n = len(plan.ids)
    running = np.flatnonzero(plan.status == "in_progress")
    elapsed = (AS_OF - plan.start).astype(float) / (plan.end - plan.start).astype(float)
    # Not the two overridden (first) nor the two silent (last) running projects.
    pool = [j for j in running[2:-2] if plan.spi[j] >= 0.97 and 0.3 <= elapsed[j] <= 0.8][
        :BACK_LOADED
    ]
    plan.shape = np.ones(n)
    plan.shape[pool] = 2.0
    rows = []
    for j in pool:
        months = np.arange(
            plan.start[j].astype("datetime64[M]"), plan.end[j].astype("datetime64[M]") + 1
        )
        share = plan.planned((months + 1).astype("datetime64[D]"), np.full(len(months), j))
        pv = np.round(plan.budget[j] * share, -2)
        rows.append(pd.DataFrame({"project_id": plan.ids[j], "month": months, "planned_value": pv}))
    columns = ["project_id", "month", "planned_value"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)


def build_demo(
    n_projects: int = 60, seed: int = 7
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The demo (or scale) portfolio as canonical frames plus settings.

    Args:
        n_projects: number of projects: 60 for the committed demo, 2000 for DESIGN
            section 8's scale workbook (from 500 on, the scale proportions apply).
        seed: seed of the one random generator; same arguments, same frames.

    Returns:
        ``(frames, settings)``: every table of :data:`pmo_core.schema.TABLES`, conformed,
        and ``{"as_of": "2026-10-31", "currency": "EUR", "company": "Groupe Horizon"}``.

    Examples:
        >>> f, _ = build_demo(8, seed=3)
        >>> set(f["risks"]["project_id"]) <= set(f["projects"]["project_id"])
        True
    """
    rng = np.random.default_rng(seed)
    n = int(n_projects)
    if n < 1:
        raise ValueError("n_projects must be at least 1")
    scale = n >= 500
    roles = _role_table(scale)
    resources = _resources(rng, roles, 300 if scale else 120)
    n_m, back = (36, 18) if scale else (24, 12)
    months = (AS_OF_MONTH - back + np.arange(n_m)).astype("datetime64[D]")
    capacity = _capacity(resources, months)
    managers = resources.loc[resources["role"] == "Chef de projet", "name"].to_numpy()
    plan, projects = draw_plan(rng, n, managers)
    frames = {"projects": projects, **_alignment(rng, plan), "resources": resources}
    frames["capacity"] = capacity
    frames["allocations"] = _allocations(
        rng, plan, roles, resources, capacity, months, (6, 7) if scale else (3, 5)
    )
    frames["milestones"] = _milestones(rng, plan, scale)
    manager_of = projects["manager"].to_numpy(dtype=object)
    frames["risks"] = _risks(rng, plan, manager_of, 4 * n if scale else round(2.5 * n))
    frames["baseline"] = _baseline(plan)
    frames["priorities"] = schema.empty_frame("priorities")  # rated in Alignment instead
    reports = _status_reports(rng, plan, scale)
    frames["status_reports"] = reports
    # The project row carries what its latest report says (unless it stopped reporting).
    now = reports.groupby("project_id").tail(1)
    running = now["project_id"].map(pd.Series(plan.status, index=plan.ids)) == "in_progress"
    now = now[~running | (now["report_date"] == AS_OF)].set_index("project_id")
    ids = projects["project_id"]
    for col in ("actual_cost", "percent_complete"):
        projects[col] = ids.map(now[col]).fillna(projects[col]).to_numpy(dtype=float)
    frames = {k: schema.conform(k, frames[k]) for k in schema.TABLES}
    return frames, {"as_of": str(AS_OF), "currency": "EUR", "company": COMPANY}


def write_demo(out: str | os.PathLike[str], n_projects: int = 60, seed: int = 7) -> None:
    """Write the demo (or scale) workbook in the template's format, French headers.

    ``write_demo("data/demo_portfolio.xlsx")`` writes exactly the committed demo.
    """
    frames, settings = build_demo(n_projects, seed)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_workbook(frames, settings, out, lang="fr")
