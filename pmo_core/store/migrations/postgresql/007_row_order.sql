-- 007, PostgreSQL only (DuckDB keeps a table's insertion order: it has no 007 and needs
-- none). Every canonical table gets pg_row_no, a row's place in its snapshot as written,
-- which the store's reads order by: a PostgreSQL table does not keep insertion order (a
-- COPY fills free space of earlier pages). Before this migration the backend added the
-- column itself at every start, outside the numbered migrations: a store that already has
-- it keeps its numbers (IF NOT EXISTS); a row without one (written before the column
-- existed) is numbered after its snapshot's numbered rows, in the table's stored order.
-- Then the column is required: every write gives it. A canonical table created later gets
-- its pg_row_no in its own migration's PostgreSQL twin. Released: never edit; add a file.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'objectives', 'pairwise', 'alignment', 'resources',
        'capacity', 'allocations', 'milestones', 'risks', 'status_reports', 'baseline',
        'priorities']
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN IF NOT EXISTS pg_row_no BIGINT', t);
        EXECUTE format(
            'UPDATE %1$I AS r SET pg_row_no = n.no FROM ('
            '  SELECT ctid, row_number() OVER ('
            '      PARTITION BY snapshot_id ORDER BY pg_row_no NULLS LAST, ctid) - 1 AS no'
            '  FROM %1$I WHERE snapshot_id IN (SELECT snapshot_id FROM %1$I'
            '      WHERE pg_row_no IS NULL)) AS n '
            'WHERE r.ctid = n.ctid AND r.pg_row_no IS DISTINCT FROM n.no', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN pg_row_no SET NOT NULL', t);
    END LOOP;
END
$$;
