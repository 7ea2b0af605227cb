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
(millions into units: a number, or a unit such as ``"k€"`` or ``"£m"``; it replaces a unit
the header may carry); ``decimal`` gives a column's decimal separator (``","`` or ``"."``)
when its cells cannot tell (``12,500``). ``headers`` are the source headers that identify
the export, so a saved profile can be proposed when the same file comes back.

Examples:
    >>> matches({"headers": ["A", "b c"]}, ["x", "a", "B-C"])
    True
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_core.errors import UsageError
from pmo_core.ingest import template
from pmo_core.ingest.headers import canonical_column
from pmo_core.ingest.issues import Issue, Localised, warn
from pmo_core.ingest.values import header_unit, parse_amount_text
from pmo_core.schema import ALL_SHEETS, TABLES, normalise_label

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "mappings"
#: Header overlap (Jaccard) from which a saved profile is proposed for a file.
MIN_OVERLAP = 0.8


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
            raise UsageError(
                f"Mapping profile: unknown table {name!r}. Valid tables: {', '.join(TABLES)}."
            )
        for key in ("columns", "defaults", "values", "scale", "decimal", "join", "dates"):
            unknown = set(spec.get(key, {})) - set(TABLES[name].column_names)
            if unknown:
                where = name if key == "columns" else f"{name}.{key}"
                raise UsageError(
                    f"Mapping profile: unknown columns {sorted(unknown)} in {where}. "
                    f"Valid columns: {', '.join(TABLES[name].column_names)}."
                )
        for col, sep in spec.get("join", {}).items():
            if not isinstance(sep, str) or not isinstance(spec.get("columns", {}).get(col), list):
                raise UsageError(
                    f"Mapping profile: join {col} needs a separator text and a list of source "
                    f'headers in columns (e.g. "{col}": ["School", "Phase"]).'
                )
        for col, order in spec.get("dates", {}).items():
            if order not in DATE_ORDERS or TABLES[name].column(col).dtype not in ("date", "month"):
                raise UsageError(
                    f"Mapping profile: dates {col} is a date column read 'dmy' (31/12/2026) "
                    f"or 'mdy' (12/31/2026), not {order!r}."
                )
        for col, sep in spec.get("decimal", {}).items():
            if sep not in (",", "."):
                raise UsageError(
                    f"Mapping profile: the decimal separator of {col} is ',' or '.', not {sep!r}."
                )
        for col, factor in spec.get("scale", {}).items():
            scale_factor(factor, col)
    relax = profile.get("relax", [])
    unknown = set(relax) - set(RULES) if isinstance(relax, list) else {str(relax)}
    if unknown:
        raise UsageError(
            f"Mapping profile: unknown rules {sorted(unknown)} in relax. "
            f"Valid rules: {', '.join(RULES)}."
        )
    return profile


#: The rules a profile may turn into warnings (``"relax": [...]``): name -> the start of
#: the rule's message (:mod:`pmo_core.ingest.rules`). The rows are imported as they are.
RULES: dict[str, str] = {
    "end_before_start": "End date before start date",
    "negative_amount": "Negative amount",
    "percent_range": "Percent complete must be between",
    "unknown_project": "Unknown project",
    "unknown_objective": "Unknown objective",
    "unknown_resource": "Unknown resource",
}
#: Each rule as a user reads it, in both languages.
RULE_LABELS: dict[str, Localised] = {
    "end_before_start": Localised(
        "end date before start date", "date de fin antérieure à la date de début"
    ),
    "negative_amount": Localised("negative amount", "montant négatif"),
    "percent_range": Localised("percent complete outside 0-100", "avancement hors de 0 à 100"),
    "unknown_project": Localised("unknown project", "projet inconnu"),
    "unknown_objective": Localised("unknown objective", "objectif inconnu"),
    "unknown_resource": Localised("unknown resource", "ressource inconnue"),
}
#: How a profile says a date column writes its dates (``"dates": {"start_date": "mdy"}``).
DATE_ORDERS = ("dmy", "mdy")


