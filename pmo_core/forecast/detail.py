"""One project's forecast in detail: the fan of its cumulative cost from the status date
to completion, and the histograms of its draws (:func:`histogram`).

For each level q of :data:`LEVELS` (P10, P50, P80, P90) a path: the actual cost AC on the
status date t0, then spent evenly (as the portfolio's spend per year spreads it,
:func:`pmo_core.forecast.portfolio_forecast`) so as to reach EAC_q, the q-quantile of the
project's cost draws, on F_q, the q-quantile of its finish draws, and flat after::

    C_q(t) = AC + (EAC_q - AC) x min((t - t0) / (F_q - t0), 1)     for t >= t0

(a finish drawn on or before t0 counts as the day after t0: what is left is spent at once).
The paths pair a cost level with the finish of the same level, the P90 cost with the P90
finish: they are not the quantiles of the cumulative cost on each date (that would need each
draw's cost and finish together, which the history does not always hold). So the band between
the P10 and P90 paths reads "from the P10 cost reached on the P10 finish to the P90 cost
reached on the P90 finish"; on and after F_90 every path has reached its EAC quantile.

Each path is a straight line then flat, so its value at t0 and at every F_q (the rows of
:func:`fan_paths`) draws it exactly.

Examples:
    >>> f = fan_paths(pd.Timestamp("2026-07-01"), 5.0, np.array([10.0, 20, 30, 40, 50]),
    ...               np.array([10.0, 20, 30, 40, 50]) + 20635)
    >>> f["date"].dt.strftime("%d/%m").tolist()
    ['01/07', '15/07', '31/07', '12/08', '16/08']
    >>> f["p10"].round(2).tolist()
    [5.0, 14.0, 14.0, 14.0, 14.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: At least this many draws: a histogram stops at the 99th percentile (a swan's tail
#: would squeeze the rest into a few bars) and says how many draws lie beyond.
TAIL_DRAWS = 100
#: The fan's levels and their column names.
LEVELS = (0.10, 0.50, 0.80, 0.90)
COLUMNS = ("p10", "p50", "p80", "p90")


def fan_paths(
    as_of: pd.Timestamp, ac: float, cost: np.ndarray, finish_days: np.ndarray
) -> pd.DataFrame | None:
    """The fan (see the module's docstring) from a project's draws: ``cost`` (costs at
    completion) and ``finish_days`` (finish dates in days from 1970-01-01, as
    :class:`pmo_core.forecast.ProjectSamples` holds them). Columns: date, p10, p50, p80,
    p90, one row at t0 and one at each F_q. None when either draw is empty or AC is
    unknown: there is no fan to draw."""
    if not len(cost) or not len(finish_days) or ac is None or np.isnan(ac):
        return None
    t0 = float(np.datetime64(pd.Timestamp(as_of).normalize().to_datetime64(), "D").astype("int64"))
    eac_q = np.quantile(cost, LEVELS)
    f_q = np.maximum(np.round(np.quantile(finish_days, LEVELS)), t0 + 1.0)
    grid = np.unique(np.concatenate([[t0], f_q]))
    out = pd.DataFrame({"date": pd.to_datetime(grid.astype("int64"), unit="D")})
    for col, e, f in zip(COLUMNS, eac_q, f_q, strict=True):
        out[col] = ac + (e - ac) * np.minimum((grid - t0) / (f - t0), 1.0)
    return out


@dataclass(frozen=True)
class Histogram:
    """Bins of draws: ``edges`` (n + 1), each bin's ``shares`` of all the draws, and the
    share ``beyond`` the last edge."""

    edges: np.ndarray
    shares: np.ndarray
    beyond: float


def histogram(values: np.ndarray, n: int = 30) -> Histogram:
    """``n`` equal bins from the smallest draw to the 99th percentile (with
    :data:`TAIL_DRAWS` draws or more; else to the largest); shares are of all the draws,
    so with the tail cut they sum to about 99 %.

    >>> h = histogram(np.arange(1.0, 1001.0), 3)
    >>> h.edges.round(2).tolist(), h.shares.tolist(), h.beyond
    ([1.0, 330.67, 660.34, 990.01], [0.33, 0.33, 0.33], 0.01)
    """
    lo = float(np.min(values))
    hi = float(np.quantile(values, 0.99)) if len(values) >= TAIL_DRAWS else float(np.max(values))
    if hi <= lo:  # every draw the same: one bar
        hi = lo + max(abs(lo) * 1e-3, 1.0)
    counts, edges = np.histogram(values, bins=n, range=(lo, hi))
    return Histogram(edges, counts / len(values), float(np.mean(values > hi)))
