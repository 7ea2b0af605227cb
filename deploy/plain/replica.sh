#!/usr/bin/env bash
# Start, stop or check one app replica of a deployment made by start.sh (docs/deploy.md).
#   deploy/plain/replica.sh RUN_DIR INDEX start|stop|status
# Replica INDEX (1, 2, ...) listens on 127.0.0.1:$((PMO_BASE_PORT + INDEX - 1)); its pid is
# RUN_DIR/app-INDEX.pid and its log RUN_DIR/app-INDEX.log. The environment (store, cookie
# secret, secrets file) comes from RUN_DIR/env, written by start.sh: every replica gets
# the same one.
set -euo pipefail

run_dir=${1:?usage: replica.sh RUN_DIR INDEX start|stop|status}
index=${2:?replica index (1, 2, ...)}
action=${3:?start, stop or status}
repo=$(cd "$(dirname "$0")/../.." && pwd)

set -a
# shellcheck source=/dev/null
. "$run_dir/env"
set +a
port=$((PMO_BASE_PORT + index - 1))
pid_file="$run_dir/app-$index.pid"
log_file="$run_dir/app-$index.log"

healthy() {
  "$PMO_PYTHON" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$port/_stcore/health" 2>/dev/null
}

running() {
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

case "$action" in
  start)
    if running; then
      echo "replica $index already running (pid $(cat "$pid_file"))"
      exit 0
    fi
    cd "$repo"
    # Its own session (setsid): stopping it stops its children, nothing else.
    setsid "$PMO_PYTHON" -m streamlit run app.py \
      --server.port "$port" --server.address 127.0.0.1 --server.headless true \
      --server.fileWatcherType none --browser.gatherUsageStats false \
      >>"$log_file" 2>&1 </dev/null &
    echo $! >"$pid_file"
    for _ in $(seq 1 120); do
      if healthy; then
        echo "replica $index on 127.0.0.1:$port (pid $(cat "$pid_file"))"
        exit 0
      fi
      running || { echo "replica $index exited; see $log_file" >&2; exit 1; }
      sleep 0.5
    done
    echo "replica $index not healthy after 60 s; see $log_file" >&2
    exit 1
    ;;
  stop)
    if running; then
      pid=$(cat "$pid_file")
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
      for _ in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
    ;;
  status)
    if running && healthy; then
      echo "replica $index healthy on 127.0.0.1:$port"
    else
      echo "replica $index down"
      exit 1
    fi
    ;;
  *)
    echo "unknown action $action (start, stop or status)" >&2
    exit 2
    ;;
esac
