"""The What-if page's robust selection: how sure the answer above is.

On a button press (never on a rerun) the what-if's problem, with the page's parameters,
is re-solved on draws where costs and values move +-spread (and, on alignment, the AHP
judgments one step of the scale): :func:`pmo_core.optimize.robust.robust_runs` through
``loaders.robust_runs``, each draw warm-started from the answer above. The figures show
after the first draw (well within 3 s) and refine while the user waits, with the draws
done out of N. The last state is kept in the session, keyed by the parameters, so that a
rerun shows it again without solving; a run stopped by a click elsewhere keeps what it
had, said to be an estimate.

The section is a fragment (``st.fragment``): its widgets and its button rerun only it,
not the page's optimiser. Widget keys are ``whatif_robust_<name>``.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core.i18n import na
from pmo_core.optimize import DEFAULT_TIME_LIMIT, WhatIf, robust
from ui import format as fmt
from ui import loaders
from ui.format import t

SAMPLES = (20, 50, 100, 200)
SHARE = 0.3  # seconds per draw: 100 draws in 30 s at most (issue 18's budget)
REFRESH = 0.5  # seconds between two refreshes of the figures while it runs
KEPT = 4  # results kept in the session (the latest parameter sets)


def section(snapshot_id: int, whatif: WhatIf, doc: dict[str, Any], names: pd.Series) -> None:
    """The robust selection under the answer ``doc`` found for ``whatif``."""
    st.divider()
    st.subheader(t("Robust selection"))
    st.caption(
        t(
            "Costs and values are estimates. The selection is computed again on draws "
            "where each project's cost and value move within the uncertainty (triangular "
            "law) and, on alignment, each AHP judgment one step of the scale; the rules "
            "above stay. Selected in at least 90 % of the draws: core; in at most 10 %: "
            "out; otherwise borderline."
        )
    )
    _analysis(snapshot_id, whatif, doc, names)


@st.fragment
def _analysis(snapshot_id: int, whatif: WhatIf, doc: dict[str, Any], names: pd.Series) -> None:
    c1, c2, c3 = st.columns([3, 2, 2], vertical_alignment="bottom")
    # Whole percents: printf's format is right in both languages ("± 20 %", "± 20%").
    spread = c1.slider(
        t("Uncertainty on costs and values"),
        min_value=5,
        max_value=50,
        value=20,
        step=5,
        format="± %d %%" if fmt.lang() == "fr" else "± %d%%",
        key="whatif_robust_spread",
    )
    samples = c2.select_slider(t("Draws"), SAMPLES, value=100, key="whatif_robust_samples")
    pressed = c3.button(t("Run the robust analysis"), key="whatif_robust_run", width="stretch")
    key = (
        snapshot_id,
        loaders.db(),
        replace(whatif, time_limit=DEFAULT_TIME_LIMIT),
        int(spread),
        int(samples),
    )
    results: dict[Any, dict[str, Any]] = st.session_state.setdefault("whatif_robust", {})
    slot = st.empty()
    if pressed:
        start = {pid: int(doc["start_shift"].get(pid, 0)) for pid in doc["selected"]}
        runs = loaders.robust_runs(
            snapshot_id,
            loaders.db(),
            whatif,
            samples=int(samples),
            spread=spread / 100,
            seconds=SHARE * int(samples),
            start=start,
        )
        shown = 0.0
        for state in runs:
            entry = {"state": state, "samples": int(samples), "running": True}
            _keep(results, key, entry)  # a click elsewhere stops the run: this stays
            if state.done == 1 or time.perf_counter() - shown >= REFRESH:
                _draw(slot, entry, doc, whatif, names, live=True)
                shown = time.perf_counter()
        results[key] = {**results[key], "running": False}
    entry = results.get(key)
    if entry is None:
        slot.caption(
            t(
                "Press the button: the first figures show within seconds, all {n} draws "
                "within {s} s.",
                n=int(samples),
                s=fmt.number(SHARE * int(samples)),
            )
        )
        return
    _draw(slot, entry, doc, whatif, names, live=False)


def _keep(results: dict[Any, dict[str, Any]], key: Any, entry: dict[str, Any]) -> None:
    results.pop(key, None)
    results[key] = entry
    while len(results) > KEPT:
        results.pop(next(iter(results)))


def _draw(
    slot: Any,
    entry: dict[str, Any],
    doc: dict[str, Any],
    whatif: WhatIf,
    names: pd.Series,
    *,
    live: bool,
) -> None:
    """The progress, what the draws say and the table; ``live`` while the run goes on
    (a stored run still marked running was stopped by a click elsewhere)."""
    state: robust.RobustState = entry["state"]
    n = entry["samples"]
    forced = doc.get("forced") or {}
    rules = {pid: t("Running, kept") for pid in forced.get("running", [])}
    rules |= {pid: t("Mandatory") for pid in forced.get("mandatory", [])}
    rules |= {pid: t("Forced in by the committee") for pid in forced.get("forced_in", [])}
    rules |= {pid: t("Forced out by the committee") for pid in whatif.force_out}
    classes = {"core": t("Core"), "borderline": t("Borderline"), "out": t("Out")}
    table = robust.selection_table(state, doc["selected"], set(rules) - set(whatif.force_out))
    with slot.container():
        st.progress(state.done / n, text=t("{done} of {n} draws solved", done=state.done, n=n))
        if entry["running"] and not live:
            st.caption(
                t(
                    "Stopped after {done} of {n} draws: the figures are an estimate. "
                    "Press the button to run it again.",
                    done=state.done,
                    n=n,
                )
            )
        left_out = state.done - state.feasible
        if left_out:
            st.caption(
                t(
                    "{n} draw(s) left out: the forced projects alone broke a limit there.",
                    n=left_out,
                )
            )
        if not state.feasible:
            st.warning(t("No draw kept: the probabilities are not defined."))
            return
        fragile = table.loc[table["fragile"], "project_id"].tolist()
        st.markdown(
            t(
                "{n} project(s) of the answer above are not core: {ids}.",
                n=len(fragile),
                ids=", ".join(fragile),
            )
            if fragile
            else t("Every project of the answer above is core.")
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("Project"): table["project_id"],
                    t("Name"): table["project_id"].map(names),
                    t("Selection probability"): table["selection_probability"].map(share),
                    t("Class"): table["class"].map(classes).fillna(na(fmt.lang())),
                    t("In the answer above"): table["in_base"].map({True: "✓", False: ""}),
                    t("Rule"): table["project_id"].map(rules).fillna(""),
                }
            ).style.apply(_mark, fragile=table["fragile"], axis=1),
            hide_index=True,
            width="stretch",
        )


def share(q: float) -> str:
    """A probability as a percentage rounded down (at most one decimal, none when the
    percentage is whole), so that a borderline 89.96 % never reads 90 %."""
    if pd.isna(q):
        return na(fmt.lang())
    tenths = math.floor(q * 1000 + 1e-9)
    return fmt.pct(tenths / 1000, 0 if tenths % 10 == 0 else 1, ratio=True)


def _mark(row: pd.Series, fragile: pd.Series) -> list[str]:
    """Fragile rows (in the answer above, not core) highlighted."""
    style = "background-color: #fdf0c4" if fragile.get(row.name, False) else ""
    return [style] * len(row)
