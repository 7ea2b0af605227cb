-- A least-privileged database role for the app replicas and the scheduled imports
-- (docs/deploy.md, "A least-privileged app role"): data rights on the store's tables and
-- sequences, no CREATE, not the tables' owner. The migrations stay with the owner (the
-- role that runs deploy/init_store.py). Run by that owner, once the role exists and the
-- init has created the tables, in one of two ways:
--   psql "$OWNER_URL" -v app_role=pmo_app -v schema=public -f deploy/pg_app_role.sql
--   PMO_DB_URL="$OWNER_URL" python deploy/init_store.py --grant-app-role pmo_app
-- (:"DBNAME" is psql's own variable, the database connected to; the init fills in the
-- same three names: the role given, its store's schema and database.)
-- The DEFAULT PRIVILEGES lines give the role the same rights on the tables and sequences
-- a later release's migrations create (run by the same owner), so an upgrade needs no
-- new GRANT. tests/test_store_app_role.py runs this file as it is.
GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA :"schema" TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"schema" TO :"app_role";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA :"schema" TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA :"schema"
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA :"schema" GRANT USAGE ON SEQUENCES TO :"app_role";
-- The migrations' record is the owner's to write: the app only reads it.
REVOKE INSERT, UPDATE, DELETE ON migrations FROM :"app_role";