def relax_issues(issues: list[Issue], profile: dict[str, Any] | None) -> list[Issue]:
    """The issues with the errors of the profile's relaxed rules made warnings, and one
    warning per relaxed rule that says how many rows it let through.

    Examples:
        >>> from pmo_core.ingest.issues import err
        >>> out = relax_issues([err("P", 3, "Fin", "2020", "End date before start date: x")],
        ...                    {"name": "X", "relax": ["end_before_start"]})
        >>> [(i.severity, i.row) for i in out]
        [('warning', 3), ('warning', None)]
    """
    relaxed = [r for r in (profile or {}).get("relax", []) if r in RULES]
    if not relaxed:
        return issues
    out: list[Issue] = []
    counts = dict.fromkeys(relaxed, 0)
    for i in issues:
        rule = next(
            (r for r in relaxed if i.severity == "error" and i.template.startswith(RULES[r])),
            None,
        )
        if rule is None:
            out.append(i)
            continue
        out.append(dataclasses.replace(i, severity="warning"))
        counts[rule] += int(i.params.get("n", 1)) if i.row is None else 1
    for rule, n in counts.items():
        if n:
            out.append(
                warn(
                    None,
                    None,
                    None,
                    None,
                    'The mapping profile {profile} makes the rule "{rule}" a warning: '
                    "rows imported as they are: {n}.",
                    profile=str(profile.get("name", "")) if profile else "",
                    rule=RULE_LABELS[rule],
                    n=n,
                )
            )
    return out


def scale_factor(scale: Any, column: str = "") -> float:
    """A profile's ``scale`` for a column as a factor: a positive number, or a unit as a
    header would write it (``"k€"``, ``"£m"``, ``"en milliers"``).

    Examples:
        >>> scale_factor(1000000), scale_factor("k€"), scale_factor("£m")
        (1000000.0, 1000.0, 1000000.0)
    """
    if isinstance(scale, int | float) and not isinstance(scale, bool) and scale > 0:
        return float(scale)
    if isinstance(scale, str):
        unit = header_unit(scale if "(" in scale else f"x ({scale})")
        if unit.factor != 1 or normalise_label(scale) in ("", "1"):
            return unit.factor
    raise UsageError(
        f"Mapping profile: the scale of {column or 'a column'} is a positive number or a "
        f"unit such as 'k€' or '£m', not {scale!r}."
    )


def matches(profile: dict[str, Any], headers: list[str]) -> bool:
    """True when every identifying header of the profile is among ``headers``."""
    have = {normalise_label(h) for h in headers}
    want = {normalise_label(h) for h in profile.get("headers", [])}
    return bool(want) and want <= have


def header_overlap(a: list[Any], b: list[Any]) -> float:
    """Jaccard overlap of two header lists, normalised (0: nothing shared, 1: the same).

    Examples:
        >>> header_overlap(["Code", "Nom", "Coût"], ["code", "NOM", "Cout", "Pilote"])
        0.75
    """
    sa = {normalise_label(h) for h in a} - {""}
    sb = {normalise_label(h) for h in b} - {""}
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def suggest_profile(
    headers: list[str], profiles: list[dict[str, Any]], *, min_overlap: float = MIN_OVERLAP
) -> dict[str, Any] | None:
    """The profile (saved or shipped) to read a file with these headers, or None.

    A profile whose identifying headers are all among ``headers`` wins at once (shipped
    profiles list a few); otherwise the profile whose headers overlap most with the
    file's, when that Jaccard overlap is at least ``min_overlap`` (a saved profile lists
    every header of the file it was made on, so a renamed or added column still matches).

    Examples:
        >>> saved = {"name": "Tool X", "headers": ["Ref", "Title", "Cost", "Lead", "Go-live"]}
        >>> suggest_profile(["ref", "title", "cost", "lead", "go live"], [saved])["name"]
        'Tool X'
        >>> suggest_profile(["ref", "title", "cost", "owner", "end"], [saved]) is None
        True
    """
    have = {normalise_label(h) for h in headers}  # once, not once per profile
    for p in profiles:
        want = {normalise_label(h) for h in p.get("headers", [])}
        if want and want <= have:
            return p
    have.discard("")
    scored = []
    for i, p in enumerate(profiles):
        want = {normalise_label(h) for h in p.get("headers", [])} - {""}
        scored.append((len(have & want) / len(have | want) if have | want else 0.0, i))
    best = max(scored, default=(0.0, -1))
    return profiles[best[1]] if best[0] >= min_overlap else None


