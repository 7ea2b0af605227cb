"""Reference classes: which past outcomes a forecast is spread by.

A project at a stage band (EV / BAC in bands of 25 %) is compared first with the outcomes
of its programme at that band, then of its department, then of the whole band; the first
that holds :data:`~pmo_core.forecast.prior.MIN_OBSERVATIONS` outcomes is used. With none,
the forecast falls back to the prior (:mod:`pmo_core.forecast.prior`) and says so.

Examples:
    >>> pool = pd.DataFrame({"band": ["0-25 %"] * 30 + ["25-50 %"], "program": "P",
    ...                      "department": "D", "cost_ratio": 1.0})
    >>> targets = pd.DataFrame({"band": ["0-25 %", "25-50 %"], "program": ["P", "P"],
    ...                         "department": ["D", "D"]})
    >>> [(c.label, len(c.rows)) for c in resolve(targets, pool)]
    [('0-25 % · P', 30), ('prior', 0)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo_core.forecast.prior import MIN_OBSERVATIONS

PRIOR = "prior"
#: The keys tried, most specific first.
LEVELS: tuple[tuple[str, ...], ...] = (("band", "program"), ("band", "department"), ("band",))


@dataclass(frozen=True)
class RefClass:
    """One reference class: its label, the pool's row positions (empty for the prior)
    and the target rows (positions in the targets frame) it serves."""

    label: str
    rows: np.ndarray
    targets: np.ndarray

    @property
    def is_prior(self) -> bool:
        return self.label == PRIOR


def _groups(pool: pd.DataFrame, level: tuple[str, ...]) -> dict[tuple[str, ...], np.ndarray]:
    if pool.empty:
        return {}
    keys = pool[list(level)].astype(object).where(pool[list(level)].notna(), None)
    out: dict[tuple[str, ...], np.ndarray] = {}
    for key, idx in keys.groupby(list(level), dropna=True, sort=False).indices.items():
        k = key if isinstance(key, tuple) else (key,)
        if len(idx) >= MIN_OBSERVATIONS:
            out[tuple(str(v) for v in k)] = np.asarray(idx)
    return out


def resolve(targets: pd.DataFrame, pool: pd.DataFrame) -> list[RefClass]:
    """The reference class of every target row (band, program, department), from the
    outcomes in ``pool``; targets without a band (no progress data) are in no class."""
    groups = [_groups(pool, level) for level in LEVELS]
    found: dict[str, tuple[np.ndarray, list[int]]] = {}
    combos = targets[["band", "program", "department"]].astype(object)
    combos = combos.where(combos.notna(), None)
    for (band, program, department), idx in combos.groupby(
        ["band", "program", "department"], dropna=False, sort=False
    ).indices.items():
        values = {
            c: None if v is None or (isinstance(v, float) and np.isnan(v)) else v
            for c, v in (("band", band), ("program", program), ("department", department))
        }
        if values["band"] is None:
            continue
        label, rows = PRIOR, np.array([], dtype=int)
        for level, g in zip(LEVELS, groups, strict=True):
            key = tuple(str(values[c]) for c in level)
            if values[level[-1]] is not None and key in g:
                label, rows = " · ".join(key), g[key]
                break
        if label in found:
            found[label][1].extend(idx.tolist())
        else:
            found[label] = (rows, idx.tolist())
    return [RefClass(lab, rows, np.array(sorted(t))) for lab, (rows, t) in found.items()]
