"""The Alignment and Capacity pages (and the What-if's weighting) in AppTest, French and
English: the numbers they show are the library's and the CLI's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from pmo_core import optimize, store
from pmo_core.i18n import fmt_month, fmt_number, fmt_pct
from pmo_core.kpi import alignment, capacity
from tests.conftest import ROOT, run_page


def _snap(db: Path) -> store.Snapshot:
    return store.get_snapshot(path=db)


def _values(x: object) -> list:
    """A figure's array as a list (plotly writes numpy arrays as base64 typed arrays)."""
    import base64

    import numpy as np

    if isinstance(x, dict) and "bdata" in x:
        a = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])
        shape = x.get("shape")
        if isinstance(shape, str):
            shape = [int(v) for v in shape.split(",")]
        return a.reshape(shape).tolist() if shape else a.tolist()
    return list(x)  # type: ignore[call-overload]


# ---------------------------------------------------------------------------- alignment


@pytest.mark.parametrize(("lang", "cr_label"), [("fr", "Ratio de cohérence (RC)"), ("en", None)])
def test_alignment_weights_and_cr_are_the_library_s(app_db: Path, lang: str, cr_label) -> None:  # type: ignore[no-untyped-def]
    f = _snap(app_db).frames
    own = alignment.objective_weights(f["objectives"], f["pairwise"])
    assert own.method == "ahp"  # the demo gives pairwise judgments, no direct weights
    at = run_page("alignment.py", lang)
    assert not at.exception, [e.value for e in at.exception]
    cr = at.metric[0]
    assert cr.value == fmt_number(own.cr, lang, 2)  # 2 decimals, as its 0,10 threshold
    if cr_label:
        assert cr.label == cr_label
    weights = at.dataframe[1].value
    assert weights.iloc[:, 1].tolist() == [fmt_pct(100 * w, lang, 1) for w in own.weights]


