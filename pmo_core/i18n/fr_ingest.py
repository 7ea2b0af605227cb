"""French texts of the import: issue messages, the Import page, the template."""

FR: dict[str, str] = {
    # Issues
    "error": "erreur",
    "warning": "avertissement",
    "A second sheet for {table} was ignored.": "Une deuxième feuille pour {table} a été ignorée.",
    "Budget missing: cost KPIs will be n/a for this project.": "Budget manquant : les indicateurs de coût seront n/d pour ce projet.",
    "Cannot read this value: expected {expected}.": "Valeur illisible : attendu {expected}.",
    "Column {canon} appears twice; the first one ({first}) is used.": "La colonne {canon} apparaît deux fois ; la première ({first}) est utilisée.",
    "Duplicate {what}: each must be unique. Rename or remove this row.": "Doublon de {what} : chaque valeur doit être unique. Renommez ou supprimez cette ligne.",
    "End date before start date: correct one of the two dates.": "Date de fin antérieure à la date de début : corrigez l'une des deux dates.",
    "Give a role or a resource for this allocation.": "Indiquez un rôle ou une ressource pour cette affectation.",
    "Hidden sheet ignored.": "Feuille masquée ignorée.",
    "Negative amount: must be 0 or more.": "Montant négatif : il doit être positif ou nul.",
    "Negative capacity: must be 0 or more.": "Capacité négative : elle doit être positive ou nulle.",
    "Negative hours: must be 0 or more.": "Heures négatives : elles doivent être positives ou nulles.",
    "Negative impact.": "Impact négatif.",
    "Negative value: must be 0 or more.": "Valeur négative : elle doit être positive ou nulle.",
    "Negative weight.": "Poids négatif.",
    "No Projects sheet found: the workbook needs a sheet named Projects (or Projets) with a "
    "Project ID column.": "Aucune feuille Projets : le classeur doit contenir une feuille Projets (ou Projects) "
    "avec une colonne Code projet.",
    "Percent complete must be between 0 and 100.": "L'avancement doit être compris entre 0 et 100.",
    "Probability must be between 0 and 1, 0 and 100 %, or a level 1-5.": "La probabilité doit être comprise entre 0 et 1, entre 0 et 100 %, ou un niveau de 1 à 5.",
    "Negative probability.": "Probabilité négative.",
    "This column gives probabilities as fractions 0-1 (its other rows): write this one as a fraction too (0.4 for 40 %), or give every probability of the sheet as a level 1-5 or as a percentage.": "Cette colonne donne les probabilités en fractions de 0 à 1 (ses autres lignes) : écrivez aussi celle-ci en fraction (0,4 pour 40 %), ou donnez toutes les probabilités de la feuille en niveaux de 1 à 5 ou en pourcentages.",
    "Probability 1 in a column of fractions: read as certain (100 %). If it means level 1, give every probability of the sheet as a level 1-5.": "Probabilité 1 dans une colonne de fractions : lue comme certaine (100 %). S'il s'agit du niveau 1, donnez toutes les probabilités de la feuille en niveaux de 1 à 5.",
    "This column gives probabilities as percentages 0-100: a value above 100 % cannot be a probability.": "Cette colonne donne les probabilités en pourcentages de 0 à 100 : une valeur au-delà de 100 % ne peut pas être une probabilité.",
    "Read as per cent in a column of percentages (0.5 is 0.5 %): if it is a fraction (0.4 for 40 %), write it as a percentage like the other rows.": "Lue en pourcentage dans une colonne de pourcentages (0,5 vaut 0,5 %) : s'il s'agit d'une fraction (0,4 pour 40 %), écrivez-la en pourcentage comme les autres lignes.",
    "This column gives probabilities as levels 1-5 (its other rows): write this one as a whole level 1-5 too, or give every probability of the sheet as a fraction 0-1 or a percentage.": "Cette colonne donne les probabilités en niveaux de 1 à 5 (ses autres lignes) : écrivez aussi celle-ci en niveau entier de 1 à 5, ou donnez toutes les probabilités de la feuille en fractions de 0 à 1 ou en pourcentages.",
    "A level 1-5 in a column of amounts (its other rows are amounts): write this impact in money (e.g. 40 000), or give every impact of the sheet as a level 1-5.": "Un niveau de 1 à 5 dans une colonne de montants (ses autres lignes sont des montants) : écrivez cet impact en argent (par exemple 40 000), ou donnez tous les impacts de la feuille en niveaux de 1 à 5.",
    "An amount in a column of levels 1-5 (its other rows are levels): write this impact as a level 1-5 too, or give every impact of the sheet in money.": "Un montant dans une colonne de niveaux de 1 à 5 (ses autres lignes sont des niveaux) : écrivez aussi cet impact en niveau de 1 à 5, ou donnez tous les impacts de la feuille en argent.",
    "Required column missing: {name}. Add a column with this header.": "Colonne obligatoire manquante : {name}. Ajoutez une colonne avec cet en-tête.",
    "Required value missing: fill this cell or delete the row.": "Valeur obligatoire manquante : remplissez cette cellule ou supprimez la ligne.",
    "Sheet not recognised: ignored. Name it like a template sheet (e.g. Projets, Jalons).": "Feuille non reconnue : ignorée. Nommez-la comme une feuille du modèle "
    "(ex. Projets, Jalons).",
    "Start or end date missing: schedule KPIs will be n/a for this project.": "Date de début ou de fin manquante : les indicateurs de délai seront n/d pour ce projet.",
    "Status missing: the project is taken as in progress.": "Statut manquant : le projet est considéré en cours.",
    "The as_of setting is not a date: today is used instead.": "Le paramètre as_of n'est pas une date : la date du jour est utilisée.",
    "The file cannot be read ({error}). Open it in Excel and save it again as .xlsx.": "Le fichier est illisible ({error}). Ouvrez-le dans Excel et enregistrez-le à nouveau "
    "en .xlsx.",
    "The file is empty.": "Le fichier est vide.",
    "The file is {size} MB; the limit is {limit} MB.": "Le fichier pèse {size} Mo ; la limite est de {limit} Mo.",
    "The workbook expands to {size} MB, more than the {limit} MB allowed: it may be corrupt or "
    "malicious. Save a copy with only the portfolio sheets.": "Le classeur décompressé pèse {size} Mo, plus que les {limit} Mo autorisés : il est "
    "peut-être corrompu ou malveillant. Enregistrez une copie avec les seules feuilles du "
    "portefeuille.",
    "This compressed file is damaged.": "Ce fichier compressé est endommagé.",
    "This file is not an Excel workbook (.xlsx) nor a CSV file: save it as .xlsx or .csv and "
    "upload it again.": "Ce fichier n'est ni un classeur Excel (.xlsx) ni un fichier CSV : enregistrez-le en "
    ".xlsx ou .csv et chargez-le à nouveau.",
    "Totals row skipped.": "Ligne de total ignorée.",
    "Not a value this column knows: imported as empty.": "Valeur inconnue pour cette colonne : importée vide.",
    "Sheet not read by the mapping profile: ignored.": "Feuille non lue par le profil de correspondance : ignorée.",
    "Read with the mapping profile {profile}.": "Lu avec le profil de correspondance {profile}.",
    "Reading {name}...": "Lecture de {name}...",
    "Converting the sheet {sheet}...": "Conversion de la feuille {sheet}...",
    "Checking the rules across sheets...": "Contrôle des règles entre les feuilles...",
    "Writing the snapshot...": "Écriture de la photo...",
    "{n} rows in one transaction: all of them or none.": (
        "{n} lignes en une seule transaction : toutes ou aucune."
    ),
    "Read with the saved mapping profile {profile}: its headers match this file's.": (
        "Lu avec le profil de correspondance enregistré {profile} : ses en-têtes sont "
        "ceux de ce fichier."
    ),
    "Unknown column ignored: rename it to a template header to import it.": "Colonne inconnue ignorée : renommez-la comme un en-tête du modèle pour l'importer.",
    "Unknown objective: it is not in the Objectives sheet.": "Objectif inconnu : il n'est pas dans la feuille Objectifs.",
    "Unknown project: this id is not in the Projects sheet. Fix the id or add the project.": "Projet inconnu : ce code n'est pas dans la feuille Projets. Corrigez le code ou "
    "ajoutez le projet.",
    "Unknown resource: this id is not in the Resources sheet.": "Ressource inconnue : ce code n'est pas dans la feuille Ressources.",
    # Baseline sheet (DESIGN section 3)
    "Planned value column missing: add a column {cumulative} (cumulative) or {period} (per period).": (
        "Colonne de valeur planifiée manquante : ajoutez une colonne {cumulative} (cumulée) "
        "ou {period} (par période)."
    ),
    "Cumulative planned value lower than an earlier month's: the curve keeps the earlier value. If this column gives each month's own PV, name it {period}.": (
        "Valeur planifiée cumulée inférieure à celle d'un mois précédent : la courbe garde "
        "la valeur précédente. Si cette colonne donne la VP de chaque mois, nommez-la "
        "{period}."
    ),
    "{n} more rows with the same problem.": "{n} autres lignes avec le même problème.",
    "{n} more unreadable values in this column.": "{n} autres valeurs illisibles dans cette colonne.",
    # Expected values
    "a date such as 31/12/2026 or 2026-12-31": "une date comme 31/12/2026 ou 2026-12-31",
    "a month such as 03/2026 or a date": "un mois comme 03/2026 ou une date",
    "yes or no (oui / non)": "oui ou non (yes / no)",
    "a number such as 1 234,50": "un nombre comme 1 234,50",
    "a number such as 1,234.50": "un nombre comme 1,234.50",
    "a rating: None 0, Low 1, Moderate 3, Strong 6, Extreme 9 (or 0-9)": "une note : Aucun 0, Faible 1, Modéré 3, Fort 6, Extrême 9 (ou 0 à 9)",
    "a status: proposed, approved, in progress, on hold, completed, cancelled": "un statut : Proposé, Approuvé, En cours, Suspendu, Terminé, Annulé",
    "Green, Amber or Red (Vert, Orange, Rouge)": "Vert, Orange ou Rouge (Green, Amber, Red)",
    "9, 6, 3, 1, 1/3, 1/6 or 1/9": "9, 6, 3, 1, 1/3, 1/6 ou 1/9",
    "text": "du texte",
    # Sheets
    "Objectives": "Objectifs",
    "Pairwise": "Comparaisons",
    "Resources": "Ressources",
    "Allocations": "Affectations",
    "Milestones": "Jalons",
    "StatusReports": "Rapports",
    # Template
    "Read me": "Lisez-moi",
    "Import template: fill one sheet per table; starred columns are required. French or "
    "English headers, dates and numbers are accepted.": "Modèle d'import : une feuille par table ; les colonnes marquées d'une étoile sont "
    "obligatoires. En-têtes, dates et nombres en français ou en anglais acceptés.",
    "Required: {cols}": "Obligatoire : {cols}",
    "One row per project. Status: proposed, approved, in progress, on hold, completed, "
    "cancelled (French words accepted). Mandatory: yes/no.": "Une ligne par projet. Statut : Proposé, Approuvé, En cours, Suspendu, Terminé, Annulé. "
    "Obligatoire : oui/non.",
    "Strategic objectives (business drivers). Weight optional: blank = from the pairwise "
    "comparisons, or equal.": "Objectifs stratégiques (axes). Poids facultatif : vide = issu des comparaisons par "
    "paires, ou égal.",
    "How much more important objective A is than B: 9, 6, 3, 1, 1/3, 1/6, 1/9.": "Importance de l'objectif A par rapport à B : 9, 6, 3, 1, 1/3, 1/6, 1/9.",
    "Rating of each project against each objective: None 0, Low 1, Moderate 3, Strong 6, "
    "Extreme 9 (words or numbers).": "Note de chaque projet sur chaque objectif : Aucun 0, Faible 1, Modéré 3, Fort 6, "
    "Extrême 9 (mots ou nombres).",
    "People by role; capacity per month (default 140 h x FTE).": "Personnes par rôle ; capacité mensuelle (par défaut 140 h x ETP).",
    "Optional: available hours per role and month (overrides the resources).": "Facultatif : heures disponibles par rôle et par mois (remplace les ressources).",
    "Planned hours per project, role (or resource) and month.": "Heures prévues par projet, rôle (ou ressource) et mois.",
    "Milestones: baseline, forecast and actual dates.": "Jalons : dates de référence, prévisionnelle et réelle.",
    "Risk register: probability (0-1, %, or level 1-5), impact (money or level 1-5).": "Registre des risques : probabilité (0-1, %, ou niveau 1-5), impact (montant ou "
    "niveau 1-5).",
    "Monthly status reports: PV, EV, AC, RAG (Green/Amber/Red), comment.": "Rapports d'avancement mensuels : VP, VA, CR, météo (Vert/Orange/Rouge), commentaire.",
    "Optional settings: as_of (the snapshot's date), currency (EUR, GBP...).": "Paramètres facultatifs : as_of (date de la photo), currency (EUR, GBP...).",
    # Mapping editor
    "Column mapping": "Correspondance des colonnes",
    "The saved profile {name} matches these headers: the file is read with it. Change it "
    "below if needed.": "Le profil enregistré {name} correspond à ces en-têtes : le fichier est lu avec lui. "
    "Modifiez-le ci-dessous si besoin.",
    "Read the file with this mapping": "Lire le fichier avec cette correspondance",
    "Edit the mapping": "Modifier la correspondance",
    "Some headers are not recognised: choose the column each one feeds, constant values for "
    "columns the file lacks, and how to read its words. The counts and issues below follow "
    "your choices.": "Certains en-têtes ne sont pas reconnus : choisissez la colonne que chacun alimente, "
    "des valeurs constantes pour les colonnes absentes du fichier et la lecture de ses mots. "
    "Les comptes et anomalies ci-dessous suivent vos choix.",
    "Table": "Table",
    "Column in the file": "Colonne du fichier",
    "Feeds the column": "Alimente la colonne",
    "Constant values (when the file lacks the column or leaves it empty)": "Valeurs constantes (si le fichier n'a pas la colonne ou la laisse vide)",
    "Words of the file read as (* for any other text)": "Mots du fichier lus comme (* pour tout autre texte)",
    "In the file": "Dans le fichier",
    "Read as": "Lu comme",
    "Profile name": "Nom du profil",
    "Map at least one column of the file to a column of the table.": "Faites correspondre au moins une colonne du fichier à une colonne de la table.",
    "Save the profile": "Enregistrer le profil",
    "Profile {name} saved: it will be proposed when these headers come back.": "Profil {name} enregistré : il sera proposé quand ces en-têtes reviendront.",
    # Data quality
    "Data quality": "Qualité des données",
    "Projects with missing data": "Projets aux données incomplètes",
    "Gaps": "Manques",
    "Start date": "Date de début",
    "End date": "Date de fin",
    "Sponsor": "Commanditaire",
    "Ratings against objectives": "Notes sur les objectifs",
    "Status report": "Rapport d'avancement",
}
