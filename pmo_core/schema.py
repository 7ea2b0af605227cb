"""Canonical tables of a portfolio snapshot, their columns, types and FR/EN synonyms.

This module is the contract between the import (`ingest`), the store (`store`) and every
computation: a snapshot is a dict ``{table_name: DataFrame}`` whose frames carry exactly
the columns listed here (in this order), with these dtypes:

- ``str``: pandas ``string`` dtype (missing = ``<NA>``)
- ``float``: ``float64`` (missing = NaN)
- ``int``: ``Int64`` (nullable)
- ``date``: ``datetime64[ms]`` (missing = NaT); a ``month`` is a date on the 1st
- ``bool``: ``boolean`` (nullable)

Sheet names and headers are matched with :func:`normalise_label` (case, accents,
spaces and punctuation ignored) against the column name and its synonyms.

Examples:
    >>> TABLES["projects"].column("budget").dtype
    'float'
    >>> find_table("Projets").name
    'projects'
    >>> TABLES["projects"].match_header("Code projet")
    'project_id'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

Dtype = Literal["str", "float", "int", "date", "month", "bool"]

PANDAS_DTYPES: dict[str, str] = {
    "str": "string",
    "float": "float64",
    "int": "Int64",
    "date": "datetime64[ms]",
    "month": "datetime64[ms]",
    "bool": "boolean",
}

DUCKDB_TYPES: dict[str, str] = {
    "str": "VARCHAR",
    "float": "DOUBLE",
    "int": "BIGINT",
    "date": "DATE",
    "month": "DATE",
    "bool": "BOOLEAN",
}

STATUSES: tuple[str, ...] = (
    "proposed",
    "approved",
    "in_progress",
    "on_hold",
    "completed",
    "cancelled",
)
#: Statuses whose projects are summed in portfolio EVM (DESIGN section 4).
EXECUTION_STATUSES: tuple[str, ...] = ("in_progress", "on_hold", "completed")
#: Statuses of projects that are still candidates for the what-if.
CANDIDATE_STATUSES: tuple[str, ...] = ("proposed", "approved", "in_progress", "on_hold")
RAGS: tuple[str, ...] = ("G", "A", "R")


def normalise_label(text: object) -> str:
    """Fold a sheet name or header for matching: no case, accents, spaces or punctuation.

    Examples:
        >>> normalise_label("  Date de début (prévue) ")
        'datededebutprevue'
        >>> normalise_label("% Complete")
        'complete'
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", s.casefold())


@dataclass(frozen=True)
class Column:
    """One canonical column: name, type, whether a row needs it, and header synonyms."""

    name: str
    dtype: Dtype
    required: bool = False
    synonyms: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        """Normalised labels that match this column."""
        return frozenset(normalise_label(s) for s in (self.name, *self.synonyms))


@dataclass(frozen=True)
class Table:
    """One canonical table (one sheet of the template)."""

    name: str
    sheet_en: str
    sheet_fr: str
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()
    key: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def match_header(self, header: object) -> str | None:
        """The canonical column a header means, or None."""
        key = normalise_label(header)
        if not key:
            return None
        for c in self.columns:
            if key in c.keys:
                return c.name
        return None

    @property
    def sheet_keys(self) -> frozenset[str]:
        return frozenset(
            normalise_label(s) for s in (self.name, self.sheet_en, self.sheet_fr, *self.synonyms)
        )

    def sheet_name(self, lang: str = "en") -> str:
        return self.sheet_fr if lang == "fr" else self.sheet_en


def _c(name: str, dtype: Dtype, *synonyms: str, required: bool = False) -> Column:
    return Column(name, dtype, required, synonyms)


