#!/usr/bin/env bash
# Run deploy/compose.yaml for real and check it (docs/deploy.md, "Checked here"). By hand,
# as root, on a host with a Docker engine; not in CI. Docker Hub need not be reachable:
# the images compose.yaml names are built from Debian's packages when missing.
#
#   deploy/check/compose_check.sh [--keep] [--project NAME] [--rebuild-standins]
#   deploy/check/compose_check.sh --up-only DIR [--project NAME]   # bench/load_test.py
#   deploy/check/compose_check.sh --down DIR
#
#  1. the images compose.yaml uses, each only when missing (an image that is there, the
#     official one from Docker Hub or a stand-in built before, is used as it is):
#       python:3.11-slim-bookworm  deploy/podman/python-standin.Containerfile
#       postgres:15-bookworm       deploy/check/postgres-standin.Containerfile
#       nginx:1.27-bookworm        deploy/check/nginx-standin.Containerfile
#     (each Containerfile's header says what it copies of the official image), all FROM
#     localhost/pmo-base:bookworm, a minimal bookworm root (from podman, else debootstrap);
#     --rebuild-standins builds the postgres and nginx stand-ins again (after a change
#     of their files; the python one is check_image.sh's),
#     never touching an official image;
#  2. the command of docs/deploy.md, `docker compose up -d` (with `--build`, so that the
#     app image is the checked-out code), with `docker-compose` (v1) when the engine has
#     no compose plugin, on deploy/compose.yaml unchanged, under a throwaway project name,
#     with an env file (a random password and cookie secret, a free port on 127.0.0.1)
#     and a secrets.toml (open mode) in a temporary folder: nothing is written into
#     deploy/. An override file there points the pmo_secrets secret at that secrets.toml.
#     Compose v1 does not know the top-level `name:` (it refuses the file): it gets a copy
#     without that line, with --project-directory deploy/ (relative paths unchanged);
#  3. checks: init exited 0; db, app1, app2 and nginx healthy; headless Chromium through
#     nginx shows the French Overview, in open mode, with nginx's affinity cookie
#     (deploy/podman/browser_check.py); a CLI import through `exec` gives the snapshot
#     after the demo's; nginx's access log names the replica that served; app2 stopped,
#     its address taken by another container, started again at a new one: nginx
#     reloads (deploy/nginx/reresolve.sh) and sends app2's share of new browsers there;
#     no Traceback in any container's log;
#  4. `down -v` (containers, network, the volume) unless --keep. The images are kept.
# Exit status 0 only if every check passed. --up-only DIR: steps 1 and 2 only, then
# writes DIR/env (the project, the compose command, the nginx URL) for bench/load_test.py;
# --down DIR takes that project down again (with its volume).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/deploy/check"
python=${PMO_PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || python=/work/main/.venv/bin/python
mode=check
keep=0
rebuild=0
project="pmo-check-$$"
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --rebuild-standins) rebuild=1 ;;
    --project) project=${2:?--project NAME}; shift ;;
    --up-only) mode=up; work=${2:?--up-only DIR}; shift ;;
    --down) mode=down; work=${2:?--down DIR}; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
base=localhost/pmo-base:bookworm
t0=$(date +%s)
step() { echo "== $(($(date +%s) - t0)) s: $*"; }

if [ "$mode" = down ]; then
  # shellcheck disable=SC1091
  . "$work/compose.cmd"  # cmd=(...), written by --up-only
  "${cmd[@]}" down -v --remove-orphans
  exit 0
fi

if [ -z "$work" ]; then work=$(mktemp -d /tmp/pmo-compose-check.XXXXXX); fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
chmod 755 "$work"

# ------------------------------------------------------------------ 1. the images
is_official() {  # NAME: pulled from Docker Hub (a RepoDigest of docker.io)
  docker image inspect -f '{{join .RepoDigests " "}}' "$1" 2>/dev/null | grep -q 'docker.io/'
}

ensure_base() {
  docker image inspect "$base" >/dev/null 2>&1 && return 0
  if command -v podman >/dev/null && podman image exists "$base" 2>/dev/null; then
    step "$base: from podman"
    podman save "$base" | docker load >/dev/null
  else
    step "$base: debootstrap"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
      bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log"
    tar -C "$work/rootfs" -c . | docker import - "$base" >/dev/null
    rm -rf "$work/rootfs"
  fi
}

