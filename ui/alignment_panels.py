"""Widgets of the Alignment page: the weight editors (pairwise matrix or direct weights),
the weights with their consistency, saving a weighting, and the objective coverage. The
numbers come from :mod:`pmo_core.kpi.alignment`; this module lays out and wires widgets."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.errors import PmoError
from pmo_core.ingest.projectdata import portfolio
from pmo_core.ingest.values import parse_judgment
from pmo_core.kpi import alignment
from ui import auth as access
from ui import format as fmt
from ui import loaders, widgets
from ui.format import t


def pairwise_editor(
    objectives: pd.DataFrame,
    pairwise: pd.DataFrame,
    names: pd.Series,
    payload: dict[str, Any] | None,
    suffix: str,
) -> tuple[alignment.Weights, pd.DataFrame]:
    """The pairwise comparison matrix, editable; returns the weights and the judgments.

    ``names``: objective id -> name; ``payload``: a reloaded weighting (its judgments
    start the matrix), else the snapshot's pairwise sheet; ``suffix`` renews the editor's
    keys when another weighting is reloaded."""
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
                    now.iloc[int(row), list(names.values).index(col)] = _judgment(value)
        st.session_state[jkey] = alignment.judgments_from_matrix(now, base)
        st.session_state[vkey] = st.session_state.get(vkey, 0) + 1

    # Saaty's scale as a committee writes it (3, 1/3), not 0.333: text cells, read back
    # by the import's judgment reader (1/3, 0,333, 3 and words all accepted).
    shown = matrix.map(fmt.judgment)
    edited = st.data_editor(
        shown.rename(index=names, columns=names),
        key=ekey,
        on_change=_fold,
        width="stretch",
        # Short column labels (the ids, the name on hover) keep the matrix on screen.
        column_config={
            "_index": st.column_config.TextColumn(width="medium"),
            **{
                n: st.column_config.TextColumn(str(i), help=str(n), width="small")
                for i, n in names.items()
            },
        },
    )
    # Only the cells the user retyped are read back: an untouched "0,42" stays 0.4167.
    typed = edited.to_numpy(dtype=object) != shown.to_numpy(dtype=object)
    numbers = matrix.astype("float64").copy()
    for i, j in zip(*typed.nonzero(), strict=True):
        numbers.iloc[i, j] = _judgment(edited.iloc[i, j])
    judgments = alignment.judgments_from_matrix(numbers, matrix)
    return alignment.pairwise_weights(list(names.index), judgments), judgments


def _judgment(text: object) -> float:
    """A typed judgment (``3``, ``1/3``, ``0,333``) as a number; NaN when unreadable (the
    matrix then keeps the cell's former value: a non-positive or NaN entry is ignored)."""
    return float(parse_judgment(pd.Series([text], dtype="object"))[0].iloc[0])


def direct_editor(
    own: pd.Series, names: pd.Series, payload: dict[str, Any] | None, suffix: str
) -> alignment.Weights:
    """One weight per objective, on any scale; starts from the reloaded weighting
    (``payload``) or the snapshot's own weights (``own``)."""
    ids = list(names.index)
    start = own
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
    return alignment.direct_weights(pd.Series(table["weight"].to_numpy(), index=ids))


def scores(
    frames: dict[str, pd.DataFrame],
    weights: alignment.Weights,
    projects: pd.DataFrame,
    ratings: pd.DataFrame,
    settings: dict[str, str],
) -> pd.DataFrame:
    """The projects' alignment scores (ratings, else imported priorities), with a note
    when the snapshot comes from Project Server: its prioritization, its consistency
    ratio beside the cockpit's CR of the same judgments, and how many projects are
    scored by Project Server's priority rather than by ratings."""
    out = alignment.alignment_scores(
        frames["alignment"], weights.weights, projects, ratings, imported=frames.get("priorities")
    )
    name = settings.get("projectserver_prioritization")
    imported = int((out["source"] == portfolio.SOURCE).sum())
    if name is None and not imported:
        return out
    lines = []
    if name is not None:
        c = portfolio.consistency(frames["objectives"], frames["pairwise"], settings)
        lines.append(
            t("Weights and judgments from Project Server's prioritization {name}.", name=name)
        )
        lines.append(
            t(
                "Project Server's consistency ratio: {ps} (1 = fully consistent; it warns "
                "below 0.75). The cockpit's CR of the same judgments: {cr} (0 = fully "
                "consistent; 0.10 or less is acceptable).",
                ps=fmt.number(c["projectserver"], 2),
                cr=fmt.number(c["cr"], 2),
            )
        )
    if imported:
        lines.append(
            t(
                "{n} project(s) scored by Project Server's priority (no rating in the "
                "Alignment sheet); a rating given there takes over.",
                n=imported,
            )
        )
    st.info("  \n".join(lines))
    return out


def weights_summary(weights: alignment.Weights, names: pd.Series) -> None:
    """The consistency ratio (pairwise), the weights, and the judgments to review."""
    if weights.cr is not None:
        badge = t("Consistent") if weights.consistent else t("Inconsistent")
        st.metric(
            t("Consistency ratio (CR)"),
            fmt.number(weights.cr, 2),
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
                    t("Given"): inc["judgment"].map(fmt.judgment),
                    t("Consistent value"): inc["consistent_value"].map(fmt.judgment),
                }
            ),
            hide_index=True,
            width="stretch",
        )


def save_weighting(
    weights: alignment.Weights, judgments: pd.DataFrame | None, snapshot_id: int
) -> None:
    """A name and a button that store the weighting (the What-if can then use it)."""
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
            access.require("scenario")
            loaders.save_weighting(
                wname, weights, judgments, snapshot_id=snapshot_id, who=access.who()
            )
        except PmoError as exc:
            widgets.show_error(exc)
        else:
            st.success(t("Weighting saved: {name}", name=wname))


def coverage_table(cov: pd.DataFrame, spend: pd.DataFrame, names: pd.Series) -> None:
    """Per objective: weight against share of spend, and the projects serving it."""
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


def coverage_warnings(warn: pd.DataFrame, names: pd.Series) -> None:
    """Projects with no rating, objectives that no project serves."""
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
