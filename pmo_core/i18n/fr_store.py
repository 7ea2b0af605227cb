"""French texts of the store (upgrades, locks), the caches' error box and export safety."""

FR: dict[str, str] = {
    "The store {path} needs an upgrade: run `python -m pmo_core migrate` (or restart the app, which upgrades it).": "La base {path} doit être mise à niveau : lancez `python -m pmo_core migrate` (ou redémarrez l'application, qui la met à niveau).",
    "The store {path} is busy (another import or process is writing); retry in a moment.": "La base {path} est occupée (un autre import ou processus y écrit) ; réessayez dans un instant.",
    "This text starts with {char}: a spreadsheet would run it as a formula when the data is exported. Remove the leading character or rename the id (an apostrophe is not a fix: it would become part of the data).": "Ce texte commence par {char} : un tableur l'exécuterait comme une formule à l'export des données. Retirez le premier caractère ou renommez l'identifiant (une apostrophe ne corrige rien : elle ferait partie de la donnée).",
    "a tab": "une tabulation",
    "a carriage return": "un retour chariot",
}
