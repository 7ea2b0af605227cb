"""A deterministic, believable demo portfolio (and scale workbooks for benchmarks).

``build_demo(60)`` is "Groupe Horizon", a French company with about 60 projects in 5
programmes and 6 directions, every status represented, 8 strategic objectives with
pairwise judgments, ~120 people in 12 roles, 24 months of allocations (some roles
over-allocated), milestones, ~150 risks and 6 monthly status reports per running
project: healthy, late and over-budget projects so that every chart tells a story.

``build_demo(2000)`` follows DESIGN section 8's proportions (300 resources in 25 roles,
36 months, ~200,000 allocation rows, ~10,000 milestones, ~8,000 risks, ~24,000 status
reports). Everything is vectorised with numpy and seeded, so the same arguments always
give the same frames (and, through :func:`pmo_core.template.write_workbook`, the same file).

Examples:
    >>> frames, settings = build_demo(12, seed=1)
    >>> settings["as_of"], len(frames["projects"])
    ('2026-10-31', 12)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from pmo_core import schema

AS_OF = pd.Timestamp("2026-10-31")

PROGRAMMES = (
    "Transformation digitale",
    "Excellence opérationnelle",
    "Conformité & risques",
    "Expérience client",
    "Infrastructure & cloud",
)
DIRECTIONS = ("DSI", "Finance", "RH", "Marketing", "Opérations", "Juridique")
PROJECT_NAMES = (
    "Refonte du portail client",
    "Migration ERP SAP S/4HANA",
    "Dématérialisation des notes de frais",
    "Mise en conformité NIS2",
    "Data platform groupe",
    "Application mobile conseillers",
    "Automatisation de la clôture comptable",
    "SIRH nouvelle génération",
    "CRM unifié",
    "Migration vers le cloud Azure",
    "Refonte du site e-commerce",
    "Programme RGPD 2026",
    "Chatbot service client",
    "Lutte anti-blanchiment (LCB-FT)",
    "Modernisation du datacenter",
    "Signature électronique",
    "Portail fournisseurs",
    "Facturation électronique 2026",
    "Plateforme de formation en ligne",
    "Refonte de la paie",
    "Tableau de bord commercial",
    "Supervision réseau",
    "Gestion des identités (IAM)",
    "Plan de continuité d'activité",
    "Optimisation de la chaîne logistique",
    "Programme fidélité",
    "Référentiel produits (PIM)",
    "Recrutement digital",
    "Cybersécurité du poste de travail",
    "Analyse prédictive des ventes",
    "Archivage légal électronique",
    "Refonte de l'intranet",
    "Connecteurs bancaires EBICS",
    "Migration Office 365",
    "Gestion des contrats",
    "Portail self-service RH",
    "Traçabilité qualité usine",
    "Réduction de l'empreinte carbone IT",
    "Centre de services partagés",
    "Pilotage de la performance",
    "Migration des bases Oracle",
    "Télétravail et collaboration",
    "Conformité CSRD",
    "Gestion des consentements",
    "Paiement mobile en magasin",
    "Refonte du processus achats",
    "Maintenance prédictive",
    "Data quality management",
    "Portail partenaires",
    "Entrepôt de données RH",
    "Modernisation de la téléphonie",
    "Gestion électronique des documents",
    "Outil de planification S&OP",
    "Open banking API",
    "Refonte du reporting réglementaire",
    "Sécurisation des accès distants",
    "Expérience collaborateur",
    "Plateforme d'intégration (API)",
    "Réseau SD-WAN agences",
    "Rationalisation applicative",
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
ROLES = (
    "Chef de projet",
    "Architecte",
    "Développeur",
    "Analyste métier",
    "Data scientist",
    "Ingénieur cloud",
    "Testeur",
    "UX designer",
    "Expert sécurité",
    "Consultant SAP",
    "Formateur",
    "Juriste",
)
EXTRA_ROLES = (
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
FIRST = (
    "Marie",
    "Thomas",
    "Camille",
    "Nicolas",
    "Julie",
    "Antoine",
    "Sophie",
    "Julien",
    "Claire",
    "Maxime",
    "Laura",
    "Pierre",
    "Émilie",
    "Romain",
    "Sarah",
    "Hugo",
    "Léa",
    "Mathieu",
    "Chloé",
    "Alexandre",
    "Manon",
    "Guillaume",
    "Inès",
    "Vincent",
)
LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefèbvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "Mercier",
    "Lambert",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Gauthier",
    "Morel",
    "Perrin",
    "Blanc",
    "Guérin",
)
RISK_TITLES = (
    "Retard de livraison du fournisseur",
    "Indisponibilité des experts clés",
    "Dérive du périmètre fonctionnel",
    "Résistance au changement des utilisateurs",
    "Qualité insuffisante des données migrées",
    "Dépassement du budget de licences",
    "Évolution réglementaire en cours de projet",
    "Faille de sécurité à la mise en production",
    "Performance insuffisante de la solution",
    "Dépendance à un autre projet en retard",
    "Départ du chef de projet",
    "Complexité des interfaces avec le SI existant",
)
MITIGATIONS = (
    "Clause de pénalités et point hebdomadaire avec le fournisseur",
    "Plan de montée en compétence et binômage",
    "Comité de pilotage mensuel et gel du périmètre",
    "Plan de conduite du changement et ambassadeurs métiers",
    "Campagne de nettoyage des données avant migration",
    "Renégociation du contrat cadre",
    "Veille réglementaire avec la direction juridique",
    "Audit de sécurité avant go-live",
    "Tests de charge dès le sprint 3",
    "Jalon de synchronisation inter-projets",
)
MILESTONE_NAMES = (
    "Cadrage validé",
    "Conception validée",
    "Recette terminée",
    "Mise en production",
    "Bilan de projet",
)
COMMENTS = {
    "G": (
        "Avancement conforme au planning.",
        "Jalons tenus, budget maîtrisé.",
        "Bonne dynamique de l'équipe projet.",
    ),
    "A": (
        "Léger retard sur la recette, plan de rattrapage en cours.",
        "Tension sur les ressources, arbitrage demandé au COPIL.",
        "Consommation budgétaire au-dessus du prévisionnel.",
    ),
    "R": (
        "Retard important : décalage de la mise en production.",
        "Dépassement budgétaire, demande de rallonge en comité.",
        "Blocage fournisseur, escalade en cours.",
    ),
}


def _month_starts(start: pd.Timestamp, n: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    first = rng.choice(np.array(FIRST), n)
    last = rng.choice(np.array(LAST), n)
    return np.char.add(np.char.add(first.astype(str), " "), last.astype(str))


def _rag(index: np.ndarray) -> np.ndarray:
    return np.where(index >= 0.95, "G", np.where(index >= 0.85, "A", "R"))


def build_demo(
    n_projects: int = 60, seed: int = 7
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The demo (or scale) portfolio as canonical frames plus settings."""
    rng = np.random.default_rng(seed)
    n = int(n_projects)
    scale = n >= 500
    n_months = 36 if scale else 24
    months = _month_starts(
        pd.Timestamp(AS_OF.year, AS_OF.month, 1) - pd.DateOffset(months=12 if not scale else 18),
        n_months,
    )

    # ---------------------------------------------------------------- projects
    ids = np.array([f"PRJ-{i:03d}" if n < 1000 else f"PRJ-{i:04d}" for i in range(1, n + 1)])
    base_names = np.array(PROJECT_NAMES)
    names = base_names[np.arange(n) % len(base_names)].astype(object)
    wave = np.arange(n) // len(base_names)
    names = np.where(wave > 0, names + " – lot " + (wave + 1).astype(str), names)
    status_pool = (
        ["in_progress"] * 34
        + ["completed"] * 6
        + ["proposed"] * 8
        + ["approved"] * 5
        + ["on_hold"] * 4
        + ["cancelled"] * 3
    )
    statuses = np.array(status_pool)[rng.permutation(len(status_pool))]
    status = statuses[np.arange(n) % len(statuses)] if n != len(statuses) else statuses
    if n >= 6:  # every status represented, whatever n
        status[:6] = ["in_progress", "completed", "proposed", "approved", "on_hold", "cancelled"]
        status[:6] = status[:6][rng.permutation(6)]
    programme = np.array(PROGRAMMES)[rng.integers(0, len(PROGRAMMES), n)]
    direction = np.array(DIRECTIONS)[rng.integers(0, len(DIRECTIONS), n)]
    budget = np.round(np.exp(rng.uniform(np.log(80_000), np.log(4_000_000), n)), -3)
    duration = rng.integers(8, 31, n)  # months
    start_offset = np.select(
        [status == "completed", np.isin(status, ["proposed", "approved"]), status == "cancelled"],
        [-(duration + rng.integers(1, 6, n)), rng.integers(1, 9, n), -rng.integers(2, 14, n)],
        default=-rng.integers(2, np.maximum(3, duration - 1), n),
    )
    start = (
        pd.Timestamp(AS_OF.year, AS_OF.month, 1) + pd.to_timedelta(start_offset * 30.4375, unit="D")
    ).normalize()
    start = pd.DatetimeIndex(start).to_period("M").to_timestamp()
    end = start + pd.to_timedelta(duration * 30.4375, unit="D")
    end = pd.DatetimeIndex(end).normalize()
    total_days = np.asarray((end - start).days, dtype=float)
    elapsed = np.clip(np.asarray((AS_OF - start).days, dtype=float) / total_days, 0, 1)
    # Performance: most projects near plan, some late, some over budget.
    spi = np.clip(rng.normal(0.96, 0.10, n), 0.55, 1.15)
    cpi = np.clip(rng.normal(0.97, 0.10, n), 0.6, 1.2)
    late = rng.random(n) < 0.18
    spi[late] = rng.uniform(0.62, 0.84, late.sum())
    over = rng.random(n) < 0.15
    cpi[over] = rng.uniform(0.65, 0.84, over.sum())
    pct = np.clip(elapsed * spi * 100, 0, 100)
    pct = np.where(status == "completed", 100.0, pct)
    pct = np.where(np.isin(status, ["proposed", "approved"]), 0.0, pct)
    ev = budget * pct / 100
    actual = np.round(np.where(ev > 0, ev / cpi, 0.0), -2)
    slip_days = np.where(
        np.isin(status, ["in_progress", "on_hold"]), np.maximum(0, (1 / spi - 1)) * total_days, 0
    ).round()
    forecast_end = end + pd.to_timedelta(slip_days, unit="D")
    benefit = np.round(budget * rng.uniform(0.6, 3.2, n), -3)
    mandatory = (programme == "Conformité & risques") & (rng.random(n) < 0.6)
    managers = _names(rng, max(12, n // 5))
    sponsors = np.array(
        [
            "Directeur général",
            "DAF",
            "DSI",
            "DRH",
            "Directeur marketing",
            "Directeur des opérations",
            "Directrice juridique",
        ]
    )
    manager = managers[rng.integers(0, len(managers), n)].astype(object)
    sponsor = sponsors[rng.integers(0, len(sponsors), n)].astype(object)
    phases = np.select(
        [
            status == "proposed",
            status == "approved",
            status == "completed",
            status == "cancelled",
            pct < 30,
            pct < 70,
        ],
        ["Opportunité", "Cadrage", "Clôture", "Arrêté", "Conception", "Réalisation"],
        default="Déploiement",
    )
    projects = pd.DataFrame(
        {
            "project_id": ids,
            "name": names,
            "program": programme,
            "portfolio": "Groupe Horizon",
            "department": direction,
            "sponsor": sponsor,
            "manager": manager,
            "status": status,
            "phase": phases,
            "start_date": start,
            "end_date": end,
            "forecast_end_date": forecast_end,
            "budget": budget,
            "actual_cost": actual,
            "percent_complete": np.round(pct, 1),
            "expected_benefit": benefit,
            "mandatory": mandatory,
            "description": "Projet " + names.astype(str),
        }
    )
    # Governance gaps so the pages have a story: a few missing managers / sponsors.
    gaps = rng.choice(n, size=max(1, n // 20), replace=False)
    projects.loc[gaps[: len(gaps) // 2 + 1], "manager"] = None
    projects.loc[gaps[len(gaps) // 2 + 1 :], "sponsor"] = None
    # Dependencies and an exclusive pair among the candidates.
    candidates = np.flatnonzero(np.isin(status, ["proposed", "approved"]))
    if len(candidates) >= 4:
        a, b, c, d = candidates[:4]
        projects.loc[a, "depends_on"] = ids[b]
        projects.loc[c, "exclusive_group"] = "Choix plateforme CRM"
        projects.loc[d, "exclusive_group"] = "Choix plateforme CRM"
    running = np.flatnonzero(status == "in_progress")
    if len(running):
        r = running[0]
        projects.loc[r, "rag_override"] = "R"
        projects.loc[r, "rag_reason"] = (
            "Arbitrage COPIL : périmètre à revoir, fournisseur défaillant"
        )

    # ---------------------------------------------------------------- objectives
    obj_ids = np.array([o[0] for o in OBJECTIVES])
    objectives = pd.DataFrame({"objective_id": obj_ids, "name": [o[1] for o in OBJECTIVES]})
    true_w = np.array([0.24, 0.18, 0.16, 0.14, 0.10, 0.09, 0.05, 0.04])
    scale_values = np.array([9, 6, 3, 1, 1 / 3, 1 / 6, 1 / 9])
    ia, ib = np.triu_indices(len(obj_ids), k=1)
    ratio = true_w[ia] / true_w[ib]
    judgment = scale_values[
        np.abs(np.log(scale_values)[None, :] - np.log(ratio)[:, None]).argmin(1)
    ]
    pairwise = pd.DataFrame(
        {"objective_a": obj_ids[ia], "objective_b": obj_ids[ib], "judgment": judgment}
    )
    ratings = rng.choice(
        np.array([0, 1, 3, 6, 9]), size=(n, len(obj_ids)), p=[0.35, 0.2, 0.2, 0.15, 0.1]
    )
    prog_idx = pd.Series(programme).map({p: i for i, p in enumerate(PROGRAMMES)}).to_numpy()
    focus = np.array([0, 1, 2, 3, 5])[prog_idx]  # each programme serves one objective strongly
    ratings[np.arange(n), focus] = rng.choice(np.array([6, 9]), n)
    rated = np.ones(n, dtype=bool)
    if n >= 20:  # a few unrated projects, for the data-quality panel
        rated[rng.choice(n, size=3, replace=False)] = False
    pi, oi = np.nonzero(np.ones_like(ratings, dtype=bool) & rated[:, None])
    alignment = pd.DataFrame(
        {"project_id": ids[pi], "objective_id": obj_ids[oi], "rating": ratings[pi, oi]}
    )

    # ---------------------------------------------------------------- resources
    roles = np.array(ROLES + (EXTRA_ROLES if scale else ()))
    n_res = 300 if scale else 120
    role_weight = np.linspace(2.0, 0.6, len(roles))
    res_role = rng.choice(roles, n_res, p=role_weight / role_weight.sum())
    res_role[: len(roles)] = roles  # every role has someone
    fte = rng.choice(np.array([1.0, 1.0, 1.0, 0.8, 0.5]), n_res)
    res_ids = np.array([f"RES-{i:03d}" for i in range(1, n_res + 1)])
    resources = pd.DataFrame(
        {
            "resource_id": res_ids,
            "name": _names(rng, n_res),
            "role": res_role,
            "department": np.array(DIRECTIONS)[rng.integers(0, len(DIRECTIONS), n_res)],
            "capacity_hours_per_month": 140 * fte,
            "fte": fte,
            "cost_rate": np.round(rng.uniform(55, 140, n_res), 0),
        }
    )
    role_cap = resources.groupby("role")["capacity_hours_per_month"].sum()

    # ---------------------------------------------------------------- allocations
    roles_per_project = 6 if scale else 4
    p_idx = np.repeat(np.arange(n), roles_per_project)
    r_idx = np.stack(
        [
            rng.choice(
                len(roles), roles_per_project, replace=False, p=role_weight / role_weight.sum()
            )
            for _ in range(n)
        ]
    ).ravel()
    month_arr = months.to_numpy()
    m_idx = np.tile(np.arange(len(months)), len(p_idx))
    p_rep = np.repeat(p_idx, len(months))
    r_rep = np.repeat(r_idx, len(months))
    m_start = month_arr[m_idx]
    active = (
        (m_start >= start.to_numpy()[p_rep].astype("datetime64[M]").astype(month_arr.dtype))
        & (m_start <= forecast_end.to_numpy()[p_rep])
        & ~np.isin(status[p_rep], ["cancelled"])
    )
    # Hours: a project's budget spread over its roles and months, then scaled so that the
    # busiest roles overflow in some months.
    months_active = np.maximum(1, duration)[p_rep]
    share = budget[p_rep] / 95.0 / roles_per_project / months_active
    hours = np.round(share * rng.uniform(0.6, 1.4, len(p_rep)), 0)
    keep = active & (hours > 0)
    alloc = pd.DataFrame(
        {
            "project_id": ids[p_rep[keep]],
            "role": roles[r_rep[keep]],
            "month": m_start[keep],
            "hours": hours[keep],
        }
    )
    demand = alloc.groupby(["role", "month"])["hours"].sum()
    util = demand / alloc["role"].map(role_cap).groupby([alloc["role"], alloc["month"]]).first()
    target = pd.Series(rng.uniform(0.55, 0.9, len(roles)), index=roles)
    hot = roles[[1, 2, 8]] if len(roles) > 8 else roles[:1]
    target[hot] = [1.12, 1.05, 1.2][: len(hot)]
    factor = (target / util.groupby(level="role").quantile(0.85)).reindex(alloc["role"]).to_numpy()
    alloc["hours"] = np.maximum(1, np.round(alloc["hours"].to_numpy() * factor, 0))
    # Security experts are planned by name: those rows name a resource, not a role.
    sec = alloc["role"].to_numpy() == "Expert sécurité"
    sec_people = resources.loc[resources["role"] == "Expert sécurité", "resource_id"].to_numpy()
    if sec.any() and len(sec_people):
        alloc.loc[sec, "resource_id"] = rng.choice(sec_people, sec.sum())
        alloc.loc[sec, "role"] = None
    allocations = alloc

    # ---------------------------------------------------------------- milestones
    per = 5 if scale else None
    k = np.full(n, per) if per else rng.integers(2, 5, n)
    mp = np.repeat(np.arange(n), k)
    rank = np.concatenate([np.arange(j) for j in k])
    frac = (rank + 1) / (k[mp] + 0.0)
    base = start[mp] + pd.to_timedelta(np.round(total_days[mp] * frac), unit="D")
    slip = np.where(
        np.isin(status[mp], ["in_progress", "on_hold"]),
        np.round(slip_days[mp] * frac * rng.uniform(0.5, 1.5, len(mp))),
        0,
    )
    forecast = base + pd.to_timedelta(slip, unit="D")
    done = (forecast <= AS_OF) & ~np.isin(status[mp], ["proposed", "approved", "cancelled"])
    actual_ms = pd.Series(forecast).where(done)
    name_idx = np.minimum(
        np.round(frac * (len(MILESTONE_NAMES) - 1)).astype(int), len(MILESTONE_NAMES) - 1
    )
    milestones = pd.DataFrame(
        {
            "project_id": ids[mp],
            "milestone_id": "J" + (rank + 1).astype(str),
            "name": np.array(MILESTONE_NAMES)[name_idx],
            "baseline_date": base,
            "forecast_date": forecast,
            "actual_date": actual_ms,
        }
    )

    # ---------------------------------------------------------------- risks
    n_risks = 4 * n if scale else round(2.5 * n)
    rp = rng.integers(0, n, n_risks)
    risks = pd.DataFrame(
        {
            "risk_id": [f"R-{i:04d}" for i in range(1, n_risks + 1)],
            "project_id": ids[rp],
            "title": np.array(RISK_TITLES)[rng.integers(0, len(RISK_TITLES), n_risks)],
            "probability": rng.choice(
                np.array([0.1, 0.3, 0.5, 0.7, 0.9]), n_risks, p=[0.2, 0.3, 0.25, 0.15, 0.1]
            ),
            "impact": np.round(budget[rp] * rng.uniform(0.02, 0.25, n_risks), -3),
            "status": np.where(rng.random(n_risks) < 0.8, "open", "closed"),
            "owner": _names(rng, n_risks),
            "mitigation": np.array(MITIGATIONS)[rng.integers(0, len(MITIGATIONS), n_risks)],
        }
    )

    # ---------------------------------------------------------------- status reports
    n_reports = 36 if scale else 6
    reporting = np.flatnonzero(np.isin(status, ["in_progress", "on_hold"]))
    sp = np.repeat(reporting, n_reports)
    back = np.tile(np.arange(n_reports - 1, -1, -1), len(reporting))
    periods = pd.PeriodIndex([AS_OF.to_period("M")] * len(sp)) - back
    report_date = periods.to_timestamp(how="end").normalize()
    ok = report_date >= start[sp] + pd.Timedelta(days=20)
    sp, report_date = sp[ok], report_date[ok]
    el = np.clip(np.asarray((report_date - start[sp]).days, dtype=float) / total_days[sp], 0, 1)
    # Indices drift towards their final value over the reports: falling CPIs exist.
    drift = np.clip(np.asarray((AS_OF - report_date).days, dtype=float) / 180, 0, 1)
    spi_r = spi[sp] + (1 - spi[sp]) * drift * 0.5
    cpi_r = cpi[sp] + (1 - cpi[sp]) * drift * 0.5
    pv_r = np.round(budget[sp] * el, -2)
    ev_r = np.minimum(np.round(pv_r * spi_r, -2), budget[sp])
    ac_r = np.round(ev_r / cpi_r, -2)
    rag_r = np.where(
        np.minimum(spi_r, cpi_r) >= 0.95, "G", np.where(np.minimum(spi_r, cpi_r) >= 0.85, "A", "R")
    )
    comment = np.array([COMMENTS[r][i % 3] for i, r in enumerate(rag_r)], dtype=object)
    quality = np.where(
        rng.random(len(sp)) < 0.85, "G", np.where(rng.random(len(sp)) < 0.7, "A", "R")
    )
    status_reports = pd.DataFrame(
        {
            "project_id": ids[sp],
            "report_date": report_date,
            "planned_value": pv_r,
            "earned_value": ev_r,
            "actual_cost": ac_r,
            "percent_complete": np.round(100 * ev_r / budget[sp], 1),
            "rag": rag_r,
            "comment": comment,
            "quality_rag": quality,
        }
    )
    # A couple of running projects have not reported for a while (governance story).
    if len(reporting) > 6:
        stale = ids[reporting[-2:]]
        status_reports = status_reports[
            ~(
                status_reports["project_id"].isin(stale)
                & (status_reports["report_date"] > AS_OF - pd.Timedelta(days=75))
            )
        ]

    # The SAP integrator's contract gives a fixed monthly envelope, whatever our staff.
    capacity = pd.DataFrame(
        {
            "role": "Consultant SAP",
            "month": months,
            "capacity_hours": np.where(months < AS_OF, 480.0, 320.0),
        }
    )
    frames = {
        "projects": projects,
        "objectives": objectives,
        "pairwise": pairwise,
        "alignment": alignment,
        "resources": resources,
        "capacity": capacity,
        "allocations": allocations,
        "milestones": milestones,
        "risks": risks,
        "status_reports": status_reports,
    }
    frames = {k: schema.conform(k, v) for k, v in frames.items()}
    settings = {"as_of": AS_OF.date().isoformat(), "currency": "EUR", "company": "Groupe Horizon"}
    return frames, settings


def write_demo(out: str | os.PathLike[str], n_projects: int = 60, seed: int = 7) -> None:
    """Write the demo (or scale) workbook in the template's format (French headers)."""
    from pmo_core.template import write_workbook

    frames, settings = build_demo(n_projects, seed)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_workbook(frames, settings, out, lang="fr")
