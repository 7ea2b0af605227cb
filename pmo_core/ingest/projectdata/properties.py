"""The documented Edm type of every property read, per entity set of the ProjectData
(ReportingData) service: :data:`PROPERTIES` (``{entity set: {property: Edm type}}``).

Every name and type below is copied from Microsoft's ProjectData reference, the
"EntityType: <type> (ProjectData service)" pages (Office 2013 / Project Online developer
reference, ``learn.microsoft.com/previous-versions/office/project-odata/``; source
files ``entitytype-<type>-projectdata-service.md`` of the OfficeDev Project docs),
one table of properties per entity type:

- ``Projects``: EntityType Project (jj163049);
- ``ProjectBaselines``: EntityType ProjectBaseline (jj163575);
- ``Tasks``: EntityType Task; ``TaskBaselines``: EntityType TaskBaseline;
- ``Resources``: EntityType Resource; ``ResourceTimephasedDataSet``: EntityType
  ResourceTimephasedData;
- ``AssignmentTimephasedDataSet``: EntityType AssignmentTimephasedData;
  ``AssignmentBaselineTimephasedDataSet``: EntityType AssignmentBaselineTimephasedData
  (jj163539);
- ``Risks``: EntityType Risk;
- the names of every entity set: the EntityContainer element ReportingData.

Where the reference's own table is evidently mistyped, the type read here says what the
property holds and the line says so: ``AssignmentCost`` (documented Edm.Int32, an amount:
read as Edm.Decimal), ``AssignmentMaterialActualWork`` (documented Edm.DateTime, a
quantity of work: Edm.Decimal), ``TimeByDay`` of ResourceTimephasedData (documented
"Edm.DateLine": Edm.DateTime), ``ProjectModifiedDate`` ("Edm.Datetime"),
``ResourceStandardRate`` ("Edm. Decimal"). ``Task BaselineDuration`` (written with a
space in TaskBaseline's table) is left out: its exact name cannot be confirmed.

A property that is not listed here (an enterprise custom field such as "Sponsor", or
one of a set not read) is kept as the export gives it (text, or the JSON value).
The portfolio-analysis sets live in :mod:`.properties_portfolio` and are merged into
:data:`PROPERTIES` by name.
"""

from __future__ import annotations

from pmo_core.ingest.projectdata import properties_portfolio

#: Python-side kinds of the Edm types (what :mod:`.coerce` turns a column into).
KINDS: dict[str, str] = {
    "Edm.Guid": "guid",
    "Edm.String": "text",
    "Edm.Decimal": "number",
    "Edm.Double": "number",
    "Edm.Single": "number",
    "Edm.Byte": "integer",
    "Edm.Int16": "integer",
    "Edm.Int32": "integer",
    "Edm.Int64": "integer",
    "Edm.DateTime": "datetime",
    "Edm.DateTimeOffset": "datetime",
    "Edm.Boolean": "boolean",
}


def _props(**by_type: str) -> dict[str, str]:
    """``Guid="A B"`` -> ``{"A": "Edm.Guid", "B": "Edm.Guid"}`` (names space-separated)."""
    return {name: f"Edm.{edm}" for edm, names in by_type.items() for name in names.split()}


