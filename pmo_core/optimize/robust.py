"""A selection that knows how robust it is: re-solve under uncertain inputs.

The optimal selection depends on estimates: costs and benefits are guesses, and the AHP
judgments behind the alignment values are one committee's opinion on one day. Here the
problem is re-solved on ``samples`` draws of its inputs:

- each project's value and cost multiplied by a triangular factor (1 - spread, 1,
  1 + spread), drawn independently per project and per draw (its hours stay as they are:
  capacity is in hours, not money);
- with alignment values and pairwise judgments, each judgment moved at most one step of
  the scale the app uses (1/9, 1/6, 1/3, 1, 3, 6, 9), up, down or not at all with equal
  chances, the weights recomputed by AHP and the values with them.

Every draw keeps the problem's rules (forced in and out, dependencies, groups, budget
and capacity limits), so a forced-in project has selection probability 1 and a forced-out
one 0. A project selected in at least 90 % of the draws is ``core``, in at most 10 %
``out``, otherwise ``borderline``. Draws whose forced projects alone break a limit
(their costs grew past the budget) are counted as ``infeasible`` and left out of the
probabilities.

Warm start: every draw is solved from the base answer (the selection of the problem as
given: the What-if page passes the one it shows, the CLI solves it first). It is turned
into a start for the draw by :func:`pmo_core.optimize.model.start_from`: as it is when it
keeps the draw's rows (topped up by value per cost), else repaired (the forced projects,
then its projects by value per cost while they fit); HiGHS starts from it when it is worth
at least the greedy start. The start changes how fast a draw is solved, not what its
optimum is: a draw solved to optimality selects the same projects warm or cold (ties
aside), so probabilities move only where a draw hits its time share.

The answer is anytime: :func:`robust_runs` yields the state after each draw, so a page
can show the probabilities while they refine. :func:`selection_table` lays a state beside
the base answer (which selected projects are fragile).

Examples:
    >>> p = Problem(ids=["A", "B", "C"], value=np.array([10.0, 7, 6]),
    ...             cost=np.array([5.0, 4, 3]), budget=7.0, forced_out={"C"})
    >>> r = robust_document_for(p, samples=20, spread=0.1, seed=1)
    >>> [(x["project_id"], x["selection_probability"], x["class"]) for x in r["projects"]]
    [('A', 1.0, 'core'), ('B', 0.0, 'out'), ('C', 0.0, 'out')]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.kpi import alignment
from pmo_core.optimize import solver
from pmo_core.optimize.model import Problem, with_prerequisites

#: The judgment scale of the app's pairwise sheet, in order.
SCALE = (1 / 9, 1 / 6, 1 / 3, 1.0, 3.0, 6.0, 9.0)
CORE, OUT = 0.9, 0.1


@dataclass(frozen=True)
class RobustState:
    """The answer so far: draws done, feasible ones, selection counts per project."""

    ids: list[str]
    done: int
    feasible: int
    counts: np.ndarray
    seconds: float
    gaps: tuple[float, ...] = ()  # each feasible draw's proven gap (0 when optimal)
    objectives: tuple[float, ...] = ()  # each feasible draw's value (of its own draw)

    @property
    def probability(self) -> np.ndarray:
        return self.counts / self.feasible if self.feasible else np.full(len(self.ids), np.nan)


def classify(prob: float) -> str | None:
    """core (>= 90 %), out (<= 10 %), else borderline; None without a feasible draw."""
    if np.isnan(prob):
        return None
    return "core" if prob >= CORE else "out" if prob <= OUT else "borderline"


def triangular(rng: np.random.Generator, spread: float, n: int) -> np.ndarray:
    """Factors from the triangular law (1 - spread, 1, 1 + spread)."""
    if spread <= 0:
        return np.ones(n)
    return rng.triangular(1.0 - spread, 1.0, 1.0 + spread, size=n)


def nudge_judgments(pairwise: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Each judgment moved one step of :data:`SCALE` up, down or kept (1/3 each), kept on
    the scale at its ends; a judgment off the scale moves from its nearest step."""
    if pairwise.empty:
        return pairwise
    j = pairwise["judgment"].astype(float).to_numpy()
    logs = np.log(np.array(SCALE))
    idx = np.abs(np.log(np.where(j > 0, j, 1.0))[:, None] - logs[None, :]).argmin(axis=1)
    moved = np.clip(idx + rng.integers(-1, 2, size=len(j)), 0, len(SCALE) - 1)
    out = pairwise.copy()
    out["judgment"] = np.where(np.isfinite(j) & (j > 0), np.array(SCALE)[moved], j)
    return out


