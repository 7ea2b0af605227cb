"""Reports: the steering-committee pack (Excel, HTML, PDF) for the snapshot and the filters."""

from __future__ import annotations

from functools import partial

import streamlit as st

from pmo_core import report
from pmo_core.errors import PmoError
from ui import format as fmt
from ui import loaders, reports_panels, state, widgets
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

scope = None if every else tuple(ids)
try:
    preview = loaders.pack_preview(snap.snapshot_id, loaders.db(), pack_lang, scope, scenario_id)
except PmoError as exc:
    widgets.show_error(exc)
    st.stop()
reports_panels.preview(preview, pack_lang)

st.subheader(t("Download the pack"))
chromium = report.find_chromium()
kinds = {
    "xlsx": (
        t("Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "html": (t("HTML report"), "text/html"),
    "pdf": (t("PDF (A4 landscape)"), "application/pdf"),
}
icons = {
    "xlsx": ":material/table_view:",
    "html": ":material/web:",
    "pdf": ":material/picture_as_pdf:",
}
stem = ("dossier_copil" if pack_lang == "fr" else "steering_pack") + f"_{snap.as_of:%Y-%m-%d}"
for col, (kind, (label, mime)) in zip(st.columns(3), kinds.items(), strict=True):
    missing = kind == "pdf" and chromium is None
    # Built when clicked (the PDF takes Chromium seconds), then cached per snapshot,
    # format, language, filters and scenario.
    col.download_button(
        label,
        partial(
            loaders.pack_file, snap.snapshot_id, loaders.db(), kind, pack_lang, scope, scenario_id
        ),
        f"{stem}.{kind}",
        mime=mime,
        key=f"reports_download_{kind}",
        icon=icons[kind],
        disabled=missing,
        width="stretch",
        help=t("The PDF needs Chromium on the server (apt-get install chromium).")
        if missing
        else None,
    )
    if missing:
        col.caption(t("The PDF needs Chromium on the server (apt-get install chromium)."))
