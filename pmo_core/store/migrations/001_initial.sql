-- 001: canonical snapshot tables, snapshots, documents and audit log.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE snapshots (
    snapshot_id BIGINT PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    as_of DATE NOT NULL,
    source VARCHAR NOT NULL,
    sha256 VARCHAR,
    imported_by VARCHAR,
    currency VARCHAR NOT NULL DEFAULT 'EUR',
    counts VARCHAR NOT NULL
);

CREATE TABLE snapshot_settings (
    snapshot_id BIGINT NOT NULL,
    key VARCHAR NOT NULL,
    value VARCHAR
);

CREATE TABLE projects (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    name VARCHAR,
    program VARCHAR,
    portfolio VARCHAR,
    department VARCHAR,
    sponsor VARCHAR,
    manager VARCHAR,
    status VARCHAR,
    phase VARCHAR,
    start_date DATE,
    end_date DATE,
    forecast_end_date DATE,
    budget DOUBLE,
    actual_cost DOUBLE,
    percent_complete DOUBLE,
    expected_benefit DOUBLE,
    mandatory BOOLEAN,
    depends_on VARCHAR,
    exclusive_group VARCHAR,
    rag_override VARCHAR,
    rag_reason VARCHAR,
    description VARCHAR
);

CREATE INDEX projects_snapshot ON projects (snapshot_id);

CREATE TABLE objectives (
    snapshot_id BIGINT NOT NULL,
    objective_id VARCHAR,
    name VARCHAR,
    weight DOUBLE
);

CREATE INDEX objectives_snapshot ON objectives (snapshot_id);

CREATE TABLE pairwise (
    snapshot_id BIGINT NOT NULL,
    objective_a VARCHAR,
    objective_b VARCHAR,
    judgment DOUBLE
);

CREATE INDEX pairwise_snapshot ON pairwise (snapshot_id);

CREATE TABLE alignment (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    objective_id VARCHAR,
    rating BIGINT
);

CREATE INDEX alignment_snapshot ON alignment (snapshot_id);

CREATE TABLE resources (
    snapshot_id BIGINT NOT NULL,
    resource_id VARCHAR,
    name VARCHAR,
    role VARCHAR,
    department VARCHAR,
    capacity_hours_per_month DOUBLE,
    fte DOUBLE,
    cost_rate DOUBLE
);

CREATE INDEX resources_snapshot ON resources (snapshot_id);

CREATE TABLE capacity (
    snapshot_id BIGINT NOT NULL,
    role VARCHAR,
    month DATE,
    capacity_hours DOUBLE
);

CREATE INDEX capacity_snapshot ON capacity (snapshot_id);

CREATE TABLE allocations (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    role VARCHAR,
    resource_id VARCHAR,
    month DATE,
    hours DOUBLE
);

CREATE INDEX allocations_snapshot ON allocations (snapshot_id);

CREATE TABLE milestones (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    milestone_id VARCHAR,
    name VARCHAR,
    baseline_date DATE,
    forecast_date DATE,
    actual_date DATE
);

CREATE INDEX milestones_snapshot ON milestones (snapshot_id);

CREATE TABLE risks (
    snapshot_id BIGINT NOT NULL,
    risk_id VARCHAR,
    project_id VARCHAR,
    title VARCHAR,
    probability DOUBLE,
    impact DOUBLE,
    status VARCHAR,
    owner VARCHAR,
    mitigation VARCHAR
);

CREATE INDEX risks_snapshot ON risks (snapshot_id);

CREATE TABLE status_reports (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    report_date DATE,
    planned_value DOUBLE,
    earned_value DOUBLE,
    actual_cost DOUBLE,
    percent_complete DOUBLE,
    rag VARCHAR,
    comment VARCHAR
);

CREATE INDEX status_reports_snapshot ON status_reports (snapshot_id);

-- Named documents kept beside the snapshots: mapping profiles, weightings, scenarios,
-- project requests. The payload is JSON; its shape belongs to the module that writes it.
CREATE TABLE documents (
    doc_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    snapshot_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR,
    updated_at TIMESTAMP NOT NULL,
    status VARCHAR,
    payload VARCHAR NOT NULL
);

CREATE TABLE audit_log (
    logged_at TIMESTAMP NOT NULL,
    who VARCHAR,
    action VARCHAR NOT NULL,
    what VARCHAR,
    sha256 VARCHAR,
    snapshot_id BIGINT
);
