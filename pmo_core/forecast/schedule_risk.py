"""Schedule risk: a Monte Carlo over an imported schedule's logic network.

Each draw gives every unfinished activity a duration from a triangular law (optimistic,
most likely, pessimistic), then runs the critical-path method over the file's logic
(FS, SS, FF, SF links with their lags, in working days). Over the draws: the P50/P80 of
the finish, each activity's criticality index (the share of draws in which it has no
total float, so that it drives the finish) and the top drivers (the activities whose
duration is most correlated with the finish, by Spearman rank: the tornado).

Three-point durations come from the activity's ``optimistic_days`` and
``pessimistic_days`` when the file gives them; otherwise the default spread
(:data:`DEFAULT_SPREAD`: 90 %, 100 %, 150 % of the planned duration) is used, a
right-skewed range in the spirit of AACE's guidance that overruns are larger than
underruns (RP 41R-08 range estimating); the result says which was used. Finished
activities take no more time; milestones have none.

Vectorised: draws are columns of numpy arrays and the passes walk the activities once in
topological order (a loop per activity, never per draw). Links that close a cycle are left
out and counted.

Columns read (:data:`pmo_core.ingest.schedules.common.ACTIVITY_COLUMNS` and
``RELATION_COLUMNS``): activities task_id, activity_id, kind, done, duration_days,
forecast_start (the data date is the earliest forecast start of the unfinished
activities); relations pred_task_id, succ_task_id, type, lag_days.

Examples:
    >>> acts = pd.DataFrame({"task_id": ["a", "b", "c"], "activity_id": ["A", "B", "C"],
    ...     "kind": "task", "done": False, "duration_days": [5.0, 3.0, 4.0],
    ...     "forecast_start": pd.Timestamp("2026-01-05")})
    >>> rels = pd.DataFrame({"pred_task_id": ["a", "a"], "succ_task_id": ["b", "c"],
    ...     "type": "FS", "lag_days": 0.0})
    >>> r = simulate(acts, rels, iterations=200, spread=(1.0, 1.0, 1.0))
    >>> r["deterministic_days"], r["finish_p50"], r["activities"][0]
    (9.0, '2026-01-15', {'activity_id': 'A', 'criticality': 1.0})
"""

from __future__ import annotations

from collections import deque
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

#: Optimistic, most likely and pessimistic durations as shares of the planned one.
DEFAULT_SPREAD = (0.9, 1.0, 1.5)
#: How many drivers the tornado lists.
TOP_DRIVERS = 10


def _order(n: int, pred: np.ndarray, succ: np.ndarray) -> tuple[list[int], np.ndarray]:
    """A topological order of the n activities and a mask of the links kept (a link that
    closes a cycle is dropped: its successor is placed once its other predecessors are)."""
    indeg = np.bincount(succ, minlength=n)
    out: list[list[int]] = [[] for _ in range(n)]
    for k, p in enumerate(pred):
        out[p].append(k)
    keep = np.ones(len(pred), dtype=bool)
    done = np.zeros(n, dtype=bool)
    order: list[int] = []
    queue = deque(int(i) for i in np.flatnonzero(indeg == 0))
    while len(order) < n:
        if not queue:  # a cycle: break it at the pending activity with fewest links in
            pending = np.flatnonzero(~done)
            j = int(pending[np.argmin(indeg[pending])])
            for back in np.flatnonzero((succ == j) & keep):
                if not done[pred[back]]:
                    keep[back] = False
            indeg[j] = 0
            queue.append(j)
        i = queue.popleft()
        if done[i]:
            continue
        done[i] = True
        order.append(i)
        for k in out[i]:
            if keep[k]:
                j = int(succ[k])
                indeg[j] -= 1
                if indeg[j] == 0 and not done[j]:
                    queue.append(j)
    return order, keep


