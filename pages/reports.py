"""Reports: the steering-committee pack (Excel, HTML, PDF) for the snapshot and the filters."""

from __future__ import annotations

import streamlit as st

from pmo_core import report
from pmo_core.errors import PmoError
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
ids = sorted(state.filtered_ids(snap))
every = len(ids) == len(snap.frames["projects"])

st.title(t("Steering committee pack"))
st.caption(
    t(
        "Snapshot #{id} as of {date} · {n} projects",
        id=snap.snapshot_id,
        date=fmt.date(snap.as_of),
        n=len(ids),
    )
    + " · "
    + (t("All projects") if every else t("the sidebar's filters apply"))
)

# Labels computed here, not in a format_func: widgets re-format values outside the run.
lang_labels = {"fr": "Français", "en": "English"}
c1, c2 = st.columns([1, 2])
pack_lang = c1.radio(
    t("Language of the pack"),
    ["fr", "en"],
    index=0 if lang == "fr" else 1,
    format_func=lang_labels.__getitem__,
    horizontal=True,
    key="reports_lang",
)
saved = loaders.saved_scenarios(loaders.db())
choices: list[int | None] = [None, *(int(i) for i in saved["doc_id"])]
scenario_labels = {None: t("(none)")} | {
    int(r.doc_id): f"{r.name} (#{int(r.doc_id)})" for r in saved.itertuples()
}
scenario_id = c2.selectbox(
    t("Saved scenario to include"),
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
        t("Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "html": (t("HTML report"), "text/html"),
    "pdf": (t("PDF (A4 landscape)"), "application/pdf"),
}
stem = ("dossier_copil" if pack_lang == "fr" else "steering_pack") + f"_{snap.as_of:%Y-%m-%d}"
for col, (kind, (label, mime)) in zip(st.columns(3), kinds.items(), strict=True):
    with col:
        st.subheader(label)
        missing = kind == "pdf" and chromium is None
        if st.button(
            t("Build"),
            key=f"reports_build_{kind}",
            disabled=missing,
            help=t("The PDF needs Chromium on the server (apt-get install chromium).")
            if missing
            else None,
        ):
            try:
                with st.spinner(t("Building the pack...")):
                    built[kind] = loaders.build_pack(
                        snap.snapshot_id,
                        kind,
                        lang=pack_lang,
                        project_ids=None if every else ids,
                        scenario_id=scenario_id,
                    )
            except PmoError as exc:
                widgets.show_error(exc)
        if missing:
            st.caption(t("The PDF needs Chromium on the server (apt-get install chromium)."))
        if kind in built:
            st.download_button(
                t("Download"),
                built[kind],
                f"{stem}.{kind}",
                mime=mime,
                key=f"reports_download_{kind}",
                icon=":material/download:",
            )
