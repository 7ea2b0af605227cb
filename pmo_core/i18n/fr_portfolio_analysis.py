"""French of Project Server's portfolio analysis imported from a ProjectData export:
drivers, judgments, project priorities, read-only scenarios, and their notes on the
Alignment and What-if pages."""

from __future__ import annotations

FR: dict[str, str] = {
    # Import (pmo_core.ingest.projectdata.portfolio)
    "{n} other portfolio analyses: their project priorities are not kept (they rank "
    "against other drivers); the analysis in use is {name}, the latest modified. Their "
    "cost scenarios are kept.": "{n} autre(s) analyse(s) de portefeuille : leurs priorités de projets ne sont pas reprises (elles classent selon d'autres axes) ; l'analyse retenue est {name}, la dernière modifiée. Leurs scénarios de coût sont repris.",
    "No driver prioritization in the export: the business drivers are imported as "
    "objectives with equal weights.": "Aucune définition de priorités des axes dans l'export : les axes stratégiques sont importés comme objectifs, à poids égaux.",
    "PrioritizationDrivers missing from the export: the drivers and their weights cannot "
    "be imported (export this entity set too).": "PrioritizationDrivers absent de l'export : les axes et leurs poids ne peuvent pas être importés (exportez aussi cet ensemble d'entités).",
    "Business driver {id} has no name in BusinessDrivers: its id is shown.": "L'axe stratégique {id} n'a pas de nom dans BusinessDrivers : son identifiant est affiché.",
    'Unknown relation "{given}": expected one of Project Server\'s seven phrases (is '
    "extremely more / much more / more / as / less / much less / extremely less important "
    "than). This judgment is left out.": "Relation inconnue « {given} » : attendu l'une des sept formules de Project Server (is extremely more / much more / more / as / less / much less / extremely less important than). Ce jugement est écarté.",
    "Project Server's driver priorities differ from the eigenvector of its judgments by up "
    "to {gap} points: the weights kept are Project Server's.": "Les priorités des axes de Project Server s'écartent du vecteur propre de ses jugements de {gap} points au plus : les poids retenus sont ceux de Project Server.",
    "{prop} must be between 0 and 1 (Project Server's scale): this project's priority is "
    "not imported.": "{prop} doit être compris entre 0 et 1 (échelle de Project Server) : la priorité de ce projet n'est pas importée.",
    "Project {id} of the portfolio analysis is not in Projects: its priority is not "
    "imported.": "Le projet {id} de l'analyse de portefeuille n'est pas dans Projects : sa priorité n'est pas importée.",
    "{prop} {given} is not a documented code (Status: 0 in, 1 out; ForceStatus: 0 forced "
    "in, 1 forced out, 2 auto): scenario {name} is not imported.": "{prop} {given} n'est pas un code documenté (Status : 0 retenu, 1 écarté ; ForceStatus : 0 imposé, 1 exclu, 2 automatique) : le scénario {name} n'est pas importé.",
    "Scenario {name}: {n} projects are not in Projects; the scenario keeps them, without a "
    "name.": "Scénario {name} : {n} projet(s) absent(s) de Projects ; le scénario les garde, sans nom.",
    "Score out of range: must be between 0 and 100 points.": "Score hors limites : doit être compris entre 0 et 100 points.",
    # Template (Priorities sheet)
    "Optional: each project's alignment score (0-100) and priority % as another tool "
    "computed them (Project Server's portfolio analysis), used for the projects the "
    "Alignment sheet does not rate.": "Facultatif : le score d'alignement (0-100) et la priorité % de chaque projet tels qu'un autre outil les a calculés (analyse de portefeuille de Project Server), utilisés pour les projets que la feuille Alignement ne note pas.",
    # Alignment page
    "Weights and judgments from Project Server's prioritization {name}.": "Poids et jugements issus de la définition de priorités {name} de Project Server.",
    "Project Server's consistency ratio: {ps} (1 = fully consistent; it warns below 0.75). "
    "The cockpit's CR of the same judgments: {cr} (0 = fully consistent; 0.10 or less is "
    "acceptable).": "Taux de cohérence de Project Server : {ps} (1 = parfaitement cohérent ; alerte sous 0,75). RC du cockpit pour les mêmes jugements : {cr} (0 = parfaitement cohérent ; 0,10 ou moins est acceptable).",
    "{n} project(s) scored by Project Server's priority (no rating in the Alignment "
    "sheet); a rating given there takes over.": "{n} projet(s) noté(s) par la priorité de Project Server (aucune note dans la feuille Alignement) ; une note donnée là-bas prend le relais.",
    # What-if page
    "Origin": "Origine",
    "Project Server (read-only)": "Project Server (lecture seule)",
    "Cockpit": "Cockpit",
    "imported": "Importé de Project Server",
    # Import page
    "Leaving Project Online? Import your ProjectData export: see the guide "
    "docs/leaving-project-online.md.": "Vous quittez Project Online ? Importez votre export ProjectData : voir le guide docs/leaving-project-online.md.",
}
