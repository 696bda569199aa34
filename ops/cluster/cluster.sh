#!/usr/bin/env bash
# Starts, stops and shows an im-service cluster on this machine (configs node1.yml..node4.yml; nodes 1-3 by
# default, node 4 is the one to add). Membership is live: a node that starts joins, one that stops or dies
# leaves, and nobody else is reconfigured or restarted (README, Running a cluster).
#
#   ops/cluster/cluster.sh start [1 2 3]   start nodes (default: 1 2 3), wait until each answers /ping
#   ops/cluster/cluster.sh stop  [1 2 3]   SIGTERM by pid: the node leaves, connections closed with 1001 (its
#                                          clients reconnect to their new homes), keys removed; SIGKILL only if
#                                          a node has not exited in 30 s
#   ops/cluster/cluster.sh add N           start node N (e.g. 4) and wait until the others count it a member
#   ops/cluster/cluster.sh remove N [10s]  drain node N over the period (clients move), then stop it
#   ops/cluster/cluster.sh kill N          SIGKILL node N, as a crash: after the lease the others drop it
#   ops/cluster/cluster.sh membership      the members, their shares and the last changes, as each node sees them
#   ops/cluster/cluster.sh status          pid, health and the cluster as the first running node sees it
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
  for n in 1 2 3 4; do
    pid="$(running_pid "$n")"
    port="$(admin_port "$n")"
    if [[ -z "$pid" ]]; then
      echo "node$n: not running"
      continue
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthcheck" || true)"
    echo "node$n: pid $pid, admin 127.0.0.1:$port, /healthcheck $code"
  done
  for n in 1 2 3 4; do
    pid="$(running_pid "$n")"
    if [[ -n "$pid" ]]; then
      echo
      curl -s -X POST "http://127.0.0.1:$(admin_port "$n")/tasks/nodes?format=text" || true
      return 0
    fi
  done
}

membership() {
  local n pid
  for n in 1 2 3 4; do
    pid="$(running_pid "$n")"
    if [[ -n "$pid" ]]; then
      echo "== node$n"
      curl -s -X POST "http://127.0.0.1:$(admin_port "$n")/tasks/membership?format=text" || true
    fi
  done
}

# Waits until node $1 counts itself a member (its view read the others and itself).
await_member() {
  local n="$1" port
  port="$(admin_port "$n")"
  for _ in $(seq 1 30); do
    if curl -s -X POST "http://127.0.0.1:$port/tasks/membership" | grep -q '"self":true,"state":"member"'  \
        && curl -sf "http://127.0.0.1:$port/healthcheck" > /dev/null; then
      echo "node$n is a member; clients whose home it became are moved to it over cluster.rebalancePeriod"
      return 0
    fi
    sleep 0.5
  done
  echo "node$n is not a healthy member after 15 s: see cluster.sh membership and its /healthcheck" >&2
  exit 1
}

remove_node() {
  local n="$1" period="${2:-10s}" pid
  pid="$(running_pid "$n")"
  [[ -n "$pid" ]] || { echo "node$n is not running"; return 0; }
  echo "draining node$n over $period: it leaves the membership now, its clients reconnect to their new homes"
  curl -s -X POST "http://127.0.0.1:$(admin_port "$n")/tasks/drain?period=$period"; echo
  # asking again reports the running drain: "drained" once every client is closed and the keys are removed
  for _ in $(seq 1 240); do
    if curl -s -X POST "http://127.0.0.1:$(admin_port "$n")/tasks/drain?period=$period" | grep -q '"drained"'; then
      break
    fi
    sleep 0.5
  done
  stop_node "$n"
}

kill_node() {
  local n="$1" pid
  pid="$(running_pid "$n")"
  [[ -n "$pid" ]] || { echo "node$n is not running"; return 0; }
  kill -KILL "$pid"
  rm -f "$run/node$n.pid"
  echo "node$n killed (pid $pid): the others drop it after cluster.lease and sweep it; its clients reconnect"
}

nodes_or_all() {
  if [[ $# -eq 0 ]]; then echo 1 2 3; else echo "$@"; fi
}

check_nodes() {
  local n
  for n in "$@"; do
    [[ "$n" =~ ^[1-4]$ || "$n" =~ ^[0-9]+[a-z]+$ ]] || { echo "unknown node '$n': use 1 to 4" >&2; exit 2; }
  done
}

command="${1:-}"
shift || true
check_nodes "$@"
case "$command" in
  start)   for n in $(nodes_or_all "$@"); do start_node "$n"; done ;;
  stop)    for n in $(nodes_or_all "$@"); do stop_node "$n"; done ;;
  restart) for n in $(nodes_or_all "$@"); do stop_node "$n"; start_node "$n"; done ;;
  add)     [[ $# -eq 1 ]] || { echo "usage: $0 add N" >&2; exit 2; }; start_node "$1"; await_member "$1" ;;
  remove)  [[ $# -ge 1 ]] || { echo "usage: $0 remove N [period]" >&2; exit 2; }; remove_node "$@" ;;
  kill)    [[ $# -eq 1 ]] || { echo "usage: $0 kill N" >&2; exit 2; }; kill_node "$1" ;;
  membership) membership ;;
  status)  status ;;
  *) echo "usage: $0 start|stop|restart [1 2 3 4] | add N | remove N [period] | kill N | membership | status" >&2
     exit 2 ;;
esac
