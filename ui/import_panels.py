"""Widgets of the Import page that would make it too long: the validation (with its
progress, kept in the session across reruns), the validation report, the mapping editor,
the data-quality panel and the preview. The logic lives in :mod:`pmo_core.ingest`
(pipeline, mapping, quality); this module only lays out widgets and wires them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import ingest
from pmo_core.errors import PmoError, UsageError
from pmo_core.export_safety import frame_xlsx
from pmo_core.ingest import IngestResult, mapping, pipeline, quality, schedules, template, update
from pmo_core.ingest import headers as hd
from pmo_core.ingest.schedules.common import read_counts
from pmo_core.schema import TABLES
from ui import auth as access
from ui import format as fmt
from ui import loaders, schedule_quality_panel, widgets
from ui.format import t

RESULTS = "_import_results"  # session key: validated files, by content, profile and role field


@dataclass(frozen=True)
class ImportMode:
    """How the Import page reads the file: lenient or strict; update or whole snapshot."""

    lenient: bool = False
    update: bool = False


def import_mode(files: list[tuple[str, bytes]]) -> ImportMode:
    """The mode widgets: replace the portfolio or update the file's projects (offered for
    one workbook when the store holds a snapshot), and the lenient checkbox (default off:
    strict)."""
    c1, c2 = st.columns([2, 1])
    can_update = (
        len(files) == 1
        and not schedules.is_schedule_name(files[0][0])
        and not loaders.snapshots(loaders.db()).empty
    )
    choices = ["replace", "update"] if can_update else ["replace"]
    labels = {
        "replace": t("Replace the portfolio (whole snapshot)"),
        "update": t("Update these projects (departmental file)"),
    }
    mode = c1.radio(
        t("Import mode"),
        choices,
        format_func=labels.__getitem__,
        key="import_mode",
        horizontal=True,
        help=t(
            "Update: the new snapshot is the newest one with this file's projects and their "
            "rows replaced or added; objectives, capacity, weightings and the other projects "
            "are carried over."
        ),
    )
    lenient = c2.checkbox(
        t("Lenient import"),
        value=False,
        key="import_lenient",
        help=t(
            "Import what is valid: a faulty cell is left empty, a row with a faulty id is "
            "left out, an exact duplicate row is kept once; each is listed as a warning and "
            "recorded in the audit log."
        ),
    )
    return ImportMode(lenient=bool(lenient), update=mode == "update")


def validate(
    files: list[tuple[str, bytes]],
    role_field: str | None,
    profile: dict[str, Any] | None = None,
    mode: ImportMode = ImportMode(),
) -> IngestResult:
    """Validate once per set of files, profile, role field and mode (kept in the session
    across reruns), showing each step as it starts. A whole snapshot much smaller than the
    newest one is warned (:func:`pmo_core.ingest.pipeline.compare_with_newest`)."""
    key = (
        tuple((n, hashlib.sha256(d).hexdigest()) for n, d in files),
        json.dumps(profile, sort_keys=True),
        role_field,
        mode,
    )
    cached: dict[Any, IngestResult] = st.session_state.setdefault(RESULTS, {})
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
                lenient=mode.lenient,
                update=mode.update,
                path=loaders.db() if mode.update else None,
            )
        else:
            result = pipeline.validate_files(
                files, mapping=profile, progress=step, role_field=role_field, lenient=mode.lenient
            )
        if result.ok and not mode.update:
            result.issues.extend(pipeline.compare_with_newest(result, loaders.db()))
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


def forget_validations() -> None:
    """Drop the session's validated files (after an import: the next upload starts fresh)."""
    st.session_state.pop(RESULTS, None)


#: The validation report's headers (``IngestResult.issues_frame``'s columns): the app's
#: words, in the user's language; the sheet, column and value cells are the file's own.
ISSUE_HEADERS = {
    "severity": "Severity",
    "sheet": "Sheet",
    "row": "Row",
    "project_id": "Project",
    "column": "Column",
    "value": "Value",
    "message": "Message",
}


def validation_report(result: IngestResult, lang: str) -> None:
    """Counts, the issues (filtered by severity, downloadable) and the verdict."""
    errors = sum(i.severity == "error" for i in result.issues)
    warnings = len(result.issues) - errors
    counts = read_counts(result)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Projects read"), fmt.number(counts["projects"]))
    c2.metric(t("Errors"), errors)
    c3.metric(t("Warnings"), warnings)
    if "activities" in counts:  # a schedule: what MS Project or P6 would show
        c4, c5, _ = st.columns(3)
        c4.metric(t("Activities read"), fmt.number(counts["activities"]))
        c5.metric(t("Milestones read"), fmt.number(counts["milestones"]))
    if result.update is not None:  # an update: what happens to the snapshot's projects
        u1, u2, u3 = st.columns(3)
        u1.metric(t("Projects updated"), fmt.number(result.update["updated"]))
        u2.metric(t("Projects added"), fmt.number(result.update["added"]))
        u3.metric(t("Projects kept"), fmt.number(result.update["kept"]))
    for issue in result.issues:  # the warnings that change what the commit means
        if issue.template in (pipeline.FEWER_PROJECTS, update.UPDATE_SUMMARY, update.COLUMNS_LOST):
            st.warning(issue.text(lang))
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
        shown.columns = [t(ISSUE_HEADERS[c]) for c in shown.columns]
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            t("Download the report (Excel)"),
            frame_xlsx(shown, t("Issues")),
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
    schedule_quality_panel.schedule_quality(result)  # MS Project / P6 files only


