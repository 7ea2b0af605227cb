"""Strategic alignment: objective weights (direct or pairwise), consistency, ranking,
ratings heat map, spend by objective against its weight, coverage and warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo_core.charts import alignment as charts
from pmo_core.errors import PmoError
from pmo_core.kpi import alignment
from ui import auth as access
from ui import format as fmt
from ui import loaders, state, widgets
from ui.format import t

snap = state.require_snapshot()
lang = fmt.lang()
f = snap.frames
objectives, pairwise = f["objectives"], f["pairwise"]

st.title(t("Alignment"))
if objectives.empty:
    st.info(t("This snapshot has no strategic objectives."))
    st.stop()
ids = list(objectives["objective_id"])
names = pd.Series(list(objectives["name"].fillna(objectives["objective_id"])), index=ids)
own = alignment.objective_weights(objectives, pairwise)


@st.cache_data(ttl=10, show_spinner=False)
def weightings(db_path: str) -> pd.DataFrame:
    return alignment.list_weightings(db_path)


@st.cache_resource(max_entries=8, show_spinner=False)
def ratings(snapshot_id: int, db_path: str) -> pd.DataFrame:
    """The ratings pivoted once per snapshot (shared, never mutated): a weight edit only
    multiplies it."""
    return alignment.ratings_table(loaders.snapshot(snapshot_id, db_path).frames["alignment"])


@st.cache_data(max_entries=16, show_spinner=False)
def coverage(
    snapshot_id: int, db_path: str, filters: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Objective coverage and warnings of the filtered projects (they ignore the weights)."""
    g = loaders.snapshot(snapshot_id, db_path).frames
    chosen = state.filter_projects(g["projects"])
    return (
        alignment.objective_coverage(g["alignment"], g["objectives"], chosen),
        alignment.alignment_warnings(g["alignment"], g["objectives"], chosen),
    )


saved = weightings(loaders.db()).set_index("doc_id")
# Labels computed here, not in a format_func: widgets re-format values outside the run.
starts = {0: t("The snapshot's own weights")} | {int(i): str(n) for i, n in saved["name"].items()}
chosen = st.selectbox(
    t("Start from"), list(starts), format_func=starts.get, key="alignment_weighting"
)
payload = saved.loc[chosen, "payload"] if chosen else None
suffix = f"_w{chosen}" if chosen else ""  # a reloaded weighting starts fresh editors
method = payload["method"] if payload else own.method
modes = {"pairwise": t("Pairwise comparisons"), "direct": t("Direct weights")}
mode = st.radio(
    t("Weights given as"),
    list(modes),
    index=1 if method == "direct" else 0,
    format_func=modes.get,
    horizontal=True,
    key=f"alignment_mode{suffix}",
)

# The editor takes the page's width (8 objectives: 200 + 8 x 75 px); the weights below.
left, right = st.container(), st.container()
judgments = None
with left:
    if mode == "pairwise":
        st.caption(
            t(
                "Weights from the pairwise comparisons (AHP, principal eigenvector); edit a "
                "judgment to see the ranking move."
            )
        )
        # An edit is folded into the judgments and the matrix is drawn again, fresh (a new
        # editor key), so that the mirrored cell shows the reciprocal at once.
        jkey, vkey = f"_alignment_judgments{suffix}", f"_alignment_version{suffix}"
        given = st.session_state.get(jkey)
        if given is None:
            given = pd.DataFrame(
                payload["judgments"] if payload else [],
                columns=["objective_a", "objective_b", "judgment"],
            )
        matrix = alignment.pairwise_matrix(objectives, given if len(given) else pairwise)
        ekey = f"alignment_matrix{suffix}_{st.session_state.get(vkey, 0)}"

        def _fold(base: pd.DataFrame = matrix, key: str = ekey) -> None:
            edits = st.session_state[key].get("edited_rows", {})
            now = base.copy()
            for row, cells in edits.items():
                for col, value in cells.items():
                    if col in names.values:
                        now.iloc[int(row), list(names.values).index(col)] = value
            st.session_state[jkey] = alignment.judgments_from_matrix(now, base)
            st.session_state[vkey] = st.session_state.get(vkey, 0) + 1

        edited = st.data_editor(
            matrix.rename(index=names, columns=names),
            key=ekey,
            on_change=_fold,
            width="stretch",
            # Short column labels (the ids, the name on hover) keep the matrix on screen.
            column_config={
                "_index": st.column_config.TextColumn(width="medium"),
                **{
                    n: st.column_config.NumberColumn(
                        str(i), help=str(n), min_value=0.0, format="%.3f", width="small"
                    )
                    for i, n in names.items()
                },
            },
        )
        edited.index, edited.columns = matrix.index, matrix.columns
        judgments = alignment.judgments_from_matrix(edited, matrix)
        weights = alignment.pairwise_weights(ids, judgments)
    else:
        start = own.weights
        if payload:
            try:
                start = alignment.weights_from_document(payload, ids)
            except PmoError as exc:
                widgets.show_error(exc)
        table = st.data_editor(
            pd.DataFrame(
                {"objective": names.to_numpy(), "weight": (100 * start.reindex(ids)).round(1)}
            ),
            key=f"alignment_direct{suffix}",
            hide_index=True,
            width="stretch",
            disabled=["objective"],
            column_config={
                "objective": st.column_config.TextColumn(t("Objective")),
                "weight": st.column_config.NumberColumn(t("Weight (any scale)"), min_value=0.0),
            },
        )
        weights = alignment.direct_weights(pd.Series(table["weight"].to_numpy(), index=ids))
