"""French texts of sign-in, roles, the audit log and project requests."""

FR = {
    # Sign-in and roles
    "Open mode: no sign-in configured, everyone can edit.": "Mode ouvert : aucune connexion configurée, tout le monde peut modifier.",
    "Password": "Mot de passe",
    "Sign in": "Se connecter",
    "Sign out": "Se déconnecter",
    "Sign in to edit": "Se connecter pour modifier",
    "Sign in as {role} to do this (sidebar).": "Connectez-vous en tant que {role} pour le faire (barre latérale).",
    "Signed in as {role}": "Connecté en tant que {role}",
    "Signed in as {who} ({role})": "Connecté en tant que {who} ({role})",
    "Too many wrong passwords: try again in {s} s.": "Trop de mots de passe erronés : réessayez dans {s} s.",
    "Wrong password.": "Mot de passe erroné.",
    "Viewer": "Lecteur",
    "Requester": "Demandeur",
    "Editor": "Éditeur",
    # Audit log
    "Audit log": "Journal d'audit",
    "Every write to the store: who, when, what, and the file's SHA-256.": "Chaque écriture dans la base : qui, quand, quoi, et le SHA-256 du fichier.",
    "When": "Quand",
    "Who": "Qui",
    "Action": "Action",
    "What": "Quoi",
    "Import": "Import",
    "Snapshot deleted": "Photo supprimée",
    "Mapping profile saved": "Profil de correspondance enregistré",
    "Mapping profile deleted": "Profil de correspondance supprimé",
    "Scenario saved": "Scénario enregistré",
    "Scenario deleted": "Scénario supprimé",
    "Weighting saved": "Pondération enregistrée",
    "Weighting deleted": "Pondération supprimée",
    "Request saved": "Demande enregistrée",
    "Request deleted": "Demande supprimée",
    # Import of schedules
    "Workbook or CSV file, or schedules (MS Project XML, Primavera P6 XER)": "Classeur ou fichier CSV, ou plannings (MS Project XML, Primavera P6 XER)",
    "Several schedule files (one project each) and at most one portfolio workbook (programme, objectives, ratings, risks) make one snapshot.": "Plusieurs plannings (un projet chacun) et au plus un classeur de portefeuille (programme, objectifs, notations, risques) font une seule photo.",
}
