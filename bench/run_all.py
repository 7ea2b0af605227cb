"""Run every ``bench/bench_*.py`` script and write ``bench/RESULTS.md``.

Each script prints a Markdown section (a heading, a table of measurements against the
budget of DESIGN section 8 or its issue). This runner adds the machine and the library
versions, so that a result is never read without what it was measured on.

    .venv/bin/python bench/run_all.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGES = (
    "pandas",
    "duckdb",
    "streamlit",
    "plotly",
    "fastexcel",
    "openpyxl",
    "xlsxwriter",
    "highspy",
    "scipy",
    "numpy",
    "pyarrow",
)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = ", ".join(f"{p} {md.version(p)}" for p in PACKAGES if _has(p))
    return (
        f"- Machine: {os.cpu_count()} cores, {cpu}{mem}, {platform.system()} "
        f"{platform.release()}\n- Python {platform.python_version()}; {versions}\n"
        f"- Run: {datetime.now():%Y-%m-%d %H:%M}"
    )


def _has(pkg: str) -> bool:
    try:
        md.version(pkg)
        return True
    except md.PackageNotFoundError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", nargs="*", help="bench names (e.g. import optimize)")
    a = ap.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if a.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in a.only]
    sections = []
    for s in scripts:
        print(f"running {s.name} ...", file=sys.stderr)
        r = subprocess.run(
            [sys.executable, str(s)], capture_output=True, text=True, cwd=HERE.parent, check=False
        )
        out = r.stdout.strip() or f"## {s.stem}\n\n(no output)"
        if r.returncode:
            out += f"\n\nFAILED (exit {r.returncode}):\n```\n{r.stderr[-2000:]}\n```"
        sections.append(out)
    text = (
        "# Benchmark results\n\nWritten by `make bench` (`bench/run_all.py`); each section "
        "comes from its script in `bench/`.\n\n" + machine() + "\n\n" + "\n\n".join(sections) + "\n"
    )
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
