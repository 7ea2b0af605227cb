"""Import: template, upload, validation report, preview, commit, snapshot history."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pmo_core.errors import PmoError
from pmo_core.ingest import schedules, template
from ui import auth as access
from ui import format as fmt
from ui import import_panels as panels
from ui import loaders, snapshot_history, state, widgets
from ui.format import t

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

uploads = access.uploader(  # editors only; a file that still arrives is refused
    t("Workbook or CSV file, or schedules (MS Project XML, Primavera P6 XER)"),
    type=["xlsx", "csv", "gz", "txt", "xml", "xer", "pmxml", "mpp"],
    accept_multiple_files=True,
    key="import_file",
    help=t(
        "Several schedule files (one project each) and at most one portfolio workbook "
        "(programme, objectives, ratings, risks) make one snapshot."
    ),
)
files = [(u.name, u.getvalue()) for u in uploads]
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

if files:
    result = panels.validate(files, role_field)
    if len(files) == 1:  # the mapping editor serves one unknown export at a time
        profile = panels.mapping_editor(files[0][0], files[0][1], result.issues)
        if profile is not None:  # the live preview: counts, issues and tables follow it
            result = panels.validate(files, role_field, profile)
    panels.validation_report(result, lang)
    panels.quality_panel(result.frames)
    panels.preview(result)

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
            access.require("import")
            with st.status(t("Writing the snapshot...")) as writing:
                writing.write(
                    t(
                        "{n} rows in one transaction: all of them or none.",
                        n=fmt.number(sum(result.counts.values())),
                    )
                )
                sid = loaders.commit_import(result, as_of=as_of, who=access.who())
                writing.update(label=t("Snapshot #{id} imported.", id=sid), state="complete")
        except PmoError as exc:
            widgets.show_error(exc)
        else:
            panels.forget_validations()
            state.select_snapshot(sid)
            st.session_state["_import_done"] = sid
            st.rerun()
done = st.session_state.pop("_import_done", None)
if done is not None:
    st.success(t("Snapshot #{id} imported.", id=done))

snapshot_history.snapshot_history(lang)
snapshot_history.audit_log(lang)