ensure_image() {  # NAME CONTAINERFILE CONTEXT_DIR
  if [ "$rebuild" = 1 ] && [ "$2" != - ] && docker image inspect "$1" >/dev/null 2>&1 \
    && ! is_official "$1"; then
    docker rmi "$1" >/dev/null
  fi
  if docker image inspect "$1" >/dev/null 2>&1; then
    if is_official "$1"; then echo "$1: the official image"; else echo "$1: a stand-in, built before"; fi
    return 0
  fi
  ensure_base
  step "build $1 (stand-in, $(basename "$2"))"
  DOCKER_BUILDKIT=0 docker build --build-arg BASE_IMAGE="$base" -f "$2" -t "$1" "$3" \
    >"$work/build-$(echo "$1" | tr ':/' '--').log" 2>&1 \
    || { tail -30 "$work/build-$(echo "$1" | tr ':/' '--').log" >&2; return 1; }
}

python_standin() {
  if docker image inspect python:3.11-slim-bookworm >/dev/null 2>&1; then
    ensure_image python:3.11-slim-bookworm - -
    return 0
  fi
  if docker image inspect localhost/pmo-python:3.11 >/dev/null 2>&1; then
    # deploy/podman/check_image.sh's stand-in, under the official name.
    docker tag localhost/pmo-python:3.11 python:3.11-slim-bookworm
    echo "python:3.11-slim-bookworm: the stand-in localhost/pmo-python:3.11"
    return 0
  fi
  mkdir -p "$work/python-standin/host-ca"
  cp "$repo/deploy/podman/python-standin.Containerfile" "$work/python-standin/Containerfile"
  # This host's own certificate authorities (an egress proxy that re-signs TLS).
  cp /usr/local/share/ca-certificates/*.crt "$work/python-standin/host-ca/" 2>/dev/null || true
  ensure_image python:3.11-slim-bookworm "$work/python-standin/Containerfile" "$work/python-standin"
}

python_standin
ensure_image postgres:15-bookworm "$here/postgres-standin.Containerfile" "$here"
ensure_image nginx:1.27-bookworm "$here/nginx-standin.Containerfile" "$here"

# ------------------------------------------------------------------ 2. compose up
port=$("$python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
rand() { "$python" -c "import secrets; print(secrets.token_hex($1))"; }
{
  echo "PMO_DB_PASSWORD=$(rand 24)"
  echo "PMO_COOKIE_SECRET=$(rand 32)"
  echo "PMO_HTTP_PORT=127.0.0.1:$port"
} >"$work/compose.env"
chmod 600 "$work/compose.env"
# Root's file, mode 644, bind-mounted as the secret: the app (uid 10001) reads it.
printf '[pmo]\nopen = true\n' >"$work/secrets.toml"
chmod 644 "$work/secrets.toml"
printf 'services:\n  init: {}\nsecrets:\n  pmo_secrets:\n    file: %s/secrets.toml\n' \
  "$work" >"$work/override.yaml"

if docker compose version >/dev/null 2>&1; then
  compose_file="$repo/deploy/compose.yaml"
  cmd=(docker compose)
  label="docker compose"
else
  sed '/^name: /d' "$repo/deploy/compose.yaml" >"$work/compose.yaml"
  compose_file="$work/compose.yaml"
  cmd=(docker-compose)
  label=docker-compose
fi
cmd+=(-p "$project" --project-directory "$repo/deploy" -f "$compose_file"
  -f "$work/override.yaml" --env-file "$work/compose.env")
printf 'cmd=(%s)\n' "$(printf '%q ' "${cmd[@]}")" >"$work/compose.cmd"
{
  echo "PMO_COMPOSE_PROJECT=$project"
  echo "PMO_COMPOSE_CMD=\"${cmd[*]}\""
  echo "PMO_HTTP_URL=http://127.0.0.1:$port"
  echo "PMO_REPLICAS=2"
} >"$work/env"

down() {
  "${cmd[@]}" logs --no-color >"$work/compose.log" 2>&1 || true
  "${cmd[@]}" down -v --remove-orphans >"$work/down.log" 2>&1 || true
}
if [ "$mode" = check ]; then
  trap 'rc=$?; if [ "$keep" = 0 ]; then down; fi; echo "logs kept in $work"; exit $rc' EXIT
else
  trap 'rc=$?; if [ "$rc" != 0 ]; then down; fi; exit $rc' EXIT
fi

step "$label up -d --build (project $project, nginx on 127.0.0.1:$port)"
"${cmd[@]}" up -d --build >"$work/up.log" 2>&1 || { tail -40 "$work/up.log" >&2; exit 1; }

container() {  # SERVICE: its container id (compose's labels, the same in v1 and v2)
  docker ps -a -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1"
}

init_id=$(container init)
init_state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$init_id")
[ "$init_state" = "exited 0" ] || { echo "init: $init_state" >&2; docker logs "$init_id" >&2; exit 1; }
docker logs "$init_id" 2>/dev/null | grep '"migrations' | tail -n 1 >"$work/init.json"
echo "init exited 0: $(cat "$work/init.json")"

for svc in db app1 app2 nginx; do
  id=$(container "$svc")
  for _ in $(seq 1 90); do
    [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ] && break
    sleep 1
  done
  h=$(docker inspect -f '{{.State.Health.Status}}' "$id")
  [ "$h" = healthy ] || { echo "$svc: $h" >&2; docker logs "$id" 2>&1 | tail -20 >&2; exit 1; }
  echo "$svc healthy"
done
[ "$mode" = up ] && { step "up: $work/env"; exit 0; }

# ------------------------------------------------------------------ 3. the checks
step "headless Chromium through nginx (http://127.0.0.1:$port)"
"$python" "$repo/deploy/podman/browser_check.py" "http://127.0.0.1:$port" | tee "$work/browser.json"
grep -q '"sign_in": "open"' "$work/browser.json"
grep -q '"affinity_cookie": true' "$work/browser.json"

step "a CLI import through exec (the image's demo workbook)"
"${cmd[@]}" exec -T app1 python -m pmo_core import data/demo_portfolio.xlsx --json \
  --who "compose check" >"$work/import.json"
"$python" -c "import json,sys; d=json.load(open(sys.argv[1])); n=json.load(open(sys.argv[2]))['demo_snapshot_ids'][-1]; print('imported snapshot', d['snapshot_id'], 'after the demo\'s', n); assert d['snapshot_id'] == n + 1" \
  "$work/import.json" "$work/init.json"

step "nginx's access log: which replica served"
docker logs "$(container nginx)" >"$work/nginx-access.log" 2>/dev/null
apps=$(for s in app1 app2; do docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(container "$s")"; done)
grep '"GET /_stcore/stream' "$work/nginx-access.log" | tail -n 3
served=$(grep '"GET /_stcore/stream' "$work/nginx-access.log" | awk '{print $(NF-1)}' | tr -d ',' | tail -n 1)
echo "$apps" | grep -qx "${served%:8501}" || { echo "websocket served by '$served', not app1/app2 ($apps)" >&2; exit 1; }

step "app2 back at another address: nginx follows it (deploy/nginx/reresolve.sh)"
ip_of() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"; }
app2=$(container app2)
old_ip=$(ip_of "$app2")
network=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$app2")
docker stop -t 10 "$app2" >/dev/null
# A throwaway container takes the address app2 had (Docker gives the lowest free one).
docker run -d --rm --name "$project-squatter" --network "$network" --entrypoint sleep \
  nginx:1.27-bookworm 600 >/dev/null
docker start "$app2" >/dev/null
new_ip=$(ip_of "$app2")
docker rm -f "$project-squatter" >/dev/null
echo "app2: $old_ip before, $new_ip after"
[ "$new_ip" != "$old_ip" ] || { echo "app2 came back at the same address: not checked" >&2; exit 1; }
for _ in $(seq 1 90); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$app2")" = healthy ] && break
  sleep 1
done
sleep 8  # the watcher looks every 5 s
for _ in $(seq 1 24); do  # new browsers, each its own affinity key: some hash to app2
  "$python" -c "import urllib.request,sys; urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={'Cookie': 'pmo_affinity=' + __import__('secrets').token_hex(16)}), timeout=5)" \
    "http://127.0.0.1:$port/_stcore/health"
done
docker logs "$(container nginx)" 2>"$work/nginx-error.log" | tail -n 24 >"$work/nginx-after.log"
grep -q "reresolve.sh: replica addresses changed" "$work/nginx-error.log"
grep -q " $new_ip:8501 " "$work/nginx-after.log" \
  || { echo "no request reached app2 at $new_ip:" >&2; cat "$work/nginx-after.log" >&2; exit 1; }
echo "nginx reloaded and sends app2's share to $new_ip"

for svc in init app1 app2 nginx db; do
  if docker logs "$(container "$svc")" 2>&1 | grep -q Traceback; then
    echo "a Traceback in the log of $svc" >&2
    docker logs "$(container "$svc")" 2>&1 | grep -A15 Traceback | head -40 >&2
    exit 1
  fi
done
step "compose check passed"
