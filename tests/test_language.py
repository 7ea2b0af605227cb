"""Everything a person reads is in their language: every page rendered in French, and the
steering pack's exports (HTML, PDF text, Excel cells and formats), hold no English interface
word, no raw float (more than 2 decimals, or a dot decimal in French), no ``None``/``nan``.

The English vocabulary is the interface's own: the English texts of ``pmo_core/i18n`` whose
French differs (single words and short labels), minus the words French uses too (any word
of the French catalogue) and the words of the data itself (a project may be called "Data
Platform"), plus a few words that leak without going through ``t()`` ("open", "Budget:").

Pages of other parts of the work are listed in :data:`PENDING` with their owner: they are
not checked here yet (nothing is xfailed); :func:`test_every_page_is_checked_or_pending`
keeps a new page from escaping both lists.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pmo_core import i18n, report, store
from pmo_core.i18n import t
from tests.conftest import ROOT, run_page

#: Pages checked by this test (the formatter's own, and the others found clean).
CHECKED = [
    "projects.py",
    "whatif.py",
    "alignment.py",
    "capacity.py",
    "forecast.py",
    "governance.py",
    "import_data.py",
    "overview.py",
    "reports.py",
    "requests.py",
    "risks.py",
    "roadmap.py",
]
#: Pages with findings still to mend (none: every page is checked).
PENDING: dict[str, str] = {}

#: The earned-value abbreviations French says otherwise (GLOSSARY: IPD, IPC, VA, VP, CR,
#: RAF; SV, CV, TCPI, VAC and ES in words). Matched as whole words only (``_pattern``):
#: "ES" in "ESPACE" or "AC" in "ACTION" is not flagged.
EVM_ENGLISH = ("SPI", "CPI", "TCPI", "EV", "PV", "AC", "SV", "CV", "ETC", "VAC", "ES", "EVM")
#: A French text may name the English term where it explains it, and only so:
#: "IPC (CPI en anglais)".
NAMED_IN_ENGLISH = re.compile(
    r"\((?:SPI|CPI|TCPI|EV|PV|AC|SV|CV|ETC|VAC|ES)(?:\(t\))? en anglais\)"
)

#: Words that reach a screen without being an i18n key (statuses, labels with a colon).
EXTRA_ENGLISH = [
    "open",
    "closed",
    "in progress",
    "on hold",
    "proposed",
    "approved",
    "completed",
    "cancelled",
    "Budget:",
    "Value:",
    "Cost:",
    "more would be needed",
    "project(s)",
    "projet(s)",
    "EAC",  # French says EAA and BAA (GLOSSARY); too short for the vocabulary's rule
    "BAC",
    *EVM_ENGLISH,
]
MISSING = re.compile(r"(?<![\w/])(None|nan|NaN|NaT|<NA>|null|undefined|inf)(?![\w/])")
DOT_DECIMAL = re.compile(r"(?<![\w.,/-])\d+\.\d+(?![\w.]*\w)")
LONG_DECIMAL = re.compile(r"(?<![\w.,])\d+[.,]\d{3,}(?![\d])")  # French: 1,234 is 3 decimals
LONG_DECIMAL_EN = re.compile(r"(?<![\w.,])\d+\.\d{3,}(?![\d])")  # English: 1,234 is 1 234
LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")
PLACEHOLDER = re.compile(r"%\{[^}]*\}|</?extra>|</?b>|<br>")
#: French puts a (no-break) space before a colon: "Budget : 2 M€", not "Budget: 2 M€".
TIGHT_COLON = re.compile(r"[A-Za-zÀ-ÿ)]:(?=\s)")
ENGLISH_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(,\d{3})+(?![\d,])")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-zÀ-ÿ']+", text))


@cache
def french_words() -> frozenset[str]:
    """Words of at least two French texts of the catalogue (``plan``, ``date``, ``total``;
    not ``Projects``, the English name of a sheet and of a ProjectData entity set: names
    of entity sets, which French texts quote as they are, do not count)."""
    from pmo_core.ingest.projectdata.properties import ENTITY_SETS

    quoted = {*ENTITY_SETS, "Projects"}
    seen: dict[str, int] = {}
    for v in i18n.FR.values():
        for w in {w.lower() for w in _words(v) if w not in quoted}:
            seen[w] = seen.get(w, 0) + 1
    return frozenset(w for w, n in seen.items() if n >= 2) | FRENCH_HOMOGRAPHS


#: French words spelt like an English interface word ("Comment la réponse est calculée").
FRENCH_HOMOGRAPHS = frozenset({"comment"})


def vocabulary(data_words: frozenset[str]) -> list[str]:
    """English interface terms that a French screen must not show."""
    terms = set(EXTRA_ENGLISH)
    for en, fr in i18n.FR.items():
        if "{" in en or en == fr or len(en) < 4 or len(en.split()) > 3:
            continue
        words = {w.lower() for w in _words(en)}
        if not words or words <= french_words() or words & data_words:
            continue
        terms.add(en)
    return sorted(terms, key=len, reverse=True)


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(x) for x in terms)
    return re.compile(rf"(?<![\w])({alts})(?![\w])")


def findings(where: str, text: object, terms: list[str], lang: str = "fr") -> list[str]:
    """What is wrong in one text a person reads (empty when nothing)."""
    if not isinstance(text, str) or not text.strip():
        return []
    text = PLACEHOLDER.sub("·", text)  # %{y}, <extra></extra>: Plotly's, not words
    text = LINK_TARGET.sub("]", text)  # a markdown link's address is not read
    if lang == "fr":
        text = NAMED_IN_ENGLISH.sub("·", text)  # "IPC (CPI en anglais)": allowed
    out = []
    for m in MISSING.finditer(text):
        out.append(f"{where}: {m.group(0)!r} in {text[:120]!r}")
    checks = (
        [
            (LONG_DECIMAL, "raw float"),
            (DOT_DECIMAL, "dot decimal"),
            (ENGLISH_THOUSANDS, "English thousands"),
        ]
        if lang == "fr"
        else [(LONG_DECIMAL_EN, "raw float")]
    )
    for rx, what in checks:
        for m in rx.finditer(text):
            out.append(f"{where}: {what} {m.group(0)!r} in {text[:120]!r}")
    if lang == "fr":
        for m in TIGHT_COLON.finditer(text):
            out.append(f"{where}: English colon {m.group(0)!r} in {text[:120]!r}")
        for m in _pattern(tuple(terms)).finditer(text):
            out.append(f"{where}: English {m.group(0)!r} in {text[:120]!r}")
    return out


# ------------------------------------------------------------------------- what a page shows


def _walk(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(obj: object, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k not in skip:
                yield from _strings(v, skip)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v, skip)


#: Proto fields that are no text a person reads.
PROTO_SKIP = frozenset(
    {
        "id",
        "formId",
        "key",
        "type",
        "spec",
        "arrowData",
        "data",
        "theme",
        "icon",
        "url",
        "useContainerWidth",
        "selectionMode",
        "columns",
    }
)
TRACE_TEXT = ("name", "text", "hovertext", "hovertemplate", "texttemplate")


def _decode(values: object) -> np.ndarray | None:
    """A trace's x/y: a list or Plotly's typed array (``{"dtype", "bdata"}``)."""
    if isinstance(values, dict) and "bdata" in values:
        arr = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        return arr.astype("float64")
    if isinstance(values, list) and values and all(isinstance(v, int | float) for v in values):
        return np.asarray(values, dtype="float64")
    return None


def plotly_findings(where: str, spec: dict, terms: list[str], lang: str) -> list[str]:
    """A figure's texts, and the axes Plotly would write itself in English."""
    out: list[str] = []
    layout = spec.get("layout", {})
    for name, value in layout.items():
        if name.startswith(("xaxis", "yaxis")) or name in ("title", "annotations", "legend"):
            for s in _strings(value):
                out += findings(f"{where} layout.{name}", s, terms, lang)
    if lang == "fr" and layout.get("separators") != ",\u202f":
        out.append(f"{where}: separators {layout.get('separators')!r}")
    big: dict[str, float] = {}
    dates: set[str] = set()
    for tr in spec.get("data", []):
        for field in TRACE_TEXT:
            for s in _strings(tr.get(field)):
                out += findings(f"{where} {tr.get('type')}.{field}", s, terms, lang)
                if re.search(r"%\{[^}]*:[^}]*,", s):
                    out.append(f"{where}: a hover number with no unit: {s!r}")
        if tr.get("type") == "heatmap":
            continue
        for ax in ("x", "y"):
            axis = ("xaxis" if ax == "x" else "yaxis") + str(tr.get(f"{ax}axis", ax))[1:]
            vals = tr.get(ax)
            arr = _decode(vals)
            if arr is not None and len(arr) and np.nanmax(np.abs(arr), initial=0) >= 1000:
                big[axis] = max(big.get(axis, 0), float(np.nanmax(np.abs(arr))))
            first = vals[0] if isinstance(vals, list) and vals else None
            if isinstance(first, str) and re.match(r"\d{4}-\d{2}-\d{2}", first):
                dates.add(axis)
    for axis in (*big, *dates):
        conf = layout.get(axis, {})
        if axis in big and conf.get("type") == "date":
            continue
        if not conf.get("ticktext") and not conf.get("tickformat"):
            out.append(f"{where}: {axis} ticks written by Plotly (English: Jan 2028, 1M)")
    return out


