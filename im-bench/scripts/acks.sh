#!/usr/bin/env bash
# What acks cost the node (README "Sessions, acks and resume", docs/PERFORMANCE.md): p2p at 2,000 msg/s to 2,000
# clients, every terminal acking every message on its own (the worst case), against the same without acks; each
# run on a fresh node (node.sh) after the load fell below QUIET_LOAD, alternated off, on, RUNS times. With JARS set
# (space-separated node jars, e.g. an old build and this one) each round runs every jar off and on, minutes apart.
#
#   mvn -B -q package -DskipTests && im-bench/scripts/acks.sh
#   JARS="/tmp/base/im-service.jar im-service/target/im-service.jar" RUNS=2 QUIET_LOAD=1.0 im-bench/scripts/acks.sh
#
# One JSON line per run goes to $OUT (default /tmp/im-bench/acks), a summary line to stdout. Environment: RUNS [2],
# JARS [im-service/target/im-service.jar], QUIET_LOAD [1.5], BENCH_JAR, BENCH_JVM_FLAGS, REDIS_PORT, NODE_PORT (lib.sh's bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib.sh
. im-bench/scripts/lib.sh
OUT=${OUT:-/tmp/im-bench/acks}
RUNS=${RUNS:-2}
JARS=${JARS:-im-service/target/im-service.jar}
mkdir -p "$OUT"
for run in $(seq 1 "$RUNS"); do
  index=0
  for jar in $JARS; do
    index=$((index + 1))
    for acks in "" "--acks"; do
      wait_quiet
      JAR=$jar im-bench/scripts/node.sh start >/dev/null
      load=$(cut -d' ' -f1 /proc/loadavg)
      file="$OUT/$(date +%H%M%S)-jar$index${acks:+-acks}.json"
      # shellcheck disable=SC2086
      bench p2p --clients 2000 --connect-concurrency 64 --settle 5 --warmup 20000 --messages 60000 --rate 2000 \
        --drain 15 $acks >"$file" || echo "run $file: im-bench exit $? (see the JSON)" >&2
      im-bench/scripts/node.sh stop >/dev/null
      [ -s "$file" ] || continue
      jq -r --arg jar "$jar" --arg load "$load" --arg acks "${acks:-off}" \
        '"\($jar) acks \($acks | ltrimstr("--") | if . == "acks" then "on" else . end): load \($load), node \(.p2p.nodeCpuMicrosPerDelivery) µs, Redis \(.p2p.redisCpuMicrosPerDelivery) µs per delivery, p50 / p99 \(.p2p.latencyMillis.p50) / \(.p2p.latencyMillis.p99) ms, delivered \(.p2p.delivered) of \(.p2p.messages)"' \
        "$file"
    done
  done
done
