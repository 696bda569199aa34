#!/usr/bin/env bash
# im-bench p2p against two nodes on a Redis Sentinel set of their own (ops/redis-sentinel/sentinel.sh on private
# ports), the master SIGKILLed KILL_AT seconds into the run; prints the run's JSON line and how long the nodes took to
# be healthy again. Everything it starts it stops (by pid); it never touches another Redis.
#
#   mvn -B -q package -DskipTests
#   im-bench/scripts/sentinel-failover.sh                    # WAIT off
#   WAIT_REPLICAS=1 im-bench/scripts/sentinel-failover.sh    # node and ImClient: WAIT 1 after every XADD
#   KILL_AT= im-bench/scripts/sentinel-failover.sh           # no failover: the cost of the knob
#
# Env (defaults in brackets): CLIENTS [1000], RATE [1000] msg/s, SECONDS_ [30], KILL_AT [15] (empty: no kill),
# WAIT_REPLICAS [0], WAIT_TIMEOUT [100] ms, DOWN_AFTER [1000] ms, DIR [/tmp/im-bench-sentinel],
# MASTER_PORT [16490] (replica +1), SENTINEL_PORT [36490] (+1, +2), NODE_PORT [16501] (admin +1; node 2 on +2, +3).
set -euo pipefail
cd "$(dirname "$0")/../.."

CLIENTS=${CLIENTS:-1000}
RATE=${RATE:-1000}
SECONDS_=${SECONDS_:-30}
KILL_AT=${KILL_AT-15}
WAIT_REPLICAS=${WAIT_REPLICAS:-0}
WAIT_TIMEOUT=${WAIT_TIMEOUT:-100}
DIR=${DIR:-/tmp/im-bench-sentinel}
export MASTER_PORT=${MASTER_PORT:-16490} SENTINEL_PORT=${SENTINEL_PORT:-36490} RUN_DIR="$DIR/redis"
export DOWN_AFTER=${DOWN_AFTER:-1000} FAILOVER_TIMEOUT=${FAILOVER_TIMEOUT:-5000}
NODE_PORT=${NODE_PORT:-16501}
SENTINELS="127.0.0.1:$SENTINEL_PORT,127.0.0.1:$((SENTINEL_PORT + 1)),127.0.0.1:$((SENTINEL_PORT + 2))"
SERVERS="127.0.0.1:$NODE_PORT,127.0.0.1:$((NODE_PORT + 2))"
JAR=im-service/target/im-service.jar
BENCH=im-bench/target/im-bench.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
mkdir -p "$DIR"
node_pids=()
pids=() # im-bench while it runs
cleanup() {
  for pid in "${pids[@]}" "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}" "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ops/redis-sentinel/sentinel.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

ops/redis-sentinel/sentinel.sh start >&2

# shellcheck source=lib.sh
. im-bench/scripts/lib.sh
start_two_nodes "redis:
  sentinel:
    masterName: imcore
    nodes: [$SENTINELS]
    waitReplicas: $WAIT_REPLICAS
    waitTimeout: ${WAIT_TIMEOUT}ms" INFO 512m
master_pid=$(cat "$RUN_DIR/redis-$MASTER_PORT/redis.pid")
echo "nodes ${node_pids[*]} healthy; master pid $master_pid; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

java -Xmx1g -jar "$BENCH" p2p --servers "$SERVERS" --redis-sentinel "imcore@$SENTINELS" \
  --wait-replicas "$WAIT_REPLICAS" --wait-timeout "$WAIT_TIMEOUT" \
  --clients "$CLIENTS" --messages $((RATE * SECONDS_)) --warmup 0 --rate "$RATE" --drain 30 \
  --node-pid "$(IFS=,; echo "${node_pids[*]}")" --redis-pid "$master_pid" --max-duration 300 \
  >"$DIR/bench.json" 2>"$DIR/bench.err" &
bench=$!
pids+=($bench)
for _ in $(seq 1 600); do grep -q "messages to random clients" "$DIR/bench.err" 2>/dev/null && break; sleep 0.1; done
if [ -n "$KILL_AT" ]; then
  sleep "$KILL_AT"
  killed=$(date +%s.%N)
  ops/redis-sentinel/sentinel.sh kill-master >&2
  seen_unhealthy=0
  for _ in $(seq 1 600); do
    if healthy "$NODE_PORT" && healthy "$((NODE_PORT + 2))"; then
      [ "$seen_unhealthy" = 1 ] && break
    else
      seen_unhealthy=1
    fi
    sleep 0.1
  done
  echo "nodes healthy again $(echo "$(date +%s.%N) - $killed" | bc) s after the kill (seen unhealthy: $seen_unhealthy);" \
    "master now $(redis-cli -p "$SENTINEL_PORT" sentinel get-master-addr-by-name imcore | paste -sd:)" >&2
  # the old master back, empty: the sentinels make it a replica of the new one (with WAIT_REPLICAS=1 sends fail
  # while no replica is up)
  ops/redis-sentinel/sentinel.sh start >&2
  echo "old master restarted $(echo "$(date +%s.%N) - $killed" | bc) s after the kill" >&2
fi
wait "$bench" || echo "im-bench exit status $?" >&2
pids=()
for i in 0 1; do
  port=$((NODE_PORT + 2 * i))
  echo "node $port: im.redis.publish.unacknowledged $(curl -s "http://127.0.0.1:$((port + 1))/metrics" \
    | grep -o '"im.redis.publish.unacknowledged":{"count":[0-9]*' | grep -o '[0-9]*$')" >&2
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
tail -5 "$DIR/bench.err" >&2
cat "$DIR/bench.json"