def matching_profiles(headers: list[str], profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every profile whose identifying headers are all among ``headers`` (in order).

    Examples:
        >>> a, b = {"name": "A", "headers": ["x", "y"]}, {"name": "B", "headers": ["X"]}
        >>> [p["name"] for p in matching_profiles(["x", "y", "z"], [a, b])]
        ['A', 'B']
    """
    have = {normalise_label(h) for h in headers}
    return [
        p
        for p in profiles
        if (want := {normalise_label(h) for h in p.get("headers", [])}) and want <= have
    ]


def unused_values(df: pd.DataFrame, headers: list[Any], spec: dict[str, Any]) -> int:
    """How many words of the spec's value maps (``"*"`` aside) no source cell holds: a
    profile whose lists fit the file leaves none (GMPP 2022's three ratings read by the
    2021 profile leave Amber/Green and Amber/Red)."""
    positions: dict[str, list[int]] = {}
    for j, h in enumerate(headers):
        if isinstance(h, str) and j < df.shape[1]:
            positions.setdefault(normalise_label(h), []).append(j)
    unused = 0
    for canon, vmap in spec.get("values", {}).items():
        src = spec.get("columns", {}).get(canon, [])
        seen: set[str] = set()
        for s in [src] if isinstance(src, str) else src:
            for j in positions.get(normalise_label(s), []):
                seen |= {normalise_label(v) for v in df[j].dropna().unique()}
        unused += sum(1 for k in vmap if k != "*" and normalise_label(k) not in seen)
    return unused


#: How the columns reference names each type.
TYPE_NAMES = {
    "str": "text",
    "float": "number",
    "int": "rating 0-9 or word",
    "date": "date",
    "month": "month",
    "bool": "yes/no",
}
#: Where :func:`columns_reference` sits in ``docs/mapping-profiles.md``.
REFERENCE_MARKS = ("<!-- columns: start -->", "<!-- columns: end -->")


def columns_reference() -> str:
    """Markdown listing every canonical table and column a profile may name, with the
    template's English and French labels, its type and whether a row needs it (generated
    from :mod:`pmo_core.schema` and the template; ``docs/mapping-profiles.md`` holds it
    and a test checks it is up to date).

    Examples:
        >>> print(columns_reference().splitlines()[4])
        | `project_id` | Project ID | Code projet | text | yes |
    """
    out: list[str] = []
    for name, table in TABLES.items():
        out += [
            f"### `{name}` ({table.sheet_en} / {table.sheet_fr})",
            "",
            "| column | English label | French label | type | required |",
            "|---|---|---|---|---|",
        ]
        for c in table.columns:
            en, fr = template.LABELS[name][c.name]
            out.append(
                f"| `{c.name}` | {en} | {fr} | {TYPE_NAMES[c.dtype]} | "
                f"{'yes' if c.required else ''} |"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


REFERENCE_DOC = Path(__file__).resolve().parents[2] / "docs" / "mapping-profiles.md"


def with_reference(doc: str) -> str:
    """``doc`` with the text between :data:`REFERENCE_MARKS` replaced by
    :func:`columns_reference` (the marks are added at the end when absent)."""
    start, end = REFERENCE_MARKS
    block = f"{start}\n{columns_reference()}{end}"
    if start in doc and end in doc:
        return doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) :]
    return doc.rstrip() + "\n\n" + block + "\n"


def update_reference(path: Path = REFERENCE_DOC) -> bool:
    """Rewrite the columns reference of ``docs/mapping-profiles.md``; True if it changed
    (``python -c "from pmo_core.ingest import mapping; mapping.update_reference()"``)."""
    old = path.read_text(encoding="utf-8")
    new = with_reference(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


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
    """The row holding the most source headers of the spec's columns (the first of
    equals), so that a data row with one cell that happens to be a header is not taken."""
    wanted = {normalise_label(s) for s in _sources(spec)}
    best, found = 0, None
    for i in range(len(head)):
        cells = {normalise_label(c) for c in head.iloc[i].tolist() if isinstance(c, str)}
        if len(cells & wanted) > best:
            best, found = len(cells & wanted), i
    return found


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
        sep = spec.get("join", {}).get(canon)
        if sep is not None:  # the non-empty texts of every source, joined in order
            series = _joined([df[j] for j in idx], sep)
        for j in idx if sep is None else []:  # first non-empty cell wins
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


def _joined(columns: list[pd.Series], sep: str) -> pd.Series:
    """Row by row, the non-empty cells of ``columns`` as texts joined by ``sep`` (whole
    numbers without ``.0``); None where all are empty.

    Examples:
        >>> _joined([pd.Series(["M015", None]), pd.Series(["Design", "Scope"])], " - ").tolist()
        ['M015 - Design', 'Scope']
    """

    def text(v: Any) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    parts = [c.astype(object).map(text) for c in columns]
    rows = [sep.join(p for p in cells if p) for cells in zip(*parts, strict=True)]
    index = columns[0].index if columns else None
    return pd.Series([r or None for r in rows], index=index, dtype=object)


# ------------------------------------------------------------------------------ editor
# What the Import page's mapping editor needs: when a file's headers are not recognised,
# the page shows one row per source header with the canonical column it feeds (guessed
# from the template's synonyms, or taken from a saved profile), constant defaults and
# value maps, and builds a profile from the edited tables on every rerun.

#: Issue templates (from :mod:`pmo_core.ingest`) that mean "the headers are not known".
UNRECOGNISED = (
    "Unknown column ignored",
    "Sheet not recognised",
    "No Projects sheet found",
    "Required column missing",
)
#: The editor's choice for a source header that feeds nothing.
IGNORE = ""


def needs_mapping(issues: list[Any]) -> bool:
    """True when a validation's issues say a sheet or a column was not recognised.

    Examples:
        >>> from types import SimpleNamespace as NS
        >>> needs_mapping([NS(template="Unknown column ignored: rename it...")])
        True
        >>> needs_mapping([NS(template="Budget missing: cost KPIs will be n/a...")])
        False
    """
    return any(str(i.template).startswith(UNRECOGNISED) for i in issues)


def guess_header_row(head: pd.DataFrame) -> int:
    """The header row of a sheet nobody described: the first row with the most text cells
    (title rows above it hold one or two cells)."""
    counts: list[int] = [
        len([c for c in head.iloc[i].tolist() if isinstance(c, str) and c.strip()])
        for i in range(len(head))
    ]
    best = max(counts, default=0)
    return counts.index(best) if best else 0


def canonical_choices(table: str = "projects") -> list[str]:
    """The editor's options for a source header: nothing, or a canonical column."""
    return [IGNORE, *TABLES[table].column_names]