def preview(result: IngestResult) -> None:
    """The first rows of each table read, one tab per table."""
    st.subheader(t("Preview"))
    names = [n for n in TABLES if result.counts[n]]
    if names:
        tabs = st.tabs([f"{t(TABLES[n].sheet_en)} ({result.counts[n]})" for n in names])
        for tab, name in zip(tabs, names, strict=True):
            shown = template.as_written(name, result.frames[name].head(50), fmt.lang())
            tab.dataframe(shown, hide_index=True, width="stretch")


def _headers(name: str, data: bytes) -> dict[str, list[str]]:
    key = ("_import_headers", hashlib.sha256(data).hexdigest())
    cached = st.session_state.get("_import_headers")
    if cached is not None and cached[0] == key:
        return dict(cached[1])
    headers = ingest.read_headers(data, filename=name)
    st.session_state["_import_headers"] = (key, headers)
    return headers


_SCALE_LABELS = {
    "": "As the header says",
    "1": "Units (x 1)",
    "1000": "Thousands (x 1,000)",
    "1000000": "Millions (x 1,000,000)",
    "1000000000": "Billions (x 1,000,000,000)",
}
_DECIMAL_LABELS = {
    "": "Decided from the file",
    ",": "Comma (1 234,50)",
    ".": "Point (1,234.50)",
}


def _amounts_editor(
    columns: pd.DataFrame, table: str, profile: dict[str, Any] | None, tag: str
) -> pd.DataFrame:
    """Per number column the mapping feeds: its unit and its decimal separator."""
    rows = mapping.amounts_editor_rows(columns, table, profile)
    if rows.empty:
        return rows
    lang = fmt.lang()
    names = {c: template.header(table, c, lang) for c in rows["column"]}
    scales = [*mapping.SCALES, *(s for s in rows["scale"] if s not in mapping.SCALES)]
    st.markdown(t("Units and decimal separators of the number columns"))
    return st.data_editor(
        rows,
        column_config={
            "column": st.column_config.SelectboxColumn(
                t("Column"), options=list(names), format_func=names.__getitem__, disabled=True
            ),
            "scale": st.column_config.SelectboxColumn(
                t("Unit"),
                options=scales,
                format_func=lambda s: t(_SCALE_LABELS[s]) if s in _SCALE_LABELS else f"x {s}",
            ),
            "decimal": st.column_config.SelectboxColumn(
                t("Decimal separator"),
                options=list(mapping.DECIMALS),
                format_func=lambda d: t(_DECIMAL_LABELS[d]),
            ),
        },
        hide_index=True,
        width="stretch",
        key=f"import_map_amounts_{tag}_{'_'.join(rows['column'])}",
    )


