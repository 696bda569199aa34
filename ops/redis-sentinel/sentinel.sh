#!/usr/bin/env bash
# Starts, stops and shows a Redis Sentinel set on 127.0.0.1: a master (6390), a replica (6391) and three
# sentinels (26390-26392, quorum 2) that monitor it as "imcore". For trying failover locally, not for production
# (no persistence, no password, loopback only).
#
#   ops/redis-sentinel/sentinel.sh start          start what does not run, wait until the sentinels know everybody
#   ops/redis-sentinel/sentinel.sh stop           SHUTDOWN NOSAVE every server and sentinel, delete what start made in run/
#   ops/redis-sentinel/sentinel.sh status         the master the sentinels name, each server's role
#   ops/redis-sentinel/sentinel.sh kill-master    SIGKILL the current master, as in a crash (then watch status)
#
# Needs redis-server and redis-cli (apt-get install -y redis-server). Env: DOWN_AFTER (ms, default 5000),
# FAILOVER_TIMEOUT (ms, default 10000), MASTER_PORT (6390; the replica on MASTER_PORT+1), SENTINEL_PORT (26390;
# the sentinels on it and the next two), RUN_DIR (data, configs (the sentinels rewrite theirs) and logs;
# default ops/redis-sentinel/run/). Give every command of one set the same ports and RUN_DIR.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
run="${RUN_DIR:-$here/run}"
name=imcore
master_port="${MASTER_PORT:-6390}"
replica_port=$((master_port + 1))
sentinel_port="${SENTINEL_PORT:-26390}"
sentinel_ports=("$sentinel_port" $((sentinel_port + 1)) $((sentinel_port + 2)))
down_after="${DOWN_AFTER:-5000}"
failover_timeout="${FAILOVER_TIMEOUT:-10000}"

answers() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }

start_server() { # port [replicaof-port]
  local port="$1" dir="$run/redis-$1"
  answers "$port" && { echo "redis $port already runs"; return 0; }
  mkdir -p "$dir"
  local extra=()
  [[ $# -gt 1 ]] && extra=(--replicaof 127.0.0.1 "$2")
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${extra[@]}"
}

start_sentinel() {
  local port="$1" dir="$run/sentinel-$1"
  answers "$port" && { echo "sentinel $port already runs"; return 0; }
  mkdir -p "$dir"
  if [[ ! -f "$dir/sentinel.conf" ]]; then
    cat > "$dir/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
dir $dir
sentinel monitor $name 127.0.0.1 $master_port 2
sentinel down-after-milliseconds $name $down_after
sentinel failover-timeout $name $failover_timeout
sentinel parallel-syncs $name 1
CONF
  fi
  redis-server "$dir/sentinel.conf" --sentinel --daemonize yes --pidfile "$dir/sentinel.pid" \
    --logfile "$dir/sentinel.log"
}

case "${1:-}" in
  start)
    mkdir -p "$run"
    start_server "$master_port"
    start_server "$replica_port" "$master_port"
    for port in "${sentinel_ports[@]}"; do start_sentinel "$port"; done
    for _ in $(seq 100); do
      if redis-cli -p "${sentinel_ports[0]}" sentinel master "$name" 2>/dev/null | grep -A1 -x num-other-sentinels \
          | tail -1 | grep -qx 2; then
        echo "sentinels: ${sentinel_ports[*]/#/127.0.0.1:}; master: $(redis-cli -p "${sentinel_ports[0]}" \
          sentinel get-master-addr-by-name "$name" | paste -sd:)"
        exit 0
      fi
      sleep 0.2
    done
    echo "the sentinels did not find each other within 20 s: see $run/sentinel-*/sentinel.log" >&2
    exit 1
    ;;
  stop)
    for port in "${sentinel_ports[@]}" "$master_port" "$replica_port"; do
      redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    done
    # no data kept: the sentinels' rewritten configs would name the last master at the next start. Only what start
    # made goes: RUN_DIR may be a directory of the caller's that holds other files
    rm -rf "${run:?}"/redis-"$master_port" "${run:?}"/redis-"$replica_port" "${sentinel_ports[@]/#/$run/sentinel-}"
    rmdir "$run" 2>/dev/null || true
    echo "stopped"
    ;;
  status)
    echo "master named by the sentinels: $(redis-cli -p "${sentinel_ports[0]}" sentinel get-master-addr-by-name \
      "$name" 2>/dev/null | paste -sd: || echo '?')"
    for port in "$master_port" "$replica_port"; do
      echo "redis $port: $(redis-cli -p "$port" role 2>/dev/null | head -1 || echo down)"
    done
    ;;
  kill-master)
    port="$(redis-cli -p "${sentinel_ports[0]}" sentinel get-master-addr-by-name "$name" | tail -1)"
    kill -9 "$(cat "$run/redis-$port/redis.pid")"
    echo "killed the master on $port; the sentinels promote the replica after their down-after-milliseconds"
    ;;
  *)
    sed -n '2,14p' "$0"
    exit 2
    ;;
esac
