"""Risk exposure over open risks (DESIGN section 4).

``risk_exposure`` is money: probability (a fraction) x impact (money). When a register
gives levels 1-5, the product of the levels (1-25) goes to ``risk_score`` and
``risk_exposure`` is undefined (NaN, JSON null): never 0, which would read as "no risk". A
blank status counts as open; the portfolio sums the open risks of projects that are
neither completed nor cancelled.

Scales are decided per column over the whole register (:func:`register_scales`), as the
import decided them (:mod:`pmo_core.ingest.risk_scales`, which stores probabilities as
fractions 0-1 or levels 1-5 and impacts as money or levels 1-5):

- impact is in levels when most of its values are whole numbers 1-5, else in money;
- probability is in levels when it holds more whole levels 2-5 than fractions strictly
  between 0 and 1 (ties go to levels when the impact is in levels), or when every value
  is 1 and the impact is in levels; else it is a fraction (1 = certain).

Heat-map levels (5x5) never depend on the other risks of the register:

- a probability fraction p is level 1 up to 10 %, 2 up to 30 %, 3 up to 50 %, 4 up to
  70 %, else 5 (:data:`PROBABILITY_BANDS`, upper bounds included);
- an impact in money is level 1 up to the first of four amounts, 2 up to the second... 5
  above the fourth (setting ``risk_impact_thresholds``, default
  :data:`DEFAULT_IMPACT_THRESHOLDS` = 10 000; 50 000; 100 000; 250 000 in the currency);
- a level is its own level. A value outside its scale has no level (not on the map).

Columns:
    open_risks(...) -> the Risks columns + open (bool), exposure, score, p_level, i_level
    exposure_by_project(...) -> index project_id: risk_exposure, risk_score, open_risks;
        ``attrs["money"]``: whether exposure is money in this register
    cell_risks(...) -> the open_risks rows of one heat-map cell

Examples:
    >>> is_closed(pd.Series(["Clos", None, "open", "Résolu"])).tolist()
    [True, False, False, True]
    >>> impact_levels(pd.Series([10_000.0, 10_001.0, 300_000.0])).tolist()
    [1.0, 2.0, 5.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pmo_core.i18n import fmt_money, fmt_pct, t
from pmo_core.ingest.risk_scales import FRACTION, LEVEL, MONEY, impact_scale, whole_levels
from pmo_core.schema import normalise_label

CLOSED_WORDS = frozenset(
    {
        "closed",
        "clos",
        "close",
        "ferme",
        "cloture",
        "resolved",
        "resolu",
        "done",
        "termine",
        "archived",
        "archive",
        "occurred",
        "survenu",
    }
)
#: Probability bands (fraction upper bounds, included) for levels 1-5 when fractions are given.
PROBABILITY_BANDS = (0.1, 0.3, 0.5, 0.7, 1.0)
#: Impact amounts (upper bounds, included, in the currency) of levels 1-4; above: level 5.
DEFAULT_IMPACT_THRESHOLDS = (10_000.0, 50_000.0, 100_000.0, 250_000.0)
#: The setting that overrides them: four increasing amounts separated by ``;``.
IMPACT_THRESHOLDS_SETTING = "risk_impact_thresholds"


@dataclass(frozen=True)
class RiskScales:
    """How a register's columns read: probability ``fraction`` or ``level``, impact
    ``money`` or ``level``."""

    probability: str = FRACTION
    impact: str = MONEY

    @property
    def money(self) -> bool:
        """Exposure is money only for a fraction probability and an impact in money."""
        return self.probability == FRACTION and self.impact == MONEY


def is_closed(status: pd.Series) -> pd.Series:
    return status.map(
        lambda s: normalise_label(s) in CLOSED_WORDS if pd.notna(s) else False
    ).astype(bool)


def register_scales(risks: pd.DataFrame) -> RiskScales:
    """The scales of a stored register, decided per column from all its values (module
    docstring). Decide them on the whole register, then filter: a subset may not tell.

    Examples:
        >>> r = pd.DataFrame({"probability": [0.3, 0.5, 1.0], "impact": [5e4, 2e3, 1e5]})
        >>> register_scales(r)
        RiskScales(probability='fraction', impact='money')
        >>> register_scales(pd.DataFrame({"probability": [1.0, 1.0], "impact": [4.0, 2.0]}))
        RiskScales(probability='level', impact='level')
    """
    impact = impact_scale(risks["impact"])  # the import's own rule
    p = risks["probability"].dropna().astype("float64")
    n_level = int((whole_levels(p) & (p >= 2)).sum())
    n_fraction = int(((p > 0) & (p < 1)).sum())
    ones = bool(len(p)) and bool((p == 1).all())
    in_levels = n_level > n_fraction or (impact == LEVEL and (n_level == n_fraction > 0 or ones))
    return RiskScales(LEVEL if in_levels else FRACTION, impact)


def impact_thresholds(settings: dict[str, str] | None) -> tuple[tuple[float, ...], str | None]:
    """The four impact amounts of levels 1-4 (setting ``risk_impact_thresholds``, e.g.
    ``10000; 50000; 100000; 250000``), and the setting's text when it was not four
    increasing positive amounts (then the defaults are used, and the page says so).

    Examples:
        >>> impact_thresholds({"risk_impact_thresholds": "5 000; 20 000; 80 000; 1e6"})
        ((5000.0, 20000.0, 80000.0, 1000000.0), None)
        >>> impact_thresholds({"risk_impact_thresholds": "9; 3"})[1]
        '9; 3'
    """
    raw = (settings or {}).get(IMPACT_THRESHOLDS_SETTING)
    if raw is None or not str(raw).strip():
        return DEFAULT_IMPACT_THRESHOLDS, None
    text = str(raw)
    parts = text.split(";") if ";" in text else text.split(",")
    try:
        values = tuple(float("".join(x.split())) for x in parts)
    except ValueError:
        return DEFAULT_IMPACT_THRESHOLDS, text
    increasing = all(b > a for a, b in itertools.pairwise(values))
    if len(values) != 4 or values[0] <= 0 or not increasing:
        return DEFAULT_IMPACT_THRESHOLDS, text
    return values, None


def probability_levels(p: pd.Series) -> pd.Series:
    """Levels 1-5 of probability fractions by :data:`PROBABILITY_BANDS` (NaN outside 0-1).

    Examples:
        >>> probability_levels(pd.Series([0.0, 0.1, 0.11, 0.5, 0.71, 1.0, 1.5])).tolist()
        [1.0, 1.0, 2.0, 3.0, 5.0, 5.0, nan]
    """
    p = p.astype("float64")
    level = np.searchsorted(PROBABILITY_BANDS, p.fillna(-1).to_numpy(), side="left") + 1.0
    return pd.Series(level, index=p.index).where((p >= 0) & (p <= 1))


def impact_levels(
    impact: pd.Series, thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS
) -> pd.Series:
    """Levels 1-5 of impacts in money by amount ``thresholds`` (upper bounds of levels
    1-4, included; NaN for a missing or negative impact). A risk's level depends on its
    own amount only, never on the other risks."""
    i = impact.astype("float64")
    level = np.searchsorted(np.asarray(thresholds, float), i.fillna(-1).to_numpy(), "left") + 1.0
    return pd.Series(level, index=i.index).where(i >= 0)


def _levels(
    risks: pd.DataFrame, scales: RiskScales, thresholds: Sequence[float]
) -> tuple[pd.Series, pd.Series]:
    """Probability and impact levels 1-5 (NaN where a value fits no level)."""
    p, i = risks["probability"].astype("float64"), risks["impact"].astype("float64")
    p_level = p.where(whole_levels(p)) if scales.probability == LEVEL else probability_levels(p)
    i_level = i.where(whole_levels(i)) if scales.impact == LEVEL else impact_levels(i, thresholds)
    return p_level, i_level


def scale_notes(
    scales: RiskScales,
    thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS,
    lang: str = "fr",
    currency: str = "EUR",
) -> list[str]:
    """How the heat map places a risk and what exposure means, for the page."""
    notes = []
    if scales.probability == LEVEL:
        notes.append(t("Probability is given as a level 1-5.", lang))
    else:
        bounds = [fmt_pct(100 * b, lang) for b in PROBABILITY_BANDS[:4]]
        notes.append(
            t(
                "Probability level: 1 up to {a}, 2 up to {b}, 3 up to {c}, 4 up to {d}, 5 above.",
                lang,
                a=bounds[0],
                b=bounds[1],
                c=bounds[2],
                d=bounds[3],
            )
        )
    if scales.impact == LEVEL:
        notes.append(t("Impact is given as a level 1-5.", lang))
    else:
        amounts = [fmt_money(v, lang, currency) for v in thresholds]
        notes.append(
            t(
                "Impact level: 1 up to {a}, 2 up to {b}, 3 up to {c}, 4 up to {d}, 5 above "
                "(setting risk_impact_thresholds).",
                lang,
                a=amounts[0],
                b=amounts[1],
                c=amounts[2],
                d=amounts[3],
            )
        )
    notes.append(t("Score = probability level x impact level (1-25).", lang))
    if scales.money:
        notes.append(t("Exposure = probability x impact (money), over open risks.", lang))
    else:
        notes.append(t("No exposure in money: probability or impact is given as a level.", lang))
    return notes


def open_risks(
    risks: pd.DataFrame,
    scales: RiskScales | None = None,
    thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS,
) -> pd.DataFrame:
    """Every risk with its open flag, exposure (money, NaN unless the register is in
    fractions and money), score (level x level) and levels. ``scales``: the whole
    register's (:func:`register_scales`), when ``risks`` is a part of it."""
    r = risks.copy()
    scales = scales or register_scales(risks)
    r["open"] = ~is_closed(r["status"])
    r["p_level"], r["i_level"] = _levels(r, scales, thresholds)
    if scales.money:
        r["exposure"] = r["probability"].astype("float64") * r["impact"].astype("float64")
    else:
        r["exposure"] = np.nan
    r["score"] = r["p_level"] * r["i_level"]
    return r


