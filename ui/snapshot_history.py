"""The Import page's lower half: the snapshot history (with deleting a snapshot) and the
audit log of every write to the store."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.auth import who_in_words
from pmo_core.errors import PmoError
from pmo_core.i18n import fmt_audit_action, fmt_audit_what, fmt_datetime
from ui import auth as access
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t


def importer(who: object) -> str:
    """Who imported or wrote, in the user's language for the app's own names
    (:func:`pmo_core.auth.who_in_words`); anything else as it is, blank when none."""
    return who_in_words(who, fmt.lang())


def snapshot_history(lang: str) -> None:
    """Every snapshot (when, as of, file, its SHA-256, who) and the delete control."""
    st.subheader(t("Snapshot history"))
    history = loaders.snapshots(loaders.db())
    if history.empty:
        st.info(t("No snapshot yet: import a workbook on the Import page."))
        return
    view = pd.DataFrame(
        {
            "#": history["snapshot_id"],
            t("Imported at"): [fmt_datetime(x, lang) for x in history["imported_at"]],
            t("As of"): history["as_of"].map(fmt.date),
            t("Source file"): history["source"].map(fmt.source),  # its date as the user's
            "SHA-256": history["sha256"].fillna("").str.slice(0, 12),
            t("Projects"): history["counts"].map(lambda c: c.get("projects", 0)),
            t("Imported by"): history["imported_by"].map(importer),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    with st.expander(t("Delete a snapshot"), icon=":material/delete:"):
        target = st.selectbox(
            t("Snapshot"), history["snapshot_id"].tolist(), key="import_delete_id"
        )
        sure = st.checkbox(
            t("I understand that this snapshot will be deleted."),
            key="import_delete_confirm",
        )
        if st.button(
            t("Delete"),
            disabled=not sure or not access.can("delete"),
            help=access.hint("delete"),
            key="import_delete",
        ):
            try:
                access.require("delete")
                loaders.delete_snapshot(int(target), who=access.who())
            except PmoError as exc:
                widgets.show_error(exc)
            else:
                state.select_snapshot(None)
                st.rerun()


def audit_log(lang: str) -> None:
    """The latest 200 writes: who, when, what, and the file's SHA-256."""
    st.subheader(t("Audit log"))
    st.caption(t("Every write to the store: who, when, what, and the file's SHA-256."))
    log = loaders.audit_log(loaders.db(), limit=200)
    st.dataframe(
        pd.DataFrame(
            {
                t("When"): [fmt_datetime(x, lang, seconds=True) for x in log["logged_at"]],
                t("Who"): log["who"].map(importer),
                t("Action"): [fmt_audit_action(a, lang) for a in log["action"]],
                t("What"): [
                    fmt_audit_what(a, w, lang)
                    for a, w in zip(log["action"], log["what"], strict=True)
                ],
                "SHA-256": log["sha256"].fillna("").str.slice(0, 12),
                "#": log["snapshot_id"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="import_audit",
    )
