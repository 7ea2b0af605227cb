"""Forecasts with their confidence: cost at completion and finish date as distributions.

Each running project's forecast is centred on its EVM / earned-schedule forecast (EAC,
and the forecast finish start + PD / SPI(t), :mod:`pmo_core.kpi`) and spread by what the
company's own history says (:mod:`pmo_core.forecast.history`): the ratios of outcome to
forecast of past projects at the same stage (:mod:`pmo_core.forecast.classes`). With
fewer than 30 outcomes in every class the documented prior is used
(:mod:`pmo_core.forecast.prior`), and the project's ``reference_class`` says "prior".

Undefined stays undefined: a project without EAC has no cost forecast, one without a
forecast finish (no dates, no progress) has no finish forecast; both are null in JSON.

Portfolio figures are percentiles of sums of samples, never sums of percentiles; the
projects are drawn independently (a shared cause of overrun across projects is not
modelled, so the portfolio's spread is a lower bound: said on the page).

Examples:
    >>> q = np.array([1.0, 2.0, 3.0, 4.0])
    >>> float(share_at_most(np.sort(q), 2.5))
    0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.forecast import classes, detail, prior
from pmo_core.forecast.calibrate import calibration
from pmo_core.forecast.history import OPEN_STATUSES, forecast_inputs, observations
from pmo_core.schema import EXECUTION_STATUSES

__all__ = [
    "NO_FORECAST",
    "QUANTILES",
    "ProjectSamples",
    "ProjectView",
    "calibration",
    "eac_p80_with_the_rest",
    "forecast_document",
    "history_order",
    "observations",
    "portfolio_forecast",
    "project_forecasts",
    "project_samples",
    "share_at_most",
    "store_history",
]

QUANTILES = (0.10, 0.50, 0.80, 0.90)
_Q = ("p10", "p50", "p80", "p90")
DAY = np.timedelta64(1, "D")


def share_at_most(sorted_values: np.ndarray, x: float | np.ndarray) -> np.ndarray:
    """The share of ``sorted_values`` at or below ``x`` (an empirical CDF)."""
    return np.searchsorted(sorted_values, x, side="right") / max(len(sorted_values), 1)


def _targets(k: pd.DataFrame, as_of: date) -> pd.DataFrame:
    f = forecast_inputs(k, as_of)
    return f[f["status"].isin(OPEN_STATUSES)].reset_index(drop=True)


def project_forecasts(
    k: pd.DataFrame, as_of: date, obs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """P10/P50/P80/P90 of EAC and of the finish date, P(EAC <= BAC) and P(finish <=
    baseline finish) for every running project of a KPI frame.

    Args:
        k: the snapshot's KPI frame (:func:`pmo_core.kpi.snapshot_kpis`).
        as_of: the snapshot's as-of date.
        obs: past forecasts and outcomes (:func:`observations`); None or empty: prior.
    """
    t = _targets(k, as_of)
    pool = obs if obs is not None else pd.DataFrame(columns=["band", "program", "department"])
    out = pd.DataFrame({"project_id": t["project_id"]})
    for q in _Q:
        out[f"eac_{q}"] = np.nan
        out[f"finish_{q}"] = pd.NaT
    out["prob_within_bac"] = np.nan
    out["prob_by_baseline_finish"] = np.nan
    out["reference_class"] = None
    out["observations"] = 0
    for rc in classes.resolve(t, pool):
        rows = t.iloc[rc.targets]
        at = rc.targets
        out.loc[at, "reference_class"] = rc.label
        out.loc[at, "observations"] = len(rc.rows)
        ratios = _ratios(pool, rc, "cost_ratio"), _ratios(pool, rc, "finish_ratio")
        cost, finish = _class_quantiles(ratios, rows)
        for j, q in enumerate(_Q):
            out.loc[at, f"eac_{q}"] = cost[j]
            out.loc[at, f"finish_{q}"] = finish[j]
        out.loc[at, "prob_within_bac"], out.loc[at, "prob_by_baseline_finish"] = _class_probs(
            ratios, rows
        )
    return out


def _ratios(pool: pd.DataFrame, rc: classes.RefClass, col: str) -> np.ndarray | None:
    """The class's sorted ratios in ``col``, or None when too few are defined."""
    if rc.is_prior:
        return None
    r = pool[col].to_numpy(dtype=float)[rc.rows]
    r = np.sort(r[np.isfinite(r)])
    return r if len(r) >= prior.MIN_OBSERVATIONS else None


