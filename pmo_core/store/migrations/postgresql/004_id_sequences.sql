-- 004 on PostgreSQL (the plain 004 draws nextval over DuckDB's range(), which PostgreSQL
-- lacks): the same sequences, each set so that its next id is above every id the store
-- has ever recorded (1 on an empty store). Released: never edit; add a new file.
CREATE SEQUENCE snapshot_id_seq START 1;
CREATE SEQUENCE doc_id_seq START 1;
SELECT setval('snapshot_id_seq', greatest(m, 1), m > 0) FROM (SELECT greatest(
    (SELECT coalesce(max(snapshot_id), 0) FROM snapshots),
    (SELECT coalesce(max(snapshot_id), 0) FROM audit_log),
    (SELECT coalesce(max(snapshot_id), 0) FROM documents),
    (SELECT coalesce(max(snapshot_id), 0) FROM snapshot_settings)) AS m) AS seen;
SELECT setval('doc_id_seq', greatest(m, 1), m > 0)
    FROM (SELECT coalesce(max(doc_id), 0) AS m FROM documents) AS seen;
