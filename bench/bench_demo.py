"""Time ``write_demo(tmp, 2000)``: the scale workbook of DESIGN section 8 (budget: 60 s).

Prints a Markdown section for ``bench/run_all.py``: the median of a few runs of the whole
write (build + xlsxwriter), the build alone, the rows per table and the file size.

    .venv/bin/python bench/bench_demo.py [--projects 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmo_core import demo

BUDGET_S = 60.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    build, write = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scale.xlsx"
        for _ in range(a.runs):
            t0 = time.perf_counter()
            frames, _ = demo.build_demo(a.projects)
            build.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            demo.write_demo(out, a.projects)
            write.append(time.perf_counter() - t0)
        size = out.stat().st_size
    med = statistics.median(write)
    rows = ", ".join(f"{k} {len(v):,}" for k, v in frames.items())
    print(f"## demo: write_demo(tmp, {a.projects})\n")
    print(f"| measure | seconds (median of {a.runs}) | budget |")
    print("|---|---|---|")
    print(f"| build_demo({a.projects}) | {statistics.median(build):.2f} | |")
    ok = "ok" if med <= BUDGET_S else "OVER"
    print(f"| write_demo(tmp, {a.projects}) | {med:.2f} | {BUDGET_S:.0f} s ({ok}) |")
    print(f"\nRows: {rows}. File: {size / 2**20:.1f} MiB.")
    return 0 if med <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
