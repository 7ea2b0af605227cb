"""The prior used when the company's history is too short: a fat-tailed overrun.

Flyvbjerg and Budzier studied 1,471 IT projects ("Why your IT project may be riskier than
you think", Harvard Business Review, September 2011): the average cost overrun was 27 %,
but one project in six was a "black swan" with a cost overrun of about 200 % on average
and a schedule overrun of almost 70 %. A normal distribution around the EVM forecast
misses that tail, so the prior is a mixture, drawn on what is still to come:

- with probability 5/6 the remaining cost is ETC x exp(N(0, 0.20)) and the remaining
  duration R x exp(N(0, 0.15)): the EVM forecast is the median;
- with probability 1/6 (a black swan, cost and schedule together) the remaining cost is
  ETC x 3 x exp(N(0, 0.30)) (+200 %) and the remaining duration R x 1.7 x exp(N(0, 0.30))
  (+70 %).

Applied to what remains, the spread shrinks as a project nears its end: a project 90 %
spent cannot overrun its whole budget by 200 %. The spreads of the two bodies (0.20,
0.15, 0.30) are this module's choice, not the study's: they are wide enough that the
prior's P10-P90 is not falsely narrow, and the history replaces them as soon as a
reference class holds :data:`MIN_OBSERVATIONS` outcomes.

Examples:
    >>> x, y = prior_draws(np.random.default_rng(0), 200_000)
    >>> round(float(np.mean(x > 1.0)), 2)  # remaining cost more than doubles: the swans
    0.15
"""

from __future__ import annotations

import functools

import numpy as np

#: Below this many outcomes a reference class is not used: the prior is.
MIN_OBSERVATIONS = 30
#: Share of black swans (Flyvbjerg and Budzier 2011: one IT project in six).
SWAN_SHARE = 1 / 6
#: A black swan's remaining cost and duration, as multiples of the forecast's.
SWAN_COST, SWAN_SCHEDULE = 3.0, 1.7
#: Log-normal spreads of the ordinary body (cost, schedule) and of the swans.
BODY_SIGMA_COST, BODY_SIGMA_SCHEDULE, SWAN_SIGMA = 0.20, 0.15, 0.30
#: Where the prior's quantiles come from: a fixed sample, so the same inputs give the
#: same answer whatever the seed of a portfolio simulation.
QUANTILE_SAMPLE = 400_000

SOURCE = "Flyvbjerg & Budzier 2011 (HBR): 1 IT project in 6 overruns cost by ~200 %"


def prior_draws(rng: np.random.Generator, size: int | tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Draws of the overrun on the remaining cost (x) and remaining duration (y), as
    fractions: the remaining cost is ETC x (1 + x). A black swan overruns both."""
    swan = rng.random(size) < SWAN_SHARE
    z_cost, z_time = rng.standard_normal(size), rng.standard_normal(size)
    cost = np.where(swan, SWAN_COST * np.exp(SWAN_SIGMA * z_cost), np.exp(BODY_SIGMA_COST * z_cost))
    time = np.where(
        swan, SWAN_SCHEDULE * np.exp(SWAN_SIGMA * z_time), np.exp(BODY_SIGMA_SCHEDULE * z_time)
    )
    return cost - 1.0, time - 1.0


@functools.cache
def joint_sample() -> tuple[np.ndarray, np.ndarray]:
    """The prior's fixed sample of cost and schedule overruns, in draw order (a swan's
    cost and schedule overrun at the same position): a project's draws under the prior
    (:func:`pmo_core.forecast.project_samples`) are these, so their quantiles are the
    prior's own. Read-only: the arrays are shared."""
    x, y = prior_draws(np.random.default_rng(20110901), QUANTILE_SAMPLE)
    x.flags.writeable = False
    y.flags.writeable = False
    return x, y


@functools.cache
def sorted_sample() -> tuple[np.ndarray, np.ndarray]:
    """The prior's cost and schedule overruns (:func:`joint_sample`), each sorted:
    quantiles and probabilities are read off them (same every time)."""
    x, y = joint_sample()
    return np.sort(x), np.sort(y)


def quantiles(q: np.ndarray | list[float]) -> tuple[np.ndarray, np.ndarray]:
    """The prior's cost and schedule overrun at the probabilities ``q``."""
    x, y = sorted_sample()
    return np.quantile(x, q), np.quantile(y, q)


def cdf(values: np.ndarray, which: str) -> np.ndarray:
    """P(overrun <= value) under the prior, ``which`` = "cost" or "schedule"."""
    x, y = sorted_sample()
    s = x if which == "cost" else y
    return np.searchsorted(s, values, side="right") / len(s)
