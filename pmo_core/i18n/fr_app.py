"""French texts of the app shell, the Overview and the Import page."""

FR: dict[str, str] = {
    "(none)": "(aucun)",
    "First start: importing the demo portfolio...": "Premier démarrage : import du portefeuille de démonstration...",
    # Overview
    "Portfolio overview": "Vue d'ensemble du portefeuille",
    "Snapshot #{id} as of {date} · {n} projects": "Photo n°{id} au {date} · {n} projets",
    "In execution": "En exécution",
    "changes since snapshot #{id}": "évolutions depuis la photo n°{id}",
    "Budget (BAC)": "Budget (BAA)",
    "Estimate at completion": "Estimation à l'achèvement",
    "EAC": "EAA",
    "EAC = sum of BAC / CPI per project (BAC where CPI is n/a)": "EAA = somme des BAA / IPC par projet (BAA quand l'IPC est n/d)",
    "Portfolio SPI = sum EV / sum PV = {ev} / {pv}": "IPD du portefeuille (SPI en anglais) = somme VA / somme VP = {ev} / {pv}",
    "Portfolio CPI = sum EV / sum AC = {ev} / {ac}": "IPC du portefeuille (CPI en anglais) = somme VA / somme CR = {ev} / {ac}",
    "Red projects": "Projets en rouge",
    "Weather by programme": "Météo par programme",
    "Weather by direction": "Météo par direction",
    "What changed since snapshot #{id}": "Ce qui a changé depuis la photo n°{id}",
    "{n} project(s) added": "{n} projet(s) ajouté(s)",
    "{n} project(s) removed": "{n} projet(s) retiré(s)",
    "{n} weather change(s)": "{n} changement(s) de météo",
    "{n} milestone(s) slipped by more than 30 days": "{n} jalon(s) décalé(s) de plus de 30 jours",
    "{n} new top risk(s)": "{n} nouveau(x) risque(s) majeur(s)",
    "Before": "Avant",
    "After": "Après",
    "Risk exposure": "Exposition aux risques",
    "Total budget": "Budget total",
    "Projects by programme and status": "Projets par programme et par statut",
    "Portfolio timeline": "Calendrier du portefeuille",
    # Import
    "Import a portfolio snapshot": "Importer une photo du portefeuille",
    "Upload the monthly export (Excel or CSV, French or English). Every problem is listed with "
    "its sheet, row and column; nothing is written until the whole file is valid.": "Chargez l'export mensuel (Excel ou CSV, en français ou en anglais). Chaque problème est "
    "signalé avec sa feuille, sa ligne et sa colonne ; rien n'est enregistré tant que le "
    "fichier entier n'est pas valide.",
    "Import template": "Modèle d'import",
    "The template has one sheet per table, with the accepted values.": "Le modèle contient une feuille par table, avec les valeurs acceptées.",
    "Template in French": "Modèle en français",
    "Template in English": "Modèle en anglais",
    "Workbook or CSV file": "Classeur ou fichier CSV",
    "Reading and checking {name}...": "Lecture et contrôle de {name}...",
    "{name} read: {n} issues": "{name} lu : {n} anomalies",
    "Projects read": "Projets lus",
    "Activities read": "Activités lues",
    "Milestones read": "Jalons lus",
    # ui/schedule_quality_panel.py (DCMA 14 points on the Import page)
    "Schedule quality (DCMA 14 points)": "Qualité du planning (14 points DCMA)",
    "Checked on the file as it is validated: the activities and links are not kept with "
    "the snapshot, so the Governance page does not show them. Status date: {date}.": (
        "Contrôlée sur le fichier au moment de sa validation : les activités et les liens "
        "ne sont pas conservés avec l'instantané, la page Gouvernance ne les montre donc "
        "pas. Date d'état : {date}."
    ),
    "**{project}**: {n} activities; {ok} checks passed, {ko} failed, {na} n/a.": (
        "**{project}** : {n} activités ; {ok} contrôles réussis, {ko} échoués, {na} n/d."
    ),
    "Check": "Contrôle",
    "Threshold (DCMA)": "Seuil (DCMA)",
    "Result": "Résultat",
    "Activities that break it": "Activités en défaut",
    "Pass": "Réussi",
    "Fail": "Échoué",
    "a continuous chain": "une chaîne continue",
    "{n} activities in the chain": "{n} activités dans la chaîne",
    "and {n} more": "et {n} autres",
    "Errors": "Erreurs",
    "Warnings": "Avertissements",
    "Validation report": "Rapport de contrôle",
    "Severity": "Gravité",
    "Sheet": "Feuille",
    "Row": "Ligne",
    "Column": "Colonne",
    "Value": "Valeur",
    "Message": "Message",
    "Issues": "Anomalies",
    "Download the report (Excel)": "Télécharger le rapport (Excel)",
    "The file is valid: it can be imported.": "Le fichier est valide : il peut être importé.",
    "The file has errors: fix them in the file and upload it again. Nothing was imported.": "Le fichier contient des erreurs : corrigez-les dans le fichier puis chargez-le à "
    "nouveau. Rien n'a été importé.",
    "Preview": "Aperçu",
    "As-of date of this snapshot": "Date d'arrêté de cette photo",
    "Import this snapshot": "Importer cette photo",
    "Snapshot #{id} imported.": "Photo n°{id} importée.",
    "Snapshot history": "Historique des photos",
    "Imported at": "Importée le",
    "As of": "Date d'arrêté",
    "Source file": "Fichier source",
    "Imported by": "Importée par",
    # ui.snapshot_history.importer: the importers the app itself records
    "demo seed": "jeu de démonstration",
    "local (open mode)": "local (mode ouvert)",
    "{role} (password)": "{role} (mot de passe)",
    "Delete a snapshot": "Supprimer une photo",
    "I understand that this snapshot will be deleted.": "Je comprends que cette photo sera supprimée.",
    "Delete": "Supprimer",
}
