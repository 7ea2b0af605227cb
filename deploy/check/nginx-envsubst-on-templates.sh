#!/usr/bin/env bash
# As the official nginx image's 20-envsubst-on-templates.sh (without its NGINX_ENVSUBST_*
# options): every /etc/nginx/templates/*.template -> /etc/nginx/conf.d/NAME without
# .template, only the variables defined in the environment filled in.
set -eu
template_dir=/etc/nginx/templates
output_dir=/etc/nginx/conf.d
[ -d "$template_dir" ] || exit 0
defined_envs=$(printf '${%s} ' $(env | cut -d= -f1))
for template in "$template_dir"/*.template; do
  [ -f "$template" ] || continue
  output="$output_dir/$(basename "$template" .template)"
  echo "$0: Running envsubst on $template to $output"
  envsubst "$defined_envs" <"$template" >"$output"
done