def _class_quantiles(
    ratios: tuple[np.ndarray | None, np.ndarray | None], rows: pd.DataFrame
) -> tuple[list[np.ndarray], list[pd.Series]]:
    eac, etc = rows["eac"].to_numpy(float), rows["etc"].to_numpy(float)
    start, finish = rows["start"], rows["finish"]
    days, remaining = rows["forecast_days"].to_numpy(float), rows["remaining_days"].to_numpy(float)
    px, py = prior.quantiles(list(QUANTILES))
    cr, fr = ratios  # the class's sorted outcome ratios (None: too few, the prior)
    cost, dates = [], []
    for j, q in enumerate(QUANTILES):
        cost.append(eac * float(np.quantile(cr, q)) if cr is not None else eac + etc * px[j])
        if fr is not None:
            offset = days * float(np.quantile(fr, q))
            d = start + pd.to_timedelta(np.round(offset), unit="D")
        else:
            d = finish + pd.to_timedelta(np.round(remaining * py[j]), unit="D")
        dates.append(d.where(rows["forecast_days"].notna()).dt.normalize().to_numpy())
    return cost, dates


def _class_probs(
    ratios: tuple[np.ndarray | None, np.ndarray | None], rows: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    eac, etc, bac = (rows[c].to_numpy(float) for c in ("eac", "etc", "bac"))
    cr, fr = ratios
    with np.errstate(divide="ignore", invalid="ignore"):
        if cr is not None:
            p_cost = share_at_most(cr, bac / eac)
        else:  # EAC + ETC x X <= BAC  <=>  X <= (BAC - EAC) / ETC
            p_cost = np.where(
                etc > 0, prior.cdf((bac - eac) / etc, "cost"), (eac <= bac).astype(float)
            )
        p_cost = np.where(np.isnan(eac) | np.isnan(bac), np.nan, p_cost)
        days = rows["forecast_days"].to_numpy(float)
        to_end = (rows["end"] - rows["start"]).dt.days.to_numpy(float)
        if fr is not None:
            p_time = share_at_most(fr, to_end / days)
        else:
            rem = rows["remaining_days"].to_numpy(float)
            slack = (rows["end"] - rows["finish"]).dt.days.to_numpy(float)
            p_time = np.where(
                rem > 0, prior.cdf(slack / rem, "schedule"), (slack >= 0).astype(float)
            )
        p_time = np.where(np.isnan(days) | np.isnan(to_end), np.nan, p_time)
    return p_cost, p_time


#: Why a project has no forecast, or only half of one (English; the app translates).
NO_FORECAST = {
    "missing": "This project is not in the snapshot.",
    "not_running": "Only running projects (in progress or on hold) have a forecast.",
    "no_progress": "No progress data (earned value or budget missing): no stage, so no "
    "reference class and no forecast.",
    "no_eac": "No EAC (progress or actual cost missing): no cost forecast.",
    "no_finish": "No forecast finish (dates or progress missing): no finish forecast.",
}


@dataclass(frozen=True)
class ProjectSamples:
    """One running project's draws, the ones :func:`project_forecasts` reads its
    quantiles off (no random seed: the same inputs give the same draws).

    ``cost``: draws of the cost at completion (empty: no cost forecast). From the
    history, the EAC times each of the class's outcome ratios; with the prior, EAC + ETC x
    each overrun of the prior's fixed sample (:func:`prior.joint_sample`, 400,000 draws).
    ``finish``: draws of the finish in days from 1970-01-01, not rounded (empty: no
    finish forecast): start + forecast duration x each finish ratio of the class, or the
    forecast finish + remaining days x each schedule overrun of the prior. Under the prior
    cost and finish pair draw by draw (a swan overruns both); from the history their
    lengths may differ (outcomes whose finish is unknown count for the cost only), so
    read them one at a time. ``reason``: a :data:`NO_FORECAST` text when either is empty.
    """

    project_id: str
    as_of: pd.Timestamp
    reference_class: str | None
    band: str | None
    observations: int
    ac: float
    bac: float
    eac: float
    baseline_finish: pd.Timestamp
    cost: np.ndarray
    finish: np.ndarray
    reason: str | None

    def quantiles(self) -> dict[str, Any]:
        """eac_p10 ... eac_p90 (NaN without cost draws) and finish_p10 ... finish_p90
        (the day, NaT without finish draws): :func:`project_forecasts`' figures."""
        out: dict[str, Any] = {}
        cost = np.quantile(self.cost, QUANTILES) if len(self.cost) else [np.nan] * 4
        days = np.round(np.quantile(self.finish, QUANTILES)) if len(self.finish) else None
        for j, q in enumerate(_Q):
            out[f"eac_{q}"] = float(cost[j])
            out[f"finish_{q}"] = pd.NaT if days is None else pd.Timestamp(int(days[j]), unit="D")
        return out

    def view(self) -> ProjectView:
        """What the project's detail shows of these draws, small enough to cache: the
        quantiles, the fan (:func:`detail.fan_paths`) and the histograms
        (:func:`detail.histogram`; None without draws)."""
        return ProjectView(
            project_id=self.project_id,
            as_of=self.as_of,
            reference_class=self.reference_class,
            band=self.band,
            observations=self.observations,
            bac=self.bac,
            baseline_finish=self.baseline_finish,
            reason=self.reason,
            quantiles=self.quantiles(),
            fan=detail.fan_paths(self.as_of, self.ac, self.cost, self.finish),
            cost_histogram=detail.histogram(self.cost) if len(self.cost) else None,
            finish_histogram=detail.histogram(self.finish) if len(self.finish) else None,
        )


@dataclass(frozen=True)
class ProjectView:
    """One project's forecast as its detail shows it (:meth:`ProjectSamples.view`)."""

    project_id: str
    as_of: pd.Timestamp
    reference_class: str | None
    band: str | None
    observations: int
    bac: float
    baseline_finish: pd.Timestamp
    reason: str | None
    quantiles: dict[str, Any]
    fan: pd.DataFrame | None
    cost_histogram: detail.Histogram | None
    finish_histogram: detail.Histogram | None


def project_samples(
    k: pd.DataFrame, as_of: date, obs: pd.DataFrame | None, project_id: str
) -> ProjectSamples:
    """The draws of one project of a KPI frame (see :class:`ProjectSamples`), with the
    pool of outcomes :func:`project_forecasts` uses: their quantiles are its row's.

    >>> s = project_samples(pd.DataFrame({"project_id": ["P"], "status": ["proposed"]}),
    ...                     date(2026, 7, 1), None, "P")
    >>> s.reason == NO_FORECAST["not_running"], len(s.cost)
    (True, 0)
    """
    mine = k[k["project_id"] == project_id]
    row = mine.iloc[0] if len(mine) else pd.Series(dtype=object)

    def value(col: str) -> float:
        v = row.get(col)
        return float(v) if v is not None and not pd.isna(v) else float("nan")

    empty = np.zeros(0)
    base = {
        "project_id": project_id,
        "as_of": pd.Timestamp(as_of),
        "ac": value("ac"),
        "bac": value("bac"),
        "eac": value("eac"),
        "baseline_finish": pd.Timestamp(row.get("end_date")) if len(mine) else pd.NaT,
    }
    if mine.empty:
        reason = NO_FORECAST["missing"]
    elif row.get("status") not in OPEN_STATUSES:
        reason = NO_FORECAST["not_running"]
    else:
        reason = None
    t = _targets(mine, as_of) if reason is None else mine.iloc[0:0]
    pool = obs if obs is not None else pd.DataFrame(columns=["band", "program", "department"])
    found = classes.resolve(t, pool) if len(t) else []
    if reason is None and not found:
        reason = NO_FORECAST["no_progress"]
    if reason is not None:
        return ProjectSamples(
            **base,
            reference_class=None,
            band=None,
            observations=0,
            cost=empty,
            finish=empty,
            reason=reason,
        )
    rc, r = found[0], t.iloc[0]
    cr, fr = _ratios(pool, rc, "cost_ratio"), _ratios(pool, rc, "finish_ratio")
    px, py = prior.joint_sample()
    eac, etc = float(r["eac"]), float(r["etc"])
    cost = empty
    if not np.isnan(eac):
        cost = eac * cr if cr is not None else eac + etc * px
    finish = empty
    if not np.isnan(r["forecast_days"]):
        if fr is not None:
            start = float(np.datetime64(r["start"], "D").astype("int64"))
            finish = start + float(r["forecast_days"]) * fr
        else:
            end = float(np.datetime64(r["finish"], "D").astype("int64"))
            finish = end + float(r["remaining_days"]) * py
    missing = NO_FORECAST["no_eac"] if not len(cost) else None
    missing = missing or (NO_FORECAST["no_finish"] if not len(finish) else None)
    return ProjectSamples(
        **base,
        reference_class=rc.label,
        band=str(r["band"]),
        observations=len(rc.rows),
        cost=cost,
        finish=finish,
        reason=missing,
    )


def eac_p80_with_the_rest(k: pd.DataFrame, doc: dict[str, Any]) -> dict[str, Any]:
    """The P80 beside the Overview's EAC card, over the same projects as the card.

    The card sums, over the projects in execution, each one's EAC, or its BAC where the
    EAC is n/a (:func:`pmo_core.kpi.portfolio_evm`). The running projects the portfolio
    forecast (``doc``, the ``forecast`` document of the same projects) draws come in as
    their drawn total; every other project of the card (completed, or running without a
    forecast) as the card counts it, a constant c. A percentile moves with a constant,
    so the P80 of the card's total is P80(drawn total) + c.

    Returns eac_p80 (None when the forecast draws no project), drawn (how many projects
    are drawn), fixed (how many come in as constants) and fixed_amount (c).

    >>> k = pd.DataFrame({"project_id": ["A", "B", "C", "D"], "bac": [100.0, 50.0, 40.0, 9.0],
    ...     "eac": [120.0, 60.0, np.nan, 9.0],
    ...     "status": ["in_progress", "completed", "in_progress", "proposed"]})
    >>> doc = {"portfolio": {"eac_p80": 150.0},
    ...        "projects": [{"project_id": "A", "eac_p50": 125.0},
    ...                     {"project_id": "C", "eac_p50": None}]}
    >>> eac_p80_with_the_rest(k, doc)  # 150 + B's 60 + C's BAC 40
    {'eac_p80': 250.0, 'drawn': 1, 'fixed': 2, 'fixed_amount': 100.0}
    """
    drawn = {p["project_id"] for p in doc["projects"] if p.get("eac_p50") is not None}
    e = k[k["status"].isin(EXECUTION_STATUSES)]
    rest = e[~e["project_id"].isin(drawn)]
    fixed = float(rest["eac"].fillna(rest["bac"]).sum())
    p80 = doc["portfolio"].get("eac_p80")
    n = int(e["project_id"].isin(drawn).sum())
    return {
        "eac_p80": None if p80 is None or not n else float(p80) + fixed,
        "drawn": n,
        "fixed": len(rest),
        "fixed_amount": fixed,
    }


@dataclass(frozen=True)
class _Group:
    """One reference class's projects as arrays, ready to draw from (built once)."""

    eac: np.ndarray
    etc: np.ndarray
    ac: np.ndarray
    start: np.ndarray  # days from the epoch
    finish: np.ndarray
    days: np.ndarray
    remaining: np.ndarray
    timed: np.ndarray  # has a finish forecast
    ratios: np.ndarray | None  # the class's outcome / forecast cost ratios; None: prior
    fratios: np.ndarray | None  # their finish ratios (NaN where unknown)
    finite: np.ndarray | None  # the defined finish ratios; None: too few, prior


def _group(rc: classes.RefClass, pool: pd.DataFrame, rows: pd.DataFrame) -> _Group:
    def days_of(c: str) -> np.ndarray:
        return rows[c].to_numpy("datetime64[D]").astype("int64").astype(float)

    cr, fr = _ratios(pool, rc, "cost_ratio"), _ratios(pool, rc, "finish_ratio")
    return _Group(
        eac=rows["eac"].to_numpy(float),
        etc=rows["etc"].to_numpy(float),
        ac=rows["ac"].fillna(0.0).to_numpy(float),
        start=days_of("start"),
        finish=days_of("finish"),
        days=rows["forecast_days"].to_numpy(float),
        remaining=rows["remaining_days"].to_numpy(float),
        timed=rows["forecast_days"].notna().to_numpy(),
        ratios=None if cr is None else pool["cost_ratio"].to_numpy(float)[rc.rows],
        fratios=None if cr is None else pool["finish_ratio"].to_numpy(float)[rc.rows],
        finite=fr,
    )


def portfolio_forecast(
    k: pd.DataFrame,
    as_of: date,
    obs: pd.DataFrame | None = None,
    *,
    iterations: int = 10_000,
    seed: int = 0,
    chunk: int = 1_000,
) -> dict[str, Any]:
    """The portfolio's total EAC over its running projects with a defined EAC, drawn
    ``iterations`` times (projects independent), and its remaining spend per calendar
    year (spread evenly from the as-of date to each drawn finish).

    Returns eac_p50, eac_p80, eac_p90, budget (the sum of those projects' BAC),
    prob_within_budget, projects (how many are summed), left_out (running projects
    without EAC), spend_by_year ([{year, p50, p80}] over the projects with a finish
    forecast as well; the last year also holds what falls after it) and spend_left_out.
    """
    t = _targets(k, as_of)
    pool = obs if obs is not None else pd.DataFrame(columns=["band", "program", "department"])
    summed = t["eac"].notna() & t["band"].notna()
    timed = summed & t["forecast_days"].notna()
    ts = np.datetime64(pd.Timestamp(as_of).normalize().to_datetime64(), "D")
    rng = np.random.default_rng(seed)
    sub = t[summed].reset_index(drop=True)
    groups = [_group(rc, pool, sub.iloc[rc.targets]) for rc in classes.resolve(sub, pool)]
    years = _years(ts, t.loc[timed, "finish"])
    totals: list[np.ndarray] = []
    spend: list[np.ndarray] = []
    done = 0
    while done < iterations:
        n = min(chunk, iterations - done)
        total = np.zeros(n)
        per_year = np.zeros((n, len(years)))
        for g in groups:
            cost, finish_days = _draw(rng, n, g)
            total += cost.sum(axis=1)
            if g.timed.any() and len(years):
                left = np.maximum(cost[:, g.timed] - g.ac[g.timed], 0.0)
                per_year += _spread(left, finish_days[:, g.timed], ts, years)
        totals.append(total)
        spend.append(per_year)
        done += n
    tot = np.concatenate(totals) if totals else np.zeros(0)
    by_year = np.concatenate(spend) if spend else np.zeros((0, len(years)))
    by_year, years = _fold_tail(by_year, years)
    budget = float(t.loc[summed, "bac"].sum())
    has = bool(summed.any())
    return {
        "iterations": iterations,
        "projects": int(summed.sum()),
        "left_out": int((~summed).sum()),
        "budget": budget if has else None,
        "eac_p50": float(np.quantile(tot, 0.5)) if has else None,
        "eac_p80": float(np.quantile(tot, 0.8)) if has else None,
        "eac_p90": float(np.quantile(tot, 0.9)) if has else None,
        "prob_within_budget": float(np.mean(tot <= budget)) if has else None,
        "spend_by_year": [
            {
                "year": int(y),
                "p50": float(np.quantile(by_year[:, j], 0.5)),
                "p80": float(np.quantile(by_year[:, j], 0.8)),
            }
            for j, y in enumerate(years)
        ],
        "spend_left_out": int((summed & ~timed).sum()),
    }


def _fold_tail(by_year: np.ndarray, years: list[int]) -> tuple[np.ndarray, list[int]]:
    """Years after the last one whose P80 is at least 1 % of the largest year's are
    folded into it (the last year holds what falls after it): a long thin tail of
    swans' draws is not a plan."""
    if not years or not len(by_year):
        return by_year, years
    p80 = np.quantile(by_year, 0.8, axis=0)
    keep = int(np.flatnonzero(p80 >= 0.01 * p80.max())[-1]) if p80.max() > 0 else 0
    folded = by_year[:, : keep + 1].copy()
    folded[:, keep] += by_year[:, keep + 1 :].sum(axis=1)
    return folded, years[: keep + 1]


def _years(ts: np.datetime64, finish: pd.Series, horizon: int = 15) -> list[int]:
    first = int(str(ts)[:4])
    if finish.empty:
        return []
    last = max(first, min(int(finish.max().year) + 3, first + horizon))
    return list(range(first, last + 1))


def _draw(rng: np.random.Generator, n: int, g: _Group) -> tuple[np.ndarray, np.ndarray]:
    """``n`` draws per project of the cost at completion and of the finish, in days
    from the epoch: one past outcome drawn per draw (its cost and finish ratios
    together), or the prior (a black swan overruns both)."""
    m = len(g.eac)
    if g.ratios is None or g.fratios is None:  # the prior
        x, y = prior.prior_draws(rng, (n, m))
        return g.eac + g.etc * x, g.finish + g.remaining * y
    pick = rng.integers(0, len(g.ratios), size=(n, m))
    cost = g.eac * g.ratios[pick]
    if g.finite is None:  # too few outcomes with a finish: the prior's schedule overrun
        _, y = prior.prior_draws(rng, (n, m))
        return cost, g.finish + g.remaining * y
    joint = g.fratios[pick]
    if len(g.finite) == len(g.fratios):
        return cost, g.start + g.days * joint
    alt = g.finite[rng.integers(0, len(g.finite), size=(n, m))]  # no finish: another's
    return cost, g.start + g.days * np.where(np.isfinite(joint), joint, alt)


def _spread(
    left: np.ndarray, finish_days: np.ndarray, ts: np.datetime64, years: list[int]
) -> np.ndarray:
    """Each draw's remaining spend spread evenly over [as-of, finish], summed per year:
    the spend by a date T is left x min(T - as-of, span) / span, a year's is the
    difference at its two ends (a finish already passed: all that is left falls now)."""
    t0 = float(ts.astype("int64"))
    span = np.maximum(finish_days - t0, 1.0)
    rate = left / span
    ends = [float(np.datetime64(f"{y + 1}-01-01", "D").astype("int64")) - t0 for y in years]
    ends[-1] = np.inf  # the last year holds what falls after it
    cum = np.stack([(rate * np.minimum(e, span)).sum(axis=1) for e in ends], axis=1)
    return np.diff(cum, axis=1, prepend=0.0)


def forecast_document(
    history: Sequence[tuple[int, date, pd.DataFrame]], *, iterations: int = 10_000, seed: int = 0
) -> dict[str, Any]:
    """The ``forecast`` command's answer (DESIGN section 7) for the newest entry of
    ``history``: (snapshot id, as-of, KPI frame) oldest first, the snapshot itself last."""
    sid, as_of, k = history[-1]
    obs = observations([(a, f) for _, a, f in history])
    per = project_forecasts(k, as_of, obs)
    port = portfolio_forecast(k, as_of, obs, iterations=iterations, seed=seed)
    projects = []
    for r in per.to_dict("records"):
        doc = {"project_id": r["project_id"]}
        for q in _Q:
            doc[f"eac_{q}"] = None if pd.isna(r[f"eac_{q}"]) else float(r[f"eac_{q}"])
        for q in ("p10", "p50", "p80", "p90"):
            v = r[f"finish_{q}"]
            doc[f"finish_{q}"] = None if pd.isna(v) else pd.Timestamp(v).date().isoformat()
        for f in ("prob_within_bac", "prob_by_baseline_finish"):
            doc[f] = None if pd.isna(r[f]) else float(r[f])
        doc["reference_class"] = r["reference_class"]
        doc["observations"] = int(r["observations"])
        projects.append(doc)
    return {
        "snapshot_id": sid,
        "as_of": as_of.isoformat(),
        "iterations": iterations,
        "seed": seed,
        "portfolio": port,
        "projects": projects,
        "calibration": calibration(obs),
        "prior": prior.SOURCE,
    }


def history_order(snapshots: pd.DataFrame, snapshot_id: int) -> list[int]:
    """The snapshot ids a forecast at ``snapshot_id`` reads, oldest first and that
    snapshot last: every snapshot whose as-of date is on or before its own, ordered by
    as-of date then id (``snapshots`` as :func:`pmo_core.store.list_snapshots` gives).

    >>> t = pd.DataFrame({"snapshot_id": [1, 2, 3, 4],
    ...     "as_of": pd.to_datetime(["2026-09-30", "2026-10-31", "2026-08-31", "2026-12-31"])})
    >>> history_order(t, 2)
    [3, 1, 2]
    """
    as_of = pd.to_datetime(snapshots["as_of"])
    mine = as_of[snapshots["snapshot_id"] == snapshot_id].iloc[0]
    past = snapshots[(as_of <= mine) & (snapshots["snapshot_id"] != snapshot_id)]
    order = past.assign(_as_of=pd.to_datetime(past["as_of"])).sort_values(["_as_of", "snapshot_id"])
    return [*(int(i) for i in order["snapshot_id"]), int(snapshot_id)]


def store_history(
    snapshot_id: int | None = None,
    path: str | Any = None,
    tables: tuple[str, ...] | None = None,
) -> list[tuple[int, date, pd.DataFrame]]:
    """(snapshot id, as-of, KPI frame) of the snapshots :func:`history_order` gives for
    ``snapshot_id`` (the newest by default): what :func:`forecast_document` reads."""
    from pmo_core import kpi, store

    chosen = store.get_snapshot(snapshot_id, tables=(), path=path)
    out = []
    for sid in history_order(store.list_snapshots(path), chosen.snapshot_id):
        s = store.get_snapshot(sid, tables=tables, path=path)
        out.append((sid, s.as_of, kpi.snapshot_kpis(s)))
    return out
