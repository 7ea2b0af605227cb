"""French texts of the Risks, Alignment and Governance pages and of governance rules."""

FR: dict[str, str] = {
    # Risks
    "Open risks": "Risques ouverts",
    "Sum of probability x impact over open risks": "Somme de probabilité x impact sur les risques ouverts",
    "Critical risks (score >= 15)": "Risques critiques (criticité >= 15)",
    "Top 10 risks by exposure": "Les 10 risques les plus exposés",
    "Exposure by project": "Exposition par projet",
    "Owner": "Responsable",
    "Mitigation plan": "Plan d'atténuation",
    # Alignment
    "This snapshot has no strategic objectives.": "Cette photo ne contient aucun objectif stratégique.",
    "Weights from the pairwise comparisons (AHP, principal eigenvector); edit a judgment to "
    "see the ranking move.": "Poids issus des comparaisons par paires (AHP, vecteur propre principal) ; modifiez un "
    "jugement pour voir le classement évoluer.",
    "Consistency ratio (CR)": "Ratio de cohérence (RC)",
    "Consistent": "Cohérent",
    "Inconsistent": "Incohérent",
    "CR = CI / RI; 0.10 or less is acceptable.": "RC = IC / IA ; 0,10 ou moins est acceptable.",
    "Objective": "Objectif",
    "Weight": "Poids",
    "Judgments to review": "Jugements à revoir",
    "Given": "Saisi",
    "Consistent value": "Valeur cohérente",
    "Projects ranked by alignment": "Projets classés par alignement",
    # Governance
    "Methodology compliance of projects being launched or run, against the rules below "
    "(settings governance_<rule> in the workbook).": "Conformité méthodologique des projets lancés ou en cours, selon les règles ci-dessous "
    "(paramètres governance_<règle> du classeur).",
    "Compliance": "Conformité",
    "Fully compliant projects": "Projets pleinement conformes",
    "Projects with gaps": "Projets avec des écarts",
    "What each project misses": "Ce qui manque à chaque projet",
    "Score": "Score",
    "Missing": "Manquant",
    "By project manager": "Par chef de projet",
    "By direction": "Par direction",
    "Early warnings": "Alertes précoces",
    "Warning": "Alerte",
    "Status report in the last {days} days": "Rapport d'avancement de moins de {days} jours",
    "Sponsor named": "Sponsor désigné",
    "Project manager named": "Chef de projet désigné",
    "Baseline start and end dates": "Dates de début et de fin de référence",
    "Budget (BAC) given": "Budget (BAA) renseigné",
    "Milestones defined": "Jalons définis",
    "Risk register (budget above {threshold})": "Registre des risques (budget supérieur à {threshold})",
    "Rated against every strategic objective": "Noté sur chaque objectif stratégique",
    "{index} fell across the last {n} reports: {first} -> {last}": "{index} en baisse sur les {n} derniers rapports : {first} -> {last}",
    "No status report for {days} days": "Aucun rapport d'avancement depuis {days} jours",
    "No status report yet": "Aucun rapport d'avancement",
    "{n} milestone(s) slipped in two snapshots in a row": "{n} jalon(s) décalé(s) sur deux photos consécutives",
    "Risk exposure rose by {pct} % since the last snapshot": "L'exposition au risque a augmenté de {pct} % depuis la photo précédente",
    # Overview: watch list
    "Early warnings: before they turn red": "Alertes précoces : avant de passer au rouge",
    "Click a row to open the project.": "Cliquez sur une ligne pour ouvrir le projet.",
    "Method compliance": "Respect de la méthode",
    "Missing dates, budget, manager, sponsor, ratings, reports or milestones": "Dates, budget, chef de projet, sponsor, notations, rapports ou jalons manquants",
    "Projects not red yet whose indices, milestones, exposure or reporting drift": "Projets pas encore rouges dont les indices, les jalons, l'exposition ou le reporting dérivent",
    "{n} project(s)": "{n} projet(s)",
    "{n} project(s) miss a rule of the method: see Governance": "{n} projet(s) ne respectent pas une règle de la méthode : voir Gouvernance",
    "{n} project(s) with gaps": "{n} projet(s) incomplet(s)",
    "From this snapshot and the two before it: an index falling across the last reports, milestones slipping in two snapshots in a row, exposure rising, a status report overdue.": "À partir de cette photo et des deux précédentes : un indice en baisse sur les derniers rapports, des jalons décalés deux photos de suite, une exposition en hausse, un rapport d'avancement en retard.",
    # Projects: RAG dimensions, milestones
    "{label}: {value}": "{label} : {value}",
    "Worst of schedule, cost, milestones and quality; override: {reason}": "Le pire des délais, coûts, jalons et de la qualité ; forçage : {reason}",
    "{hit} of {due} due milestones reached (hit rate {rate}); on time: {on_time}": "{hit} jalons atteints sur {due} échus (taux d'atteinte {rate}) ; à l'heure : {on_time}",
    # Risks
    "Click a cell to list its risks.": "Cliquez sur une case pour lister ses risques.",
    "Risks with probability {p} and impact {i}": "Risques de probabilité {p} et d'impact {i}",
    "Risk exposure across snapshots": "Exposition au risque d'une photo à l'autre",
    "Portfolio exposure": "Exposition du portefeuille",
    "Project exposure": "Exposition du projet",
}
