"""The parameters of a what-if run: one frozen ``WhatIf`` instead of a list of keywords.

The page, the CLI and saved scenarios build a ``WhatIf``; ``optimize_document``,
``frontier_and_ranking`` and ``frontier_document`` read it; the app's caches take it as
their key (it is hashable: tuples only). ``to_dict`` gives a saved scenario's
``parameters`` (the keys scenarios have always recorded, in the same form) and
``from_dict`` reads them back, a key an older scenario lacks at its default.

Fields, and who reads them:

========================  ============================================================
budget                    the budget (total over the portfolio); the frontier moves it
value                     ``alignment`` (score) or ``benefit`` (expected benefit)
capacity, capacity_scale  respect role capacity per month, scaled (1.0 = as planned)
keep_running              running and on-hold projects are forced in
remaining                 a project costs its remaining budget (budget - actual cost)
force_in, force_out       project ids the steering committee forces in or out
start_windows             months a project not started yet may start later: one number
                          for every such project, or (project id, months) pairs
yearly_budget             (year, limit) pairs, years ascending: the most the selection
                          may cost in a calendar year
weights                   (objective id, weight) pairs of a named weighting; () = the
                          snapshot's own weights
weighting                 that weighting's name (recorded with a scenario)
requests                  ids of approved requests added as candidates (the app)
time_limit, bring_in      solver seconds; exclusions re-solved to price a bring-in
========================  ============================================================

The frontier reads only :meth:`WhatIf.frontier_rules` (not the budget it moves, the
start windows, the remaining-budget cost, the time limit nor the bring-in).

Examples:
    >>> w = WhatIf(budget=12e6, force_in=["P1"], yearly_budget={2028: 4e6, 2027: 5e6})
    >>> w.force_in, w.yearly_budget
    (('P1',), ((2027, 5000000.0), (2028, 4000000.0)))
    >>> w.to_dict()["yearly_budget"], WhatIf.from_dict(w.to_dict()) == w
    ({'2027': 5000000.0, '2028': 4000000.0}, True)
    >>> w.frontier_rules() == WhatIf(force_in=("P1",), yearly_budget=w.yearly_budget)
    True
    >>> time_limit_from_settings({"optimizer_time_limit": "2,5"}), time_limit_from_settings({})
    (2.5, 10.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

DEFAULT_TIME_LIMIT = 10.0
Pairs = tuple[tuple[str, float], ...]


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    """(key, value) pairs of a mapping (a dict, a Series) or of an iterable of pairs."""
    return list(value.items()) if hasattr(value, "items") else [tuple(v) for v in value]


@dataclass(frozen=True)
class WhatIf:
    """Every parameter of a what-if run (see the module docstring); lists and mappings
    given to it are stored as tuples, so that it can key a cache. A year given twice in
    ``yearly_budget`` keeps its last limit."""

    budget: float = 0.0
    value: str = "alignment"
    capacity: bool = False
    capacity_scale: float = 1.0
    keep_running: bool = True
    remaining: bool = False
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()
    start_windows: int | tuple[tuple[str, int], ...] = ()
    yearly_budget: tuple[tuple[int, float], ...] = ()
    weights: Pairs = ()
    weighting: str | None = None
    requests: tuple[str, ...] = ()
    time_limit: float = DEFAULT_TIME_LIMIT
    bring_in: int = 5

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        put("force_in", tuple(self.force_in))
        put("force_out", tuple(self.force_out))
        put("requests", tuple(self.requests))
        if not isinstance(self.start_windows, int):
            put("start_windows", tuple((str(p), int(k)) for p, k in _pairs(self.start_windows)))
        years = {int(y): float(v) for y, v in _pairs(self.yearly_budget)}
        put("yearly_budget", tuple(sorted(years.items())))
        put("weights", tuple((str(k), float(v)) for k, v in _pairs(self.weights)))

    def windows(self) -> int | dict[str, int]:
        """``start_windows`` as ``build_problem`` takes it."""
        return (
            self.start_windows if isinstance(self.start_windows, int) else dict(self.start_windows)
        )

    def weight_series(self) -> pd.Series | None:
        """The named weighting's weights (objective_id -> weight), None for the snapshot's."""
        return pd.Series(dict(self.weights)) if self.weights else None

    def frontier_rules(self) -> WhatIf:
        """What the frontier reads, the rest at its defaults (also the frontier's cache
        key, so that it holds while the budget or the time limit moves)."""
        return WhatIf(
            value=self.value,
            capacity=self.capacity,
            capacity_scale=self.capacity_scale,
            keep_running=self.keep_running,
            force_in=self.force_in,
            force_out=self.force_out,
            yearly_budget=self.yearly_budget,
            weights=self.weights,
            weighting=self.weighting,
            requests=self.requests,
        )

    def to_dict(self) -> dict[str, Any]:
        """A saved scenario's ``parameters``, as scenarios have always recorded them (not
        the time limit, bring-in, remaining flag nor the weights: the weighting's name)."""
        return {
            "budget": self.budget,
            "value": self.value,
            "keep_running": self.keep_running,
            "capacity": self.capacity,
            "capacity_scale": self.capacity_scale,
            "force_in": list(self.force_in),
            "force_out": list(self.force_out),
            "start_windows": self.windows(),
            "requests": list(self.requests),
            "weighting": self.weighting,
            "yearly_budget": {str(y): v for y, v in self.yearly_budget},
        }

    @classmethod
    def from_dict(cls, parameters: Mapping[str, Any]) -> WhatIf:
        """A ``WhatIf`` from saved parameters (``to_dict``'s, or an older scenario's: a
        missing key takes its default; unknown keys are ignored)."""
        known = {f.name for f in fields(cls)}
        given = {k: v for k, v in parameters.items() if k in known and v is not None}
        return cls(**given)


def time_limit_from_settings(settings: Mapping[str, str] | None) -> float:
    """The solver's time limit in seconds: setting ``optimizer_time_limit`` (a positive
    number, ``,`` or ``.`` decimal), else 10."""
    raw = (settings or {}).get("optimizer_time_limit")
    try:
        value = float(str(raw).replace(",", "."))
    except (TypeError, ValueError):
        return DEFAULT_TIME_LIMIT
    return value if value > 0 else DEFAULT_TIME_LIMIT
