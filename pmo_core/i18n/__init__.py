"""Translation and number/date formatting for French and English.

Every text a user reads goes through :func:`t`. Keys are the English text (gettext
style), with ``{name}`` placeholders filled by keyword arguments. French translations
live in the modules ``pmo_core/i18n/fr_*.py``, one per area, each defining a dict ``FR``;
they are merged here, so that work on different areas never edits the same file.
A key with no French entry falls back to English (and a test lists such keys).

Formatting follows GLOSSARY: French ``1 234,5`` (narrow no-break space U+202F as the
thousands separator), ``45 %`` (no-break space), ``15/11/2026``, ``nov. 2026``,
``12,4 M€``; English ``1,234.5``, ``45%``, ``15 Nov 2026``, ``€12.4M``.

Examples:
    >>> t("Projects", "fr")
    'Projets'
    >>> fmt_number(1234.5, "fr", 1)
    '1\\u202f234,5'
    >>> fmt_money(12_400_000, "en", compact=True)
    '€12.4M'
    >>> fmt_money(12_400_000, "fr", compact=True)
    '12,4\\xa0M€'
    >>> fmt_money(3_000_000, "fr", compact=True), fmt_money(2_960_000, "en", compact=True)
    ('3\\xa0M€', '€3M')
    >>> fmt_pct(45, "fr")
    '45\\xa0%'
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

LANGS: tuple[str, ...] = ("fr", "en")
DEFAULT_LANG = "fr"
NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before % and units in French

CURRENCY_SYMBOLS: dict[str, str] = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}

MONTHS_FR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _load_catalogue() -> dict[str, str]:
    merged: dict[str, str] = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("fr_"):
            merged.update(importlib.import_module(f"{__name__}.{mod.name}").FR)
    return merged


FR: dict[str, str] = _load_catalogue()
#: English display texts for codes used as keys (statuses, severities).
EN: dict[str, str] = {
    "proposed": "Proposed",
    "approved": "Approved",
    "in_progress": "In progress",
    "on_hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "time_limit": "Best found (time limit)",
    "optimal": "Optimal",
    "infeasible": "Infeasible",
    "imported": "Imported from Project Server",
    "error": "Error",
    "warning": "Warning",
}


def norm_lang(lang: str | None) -> str:
    """``fr`` or ``en`` from anything (``fr-FR``, ``EN``, None -> default)."""
    if not lang:
        return DEFAULT_LANG
    code = str(lang)[:2].lower()
    return code if code in LANGS else DEFAULT_LANG


#: A plural mark glued to a word: ``projet(s)``, ``nouveau(x)``, ``décalé(s)``.
_PLURAL_MARK = re.compile(r"(?<=\w)\((s|x|es)\)")


def plural_count(n: object) -> float | None:
    """The count a ``{n}`` parameter holds (an int, or a formatted ``1 234``), else None."""
    if isinstance(n, bool):
        return None
    if isinstance(n, int | float):
        return None if is_missing(n) else float(n)
    if isinstance(n, str):
        digits = re.sub(r"[\s\u202f\u00a0,.]", "", n)
        return float(digits) if re.fullmatch(r"-?\d+", digits) else None
    try:
        return float(n)  # type: ignore[arg-type]  # numpy integers
    except (TypeError, ValueError):
        return None


def resolve_plurals(text: str, n: object, lang: str | None = DEFAULT_LANG) -> str:
    """``projet(s)`` -> ``projet`` or ``projets`` for the count ``n``: French takes the
    singular for 0 and 1, English for 1 only. Unchanged when ``n`` is not a count.

    >>> resolve_plurals("{n} projet(s) ajouté(s)", 1, "fr")
    '{n} projet ajouté'
    >>> resolve_plurals("{n} nouveau(x) risque(s)", 3, "fr")
    '{n} nouveaux risques'
    >>> resolve_plurals("{n} project(s)", 0, "en")
    '{n} projects'
    """
    count = plural_count(n)
    if count is None:
        return text
    many = abs(count) >= 2 if norm_lang(lang) == "fr" else abs(count) != 1
    return _PLURAL_MARK.sub(lambda m: m.group(1) if many else "", text)


def t(text: str, lang: str | None = DEFAULT_LANG, **params: Any) -> str:
    """Translate an English text into ``lang`` and fill its ``{placeholders}``; a
    ``(s)`` plural mark takes the number of the ``n`` parameter (``3 projets``)."""
    out = FR.get(text, text) if norm_lang(lang) == "fr" else EN.get(text, text)
    if "n" in params and "(" in out:
        out = resolve_plurals(out, params["n"], lang)
    return out.format(**params) if params else out


def is_missing(x: object) -> bool:
    """True for None, NaN, NaT, pd.NA and infinities (shown as n/a)."""
    if x is None:
        return True
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    if isinstance(x, float):
        return math.isnan(x) or math.isinf(x)
    try:
        return bool(x != x)  # NaN-like scalars (numpy)
    except (TypeError, ValueError):
        return False


def na(lang: str | None = DEFAULT_LANG) -> str:
    """The text shown for an undefined number."""
    return "n/d" if norm_lang(lang) == "fr" else "n/a"


def fmt_number(x: object, lang: str | None = DEFAULT_LANG, decimals: int = 0) -> str:
    """A number with the language's separators; n/a when undefined."""
    if is_missing(x):
        return na(lang)
    s = f"{float(x):,.{decimals}f}"  # type: ignore[arg-type]
    if norm_lang(lang) == "fr":
        s = s.replace(",", NNBSP).replace(".", ",")
    return s