def exposure_by_project(
    risks: pd.DataFrame,
    projects: pd.DataFrame,
    scales: RiskScales | None = None,
    thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS,
) -> pd.DataFrame:
    """Open risks' exposure per project (projects neither completed nor cancelled);
    ``attrs["money"]`` says whether the register's exposure is money (else it is NaN)."""
    scales = scales or register_scales(risks)
    r = open_risks(risks, scales, thresholds)
    live = set(projects.loc[~projects["status"].isin(["completed", "cancelled"]), "project_id"])
    r = r[r["open"] & r["project_id"].isin(live)]
    g = r.groupby("project_id")
    out = pd.DataFrame(
        {
            "risk_exposure": g["exposure"].sum(min_count=1),  # NaN for a register in levels
            "risk_score": g["score"].sum(min_count=1),
            "open_risks": g.size(),
        }
    )
    out.attrs["money"] = scales.money
    return out


def risk_matrix(
    risks: pd.DataFrame,
    scales: RiskScales | None = None,
    thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS,
) -> pd.DataFrame:
    """5x5 counts of open risks: index probability level 5..1, columns impact level 1..5."""
    r = open_risks(risks, scales, thresholds)
    r = r[r["open"]].dropna(subset=["p_level", "i_level"])
    m = pd.crosstab(r["p_level"].astype(int), r["i_level"].astype(int))
    return m.reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5], fill_value=0)


