"""French texts of the forecasts (page, chart)."""

FR: dict[str, str] = {
    "Forecasts": "Prévisions",
    "Median (P50)": "Médiane (P50)",
    "Remaining spend per year": "Reste à dépenser par an",
    "Portfolio EAC, median": "EAA du portefeuille, médiane",
    "Portfolio EAC, P80": "EAA du portefeuille, P80",
    "Within budget": "Dans le budget",
    "Probability that the total cost at completion of the {n} running projects stays "
    "within their budget of {budget}.": "Probabilité que le coût total à terminaison des {n} "
    "projets en cours reste dans leur budget de {budget}.",
    "EAC not exceeded in 4 cases out of 5 (percentile of the sum of draws).": "EAA non "
    "dépassée dans 4 cas sur 5 (percentile de la somme des tirages).",
    "Each running project's cost and finish are drawn {n} times around its EVM forecast "
    "(EAC, start + planned duration / SPI(t)), spread by what happened to the company's "
    "past projects at the same stage; projects are drawn independently, so the portfolio's "
    "spread is a lower bound.": "Le coût et la fin de chaque projet en cours sont tirés {n} "
    "fois autour de sa prévision en valeur acquise (EAA, début + durée prévue / IPD(t)), avec la "
    "dispersion observée sur les projets passés de l'entreprise au même stade ; les projets "
    "sont tirés indépendamment : la dispersion du portefeuille est un minimum.",
    "Of {n} past forecasts, {below} finished at or below their P80 and {within} inside "
    "their P10-P90.": "Sur {n} prévisions passées, {below} ont fini au plus à leur P80 et "
    "{within} entre leur P10 et leur P90.",
    "No past forecast has a known outcome yet: the spreads come from the prior ({source}). "
    "They will come from your history once 30 projects at a stage have completed.": "Aucune "
    "prévision passée n'a encore de résultat connu : la dispersion vient de la loi a priori "
    "({source}). Elle viendra de votre historique dès que 30 projets à un même stade seront "
    "terminés.",
    "{n} running project(s) left out: no EAC or no progress data.": "{n} projet(s) en cours "
    "écarté(s) : pas d'EAA ou pas de données d'avancement.",
    "No running project has the figures a forecast needs (EAC and progress).": "Aucun projet "
    "en cours n'a les chiffres qu'une prévision demande (EAA et avancement).",
    "EAC P50": "EAA P50",
    "EAC P80": "EAA P80",
    "Finish P50": "Fin P50",
    "Finish P80": "Fin P80",
    "Reference class": "Classe de référence",
    "EAC (EVM)": "EAA (IPC)",  # short: the table's nine columns fit at 1440 px
    "Estimate at completion by earned value: BAC / CPI (n/a without a CPI).": (
        "Estimation à l'achèvement par la valeur acquise : BAA / IPC (n/d sans IPC)."
    ),
    "P(≤ BAC)": "P(≤ BAA)",
    "P(on time)": "P(à l'heure)",
    "Probability that the cost at completion stays within the budget (BAC).": "Probabilité "
    "que le coût à terminaison reste dans le budget (BAA).",
    "Probability of finishing by the baseline finish date.": "Probabilité de finir au plus "
    "tard à la date de fin de référence.",
    "The past projects whose outcomes spread this forecast: stage (EV / BAC), then "
    "programme or department; in brackets, how many outcomes.": "Les projets passés dont les "
    "résultats donnent la dispersion de cette prévision : stade (VA / BAA), puis programme ou "
    "direction ; entre parenthèses, le nombre de résultats.",
    "Budget of the running projects": "Budget des projets en cours",
    "Sum of the BAC of the {n} running projects forecast.": "Somme des BAA des {n} projets "
    "en cours prévus.",
    "prior": "a priori",
    "Flyvbjerg & Budzier 2011 (HBR): 1 IT project in 6 overruns cost by ~200 %": "Flyvbjerg "
    "et Budzier 2011 (HBR) : 1 projet informatique sur 6 dépasse son coût d'environ 200 %",
    "The last year also holds what would be spent after it.": "La dernière année comprend "
    "aussi ce qui serait dépensé après.",
}
