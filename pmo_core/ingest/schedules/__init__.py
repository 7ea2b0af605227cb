"""Import schedules: MS Project XML (MSPDI), Primavera P6 XER and P6-XML, several at once.

- :func:`read_mspdi` - one MS Project XML file (``.xml``, ``.xml.gz``) = one project
  (:mod:`pmo_core.ingest.schedules.mspdi`).
- :func:`read_xer` - one P6 XER file (``.xer``, ``.xer.gz``), one project per PROJECT row
  (:mod:`pmo_core.ingest.schedules.p6`).
- :func:`read_schedule` - any of these by content (an ``.xml`` holding a P6-XML export
  is read as P6); ``.mpp`` is refused with the way to save it as XML, unless MPXJ and a
  Java runtime are installed.
- :func:`merge_results` - several schedule results and an optional portfolio workbook
  -> one snapshot. The workbook adds what schedules do not carry (programme, objectives,
  alignment, risks...), matched by project id or, failing that, by name.

Every reader returns a :class:`~pmo_core.ingest.schedules.common.ScheduleResult` (an
``IngestResult`` with ``figures``: per project BAC, AC, ETC, EAC, activity and milestone
counts). Nothing here writes to the store.

Examples:
    >>> r = read_schedule(b"<Project xmlns='http://schemas.microsoft.com/project'/>", "a.xml")
    >>> r.ok
    False
    >>> r.issues[0].sheet, r.issues[0].severity
    ('Tasks', 'error')
"""

from __future__ import annotations

import dataclasses
import hashlib
import xml.etree.ElementTree as ET

import pandas as pd
from defusedxml import DefusedXmlException

from pmo_core import schema
from pmo_core.ingest.issues import IngestResult, Issue
from pmo_core.ingest.schedules import common as sc
from pmo_core.ingest.schedules import mpxj_reader
from pmo_core.ingest.schedules.common import MPP_NEEDS_XML, ScheduleResult
from pmo_core.ingest.schedules.mpxj_reader import mpxj_available
from pmo_core.ingest.schedules.mspdi import read_mspdi_root
from pmo_core.ingest.schedules.p6 import read_p6xml, read_xer

SCHEDULE_SUFFIXES = (".xml", ".xml.gz", ".xer", ".xer.gz", ".pmxml", ".mpp")

UNSAFE_XML = (
    "This XML file declares a DTD or entities, which are not accepted (they can make a "
    "file read other files or grow without end): export it again from MS Project or P6."
)
DUPLICATE_PROJECT = (
    "Project {project} comes from two files ({first} and {second}): the second one is "
    "ignored. Remove one of the files or rename one project."
)
PORTFOLIO_UNMATCHED = (
    "Project in the portfolio workbook matched by no schedule: it is imported from the "
    "workbook alone."
)
PORTFOLIO_BY_NAME = (
    "Matched to the schedule {project} by name, not by id: check it is the same project."
)
SCHEDULE_UNMATCHED = (
    "Schedule project not in the portfolio workbook: it has no programme, objectives or risks."
)
MPP_UNREADABLE = (
    "MPXJ could not read this .mpp file ({error}): open it in MS Project, choose "
    "File > Save As > XML (*.xml) and import that file."
)
CURRENCY_MISMATCH = "Files in different currencies ({currencies}): amounts are added as they are."
RESOURCE_CONFLICT = (
    "Resource {resource} has a different role or capacity in another file: the first one is kept."
)


def is_schedule_name(filename: str) -> bool:
    """True for a file name the schedule readers take (by extension)."""
    return filename.lower().endswith(SCHEDULE_SUFFIXES)


def read_mspdi(data: bytes, filename: str, role_field: str | None = None) -> ScheduleResult:
    """Read an MS Project XML file (``.xml`` or ``.xml.gz``) as one project.

    ``role_field``: the resource custom field holding the role (``Text1``... or its
    alias, like "Métier"); by default the role is the resource's Group.
    Bad content becomes issues; never raises.
    """
    return read_schedule(data, filename, role_field)


def read_schedule(data: bytes, filename: str, role_field: str | None = None) -> ScheduleResult:
    """Read MSPDI, P6-XML or XER by content; ``.mpp`` through MPXJ when available.

    ``role_field`` applies to MS Project files (:func:`read_mspdi`); P6 roles come
    from the file's roles.
    """
    raw, lower, sha, refusal = sc.unpack(data, filename)
    if refusal is not None:
        return sc.refused(filename, sha, refusal)
    if lower.endswith(".mpp") or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_mpp(raw, filename, sha, role_field)
    head = raw[:2048].lstrip()
    if head.startswith(b"ERMHDR") or lower.endswith(".xer"):
        return read_xer(data, filename)
    try:
        root = sc.parse_xml(raw)
    except DefusedXmlException:
        return sc.refused(filename, sha, sc.issue("error", filename, None, None, None, UNSAFE_XML))
    except ET.ParseError as exc:
        return sc.refused(
            filename, sha, sc.issue("error", filename, None, None, None, sc.NOT_XML, error=str(exc))
        )
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "Project" and root.tag.startswith("{http://schemas.microsoft.com/project}"):
        return read_mspdi_root(root, filename, sha, role_field)
    if tag == "APIBusinessObjects":
        return read_p6xml(root, filename, sha)
    return sc.refused(
        filename, sha, sc.issue("error", filename, None, None, None, sc.NOT_SCHEDULE_XML)
    )