def _styled(node: object) -> pd.DataFrame | None:
    """The text a pandas Styler writes in each cell (None when the table has none)."""
    import pyarrow as pa

    arrow = getattr(node.proto, "arrow_data", None)  # type: ignore[attr-defined]
    shown = arrow.styler.display_values if arrow is not None else b""
    return pa.ipc.open_stream(shown).read_all().to_pandas() if shown else None


def _dataframe_findings(where: str, node: object, terms: list[str], lang: str) -> list[str]:
    df: pd.DataFrame = node.value  # type: ignore[attr-defined]
    out: list[str] = []
    config = json.loads(getattr(node.proto, "columns", "") or "{}")  # a static table: none
    styled = _styled(node)
    if styled is not None:  # what the Styler writes is what is read: scan its text
        styled.columns = df.columns[: len(styled.columns)]
        for col in styled.columns:
            for v in styled[col].dropna().astype(str).unique()[:400]:
                out += findings(f"{where} {col!r}", v, terms, lang)
        return out
    for col in df.columns:
        conf = config.get(str(col), {})
        label = conf.get("label", str(col))
        out += findings(f"{where} column", label, terms, lang)
        s = df[col]
        if pd.api.types.is_float_dtype(s.dtype):
            fmt = (conf.get("type_config") or {}).get("format")
            frac = s.dropna().astype("float64") % 1
            unformatted = fmt in (None, "plain") and bool(frac.ne(0).any())
            dotted = isinstance(fmt, str) and "." in fmt
            if lang == "fr" and (unformatted or dotted):
                out.append(f"{where}: column {label!r} floats shown with a dot ({fmt})")
        elif s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            for v in s.dropna().astype(str).unique()[:400]:
                out += findings(f"{where} {label!r}", v, terms, lang)
    return out


