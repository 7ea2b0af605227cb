"""The what-if's answers as sentences a committee reads, in the user's language.

One place for the page, the steering pack and the decision record: why a project is out
(:func:`reason_text`), what would bring it in (:func:`bring_in_text`), why no selection
is possible when the projects that must stay break a limit (:func:`infeasible_texts`)
and the value with its unit (:func:`value_text`). Money is formatted as money (compact:
``1,5 M€``), months as months, the value in alignment points or in euros; a need that
is zero is not said ("0 h more capacity" when capacity is off).

The optimiser's entries keep their English ``template``/``params`` (the CLI's JSON);
older saved entries without them fall back on their ``reason`` text.

Examples:
    >>> e = {"template": "Budget: {amount} more would be needed to fund it.",
    ...      "params": {"amount": 1487000.0}, "reason": "Budget: 1487000.0 more..."}
    >>> reason_text(e, "en")
    'Budget: €1.5M more would be needed to fund it.'
    >>> b = {"status": "optimal", "loss": 12.34, "extra_budget": 1487000.0,
    ...      "extra_hours": 0.0, "years": []}
    >>> bring_in_text(b, "en")
    'Forced in, the portfolio loses 12.3 alignment points. Without loss it needs €1.5M more budget.'
    >>> value_text(1774.04, "alignment", "fr")
    "1\\u202f774,0 points d'alignement"
"""

from __future__ import annotations

from typing import Any

from pmo_core.i18n import fmt_money, fmt_month, fmt_number, is_missing, na, norm_lang, t

MONEY_PARAMS = ("amount", "year_amount")


def value_text(v: object, value: str, lang: str, currency: str = "EUR") -> str:
    """The what-if's value with its unit: alignment points (1 decimal; "point" below 2,
    as French and English both say 1,5 point) or money."""
    if is_missing(v):
        return na(lang)
    if value == "benefit":
        return fmt_money(v, lang, currency, compact=True)
    n = fmt_number(v, lang, 1)
    one = abs(round(float(v), 1)) < 2  # type: ignore[arg-type]
    return t("{n} alignment point" if one else "{n} alignment points", lang, n=n)


VOWELS = tuple("aeiouyhàâéèêëîïôöûüAEIOUYHÀÂÉÈÊËÎÏÔÖÛÜ")


def said(template: str, lang: str, **params: str) -> str:
    """``t(template, lang, **params)``, with French "de" elided before a role that
    starts with a vowel or h ("d'Expert sécurité", not "de Expert sécurité")."""
    text = t(template, lang)
    role = params.get("role", "")
    if norm_lang(lang) == "fr" and role.startswith(VOWELS):
        text = text.replace("de {role}", "d'{role}")
    return text.format(**params) if params else text


def _param(key: str, v: object, lang: str, currency: str) -> str:
    if v is None:
        return na(lang)
    if key in MONEY_PARAMS:
        return fmt_money(v, lang, currency, compact=True)
    if key == "hours":
        return fmt_number(v, lang)
    if key == "month":
        return fmt_month(f"{v}-01" if len(str(v)) == 7 else v, lang)
    return str(v)


def reason_text(entry: dict[str, Any], lang: str, currency: str = "EUR") -> str:
    """Why an excluded project is out, in ``lang``, its figures formatted."""
    template = entry.get("template")
    if not template:
        return str(entry.get("reason") or "")
    params = entry.get("params") or {}
    return said(template, lang, **{k: _param(k, v, lang, currency) for k, v in params.items()})


def _join(parts: list[str], lang: str, word: str = "and") -> str:
    """``a, b and c`` (``word``: "and" or "or", translated)."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " " + t(word, lang) + " " + parts[-1]


def needs_text(b: dict[str, Any], lang: str, currency: str = "EUR") -> str:
    """What must grow to bring a project in without dropping another: the extra budget,
    the most needed year's extra, the extra hours; "" when nothing (or not known)."""
    parts = []
    amount = b.get("extra_budget")
    if amount:
        parts.append(
            t("{amount} more budget", lang, amount=_param("amount", amount, lang, currency))
        )
    years = b.get("years") or []
    if years:
        top = max(years, key=lambda c: c["amount"])
        parts.append(
            t(
                "{amount} more in {year}",
                lang,
                amount=_param("amount", top["amount"], lang, currency),
                year=top["year"],
            )
        )
    hours = b.get("extra_hours")
    if hours:
        parts.append(t("{hours} h more capacity", lang, hours=fmt_number(hours, lang)))
    return _join(parts, lang)


