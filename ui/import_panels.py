"""Widgets of the Import page that would make it too long: the mapping editor and the
data-quality panel. The logic lives in :mod:`pmo_core.ingest.mapping` and :mod:`pmo_core.ingest.quality`;
this module only lays out widgets and wires them."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import ingest, store
from pmo_core.errors import PmoError, UsageError
from pmo_core.ingest import mapping, quality
from pmo_core.schema import TABLES
from ui import auth as access
from ui import format as fmt
from ui import loaders, widgets
from ui.format import t

PROFILE_KIND = "mapping_profile"


def _headers(name: str, data: bytes) -> dict[str, list[str]]:
    key = ("_import_headers", hashlib.sha256(data).hexdigest())
    cached = st.session_state.get("_import_headers")
    if cached is not None and cached[0] == key:
        return dict(cached[1])
    headers = ingest.read_headers(data, filename=name)
    st.session_state["_import_headers"] = (key, headers)
    return headers


def _saved() -> pd.DataFrame:
    return store.list_documents(PROFILE_KIND, loaders.db())


def mapping_editor(name: str, data: bytes, issues: list[Any]) -> dict[str, Any] | None:
    """The mapping editor, shown when the file's headers are not all recognised.

    Returns the profile to read the file with, or None to read it as it is."""
    if not mapping.needs_mapping(issues):
        return None
    sheets = _headers(name, data)
    if not sheets:
        return None
    saved = _saved()
    every = [h for hs in sheets.values() for h in hs]
    suggested = mapping.suggest_profile(every, list(saved["payload"]))
    # Used at once only when nothing could be read: a template workbook with one odd
    # sheet more keeps every sheet it has, not just the table an edited profile reads.
    unread = any(str(i.template).startswith(mapping.UNRECOGNISED[2]) for i in issues)
    digest = hashlib.sha256(data).hexdigest()[:12]
    st.subheader(t("Column mapping"))
    if suggested is not None:
        st.info(
            t(
                "The saved profile {name} matches these headers: the file is read with it. "
                "Change it below if needed.",
                name=suggested.get("name", ""),
            )
        )
    use = st.toggle(
        t("Read the file with this mapping"),
        value=unread or suggested is not None,
        key=f"import_map_use_{digest}",
    )
    with st.expander(t("Edit the mapping"), expanded=use, icon=":material/tune:"):
        st.caption(
            t(
                "Some headers are not recognised: choose the column each one feeds, "
                "constant values for columns the file lacks, and how to read its words. "
                "The counts and issues below follow your choices."
            )
        )
        sheet = st.selectbox(t("Sheet"), list(sheets), key="import_map_sheet")
        labels = {n: t(TABLES[n].sheet_en) for n in TABLES}
        table = st.selectbox(
            t("Table"), list(TABLES), format_func=labels.__getitem__, key="import_map_table"
        )
        tag = f"{digest}_{sheet}_{table}_{(suggested or {}).get('name', '')}"
        choices = mapping.canonical_choices(table)
        columns = st.data_editor(
            mapping.editor_rows(sheets[sheet], table, suggested),
            column_config={
                "source": st.column_config.TextColumn(t("Column in the file"), disabled=True),
                "column": st.column_config.SelectboxColumn(t("Feeds the column"), options=choices),
            },
            hide_index=True,
            width="stretch",
            key=f"import_map_columns_{tag}",
        )
        st.markdown(t("Constant values (when the file lacks the column or leaves it empty)"))
        defaults = st.data_editor(
            mapping.defaults_rows(suggested, table),
            column_config={
                "column": st.column_config.SelectboxColumn(
                    t("Column"), options=choices[1:], required=True
                ),
                "value": st.column_config.TextColumn(t("Value")),
            },
            num_rows="dynamic",
            hide_index=True,
            key=f"import_map_defaults_{tag}",
        )
        st.markdown(t("Words of the file read as (* for any other text)"))
        values = st.data_editor(
            mapping.values_rows(suggested, table),
            column_config={
                "column": st.column_config.SelectboxColumn(
                    t("Column"), options=choices[1:], required=True
                ),
                "source": st.column_config.TextColumn(t("In the file")),
                "value": st.column_config.TextColumn(t("Read as")),
            },
            num_rows="dynamic",
            hide_index=True,
            key=f"import_map_values_{tag}",
        )
        pname = st.text_input(
            t("Profile name"),
            value=str((suggested or {}).get("name") or name.rsplit(".", 1)[0]),
            key=f"import_map_name_{digest}",
        )
        try:
            profile = mapping.profile_from_editor(
                pname,
                every,
                columns,
                table=table,
                sheet=sheet if len(sheets) > 1 else "*",
                defaults=defaults,
                values=values,
            )
        except UsageError:
            st.warning(t("Map at least one column of the file to a column of the table."))
            return None
        if st.button(
            t("Save the profile"),
            key="import_map_save",
            disabled=not access.can("profile"),
            help=access.hint("profile"),
        ):
            same = saved[saved["name"] == profile["name"]]
            try:
                store.save_document(
                    PROFILE_KIND,
                    profile["name"],
                    profile,
                    who=access.who(),
                    doc_id=int(same["doc_id"].iloc[0]) if len(same) else None,
                    path=loaders.db(),
                )
            except PmoError as exc:
                widgets.show_error(exc)
            else:
                st.success(
                    t(
                        "Profile {name} saved: it will be proposed when these headers come back.",
                        name=profile["name"],
                    )
                )
    return profile if use else None


def quality_panel(frames: dict[str, pd.DataFrame]) -> None:
    """What each project read from the file is missing, and the counts."""
    by_project = quality.quality_by_project(frames)
    if by_project.empty:
        return
    summary = quality.quality_summary(by_project)
    st.subheader(t("Data quality"))
    c1, c2 = st.columns([1, 2])
    c1.metric(
        t("Projects with missing data"),
        f"{fmt.number(summary.projects_with_gaps)} / {fmt.number(summary.projects)}",
    )
    counts = pd.DataFrame(
        {
            t("Missing"): [t(label) for label in quality.GAPS.values()],
            t("Projects"): list(summary.gaps_by_kind.values()),
        }
    )
    c2.dataframe(counts, hide_index=True, width="stretch")
    gaps = by_project[by_project["gaps"] > 0]
    if len(gaps):
        view = gaps.rename(
            columns={
                "project_id": t("Project"),
                "name": t("Name"),
                "status": t("Status"),
                "gaps": t("Gaps"),
                **{k: t(v) for k, v in quality.GAPS.items()},
            }
        )
        view[t("Status")] = gaps["status"].map(lambda s: t(str(s))).to_numpy()
        st.dataframe(view, hide_index=True, width="stretch")
