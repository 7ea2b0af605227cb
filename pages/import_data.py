"""Import: template, upload, validation report, preview, commit, snapshot history."""

from __future__ import annotations

import streamlit as st

from pmo_core.ingest import schedules, template
from ui import auth as access
from ui import format as fmt
from ui import import_panels as panels
from ui import schedule_risk_panel, snapshot_history, state
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

panels.project_online_guide()
uploads = access.uploader(  # editors only; a file that still arrives is refused
    t(
        "Workbook or CSV file, schedules (MS Project XML, Primavera P6 XER), or a Project "
        "Online export (ProjectData: workbook, zip or JSON pages)"
    ),
    type=["xlsx", "csv", "gz", "txt", "xml", "xer", "pmxml", "mpp", "zip", "json"],
    accept_multiple_files=True,
    key="import_file",
    help=t(
        "Several schedule files (one project each) and at most one portfolio workbook "
        "(programme, objectives, ratings, risks) make one snapshot."
    ),
)
files = [(u.name, u.getvalue()) for u in uploads]
role_field = None  # MS Project resources' role from a custom field instead of their Group
if any(schedules.is_schedule_name(n) or n.lower().endswith((".zip", ".json")) for n, _ in files):
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
    mode = panels.import_mode(files)
    result = panels.validate(files, role_field, mode=mode)
    if len(files) == 1:  # the mapping editor serves one unknown export at a time
        profile = panels.mapping_editor(files[0][0], files[0][1], result.issues)
        if profile is not None:  # the live preview: counts, issues and tables follow it
            result = panels.validate(files, role_field, profile, mode)
    panels.validation_report(result, lang)
    schedule_risk_panel.schedule_risk(result, files, lang)  # MS Project / P6 files only
    panels.quality_panel(result.frames, result.fixes)
    panels.preview(result)

    sid = panels.commit_section(result, lang)
    if sid is not None:
        state.select_snapshot(sid)
        st.session_state["_import_done"] = sid
        st.rerun()
done = st.session_state.pop("_import_done", None)
if done is not None:
    st.success(t("Snapshot #{id} imported.", id=done))

snapshot_history.snapshot_history(lang)
snapshot_history.audit_log(lang)
