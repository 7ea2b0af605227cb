"""Issue 19's done-when: a ProjectData export imported into an empty store, and the pages
a committee opens on it (Overview, Alignment, Capacity, What-if) work on what it holds.

The export is tests/projectdata_export.py: 4 projects; three drivers whose Project Server
priorities are 0.6923, 0.2308 and 0.0769 (judgments 3 / 9 / 3: weights 9/13, 3/13, 1/13,
i.e. 69,2 %, 23,1 % and 7,7 %, the priorities rounded to a tenth of a percent).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pmo_core import store
from pmo_core.ingest import pipeline
from tests.conftest import run_page

sys.path.insert(0, str(Path(__file__).parent))
import projectdata_export as px


@pytest.fixture(scope="module")
def pd_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pd_pages")
    db = base / "s.duckdb"
    _, sid = pipeline.import_file(px.write("xlsx", base / "export"), path=db)
    assert sid is not None
    return db


@pytest.fixture
def on_export(pd_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "pmo.duckdb"
    db.write_bytes(pd_store.read_bytes())
    monkeypatch.delenv("PMO_DB_URL", raising=False)
    monkeypatch.setenv("PMO_DB_PATH", str(db))
    return db


@pytest.mark.parametrize("page", ["overview.py", "capacity.py", "whatif.py"])
def test_the_committee_pages_open_on_a_projectdata_export(on_export: Path, page: str) -> None:
    at = run_page(page, "fr")
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric or at.dataframe  # figures, not an empty page


def test_alignment_weights_are_project_servers_priorities(on_export: Path) -> None:
    snap = store.get_snapshot(path=on_export)
    assert len(snap.frames["projects"]) == 4
    at = run_page("alignment.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "Poids" in d.value.columns)
    weights = dict(zip(table["Objectif"], table["Poids"], strict=True))
    assert weights == {
        "Croissance": "69,2\xa0%",
        "Efficacité": "23,1\xa0%",
        "Conformité": "7,7\xa0%",
    }