PROJECTS = Table(
    "projects",
    "Projects",
    "Projets",
    (
        _c(
            "project_id",
            "str",
            "ID",
            "Project ID",
            "Code projet",
            "Code",
            "Identifiant",
            "Réf",
            "Référence",
            "Project code",
            "Project number",
            "N° projet",
            required=True,
        ),
        _c(
            "name",
            "str",
            "Project name",
            "Nom",
            "Nom du projet",
            "Projet",
            "Intitulé",
            "Libellé",
            "Title",
            "Titre",
            required=True,
        ),
        _c("program", "str", "Programme", "Program name", "Nom du programme"),
        _c("portfolio", "str", "Portefeuille"),
        _c(
            "department",
            "str",
            "Direction",
            "Département",
            "Service",
            "Business unit",
            "Entité",
            "Dept",
        ),
        _c("sponsor", "str", "Commanditaire", "Sponsor métier", "Executive sponsor"),
        _c(
            "manager",
            "str",
            "Project manager",
            "Chef de projet",
            "CP",
            "Owner",
            "PM",
            "Responsable",
        ),
        _c("status", "str", "Statut", "État", "Etat", "Project status", "Statut du projet"),
        _c("phase", "str", "Phase", "Étape", "Stage"),
        _c(
            "start_date",
            "date",
            "Start",
            "Start date",
            "Début",
            "Date de début",
            "Date début",
            "Baseline start",
            "Début prévu",
        ),
        _c(
            "end_date",
            "date",
            "End",
            "Finish",
            "End date",
            "Finish date",
            "Fin",
            "Date de fin",
            "Date fin",
            "Baseline finish",
            "Baseline end",
            "Fin de référence",
            "Date de fin de référence",
        ),
        _c(
            "forecast_end_date",
            "date",
            "Forecast end",
            "Forecast finish",
            "Forecast end date",
            "Fin prévisionnelle",
            "Date de fin prévisionnelle",
            "Fin prévue",
            "Date de fin prévue",
        ),
        _c(
            "budget",
            "float",
            "BAC",
            "Budget (BAC)",
            "Budget (BAA)",
            "Budget total",
            "Budget at completion",
            "Budget à l'achèvement",
            "BAA",
            "Budget (€)",
            "Budget (EUR)",
            "Baseline cost",
        ),
        _c(
            "actual_cost",
            "float",
            "AC",
            "Actual",
            "Actual cost",
            "Coût réel",
            "CR",
            "Dépensé",
            "Consommé",
            "Budget consommé",
            "Spent",
            "ACWP",
        ),
        _c(
            "percent_complete",
            "float",
            "% complete",
            "Percent complete",
            "Progress",
            "Avancement",
            "% avancement",
            "% d'avancement",
            "% achevé",
        ),
        _c(
            "expected_benefit",
            "float",
            "Benefit",
            "Expected benefits",
            "Bénéfice attendu",
            "Bénéfices attendus",
            "Gain attendu",
            "Gains attendus",
            "Valeur attendue",
        ),
        _c("mandatory", "bool", "Obligatoire", "Réglementaire", "Must do", "Forced", "Imposé"),
        _c(
            "depends_on",
            "str",
            "Dependencies",
            "Depends on",
            "Dépend de",
            "Dépendances",
            "Prérequis",
            "Predecessors",
        ),
        _c(
            "exclusive_group",
            "str",
            "Exclusive group",
            "Groupe exclusif",
            "Mutually exclusive",
            "Exclusivité",
        ),
        _c(
            "rag_override",
            "str",
            "RAG",
            "RAG override",
            "Météo",
            "Météo forcée",
            "Statut forcé",
            "Override",
        ),
        _c(
            "rag_reason",
            "str",
            "RAG reason",
            "Override reason",
            "Justification météo",
            "Raison",
            "Motif",
            "Commentaire météo",
        ),
        _c(
            "description",
            "str",
            "Description",
            "Objectif",
            "Objectifs",
            "Résumé",
            "Summary",
            "Aims",
        ),
    ),
    synonyms=("Project", "Projet", "Portfolio", "Portefeuille", "Liste des projets"),
    key=("project_id",),
)

OBJECTIVES = Table(
    "objectives",
    "Objectives",
    "Objectifs",
    (
        _c(
            "objective_id",
            "str",
            "ID",
            "Objective ID",
            "Code objectif",
            "Code",
            "Driver ID",
            "Axe",
            required=True,
        ),
        _c(
            "name",
            "str",
            "Objective",
            "Objectif",
            "Nom",
            "Libellé",
            "Driver",
            "Business driver",
            "Axe stratégique",
            required=True,
        ),
        _c("weight", "float", "Poids", "Pondération", "Priority", "Priorité"),
    ),
    synonyms=(
        "Strategic objectives",
        "Objectifs stratégiques",
        "Drivers",
        "Business drivers",
        "Axes stratégiques",
        "Axes",
        "Critères",
    ),
    key=("objective_id",),
)