def page_findings(at: object, terms: list[str], lang: str = "fr") -> list[str]:
    from google.protobuf.json_format import MessageToDict

    out: list[str] = []
    for node in _walk(at._tree):  # type: ignore[attr-defined]
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None or kind in ("sidebar",):
            continue
        where = f"{kind}"
        if kind == "plotly_chart":
            out += plotly_findings(where, json.loads(proto.spec), terms, lang)
        elif kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
            if lang == "fr":
                out.append(f"{where}: a Vega chart writes its axes in English (1,000, 1M)")
        elif kind in ("dataframe", "table"):  # a grid, or a static table that wraps
            out += _dataframe_findings(where, node, terms, lang)
        else:
            try:
                fields = MessageToDict(proto)
            except TypeError:
                continue
            for s in _strings(fields, PROTO_SKIP):
                out += findings(f"{where}", s, terms, lang)
    return out


# ------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data_words(demo_db: Path) -> frozenset[str]:
    """Every word of the seeded store's text cells (names, titles...): not interface words."""
    snap = store.get_snapshot(path=demo_db)
    words: set[str] = set()
    for df in snap.frames.values():
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col].dtype):
                for v in df[col].dropna().astype(str).unique():
                    words |= {w.lower() for w in _words(v)}
    return frozenset(words)


