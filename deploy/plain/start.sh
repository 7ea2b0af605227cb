#!/usr/bin/env bash
# The compose topology on one server without containers (docs/deploy.md): a store, the
# one-shot init (migrations, the demo if empty), N app replicas on loopback ports, nginx
# in front with the same sticky-session configuration (deploy/nginx/pmo.conf.template).
#
#   deploy/plain/start.sh [RUN_DIR]      # then: deploy/plain/stop.sh RUN_DIR
#
# Everything it starts lives in RUN_DIR (default: a new temporary folder): the env file
# every replica reads, pids, logs, nginx's prefix and, for a throwaway store, the
# PostgreSQL cluster. Settings (environment):
#   PMO_REPLICAS=2         app replicas
#   PMO_BASE_PORT=18501    replica i listens on 127.0.0.1:PMO_BASE_PORT+i-1
#   PMO_HTTP_PORT=18080    nginx's port (the address to open), on PMO_HTTP_ADDRESS
#   PMO_HTTP_ADDRESS=127.0.0.1
#   PMO_STORE=pg           pg: a throwaway PostgreSQL cluster in RUN_DIR on PMO_PG_PORT;
#                          duckdb: a DuckDB file in RUN_DIR (one host only);
#                          ignored when PMO_DB_URL is set (the company's server)
#   PMO_PG_PORT=54339      port of the throwaway cluster (127.0.0.1 only)
#   PMO_PG_BIN=/usr/lib/postgresql/15/bin
#   PMO_PYTHON=.venv/bin/python of the repository, else python3
#   PMO_DEMO=1             import the demo portfolio into an empty store (0: leave it empty)
#   STREAMLIT_SERVER_COOKIE_SECRET   shared by the replicas (default: a random one)
#   STREAMLIT_SECRETS_FILES          the sign-in secrets file (docs/sign-in.md); its name
#                                    must end in .toml (Streamlit ignores any other)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
run_dir=${1:-$(mktemp -d /tmp/pmo-deploy.XXXXXX)}
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
chmod 755 "$run_dir"  # the cluster's owner (postgres) must reach its folder inside

replicas=${PMO_REPLICAS:-2}
base_port=${PMO_BASE_PORT:-18501}
http_port=${PMO_HTTP_PORT:-18080}
http_address=${PMO_HTTP_ADDRESS:-127.0.0.1}
store_kind=${PMO_STORE:-pg}
pg_port=${PMO_PG_PORT:-54339}
pg_bin=${PMO_PG_BIN:-/usr/lib/postgresql/15/bin}
python=${PMO_PYTHON:-}
if [ -z "$python" ]; then
  if [ -x "$repo/.venv/bin/python" ]; then python="$repo/.venv/bin/python"; else python=python3; fi
fi
cookie_secret=${STREAMLIT_SERVER_COOKIE_SECRET:-$("$python" -c "import secrets; print(secrets.token_hex(32))")}

# As root, the cluster runs as an unprivileged user: PostgreSQL refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

db_url=${PMO_DB_URL:-}
db_path=""
if [ -z "$db_url" ] && [ "$store_kind" = pg ]; then
  pg_data="$run_dir/pg"
  # The cluster, its socket and its log in folders its owner may write.
  mkdir -p "$pg_data" "$run_dir/pg-run"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_data" "$run_dir/pg-run"
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    # Throwaway: trust on loopback only, no other address listened on.
    as_pg_user "$pg_bin/initdb" -D "$pg_data" -U pmo -A trust -E UTF8 --no-locale >"$run_dir/pg-run/init.log"
  fi
  as_pg_user "$pg_bin/pg_ctl" -D "$pg_data" -l "$run_dir/pg-run/pg.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$run_dir/pg-run" start
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U pmo -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'pmo'" | grep -q 1 \
    || "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pmo pmo
  db_url="postgresql://pmo@127.0.0.1:$pg_port/pmo"
  echo "$pg_data" >"$run_dir/pg.cluster"
elif [ -z "$db_url" ]; then
  db_path="$run_dir/pmo.duckdb"
fi

{
  echo "PMO_PYTHON=$python"
  echo "PMO_BASE_PORT=$base_port"
  echo "PMO_REPLICAS=$replicas"
  echo "PMO_HTTP_URL=http://$http_address:$http_port"
  if [ -n "$db_url" ]; then echo "PMO_DB_URL=$db_url"; else echo "PMO_DB_PATH=$db_path"; fi
  echo "STREAMLIT_SERVER_COOKIE_SECRET=$cookie_secret"
  if [ -n "${STREAMLIT_SECRETS_FILES:-}" ]; then echo "STREAMLIT_SECRETS_FILES=$STREAMLIT_SECRETS_FILES"; fi
} >"$run_dir/env"
chmod 600 "$run_dir/env"

# The init, once, before any replica (what compose's `init` service does).
set -a
# shellcheck source=/dev/null
. "$run_dir/env"
set +a
demo_flag=--demo-if-empty
[ "${PMO_DEMO:-1}" = 0 ] && demo_flag=""
(cd "$repo" && "$python" deploy/init_store.py $demo_flag) | tee "$run_dir/init.json"

upstreams=""
for i in $(seq 1 "$replicas"); do
  "$repo/deploy/plain/replica.sh" "$run_dir" "$i" start
  upstreams="$upstreams server 127.0.0.1:$((base_port + i - 1)) max_fails=1 fail_timeout=10s;"
done

# nginx with its own prefix in RUN_DIR: the system's nginx and its configuration are
# not touched.
ngx="$run_dir/nginx"
"$repo/deploy/plain/nginx_conf.sh" "$ngx" "$http_address:$http_port" "$upstreams"
nginx -p "$ngx" -c "$ngx/nginx.conf" -t 2>"$ngx/logs/test.log" \
  || { cat "$ngx/logs/test.log" >&2; exit 1; }
nginx -p "$ngx" -c "$ngx/nginx.conf"
for _ in $(seq 1 40); do
  if "$python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://$http_address:$http_port/_stcore/health" 2>/dev/null; then
    echo "PMO Cockpit: http://$http_address:$http_port/ ($replicas replicas; stop: deploy/plain/stop.sh $run_dir)"
    echo "RUN_DIR=$run_dir"
    exit 0
  fi
  sleep 0.5
done
echo "nginx does not answer on $http_address:$http_port; see $ngx/logs/error.log" >&2
exit 1