def robust_runs(
    p: Problem,
    *,
    samples: int = 100,
    spread: float = 0.2,
    seed: int = 0,
    time_limit: float = 30.0,
    values: Callable[[np.random.Generator], np.ndarray] | None = None,
    start: Mapping[str, int] | None = None,
    warm: bool = True,
) -> Iterator[RobustState]:
    """Re-solve ``p`` on ``samples`` draws; yield the state after each.

    Args:
        time_limit: seconds for all the draws: each gets an equal share (at most 2 s),
            and answers with the best selection found in it and its proven gap.
        values: draws the base values (e.g. from nudged AHP judgments) before the
            triangular factor; None keeps ``p.value``.
        start: the base answer (selected project id -> start shift in months) each
            draw is warm-started from; None: ``p`` is solved first (one more share of
            the time limit) and its answer is the start.
        warm: False solves every draw cold (no start given; for comparison).
    """
    p = with_prerequisites(p)
    rng = np.random.default_rng(seed)
    n = len(p.ids)
    pos = {pid: i for i, pid in enumerate(p.ids)}
    counts = np.zeros(n)
    feasible = 0
    gaps: list[float] = []
    objectives: list[float] = []
    base_solve = warm and start is None
    each = min(2.0, max(time_limit, 0.01) / max(samples + base_solve, 1))
    t0 = time.perf_counter()
    if base_solve:
        first = solver.solve(p, time_limit=each)
        ok = first.status != "infeasible"
        start = {pid: first.start_shift.get(pid, 0) for pid in first.selected} if ok else None
    for k in range(samples):
        base = p.value if values is None else values(rng)
        draw = replace(
            p,
            value=base * triangular(rng, spread, n),
            cost=p.cost * triangular(rng, spread, n),
        )
        found = solver.solve(draw, time_limit=each, start=start if warm else None)
        if found.status != "infeasible":
            feasible += 1
            gaps.append(float(found.gap) if np.isfinite(found.gap) else float("nan"))
            objectives.append(float(found.objective))
            for pid in found.selected:
                counts[pos[pid]] += 1
        yield RobustState(
            list(p.ids),
            k + 1,
            feasible,
            counts.copy(),
            time.perf_counter() - t0,
            tuple(gaps),
            tuple(objectives),
        )


def _document(
    state: RobustState, samples: int, spread: float, seed: int, warm: bool
) -> dict[str, Any]:
    prob = state.probability
    known = sum(1 for g in state.gaps if np.isfinite(g))
    return {
        "samples": samples,
        "warm_start": warm,
        "feasible_samples": state.feasible,
        "infeasible_samples": state.done - state.feasible,
        "spread": spread,
        "seed": seed,
        "seconds": round(state.seconds, 3),
        # The largest proven gap; null when a draw's gap is unknown (its time share ran
        # out before a bound: counted in unknown_gap_samples) or no draw was feasible.
        "max_gap": max(state.gaps) if state.gaps and known == len(state.gaps) else None,
        "unknown_gap_samples": len(state.gaps) - known,
        "projects": sorted(
            (
                {
                    "project_id": pid,
                    "selection_probability": None if np.isnan(q) else float(q),
                    "class": classify(float(q)),
                }
                for pid, q in zip(state.ids, prob, strict=True)
            ),
            key=lambda r: (-(r["selection_probability"] or 0.0), r["project_id"]),
        ),
    }


def robust_document_for(
    p: Problem,
    *,
    samples: int = 100,
    spread: float = 0.2,
    seed: int = 0,
    time_limit: float = 30.0,
    values: Callable[[np.random.Generator], np.ndarray] | None = None,
    start: Mapping[str, int] | None = None,
    warm: bool = True,
) -> dict[str, Any]:
    """The ``robust`` JSON of a problem: every draw solved (warm-started from ``start``,
    or from ``p``'s own answer: :func:`robust_runs`), then the probabilities."""
    last = RobustState(list(p.ids), 0, 0, np.zeros(len(p.ids)), 0.0)
    runs = robust_runs(
        p,
        samples=samples,
        spread=spread,
        seed=seed,
        time_limit=time_limit,
        values=values,
        start=start,
        warm=warm,
    )
    for state in runs:
        last = state
    return _document(last, samples, spread, seed, warm)


def selection_table(
    state: RobustState,
    base: Collection[str],
    forced_in: Collection[str] = (),
    forced_out: Collection[str] = (),
) -> pd.DataFrame:
    """Every project's selection probability and class beside the base answer.

    Columns: ``project_id``, ``selection_probability`` (NaN without a feasible draw),
    ``class`` (core, borderline, out; None with NaN), ``in_base`` (selected by the
    base answer), ``fragile`` (in the base answer but not core), ``forced`` ("in",
    "out" or None). Sorted by probability (highest first; NaN last), then the base
    answer's projects first, then by id.

    Examples:
        >>> s = RobustState(["A", "B", "C"], 10, 10, np.array([10.0, 6, 0]), 1.0)
        >>> selection_table(s, {"A", "B"}, forced_out={"C"}).to_dict("list")["fragile"]
        [False, True, False]
    """
    prob = state.probability
    df = pd.DataFrame(
        {
            "project_id": state.ids,
            "selection_probability": prob,
            "class": [classify(float(q)) for q in prob],
            "in_base": [pid in set(base) for pid in state.ids],
        }
    )
    df["fragile"] = df["in_base"] & (df["class"] != "core")
    ins, outs = set(forced_in), set(forced_out)
    df["forced"] = pd.Series(
        ["out" if pid in outs else "in" if pid in ins else None for pid in df["project_id"]],
        dtype=object,
    )
    order = np.lexsort((df["project_id"], ~df["in_base"], -df["selection_probability"].fillna(-1)))
    return df.iloc[order].reset_index(drop=True)


def ahp_values(snapshot: Any, p: Problem) -> Callable[[np.random.Generator], np.ndarray] | None:
    """Alignment values of ``p``'s projects from nudged pairwise judgments, or None when
    the snapshot's weights do not come from pairwise judgments (direct or equal weights:
    nothing to nudge)."""
    f = snapshot.frames
    objectives, pairwise = f["objectives"], f["pairwise"]
    if alignment.objective_weights(objectives, pairwise).method != "ahp":
        return None

    def draw(rng: np.random.Generator) -> np.ndarray:
        w = alignment.objective_weights(objectives, nudge_judgments(pairwise, rng)).weights
        scores = alignment.alignment_scores(
            f["alignment"], w, f["projects"], imported=f.get("priorities")
        )
        s = scores.set_index("project_id")["alignment_score"]
        return pd.Series(p.ids).map(s).astype("float64").fillna(0.0).to_numpy()

    return draw
