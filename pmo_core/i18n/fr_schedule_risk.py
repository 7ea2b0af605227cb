"""French texts of the schedule risk of an imported schedule (Import page and its charts)."""

FR: dict[str, str] = {
    # charts
    "Planned finish": "Fin planifiée",
    "Draws finishing that day": "Tirages finissant ce jour",
    "Finished by that day": "Fini au plus tard ce jour",
    "Simulated finish dates": "Dates de fin simulées",
    "Correlation with the finish": "Corrélation avec la fin",
    "What drives the finish (rank correlation)": "Ce qui pèse sur la fin (corrélation de rangs)",
    # panel
    "each remaining duration is drawn from a triangular law from {lo} to {hi} of the "
    "planned duration, most likely {mode} (the documented default spread, skewed to "
    "overruns as AACE RP 41R-08 advises)": (
        "chaque durée restante est tirée d'une loi triangulaire de {lo} à {hi} de la durée "
        "prévue, {mode} le plus probable (l'étendue par défaut documentée, décalée vers "
        "les dépassements comme le conseille l'AACE RP 41R-08)"
    ),
    "Three-point durations: the file's optimistic and pessimistic durations.": (
        "Durées à trois points : les durées optimistes et pessimistes du fichier."
    ),
    "Three-point durations: the file's optimistic and pessimistic durations where it gives "
    "them; elsewhere {default}.": (
        "Durées à trois points : les durées optimistes et pessimistes du fichier là où il "
        "les donne ; ailleurs, {default}."
    ),
    "Three-point durations: the file gives no optimistic or pessimistic durations, so {default}.": (
        "Durées à trois points : le fichier ne donne pas de durées optimistes ni "
        "pessimistes, donc {default}."
    ),
    "Activity": "Activité",
    "Criticality index": "Indice de criticité",
    "Every activity is finished: there is nothing left to simulate.": (
        "Toutes les activités sont terminées : il ne reste rien à simuler."
    ),
    "Schedule's finish": "Fin du planning",
    "The finish with the planned durations, as the file's logic gives it.": (
        "La fin avec les durées prévues, selon la logique du fichier."
    ),
    "Finish not passed in 4 draws out of 5.": "Fin non dépassée dans 4 tirages sur 5.",
    "By the baseline finish": "À la fin de référence",
    "The file has no baseline finish: there is no date to be on time for.": (
        "Le fichier n'a pas de fin de référence : il n'y a pas de date à tenir."
    ),
    "Share of the draws finishing on or before the baseline finish ({date}).": (
        "Part des tirages finissant au plus tard à la fin de référence ({date})."
    ),
    "{n} draws (seed 0: the same figures each time) from the data date {date}, in working "
    "days (Monday to Friday).": (
        "{n} tirages (graine 0 : les mêmes chiffres à chaque fois) depuis la date d'état "
        "{date}, en jours ouvrés (du lundi au vendredi)."
    ),
    "{n} link(s) closing a loop left out.": "{n} lien(s) fermant une boucle écarté(s).",
    "**Criticality index**: share of the draws where the activity drives the finish.": (
        "**Indice de criticité** : part des tirages où l'activité détermine la fin."
    ),
    "No driver: no duration varies in the draws.": (
        "Aucun facteur : aucune durée ne varie dans les tirages."
    ),
    "Schedule risk (Monte Carlo)": "Risque planning (Monte-Carlo)",
    "Each draw gives every unfinished activity a duration, then runs the file's logic "
    "(links and lags): the finish dates it gives, how often each activity is critical and "
    "which durations move the finish most.": (
        "Chaque tirage donne une durée à chaque activité non terminée, puis applique la "
        "logique du fichier (liens et décalages) : les dates de fin obtenues, la fréquence "
        "à laquelle chaque activité est critique et les durées qui pèsent le plus sur la fin."
    ),
    "Iterations": "Itérations",
    "Schedule risk": "Analyse de risque planning",
    "Simulating {n} draws...": "Simulation de {n} tirages...",
}