def _busdays(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Working days (Monday-Friday) from a's day to b's day, both counted; NaN where
    either is missing."""
    ok = a.notna() & b.notna()
    out = np.full(len(a), np.nan)
    if ok.any():
        start = a[ok].dt.normalize().to_numpy("datetime64[D]")
        end = b[ok].dt.normalize().to_numpy("datetime64[D]") + np.timedelta64(1, "D")
        out[ok.to_numpy()] = np.maximum(np.busday_count(start, end), 0)
    return out


def data_date(acts: pd.DataFrame) -> pd.Timestamp | None:
    """The schedule's data date as its activities tell it: the earliest forecast start of
    the activities not started, else the latest actual start."""
    open_ = ~acts["done"].fillna(False).astype(bool)
    actual = pd.to_datetime(acts.get("actual_start", pd.Series(pd.NaT, index=acts.index)))
    waiting = pd.to_datetime(acts.loc[open_ & actual.isna(), "forecast_start"]).dropna()
    if len(waiting):
        return pd.Timestamp(waiting.min()).normalize()
    started = actual[open_].dropna()
    return pd.Timestamp(started.max()).normalize() if len(started) else None


def remaining_days(acts: pd.DataFrame, when: pd.Timestamp) -> np.ndarray:
    """Each activity's remaining working days: from its forecast start (or the data date
    when it is running) to its forecast finish, counted Monday-Friday from the dates the
    file gives (the same in every tool, whatever its duration units); the file's
    ``duration_days`` where a date is missing; 0 when done and for milestones."""
    start = pd.to_datetime(acts["forecast_start"]).clip(lower=when)
    finish = pd.to_datetime(acts.get("forecast_finish", pd.Series(pd.NaT, index=acts.index)))
    by_dates = _busdays(start.where(start.notna(), when), finish)
    given = pd.to_numeric(acts["duration_days"], errors="coerce").to_numpy(float)
    d = np.where(np.isfinite(by_dates), by_dates, given)
    d = np.nan_to_num(d, nan=0.0).clip(min=0.0)
    d[acts["done"].fillna(False).astype(bool).to_numpy()] = 0.0
    d[(acts["kind"] == "milestone").to_numpy()] = 0.0
    return d


def _happened(acts: pd.DataFrame, when: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Finished activities' actual start and finish in working days from the data date
    (the finish's day counts as worked: 0 for the day before the data date); NaN for the
    others. A finished activity without dates is taken as finished at the data date."""
    done = acts["done"].fillna(False).astype(bool).to_numpy()
    empty = pd.Series(pd.NaT, index=acts.index)

    def offset(col: str) -> np.ndarray:
        d = pd.to_datetime(acts.get(col, empty)).dt.normalize()
        out = np.full(len(acts), np.nan)
        ok = d.notna().to_numpy()
        if ok.any():
            days = d[ok].to_numpy("datetime64[D]")
            w = np.datetime64(when.date(), "D")
            ahead = np.busday_count(w, np.maximum(days + 1, w))  # [when, day]
            behind = np.busday_count(np.minimum(days + 1, w), w)  # (day, when)
            out[ok] = np.where(days >= w, ahead, -behind)
        return out

    start, finish = offset("actual_start"), offset("actual_finish")
    finish = np.where(done, np.nan_to_num(np.minimum(finish, 0.0), nan=0.0), np.nan)
    start = np.where(done, np.minimum(start - 1, finish), np.nan)
    return start, finish


def _durations(
    acts: pd.DataFrame,
    iterations: int,
    rng: np.random.Generator,
    spread: tuple[float, ...],
    base: np.ndarray | None = None,
) -> tuple[np.ndarray, str]:
    if base is None:
        given = pd.to_numeric(acts["duration_days"], errors="coerce").fillna(0.0)
        base = given.clip(lower=0.0).to_numpy(float)
    d = np.array(base, dtype=float, copy=True)
    d[acts["done"].fillna(False).astype(bool).to_numpy()] = 0.0
    d[(acts["kind"] == "milestone").to_numpy()] = 0.0
    lo, mode, hi = (d * s for s in spread)
    source = "default"
    if {"optimistic_days", "pessimistic_days"} <= set(acts.columns):
        o = pd.to_numeric(acts["optimistic_days"], errors="coerce").to_numpy(float)
        p = pd.to_numeric(acts["pessimistic_days"], errors="coerce").to_numpy(float)
        given = np.isfinite(o) & np.isfinite(p) & (o <= d) & (d <= p) & (d > 0)
        lo, hi = np.where(given, o, lo), np.where(given, p, hi)
        source = "file" if given.all() else "file and default" if given.any() else source
    u = rng.random((len(d), iterations))
    width = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(width > 0, (mode - lo) / width, 0.0)[:, None]
        left = lo[:, None] + np.sqrt(u * width[:, None] * (mode - lo)[:, None])
        right = hi[:, None] - np.sqrt((1 - u) * width[:, None] * (hi - mode)[:, None])
    draws = np.where(u < f, left, right)
    return np.where(width[:, None] > 0, draws, mode[:, None]), source


