#!/usr/bin/env bash
# A cluster that changes under load: three nodes on a Redis of its own, im-bench's churn scenario (terminals
# that reconnect as real ones do, messages with receipts), and meanwhile node 3 killed (SIGKILL) and node 4 added
# with the same configuration. Prints im-bench's JSON line and summary: reconnect times (p50/p99) and messages
# delivered / offline-receipted / lost (lost while the receiver was connected must be 0).
#
#   ops/cluster/churn-bench.sh            (after: mvn -B -q package -DskipTests)
#
# Env: BASE_PORT (16001: nodes on BASE, BASE+2, BASE+4, BASE+6, admin ports +1), REDIS_PORT (16379),
# CLIENTS (300), RATE (200 msg/s), LOAD_SECONDS (50), KILL_AT (8 s), ADD_AT (18 s), JAVA (java).
# Logs go to ops/cluster/run/churn-*.log. Only the processes this script started are stopped, by pid.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/run"
mkdir -p "$run"
java="${JAVA:-java}"
base="${BASE_PORT:-16001}"
redis_port="${REDIS_PORT:-16379}"
clients="${CLIENTS:-300}"
rate="${RATE:-200}"
seconds="${LOAD_SECONDS:-50}"
kill_at="${KILL_AT:-8}"
add_at="${ADD_AT:-18}"
node_jar="$root/im-service/target/im-service.jar"
bench_jar="$root/im-bench/target/im-bench.jar"
[[ -f "$node_jar" && -f "$bench_jar" ]] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }

entry() { echo "127.0.0.1:$((base + 2 * ($1 - 1)))"; }
servers="$(entry 1),$(entry 2),$(entry 3),$(entry 4)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

redis-server --port "$redis_port" --save '' --appendonly no > "$run/churn-redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping > /dev/null 2>&1 && break; sleep 0.1; done

declare -A node_pid
start_node() {
  local n="$1" port admin
  port=$((base + 2 * (n - 1)))
  admin=$((port + 1))
  "$java" -Xmx256m \
    -Ddw.server.applicationConnectors[0].port="$port" -Ddw.server.adminConnectors[0].port="$admin" \
    -Ddw.cluster.self="$(entry "$n")" -Ddw.cluster.servers="$servers" \
    -Ddw.redis.uri="redis://127.0.0.1:$redis_port" \
    -jar "$node_jar" server "$here/node1.yml" > "$run/churn-node$n.log" 2>&1 &
  node_pid[$n]=$!
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$admin/healthcheck" > /dev/null 2>&1 && { echo "node$n up (pid ${node_pid[$n]})" >&2; return 0; }
    sleep 0.5
  done
  echo "node$n did not become healthy; see $run/churn-node$n.log" >&2
  exit 1
}

start_node 1; start_node 2; start_node 3
"$java" -jar "$bench_jar" churn --servers "$servers" --redis "redis://127.0.0.1:$redis_port" \
  --clients "$clients" --rate "$rate" --churn-seconds "$seconds" --drain 20 --max-duration 300 \
  > "$run/churn-bench.json" 2> "$run/churn-bench.log" &
bench=$!
# the churn phase starts once every terminal is connected: wait for its line, then time the changes from it
for _ in $(seq 1 600); do grep -q "change the cluster now" "$run/churn-bench.log" && break; sleep 0.1; done
sleep "$kill_at"
kill -KILL "${node_pid[3]}"
echo "$(date +%T) node3 killed (SIGKILL, pid ${node_pid[3]})" >&2
sleep $((add_at - kill_at))
start_node 4
echo "$(date +%T) node4 added" >&2
status=0
wait "$bench" || status=$?
cat "$run/churn-bench.json"
grep -v "^\[im-bench\]" "$run/churn-bench.log" || true
echo "im-bench exit status $status" >&2
exit "$status"
