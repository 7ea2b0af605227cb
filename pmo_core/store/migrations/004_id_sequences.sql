-- 004: snapshot and document ids come from sequences that never go back (issue 16).
-- Before, an id was max()+1: delete snapshot #3, import, and the new snapshot was #3
-- again, so saved scenarios, the audit log and ?snapshot=3 links pointed at other data.
-- Each sequence starts above every id the store has ever recorded: the snapshots still
-- there, and those the audit log or a document names (deleted ones included).
CREATE SEQUENCE snapshot_id_seq START 1;
CREATE SEQUENCE doc_id_seq START 1;
SELECT max(nextval('snapshot_id_seq')) FROM range((SELECT greatest(
    (SELECT coalesce(max(snapshot_id), 0) FROM snapshots),
    (SELECT coalesce(max(snapshot_id), 0) FROM audit_log),
    (SELECT coalesce(max(snapshot_id), 0) FROM documents),
    (SELECT coalesce(max(snapshot_id), 0) FROM snapshot_settings))));
SELECT max(nextval('doc_id_seq')) FROM range((SELECT coalesce(max(doc_id), 0) FROM documents));
