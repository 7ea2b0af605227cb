"""French of the import modes: lenient (what was left empty or out), update (a
departmental file), and the warnings of a plain import (far fewer projects, same as-of)."""

from __future__ import annotations

FR: dict[str, str] = {
    # Lenient import: what was done (Issue.fix)
    "Lenient import: this cell was left empty.": "Import tolérant : cette cellule a été laissée vide.",
    "Lenient import: this row was left out.": "Import tolérant : cette ligne a été écartée.",
    "Lenient import: an exact copy of an earlier row, kept once.": "Import tolérant : copie exacte d'une ligne précédente, gardée une seule fois.",
    "Lenient import: this sheet was left out.": "Import tolérant : cette feuille a été écartée.",
    "Negative expected benefit: imported as a net dis-benefit (the project is expected to "
    "lose this amount). Check the sign if it is not.": "Bénéfice attendu négatif : importé comme une perte nette (le projet devrait coûter ce montant). Vérifiez le signe si ce n'est pas le cas.",
    "Duplicate risk_id: a project of the current snapshot that this file does not update "
    "already has this risk id. Give this risk another id.": "Identifiant de risque en double : un projet de la photo actuelle que ce fichier ne met pas à jour a déjà ce risque. Donnez un autre identifiant à ce risque.",
    # Update import
    'Sheet not used by an update: the table "{table}" is carried over from snapshot #{id}. '
    "Import the file as a full snapshot to replace it.": "Feuille non utilisée par une mise à jour : la table « {table} » est reprise de la photo n° {id}. Importez le fichier comme une photo complète pour la remplacer.",
    'The file has no column "{header}": the {n} projects it updates lose what snapshot '
    "#{id} holds there (a project's row is replaced whole). Add this column to keep it.": "Le fichier n'a pas de colonne « {header} » : les {n} projets qu'il met à jour perdent ce que la photo n° {id} y contient (la ligne d'un projet est remplacée en entier). Ajoutez cette colonne pour le garder.",
    "Setting {key} = {given} not used by an update: snapshot #{id} keeps {current}.": "Paramètre {key} = {given} non utilisé par une mise à jour : la photo n° {id} garde {current}.",
    "Update of snapshot #{id}: {updated} projects updated, {added} added, {kept} kept as "
    "they are.": "Mise à jour de la photo n° {id} : {updated} projets mis à jour, {added} ajoutés, {kept} repris tels quels.",
    "The store holds no snapshot to update: import a whole portfolio first.": "Aucune photo à mettre à jour : importez d'abord un portefeuille complet.",
    "An update takes one workbook or CSV of projects; schedules are imported as a whole "
    "snapshot.": "Une mise à jour prend un seul classeur ou CSV de projets ; les plannings s'importent comme une photo complète.",
    # Plain import warnings
    "{n} projects; the current snapshot has {current}: {missing} would no longer appear. "
    "To change only this file's projects, use update; to replace the whole portfolio, "
    "confirm the import.": "{n} projets ; la photo actuelle en compte {current} : {missing} n'apparaîtraient plus. Pour ne modifier que les projets de ce fichier, choisissez la mise à jour ; pour remplacer tout le portefeuille, confirmez l'import.",
    "Snapshot #{id} already has this as-of date: two snapshots of the same date are hard "
    "to tell apart in the history. Choose another date or delete the older snapshot.": "La photo n° {id} a déjà cette date d'arrêté : deux photos de même date se distinguent mal dans l'historique. Choisissez une autre date ou supprimez l'ancienne photo.",
    # The template's Projects headers named in those warnings (the others are elsewhere)
    "Project ID": "Code projet",
    "Project name": "Nom du projet",
    "Project manager": "Chef de projet",
    "Baseline finish": "Date de fin de référence",
    "% complete": "% avancement",
    "Mandatory": "Obligatoire",
    "Depends on": "Dépend de",
    "Exclusive group": "Groupe exclusif",
    "RAG override": "Météo forcée",
    "RAG reason": "Justification météo",
    # Import page
    "Import mode": "Mode d'import",
    "Replace the portfolio (whole snapshot)": "Remplacer le portefeuille (photo complète)",
    "Update these projects (departmental file)": "Mettre à jour ces projets (fichier d'une direction)",
    "Update: the new snapshot is the newest one with this file's projects and their rows "
    "replaced or added; objectives, capacity, weightings and the other projects are "
    "carried over.": "Mise à jour : la nouvelle photo reprend la plus récente, où les projets de ce fichier et leurs lignes sont remplacés ou ajoutés ; objectifs, capacité, pondérations et autres projets sont repris.",
    "Lenient import": "Import tolérant",
    "Import what is valid: a faulty cell is left empty, a row with a faulty id is left out, "
    "an exact duplicate row is kept once; each is listed as a warning and recorded in the "
    "audit log.": "Importer ce qui est valide : une cellule erronée est laissée vide, une ligne à l'identifiant erroné est écartée, une ligne en double exact est gardée une fois ; chaque correction est listée en avertissement et consignée dans le journal d'audit.",
    "Corrected by the lenient import": "Corrigé par l'import tolérant",
    "Cells left empty": "Cellules laissées vides",
    "Rows left out": "Lignes écartées",
    "Duplicate rows kept once": "Doublons gardés une fois",
    "Sheets left out": "Feuilles écartées",
    "Projects updated": "Projets mis à jour",
    "Projects added": "Projets ajoutés",
    "Projects kept": "Projets repris",
    "I confirm: the portfolio becomes this file's {n} projects.": "Je confirme : le portefeuille devient les {n} projets de ce fichier.",
}
