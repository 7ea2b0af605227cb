"""The demo's cast, in French: the company, its programmes and their aims, directions and
their sponsors, the 60 projects (name, programme, direction, regulatory or not, the
curated role some play: dependencies, the exclusive pair), the strategic objectives, the
roles and their headcounts, first and last names (:func:`people` draws from them), risks
and their mitigations, milestone names and status report comments. Only words: the
numbers are drawn in :mod:`pmo_core.demo.plan` and :mod:`pmo_core.demo`.
"""

from __future__ import annotations

import numpy as np


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COMPANY = "Groupe Horizon"
PROGRAMMES = (
    "Transformation digitale",
    "Excellence opérationnelle",
    "Conformité & risques",
    "Expérience client",
    "Infrastructure & cloud",
)
PROGRAMME_AIMS = (
    "digitaliser les parcours et moderniser les outils des métiers.",
    "simplifier les processus et réduire les coûts de fonctionnement.",
    "respecter les obligations réglementaires et maîtriser les risques.",
    "améliorer l'expérience et la satisfaction des clients.",
    "moderniser, sécuriser et rationaliser l'infrastructure.",
)
DIRECTIONS = ("DSI", "Finance", "RH", "Marketing", "Opérations", "Juridique")
SPONSORS = {  # the head of each direction sponsors its projects (fake names)
    "DSI": "Philippe Leroy",
    "Finance": "Catherine Dumas",
    "RH": "Nathalie Petit",
    "Marketing": "Olivier Renaud",
    "Opérations": "Stéphane Caron",
    "Juridique": "Isabelle Vidal",
    "Direction générale": "François Mercier",
}
# name | programme index | direction | R = regulatory (mandatory) | curated role
PROJECTS = tuple(
    tuple(line.split("|"))
    for line in """\
Refonte du portail client|3|Marketing||
Migration ERP SAP S/4HANA|1|Finance||
Dématérialisation des notes de frais|1|Finance||
Mise en conformité NIS2|2|DSI|R|
Data platform groupe|0|DSI||data
Application mobile conseillers|3|Marketing||
Automatisation de la clôture comptable|1|Finance||
SIRH nouvelle génération|0|RH||
CRM unifié|3|Marketing||
Migration vers le cloud Azure|4|DSI||
Plateforme e-commerce : option SaaS|3|Marketing||option
Programme RGPD 2026|2|Juridique|R|
Chatbot service client|3|Opérations||
Lutte anti-blanchiment (LCB-FT)|2|Finance|R|
Modernisation du datacenter|4|DSI||
Signature électronique|0|Juridique||
Portail fournisseurs|1|Opérations||
Facturation électronique 2026|2|Finance|R|
Plateforme de formation en ligne|0|RH||
Refonte de la paie|1|RH||
Tableau de bord commercial|3|Marketing||
Supervision réseau|4|DSI||
Gestion des identités (IAM)|2|DSI||
Plan de continuité d'activité|2|Opérations||
Optimisation de la chaîne logistique|1|Opérations||
Programme fidélité|3|Marketing||
Référentiel produits (PIM)|0|Marketing||
Recrutement digital|0|RH||
Cybersécurité du poste de travail|4|DSI||
Analyse prédictive des ventes|0|Marketing||needs_data
Archivage légal électronique|2|Juridique|R|
Refonte de l'intranet|0|RH||
Connecteurs bancaires EBICS|1|Finance||
Migration Office 365|4|DSI||
Gestion des contrats|1|Juridique||
Portail self-service RH|0|RH||
Traçabilité qualité usine|1|Opérations||
Réduction de l'empreinte carbone IT|4|DSI||
Centre de services partagés|1|Finance||
Pilotage de la performance|1|Finance||
Migration des bases Oracle|4|DSI||
Plateforme e-commerce : option sur mesure|3|Marketing||option
Conformité CSRD|2|Finance|R|
Gestion des consentements|2|Marketing||
Paiement mobile en magasin|3|Opérations||
Refonte du processus achats|1|Finance||
Maintenance prédictive|1|Opérations||
Data quality management|0|DSI||
Portail partenaires|3|Marketing||needs_api
Entrepôt de données RH|0|RH||
Modernisation de la téléphonie|4|DSI||
Gestion électronique des documents|0|Juridique||
Outil de planification S&OP|1|Opérations||
Open banking API|3|Finance||
Refonte du reporting réglementaire|2|Finance|R|
Sécurisation des accès distants|4|DSI||
Expérience collaborateur|0|RH||
Plateforme d'intégration (API)|4|DSI||api
Réseau SD-WAN agences|4|DSI||
Rationalisation applicative|4|DSI||""".splitlines()
)
OBJECTIVES = (
    ("OBJ1", "Croissance du chiffre d'affaires"),
    ("OBJ2", "Réduction des coûts"),
    ("OBJ3", "Conformité réglementaire"),
    ("OBJ4", "Satisfaction client"),
    ("OBJ5", "Excellence opérationnelle"),
    ("OBJ6", "Sécurité et résilience"),
    ("OBJ7", "Engagement des collaborateurs"),
    ("OBJ8", "Responsabilité sociétale (RSE)"),
)
# role | headcount in the 120-person demo | programmes that need it most | direction
ROLES = tuple(
    tuple(line.split("|"))
    for line in """\
Chef de projet|15|01234|DSI
Développeur|24|03|DSI
Analyste métier|14|13|Opérations
Testeur|12|01|DSI
Ingénieur cloud|10|4|DSI
Architecte|8|04|DSI
Consultant SAP|8|1|Finance
Data scientist|7|03|Marketing
UX designer|6|3|Marketing
Expert sécurité|6|24|DSI
Formateur|6|1|RH
Juriste|4|2|Juridique""".splitlines()
)
EXTRA_ROLES = (  # the scale workbook's 25 roles
    "Administrateur système",
    "Ingénieur réseau",
    "DBA",
    "Scrum master",
    "Product owner",
    "Data engineer",
    "Intégrateur",
    "Support applicatif",
    "Acheteur",
    "Contrôleur de gestion",
    "Chargé de communication",
    "Ergonome",
    "Auditeur interne",
)
FIRST = _words(
    "Marie Thomas Camille Nicolas Julie Antoine Sophie Julien Claire Maxime Laura Pierre "
    "Émilie Romain Sarah Hugo Léa Mathieu Chloé Alexandre Manon Guillaume Inès Vincent"
)
LAST = _words(
    "Martin Bernard Dubois Durand Lefèvre Moreau Laurent Simon Michel Garcia Roux Fournier "
    "Girard Bonnet Mercier Lambert Fontaine Chevalier Robin Gauthier Morel Perrin Blanc Guérin"
)
# risk | mitigation
RISKS = tuple(
    tuple(line.split("|"))
    for line in """\
Retard de livraison du fournisseur|Pénalités contractuelles et point hebdomadaire fournisseur
Indisponibilité des experts clés|Plan de montée en compétence et binômage
Dérive du périmètre fonctionnel|Gel du périmètre validé en COPIL, demandes d'évolution chiffrées
Résistance au changement des utilisateurs|Conduite du changement et réseau d'ambassadeurs métiers
Qualité insuffisante des données migrées|Campagne de nettoyage des données avant migration
Dépassement du budget de licences|Renégociation du contrat cadre avec l'éditeur
Évolution réglementaire en cours de projet|Veille réglementaire avec la direction juridique
Faille de sécurité à la mise en production|Audit de sécurité et test d'intrusion avant mise en production
Performance insuffisante de la solution|Tests de charge dès le troisième sprint
Dépendance à un autre projet en retard|Jalon de synchronisation inter-projets
Départ du chef de projet|Binôme chef de projet adjoint et documentation à jour
Complexité des interfaces avec le SI existant|Maquette d'intégration et architecte référent""".splitlines()
)
MILESTONE_NAMES = (
    "Cadrage validé",
    "Conception validée",
    "Recette terminée",
    "Mise en production",
    "Bilan de projet",
)
COMMENTS = np.array(
    [
        [
            "Avancement conforme au planning.",
            "Jalons tenus, budget maîtrisé.",
            "Bonne dynamique de l'équipe projet.",
        ],
        [
            "Léger retard sur la recette, plan de rattrapage en cours.",
            "Tension sur les ressources, arbitrage demandé au COPIL.",
            "Consommation budgétaire au-dessus du prévisionnel.",
        ],
        [
            "Retard important : décalage de la mise en production.",
            "Dépassement budgétaire, demande de rallonge en comité.",
            "Blocage fournisseur, escalade en cours.",
        ],
    ],
    dtype=object,
)
ON_HOLD_COMMENT = "Projet suspendu dans l'attente d'un arbitrage du COPIL."


def people(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` fake French names, distinct while the 576 combinations last."""
    size = len(FIRST) * len(LAST)
    grid = rng.choice(size, size=n, replace=n > size)
    first = np.asarray(FIRST, dtype=object)[grid // len(LAST)]
    return first + " " + np.asarray(LAST, dtype=object)[grid % len(LAST)]
