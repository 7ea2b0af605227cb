#!/usr/bin/env bash
# Build deploy/Dockerfile and run the image for real with podman, without Docker Hub
# (docs/deploy.md, "Checked here"). As root, on a Debian bookworm host with podman, runc,
# debootstrap, nginx, PostgreSQL 15, Chromium and the repository's .venv (Playwright):
#
#   deploy/podman/check_image.sh [--no-build]
#
#  1. localhost/pmo-base:bookworm: a minimal bookworm root (debootstrap), made once;
#  2. localhost/pmo-python:3.11: the stand-in of python:3.11-slim-bookworm
#     (python-standin.Containerfile says what it copies of the official image);
#  3. localhost/pmo-cockpit:check: deploy/Dockerfile itself, FROM the stand-in
#     (--build-arg PYTHON_IMAGE), in Docker's format so that its HEALTHCHECK is kept;
#     --no-build reuses it when it exists;
#  4. a throwaway PostgreSQL cluster on the host (127.0.0.1:PMO_CHECK_PG_PORT, 54420);
#  5. the image's init (`python deploy/init_store.py --demo-if-empty`), then two replicas
#     (host network, 127.0.0.1:18901 and 18902) on that store, each healthy on
#     /_stcore/health; nginx from deploy/plain/nginx_conf.sh in front (127.0.0.1:18980);
#  6. one container with the image's own CMD on its embedded DuckDB store
#     (-p 127.0.0.1:18903:8501), its HEALTHCHECK run by `podman healthcheck run`;
#  7. headless Chromium opens the Overview on each replica, through nginx and on the
#     embedded container (deploy/podman/browser_check.py); replica 2 alone has the
#     sign-in secrets, mounted as compose mounts them, and shows open mode;
#  8. the CLI in the image imports a workbook mounted read-only (a scheduled import:
#     the snapshot after the demo's); the image prints the PDF steering pack with its
#     own Chromium; no Traceback in any container's log.
# Everything started is stopped at the end (the images are kept). Exit status 0 only if
# every step passed. Ports: PMO_CHECK_PORT (18901: replicas 18901-18902, embedded 18903),
# PMO_CHECK_HTTP_PORT (18980).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/deploy/podman"
build=1
[ "${1:-}" = --no-build ] && build=0
python=${PMO_PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || python=/work/main/.venv/bin/python
pg_bin=${PMO_PG_BIN:-/usr/lib/postgresql/15/bin}
pg_port=${PMO_CHECK_PG_PORT:-54420}
port=${PMO_CHECK_PORT:-18901}
http_port=${PMO_CHECK_HTTP_PORT:-18980}
base=localhost/pmo-base:bookworm
standin=localhost/pmo-python:3.11
image=localhost/pmo-cockpit:check
# runc: this host's crun fails on its hybrid cgroups (see docs/deploy.md).
pod=(podman --runtime runc)
work=$(mktemp -d /tmp/pmo-image-check.XXXXXX)
chmod 755 "$work"
db_url="postgresql://pmo@127.0.0.1:$pg_port/pmo"
containers=(pmo-check-app1 pmo-check-app2 pmo-check-embedded)
t0=$(date +%s)

step() { echo "== $(($(date +%s) - t0)) s: $*"; }

cleanup() {
  set +e
  for c in "${containers[@]}"; do "${pod[@]}" rm -f -t 5 "$c" >/dev/null 2>&1; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null
  [ -f "$work/pg/PG_VERSION" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null
  rm -rf "$work/pg"
  echo "logs kept in $work"
}
trap cleanup EXIT

healthy() {
  "$python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null
}

wait_healthy() {  # URL NAME
  for _ in $(seq 1 180); do
    if healthy "$1"; then return 0; fi
    sleep 0.5
  done
  echo "$2 not healthy after 90 s: $1" >&2
  "${pod[@]}" logs "$2" 2>&1 | tail -20 >&2 || true
  return 1
}

if [ "$build" = 1 ] || ! podman image exists "$image"; then
  if ! podman image exists "$base"; then
    step "debootstrap $base"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
      bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log"
    tar -C "$work/rootfs" -c . | podman import - "$base" >/dev/null
    rm -rf "$work/rootfs"
  fi
  step "build $standin (stand-in of python:3.11-slim-bookworm)"
  mkdir -p "$work/standin/host-ca"
  cp "$here/python-standin.Containerfile" "$work/standin/Containerfile"
  # This host's own certificate authorities (an egress proxy that re-signs TLS).
  cp /usr/local/share/ca-certificates/*.crt "$work/standin/host-ca/" 2>/dev/null || true
  "${pod[@]}" build --network host --build-arg BASE_IMAGE="$base" -t "$standin" \
    "$work/standin" >"$work/build-standin.log"
  step "build $image from deploy/Dockerfile"
  "${pod[@]}" build --network host --format docker --build-arg PYTHON_IMAGE="$standin" \
    -f "$repo/deploy/Dockerfile" -t "$image" "$repo" >"$work/build-app.log" \
    || { tail -30 "$work/build-app.log" >&2; exit 1; }
fi

step "throwaway PostgreSQL on 127.0.0.1:$pg_port"
# The cluster, its socket and its log in folders its owner (postgres) may write.
mkdir -p "$work/pg" "$work/pgrun" && chown postgres "$work/pg" "$work/pgrun"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U pmo -A trust -E UTF8 --no-locale >"$work/initdb.log"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pgrun/pg.log" -w \
  -o "-p $pg_port -k $work/pgrun -c listen_addresses=127.0.0.1" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pmo pmo

step "init: migrations, then the demo (the compose file's init service)"
"${pod[@]}" run --rm --network host -e PMO_DB_URL="$db_url" "$image" \
  python deploy/init_store.py --demo-if-empty | tee "$work/init.json"
grep -q '"demo_snapshot_ids": \[1,' "$work/init.json"

step "two replicas on 127.0.0.1:$port and $((port + 1))"
# Replica 2 reads its sign-in configuration as compose gives it (a file secret, root's,
# mode 644, at /run/secrets/pmo_secrets.toml through STREAMLIT_SECRETS_FILES): open mode.
# Replica 1 has none: sign-in not configured. The browser check tells them apart.
printf '[pmo]\nopen = true\n' >"$work/secrets.toml"
chmod 644 "$work/secrets.toml"
upstreams=""
for i in 1 2; do
  p=$((port + i - 1))
  secrets=()
  [ "$i" = 2 ] && secrets=(-v "$work/secrets.toml:/run/secrets/pmo_secrets.toml:ro"
    -e STREAMLIT_SECRETS_FILES=/run/secrets/pmo_secrets.toml)
  "${pod[@]}" run -d --name "pmo-check-app$i" --network host -e PMO_DB_URL="$db_url" \
    -e STREAMLIT_SERVER_COOKIE_SECRET=image-check "${secrets[@]}" "$image" \
    python -m streamlit run app.py --server.port "$p" --server.address 127.0.0.1 >/dev/null
  upstreams="$upstreams server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"
done
step "the image's own CMD on its embedded DuckDB store (127.0.0.1:$((port + 2)))"
# Podman without systemd does not run the HEALTHCHECK on a timer (the error lines it
# prints say so): it is run once below, by hand.
"${pod[@]}" run -d --name pmo-check-embedded -p "127.0.0.1:$((port + 2)):8501" "$image" \
  >/dev/null 2>"$work/embedded-run.log"
for i in 1 2; do wait_healthy "http://127.0.0.1:$((port + i - 1))/_stcore/health" "pmo-check-app$i"; done
wait_healthy "http://127.0.0.1:$((port + 2))/_stcore/health" pmo-check-embedded
"${pod[@]}" healthcheck run pmo-check-embedded
echo "HEALTHCHECK of the image: healthy"

step "nginx on 127.0.0.1:$http_port (deploy/plain/nginx_conf.sh)"
"$repo/deploy/plain/nginx_conf.sh" "$work/nginx" "127.0.0.1:$http_port" "$upstreams"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -t 2>"$work/nginx/logs/test.log"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
wait_healthy "http://127.0.0.1:$http_port/_stcore/health" nginx

step "headless Chromium: the Overview on each replica, through nginx, embedded"
"$python" "$here/browser_check.py" "http://127.0.0.1:$port" "http://127.0.0.1:$((port + 1))" \
  "http://127.0.0.1:$http_port" "http://127.0.0.1:$((port + 2))" | tee "$work/browser.json"
grep "127.0.0.1:$port\"" "$work/browser.json" | grep -q '"sign_in": "unconfigured"'
grep "127.0.0.1:$((port + 1))\"" "$work/browser.json" | grep -q '"sign_in": "open"'
grep "127.0.0.1:$http_port\"" "$work/browser.json" | grep -q '"affinity_cookie": true'
echo "secrets file read by replica 2 only; nginx set its affinity cookie"

step "a scheduled import from the image (docs/deploy.md, Scheduled imports)"
mkdir -p "$work/imports" && cp "$repo/data/demo_portfolio.xlsx" "$work/imports/portfolio.xlsx"
chmod -R a+rX "$work/imports"
"${pod[@]}" run --rm --network host -e PMO_DB_URL="$db_url" -v "$work/imports:/imports:ro" \
  "$image" python -m pmo_core import /imports/portfolio.xlsx --json --who "image check" \
  >"$work/import.json"
# The new snapshot comes after the demo's: its id is one more than the init's last.
"$python" -c "import json,sys; d=json.load(open(sys.argv[1])); n=json.load(open(sys.argv[2]))['demo_snapshot_ids'][-1]; print('imported snapshot', d['snapshot_id']); assert d['snapshot_id'] == n + 1" \
  "$work/import.json" "$work/init.json"

step "the PDF steering pack printed by the image's Chromium"
"${pod[@]}" run --rm --network host -e PMO_DB_URL="$db_url" "$image" sh -c \
  'python -m pmo_core report --out /tmp/pack.pdf --lang fr --json >/dev/null && head -c 5 /tmp/pack.pdf' \
  | grep -q '%PDF-'
echo "PDF: ok"

for c in "${containers[@]}"; do
  if "${pod[@]}" logs "$c" 2>&1 | grep -q Traceback; then
    echo "a Traceback in the log of $c" >&2
    "${pod[@]}" logs "$c" 2>&1 | grep -A15 Traceback | head -40 >&2
    exit 1
  fi
done
step "image check passed"
