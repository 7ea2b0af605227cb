"""French texts of the import's layouts: headers by meaning, wide alignment matrices,
mapping profiles (columns built from several, relaxed rules, the profile chosen)."""

FR: dict[str, str] = {
    "Unknown column ignored: rename it to a template header to import it. Did you mean {label}?": "Colonne inconnue ignorée : renommez-la comme un en-tête du modèle pour l'importer. Vouliez-vous dire {label} ?",
    "Required column missing: {label}. Add a column with this header.": "Colonne obligatoire manquante : {label}. Ajoutez une colonne avec cet en-tête.",
    "Column {label} appears twice; the first one ({first}) is used.": "La colonne {label} apparaît deux fois ; la première ({first}) est utilisée.",
    "Column ignored in the alignment matrix: it is not an objective of the Objectives sheet (by code or name).": "Colonne ignorée dans la matrice d'alignement : ce n'est pas un objectif de la feuille Objectifs (par code ou par nom).",
    "Read as a wide alignment matrix: {objectives} objectives, {ratings} ratings.": "Lue comme une matrice d'alignement : {objectives} objectifs, {ratings} notes.",
    "{n} more texts of this column imported as empty.": "{n} autres textes de cette colonne importés vides.",
    'The mapping profile {profile} makes the rule "{rule}" a warning: rows imported as they are: {n}.': "Le profil de correspondance {profile} fait de la règle « {rule} » un avertissement ; lignes importées telles quelles : {n}.",
    "Read with the mapping profile {profile}, chosen among {count} profiles with these headers: {errors} errors and {unknown} values it does not know (against {errors2} and {unknown2} with {other}); {unused} words of its value lists unused in the file (against {unused2}).": "Lu avec le profil de correspondance {profile}, choisi parmi {count} profils aux mêmes en-têtes : {errors} erreurs et {unknown} valeurs qu'il ne connaît pas (contre {errors2} et {unknown2} avec {other}) ; {unused} mots de ses listes de valeurs absents du fichier (contre {unused2}).",
    "Start or end date missing ({missing} is empty): schedule KPIs will be n/a for this project.": "Date de début ou de fin manquante ({missing} est vide) : les indicateurs de délai seront n/d pour ce projet.",
    "(not imported)": "(non importée)",
    "Did you mean": "Vouliez-vous dire",
    "Some headers are not recognised: choose the column each one feeds, constant values for columns the file lacks, and how to read its words. The counts and issues below follow your choices as you make them.": "Certains en-têtes ne sont pas reconnus : choisissez la colonne que chacun alimente, des valeurs constantes pour les colonnes absentes du fichier et la lecture de ses mots. Les comptes et problèmes ci-dessous suivent vos choix au fur et à mesure.",
}
