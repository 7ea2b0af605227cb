#!/usr/bin/env bash
# The entrypoint of deploy/check/postgres-standin.Containerfile: the subset of the
# official postgres image's docker-entrypoint.sh that deploy/compose.yaml relies on
# (the Containerfile's header lists it).
set -Eeuo pipefail

# Anything else than the server (psql, bash...), or the server asked for its version or
# help, runs as it is.
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi
for arg; do
  case "$arg" in -V | --version | -'?' | --help | --describe-config | -C) exec "$@" ;; esac
done

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set for a new cluster}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA"
  rm -f "$pwfile"
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  # The database, on a server that listens on its socket only (nobody else can
  # connect before it exists).
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres \
      --set db="$db" <<<'CREATE DATABASE :"db";'
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
