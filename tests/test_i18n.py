"""French everywhere a user reads: every literal passed to t() has a French entry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pmo_core import i18n
from pmo_core.i18n import fmt_date, fmt_money, fmt_month, fmt_number, fmt_pct, t

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("ui/*.py"),  # the panels' texts too (the robust selection's among them)
        ROOT / "app.py",
        *ROOT.glob("pmo_core/**/*.py"),
    ]
)
# Issue templates and rule labels are passed to t() through variables: list them too.
TEMPLATE_CALLS = {"err", "warn", "Issue", "_report", "refused"}


def _literals() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            args = [
                a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if name == "t" and node.args and isinstance(node.args[0], ast.Constant):
                if isinstance(node.args[0].value, str):
                    found.add((node.args[0].value, path.name))
            elif name in TEMPLATE_CALLS and args:
                longest = max(args, key=lambda a: len(a.value))
                if " " in longest.value:
                    found.add((longest.value, path.name))
    return found


def _constant_texts() -> set[tuple[str, str]]:
    """Texts passed to t() through constants (rule labels, refusals)."""
    from pmo_core import ingest
    from pmo_core.kpi import governance

    texts = {(text, "governance.py") for text in governance.RULE_LABELS.values()}
    return texts | {(ingest.TOO_BIG, "ingest.py"), (ingest.NOT_A_WORKBOOK, "ingest.py")}


LITERALS = sorted(_literals() | _constant_texts())


def test_there_are_texts_to_translate() -> None:
    assert len(LITERALS) > 50


@pytest.mark.parametrize(("text", "where"), LITERALS)
def test_every_text_has_a_french_translation(text: str, where: str) -> None:
    assert text in i18n.FR, f"{where}: no French for {text!r}"
    assert i18n.FR[text].count("{") == text.count("{"), "placeholders must match"


@pytest.mark.parametrize(
    ("value", "fmt", "fr", "en"),
    [
        (1234.5, lambda x, lg: fmt_number(x, lg, 1), "1\u202f234,5", "1,234.5"),
        (12_400_000, lambda x, lg: fmt_money(x, lg, compact=True), "12,4\u00a0M€", "€12.4M"),
        (850_000, lambda x, lg: fmt_money(x, lg, compact=True), "850\u00a0k€", "€850k"),
        (1234.5, lambda x, lg: fmt_money(x, lg, decimals=2), "1\u202f234,50\u00a0€", "€1,234.50"),
        (45, fmt_pct, "45\u00a0%", "45%"),
        ("2026-11-15", fmt_date, "15/11/2026", "15 Nov 2026"),
        ("2026-11-15", fmt_month, "nov. 2026", "Nov 2026"),
        (float("nan"), fmt_number, "n/d", "n/a"),
    ],
)
def test_glossary_formats(value: object, fmt, fr: str, en: str) -> None:  # type: ignore[no-untyped-def]
    assert fmt(value, "fr") == fr
    assert fmt(value, "en") == en


def test_statuses_use_the_pmo_words() -> None:
    assert t("in_progress", "fr") == "En cours"
    assert t("Amber", "fr") == "Orange"  # never "ambre"


def test_french_texts_say_eaa_and_baa_never_eac_or_bac() -> None:
    # GLOSSARY: EAC is "estimation à l'achèvement (EAA)", BAC "budget à l'achèvement
    # (BAA)", as the Overview says; the Forecast page said "EAC P80", "P(≤ BAC)".
    import re

    english = re.compile(r"(?<![\w])(EAC|BAC)(?![\w])")
    said = {en: fr for en, fr in i18n.FR.items() if english.search(fr)}
    assert not said
    assert t("EAC P80", "fr") == "EAA P80" and t("P(≤ BAC)", "fr") == "P(≤ BAA)"
    assert t("EAC P80", "en") == "EAC P80"
