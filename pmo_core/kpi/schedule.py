"""Earned schedule (DESIGN section 4) and the baseline PV curves it reads, per project.

Earned schedule (Lipke), months of 30.4375 days: from the cumulative PV at each month end
from the start, C = whole months with PV_C <= EV, ES = C + (EV - PV_C) / (PV_C+1 - PV_C),
AT = months from start to as-of, SPI(t) = ES / AT, SV(t) = ES - AT, forecast finish =
start + PD / SPI(t), to the nearest day (undefined beyond a century). The PV curve is,
in order: the Baseline sheet's (:func:`baseline_curves`: each month's cumulative PV at
the month's end, over the whole plan, months after the as-of date included; it also
gives PV at the as-of date where no status report does, ``source`` = "baseline");
else the status reports' when they carry PV: straight lines through (start, 0), each
report's (date, PV) up to the as-of date and (end, BAC); else the linear baseline, where
ES = EV / BAC x PD exactly.

Also the small helpers EVM shares with it: :func:`safe_div`, :func:`latest_reports`.

Examples:
    >>> safe_div(pd.Series([1.0, 1.0]), pd.Series([2.0, 0.0])).tolist()
    [0.5, nan]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 30.4375


#: Forecast finishes further than this from the start are undefined (about a century).
MAX_FORECAST_DAYS = 36_525


def safe_div(a: pd.Series, b: pd.Series) -> pd.Series:
    """a / b, NaN where b is 0 or missing (never infinity)."""
    b = b.astype("float64")
    return a.astype("float64") / b.where(b != 0)


def latest_reports(status_reports: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each project's latest status report on or before ``as_of``, indexed by project_id."""
    r = status_reports[status_reports["report_date"] <= as_of]
    r = r.sort_values(["project_id", "report_date"])
    return r.groupby("project_id", sort=False).tail(1).set_index("project_id")


def lipke_es(times: np.ndarray, curve: np.ndarray, ev: float) -> float:
    """ES in months from a cumulative PV ``curve`` sampled at ``times`` (months 0, 1, ...,
    the last one PD, which may be a partial month). Within a step, ES moves in proportion
    to the PV earned: C + (EV - PV_C) / (PV_C+1 - PV_C) for whole months. NaN when EV is.

    >>> lipke_es(np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 10.0, 30.0, 60.0]), 20.0)
    1.5
    """
    if np.isnan(ev) or len(curve) < 2:
        return float("nan")
    c = int(np.searchsorted(curve, ev, side="right") - 1)
    if c >= len(curve) - 1:
        return float(times[-1])
    step = curve[c + 1] - curve[c]
    frac = (ev - curve[c]) / step if step > 0 else 0.0
    return float(times[c] + frac * (times[c + 1] - times[c]))


@dataclass(frozen=True)
class Curves:
    """Every project's baseline PV curve as one set of arrays (vectorised over projects).

    Per project, in order: (0, 0) at the start, each Baseline month's cumulative PV at
    the month's end, then (PD, max(BAC, last PV)) at the planned end; x in days from the
    start, clipped to [0, PD]; PV made non-decreasing (running maximum). ``x`` is in days
    from the project's start, ``shifted`` adds rank x ``offset`` so that one ``np.interp``
    reads every curve."""

    rank: dict[str, int]
    x: np.ndarray
    shifted: np.ndarray
    y: np.ndarray
    first: np.ndarray
    count: np.ndarray
    days: np.ndarray
    offset: float

    @property
    def project_ids(self) -> list[str]:
        return list(self.rank)


