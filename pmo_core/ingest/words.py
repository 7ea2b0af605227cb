"""The words the import reads in French and English, normalised as
:func:`pmo_core.schema.normalise_label` makes them (lower case, no accents, no spaces nor
punctuation): statuses, RAG colours and weather, yes/no, alignment ratings, pairwise
judgments and the labels of a totals row. :mod:`pmo_core.ingest.values` parses with them.
"""

from __future__ import annotations

STATUS_WORDS: dict[str, str] = {
    **{
        k: "proposed"
        for k in (
            "proposed",
            "propose",
            "proposition",
            "idea",
            "idee",
            "draft",
            "brouillon",
            "demande",
            "request",
            "requested",
            "new",
            "nouveau",
            "candidate",
            "candidat",
            "aletude",
            "etude",
            "opportunite",
        )
    },
    **{
        k: "approved"
        for k in (
            "approved",
            "approuve",
            "valide",
            "validated",
            "accepted",
            "accepte",
            "planned",
            "planifie",
            "aplanifier",
            "notstarted",
            "nondemarre",
            "ademarrer",
            "go",
            "launched",
            "lance",
        )
    },
    **{
        k: "in_progress"
        for k in (
            "inprogress",
            "encours",
            "active",
            "actif",
            "ongoing",
            "running",
            "started",
            "demarre",
            "execution",
            "enexecution",
            "realisation",
            "enrealisation",
            "open",
            "ouvert",
            "wip",
        )
    },
    **{
        k: "on_hold"
        for k in (
            "onhold",
            "hold",
            "suspendu",
            "suspended",
            "enpause",
            "pause",
            "paused",
            "gele",
            "frozen",
            "enattente",
            "waiting",
            "stopped",
        )
    },
    **{
        k: "completed"
        for k in (
            "completed",
            "complete",
            "termine",
            "done",
            "finished",
            "closed",
            "clos",
            "cloture",
            "livre",
            "delivered",
            "acheve",
            "fini",
            "ferme",
        )
    },
    **{
        k: "cancelled"
        for k in (
            "cancelled",
            "canceled",
            "annule",
            "abandonne",
            "abandoned",
            "arrete",
            "aborted",
            "rejected",
            "rejete",
            "refuse",
        )
    },
}
RAG_WORDS: dict[str, str] = {
    **{k: "G" for k in ("g", "green", "vert", "verte", "ok", "ontrack", "sunny", "soleil")},
    **{
        k: "A"
        for k in (
            "a",
            "amber",
            "orange",
            "ambre",
            "jaune",
            "yellow",
            "atrisk",
            "warning",
            "nuageux",
            "cloudy",
        )
    },
    **{
        k: "R"
        for k in (
            "r",
            "red",
            "rouge",
            "critical",
            "critique",
            "offtrack",
            "orage",
            "storm",
            "pluie",
        )
    },
}
BOOL_WORDS: dict[str, bool] = {
    **{
        k: True
        for k in ("yes", "oui", "y", "o", "x", "true", "vrai", "1", "mandatory", "obligatoire")
    },
    **{k: False for k in ("no", "non", "n", "false", "faux", "0", "")},
}
RATING_WORDS: dict[str, int] = {
    "none": 0,
    "aucun": 0,
    "aucune": 0,
    "nul": 0,
    "null": 0,
    "low": 1,
    "faible": 1,
    "bas": 1,
    "moderate": 3,
    "modere": 3,
    "moyen": 3,
    "medium": 3,
    "strong": 6,
    "fort": 6,
    "forte": 6,
    "high": 6,
    "eleve": 6,
    "extreme": 9,
    "tresfort": 9,
    "veryhigh": 9,
    "critique": 9,
}
JUDGMENT_WORDS: dict[str, float] = {
    "extremelymore": 9,
    "extremementplus": 9,
    "extremementplusimportant": 9,
    "muchmore": 6,
    "beaucoupplus": 6,
    "beaucoupplusimportant": 6,
    "somewhatmore": 3,
    "unpeuplus": 3,
    "unpeuplusimportant": 3,
    "more": 3,
    "plus": 3,
    "equal": 1,
    "equallyimportant": 1,
    "egal": 1,
    "egale": 1,
    "autantimportant": 1,
    "somewhatless": 1 / 3,
    "unpeumoins": 1 / 3,
    "unpeumoinsimportant": 1 / 3,
    "less": 1 / 3,
    "moins": 1 / 3,
    "muchless": 1 / 6,
    "beaucoupmoins": 1 / 6,
    "beaucoupmoinsimportant": 1 / 6,
    "extremelyless": 1 / 9,
    "extremementmoins": 1 / 9,
    "extremementmoinsimportant": 1 / 9,
}
TOTAL_WORDS = frozenset(
    {"total", "totaux", "totalgeneral", "grandtotal", "somme", "sum", "soustotal", "subtotal"}
)
