"""French of the formatter's and the charts' own texts (units, counts, chart titles)."""

FR = {
    "Largest project exposures": "Projets les plus exposés",
    "Page {n} of {total}": "Page {n} sur {total}",
    "Key figures": "Chiffres clés",
    "Preview of the pack": "Aperçu du dossier",
    "Sections": "Sections",
    "{n} red project(s)": "{n} projet(s) en rouge",
    "{n} more in the pack.": "{n} de plus dans le dossier.",
    "Download the pack": "Télécharger le dossier",
}