def _largest_first(r: pd.DataFrame) -> pd.DataFrame:
    key = "exposure" if r["exposure"].notna().any() else "score"
    return r.sort_values([key, "risk_id"], ascending=[False, True], na_position="last")


def top_risks(
    risks: pd.DataFrame,
    n: int = 10,
    scales: RiskScales | None = None,
    thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS,
) -> pd.DataFrame:
    """The open risks with the largest exposure (or score, in a register of levels)."""
    r = open_risks(risks, scales, thresholds)
    return _largest_first(r[r["open"]]).head(n).reset_index(drop=True)


def cell_risks(
    risks: pd.DataFrame,
    p_level: int,
    i_level: int,
    scales: RiskScales | None = None,
    thresholds: Sequence[float] = DEFAULT_IMPACT_THRESHOLDS,
) -> pd.DataFrame:
    """The open risks of one heat-map cell (probability and impact levels), largest
    exposure (or score) first."""
    r = open_risks(risks, scales, thresholds)
    r = r[r["open"] & (r["p_level"] == p_level) & (r["i_level"] == i_level)]
    return _largest_first(r)


def exposure_trend(history: Iterable[tuple[Any, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """Exposure per project in each snapshot, from ``(as_of, risks, projects)`` triples,
    oldest first: as_of, project_id, risk_exposure, risk_score, open_risks. A project with
    no open risk in a snapshot where it exists counts 0 (its trend line touches zero)."""
    rows = []
    for as_of, risks, projects in history:
        e = exposure_by_project(risks, projects)
        money = e.attrs["money"]
        live = projects.loc[~projects["status"].isin(["completed", "cancelled"]), "project_id"]
        e = e.reindex(pd.Index(live, name="project_id"))
        e[["risk_score", "open_risks"]] = e[["risk_score", "open_risks"]].fillna(0)
        if money:  # in levels, exposure stays n/a and the score carries the trend
            e["risk_exposure"] = e["risk_exposure"].fillna(0.0)
        rows.append(e.reset_index().assign(as_of=pd.Timestamp(as_of)))
    cols = ["as_of", "project_id", "risk_exposure", "risk_score", "open_risks"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)[cols]
    return out.sort_values(["as_of", "project_id"]).reset_index(drop=True)
