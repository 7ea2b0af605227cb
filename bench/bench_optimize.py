"""Optimiser speed: OR-Library proofs, 200 and 1,000 projects with capacity, frontier."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmo_core.optimize import Problem, efficient_frontier, solve  # noqa: E402
from tests.test_orlib import CASES  # noqa: E402


def random_problem(n: int, roles: int = 20, months: int = 24, seed: int = 1) -> Problem:
    """A multidimensional knapsack shaped like a portfolio: 1 budget, roles x months."""
    rng = np.random.default_rng(seed)
    cost = rng.uniform(80, 4000, n)
    value = rng.uniform(5, 95, n)
    k = roles * months
    demand = np.where(rng.random((k, n)) < 0.15, rng.uniform(20, 300, (k, n)), 0.0)
    cap = demand.sum(axis=1) * 0.45
    return Problem(
        [f"P{i}" for i in range(n)],
        value,
        cost,
        float(cost.sum() * 0.5),
        demand,
        cap,
        [("R", "M")] * k,
    )


def main() -> None:
    print("## Optimiser\n")
    print("| case | status | seconds | gap |\n|---|---|---|---|")
    worst = 0.0
    for name, values, weights, caps, _opt in CASES:
        w = np.array(weights)
        p = Problem(
            [str(i) for i in range(len(values))],
            np.array(values),
            w[0],
            caps[0],
            w[1:],
            np.array(caps[1:]),
            [("C", "M")] * (len(caps) - 1),
        )
        s = solve(p, time_limit=10)
        worst = max(worst, s.solve_seconds)
        print(f"| {name} | {s.status} | {s.solve_seconds:.2f} | {s.gap:.4f} |")
    print(f"| worst OR-Library case (budget < 1 s) | | {worst:.2f} | |")
    for n in (200, 1000):
        p = random_problem(n)
        t0 = time.perf_counter()
        quick = solve(p, time_limit=1.0)
        full = solve(p, time_limit=10.0, mip_rel_gap=0.005 if n >= 1000 else 0.01)
        print(
            f"| {n} projects, 20 roles x 24 months, 1 s | {quick.status} | "
            f"{quick.solve_seconds:.2f} | {quick.gap:.4f} |"
        )
        print(f"| {n} projects, 10 s | {full.status} | {full.solve_seconds:.2f} | {full.gap:.4f} |")
        del t0
    p = random_problem(200)
    t0 = time.perf_counter()
    efficient_frontier(p, points=20, time_limit=0.7)
    print(
        f"| frontier, 20 points, 200 projects (budget <= 15 s) | | "
        f"{time.perf_counter() - t0:.2f} | |"
    )


if __name__ == "__main__":
    main()
