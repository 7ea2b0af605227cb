"""Mapping profiles: how to read an export whose headers the template does not know.

A profile is JSON (documented in ``docs/mapping-profiles.md``)::

    {"name": "UK GMPP 2022",
     "headers": ["project_number", "colour_rating", "wlc_baseline_incl_NCG"],
     "settings": {"currency": "GBP"},
     "tables": {"projects": {
         "sheet": "*",
         "columns": {"project_id": "project_number", "rag_override": ["colour_rating"]},
         "defaults": {"status": "in_progress"},
         "values": {"rag_override": {"Amber": "A", "*": null}},
         "warn_unmapped": ["rag_override"],
         "scale": {"budget": 1000000}}}}

``columns`` maps a canonical column to one source header or a list of them; every column
of the file whose header is listed is read, and the first non-empty cell wins (duplicate
headers such as ``colour_rating`` twice are coalesced). ``values`` rewrites cells before
they are read (``"*"`` for any other non-empty text); ``warn_unmapped`` lists columns whose
unmapped texts become a warning instead of an error; ``scale`` multiplies numbers
(millions into units). ``headers`` are the source headers that identify the export, so a
saved profile can be proposed when the same file comes back.

Examples:
    >>> matches({"headers": ["A", "b c"]}, ["x", "a", "B-C"])
    True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core.errors import UsageError
from pmo_core.schema import TABLES, normalise_label

MAPPINGS_DIR = Path(__file__).resolve().parents[1] / "data" / "mappings"


def load_profile(source: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A profile from a dict or a JSON file, checked against the canonical tables."""
    profile: dict[str, Any]
    if isinstance(source, dict):
        profile = source
    else:
        try:
            profile = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"Cannot read the mapping profile {source}: {exc}") from exc
    tables = profile.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise UsageError("A mapping profile needs a 'tables' object (canonical table -> spec).")
    for name, spec in tables.items():
        if name not in TABLES:
            raise UsageError(f"Mapping profile: unknown table {name!r}.")
        unknown = set(spec.get("columns", {})) - set(TABLES[name].column_names)
        if unknown:
            raise UsageError(f"Mapping profile: unknown columns {sorted(unknown)} in {name}.")
    return profile


def matches(profile: dict[str, Any], headers: list[str]) -> bool:
    """True when every identifying header of the profile is among ``headers``."""
    have = {normalise_label(h) for h in headers}
    want = {normalise_label(h) for h in profile.get("headers", [])}
    return bool(want) and want <= have


def suggest_profile(headers: list[str], profiles: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first profile (saved or shipped) whose identifying headers the file has."""
    return next((p for p in profiles if matches(p, headers)), None)


def shipped_profiles() -> list[dict[str, Any]]:
    """The profiles shipped in ``data/mappings/``."""
    return [load_profile(p) for p in sorted(MAPPINGS_DIR.glob("*.json"))]


def table_for_sheet(profile: dict[str, Any], sheet: str) -> str | None:
    """The canonical table a profile reads from this sheet (``"*"`` matches any)."""
    for name, spec in profile["tables"].items():
        wanted = spec.get("sheet", "*")
        if wanted == "*" or normalise_label(wanted) == normalise_label(sheet):
            return str(name)
    return None


def header_row(head: pd.DataFrame, spec: dict[str, Any]) -> int | None:
    """The first row holding a source header of the spec's columns."""
    wanted = {normalise_label(s) for s in _sources(spec)}
    for i in range(len(head)):
        cells = {normalise_label(c) for c in head.iloc[i].tolist() if isinstance(c, str)}
        if cells & wanted:
            return i
    return None


def _sources(spec: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for src in spec.get("columns", {}).values():
        out.extend([src] if isinstance(src, str) else src)
    return out


def select_columns(
    df: pd.DataFrame, headers: list[Any], spec: dict[str, Any]
) -> tuple[dict[str, pd.Series], dict[str, str], dict[str, pd.Series]]:
    """Raw cells per canonical column (coalesced, values mapped, defaults filled), the
    header as written for each, and per column the cells that a value map could not map."""
    positions: dict[str, list[int]] = {}
    for j, h in enumerate(headers):
        if isinstance(h, str) and j < df.shape[1]:
            positions.setdefault(normalise_label(h), []).append(j)
    cols: dict[str, pd.Series] = {}
    written: dict[str, str] = {}
    unmapped: dict[str, pd.Series] = {}
    for canon, src in spec.get("columns", {}).items():
        idx = [
            j
            for s in ([src] if isinstance(src, str) else src)
            for j in positions.get(normalise_label(s), [])
        ]
        if not idx:
            continue
        series = pd.Series([None] * len(df), index=df.index, dtype=object)
        for j in idx:  # first non-empty cell wins
            cell = df[j].astype(object).where(df[j].notna(), None)
            text = cell.map(lambda v: str(v).strip() if v is not None else "")
            series = series.where(series.notna(), cell.where(text != "", None))
        written[canon] = str(headers[idx[0]])
        vmap = spec.get("values", {}).get(canon)
        if vmap:
            keyed = {normalise_label(k): v for k, v in vmap.items() if k != "*"}
            norm = series.map(lambda v: normalise_label(v) if v is not None else "")
            known = norm.isin(list(keyed))
            mapped = norm.map(keyed)
            other = series.notna() & ~known
            if "*" in vmap:
                unmapped[canon] = series.where(other)
                mapped = mapped.where(known, vmap["*"])
            series = mapped.where(known | other & ("*" in vmap), series)
        cols[canon] = series
    for canon, value in spec.get("defaults", {}).items():
        if canon not in cols:
            cols[canon] = pd.Series([value] * len(df), index=df.index, dtype=object)
            written[canon] = canon
        else:
            cols[canon] = cols[canon].where(cols[canon].notna(), value)
    return cols, written, unmapped