PAIRWISE = Table(
    "pairwise",
    "Pairwise",
    "Comparaisons",
    (
        _c(
            "objective_a",
            "str",
            "Objective A",
            "Objectif A",
            "Driver A",
            "Critère A",
            required=True,
        ),
        _c(
            "objective_b",
            "str",
            "Objective B",
            "Objectif B",
            "Driver B",
            "Critère B",
            required=True,
        ),
        _c(
            "judgment",
            "float",
            "Judgement",
            "Jugement",
            "Importance",
            "Comparaison",
            "Ratio",
            required=True,
        ),
    ),
    synonyms=(
        "Pairwise comparisons",
        "Comparaisons par paires",
        "Comparaison par paires",
        "Paires",
        "AHP",
    ),
    key=("objective_a", "objective_b"),
)

ALIGNMENT = Table(
    "alignment",
    "Alignment",
    "Alignement",
    (
        _c("project_id", "str", "ID", "Project ID", "Code projet", "Projet", required=True),
        _c(
            "objective_id",
            "str",
            "Objective ID",
            "Code objectif",
            "Objectif",
            "Driver",
            "Axe",
            required=True,
        ),
        _c("rating", "int", "Score", "Note", "Impact", "Contribution", "Notation", required=True),
    ),
    synonyms=(
        "Ratings",
        "Notations",
        "Alignement stratégique",
        "Strategic alignment",
        "Driver ratings",
        "Contributions",
        "Matrice d'alignement",
        "Alignment matrix",
        "Matrice",
    ),
    key=("project_id", "objective_id"),
)

RESOURCES = Table(
    "resources",
    "Resources",
    "Ressources",
    (
        _c(
            "resource_id",
            "str",
            "ID",
            "Resource ID",
            "Code ressource",
            "Matricule",
            "Identifiant",
            required=True,
        ),
        _c(
            "name", "str", "Resource name", "Nom", "Nom de la ressource", "Full name", "Nom complet"
        ),
        _c(
            "role",
            "str",
            "Rôle",
            "Profil",
            "Compétence",
            "Skill",
            "Métier",
            "Fonction",
            "Job",
            "Group",
            "Groupe",
            required=True,
        ),
        _c("department", "str", "Direction", "Département", "Service", "Team", "Équipe"),
        _c(
            "capacity_hours_per_month",
            "float",
            "Capacity",
            "Capacité",
            "Monthly capacity",
            "Capacité mensuelle",
            "Heures par mois",
            "Hours per month",
            "Capacité (h/mois)",
            "Capacity (h/month)",
        ),
        _c("fte", "float", "FTE", "ETP", "Full-time equivalent", "Équivalent temps plein"),
        _c(
            "cost_rate",
            "float",
            "Rate",
            "Taux",
            "Standard rate",
            "Taux horaire",
            "Coût horaire",
            "Hourly rate",
            "TJM",
        ),
    ),
    synonyms=("Resource", "Ressource", "Équipe", "Team", "Staff", "Personnel", "Collaborateurs"),
    key=("resource_id",),
)

CAPACITY = Table(
    "capacity",
    "Capacity",
    "Capacité",
    (
        _c("role", "str", "Rôle", "Profil", "Compétence", "Skill", "Métier", required=True),
        _c("month", "month", "Mois", "Period", "Période", "Date", required=True),
        _c(
            "capacity_hours",
            "float",
            "Capacity",
            "Capacité",
            "Hours",
            "Heures",
            "Capacité (h)",
            "Heures disponibles",
            "Available hours",
            required=True,
        ),
    ),
    synonyms=("Capacités", "Capacity plan", "Disponibilité", "Disponibilités"),
    key=("role", "month"),
)

ALLOCATIONS = Table(
    "allocations",
    "Allocations",
    "Affectations",
    (
        _c("project_id", "str", "Project ID", "Code projet", "Projet", "ID projet", required=True),
        _c("role", "str", "Rôle", "Profil", "Compétence", "Skill", "Métier"),
        _c(
            "resource_id",
            "str",
            "Resource ID",
            "Code ressource",
            "Ressource",
            "Resource",
            "Matricule",
        ),
        _c("month", "month", "Mois", "Period", "Période", "Date", required=True),
        _c(
            "hours",
            "float",
            "Heures",
            "Charge",
            "Charge (h)",
            "Work",
            "Travail",
            "Demand",
            "Demande",
            "Hours planned",
            "Heures prévues",
            required=True,
        ),
    ),
    synonyms=(
        "Allocation",
        "Affectation",
        "Plan de charge",
        "Demand",
        "Charge",
        "Assignments",
        "Workload",
    ),
)