@pytest.fixture(scope="module")
def terms(data_words: frozenset[str]) -> list[str]:
    return vocabulary(data_words)


# ------------------------------------------------------------------------- the scanner itself


def test_the_scanner_catches_what_the_issue_saw(terms: list[str]) -> None:
    # The issue's examples, each must be caught; their French forms must not.
    caught = [
        "Budget: 1487000.0 more would be needed to fund it.",
        "Valeur (Σ) 1712.107143222975",
        "32.0 M€",
        "statut : open",
        "3 projet(s)",
        "20,000",
        "None",
        "Projects",
    ]
    for text in caught:
        assert findings("x", text, terms), text
    fine = [
        "Budget\xa0: 1,5\xa0M€ de plus seraient nécessaires",
        "32\xa0M€",
        "12,5\xa0%",
        "3 projets",
        "1\u202f234,5",
        "31/10/2026",
        "janv. 2028",
        "PRJ-002 · Refonte du portail",
    ]
    for text in fine:
        assert findings("x", text, terms) == [], text


def test_the_scanner_flags_earned_value_abbreviations_as_whole_words(terms: list[str]) -> None:
    # The English abbreviations on a French screen, each caught; the French ones, the
    # same letters inside a word, and the narrow "(CPI en anglais)" are not.
    for text in ("SPI 0,97", "SPI(t) 0,9", "CPI, du plus bas", "VP, EV, AC", "TCPI 1,02"):
        assert findings("x", text, terms), text
    for text in (
        "IPD 0,97",
        "IPD(t) 0,9",
        "IPC = VA / CR",
        "ESPACE, ACTION, EVOLUTION, TCPIX",
        "IPC du portefeuille (CPI en anglais) = somme VA / somme CR",
        "IPD(t) (SPI(t) en anglais)",
    ):
        assert findings("x", text, terms) == [], text
    # Only where it explains: a bare "CPI en anglais" is still flagged, and English
    # screens keep their English abbreviations.
    assert findings("x", "CPI en anglais", terms)
    assert findings("x", "SPI 0.97 · CPI 1.02 · EV €1.2M", terms, "en") == []


def test_no_french_text_says_an_english_earned_value_abbreviation() -> None:
    # Every French text of the catalogue, rendered or not on the demo: the glossary's
    # abbreviations (IPD, IPC, VA, VP, CR, RAF) or words, never SPI, CPI, EV, PV...
    # (the CLI's JSON keys are not texts: they stay spi, cpi, ev, pv).
    rx = _pattern(EVM_ENGLISH)
    found = {en: fr for en, fr in i18n.FR.items() if rx.search(NAMED_IN_ENGLISH.sub("·", fr))}
    assert found == {}


def test_the_scanner_reads_english_numbers_the_english_way(terms: list[str]) -> None:
    assert findings("x", "Value (Σ) 1712.107143222975", terms, "en")
    assert findings("x", "nan", terms, "en")
    assert findings("x", "€1,487,000 · 0.93 · 12.5%", terms, "en") == []


def test_the_scanner_sees_plotly_english_ticks(terms: list[str]) -> None:
    spec = {
        "layout": {"separators": ",\u202f", "xaxis": {"type": "date"}},
        "data": [
            {"type": "scatter", "x": ["2028-01-01", "2028-02-01"], "y": [1e6, 2e6]},
            {"type": "bar", "x": [1, 2], "hovertemplate": "%{x:,.0f}"},
        ],
    }
    found = plotly_findings("fig", spec, terms, "fr")
    assert any("xaxis ticks" in f for f in found)
    assert any("yaxis ticks" in f for f in found)
    assert any("no unit" in f for f in found)


def test_every_page_is_checked_or_pending() -> None:
    pages = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert sorted([*CHECKED, *PENDING]) == pages


# ------------------------------------------------------------------------- pages


@pytest.mark.parametrize("page", CHECKED)
def test_page_speaks_french(page: str, app_db: Path, terms: list[str]) -> None:
    at = run_page(page, "fr")
    assert not at.exception, [e.value for e in at.exception]
    assert page_findings(at, terms) == []


