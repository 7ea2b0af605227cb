"""The what-if's answers in sentences (pmo_core/optimize/sentences.py): the figures
formatted in the user's language, the value with its unit, no "0 h" when capacity is off,
and why no selection exists said with the figures and the way out."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core.optimize import Problem, WhatIf, forced_kinds, sentences, solve

NNBSP, NBSP = "\u202f", "\u00a0"


def test_a_budget_reason_is_money_in_the_user_s_language() -> None:
    # Budget 10 M€: A (cost 10 M€) alone; B (cost 8 500 000) left out with 0 left:
    # 8 500 000 more needed -> "8,5 M€" / "€8.5M".
    p = Problem(["A", "B"], np.array([10.0, 9]), np.array([1e7, 8.5e6]), budget=1e7)
    (b,) = solve(p, bring_in=1).excluded
    assert b["reason"] == "Budget: 8500000.0 more would be needed to fund it."  # the JSON
    assert sentences.reason_text(b, "fr") == f"Budget : il manque 8,5{NBSP}M€ pour le financer."
    assert sentences.reason_text(b, "en") == "Budget: €8.5M more would be needed to fund it."
    # Forced in: B alone, 9 instead of 10 -> loses 1.0 alignment point(s); without loss it
    # needs the 8.5 M€; no capacity in this problem, so no hours are mentioned.
    assert sentences.bring_in_text(b["bring_in"], "fr") == (
        "Imposé, il fait perdre 1,0 point d'alignement au portefeuille. "
        f"Sans perte, il faudrait 8,5{NBSP}M€ de budget en plus."
    )
    assert sentences.bring_in_text(b["bring_in"], "en", value="alignment") == (
        "Forced in, the portfolio loses 1.0 alignment point. Without loss it needs €8.5M "
        "more budget."
    )


def test_the_loss_of_expected_benefits_is_money() -> None:
    # 1 340 000 € lost -> 1,34 M€ -> "1,3 M€" (compact money, 1 decimal).
    b = {"status": "optimal", "loss": 1_340_000.0, "extra_budget": 0.0, "extra_hours": 0.0}
    assert sentences.bring_in_text(b, "fr", value="benefit") == (
        f"Imposé, il fait perdre 1,3{NBSP}M€ au portefeuille."
    )


def test_capacity_reason_names_hours_role_and_month_in_french() -> None:
    # January: A uses 80 of 100 h; B needs 70: 80 + 70 - 100 = 50 h of Dev short.
    p = Problem(
        ["A", "B"],
        np.array([10.0, 9.0]),
        np.array([1.0, 1.0]),
        budget=5.0,
        demand=np.array([[80.0, 70.0]]),
        cap=np.array([100.0]),
        row_labels=[("Dev", "2027-01")],
    )
    (b,) = solve(p, bring_in=1).excluded
    assert sentences.reason_text(b, "fr") == "Capacité : il manque 50 h de Dev en janv. 2027."
    # 5 - 1 = 4 left, B costs 1: no budget needed, 50 h needed.
    assert sentences.bring_in_text(b["bring_in"], "fr").endswith(
        "Sans perte, il faudrait 50 h de capacité en plus."
    )


def test_an_exclusive_project_says_who_must_go_out() -> None:
    p = Problem(["A", "B"], np.array([10.0, 9]), np.array([1.0, 1]), 5.0, groups={"g": ["A", "B"]})
    (b,) = solve(p, bring_in=1).excluded
    assert sentences.reason_text(b, "fr") == "Exclusif avec A, qui est retenu."
    assert sentences.bring_in_text(b["bring_in"], "fr") == (
        "Imposé, il fait perdre 1,0 point d'alignement au portefeuille. Il n'entre que si A sort."
    )


def test_an_older_saved_reason_without_template_is_shown_as_it_was() -> None:
    assert sentences.reason_text({"project_id": "P3", "reason": "Budget"}, "fr") == "Budget"
    assert sentences.bring_in_text(None, "fr") == ""


def running_over_budget_doc() -> dict:
    # The demo's figures at 12 M€: 34 running + 3 mandatory projects cost 22 788 000.
    return {
        "status": "infeasible",
        "violations": [
            {"constraint": "budget", "limit": 12e6, "used": 22_788_000.0, "excess": 10_788_000.0}
        ],
        "forced": {
            "running": [f"R{i}" for i in range(34)],
            "mandatory": ["M1", "M2", "M3"],
            "forced_in": [],
        },
    }


def test_running_projects_over_the_budget_are_said_with_the_figures() -> None:
    (fr,) = sentences.infeasible_texts(running_over_budget_doc(), "fr")
    assert fr == (
        f"Les projets à conserver (34 en cours et 3 obligatoires) coûtent à eux seuls 22,8{NBSP}M€, "
        f"plus que le budget de 12{NBSP}M€ : relevez le budget ou décochez « Conserver les "
        "projets en cours »."
    )
    only_running = running_over_budget_doc()
    only_running["forced"]["mandatory"] = []
    (en,) = sentences.infeasible_texts(only_running, "en")
    assert en == (
        "The running projects alone cost €22.8M, more than the budget of €12M: raise the "
        "budget or untick “Keep running projects”."
    )
    assert "impos" not in sentences.infeasible_texts(only_running, "fr")[0]  # nothing forced


def test_projects_forced_in_over_a_yearly_limit_and_capacity() -> None:
    doc = {
        "violations": [
            {
                "constraint": "budget_year",
                "year": 2027,
                "limit": 4e6,
                "used": 5.5e6,
                "excess": 1.5e6,
            },
        ]
        + [
            {
                "constraint": "capacity",
                "role": "Dev",
                "month": f"2027-0{m}",
                "limit": 100.0,
                "used": 100.0 + 10 * m,
                "excess": 10.0 * m,
            }
            for m in range(1, 6)
        ],
        "forced": {"running": [], "mandatory": [], "forced_in": ["P1", "P2"]},
    }
    texts = sentences.infeasible_texts(doc, "fr")
    assert texts[0] == (
        f"Les projets imposés coûtent à eux seuls 5,5{NBSP}M€ en 2027, plus que la limite de "
        f"4{NBSP}M€ de cette année-là : relevez la limite 2027 ou imposez moins de projets."
    )
    # The worst role-month first: May, 150 h against 100.
    assert texts[1] == (
        "Les projets imposés demandent à eux seuls 150 h de Dev en mai 2027, plus que les "
        "100 h disponibles : relevez le coefficient de capacité ou imposez moins de projets."
    )
    assert len(texts) == 5 and texts[-1] == "2 autres mois-rôles sont en surcharge."


def test_forced_kinds_puts_each_project_under_its_first_reason() -> None:
    projects = pd.DataFrame(
        {
            "project_id": ["A", "B", "C", "D", "E"],
            "status": ["in_progress", "proposed", "on_hold", "approved", "completed"],
            "mandatory": [True, True, False, False, True],
        }
    )
    w = WhatIf(force_in=("A", "D", "E", "Z"), force_out=("C",))
    # A running (and mandatory: counted once), B mandatory, C forced out, D forced in, E
    # completed (not a candidate), Z unknown.
    assert forced_kinds(projects, w) == {"running": ["A"], "mandatory": ["B"], "forced_in": ["D"]}
    off = forced_kinds(projects, WhatIf(keep_running=False))
    assert off == {"running": [], "mandatory": ["A", "B"], "forced_in": []}


RAW = re.compile(r"\d\.\d{2,}|\d{5,}")  # 1487000.0, 1712.107...: raw floats or unformatted money


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 5_000_000), min_size=2, max_size=7),
    st.lists(st.integers(0, 100), min_size=7, max_size=7),
    st.sampled_from(["fr", "en"]),
)
def test_no_sentence_holds_a_raw_number_or_zero_hours(
    costs: list[int], values: list[int], lang: str
) -> None:
    n = len(costs)
    p = Problem(
        [f"P{i}" for i in range(n)],
        np.array(values[:n], float),
        np.array(costs, float),
        budget=float(sum(costs)) / 2,
    )
    for e in solve(p, bring_in=3).excluded:
        text = sentences.reason_text(e, lang) + " " + sentences.bring_in_text(e["bring_in"], lang)
        assert not RAW.search(text), text
        assert "0 h" not in text and "{" not in text
        if lang == "fr":
            assert not re.search(r"\d\.\d", text), text  # no dot decimal on a French screen


def test_the_pack_prints_the_same_formatted_reason_as_the_page(app_db) -> None:  # type: ignore[no-untyped-def]
    from pmo_core import optimize, report, store
    from pmo_core.optimize import scenarios

    snap = store.get_snapshot(path=app_db)
    doc = optimize.optimize_document(snap, WhatIf(budget=32e6, time_limit=5))
    budget_out = [e for e in doc["excluded"] if e["reason_code"] == "budget"]
    assert budget_out  # at 32 M€ the demo leaves PRJ-030 and PRJ-058 out for budget
    sid = scenarios.save_scenario(
        "Copil", WhatIf(budget=32e6).to_dict(), doc, snapshot_id=snap.snapshot_id, path=app_db
    )
    page = report.build_report(
        snap.snapshot_id, "html", lang="fr", scenario_id=sid, path=app_db
    ).decode()
    import html as html_lib

    text = html_lib.unescape(page)
    for e in budget_out:
        assert sentences.reason_text(e, "fr", snap.currency) in text
    section = text[text.index("Scénario : Copil") :]
    section = section[: section.index("</section>")]
    assert "more would be needed" not in section
    assert not re.search(r"\d{5,}\.\d|\d\.\d", section), section  # no 1487000.0


def test_french_elides_de_before_a_role_with_a_vowel_and_says_point_below_two() -> None:
    e = {
        "template": "Capacity: {hours} h of {role} missing in {month}.",
        "params": {"hours": 73, "role": "Expert sécurité", "month": "2027-05"},
    }
    assert (
        sentences.reason_text(e, "fr") == "Capacité : il manque 73 h d'Expert sécurité en mai 2027."
    )
    e["params"]["role"] = "Développeur"
    assert sentences.reason_text(e, "fr") == "Capacité : il manque 73 h de Développeur en mai 2027."
    # 1.96 rounds to 2.0: plural; 1.94 rounds to 1.9: singular.
    assert sentences.value_text(1.96, "alignment", "fr") == "2,0 points d'alignement"
    assert sentences.value_text(1.94, "alignment", "en") == "1.9 alignment point"


def test_the_pack_s_scenario_sheet_names_the_value_kind_in_french(app_db) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    from pmo_core import report, store
    from pmo_core.optimize import scenarios

    snap = store.get_snapshot(path=app_db)
    sid = scenarios.save_scenario(
        "Copil",
        WhatIf(budget=32e6).to_dict(),
        {"status": "optimal", "selected": []},
        snapshot_id=snap.snapshot_id,
        path=app_db,
    )
    body = report.build_report(snap.snapshot_id, "xlsx", lang="fr", scenario_id=sid, path=app_db)
    wb = openpyxl.load_workbook(io.BytesIO(body))
    ws = next(w for w in wb.worksheets if w.title.startswith("Scénario"))
    values = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2, max_row=8)}
    assert values["Valeur"] == "Score d'alignement"  # not "alignment"
