"""Import of the 2,000-project scale workbook vs a bare fastexcel read (DESIGN section 8).

Budget: read + validate + commit <= 2x a bare fastexcel read of all sheets, measured side
by side in one run (interleaved, median of 3).
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

from pmo_core import pipeline


def bare_read(path: Path) -> float:
    import fastexcel

    t0 = time.perf_counter()
    reader = fastexcel.read_excel(path.read_bytes())
    for name in reader.sheet_names:
        reader.load_sheet(name).to_arrow()
    return time.perf_counter() - t0


def full_import(path: Path) -> float:
    db = Path(tempfile.mkdtemp()) / "bench.duckdb"
    t0 = time.perf_counter()
    pipeline.import_file(path, path=db)
    return time.perf_counter() - t0


def main() -> None:
    wb = scale_workbook()
    bare, full = [], []
    for _ in range(3):
        bare.append(bare_read(wb))
        full.append(full_import(wb))
    b, f = statistics.median(bare), statistics.median(full)
    print("## Import (2,000 projects, ~200,000 allocation rows)\n")
    print("| step | seconds (median of 3) |\n|---|---|")
    print(f"| bare fastexcel read of all sheets | {b:.2f} |")
    print(f"| read + validate + commit | {f:.2f} |")
    print(f"| ratio (budget <= 2.0) | {f / b:.2f} |")


if __name__ == "__main__":
    main()