@pytest.mark.parametrize("page", CHECKED)
def test_page_in_english_shows_no_raw_float_nor_missing_value(
    page: str, app_db: Path, terms: list[str]
) -> None:
    at = run_page(page, "en")
    assert not at.exception, [e.value for e in at.exception]
    assert page_findings(at, terms, "en") == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_whatif_robust_selection_speaks_the_language(
    lang: str, app_db: Path, terms: list[str]
) -> None:
    # The robust section shows its figures only after its button: pressed here.
    at = run_page("whatif.py", lang)
    at.select_slider(key="whatif_robust_samples").set_value(20)
    at.button(key="whatif_robust_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    header = "Probabilité d'être retenu" if lang == "fr" else "Selection probability"
    assert any(header in d.value.columns for d in at.dataframe)
    assert page_findings(at, terms, lang) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_schedule_risk_panel_speaks_the_users_language(
    lang: str, app_db: Path, terms: list[str]
) -> None:
    """The Import page after a schedule is read and its risk analysed: metrics, the
    criticality table, the histogram and the tornado."""
    chain = ROOT / "tests" / "data" / "chain_schedule.xml"
    at = run_page("import_data.py", lang)
    at.file_uploader(key="import_file").set_value(
        (chain.name, chain.read_bytes(), "application/xml")
    ).run()
    at.button(key="schedule_risk_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 2  # the panel is there: histogram and tornado
    # The validation report's and the preview's tables show the file's own cells (sheet
    # "Baseline", status "approved"): not this panel's. Every other finding counts, and
    # so do those of the panel's criticality table.
    mine = {t(c, lang) for c in ("Activity", "Name", "Criticality index")}
    found = [
        f
        for f in page_findings(at, terms, lang)
        if not f.startswith("dataframe ") or f.split("'")[1] in mine
    ]
    assert found == []


def test_the_schedule_validation_report_says_its_own_words_in_french(
    app_db: Path, terms: list[str]
) -> None:
    # After a schedule upload the report's own words are French: its headers (the project
    # column said "Project_id"), severities and messages. Its sheet ("Baseline"),
    # column ("Number") and value cells are the file's and stay as they are.
    from ui.import_panels import ISSUE_HEADERS

    chain = ROOT / "tests" / "data" / "chain_schedule.xml"
    at = run_page("import_data.py", "fr")
    at.file_uploader(key="import_file").set_value(
        (chain.name, chain.read_bytes(), "application/xml")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    report = next(d.value for d in at.dataframe if "Gravité" in d.value.columns)
    assert list(report.columns) == [
        "Gravité", "Feuille", "Ligne", "Projet", "Colonne", "Valeur", "Message"
    ]  # fmt: skip
    assert [t(h, "fr") for h in ISSUE_HEADERS.values()] == list(report.columns)
    assert set(report["Gravité"]) == {"avertissement"}
    assert "Baseline" in report["Feuille"].tolist()  # the file's sheet name, kept
    found = [f for c in report.columns for f in findings("header", c, terms)]
    for message in report["Message"]:
        found += findings("message", message, terms)
    assert found == []
    # The preview is the app's reading of the file, shown as the French template writes
    # it: "Statut" "Approuvé" (the reader's code "approved"), dates 05/01/2026 (ISO before).
    projects = next(d.value for d in at.dataframe if "Code projet" in d.value.columns)
    row = projects.iloc[0]
    assert (row["Code projet"], row["Statut"]) == ("chain_schedule", "Approuvé")
    assert (row["Date de début"], row["Date de fin de référence"]) == ("05/01/2026", "23/01/2026")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("status", ["in_progress", "proposed"])
def test_project_detail_with_its_forecast_speaks_the_language(
    lang: str, status: str, app_db: Path, terms: list[str]
) -> None:
    # A running project's detail (figures, fan on the S-curve, histograms, calibration
    # sentence) and a proposed one's (no forecast, and why).
    k = store.get_snapshot(path=app_db).frames["projects"]
    pid = k.loc[k["status"] == status, "project_id"].iloc[0]
    at = run_page("projects.py", lang, project=pid)
    assert not at.exception, [e.value for e in at.exception]
    shown = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("tirages" in s or "draws" in s for s in shown) == (status == "in_progress")
    assert page_findings(at, terms, lang) == []


# ------------------------------------------------------------------------- exports


class _Text(HTMLParser):
    """The visible text of an HTML page (no script, no style)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def html_findings(page: str, terms: list[str], lang: str = "fr") -> list[str]:
    parser = _Text()
    parser.feed(page)
    out = []
    for text in parser.parts:
        out += findings("html", text, terms, lang)
    for m in re.finditer(
        r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\})\s*,\s*\{", page, re.S
    ):
        try:
            spec = {"data": json.loads(m.group(1)), "layout": json.loads(m.group(2))}
        except json.JSONDecodeError:
            continue
        out += plotly_findings("html chart", spec, terms, lang)
    return out


@pytest.fixture(scope="module")
def pack_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with a real what-if saved: 20 M€, below what the running projects
    cost, so that projects are excluded with budget reasons (amounts in their params)."""
    from pmo_core import optimize
    from pmo_core.optimize import WhatIf, scenarios

    db = tmp_path_factory.mktemp("language_pack") / "pmo.duckdb"
    shutil.copy(demo_db, db)
    snap = store.get_snapshot(path=db)
    whatif = WhatIf(budget=20_000_000.0, keep_running=False, time_limit=5.0)
    answer = optimize.optimize_document(snap, whatif)
    assert answer["excluded"], "the scenario must exclude projects to test their reasons"
    scenarios.save_scenario(
        "Budget 20 M", whatif.to_dict(), answer, snapshot_id=snap.snapshot_id, who="t", path=db
    )
    return db


def _scenario_id(db: Path) -> int:
    from pmo_core.optimize import scenarios

    return int(scenarios.list_scenarios(db)["doc_id"].iloc[0])


def test_html_pack_speaks_french(pack_db: Path, terms: list[str]) -> None:
    sid = _scenario_id(pack_db)
    page = report.build_report(None, "html", lang="fr", scenario_id=sid, path=pack_db)
    text = page.decode("utf-8")
    assert "Écartés, et pourquoi" in text  # the scenario's section is there to be read
    # The highlight report (first page) and the P50/P80 forecasts are there to be read too.
    assert "Rapport de situation" in text and "Tolérances" in text
    assert "Prévisions et leur degré de confiance" in text and "EAA P80" in text
    assert html_findings(text, terms) == []


def test_excel_pack_speaks_french_with_number_formats(pack_db: Path, terms: list[str]) -> None:
    from openpyxl import load_workbook

    sid = _scenario_id(pack_db)
    body = report.build_report(None, "xlsx", lang="fr", scenario_id=sid, path=pack_db)
    wb = load_workbook(io.BytesIO(body))
    assert wb.sheetnames[0] == "Rapport de situation" and "Prévisions" in wb.sheetnames
    found = []
    for ws in wb.worksheets:
        found += findings(f"sheet {ws.title!r}", ws.title, terms)
        for row in ws.iter_rows():
            for c in row:
                where = f"{ws.title}!{c.coordinate}"
                if isinstance(c.value, str):
                    found += findings(where, c.value, terms)
                elif isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    raw = c.value != round(c.value) or abs(c.value) >= 1000
                    if raw and c.number_format == "General":
                        found.append(f"{where}: {c.value!r} in General format")
    assert found == []


@pytest.mark.skipif(report.find_chromium() is None, reason="no Chromium to print the PDF")
def test_pdf_pack_text_speaks_french(pack_db: Path, terms: list[str]) -> None:
    from pypdf import PdfReader

    sid = _scenario_id(pack_db)
    body = report.build_report(None, "pdf", lang="fr", scenario_id=sid, path=pack_db)
    pdf = PdfReader(io.BytesIO(body))
    assert "Rapport de situation" in (pdf.pages[0].extract_text() or "")  # the first page
    found = []
    for n, page in enumerate(pdf.pages, 1):
        for line in (page.extract_text() or "").splitlines():
            found += findings(f"pdf page {n}", line, terms)
    assert found == []


def test_english_pack_is_not_flagged_for_its_own_language(pack_db: Path, terms: list[str]) -> None:
    # The same scan on the English pack: English words are fine there, missing values not.
    sid = _scenario_id(pack_db)
    page = report.build_report(None, "html", lang="en", scenario_id=sid, path=pack_db)
    assert html_findings(page.decode("utf-8"), terms, "en") == []
    assert t("Projects", "en") == "Projects"


# ------------------------------------------------------------------------- the one formatter


@pytest.mark.parametrize(
    ("text", "n", "lang", "out"),
    [
        # French takes the singular for 0 and 1, English for 1 only.
        ("{n} project(s) added", 0, "fr", "0 projet ajouté"),
        ("{n} project(s) added", 1, "fr", "1 projet ajouté"),
        ("{n} project(s) added", 2, "fr", "2 projets ajoutés"),
        ("{n} new top risk(s)", 3, "fr", "3 nouveaux risques majeurs"),
        ("{n} project(s) added", 0, "en", "0 projects added"),
        ("{n} project(s) added", 1, "en", "1 project added"),
        # A count already formatted: 1 234 is plural.
        ("{n} project(s)", "1\u202f234", "fr", "1\u202f234 projets"),
    ],
)
def test_plural_marks_follow_the_count(text: str, n: object, lang: str, out: str) -> None:
    assert t(text, lang, n=n) == out


def test_a_text_without_a_count_keeps_its_marks() -> None:
    # Not a count: the mark stays (nothing is guessed).
    assert t("{n} project(s)", "en", n="several") == "several project(s)"


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (1 / 3, "1/3", "1/3"),  # Saaty's scale as a committee writes it, not 0.333
        (1 / 9, "1/9", "1/9"),
        (5.0, "5", "5"),
        (0.4, "0,40", "0.40"),  # 1/2.5: not a whole reciprocal
        (float("nan"), "n/d", "n/a"),
    ],
)
def test_pairwise_judgments_read_as_saaty_fractions(value: float, fr: str, en: str) -> None:
    assert i18n.fmt_judgment(value, "fr") == fr
    assert i18n.fmt_judgment(value, "en") == en


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (3_000_000, "3\xa0M€", "€3M"),  # no trailing ,0
        (2_960_000, "3\xa0M€", "€3M"),  # 2.96 rounds to 3.0: written 3
        (1_487_000, "1,5\xa0M€", "€1.5M"),
        (40_000, "40\xa0k€", "€40k"),
    ],
)
def test_compact_money_has_no_trailing_zero(value: float, fr: str, en: str) -> None:
    assert i18n.fmt_money(value, "fr", compact=True) == fr
    assert i18n.fmt_money(value, "en", compact=True) == en


