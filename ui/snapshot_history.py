"""The Import page's lower half: the snapshot history (with deleting a snapshot) and the
audit log of every write to the store."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.errors import PmoError
from ui import auth as access
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

AUDIT_ACTIONS = {
    "import": "Import",
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
            t("Imported at"): history["imported_at"].dt.strftime(
                "%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
            ),
            t("As of"): history["as_of"].map(fmt.date),
            t("Source file"): history["source"],
            "SHA-256": history["sha256"].fillna("").str.slice(0, 12),
            t("Projects"): history["counts"].map(lambda c: c.get("projects", 0)),
            t("Imported by"): history["imported_by"],
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
                t("When"): log["logged_at"].dt.strftime(
                    "%d/%m/%Y %H:%M:%S" if lang == "fr" else "%Y-%m-%d %H:%M:%S"
                ),
                t("Who"): log["who"],
                t("Action"): log["action"].map(lambda a: t(AUDIT_ACTIONS.get(a, a))),
                t("What"): log["what"],
                "SHA-256": log["sha256"].fillna("").str.slice(0, 12),
                "#": log["snapshot_id"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="import_audit",
    )
