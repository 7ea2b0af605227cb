"""French texts of a project's forecast (Projects page's detail, its charts) and of the
P80 beside the Overview's EAC card."""

FR: dict[str, str] = {
    # pmo_core.forecast.NO_FORECAST
    "This project is not in the snapshot.": "Ce projet n'est pas dans l'instantané.",
    "Only running projects (in progress or on hold) have a forecast.": "Seuls les projets "
    "en cours (en cours ou suspendus) ont une prévision.",
    "No progress data (earned value or budget missing): no stage, so no reference class "
    "and no forecast.": "Pas de données d'avancement (valeur acquise ou budget manquant) : "
    "pas de stade, donc ni classe de référence ni prévision.",
    "No EAC (progress or actual cost missing): no cost forecast.": "Pas d'EAA (avancement "
    "ou coût réel manquant) : pas de prévision de coût.",
    "No forecast finish (dates or progress missing): no finish forecast.": "Pas de fin "
    "prévue (dates ou avancement manquants) : pas de prévision de fin.",
    # ui.forecast_detail
    "Forecast with its confidence": "Prévision et sa confiance",
    "No forecast": "Pas de prévision",
    "Median of the draws: as likely to be exceeded as not.": "Médiane des tirages : autant "
    "de chances d'être dépassée que non.",
    "Not exceeded in 4 draws out of 5.": "Non dépassé dans 4 tirages sur 5.",
    "The band runs from the P10 cost reached on the P10 finish to the P90 cost reached on "
    "the P90 finish, spent evenly from the status date ({date}); the lines are the P50 and "
    "P80 paths.": "La bande va du coût P10 atteint à la fin P10 au coût P90 atteint à la fin "
    "P90, dépensés régulièrement depuis la date d'état ({date}) ; les lignes sont les "
    "trajectoires P50 et P80.",
    "Fewer than {min} outcomes of past projects at this stage ({band}): the spread comes "
    "from the prior ({source}).": "Moins de {min} résultats de projets passés à ce stade "
    "({band}) : la dispersion vient de la loi a priori ({source}).",
    "No forecast made with the prior has a known outcome yet.": "Aucune prévision faite "
    "avec la loi a priori n'a encore de résultat connu.",
    "Of {n} past forecast(s) made with the prior, {below} finished at or below their P80.": (
        "Sur {n} prévision(s) passée(s) faite(s) avec la loi a priori, {below} ont fini au plus à leur "
        "P80."
    ),
    "The spread comes from {n} outcome(s) of past projects of its reference class "
    "({label}).": "La dispersion vient de {n} résultat(s) de projets passés de sa classe de "
    "référence ({label}).",
    "No past forecast at this stage has been checked yet.": "Aucune prévision passée à ce "
    "stade n'a encore été vérifiée.",
    "Of {n} past forecast(s) at this stage ({band}), {below} finished at or below their P80 "
    "and {within} inside their P10-P90.": "Sur {n} prévision(s) passée(s) à ce stade ({band}), "
    "{below} ont fini au plus à leur P80 et {within} entre leur P10 et leur P90.",
    # pmo_core.charts.forecast
    "Share of the draws": "Part des tirages",
    "Cost at completion: the draws": "Coût à terminaison : les tirages",
    "Finish date: the draws": "Date de fin : les tirages",
    "{share} of the draws lie beyond the axis": "{share} des tirages au-delà de l'axe",
    "Cost forecast P10-P90": "Prévision de coût P10-P90",
    "Cost forecast {level}": "Prévision de coût {level}",
    # ui.overview_panels: the P80 under the EAC card
    "P80: the EAC not exceeded in 4 draws out of 5, over {n} running project(s) "
    "forecast: each is drawn around its EVM forecast, spread by the outcomes of past projects of "
    "its reference class (same stage, then programme or department) or, with fewer than 30 "
    "of them, by the prior of Flyvbjerg & Budzier (1 IT project in 6 overruns its cost by "
    "about 200 %).": "P80 : l'EAA non dépassée dans 4 tirages sur 5, sur {n} projet(s) "
    "en cours prévu(s) : chacun est tiré autour de sa prévision en valeur acquise, avec la dispersion des résultats "
    "des projets passés de sa classe de référence (même stade, puis programme ou direction) "
    "ou, avec moins de 30 résultats, celle de la loi a priori de Flyvbjerg et Budzier (1 "
    "projet informatique sur 6 dépasse son coût d'environ 200 %).",
    "The {n} other project(s) of the card (completed, or without a forecast) count as the "
    "card counts them: {amount}.": "Les {n} autre(s) projet(s) de la carte (terminés, ou "
    "sans prévision) comptent comme la carte les compte : {amount}.",
}
