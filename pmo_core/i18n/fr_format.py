"""French of the formatter's and the charts' own texts (units, counts, chart titles)."""

FR = {
    "Largest project exposures": "Projets les plus exposés",
    "Page {n} of {total}": "Page {n} sur {total}",
}
