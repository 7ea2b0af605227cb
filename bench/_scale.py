"""The 2,000-project scale workbook and its store, built once and reused by the benches."""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
WORKBOOK = OUT / "scale_2000.xlsx"
STORE = OUT / "scale_2000.duckdb"


def scale_workbook() -> Path:
    from pmo_core import demo

    OUT.mkdir(exist_ok=True)
    if not WORKBOOK.exists():
        demo.write_demo(WORKBOOK, n_projects=2000)
    return WORKBOOK


def scale_store() -> Path:
    from pmo_core.ingest import pipeline

    if not STORE.exists():
        pipeline.import_file(scale_workbook(), path=STORE)
    return STORE
