"""Widgets of the Requests page: the submission form, the review queue, a request's
detail and its review. The workflow lives in :mod:`pmo_core.project_requests`; writes go
through :mod:`ui.loaders`; this module lays out and wires widgets."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from pmo_core import i18n
from pmo_core import project_requests as req
from pmo_core.errors import PmoError
from pmo_core.ingest.values import parse_amount_text
from ui import auth as access
from ui import format as fmt
from ui import loaders, widgets
from ui.format import t


def submit_form(frames: dict[str, pd.DataFrame], lang: str) -> None:
    """The form a department fills to propose a project; a sent request reruns the page
    so that the queue shows it at once."""
    objectives = frames["objectives"]
    roles = req.request_roles(frames)
    with st.form("requests_form", clear_on_submit=False):
        title = st.text_input(t("Title"), key="requests_title")
        c1, c2 = st.columns(2)
        department = c1.text_input(t("Department"), key="requests_department")
        sponsor = c2.text_input(t("Sponsor"), key="requests_sponsor")
        description = st.text_area(t("Description"), key="requests_description")
        c1, c2, c3, c4 = st.columns(4)
        budget_text = _amount_input(c1, t("Estimated budget"), "requests_budget", lang)
        benefit_text = _amount_input(c2, t("Expected benefit"), "requests_benefit", lang)
        start = c3.date_input(
            t("Wished start"),
            value=date.today() + timedelta(days=90),
            key="requests_start",
            format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
        )
        end = c4.date_input(
            t("Wished end"),
            value=date.today() + timedelta(days=455),
            key="requests_end",
            format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
        )
        st.markdown(f"**{t('Contribution to each strategic objective (0-9)')}**")
        ratings = {}
        cols = st.columns(min(max(len(objectives), 1), 4))
        for i, o in enumerate(objectives.itertuples()):
            ratings[str(o.objective_id)] = cols[i % len(cols)].select_slider(
                str(o.name), options=list(range(10)), value=0, key=f"requests_rating_{i}"
            )
        st.markdown(f"**{t('Roles and hours per month')}**")
        demand = st.data_editor(
            pd.DataFrame(
                {
                    "role": pd.Series([None], dtype="object"),
                    "month": pd.Series([pd.Timestamp(start).replace(day=1)]),
                    "hours": [0.0],
                }
            ),
            num_rows="dynamic",
            key="requests_demand",
            column_config={
                "role": st.column_config.SelectboxColumn(t("Role"), options=roles),
                "month": st.column_config.DateColumn(
                    t("Month"), format="MM/YYYY" if lang == "fr" else "YYYY-MM"
                ),
                "hours": st.column_config.NumberColumn(t("Hours"), min_value=0.0),
            },
            hide_index=True,
            width="stretch",
        )
        risks = st.text_area(t("Main risks"), key="requests_risks")
        sent = st.form_submit_button(
            t("Submit the request"),
            type="primary",
            disabled=not access.can("request"),
            help=access.hint("request"),
        )
    unread = [
        (label, text)
        for label, text in (
            (t("Estimated budget"), budget_text),
            (t("Expected benefit"), benefit_text),
        )
        if str(text or "").strip() and parse_amount_text(text, lang) is None
    ]
    if sent and unread:  # never a number the user did not mean: say which, send nothing
        for label, text in unread:
            st.error(
                t(
                    "{field}: {typed} is not an amount. Type it as you write it, e.g. {example}.",
                    field=label,
                    typed=text,
                    example=_EXAMPLE.get(lang, _EXAMPLE["en"]),
                )
            )
        sent = False
    if sent:
        budget = parse_amount_text(budget_text, lang)
        benefit = parse_amount_text(benefit_text, lang)
        payload = {
            "title": title,
            "department": department or None,
            "sponsor": sponsor or None,
            "description": description or None,
            "budget": budget,
            "expected_benefit": benefit,
            "start_date": start,
            "end_date": end,
            "ratings": {k: v for k, v in ratings.items() if v},
            "demand": demand.to_dict(orient="records"),
            "risks": risks or None,
        }
        try:
            access.require("request")
            rid = loaders.submit_request(payload, who=access.who())
        except req.RequestInvalid as exc:
            for template, params in exc.problems:
                st.error(t(template, **params))
        except PmoError as exc:
            widgets.show_error(exc)
        else:  # rerun so that the queue (computed above) shows it at once
            st.session_state["_requests_done"] = rid
            st.session_state["requests_pick"] = f"{req.ID_PREFIX}{rid}"  # shown in the queue
            st.rerun()
    done = st.session_state.pop("_requests_done", None)
    if done is not None:
        st.success(t("Request {id} submitted: the PMO will review it.", id=f"REQ-{done}"))


_EXAMPLE = {"fr": "450 000,50 ou 450 k€", "en": "450,000.50 or 450k"}


def _amount_input(col: Any, label: str, key: str, lang: str) -> str:
    """An amount typed as text in the user's format (``450 000,50``, ``450 k€``), with
    what it was understood as below it (the form sends it on submit)."""
    text = col.text_input(
        label,
        key=key,
        placeholder="450 000,50" if lang == "fr" else "450,000.50",
        help=t(
            "Type the amount as you write it, e.g. {example}.",
            example=_EXAMPLE.get(lang, _EXAMPLE["en"]),
        ),
    )
    shown = understood(text, lang)
    if shown:
        col.caption(shown)
    return str(text or "")


def understood(text: str | None, lang: str) -> str:
    """What a typed amount was read as, in the user's format ("Understood: 450 000,50 €"),
    or that it was not read; empty when nothing is typed."""
    if not str(text or "").strip():
        return ""
    x = parse_amount_text(text, lang)
    if x is None:
        return t("Not read as an amount.")
    decimals = 0 if float(x).is_integer() else 2
    amount = i18n.fmt_money(x, lang, fmt.currency(), decimals=decimals)
    return t("Understood: {amount}", amount=amount)


def queue_table(q: pd.DataFrame) -> list[int]:
    """The queue (:func:`pmo_core.project_requests.queue`), clickable; returns the
    clicked rows."""
    view = pd.DataFrame(
        {
            "ID": q["project_id"],
            t("Title"): q["title"],
            t("Department"): q["department"].fillna(""),
            t("Status"): q["status"].map(lambda s: t(req.STATE_LABELS[s])),
            t("Budget"): q["budget"].map(fmt.money),
            t("Alignment score"): q["alignment_score"].map(lambda x: fmt.number(x, 0)),
            t("Peak utilisation where it lands"): [
                t("no capacity") if unbounded else fmt.pct(p, ratio=True)
                for p, unbounded in zip(q["peak_utilisation"], q["no_capacity"], strict=True)
            ],
            t("Hours"): q["hours"].map(fmt.number),
            t("Submitted by"): q["submitted_by"].fillna(""),
        }
    )
    picked = st.dataframe(
        view,
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
        key="requests_queue",
        on_select="rerun",
        selection_mode="single-row",
    )
    return widgets.selected(picked, "rows")


def export_approved(requests: pd.DataFrame, lang: str, as_of: date) -> None:
    """The approved requests as rows of the import template, for the next upload."""
    approved = requests[requests["status"] == "approved"]
    st.download_button(
        t("Approved requests in the import template ({n})", n=len(approved)),
        req.to_workbook(approved, lang, as_of) if len(approved) else b"",
        "demandes_approuvees.xlsx" if lang == "fr" else "approved_requests.xlsx",
        disabled=approved.empty,
        key="requests_export",
    )


def request_detail(r: pd.Series, p: dict[str, Any], objectives: pd.DataFrame, lang: str) -> None:
    """One request: a queue row ``r`` and its stored payload ``p`` (ratings, demand,
    history)."""
    st.subheader(f"{r['project_id']} · {r['title']}")
    st.text(p.get("description") or "")  # as typed: no Markdown
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Budget"), fmt.money(r["budget"]))
    c2.metric(t("Expected benefit"), fmt.money(r["expected_benefit"]))
    c3.metric(
        t("Alignment score"),
        fmt.number(r["alignment_score"], 0),
    )
    names = objectives.set_index("objective_id")["name"]
    left, right = st.columns(2)
    left.dataframe(
        pd.DataFrame(
            {
                t("Objective"): [names.get(k, k) for k in (p.get("ratings") or {})],
                t("Rating"): list((p.get("ratings") or {}).values()),
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )
    right.dataframe(
        pd.DataFrame(
            {
                t("Role"): [d["role"] for d in p.get("demand") or []],
                t("Month"): [fmt.month(d["month"]) for d in p.get("demand") or []],
                t("Hours"): [d["hours"] for d in p.get("demand") or []],
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )
    st.markdown(f"**{t('History')}**")
    st.dataframe(
        pd.DataFrame(
            {
                t("Status"): [t(req.STATE_LABELS[h["status"]]) for h in p["history"]],
                t("Who"): [h.get("who") or "" for h in p["history"]],
                t("When"): [
                    pd.Timestamp(h["at"]).strftime(
                        "%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
                    )
                    for h in p["history"]
                ],
                t("Reason"): [h.get("reason") or "" for h in p["history"]],
            }
        ),
        hide_index=True,
        placeholder=t("n/a"),
        width="stretch",
    )


def review(r: pd.Series) -> None:
    """The PMO's decision on a request: its next states, a reason, and Apply."""
    moves = sorted(req.TRANSITIONS[r["status"]], key=req.STATES.index)
    if not moves:
        return
    labels = {m: t(req.STATE_LABELS[m]) for m in moves}
    c1, c2 = st.columns([1, 2])
    target = c1.selectbox(t("New status"), moves, key="requests_move", format_func=labels.get)
    reason = c2.text_input(t("Reason (needed to reject)"), key="requests_reason")
    if st.button(
        t("Apply"),
        key="requests_apply",
        disabled=not access.can("review"),
        help=access.hint("review"),
    ):
        access.require("review")
        if target == "rejected" and not reason.strip():
            st.error(t("A rejection needs a reason."))
            st.stop()
        try:
            loaders.move_request(int(r["doc_id"]), str(target), who=access.who(), reason=reason)
        except PmoError as exc:
            widgets.show_error(exc)
        else:
            st.rerun()