def test_alignment_ranking_heat_map_and_spend_equal_the_library(app_db: Path) -> None:
    f = _snap(app_db).frames
    own = alignment.objective_weights(f["objectives"], f["pairwise"])
    scores = alignment.alignment_scores(f["alignment"], own.weights, f["projects"])
    best = scores.dropna(subset=["alignment_score"]).sort_values(
        ["alignment_score", "project_id"], ascending=[False, True]
    )
    at = run_page("alignment.py", "en")
    assert not at.exception
    charts = {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    bars = charts["alignment_ranked"]["data"][0]
    assert bars["customdata"] == best["project_id"].head(25).tolist()
    assert _values(bars["x"]) == pytest.approx(best["alignment_score"].head(25).tolist())
    heat = charts["alignment_ratings"]["data"][0]
    first = best["project_id"].iloc[0]
    ratings = f["alignment"][f["alignment"]["project_id"] == first].set_index("objective_id")
    assert _values(heat["z"])[0] == [
        float(ratings.loc[o, "rating"]) for o in f["objectives"]["objective_id"]
    ]
    live = f["projects"][f["projects"]["status"] != "cancelled"]
    spend = alignment.spend_by_objective(f["alignment"], own.weights, live)
    assert _values(charts["alignment_spend"]["data"][1]["y"]) == pytest.approx(
        spend["spend_pct"].tolist()
    )
    table = next(d.value for d in at.dataframe if "Share of spend" in d.value.columns)
    assert table["Share of spend"].tolist() == [fmt_pct(v, "en", 1) for v in spend["spend_pct"]]
    # The demo leaves three projects unrated: the warning names them.
    warn = alignment.alignment_warnings(f["alignment"], f["objectives"], f["projects"])
    unrated = warn.loc[warn["kind"] == "unrated_project", "id"].tolist()
    assert len(unrated) == 3
    assert at.warning[0].value == f"3 projects with no rating: {', '.join(unrated)}"


def test_alignment_coverage_counts_the_projects_rated_above_zero(app_db: Path) -> None:
    # "Projects serving it" is the number of projects with a rating > 0 for the objective,
    # counted straight from the Alignment rows here (not through objective_coverage). The
    # old count of distinct rating values gave 4 (1, 3, 6, 9) for every demo objective.
    f = _snap(app_db).frames
    a = f["alignment"]
    serving = a[a["rating"].astype(float) > 0].groupby("objective_id")["project_id"].nunique()
    expected = [int(serving.get(o, 0)) for o in f["objectives"]["objective_id"]]
    assert max(expected) > 4  # the demo has more projects per objective than rating values
    at = run_page("alignment.py", "en")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Projects serving it" in d.value.columns)
    assert table["Projects serving it"].tolist() == expected
    strong = a[a["rating"].astype(float) >= 6].groupby("objective_id")["project_id"].nunique()
    assert table["Strongly (rating 6 or more)"].tolist() == [
        int(strong.get(o, 0)) for o in f["objectives"]["objective_id"]
    ]


def test_a_weighting_saved_on_alignment_is_reloaded_and_used_by_the_what_if(
    app_db: Path,
) -> None:
    at = run_page("alignment.py", "en")
    at.radio(key="alignment_mode").set_value("direct").run()
    at.text_input(key="alignment_weighting_name").input("Direct copy").run()
    at.button(key="alignment_save").click().run()
    assert not at.exception
    assert at.success[0].value == "Weighting saved: Direct copy"
    saved = store.list_weightings(app_db)
    f = _snap(app_db).frames
    own = alignment.objective_weights(f["objectives"], f["pairwise"])
    payload = saved["payload"].iloc[0]
    # The direct editor starts from the snapshot's weights in % rounded to 0.1.
    expected = (100 * own.weights).round(1)
    assert payload["method"] == "direct"
    assert list(payload["weights"].values()) == pytest.approx(list(expected / expected.sum()))
    at.run()
    at.selectbox(key="alignment_weighting").set_value(int(saved["doc_id"].iloc[0])).run()
    assert not at.exception
    assert at.radio(key=f"alignment_mode_w{int(saved['doc_id'].iloc[0])}").value == "direct"

    # What-if: one objective only, chosen as the weighting, values the selection.
    ids = list(f["objectives"]["objective_id"])
    only_first = alignment.direct_weights(pd.Series([1.0] + [0.0] * (len(ids) - 1), index=ids))
    store.save_weighting("Growth only", only_first, path=app_db)
    st.cache_data.clear()  # saved outside the app: drop the 10-second list of weightings
    wi = run_page("whatif.py", "en")
    wi.toggle(key="whatif_keep").set_value(False).run()
    wi.selectbox(key="whatif_weighting").set_value("Growth only").run()
    assert not wi.exception, [e.value for e in wi.exception]
    budget = wi.select_slider(key="whatif_budget").value * 1e6
    doc = optimize.optimize_document(
        _snap(app_db),
        optimize.WhatIf(
            budget=budget, keep_running=False, weights=only_first.weights, time_limit=5
        ),
    )
    assert doc["status"] == "optimal"
    value = {m.label: m.value for m in wi.metric}["Value (alignment points)"]
    assert value == fmt_number(doc["objective"], "en", 1)
    wi.text_input(key="whatif_scenario_name").input("Growth").run()
    wi.button(key="whatif_save").click().run()
    params = store.list_documents("scenario", app_db)["payload"].iloc[0]["parameters"]
    assert params["weighting"] == "Growth only"


def test_a_viewer_cannot_save_a_weighting(app_db: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from pmo_core import auth

    at = AppTest.from_file(str(ROOT / "pages" / "alignment.py"), default_timeout=60)
    at.secrets["pmo"] = {"editor_password_hash": auth.hash_password("x", salt=b"0123456789abcdef")}
    at.query_params["lang"] = "en"
    at.run()
    at.text_input(key="alignment_weighting_name").input("Mine").run()
    button = at.button(key="alignment_save")
    assert button.disabled and "Sign in as editor" in button.help


# ---------------------------------------------------------------------------- capacity


def _cli_capacity(db: Path, by: str = "role") -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "pmo_core", "capacity", "--json", "--db", str(db), "--by", by],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("fr", ("Cellules en surcharge", "Rôles en surcharge", "Taux de charge maximal")),
        ("en", ("Over-allocated cells", "Roles over capacity", "Peak utilisation")),
    ],
)
def test_capacity_cards_equal_the_cli_json(app_db: Path, lang: str, labels) -> None:  # type: ignore[no-untyped-def]
    doc = _cli_capacity(app_db)
    rows = pd.DataFrame(doc["rows"])
    over = rows["utilisation"].isna() & (rows["demand_hours"] > 0) | (rows["utilisation"] > 1)
    at = run_page("capacity.py", lang)
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m.value for m in at.metric}
    assert cards[labels[0]] == str(doc["over_allocated"]) == str(int(over.sum()))
    assert cards[labels[1]] == str(len(doc["roles_over"]))
    assert cards[labels[2]] == fmt_pct(rows["utilisation"].max(), lang, 0, ratio=True)
    heat = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    # One clickable square per cell with a demand or a capacity, named [role, month].
    assert len(heat[1]["customdata"]) == len(rows)
    assert sorted(map(tuple, heat[1]["customdata"])) == sorted(
        zip(rows["role"], rows["month"], strict=True)
    )