with right:
    if weights.cr is not None:
        badge = t("Consistent") if weights.consistent else t("Inconsistent")
        st.metric(
            t("Consistency ratio (CR)"),
            fmt.number(weights.cr, 3),
            delta=badge,
            delta_color="normal" if weights.consistent else "inverse",
            help=t("CR = CI / RI; 0.10 or less is acceptable."),
        )
    st.dataframe(
        pd.DataFrame(
            {
                t("Objective"): names[weights.weights.index].to_numpy(),
                t("Weight"): [fmt.pct(100 * w, 1) for w in weights.weights],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if not weights.consistent and len(weights.inconsistent):
        st.markdown(f"**{t('Judgments to review')}**")
        inc = weights.inconsistent
        st.dataframe(
            pd.DataFrame(
                {
                    "A": inc["objective_a"].map(names),
                    "B": inc["objective_b"].map(names),
                    t("Given"): inc["judgment"].map(lambda v: fmt.number(v, 2)),
                    t("Consistent value"): inc["consistent_value"].map(lambda v: fmt.number(v, 2)),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    s1, s2 = st.columns([3, 2])
    wname = s1.text_input(t("Weighting name"), key="alignment_weighting_name")
    if s2.button(
        t("Save the weighting"),
        key="alignment_save",
        disabled=not wname or not access.can("scenario"),
        help=access.hint("scenario"),
        width="stretch",
    ):
        try:
            alignment.save_weighting(
                wname,
                weights,
                judgments,
                snapshot_id=snap.snapshot_id,
                who=access.who(),
                path=loaders.db(),
            )
        except PmoError as exc:
            widgets.show_error(exc)
        else:
            weightings.clear()
            st.success(t("Weighting saved: {name}", name=wname))

projects = state.filter_projects(f["projects"])
table = ratings(snap.snapshot_id, loaders.db())
scores = alignment.alignment_scores(f["alignment"], weights.weights, projects, table)
scores = scores.merge(projects[["project_id", "name"]], on="project_id")
rated = scores.dropna(subset=["alignment_score"]).sort_values(
    ["alignment_score", "project_id"], ascending=[False, True]
)
st.subheader(t("Projects ranked by alignment"))
top = int(
    st.number_input(
        t("Projects shown"),
        5,
        max(5, len(rated)),
        min(25, max(5, len(rated))),
        5,
        key="alignment_top",
    )
)
ranked = rated.head(top)
event = st.plotly_chart(
    charts.ranked_projects_bar(ranked, lang),
    width="stretch",
    key="alignment_ranked",
    on_select="rerun",
    selection_mode="points",
)
points = widgets.selected(event)
if points:
    widgets.open_project(points[0]["customdata"])
st.caption(t("Click a bar to open the project."))
st.plotly_chart(
    charts.ratings_heatmap(
        alignment.rating_matrix(f["alignment"], list(ranked["project_id"]), ids, table),
        list((ranked["project_id"] + " · " + ranked["name"].fillna("")).str.slice(0, 36)),
        list(names),
        lang,
    ),
    width="stretch",
    key="alignment_ratings",
)

st.subheader(t("Spend by objective"))
live = projects[projects["status"] != "cancelled"]
spend = alignment.spend_by_objective(f["alignment"], weights.weights, live, ratings=table)
st.plotly_chart(
    charts.spend_weight_bar(spend, names, lang, snap.currency),
    width="stretch",
    key="alignment_spend",
)
st.caption(
    t(
        "Each project's budget (cancelled projects left out) is split across objectives in "
        "proportion to its weighted ratings; {amount} of unrated budget funds no objective.",
        amount=fmt.money(spend.attrs["unallocated"]),
    )
)
key = tuple((k, tuple(v)) for k, v in state.filters().items())
cov, warn = coverage(snap.snapshot_id, loaders.db(), key)
st.dataframe(
    pd.DataFrame(
        {
            t("Objective"): cov["objective_id"].map(names),
            t("Weight"): [fmt.pct(v, 1) for v in spend["weight_pct"]],
            t("Share of spend"): [fmt.pct(v, 1) for v in spend["spend_pct"]],
            t("Spend"): spend["spend"].map(fmt.money),
            t("Projects serving it"): cov["projects"],
            t("Strongly (rating 6 or more)"): cov["strong"],
        }
    ),
    hide_index=True,
    width="stretch",
    key="alignment_coverage",
)
unrated = warn.loc[warn["kind"] == "unrated_project", "id"].tolist()
uncovered = warn.loc[warn["kind"] == "uncovered_objective", "id"].map(names).tolist()
if unrated:
    st.warning(
        t("{n} project(s) with no rating: {ids}", n=len(unrated), ids=", ".join(unrated[:12]))
        + (" …" if len(unrated) > 12 else "")
    )
if uncovered:
    st.warning(
        t(
            "{n} objective(s) that no project serves: {names}",
            n=len(uncovered),
            names=", ".join(uncovered),
        )
    )
