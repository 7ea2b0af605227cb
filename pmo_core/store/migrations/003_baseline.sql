-- 003: the baseline PV curve, per project and month (DESIGN sections 3 and 4):
-- planned_value is cumulative at the end of the month; planned_value_period is the
-- month's own PV when the sheet gave it per period (then cumulated at import).
CREATE TABLE baseline (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    month DATE,
    planned_value DOUBLE,
    planned_value_period DOUBLE
);

CREATE INDEX baseline_snapshot ON baseline (snapshot_id);
