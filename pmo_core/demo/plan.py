"""The demo's project plan: the fixed as-of date and span, each project's status, story
(healthy, amber, late or over budget: :data:`PROFILES`), dates, budget, SPI and CPI, drawn
as the :class:`Plan` every table of :mod:`pmo_core.demo` is drawn from, and the Projects
frame (:func:`draw_plan`), curated with dependencies, the exclusive pair, two overrides
and a few governance gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo_core.demo.names import (
    COMPANY,
    PROGRAMME_AIMS,
    PROGRAMMES,
    PROJECTS,
    SPONSORS,
)

AS_OF = np.datetime64("2026-10-31", "D")
AS_OF_MONTH = np.datetime64("2026-10", "M")
FIRST_START = np.datetime64("2024-01", "M")  # the demo spans 2024-2028
LAST_END = np.datetime64("2028-06", "M")
#: Story of each project in execution: share, SPI range, CPI range.
PROFILES = {
    "healthy": (0.50, (0.97, 1.06), (0.97, 1.10)),
    "amber": (0.22, (0.87, 0.93), (0.96, 1.04)),
    "late": (0.15, (0.66, 0.83), (0.90, 1.02)),
    "over": (0.13, (0.90, 1.00), (0.66, 0.83)),
}
STATUS_SHARES = {
    "in_progress": 30,
    "completed": 7,
    "proposed": 9,
    "approved": 6,
    "on_hold": 4,
    "cancelled": 4,
}


@dataclass
class Plan:
    """The arrays every table is drawn from, one entry per project."""

    ids: np.ndarray
    status: np.ndarray
    programme: np.ndarray  # index into PROGRAMMES
    budget: np.ndarray
    start: np.ndarray  # datetime64[D]
    end: np.ndarray  # baseline finish
    stop: np.ndarray  # work stopped: as-of, hold, cancellation or finish
    forecast_end: np.ndarray
    spi: np.ndarray
    cpi: np.ndarray
    late: np.ndarray  # bool: a late or over-budget story (more risks)
    #: Power of each project's planned and worked curve over its duration: 1 linear, 2
    #: back-loaded (a Baseline sheet gives it; see ``demo.baseline``). None: all linear.
    shape: np.ndarray | None = None

    def _curve(self, share: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return share if self.shape is None else share ** self.shape[idx]

    def worked(self, when: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Share of the baseline duration worked by ``when`` (stops at ``stop``)."""
        total = (self.end[idx] - self.start[idx]).astype(float)
        done = (np.minimum(when, self.stop[idx]) - self.start[idx]).astype(float)
        return self._curve(np.clip(done / total, 0.0, 1.0), idx)

    def planned(self, when: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Share of the budget planned by ``when`` (the PV curve: linear in time, or
        back-loaded where ``shape`` says so)."""
        total = (self.end[idx] - self.start[idx]).astype(float)
        return self._curve(np.clip((when - self.start[idx]).astype(float) / total, 0.0, 1.0), idx)


def month_end(m: np.ndarray) -> np.ndarray:
    """The last day of each month of ``m`` (datetime64[M] -> datetime64[D])."""
    return (m + 1).astype("datetime64[D]") - np.timedelta64(1, "D")


def _stratified(rng: np.random.Generator, m: int) -> np.ndarray:
    """``m`` profile indices in PROFILES' shares exactly (not by chance), shuffled."""
    shares = np.array([v[0] for v in PROFILES.values()])
    count = np.floor(shares * m).astype(int)
    count[np.argsort(-shares, kind="stable")[: m - count.sum()]] += 1
    return rng.permutation(np.repeat(np.arange(len(shares)), count))


def _statuses(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mostly in progress; every status present once n >= 6; curated candidates proposed."""
    names = np.array(list(STATUS_SHARES), dtype=object)
    p = np.array(list(STATUS_SHARES.values()), dtype=float)
    status = names[rng.choice(len(names), n, p=p / p.sum())]
    curated = np.array([bool(row[4]) for row in PROJECTS])[np.arange(n) % len(PROJECTS)]
    curated &= np.arange(n) < len(PROJECTS)
    status[curated] = "proposed"
    free = np.flatnonzero(~curated)
    if n >= len(names):  # curated ones stay proposed unless too few projects are left
        pool = free if len(free) >= len(names) else np.arange(n)
        status[rng.choice(pool, len(names), replace=False)] = names
    api = [j for j, row in enumerate(PROJECTS) if row[4] == "api" and j < n]
    status[api] = "approved"  # the prerequisite of a proposal is already approved
    return status


def _dates(
    rng: np.random.Generator, status: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, baseline finish and when work stopped, by status (all within 2024-2028)."""
    n = len(status)
    d = rng.integers(8, 31, n)  # baseline duration in months
    s = np.zeros(n, dtype=int)  # start month, relative to the as-of month
    running = np.isin(status, ["in_progress", "on_hold"])
    s[running] = -rng.integers(1, np.maximum(2, d[running] - 2))
    cand = np.isin(status, ["proposed", "approved"])
    s[cand] = rng.integers(1, 9, cand.sum())
    done, gone = status == "completed", status == "cancelled"
    s[done] = -(d[done] + rng.integers(0, 9, done.sum()))
    s[gone] = -rng.integers(2, 21, gone.sum())
    s = np.maximum(s, (FIRST_START - AS_OF_MONTH).astype(int))
    d = np.where(done, np.minimum(d, -s), d)
    d = np.maximum(np.minimum(d, (LAST_END - AS_OF_MONTH).astype(int) - s), 4)
    start_m = AS_OF_MONTH + s
    start, end = start_m.astype("datetime64[D]"), month_end(start_m + d - 1)
    span = (end - start).astype(float)
    stop = np.where(running, AS_OF, start)
    hold_at = AS_OF - rng.integers(30, 120, n).astype("timedelta64[D]")
    stop = np.where(status == "on_hold", np.maximum(hold_at, start + np.timedelta64(20, "D")), stop)
    cut = start + (rng.uniform(0.15, 0.6, n) * span).astype("timedelta64[D]")
    stop = np.where(gone, np.minimum(cut, AS_OF - np.timedelta64(15, "D")), stop)
    return start, end, np.where(done, end, stop)


def draw_plan(rng: np.random.Generator, n: int, managers: np.ndarray) -> tuple[Plan, pd.DataFrame]:
    """Projects: names, dates, budgets and the story each one tells."""
    wave, k = np.divmod(np.arange(n), len(PROJECTS))
    col = [np.array([row[i] for row in PROJECTS], dtype=object)[k] for i in range(4)]
    names = np.where(wave > 0, col[0] + " – lot " + (wave + 1).astype(str), col[0])
    programme, direction = col[1].astype(int), col[2]
    status = _statuses(rng, n)
    width = 4 if n >= 1000 else 3
    ids = np.array([f"PRJ-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    start, end, stop = _dates(rng, status)
    budget = np.round(np.exp(rng.uniform(np.log(80_000), np.log(4_000_000), n)), -3)

    profile = _stratified(rng, n)
    running = np.isin(status, ["in_progress", "on_hold"])
    profile[running] = _stratified(rng, int(running.sum()))  # the running tell the story
    ranges = np.array([[*v[1], *v[2]] for v in PROFILES.values()])[profile]
    spi, cpi = rng.uniform(ranges[:, 0], ranges[:, 1]), rng.uniform(ranges[:, 2], ranges[:, 3])
    by_cost = (profile == 1) & (rng.random(n) < 0.4)  # some ambers are amber on cost
    spi[by_cost], cpi[by_cost] = cpi[by_cost], spi[by_cost]
    done, gone = status == "completed", status == "cancelled"
    cand = np.isin(status, ["proposed", "approved"])
    late_days = np.maximum(0.0, 1 / spi - 1) * (end - start).astype(float) * 0.9
    late_days += np.where(status == "on_hold", (AS_OF - stop).astype(float), 0.0)
    forecast = np.minimum(end + late_days.astype("timedelta64[D]"), np.datetime64("2028-12-31"))
    forecast = np.where(done, np.minimum(forecast, AS_OF), forecast)
    forecast = np.where(cand | gone, end, forecast)
    plan = Plan(ids, status, programme, budget, start, end, stop, forecast, spi, cpi, profile > 1)

    worked = plan.worked(np.full(n, AS_OF), np.arange(n))
    pct = np.where(done, 100.0, np.round(np.minimum(worked * spi, 0.97) * 100, 1))
    pct = np.where(cand, 0.0, pct)
    phase = np.select(
        [status == "proposed", status == "approved", done, gone, pct < 30, pct < 70],
        ["Opportunité", "Cadrage", "Clôture", "Arrêté", "Conception", "Réalisation"],
        default="Déploiement",
    )
    sponsor = np.array([SPONSORS[x] for x in direction], dtype=object)
    sponsor[rng.random(n) < 0.1] = SPONSORS["Direction générale"]  # transverse projects
    projects = pd.DataFrame(
        {
            "project_id": ids,
            "name": names,
            "program": np.array(PROGRAMMES, dtype=object)[programme],
            "portfolio": COMPANY,
            "department": direction,
            "sponsor": sponsor,
            "manager": managers[rng.integers(0, len(managers), n)],
            "status": status,
            "phase": phase,
            "start_date": start,
            "end_date": end,
            "forecast_end_date": forecast,
            "budget": budget,
            "actual_cost": np.round(budget * pct / 100 / cpi, -2),
            "percent_complete": pct,
            "expected_benefit": np.round(budget * rng.uniform(0.6, 3.2, n), -3),
            "mandatory": (col[3] == "R") & ~gone,
            "description": names + " : " + np.array(PROGRAMME_AIMS, dtype=object)[programme],
        }
    )
    _curate(projects, rng)
    return plan, projects


def _curate(projects: pd.DataFrame, rng: np.random.Generator) -> None:
    """Dependencies, the exclusive pair, two overrides and a few governance gaps."""
    n = len(projects)
    ids = projects["project_id"].to_numpy()
    at = {row[4]: j for j, row in enumerate(PROJECTS[:n]) if row[4] and row[4] != "option"}
    for dependent, prerequisite in (("needs_api", "api"), ("needs_data", "data")):
        if dependent in at and prerequisite in at:
            projects.loc[at[dependent], "depends_on"] = ids[at[prerequisite]]
    options = [j for j, row in enumerate(PROJECTS[:n]) if row[4] == "option"]
    if len(options) == 2:
        projects.loc[options, "exclusive_group"] = "Plateforme e-commerce"
    running = np.flatnonzero(projects["status"].to_numpy() == "in_progress")
    reasons = (
        ("R", "Arbitrage COPIL : fournisseur défaillant, périmètre à revoir"),
        ("A", "Recette décalée à la demande du métier, date de fin maintenue"),
    )
    for j, (rag, why) in zip(running[:2], reasons, strict=False):
        projects.loc[j, ["rag_override", "rag_reason"]] = [rag, why]
    gaps = rng.choice(n, size=max(1, n // 20), replace=False)
    projects.loc[gaps[: len(gaps) // 2 + 1], "manager"] = None
    projects.loc[gaps[len(gaps) // 2 + 1 :], "sponsor"] = None
