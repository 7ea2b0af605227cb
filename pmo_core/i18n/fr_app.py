"""French texts of the app shell, the Overview and the Import page."""

FR: dict[str, str] = {
    "(none)": "(aucun)",
    "First start: importing the demo portfolio...": "Premier démarrage : import du portefeuille de démonstration...",
    # Overview
    "Portfolio overview": "Vue d'ensemble du portefeuille",
    "Snapshot #{id} as of {date} · {n} projects": "Photo n°{id} au {date} · {n} projets",
    "In execution": "En exécution",
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
    "Delete a snapshot": "Supprimer une photo",
    "I understand that this snapshot will be deleted.": "Je comprends que cette photo sera supprimée.",
    "Delete": "Supprimer",
}
