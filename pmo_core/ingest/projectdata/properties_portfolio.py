"""Edm types of the portfolio-analysis entity sets (filled by the portfolio part).

One entry per entity set: ``{"BusinessDrivers": {"BusinessDriverId": "Edm.Guid", ...}}``.
:mod:`pmo_core.ingest.projectdata.properties` merges these into its lookup.

Every name and type below is copied from Microsoft's ProjectData reference, the
``EntityType ... (ProjectData service)`` pages of the ReportingData schema (Office
developer docs, ``docs/odata/entitytype-<type>-projectdata-service.md``; on the web
https://learn.microsoft.com/previous-versions/office/project-odata/):
BusinessDriver, Prioritization, PrioritizationDriver, PrioritizationDriverRelation,
PortfolioAnalysis, PortfolioAnalysisProject, CostConstraintScenario, CostScenarioProject.
Only the properties the cockpit reads or shows are listed (a property not listed is read
as text by the reader and not kept). Left out on purpose:

- PrioritizationDrivers' driver name: the reference spells it ``BusinessDriveName`` while
  the reporting view behind it (``MSP_EpmPrioritizationDriver_UserView``) has
  ``BusinessDriverName``; neither could be confirmed for the feed, and the name is read
  from BusinessDrivers.BusinessDriverName instead, by BusinessDriverId.
"""

PROPERTIES: dict = {
    "BusinessDrivers": {
        "BusinessDriverId": "Edm.Guid",
        "BusinessDriverName": "Edm.String",
        "BusinessDriverDescription": "Edm.String",
        "BusinessDriverIsActive": "Edm.Boolean",
        "BusinessDriverCreatedDate": "Edm.DateTime",
        "BusinessDriverModifiedDate": "Edm.DateTime",
    },
    "Prioritizations": {
        "PrioritizationId": "Edm.Guid",
        "PrioritizationName": "Edm.String",
        "PrioritizationDescription": "Edm.String",
        "PrioritizationIsManual": "Edm.Boolean",
        "ConsistencyRatio": "Edm.Double",
        "PrioritizationCreatedDate": "Edm.DateTime",
        "PrioritizationModifiedDate": "Edm.DateTime",
        "DepartmentName": "Edm.String",
    },
    "PrioritizationDrivers": {
        "PrioritizationId": "Edm.Guid",
        "PrioritizationName": "Edm.String",
        "BusinessDriverId": "Edm.Guid",
        "BusinessDriverPriority": "Edm.Double",
    },
    "PrioritizationDriverRelations": {
        "PrioritizationId": "Edm.Guid",
        "PrioritizationName": "Edm.String",
        "BusinessDriver1Id": "Edm.Guid",
        "BusinessDriver1Name": "Edm.String",
        "BusinessDriver2Id": "Edm.Guid",
        "BusinessDriver2Name": "Edm.String",
        "RelationValue": "Edm.String",
    },
    "PortfolioAnalyses": {
        "AnalysisId": "Edm.Guid",
        "AnalysisName": "Edm.String",
        "AnalysisDescription": "Edm.String",
        "PrioritizationId": "Edm.Guid",
        "PrioritizationName": "Edm.String",
        "CreatedDate": "Edm.DateTime",
        "ModifiedDate": "Edm.DateTime",
        "DepartmentName": "Edm.String",
        "HardConstraintCustomFieldName": "Edm.String",
        "PlanningHorizonStartDate": "Edm.DateTime",
        "PlanningHorizonEndDate": "Edm.DateTime",
    },
    "PortfolioAnalysisProjects": {
        "AnalysisId": "Edm.Guid",
        "AnalysisName": "Edm.String",
        "ProjectId": "Edm.Guid",
        "ProjectName": "Edm.String",
        "Priority": "Edm.Double",
        "AbsolutePriority": "Edm.Double",
    },
    "CostConstraintScenarios": {
        "ScenarioId": "Edm.Guid",
        "ScenarioName": "Edm.String",
        "ScenarioDescription": "Edm.String",
        "AnalysisId": "Edm.Guid",
        "AnalysisName": "Edm.String",
        "CreatedDate": "Edm.DateTime",
        "ModifiedDate": "Edm.DateTime",
        "CreatedByResourceName": "Edm.String",
        "SelectedProjectsCost": "Edm.Decimal",
        "SelectedProjectsPriority": "Edm.Double",
        "UnselectedProjectsCost": "Edm.Decimal",
        "UnselectedProjectsPriority": "Edm.Double",
        "UseDependencies": "Edm.Boolean",
    },
    "CostScenarioProjects": {
        "ScenarioId": "Edm.Guid",
        "ScenarioName": "Edm.String",
        "AnalysisId": "Edm.Guid",
        "AnalysisName": "Edm.String",
        "ProjectId": "Edm.Guid",
        "ProjectName": "Edm.String",
        "ForceStatus": "Edm.Byte",
        "ForceAliasLookupTableName": "Edm.String",
        "Status": "Edm.Byte",
        "Priority": "Edm.Double",
        "AbsolutePriority": "Edm.Double",
        "HardConstraintValue": "Edm.Decimal",
    },
}
