#!/bin/sh
# Mounted by compose.yaml as /docker-entrypoint.d/40-pmo-reresolve.sh: the nginx image
# runs it before nginx starts. nginx resolves the replicas' names (app1, app2 of
# PMO_UPSTREAM_SERVERS) once, when it reads its configuration; a replica that Docker
# restarts, or that `docker compose up -d` recreates, may come back at another address
# on the network, and nginx would go on sending its share of the browsers to the old
# one (refused: every session lands on the other replicas, the health check through
# nginx still answers 200). Open-source nginx re-resolves names in an upstream only
# from 1.27.3 (`resolve`), and Debian's nginx is 1.22: so, the same with both, this
# starts a watcher in the background that looks the names up every
# PMO_RESOLVE_INTERVAL seconds (5) and, when an address changed, reloads nginx
# (`nginx -s reload`: the new workers resolve again; the old ones finish their open
# connections, so no websocket is cut; the sticky hash is keyed on the names, so every
# browser keeps its replica). While a replica is stopped its name does not resolve:
# that reload fails and nginx keeps the configuration it runs; the one after the
# replica is back succeeds. Messages go to the standard error (the access log is the
# standard output).
set -eu

names=$(printf '%s\n' "${PMO_UPSTREAM_SERVERS:-}" | tr ';' '\n' \
  | sed -n 's/^[[:space:]]*server[[:space:]][[:space:]]*\([^:[:space:]]*\).*/\1/p')
[ -n "$names" ] || exit 0
interval=${PMO_RESOLVE_INTERVAL:-5}

addresses() {
  for name in $names; do
    printf '%s=%s ' "$name" "$(getent hosts "$name" | awk '{print $1}' | sort | tr '\n' ',')"
  done
}

(
  last=$(addresses)
  while sleep "$interval"; do
    now=$(addresses)
    if [ "$now" != "$last" ]; then
      echo "$0: replica addresses changed ($now): nginx -s reload" >&2
      nginx -s reload || echo "$0: reload refused, nginx keeps its configuration" >&2
      last=$now
    fi
  done
) </dev/null >/dev/null &
echo "$0: watching the addresses of: $(echo $names)" >&2
