"""What a header means: the canonical column of a table it names, by the template's
French or English synonyms (:mod:`pmo_core.schema`), without its unit (``Budget (k€)``),
or by meaning (filler words such as "stratégique", "total", "du projet", "prévu" and
bracketed parts dropped: ``Objectif stratégique``, ``Charge (h)``); for a header that
means nothing known, the column it most resembles (:func:`did_you_mean`); and a column's
template label in both languages (:func:`column_label`) for messages and the editor.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from pmo_core import schema
from pmo_core.ingest import template
from pmo_core.ingest import values as iv
from pmo_core.ingest.issues import Localised


@functools.cache
def _header_index(table: str) -> dict[str, str]:
    """Normalised header -> canonical column of a table (the first column wins, as in
    :meth:`pmo_core.schema.Table.match_header`)."""
    out: dict[str, str] = {}
    for c in schema.ALL_SHEETS[table].columns:
        for k in c.keys:
            out.setdefault(k, c.name)
    return out


@functools.lru_cache(maxsize=2**16)
def label_key(text: object) -> str:
    """:func:`pmo_core.schema.normalise_label`, once per distinct cell of the heads."""
    return schema.normalise_label(text)


@functools.lru_cache(maxsize=2**16)
def _bare_label(text: object) -> str:
    """The label of a header without its unit (``Budget (k€)`` -> ``budget``)."""
    return schema.normalise_label(iv.header_unit(text).label)


#: Words that qualify a header without changing what it means ("Objectif stratégique",
#: "Budget total du projet", "Charge (h)"), normalised; dropped to match by meaning.
FILLER_WORDS = frozenset(
    {
        "strategique", "strategiques", "strategic", "total", "totale", "totaux", "totals",
        "du", "de", "des", "d", "la", "le", "les", "l", "the", "of", "projet", "project",
        "prevu", "prevue", "prevus", "prevues", "en", "in",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=2**16)
def meaning_key(text: object) -> str:
    """A header reduced to what it means: its unit and any bracketed part dropped, then
    its filler words (:data:`FILLER_WORDS`), accents, case and punctuation.

    Examples:
        >>> meaning_key("Objectif stratégique"), meaning_key("Charge (h)")
        ('objectif', 'charge')
        >>> meaning_key("Budget total du projet (k€)")
        'budget'
    """
    label = re.sub(r"[(\[][^)\]]*[)\]]", " ", iv.header_unit(text).label)
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()
    return "".join(w for w in re.findall(r"[a-z0-9]+", folded) if w not in FILLER_WORDS)


@functools.cache
def _meaning_index(table: str) -> dict[str, str]:
    """Meaning key -> canonical column, for the keys that only one column has (``Fin
    prévue`` and ``Fin`` both reduce to ``fin``: such a key decides nothing)."""
    seen: dict[str, set[str]] = {}
    for c in schema.ALL_SHEETS[table].columns:
        for s in (c.name.replace("_", " "), *c.synonyms):
            key = meaning_key(s)
            if key:
                seen.setdefault(key, set()).add(c.name)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _canonical(table: str, header: object) -> str | None:
    """The canonical column a header means: as written, else without its unit, else by
    meaning (filler words and brackets dropped)."""
    index = _header_index(table)
    found = index.get(label_key(header)) or index.get(_bare_label(header))
    if found is None:
        found = _meaning_index(table).get(meaning_key(header))
    return found


def canonical_column(table: str, header: object) -> str | None:
    """The canonical column of ``table`` a header means (exact synonym, unit stripped,
    or by meaning), or None.

    Examples:
        >>> canonical_column("objectives", "Objectif stratégique")
        'name'
        >>> canonical_column("projects", "Budget (k€)"), canonical_column("allocations", "Charge (h)")
        ('budget', 'hours')
    """
    return _canonical(table, header)


def did_you_mean(table: str, header: object) -> str | None:
    """The canonical column an unknown header most resembles (difflib over every
    synonym's key, at least 0.6 alike), or None when nothing is close.

    Examples:
        >>> did_you_mean("projects", "Cout reel total HT")
        'actual_cost'
        >>> did_you_mean("projects", "Zzz") is None
        True
    """
    key = meaning_key(header) or label_key(header)
    if not key:
        return None
    candidates = {**_header_index(table), **_meaning_index(table)}
    best: tuple[float, str] | None = None
    for k, col in candidates.items():
        score = difflib.SequenceMatcher(None, key, k).ratio()
        if best is None or score > best[0]:
            best = (score, col)
    return best[1] if best is not None and best[0] >= 0.6 else None


def column_label(table: str, column: str) -> Localised:
    """A canonical column as the template writes it, in both languages."""
    labels = template.LABELS.get(table, {}).get(column)
    return Localised(*labels) if labels else Localised(column, column)
