#!/usr/bin/env bash
# Stop what start.sh started in RUN_DIR: nginx, the replicas, the throwaway cluster.
#   deploy/plain/stop.sh RUN_DIR [--delete]   (--delete: remove RUN_DIR too, store included)
set -uo pipefail

run_dir=${1:?usage: stop.sh RUN_DIR [--delete]}
repo=$(cd "$(dirname "$0")/../.." && pwd)
pg_bin=${PMO_PG_BIN:-/usr/lib/postgresql/15/bin}

ngx="$run_dir/nginx"
if [ -f "$ngx/nginx.pid" ]; then
  nginx -p "$ngx" -c "$ngx/nginx.conf" -s quit 2>/dev/null || true
fi

if [ -f "$run_dir/env" ]; then
  replicas=$(sed -n 's/^PMO_REPLICAS=//p' "$run_dir/env")
  for i in $(seq 1 "${replicas:-0}"); do
    "$repo/deploy/plain/replica.sh" "$run_dir" "$i" stop
  done
fi

if [ -f "$run_dir/pg.cluster" ]; then
  pg_data=$(cat "$run_dir/pg.cluster")
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop || true
  else
    "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop || true
  fi
fi

if [ "${2:-}" = --delete ]; then
  rm -rf -- "$run_dir"
fi
