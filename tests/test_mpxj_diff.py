"""Our schedule readers against MPXJ, the field's reference reader (issue 15).

For every shared sample schedule (MS Project XML, P6 XER and P6-XML, the HS2 XER) MPXJ
reads the file and we compare: activities (tasks that are neither summaries, the
project summary nor empty rows), milestones, total cost (MPXJ's task Cost summed over
those activities = our EAC) and, for P6, the planned cost (= our BAC). Then the
``.mpp`` route: a file MPXJ reads, written back as MSPDI through ``org.mpxj`` (or the
old ``net.sf.mpxj``), must give the same project. Skipped without Java or mpxj.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import pytest

from pmo_core.ingest import pipeline
from pmo_core.ingest.schedules import mpxj_reader
from pmo_core.ingest.schedules.mspdi import read_mspdi_root

pytestmark = pytest.mark.skipif(
    not mpxj_reader.mpxj_available(), reason="mpxj or Java not installed"
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SAMPLES = sorted((DATA / "mspdi-samples").glob("*")) + sorted((DATA / "p6-xer").glob("*"))
needs_data = pytest.mark.skipif(not SAMPLES, reason="../shared/data not present")


def _raw(path: Path) -> tuple[bytes, str]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw, ".xer" if ".xer" in path.name else ".xml"


@functools.cache
def _mpxj_figures(path: Path) -> dict[str, float]:
    raw, suffix = _raw(path)
    project = mpxj_reader.read_project(raw, suffix)
    tasks = [
        x
        for x in project.getTasks()
        if x.getUniqueID() is not None
        and x.getUniqueID().intValue() != 0
        and not x.getSummary()
        and not x.getNull()
    ]

    def total(getter: str) -> float:
        values = (getattr(x, getter)() for x in tasks)
        return sum(float(v.doubleValue()) for v in values if v is not None)

    return {
        "activities": len(tasks),
        "milestones": sum(bool(x.getMilestone()) for x in tasks),
        "cost": total("getCost"),
        "planned_cost": total("getPlannedCost"),
    }


@needs_data
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_counts_and_costs_match_mpxj(path: Path) -> None:
    ref = _mpxj_figures(path)
    r = pipeline.validate_file(path)
    (ours,) = r.figures.to_dict("records")
    assert (ours["activities"], ours["milestones"]) == (ref["activities"], ref["milestones"])
    # A file without any cost: MPXJ says 0, we say n/a (never a 0 that looks measured).
    if ours["eac"] != ours["eac"]:  # NaN
        assert ref["cost"] == 0
    else:
        assert ours["eac"] == pytest.approx(ref["cost"], abs=0.01)
    if r.settings.get("source_format") == "p6":  # P6's budget is its planned cost
        if ours["bac"] == ours["bac"]:
            assert ours["bac"] == pytest.approx(ref["planned_cost"], abs=0.01)
        else:
            assert ref["planned_cost"] == 0


@needs_data
def test_the_hs2_known_answers_are_mpxjs() -> None:
    # Data README: BAC 215,918,496.41 = sum of target_cost; MPXJ's planned cost agrees,
    # and its cost (at completion, 217,652,329.66) = our AC + ETC.
    ref = _mpxj_figures(DATA / "p6-xer" / "SP10_COST_LOADED.xer.gz")
    assert ref["planned_cost"] == pytest.approx(215_918_496.41, abs=0.01)
    assert ref["cost"] == pytest.approx(16_001_858.60 + 201_650_471.06, abs=0.02)
    assert (ref["activities"], ref["milestones"]) == (3994, 1356)


@needs_data
@pytest.mark.parametrize("name", ["sample1.xml", "resource-rates-test.xer", "mspdiresource.xml"])
def test_the_mpp_route_through_mpxj_gives_the_same_project(name: str) -> None:
    # The .mpp route is MPXJ -> MSPDI -> our MSPDI reader; fed a file MPXJ reads (no .mpp
    # sample is shared), it must give the activities and cost of the direct reading.
    path = DATA / "mspdi-samples" / name
    raw, suffix = _raw(path)
    root = mpxj_reader.to_mspdi(raw, suffix)
    via = read_mspdi_root(root, name, "sha")
    direct = pipeline.validate_file(path)
    a, b = via.figures.iloc[0], direct.figures.iloc[0]
    assert (a["activities"], a["milestones"]) == (b["activities"], b["milestones"])
    assert a["eac"] == pytest.approx(b["eac"], abs=0.01)


def test_mpxj_classes_come_from_org_mpxj_and_the_old_package_is_a_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reader, _writer, file_format = mpxj_reader.mpxj_classes()
    assert reader.__name__ == "org.mpxj.reader.UniversalProjectReader"  # current MPXJ
    assert str(file_format.MSPDI) == "MSPDI"
    # A package that does not exist is skipped for the next one, as net.sf.mpxj is
    # skipped on an MPXJ older than 13 ... and none found is an ImportError.
    monkeypatch.setattr(mpxj_reader, "PACKAGES", ("net.sf.nothing", "org.mpxj"))
    assert mpxj_reader.mpxj_classes()[0].__name__.startswith("org.mpxj.")
    monkeypatch.setattr(mpxj_reader, "PACKAGES", ("net.sf.nothing",))
    with pytest.raises(ImportError):
        mpxj_reader.mpxj_classes()


@pytest.mark.parametrize("with_copy", [True, False])
def test_p6xml_with_a_baseline_copy_gives_mpxjs_counts_and_costs(with_copy: bool) -> None:
    # The hand-made P6-XML of tests/test_schedules.py (a <ProjectList> index, the current
    # project, and optionally its <BaselineProject>): MPXJ reads one project of 2
    # activities (1 milestone), planned cost 6,000 = our BAC, and takes its baseline cost
    # (4,000) from the copy = the top of our baseline curve; no copy, no baseline cost.
    from pmo_core.ingest import schedules
    from tests.test_schedules import p6xml_with_baseline

    doc = p6xml_with_baseline(with_copy=with_copy)
    project = mpxj_reader.read_project(doc, ".xml")
    tasks = [x for x in project.getTasks() if x.getUniqueID() is not None and not x.getSummary()]
    r = schedules.read_schedule(doc, "bridge.xml")
    (ours,) = r.figures.to_dict("records")
    assert (ours["activities"], ours["milestones"]) == (
        len(tasks),
        sum(bool(x.getMilestone()) for x in tasks),
    )
    planned = sum(float(x.getPlannedCost().doubleValue()) for x in tasks if x.getPlannedCost())
    assert ours["bac"] == pytest.approx(planned) == 6000.0
    baseline = [x.getBaselineCost() for x in tasks if x.getBaselineCost() is not None]
    if with_copy:
        assert r.frames["baseline"]["planned_value"].max() == pytest.approx(
            sum(float(v.doubleValue()) for v in baseline)
        )
    else:
        assert baseline == []