def mapping_editor(name: str, data: bytes, issues: list[Any]) -> dict[str, Any] | None:
    """The mapping editor, shown when the file's headers are not all recognised.

    Returns the profile to read the file with, or None to read it as it is."""
    if not mapping.needs_mapping(issues):
        return None
    sheets = _headers(name, data)
    if not sheets:
        return None
    saved = loaders.mapping_profiles(loaders.db())
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
    # Keyed: the expander stays open across the reruns each cell edit makes (the status
    # of the first read, shown above it once, no longer shifts it).
    with st.expander(
        t("Edit the mapping"),
        expanded=unread or suggested is not None,
        key=f"import_map_open_{digest}",
        icon=":material/tune:",
    ):
        st.caption(
            t(
                "Some headers are not recognised: choose the column each one feeds, "
                "constant values for columns the file lacks, and how to read its words. "
                "The counts and issues below follow your choices as you make them."
            )
        )
        sheet = st.selectbox(t("Sheet"), list(sheets), key="import_map_sheet")
        labels = {n: t(TABLES[n].sheet_en) for n in TABLES}
        table = st.selectbox(
            t("Table"), list(TABLES), format_func=labels.__getitem__, key="import_map_table"
        )
        tag = f"{digest}_{sheet}_{table}_{(suggested or {}).get('name', '')}"
        choices = mapping.canonical_choices(table)
        label = column_labels(table, fmt.lang())
        # The choices are the template's headers in the user's language ("Code projet"),
        # read back as canonical columns for the profile.
        canon = {v: k for k, v in label.items()}
        shown = mapping.editor_rows(sheets[sheet], table, suggested)
        shown["column"] = shown["column"].map(label.__getitem__)
        shown["hint"] = [  # an unmapped header's closest column, for the user to choose
            (label[g] if (g := hd.did_you_mean(table, src)) else "") if col == label[""] else ""
            for src, col in zip(shown["source"], shown["column"], strict=True)
        ]
        edited = st.data_editor(
            shown,
            column_config={
                "source": st.column_config.TextColumn(t("Column in the file"), disabled=True),
                "hint": st.column_config.TextColumn(t("Did you mean"), disabled=True),
                "column": st.column_config.SelectboxColumn(
                    t("Feeds the column"), options=[label[c] for c in choices], required=True
                ),
            },
            hide_index=True,
            width="stretch",
            key=f"import_map_columns_{tag}",
        )
        columns = edited.assign(column=edited["column"].map(lambda v: canon.get(v, v or "")))
        amounts = _amounts_editor(columns, table, suggested, tag)
        st.markdown(t("Constant values (when the file lacks the column or leaves it empty)"))
        defaults = st.data_editor(
            mapping.defaults_rows(suggested, table),
            column_config={
                "column": st.column_config.SelectboxColumn(
                    t("Column"),
                    options=choices[1:],
                    required=True,
                    format_func=label.__getitem__,
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
                    t("Column"),
                    options=choices[1:],
                    required=True,
                    format_func=label.__getitem__,
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
                amounts=amounts,
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
                access.require("profile")
                loaders.save_mapping_profile(
                    profile,
                    who=access.who(),
                    doc_id=int(same["doc_id"].iloc[0]) if len(same) else None,
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
    # Applied live: at once when nothing else could be read or a saved profile fits,
    # else from the first edit (a template workbook with one odd column keeps its sheets).
    use = unread or suggested is not None or _edited(tag)
    return profile if use else None


def column_labels(table: str, lang: str) -> dict[str, str]:
    """The editor's choices as the user reads them: each canonical column by its template
    header in ``lang`` (``Code projet``, not ``project_id``), and the choice to ignore."""
    out = {mapping.IGNORE: t("(not imported)")}
    out.update({c: template.header(table, c, lang) for c in TABLES[table].column_names})
    return out


def _edited(tag: str) -> bool:
    """True when one of the mapping editor's tables for ``tag`` (columns, units, defaults,
    values) holds an edit of the user's."""
    keys = [f"import_map_{part}_{tag}" for part in ("columns", "defaults", "values", "amounts")]
    return any(
        isinstance(v, dict) and any(v.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
        for k, v in st.session_state.items()
        if any(str(k).startswith(key) for key in keys)
    )


FIX_LABELS = {
    "cell_left_empty": "Cells left empty",
    "row_left_out": "Rows left out",
    "duplicate_kept_once": "Duplicate rows kept once",
    "sheet_left_out": "Sheets left out",
}


def quality_panel(frames: dict[str, pd.DataFrame], fixes: dict[str, int] | None = None) -> None:
    """What each project read from the file is missing, and the counts; ``fixes``: what a
    lenient import left empty or out (:attr:`pmo_core.ingest.IngestResult.fixes`)."""
    by_project = quality.quality_by_project(frames)
    if by_project.empty and not any((fixes or {}).values()):
        return
    st.subheader(t("Data quality"))
    if fixes and any(fixes.values()):
        st.caption(t("Corrected by the lenient import"))
        for col, (kind, n) in zip(st.columns(len(fixes)), fixes.items(), strict=True):
            col.metric(t(FIX_LABELS[kind]), fmt.number(n))
    if by_project.empty:
        return
    summary = quality.quality_summary(by_project)
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


def commit_section(result: IngestResult, lang: str) -> int | None:
    """The as-of date (warned when a snapshot has it already), the confirmation a file
    much smaller than the newest snapshot needs, and the commit button; the new snapshot's
    id once committed."""
    as_of = st.date_input(
        t("As-of date of this snapshot"),
        value=result.as_of or date.today(),
        key="import_as_of",
        format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
    )
    same = pipeline.same_as_of(as_of, snapshots=loaders.snapshots(loaders.db()))
    if same is not None:
        st.warning(same.text(lang))
    confirmed = True
    if pipeline.fewer_projects(result):
        confirmed = st.checkbox(
            t(
                "I confirm: the portfolio becomes this file's {n} projects.",
                n=fmt.number(result.counts["projects"]),
            ),
            value=False,
            key=f"import_confirm_fewer_{result.sha256[:16]}",  # each file confirmed anew
        )
    clicked = st.button(
        t("Import this snapshot"),
        type="primary",
        disabled=not result.ok or not confirmed or not access.can("import"),
        help=access.hint("import"),
        key="import_commit",
    )
    if clicked:
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
            return None
        forget_validations()
        return sid
    return None


def project_online_guide() -> None:
    """One line pointing a Project Online user to the guide of the ProjectData export."""
    st.caption(
        t(
            "Leaving Project Online? Import your ProjectData export: see the guide "
            "docs/leaving-project-online.md."
        )
    )
