"""French texts of the import template's Read-me sheet (pmo_core/ingest/template.py)."""

from __future__ import annotations

FR: dict[str, str] = {
    "Read me": "Lisez-moi",
    "PMO Cockpit: import template": "PMO Cockpit : modèle d'import",
    "Fill one sheet per table (empty sheets may stay empty or be deleted). Starred columns "
    "(*) are required. French or English headers, dates and numbers are accepted; unknown "
    "sheets and columns are reported, never fatal.": "Remplissez une feuille par table (une "
    "feuille inutile peut rester vide ou être supprimée). Les colonnes marquées d'une étoile "
    "(*) sont obligatoires. En-têtes, dates et nombres en français ou en anglais sont "
    "acceptés ; une feuille ou une colonne inconnue est signalée, jamais bloquante.",
    "Sheet": "Feuille",
    "What it holds": "Contenu",
    "Required columns": "Colonnes obligatoires",
    "Field": "Champ",
    "Accepted values": "Valeurs acceptées",
    "Also accepted": "Également acceptées",
    # What each sheet holds
    "One row per project: identity, status, dates, budget, progress, benefit.": "Une ligne "
    "par projet : identité, statut, dates, budget, avancement, bénéfices attendus.",
    "Strategic objectives (business drivers). Weight optional: blank = from the pairwise "
    "comparisons, or equal.": "Objectifs stratégiques (axes). Poids facultatif : vide = issu "
    "des comparaisons par paires, ou égal.",
    "How much more important objective A is than objective B (AHP).": "Importance de "
    "l'objectif A par rapport à l'objectif B (comparaison par paires, AHP).",
    "Rating of each project against each objective (one row per pair).": "Note de chaque "
    "projet sur chaque objectif (une ligne par couple).",
    "People by role; capacity per month (default 140 h x FTE).": "Personnes par rôle ; "
    "capacité mensuelle (par défaut 140 h x ETP).",
    "Optional: available hours per role and month (overrides the resources).": "Facultatif : "
    "heures disponibles par rôle et par mois (remplace les ressources).",
    "Planned hours per project, role (or resource) and month.": "Heures prévues par "
    "projet, rôle (ou ressource) et mois.",
    "Milestones: baseline, forecast and actual dates.": "Jalons : dates de référence, "
    "prévisionnelle et réelle.",
    "Risk register: probability, impact, status, owner, mitigation.": "Registre des risques : "
    "probabilité, impact, statut, responsable, plan d'atténuation.",
    "Monthly status reports: cumulative PV, EV, AC, RAG, comment.": "Rapports d'avancement "
    "mensuels : valeur planifiée, valeur acquise et coût réel cumulés, météo, commentaire.",
    "Optional: the baseline PV curve per project and month, cumulative (Cumulative PV) or per "
    "month (PV per period): fill one of the two. It gives PV at the as-of date and the earned "
    "schedule; without it the plan is linear from start to finish.": "Facultatif : la courbe "
    "de valeur planifiée de référence par projet et par mois, cumulée (VP cumulée) ou du mois "
    "(VP du mois) : remplissez l'une des deux. Elle donne la VP à la date d'arrêté et la durée "
    "acquise ; sans elle, le plan est linéaire du début à la fin.",
    "Optional settings: as_of (the snapshot's date), currency (EUR, GBP...).": "Paramètres "
    "facultatifs : as_of (date de la photo), currency (EUR, GBP...).",
    # Accepted values
    "Project status": "Statut du projet",
    "Yes / no (mandatory)": "Oui / non (obligatoire)",
    "RAG status": "Météo",
    "Alignment rating": "Note d'alignement",
    "Pairwise judgment": "Comparaison par paires",
    "Risk probability": "Probabilité du risque",
    "Risk impact": "Impact du risque",
    "Dates": "Dates",
    "Months": "Mois",
    "Numbers": "Nombres",
}