PROJECTS = _props(
    Guid="EnterpriseProjectTypeId OptimizerDecisionAliasLookupTableId "
    "OptimizerDecisionAliasLookupTableValueId ParentProjectId PlannerDecisionAliasLookupTableId "
    "PlannerDecisionAliasLookupTableValueId ProjectId ProjectOwnerId",
    String="EnterpriseProjectTypeDescription EnterpriseProjectTypeName OptimizerDecisionName "
    "OptimizerSolutionName PlannerDecisionName PlannerSolutionName ProjectAuthorName "
    "ProjectCategoryName ProjectCompanyName ProjectCurrency ProjectDepartments "
    "ProjectDescription ProjectKeywords ProjectManagerName ProjectName ProjectOwnerName "
    "ProjectWorkspaceInternalUrl ProjectSubject ProjectTitle",
    Boolean="EnterpriseProjectTypeIsDefault ProjectCalculationsAreStale "
    "ProjectEarnedValueIsStale ProjectEnterpriseFeatures",
    DateTime="OptimizerCommitDate PlannerCommitDate PlannerEndDate PlannerStartDate "
    "ProjectActualFinishDate ProjectActualStartDate ProjectCreatedDate ProjectEarlyFinish "
    "ProjectEarlyStart ProjectFinishDate ProjectLateFinish ProjectLateStart "
    "ProjectModifiedDate ProjectStartDate ProjectStatusDate ResourcePlanUtilizationDate",
    Byte="OptimizerDecisionID PlannerDecisionID",
    Int16="ProjectPercentCompleted ProjectPercentWorkCompleted ResourcePlanUtilizationType",
    Int32="ProjectCalendarDuration ProjectType",
    Decimal="ProjectActualCost ProjectActualDuration ProjectActualOvertimeCost "
    "ProjectActualOvertimeWork ProjectActualRegularCost ProjectActualRegularWork "
    "ProjectActualWork ProjectACWP ProjectBCWP ProjectBCWS ProjectBudgetCost "
    "ProjectBudgetWork ProjectCost ProjectCostVariance ProjectCPI ProjectCV ProjectCVP "
    "ProjectDuration ProjectDurationVariance ProjectEAC ProjectFinishVariance "
    "ProjectFixedCost ProjectOvertimeCost ProjectOvertimeWork ProjectRegularCost "
    "ProjectRegularWork ProjectRemainingCost ProjectRemainingDuration "
    "ProjectRemainingOvertimeCost ProjectRemainingOvertimeWork ProjectRemainingRegularCost "
    "ProjectRemainingRegularWork ProjectRemainingWork ProjectResourcePlanWork ProjectSPI "
    "ProjectStartVariance ProjectSV ProjectSVP ProjectTCPI ProjectVAC ProjectWork "
    "ProjectWorkVariance",
)

PROJECT_BASELINES = _props(
    Guid="ProjectId TaskId",
    Int32="BaselineNumber",
    String="ProjectName ProjectBaselineDurationString ProjectBaselineFinishDateString "
    "ProjectBaselineStartDateString",
    Decimal="ProjectBaselineBudgetCost ProjectBaselineBudgetWork ProjectBaselineCost "
    "ProjectBaselineDuration ProjectBaselineFixedCost ProjectBaselineWork",
    DateTime="ProjectBaselineDeliverableFinishDate ProjectBaselineDeliverableStartDate "
    "ProjectBaselineFinishDate ProjectBaselineStartDate",
)

TASKS = _props(
    Guid="ParentTaskId ProjectId TaskFixedCostAssignmentId TaskId",
    String="Health ParentTaskName ProjectName TaskDurationString TaskFinishDateString "
    "TaskHyperLinkAddress TaskHyperLinkFriendlyName TaskHyperLinkSubAddress TaskName "
    "TaskOutlineNumber TaskStartDateString TaskWBS",
    Boolean="FlagStatus TaskDurationIsEstimated TaskIgnoresResourceCalendar TaskIsActive "
    "TaskIsCritical TaskIsEffortDriven TaskIsExternal TaskIsManuallyScheduled TaskIsMarked "
    "TaskIsMilestone TaskIsOverallocated TaskIsProjectSummary TaskIsRecurring TaskIsSummary",
    DateTime="TaskActualFinishDate TaskActualStartDate TaskCreatedDate TaskDeadline "
    "TaskDeliverableFinishDate TaskDeliverableStartDate TaskEarlyFinish TaskEarlyStart "
    "TaskFinishDate TaskLateFinish TaskLateStart TaskModifiedDate TaskStartDate",
    Int16="TaskOutlineLevel TaskPercentCompleted TaskPercentWorkCompleted "
    "TaskPhysicalPercentCompleted TaskPriority",
    Int32="TaskClientUniqueId TaskCreatedRevisionCounter TaskIndex TaskModifiedRevisionCounter",
    Decimal="TaskActualCost TaskActualDuration TaskActualFixedCost TaskActualOvertimeCost "
    "TaskActualOvertimeWork TaskActualRegularCost TaskActualRegularWork TaskActualWork "
    "TaskACWP TaskBCWP TaskBCWS TaskBudgetCost TaskBudgetWork TaskCost TaskCostVariance "
    "TaskCPI TaskCV TaskCVP TaskDuration TaskDurationVariance TaskEAC TaskFinishVariance "
    "TaskFixedCost TaskFreeSlack TaskLevelingDelay TaskOvertimeCost TaskOvertimeWork "
    "TaskRegularCost TaskRegularWork TaskRemainingCost TaskRemainingDuration "
    "TaskRemainingOvertimeCost TaskRemainingOvertimeWork TaskRemainingRegularCost "
    "TaskRemainingRegularWork TaskRemainingWork TaskResourcePlanWork TaskSPI "
    "TaskStartVariance TaskSV TaskSVP TaskTCPI TaskTotalSlack TaskVAC TaskWork "
    "TaskWorkVariance",
)