def _read_mpp(raw: bytes, filename: str, sha: str, role_field: str | None) -> ScheduleResult:
    if not mpxj_available():
        return sc.refused(
            filename, sha, sc.issue("error", filename, None, None, None, MPP_NEEDS_XML)
        )
    try:
        root = mpxj_reader.to_mspdi(raw, ".mpp")
    except DefusedXmlException:
        return sc.refused(filename, sha, sc.issue("error", filename, None, None, None, UNSAFE_XML))
    except Exception as exc:  # MPXJ's Java exceptions: the file is refused, never a traceback
        return sc.refused(
            filename,
            sha,
            sc.issue("error", filename, None, None, None, MPP_UNREADABLE, error=str(exc)[:200]),
        )
    return read_mspdi_root(root, filename, sha, role_field)


# ------------------------------------------------------------------------------ merge


def merge_results(
    results: list[IngestResult], portfolio: IngestResult | None = None
) -> IngestResult:
    """Several schedule results (and an optional portfolio workbook) -> one snapshot.

    Projects are taken from the schedules; a project id given by two files keeps the
    first and is an error (the PMO must say which file is right). The workbook's
    project rows fill what the schedule lacks (programme, department, sponsor, benefit,
    mandatory...), matched by project id, else by name (warned); workbook projects
    without a schedule are kept as they are (warned), and schedule projects without a
    workbook row are warned. Objectives, pairwise, alignment, capacity and risks come
    from the workbook; the workbook's rows in other tables are kept for its projects
    that have no schedule. The as-of date is the latest of the files'.
    """
    issues: list[Issue] = [_located(i, r.source) for r in results for i in r.issues]
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.TABLES}
    figures: list[pd.DataFrame] = []
    networks: dict[str, list[pd.DataFrame]] = {"activities": [], "relations": []}
    owner: dict[str, str] = {}
    for r in results:
        keep = []
        for pid in r.frames["projects"]["project_id"].dropna().astype(str):
            if pid in owner:
                issues.append(
                    sc.issue(
                        "error",
                        r.source,
                        None,
                        "project_id",
                        pid,
                        DUPLICATE_PROJECT,
                        project=pid,
                        first=owner[pid],
                        second=r.source,
                    )
                )
            else:
                owner[pid] = r.source
                keep.append(pid)
        for name, df in r.frames.items():
            if (
                name in ("resources", "capacity", "objectives", "pairwise")
                or "project_id" not in df
            ):
                parts[name].append(df)
            else:
                parts[name].append(df[df["project_id"].astype(str).isin(keep)])
        fig = getattr(r, "figures", None)
        if fig is not None and len(fig):
            figures.append(fig[fig["project_id"].astype(str).isin(keep)])
        for name, parts_of in networks.items():
            df = getattr(r, name, None)
            if df is not None and len(df):
                parts_of.append(df[df["project_id"].astype(str).isin(keep)])
    frames = {
        name: pd.concat([p for p in ps if len(p)], ignore_index=True)
        if any(len(p) for p in ps)
        else schema.empty_frame(name)
        for name, ps in parts.items()
    }
    frames["resources"] = _merge_resources(frames["resources"], issues)
    settings = _merge_settings(results, issues)
    sources = [r.source for r in results]
    if portfolio is not None:
        issues.extend(_located(i, portfolio.source) for i in portfolio.issues)
        frames = _with_portfolio(frames, portfolio, issues)
        settings = {**portfolio.settings, **settings}
        sources.append(portfolio.source)
    as_ofs = [r.as_of for r in [*results, *([portfolio] if portfolio else [])] if r.as_of]
    as_of = max(as_ofs) if as_ofs else None
    if as_of is not None:
        settings["as_of"] = as_of.isoformat()
    merged_figures = (
        pd.concat(figures, ignore_index=True)
        if figures
        else pd.DataFrame(columns=sc.FIGURE_COLUMNS)
    )

    sha = hashlib.sha256("".join(r.sha256 for r in results).encode()).hexdigest()
    if portfolio is not None:
        sha = hashlib.sha256((sha + portfolio.sha256).encode()).hexdigest()
    activities, relations = (
        pd.concat(networks[n], ignore_index=True) if networks[n] else None
        for n in ("activities", "relations")
    )
    return sc.build_result(
        frames,
        issues,
        settings,
        as_of,
        " + ".join(sources),
        sha,
        merged_figures,
        activities,
        relations,
    )


