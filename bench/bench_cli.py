"""`kpis` and `capacity` on the 2,000-project snapshot: start-up + 1 s (DESIGN section 8).

Start-up is measured as `python -m pmo_core --help`; each command's wall time beside it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scale import scale_store  # noqa: E402


def timed(args: list[str]) -> float:
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pmo_core", *args], cwd=ROOT, check=True, capture_output=True
        )
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    db = str(scale_store())
    startup = timed(["--help"])
    snapshots = timed(["snapshots", "--json", "--db", db])
    kpis = timed(["kpis", "--json", "--db", db])
    capacity = timed(["capacity", "--json", "--db", db])
    print("## CLI on the 2,000-project snapshot\n")
    print("| command | seconds (median of 3) | budget |\n|---|---|---|")
    print(f"| start-up (`--help`) | {startup:.2f} | |")
    print(f"| `snapshots --json` | {snapshots:.2f} | |")
    print(f"| `kpis --json` | {kpis:.2f} | <= {snapshots + 1:.2f} (store open + 1 s) |")
    print(f"| `capacity --json` | {capacity:.2f} | <= {snapshots + 1:.2f} |")


if __name__ == "__main__":
    main()