MILESTONES = Table(
    "milestones",
    "Milestones",
    "Jalons",
    (
        _c("project_id", "str", "Project ID", "Code projet", "Projet", required=True),
        _c("milestone_id", "str", "ID", "Milestone ID", "Code jalon", "Jalon ID", required=True),
        _c("name", "str", "Milestone", "Jalon", "Nom", "Libellé", "Nom du jalon"),
        _c(
            "baseline_date",
            "date",
            "Baseline",
            "Baseline date",
            "Date de référence",
            "Référence",
            "Date initiale",
            "Baseline finish",
            required=True,
        ),
        _c(
            "forecast_date",
            "date",
            "Forecast",
            "Forecast date",
            "Date prévue",
            "Prévisionnel",
            "Date prévisionnelle",
            "Date révisée",
        ),
        _c(
            "actual_date",
            "date",
            "Actual",
            "Actual date",
            "Date réelle",
            "Réel",
            "Date effective",
            "Achevé le",
        ),
    ),
    synonyms=("Milestone", "Jalon", "Jalons clés", "Key milestones"),
    key=("project_id", "milestone_id"),
)

RISKS = Table(
    "risks",
    "Risks",
    "Risques",
    (
        _c("risk_id", "str", "ID", "Risk ID", "Code risque", "Réf risque", required=True),
        _c("project_id", "str", "Project ID", "Code projet", "Projet", required=True),
        _c(
            "title",
            "str",
            "Risk",
            "Risque",
            "Titre",
            "Intitulé",
            "Description",
            "Libellé",
            required=True,
        ),
        _c(
            "probability",
            "float",
            "Probabilité",
            "Likelihood",
            "Vraisemblance",
            "Proba",
            required=True,
        ),
        _c(
            "impact",
            "float",
            "Gravité",
            "Severity",
            "Impact (€)",
            "Impact financier",
            required=True,
        ),
        _c("status", "str", "Statut", "État", "Etat"),
        _c("owner", "str", "Propriétaire", "Responsable", "Porteur", "Pilote"),
        _c(
            "mitigation",
            "str",
            "Plan d'atténuation",
            "Plan d'action",
            "Atténuation",
            "Mitigation plan",
            "Response",
            "Parade",
        ),
    ),
    synonyms=("Risk register", "Registre des risques", "Risque", "Risk"),
    key=("risk_id",),
)

STATUS_REPORTS = Table(
    "status_reports",
    "StatusReports",
    "Rapports",
    (
        _c("project_id", "str", "Project ID", "Code projet", "Projet", required=True),
        _c(
            "report_date",
            "date",
            "Date",
            "Report date",
            "Date du rapport",
            "Date de rapport",
            "Période",
            required=True,
        ),
        _c("planned_value", "float", "PV", "BCWS", "VP", "Valeur planifiée", "CBTP"),
        _c("earned_value", "float", "EV", "BCWP", "VA", "Valeur acquise", "CBTE"),
        _c("actual_cost", "float", "AC", "ACWP", "CR", "Coût réel", "CRTE"),
        _c("percent_complete", "float", "% complete", "Avancement", "% avancement", "Progress"),
        _c("rag", "str", "Météo", "Statut", "Status", "Weather", "RAG status"),
        _c("comment", "str", "Commentaire", "Commentaires", "Comments", "Notes"),
        _c(
            "quality_rag",
            "str",
            "Quality",
            "Qualité",
            "Quality RAG",
            "Météo qualité",
            "Quality status",
            "Statut qualité",
        ),
        _c(
            "quality_comment",
            "str",
            "Quality comment",
            "Commentaire qualité",
            "Quality notes",
        ),
    ),
    synonyms=(
        "Status reports",
        "Status report",
        "Rapports d'avancement",
        "Rapport d'avancement",
        "Reporting",
        "Suivi",
        "Flash reports",
    ),
    key=("project_id", "report_date"),
)

