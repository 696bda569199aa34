#!/usr/bin/env bash
# Starts (or stops) what a benchmark runs against on this machine: a private redis-server without persistence
# and one im-service node using config.yml with ports, cluster and Redis overridden. Never touches another Redis.
#
#   im-bench/scripts/node.sh start     # prints the node's and Redis's pids
#   im-bench/scripts/node.sh stop
#
# Environment (defaults in brackets): BENCH_DIR [/tmp/im-bench], REDIS_PORT [16379], NODE_PORT [16601],
# ADMIN_PORT [NODE_PORT+1], NODE_JVM_FLAGS [the flags of README "Performance"], JAR [im-service/target/im-service.jar].
set -euo pipefail
cd "$(dirname "$0")/../.."

BENCH_DIR=${BENCH_DIR:-/tmp/im-bench}
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16601}
ADMIN_PORT=${ADMIN_PORT:-$((NODE_PORT + 1))}
NODE_JVM_FLAGS=${NODE_JVM_FLAGS:-"-XX:+UseParallelGC -Xmn32m -Xmx1g -XX:TrimNativeHeapInterval=1000"}
JAR=${JAR:-im-service/target/im-service.jar}
mkdir -p "$BENCH_DIR"

stop_pidfile() {
  local file=$1
  if [ -f "$file" ]; then
    local pid
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$file"
  fi
}

case "${1:-}" in
  start)
    [ -f "$JAR" ] || { echo "no $JAR: build with mvn -B -q package -DskipTests" >&2; exit 1; }
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --dir "$BENCH_DIR" --logfile "$BENCH_DIR/redis.log" --pidfile "$BENCH_DIR/redis.pid"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    # shellcheck disable=SC2086
    java $NODE_JVM_FLAGS \
      -Ddw.server.applicationConnectors[0].port="$NODE_PORT" \
      -Ddw.server.adminConnectors[0].port="$ADMIN_PORT" \
      -Ddw.cluster.servers="127.0.0.1:$NODE_PORT" -Ddw.cluster.self="127.0.0.1:$NODE_PORT" \
      -Ddw.redis.uri="redis://127.0.0.1:$REDIS_PORT" -Ddw.redis.embedded.enabled=false \
      -jar "$JAR" server config.yml >"$BENCH_DIR/node.log" 2>&1 &
    echo $! >"$BENCH_DIR/node.pid"
    for _ in $(seq 1 150); do
      curl -sf "http://127.0.0.1:$ADMIN_PORT/healthcheck" >/dev/null 2>&1 && break
      kill -0 "$(cat "$BENCH_DIR/node.pid")" 2>/dev/null || { echo "node failed to start:" >&2; tail -20 "$BENCH_DIR/node.log" >&2; exit 1; }
      sleep 0.2
    done
    echo "node pid $(cat "$BENCH_DIR/node.pid") on 127.0.0.1:$NODE_PORT, redis pid $(cat "$BENCH_DIR/redis.pid") on 127.0.0.1:$REDIS_PORT"
    ;;
  stop)
    stop_pidfile "$BENCH_DIR/node.pid"
    stop_pidfile "$BENCH_DIR/redis.pid"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