def baseline_curves(projects: pd.DataFrame, baseline: pd.DataFrame | None) -> Curves:
    """The :class:`Curves` of the projects that have dates (end after start) and at least
    one Baseline month with a planned value."""
    empty = np.array([], dtype="float64")
    none = Curves({}, empty, empty, empty, empty.astype("int64"), empty.astype("int64"), empty, 0)
    if baseline is None or baseline.empty:
        return none
    b = baseline[baseline["planned_value"].notna() & baseline["month"].notna()]
    info = pd.DataFrame(
        {
            "project_id": projects["project_id"].to_numpy(),
            "start": projects["start_date"].to_numpy(),
            "end": projects["end_date"].to_numpy(),
            "bac": projects["budget"].to_numpy(dtype="float64", na_value=np.nan),
        }
    )
    info = info[
        info["project_id"].isin(set(b["project_id"].dropna()))
        & info["start"].notna()
        & info["end"].notna()
        & (info["end"] > info["start"])
    ]
    info = info.drop_duplicates("project_id").reset_index(drop=True)
    if info.empty:
        return none
    n = len(info)
    rank = {str(k): i for i, k in enumerate(info["project_id"])}
    days = (info["end"] - info["start"]).dt.days.to_numpy(dtype="float64")
    b = b[b["project_id"].isin(set(rank))]
    b_rank = b["project_id"].astype(str).map(rank).to_numpy(dtype="int64")
    month_end = (b["month"].dt.to_period("M") + 1).dt.to_timestamp()
    start = info["start"].to_numpy()[b_rank]
    bx = np.clip((month_end.to_numpy() - start) / np.timedelta64(1, "D"), 0, days[b_rank])
    by = b["planned_value"].to_numpy(dtype="float64")
    top = pd.Series(by).groupby(b_rank).max().reindex(range(n)).to_numpy()
    last = np.fmax(info["bac"].to_numpy(), top)
    xs = np.concatenate([np.zeros(n), bx, days])
    ys = np.concatenate([np.zeros(n), by, last])
    ranks = np.concatenate([np.arange(n), b_rank, np.arange(n)])
    # Points in x order within each project; the start first, the end last at equal x.
    kind = np.concatenate([np.zeros(n), np.ones(len(bx)), np.full(n, 2.0)])
    order = np.lexsort((kind, xs, ranks))
    xs, ys, ranks = xs[order], ys[order], ranks[order]
    ys = pd.Series(ys).groupby(ranks).cummax().to_numpy()  # cumulative: never goes down
    count = np.bincount(ranks, minlength=n)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    offset = float(days.max()) + 10.0
    return Curves(rank, xs, ranks * offset + xs, ys, first, count, days, offset)


def _ranks(curves: Curves, ids: pd.Series) -> np.ndarray:
    """Each id's rank in ``curves`` (-1: no curve)."""
    return ids.astype(str).map(curves.rank).fillna(-1).to_numpy(dtype="int64")


def curve_pv(curves: Curves, ids: pd.Series, days: np.ndarray) -> np.ndarray:
    """Cumulative PV of each project's curve ``days`` after its start (0 before the
    start, the curve's last value after the end; NaN without a curve or a date)."""
    r = _ranks(curves, ids)
    out = np.full(len(r), np.nan)
    ok = (r >= 0) & ~np.isnan(days)
    if not ok.any():
        return out
    rr = r[ok]
    x = np.clip(days[ok], 0, curves.days[rr])
    pv = np.interp(rr * curves.offset + x, curves.shifted, curves.y)
    pv = np.where(x <= 0, 0.0, pv)
    last = curves.first[rr] + curves.count[rr] - 1
    out[ok] = np.where(x >= curves.days[rr], curves.y[last], pv)
    return out