TASK_BASELINES = _props(
    Guid="ProjectId TaskId",
    Int32="BaselineNumber",
    String="ProjectName TaskBaselineDurationString TaskBaselineFinishDateString "
    "TaskBaselineStartDateString TaskName",
    Decimal="TaskBaselineBudgetCost TaskBaselineBudgetWork TaskBaselineCost "
    "TaskBaselineFixedCost TaskBaselineWork",
    DateTime="TaskBaselineDeliverableFinishDate TaskBaselineDeliverableStartDate "
    "TaskBaselineFinishDate TaskBaselineStartDate",
)

RESOURCES = _props(
    Guid="ResourceId ResourceStatusId ResourceTimesheetManageId",
    String="CostType RBS ResourceBaseCalendar ResourceCode ResourceCostCenter "
    "ResourceDepartments ResourceEmailAddress ResourceGroup ResourceHyperlink "
    "ResourceHyperlinkHref ResourceInitials ResourceMaterialLabel ResourceName "
    "ResourceNTAccount ResourceStatusName TypeDescription TypeName",
    Byte="ResourceBookingType",
    Boolean="ResourceCanLevel ResourceIsActive ResourceIsGeneric ResourceIsTeam",
    Decimal="ResourceCostPerUse ResourceMaxUnits ResourceOvertimeRate ResourceStandardRate",
    DateTime="ResourceCreatedDate ResourceEarliestAvailableFrom ResourceLatestAvailableTo "
    "ResourceModifiedDate",
    Int16="ResourceType ResourceWorkGroup",
)

RESOURCE_TIMEPHASED = _props(
    Guid="ResourceId",
    String="ResourceName",
    Decimal="BaseCapacity Capacity",
    DateTime="TimeByDay",
)

ASSIGNMENT_TIMEPHASED = _props(
    Guid="AssignmentId ProjectId ResourceId TaskId",
    String="ProjectName TaskName",
    Boolean="TaskIsActive",
    DateTime="TimeByDay",
    Decimal="AssignmentActualCost AssignmentActualOvertimeCost AssignmentActualOvertimeWork "
    "AssignmentActualRegularCost AssignmentActualRegularWork AssignmentActualWork "
    "AssignmentBudgetCost AssignmentBudgetMaterialWork AssignmentBudgetWork "
    "AssignmentCombinedWork AssignmentCost AssignmentCumulativeActualWork "
    "AssignmentCumulativeCost AssignmentCumulativeWork AssignmentMaterialActualWork "
    "AssignmentMaterialWork AssignmentOvertimeCost AssignmentOvertimeWork "
    "AssignmentRegularCost AssignmentRegularWork AssignmentRemainingCost "
    "AssignmentRemainingCumulativeActualWork AssignmentRemainingCumulativeWork "
    "AssignmentRemainingOvertimeCost AssignmentRemainingOvertimeWork "
    "AssignmentRemainingRegularCost AssignmentRemainingRegularWork AssignmentRemainingWork "
    "AssignmentResourcePlanWork AssignmentWork",
)

ASSIGNMENT_BASELINE_TIMEPHASED = _props(
    Guid="AssignmentId ProjectId ResourceId TaskId",
    Int32="BaselineNumber",
    String="ProjectName TaskName",
    DateTime="TimeByDay",
    Decimal="AssignmentBaselineBudgetCost AssignmentBaselineBudgetMaterialWork "
    "AssignmentBaselineBudgetWork AssignmentBaselineCost AssignmentBaselineCumulativeCost "
    "AssignmentBaselineCumulativeWork AssignmentBaselineMaterialWork "
    "AssignmentBaselineRemainingCumulativeWork AssignmentBaselineWork",
)

