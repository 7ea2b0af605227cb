"""French texts of the What-if page's robust selection (issue 18, item 4)."""

FR: dict[str, str] = {
    "Robust selection": "Sélection robuste",
    "Costs and values are estimates. The selection is computed again on draws "
    "where each project's cost and value move within the uncertainty (triangular "
    "law) and, on alignment, each AHP judgment one step of the scale; the rules "
    "above stay. Selected in at least 90 % of the draws: core; in at most 10 %: "
    "out; otherwise borderline.": (
        "Coûts et valeurs sont des estimations. La sélection est recalculée sur des "
        "tirages où le coût et la valeur de chaque projet varient dans la marge "
        "d'incertitude (loi triangulaire) et, sur l'alignement, chaque jugement AHP "
        "d'un cran de l'échelle ; les règles ci-dessus restent. Retenu dans au moins "
        "90 % des tirages : socle ; dans au plus 10 % : écarté ; sinon : incertain."
    ),
    "Uncertainty on costs and values": "Incertitude sur les coûts et les valeurs",
    "Draws": "Tirages",
    "Run the robust analysis": "Lancer l'analyse de robustesse",
    "Press the button: the first figures show within seconds, all {n} draws within {s} s.": (
        "Appuyez sur le bouton : les premiers chiffres s'affichent en quelques secondes, "
        "les {n} tirages en {s} s au plus."
    ),
    "{done} of {n} draws solved": "{done} tirages résolus sur {n}",
    "Stopped after {done} of {n} draws: the figures are an estimate. "
    "Press the button to run it again.": (
        "Arrêtée après {done} tirages sur {n} : les chiffres sont une estimation. "
        "Appuyez sur le bouton pour la relancer."
    ),
    "{n} draw(s) left out: the forced projects alone broke a limit there.": (
        "{n} tirage(s) écarté(s) : les projets imposés y dépassaient à eux seuls une limite."
    ),
    "No draw kept: the probabilities are not defined.": (
        "Aucun tirage retenu : les probabilités ne sont pas définies."
    ),
    "{n} project(s) of the answer above are not core: {ids}.": (
        "{n} projet(s) de la réponse ci-dessus ne sont pas dans le socle : {ids}."
    ),
    "Every project of the answer above is core.": (
        "Tous les projets de la réponse ci-dessus sont dans le socle."
    ),
    "Selection probability": "Probabilité d'être retenu",
    "Class": "Classe",
    "Core": "Socle",
    "Borderline": "Incertain",
    "Out": "Écarté",
    "In the answer above": "Dans la réponse ci-dessus",
    "Rule": "Règle",
    "Running, kept": "En cours, conservé",
    "Forced in by the committee": "Imposé par le comité",
    "Forced out by the committee": "Exclu par le comité",
}