def _passes(
    dur: np.ndarray,
    order: list[int],
    pred: np.ndarray,
    succ: np.ndarray,
    typ: np.ndarray,
    lag: np.ndarray,
    earliest: np.ndarray | None = None,
    happened: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Early finish and total float of every activity in every draw (CPM, data date 0);
    ``earliest``: the first day an activity without predecessor may start (its own
    forecast start: an open start does not move earlier than planned); ``happened``:
    the actual start and finish (working days from the data date, negative in the past;
    NaN when not done) of finished activities, which their successors' lags count from."""
    n, iters = dur.shape
    ins: list[list[int]] = [[] for _ in range(n)]
    outs: list[list[int]] = [[] for _ in range(n)]
    for k in range(len(pred)):
        ins[succ[k]].append(k)
        outs[pred[k]].append(k)
    es = np.zeros((n, iters))
    ef = np.zeros((n, iters))
    done_s, done_f = happened if happened is not None else (np.full(n, np.nan),) * 2
    for j in order:
        if np.isfinite(done_f[j]):
            es[j] = done_s[j] if np.isfinite(done_s[j]) else done_f[j]
            ef[j] = done_f[j]
            continue
        start = np.full(iters, earliest[j] if earliest is not None and not ins[j] else 0.0)
        for k in ins[j]:
            i, t, lg = pred[k], typ[k], lag[k]
            if t == "SS":
                c = es[i] + lg
            elif t == "FF":
                c = ef[i] + lg - dur[j]
            elif t == "SF":
                c = es[i] + lg - dur[j]
            else:
                c = ef[i] + lg
            np.maximum(start, c, out=start)
        es[j] = start
        ef[j] = start + dur[j]
    finish = ef.max(axis=0)
    lf = np.broadcast_to(finish, (n, iters)).copy()
    for i in reversed(order):
        for k in outs[i]:
            j, t, lg = succ[k], typ[k], lag[k]
            ls_j = lf[j] - dur[j]
            if t == "SS":
                c = ls_j - lg + dur[i]
            elif t == "FF":
                c = lf[j] - lg
            elif t == "SF":
                c = lf[j] - lg + dur[i]
            else:
                c = ls_j - lg
            np.minimum(lf[i], c, out=lf[i])
    return ef, lf - ef


def _workdays_to_date(start: pd.Timestamp, days: np.ndarray) -> np.ndarray:
    """The date ``days`` working days (Monday-Friday) after ``start`` (rounded up: a
    part of a day ends that day)."""
    base = np.datetime64(start.normalize().date(), "D")
    base = np.busday_offset(base, 0, roll="forward")
    whole = np.ceil(np.round(days, 6)).astype(int)
    return np.busday_offset(base, np.maximum(whole - 1, 0), roll="forward")


def simulate(
    activities: pd.DataFrame,
    relations: pd.DataFrame,
    *,
    iterations: int = 1_000,
    seed: int = 0,
    spread: tuple[float, float, float] = DEFAULT_SPREAD,
    with_draws: bool = False,
) -> dict[str, Any]:
    """The ``schedule-risk`` document: finish_p50 / finish_p80 (dates), the deterministic
    finish (planned durations), the baseline finish (the latest of the activities'
    baseline finishes; null without any) and the share of draws finishing on or before
    it, each activity's criticality, the top drivers, which three-point source was used,
    and the links dropped to break cycles. Null figures without any unfinished activity.
    ``with_draws``: the document also holds ``finish_draws``, every draw's finish date
    (numpy ``datetime64[D]``, for a histogram; not part of the CLI's JSON)."""
    acts = activities.reset_index(drop=True)
    pos = {str(t): i for i, t in enumerate(acts["task_id"].astype(str))}
    rel = relations[
        relations["pred_task_id"].astype(str).isin(pos)
        & relations["succ_task_id"].astype(str).isin(pos)
    ]
    pred = rel["pred_task_id"].astype(str).map(pos).to_numpy(int)
    succ = rel["succ_task_id"].astype(str).map(pos).to_numpy(int)
    typ = rel["type"].fillna("FS").astype(str).str.upper().to_numpy()
    lag = pd.to_numeric(rel["lag_days"], errors="coerce").fillna(0.0).to_numpy(float)
    n = len(acts)
    open_ = ~acts["done"].fillna(False).astype(bool)
    when = data_date(acts) if n else None
    if n == 0 or not open_.any() or when is None:
        return {
            "iterations": iterations,
            "finish_p50": None,
            "finish_p80": None,
            "deterministic_finish": None,
            "deterministic_days": None,
            "activities": [],
            "drivers": [],
            "durations_from": None,
            "links_dropped": 0,
            "baseline_finish": None,
            "prob_by_baseline_finish": None,
            **({"finish_draws": np.array([], dtype="datetime64[D]")} if with_draws else {}),
        }
    order, keep = _order(n, pred, succ)
    pred, succ, typ, lag = pred[keep], succ[keep], typ[keep], lag[keep]
    rng = np.random.default_rng(seed)
    base = remaining_days(acts, when)
    start = pd.to_datetime(acts["forecast_start"]).clip(lower=when).fillna(when)
    earliest = np.nan_to_num(_busdays(pd.Series(when, index=acts.index), start) - 1, nan=0.0)
    earliest = np.where(open_.to_numpy(), np.maximum(earliest, 0.0), 0.0)
    happened = _happened(acts, when)
    dur, source = _durations(acts, iterations, rng, spread, base)
    ef, tf = _passes(dur, order, pred, succ, typ, lag, earliest, happened)
    finish = ef.max(axis=0)
    planned, _ = _durations(acts, 1, rng, (spread[1],) * 3, base)
    ef0, _ = _passes(planned, order, pred, succ, typ, lag, earliest, happened)
    crit = (tf <= 1e-6).mean(axis=1)
    crit[(acts["kind"] == "milestone").to_numpy() | ~open_.to_numpy()] = np.nan
    q50, q80 = np.quantile(finish, [0.5, 0.8])
    ids = acts["activity_id"].where(acts["activity_id"].notna(), acts["task_id"]).astype(str)
    drivers = _drivers(dur, finish, ids)
    dates = _workdays_to_date(when, np.array([q50, q80, ef0.max()]))
    drawn = _workdays_to_date(when, finish)
    baseline = baseline_finish(acts)
    prob = None if baseline is None else float((drawn <= np.datetime64(baseline, "D")).mean())
    listed = [
        {"activity_id": a, "criticality": round(float(c), 4)}
        for a, c in zip(ids, crit, strict=True)
        if np.isfinite(c)
    ]
    listed.sort(key=lambda r: (-r["criticality"], r["activity_id"]))
    return {
        "iterations": iterations,
        "seed": seed,
        "data_date": when.date().isoformat(),
        "finish_p50": str(dates[0]),
        "finish_p80": str(dates[1]),
        "deterministic_finish": str(dates[2]),
        "deterministic_days": float(ef0.max()),
        "activities": listed,
        "drivers": drivers,
        "durations_from": source,
        "links_dropped": int((~keep).sum()),
        "baseline_finish": None if baseline is None else baseline.isoformat(),
        "prob_by_baseline_finish": None if prob is None else round(prob, 4),
        **({"finish_draws": drawn} if with_draws else {}),
    }


def baseline_finish(acts: pd.DataFrame) -> date | None:
    """The schedule's baseline finish: the latest baseline finish of its activities
    (None when no activity has one: then there is no "on time" to measure)."""
    if "baseline_finish" not in acts:
        return None
    dates = pd.to_datetime(acts["baseline_finish"]).dropna()
    return None if dates.empty else pd.Timestamp(dates.max()).date()


def _drivers(dur: np.ndarray, finish: np.ndarray, ids: pd.Series) -> list[dict[str, Any]]:
    """Spearman correlation of each activity's drawn duration with the finish, top ones."""
    varying = dur.std(axis=1) > 0
    if not varying.any() or finish.std() == 0:
        return []
    r_d = dur[varying].argsort(axis=1).argsort(axis=1).astype(float)
    r_f = finish.argsort().argsort().astype(float)
    r_d -= r_d.mean(axis=1, keepdims=True)
    r_f -= r_f.mean()
    corr = (r_d @ r_f) / (np.sqrt((r_d**2).sum(axis=1)) * np.sqrt((r_f**2).sum()))
    names = ids.to_numpy()[varying]
    top = np.argsort(-corr)[:TOP_DRIVERS]
    return [
        {"activity_id": str(names[k]), "correlation": round(float(corr[k]), 4)}
        for k in top
        if corr[k] > 0
    ]