def curve_es(curves: Curves, ids: pd.Series, ev: pd.Series) -> np.ndarray:
    """Lipke's ES in months on each project's curve: the last point with PV <= EV, then
    the share of the next step earned (as :func:`lipke_es`); PD once the curve's last
    value is earned; NaN without a curve or EV, or for a negative EV."""
    r = _ranks(curves, ids)
    e = ev.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(r), np.nan)
    ok = (r >= 0) & ~np.isnan(e) & (e >= 0)
    if not ok.any():
        return out
    n = len(curves.count)
    ev_by_rank = np.full(n, np.nan)
    ev_by_rank[r[ok]] = e[ok]
    point_rank = np.repeat(np.arange(n), curves.count)
    le = curves.y <= ev_by_rank[point_rank]
    c = np.bincount(point_rank, weights=le.astype("float64"), minlength=n).astype("int64") - 1
    done = c >= curves.count - 1
    lo = curves.first + np.clip(c, 0, None)
    hi = np.minimum(lo + 1, curves.first + curves.count - 1)
    step = curves.y[hi] - curves.y[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(step > 0, (ev_by_rank - curves.y[lo]) / step, 0.0)
    es_days = np.where(done, curves.days, curves.x[lo] + frac * (curves.x[hi] - curves.x[lo]))
    es_days = np.where(c < 0, np.nan, es_days)
    out[ok] = es_days[r[ok]] / DAYS_PER_MONTH
    return out


def report_pv_es(
    p: pd.DataFrame, status_reports: pd.DataFrame, ev: pd.Series, as_of: pd.Timestamp
) -> pd.Series:
    """ES per project_id for projects whose reports (on or before as-of) carry PV.

    Vectorised over projects (2,000 projects: a few milliseconds): each project's curve is
    shifted along x by its rank x OFFSET so that one ``np.interp`` samples every curve at
    its month ends, then Lipke's C is the count of samples with PV <= EV."""
    r = status_reports[
        (status_reports["report_date"] <= as_of) & status_reports["planned_value"].notna()
    ]
    info = pd.DataFrame(
        {
            "project_id": p["project_id"].to_numpy(),
            "start": p["start_date"].to_numpy(),
            "end": p["end_date"].to_numpy(),
            "bac": p["budget"].to_numpy(dtype="float64", na_value=np.nan),
            "ev": ev.to_numpy(dtype="float64", na_value=np.nan),
        }
    )
    info = info[
        info["project_id"].isin(r["project_id"].unique())
        & info["start"].notna()
        & info["end"].notna()
        & (info["end"] > info["start"])
        & info["bac"].notna()
    ].reset_index(drop=True)
    if info.empty:
        return pd.Series(dtype="float64")
    days = (info["end"] - info["start"]).dt.days.to_numpy(dtype="float64")
    rank = pd.Series(np.arange(len(info)), index=info["project_id"].to_numpy())
    pts = r[["project_id", "report_date", "planned_value"]].merge(
        info[["project_id", "start"]], on="project_id"
    )
    pts_rank = pts["project_id"].map(rank).to_numpy()
    x = (pts["report_date"] - pts["start"]).dt.days.to_numpy(dtype="float64")
    inside = (x > 0) & (x < days[pts_rank])
    n = len(info)
    xs = np.concatenate([np.zeros(n), x[inside], days])
    ys = np.concatenate(
        [
            np.zeros(n),
            pts["planned_value"].to_numpy(dtype="float64")[inside],
            info["bac"].to_numpy(),
        ]
    )
    ranks = np.concatenate([np.arange(n), pts_rank[inside], np.arange(n)])
    order = np.lexsort((xs, ranks))
    xs, ys, ranks = xs[order], ys[order], ranks[order]
    ys = pd.Series(ys).groupby(ranks).cummax().to_numpy()  # cumulative: never goes down
    offset = float(days.max()) + 10.0
    # Samples: month ends 0 .. ceil(PD) - 1, then PD itself.
    pd_months = days / DAYS_PER_MONTH
    counts = np.ceil(pd_months).astype("int64") + 1
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sample_rank = np.repeat(np.arange(n), counts)
    m = np.arange(counts.sum()) - np.repeat(first, counts)
    last = m == np.repeat(counts - 1, counts)
    t = np.where(last, np.repeat(pd_months, counts), m.astype("float64"))
    pv = np.interp(sample_rank * offset + t * DAYS_PER_MONTH, ranks * offset + xs, ys)
    ev_s = np.repeat(info["ev"].to_numpy(), counts)
    c = np.bincount(sample_rank, weights=(pv <= ev_s).astype("float64"), minlength=n) - 1
    c = c.astype("int64")
    done = c >= counts - 1
    lo = first + np.clip(c, 0, None)
    hi = np.minimum(lo + 1, first + counts - 1)
    step = pv[hi] - pv[lo]
    ev_p = info["ev"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(step > 0, (ev_p - pv[lo]) / step, 0.0)
    es = np.where(done, pd_months, t[lo] + frac * (t[hi] - t[lo]))
    es = np.where(np.isnan(ev_p) | (c < 0), np.nan, es)
    return pd.Series(es, index=info["project_id"].to_numpy(), dtype="float64")


def schedule_from_es(es: pd.DataFrame, start: pd.Series) -> pd.DataFrame:
    """SPI(t), SV(t) and the forecast finish from ES, AT (NaN before the start) and PD."""
    started = es["at"].notna()
    es["spi_t"] = safe_div(es["es"], es["at"]).where(started)
    es["sv_t"] = (es["es"] - es["at"]).where(started)
    days = safe_div(es["planned_months"], es["spi_t"]) * DAYS_PER_MONTH
    # Nearest day (339.9999 days is 340); a finish more than a century away (SPI(t) near
    # 0) is no forecast: undefined, not a date pandas cannot even hold.
    days = np.floor(days + 0.5).where(days <= MAX_FORECAST_DAYS)  # half a day goes up
    es["forecast_finish"] = start + pd.to_timedelta(days, unit="D")
    return es


def earned_schedule(
    start: pd.Series, end: pd.Series, bac: pd.Series, ev: pd.Series, as_of: pd.Timestamp
) -> pd.DataFrame:
    """ES, AT, PD, SPI(t), SV(t) and forecast finish on the linear baseline.

    With a linear baseline, cumulative PV at month m is BAC x min(m / PD, 1), so Lipke's
    interpolation between month ends is the line: ES = EV / BAC x PD (EV above BAC: PD).
    """
    pd_months = ((end - start).dt.days / DAYS_PER_MONTH).astype("float64")
    at = ((as_of - start).dt.days / DAYS_PER_MONTH).astype("float64")
    frac = safe_div(ev, bac).clip(0, 1)
    # On the straight line PV(t) = BAC x t / PD, Lipke's interpolation between month ends
    # is the line itself, the last partial month included: ES = EV / BAC x PD exactly.
    es = (frac * pd_months).where(pd_months > 0)
    frame = pd.DataFrame({"es": es, "at": at.where(at > 0), "planned_months": pd_months})
    return schedule_from_es(frame, start)
