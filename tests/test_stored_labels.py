"""Stored labels shown in the user's language, the stored value unchanged: a snapshot's
source name (the demo's earlier months carry an ISO date, "demo.xlsx (2025-11-30)") on
the Import page, in the sidebar's snapshot box and in the audit log; the audit log's
action codes ("delete_snapshot") in words, on the Import page and in the pack's workbook.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import i18n, report, store
from pmo_core.i18n import fmt_audit_action, fmt_audit_what, fmt_source
from tests.conftest import run_page

ISO_SUFFIX = re.compile(r" \((\d{4})-(\d{2})-(\d{2})\)$")


def by_hand_fr(source: str) -> str:
    """The French form written out: (2025-11-30) -> (30/11/2025)."""
    return ISO_SUFFIX.sub(r" (\3/\2/\1)", source)


# ---------------------------------------------------------------------------- the formatter


@pytest.mark.parametrize(
    ("stored", "fr", "en"),
    [
        ("demo.xlsx (2025-11-30)", "demo.xlsx (30/11/2025)", "demo.xlsx (30 Nov 2025)"),
        ("demo.xlsx (2026-01-05)", "demo.xlsx (05/01/2026)", "demo.xlsx (5 Jan 2026)"),
        # Not a dated source: as stored (a file's own brackets, a date-like non-date).
        ("plan (v2).xlsx", "plan (v2).xlsx", "plan (v2).xlsx"),
        ("x (2025-13-45)", "x (2025-13-45)", "x (2025-13-45)"),
        ("rapport 2025-11-30.xlsx", "rapport 2025-11-30.xlsx", "rapport 2025-11-30.xlsx"),
        (None, "", ""),
    ],
)
def test_a_source_name_shows_its_date_in_the_users_format(
    stored: str | None, fr: str, en: str
) -> None:
    assert fmt_source(stored, "fr") == fr
    assert fmt_source(stored, "en") == en


@given(
    name=st.text(min_size=0, max_size=30),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    sid=st.integers(min_value=1, max_value=10**9),
)
def test_the_snapshot_label_is_read_back_whatever_the_source_says(
    name: str, day: date, sid: int
) -> None:
    # The sidebar's label is built by state.snapshot_label from the formatted source;
    # state.snapshot_id_of reads its id back, even when the name itself holds " · " or
    # "#12 · ". The French date is the ISO one turned around, by hand.
    from ui import state

    stored = f"{name} ({day.isoformat()})"
    shown = fmt_source(stored, "fr")
    assert shown == f"{name} ({day.day:02d}/{day.month:02d}/{day.year})"
    for lang in ("fr", "en"):
        label = state.snapshot_label(sid, i18n.t("as of {date}", lang, date="x"), shown)
        assert state.snapshot_id_of(label) == str(sid)


def test_a_label_that_is_no_snapshot_label_gives_no_id() -> None:
    from ui import state

    assert state.snapshot_id_of("demo.xlsx (30/11/2025)") is None
    assert state.snapshot_id_of(None) is None
    assert state.snapshot_id_of("#25 · au 31/10/2026 · demo.xlsx") == "25"


@pytest.mark.parametrize(
    ("action", "fr", "en"),
    [
        ("delete_snapshot", "Photo supprimée", "Snapshot deleted"),
        ("import_update", "Import de mise à jour", "Update import"),  # missing before
        ("import_lenient", "Import tolérant", "Lenient import"),  # missing before
        ("save_scenario", "Scénario enregistré", "Scenario saved"),
        ("sign_in_locked", "Connexion bloquée", "Sign-in locked"),
        ("purge_everything", "purge_everything", "purge_everything"),  # unknown: as stored
        (None, "", ""),
    ],
)
def test_audit_actions_are_words_in_the_users_language(
    action: str | None, fr: str, en: str
) -> None:
    assert fmt_audit_action(action, "fr") == fr
    assert fmt_audit_action(action, "en") == en


def test_every_action_the_app_records_has_its_words_and_its_french() -> None:
    # The kinds of saved documents (save_/delete_ + kind) and the store's own actions.
    from pmo_core.ingest.pipeline import PROFILE_KIND
    from pmo_core.kpi.alignment import KIND as WEIGHTING
    from pmo_core.optimize.scenarios import KIND as SCENARIO
    from pmo_core.project_requests import KIND as REQUEST

    kinds = (PROFILE_KIND, WEIGHTING, SCENARIO, REQUEST)
    recorded = {"import", "import_update", "import_lenient", "delete_snapshot", "sign_in_locked"}
    recorded |= {f"{verb}_{k}" for verb in ("save", "delete") for k in kinds}
    assert recorded <= set(i18n.AUDIT_ACTIONS)
    assert all(i18n.AUDIT_ACTIONS[a] in i18n.FR for a in recorded)


@pytest.mark.parametrize(
    ("action", "stored", "fr", "en"),
    [
        ("import", "demo.xlsx (2025-11-30)", "demo.xlsx (30/11/2025)", "demo.xlsx (30 Nov 2025)"),
        ("delete_snapshot", "demo.xlsx (2025-10-31)", "demo.xlsx (31/10/2025)",
         "demo.xlsx (31 Oct 2025)"),
        # An update's counts, recorded in English, read in the user's words.
        ("import_update", "maj.xlsx: from snapshot #3, 5 projects updated, 1 added, 54 kept",
         "maj.xlsx\xa0: depuis la photo n°3, 5 projets mis à jour, ajoutés : 1, conservés : 54",
         "maj.xlsx: from snapshot #3, 5 projects updated, 1 added, 54 kept"),
        ("import_update", "maj.xlsx: from snapshot #3, 1 projects updated, 0 added, 2 kept",
         "maj.xlsx\xa0: depuis la photo n°3, 1 projet mis à jour, ajoutés : 0, conservés : 2",
         "maj.xlsx: from snapshot #3, 1 project updated, 0 added, 2 kept"),
        # A document's name is the user's: as stored, even when it looks dated.
        ("save_scenario", "Budget (2025-11-30)", "Budget (2025-11-30)", "Budget (2025-11-30)"),
        (None, None, "", ""),
    ],
)  # fmt: skip
def test_audit_what_shows_source_dates_and_update_counts_in_the_language(
    action: str | None, stored: str | None, fr: str, en: str
) -> None:
    assert fmt_audit_what(action, stored, "fr") == fr
    assert fmt_audit_what(action, stored, "en") == en


def test_the_update_entry_the_import_writes_is_the_one_read_back() -> None:
    """pipeline.audit_entries writes UPDATE_AUDIT; fmt_audit_what reads it: one format."""
    from pmo_core.i18n import UPDATE_AUDIT, UPDATE_WHAT

    stored = UPDATE_AUDIT.format(base=3, updated=5, added=1, kept=54)
    assert UPDATE_WHAT.match(stored)
    assert fmt_audit_what("import_update", f"maj.xlsx: {stored}", "fr") == (
        "maj.xlsx\xa0: depuis la photo n°3, 5 projets mis à jour, ajoutés : 1, conservés : 54"
    )


# ---------------------------------------------------------------------------- on screen


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_import_page_and_sidebar_show_source_dates_in_the_language(app_db: Path, lang: str) -> None:
    # The demo's two earlier months are stored "demo_portfolio.xlsx (YYYY-MM-DD)": the
    # stored value stays; the page, the sidebar box and the audit log show the date as
    # the user reads it. Snapshot 1 deleted first, so the log holds a deletion too.
    snaps = store.list_snapshots(path=app_db)
    dated = [s for s in snaps["source"] if ISO_SUFFIX.search(s)]
    assert len(dated) == 2, snaps["source"].tolist()
    store.delete_snapshot(1, who="tests", path=app_db)
    kept = store.list_snapshots(path=app_db)
    at = run_page("import_data.py", lang)
    assert not at.exception, [e.value for e in at.exception]
    src, what, action = (
        ("Fichier source", "Quoi", "Action") if lang == "fr" else ("Source file", "What", "Action")
    )
    history = next(d.value for d in at.dataframe if src in d.value.columns)
    shown = history[src].tolist()
    if lang == "fr":
        assert shown == [by_hand_fr(s) for s in kept["source"]]
    else:
        assert all(re.search(r" \(\d{1,2} [A-Z][a-z]{2} \d{4}\)$", s) for s in shown[1:]), shown
    assert not any(ISO_SUFFIX.search(s) for s in shown), shown
    log = next(d.value for d in at.dataframe if what in d.value.columns)
    assert not any(ISO_SUFFIX.search(str(s)) for s in log[what]), log[what].tolist()
    deleted = log[log[action] == ("Photo supprimée" if lang == "fr" else "Snapshot deleted")]
    assert len(deleted) == 1
    if lang == "fr":
        assert deleted[what].iloc[0] == by_hand_fr(dated[-1])  # snapshot 1: the oldest
    app = run_page(None, lang)  # the sidebar's box: drawn by app.py
    assert not app.exception, [e.value for e in app.exception]
    labels = list(app.sidebar.selectbox(key="sidebar_snapshot").options)  # as shown
    assert len(labels) == 2 and not any(ISO_SUFFIX.search(str(x)) for x in labels), labels
    if lang == "fr":
        assert any(str(x).endswith(by_hand_fr(kept["source"].iloc[-1])) for x in labels)
    assert store.list_snapshots(path=app_db)["source"].tolist() == kept["source"].tolist()


def test_french_pack_audit_sheet_says_actions_and_dates_in_french(app_db: Path) -> None:
    from openpyxl import load_workbook

    # Deleted by the editor's password: recorded "editor (password)", read in French.
    store.delete_snapshot(1, who="editor (password)", path=app_db)
    body = report.build_report(None, "xlsx", lang="fr", path=app_db)
    ws = load_workbook(io.BytesIO(body))["Journal d'audit"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert {r["Action"] for r in rows} == {"Import", "Photo supprimée"}  # was delete_snapshot
    assert not any(ISO_SUFFIX.search(str(r["Quoi"])) for r in rows), [r["Quoi"] for r in rows]
    assert any(re.search(r" \(\d{2}/\d{2}/\d{4}\)$", str(r["Quoi"])) for r in rows)
    deleted = next(r for r in rows if r["Action"] == "Photo supprimée")
    assert deleted["Qui"] == "Éditeur (mot de passe)"  # was "editor (password)"
    assert {r["Qui"] for r in rows if r["Action"] == "Import"} == {"tests"}  # a name: as stored