def _located(i: Issue, source: str) -> Issue:
    """The issue with its file named in ``sheet`` (``file: table``), for several files."""
    if i.sheet == source:
        return i
    return dataclasses.replace(i, sheet=f"{source}: {i.sheet}" if i.sheet else source)


def _merge_resources(res: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    """One row per resource id; a different role or capacity elsewhere is warned."""
    if res.empty:
        return res
    first = res.drop_duplicates("resource_id", keep="first").set_index("resource_id")
    later = res[res.duplicated("resource_id", keep="first")]
    for r in later.to_dict("records"):
        f = first.loc[r["resource_id"]]
        if f["role"] != r["role"] or f["capacity_hours_per_month"] != r["capacity_hours_per_month"]:
            issues.append(
                sc.issue(
                    "warning",
                    "Resource",
                    None,
                    "resource_id",
                    r["resource_id"],
                    RESOURCE_CONFLICT,
                    resource=r["resource_id"],
                )
            )
    return first.reset_index()


def _merge_settings(results: list[IngestResult], issues: list[Issue]) -> dict[str, str]:
    settings: dict[str, str] = {}
    currencies = sorted({r.settings["currency"] for r in results if r.settings.get("currency")})
    if currencies:
        settings["currency"] = currencies[0]
    if len(currencies) > 1:
        issues.append(
            sc.issue(
                "warning",
                None,
                None,
                "currency",
                ", ".join(currencies),
                CURRENCY_MISMATCH,
                currencies=", ".join(currencies),
            )
        )
    return settings


def _with_portfolio(
    frames: dict[str, pd.DataFrame], portfolio: IngestResult, issues: list[Issue]
) -> dict[str, pd.DataFrame]:
    sched = frames["projects"]
    wb = portfolio.frames["projects"]
    sheet = f"{portfolio.source}: {wb.attrs.get('sheet', 'Projects')}"
    ids = set(sched["project_id"].astype(str))
    by_name = {
        str(n).strip().casefold(): pid
        for pid, n in zip(sched["project_id"], sched["name"], strict=True)
    }
    rename: dict[str, str] = {}
    unmatched: list[str] = []
    for row in wb.to_dict("records"):
        pid = str(row["project_id"])
        if pid in ids:
            rename[pid] = pid
            continue
        name_key = str(row["name"]).strip().casefold() if pd.notna(row["name"]) else ""
        if name_key in by_name:
            rename[pid] = by_name[name_key]
            issues.append(
                sc.issue(
                    "warning",
                    sheet,
                    None,
                    "name",
                    row["name"],
                    PORTFOLIO_BY_NAME,
                    project=by_name[name_key],
                )
            )
        else:
            unmatched.append(pid)
            issues.append(sc.issue("warning", sheet, None, "project_id", pid, PORTFOLIO_UNMATCHED))
    matched = set(rename.values())
    for pid in sorted(ids - matched):
        issues.append(sc.issue("warning", None, None, "project_id", pid, SCHEDULE_UNMATCHED))
    # Workbook columns fill the schedule's blanks (schedule figures win where given).
    wb_rows = wb[wb["project_id"].astype(str).isin(rename)].copy()
    wb_rows["project_id"] = wb_rows["project_id"].astype(str).map(rename)
    wb_rows = wb_rows.drop_duplicates("project_id").set_index("project_id")
    merged = sched.set_index("project_id")
    merged = merged.combine_first(wb_rows.reindex(merged.index)) if len(wb_rows) else merged
    merged = merged.reset_index()[sched.columns]
    extra = wb[wb["project_id"].astype(str).isin(unmatched)]
    out = dict(frames)
    out["projects"] = pd.concat([merged, extra], ignore_index=True) if len(extra) else merged
    for name in ("objectives", "pairwise", "capacity"):
        out[name] = portfolio.frames[name]
    for name in ("alignment", "risks", "baseline"):  # no schedule gives the first two
        df = portfolio.frames[name].copy()
        df["project_id"] = df["project_id"].astype(str).map(lambda p: rename.get(p, p))
        out[name] = df
    # A schedule's baseline curve wins for its project; the workbook's fills the others.
    own_curve = set(frames["baseline"]["project_id"].dropna().astype(str))
    if own_curve:
        wb_curve = out["baseline"][~out["baseline"]["project_id"].isin(own_curve)]
        parts = [p for p in (frames["baseline"], wb_curve) if len(p)]
        out["baseline"] = pd.concat(parts, ignore_index=True)
    for name in ("allocations", "milestones", "status_reports"):
        df = portfolio.frames[name]
        own = df[df["project_id"].astype(str).isin(unmatched)]
        if len(own):
            out[name] = pd.concat([frames[name], own], ignore_index=True)
    if len(portfolio.frames["resources"]):
        out["resources"] = _merge_resources(
            pd.concat([portfolio.frames["resources"], frames["resources"]], ignore_index=True),
            issues,
        )
    return out