def test_exclusion_reasons_are_written_in_the_language_with_their_figures() -> None:
    # The issue's French PDF: "Budget: 1487000.0 more would be needed to fund it."; the
    # what-if's sentences (pmo_core.optimize.sentences) write it with the one formatter.
    from pmo_core.optimize import sentences

    entry = {
        "template": "Budget: {amount} more would be needed to fund it.",
        "params": {"amount": 1487000.0},
        "reason": "Budget: 1487000.0 more would be needed to fund it.",
    }
    assert sentences.reason_text(entry, "fr") == "Budget : il manque 1,5\xa0M€ pour le financer."


@pytest.mark.parametrize(
    ("typed", "fr", "en"),
    [
        ("open", "ouvert", "Open"),  # the issue's risk status "open" on a French screen
        ("Closed", "clos", "Closed"),
        (" mitigated ", "atténué", "Mitigated"),
        ("Surveillé", "Surveillé", "Surveillé"),  # the company's own word, as typed
        (None, "", ""),
    ],
)
def test_risk_statuses_are_shown_in_the_language(typed: object, fr: str, en: str) -> None:
    assert i18n.fmt_risk_status(typed, "fr") == fr
    assert i18n.fmt_risk_status(typed, "en") == en


def test_the_pairwise_matrix_reads_as_saaty_fractions(app_db: Path) -> None:
    # The demo's judgments hold thirds and sixths: shown 1/3 and 1/6, never 0.333.
    at = run_page("alignment.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    matrix = at.dataframe[0].value
    cells = set(matrix.to_numpy().ravel().tolist())
    assert {"1", "1/3", "3"} <= cells
    assert not any("0." in str(c) or "0," in str(c) for c in cells)