def fmt_pct(
    x: object, lang: str | None = DEFAULT_LANG, decimals: int = 0, ratio: bool = False
) -> str:
    """A percentage: ``x`` in 0-100 (or a ratio 0-1 with ``ratio=True``)."""
    if is_missing(x):
        return na(lang)
    v = float(x) * (100 if ratio else 1)  # type: ignore[arg-type]
    num = fmt_number(v, lang, decimals)
    return f"{num}{NBSP}%" if norm_lang(lang) == "fr" else f"{num}%"


def fmt_ratio(x: object, lang: str | None = DEFAULT_LANG, decimals: int = 2) -> str:
    """An index such as SPI or CPI: ``0,93`` / ``0.93``."""
    return fmt_number(x, lang, decimals)


def fmt_money(
    x: object,
    lang: str | None = DEFAULT_LANG,
    currency: str = "EUR",
    compact: bool = False,
    decimals: int | None = None,
) -> str:
    """Money: ``1 234 €`` / ``€1,234``; compact ``12,4 M€`` / ``€12.4M``, ``850 k€``."""
    if is_missing(x):
        return na(lang)
    v = float(x)  # type: ignore[arg-type]
    sym = CURRENCY_SYMBOLS.get(currency, currency)
    suffix = ""
    if compact:
        a = abs(v)
        if a >= 1e9:
            v, suffix = v / 1e9, ("G" if norm_lang(lang) == "fr" else "B")
        elif a >= 1e6:
            v, suffix = v / 1e6, "M"
        elif a >= 1e3:
            v, suffix = v / 1e3, "k"
        if decimals is None:
            decimals = 0 if (not suffix or abs(v) >= 100) else 1
            if decimals and round(v, 1) == round(v):  # 3 M€, not 3,0 M€
                decimals = 0
    num = fmt_number(v, lang, 0 if decimals is None else decimals)
    if norm_lang(lang) == "fr":
        return f"{num}{NBSP}{suffix}{sym}"
    if num.startswith("-"):
        return f"-{sym}{num[1:]}{suffix}"
    return f"{sym}{num}{suffix}"


def _as_date(x: object) -> date | None:
    if is_missing(x):
        return None
    if isinstance(x, datetime):
        return x.date()
    if isinstance(x, date):
        return x
    if hasattr(x, "to_pydatetime"):
        return x.to_pydatetime().date()  # type: ignore[no-any-return, attr-defined]
    try:
        import pandas as pd

        return pd.Timestamp(x).date()  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None


def fmt_date(x: object, lang: str | None = DEFAULT_LANG) -> str:
    """``15/11/2026`` / ``15 Nov 2026``; n/a when missing."""
    d = _as_date(x)
    if d is None:
        return na(lang)
    if norm_lang(lang) == "fr":
        return d.strftime("%d/%m/%Y")
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def fmt_datetime(x: object, lang: str | None = DEFAULT_LANG, seconds: bool = False) -> str:
    """A moment, as :func:`fmt_date` with the time: ``15/11/2026 14:03`` /
    ``15 Nov 2026 14:03`` (``:05`` with ``seconds``); n/a when missing.

    >>> fmt_datetime(datetime(2026, 11, 5, 9, 3, 7), "en", seconds=True)
    '5 Nov 2026 09:03:07'
    >>> fmt_datetime(datetime(2026, 11, 5, 9, 3, 7), "fr")
    '05/11/2026 09:03'
    """
    if is_missing(x) or not isinstance(x, datetime):
        return fmt_date(x, lang)  # a date without its time, or n/a
    return f"{fmt_date(x, lang)} {x.strftime('%H:%M:%S' if seconds else '%H:%M')}"


def fmt_dates(values: Iterable[object], lang: str | None = DEFAULT_LANG) -> list[str]:
    """:func:`fmt_date` of many values, each distinct date formatted once (a chart's
    10,000 milestones share a few hundred dates).

    >>> fmt_dates(["2026-11-15", "2026-11-15", None], "fr")
    ['15/11/2026', '15/11/2026', 'n/d']
    """
    seen: dict[object, str] = {}
    out = []
    for v in values:
        key = None if is_missing(v) else v
        if key not in seen:
            seen[key] = fmt_date(key, lang)
        out.append(seen[key])
    return out


