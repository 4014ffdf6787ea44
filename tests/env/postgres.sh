#!/usr/bin/env bash
# A private PostgreSQL server for JoeCash.Scheduler's tests and benchmarks (issue 13's second provider).
#
# Debian's PostgreSQL binaries, a cluster made with initdb in $JC_PG_DIR (as the "postgres" user when run
# as root, since PostgreSQL refuses to run as root), listening on 127.0.0.1:$JC_PG_PORT and a socket in the
# same folder only. The system's own cluster (/etc/postgresql, port 5432) is never touched.
#
# Usage: postgres.sh install|start|stop|status|url|clean
#   url   prints the connection string the tests read from JC_PG_CONNECTION
set -euo pipefail

readonly PORT="${JC_PG_PORT:-55432}"
readonly STATE_DIR="${JC_PG_DIR:-/tmp/joecash-postgres}"
readonly DATA_DIR="$STATE_DIR/data"
readonly LOG_FILE="$STATE_DIR/server.log"
readonly DATABASE="joecash"
readonly APT_OPTS=(-o DPkg::Lock::Timeout=120)

bin_dir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [[ -n "$found" ]] && echo "$found"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install() {
  if [[ -n "$(bin_dir)" ]]; then
    echo "postgres: installed: $("$(bin_dir)/postgres" --version)"
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get "${APT_OPTS[@]}" update -qq
  apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null
  # Debian starts its own cluster on 5432; this script never uses it.
  echo "postgres: installed: $("$(bin_dir)/postgres" --version)"
}

running() {
  [[ -f "$DATA_DIR/postmaster.pid" ]] && as_owner "$(bin_dir)/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

start() {
  install >/dev/null
  local bin; bin=$(bin_dir)
  if running; then
    echo "postgres: running on 127.0.0.1:$PORT ($STATE_DIR)"
    return
  fi
  mkdir -p "$STATE_DIR"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$STATE_DIR"; fi
  if [[ ! -f "$DATA_DIR/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local started=$EPOCHREALTIME
  as_owner "$bin/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $STATE_DIR -c fsync=on -c synchronous_commit=on" start >/dev/null
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DATABASE"
  fi
  local now=$EPOCHREALTIME
  echo "postgres: running (up in $(((${now//[.,]/} - ${started//[.,]/}) / 1000)) ms) on 127.0.0.1:$PORT, data in $DATA_DIR"
}

stop() {
  if running; then
    as_owner "$(bin_dir)/pg_ctl" -D "$DATA_DIR" -m fast -w -t 30 stop >/dev/null
  fi
  echo "postgres: stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "postgres: running on 127.0.0.1:$PORT"; else echo "postgres: stopped"; exit 1; fi ;;
  url) echo "Host=127.0.0.1;Port=$PORT;Database=$DATABASE;Username=postgres" ;;
  clean) stop >/dev/null; rm -rf "$STATE_DIR"; echo "postgres: removed $STATE_DIR" ;;
  *) echo "usage: $0 install|start|stop|status|url|clean" >&2; exit 2 ;;
esac
