"""French texts of the import's layouts: headers by meaning, wide alignment matrices,
mapping profiles (columns built from several, relaxed rules, the profile chosen)."""

FR: dict[str, str] = {
    "Unknown column ignored: rename it to a template header to import it. Did you mean {label}?": "Colonne inconnue ignorée : renommez-la comme un en-tête du modèle pour l'importer. Vouliez-vous dire {label} ?",
    "Required column missing: {label}. Add a column with this header.": "Colonne obligatoire manquante : {label}. Ajoutez une colonne avec cet en-tête.",
    "Column {label} appears twice; the first one ({first}) is used.": "La colonne {label} apparaît deux fois ; la première ({first}) est utilisée.",
}
