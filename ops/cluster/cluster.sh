#!/usr/bin/env bash
# Starts, stops and shows a 3-node im-service cluster on this machine (configs node1.yml..node3.yml).
#
#   ops/cluster/cluster.sh start [1 2 3]   start nodes (default: all), wait until each answers /ping
#   ops/cluster/cluster.sh stop  [1 2 3]   SIGTERM by pid: connections closed with 1001, offline events,
#                                          keys removed; SIGKILL only if a node has not exited in 30 s
#   ops/cluster/cluster.sh status          pid, health and the cluster as node 1 sees it
#   ops/cluster/cluster.sh restart [n...]
#
# Needs the shaded jar (mvn -B -q package -DskipTests) and Redis at 127.0.0.1:6379.
# Env: JAR (default im-service/target/im-service.jar), JAVA (default java), JAVA_OPTS (default -Xmx256m).
# Pids and logs go to ops/cluster/run/ (node<N>.pid, node<N>.log).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/run"
jar="${JAR:-$root/im-service/target/im-service.jar}"
java="${JAVA:-java}"
java_opts="${JAVA_OPTS:--Xmx256m}"
mkdir -p "$run"

admin_port() { echo $((6000 + 2 * $1)); }

# The pid of node $1 if it runs (and is really that node, not a reused pid), else nothing.
running_pid() {
  local pidfile="$run/node$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "node$1.yml"; then
    echo "$pid"
  fi
}

start_node() {
  local n="$1" pid port
  pid="$(running_pid "$n")"
  if [[ -n "$pid" ]]; then
    echo "node$n already runs (pid $pid)"
    return 0
  fi
  [[ -f "$jar" ]] || { echo "no jar at $jar: run 'mvn -B -q package -DskipTests' first" >&2; exit 1; }
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  nohup "$java" $java_opts -jar "$jar" server "$here/node$n.yml" > "$run/node$n.log" 2>&1 &
  pid=$!
  echo "$pid" > "$run/node$n.pid"
  port="$(admin_port "$n")"
  for _ in $(seq 1 60); do
    if curl -sf "http://127.0.0.1:$port/ping" > /dev/null 2>&1; then
      echo "node$n started (pid $pid, admin 127.0.0.1:$port, log $run/node$n.log)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "node$n exited at start; last lines of $run/node$n.log:" >&2
      tail -n 20 "$run/node$n.log" >&2
      rm -f "$run/node$n.pid"
      exit 1
    fi
    sleep 0.5
  done
  echo "node$n (pid $pid) did not answer /ping within 30 s; see $run/node$n.log" >&2
  exit 1
}

stop_node() {
  local n="$1" pid
  pid="$(running_pid "$n")"
  if [[ -z "$pid" ]]; then
    echo "node$n is not running"
    rm -f "$run/node$n.pid"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "node$n stopped (pid $pid)"
      rm -f "$run/node$n.pid"
      return 0
    fi
    sleep 0.5
  done
  echo "node$n (pid $pid) still runs 30 s after SIGTERM: killing it; a live node sweeps its keys after the lease" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$run/node$n.pid"
}

status() {
  local n pid port code
  for n in 1 2 3; do
    pid="$(running_pid "$n")"
    port="$(admin_port "$n")"
    if [[ -z "$pid" ]]; then
      echo "node$n: not running"
      continue
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthcheck" || true)"
    echo "node$n: pid $pid, admin 127.0.0.1:$port, /healthcheck $code"
  done
  for n in 1 2 3; do
    pid="$(running_pid "$n")"
    if [[ -n "$pid" ]]; then
      echo
      curl -s -X POST "http://127.0.0.1:$(admin_port "$n")/tasks/nodes?format=text" || true
      return 0
    fi
  done
}

nodes_or_all() {
  if [[ $# -eq 0 ]]; then echo 1 2 3; else echo "$@"; fi
}

check_nodes() {
  local n
  for n in "$@"; do
    [[ "$n" =~ ^[123]$ ]] || { echo "unknown node '$n': use 1, 2 or 3" >&2; exit 2; }
  done
}

command="${1:-}"
shift || true
check_nodes "$@"
case "$command" in
  start)   for n in $(nodes_or_all "$@"); do start_node "$n"; done ;;
  stop)    for n in $(nodes_or_all "$@"); do stop_node "$n"; done ;;
  restart) for n in $(nodes_or_all "$@"); do stop_node "$n"; start_node "$n"; done ;;
  status)  status ;;
  *) echo "usage: $0 start|stop|restart [1 2 3] | status" >&2; exit 2 ;;
esac
