#!/usr/bin/env bash
# The measurements of docs/PERFORMANCE.md: on a fresh node each time,
#   1. connect 15,000 terminals and hold them idle (RSS and CPU per connection), cold (a node just started) and
#      warm (after 2,000 connections were opened and closed), then
#   2. all: 10,000 terminals, p2p 100,000 messages at 4,000 msg/s (after 40,000 warm-up messages: a fresh
#      node's JIT still compiles the delivery path before that), then fan-out of 50 messages at 2 msg/s (after 4
#      warm-up messages) to all 10,000 as members of one channel. Both measured windows last 25 s, one heartbeat
#      period, so each holds one round of pings to every connection, as a node's steady state does;
#   3. p2p flat out: 10,000 terminals, 200,000 messages published as fast as ImClient goes (FLATOUT_ARGS adds
#      im-bench options, e.g. "--publishers 8" or "--async 1000"); skipped with FLATOUT=0;
#   4. with FLOOR set to a built ../shared/tools/limit.c (gcc -O2 -o /tmp/limit limit.c), the kernel floor
#      (fan-out, and p2p at 4,000 msg/s, over FLOOR_CONNECTIONS [5000] sockets) right before and after each
#      run's node measurements: the yardstick the node's CPU per delivery is compared with, minutes apart.
# Results (one JSON line per run) go to $OUT (default /tmp/im-bench/results), a summary to stdout.
# Needs: mvn -B -q package -DskipTests; ulimit -n of at least 16,000 (each connection is a descriptor in the
# node and in the generator). Environment: NODE_JVM_FLAGS and JAR (see node.sh), BENCH_JVM_FLAGS, BENCH_JAR, RUNS [1],
# QUIET_LOAD [1.5], FLATOUT [1], FLATOUT_ARGS [], FLOOR [unset], FLOOR_CONNECTIONS [5000].
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/im-bench/results}
RUNS=${RUNS:-1}
mkdir -p "$OUT"
if [ "$(ulimit -n)" -lt 16000 ]; then
  ulimit -n 20000 2>/dev/null || { echo "ulimit -n is $(ulimit -n); 15,000 connections need 16,000" >&2; exit 1; }
fi
# bench (lib.sh) runs im-bench against node.sh's node and Redis. Other work on the machine skews the figures:
# wait_quiet (lib.sh) waits for a load below QUIET_LOAD before each measurement; the load at the start is in every
# JSON line.
# shellcheck source=lib.sh
. im-bench/scripts/lib.sh
FLATOUT=${FLATOUT:-1}
# limit.c holds both ends of every socket before it forks: 5,000 fit in a ulimit -n of 20,000
FLOOR_CONNECTIONS=${FLOOR_CONNECTIONS:-5000}
FLATOUT_ARGS=${FLATOUT_ARGS:-}
floor() {
  [ -n "${FLOOR:-}" ] || return 0
  wait_quiet
  for mode in "fanout $FLOOR_CONNECTIONS 20" "p2p $FLOOR_CONNECTIONS 4 250"; do
    # shellcheck disable=SC2086
    "$FLOOR" $mode | sed "s/^{/{\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",/" >>"$OUT/floor-$1.json"
  done
}
for run in $(seq 1 "$RUNS"); do
  stamp=$(date +%H%M%S)
  echo "== run $run at $(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
  floor "$stamp"
  im-bench/scripts/node.sh stop >/dev/null 2>&1 || true
  im-bench/scripts/node.sh start
  wait_quiet
  bench connect --clients 15000 --connect-concurrency 64 --settle 10 >"$OUT/connect-$stamp.json" || true
  im-bench/scripts/node.sh stop
  # the same on a warm node: 2,000 connections opened and closed first, so the JIT's compiled code, loaded
  # classes and Jetty's thread stacks (a one-off ~20 MB) are in the "before" RSS, not spread over the 15,000
  im-bench/scripts/node.sh start
  wait_quiet
  bench connect --clients 2000 --connect-concurrency 64 --settle 1 >/dev/null 2>&1 || true
  sleep 5
  bench connect --clients 15000 --connect-concurrency 64 --settle 10 >"$OUT/connect-warm-$stamp.json" || true
  im-bench/scripts/node.sh stop
  im-bench/scripts/node.sh start
  wait_quiet
  bench all --clients 10000 --connect-concurrency 64 --settle 5 --warmup 40000 --messages 100000 --rate 4000 \
    --fanout-messages 50 --fanout-rate 2 --drain 15 >"$OUT/all-$stamp.json" || true
  im-bench/scripts/node.sh stop
  if [ "$FLATOUT" != 0 ]; then
    im-bench/scripts/node.sh start
    wait_quiet
    # shellcheck disable=SC2086
    bench p2p --clients 10000 --connect-concurrency 64 --settle 5 --warmup 0 --messages 200000 --rate 0 \
      --drain 30 $FLATOUT_ARGS >"$OUT/flatout-$stamp.json" || true
    im-bench/scripts/node.sh stop
  fi
  floor "$stamp"
done
