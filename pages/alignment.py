"""Strategic alignment: objective weights (direct or pairwise), consistency, ranking."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _shared as shared
from pmo_core import alignment

snap = shared.require_snapshot()
lang = shared.lang()
f = snap.frames
objectives, pairwise = f["objectives"], f["pairwise"]

st.title(shared.t("Alignment"))
if objectives.empty:
    st.info(shared.t("This snapshot has no strategic objectives."))
    st.stop()
names = dict(zip(objectives["objective_id"], objectives["name"], strict=True))
st.caption(
    shared.t(
        "Weights from the pairwise comparisons (AHP, principal eigenvector); edit a "
        "judgment to see the ranking move."
    )
)
matrix = alignment.pairwise_matrix(objectives, pairwise)
edited = st.data_editor(
    matrix.round(3).rename(index=names, columns=names), key="alignment_matrix", width="stretch"
)
edited.index, edited.columns = matrix.index, matrix.columns
# Keep the upper triangle as edited and mirror it, so the matrix stays reciprocal.
pairs = [
    (a, b, float(edited.loc[a, b]))
    for i, a in enumerate(matrix.index)
    for b in matrix.index[i + 1 :]
    if float(edited.loc[a, b]) > 0
]
judgments = pd.DataFrame(pairs, columns=["objective_a", "objective_b", "judgment"])
weights = alignment.objective_weights(objectives.assign(weight=float("nan")), judgments)

c1, c2 = st.columns([1, 2])
with c1:
    if weights.cr is not None:
        badge = shared.t("Consistent") if weights.consistent else shared.t("Inconsistent")
        c1.metric(
            shared.t("Consistency ratio (CR)"),
            shared.number(weights.cr, 3),
            delta=badge,
            delta_color="normal" if weights.consistent else "inverse",
            help=shared.t("CR = CI / RI; 0.10 or less is acceptable."),
        )
    st.dataframe(
        pd.DataFrame(
            {
                shared.t("Objective"): [names[i] for i in weights.weights.index],
                shared.t("Weight"): (weights.weights * 100).round(1),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if not weights.consistent and len(weights.inconsistent):
        st.markdown(f"**{shared.t('Judgments to review')}**")
        inc = weights.inconsistent
        st.dataframe(
            pd.DataFrame(
                {
                    "A": inc["objective_a"].map(names),
                    "B": inc["objective_b"].map(names),
                    shared.t("Given"): inc["judgment"].round(2),
                    shared.t("Consistent value"): inc["consistent_value"].round(2),
                }
            ),
            hide_index=True,
            width="stretch",
        )
with c2:
    scores = alignment.alignment_scores(f["alignment"], weights.weights, f["projects"])
    scores = scores.merge(f["projects"][["project_id", "name", "program"]], on="project_id")
    scores = shared.filter_projects(scores.rename(columns={"program": "program"}))
    ranked = (
        scores.dropna(subset=["alignment_score"])
        .sort_values("alignment_score", ascending=False)
        .head(25)
    )
    st.subheader(shared.t("Projects ranked by alignment"))
    st.bar_chart(
        pd.DataFrame(
            {shared.t("Score"): ranked["alignment_score"].to_numpy()},
            index=(ranked["project_id"] + " · " + ranked["name"]).str.slice(0, 40),
        ),
        horizontal=True,
        height=620,
    )
