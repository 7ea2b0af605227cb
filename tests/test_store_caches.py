"""The app's caches against the store (issue 16, item 4): histories keyed by the
snapshots they cover, so that a scheduled import shows; writes clear only the caches they
change; pages do not read the store on every rerun."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pmo_core import optimize, store
from pmo_core import project_requests as req
from pmo_core.optimize import WhatIf
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parents[1]


def _import_outside_the_app(db: Path) -> int:
    """What the monthly scheduled import does: a commit by another process (here the
    library), which the app's caches do not hear about."""
    newest = store.get_snapshot(path=db)
    return store.commit_snapshot(
        newest.frames, source="scheduled.xlsx", as_of=date(2027, 1, 31), path=db
    )


def test_a_scheduled_import_shows_in_the_exposure_and_milestone_trends(app_db: Path) -> None:
    from ui import loaders

    db = str(app_db)
    exposure = loaders.exposure_history(db)
    pid = str(store.get_snapshot(path=app_db).frames["milestones"]["project_id"].iloc[0])
    milestones = loaders.milestone_history(db, pid)
    before = (exposure["as_of"].nunique(), milestones["as_of"].nunique())
    assert before[0] == 3  # the demo's three months
    _import_outside_the_app(app_db)
    loaders.store_stamp.clear()  # what its 1 s time-to-live does (before: a 30 s list)
    # Before: the trends were keyed by the store's path only, and kept 3 months for ever.
    assert loaders.exposure_history(db)["as_of"].nunique() == before[0] + 1
    assert loaders.milestone_history(db, pid)["as_of"].nunique() == before[1] + 1


def test_a_deleted_snapshot_leaves_the_trends(app_db: Path) -> None:
    from ui import loaders

    db = str(app_db)
    assert loaders.exposure_history(db)["as_of"].nunique() == 3
    loaders.delete_snapshot(1, who="tests")
    assert loaders.exposure_history(db)["as_of"].nunique() == 2


def test_saving_a_scenario_keeps_the_optimisers_answers(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import loaders

    calls: list[WhatIf] = []
    real = optimize.optimize_document

    def counted(snap: store.Snapshot, whatif: WhatIf) -> dict[str, Any]:
        calls.append(whatif)
        return real(snap, whatif)

    monkeypatch.setattr(optimize, "optimize_document", counted)
    db = str(app_db)
    sid = int(store.latest_snapshot_id(app_db) or 0)
    whatif = WhatIf(budget=20_000_000.0, time_limit=2.0)
    answer = loaders.whatif_answer(sid, db, whatif)
    assert len(calls) == 1
    before = len(loaders.whatif_scenarios(db))
    loaders.save_scenario("Comité", whatif, answer, snapshot_id=sid, who="tests")
    # Before: st.cache_data.clear() emptied every cache; the answer was solved again.
    assert loaders.whatif_answer(sid, db, whatif)["selected"] == answer["selected"]
    assert len(calls) == 1
    assert len(loaders.whatif_scenarios(db)) == before + 1  # the list did refresh


def test_a_new_request_gives_the_answers_with_requests_a_new_key(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import loaders

    calls: list[tuple[str, ...]] = []
    real = optimize.optimize_document

    def counted(snap: store.Snapshot, whatif: WhatIf) -> dict[str, Any]:
        calls.append(whatif.requests)
        return real(snap, whatif)

    monkeypatch.setattr(optimize, "optimize_document", counted)
    db = str(app_db)
    sid = int(store.latest_snapshot_id(app_db) or 0)
    with_requests = WhatIf(budget=20_000_001.0, time_limit=2.0, requests=("R-1",))
    without = WhatIf(budget=20_000_001.0, time_limit=2.0)
    loaders.whatif_answer(sid, db, with_requests)
    loaders.whatif_answer(sid, db, without)
    assert calls == [("R-1",), ()]
    loaders.submit_request(
        {
            "title": "Portail fournisseurs",
            "department": "Achats",
            "sponsor": "DG",
            "budget": 250_000.0,
            "expected_benefit": 400_000.0,
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
        },
        who="tests",
    )
    # The requests changed: the run that includes requests is solved again (its key holds
    # their version stamp), the run without them is still cached.
    loaders.whatif_answer(sid, db, with_requests)
    loaders.whatif_answer(sid, db, without)
    assert calls == [("R-1",), (), ("R-1",)]


def test_the_requests_page_reads_the_store_once_over_reruns(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    real = req.load

    def counted(path: object = None) -> Any:
        calls.append(path)
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(req, "load", counted)
    at = run_page("requests.py")
    assert not at.exception
    first = len(calls)
    at.run()
    at.run()
    assert not at.exception
    # Before: every rerun (every click) read the requests from the store again.
    assert len(calls) == first


def test_no_write_empties_every_cache() -> None:
    sources = [*ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    found = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # st.cache_data.clear() / st.cache_resource.clear(): every user's caches at once
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "clear"
                and ast.unparse(node.func.value) in ("st.cache_data", "st.cache_resource")
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
