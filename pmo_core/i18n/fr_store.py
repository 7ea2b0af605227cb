"""French texts of the store (upgrades, locks), the caches' error box and export safety."""

FR: dict[str, str] = {
    "The store {path} needs an upgrade: run `python -m pmo_core migrate` (or restart the app, which upgrades it).": "La base {path} doit être mise à niveau : lancez `python -m pmo_core migrate` (ou redémarrez l'application, qui la met à niveau).",
    "The store {path} is busy (another import or process is writing); retry in a moment.": "La base {path} est occupée (un autre import ou processus y écrit) ; réessayez dans un instant.",
    "The database {path} does not answer ({reason}); retry in a moment.": "La base {path} ne répond pas ({reason}) ; réessayez dans un instant.",
    "The store {path} needs migrations {versions}, which its database user {user} may not apply (data rights only): run `python deploy/init_store.py` (or `python -m pmo_core migrate`) with the tables' owner in PMO_DB_URL, then restart the app.": "La base {path} a besoin des migrations {versions}, que son utilisateur {user} n'a pas le droit d'appliquer (droits sur les données seulement) : lancez `python deploy/init_store.py` (ou `python -m pmo_core migrate`) avec le propriétaire des tables dans PMO_DB_URL, puis redémarrez l'application.",
    "This text starts with {char}: a spreadsheet would run it as a formula when the data is exported. Remove the leading character or rename the id (an apostrophe is not a fix: it would become part of the data).": "Ce texte commence par {char} : un tableur l'exécuterait comme une formule à l'export des données. Retirez le premier caractère ou renommez l'identifiant (une apostrophe ne corrige rien : elle ferait partie de la donnée).",
    "a tab": "une tabulation",
    "a carriage return": "un retour chariot",
    "The RAG threshold {key} must be a ratio 0-1 or a percentage 0-100 % (e.g. 0.95 or 95 %): {written} is not one.": "Le seuil de météo {key} doit être un ratio de 0 à 1 ou un pourcentage de 0 à 100 % (par exemple 0,95 ou 95 %) : {written} n'en est pas un.",
    "The milestone threshold {key} must be a number of days, 0 or more: {written} is not.": "Le seuil de jalons {key} doit être un nombre de jours, 0 ou plus : {written} n'en est pas un.",
    "The green threshold ({green}) is below the amber one ({amber}): green must be at or above amber (e.g. green 95 %, amber 85 %).": "Le seuil vert ({green}) est sous le seuil orange ({amber}) : le vert doit être supérieur ou égal à l'orange (par exemple vert 95 %, orange 85 %).",
    "The red delay ({red} days) is shorter than the amber one ({amber} days): red must be at or above amber (e.g. amber 30, red 90).": "Le retard rouge ({red} jours) est plus court que le retard orange ({amber} jours) : le rouge doit être supérieur ou égal à l'orange (par exemple orange 30, rouge 90).",
}
