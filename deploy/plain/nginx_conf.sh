#!/usr/bin/env bash
# Write nginx's configuration for a plain deployment into PREFIX (start.sh calls it; the
# tests check its output with `nginx -t`): deploy/nginx/pmo.conf.template, the file
# compose.yaml mounts, filled with the same three variables, inside a main file whose pid,
# logs and temporary folders are all under PREFIX (the system's nginx is not touched).
#   deploy/plain/nginx_conf.sh PREFIX LISTEN "server 127.0.0.1:18501 ...; server ...;"
set -euo pipefail

ngx=${1:?usage: nginx_conf.sh PREFIX LISTEN UPSTREAM_SERVERS}
listen=${2:?what nginx listens on, e.g. 127.0.0.1:18080}
upstreams=${3:?the upstream server lines}
repo=$(cd "$(dirname "$0")/../.." && pwd)

mkdir -p "$ngx/logs" "$ngx/tmp"
ngx=$(cd "$ngx" && pwd)
# Only these three are substituted: nginx's own $variables stay as they are.
PMO_LISTEN="$listen" PMO_UPSTREAM_SERVERS="$upstreams" PMO_ACCESS_LOG="$ngx/logs/access.log" \
  envsubst '${PMO_LISTEN} ${PMO_UPSTREAM_SERVERS} ${PMO_ACCESS_LOG}' \
  <"$repo/deploy/nginx/pmo.conf.template" >"$ngx/pmo.conf"
cat >"$ngx/nginx.conf" <<CONF
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/logs/error.log warn;
events { worker_connections 1024; }
http {
    # The access log (format pmo, which replica served) is set by pmo.conf's server.
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    include $ngx/pmo.conf;
}
CONF