def test_capacity_lists_the_worst_cell_s_projects_and_follows_the_filters(app_db: Path) -> None:
    snap = _snap(app_db)
    f = snap.frames
    load = capacity.utilisation_by_role_month(f["allocations"], f["resources"], f["capacity"])
    over = capacity.overallocations(load, f["allocations"], f["resources"])
    role, month = over["role"].iloc[0], over["month"].iloc[0]
    at = run_page("capacity.py", "en")
    assert at.subheader[0].value == f"Projects behind {role} in {fmt_month(month, 'en')}"
    cell = capacity.cell_projects(f["allocations"], f["resources"], role, month)
    table = at.dataframe[0].value
    assert table["Project"].tolist() == cell["project_id"].tolist()
    assert table["Hours"].tolist() == [fmt_number(h, "en") for h in cell["hours"]]
    # Horizon: the first six months; one role over capacity in them.
    months = sorted(load["month"].unique())
    early = capacity.restrict(load, (months[0], months[5]))
    role = early.loc[early["over"], "role"].iloc[0]
    part = capacity.restrict(load, (months[0], months[5]), [role])
    assert 0 < part["over"].sum() < load.loc[load["role"] == role, "over"].sum()
    at.select_slider(key="capacity_horizon").set_range(months[0], months[5]).run()
    at.multiselect(key="capacity_roles").select(role).run()
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards["Over-allocated cells"] == str(int(part["over"].sum()))
    assert cards["Peak utilisation"] == fmt_pct(part["utilisation"].max(), "en", 0, ratio=True)


def test_capacity_per_resource_view_equals_the_cli(app_db: Path) -> None:
    doc = _cli_capacity(app_db, "resource")
    rows = pd.DataFrame(doc["rows"])
    at = run_page("capacity.py", "fr")
    at.radio(key="capacity_by").set_value("resource").run()
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Taux de charge par ressource et par mois"
    # Every named resource of the demo is among the 30 busiest: one row each, and the cell
    # texts are the CLI's utilisations.
    assert len(spec["data"][0]["y"]) == rows["resource_id"].nunique()
    texts = {t for row in spec["data"][0]["text"] for t in row if t}
    expected = {fmt_pct(u, "fr", 0, ratio=True) for u in rows["utilisation"].dropna()}
    assert texts <= expected | {"sans capacité"} and texts & expected
