#!/usr/bin/env bash
# Redis CPU per message on one Redis and spread over the three masters of a Redis Cluster: the same im-bench `all`
# run (two nodes; p2p, then a channel of every client) against each topology in turn, ROUNDS times alternated,
# each run on fresh Redis servers and nodes of its own on private ports. Everything it starts it stops by pid; it
# refuses a port that already answers, so it never touches another Redis.
#
#   mvn -B -q package -DskipTests
#   im-bench/scripts/redis-spread.sh        # a JSON line per run in $DIR/results.json, a summary on stdout
#
# Env (defaults in brackets): CLIENTS [2000], RATE [2000] msg/s, MESSAGES [40000] after WARMUP [10000],
# FANOUT [10] channel messages at 2 msg/s, ROUNDS [2], QUIET_LOAD [1.5], DIR [/tmp/im-bench-spread], REDIS_PORT [16710] (the
# cluster's masters on +1, +2, +3; bus ports +10000), NODE_PORT [16721] (admin +1; node 2 on +2, +3).
set -euo pipefail
cd "$(dirname "$0")/../.."

CLIENTS=${CLIENTS:-2000}
RATE=${RATE:-2000}
MESSAGES=${MESSAGES:-40000}
WARMUP=${WARMUP:-10000}
FANOUT=${FANOUT:-10}
ROUNDS=${ROUNDS:-2}
DIR=${DIR:-/tmp/im-bench-spread}
REDIS_PORT=${REDIS_PORT:-16710}
NODE_PORT=${NODE_PORT:-16721}
SERVERS="127.0.0.1:$NODE_PORT,127.0.0.1:$((NODE_PORT + 2))"
MASTERS="127.0.0.1:$((REDIS_PORT + 1)),127.0.0.1:$((REDIS_PORT + 2)),127.0.0.1:$((REDIS_PORT + 3))"
JAR=im-service/target/im-service.jar
BENCH=im-bench/target/im-bench.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
if [ "$(ulimit -n)" -lt $((4 * CLIENTS + 1000)) ]; then ulimit -n $((4 * CLIENTS + 1000)); fi
mkdir -p "$DIR"
: >"$DIR/results.json"

redis_pids=()
node_pids=()
stop_pids() { # pids; SIGTERM, then SIGKILL what still runs after 30 s
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
stop_all() { # the nodes first: a node stopping with its Redis gone retries its presence writes
  stop_pids "${node_pids[@]}"
  stop_pids "${redis_pids[@]}"
  node_pids=()
  redis_pids=()
}
trap stop_all EXIT

start_redis() { # port [cluster]
  local port=$1 dir="$DIR/redis-$1"
  if redis-cli -p "$port" ping >/dev/null 2>&1; then echo "port $port already answers: not ours, stopping" >&2; exit 1; fi
  rm -rf "$dir" && mkdir -p "$dir"
  local cluster=()
  [ -n "${2:-}" ] && cluster=(--cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 5000)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${cluster[@]}"
  for _ in $(seq 1 100); do [ -s "$dir/redis.pid" ] && redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_pids+=("$(cat "$dir/redis.pid")")
}

# Other work skews the figures: wait_quiet (lib.sh) waits for a 1-minute load average below QUIET_LOAD.
# shellcheck source=lib.sh
. im-bench/scripts/lib.sh

run() { # topology, im-bench's Redis option and its value
  wait_quiet
  # shellcheck disable=SC2086
  java -XX:+UseParallelGC -jar "$BENCH" all --servers "$SERVERS" "$2" "$3" --clients "$CLIENTS" --connect-concurrency 64 \
    --warmup "$WARMUP" --messages "$MESSAGES" --rate "$RATE" --fanout-messages "$FANOUT" --fanout-rate 2 --drain 15 \
    --node-pid "$(IFS=,; echo "${node_pids[*]}")" --redis-pid "$(IFS=,; echo "${redis_pids[*]}")" \
    --max-duration 600 --quiet 2>"$DIR/bench-$1.err" \
    | jq -c --arg topology "$1" --arg load "$(cut -d' ' -f1 /proc/loadavg)" '{topology: $topology, load: $load} + .' \
    >>"$DIR/results.json" || echo "im-bench: exit status ${PIPESTATUS[0]} (see $DIR/bench-$1.err)" >&2
}

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round, one Redis, at $(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
  start_redis "$REDIS_PORT"
  start_two_nodes "redis: {uri: \"redis://127.0.0.1:$REDIS_PORT\"}"
  run one --redis "redis://127.0.0.1:$REDIS_PORT"
  stop_all

  echo "== round $round, a cluster of 3 masters, at $(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in 1 2 3; do start_redis $((REDIS_PORT + i)) cluster; done
  redis-cli --cluster create ${MASTERS//,/ } --cluster-replicas 0 --cluster-yes >"$DIR/create.log"
  for _ in $(seq 1 100); do
    ok=0
    for i in 1 2 3; do redis-cli -p $((REDIS_PORT + i)) cluster info | grep -q cluster_state:ok && ok=$((ok + 1)); done
    [ "$ok" = 3 ] && break
    sleep 0.2
  done
  start_two_nodes "redis: {cluster: {nodes: [$MASTERS]}}"
  run cluster --redis-cluster "$MASTERS"
  stop_all
done

echo "topology load p2p-lost p2p-redis-us/msg fanout-redis-us/delivery redis-ms-by-pid(p2p)"
jq -r '[.topology, .load, (.p2p.lost // .p2p.missing // "?"), .p2p.redisCpuMicrosPerDelivery,
        .fanout.redisCpuMicrosPerDelivery, ((.p2p.redisCpuMillisByPid // {}) | [.[]] | map(tostring) | join("/"))]
       | @tsv' "$DIR/results.json"
