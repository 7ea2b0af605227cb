#!/usr/bin/env bash
# The entrypoint of deploy/check/nginx-standin.Containerfile, as the official nginx
# image's /docker-entrypoint.sh: when the command is nginx, run the executable
# /docker-entrypoint.d/*.sh in order, then nginx.
set -e
if [ "${1:-}" = nginx ] || [ "${1:-}" = nginx-debug ]; then
  for f in /docker-entrypoint.d/*.sh; do
    [ -x "$f" ] || continue
    echo "$0: running $f"
    "$f"
  done
  echo "$0: configuration complete; ready for start up"
fi
exec "$@"
