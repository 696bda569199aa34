# Shared by the benchmark scripts (source it): what they all need beside node.sh.

# Other work on the machine skews the figures: wait (at most 15 minutes) until the 1-minute load average is below
# QUIET_LOAD [1.5]; after that, say so and go on.
wait_quiet() {
  local limit=${QUIET_LOAD:-1.5}
  for _ in $(seq 1 180); do
    awk -v limit="$limit" '{exit !($1 < limit)}' /proc/loadavg && return 0
    sleep 5
  done
  echo "load stayed above $limit; measuring anyway at $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

# im-bench with "$@" against the node and Redis of node.sh (BENCH_DIR, NODE_PORT, REDIS_PORT as there), their pids
# given for the CPU and RSS figures; BENCH_JVM_FLAGS [-XX:+UseParallelGC], BENCH_JAR [im-bench/target/im-bench.jar].
bench() {
  local dir=${BENCH_DIR:-/tmp/im-bench}
  # shellcheck disable=SC2086
  java ${BENCH_JVM_FLAGS:-"-XX:+UseParallelGC"} -jar "${BENCH_JAR:-im-bench/target/im-bench.jar}" "$@" \
    --servers "127.0.0.1:${NODE_PORT:-16601}" --redis "redis://127.0.0.1:${REDIS_PORT:-16379}" \
    --node-pid "$(cat "$dir/node.pid")" --redis-pid "$(cat "$dir/redis.pid")" --quiet
}

# True when the node whose WebSocket port is $1 answers its health check (its admin port is $1 + 1).
healthy() { curl -sf -o /dev/null "http://127.0.0.1:$(($1 + 1))/healthcheck"; }

# Two nodes of one cluster from JAR [im-service/target/im-service.jar] on NODE_PORT and NODE_PORT+2 (admin ports +1),
# for the scripts that bring their own Redis: writes $DIR/node.yml with the redis: section $1 and log level $2
# [WARN], starts both with heap $3 [1g] (logs in $DIR/node-<port>.log), appends their pids to the caller's array
# node_pids and returns once both are healthy and see each other as members (healthy alone is not enough: a node
# that sees the other join later moves the clients now homed there, closing them with 1001). Exits 1 if not.
start_two_nodes() {
  local servers="127.0.0.1:$NODE_PORT,127.0.0.1:$((NODE_PORT + 2))" port
  cat >"$DIR/node.yml" <<YML
server:
  maxThreads: 64
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
  requestLog: {appenders: []}
cluster:
  servers: [$servers]
  self: "127.0.0.1:0"
$1
logging:
  level: ${2:-WARN}
YML
  for port in "$NODE_PORT" "$((NODE_PORT + 2))"; do
    java -XX:+UseParallelGC -Xmn32m "-Xmx${3:-1g}" \
      -Ddw.server.applicationConnectors[0].port="$port" -Ddw.server.adminConnectors[0].port="$((port + 1))" \
      -Ddw.cluster.self="127.0.0.1:$port" -jar "${JAR:-im-service/target/im-service.jar}" server "$DIR/node.yml" \
      >"$DIR/node-$port.log" 2>&1 &
    node_pids+=($!)
  done
  for port in "$NODE_PORT" "$((NODE_PORT + 2))"; do
    for _ in $(seq 1 300); do healthy "$port" && break; sleep 0.2; done
    healthy "$port" || { echo "node $port not healthy: $DIR/node-$port.log" >&2; exit 1; }
    for _ in $(seq 1 150); do
      [ "$(curl -sf "http://127.0.0.1:$((port + 1))/metrics" | jq '.gauges["im.cluster.members"].value')" = 2 ] && break
      sleep 0.2
    done
  done
}