def editor_rows(
    headers: list[str], table: str = "projects", profile: dict[str, Any] | None = None
) -> pd.DataFrame:
    """One row per source header with the canonical column it feeds.

    The column comes from ``profile`` when one is given for this table (a header it leaves
    out feeds nothing), else from the template's synonyms
    (:meth:`pmo_core.schema.Table.match_header`).

    Examples:
        >>> editor_rows(["Code projet", "Pilote", "Enveloppe"]).to_dict("list")
        {'source': ['Code projet', 'Pilote', 'Enveloppe'], 'column': ['project_id', '', '']}
    """
    known: dict[str, str] = {}
    spec = (profile or {}).get("tables", {}).get(table, {})
    for canon, src in spec.get("columns", {}).items():
        for s in [src] if isinstance(src, str) else src:
            known.setdefault(normalise_label(s), canon)
    if spec:  # the saved choices, a header left out included
        cols = [known.get(normalise_label(h), IGNORE) for h in headers]
    else:  # as the import reads them: synonyms, units stripped, by meaning
        cols = [canonical_column(table, h) or IGNORE for h in headers]
    return pd.DataFrame({"source": list(headers), "column": cols}, dtype=object)


def defaults_rows(profile: dict[str, Any] | None, table: str = "projects") -> pd.DataFrame:
    """The profile's constant defaults as editor rows (column, value)."""
    spec = (profile or {}).get("tables", {}).get(table, {})
    items = list(spec.get("defaults", {}).items())
    return pd.DataFrame(
        {"column": [k for k, _ in items], "value": [str(v) for _, v in items]}, dtype=object
    )


