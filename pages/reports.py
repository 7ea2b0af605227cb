"""Reports: the steering-committee pack (Excel, HTML, PDF) for the snapshot and the filters."""

from __future__ import annotations

import streamlit as st

from pages import _shared as shared
from pmo_core import report
from pmo_core.errors import PmoError
from pmo_core.optimize import scenarios

snap = shared.require_snapshot()
lang = shared.lang()
ids = sorted(shared.filtered_ids(snap))
every = len(ids) == len(snap.frames["projects"])

st.title(shared.t("Steering committee pack"))
st.caption(
    shared.t(
        "Snapshot #{id} as of {date} · {n} projects",
        id=snap.snapshot_id,
        date=shared.date(snap.as_of),
        n=len(ids),
    )
    + " · "
    + (shared.t("All projects") if every else shared.t("the sidebar's filters apply"))
)

# Labels computed here, not in a format_func: widgets re-format values outside the run.
lang_labels = {"fr": "Français", "en": "English"}
c1, c2 = st.columns([1, 2])
pack_lang = c1.radio(
    shared.t("Language of the pack"),
    ["fr", "en"],
    index=0 if lang == "fr" else 1,
    format_func=lang_labels.__getitem__,
    horizontal=True,
    key="reports_lang",
)
saved = scenarios.list_scenarios(shared.db())
choices: list[int | None] = [None, *(int(i) for i in saved["doc_id"])]
scenario_labels = {None: shared.t("(none)")} | {
    int(r.doc_id): f"{r.name} (#{int(r.doc_id)})" for r in saved.itertuples()
}
scenario_id = c2.selectbox(
    shared.t("Saved scenario to include"),
    choices,
    format_func=scenario_labels.__getitem__,
    key="reports_scenario",
)

params = (snap.snapshot_id, pack_lang, tuple(ids), scenario_id)
if st.session_state.get("_reports_params") != params:  # a new choice: built packs are stale
    st.session_state["_reports_params"] = params
    st.session_state["_reports_built"] = {}
built: dict[str, bytes] = st.session_state["_reports_built"]

chromium = report.find_chromium()
kinds = {
    "xlsx": (
        shared.t("Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "html": (shared.t("HTML report"), "text/html"),
    "pdf": (shared.t("PDF (A4 landscape)"), "application/pdf"),
}
stem = ("dossier_copil" if pack_lang == "fr" else "steering_pack") + f"_{snap.as_of:%Y-%m-%d}"
for col, (fmt, (label, mime)) in zip(st.columns(3), kinds.items(), strict=True):
    with col:
        st.subheader(label)
        missing = fmt == "pdf" and chromium is None
        if st.button(
            shared.t("Build"),
            key=f"reports_build_{fmt}",
            disabled=missing,
            help=shared.t("The PDF needs Chromium on the server (apt-get install chromium).")
            if missing
            else None,
        ):
            try:
                with st.spinner(shared.t("Building the pack...")):
                    built[fmt] = report.build_report(
                        snap.snapshot_id,
                        fmt,
                        lang=pack_lang,
                        project_ids=None if every else ids,
                        scenario_id=scenario_id,
                        path=shared.db(),
                    )
            except PmoError as exc:
                shared.show_error(exc)
        if missing:
            st.caption(shared.t("The PDF needs Chromium on the server (apt-get install chromium)."))
        if fmt in built:
            st.download_button(
                shared.t("Download"),
                built[fmt],
                f"{stem}.{fmt}",
                mime=mime,
                key=f"reports_download_{fmt}",
                icon=":material/download:",
            )