def fmt_month(x: object, lang: str | None = DEFAULT_LANG) -> str:
    """``nov. 2026`` / ``Nov 2026``."""
    d = _as_date(x)
    if d is None:
        return na(lang)
    names = MONTHS_FR if norm_lang(lang) == "fr" else MONTHS_EN
    return f"{names[d.month - 1]} {d.year}"


def fmt_judgment(x: object, lang: str | None = DEFAULT_LANG) -> str:
    """A pairwise judgment as a committee writes it on Saaty's scale: ``3``, ``1/3``
    (not ``0.333``), else the number with 2 decimals.

    >>> fmt_judgment(1 / 3), fmt_judgment(3.0), fmt_judgment(0.4, "fr"), fmt_judgment(2.5, "en")
    ('1/3', '3', '0,40', '2.50')
    """
    if is_missing(x):
        return na(lang)
    v = float(x)  # type: ignore[arg-type]
    if v <= 0:
        return fmt_number(v, lang, 2)
    k = v if v >= 1 else 1 / v
    if abs(k - round(k)) < 0.005:
        return str(round(k)) if v >= 1 else f"1/{round(k)}"
    return fmt_number(v, lang, 2)


#: A risk register's status words as imported (English, any case) -> their English text
#: key; the French is in ``fr_format``. Other words (already French, or the company's
#: own) are shown as typed.
RISK_STATUS_WORDS = {
    "open": "open (risk)",
    "closed": "closed (risk)",
    "resolved": "resolved (risk)",
    "mitigated": "mitigated (risk)",
    "monitoring": "monitored (risk)",
    "monitored": "monitored (risk)",
    "occurred": "occurred (risk)",
    "in progress": "in progress (risk)",
}


def fmt_risk_status(x: object, lang: str | None = DEFAULT_LANG) -> str:
    """A risk's status in the user's language: ``open`` -> ``ouvert`` / ``Open``.

    >>> fmt_risk_status("open", "fr"), fmt_risk_status("Closed", "en"), fmt_risk_status("Surveillé")
    ('ouvert', 'Closed', 'Surveillé')
    """
    if is_missing(x):
        return ""
    key = RISK_STATUS_WORDS.get(str(x).strip().lower())
    if key is None:
        return str(x)
    if norm_lang(lang) == "fr":
        return FR.get(key, str(x))
    word = key.removesuffix(" (risk)")
    return word[:1].upper() + word[1:]


#: A stored source name dated by the demo's history: ``demo.xlsx (2025-11-30)``.
DATED_SOURCE = re.compile(r"^(?P<name>.*) \((?P<day>\d{4}-\d{2}-\d{2})\)$", re.S)


def fmt_source(x: object, lang: str | None = DEFAULT_LANG) -> str:
    """A snapshot's stored source name as the user reads it: the ISO date the demo's
    earlier months carry in the user's format; any other name as stored, blank if none.

    >>> fmt_source("demo.xlsx (2025-11-30)", "fr"), fmt_source("demo.xlsx (2025-11-30)", "en")
    ('demo.xlsx (30/11/2025)', 'demo.xlsx (30 Nov 2025)')
    >>> fmt_source("plan (v2).xlsx", "fr"), fmt_source("x (2025-13-45)", "fr"), fmt_source(None)
    ('plan (v2).xlsx', 'x (2025-13-45)', '')
    """
    if is_missing(x):
        return ""
    m = DATED_SOURCE.match(str(x))
    if m is None:
        return str(x)
    try:
        day = date.fromisoformat(m["day"])
    except ValueError:  # not a date after all: as stored
        return str(x)
    return f"{m['name']} ({fmt_date(day, lang)})"


#: The actions the store's audit log records (``import``, ``save_<kind>``...), in words;
#: French in ``fr_auth``. An action not listed is shown as stored.
AUDIT_ACTIONS = {
    "import": "Import",
    "import_update": "Update import",
    "import_lenient": "Lenient import",
    "delete_snapshot": "Snapshot deleted",
    "save_mapping_profile": "Mapping profile saved",
    "save_scenario": "Scenario saved",
    "save_weighting": "Weighting saved",
    "save_request": "Request saved",
    "delete_mapping_profile": "Mapping profile deleted",
    "delete_scenario": "Scenario deleted",
    "delete_weighting": "Weighting deleted",
    "delete_request": "Request deleted",
    "sign_in_locked": "Sign-in locked",
}
#: What an update import records after its source name and ": "
#: (``pmo_core.ingest.pipeline.audit_entries`` writes it), stored in English ...
UPDATE_AUDIT = "from snapshot #{base}, {updated} projects updated, {added} added, {kept} kept"
#: ... and read back from the log by :func:`fmt_audit_what`.
UPDATE_WHAT = re.compile(
    r"^from snapshot #(?P<base>\d+), (?P<updated>\d+) projects updated, "
    r"(?P<added>\d+) added, (?P<kept>\d+) kept$"
)


