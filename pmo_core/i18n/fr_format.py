"""French of the formatter's and the charts' own texts (units, counts, chart titles)."""

FR = {
    "Largest project exposures": "Projets les plus exposés",
    "Page {n} of {total}": "Page {n} sur {total}",
    "open (risk)": "ouvert",
    "closed (risk)": "clos",
    "resolved (risk)": "résolu",
    "mitigated (risk)": "atténué",
    "monitored (risk)": "sous surveillance",
    "occurred (risk)": "survenu",
    "in progress (risk)": "en traitement",
    "Key figures": "Chiffres clés",
    "Preview of the pack": "Aperçu du dossier",
    "Sections": "Sections",
    "{n} red project(s)": "{n} projet(s) en rouge",
    "{n} more in the pack.": "{n} de plus dans le dossier.",
    "Download the pack": "Télécharger le dossier",
}