BASELINE = Table(
    "baseline",
    "Baseline",
    "Référence",
    (
        _c("project_id", "str", "Project ID", "Code projet", "Projet", "ID projet", required=True),
        _c("month", "month", "Mois", "Period", "Période", "Date", "Period end", required=True),
        # Cumulative PV at the end of the month (DESIGN section 4's curve). A sheet gives
        # this or the per-period column below (cumulated at import), as its header says.
        _c(
            "planned_value",
            "float",
            "Cumulative PV",
            "VP cumulée",  # the French template's (GLOSSARY: VP); the PV ones of older files
            "VP cumulé",
            "PV cumulée",
            "PV cumulé",
            "Cumulative planned value",
            "Valeur planifiée cumulée",
            "Cumulative BCWS",
            "BCWS cumulé",
            "PV",
            "Planned value",
            "Valeur planifiée",
            "BCWS",
            "VP",
            "CBTP",
        ),
        _c(
            "planned_value_period",
            "float",
            "PV per period",
            "PV per month",
            "PV of the month",
            "Monthly PV",
            "VP du mois",
            "VP mensuelle",
            "VP de la période",
            "VP par période",
            "VP par mois",
            "PV du mois",
            "PV mensuelle",
            "PV de la période",
            "PV par période",
            "PV par mois",
            "Planned value per period",
            "Valeur planifiée du mois",
            "BCWS du mois",
            "BCWS per period",
        ),
    ),
    synonyms=(
        "Courbe de référence",
        "Baseline curve",
        "PV curve",
        "Courbe PV",
        "Courbe VP",
        "Planned value curve",
        "Baseline PV",
        "Référence PV",
    ),
    key=("project_id", "month"),
)

SETTINGS = Table(
    "settings",
    "Settings",
    "Paramètres",
    (
        _c("key", "str", "Clé", "Paramètre", "Setting", "Name", "Nom", required=True),
        _c("value", "str", "Valeur", "Value", required=True),
    ),
    synonyms=("Paramètre", "Réglages", "Config", "Configuration"),
    key=("key",),
)

#: The data tables of a snapshot, in import order (referenced tables first).
PRIORITIES = Table(
    "priorities",
    "Priorities",
    "Priorités",
    (
        _c("project_id", "str", "ID", "Project ID", "Code projet", "Projet", required=True),
        _c(
            "alignment_score",
            "float",
            "Alignment score",
            "Score d'alignement",
            "Alignement",
            required=True,
        ),
        _c("priority_pct", "float", "Priority %", "Priorité %", "Priority", "Priorité"),
        _c("source", "str", "Source", "Origine", "Analysis", "Analyse"),
    ),
    synonyms=(
        "Project priorities",
        "Priorités des projets",
        "Imported priorities",
        "Priorités importées",
    ),
    key=("project_id",),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PROJECTS,
        OBJECTIVES,
        PAIRWISE,
        ALIGNMENT,
        RESOURCES,
        CAPACITY,
        ALLOCATIONS,
        MILESTONES,
        RISKS,
        STATUS_REPORTS,
        BASELINE,
        PRIORITIES,
    )
}
#: Settings is read from the workbook but kept as a dict beside the frames.
ALL_SHEETS: dict[str, Table] = {**TABLES, "settings": SETTINGS}

#: Settings a workbook may carry, with their defaults.
DEFAULT_SETTINGS: dict[str, str] = {
    "currency": "EUR",
    "as_of": "",
}


def find_table(sheet_name: object) -> Table | None:
    """The canonical table a sheet name means (FR or EN), or None."""
    key = normalise_label(sheet_name)
    for t in ALL_SHEETS.values():
        if key in t.sheet_keys:
            return t
    return None


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the canonical columns and dtypes of ``table``.

    Examples:
        >>> list(empty_frame("objectives").columns)
        ['objective_id', 'name', 'weight']
    """
    import pandas as pd

    t = ALL_SHEETS[table]
    return pd.DataFrame({c.name: pd.Series([], dtype=PANDAS_DTYPES[c.dtype]) for c in t.columns})


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the canonical columns of ``table``, in order, typed.

    Missing columns are added empty; extra columns are dropped. Values must already be
    converted (this only casts), so it is for frames built in code (demo, tests, store).
    """
    import pandas as pd

    t = ALL_SHEETS[table]
    out = {}
    for c in t.columns:
        if c.name in df.columns:
            s = df[c.name]
            if c.dtype in ("date", "month"):
                s = pd.to_datetime(s).astype(PANDAS_DTYPES[c.dtype])
            elif c.dtype == "float":
                s = pd.to_numeric(s).astype("float64")
            else:
                s = s.astype(PANDAS_DTYPES[c.dtype])
            out[c.name] = s.reset_index(drop=True)
        else:
            out[c.name] = pd.Series([None] * len(df), dtype=object).astype(PANDAS_DTYPES[c.dtype])
    return pd.DataFrame(out)
