"""Issue "schedules", done when: a folder of MS Project XML and P6 XER files with one
portfolio workbook gives one snapshot whose Overview, Roadmap and Capacity pages show
those projects; a broken file gets located issues and nothing is written."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pmo_core import schema, store
from pmo_core.errors import ImportRejected
from pmo_core.ingest import pipeline
from pmo_core.ingest.template import write_workbook
from tests.conftest import ROOT, run_page

SAMPLES = ROOT.parent / "shared" / "data"
FILES = [
    SAMPLES / "p6-xer" / "SP10_COST_LOADED.xer.gz",
    SAMPLES / "mspdi-samples" / "resource-rates-test.xer",
    SAMPLES / "mspdi-samples" / "sample1.xml",
]
pytestmark = pytest.mark.skipif(
    not all(f.exists() for f in FILES), reason="../shared/data not present"
)


def portfolio_workbook() -> tuple[str, bytes]:
    """What schedules do not carry: programme, objectives, ratings, a risk."""
    frames = {
        "projects": schema.conform(
            "projects",
            pd.DataFrame(
                {
                    "project_id": ["HS2-LWM-IMP-040-20", "NEWPROJ", "sample1"],
                    "name": ["HS2 Lot", "Rates test", "Sample"],
                    "program": ["Rail", "IT", "IT"],
                    "department": ["Infra", "DSI", "DSI"],
                }
            ),
        ),
        "objectives": schema.conform(
            "objectives", pd.DataFrame({"objective_id": ["O1"], "name": ["Growth"]})
        ),
        "alignment": schema.conform(
            "alignment",
            pd.DataFrame({"project_id": ["NEWPROJ"], "objective_id": ["O1"], "rating": [9]}),
        ),
        "risks": schema.conform(
            "risks",
            pd.DataFrame(
                {
                    "risk_id": ["R1"],
                    "project_id": ["HS2-LWM-IMP-040-20"],
                    "title": ["Ground conditions"],
                    "probability": [0.4],
                    "impact": [2_000_000.0],
                }
            ),
        ),
    }
    buf = io.BytesIO()
    write_workbook(frames, {"currency": "GBP"}, buf, "en")
    return "portfolio.xlsx", buf.getvalue()


@pytest.fixture(scope="module")
def schedules_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sched") / "pmo.duckdb"
    sources = [(f.name, f.read_bytes()) for f in FILES] + [portfolio_workbook()]
    result, sid = pipeline.import_files(sources, who="tests", path=db)
    assert sid == 1 and result.ok
    return db


def test_one_snapshot_with_the_workbooks_additions(schedules_db: Path) -> None:
    snap = store.get_snapshot(path=schedules_db)
    p = snap.frames["projects"].set_index("project_id")
    assert sorted(p.index) == ["HS2-LWM-IMP-040-20", "NEWPROJ", "sample1"]
    assert p.loc["HS2-LWM-IMP-040-20", "program"] == "Rail"  # from the workbook
    assert p.loc["HS2-LWM-IMP-040-20", "budget"] == pytest.approx(215_918_496.41)  # from P6
    assert len(snap.frames["risks"]) == 1 and len(snap.frames["alignment"]) == 1


@pytest.mark.parametrize("page", ["overview.py", "roadmap.py", "capacity.py"])
def test_pages_show_the_scheduled_projects(
    schedules_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("PMO_DB_PATH", str(schedules_db))
    at = run_page(page, "en")
    assert not at.exception, [e.value for e in at.exception]
    if page == "overview.py":
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Budget (BAC)"].startswith("£")  # the schedules' currency
    if page == "roadmap.py":
        spec = at.get("plotly_chart")[0].proto.spec
        assert "HS2 Lot" in spec or "HS2-LWM-IMP-040-20" in spec
    if page == "capacity.py":
        assert at.get("plotly_chart"), "no capacity heat map"


def test_a_broken_schedule_is_refused_whole(tmp_path: Path) -> None:
    db = tmp_path / "pmo.duckdb"
    broken = ("broken.xml", b"<Project><Tasks><Task><UID>1</UID>")  # cut in the middle
    sources = [(FILES[1].name, FILES[1].read_bytes()), broken]
    with pytest.raises(ImportRejected) as e:
        pipeline.import_files(sources, who="tests", path=db, as_of=date(2026, 10, 31))
    located = [i for i in e.value.issues if i.severity == "error"]
    assert located and all(i.sheet.startswith("broken.xml") for i in located)
    assert store.list_snapshots(db).empty  # nothing written
