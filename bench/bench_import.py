"""Import of the 2,000-project scale workbook vs a bare fastexcel read (DESIGN section 8).

Budget: read + validate + commit <= 2x a bare fastexcel read of all sheets, measured side
by side in one run (interleaved, median of 5). ``--modes``: read + validate strict, then
``--lenient`` and ``--update`` (against a store holding the same workbook, so every
project is updated), interleaved; each mode adds at most 10 % (issue 15).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scale import scale_workbook

from pmo_core.ingest import pipeline


def bare_read(path: Path) -> float:
    import fastexcel

    t0 = time.perf_counter()
    reader = fastexcel.read_excel(path.read_bytes())
    for name in reader.sheet_names:
        reader.load_sheet(name).to_arrow()
    return time.perf_counter() - t0


def bare_read_eager(path: Path) -> float:
    """The same read with ``eager=True`` (what the import itself uses): the stricter
    baseline, shown beside the budget's."""
    import fastexcel

    t0 = time.perf_counter()
    reader = fastexcel.read_excel(path.read_bytes())
    for name in reader.sheet_names:
        reader.load_sheet(name, eager=True)
    return time.perf_counter() - t0


def full_import(path: Path) -> tuple[float, float]:
    """``pipeline.import_file`` in its two steps, into a new store: (read + validate,
    commit) seconds."""
    db = Path(tempfile.mkdtemp()) / "bench.duckdb"
    t0 = time.perf_counter()
    result = pipeline.validate_file(path, path=db)
    t1 = time.perf_counter()
    pipeline.commit_result(result, path=db)
    return t1 - t0, time.perf_counter() - t1


RUNS = 5


def validate_modes(path: Path) -> dict[str, float]:
    """Seconds of read + validate in each mode: strict, lenient, update (the scale store
    holds the workbook's snapshot: 2,000 projects updated, their rows replaced)."""
    from _scale import scale_store

    db = scale_store()
    out: dict[str, float] = {}
    for mode, kwargs in (
        ("strict", {}),
        ("lenient", {"lenient": True}),
        ("update", {"update": True}),
    ):
        t0 = time.perf_counter()
        result = pipeline.validate_file(path, path=db, **kwargs)
        out[mode] = time.perf_counter() - t0
        assert result.ok, mode
    return out


def main_modes() -> None:
    wb = scale_workbook()
    runs = [validate_modes(wb) for _ in range(2 * RUNS)]  # interleaved: same machine load
    med = {m: statistics.median(r[m] for r in runs) for m in runs[0]}
    low = {m: min(r[m] for r in runs) for m in runs[0]}
    print("## Import modes (2,000 projects: read + validate)\n")
    print(
        f"| mode | median of {2 * RUNS} (s) | vs strict | fastest (s) | vs strict "
        "(budget <= +10 %) |\n|---|---|---|---|---|"
    )
    for m, v in med.items():
        print(
            f"| {m} | {v:.2f} | {100 * (v / med['strict'] - 1):+.1f} % | {low[m]:.2f} "
            f"| {100 * (low[m] / low['strict'] - 1):+.1f} % |"
        )


def main() -> None:
    wb = scale_workbook()
    bare, eager, read, commit, full = [], [], [], [], []
    for _ in range(RUNS):  # interleaved: both see the same machine load
        bare.append(bare_read(wb))
        eager.append(bare_read_eager(wb))
        r, c = full_import(wb)
        read.append(r)
        commit.append(c)
        full.append(r + c)
    b, f = statistics.median(bare), statistics.median(full)
    ratios = sorted(x / y for x, y in zip(full, bare, strict=True))
    print("## Import (2,000 projects, ~200,000 allocation rows)\n")
    print(f"| step | seconds (median of {RUNS}) |\n|---|---|")
    print(f"| bare fastexcel read of all sheets | {b:.2f} |")
    print(f"| read + validate | {statistics.median(read):.2f} |")
    print(f"| commit (new store) | {statistics.median(commit):.2f} |")
    print(f"| read + validate + commit | {f:.2f} |")
    print(f"| ratio (budget <= 2.0) | {f / b:.2f} |")
    print(f"| ratio per run, lowest - highest | {ratios[0]:.2f} - {ratios[-1]:.2f} |")
    e = statistics.median(eager)
    print(f"| bare read with `eager=True` (as the import reads) | {e:.2f} |")
    print(f"| ratio to that stricter baseline (information) | {f / e:.2f} |")


if __name__ == "__main__":
    main_modes() if "--modes" in sys.argv else main()
