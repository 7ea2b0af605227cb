"""French texts of the schedule import (MS Project XML, Primavera P6 XER and P6-XML)."""

FR: dict[str, str] = {
    "This file is not readable XML ({error}): save it again from MS Project or P6.": (
        "Ce fichier n'est pas un XML lisible ({error}) : enregistrez-le à nouveau depuis "
        "MS Project ou P6."
    ),
    "This XML file is neither an MS Project XML (MSPDI) nor a Primavera P6 XML export: "
    "in MS Project use File > Save As > XML.": (
        "Ce fichier XML n'est ni un XML MS Project (MSPDI) ni un export XML de Primavera "
        "P6 : dans MS Project, utilisez Fichier > Enregistrer sous > XML."
    ),
    "This file is not a Primavera P6 XER export: it has no %T / %F / %R records.": (
        "Ce fichier n'est pas un export XER de Primavera P6 : il ne contient aucun "
        "enregistrement %T / %F / %R."
    ),
    "MS Project .mpp files cannot be read here: open the file in MS Project, choose "
    "File > Save As > XML (*.xml) and import that file.": (
        "Les fichiers .mpp de MS Project ne peuvent pas être lus ici : ouvrez le fichier "
        "dans MS Project, choisissez Fichier > Enregistrer sous > XML (*.xml) et importez "
        "ce fichier."
    ),
    "No PROJECT table: export the project again from P6 (File > Export > XER).": (
        "Aucune table PROJECT : exportez à nouveau le projet depuis P6 (Fichier > Exporter > XER)."
    ),
    "This row has {n} values but the table has {m} fields: the extra values are ignored.": (
        "Cette ligne a {n} valeurs mais la table a {m} champs : les valeurs en trop sont ignorées."
    ),
    "Resource assignment of an activity that is not in the file: ignored.": (
        "Affectation de ressource à une activité absente du fichier : ignorée."
    ),
    "Negative cost in this assignment: kept as it is; check it in P6.": (
        "Coût négatif dans cette affectation : conservé tel quel ; vérifiez-le dans P6."
    ),
    "{n} cost-loaded assignments of this project have no usable target dates: no baseline "
    "PV curve; PV and earned schedule use the linear plan.": (
        "{n} affectations chiffrées de ce projet n'ont pas de dates cibles utilisables : pas "
        "de courbe de référence de la VP ; la VP et la durée acquise suivent le plan linéaire."
    ),
    "Milestone without a target date: its forecast date is used as baseline.": (
        "Jalon sans date cible : sa date prévisionnelle sert de référence."
    ),
    "{n} resources have no role in the file: each one's name is used as its role.": (
        "{n} ressources n'ont pas de rôle dans le fichier : le nom de chacune sert de rôle."
    ),
    "Date outside 1950-2200 or unreadable: ignored.": (
        "Date hors de 1950-2200 ou illisible : ignorée."
    ),
    "No cost-loaded resource assignments: the budget of this project is n/a.": (
        "Aucune affectation de ressource chiffrée : le budget de ce projet est n/d."
    ),
    "The file has no baseline 0: the budget is the current cost and the baseline finish "
    "the current finish. Set a baseline in MS Project for cost and schedule variances.": (
        "Le fichier n'a pas de planification initiale 0 : le budget est le coût actuel et "
        "la fin de référence la fin actuelle. Enregistrez une planification initiale dans "
        "MS Project pour suivre les écarts de coût et de délai."
    ),
    "Milestone without a baseline finish: its current finish is used.": (
        "Jalon sans fin de référence : sa fin actuelle est utilisée."
    ),
    "{n} resources have no Group: each one's name is used as its role. Fill the Group "
    "column in MS Project's Resource Sheet.": (
        "{n} ressources n'ont pas de Groupe : le nom de chacune sert de rôle. Remplissez la "
        "colonne Groupe du Tableau des ressources de MS Project."
    ),
    "Two resources have this name: the first one is kept.": (
        "Deux ressources portent ce nom : la première est conservée."
    ),
    "The file holds no tasks.": "Le fichier ne contient aucune tâche.",
    "This XML file declares a DTD or entities, which are not accepted (they can make a "
    "file read other files or grow without end): export it again from MS Project or P6.": (
        "Ce fichier XML déclare une DTD ou des entités, qui ne sont pas acceptées (elles "
        "peuvent faire lire d'autres fichiers ou grossir sans fin) : exportez-le à nouveau "
        "depuis MS Project ou P6."
    ),
    "Project {project} comes from two files ({first} and {second}): the second one is "
    "ignored. Remove one of the files or rename one project.": (
        "Le projet {project} vient de deux fichiers ({first} et {second}) : le second est "
        "ignoré. Retirez l'un des fichiers ou renommez l'un des projets."
    ),
    "Project in the portfolio workbook matched by no schedule: it is imported from the "
    "workbook alone.": (
        "Projet du classeur de portefeuille sans planning correspondant : il est importé "
        "depuis le seul classeur."
    ),
    "Matched to the schedule {project} by name, not by id: check it is the same project.": (
        "Rapproché du planning {project} par son nom et non par son code : vérifiez qu'il "
        "s'agit du même projet."
    ),
    "Schedule project not in the portfolio workbook: it has no programme, objectives or risks.": (
        "Projet du planning absent du classeur de portefeuille : il n'a ni programme, ni "
        "objectifs, ni risques."
    ),
    "Files in different currencies ({currencies}): amounts are added as they are.": (
        "Fichiers en devises différentes ({currencies}) : les montants sont additionnés tels quels."
    ),
    "Resource {resource} has a different role or capacity in another file: the first one "
    "is kept.": (
        "La ressource {resource} a un autre rôle ou une autre capacité dans un autre "
        "fichier : la première est conservée."
    ),
    "Only one portfolio workbook can go with schedule files: {name} was not read. Import "
    "it separately or merge the workbooks.": (
        "Un seul classeur de portefeuille peut accompagner les plannings : {name} n'a pas "
        "été lu. Importez-le séparément ou fusionnez les classeurs."
    ),
    "No resource field {field} in this file: the roles come from the resources' Group. "
    "Give a field name (Text1...) or its alias as MS Project shows it.": (
        "Aucun champ de ressource {field} dans ce fichier : les rôles viennent du Groupe "
        "des ressources. Indiquez un nom de champ (Texte1...) ou son alias tel que MS "
        "Project l'affiche."
    ),
    "{n} resources have no {field}: their Group is used as their role.": (
        "{n} ressources n'ont pas de {field} : leur Groupe sert de rôle."
    ),
    "Calendar exceptions repeating monthly, weekly or by position and alternative work "
    "weeks are not read: those days follow the calendar's normal week.": (
        "Les exceptions de calendrier répétées chaque mois, chaque semaine ou par position "
        "et les semaines de travail alternatives ne sont pas lues : ces jours suivent la "
        "semaine normale du calendrier."
    ),
    "Role from the resource field (MS Project)": "Rôle tiré du champ de ressource (MS Project)",
    "Name or alias of a resource custom field (Text1, Métier...): each resource's role is "
    "read from it instead of its Group.": (
        "Nom ou alias d'un champ personnalisé de ressource (Texte1, Métier...) : le rôle de "
        "chaque ressource y est lu au lieu de son Groupe."
    ),
    # Schedule quality (DCMA 14 points), pmo_core/kpi/schedule_quality.py
    "Missing logic": "Logique manquante",
    "Leads": "Avances (décalages négatifs)",
    "Lags": "Décalages",
    "Relationship types (finish-to-start)": "Types de liens (fin-début)",
    "Hard constraints": "Contraintes impératives",
    "High float (> 44 working days)": "Marge élevée (> 44 jours ouvrés)",
    "Negative float": "Marge négative",
    "High duration (> 44 working days)": "Durée élevée (> 44 jours ouvrés)",
    "Invalid dates": "Dates incohérentes",
    "Resources": "Ressources",
    "Missed tasks": "Tâches en retard sur la référence",
    "Critical path test": "Test du chemin critique",
    "Critical path length index (CPLI)": "Indice de longueur du chemin critique (CPLI)",
    "Baseline execution index (BEI)": "Indice d'exécution de la référence (BEI)",
    "No incomplete activity: nothing to check.": "Aucune activité inachevée : rien à contrôler.",
    "No logic link to an incomplete activity: nothing to check.": (
        "Aucun lien logique vers une activité inachevée : rien à contrôler."
    ),
    "The file gives no total float for its incomplete activities.": (
        "Le fichier ne donne pas la marge totale de ses activités inachevées."
    ),
    "The file gives no duration for its incomplete tasks.": (
        "Le fichier ne donne pas la durée de ses tâches inachevées."
    ),
    "The file has no resource assignment at all: resource loading is not used.": (
        "Le fichier n'a aucune affectation de ressource : le chargement des ressources "
        "n'est pas utilisé."
    ),
    "The file has no status (data) date.": "Le fichier n'a pas de date d'état (date des données).",
    "No activity has a baseline finish on or before the status date.": (
        "Aucune activité n'a une fin de référence antérieure ou égale à la date d'état."
    ),
    "No incomplete activity with a forecast finish: no critical path to test.": (
        "Aucune activité inachevée n'a de fin prévue : pas de chemin critique à tester."
    ),
    "No baseline finish: the float to the baseline finish is unknown.": (
        "Pas de fin de référence : la marge jusqu'à la fin de référence est inconnue."
    ),
    "The forecast finish is on or before the status date.": (
        "La fin prévue est antérieure ou égale à la date d'état."
    ),
    "The file holds no baseline: P6's planned dates stand in for it, and they move with "
    "the schedule for activities not started, so the float to the baseline finish says "
    "nothing.": (
        "Le fichier ne contient pas de référence : les dates planifiées de P6 en tiennent "
        "lieu, et elles suivent le planning pour les activités non commencées ; la marge "
        "jusqu'à la fin de référence ne dit donc rien."
    ),
    "Baseline = P6's planned dates (the file holds no baseline project): activities not "
    "started follow the schedule, so fewer look late than against a real baseline.": (
        "Référence = dates planifiées de P6 (le fichier ne contient pas de projet de "
        "référence) : les activités non commencées suivent le planning, donc moins "
        "d'activités paraissent en retard que face à une vraie référence."
    ),
    "MPXJ could not read this .mpp file ({error}): open it in MS Project, choose "
    "File > Save As > XML (*.xml) and import that file.": (
        "MPXJ n'a pas pu lire ce fichier .mpp ({error}) : ouvrez-le dans MS Project, "
        "choisissez Fichier > Enregistrer sous > XML (*.xml) et importez ce fichier."
    ),
}