RISKS = _props(
    Guid="ProjectId RiskId",
    String="AssignedToResource Category ContingencyPlan CreateByResource Description "
    "ItemRelativeUrlPath MitigationPlan ModifiedByResource Owner ProjectName Status Title "
    "TriggerDescription TriggerTask",
    Double="Cost CostExposure Exposure Impact Probability",
    DateTime="CreatedDate DueDate ModifiedDate",
    Boolean="IsFolder",
    Int32="NumberOfAttachments",
)

#: ``{entity set: {property: Edm type}}``: the core sets here, the portfolio-analysis
#: sets from :mod:`.properties_portfolio`.
PROPERTIES: dict[str, dict[str, str]] = {
    "Projects": PROJECTS,
    "ProjectBaselines": PROJECT_BASELINES,
    "Tasks": TASKS,
    "TaskBaselines": TASK_BASELINES,
    "Resources": RESOURCES,
    "ResourceTimephasedDataSet": RESOURCE_TIMEPHASED,
    "AssignmentTimephasedDataSet": ASSIGNMENT_TIMEPHASED,
    "AssignmentBaselineTimephasedDataSet": ASSIGNMENT_BASELINE_TIMEPHASED,
    "Risks": RISKS,
    **{str(k): dict(v) for k, v in properties_portfolio.PROPERTIES.items()},
}

#: Every entity set of the ReportingData EntityContainer (the reference's "EntityContainer
#: element: ReportingData" page lists them): a file or sheet named after one is read;
#: the sets without a table above keep the values the export gives.
ENTITY_SETS: tuple[str, ...] = (
    "AssignmentBaselines",
    "AssignmentBaselineTimephasedDataSet",
    "Assignments",
    "AssignmentTimephasedDataSet",
    "BusinessDriverDepartments",
    "BusinessDrivers",
    "CostConstraintScenarios",
    "CostScenarioProjects",
    "Deliverables",
    "Issues",
    "PortfolioAnalyses",
    "PortfolioAnalysisProjects",
    "PrioritizationDriverRelations",
    "PrioritizationDrivers",
    "Prioritizations",
    "ProjectBaselines",
    "Projects",
    "ProjectWorkflowStageDataSet",
    "ResourceConstraintScenarios",
    "Resources",
    "ResourceScenarioProjects",
    "ResourceTimephasedDataSet",
    "Risks",
    "TaskBaselines",
    "TaskBaselineTimephasedDataSet",
    "Tasks",
    "TaskTimephasedDataSet",
    "TimeSet",
    "TimesheetClasses",
    "TimesheetLineActualDataSet",
    "TimesheetLines",
    "TimesheetPeriods",
    "Timesheets",
)

#: The key properties of each set (the "Key" of its EntityType): a row without one is
#: not a row of that set.
KEYS: dict[str, tuple[str, ...]] = {
    "Projects": ("ProjectId",),
    "ProjectBaselines": ("ProjectId", "BaselineNumber"),
    "Tasks": ("ProjectId", "TaskId"),
    "TaskBaselines": ("ProjectId", "TaskId", "BaselineNumber"),
    "Resources": ("ResourceId",),
    "ResourceTimephasedDataSet": ("ResourceId", "TimeByDay"),
    "AssignmentTimephasedDataSet": ("ProjectId", "AssignmentId", "TimeByDay"),
    "AssignmentBaselineTimephasedDataSet": (
        "ProjectId",
        "AssignmentId",
        "TimeByDay",
        "BaselineNumber",
    ),
    "Risks": ("ProjectId", "RiskId"),
}


def entity_sets() -> list[str]:
    """The entity sets this reader knows by name: the documented ones, and any other
    the portfolio-analysis types name."""
    return [*ENTITY_SETS, *(name for name in PROPERTIES if name not in ENTITY_SETS)]


def edm_type(entity_set: str, prop: str) -> str | None:
    """The documented Edm type of a property, None when it is not documented here.

    Examples:
        >>> edm_type("Tasks", "TaskIsMilestone"), edm_type("Projects", "Sponsor")
        ('Edm.Boolean', None)
    """
    return PROPERTIES.get(entity_set, {}).get(prop)
