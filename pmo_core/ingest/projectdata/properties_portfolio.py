"""Edm types of the portfolio-analysis entity sets (filled by the portfolio part).

One entry per entity set: ``{"BusinessDrivers": {"BusinessDriverId": "Edm.Guid", ...}}``.
:mod:`pmo_core.ingest.projectdata.properties` merges these into its lookup.
"""

PROPERTIES: dict = {}
