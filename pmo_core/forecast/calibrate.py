"""Calibration: would the forecasts have held on the company's own history?

A backtest over the observations (:func:`pmo_core.forecast.history.observations`): each
past forecast, made at snapshot k, is spread as it would have been then, from the
outcomes already seen at k (``outcome_k <= k``: nothing from the future), by the same
reference-class rule, or the prior; then its outcome is compared with its P10, P80 and
P90. A well-calibrated method has about 80 % of outcomes at or below their P80 and 80 %
inside their P10-P90.

Examples:
    >>> calibration(pd.DataFrame(columns=COLUMNS))["forecasts"]
    0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pmo_core.forecast import classes, prior
from pmo_core.forecast.history import COLUMNS

_LEVELS = (0.10, 0.80, 0.90)


def backtest(obs: pd.DataFrame, ratio: str = "cost_ratio") -> pd.DataFrame:
    """Per past forecast: its class then, its P10/P80/P90 ratio and its outcome ratio.

    Args:
        obs: the observations.
        ratio: ``cost_ratio`` (outcome cost / EAC) or ``finish_ratio`` (outcome duration
            / forecast duration).
    """
    share = "etc_share" if ratio == "cost_ratio" else "remaining_share"
    which = "cost" if ratio == "cost_ratio" else "schedule"
    prior_q = prior.quantiles(list(_LEVELS))[0 if which == "cost" else 1]
    obs = obs[np.isfinite(obs[ratio].astype(float))].reset_index(drop=True)
    parts = []
    for k in sorted(obs["k"].unique()):
        targets = obs[obs["k"] == k].reset_index(drop=True)
        pool = obs[obs["outcome_k"] <= k].reset_index(drop=True)
        for rc in classes.resolve(targets, pool):
            rows = targets.iloc[rc.targets]
            if rc.is_prior:
                s = rows[share].to_numpy(float)[:, None]
                q = 1.0 + s * prior_q[None, :]
            else:
                q = np.broadcast_to(
                    np.quantile(pool[ratio].to_numpy(float)[rc.rows], _LEVELS),
                    (len(rows), len(_LEVELS)),
                )
            parts.append(
                pd.DataFrame(
                    {
                        "project_id": rows["project_id"].to_numpy(),
                        "k": k,
                        "band": rows["band"].to_numpy(),
                        "reference_class": rc.label,
                        "outcome": rows[ratio].to_numpy(float),
                        "p10": q[:, 0],
                        "p80": q[:, 1],
                        "p90": q[:, 2],
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            columns=["project_id", "k", "band", "reference_class", "outcome", "p10", "p80", "p90"]
        )
    return pd.concat(parts, ignore_index=True)


def _shares(b: pd.DataFrame) -> dict[str, Any]:
    n = len(b)
    if not n:
        return {"forecasts": 0, "share_below_p80": None, "share_within_p10_p90": None}
    below = b["outcome"] <= b["p80"]
    within = (b["outcome"] >= b["p10"]) & (b["outcome"] <= b["p90"])
    return {
        "forecasts": n,
        "share_below_p80": float(below.mean()),
        "share_within_p10_p90": float(within.mean()),
    }


def calibration(obs: pd.DataFrame) -> dict[str, Any]:
    """The share of past cost outcomes at or below their P80 and inside their P10-P90,
    overall (``forecasts``, ``share_below_p80``, ``share_within_p10_p90``), per stage band
    and for the forecasts that used the prior (``by_class``), and the same for finish
    dates under ``finish``. Shares are null without any past forecast."""
    if obs.empty:
        obs = pd.DataFrame(columns=COLUMNS)
    cost = backtest(obs, "cost_ratio")
    finish = backtest(obs, "finish_ratio")

    def by_class(b: pd.DataFrame) -> list[dict[str, Any]]:
        if b.empty:
            return []
        key = np.where(b["reference_class"] == classes.PRIOR, classes.PRIOR, b["band"])
        return [
            {"reference_class": str(name), **_shares(g)} for name, g in b.groupby(key, sort=True)
        ]

    return {
        **_shares(cost),
        "by_class": by_class(cost),
        "finish": {**_shares(finish), "by_class": by_class(finish)},
    }