def values_rows(profile: dict[str, Any] | None, table: str = "projects") -> pd.DataFrame:
    """The profile's value maps as editor rows (column, source value, value)."""
    spec = (profile or {}).get("tables", {}).get(table, {})
    rows = [
        (col, src, "" if dst is None else str(dst))
        for col, vmap in spec.get("values", {}).items()
        for src, dst in vmap.items()
    ]
    return pd.DataFrame(rows, columns=["column", "source", "value"], dtype=object)


def amounts_rows(profile: dict[str, Any] | None, table: str = "projects") -> pd.DataFrame:
    """The profile's per-column unit (``scale``) and decimal separator as editor rows
    (column, scale, decimal), for the columns that have either."""
    spec = (profile or {}).get("tables", {}).get(table, {})
    scale, decimal = spec.get("scale", {}), spec.get("decimal", {})
    cols = [c for c in TABLES[table].column_names if c in scale or c in decimal]
    return pd.DataFrame(
        {
            "column": cols,
            "scale": [str(scale.get(c, "")) for c in cols],
            "decimal": [str(decimal.get(c, "")) for c in cols],
        },
        dtype=object,
    )


#: Number columns read as fractions or percentages: no unit, no scale of their own.
PERCENT_COLUMNS = frozenset(
    {("projects", "percent_complete"), ("status_reports", "percent_complete")}
)
#: The editor's choices of unit, as factors (``""``: as the header says).
SCALES = ("", "1", "1000", "1000000", "1000000000")
#: The editor's choices of decimal separator (``""``: decided from the file).
DECIMALS = ("", ",", ".")


def amount_columns(table: str = "projects") -> list[str]:
    """The number columns of ``table`` whose header may carry a unit (``k€``, ``£m``...)
    and whose unit and decimal separator a profile may set: not the percentages, not the
    pairwise judgments.

    Examples:
        >>> amount_columns("baseline")
        ['planned_value', 'planned_value_period']
    """
    if table == "pairwise":
        return []
    return [
        c.name
        for c in ALL_SHEETS[table].columns
        if c.dtype == "float" and (table, c.name) not in PERCENT_COLUMNS
    ]


def _factor_text(scale: Any) -> str:
    """A profile's scale as the editor's choice: its factor written plainly (``"k€"`` ->
    ``"1000"``), or the text as it is when it is no scale."""
    try:
        factor = scale_factor(scale)
    except UsageError:
        return _text(scale)
    return str(int(factor)) if factor.is_integer() else repr(factor)


def amounts_editor_rows(
    columns: pd.DataFrame, table: str = "projects", profile: dict[str, Any] | None = None
) -> pd.DataFrame:
    """One editor row (column, scale, decimal) per number column the mapping feeds, in
    the table's order, with the profile's unit (as a factor, see :data:`SCALES`) and
    decimal separator, empty where the profile leaves them to the import.

    Examples:
        >>> cols = pd.DataFrame({"source": ["Ref", "Montant (k€)"],
        ...                      "column": ["project_id", "budget"]})
        >>> prof = {"tables": {"projects": {"scale": {"budget": "k€"}}}}
        >>> amounts_editor_rows(cols, "projects", prof).to_dict("list")
        {'column': ['budget'], 'scale': ['1000'], 'decimal': ['']}
    """
    fed = {_text(c) for c in columns["column"]}
    given = amounts_rows(profile, table).set_index("column")
    cols = [c for c in amount_columns(table) if c in fed]
    return pd.DataFrame(
        {
            "column": cols,
            "scale": [
                _factor_text(given.at[c, "scale"])
                if c in given.index and given.at[c, "scale"]
                else ""
                for c in cols
            ],
            "decimal": [str(given.at[c, "decimal"]) if c in given.index else "" for c in cols],
        },
        dtype=object,
    )


