-- 006: priorities imported with a project list (Project Server's portfolio analysis:
-- each project's alignment score 0-100 and priority %, with where they come from), used
-- where the snapshot has no rating of the project; and the origin of a document (NULL
-- when made in the cockpit; 'projectserver' for a scenario imported from a ProjectData
-- export): a document with an origin is read-only, never updated nor deleted.
-- Plain SQL that PostgreSQL runs as well. Released: never edit; add a new file.

CREATE TABLE priorities (
    snapshot_id BIGINT NOT NULL,
    project_id VARCHAR,
    alignment_score DOUBLE PRECISION,
    priority_pct DOUBLE PRECISION,
    source VARCHAR
);

CREATE INDEX priorities_snapshot ON priorities (snapshot_id);

ALTER TABLE documents ADD COLUMN origin VARCHAR;
