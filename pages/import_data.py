"""Import: template, upload, validation report, preview, commit, snapshot history."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import store
from pmo_core.errors import PmoError
from pmo_core.export_safety import frame_xlsx
from pmo_core.ingest import IngestResult, pipeline, schedules, template
from pmo_core.schema import TABLES
from ui import auth as access
from ui import format as fmt
from ui import import_panels as panels
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
}

state.leave_legacy_mode()
lang = fmt.lang()
st.title(t("Import a portfolio snapshot"))
st.caption(
    t(
        "Upload the monthly export (Excel or CSV, French or English). Every "
        "problem is listed with its sheet, row and column; nothing is written "
        "until the whole file is valid."
    )
)

with st.expander(t("Import template"), icon=":material/download:"):
    st.write(t("The template has one sheet per table, with the accepted values."))
    c1, c2 = st.columns(2)
    c1.download_button(
        t("Template in French"),
        template.template_bytes("fr"),
        "modele_import_pmo.xlsx",
        key="import_template_fr",
    )
    c2.download_button(
        t("Template in English"),
        template.template_bytes("en"),
        "pmo_import_template.xlsx",
        key="import_template_en",
    )

uploads = st.file_uploader(
    t("Workbook or CSV file, or schedules (MS Project XML, Primavera P6 XER)"),
    type=["xlsx", "csv", "gz", "txt", "xml", "xer", "pmxml", "mpp"],
    accept_multiple_files=True,
    key="import_file",
    help=t(
        "Several schedule files (one project each) and at most one portfolio workbook "
        "(programme, objectives, ratings, risks) make one snapshot."
    ),
)
if uploads is not None and not isinstance(uploads, list):
    uploads = [uploads]
files = [(u.name, u.getvalue()) for u in uploads or []]
role_field = None  # MS Project resources' role from a custom field instead of their Group
if any(schedules.is_schedule_name(n) for n, _ in files):
    role_field = (
        st.text_input(
            t("Role from the resource field (MS Project)"),
            key="import_role_field",
            help=t(
                "Name or alias of a resource custom field (Text1, Métier...): each resource's "
                "role is read from it instead of its Group."
            ),
        ).strip()
        or None
    )


def _validate(
    files: list[tuple[str, bytes]], profile: dict[str, Any] | None = None
) -> IngestResult:
    """Validate once per set of files and profile (kept in the session across reruns)."""
    key = (
        tuple((n, hashlib.sha256(d).hexdigest()) for n, d in files),
        json.dumps(profile, sort_keys=True),
        role_field,
    )
    cached: dict[Any, IngestResult] = st.session_state.setdefault("_import_results", {})
    if key in cached:
        return cached[key]
    name = ", ".join(n for n, _ in files)
    with st.status(t("Reading and checking {name}...", name=name)) as status:
        bar = st.progress(0.0)
        done: list[str] = []

        def step(what: str, detail: str | None) -> None:
            """One line per step as it starts; the bar moves with the sheets read."""
            if what == "read":
                status.write(t("Reading {name}...", name=detail or name))
            elif what == "sheet":
                done.append(detail or "")
                status.write(t("Converting the sheet {sheet}...", sheet=detail or ""))
                bar.progress(min(0.9, 0.1 + 0.07 * len(done)))
            elif what == "rules":
                status.write(t("Checking the rules across sheets..."))
                bar.progress(0.95)

        if len(files) == 1:
            result = pipeline.validate_file(
                files[0][1],
                filename=files[0][0],
                mapping=profile,
                progress=step,
                role_field=role_field,
            )
        else:
            result = pipeline.validate_files(
                files, mapping=profile, progress=step, role_field=role_field
            )
        bar.progress(1.0)
        status.update(
            label=t("{name} read: {n} issues", name=name, n=len(result.issues)),
            state="complete",
            expanded=False,
        )
    if len(cached) >= 4:  # the file as it is and a few mappings tried
        cached.pop(next(iter(cached)))
    cached[key] = result
    return result


def _issues_xlsx(df: pd.DataFrame) -> bytes:
    return frame_xlsx(df, t("Issues"))


if files:
    result = _validate(files)
    if len(files) == 1:  # the mapping editor serves one unknown export at a time
        profile = panels.mapping_editor(files[0][0], files[0][1], result.issues)
        if profile is not None:  # the live preview: counts, issues and tables follow it
            result = _validate(files, profile)
    errors = sum(i.severity == "error" for i in result.issues)
    warnings = len(result.issues) - errors
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Projects read"), fmt.number(result.counts["projects"]))
    c2.metric(t("Errors"), errors)
    c3.metric(t("Warnings"), warnings)
    if result.issues:
        st.subheader(t("Validation report"))
        issues = result.issues_frame(lang)
        severities = st.multiselect(
            t("Severity"),
            ["error", "warning"],
            default=["error", "warning"],
            key="import_severity",
            format_func=lambda s: t(s),
        )
        shown = issues[issues["severity"].isin(severities)].copy()
        shown["severity"] = shown["severity"].map(lambda s: t(s))
        shown.columns = [t(c.capitalize()) for c in shown.columns]
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            t("Download the report (Excel)"),
            _issues_xlsx(shown),
            "rapport_import.xlsx" if lang == "fr" else "import_report.xlsx",
            key="import_report_download",
        )
    if result.ok:
        st.success(t("The file is valid: it can be imported."))
    else:
        st.error(
            t(
                "The file has errors: fix them in the file and upload it again. "
                "Nothing was imported."
            )
        )

    panels.quality_panel(result.frames)

    st.subheader(t("Preview"))
    names = [n for n in TABLES if result.counts[n]]
    if names:
        tabs = st.tabs([f"{t(TABLES[n].sheet_en)} ({result.counts[n]})" for n in names])
        for tab, name in zip(tabs, names, strict=True):
            tab.dataframe(result.frames[name].head(50), hide_index=True, width="stretch")

    as_of = st.date_input(
        t("As-of date of this snapshot"),
        value=result.as_of or date.today(),
        key="import_as_of",
        format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
    )
    if st.button(
        t("Import this snapshot"),
        type="primary",
        disabled=not result.ok or not access.can("import"),
        help=access.hint("import"),
        key="import_commit",
    ):
        try:
            with st.status(t("Writing the snapshot...")) as writing:
                writing.write(
                    t(
                        "{n} rows in one transaction: all of them or none.",
                        n=fmt.number(sum(result.counts.values())),
                    )
                )
                sid = pipeline.commit_result(result, as_of=as_of, who=access.who())
                writing.update(label=t("Snapshot #{id} imported.", id=sid), state="complete")
        except PmoError as exc:
            widgets.show_error(exc)
        else:
            loaders.clear_caches()
            st.session_state.pop("_import_results", None)
            state.select_snapshot(sid)
            st.session_state["_import_done"] = sid
            st.rerun()
done = st.session_state.pop("_import_done", None)
if done is not None:
    st.success(t("Snapshot #{id} imported.", id=done))

st.subheader(t("Snapshot history"))
history = loaders.snapshots(loaders.db())
if history.empty:
    st.info(t("No snapshot yet: import a workbook on the Import page."))
else:
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
                store.delete_snapshot(int(target), who=access.who(), path=loaders.db())
            except PmoError as exc:
                widgets.show_error(exc)
            else:
                loaders.clear_caches()
                state.select_snapshot(None)
                st.rerun()

st.subheader(t("Audit log"))
st.caption(t("Every write to the store: who, when, what, and the file's SHA-256."))
log = store.audit_log(loaders.db(), limit=200)
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