def bring_in_text(
    b: dict[str, Any] | None, lang: str, currency: str = "EUR", value: str = "alignment"
) -> str:
    """What would bring an excluded project in, in full sentences ("" for none: forced
    out, ruled out): the value lost when forced in (re-solved), else why it cannot be,
    then what would add it without loss."""
    if not b:
        return ""
    out = []
    status, loss = b.get("status"), b.get("loss")
    other = b.get("other") or (b.get("params") or {}).get("other")
    if status == "infeasible":
        out.append(t("It cannot be forced in at today's limits.", lang))
    elif loss is not None:
        lost = value_text(loss, value, lang, currency)
        out.append(t("Forced in, the portfolio loses {loss}.", lang, loss=lost))
    if other is not None:
        out.append(t("It comes in only if {other} goes out.", lang, other=other))
    needs = needs_text(b, lang, currency)
    if needs and status == "infeasible":
        out.append(t("To come in, it needs {needs}.", lang, needs=needs))
    elif needs:
        out.append(t("Without loss it needs {needs}.", lang, needs=needs))
    return " ".join(out)


def infeasible_texts(doc: dict[str, Any], lang: str, currency: str = "EUR") -> list[str]:
    """Why no selection exists (``optimize_document``'s ``violations`` and ``forced``):
    which projects must stay (running, mandatory, forced in), what they cost or need
    against which limit, and what to change. One sentence per limit broken (at most
    three role-months, then how many more)."""
    forced = doc.get("forced") or {}
    running, mandatory, chosen = (
        forced.get(k) or [] for k in ("running", "mandatory", "forced_in")
    )
    if running and not mandatory and not chosen:
        who = t("The running projects", lang)
    elif chosen and not running and not mandatory:
        who = t("The projects forced in", lang)
    else:
        kinds = [
            t(label, lang, n=len(ids))
            for label, ids in (
                ("{n} running", running),
                ("{n} mandatory", mandatory),
                ("{n} forced in", chosen),
            )
            if ids
        ]
        who = t("The projects that must stay ({kinds})", lang, kinds=_join(kinds, lang))
    remedies = ["raise {limit}"]
    remedies += ["untick “Keep running projects”"] if running else []
    remedies += ["force fewer projects in"] if chosen else []
    fix = _join([t(r, lang) for r in remedies], lang, "or")
    out, cells = [], []
    for v in doc.get("violations") or []:
        c = v.get("constraint")
        if c == "budget":
            limit = fmt_money(v["limit"], lang, currency, compact=True)
            out.append(
                t(
                    "{who} alone cost {used}, more than the budget of {limit}: {fix}.",
                    lang,
                    who=who,
                    used=fmt_money(v["used"], lang, currency, compact=True),
                    limit=limit,
                    fix=fix.format(limit=t("the budget", lang)),
                )
            )
        elif c == "budget_year":
            out.append(
                t(
                    "{who} alone cost {used} in {year}, more than that year's limit of {limit}: {fix}.",
                    lang,
                    who=who,
                    used=fmt_money(v["used"], lang, currency, compact=True),
                    year=v["year"],
                    limit=fmt_money(v["limit"], lang, currency, compact=True),
                    fix=fix.format(limit=t("the {year} limit", lang, year=v["year"])),
                )
            )
        elif c == "capacity":
            cells.append(v)
        else:  # the rules themselves (dependencies, exclusive groups) leave no selection
            out.append(
                t(
                    "The rules leave no possible selection: check the forced projects, "
                    "their dependencies and exclusive groups.",
                    lang,
                )
            )
    for v in sorted(cells, key=lambda v: -v["excess"])[:3]:
        out.append(
            said(
                "{who} alone need {used} h of {role} in {month}, more than the {limit} h "
                "available: {fix}.",
                lang,
                who=who,
                used=fmt_number(v["used"], lang),
                role=v["role"],
                month=_param("month", v["month"], lang, currency),
                limit=fmt_number(v["limit"], lang),
                fix=fix.format(limit=t("the capacity scale", lang)),
            )
        )
    if len(cells) > 3:
        out.append(t("{n} more role-months are over capacity.", lang, n=len(cells) - 3))
    return out