def _text(v: Any) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()


def profile_from_editor(
    name: str,
    headers: list[str],
    columns: pd.DataFrame,
    *,
    table: str = "projects",
    sheet: str = "*",
    defaults: pd.DataFrame | None = None,
    values: pd.DataFrame | None = None,
    amounts: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """A checked mapping profile from the editor's tables.

    Args:
        name: the profile's name, shown in messages and in the list of saved profiles.
        headers: every source header of the file (kept to recognise the file next time).
        columns: rows (source, column); several sources for one column are coalesced in
            the order given (the first non-empty cell wins); an empty column ignores it.
        table: the canonical table the sheet feeds.
        sheet: the sheet to read (``"*"``: any).
        defaults: rows (column, value): constant values for empty or absent columns.
        values: rows (column, source, value): source text -> value (``*``: any other
            text; an empty value means "no value").
        amounts: rows (column, scale, decimal): a number column's unit (a factor such as
            ``1000000`` or a unit such as ``k€``) and decimal separator (``,`` or ``.``),
            either left empty to let the import decide.

    Raises:
        UsageError: a column is not a column of ``table``, or no column is mapped.

    Examples:
        >>> rows = pd.DataFrame({"source": ["Ref", "Titre", "Titre 2"],
        ...                      "column": ["project_id", "name", "name"]})
        >>> p = profile_from_editor("Outil X", ["Ref", "Titre", "Titre 2"], rows,
        ...     defaults=pd.DataFrame({"column": ["status"], "value": ["approved"]}))
        >>> p["tables"]["projects"]["columns"], p["tables"]["projects"]["defaults"]
        ({'project_id': 'Ref', 'name': ['Titre', 'Titre 2']}, {'status': 'approved'})
    """
    mapped: dict[str, list[str]] = {}
    for src, col in zip(columns["source"], columns["column"], strict=True):
        if _text(col) and _text(src):
            mapped.setdefault(_text(col), []).append(_text(src))
    if not mapped:
        raise UsageError("Map at least one column of the file to a column of the table.")
    spec: dict[str, Any] = {
        "sheet": sheet or "*",
        "columns": {k: v[0] if len(v) == 1 else v for k, v in mapped.items()},
    }
    if defaults is not None and len(defaults):
        given = {
            _text(c): _text(v)
            for c, v in zip(defaults["column"], defaults["value"], strict=True)
            if _text(c) and _text(v)
        }
        if given:
            spec["defaults"] = given
    if values is not None and len(values):
        vmaps: dict[str, dict[str, Any]] = {}
        for c, src, dst in zip(values["column"], values["source"], values["value"], strict=True):
            if _text(c) and _text(src):
                vmaps.setdefault(_text(c), {})[_text(src)] = _text(dst) or None
        if vmaps:
            spec["values"] = vmaps
            spec["warn_unmapped"] = [c for c, m in vmaps.items() if "*" in m]
    if amounts is not None and len(amounts):
        for c, sc, dec in zip(amounts["column"], amounts["scale"], amounts["decimal"], strict=True):
            if not _text(c):
                continue
            if _text(sc):
                factor = parse_amount_text(_text(sc), "en")  # "1 000 000", else a unit
                spec.setdefault("scale", {})[_text(c)] = _text(sc) if factor is None else factor
            if _text(dec):
                spec.setdefault("decimal", {})[_text(c)] = _text(dec)
    unknown = (set(spec.get("defaults", {})) | set(spec.get("values", {}))) - set(
        TABLES[table].column_names
    )
    if unknown:
        raise UsageError(
            f"Mapping profile: unknown columns {sorted(unknown)} in {table}. "
            f"Valid columns: {', '.join(TABLES[table].column_names)}."
        )
    profile = {
        "name": name.strip() or "Mapping profile",
        "headers": [h for h in headers if _text(h)],
        "tables": {table: spec},
    }
    return load_profile(profile)