def fmt_audit_action(x: object, lang: str | None = DEFAULT_LANG) -> str:
    """An audit entry's action in words: ``delete_snapshot`` -> ``Photo supprimée`` /
    ``Snapshot deleted``; an unknown one as stored.

    >>> fmt_audit_action("delete_snapshot", "fr"), fmt_audit_action("purge", "fr")
    ('Photo supprimée', 'purge')
    """
    if is_missing(x):
        return ""
    key = AUDIT_ACTIONS.get(str(x))
    return t(key, lang) if key else str(x)


def fmt_audit_what(action: object, x: object, lang: str | None = DEFAULT_LANG) -> str:
    """An audit entry's "what" as the user reads it: a snapshot's source name by
    :func:`fmt_source` (an import, a deletion, the source before an update's or a
    lenient import's ``:``), an update's counts in the user's language; the rest
    (a document's name, a lenient import's cell list) as stored.

    >>> fmt_audit_what("import_update", "demo.xlsx (2025-11-30): from snapshot #3, "
    ...                "5 projects updated, 1 added, 54 kept", "fr")
    'demo.xlsx (30/11/2025)\xa0: depuis la photo n°3, 5 projets mis à jour, ajoutés : 1, conservés : 54'
    """
    if is_missing(x):
        return ""
    what = str(x)
    if action in ("import", "delete_snapshot"):
        return fmt_source(what, lang)
    if action not in ("import_update", "import_lenient") or ": " not in what:
        return what
    source, rest = what.split(": ", 1)
    m = UPDATE_WHAT.match(rest) if action == "import_update" else None
    if m is not None:
        rest = t(
            "from snapshot #{base}, {n} project(s) updated, {added} added, {kept} kept",
            lang,
            base=m["base"],
            n=fmt_number(int(m["updated"]), lang),
            added=fmt_number(int(m["added"]), lang),
            kept=fmt_number(int(m["kept"]), lang),
        )
    return f"{fmt_source(source, lang)}{colon(lang)}{rest}"


def colon(lang: str | None = DEFAULT_LANG) -> str:
    """The colon between a label and its value: ``Budget : 2,6 M€`` in French (a
    no-break space before it), ``Budget: €2.6M`` in English.

    >>> "Budget" + colon("fr") + "2,6 M€"
    'Budget\xa0: 2,6 M€'
    """
    return f"{NBSP}: " if norm_lang(lang) == "fr" else ": "


#: A change that rounds to zero at the precision it is shown with, in both languages:
#: no sign and no arrow ("+0,00" would announce a rise the figure does not show).
NO_CHANGE = "="


def fmt_change(x: object, show: Callable[[float], str], lang: str | None = DEFAULT_LANG) -> str:
    """A change as ``show`` prints a figure of its kind, signed: ``+0,05`` / ``-1,2 M€``;
    :data:`NO_CHANGE` when the printed change has no non-zero digit (``0,004`` shown
    with 2 decimals, ``-0,3 €`` shown in whole euros); n/a when undefined.

    >>> fmt_change(0.05, lambda v: fmt_number(v, "fr", 2), "fr")
    '+0,05'
    >>> fmt_change(0.004, lambda v: fmt_number(v, "fr", 2), "fr")
    '='
    >>> fmt_change(-0.004, lambda v: fmt_number(v, "en", 2), "en")
    '='
    >>> fmt_change(-1_200_000, lambda v: fmt_money(v, "en", compact=True), "en")
    '-€1.2M'
    """
    if is_missing(x):
        return na(lang)
    v = float(x)  # type: ignore[arg-type]
    text = show(v)
    if not any(c in "123456789" for c in text):
        return NO_CHANGE
    return ("+" if v > 0 else "") + text


def fmt_delta(x: object, lang: str | None = DEFAULT_LANG, decimals: int = 0) -> str:
    """A signed change: ``+3`` / ``-1,5``; ``=`` when it rounds to zero (:func:`fmt_change`)."""
    return fmt_change(x, lambda v: fmt_number(v, lang, decimals), lang)


#: Plotly's ``layout.separators`` (decimal mark, then thousands separator) per language:
#: French ``1 234,5`` with the narrow no-break space of GLOSSARY.
PLOTLY_SEPARATORS: dict[str, str] = {"fr": "," + NNBSP, "en": ".,"}
