"""French texts of the drill-down: the Overview's links to the lists behind its counts,
the Projects page's view and order, a project's reasons (the driver of each weather
dimension, its changes, its last report), and the messages of a stale link."""

FR: dict[str, str] = {
    # Overview links
    "See the projects": "Voir les projets",
    "Project list": "Voir les projets",  # under each Overview card: short in English
    "See it": "Le voir",
    "See the {n}": "Voir les {n}",
    "Opens the Projects page with the red project": "Ouvre la page Projets sur le projet en rouge",
    "Opens the Projects page with the {n} red projects": (
        "Ouvre la page Projets sur les {n} projets en rouge"
    ),
    "See the gaps": "Voir les écarts",
    "Opens the Projects page filtered on this figure": "Ouvre la page Projets filtrée sur ce chiffre",
    # Projects: view and order
    "Order": "Tri",
    "Red first": "Rouges d'abord",
    "SPI, lowest first": "IPD, du plus bas au plus haut",
    "SPI(t), lowest first": "IPD(t), du plus bas au plus haut",
    "CPI, lowest first": "IPC, du plus bas au plus haut",
    "EAC, largest first": "EAA, de la plus élevée à la plus basse",
    "Budget, largest first": "Budget, du plus élevé au plus bas",
    "Exposure, largest first": "Exposition, de la plus forte à la plus faible",
    "Project id": "Code projet",
    "Not completed nor cancelled": "Ni terminés ni annulés",
    "Changed since snapshot #{id}": "Changé depuis la photo n° {id}",
    "Changed since the previous snapshot": "Changé depuis la photo précédente",
    "Added": "Ajoutés",
    "Weather changed": "Météo changée",
    "Milestone slipped by more than 30 days": "Jalon décalé de plus de 30 jours",
    "New top risk": "Nouveau risque majeur",
    "EAC changed": "EAA modifiée",
    "Budget changed": "Budget modifié",
    "Data gaps": "Données manquantes",
    "{n} of {total} projects": "{n} projets sur {total}",
    "No project matches these filters.": "Aucun projet ne correspond à ces filtres.",
    "Choose a project": "Choisissez un projet",
    # Project detail: why
    "Why this weather": "Pourquoi cette météo",
    "not named": "non désigné",
    "1 day late": "1 jour de retard",
    "{n} days late": "{n} jours de retard",
    "no milestone overdue": "aucun jalon en retard",
    "quality rating of the report of {date}": "météo qualité du rapport du {date}",
    "no SPI(t) nor SPI: dates or progress missing": "ni IPD(t) ni IPD : dates ou avancement manquants",
    "no CPI: progress or actual cost missing": "pas d'IPC : avancement ou coût réel manquant",
    "no milestone": "aucun jalon",
    "no quality rating in the status reports": "aucune météo qualité dans les rapports d'avancement",
    "no reason given": "aucun motif donné",
    "Weather set by hand: {set} (computed: {computed}). Reason: {reason}": (
        "Météo imposée : {set} (calculée : {computed}). Motif : {reason}"
    ),
    "Last status report: {date}": "Dernier rapport d'avancement : {date}",
    "older than the snapshot's month ({month}): its figures may be out of date.": (
        "antérieur au mois de la photo ({month}) : ses chiffres peuvent être dépassés."
    ),
    "No status report for this project yet.": "Aucun rapport d'avancement pour ce projet.",
    "Since snapshot #{id}": "Depuis la photo n° {id}",
    "Nothing changed: weather, EAC, forecast finish, milestones and risks as before.": (
        "Rien n'a changé : météo, EAA, fin prévisionnelle, jalons et risques identiques."
    ),
    "New in this snapshot": "Nouveau dans cette photo",
    "New risk: {title}": "Nouveau risque : {title}",
    "Risk closed: {title}": "Risque clos : {title}",
    "Milestone {name}": "Jalon {name}",
    # Stale links
    "Project {id} is not in snapshot #{sid} as of {date} (removed, renamed or not yet imported).": (
        "Le projet {id} n'est pas dans la photo n° {sid} du {date} (retiré, renommé ou pas "
        "encore importé)."
    ),
    "It is in snapshot #{other}.": "Il figure dans la photo n° {other}.",
    "Choose a project of this snapshot below.": "Choisissez ci-dessous un projet de cette photo.",
    "Open {id} in snapshot #{other}": "Ouvrir {id} dans la photo n° {other}",
    "Project {id} is not in this list (the filters leave it out): its detail is shown below.": (
        "Le projet {id} n'est pas dans cette liste (les filtres l'écartent) : son détail est "
        "affiché ci-dessous."
    ),
    "Snapshot #{asked} does not exist (deleted, or never imported): showing snapshot "
    "#{shown} as of {date}, the nearest one.": (
        "La photo n° {asked} n'existe pas (supprimée, ou jamais importée) : affichage de la "
        "photo n° {shown} du {date}, la plus proche."
    ),
    'The link\'s snapshot "{asked}" is not a snapshot number: showing the newest snapshot.': (
        "La photo « {asked} » du lien n'est pas un numéro de photo : affichage de la plus récente."
    ),
    # Early warnings
    "Risk exposure rose by {pct} since the last snapshot": (
        "L'exposition au risque a augmenté de {pct} depuis la photo précédente"
    ),
    "From this snapshot and the two before it: CPI or SPI down by {drop} or more over "
    "the last {n} reports, milestones slipping in two snapshots in a row, exposure up "
    "by more than {rise}, no status report for more than {days} days (settings "
    "warning_index_drop, warning_falling_reports, warning_exposure_rise, "
    "warning_overdue_days).": (
        "Sur cette photo et les deux précédentes : IPC ou IPD en baisse de {drop} ou plus "
        "sur les {n} derniers rapports, jalons décalés sur deux photos consécutives, "
        "exposition en hausse de plus de {rise}, aucun rapport d'avancement depuis plus de "
        "{days} jours (paramètres warning_index_drop, warning_falling_reports, "
        "warning_exposure_rise, warning_overdue_days)."
    ),
    "1 project already red is left out: it is watched for its weather.": (
        "1 projet déjà en rouge n'est pas repris : il est suivi pour sa météo."
    ),
    "{n} projects already red are left out: they are watched for their weather.": (
        "{n} projets déjà en rouge ne sont pas repris : ils sont suivis pour leur météo."
    ),
}
