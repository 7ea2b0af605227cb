"""French texts of the Project Online ProjectData import (pmo_core/ingest/projectdata)."""

FR: dict[str, str] = {
    # sources
    "File {name} is not named after a ProjectData entity set: it was not read.": (
        "Le fichier {name} ne porte pas le nom d'un jeu d'entités ProjectData : il n'a pas été lu."
    ),
    "The last page of {set} points to a next page ({link}) that is not in the export: "
    "the set may be incomplete. Save every page (follow odata.nextLink) and import again.": (
        "La dernière page de {set} renvoie à une page suivante ({link}) absente de "
        "l'export : le jeu est peut-être incomplet. Enregistrez toutes les pages (suivez "
        "odata.nextLink) et importez à nouveau."
    ),
    "This file is not readable JSON ({error}): save the page again from the OData feed.": (
        "Ce fichier n'est pas un JSON lisible ({error}) : enregistrez à nouveau la page "
        "depuis le flux OData."
    ),
    'This JSON holds no OData records: expected {{"value": [...]}} (OData v4) or '
    '{{"d": {{"results": [...]}}}} (OData v3).': (
        'Ce JSON ne contient aucun enregistrement OData : attendu {{"value": [...]}} '
        '(OData v4) ou {{"d": {{"results": [...]}}}} (OData v3).'
    ),
    "The export expands to {size} MB, more than the {limit} MB allowed: it may be corrupt "
    "or malicious. Export fewer entity sets or fewer columns ($select).": (
        "L'export décompressé fait {size} Mo, plus que les {limit} Mo permis : il est "
        "peut-être corrompu ou malveillant. Exportez moins de jeux d'entités ou moins de "
        "colonnes ($select)."
    ),
    "{set} is given both as JSON and as CSV: the JSON pages were read, the CSV left out.": (
        "{set} est fourni à la fois en JSON et en CSV : les pages JSON ont été lues, le CSV écarté."
    ),
    # coerce
    "{set}: the value of {property} is not {kind} (its documented type is {edm}). Correct "
    "it in the source, or export the set again.": (
        "{set} : la valeur de {property} n'est pas {kind} (son type documenté est {edm}). "
        "Corrigez-la à la source ou exportez à nouveau le jeu."
    ),
    "a GUID": "un GUID",
    "a number": "un nombre",
    "a whole number": "un nombre entier",
    "a date": "une date",
    "true or false": "vrai ou faux",
    # core
    "No ProjectBaselines: projects have no budget (BAC) nor baseline finish, so PV, SV, "
    "SPI, EAC and the cost RAG are undefined.": (
        "Pas de ProjectBaselines : les projets n'ont ni budget (BAA) ni fin de référence, "
        "donc VP, écart de délais, IPD, EAA et la météo coûts sont indéfinis."
    ),
    "No Tasks: no milestones are imported.": "Pas de Tasks : aucun jalon n'est importé.",
    "No TaskBaselines: milestones have no baseline date and are not imported.": (
        "Pas de TaskBaselines : les jalons n'ont pas de date de référence et ne sont pas importés."
    ),
    "No Resources: allocations have no role and no capacity can be computed.": (
        "Pas de Resources : les affectations n'ont pas de rôle et aucune capacité ne peut "
        "être calculée."
    ),
    "No ResourceTimephasedDataSet: no capacity, so utilisation and the what-if's capacity "
    "limit are undefined.": (
        "Pas de ResourceTimephasedDataSet : pas de capacité, donc le taux d'occupation et "
        "la limite de capacité de la simulation sont indéfinis."
    ),
    "No AssignmentTimephasedDataSet: no allocations, so demand per role and month is unknown.": (
        "Pas de AssignmentTimephasedDataSet : pas d'affectations, donc la charge par rôle "
        "et par mois est inconnue."
    ),
    "No AssignmentBaselineTimephasedDataSet: no baseline PV curve; PV is spread linearly "
    "from start to baseline finish.": (
        "Pas de AssignmentBaselineTimephasedDataSet : pas de courbe de VP de référence ; la "
        "VP est répartie linéairement du début à la fin de référence."
    ),
    "No Risks: no risk register is imported.": (
        "Pas de Risks : aucun registre des risques n'est importé."
    ),
    "No Projects entity set (with ProjectId) in this export: nothing can be imported.": (
        "Aucun jeu d'entités Projects (avec ProjectId) dans cet export : rien ne peut être importé."
    ),
    "{n} projects have no baseline 0 in ProjectBaselines: their budget (BAC) and baseline "
    "finish are empty, so their EVM is undefined.": (
        "{n} projet(s) sans référence 0 dans ProjectBaselines : leur budget (BAA) et leur "
        "fin de référence sont vides, donc leur valeur acquise est indéfinie."
    ),
    "{n} milestones have no baseline 0 in TaskBaselines: they are not imported (a "
    "milestone's slip is measured from its baseline).": (
        "{n} jalon(s) sans référence 0 dans TaskBaselines : ils ne sont pas importés (le "
        "glissement d'un jalon se mesure depuis sa référence)."
    ),
    "{n} resources have no {field}: each one's name is used as its role. Fill the field "
    "or choose another one.": (
        "{n} ressource(s) sans {field} : le nom de chacune sert de rôle. Renseignez le "
        "champ ou choisissez-en un autre."
    ),
    "No resource property {field} in Resources: the roles come from ResourceGroup.": (
        "Pas de propriété de ressource {field} dans Resources : les rôles viennent de "
        "ResourceGroup."
    ),
    "Enterprise custom field {field} read as {target}.": (
        "Champ personnalisé d'entreprise {field} lu comme {target}."
    ),
    # pmo_core.ingest.pipeline: a folder among files, or a folder with no export
    "{path} is a folder: a folder is read on its own, as one Project Online (ProjectData) "
    "export. Give it alone, or give the files it holds.": (
        "{path} est un dossier : un dossier se lit seul, comme un export Project Online "
        "(ProjectData). Donnez-le seul, ou donnez les fichiers qu'il contient."
    ),
    "{path} is a folder with no Project Online (ProjectData) export in it (JSON pages or CSV "
    "files named after its entity sets): give the workbook or schedule files themselves.": (
        "{path} est un dossier qui ne contient pas d'export Project Online (ProjectData) "
        "(pages JSON ou fichiers CSV nommés d'après ses ensembles d'entités) : donnez "
        "directement le classeur ou les fichiers de planning."
    ),
}
